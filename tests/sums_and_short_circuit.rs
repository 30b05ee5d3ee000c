//! Sums and short-circuit: a tail-recursive sum that must run in one frame, a non-tail sum
//! 10,000,000 deep, and tree recursion through `&&` and `||` that must keep short-circuit
//! evaluation. Each fn is checked against its native twin.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::{Runner, run};
use std::task::Poll;

twins! {
    /// The original's first example: an accumulator sum whose recursive call is in tail position.
    pub fn sum(xs: &[u64], acc: u64) -> u64 {
        if xs.is_empty() {
            return acc;
        }
        sum(&xs[1..], acc.wrapping_add(xs[0]))
    }

    /// The same sum with the addition after the call: one frame per element.
    pub fn sum_after(xs: &[u64]) -> u64 {
        if xs.is_empty() {
            return 0;
        }
        xs[0].wrapping_add(sum_after(&xs[1..]))
    }

    /// A position-sensitive fold (`hash(rest) * 31 + head`), so a wrong order or a skipped
    /// element changes the result, unlike a plain sum.
    pub fn hash(xs: &[u64]) -> u64 {
        if xs.is_empty() {
            return 17;
        }
        hash(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0])
    }

    /// Every value of the tree is even. Logs each node it looks at, so a subtree that `&&` must
    /// skip shows up in the log if it is visited.
    pub fn all_even(t: &Tree) -> bool {
        match t {
            Tree::Leaf => true,
            Tree::Branch(left, value, right) => {
                log("visit", *value) % 2 == 0 && all_even(left) && all_even(right)
            }
        }
    }

    /// Some value of the tree is greater than `limit`: `||` stops at the first one found.
    pub fn any_above(t: &Tree, limit: u64) -> bool {
        match t {
            Tree::Leaf => false,
            Tree::Branch(left, value, right) => {
                any_above(left, limit) || log("visit", *value) > limit || any_above(right, limit)
            }
        }
    }

    /// The two trees have the same shape and values: two recursive calls joined by `&&`, each
    /// of them reached only if everything to its left held.
    pub fn same_tree(a: &Tree, b: &Tree) -> bool {
        match (a, b) {
            (Tree::Leaf, Tree::Leaf) => true,
            (Tree::Branch(al, av, ar), Tree::Branch(bl, bv, br)) => {
                log("compare", *av) == *bv && same_tree(al, bl) && same_tree(ar, br)
            }
            _ => log("shape", false),
        }
    }

    /// Height-balanced (the heights of every node's subtrees differ by at most one), the
    /// original's `balanced`: the heights are compared only when both subtrees are balanced.
    /// (`Tree::height` is a plain loop: a fiber fn cannot call another fiber fn yet.)
    pub fn balanced(t: &Tree) -> bool {
        match t {
            Tree::Leaf => true,
            Tree::Branch(left, _, right) => {
                balanced(left)
                    && balanced(right)
                    && log("heights", left.height().abs_diff(right.height())) <= 1
            }
        }
    }

    pub fn height(t: &Tree) -> u64 {
        match t {
            Tree::Leaf => 0,
            Tree::Branch(left, _, right) => 1 + height(left).max(height(right)),
        }
    }
}

/// A binary tree with an iterative `Drop`, so that a 10,000,000-deep one can be dropped.
pub enum Tree {
    Leaf,
    Branch(Box<Tree>, u64, Box<Tree>),
}

impl Tree {
    fn branch(left: Tree, value: u64, right: Tree) -> Tree {
        Tree::Branch(Box::new(left), value, Box::new(right))
    }

    /// The complete tree of the given height, values numbered in order: 1, 2, 3, ..
    fn complete(height: u32, first: u64) -> Tree {
        if height == 0 {
            return Tree::Leaf;
        }
        let half = (1u64 << (height - 1)) - 1;
        let left = Tree::complete(height - 1, first);
        let right = Tree::complete(height - 1, first + half + 1);
        Tree::branch(left, first + half, right)
    }

    /// A chain of `depth` nodes holding `value`, each the left child of the one above (or the
    /// right child, for `left == false`); the other child is a leaf.
    fn spine(depth: u64, value: u64, left: bool) -> Tree {
        let mut t = Tree::Leaf;
        for _ in 0..depth {
            t = if left { Tree::branch(t, value, Tree::Leaf) } else { Tree::branch(Tree::Leaf, value, t) };
        }
        t
    }

