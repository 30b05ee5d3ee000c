//! Borrows of a fiber fn's own locals held across recursive calls (issue 19, part 2): `for x
//! in &local`, `local.iter()` chains (`enumerate`, `filter`, `chars`, `windows`), `let r =
//! &local;` read after a call, `if let Some(v) = &mut opt`, `match &mut m`, kept `ref mut`
//! bindings, in fns, groups and methods. Such a local is kept at one heap address from its
//! declaration to the end of its scope. Each against its native twin (results, side effects,
//! drops), then 100,000 deep.

mod common;

use common::{Dir, Loud, chain, log, logged, on_big_stack, take_alive};
use fiber_runtime::run;

twins! {
    /// A local `Vec` of the children, iterated by reference around the calls.
    pub fn count(dir: &Dir) -> u64 {
        let kids: Vec<&Dir> = dir.kids.iter().collect();
        let mut total = 1;
        for kid in &kids {
            total += count(kid);
        }
        log("kids", kids.len()) as u64 + total
    }

    /// Loop variables that are references into an argument, borrowed through around the calls:
    /// they stay inline (no allocation).
    pub fn nested(dir: &Dir) -> u64 {
        let mut total = 1;
        for kid in dir.kids.iter() {
            for grandkid in kid.kids.iter() {
                total += nested(grandkid);
            }
            total += log("kid", kid.kids.len()) as u64;
        }
        total
    }

    /// A local built from another by a chain that syntax cannot tell owns its items (`Vec<String>`
    /// collected from a local `String`), iterated around the calls.
    pub fn split_words(text: String, n: usize) -> usize {
        if n == 0 {
            return text.len();
        }
        let parts: Vec<String> = text.split(' ').map(|s| s.to_string()).collect();
        let mut total = 0;
        for (i, p) in parts.iter().enumerate() {
            if i == 0 {
                total += split_words(format!("{} x", p.len() % 10), n - 1) % 1_000_003;
            } else {
                total += log("p", p.len());
            }
        }
        total + parts.len()
    }

    /// `iter().enumerate().filter(..)` over a local, with a loud local beside it.
    pub fn weigh(n: u64) -> u64 {
        if n == 0 {
            return 1;
        }
        let loud = Loud::new(n);
        let parts = vec![n - 1, n / 3, n / 7];
        let mut total = 0;
        for (i, p) in parts.iter().enumerate().filter(|(i, p)| *i == 0 || (**p % 5 == 1 && **p < 30)) {
            total += weigh(*p) * (i as u64 + 1) % 1_000_003;
        }
        log("parts", parts.len()) as u64 + total + loud.0 % 2
    }

    /// `chars()` of a local `String`, one call on the first character.
    pub fn spell(n: u64) -> usize {
        if n == 0 {
            return 0;
        }
        let text = format!("{}", n % 1000);
        let mut total = 0;
        for (i, c) in text.chars().enumerate() {
            if i == 0 {
                total += spell(n - 1);
            } else {
                total += log("c", c) as usize % 7;
            }
        }
        total + text.len()
    }

    /// `windows(2)` of a local, a call on one window.
    pub fn steps(n: u64) -> u64 {
        if n < 2 {
            return n;
        }
        let xs = vec![n, n - 1, n / 2];
        let mut total = 0;
        for w in xs.windows(2) {
            if w[0] == w[1] + 1 {
                total += steps(w[1]);
            } else {
                total += log("w", w[0] - w[1]);
            }
        }
        total % 1_000_003
    }

    /// `let first = &digits;` read after the call.
    pub fn first_digit(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let digits = vec![n % 10, n / 10];
        let first = &digits;
        let below = first_digit(n - 1);
        (below + log("first", first[0])) % 1_000_003
    }

    /// `if let Some(v) = &mut opt`, the call inside, `v` written after it, `opt` taken at the
    /// end (a kept local is moved out of with `take`, as it stays in place).
    pub fn grow(n: u64, out: &mut Vec<u64>) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut extra = Some(vec![n]);
        if let Some(v) = &mut extra {
            let below = grow(n - 1, out);
            v.push(below);
        }
        out.extend(extra.take().unwrap_or_default());
        out.len() as u64 % 1_000_003
    }

    /// `match &mut m`, a call in one arm, the matched fields written after it.
    pub fn tally(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = (n % 3, vec![Loud::new(n)]);
        match &mut m {
            (0, v) => v.clear(),
            (k, v) => {
                *k += tally(n - 1);
                v.push(Loud::new(*k));
            }
        }
        log("m", m.0) + m.1.len() as u64
    }

    /// A kept `ref mut` binding, and one in an `if let`.
    pub fn refs(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut v = vec![n];
        let ref mut r = v;
        r.push(refs(n - 1));
        let mut opt = Some(n);
        if let Some(ref mut x) = opt {
            *x += if n % 1000 == 3 { refs(n / 1000) } else { refs(0) } % 7;
        }
        (r.len() as u64 + log("opt", opt.unwrap_or(0))) % 1_000_003
    }

    /// A parameter taken by value, iterated by reference, and a `Copy` local read by value,
    /// in a format string and as an argument, while a borrow of it is held.
    pub fn owned(v: Vec<u64>, n: u64) -> u64 {
        if n == 0 {
            return v.iter().sum();
        }
        let seen = n % 4;
        let r = &seen;
        let mut total = 0;
        for x in &v {
            if *x == n {
                total += owned(vec![*x % 5, n - 1], n - 1) % 1_000_003;
            } else {
                total += x;
            }
        }
        log("seen", seen) + log("fmt", format!("{seen}/{}/{v:?}", r)).len() as u64 + total
    }
}

