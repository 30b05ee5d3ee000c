//! `&mut` arguments passed on to recursive calls, against native twins: DFS with a visited set,
//! backtracking, memoization, quicksort through `split_at_mut`, an accumulator, and recursion
//! into `&mut` children. Small sizes run under Miri too (`.ci/run`).

mod common;

use std::collections::HashMap;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

/// A tree whose nodes the recursion updates in place.
pub struct Node {
    pub hits: u64,
    pub children: Vec<Node>,
}

impl Node {
    fn build(depth: u32, fan: u32) -> Node {
        let children =
            if depth == 0 { Vec::new() } else { (0..fan).map(|_| Node::build(depth - 1, fan)).collect() };
        Node { hits: 0, children }
    }

    /// A path `depth` long, built and dropped without recursion.
    fn path(depth: usize) -> Node {
        let mut node = Node { hits: 0, children: Vec::new() };
        for _ in 0..depth {
            node = Node { hits: 0, children: vec![node] };
        }
        node
    }

    fn total(&self) -> u64 {
        let mut stack = vec![self];
        let mut total = 0;
        while let Some(n) = stack.pop() {
            total += n.hits;
            stack.extend(n.children.iter());
        }
        total
    }
}

/// A document outline: sections with titles and subsections.
pub struct Section {
    pub title: String,
    pub children: Vec<Section>,
}

impl Section {
    /// `fan` subsections per section, `depth` levels below this one.
    fn build(depth: u32, fan: u32) -> Section {
        let children = if depth == 0 {
            Vec::new()
        } else {
            (0..fan)
                .map(|i| {
                    let mut sub = Section::build(depth - 1, fan);
                    sub.title = format!("{depth}.{i}");
                    sub
                })
                .collect()
        };
        Section { title: format!("level {depth}"), children }
    }

    /// A chain `depth` deep, built and dropped without recursion.
    fn chain(depth: usize) -> Section {
        let mut s = Section { title: "leaf".into(), children: Vec::new() };
        for i in 0..depth {
            s = Section { title: i.to_string(), children: vec![s] };
        }
        s
    }
}

impl Drop for Section {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut s) = stack.pop() {
            stack.append(&mut s.children);
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut n) = stack.pop() {
            stack.append(&mut n.children);
        }
    }
}

