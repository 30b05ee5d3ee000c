//! Borrows of a fiber fn's own locals passed to recursive calls (issue 19, part 1): `f(&local)`,
//! `f(&local[1..])`, `f(local.as_str())`, `f(&local.field)`, in fns, groups and methods, and of
//! temporaries (`f(&[n - 1])`, `f(&mut vec![..])`), held in a local for the call. The local stays in the caller's saved frame, which does not move while the callee runs, and the
//! callee reads it there. Each against its native twin (results, side effects, drops), then
//! 100,000 deep.

mod common;

use common::{Dir, Loud, chain, log, logged, on_big_stack, take_alive};
use fiber_runtime::run;

/// A record whose name a call borrows.
pub struct Entry {
    pub id: u64,
    pub name: String,
}

twins! {
    /// Each node's path built in a local `String` and lent to the children as their prefix
    /// (its length and the name, so that a deep chain's paths stay short).
    pub fn paths(dir: &Dir, prefix: &str, out: &mut Vec<String>) {
        let path = format!("{}/{}", prefix.len(), dir.name);
        for kid in &dir.kids {
            paths(kid, &path, out);
        }
        out.push(log("path", path));
    }

    /// A slice of a local `Vec` lent to the call, the local read after it.
    pub fn suffix_sums(xs: &[u64]) -> u64 {
        if xs.is_empty() {
            return 0;
        }
        let copy: Vec<u64> = xs.iter().take(3).map(|x| x * 2).collect();
        let below = suffix_sums(&copy[1..copy.len().min(3)]) + suffix_sums(&xs[1..]);
        log("copy[0]", copy[0]) + below % 1_000_003
    }

    /// `as_str()` and a field of a local struct lent, with a value that drops loudly.
    pub fn names(n: u64, name: &str) -> usize {
        if n == 0 {
            return name.len();
        }
        let loud = Loud::new(n);
        let entry = Entry { id: n, name: format!("{name}{}", n % 10) };
        let a = names(n - 1, entry.name.as_str());
        let b = if n % 1000 == 3 { names(n / 1000, &entry.name) } else { 0 };
        log("entry.id", entry.id + loud.0) as usize + (a + b) % 1_000_003
    }

    /// A shared borrow of a temporary array.
    pub fn depth(xs: &[u64]) -> u64 {
        if xs[0] == 0 {
            return 0;
        }
        1 + depth(&[xs[0] - 1])
    }

    /// `&mut` borrows of temporaries, after an argument whose side effect comes first.
    pub fn work(v: &mut Vec<u64>, d: u64) -> u64 {
        v.push(d);
        if d == 0 {
            return v.iter().sum();
        }
        let below = work(&mut vec![log("d", d - 1), d / 3], d - 1);
        below + work(&mut Vec::new(), 0) + v.len() as u64
    }

    /// A temporary with drop glue lent to the call: it drops at the end of the `let`, when the
    /// call has returned, as native code drops it.
    pub fn lent_loud(n: u64, loud: &Loud) -> u64 {
        if n == 0 {
            return loud.0;
        }
        let below = lent_loud(n - 1, &Loud::new(n));
        log("after", n) + below
    }
}

/// A `#[fiber] mod` whose fns lend locals to each other.
pub mod group_native {
    use super::common::log;

    pub fn even(n: u64, seen: &str) -> u64 {
        if n == 0 {
            return seen.len() as u64;
        }
        let here = format!("e{}", n % 7);
        odd(n - 1, &here) + log("even", here.len() as u64)
    }

    pub fn odd(n: u64, seen: &str) -> u64 {
        let here = [seen, "o"].concat();
        even(n.saturating_sub(1), here.as_str()) % 1_000_003
    }
}

#[fiber_runtime::fiber]
pub mod group_fiber {
    use super::common::log;

    pub fn even(n: u64, seen: &str) -> u64 {
        if n == 0 {
            return seen.len() as u64;
        }
        let here = format!("e{}", n % 7);
        odd(n - 1, &here) + log("even", here.len() as u64)
    }

    pub fn odd(n: u64, seen: &str) -> u64 {
        let here = [seen, "o"].concat();
        even(n.saturating_sub(1), here.as_str()) % 1_000_003
    }
}

/// Methods lending a local to another method of the group.
pub struct Walker {
    pub visits: u64,
}

