//! Natively valid shapes that once failed to expand (a macro panic or a rustc error inside the
//! generated code), each against its native twin: same result, same side effects in the same
//! order; then deep where the shape allows.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

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