twins! {
    /// Depth-first search over an adjacency list, marking `visited` and logging the order.
    pub fn dfs(adjacency: &[Vec<usize>], v: usize, visited: &mut Vec<bool>) -> u64 {
        visited[v] = true;
        let mut reached = log("visit", 1);
        for &w in &adjacency[v] {
            if !visited[w] {
                reached += dfs(adjacency, w, visited);
            }
        }
        reached
    }

    /// Backtracking: push, recurse, pop.
    pub fn permutations(items: &[u8], used: &mut Vec<bool>, current: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
        if current.len() == items.len() {
            out.push(current.clone());
            return;
        }
        for i in 0..items.len() {
            if used[i] {
                continue;
            }
            used[i] = true;
            current.push(items[i]);
            permutations(items, used, current, out);
            current.pop();
            used[i] = false;
        }
    }

    /// Memoization in a `&mut HashMap`.
    pub fn fib_memo(n: u64, memo: &mut HashMap<u64, u64>) -> u64 {
        if n < 2 {
            return n;
        }
        if let Some(&known) = memo.get(&n) {
            return known;
        }
        let value = fib_memo(n - 1, memo).wrapping_add(fib_memo(n - 2, memo));
        memo.insert(n, log("memo", value));
        value
    }

    /// Quicksort on `&mut [T]` through `split_at_mut` (Lomuto partition).
    pub fn quicksort<T: Ord + Copy>(xs: &mut [T]) {
        if xs.len() <= 1 {
            return;
        }
        let last = xs.len() - 1;
        let pivot = xs[last];
        let mut store = 0;
        for i in 0..last {
            if xs[i] < pivot {
                xs.swap(i, store);
                store += 1;
            }
        }
        xs.swap(store, last);
        let (left, right) = xs.split_at_mut(store);
        quicksort(left);
        quicksort(&mut right[1..]);
    }

    /// An accumulator `&mut String`, written before and after the call.
    pub fn spell(n: u64, out: &mut String) {
        out.push('(');
        if n > 0 {
            spell(n / 2, out);
            out.push_str(&n.to_string());
        }
        out.push(')');
    }

    /// Recursion into `&mut` children, with the owner used after the loop.
    pub fn bump(node: &mut Node, by: u64) -> u64 {
        node.hits += by;
        let mut count = 1;
        for child in &mut node.children {
            count += bump(child, by + 1);
        }
        node.hits += log("after", count);
        count
    }

    /// A group whose fns pass a `&mut` between them.
    pub mod parity {
        pub fn even(n: u64, trail: &mut Vec<u64>) -> bool {
            trail.push(n);
            if n == 0 { true } else { odd(n - 1, trail) }
        }

        pub fn odd(n: u64, trail: &mut Vec<u64>) -> bool {
            if n == 0 {
                return false;
            }
            let answer = even(n - 1, trail);
            trail.push(n * 10);
            answer
        }
    }

    /// A group where one fn recurses and calls a helper of the group, both writing through the
    /// same `&mut String` (the shape of `fiber-macros/tests/expanded/outline.rs`).
    pub mod outline {
        use super::Section;

        pub fn section(s: &Section, depth: usize, out: &mut String) {
            heading(&s.title, depth, out);
            for sub in &s.children {
                section(sub, depth + 1, out);
            }
        }

        fn heading(title: &str, depth: usize, out: &mut String) {
            out.push_str(&"#".repeat(depth.min(3) + 1));
            out.push(' ');
            out.push_str(title);
            out.push('\n');
        }
    }

    /// The same group's calls written as paths (`self::`, `super::paths::`; difftest seed 4000
    /// found `super::m::h(..)` unresolved in the borrow-checking shadow) and a lone fn calling
    /// itself as `self::`.
    pub mod paths {
        pub fn even(n: u64, trail: &mut Vec<u64>) -> bool {
            trail.push(n);
            if n == 0 { true } else { super::paths::odd(n - 1, trail) }
        }

        pub fn odd(n: u64, trail: &mut Vec<u64>) -> bool {
            if n == 0 {
                return false;
            }
            let answer = self::even(n - 1, trail);
            trail.push(n * 10);
            answer
        }
    }

    /// A `&mut` argument and a later argument that reads through it: natively the reborrow is
    /// two-phase, and the machine reborrows after the other arguments.
    pub fn grow(trail: &mut Vec<u64>, n: u64) -> u64 {
        trail.push(n);
        if n == 0 {
            return trail.len() as u64;
        }
        grow(trail, (trail.len() as u64).min(n - 1)) + 1
    }

    pub fn countdown(n: u64, trail: &mut Vec<u64>) -> u64 {
        trail.push(n);
        if n == 0 { 0 } else { self::countdown(n - 1, trail) + 1 }
    }

    /// `iter_mut()`, and a `&mut` field borrow kept across the calls.
    pub fn bump_iter(node: &mut Node) -> u64 {
        let hits = &mut node.hits;
        *hits += 1;
        let mut count = 0;
        for child in node.children.iter_mut() {
            count += bump_iter(child);
        }
        node.hits += count;
        count + 1
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    assert_eq!(logged(native), logged(fiber));
}

fn graph(n: usize) -> Vec<Vec<usize>> {
    (0..n).map(|v| vec![(v * 7 + 3) % n, (v * 3 + 1) % n, (v + 1) % n]).collect()
}

#[test]
fn dfs_backtracking_memo_match_native() {
    for n in [1, 2, 5, 17] {
        let adjacency = graph(n);
        same(
            || {
                let mut visited = vec![false; n];
                (native::dfs(&adjacency, 0, &mut visited), visited)
            },
            || {
                let mut visited = vec![false; n];
                (run(fiber::dfs(&adjacency, 0, &mut visited)), visited)
            },
        );
    }
    let items = [3u8, 1, 2, 9];
    same(
        || {
            let (mut used, mut current, mut out) = (vec![false; 4], Vec::new(), Vec::new());
            native::permutations(&items, &mut used, &mut current, &mut out);
            out
        },
        || {
            let (mut used, mut current, mut out) = (vec![false; 4], Vec::new(), Vec::new());
            run(fiber::permutations(&items, &mut used, &mut current, &mut out));
            out
        },
    );
    for n in [0, 1, 2, 10, 40] {
        same(|| native::fib_memo(n, &mut HashMap::new()), || run(fiber::fib_memo(n, &mut HashMap::new())));
    }
}

#[test]
fn quicksort_and_accumulators_match_native() {
    let mut seed = 7u64;
    for len in [0usize, 1, 2, 3, 10, 57] {
        let xs: Vec<i32> = (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 40) as i32 % 50
            })
            .collect();
        let (mut a, mut b) = (xs.clone(), xs.clone());
        native::quicksort(&mut a);
        run(fiber::quicksort(&mut b));
        assert_eq!(a, b);
        let mut sorted = xs;
        sorted.sort();
        assert_eq!(a, sorted);
    }
    for n in [0, 1, 9, 100] {
        same(
            || {
                let mut s = String::new();
                native::spell(n, &mut s);
                s
            },
            || {
                let mut s = String::new();
                run(fiber::spell(n, &mut s));
                s
            },
        );
    }
}

