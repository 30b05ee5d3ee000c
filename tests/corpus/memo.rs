//! Memoized recursions with a `&mut HashMap` cache: Fibonacci modulo a prime, tribonacci-style
//! stair climbing, and the number of paths in a grid with blocked cells.

use std::collections::{HashMap, HashSet};

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

const MOD: u64 = 1_000_000_007;

twins! {
    pub fn fib(n: u64, memo: &mut HashMap<u64, u64>) -> u64 {
        if n <= 1 {
            return n;
        }
        if let Some(&v) = memo.get(&n) {
            return v;
        }
        let v = (fib(n - 1, memo) + fib(n - 2, memo)) % MOD;
        memo.insert(n, v);
        v
    }

    /// Ways to climb `n` stairs taking 1, 2 or 3 steps at a time.
    pub fn climb(n: u64, memo: &mut HashMap<u64, u64>) -> u64 {
        match n {
            0 => 1,
            1 => 1,
            2 => 2,
            _ => {
                if let Some(v) = memo.get(&n).copied() {
                    return v;
                }
                let mut ways = 0;
                for step in 1..=3 {
                    ways = (ways + climb(n - step, memo)) % MOD;
                }
                memo.insert(n, log("climb", ways));
                ways
            }
        }
    }

    /// Monotone paths from (r, c) to (0, 0) avoiding blocked cells.
    pub fn paths(r: usize, c: usize, blocked: &HashSet<(usize, usize)>, memo: &mut HashMap<(usize, usize), u64>) -> u64 {
        if blocked.contains(&(r, c)) {
            return 0;
        }
        if r == 0 && c == 0 {
            return 1;
        }
        if let Some(&v) = memo.get(&(r, c)) {
            return v;
        }
        let mut total = 0;
        if r > 0 {
            total += paths(r - 1, c, blocked, memo);
        }
        if c > 0 {
            total += paths(r, c - 1, blocked, memo);
        }
        let total = total % MOD;
        memo.insert((r, c), total);
        total
    }
}

fn fib_iter(n: u64) -> u64 {
    let (mut a, mut b) = (0, 1);
    for _ in 0..n {
        (a, b) = (b, (a + b) % MOD);
    }
    a
}

#[test]
fn memo_matches_native() {
    for n in 0..40 {
        assert_eq!(native::fib(n, &mut HashMap::new()), run(fiber::fib(n, &mut HashMap::new())));
        assert_eq!(
            logged(|| native::climb(n, &mut HashMap::new())),
            logged(|| run(fiber::climb(n, &mut HashMap::new())))
        );
    }
    let blocked = HashSet::from([(1, 1), (2, 3), (4, 0)]);
    for r in 0..7 {
        for c in 0..7 {
            let mut m1 = HashMap::new();
            let mut m2 = HashMap::new();
            assert_eq!(native::paths(r, c, &blocked, &mut m1), run(fiber::paths(r, c, &blocked, &mut m2)));
            assert_eq!(m1, m2);
        }
    }
    assert_eq!(run(fiber::paths(2, 2, &HashSet::new(), &mut HashMap::new())), 6);
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn memo_100_000_deep() {
    const DEEP: u64 = 100_000;
    assert_eq!(run(fiber::fib(DEEP, &mut HashMap::new())), fib_iter(DEEP));
    let climbed = run(fiber::climb(DEEP, &mut HashMap::new()));
    assert_eq!(climbed, on_big_stack(|| native::climb(DEEP, &mut HashMap::new())));
    // A 1 x 100,000 corridor: one path, 100,000 levels deep.
    assert_eq!(run(fiber::paths(0, DEEP as usize, &HashSet::new(), &mut HashMap::new())), 1);
}
