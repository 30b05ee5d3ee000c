//! `#[fiber] mod`: mutually recursive fns on one heap stack, against native twins.

mod common;

use std::task::Poll;

use common::{log, logged, on_big_stack};
use fiber_runtime::{Runner, run};

twins! {
    /// Mutual recursion through two fns: a(n) = 2 b(n - 1), b(n) = 3 a(n - 1).
    pub mod ab {
        pub fn a(n: u64) -> u64 {
            if n == 0 { 1 } else { 2 * b(n - 1) % 1_000_000_007 }
        }

        pub fn b(n: u64) -> u64 {
            if n == 0 { 1 } else { 3 * self::a(n - 1) % 1_000_000_007 }
        }
    }

    /// Tail calls between different fns run in constant space.
    pub mod parity {
        pub fn is_even(n: u64) -> bool {
            if n == 0 { true } else { is_odd(n - 1) }
        }

        pub fn is_odd(n: u64) -> bool {
            if n == 0 { false } else { super::parity::is_even(n - 1) }
        }
    }

    /// A recursive-descent parser and evaluator: `expr := term ('+' term)*`,
    /// `term := factor ('*' factor)*`, `factor := digit | '(' expr ')'`. The fns have
    /// different return types; items that are not fns stay as they are.
    pub mod arith {
        use super::log;

        pub const MODULUS: i64 = 1_000_000_007;

        #[derive(Debug, PartialEq)]
        pub struct Parsed {
            pub value: i64,
            pub end: usize,
        }

        pub fn parse(s: &[u8]) -> Option<i64> {
            let parsed = expr(s, 0)?;
            if parsed.end == s.len() { Some(parsed.value) } else { None }
        }

        pub fn expr(s: &[u8], i: usize) -> Option<Parsed> {
            let Parsed { mut value, mut end } = term(s, i)?;
            while end < s.len() && s[end] == b'+' {
                let rhs = super::arith::term(s, end + 1)?;
                value = (value + rhs.value) % MODULUS;
                end = rhs.end;
            }
            Some(Parsed { value, end })
        }

        pub fn term(s: &[u8], i: usize) -> Option<Parsed> {
            let first = factor(s, i)?;
            let (mut value, mut end) = (first.value, first.end);
            while end < s.len() && s[end] == b'*' {
                let rhs = factor(s, end + 1)?;
                value = value * rhs.value % MODULUS;
                end = rhs.end;
            }
            Some(Parsed { value, end })
        }

        pub fn factor(s: &[u8], i: usize) -> Option<Parsed> {
            match *s.get(i)? {
                b'(' => {
                    let inner = expr(s, i + 1)?;
                    if s.get(inner.end) != Some(&b')') {
                        return None;
                    }
                    Some(Parsed { value: inner.value, end: inner.end + 1 })
                }
                c if c.is_ascii_digit() => Some(Parsed { value: log("digit", i64::from(c - b'0')), end: i + 1 }),
                _ => None,
            }
        }
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    assert_eq!(logged(native), logged(fiber));
}

#[test]
fn mutual_recursion_matches_native() {
    assert_eq!(run(fiber::ab::a(10)), 2u64.pow(5) * 3u64.pow(5));
    for n in 0..20 {
        same(|| native::ab::a(n), || run(fiber::ab::a(n)));
        same(|| native::ab::b(n), || run(fiber::ab::b(n)));
        same(|| native::parity::is_odd(n), || run(fiber::parity::is_odd(n)));
    }
    const DEEP: u64 = 1_000_000;
    assert_eq!(run(fiber::ab::a(DEEP)), on_big_stack(|| native::ab::a(DEEP)));
}

#[test]
fn tail_calls_between_fns_run_in_one_frame() {
    let mut runner = Runner::new(fiber::parity::is_even(10_000_000));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(true)));
    assert_eq!(runner.peak_depth(), 1);
    let mut runner = Runner::new(fiber::parity::is_odd(10_000_001));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(true)));
    assert_eq!(runner.peak_depth(), 1);
}