#[test]
fn groups_pass_mut_arguments() {
    for n in 0..12 {
        same(
            || {
                let mut trail = Vec::new();
                (native::parity::even(n, &mut trail), trail)
            },
            || {
                let mut trail = Vec::new();
                (run(fiber::parity::even(n, &mut trail)), trail)
            },
        );
        same(
            || {
                let mut trail = Vec::new();
                (
                    native::paths::even(n, &mut trail),
                    native::countdown(n, &mut trail),
                    native::grow(&mut trail, n),
                    trail,
                )
            },
            || {
                let mut trail = Vec::new();
                (
                    run(fiber::paths::even(n, &mut trail)),
                    run(fiber::countdown(n, &mut trail)),
                    run(fiber::grow(&mut trail, n)),
                    trail,
                )
            },
        );
    }
}

#[test]
fn a_group_with_a_helper_writes_through_one_mut_string() {
    for (depth, fan) in [(0, 0), (1, 3), (3, 2)] {
        same(
            || {
                let mut out = String::new();
                native::outline::section(&Section::build(depth, fan), 0, &mut out);
                out
            },
            || {
                let mut out = String::new();
                run(fiber::outline::section(&Section::build(depth, fan), 0, &mut out));
                out
            },
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn a_group_with_a_helper_runs_100_000_deep() {
    const DEEP: usize = 100_000;
    let doc = Section::chain(DEEP);
    let mut out = String::new();
    run(fiber::outline::section(&doc, 0, &mut out));
    let native = on_big_stack(|| {
        let mut out = String::new();
        native::outline::section(&Section::chain(DEEP), 0, &mut out);
        out
    });
    assert_eq!(out.lines().count(), DEEP + 1);
    assert!(out == native, "the fiber's outline differs from the native one");
}

#[test]
fn mut_children_match_native() {
    for (depth, fan) in [(0, 0), (1, 3), (3, 2), (4, 3)] {
        same(
            || {
                let mut t = Node::build(depth, fan);
                (native::bump(&mut t, 1), t.total())
            },
            || {
                let mut t = Node::build(depth, fan);
                (run(fiber::bump(&mut t, 1)), t.total())
            },
        );
        same(
            || {
                let mut t = Node::build(depth, fan);
                (native::bump_iter(&mut t), t.total())
            },
            || {
                let mut t = Node::build(depth, fan);
                (run(fiber::bump_iter(&mut t)), t.total())
            },
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn mut_arguments_a_million_deep() {
    const DEEP: usize = 1_000_000;
    let adjacency: Vec<Vec<usize>> =
        (0..DEEP).map(|v| if v + 1 < DEEP { vec![v + 1] } else { vec![] }).collect();
    let mut visited = vec![false; DEEP];
    assert_eq!(run(fiber::dfs(&adjacency, 0, &mut visited)), DEEP as u64);
    assert!(visited.iter().all(|&v| v));

    let mut t = Node::path(DEEP);
    assert_eq!(run(fiber::bump(&mut t, 1)), DEEP as u64 + 1);
    let expected = on_big_stack(|| {
        let mut t = Node::path(DEEP);
        native::bump(&mut t, 1);
        t.total()
    });
    assert_eq!(t.total(), expected);

    let mut seed = 1u64;
    let mut xs: Vec<u64> = (0..DEEP)
        .map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        })
        .collect();
    run(fiber::quicksort(&mut xs));
    assert!(xs.windows(2).all(|w| w[0] <= w[1]));
}
