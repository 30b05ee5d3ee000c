//! A recursion 10,000,000 levels deep: native code overflows its stack at a few hundred
//! thousand; the fiber runs on the heap.
//!
//! `cargo run --release --example deep`

use std::time::Instant;

use fiber_runtime::{Runner, fiber};

/// A non-tail recursion LLVM cannot turn into a loop.
#[fiber]
fn hash(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    hash(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
}

fn main() {
    let depth = 10_000_000;
    let xs: Vec<u64> = (0..depth).collect();
    let start = Instant::now();
    let mut runner = Runner::new(hash(&xs));
    let result = loop {
        if let std::task::Poll::Ready(result) = runner.resume(u64::MAX) {
            break result.expect("no depth limit was set");
        }
    };
    let elapsed = start.elapsed();
    let expected = xs.iter().rev().fold(17u64, |acc, &x| acc.wrapping_mul(31).wrapping_add(x));
    assert_eq!(result, expected);
    println!("hash of {depth} numbers, recursing once per number: {result}");
    println!("depth reached: {} frames on the heap stack", runner.peak_depth());
    println!("time: {elapsed:.2?}");
}
