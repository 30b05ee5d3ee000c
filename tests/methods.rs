//! `#[fiber] impl`: methods and associated fns on one heap stack, against native twins.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

pub trait Measure {
    fn size(&self) -> usize;
    fn weight(&self, scale: i64) -> i64;
}

twins! {
    shared {
        /// An expression tree: `eval` recurses through `Box<Expr>` children.
        pub enum Expr {
            Num(i64),
            Add(Box<Expr>, Box<Expr>),
            Mul(Box<Expr>, Box<Expr>),
            Neg(Box<Expr>),
        }

        impl Expr {
            /// `-(2 + -(2 + ...))`, `depth` deep, built without recursion.
            pub fn comb(depth: usize) -> Expr {
                let mut e = Expr::Num(1);
                for i in 0..depth {
                    e = if i % 2 == 0 {
                        Expr::Neg(Box::new(e))
                    } else {
                        Expr::Add(Box::new(Expr::Num(2)), Box::new(e))
                    };
                }
                e
            }

            pub fn samples() -> Vec<Expr> {
                use Expr::*;
                let n = |v| Box::new(Num(v));
                vec![
                    Num(3),
                    Add(n(1), n(2)),
                    Mul(Box::new(Add(n(1), n(2))), Box::new(Neg(n(4)))),
                    Neg(Box::new(Mul(n(5), Box::new(Add(n(6), Box::new(Neg(n(7)))))))),
                    Expr::comb(9),
                ]
            }
        }

        pub struct Counted {
            pub hits: u64,
            pub children: Vec<Counted>,
        }

        impl Counted {
            pub fn build(depth: u32) -> Counted {
                let children = if depth == 0 { Vec::new() } else { vec![Counted::build(depth - 1), Counted::build(depth / 2)] };
                Counted { hits: 0, children }
            }

            pub fn path(depth: usize) -> Counted {
                let mut node = Counted { hits: 0, children: Vec::new() };
                for _ in 0..depth {
                    node = Counted { hits: 0, children: vec![node] };
                }
                node
            }
        }

        impl Drop for Counted {
            fn drop(&mut self) {
                let mut stack = std::mem::take(&mut self.children);
                while let Some(mut n) = stack.pop() {
                    stack.append(&mut n.children);
                }
            }
        }

        #[derive(Clone, Copy)]
        pub struct Counter {
            pub total: u64,
        }

        /// A binary search tree.
        pub struct Tree<T> {
            pub value: T,
            pub left: Option<Box<Tree<T>>>,
            pub right: Option<Box<Tree<T>>>,
        }

        impl<T: Ord> Tree<T> {
            /// Plain insertion, without recursion.
            pub fn insert(&mut self, value: T) {
                let mut node = self;
                loop {
                    let next = if value < node.value { &mut node.left } else { &mut node.right };
                    match next {
                        Some(child) => node = child,
                        None => {
                            *next = Some(Box::new(Tree { value, left: None, right: None }));
                            return;
                        }
                    }
                }
            }

            /// Only for the left branch of `contains`, which calls it from a closure.
            pub fn contains_native(&self, value: &T) -> bool {
                let mut node = self;
                loop {
                    let next = match value.cmp(&node.value) {
                        std::cmp::Ordering::Equal => return true,
                        std::cmp::Ordering::Less => &node.left,
                        std::cmp::Ordering::Greater => &node.right,
                    };
                    match next {
                        Some(child) => node = child,
                        None => return false,
                    }
                }
            }
        }

        impl<T> Drop for Tree<T> {
            fn drop(&mut self) {
                let mut stack: Vec<Box<Tree<T>>> = self.left.take().into_iter().chain(self.right.take()).collect();
                while let Some(mut t) = stack.pop() {
                    stack.extend(t.left.take());
                    stack.extend(t.right.take());
                }
            }
        }

        /// Iterative, so that a deep tree drops without recursion.
        impl Drop for Expr {
            fn drop(&mut self) {
                fn children(e: &mut Expr, out: &mut Vec<Expr>) {
                    match e {
                        Expr::Num(_) => {}
                        Expr::Add(a, b) | Expr::Mul(a, b) => {
                            out.push(std::mem::replace(&mut **a, Expr::Num(0)));
                            out.push(std::mem::replace(&mut **b, Expr::Num(0)));
                        }
                        Expr::Neg(a) => out.push(std::mem::replace(&mut **a, Expr::Num(0))),
                    }
                }
                let mut stack = Vec::new();
                children(self, &mut stack);
                while let Some(mut e) = stack.pop() {
                    children(&mut e, &mut stack);
                }
            }
        }
    }

    impl Expr {
        /// Calls as `x.eval()` on `&Box<Expr>`, `Self::eval(x)` and `Expr::eval(x)`.
        pub fn eval(&self) -> i64 {
            match self {
                Expr::Num(n) => log("num", *n),
                Expr::Add(a, b) => a.eval().wrapping_add(b.eval()),
                Expr::Mul(a, b) => a.eval().wrapping_mul(Self::eval(b)),
                Expr::Neg(a) => -Expr::eval(a),
            }
        }

        /// A method calling an associated fn of the group.
        pub fn depth(&self) -> usize {
            match self {
                Expr::Num(_) => 0,
                Expr::Add(a, b) | Expr::Mul(a, b) => 1 + Self::deeper(a.depth(), b.depth()),
                Expr::Neg(a) => 1 + a.depth(),
            }
        }

        pub fn deeper(a: usize, b: usize) -> usize {
            if a > b { a } else { b }
        }

        /// `items.len()` has the name of a group method but another arity: not recursive.
        pub fn len(&self, items: Vec<u8>) -> usize {
            let n = items.len();
            match self {
                Expr::Num(_) => n,
                Expr::Add(a, b) | Expr::Mul(a, b) => a.len(vec![1]) + b.len(Vec::new()) + n,
                Expr::Neg(a) => a.len(items),
            }
        }

    }

    /// A trait impl: the trait fixes the signatures, so each method returns its value and runs
    /// its calls on a heap stack of its own.
    impl Measure for Expr {
        fn size(&self) -> usize {
            match self {
                Expr::Num(_) => 1,
                Expr::Add(a, b) | Expr::Mul(a, b) => 1 + a.size() + b.size(),
                Expr::Neg(a) => 1 + a.size(),
            }
        }

        fn weight(&self, scale: i64) -> i64 {
            match self {
                Expr::Num(n) => log("weight", n * scale + self.size() as i64),
                Expr::Add(a, b) | Expr::Mul(a, b) => a.weight(scale) + Self::weight(b, scale + 1),
                Expr::Neg(a) => -a.weight(scale),
            }
        }
    }

    /// `&mut self` methods that update a tree in place, using `self` after the calls.
    impl Counted {
        pub fn bump(&mut self, by: u64) -> u64 {
            self.hits += by;
            let mut count = 1;
            for child in &mut self.children {
                count += child.bump(by + 1);
            }
            self.hits += log("count", count);
            count
        }

        pub fn total(&self) -> u64 {
            let mut total = self.hits;
            for child in self.children.iter() {
                total += child.total();
            }
            total
        }
    }

    /// A by-value receiver, with a tail call on a new receiver.
    impl Counter {
        pub fn count_down(self, n: u64) -> u64 {
            if n == 0 {
                return self.total;
            }
            Counter { total: self.total.wrapping_mul(31).wrapping_add(log("n", n)) }.count_down(n - 1)
        }
    }

    /// A `&mut self` method call whose arguments read the receiver, which native code allows
    /// (the receiver's `&mut` autoref is a two-phase borrow; difftest seed 4001 found the
    /// borrow-checking shadow rejecting it with E0503).
    impl Counter {
        pub fn climb(&mut self, n: u64, seen: u64) -> u64 {
            if n == 0 {
                return seen;
            }
            self.total = self.total.wrapping_mul(3).wrapping_add(log("n", n));
            let below = self.climb(n - 1, self.total);
            below.wrapping_add(self.total)
        }

        /// The same through a path call, whose `&mut` argument is reborrowed natively after
        /// the arguments that read it (Miri found the machine doing it the other way around).
        pub fn climb_path(&mut self, n: u64, seen: u64) -> u64 {
            if n == 0 {
                return seen;
            }
            self.total = self.total.wrapping_mul(5).wrapping_add(log("n", n));
            let below = Self::climb_path(self, n - 1, self.total);
            below.wrapping_add(self.total)
        }
    }

    /// A generic impl with a `where` clause.
    impl<T> Tree<T>
    where
        T: Ord,
    {
        pub fn contains(&self, value: &T) -> bool {
            match value.cmp(&self.value) {
                std::cmp::Ordering::Equal => true,
                std::cmp::Ordering::Less => self.left.as_ref().is_some_and(|l| l.contains_native(value)),
                std::cmp::Ordering::Greater => match &self.right {
                    Some(right) => right.contains(value),
                    None => false,
                },
            }
        }

        /// `&mut self`, recursing into a `&mut Box` child: a tail call.
        pub fn insert_rec(&mut self, value: T) {
            let next = if value < self.value { &mut self.left } else { &mut self.right };
            match next {
                Some(child) => child.insert_rec(value),
                None => *next = Some(Box::new(Tree { value, left: None, right: None })),
            }
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
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    assert_eq!(logged(native), logged(fiber));
}

#[test]
fn methods_match_native() {
    for (n, f) in native::Expr::samples().iter().zip(&fiber::Expr::samples()) {
        same(|| n.eval(), || run(f.eval()));
        same(|| n.depth(), || run(f.depth()));
        same(|| n.len(vec![1, 2]), || run(f.len(vec![1, 2])));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn methods_run_a_million_deep() {
    const DEEP: usize = 1_000_000;
    let e = fiber::Expr::comb(DEEP);
    assert_eq!(run(e.depth()), DEEP);
    let expected = on_big_stack(|| native::Expr::comb(DEEP).eval());
    assert_eq!(run(e.eval()), expected);
}

#[test]
fn by_value_receivers_and_generic_impls_match_native() {
    for n in 0..10 {
        same(
            || native::Counter { total: 1 }.count_down(n),
            || run(fiber::Counter { total: 1 }.count_down(n)),
        );
        same(
            || {
                let mut c = native::Counter { total: 1 };
                (c.climb(n, 0), c.total)
            },
            || {
                let mut c = fiber::Counter { total: 1 };
                (run(c.climb(n, 0)), c.total)
            },
        );
        same(
            || {
                let mut c = native::Counter { total: 1 };
                (c.climb_path(n, 0), c.total)
            },
            || {
                let mut c = fiber::Counter { total: 1 };
                (run(c.climb_path(n, 0)), c.total)
            },
        );
    }
    let values = [50, 20, 70, 10, 30, 60, 80, 25, 27, 26];
    let mut native_tree = native::Tree { value: 40, left: None, right: None };
    let mut fiber_tree = fiber::Tree { value: 40, left: None, right: None };
    for v in values {
        native_tree.insert(v);
        fiber_tree.insert(v);
    }
    for probe in 0..100 {
        same(|| native_tree.contains(&probe), || run(fiber_tree.contains(&probe)));
    }
    same(|| native_tree.height(), || run(fiber_tree.height()));
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn degenerate_generic_tree_a_million_deep() {
    const DEEP: u64 = 1_000_000;
    let mut tree = fiber::Tree { value: 0u64, left: None, right: None };
    let mut last = &mut tree;
    for v in 1..DEEP {
        last.right = Some(Box::new(fiber::Tree { value: v, left: None, right: None }));
        last = last.right.as_mut().unwrap();
    }
    assert!(run(tree.contains(&(DEEP - 1))));
    assert!(!run(tree.contains(&DEEP)));
    run(tree.insert_rec(DEEP));
    assert!(run(tree.contains(&DEEP)));
    assert_eq!(run(tree.height()), DEEP as usize + 1);
    let mut runner = fiber_runtime::Runner::new(fiber::Counter { total: 0 }.count_down(DEEP));
    assert!(runner.resume(u64::MAX).is_ready());
    assert_eq!(runner.peak_depth(), 1);
}

#[test]
fn trait_impls_match_native() {
    for (n, f) in native::Expr::samples().iter().zip(&fiber::Expr::samples()) {
        same(|| n.size(), || f.size());
        same(|| n.weight(3), || f.weight(3));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn trait_impls_run_their_own_heap_stack() {
    const DEEP: usize = 1_000_000;
    let expected = on_big_stack(|| {
        let e = native::Expr::comb(DEEP);
        (e.size(), e.weight(2))
    });
    let deep = fiber::Expr::comb(DEEP);
    assert_eq!((deep.size(), Measure::weight(&deep, 2)), expected);
}

#[test]
fn mut_self_methods_match_native() {
    for depth in 0..6 {
        same(
            || {
                let mut t = native::Counted::build(depth);
                (t.bump(1), t.total())
            },
            || {
                let mut t = fiber::Counted::build(depth);
                (run(t.bump(1)), run(t.total()))
            },
        );
    }
    let values = [50, 20, 70, 10, 30, 60, 80, 25, 27, 26];
    let mut native_tree = native::Tree { value: 40, left: None, right: None };
    let mut fiber_tree = fiber::Tree { value: 40, left: None, right: None };
    for v in values {
        native_tree.insert_rec(v);
        run(fiber_tree.insert_rec(v));
    }
    for probe in 0..100 {
        same(|| native_tree.contains(&probe), || run(fiber_tree.contains(&probe)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn mut_self_a_million_deep() {
    const DEEP: usize = 1_000_000;
    let mut t = fiber::Counted::path(DEEP);
    assert_eq!(run(t.bump(1)), DEEP as u64 + 1);
    let expected = on_big_stack(|| {
        let mut t = native::Counted::path(DEEP);
        t.bump(1);
        t.total()
    });
    assert_eq!(run(t.total()), expected);

    // A degenerate (list-shaped) generic tree, grown by the recursive insert one level at a time.
    let mut tree = fiber::Tree { value: 0u64, left: None, right: None };
    let mut runner_peak = 0;
    for v in 1..2_000u64 {
        let mut runner = fiber_runtime::Runner::new(tree.insert_rec(v));
        assert!(runner.resume(u64::MAX).is_ready());
        runner_peak = runner_peak.max(runner.peak_depth());
    }
    assert_eq!(runner_peak, 1, "insert_rec tail-calls down the tree in one frame");
    assert_eq!(run(tree.height()), 2_000);
}
