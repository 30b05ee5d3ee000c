//! A recursive-descent parser and evaluator for integer arithmetic with precedence, unary minus,
//! `^` (right-associative) and parentheses: `&mut self` methods calling each other, `peek`/`bump`
//! helpers in a plain impl, errors through `?`.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Num(i64),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    Unexpected(usize, Option<Token>),
    DivByZero(usize),
    BadChar(char),
}

pub fn lex(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(&c) = chars.peek() {
        let tok = match c {
            ' ' | '\t' | '\n' => {
                chars.next();
                continue;
            }
            '0'..='9' => {
                let mut n = 0i64;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    n = n.wrapping_mul(10).wrapping_add(d as i64);
                    chars.next();
                }
                tokens.push(Token::Num(n));
                continue;
            }
            '+' => Token::Plus,
            '-' => Token::Minus,
            '*' => Token::Star,
            '/' => Token::Slash,
            '^' => Token::Caret,
            '(' => Token::LParen,
            ')' => Token::RParen,
            other => return Err(ParseError::BadChar(other)),
        };
        tokens.push(tok);
        chars.next();
    }
    Ok(tokens)
}

twins! {
    shared {
        pub struct Parser {
            tokens: Vec<super::Token>,
            pos: usize,
        }

        impl Parser {
            pub fn new(tokens: Vec<super::Token>) -> Self {
                Parser { tokens, pos: 0 }
            }

            fn peek(&self) -> Option<&super::Token> {
                self.tokens.get(self.pos)
            }

            fn bump(&mut self) -> Option<super::Token> {
                let tok = self.tokens.get(self.pos).cloned();
                if tok.is_some() {
                    self.pos += 1;
                }
                tok
            }

            fn expect(&mut self, want: super::Token) -> Result<(), super::ParseError> {
                match self.bump() {
                    Some(t) if t == want => Ok(()),
                    other => Err(super::ParseError::Unexpected(self.pos, other)),
                }
            }
        }
    }

    impl Parser {
        /// expr := term (('+' | '-') term)*
        pub fn expr(&mut self) -> Result<i64, ParseError> {
            let mut value = self.term()?;
            while let Some(tok) = self.peek() {
                let op = tok.clone();
                match op {
                    Token::Plus | Token::Minus => {
                        self.bump();
                        let rhs = self.term()?;
                        value = if op == Token::Plus { value.wrapping_add(rhs) } else { value.wrapping_sub(rhs) };
                    }
                    _ => break,
                }
            }
            Ok(value)
        }

        /// term := unary (('*' | '/') unary)*
        fn term(&mut self) -> Result<i64, ParseError> {
            let mut value = self.unary()?;
            loop {
                match self.peek() {
                    Some(Token::Star) => {
                        self.bump();
                        value = value.wrapping_mul(self.unary()?);
                    }
                    Some(Token::Slash) => {
                        self.bump();
                        let at = self.pos;
                        let rhs = self.unary()?;
                        if rhs == 0 {
                            return Err(ParseError::DivByZero(at));
                        }
                        value = value.wrapping_div(rhs);
                    }
                    _ => break Ok(value),
                }
            }
        }

        /// unary := '-' unary | power
        fn unary(&mut self) -> Result<i64, ParseError> {
            if let Some(Token::Minus) = self.peek() {
                self.bump();
                let v = self.unary()?;
                return Ok(v.wrapping_neg());
            }
            self.power()
        }

        /// power := atom ('^' unary)?
        fn power(&mut self) -> Result<i64, ParseError> {
            let base = self.atom()?;
            if self.peek() == Some(&Token::Caret) {
                self.bump();
                let exp = self.unary()?;
                return Ok(base.wrapping_pow((exp.rem_euclid(64)) as u32));
            }
            Ok(base)
        }

        /// atom := number | '(' expr ')'
        fn atom(&mut self) -> Result<i64, ParseError> {
            match self.bump() {
                Some(Token::Num(n)) => Ok(log("num", n)),
                Some(Token::LParen) => {
                    let inner = self.expr()?;
                    self.expect(Token::RParen)?;
                    Ok(inner)
                }
                other => Err(ParseError::Unexpected(self.pos, other)),
            }
        }
    }
}

fn parse_native(src: &str) -> Result<i64, ParseError> {
    native::Parser::new(lex(src)?).expr()
}

fn parse_fiber(src: &str) -> Result<i64, ParseError> {
    run(fiber::Parser::new(lex(src)?).expr())
}

#[test]
fn arith_matches_native() {
    let cases = [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "2 ^ 3 ^ 2",
        "-2 ^ 2",
        "--5 - -5",
        "100 / (5 - 5)",
        "7 / 2 * 2 + 7 - 7 / 2 * 2",
        "(((3)))",
        "1 +",
        "(1 + 2",
        "1 $ 2",
        "",
        "12 34",
    ];
    for src in cases {
        assert_eq!(logged(|| parse_native(src)), logged(|| parse_fiber(src)), "{src}");
    }
    assert_eq!(parse_fiber("2 ^ 3 ^ 2"), Ok(512));
}

fn arb_expr() -> impl Strategy<Value = String> {
    let leaf = (0i64..50).prop_map(|n| n.to_string());
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (inner.clone(), prop::sample::select(vec!["+", "-", "*", "/", "^"]), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn arith_random_expressions_match_native(src in arb_expr()) {
        prop_assert_eq!(logged(|| parse_native(&src)), logged(|| parse_fiber(&src)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn arith_100_000_deep() {
    const DEEP: usize = 100_000;
    let src = format!("{}1{}", "(1 + ".repeat(DEEP), ")".repeat(DEEP));
    assert_eq!(parse_fiber(&src), Ok(DEEP as i64 + 1));
    let unary = format!("{}7", "-".repeat(DEEP + 1));
    let expected = on_big_stack(move || parse_native(&unary));
    assert_eq!(expected, Ok(-7));
    assert_eq!(parse_fiber(&format!("{}7", "-".repeat(DEEP + 1))), Ok(-7));
}
