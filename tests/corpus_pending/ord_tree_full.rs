//! PENDING: the generic search tree of `tests/corpus/ord_tree.rs` with two more methods of its
//! `#[fiber] impl<T: Ord> Node<T>`, natively valid, rejected by `#[fiber]`. Since then a `Box`
//! receiver of a by-value method moves its value out as natively (`into_sorted` compiles), and
//! the group's message names the impl; `fold<A>` remains a documented limit of groups (issue 21,
//! fibers that compose).
//!
//! - `fold<A>(&self, acc: A, f: &mut impl FnMut(A, &T) -> A) -> A`, an in-order fold with a type
//!   parameter of its own (a documented limit of groups; the message says "`#[fiber] mod` group"
//!   though the group is an impl);
//! - `into_sorted(self, out: &mut Vec<T>)`, a consuming in-order walk that destructures `self`
//!   and recurses with `left.into_sorted(out)` on the `Box<Node<T>>` it moved out: the call is
//!   taken for a recursive call (right) but the `Box` receiver is not dereferenced to the by-value
//!   `self` as rustc does natively. `(*left).into_sorted(out)` compiles.
//!
//! Errors (the second one once `fold` is removed):
//!
//! ```text
//! error: a fn of a `#[fiber] mod` group cannot have type or const parameters of its own: the group runs as one machine, at one instantiation
//!        help: make this fn a separate `#[fiber]` fn outside the module, or use concrete types
//!    --> tests/corpus/ord_tree.rs:149:21
//!     |
//! 149 |         pub fn fold<A>(&self, acc: A, f: &mut impl FnMut(A, &T) -> A) -> A {
//!     |                     ^
//!
//! error[E0277]: this call has the name and argument count of a method of the `#[fiber]` impl, but its receiver is a `Box<ord_tree::fiber::Node<T>>`, not a `ord_tree::fiber::Node<T>`
//!    --> tests/corpus/ord_tree.rs:153:22
//!     |
//! 153 |                 left.into_sorted(out);
//!     |                      ^^^^^^^^^^^ taken for a recursive call
//!     |
//!     = help: the trait `fiber_runtime::__private::ReceiverValOf<ord_tree::fiber::Node<T>>` is not implemented for `Box<ord_tree::fiber::Node<T>>`
//!     = note: `#[fiber]` sees no types: it takes every method call with the name and argument count of one of the impl's methods for a recursive call
//!     = note: to call the other type's method, name it through its trait or type (`Iterator::sum(iter)`), or give it a turbofish (`.sum::<i64>()`)
//! ```
//!
//! Reduced (1), a documented limit:
//!
//! ```rust,ignore
//! #[fiber]
//! impl Node {
//!     pub fn fold<A>(&self, acc: A, f: &mut impl FnMut(A, u64) -> A) -> A { /* .. */ }
//!     pub fn size(&self) -> usize { /* .. */ } // any second method
//! }
//! ```
//!
//! Reduced (2), a by-value `self` method called on a `Box<Self>`:
//!
//! ```rust,ignore
//! pub struct L(u64, Option<Box<L>>);
//!
//! #[fiber]
//! impl L {
//!     pub fn sum(self) -> u64 {
//!         let L(v, next) = self;
//!         match next {
//!             Some(next) => v + next.sum(), // E0277: receiver is a `Box<L>`, not a `L`
//!             None => v,
//!         }
//!     }
//! }
//! ```
//!
//! Related, found while reducing (2): moving a field out of a by-value parameter and reading
//! another field after a recursive call, `match self.1 { Some(next) => self.0 + (*next).sum(),
//! None => self.0 }`, fails with `error[E0382]: use of partially moved value: `__fiber_self``;
//! the same with a plain fn:
//!
//! ```rust,ignore
//! #[fiber]
//! fn f(p: (u64, Option<String>)) -> u64 {
//!     match p.1 {
//!         Some(s) => p.0 + f((s.len() as u64, None)), // E0382: use of partially moved value: `p`
//!         None => p.0,
//!     }
//! }
//! ```

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
            n
        }

        pub fn fold<A>(&self, acc: A, f: &mut impl FnMut(A, &T) -> A) -> A {
            let acc = match &self.left {
                Some(left) => left.fold(acc, f),
                None => acc,
            };
            let acc = f(acc, &self.value);
            match &self.right {
                Some(right) => right.fold(acc, f),
                None => acc,
            }
        }

        pub fn into_sorted(self, out: &mut Vec<T>) {
            let Node { value, left, right } = self;
            if let Some(left) = left {
                left.into_sorted(out);
            }
            out.push(value);
            if let Some(right) = right {
                right.into_sorted(out);
            }
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
                    assert_eq!(rn.count_in(p, q), run(rf.count_in(p, q)));
                }
            }
            assert_eq!(rn.min(), run(rf.min()));
            assert_eq!(rn.max(), run(rf.max()));
            assert_eq!(rn.size(), run(rf.size()));
            assert_eq!(rn.height(), run(rf.height()));
            let walk_n = logged(|| rn.fold(Vec::new(), &mut |mut acc, v| {
                acc.push(log("fold", v).clone());
                acc
            }));
            let walk_f = logged(|| run(rf.fold(Vec::new(), &mut |mut acc, v| {
                acc.push(log("fold", v).clone());
                acc
            })));
            assert_eq!(walk_n, walk_f);
        }
        let (mut sorted_n, mut sorted_f) = (Vec::new(), Vec::new());
        if let Some(root) = n.0.take() {
            root.into_sorted(&mut sorted_n);
        }
        if let Some(root) = f.0.take() {
            run(root.into_sorted(&mut sorted_f));
        }
        assert_eq!(sorted_n, sorted_f);
        let mut expected: Vec<_> = values.to_vec();
        expected.sort();
        expected.dedup();
        assert_eq!(sorted_f, expected);
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
    assert_eq!(run(root.fold(0i64, &mut |acc, v| acc + v)), DEEP * (DEEP + 1) / 2);
    let mut sorted = Vec::new();
    run(tree.0.take().unwrap().into_sorted(&mut sorted));
    assert_eq!(sorted, (0..=DEEP).collect::<Vec<_>>());

    let native = on_big_stack(|| {
        let tree = native::Tree(spine(DEEP, |value, right| native::Node { value, left: None, right }));
        let root = tree.0.as_ref().unwrap();
        (root.height(), root.fold(0i64, &mut |acc, v| acc + v), root.floor(&DEEP).copied())
    });
    assert_eq!(native, (DEEP as usize, DEEP * (DEEP - 1) / 2, Some(DEEP - 1)));
}
