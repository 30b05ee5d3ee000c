//! Hygiene: user names that look like generated ones change nothing, and a crate that shadows
//! `core`, `std`, `fiber_runtime` or `Option` still compiles its fiber fns, warning-free.
#![deny(warnings, clippy::all)]
#![allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]

mod core {}
mod std {}
mod fiber_runtime {}
type Option = ();
type Some = ();
struct None;

use ::fiber_runtime::{fiber, run};

#[fiber]
fn collide(__fiber_t0: u64, __fiber_top: u64) -> u64 {
    let __fiber_value = __fiber_t0 + __fiber_top;
    let __fiber_slot = 1;
    if __fiber_t0 == 0 {
        return __fiber_value + __fiber_slot;
    }
    let mut __fiber_self = 0;
    '__fiber_match0: for __fiber_next in 0..2u64 {
        __fiber_self += collide(__fiber_t0 - 1, __fiber_next);
        if __fiber_self > 1000 {
            break '__fiber_match0;
        }
    }
    __fiber_self + __fiber_value
}

fn collide_native(__fiber_t0: u64, __fiber_top: u64) -> u64 {
    let __fiber_value = __fiber_t0 + __fiber_top;
    let __fiber_slot = 1;
    if __fiber_t0 == 0 {
        return __fiber_value + __fiber_slot;
    }
    let mut __fiber_self = 0;
    '__fiber_match0: for __fiber_next in 0..2u64 {
        __fiber_self += collide_native(__fiber_t0 - 1, __fiber_next);
        if __fiber_self > 1000 {
            break '__fiber_match0;
        }
    }
    __fiber_self + __fiber_value
}

#[fiber]
fn options(n: u64, seen: &mut Vec<u64>) -> ::core::option::Option<u64> {
    seen.push(n);
    match n {
        0 => ::core::option::Option::None,
        k if k % 5 == 0 => ::core::option::Option::Some(k),
        k => {
            let below = options(k - 1, seen)?;
            ::core::option::Option::Some(below + k)
        }
    }
}

#[test]
fn generated_names_do_not_collide_with_user_names() {
    for n in 0..8 {
        for m in 0..3 {
            assert_eq!(run(collide(n, m)), collide_native(n, m));
        }
    }
    let mut seen = Vec::new();
    assert_eq!(run(options(13, &mut seen)), ::core::option::Option::Some(10 + 11 + 12 + 13));
    assert_eq!(seen, [13, 12, 11, 10]);
}
