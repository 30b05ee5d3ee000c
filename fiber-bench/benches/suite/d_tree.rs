//! D. A tree whose recursion sits in `for c in &node.children`, 1,000,000 deep (a chain: each
//! node has one child, so every level is a resumed loop with a live iterator).

use std::sync::Arc;

use criterion::Criterion;
use fiber_runtime::{Runner, fiber, run};
use reblessive::{Stack, Stk};

use crate::{BigStack, Variant, bench_group, check_all, deep};

pub const DEPTH: usize = 1_000_000;

pub struct Node {
    pub value: u64,
    pub children: Vec<Node>,
}

/// Dropping a million-deep tree natively would overflow the stack: drop it with a loop.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(mut node) = pending.pop() {
            pending.append(&mut node.children);
        }
    }
}

/// A chain `depth` nodes deep.
pub fn chain(depth: usize) -> Node {
    let mut node = Node { value: 1, children: Vec::new() };
    for i in 1..depth as u64 {
        node = Node { value: i.wrapping_mul(0x9E37_79B9_7F4A_7C15), children: vec![node] };
    }
    node
}

fn native(node: &Node) -> u64 {
    let mut total = node.value;
    for c in &node.children {
        total = total.wrapping_mul(31).wrapping_add(native(c));
    }
    total
}

/// The expert's explicit stack: the running node's iterator and total in registers, a 24-byte
/// frame (iterator and total) per level in a `Vec`.
fn explicit(root: &Node) -> u64 {
    let mut stack: Vec<(std::slice::Iter<'_, Node>, u64)> = Vec::new();
    let (mut children, mut total) = (root.children.iter(), root.value);
    loop {
        if let Some(c) = children.next() {
            stack.push((children, total));
            (children, total) = (c.children.iter(), c.value);
            continue;
        }
        let Some((parent_children, parent_total)) = stack.pop() else { return total };
        let ret = total;
        children = parent_children;
        total = parent_total.wrapping_mul(31).wrapping_add(ret);
    }
}

#[fiber]
fn tree_hash(node: &Node) -> u64 {
    let mut total = node.value;
    for c in &node.children {
        total = total.wrapping_mul(31).wrapping_add(tree_hash(c));
    }
    total
}

#[recursive::recursive]
fn with_recursive(node: &Node) -> u64 {
    let mut total = node.value;
    for c in &node.children {
        total = total.wrapping_mul(31).wrapping_add(with_recursive(c));
    }
    total
}

fn with_stacker(node: &Node) -> u64 {
    stacker::maybe_grow(32 * 1024, 1024 * 1024, || {
        let mut total = node.value;
        for c in &node.children {
            total = total.wrapping_mul(31).wrapping_add(with_stacker(c));
        }
        total
    })
}

async fn blessed(stk: &mut Stk, node: &Node) -> u64 {
    let mut total = node.value;
    for c in &node.children {
        total = total.wrapping_mul(31).wrapping_add(stk.run(|stk| blessed(stk, c)).await);
    }
    total
}

pub fn variants() -> Vec<Variant<Node, u64>> {
    vec![
        Variant { name: "native", run: native },
        Variant { name: "explicit", run: explicit },
        Variant { name: "fiber", run: |node| run(tree_hash(node)) },
        Variant { name: "recursive", run: with_recursive },
        Variant { name: "stacker", run: with_stacker },
        Variant { name: "reblessive", run: |node| Stack::new().enter(|stk| blessed(stk, node)).finish() },
    ]
}

/// The fiber's heap stack at its deepest: (bytes, frames).
pub fn fiber_stack(node: &Node) -> (usize, usize) {
    crate::memory::peak_stack(Runner::new(tree_hash(node)))
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    check_all(big, "D", &Arc::new(chain(10_000)), &variants);
    bench_group(c, big, "D_tree_1M", deep, &Arc::new(chain(DEPTH)), &variants);
}