#[test]
fn parser_matches_native() {
    for input in
        ["1", "1+2*3", "(1+2)*3", "((2))*(3+4)+5", "2*(3", "1+", ")", "", "(1)(2)", "9*9*9+(8*(7+6))"]
    {
        same(|| native::arith::parse(input.as_bytes()), || run(fiber::arith::parse(input.as_bytes())));
        same(
            || native::arith::expr(input.as_bytes(), 0).map(|p| (p.value, p.end)),
            || run(fiber::arith::expr(input.as_bytes(), 0)).map(|p| (p.value, p.end)),
        );
    }
    assert_eq!(fiber::arith::MODULUS, native::arith::MODULUS);
}

#[test]
fn parser_on_input_nested_a_million_deep() {
    const DEPTH: usize = 1_000_000;
    let mut input = Vec::with_capacity(DEPTH * 4 + 1);
    input.extend(std::iter::repeat_n(b'(', DEPTH));
    input.push(b'2');
    for _ in 0..DEPTH {
        input.extend_from_slice(b"*2)");
    }
    let expected = {
        let input = input.clone();
        on_big_stack(move || native::arith::parse(&input))
    };
    assert_eq!(run(fiber::arith::parse(&input)), expected);
    assert!(expected.is_some());
}

/// `#[native]` keeps a fn of the group a plain fn: it returns its value, and calls to it are
/// plain calls.
#[fiber_runtime::fiber]
mod collatz {
    #[native]
    pub fn next(n: u64) -> u64 {
        if n % 2 == 0 { n / 2 } else { 3 * n + 1 }
    }

    pub fn steps(n: u64) -> u64 {
        if n == 1 { 0 } else { 1 + steps(next(n)) }
    }
}

#[test]
fn native_fns_stay_native() {
    let next: fn(u64) -> u64 = collatz::next;
    for start in 1..200u64 {
        let mut n = start;
        let mut expected = 0;
        while n != 1 {
            n = next(n);
            expected += 1;
        }
        assert_eq!(run(collatz::steps(start)), expected);
    }
}

/// `#[cfg]` on group fns: a fn that is configured out vanishes with its states.
#[fiber_runtime::fiber]
mod configured {
    pub fn countdown(n: u64) -> u64 {
        if n == 0 { 0 } else { 1 + countdown(n - 1) }
    }

    #[cfg(any())]
    pub fn never(n: u64) -> u64 {
        never(n) + missing_item()
    }

    #[cfg(test)]
    pub fn always(n: u64) -> u64 {
        if n == 0 { 0 } else { 2 + countdown(n - 1) + always(n - 1) * 0 }
    }
}

#[test]
fn configured_fns_vanish_with_their_states() {
    assert_eq!(run(configured::always(10)), 2 + 9);
    assert_eq!(run(configured::countdown(100_000)), 100_000);
}

/// A lifetime named on one fn of a group: the other fns' public fns hold its states, where the
/// name is not declared (the scheme example found it). Trading reference parameters across the fns
/// works once they share it.
#[fiber_runtime::fiber]
mod named_lifetimes {
    pub fn f<'a>(xs: &'a [u64], ys: &'a [u64], n: usize) -> u64 {
        if n == 0 || xs.is_empty() { 0 } else { xs[0] + g(ys, xs, n - 1) }
    }

    pub fn g<'b>(xs: &'b [u64], ys: &'b [u64], n: usize) -> u64 {
        if n == 0 || ys.is_empty() { 0 } else { ys[0] * 2 + f(xs, &ys[1..], n - 1) }
    }
}

#[test]
fn named_lifetimes_in_a_group() {
    fn f(xs: &[u64], ys: &[u64], n: usize) -> u64 {
        if n == 0 || xs.is_empty() { 0 } else { xs[0] + g(ys, xs, n - 1) }
    }
    fn g(xs: &[u64], ys: &[u64], n: usize) -> u64 {
        if n == 0 || ys.is_empty() { 0 } else { ys[0] * 2 + f(xs, &ys[1..], n - 1) }
    }
    let (xs, ys): (Vec<u64>, Vec<u64>) = ((1..50).collect(), (100..160).collect());
    for n in 0..40 {
        assert_eq!(run(named_lifetimes::f(&xs, &ys, n)), f(&xs, &ys, n));
        assert_eq!(run(named_lifetimes::g(&xs, &ys, n)), g(&xs, &ys, n));
    }
}
