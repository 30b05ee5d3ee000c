//! A generic binary search tree of `Option<Box<Node<T>>>` links as a `#[fiber] impl<T: Ord>
//! Node<T>`: insert through `&mut self` (`match &mut self.left { Some(l) => l.insert(v), None =>
//! .. }`), contains, min and max returning `&T`, floor returning `Option<&T>` (early `return`
//! from nested `if let`s), size, height, and a range count that prunes (logging each visit).
//! Run on `i32` and `String` keys. (An in-order `fold<A>` with a type parameter of its own and a
//! consuming walk `left.into_sorted(out)` on a `Box<Node<T>>` are in
//! `tests/corpus_pending/ord_tree_full.rs`.)

use std::cmp::Ordering;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

twins! {
    shared {
        pub struct Node<T> {
            pub value: T,
            pub left: Option<Box<Node<T>>>,
            pub right: Option<Box<Node<T>>>,
        }

        impl<T> Node<T> {
            pub fn new(value: T) -> Self {
                Node { value, left: None, right: None }
            }
        }

        /// Owns a root; its `Drop` takes the nodes apart iteratively.
        pub struct Tree<T>(pub Option<Box<Node<T>>>);

        impl<T> Drop for Tree<T> {
            fn drop(&mut self) {
                let mut stack: Vec<Box<Node<T>>> = self.0.take().into_iter().collect();
                while let Some(mut node) = stack.pop() {
                    stack.extend(node.left.take());
                    stack.extend(node.right.take());
                }
            }
        }
    }

    impl<T: Ord> Node<T> {
        pub fn insert(&mut self, value: T) -> bool {
            match value.cmp(&self.value) {
                Ordering::Equal => false,
                Ordering::Less => match &mut self.left {
                    Some(left) => left.insert(value),
                    None => {
                        self.left = Some(Box::new(Node::new(value)));
                        true
                    }
                },
                Ordering::Greater => match self.right {
                    Some(ref mut right) => right.insert(value),
                    None => {
                        self.right = Some(Box::new(Node::new(value)));
                        true
                    }
                },
            }
        }

        pub fn contains(&self, value: &T) -> bool {
            match value.cmp(&self.value) {
                Ordering::Equal => true,
                Ordering::Less => match &self.left {
                    Some(left) => left.contains(value),
                    None => false,
                },
                Ordering::Greater => match &self.right {
                    Some(right) => right.contains(value),
                    None => false,
                },
            }
        }

        pub fn min(&self) -> &T {
            match &self.left {
                Some(left) => left.min(),
                None => &self.value,
            }
        }

        pub fn max(&self) -> &T {
            if let Some(right) = &self.right { right.max() } else { &self.value }
        }

        /// The greatest value `<= value`.
        pub fn floor(&self, value: &T) -> Option<&T> {
            match value.cmp(&self.value) {
                Ordering::Equal => Some(&self.value),
                Ordering::Less => match &self.left {
                    Some(left) => left.floor(value),
                    None => None,
                },
                Ordering::Greater => {
                    if let Some(right) = &self.right {
                        if let Some(found) = right.floor(value) {
                            return Some(found);
                        }
                    }
                    Some(&self.value)
                }
            }
        }

        pub fn size(&self) -> usize {
            let mut n = 1;
            if let Some(left) = &self.left {
                n += left.size();
            }
            if let Some(right) = &self.right {
                n += right.size();
            }
            n
        }

        pub fn height(&self) -> usize {
            let left = match &self.left {
                Some(l) => l.height(),
                None => 0,
            };
            let right = match &self.right {
                Some(r) => r.height(),
                None => 0,
            };
            1 + left.max(right)
        }

        /// How many values lie in `lo..=hi`, visiting only the subtrees that can hold some.
        pub fn count_in(&self, lo: &T, hi: &T) -> usize {
            let mut n = 0;
            if *lo < self.value {
                if let Some(left) = &self.left {
                    n += left.count_in(lo, hi);
                }
            }
            if *lo <= self.value && self.value <= *hi {
                n += 1;
            }
            if self.value < *hi {
                if let Some(right) = &self.right {
                    n += right.count_in(lo, hi);
                }
            }
            log("count_in", n)
        }
    }
}

