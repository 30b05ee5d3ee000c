//! Natively valid shapes that once failed to expand (a macro panic or a rustc error inside the
//! generated code), each against its native twin: same result, same side effects in the same
//! order; then deep where the shape allows.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

/// A counter with a `&mut self` method.
pub struct Counter(pub u64);

impl Counter {
    fn bump(&mut self, k: u64) -> u64 {
        self.0 += k;
        self.0
    }
}

twins! {
    /// `while let` whose scrutinee is a `match` holding the recursive call: the loop's `let`
    /// once desugared to a `let .. else` whose initializer ended in `}`, which does not parse.
    /// `rounds` loops before the scrutinee gives `None`, halving `n` each time.
    pub fn halving(i: u64, rounds: u64) -> u64 {
        let mut n = i;
        let mut total = 0;
        let mut done = 0;
        while let Some(k) = match n {
            0 => None,
            _ => Some(halving(n - 1, rounds)),
        } {
            total += log("k", k) % 1_000 + 1;
            done += 1;
            n = if done < rounds { n / 2 } else { 0 };
        }
        total
    }

    /// The same with a `&&` scrutinee: the call runs only when `n > 0`, as native short-circuit
    /// has it.
    pub fn both(i: u64) -> bool {
        let mut n = i;
        let mut all = true;
        while let true = n > 0 && both(n - 1) {
            all = log("all", !all);
            n = 0;
        }
        all
    }

    /// `&mut` of a call's value, as a method argument: `v.append(&mut collect(n - 1))`.
    pub fn collect(n: u64) -> Vec<u64> {
        let mut v = vec![log("n", n)];
        if n > 0 {
            v.append(&mut collect(n - 1));
        }
        v
    }

    /// `&mut` of a call's value, as a fn argument; linear, so it runs deep.
    pub fn reversed(n: u64) -> Vec<u64> {
        let mut v = Vec::new();
        if n > 0 {
            std::mem::swap(&mut v, &mut reversed(n - 1));
        }
        v.push(n);
        v
    }

    /// A `&mut self` method on a call's value, and `&mut` of a field of one.
    pub fn counted(n: u64) -> Counter {
        if n == 0 {
            return Counter(0);
        }
        let mut t = Counter(n * 10);
        std::mem::swap(&mut t.0, &mut counted(n - 1).0);
        log("swapped", t.0);
        let mut v = vec![counted(n - 1).0];
        let bumped = counted(n - 1).bump(log("bump", n));
        v.push(t.0 + bumped);
        Counter(v.iter().sum::<u64>() % 1_000)
    }
}

#[test]
fn while_let_over_a_match_or_a_lazy_boolean_holding_the_call() {
    for i in 0..12 {
        for rounds in 1..4 {
            assert_eq!(
                logged(|| native::halving(i, rounds)),
                logged(|| run(fiber::halving(i, rounds))),
                "halving({i}, {rounds})"
            );
        }
        assert_eq!(logged(|| native::both(i)), logged(|| run(fiber::both(i))), "both({i})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn while_let_over_a_match_holding_the_call_100_000_deep() {
    const DEEP: u64 = 100_000;
    let fiber = run(fiber::halving(DEEP, 1));
    assert_eq!(fiber, on_big_stack(|| native::halving(DEEP, 1)));
    assert_eq!(run(fiber::both(DEEP)), on_big_stack(|| native::both(DEEP)));
}

#[test]
fn mut_borrows_of_a_calls_value() {
    for n in 0..8 {
        assert_eq!(logged(|| native::collect(n)), logged(|| run(fiber::collect(n))), "collect({n})");
        assert_eq!(logged(|| native::reversed(n)), logged(|| run(fiber::reversed(n))), "reversed({n})");
        assert_eq!(logged(|| native::counted(n).0), logged(|| run(fiber::counted(n)).0), "counted({n})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn mut_borrow_of_a_calls_value_100_000_deep() {
    const DEEP: u64 = 100_000;
    let fiber = run(fiber::reversed(DEEP));
    assert_eq!(fiber.len(), DEEP as usize + 1);
    assert!(fiber == on_big_stack(|| native::reversed(DEEP)));
}