/// Methods iterating a local around calls of the group.
pub struct Tree {
    pub kids: Vec<Vec<usize>>,
    pub visits: u64,
}

impl Tree {
    pub fn visit(&mut self, at: usize) -> u64 {
        self.visits += 1;
        let order: Vec<usize> = self.kids[at].iter().rev().copied().collect();
        let mut sum = at as u64;
        for k in order.iter() {
            sum += self.visit(*k);
        }
        log("order", order.len()) as u64 + sum % 1_000_003
    }
}

pub struct FiberTree {
    pub kids: Vec<Vec<usize>>,
    pub visits: u64,
}

#[fiber_runtime::fiber]
impl FiberTree {
    pub fn visit(&mut self, at: usize) -> u64 {
        self.visits += 1;
        let order: Vec<usize> = self.kids[at].iter().rev().copied().collect();
        let mut sum = at as u64;
        for k in order.iter() {
            sum += self.visit(*k);
        }
        log("order", order.len()) as u64 + sum % 1_000_003
    }
}

/// Kids of node `i`: `i + 1` (a chain of `n`) and, every third node, a leaf beyond it.
fn tree_kids(n: usize) -> Vec<Vec<usize>> {
    let mut kids = vec![Vec::new(); n + n / 3 + 1];
    let mut leaf = n;
    for (i, k) in kids.iter_mut().enumerate().take(n) {
        if i + 1 < n {
            k.push(i + 1);
        }
        if i % 3 == 0 {
            k.push(leaf);
            leaf += 1;
        }
    }
    kids
}

/// A `#[fiber] mod` whose fns hold borrows of their locals across calls to each other.
pub mod group_native {
    use super::common::log;

    pub fn even(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let here = vec![n, n % 7];
        let mut t = 0;
        for x in &here {
            if *x == n {
                t += odd(n - 1);
            }
        }
        t + log("even", here[1])
    }

    pub fn odd(n: u64) -> u64 {
        let label = format!("o{n}");
        let held = &label;
        let below = even(n.saturating_sub(1));
        below % 1_000_003 + held.len() as u64
    }
}

#[fiber_runtime::fiber]
pub mod group_fiber {
    use super::common::log;

    pub fn even(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let here = vec![n, n % 7];
        let mut t = 0;
        for x in &here {
            if *x == n {
                t += odd(n - 1);
            }
        }
        t + log("even", here[1])
    }

    pub fn odd(n: u64) -> u64 {
        let label = format!("o{n}");
        let held = &label;
        let below = even(n.saturating_sub(1));
        below % 1_000_003 + held.len() as u64
    }
}