impl Walker {
    pub fn walk(&mut self, xs: &[u64]) -> u64 {
        self.visits += 1;
        if xs.len() < 2 {
            return xs.iter().sum();
        }
        let halves: Vec<u64> = xs[..2].iter().map(|x| x / 2).collect();
        self.walk(&halves[1..]) + self.walk(&xs[1..]) % 1_000_003 + log("halves[0]", halves[0])
    }
}

pub struct FiberWalker {
    pub visits: u64,
}

#[fiber_runtime::fiber]
impl FiberWalker {
    pub fn walk(&mut self, xs: &[u64]) -> u64 {
        self.visits += 1;
        if xs.len() < 2 {
            return xs.iter().sum();
        }
        let halves: Vec<u64> = xs[..2].iter().map(|x| x / 2).collect();
        self.walk(&halves[1..]) + self.walk(&xs[1..]) % 1_000_003 + log("halves[0]", halves[0])
    }
}

#[test]
fn borrows_of_locals_passed_to_calls_match_native() {
    for depth in 0..5 {
        let dir = chain(depth);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let native = logged(|| native::paths(&dir, "", &mut a));
        assert_eq!((native, a), (logged(|| run(fiber::paths(&dir, "", &mut b))), b), "paths({depth})");
    }
    for len in 0..9u64 {
        let xs: Vec<u64> = (1..=len).map(|x| x * 7 % 11).collect();
        assert_eq!(logged(|| native::suffix_sums(&xs)), logged(|| run(fiber::suffix_sums(&xs))), "{xs:?}");
        let mut walkers = (Walker { visits: 0 }, FiberWalker { visits: 0 });
        let native = logged(|| walkers.0.walk(&xs));
        assert_eq!(native, logged(|| run(walkers.1.walk(&xs))), "walk {xs:?}");
        assert_eq!(walkers.0.visits, walkers.1.visits);
    }
    for n in 0..10 {
        assert_eq!(logged(|| native::names(n, "x")), logged(|| run(fiber::names(n, "x"))), "names({n})");
        assert_eq!(take_alive(), 0);
        assert_eq!(logged(|| native::depth(&[n])), logged(|| run(fiber::depth(&[n]))), "depth({n})");
        let (mut a, mut b) = (vec![1], vec![1]);
        let native = logged(|| native::work(&mut a, n));
        assert_eq!((native, a), (logged(|| run(fiber::work(&mut b, n))), b), "work({n})");
        let native = logged(|| native::lent_loud(n, &Loud::new(99)));
        assert_eq!(native, logged(|| run(fiber::lent_loud(n, &Loud::new(99)))), "lent_loud({n})");
        assert_eq!(take_alive(), 0);
        let native = logged(|| group_native::even(n, "s"));
        assert_eq!(native, logged(|| run(group_fiber::even(n, "s"))), "even({n})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn borrows_of_locals_passed_to_calls_100_000_deep() {
    const DEEP: usize = 100_000;
    let dir = chain(DEEP);
    let mut out = Vec::new();
    run(fiber::paths(&dir, "", &mut out));
    let native = on_big_stack(|| {
        let mut out = Vec::new();
        native::paths(&chain(DEEP), "", &mut out);
        out
    });
    assert_eq!(out.len(), 2 * DEEP + 1);
    assert!(out == native);
    let xs: Vec<u64> = (0..DEEP as u64).collect();
    let native_xs = xs.clone();
    assert_eq!(run(fiber::suffix_sums(&xs)), on_big_stack(move || native::suffix_sums(&native_xs)));
    assert_eq!(run(fiber::names(DEEP as u64, "x")), on_big_stack(|| native::names(DEEP as u64, "x")));
    assert_eq!(take_alive(), 0);
    assert_eq!(
        run(group_fiber::even(DEEP as u64, "s")),
        on_big_stack(|| group_native::even(DEEP as u64, "s"))
    );
    let deep = DEEP as u64;
    assert_eq!(run(fiber::depth(&[deep])), deep);
    let mut v = Vec::new();
    assert_eq!(run(fiber::work(&mut v, deep)), on_big_stack(move || native::work(&mut Vec::new(), deep)));
    assert_eq!(
        run(fiber::lent_loud(deep, &Loud::new(0))),
        on_big_stack(move || native::lent_loud(deep, &Loud::new(0)))
    );
    assert_eq!(take_alive(), 0);
    let mut walker = FiberWalker { visits: 0 };
    let ones = vec![1u64 << 40; DEEP];
    let native_ones = ones.clone();
    let native = on_big_stack(move || Walker { visits: 0 }.walk(&native_ones));
    assert_eq!(run(walker.walk(&ones)), native);
}
