//! A. `fib(32)`: two non-tail calls per level, 7 million calls, 32 deep.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode};
use fiber_runtime::{fiber, run};
use reblessive::{Stack, Stk};

use crate::{BigStack, Variant, bench_group, check_all};

pub const N: u64 = 32;

fn native(n: u64) -> u64 {
    if n < 2 { n } else { native(n - 1) + native(n - 2) }
}

/// A frame waits for `fib(n - 1)` (keeping `n`) or for `fib(n - 2)` (keeping `fib(n - 1)`).
enum Frame {
    First(u64),
    Second(u64),
}

/// What an expert writes: the running call's `n` and the returned value in registers, 16-byte
/// frames in a `Vec`, the top frame rewritten in place when the first call returns.
fn explicit(n: u64) -> u64 {
    let mut stack: Vec<Frame> = Vec::with_capacity(64);
    let mut n = n;
    loop {
        while n >= 2 {
            stack.push(Frame::First(n));
            n -= 1;
        }
        let mut ret = n;
        loop {
            let Some(top) = stack.last_mut() else { return ret };
            match *top {
                Frame::First(m) => {
                    *top = Frame::Second(ret);
                    n = m - 2;
                    break;
                }
                Frame::Second(first) => {
                    ret += first;
                    stack.pop();
                }
            }
        }
    }
}

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

#[recursive::recursive]
fn with_recursive(n: u64) -> u64 {
    if n < 2 { n } else { with_recursive(n - 1) + with_recursive(n - 2) }
}

fn with_stacker(n: u64) -> u64 {
    stacker::maybe_grow(32 * 1024, 1024 * 1024, || {
        if n < 2 { n } else { with_stacker(n - 1) + with_stacker(n - 2) }
    })
}

async fn blessed(stk: &mut Stk, n: u64) -> u64 {
    if n < 2 {
        n
    } else {
        stk.run(|stk| blessed(stk, n - 1)).await + stk.run(|stk| blessed(stk, n - 2)).await
    }
}

pub fn variants() -> Vec<Variant<u64, u64>> {
    vec![
        Variant { name: "native", run: |&n| native(n) },
        Variant { name: "explicit", run: |&n| explicit(n) },
        Variant { name: "fiber", run: |&n| run(fib(n)) },
        Variant { name: "recursive", run: |&n| with_recursive(n) },
        Variant { name: "stacker", run: |&n| with_stacker(n) },
        Variant { name: "reblessive", run: |&n| Stack::new().enter(|stk| blessed(stk, n)).finish() },
    ]
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    check_all(big, "A", &Arc::new(20), &variants);
    let config = |g: &mut criterion::BenchmarkGroup<'_, _>| {
        g.sampling_mode(SamplingMode::Flat)
            .sample_size(20)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
    };
    bench_group(c, big, "A_fib32", config, &Arc::new(N), &variants);
}
