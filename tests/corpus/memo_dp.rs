//! Memoization: decode ways (`match` guards, memo early return), matrix chain over a
//! `HashMap<(usize, usize), u64>`, longest increasing grid path with a `Vec<Vec<Option<u32>>>`
//! memo and `let .. else { continue }`, and `fewest_coins`, which shadows `let amount = amount -
//! coin;` inside its `for` over the coins and reads the outer `amount` after the loop.

use std::collections::HashMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

const MOD: u64 = 1_000_000_007;

const DIRS: [(isize, isize); 4] = [(0, 1), (1, 0), (0, -1), (-1, 0)];

twins! {
    pub fn decode_ways(s: &[u8], i: usize, memo: &mut HashMap<usize, u64>) -> u64 {
        if i == s.len() {
            return 1;
        }
        if let Some(&n) = memo.get(&i) {
            return n;
        }
        let n = match s[i] {
            b'0' => 0,
            b'1' if i + 1 < s.len() => (decode_ways(s, i + 1, memo) + decode_ways(s, i + 2, memo)) % MOD,
            b'2' if i + 1 < s.len() && s[i + 1] <= b'6' => {
                (decode_ways(s, i + 1, memo) + decode_ways(s, i + 2, memo)) % MOD
            }
            _ => decode_ways(s, i + 1, memo),
        };
        memo.insert(i, n);
        n
    }

    /// The fewest scalar multiplications for the product of matrices `i..j`, where matrix `k`
    /// is `dims[k] x dims[k + 1]`.
    pub fn matrix_chain(dims: &[u64], i: usize, j: usize, memo: &mut HashMap<(usize, usize), u64>) -> u64 {
        if j - i <= 1 {
            return 0;
        }
        if let Some(&cost) = memo.get(&(i, j)) {
            return cost;
        }
        let mut best = u64::MAX;
        for k in i + 1..j {
            let cost = matrix_chain(dims, i, k, memo) + matrix_chain(dims, k, j, memo) + dims[i] * dims[k] * dims[j];
            if cost < best {
                best = cost;
            }
        }
        memo.insert((i, j), log("chain", best));
        best
    }

    pub fn increasing_path(grid: &[Vec<i32>], r: usize, c: usize, memo: &mut Vec<Vec<Option<u32>>>) -> u32 {
        if let Some(len) = memo[r][c] {
            return len;
        }
        let mut best = 1;
        for (dr, dc) in DIRS {
            let Some(nr) = r.checked_add_signed(dr) else { continue };
            let Some(nc) = c.checked_add_signed(dc) else { continue };
            if nr >= grid.len() || nc >= grid[nr].len() || grid[nr][nc] <= grid[r][c] {
                continue;
            }
            best = best.max(1 + increasing_path(grid, nr, nc, memo));
        }
        memo[r][c] = Some(best);
        best
    }

    pub fn fewest_coins(coins: &[u64], amount: u64, memo: &mut HashMap<u64, Option<u32>>) -> Option<u32> {
        if amount == 0 {
            return Some(0);
        }
        if let Some(known) = memo.get(&amount) {
            return *known;
        }
        let mut best: Option<u32> = None;
        for &coin in coins.iter().rev() {
            if coin > amount {
                continue;
            }
            let amount = amount - coin;
            if let Some(n) = fewest_coins(coins, amount, memo) {
                best = Some(match best {
                    Some(b) if b <= n + 1 => b,
                    _ => n + 1,
                });
            }
        }
        memo.insert(amount, best);
        best
    }
}

fn decode(s: &str) -> (u64, u64) {
    let n = native::decode_ways(s.as_bytes(), 0, &mut HashMap::new());
    let f = run(fiber::decode_ways(s.as_bytes(), 0, &mut HashMap::new()));
    (n, f)
}

