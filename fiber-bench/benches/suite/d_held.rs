//! D2. The chain of D, 100,000 deep, walked by fns that first collect the children into a local
//! `Vec<&Node>`: one iterates it by reference around the calls (`for c in &kids`, a borrow of a
//! local held across each call, so `#[fiber]` keeps `kids` at one heap address), the other by
//! index (`kids[i]`, nothing held). What holding the borrow costs.

use std::sync::Arc;

use criterion::Criterion;
use fiber_runtime::{fiber, run};

use crate::d_tree::{Node, chain};
use crate::{BigStack, Variant, bench_group, check_all, deep};

pub const DEPTH: usize = 100_000;

fn native(node: &Node) -> u64 {
    let kids: Vec<&Node> = node.children.iter().collect();
    let mut total = node.value;
    for c in &kids {
        total = total.wrapping_mul(31).wrapping_add(native(c));
    }
    total
}

#[allow(clippy::needless_range_loop)]
fn native_by_index(node: &Node) -> u64 {
    let kids: Vec<&Node> = node.children.iter().collect();
    let mut total = node.value;
    for i in 0..kids.len() {
        total = total.wrapping_mul(31).wrapping_add(native_by_index(kids[i]));
    }
    total
}

#[fiber]
fn held(node: &Node) -> u64 {
    let kids: Vec<&Node> = node.children.iter().collect();
    let mut total = node.value;
    for c in &kids {
        total = total.wrapping_mul(31).wrapping_add(held(c));
    }
    total
}

#[fiber]
#[allow(clippy::needless_range_loop)]
fn by_index(node: &Node) -> u64 {
    let kids: Vec<&Node> = node.children.iter().collect();
    let mut total = node.value;
    for i in 0..kids.len() {
        total = total.wrapping_mul(31).wrapping_add(by_index(kids[i]));
    }
    total
}

pub fn variants() -> Vec<Variant<Node, u64>> {
    vec![
        Variant { name: "native", run: native },
        Variant { name: "native_by_index", run: native_by_index },
        Variant { name: "fiber", run: |node| run(held(node)) },
        Variant { name: "fiber_by_index", run: |node| run(by_index(node)) },
    ]
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    check_all(big, "D2", &Arc::new(chain(1_000)), &variants);
    bench_group(c, big, "D2_held_borrow_100k", deep, &Arc::new(chain(DEPTH)), &variants);
}
