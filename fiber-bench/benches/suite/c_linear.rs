//! C. A linear non-tail recursion 10,000,000 deep: `f(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])`
//! (`xs[0] + f(..)` would let LLVM turn native code into a loop).

use std::sync::Arc;

use criterion::Criterion;
use fiber_runtime::{Runner, fiber, run};
use reblessive::{Stack, Stk};

use crate::{BigStack, Variant, bench_group, check_all, deep};

pub const DEPTH: usize = 10_000_000;

fn native(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    native(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
}

/// The expert's explicit stack: one frame (the slice the call keeps, 16 bytes) per level in a
/// `Vec`, pushed on the way down and popped on the way up.
fn explicit(xs: &[u64]) -> u64 {
    let mut stack: Vec<&[u64]> = Vec::new();
    let mut xs = xs;
    while !xs.is_empty() {
        stack.push(xs);
        xs = &xs[1..];
    }
    let mut ret = 17u64;
    while let Some(xs) = stack.pop() {
        ret = ret.wrapping_mul(31).wrapping_add(xs[0]);
    }
    ret
}

#[fiber]
fn hash(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    hash(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
}

#[recursive::recursive]
fn with_recursive(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    with_recursive(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
}

fn with_stacker(xs: &[u64]) -> u64 {
    stacker::maybe_grow(32 * 1024, 1024 * 1024, || {
        if xs.is_empty() {
            return 17;
        }
        with_stacker(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
    })
}

async fn blessed(stk: &mut Stk, xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 17;
    }
    stk.run(|stk| blessed(stk, &xs[1..])).await.wrapping_mul(31).wrapping_add(xs[0])
}

pub fn variants() -> Vec<Variant<[u64], u64>> {
    vec![
        Variant { name: "native", run: native },
        Variant { name: "explicit", run: explicit },
        Variant { name: "fiber", run: |xs| run(hash(xs)) },
        Variant { name: "recursive", run: with_recursive },
        Variant { name: "stacker", run: with_stacker },
        Variant { name: "reblessive", run: |xs| Stack::new().enter(|stk| blessed(stk, xs)).finish() },
    ]
}

pub fn input() -> Arc<[u64]> {
    (0..DEPTH as u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect()
}

/// The fiber's heap stack at its deepest: (bytes, frames).
pub fn fiber_stack(xs: &[u64]) -> (usize, usize) {
    crate::memory::peak_stack(Runner::new(hash(xs)))
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    let xs = input();
    check_all(big, "C", &Arc::from(&xs[..100_000]), &variants);
    bench_group(c, big, "C_linear_10M", deep, &xs, &variants);
}
