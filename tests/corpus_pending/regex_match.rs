//! PENDING: the regular-expression engine of `tests/corpus/regex.rs` with its matcher, `ends`,
//! which computes the set of positions where a match can end. For a concatenation it keeps the
//! current set in `here`, consumes it with `for p in here { next.extend(ends(item, s, p)); }`,
//! and then reassigns it (`here = next;`). Natively valid; with `#[fiber]` rustc reports the
//! reassigned local as used after its move. A local moved before a recursive call and
//! reassigned after it in the same loop (`drop(v); f(..); v = ..;`) now compiles
//! (`tests/valid_shapes.rs`, `refill`); here the call is in a loop nested inside the one that
//! reassigns `here`, and the resumed copy of that inner loop could read `here` again before the
//! assignment, so the frame still keeps it, moved. The parser alone is in `tests/corpus/regex.rs`.
//!
//! Error (rustc, on the fiber twin only):
//!
//! ```text
//! error[E0382]: use of moved value: `here`
//!    --> tests/corpus/regex.rs:168:29
//!     |
//! 168 |                     let mut here = vec![start];
//!     |                         ----^^^^
//!     |                         |   |
//!     |                         |   value used here after move
//!     |                         move occurs because `here` has type `Vec<usize>`, which does not implement the `Copy` trait
//!     |
//!    ::: tests/corpus/../common/mod.rs:76:15
//!     |
//!  76 |             $(#[fiber_runtime::fiber] $item)*
//!     |               -----------------------
//!     |               |
//!     |               inside of this loop
//!     |               `here` moved due to this method call
//!     |
//! note: `into_iter` takes ownership of the receiver `self`, which moves `here`
//! ```
//!
//! Reduced (`f` compiles since the fix above; the second fn still fails):
//!
//! ```rust,ignore
//! #[fiber]
//! pub fn f(n: u64) -> usize {
//!     if n == 0 { return 0; }
//!     let mut v = vec![n];
//!     drop(v);
//!     f(n - 1);
//!     v = Vec::new(); // E0382: use of moved value: `v` (reported at `let mut v`)
//!     v.len()
//! }
//!
//! #[fiber]
//! pub fn g(n: u64) -> usize {
//!     if n == 0 { return 0; }
//!     let mut v = vec![n];
//!     for x in v { g(x - 1); }
//!     v = Vec::new(); // E0382
//!     v.len()
//! }
//! ```


use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug, PartialEq)]
pub enum Regex {
    Lit(char),
    Any,
    Concat(Vec<Regex>),
    Alt(Vec<Regex>),
    Star(Box<Regex>),
    Plus(Box<Regex>),
    Opt(Box<Regex>),
    Group(Box<Regex>),
}

impl Regex {
    /// Moves the children out, leaving leaves behind, for the iterative `Drop`.
    fn take_children(&mut self, out: &mut Vec<Regex>) {
        match self {
            Regex::Lit(_) | Regex::Any => {}
            Regex::Concat(items) | Regex::Alt(items) => out.append(items),
            Regex::Star(inner) | Regex::Plus(inner) | Regex::Opt(inner) | Regex::Group(inner) => {
                out.push(std::mem::replace(&mut **inner, Regex::Any))
            }
        }
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.take_children(&mut stack);
        while let Some(mut re) = stack.pop() {
            re.take_children(&mut stack);
        }
    }
}

