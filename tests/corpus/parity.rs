//! Mutual recursion in a `#[fiber] mod`: `is_even`/`is_odd`, and Hofstadter's Female and Male
//! sequences (F(n) = n - M(F(n - 1)), M(n) = n - F(M(n - 1))).

use crate::common::on_big_stack;
use fiber_runtime::run;

twins! {
    pub mod parity {
        pub fn is_even(n: u64) -> bool {
            if n == 0 { true } else { is_odd(n - 1) }
        }

        pub fn is_odd(n: u64) -> bool {
            if n == 0 { false } else { is_even(n - 1) }
        }
    }

    pub mod hofstadter {
        pub fn female(n: u64) -> u64 {
            if n == 0 {
                return 1;
            }
            n - male(female(n - 1))
        }

        pub fn male(n: u64) -> u64 {
            if n == 0 {
                return 0;
            }
            n - female(male(n - 1))
        }
    }
}

#[test]
fn parity_matches_native() {
    for n in 0..50 {
        assert_eq!(native::parity::is_even(n), run(fiber::parity::is_even(n)));
        assert_eq!(native::parity::is_odd(n), run(fiber::parity::is_odd(n)));
    }
    let f: Vec<u64> = (0..20).map(|n| run(fiber::hofstadter::female(n))).collect();
    assert_eq!(f, [1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 8, 8, 9, 9, 10, 11, 11, 12]);
    for n in 0..20 {
        assert_eq!(native::hofstadter::male(n), run(fiber::hofstadter::male(n)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn parity_1_000_000_deep() {
    const DEEP: u64 = 1_000_000;
    assert!(run(fiber::parity::is_even(DEEP)));
    assert!(run(fiber::parity::is_odd(DEEP + 1)));
    let expected = on_big_stack(|| native::parity::is_odd(DEEP));
    assert_eq!(run(fiber::parity::is_odd(DEEP)), expected);
}
