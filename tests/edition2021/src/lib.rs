//! A user crate on edition 2021, where the rest of the workspace is on 2024: `#[fiber]` fns here
//! and in `tests/` must compile and behave as their native twins. (Edition 2021 differs where a
//! fiber fn's expansion could trip: `impl Trait` in return position captures no lifetime unless
//! told, and macro fragments, closures' captures and temporaries' scopes follow 2021 rules.)

use std::cell::RefCell;

use fiber_runtime::fiber;

/// A fiber fn in the library itself: a slice argument, a non-tail call, `&xs[1..]`.
#[fiber]
pub fn checksum(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    checksum(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
}

/// The same fold as a loop, to check `checksum` against.
pub fn checksum_loop(xs: &[u64]) -> u64 {
    xs.iter().rev().fold(17, |h, &x| h.wrapping_mul(31).wrapping_add(x))
}

thread_local! {
    static LOG: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Records a side effect (inside `logged`) and passes the value through.
pub fn log<T: std::fmt::Debug>(tag: &str, value: T) -> T {
    LOG.with(|l| {
        if let Some(log) = l.borrow_mut().as_mut() {
            log.push(format!("{tag}:{value:?}"));
        }
    });
    value
}

/// Runs `f` and returns its result with the side effects it logged.
pub fn logged<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    LOG.with(|l| *l.borrow_mut() = Some(Vec::new()));
    let result = f();
    (result, LOG.with(|l| l.take().unwrap_or_default()))
}

/// Runs `f` on a thread with a big native stack, for native twins of deep recursions.
pub fn on_big_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new().stack_size(1 << 30).spawn(f).unwrap().join().unwrap()
}

/// `twins! { fn f(..) -> R { .. } .. }` defines `native::f` (plain Rust) and `fiber::f`
/// (`#[fiber]`) from the same source, in the caller's (2021) crate.
#[macro_export]
macro_rules! twins {
    ($($item:item)*) => {
        mod native {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $($item)*
        }
        mod fiber {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $(#[fiber_runtime::fiber] $item)*
        }
    };
}
