//! Forms of the foundation written in an edition-2021 crate, against their native twins, and a
//! recursion 1,000,000 deep.

use fiber_edition2021::{checksum, checksum_loop, log, logged, on_big_stack, twins};
use fiber_runtime::{run, Runner};
use std::task::Poll;

twins! {
    /// `let` with a tuple pattern, a call among other operands, `if` as a value with calls.
    pub fn lets(n: u64) -> u64 {
        if n == 0 {
            return log("base", 1);
        }
        let a = if n % 3 == 0 { lets(n - 1) * 2 } else { log("else", n) + lets(n - 1) };
        let (b, c) = (log("b", a % 1_000), a + n);
        (b + c) % 1_000_003
    }

    /// `match` on a recursive result, guards on the bound values, calls in arms.
    pub fn matches(n: u64) -> u64 {
        match n {
            0 => 0,
            k if k % 2 == 0 => matches(k - 1) + log("even", k),
            k => match matches(k - 1) {
                v if v > 50 => v % 50,
                v => v + 1,
            },
        }
    }

    /// `loop` with `break value`, `while` and `for` around calls, a labeled `continue`.
    pub fn loops(n: u64) -> u64 {
        if n == 0 {
            return 1;
        }
        let mut total = 0;
        let mut i = 0;
        while i < 2 {
            total += loops(n - 1) % 5;
            i += 1;
        }
        'outer: for j in 0..3u64 {
            for k in 0..3u64 {
                if k == j {
                    continue 'outer;
                }
                total += log("jk", j * k);
            }
        }
        let found = loop {
            if log("loop", total) > 3 {
                break total;
            }
            total += loops(n / 2);
        };
        found % 1_000_003
    }

    /// `?` on `Result`, propagated from any depth.
    pub fn checked(n: u64) -> Result<u64, String> {
        if n == 7 {
            return Err(format!("seven"));
        }
        if n == 0 {
            return Ok(0);
        }
        let below = checked(n - 1)?;
        Ok(log("ok", below + 1))
    }

    /// `?` on `Option`, slices of the argument.
    pub fn first_even(xs: &[u64]) -> Option<u64> {
        let (&x, rest) = xs.split_first()?;
        if log("x", x) % 2 == 0 {
            return Some(x);
        }
        Some(first_even(rest)? + 1)
    }

    /// A tail call on `&xs[1..]`.
    pub fn tail_sum(xs: &[u64], acc: u64) -> u64 {
        if xs.is_empty() {
            return acc;
        }
        tail_sum(&xs[1..], acc.wrapping_add(xs[0]))
    }

    /// A generic fn with bounds and a `where` clause.
    pub fn generic_max<T: Copy + Ord>(xs: &[T], best: T) -> T
    where
        T: std::fmt::Debug,
    {
        match xs.split_first() {
            None => best,
            Some((&x, rest)) => generic_max(rest, if log("x", x) > best { x } else { best }),
        }
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = logged(native);
    let fiber = logged(fiber);
    assert_eq!(native, fiber);
}

#[test]
fn small_inputs_match_native() {
    for n in 0..14 {
        same(|| native::lets(n), || run(fiber::lets(n)));
        same(|| native::matches(n), || run(fiber::matches(n)));
        same(|| native::loops(n), || run(fiber::loops(n)));
        same(|| native::checked(n), || run(fiber::checked(n)));
    }
    assert_eq!(run(fiber::checked(6)), Ok(6));
    assert_eq!(run(fiber::checked(9)), Err("seven".to_string()));
    for len in 0..30u64 {
        let xs: Vec<u64> = (0..len).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1).collect();
        same(|| native::tail_sum(&xs, 3), || run(fiber::tail_sum(&xs, 3)));
        same(|| native::first_even(&xs), || run(fiber::first_even(&xs)));
        same(|| native::generic_max(&xs, 0), || run(fiber::generic_max(&xs, 0)));
        let mut with_even = xs.clone();
        with_even.push(4);
        same(|| native::first_even(&with_even), || run(fiber::first_even(&with_even)));
        assert_eq!(run(fiber::first_even(&with_even)), Some(4 + len));
        assert_eq!(run(checksum(&xs)), checksum_loop(&xs));
    }
    let words = ["pear", "apple", "quince", "fig"];
    same(|| native::generic_max(&words, ""), || run(fiber::generic_max(&words, "")));
    assert_eq!(run(fiber::generic_max(&words, "")), "quince");
}

const DEEP: u64 = 1_000_000;

#[test]
fn deep() {
    let xs: Vec<u64> = (0..DEEP).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
    let mut runner = Runner::new(checksum(&xs));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(checksum_loop(&xs))));
    assert_eq!(runner.peak_depth(), DEEP as usize + 1);

    let mut runner = Runner::new(fiber::tail_sum(&xs, 0));
    let expected = xs.iter().fold(0u64, |a, &x| a.wrapping_add(x));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(expected)));
    assert_eq!(runner.peak_depth(), 1);

    assert_eq!(run(fiber::lets(DEEP)), on_big_stack(|| native::lets(DEEP)));
    assert_eq!(run(fiber::matches(DEEP)), on_big_stack(|| native::matches(DEEP)));
    assert_eq!(run(fiber::checked(DEEP)), Err("seven".to_string()));
}