twins! {
    shared {
        pub struct Parser {
            chars: Vec<char>,
            pos: usize,
        }

        impl Parser {
            pub fn new(pattern: &str) -> Self {
                Parser { chars: pattern.chars().collect(), pos: 0 }
            }

            fn peek(&self) -> Option<char> {
                self.chars.get(self.pos).copied()
            }

            fn bump(&mut self) -> Option<char> {
                let c = self.peek()?;
                self.pos += 1;
                Some(c)
            }

            fn eat(&mut self, expected: char) -> bool {
                if self.peek() == Some(expected) {
                    self.pos += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    impl Parser {
        pub fn parse(&mut self) -> Result<Regex, String> {
            let re = self.alternation()?;
            if let Some(c) = self.peek() {
                return Err(format!("unexpected `{c}` at {}", self.pos));
            }
            Ok(re)
        }

        fn alternation(&mut self) -> Result<Regex, String> {
            let first = self.concat()?;
            if !self.eat('|') {
                return Ok(first);
            }
            let mut branches = vec![first];
            loop {
                branches.push(self.concat()?);
                if !self.eat('|') {
                    break;
                }
            }
            Ok(Regex::Alt(branches))
        }

        fn concat(&mut self) -> Result<Regex, String> {
            let mut items = Vec::new();
            while let Some(c) = self.peek() {
                if c == '|' || c == ')' {
                    break;
                }
                items.push(self.repeat()?);
            }
            if items.len() == 1 {
                Ok(items.pop().unwrap())
            } else {
                Ok(Regex::Concat(items))
            }
        }

        fn repeat(&mut self) -> Result<Regex, String> {
            let mut re = self.atom()?;
            while let Some(op) = self.peek() {
                re = match op {
                    '*' => Regex::Star(Box::new(re)),
                    '+' => Regex::Plus(Box::new(re)),
                    '?' => Regex::Opt(Box::new(re)),
                    _ => break,
                };
                self.pos += 1;
            }
            Ok(re)
        }

        fn atom(&mut self) -> Result<Regex, String> {
            let start = self.pos;
            let Some(c) = self.bump() else {
                return Err(format!("expected an atom at {start}, found the end"));
            };
            match c {
                '(' => {
                    let inner = self.alternation()?;
                    if !self.eat(')') {
                        return Err(format!("unclosed group opened at {start}"));
                    }
                    Ok(Regex::Group(Box::new(inner)))
                }
                '.' => Ok(Regex::Any),
                '\\' => match self.bump() {
                    Some(escaped) => Ok(Regex::Lit(escaped)),
                    None => Err("dangling `\\` at the end".to_string()),
                },
                '*' | '+' | '?' => Err(format!("nothing to repeat before `{c}` at {start}")),
                c => Ok(Regex::Lit(c)),
            }
        }
    }

        /// The positions (sorted, without duplicates) where a match of `re` starting at `start`
        /// can end.
        pub fn ends(re: &Regex, s: &[char], start: usize) -> Vec<usize> {
            let mut out = match re {
                Regex::Lit(c) if s.get(start) == Some(c) => vec![start + 1],
                Regex::Lit(_) => Vec::new(),
                Regex::Any => {
                    if start < s.len() { vec![start + 1] } else { Vec::new() }
                }
                Regex::Group(inner) => ends(inner, s, start),
                Regex::Concat(items) => {
                    let mut here = vec![start];
                    for item in items {
                        let mut next = Vec::new();
                        for p in here {
                            next.extend(ends(item, s, p));
                        }
                        next.sort_unstable();
                        next.dedup();
                        if next.is_empty() {
                            return next;
                        }
                        here = next;
                    }
                    here
                }
                Regex::Alt(branches) => {
                    let mut all = Vec::new();
                    for b in branches.iter() {
                        all.extend(ends(b, s, start));
                    }
                    all
                }
                Regex::Opt(inner) => {
                    let mut v = ends(inner, s, start);
                    v.push(start);
                    v
                }
                Regex::Star(inner) | Regex::Plus(inner) => {
                    let mut seen = if matches!(re, Regex::Star(_)) { vec![start] } else { Vec::new() };
                    let mut frontier = ends(inner, s, start);
                    while let Some(p) = frontier.pop() {
                        if seen.contains(&p) {
                            continue;
                        }
                        seen.push(p);
                        for q in ends(inner, s, p) {
                            if !seen.contains(&q) {
                                frontier.push(q);
                            }
                        }
                    }
                    seen
                }
            };
            out.sort_unstable();
            out.dedup();
            log("ends", (start, out.len()));
            out
        }
}

fn native_match(pattern: &str, text: &str) -> Result<bool, String> {
    let re = native::Parser::new(pattern).parse()?;
    let s: Vec<char> = text.chars().collect();
    Ok(native::ends(&re, &s, 0).contains(&s.len()))
}

fn fiber_match(pattern: &str, text: &str) -> Result<bool, String> {
    let re = run(fiber::Parser::new(pattern).parse())?;
    let s: Vec<char> = text.chars().collect();
    Ok(run(fiber::ends(&re, &s, 0)).contains(&s.len()))
}

#[test]
fn regex_matches_native() {
    let cases = [
        ("a", "a", Ok(true)),
        ("a", "b", Ok(false)),
        ("ab*c", "abbbc", Ok(true)),
        ("ab*c", "ac", Ok(true)),
        ("ab+c", "ac", Ok(false)),
        ("(a|bc)*d", "abcabcd", Ok(true)),
        ("(a|bc)*d", "abd", Ok(false)),
        ("colou?r", "color", Ok(true)),
        ("colou?r", "colour", Ok(true)),
        (".*x.*", "abcxdef", Ok(true)),
        ("a\\*b", "a*b", Ok(true)),
        ("(a*)*b", "aaaa", Ok(false)),
        ("", "", Ok(true)),
        ("a||b", "", Ok(true)),
        ("((a)(b))+", "ababab", Ok(true)),
        ("(ab", "ab", Err("unclosed group opened at 0".to_string())),
        ("a)", "a", Err("unexpected `)` at 1".to_string())),
        ("*a", "a", Err("nothing to repeat before `*` at 0".to_string())),
        ("ab\\", "ab", Err("dangling `\\` at the end".to_string())),
        ("a|(", "a", Err("unclosed group opened at 2".to_string())),
    ];
    for (pattern, text, expected) in cases {
        let n = logged(|| native_match(pattern, text));
        let f = logged(|| fiber_match(pattern, text));
        assert_eq!(n, f, "{pattern:?} on {text:?}");
        assert_eq!(f.0, expected, "{pattern:?} on {text:?}");
    }
    let tree_n = native::Parser::new("x(a|b+)?.").parse();
    let tree_f = run(fiber::Parser::new("x(a|b+)?.").parse());
    assert_eq!(tree_n, tree_f);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn regex_random_matches_native(pattern in "[ab.()|*+?]{0,10}", text in "[ab]{0,8}") {
        let n = logged(|| native_match(&pattern, &text));
        let f = logged(|| fiber_match(&pattern, &text));
        prop_assert_eq!(n, f);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn regex_100_000_nested_groups() {
    const DEEP: usize = 100_000;
    let pattern = format!("{}a{}b*", "(".repeat(DEEP), ")".repeat(DEEP));
    let s: Vec<char> = "abbb".chars().collect();
    let re = run(fiber::Parser::new(&pattern).parse()).unwrap();
    assert_eq!(run(fiber::ends(&re, &s, 0)), vec![1, 2, 3, 4]);
    let unclosed = format!("{}a", "(".repeat(DEEP));
    assert_eq!(run(fiber::Parser::new(&unclosed).parse()), Err(format!("unclosed group opened at {}", DEEP - 1)));
    let (native, re) = on_big_stack(move || {
        let s: Vec<char> = "abbb".chars().collect();
        let native = native::Parser::new(&pattern).parse().map(|re| native::ends(&re, &s, 0));
        (native, re)
    });
    assert_eq!(native, Ok(vec![1, 2, 3, 4]));
    drop(re);
}
