// Input of the expansion snapshot beside it (`tail_sum.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
fn sum(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        return acc;
    }
    sum(&xs[1..], acc + xs[0])
}
