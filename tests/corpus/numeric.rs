//! Number-theory classics: Euclid (remainder and subtractive), extended Euclid, fast modular
//! power, Ackermann (small), McCarthy 91, Collatz lengths with a memo, digits in a base.

use std::collections::HashMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

twins! {
    pub fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }

    /// Dijkstra's subtractive form: as many levels as subtractions.
    pub fn gcd_sub(a: u64, b: u64) -> u64 {
        match a.cmp(&b) {
            std::cmp::Ordering::Equal => a,
            std::cmp::Ordering::Greater => gcd_sub(a - b, b),
            std::cmp::Ordering::Less => gcd_sub(a, b - a),
        }
    }

    /// `(g, x, y)` with `a*x + b*y = g`.
    pub fn ext_gcd(a: i64, b: i64) -> (i64, i64, i64) {
        if b == 0 {
            return (a, 1, 0);
        }
        let (g, x, y) = ext_gcd(b, a % b);
        (g, y, x - (a / b) * y)
    }

    pub fn pow_mod(base: u64, exp: u64, m: u64) -> u64 {
        if exp == 0 {
            return 1 % m;
        }
        let half = pow_mod(base, exp / 2, m);
        let sq = half * half % m;
        if exp % 2 == 1 { sq * (base % m) % m } else { sq }
    }

    pub fn ackermann(m: u64, n: u64) -> u64 {
        match (m, n) {
            (0, n) => n + 1,
            (m, 0) => ackermann(m - 1, 1),
            (m, n) => ackermann(m - 1, ackermann(m, n - 1)),
        }
    }

    pub fn mccarthy(n: i64) -> i64 {
        if n > 100 { n - 10 } else { mccarthy(mccarthy(n + 11)) }
    }

    pub fn collatz_len(n: u64, memo: &mut HashMap<u64, u32>) -> u32 {
        if n == 1 {
            return 1;
        }
        if let Some(&len) = memo.get(&n) {
            return len;
        }
        let next = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        let len = 1 + collatz_len(next, memo);
        memo.insert(n, len);
        len
    }

    pub fn to_base(n: u64, base: u64, out: &mut String) {
        if n >= base {
            to_base(n / base, base, out);
        }
        out.push(log("digit", std::char::from_digit((n % base) as u32, base as u32).unwrap()));
    }
}

#[test]
fn numeric_matches_native() {
    for a in 1..40u64 {
        for b in 1..40 {
            assert_eq!(native::gcd(a, b), run(fiber::gcd(a, b)));
            assert_eq!(native::gcd_sub(a, b), run(fiber::gcd_sub(a, b)));
            let (g, x, y) = run(fiber::ext_gcd(a as i64, b as i64));
            assert_eq!((g, x, y), native::ext_gcd(a as i64, b as i64));
            assert_eq!(a as i64 * x + b as i64 * y, g);
        }
    }
    for (b, e) in [(2, 10), (3, 0), (7, 123_456), (10, 18)] {
        assert_eq!(native::pow_mod(b, e, 1_000_000_007), run(fiber::pow_mod(b, e, 1_000_000_007)));
    }
    for m in 0..4 {
        for n in 0..5 {
            assert_eq!(native::ackermann(m, n), run(fiber::ackermann(m, n)), "A({m}, {n})");
        }
    }
    assert_eq!(run(fiber::ackermann(3, 6)), 509);
    for n in -20..120 {
        assert_eq!(native::mccarthy(n), run(fiber::mccarthy(n)));
    }
    let (mut m1, mut m2) = (HashMap::new(), HashMap::new());
    for n in 1..3_000 {
        assert_eq!(native::collatz_len(n, &mut m1), run(fiber::collatz_len(n, &mut m2)));
    }
    assert_eq!(m1, m2);
    for (n, base) in [(0, 2), (255, 16), (1_000_000, 7), (u64::MAX, 36)] {
        let a = logged(|| {
            let mut s = String::new();
            native::to_base(n, base, &mut s);
            s
        });
        let b = logged(|| {
            let mut s = String::new();
            run(fiber::to_base(n, base, &mut s));
            s
        });
        assert_eq!(a, b);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn numeric_100_000_deep() {
    assert_eq!(run(fiber::gcd_sub(1_000_000, 1)), 1);
    assert_eq!(run(fiber::gcd_sub(300_000, 200_000)), 100_000);
    // A(1, n) = n + 2, with n levels; A(2, n) = 2n + 3.
    assert_eq!(run(fiber::ackermann(1, 100_000)), 100_002);
    assert_eq!(on_big_stack(|| native::ackermann(1, 100_000)), 100_002);
    assert_eq!(run(fiber::ackermann(2, 2_000)), 4_003);
    assert_eq!(run(fiber::mccarthy(-100_000)), 91);
    assert_eq!(on_big_stack(|| native::mccarthy(-100_000)), 91);
}
