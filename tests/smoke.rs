use fiber_runtime::{fiber, run};

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

#[test]
fn fib_matches() {
    assert_eq!(run(fib(20)), 6765);
}