    /// The length of the longest path from the root down to a leaf, in branches.
    fn height(&self) -> u64 {
        let mut deepest = 0;
        let mut stack = vec![(self, 0)];
        while let Some((t, depth)) = stack.pop() {
            if let Tree::Branch(left, _, right) = t {
                stack.push((left, depth + 1));
                stack.push((right, depth + 1));
            } else {
                deepest = deepest.max(depth);
            }
        }
        deepest
    }

    /// Every value of the tree, in order.
    fn values(&self) -> Vec<u64> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        let mut t = self;
        loop {
            while let Tree::Branch(left, _, _) = t {
                stack.push(t);
                t = left;
            }
            let Some(Tree::Branch(_, value, right)) = stack.pop() else { return out };
            out.push(*value);
            t = right;
        }
    }

    /// A copy with `value` of the node at in-order position `at` replaced by `new`.
    fn with_value(&self, at: usize, new: u64) -> Tree {
        let mut position = 0;
        self.map(&mut |v| {
            position += 1;
            if position - 1 == at { new } else { v }
        })
    }

    fn map(&self, f: &mut impl FnMut(u64) -> u64) -> Tree {
        match self {
            Tree::Leaf => Tree::Leaf,
            Tree::Branch(left, value, right) => {
                let left = left.map(f);
                let value = f(*value);
                Tree::branch(left, value, right.map(f))
            }
        }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        if let Tree::Branch(left, _, right) = self {
            stack.push(std::mem::replace(&mut **left, Tree::Leaf));
            stack.push(std::mem::replace(&mut **right, Tree::Leaf));
        }
        while let Some(mut t) = stack.pop() {
            if let Tree::Branch(left, _, right) = &mut t {
                stack.push(std::mem::replace(&mut **left, Tree::Leaf));
                stack.push(std::mem::replace(&mut **right, Tree::Leaf));
            }
        }
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = logged(native);
    let fiber = logged(fiber);
    assert_eq!(native, fiber);
}

/// The plain loops the recursive fns must agree with.
fn loop_sum(xs: &[u64]) -> u64 {
    xs.iter().fold(0, |a, &x| a.wrapping_add(x))
}

fn loop_hash(xs: &[u64]) -> u64 {
    xs.iter().rev().fold(17, |h, &x| h.wrapping_mul(31).wrapping_add(x))
}

/// Inputs of every small length, with values that overflow `u64` when added.
fn small_inputs() -> impl Iterator<Item = Vec<u64>> {
    (0..40u64).map(|n| (0..n).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect())
}

const DEEP: usize = 10_000_000;

fn deep_input() -> Vec<u64> {
    (0..DEEP as u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect()
}

#[test]
fn sums_match_native_and_loops_on_small_inputs() {
    for xs in small_inputs() {
        for acc in [0, 5, u64::MAX] {
            same(|| native::sum(&xs, acc), || run(fiber::sum(&xs, acc)));
            assert_eq!(run(fiber::sum(&xs, acc)), loop_sum(&xs).wrapping_add(acc));
        }
        same(|| native::sum_after(&xs), || run(fiber::sum_after(&xs)));
        assert_eq!(run(fiber::sum_after(&xs)), loop_sum(&xs));
        same(|| native::hash(&xs), || run(fiber::hash(&xs)));
        assert_eq!(run(fiber::hash(&xs)), loop_hash(&xs));
    }
}

#[test]
fn tail_sum_runs_in_one_frame() {
    for xs in small_inputs() {
        let mut runner = Runner::new(fiber::sum(&xs, 1));
        assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(loop_sum(&xs).wrapping_add(1))));
        assert_eq!(runner.peak_depth(), 1, "len {}", xs.len());
        // One step per call: one per element and one for the empty slice.
        assert_eq!(runner.steps(), xs.len() as u64 + 1);
    }
}

#[test]
fn deep_tail_sum() {
    let xs = std::sync::Arc::new(deep_input());
    let expected = loop_sum(&xs);
    let mut runner = Runner::new(fiber::sum(&xs, 0));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(expected)));
    assert_eq!(runner.peak_depth(), 1);
    assert_eq!(runner.steps(), DEEP as u64 + 1);
    assert_eq!(run(fiber::sum(&xs, 3)), expected.wrapping_add(3));
    // Rust does not promise to turn the native twin's tail call into a jump: give it room.
    let native = on_big_stack({
        let xs = xs.clone();
        move || native::sum(&xs, 0)
    });
    assert_eq!(native, expected);
}

