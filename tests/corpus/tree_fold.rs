//! A generic binary tree `enum Tree<T> { Leaf, Node(Box<Tree<T>>, T, Box<Tree<T>>) }` with a
//! generic fold (`where` clause, `impl Fn` argument), mirror, and a zip of two trees.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug, Clone, PartialEq)]
pub enum Tree<T> {
    Leaf,
    Node(Box<Tree<T>>, T, Box<Tree<T>>),
}

impl<T> Drop for Tree<T> {
    fn drop(&mut self) {
        let Tree::Node(l, _, r) = self else { return };
        let mut stack =
            vec![std::mem::replace(&mut **l, Tree::Leaf), std::mem::replace(&mut **r, Tree::Leaf)];
        while let Some(mut t) = stack.pop() {
            if let Tree::Node(l, _, r) = &mut t {
                stack.push(std::mem::replace(&mut **l, Tree::Leaf));
                stack.push(std::mem::replace(&mut **r, Tree::Leaf));
            }
        }
    }
}

pub fn node<T>(l: Tree<T>, v: T, r: Tree<T>) -> Tree<T> {
    Tree::Node(Box::new(l), v, Box::new(r))
}

twins! {
    pub fn fold<T, A, F>(tree: &Tree<T>, leaf: A, f: &F) -> A
    where
        A: Clone,
        F: Fn(A, &T, A) -> A,
    {
        match tree {
            Tree::Leaf => leaf,
            Tree::Node(left, value, right) => {
                let l = fold(left, leaf.clone(), f);
                let r = fold(right, leaf, f);
                f(l, value, r)
            }
        }
    }

    pub fn mirror<T: Clone>(tree: &Tree<T>) -> Tree<T> {
        match tree {
            Tree::Leaf => Tree::Leaf,
            Tree::Node(l, v, r) => {
                let (r, l) = (mirror(r), mirror(l));
                Tree::Node(Box::new(r), v.clone(), Box::new(l))
            }
        }
    }

    pub fn zip_with<A, B, C>(a: &Tree<A>, b: &Tree<B>, f: &impl Fn(&A, &B) -> C) -> Tree<C> {
        match (a, b) {
            (Tree::Node(al, av, ar), Tree::Node(bl, bv, br)) => {
                let left = zip_with(al, bl, f);
                let value = f(av, bv);
                Tree::Node(Box::new(left), value, Box::new(zip_with(ar, br, f)))
            }
            _ => Tree::Leaf,
        }
    }
}

fn sample() -> Tree<i64> {
    node(
        node(Tree::Leaf, 1, node(Tree::Leaf, 2, Tree::Leaf)),
        3,
        node(node(Tree::Leaf, 4, Tree::Leaf), 5, Tree::Leaf),
    )
}

#[test]
fn tree_fold_matches_native() {
    let t = sample();
    let sum = |l: i64, v: &i64, r: i64| log("sum", l + v + r);
    assert_eq!(logged(|| native::fold(&t, 0, &sum)), logged(|| run(fiber::fold(&t, 0, &sum))));
    let height = |l: usize, _: &i64, r: usize| 1 + l.max(r);
    assert_eq!(run(fiber::fold(&t, 0, &height)), 3);
    let in_order = |l: String, v: &i64, r: String| format!("({l} {v} {r})");
    assert_eq!(native::fold(&t, String::new(), &in_order), run(fiber::fold(&t, String::new(), &in_order)));
    assert_eq!(native::mirror(&t), run(fiber::mirror(&t)));
    let m = run(fiber::mirror(&t));
    let z = |a: &i64, b: &i64| (*a, *b);
    assert_eq!(native::zip_with(&t, &m, &z), run(fiber::zip_with(&t, &m, &z)));
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn tree_fold_100_000_deep() {
    const DEEP: i64 = 100_000;
    let spine = || {
        let mut t = Tree::Leaf;
        for v in 0..DEEP {
            t = if v % 2 == 0 { node(t, v, Tree::Leaf) } else { node(Tree::Leaf, v, t) };
        }
        t
    };
    let t = spine();
    let sum = |l: i64, v: &i64, r: i64| l + v + r;
    assert_eq!(run(fiber::fold(&t, 0, &sum)), DEEP * (DEEP - 1) / 2);
    let m = run(fiber::mirror(&t));
    let z = run(fiber::zip_with(&t, &m, &|a: &i64, b: &i64| a - b));
    assert_eq!(run(fiber::fold(&z, 0, &sum)), 0);
    let expected = on_big_stack(move || {
        let t = spine();
        native::fold(&native::mirror(&t), 0usize, &|l, _, r| 1 + l.max(r))
    });
    assert_eq!(expected, DEEP as usize);
}