fn chain(dims: &[u64]) -> ((u64, Vec<String>), (u64, Vec<String>)) {
    let k = dims.len() - 1;
    let n = logged(|| native::matrix_chain(dims, 0, k, &mut HashMap::new()));
    let f = logged(|| run(fiber::matrix_chain(dims, 0, k, &mut HashMap::new())));
    (n, f)
}

fn longest(grid: &[Vec<i32>], fiber: bool) -> u32 {
    let mut memo: Vec<Vec<Option<u32>>> = grid.iter().map(|row| vec![None; row.len()]).collect();
    let mut best = 0;
    for r in 0..grid.len() {
        for c in 0..grid[r].len() {
            let len = if fiber {
                run(fiber::increasing_path(grid, r, c, &mut memo))
            } else {
                native::increasing_path(grid, r, c, &mut memo)
            };
            best = best.max(len);
        }
    }
    best
}

fn coins(set: &[u64], amount: u64) -> (Option<u32>, Option<u32>) {
    let n = native::fewest_coins(set, amount, &mut HashMap::new());
    let f = run(fiber::fewest_coins(set, amount, &mut HashMap::new()));
    (n, f)
}

#[test]
fn memo_dp_matches_native() {
    assert_eq!(decode("226"), (3, 3));
    assert_eq!(decode("12"), (2, 2));
    assert_eq!(decode("06"), (0, 0));
    assert_eq!(decode("11106"), (2, 2));
    assert_eq!(decode(""), (1, 1));
    let (n, f) = chain(&[10, 30, 5, 60]);
    assert_eq!(n, f);
    assert_eq!(f.0, 4500);
    let (n, f) = chain(&[40, 20, 30, 10, 30]);
    assert_eq!(n, f);
    assert_eq!(f.0, 26000);
    let grid = vec![vec![9, 9, 4], vec![6, 6, 8], vec![2, 1, 1]];
    assert_eq!(longest(&grid, false), 4);
    assert_eq!(longest(&grid, true), 4);
    assert_eq!(coins(&[1, 2, 5], 11), (Some(3), Some(3)));
    assert_eq!(coins(&[2], 3), (None, None));
    assert_eq!(coins(&[186, 419, 83, 408], 6249), (Some(20), Some(20)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn memo_dp_random_matches_native(
        digits in "[0-9]{0,30}",
        dims in prop::collection::vec(1u64..40, 2..9),
        grid in prop::collection::vec(prop::collection::vec(0i32..6, 4), 1..5),
        set in prop::collection::vec(1u64..12, 1..4),
        amount in 0u64..80,
    ) {
        let (n, f) = decode(&digits);
        prop_assert_eq!(n, f);
        let (n, f) = chain(&dims);
        prop_assert_eq!(n, f);
        prop_assert_eq!(longest(&grid, false), longest(&grid, true));
        let (n, f) = coins(&set, amount);
        prop_assert_eq!(n, f);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn memo_dp_100_000_deep() {
    const DEEP: usize = 100_000;
    // "1111..": Fibonacci many decodings, each index one level deeper.
    let ones = "1".repeat(DEEP);
    let (n, f) = on_big_stack(move || decode(&ones));
    assert_eq!(n, f);
    let fib = (0..DEEP).fold((1u64, 1u64), |(a, b), _| (b, (a + b) % MOD)).0;
    assert_eq!(f, fib);
    // One row strictly increasing: the path from the first cell runs DEEP cells.
    let row = vec![(0..DEEP as i32).collect::<Vec<_>>()];
    assert_eq!(run(fiber::increasing_path(&row, 0, 0, &mut vec![vec![None; DEEP]])), DEEP as u32);
    // Pennies only: DEEP coins, DEEP levels.
    let (n, f) = on_big_stack(|| coins(&[1], DEEP as u64));
    assert_eq!((n, f), (Some(DEEP as u32), Some(DEEP as u32)));
    let native = on_big_stack(move || native::increasing_path(&row, 0, 0, &mut vec![vec![None; DEEP]]));
    assert_eq!(native, DEEP as u32);
}
