//! Property tests for the native semantics beyond values: `&mut` state threaded through the
//! recursion, early exits (`?` with `From`, `let else`, `return` from loops), drops at the end of
//! scope, and panics at random points. Each property compares results, side-effect logs (drops
//! included) and panic payloads with the native twin's.

mod common;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{Loud, log, logged};
use fiber_runtime::run;
use proptest::collection::vec;
use proptest::prelude::*;

fn id(d: &Loud) -> u64 {
    d.0
}

/// Panics when `step` is `at`.
pub fn maybe_panic(at: u64, step: u64) {
    if at == step {
        panic!("injected at {step}");
    }
}

#[derive(Debug, PartialEq)]
pub struct Small(u8);

impl From<std::num::TryFromIntError> for Small {
    fn from(_: std::num::TryFromIntError) -> Small {
        Small(255)
    }
}

twins! {
    /// Depth-first search over a graph given as adjacency lists, `visited` threaded through.
    pub fn dfs(graph: &[Vec<usize>], at: usize, visited: &mut Vec<bool>, order: &mut Vec<usize>) -> u64 {
        if visited[at] {
            return 0;
        }
        visited[at] = true;
        order.push(log("visit", at));
        let mut reached = 1;
        for &next in &graph[at] {
            reached += dfs(graph, next, visited, order);
        }
        reached
    }

    /// Backtracking: the subsets of `xs` whose sum is `target`, built in one `&mut Vec`.
    pub fn subsets(xs: &[u64], target: u64, chosen: &mut Vec<u64>, found: &mut Vec<Vec<u64>>) {
        if target == 0 {
            found.push(chosen.clone());
            return;
        }
        let Some((&first, rest)) = xs.split_first() else { return };
        if first <= target {
            chosen.push(first);
            subsets(rest, target - first, chosen, found);
            chosen.pop();
        }
        subsets(rest, target, chosen, found);
    }

    /// Memoized count of paths in a grid with walls, the memo in a `&mut HashMap`.
    pub fn paths(walls: &[bool], width: usize, at: usize, memo: &mut HashMap<usize, u64>) -> u64 {
        if at >= walls.len() || walls[at] {
            return 0;
        }
        if at == walls.len() - 1 {
            return 1;
        }
        if let Some(&known) = memo.get(&at) {
            return known;
        }
        let right = if (at + 1) % width != 0 { paths(walls, width, at + 1, memo) } else { 0 };
        let down = paths(walls, width, at + width, memo);
        let total = (right + down) % 1_000_000_007;
        memo.insert(at, log("memo", total));
        total
    }

    /// `?` on `Result` with a `From` conversion and on `Option`, `let else`, and `return`
    /// from a `match` inside a loop.
    pub fn exits(xs: &[i64], depth: u64) -> Result<u64, Small> {
        let Some((&first, rest)) = xs.split_first() else { return Ok(depth) };
        let small: u8 = u8::try_from(first)?;
        let mut total = u64::from(small);
        for (i, &x) in rest.iter().enumerate() {
            match x % 4 {
                0 => return Ok(log("zero", total + exits(&rest[i + 1..], depth + 1)?)),
                1 => total += exits(&rest[i + 1..], depth + 1)? % 7,
                2 if x > 50 => return Err(Small(log("big", x as u8))),
                _ => continue,
            }
        }
        Ok(total)
    }

    /// The same with `Option`.
    pub fn exits_option(xs: &[u64]) -> Option<u64> {
        let (&first, rest) = xs.split_first()?;
        if first == 0 {
            return None;
        }
        let below = exits_option(rest).or(Some(log("none below", first)))?;
        Some(below.wrapping_mul(3) + first)
    }

    /// Values with destructors in several scopes, and a panic at one of the points.
    pub fn noisy(xs: &[u64], at: u64, step: u64) -> u64 {
        let outer = Loud::new(step * 10);
        maybe_panic(at, step);
        let Some((&first, rest)) = xs.split_first() else { return id(&outer) };
        let mut sum = 0;
        for (i, chunk) in rest.chunks(2).enumerate() {
            let inner = Loud::new(step * 10 + 1 + i as u64);
            sum += noisy(chunk, at, step * 3 + i as u64 + 1) + id(&inner) % 3;
            maybe_panic(at, step * 7 + i as u64);
        }
        let later = Loud::new(step * 10 + 9);
        if first % 2 == 0 {
            return sum + id(&later);
        }
        sum + first + noisy(&rest[rest.len().min(1)..], at, step + 100)
    }
}

/// Runs a twin, catching a panic: its result or panic message, its log, and whether every
/// `Loud` it created was dropped exactly once.
fn observe<R>(f: impl FnOnce() -> R) -> (Result<R, String>, Vec<String>, i64) {
    let (result, log) = logged(|| {
        catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        })
    });
    (result, log, common::take_alive())
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = observe(native);
    assert_eq!(native.2, 0, "native: a value was not dropped once");
    let fiber = observe(fiber);
    assert_eq!(fiber, native);
}

/// A graph of `n` nodes with edges from a list of pairs.
fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut graph = vec![Vec::new(); n];
    for &(a, b) in edges {
        graph[a % n].push(b % n);
    }
    graph
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mut_state_dfs(n in 1..60usize, edges in vec((0..60usize, 0..60usize), 0..150), start in 0..60usize) {
        let g = graph(n, &edges);
        same(
            || { let (mut v, mut o) = (vec![false; n], Vec::new()); (native::dfs(&g, start % n, &mut v, &mut o), v, o) },
            || { let (mut v, mut o) = (vec![false; n], Vec::new()); (run(fiber::dfs(&g, start % n, &mut v, &mut o)), v, o) },
        );
    }

    #[test]
    fn mut_state_backtracking(xs in vec(1..20u64, 0..14), target in 0..60u64) {
        same(
            || { let mut found = Vec::new(); native::subsets(&xs, target, &mut Vec::new(), &mut found); found },
            || { let mut found = Vec::new(); run(fiber::subsets(&xs, target, &mut Vec::new(), &mut found)); found },
        );
    }

    #[test]
    fn mut_state_memo(walls in vec(prop::bool::weighted(0.2), 1..120), width in 1..12usize) {
        same(
            || { let mut memo = HashMap::new(); let r = native::paths(&walls, width, 0, &mut memo); (r, memo.len()) },
            || { let mut memo = HashMap::new(); let r = run(fiber::paths(&walls, width, 0, &mut memo)); (r, memo.len()) },
        );
    }

    #[test]
    fn early_exits(xs in vec(-20..300i64, 0..40), ys in vec(0..5u64, 0..40)) {
        same(|| native::exits(&xs, 0), || run(fiber::exits(&xs, 0)));
        same(|| native::exits_option(&ys), || run(fiber::exits_option(&ys)));
    }

    #[test]
    fn drops_and_panics(xs in vec(0..10u64, 0..12), at in prop_oneof![Just(u64::MAX), 0..400u64]) {
        same(|| native::noisy(&xs, at, 0), || run(fiber::noisy(&xs, at, 0)));
    }
}

#[test]
fn panics_are_reported_by_the_test_above() {
    // The property above must see panics at all: find one input whose injected panic fires.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = observe(|| run(fiber::noisy(&[1, 2, 3, 4], 0, 0)));
    std::panic::set_hook(hook);
    assert_eq!(result.0, Err("injected at 0".to_string()));
    assert_eq!(result.2, 0);
}