#[test]
fn deep_non_tail_sums() {
    let xs = std::sync::Arc::new(deep_input());

    // One frame per call: the DEEP + 1 slices `xs[0..]`, `xs[1..]`, .., `xs[DEEP..]`.
    let mut runner = Runner::new(fiber::sum_after(&xs));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(loop_sum(&xs))));
    assert_eq!(runner.peak_depth(), DEEP + 1);
    assert_eq!(runner.steps(), 2 * DEEP as u64 + 1);

    let mut runner = Runner::new(fiber::hash(&xs));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(loop_hash(&xs))));
    assert_eq!(runner.peak_depth(), DEEP + 1);

    let native = on_big_stack({
        let xs = xs.clone();
        move || (native::sum_after(&xs), native::hash(&xs))
    });
    assert_eq!(native, (loop_sum(&xs), loop_hash(&xs)));
}

/// Trees whose checks stop early in different places: odd values at the root, in the left
/// subtree, in the right one, and none.
fn small_trees() -> Vec<Tree> {
    let mut trees = vec![Tree::Leaf];
    for height in 1..=5 {
        let t = Tree::complete(height, 1);
        let doubled = t.map(&mut |v| v * 2);
        let n = doubled.values().len();
        for at in [0, n / 4, n / 2, 3 * n / 4, n - 1] {
            trees.push(doubled.with_value(at, 7));
        }
        trees.push(doubled);
        trees.push(t);
    }
    for depth in [1, 2, 5] {
        for left in [true, false] {
            trees.push(Tree::spine(depth, 4, left));
            trees.push(Tree::spine(depth, 3, left));
        }
    }
    trees.push(Tree::branch(Tree::spine(3, 2, true), 2, Tree::Leaf));
    trees.push(Tree::branch(Tree::spine(2, 2, true), 2, Tree::spine(1, 2, false)));
    trees
}

#[test]
fn short_circuit_is_kept() {
    let trees = small_trees();
    for t in &trees {
        same(|| native::all_even(t), || run(fiber::all_even(t)));
        same(|| native::balanced(t), || run(fiber::balanced(t)));
        same(|| native::height(t), || run(fiber::height(t)));
        assert_eq!(run(fiber::height(t)), t.height());
        for limit in [0, 3, 10, 100] {
            same(|| native::any_above(t, limit), || run(fiber::any_above(t, limit)));
        }
        for u in &trees {
            same(|| native::same_tree(t, u), || run(fiber::same_tree(t, u)));
        }
    }
}

#[test]
fn short_circuit_skips_the_rest() {
    // The logs are what native code does; these pin down that they are not trivially equal:
    // an odd root ends `all_even` after one visit, whatever is below it.
    let t = Tree::branch(Tree::complete(4, 2), 3, Tree::complete(4, 2));
    let (all, visits) = logged(|| run(fiber::all_even(&t)));
    assert!(!all);
    assert_eq!(visits, ["visit:3"]);
    // An odd value as the leftmost node: the right subtree is never visited.
    let t = Tree::complete(3, 1).map(&mut |v| if v == 1 { 1 } else { v * 2 });
    let (all, visits) = logged(|| run(fiber::all_even(&t)));
    assert!(!all);
    assert_eq!(visits, ["visit:8", "visit:4", "visit:1"]);
    let (above, visits) = logged(|| run(fiber::any_above(&Tree::complete(3, 1), 1)));
    assert!(above);
    assert_eq!(visits, ["visit:1", "visit:2"]);
}

#[test]
fn deep_trees() {
    const DEPTH: u64 = 10_000_000;
    let t = std::sync::Arc::new(Tree::spine(DEPTH, 2, true));
    let mut runner = Runner::new(fiber::all_even(&t));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(true)));
    // The root and one frame per node below it, down to the last leaf.
    assert_eq!(runner.peak_depth(), DEPTH as usize + 1);
    assert!(run(fiber::balanced(&Tree::spine(2, 2, true))));
    assert!(!run(fiber::balanced(&t)));
    assert_eq!(run(fiber::height(&t)), DEPTH);
    assert!(run(fiber::same_tree(&t, &t)));
    let native = on_big_stack({
        let t = t.clone();
        move || (native::all_even(&t), native::height(&t))
    });
    assert_eq!(native, (true, DEPTH));

    // A right spine: `all_even(right)` is the last operand of `&&`.
    let t = Tree::spine(DEPTH, 2, false);
    assert!(run(fiber::all_even(&t)));
    assert!(!run(fiber::any_above(&t, 2)));
}
