//! E. The recursive-descent parser of the groups issue (`expr := term ('+' term)*`,
//! `term := factor ('*' factor)*`, `factor := digit | '(' expr ')'`, as in tests/groups.rs) on
//! `((..(2*2)*2..)*2)` nested 10,000 and 1,000,000 deep: three frames per level.

use std::sync::Arc;

use criterion::Criterion;
use fiber_runtime::{Runner, fiber, run};
use reblessive::Stack;

use crate::{BigStack, Variant, bench_group, check_all, deep};

pub const SHALLOW: usize = 10_000;
pub const DEEP: usize = 1_000_000;
pub const MODULUS: i64 = 1_000_000_007;

/// `(` × depth, `2`, `*2)` × depth.
pub fn input(depth: usize) -> Arc<[u8]> {
    let mut s = Vec::with_capacity(depth * 4 + 1);
    s.extend(std::iter::repeat_n(b'(', depth));
    s.push(b'2');
    for _ in 0..depth {
        s.extend_from_slice(b"*2)");
    }
    s.into()
}

#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub value: i64,
    pub end: usize,
}

/// The parser as native fns, under `$attr` and with each body wrapped in `$wrap!`.
macro_rules! parser {
    ($name:ident, [$($attr:meta)?], $wrap:ident) => {
        mod $name {
            use super::{MODULUS, Parsed};

            pub fn parse(s: &[u8]) -> Option<i64> {
                let parsed = expr(s, 0)?;
                if parsed.end == s.len() { Some(parsed.value) } else { None }
            }

            $(#[$attr])?
            pub fn expr(s: &[u8], i: usize) -> Option<Parsed> {
                $wrap! {{
                    let Parsed { mut value, mut end } = term(s, i)?;
                    while end < s.len() && s[end] == b'+' {
                        let rhs = term(s, end + 1)?;
                        value = (value + rhs.value) % MODULUS;
                        end = rhs.end;
                    }
                    Some(Parsed { value, end })
                }}
            }

            $(#[$attr])?
            pub fn term(s: &[u8], i: usize) -> Option<Parsed> {
                $wrap! {{
                    let first = factor(s, i)?;
                    let (mut value, mut end) = (first.value, first.end);
                    while end < s.len() && s[end] == b'*' {
                        let rhs = factor(s, end + 1)?;
                        value = value * rhs.value % MODULUS;
                        end = rhs.end;
                    }
                    Some(Parsed { value, end })
                }}
            }

            $(#[$attr])?
            pub fn factor(s: &[u8], i: usize) -> Option<Parsed> {
                $wrap! {{
                    match *s.get(i)? {
                        b'(' => {
                            let inner = expr(s, i + 1)?;
                            if s.get(inner.end) != Some(&b')') {
                                return None;
                            }
                            Some(Parsed { value: inner.value, end: inner.end + 1 })
                        }
                        c if c.is_ascii_digit() => Some(Parsed { value: i64::from(c - b'0'), end: i + 1 }),
                        _ => None,
                    }
                }}
            }
        }
    };
}

macro_rules! plain {
    ($body:block) => {
        $body
    };
}

macro_rules! grow {
    ($body:block) => {
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || $body)
    };
}

parser!(native, [], plain);
parser!(with_recursive, [recursive::recursive], plain);
parser!(with_stacker, [], grow);

#[fiber]
mod fibered {
    use super::{MODULUS, Parsed};

    pub fn parse(s: &[u8]) -> Option<i64> {
        let parsed = expr(s, 0)?;
        if parsed.end == s.len() { Some(parsed.value) } else { None }
    }

    pub fn expr(s: &[u8], i: usize) -> Option<Parsed> {
        let Parsed { mut value, mut end } = term(s, i)?;
        while end < s.len() && s[end] == b'+' {
            let rhs = term(s, end + 1)?;
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
            c if c.is_ascii_digit() => Some(Parsed { value: i64::from(c - b'0'), end: i + 1 }),
            _ => None,
        }
    }
}

mod blessed {
    use super::{MODULUS, Parsed};
    use reblessive::Stk;

    pub async fn parse(stk: &mut Stk, s: &[u8]) -> Option<i64> {
        let parsed = stk.run(|stk| expr(stk, s, 0)).await?;
        if parsed.end == s.len() { Some(parsed.value) } else { None }
    }

    async fn expr(stk: &mut Stk, s: &[u8], i: usize) -> Option<Parsed> {
        let Parsed { mut value, mut end } = stk.run(|stk| term(stk, s, i)).await?;
        while end < s.len() && s[end] == b'+' {
            let rhs = stk.run(|stk| term(stk, s, end + 1)).await?;
            value = (value + rhs.value) % MODULUS;
            end = rhs.end;
        }
        Some(Parsed { value, end })
    }

    async fn term(stk: &mut Stk, s: &[u8], i: usize) -> Option<Parsed> {
        let first = stk.run(|stk| factor(stk, s, i)).await?;
        let (mut value, mut end) = (first.value, first.end);
        while end < s.len() && s[end] == b'*' {
            let rhs = stk.run(|stk| factor(stk, s, end + 1)).await?;
            value = value * rhs.value % MODULUS;
            end = rhs.end;
        }
        Some(Parsed { value, end })
    }

    async fn factor(stk: &mut Stk, s: &[u8], i: usize) -> Option<Parsed> {
        match *s.get(i)? {
            b'(' => {
                let inner = stk.run(|stk| expr(stk, s, i + 1)).await?;
                if s.get(inner.end) != Some(&b')') {
                    return None;
                }
                Some(Parsed { value: inner.value, end: inner.end + 1 })
            }
            c if c.is_ascii_digit() => Some(Parsed { value: i64::from(c - b'0'), end: i + 1 }),
            _ => None,
        }
    }
}

/// A frame of the explicit parser: what a suspended `expr`, `term` or `factor` waits with.
enum Frame {
    /// `expr` waiting for a `term`, with the sum so far.
    Expr(i64),
    /// `term` waiting for a `factor`, with the product so far.
    Term(i64),
    /// `factor` waiting for the `expr` inside parentheses.
    Paren,
}

enum Call {
    Expr,
    Term,
    Factor,
}

/// The expert's explicit stack: the call in progress and the returned `(value, end)` in
/// registers, 16-byte frames in a `Vec`; a failure anywhere fails the whole parse (every
/// caller propagates `None` with `?`), so it returns at once.
fn explicit(s: &[u8]) -> Option<i64> {
    let mut stack: Vec<Frame> = Vec::new();
    let (mut call, mut i) = (Call::Expr, 0);
    loop {
        // Descend until a call returns.
        let (mut value, mut end) = loop {
            match call {
                Call::Expr => {
                    stack.push(Frame::Expr(0));
                    call = Call::Term;
                }
                Call::Term => {
                    stack.push(Frame::Term(1));
                    call = Call::Factor;
                }
                Call::Factor => match *s.get(i)? {
                    b'(' => {
                        stack.push(Frame::Paren);
                        (call, i) = (Call::Expr, i + 1);
                    }
                    c if c.is_ascii_digit() => break (i64::from(c - b'0'), i + 1),
                    _ => return None,
                },
            }
        };
        // Return `(value, end)` to the waiting frames until one calls again.
        loop {
            match stack.pop() {
                None => return if end == s.len() { Some(value) } else { None },
                Some(Frame::Expr(sum)) => {
                    value = (sum + value) % MODULUS;
                    if end < s.len() && s[end] == b'+' {
                        stack.push(Frame::Expr(value));
                        (call, i) = (Call::Term, end + 1);
                        break;
                    }
                }
                Some(Frame::Term(product)) => {
                    value = product * value % MODULUS;
                    if end < s.len() && s[end] == b'*' {
                        stack.push(Frame::Term(value));
                        (call, i) = (Call::Factor, end + 1);
                        break;
                    }
                }
                Some(Frame::Paren) => {
                    if s.get(end) != Some(&b')') {
                        return None;
                    }
                    end += 1;
                }
            }
        }
    }
}

pub fn variants() -> Vec<Variant<[u8], Option<i64>>> {
    vec![
        Variant { name: "native", run: native::parse },
        Variant { name: "explicit", run: explicit },
        Variant { name: "fiber", run: |s| run(fibered::parse(s)) },
        Variant { name: "recursive", run: with_recursive::parse },
        Variant { name: "stacker", run: with_stacker::parse },
        Variant { name: "reblessive", run: |s| Stack::new().enter(|stk| blessed::parse(stk, s)).finish() },
    ]
}

/// The fiber's heap stack at its deepest: (bytes, frames).
pub fn fiber_stack(s: &[u8]) -> (usize, usize) {
    crate::memory::peak_stack(Runner::new(fibered::parse(s)))
}

pub fn bench(c: &mut Criterion, big: &BigStack) {
    let variants = variants();
    for sample in ["1+2*3", "(1+2)*3", "((2))*(3+4)+5", "2*(3", "1+", ")", "", "(1)(2)", "9*9*9+(8*(7+6))"] {
        check_all(big, "E", &Arc::from(sample.as_bytes()), &variants);
    }
    check_all(big, "E", &input(SHALLOW), &variants);
    bench_group(c, big, "E_parser_10k", deep, &input(SHALLOW), &variants);
    bench_group(c, big, "E_parser_1M", deep, &input(DEEP), &variants);
}
