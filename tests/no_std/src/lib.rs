//! A `#![no_std]` crate using `fiber-runtime` with `default-features = false`: `#[fiber]` fns,
//! `run`, and a `Runner` with a depth limit, on `core` + `alloc` alone. CI builds it for
//! `thumbv7em-none-eabihf` (no `std` at all) and `wasm32-unknown-unknown`; on the host its tests
//! run the same code.
#![no_std]

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::task::Poll;

use fiber_runtime::{Error, Runner, fiber, run};

/// A tree with boxed children.
pub enum Tree {
    /// A leaf with a value.
    Leaf(u64),
    /// A node with children.
    Node(Vec<Tree>),
}

#[fiber]
impl Tree {
    /// The sum of the leaves, recursively.
    pub fn sum(&self) -> u64 {
        match self {
            Tree::Leaf(v) => *v,
            Tree::Node(children) => {
                let mut total = 0;
                for c in children {
                    total += c.sum();
                }
                total
            }
        }
    }
}

/// Nesting depth of a byte string of `(`.
#[fiber]
pub fn depth(parens: &[u8]) -> Option<usize> {
    match parens.first() {
        Some(b'(') => Some(depth(&parens[1..])? + 1),
        Some(_) => None,
        None => Some(0),
    }
}

/// A chain of `n` nested nodes with a leaf `1` at the bottom.
pub fn chain(n: usize) -> Tree {
    let mut t = Tree::Leaf(1);
    for _ in 0..n {
        t = Tree::Node(alloc::vec![t]);
    }
    t
}

/// Runs `depth` with a limit, a few steps at a time; the result and the steps it took.
pub fn limited_depth(parens: &[u8], limit: usize) -> (Result<Option<usize>, Error>, u64) {
    let mut runner = Runner::new(depth(parens)).max_depth(limit);
    loop {
        if let Poll::Ready(result) = runner.resume(64) {
            return (result, runner.steps());
        }
    }
}

/// The sum of a tree, run to the end.
pub fn sum(tree: &Tree) -> u64 {
    run(tree.sum())
}

/// Dropping deep trees recursively would overflow too: take them apart in a loop.
pub fn dismantle(tree: Tree) {
    let mut todo = alloc::vec![tree];
    while let Some(t) = todo.pop() {
        if let Tree::Node(children) = t {
            todo.extend(children);
        }
    }
}

/// Boxes a value: keeps `alloc::boxed` used whatever the tests do.
pub fn boxed(v: u64) -> Box<u64> {
    Box::new(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works_without_std() {
        let n = if cfg!(miri) { 200 } else { 100_000 };
        let tree = chain(n);
        assert_eq!(sum(&tree), 1);
        dismantle(tree);
        let parens = alloc::vec![b'('; n];
        assert_eq!(limited_depth(&parens, n + 1).0, Ok(Some(n)));
        assert_eq!(limited_depth(&parens, 10).0, Err(Error::DepthLimit { limit: 10 }));
        assert_eq!(*boxed(3), 3);
    }
}