#[test]
fn borrows_held_across_calls_match_native() {
    for depth in 0..6 {
        let dir = chain(depth);
        assert_eq!(logged(|| native::count(&dir)), logged(|| run(fiber::count(&dir))), "count({depth})");
        assert_eq!(logged(|| native::nested(&dir)), logged(|| run(fiber::nested(&dir))), "nested({depth})");
    }
    for n in 0..40 {
        assert_eq!(logged(|| native::weigh(n)), logged(|| run(fiber::weigh(n))), "weigh({n})");
        assert_eq!(take_alive(), 0);
        assert_eq!(logged(|| native::spell(n)), logged(|| run(fiber::spell(n))), "spell({n})");
        let (text, n_words) = (format!("{n} b c"), n as usize);
        let native = logged(|| native::split_words(text.clone(), n_words));
        assert_eq!(native, logged(|| run(fiber::split_words(text, n_words))), "split_words({n})");
        assert_eq!(logged(|| native::steps(n)), logged(|| run(fiber::steps(n))), "steps({n})");
        let native = logged(|| native::first_digit(n));
        assert_eq!(native, logged(|| run(fiber::first_digit(n))), "first_digit({n})");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let native = logged(|| native::grow(n, &mut a));
        assert_eq!((native, a), (logged(|| run(fiber::grow(n, &mut b))), b), "grow({n})");
        assert_eq!(logged(|| native::tally(n)), logged(|| run(fiber::tally(n))), "tally({n})");
        assert_eq!(take_alive(), 0);
        assert_eq!(logged(|| native::refs(n)), logged(|| run(fiber::refs(n))), "refs({n})");
        assert_eq!(logged(|| group_native::even(n)), logged(|| run(group_fiber::even(n))), "even({n})");
    }
    for n in 0..6 {
        let native = logged(|| native::owned(vec![1, n], n));
        assert_eq!(native, logged(|| run(fiber::owned(vec![1, n], n))), "owned({n})");
    }
    for n in 0..12 {
        let mut trees = (Tree { kids: tree_kids(n), visits: 0 }, FiberTree { kids: tree_kids(n), visits: 0 });
        let native = logged(|| trees.0.visit(0));
        assert_eq!(native, logged(|| run(trees.1.visit(0))), "visit({n})");
        assert_eq!(trees.0.visits, trees.1.visits);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn borrows_held_across_calls_100_000_deep() {
    const DEEP: usize = 100_000;
    let deep = DEEP as u64;
    let dir = chain(DEEP);
    assert_eq!(run(fiber::count(&dir)), on_big_stack(|| native::count(&chain(DEEP))));
    assert_eq!(run(fiber::nested(&dir)), on_big_stack(|| native::nested(&chain(DEEP))));
    assert_eq!(run(fiber::weigh(deep)), on_big_stack(move || native::weigh(deep)));
    assert_eq!(take_alive(), 0);
    assert_eq!(run(fiber::spell(deep)), on_big_stack(move || native::spell(deep)));
    let native = on_big_stack(|| native::split_words("a b".into(), DEEP));
    assert_eq!(run(fiber::split_words("a b".into(), DEEP)), native);
    assert_eq!(run(fiber::steps(deep)), on_big_stack(move || native::steps(deep)));
    assert_eq!(run(fiber::first_digit(deep)), on_big_stack(move || native::first_digit(deep)));
    let mut out = Vec::new();
    let native = on_big_stack(move || native::grow(deep, &mut Vec::new()));
    assert_eq!(run(fiber::grow(deep, &mut out)), native);
    assert_eq!(run(fiber::tally(deep)), on_big_stack(move || native::tally(deep)));
    assert_eq!(take_alive(), 0);
    assert_eq!(run(fiber::refs(deep)), on_big_stack(move || native::refs(deep)));
    assert_eq!(run(group_fiber::even(deep)), on_big_stack(move || group_native::even(deep)));
    assert_eq!(run(fiber::owned(vec![deep], deep)), on_big_stack(move || native::owned(vec![deep], deep)));
    let mut tree = FiberTree { kids: tree_kids(DEEP), visits: 0 };
    let native = on_big_stack(|| Tree { kids: tree_kids(DEEP), visits: 0 }.visit(0));
    assert_eq!(run(tree.visit(0)), native);
}
