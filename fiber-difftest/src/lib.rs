//! Differential testing of `#[fiber]`: generate random recursive fns, compile each twice
//! (natively and with `#[fiber]`), run both on the same inputs and compare results and
//! side-effect logs. `cargo run --release -p fiber-difftest -- --help` tells how to run it.

pub mod generator;
pub mod harness;
pub mod reduce;
pub mod rng;
pub mod tree;

#[cfg(test)]
mod tests;
