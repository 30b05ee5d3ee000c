//! A parser of regular-expression syntax (`|`, concatenation, postfix `*` `+` `?`, groups, `.`,
//! `\` escapes): a recursive descent as `&mut self` methods of a `Parser` (alternation -> concat
//! -> repeat -> atom -> alternation), each returning `Result<Regex, String>` through `?`, with
//! `while let` over peeked chars, `let ... else`, and a `match` that `break`s out of the loop.
//! (The matcher, which reassigns a `Vec` it consumed in a `for` around a recursive call, is in
//! `tests/corpus_pending/regex_match.rs`.)

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
                    log("group", start);
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
                c => Ok(Regex::Lit(log("lit", c))),
            }
        }
    }
}

/// An s-expression rendering, for the small trees of the tests.
fn render(re: &Regex) -> String {
    let list = |tag: &str, items: &[Regex]| {
        let parts: Vec<String> = items.iter().map(render).collect();
        format!("({tag} {})", parts.join(" "))
    };
    match re {
        Regex::Lit(c) => c.to_string(),
        Regex::Any => ".".to_string(),
        Regex::Concat(items) => list("cat", items),
        Regex::Alt(items) => list("alt", items),
        Regex::Star(inner) => format!("(* {})", render(inner)),
        Regex::Plus(inner) => format!("(+ {})", render(inner)),
        Regex::Opt(inner) => format!("(? {})", render(inner)),
        Regex::Group(inner) => format!("(grp {})", render(inner)),
    }
}

fn both(pattern: &str) -> Result<String, String> {
    let n = logged(|| native::Parser::new(pattern).parse());
    let f = logged(|| run(fiber::Parser::new(pattern).parse()));
    assert_eq!(n, f, "{pattern:?}");
    f.0.as_ref().map(render).map_err(Clone::clone)
}

#[test]
fn regex_parser_matches_native() {
    let ok = |s: &str| Ok(s.to_string());
    let err = |s: &str| Err(s.to_string());
    assert_eq!(both("a"), ok("a"));
    assert_eq!(both("ab*c"), ok("(cat a (* b) c)"));
    assert_eq!(both("(a|bc)*d"), ok("(cat (* (grp (alt a (cat b c)))) d)"));
    assert_eq!(both("colou?r"), ok("(cat c o l o (? u) r)"));
    assert_eq!(both(".+x?*"), ok("(cat (+ .) (* (? x)))"));
    assert_eq!(both("a\\*b"), ok("(cat a * b)"));
    assert_eq!(both(""), ok("(cat )"));
    assert_eq!(both("a||b"), ok("(alt a (cat ) b)"));
    assert_eq!(both("((a)(b))+"), ok("(+ (grp (cat (grp a) (grp b))))"));
    assert_eq!(both("(ab"), err("unclosed group opened at 0"));
    assert_eq!(both("a)"), err("unexpected `)` at 1"));
    assert_eq!(both("*a"), err("nothing to repeat before `*` at 0"));
    assert_eq!(both("ab\\"), err("dangling `\\` at the end"));
    assert_eq!(both("a|("), err("unclosed group opened at 2"));
    assert_eq!(both("x(y"), err("unclosed group opened at 1"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn regex_parser_random_matches_native(pattern in "[ab.()|*+?\\\\]{0,14}") {
        both(&pattern).ok();
    }
}

/// How many groups are nested at the top, and the leaf under them (iteratively).
fn group_depth(mut re: &Regex) -> (usize, &Regex) {
    let mut depth = 0;
    while let Regex::Group(inner) = re {
        depth += 1;
        re = inner;
    }
    (depth, re)
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn regex_100_000_nested_groups() {
    const DEEP: usize = 100_000;
    let pattern = format!("{}a{}", "(".repeat(DEEP), ")".repeat(DEEP));
    let re = run(fiber::Parser::new(&pattern).parse()).unwrap();
    assert!(matches!(group_depth(&re), (DEEP, Regex::Lit('a'))));
    let unclosed = format!("{}a", "(".repeat(DEEP));
    assert_eq!(
        run(fiber::Parser::new(&unclosed).parse()).unwrap_err(),
        format!("unclosed group opened at {}", DEEP - 1)
    );
    let starred = format!("{}b*{}", "(".repeat(DEEP), ")*".repeat(DEEP));
    let re = run(fiber::Parser::new(&starred).parse()).unwrap();
    let Regex::Star(inner) = &re else { panic!("not a star") };
    assert!(matches!(group_depth(inner), (1, Regex::Star(_))));
    let depth = on_big_stack(move || {
        let re = native::Parser::new(&pattern).parse().unwrap();
        group_depth(&re).0
    });
    assert_eq!(depth, DEEP);
}
