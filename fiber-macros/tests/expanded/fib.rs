// Input of the expansion snapshot beside it (`fib.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}
