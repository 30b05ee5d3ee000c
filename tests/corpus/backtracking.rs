//! Backtracking with `&mut Vec` accumulators: permutations (with a `used` mask), combinations
//! (n choose k), the power set, and N-queens with column and diagonal masks.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

twins! {
    pub fn permutations<T: Clone>(items: &[T], used: &mut Vec<bool>, current: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if current.len() == items.len() {
            out.push(current.clone());
            return;
        }
        for i in 0..items.len() {
            if used[i] {
                continue;
            }
            used[i] = true;
            current.push(items[i].clone());
            permutations(items, used, current, out);
            current.pop();
            used[i] = false;
        }
    }

    pub fn combinations(n: usize, k: usize, start: usize, chosen: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if chosen.len() == k {
            out.push(chosen.clone());
            return;
        }
        let still_needed = k - chosen.len();
        for i in start..=n - still_needed {
            chosen.push(i);
            combinations(n, k, i + 1, chosen, out);
            chosen.pop();
        }
    }

    pub fn power_set(items: &[char]) -> Vec<String> {
        let Some((&first, rest)) = items.split_first() else {
            return vec![String::new()];
        };
        let without = power_set(rest);
        let mut all = Vec::with_capacity(without.len() * 2);
        for s in &without {
            all.push(format!("{first}{s}"));
        }
        all.extend(without);
        all
    }

    pub fn queens(n: usize, row: usize, cols: &mut [bool], diag: &mut [bool], anti: &mut [bool], board: &mut Vec<usize>) -> u64 {
        if row == n {
            if board.first() == Some(&0) {
                log("solution", board.clone());
            }
            return 1;
        }
        let mut count = 0;
        for c in 0..n {
            let (d, a) = (row + n - 1 - c, row + c);
            if cols[c] || diag[d] || anti[a] {
                continue;
            }
            cols[c] = true;
            diag[d] = true;
            anti[a] = true;
            board.push(c);
            count += queens(n, row + 1, cols, diag, anti, board);
            board.pop();
            cols[c] = false;
            diag[d] = false;
            anti[a] = false;
        }
        count
    }
}

fn perms_fiber<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    run(fiber::permutations(items, &mut vec![false; items.len()], &mut Vec::new(), &mut out));
    out
}

fn queens_count(n: usize, fiber: bool) -> u64 {
    let (mut cols, mut diag, mut anti) = (vec![false; n], vec![false; 2 * n], vec![false; 2 * n]);
    let mut board = Vec::new();
    if fiber {
        run(fiber::queens(n, 0, &mut cols, &mut diag, &mut anti, &mut board))
    } else {
        native::queens(n, 0, &mut cols, &mut diag, &mut anti, &mut board)
    }
}

#[test]
fn backtracking_matches_native() {
    let items = ['a', 'b', 'c', 'd'];
    let mut out = Vec::new();
    native::permutations(&items, &mut vec![false; 4], &mut Vec::new(), &mut out);
    assert_eq!(out, perms_fiber(&items));
    assert_eq!(out.len(), 24);
    assert_eq!(perms_fiber::<String>(&[]), vec![Vec::<String>::new()]);
    for n in 0..7 {
        for k in 0..=n {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            native::combinations(n, k, 0, &mut Vec::new(), &mut a);
            run(fiber::combinations(n, k, 0, &mut Vec::new(), &mut b));
            assert_eq!(a, b);
        }
    }
    assert_eq!(native::power_set(&items), run(fiber::power_set(&items)));
    for n in 1..9 {
        assert_eq!(logged(|| queens_count(n, false)), logged(|| queens_count(n, true)), "queens {n}");
    }
    assert_eq!(queens_count(8, true), 92);
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn backtracking_100_000_deep() {
    const DEEP: usize = 100_000;
    // Choosing all of 100,000: one combination, one level per element.
    let mut out = Vec::new();
    run(fiber::combinations(DEEP, DEEP, 0, &mut Vec::new(), &mut out));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].len(), DEEP);
    let items: Vec<char> = vec!['x'; 16];
    assert_eq!(run(fiber::power_set(&items)).len(), 1 << 16);
    let native_len = on_big_stack(|| {
        let mut out = Vec::new();
        native::combinations(DEEP, DEEP, 0, &mut Vec::new(), &mut out);
        out[0].len()
    });
    assert_eq!(native_len, DEEP);
}
