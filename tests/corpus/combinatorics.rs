//! Counting recursions: binomial coefficients by Pascal's rule (memoized in a `HashMap`),
//! Catalan numbers, integer partitions p(n, k), and 0/1 knapsack over a slice of items.

use std::collections::HashMap;

use crate::common::on_big_stack;
use fiber_runtime::run;

twins! {
    pub fn binomial(n: u64, k: u64, memo: &mut HashMap<(u64, u64), u128>) -> u128 {
        if k == 0 || k == n {
            return 1;
        }
        if let Some(&v) = memo.get(&(n, k)) {
            return v;
        }
        let v = binomial(n - 1, k - 1, memo) + binomial(n - 1, k, memo);
        memo.insert((n, k), v);
        v
    }

    pub fn catalan(n: usize, memo: &mut Vec<Option<u128>>) -> u128 {
        if n == 0 {
            return 1;
        }
        if let Some(c) = memo[n] {
            return c;
        }
        let mut total = 0;
        for i in 0..n {
            total += catalan(i, memo) * catalan(n - 1 - i, memo);
        }
        memo[n] = Some(total);
        total
    }

    /// Partitions of `n` into parts of size at most `k`.
    pub fn partitions(n: i64, k: i64, memo: &mut HashMap<(i64, i64), u64>) -> u64 {
        if n == 0 {
            return 1;
        }
        if n < 0 || k == 0 {
            return 0;
        }
        if let Some(&p) = memo.get(&(n, k)) {
            return p;
        }
        let p = partitions(n - k, k, memo) + partitions(n, k - 1, memo);
        memo.insert((n, k), p);
        p
    }

    /// Best value of items (weight, value) fitting in `cap`, and which ones.
    pub fn knapsack(items: &[(u32, u64)], cap: u32, memo: &mut HashMap<(usize, u32), (u64, Vec<usize>)>) -> (u64, Vec<usize>) {
        let Some((&(w, v), rest)) = items.split_first() else {
            return (0, Vec::new());
        };
        let key = (items.len(), cap);
        if let Some(known) = memo.get(&key) {
            return known.clone();
        }
        let index = |picked: Vec<usize>| picked.into_iter().map(|i| i + 1).collect::<Vec<_>>();
        let (skip_value, skip_items) = knapsack(rest, cap, memo);
        let best = if w <= cap {
            let (take_value, take_items) = knapsack(rest, cap - w, memo);
            if take_value + v > skip_value {
                let mut chosen = vec![0];
                chosen.extend(index(take_items));
                (take_value + v, chosen)
            } else {
                (skip_value, index(skip_items))
            }
        } else {
            (skip_value, index(skip_items))
        };
        memo.insert(key, best.clone());
        best
    }
}

#[test]
fn combinatorics_matches_native() {
    for n in 0..30 {
        for k in 0..=n {
            assert_eq!(
                native::binomial(n, k, &mut HashMap::new()),
                run(fiber::binomial(n, k, &mut HashMap::new()))
            );
        }
        assert_eq!(
            native::catalan(n as usize, &mut vec![None; 31]),
            run(fiber::catalan(n as usize, &mut vec![None; 31]))
        );
        assert_eq!(
            native::partitions(n as i64, n as i64, &mut HashMap::new()),
            run(fiber::partitions(n as i64, n as i64, &mut HashMap::new()))
        );
    }
    assert_eq!(run(fiber::catalan(10, &mut vec![None; 11])), 16_796);
    assert_eq!(run(fiber::partitions(100, 100, &mut HashMap::new())), 190_569_292);
    let items = [(12, 4), (2, 2), (1, 1), (1, 2), (4, 10)];
    for cap in 0..20 {
        assert_eq!(
            native::knapsack(&items, cap, &mut HashMap::new()),
            run(fiber::knapsack(&items, cap, &mut HashMap::new()))
        );
    }
    assert_eq!(run(fiber::knapsack(&items, 15, &mut HashMap::new())), (15, vec![1, 2, 3, 4]));
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn combinatorics_100_000_deep() {
    const DEEP: u64 = 100_000;
    assert_eq!(run(fiber::binomial(DEEP, 1, &mut HashMap::new())), DEEP as u128);
    assert_eq!(run(fiber::binomial(DEEP, DEEP - 2, &mut HashMap::new())), (DEEP * (DEEP - 1) / 2) as u128);
    // n = 100,000 into parts of size 1: one partition, 100,000 levels.
    assert_eq!(run(fiber::partitions(DEEP as i64, 1, &mut HashMap::new())), 1);
    let items: Vec<(u32, u64)> = (0..DEEP).map(|i| ((i % 7 + 1) as u32, i % 13)).collect();
    let (best, chosen) = run(fiber::knapsack(&items, 3, &mut HashMap::new()));
    let expected = on_big_stack(move || native::knapsack(&items, 3, &mut HashMap::new()));
    assert_eq!((best, chosen), expected);
}
