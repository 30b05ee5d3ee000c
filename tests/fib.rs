//! The smallest use, as the README writes it: `#[fiber]` on `fib`, two non-tail recursive calls,
//! driven by `run`, with none of the other tests' helpers (`twins!`, the side-effect log).

use fiber_runtime::{fiber, run};

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

#[test]
fn fib_matches() {
    assert_eq!(run(fib(20)), 6765);
}
