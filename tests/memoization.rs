//! Memoization through a `&mut` memo table passed down the recursion: fib with a `HashMap`
//! cache, burst balloons with a table per interval, edit distance on long strings; each against
//! its native twin, and deep. Small sizes run under Miri too (`.ci/run`).

mod common;

use std::collections::HashMap;

use common::{logged, on_big_stack};
use fiber_runtime::run;

twins! {
    /// Fibonacci modulo 100,000 with a `&mut HashMap` cache.
    pub fn fib(n: u64, memo: &mut HashMap<u64, u64>) -> u64 {
        if n < 2 {
            return n;
        }
        if let Some(&known) = memo.get(&n) {
            return known;
        }
        let value = (fib(n - 1, memo) + fib(n - 2, memo)) % 100_000;
        memo.insert(n, value);
        value
    }

    /// Burst balloons: the most coins from bursting `nums[lo..=hi]` (padded with 1s at both
    /// ends), memoized per interval.
    pub fn coins(nums: &[i64], lo: usize, hi: usize, memo: &mut Vec<Vec<Option<i64>>>) -> i64 {
        if lo > hi {
            return 0;
        }
        if let Some(known) = memo[lo][hi] {
            return known;
        }
        let mut best = 0;
        for last in lo..=hi {
            let gain = nums[lo - 1] * nums[last] * nums[hi + 1];
            let total = gain + coins(nums, lo, last - 1, memo) + coins(nums, last + 1, hi, memo);
            best = best.max(total);
        }
        memo[lo][hi] = Some(best);
        best
    }

    /// Edit distance between `a[i..]` and `b[j..]`, memoized.
    pub fn edit(a: &[u8], b: &[u8], i: usize, j: usize, memo: &mut Vec<Vec<u32>>) -> u32 {
        if i == a.len() {
            return (b.len() - j) as u32;
        }
        if j == b.len() {
            return (a.len() - i) as u32;
        }
        if memo[i][j] != u32::MAX {
            return memo[i][j];
        }
        let d = if a[i] == b[j] {
            edit(a, b, i + 1, j + 1, memo)
        } else {
            1 + edit(a, b, i + 1, j, memo).min(edit(a, b, i, j + 1, memo)).min(edit(a, b, i + 1, j + 1, memo))
        };
        memo[i][j] = d;
        d
    }
}

fn balloons(nums: &[i64]) -> Vec<i64> {
    let mut padded = vec![1];
    padded.extend_from_slice(nums);
    padded.push(1);
    padded
}

fn text(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            b"acgt"[(state >> 62) as usize]
        })
        .collect()
}

#[test]
fn memoized_fib_matches_the_original() {
    assert_eq!(run(fiber::fib(1010, &mut HashMap::new())), 74305);
    for n in [0, 1, 2, 30, 1010] {
        assert_eq!(
            logged(|| native::fib(n, &mut HashMap::new())),
            logged(|| run(fiber::fib(n, &mut HashMap::new())))
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn memoized_fib_a_million_deep() {
    const DEEP: u64 = 1_000_000;
    let expected = on_big_stack(|| native::fib(DEEP, &mut HashMap::new()));
    assert_eq!(run(fiber::fib(DEEP, &mut HashMap::new())), expected);
}

#[test]
fn burst_balloons_match_native() {
    for nums in [vec![], vec![5], vec![3, 1, 5, 8], vec![1, 5], vec![9, 7, 1, 3, 2, 8, 4, 6, 5, 2, 7, 1]] {
        let padded = balloons(&nums);
        let n = nums.len();
        let fresh = || vec![vec![None; n + 2]; n + 2];
        let native = native::coins(&padded, 1, n, &mut fresh());
        assert_eq!(run(fiber::coins(&padded, 1, n, &mut fresh())), native);
    }
    let padded = balloons(&[3, 1, 5, 8]);
    assert_eq!(run(fiber::coins(&padded, 1, 4, &mut vec![vec![None; 6]; 6])), 167);
}

#[test]
fn edit_distance_matches_native() {
    for (a, b) in [("", ""), ("kitten", "sitting"), ("flaw", "lawn"), ("intention", "execution")] {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let fresh = || vec![vec![u32::MAX; b.len() + 1]; a.len() + 1];
        assert_eq!(run(fiber::edit(a, b, 0, 0, &mut fresh())), native::edit(a, b, 0, 0, &mut fresh()));
    }
}

#[test]
#[cfg_attr(miri, ignore = "long strings: too slow under Miri")]
fn edit_distance_on_long_strings() {
    let (a, b) = (text(1500, 1), text(1400, 2));
    let expected = {
        let (a, b) = (a.clone(), b.clone());
        on_big_stack(move || native::edit(&a, &b, 0, 0, &mut vec![vec![u32::MAX; b.len() + 1]; a.len() + 1]))
    };
    let mut memo = vec![vec![u32::MAX; b.len() + 1]; a.len() + 1];
    assert_eq!(run(fiber::edit(&a, &b, 0, 0, &mut memo)), expected);
}