macro_rules! check_twins {
    ($values:expr, $probes:expr) => {{
        let values = $values;
        let probes = $probes;
        let (mut n, mut f) = (native::Tree(None), fiber::Tree(None));
        for v in values.iter().cloned() {
            let added_n = match &mut n.0 {
                Some(root) => root.insert(v.clone()),
                None => {
                    n.0 = Some(Box::new(native::Node::new(v.clone())));
                    true
                }
            };
            let added_f = match &mut f.0 {
                Some(root) => run(root.insert(v)),
                None => {
                    f.0 = Some(Box::new(fiber::Node::new(v)));
                    true
                }
            };
            assert_eq!(added_n, added_f);
        }
        if let (Some(rn), Some(rf)) = (&n.0, &f.0) {
            for p in probes.iter() {
                assert_eq!(rn.contains(p), run(rf.contains(p)));
                assert_eq!(rn.floor(p), run(rf.floor(p)));
                for q in probes.iter() {
                    assert_eq!(logged(|| rn.count_in(p, q)), logged(|| run(rf.count_in(p, q))));
                }
            }
            assert_eq!(rn.min(), run(rf.min()));
            assert_eq!(rn.max(), run(rf.max()));
            assert_eq!(rn.size(), run(rf.size()));
            assert_eq!(rn.height(), run(rf.height()));
        }
        let mut distinct: Vec<_> = values.to_vec();
        distinct.sort();
        distinct.dedup();
        if let Some(rf) = &f.0 {
            assert_eq!(run(rf.size()), distinct.len());
            assert_eq!(Some(run(rf.min())), distinct.first());
            assert_eq!(Some(run(rf.max())), distinct.last());
            assert!(distinct.iter().all(|v| run(rf.contains(v))));
        } else {
            assert!(distinct.is_empty());
        }
    }};
}

#[test]
fn ord_tree_matches_native() {
    check_twins!([50, 30, 70, 20, 40, 60, 80, 30, 65], [0, 20, 35, 50, 66, 80, 99]);
    check_twins!(Vec::<i32>::new(), [1]);
    let words = ["pear", "apple", "fig", "kiwi", "banana", "cherry", "apple", "date"].map(String::from);
    let probes = ["a", "apple", "coconut", "fig", "zebra"].map(String::from);
    check_twins!(words, probes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn ord_tree_random_matches_native(values in prop::collection::vec(-30i32..30, 0..40)) {
        check_twins!(values, (-32..32).step_by(3).collect::<Vec<i32>>());
    }
}

/// A right spine `0, 1, .., n - 1` (every value has a left-empty node), built by hand.
fn spine<N>(n: i64, node: impl Fn(i64, Option<Box<N>>) -> N) -> Option<Box<N>> {
    let mut root = None;
    for v in (0..n).rev() {
        root = Some(Box::new(node(v, root)));
    }
    root
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn ord_tree_100_000_deep() {
    const DEEP: i64 = 100_000;
    let mut tree = fiber::Tree(spine(DEEP, |value, right| fiber::Node { value, left: None, right }));
    let root = tree.0.as_mut().unwrap();
    assert!(run(root.insert(DEEP)));
    assert!(!run(root.insert(DEEP / 2)));
    assert!(run(root.contains(&(DEEP - 1))));
    assert_eq!(run(root.max()), &DEEP);
    assert_eq!(run(root.min()), &0);
    assert_eq!(run(root.floor(&(DEEP + 5))), Some(&DEEP));
    assert_eq!(run(root.size()), DEEP as usize + 1);
    assert_eq!(run(root.height()), DEEP as usize + 1);
    assert_eq!(run(root.count_in(&10, &(DEEP - 10))), DEEP as usize - 19);
    drop(tree);

    let native = on_big_stack(|| {
        let tree = native::Tree(spine(DEEP, |value, right| native::Node { value, left: None, right }));
        let root = tree.0.as_ref().unwrap();
        (root.height(), root.size(), root.floor(&DEEP).copied())
    });
    assert_eq!(native, (DEEP as usize, DEEP as usize, Some(DEEP - 1)));
}
