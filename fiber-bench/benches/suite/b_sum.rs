//! B. A tail-recursive `sum(&xs[1..], acc + xs[0])` over 100,000 elements,
//! against a plain `for` loop (the baseline of this group).

use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use fiber_runtime::{fiber, run};
use reblessive::{Stack, Stk};

use crate::{BigStack, Variant, bench_group, check_all};

pub const LEN: usize = 100_000;

fn for_loop(xs: &[u64]) -> u64 {
    let mut acc = 0;
    for &x in xs {
        acc += x;
    }
    acc
}

/// Native tail recursion: LLVM turns it into a loop in release builds (it is not guaranteed).
fn native(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        return acc;
    }
    native(&xs[1..], acc + xs[0])
}

/// The expert's explicit version of a tail call needs no stack: rebind the arguments and loop.
fn explicit(xs: &[u64]) -> u64 {
    let (mut xs, mut acc) = (xs, 0);
    while let [first, rest @ ..] = xs {
        acc += first;
        xs = rest;
    }
    acc
}

#[fiber]
fn sum(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        return acc;
    }
    sum(&xs[1..], acc + xs[0])
}

#[recursive::recursive]
fn with_recursive(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        return acc;
    }
    with_recursive(&xs[1..], acc + xs[0])
}

fn with_stacker(xs: &[u64], acc: u64) -> u64 {
    stacker::maybe_grow(32 * 1024, 1024 * 1024, || {
        if xs.is_empty() {
            return acc;
        }
        with_stacker(&xs[1..], acc + xs[0])
    })
}

async fn blessed(stk: &mut Stk, xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        return acc;
    }
    stk.run(|stk| blessed(stk, &xs[1..], acc + xs[0])).await
}

#[tailcall::tailcall]
fn with_tailcall(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() {
        acc
    } else {
        tailcall::call! { with_tailcall(&xs[1..], acc + xs[0]) }
    }
}

pub fn variants() -> Vec<Variant<[u64], u64>> {
    vec![
        Variant { name: "for_loop", run: for_loop },
        Variant { name: "native", run: |xs| native(xs, 0) },
        Variant { name: "explicit", run: explicit },
        Variant { name: "fiber", run: |xs| run(sum(xs, 0)) },
        Variant { name: "recursive", run: |xs| with_recursive(xs, 0) },
        Variant { name: "stacker", run: |xs| with_stacker(xs, 0) },
        Variant { name: "reblessive", run: |xs| Stack::new().enter(|stk| blessed(stk, xs, 0)).finish() },
        Variant { name: "tailcall", run: |xs| with_tailcall(xs, 0) },
    ]
}

pub fn input() -> Arc<[u64]> {
    (0..LEN as u64).collect()
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    let xs = input();
    check_all(big, "B", &xs, &variants);
    let config = |g: &mut criterion::BenchmarkGroup<'_, _>| {
        g.sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    };
    bench_group(c, big, "B_tail_sum", config, &xs, &variants);
}
