// Input of the expansion snapshot beside it (`parity.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
mod parity {
    pub fn is_even(n: u64) -> bool {
        if n == 0 { true } else { is_odd(n - 1) }
    }

    pub fn is_odd(n: u64) -> bool {
        if n == 0 { false } else { is_even(n - 1) }
    }
}
