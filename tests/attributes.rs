//! Attributes on a fiber fn go where a user expects them (on the fn callers see), and the forms
//! that a body leaves as native (`const` items and blocks, labels that shadow, `unsafe` blocks,
//! attributes on statements) behave as native. The crate denies warnings, so an attribute
//! that did not reach the code it governs fails the build.
#![deny(warnings)]

mod common;

use common::log;
use fiber_runtime::{Fiber, fiber, run};

/// Counts down, with a local the body never reads: `#[allow]` reaches the machine and the
/// copy of the body the borrow checker sees.
#[fiber]
#[inline]
#[must_use]
#[allow(unused_variables)]
fn documented(n: u64) -> u64 {
    let unread = n * 2;
    if n == 0 { 0 } else { documented(n - 1) + 1 }
}

/// An inner attribute of the body applies to the whole fn, as natively.
#[fiber]
fn inner_attribute(n: u64) -> u64 {
    #![allow(unused_variables)]
    let unread = n;
    if n == 0 { 0 } else { inner_attribute(n - 1) + 1 }
}

#[fiber]
#[deprecated(note = "only here to show the attribute reaches callers")]
fn old(n: u64) -> u64 {
    if n == 0 { 0 } else { old(n - 1) + 2 }
}

#[cfg(not(test))]
#[fiber]
fn configured_out(n: u64) -> u64 {
    this_does_not_exist(n)
}

#[cfg(test)]
#[fiber]
fn configured_in(n: u64) -> u64 {
    if n == 0 { 0 } else { configured_in(n - 1) + 3 }
}

twins! {
    /// `const` items and blocks, an `unsafe` block, attributes on statements and expressions,
    /// and a label that shadows another, around recursive calls.
    pub fn native_forms(n: u64) -> u64 {
        const STEP: u64 = 3;
        let mut total = const { STEP * 2 };
        #[allow(unused_mut)]
        let mut seen = log("n", n);
        'a: loop {
            'a: loop {
                if n == 0 {
                    break 'a;
                }
                total += native_forms(n - 1);
                break 'a;
            }
            total += unsafe { core::ptr::read(&seen) } % 5;
            #[allow(clippy::needless_return)]
            break 'a;
        }
        seen += 1;
        total + seen
    }
}

#[test]
fn attributes_reach_the_public_fn() {
    fn is_fiber<F: Fiber<Output = u64>>(f: F) -> u64 {
        run(f)
    }
    assert_eq!(is_fiber(documented(5)), 5);
    assert_eq!(run(inner_attribute(3)), 3);
    #[allow(deprecated)]
    let doubled = run(old(4));
    assert_eq!(doubled, 8);
    assert_eq!(run(configured_in(2)), 6);
}

#[test]
fn native_forms_in_a_body_match_native() {
    for n in 0..6 {
        assert_eq!(
            common::logged(|| run(fiber::native_forms(n))),
            common::logged(|| native::native_forms(n))
        );
    }
}
