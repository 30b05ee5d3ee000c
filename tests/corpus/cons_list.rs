//! A generic persistent cons list `enum List<T> { Nil, Cons(T, Box<List<T>>) }` with a
//! `#[fiber] impl<T: Clone + PartialEq>`: length, nth, map into a new list, append, filter,
//! reversal onto an accumulator (a tail call), and equality.

use crate::common::{Loud, logged, on_big_stack, take_alive};
use fiber_runtime::run;

twins! {
    shared {
        #[derive(Debug)]
        pub enum List<T> {
            Nil,
            Cons(T, Box<List<T>>),
        }

        impl<T> Drop for List<T> {
            fn drop(&mut self) {
                let List::Cons(_, tail) = self else { return };
                let mut next = std::mem::replace(&mut **tail, List::Nil);
                while let List::Cons(_, tail) = &mut next {
                    next = std::mem::replace(&mut **tail, List::Nil);
                }
            }
        }

        impl<T> List<T> {
            pub fn from_vec(v: Vec<T>) -> List<T> {
                let mut list = List::Nil;
                for x in v.into_iter().rev() {
                    list = List::Cons(x, Box::new(list));
                }
                list
            }
        }
    }

    impl<T: Clone + PartialEq> List<T> {
        pub fn length(&self) -> usize {
            match self {
                List::Nil => 0,
                List::Cons(_, tail) => 1 + tail.length(),
            }
        }

        pub fn nth(&self, n: usize) -> Option<&T> {
            match self {
                List::Nil => None,
                List::Cons(head, _) if n == 0 => Some(head),
                List::Cons(_, tail) => tail.nth(n - 1),
            }
        }

        pub fn appended(&self, other: &List<T>) -> List<T> {
            match self {
                List::Nil => other.copied(),
                List::Cons(head, tail) => List::Cons(head.clone(), Box::new(tail.appended(other))),
            }
        }

        pub fn copied(&self) -> List<T> {
            match self {
                List::Nil => List::Nil,
                List::Cons(head, tail) => List::Cons(head.clone(), Box::new(tail.copied())),
            }
        }

        pub fn filtered(&self, keep: &impl Fn(&T) -> bool) -> List<T> {
            let List::Cons(head, tail) = self else {
                return List::Nil;
            };
            let rest = tail.filtered(keep);
            if keep(head) { List::Cons(head.clone(), Box::new(rest)) } else { rest }
        }

        pub fn reversed_onto(&self, acc: List<T>) -> List<T> {
            match self {
                List::Nil => acc,
                List::Cons(head, tail) => tail.reversed_onto(List::Cons(head.clone(), Box::new(acc))),
            }
        }

        pub fn same(&self, other: &List<T>) -> bool {
            match (self, other) {
                (List::Nil, List::Nil) => true,
                (List::Cons(a, at), List::Cons(b, bt)) => a == b && at.same(bt),
                _ => false,
            }
        }
    }
}

#[derive(Clone)]
pub struct Tagged(u64, #[allow(dead_code)] std::rc::Rc<Loud>);

impl PartialEq for Tagged {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

fn to_vec<T: Clone>(mut l: &fiber::List<T>) -> Vec<T> {
    let mut v = Vec::new();
    while let fiber::List::Cons(h, t) = l {
        v.push(h.clone());
        l = t;
    }
    v
}

fn to_vec_n<T: Clone>(mut l: &native::List<T>) -> Vec<T> {
    let mut v = Vec::new();
    while let native::List::Cons(h, t) = l {
        v.push(h.clone());
        l = t;
    }
    v
}

#[test]
fn cons_list_matches_native() {
    for n in 0..8u64 {
        let items: Vec<u64> = (0..n).map(|i| i * 7 % 5).collect();
        let a = native::List::from_vec(items.clone());
        let b = fiber::List::from_vec(items.clone());
        assert_eq!(a.length(), run(b.length()));
        for i in 0..n as usize + 1 {
            assert_eq!(a.nth(i), run(b.nth(i)));
        }
        let ab = a.appended(&a);
        let bb = run(b.appended(&b));
        assert_eq!(to_vec_n(&ab), to_vec(&bb));
        let even = |x: &u64| x % 2 == 0;
        assert_eq!(to_vec_n(&a.filtered(&even)), to_vec(&run(b.filtered(&even))));
        assert_eq!(a.same(&ab), run(b.same(&bb)));
        assert!(run(bb.same(&run(b.appended(&b)))));
        let ra = a.reversed_onto(native::List::Nil);
        let rb = run(b.reversed_onto(fiber::List::Nil));
        assert_eq!(to_vec_n(&ra), to_vec(&rb));
    }
    // Drops of shared elements: same order natively and in the fiber.
    let make = |n: u64| (0..n).map(|i| Tagged(i, std::rc::Rc::new(Loud::new(i)))).collect::<Vec<_>>();
    let (_, log_a) = logged(|| {
        let a = native::List::from_vec(make(5));
        let f = a.filtered(&|t: &Tagged| t.0 % 2 == 1);
        drop(a);
        f.length()
    });
    let (_, log_b) = logged(|| {
        let b = fiber::List::from_vec(make(5));
        let f = run(b.filtered(&|t: &Tagged| t.0 % 2 == 1));
        drop(b);
        run(f.length())
    });
    assert_eq!(log_a, log_b);
    assert_eq!(take_alive(), 0);
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn cons_list_100_000_deep() {
    const DEEP: u64 = 100_000;
    let l = fiber::List::from_vec((0..DEEP).collect());
    assert_eq!(run(l.length()), DEEP as usize);
    assert_eq!(run(l.nth(DEEP as usize - 1)), Some(&(DEEP - 1)));
    let doubled = run(l.appended(&l));
    assert_eq!(run(doubled.length()), 2 * DEEP as usize);
    let odd = run(doubled.filtered(&|x: &u64| x % 2 == 1));
    assert_eq!(run(odd.length()), DEEP as usize);
    let r = run(l.reversed_onto(fiber::List::Nil));
    assert_eq!(run(r.nth(0)), Some(&(DEEP - 1)));
    let expected = on_big_stack(move || {
        native::List::from_vec((0..DEEP).collect()).appended(&native::List::Nil).length()
    });
    assert_eq!(expected, DEEP as usize);
}
