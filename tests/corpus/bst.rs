//! A binary search tree of `Option<Box<Node>>` links with free fns: insert (rebuilding the path),
//! contains, height, in-order traversal into a `&mut Vec` (removal, which calls a second fiber
//! fn, is in `tests/corpus_pending/bst_remove.rs`).

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug)]
pub struct Node {
    key: i32,
    left: Link,
    right: Link,
}

pub type Link = Option<Box<Node>>;

/// Iterative, so that a degenerate 100,000-deep tree drops.
impl Drop for Node {
    fn drop(&mut self) {
        let mut stack: Vec<Box<Node>> = self.left.take().into_iter().chain(self.right.take()).collect();
        while let Some(mut n) = stack.pop() {
            stack.extend(n.left.take());
            stack.extend(n.right.take());
        }
    }
}

fn leaf(key: i32) -> Link {
    Some(Box::new(Node { key, left: None, right: None }))
}

twins! {
    pub fn insert(link: Link, key: i32) -> Link {
        match link {
            None => leaf(key),
            Some(mut node) => {
                if key < node.key {
                    node.left = insert(node.left.take(), key);
                } else if key > node.key {
                    node.right = insert(node.right.take(), key);
                }
                Some(node)
            }
        }
    }

    pub fn contains(link: &Link, key: i32) -> bool {
        match link {
            None => false,
            Some(node) if key == node.key => true,
            Some(node) if key < node.key => contains(&node.left, key),
            Some(node) => contains(&node.right, key),
        }
    }

    pub fn height(link: &Link) -> usize {
        match link {
            None => 0,
            Some(node) => 1 + height(&node.left).max(height(&node.right)),
        }
    }

    pub fn in_order(link: &Link, out: &mut Vec<i32>) {
        if let Some(node) = link {
            in_order(&node.left, out);
            out.push(log("visit", node.key));
            in_order(&node.right, out);
        }
    }
}

fn check(keys: &[i32]) {
    let (mut n, mut f): (Link, Link) = (None, None);
    for &k in keys {
        n = native::insert(n, k);
        f = run(fiber::insert(f, k));
    }
    for probe in -5..60 {
        assert_eq!(native::contains(&n, probe), run(fiber::contains(&f, probe)));
    }
    assert_eq!(native::height(&n), run(fiber::height(&f)));
    let walk_n = logged(|| {
        let mut out = Vec::new();
        native::in_order(&n, &mut out);
        out
    });
    let walk_f = logged(|| {
        let mut out = Vec::new();
        run(fiber::in_order(&f, &mut out));
        out
    });
    assert_eq!(walk_n, walk_f);
}

#[test]
fn bst_matches_native() {
    check(&[30, 10, 50, 5, 20, 40, 60, 15, 25, 35]);
    check(&[]);
    check(&[1, 2, 3, 4, 5]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn bst_random_matches_native(keys in prop::collection::vec(0i32..50, 0..40)) {
        check(&keys);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn bst_degenerate_100_000_deep() {
    const DEEP: i32 = 100_000;
    // Built by hand (an insert per key would be quadratic): keys 0..DEEP down the right spine.
    let mut tree: Link = None;
    for key in (0..DEEP).rev() {
        tree = Some(Box::new(Node { key, left: None, right: tree }));
    }
    assert_eq!(run(fiber::height(&tree)), DEEP as usize);
    assert!(run(fiber::contains(&tree, DEEP - 1)));
    let tree = run(fiber::insert(tree, DEEP));
    let mut out = Vec::new();
    run(fiber::in_order(&tree, &mut out));
    assert_eq!(out, (0..=DEEP).collect::<Vec<_>>());
    let (h, tree) = on_big_stack(move || (native::height(&tree), tree));
    assert_eq!(h, DEEP as usize + 1);
    assert_eq!(run(fiber::height(&tree)), h);
}
