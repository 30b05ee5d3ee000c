//! A grammar with several nonterminals as a `#[fiber] mod` over a token slice and an index:
//! boolean formulas with `|`, `&`, `!`, parentheses, `->` (right-associative) and variables
//! looked up in an environment; each nonterminal returns `Result<(bool, usize), String>`.

use std::collections::HashMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

pub fn tokens(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {}
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push("->".to_string());
            }
            c if c.is_alphanumeric() => {
                let mut name = c.to_string();
                while let Some(&d) = chars.peek().filter(|d| d.is_alphanumeric()) {
                    name.push(d);
                    chars.next();
                }
                out.push(name);
            }
            c => out.push(c.to_string()),
        }
    }
    out
}

twins! {
    pub mod formula {
        use std::collections::HashMap;

        type Env = HashMap<String, bool>;

        /// implication := disjunction ('->' implication)?
        pub fn implication(t: &[String], i: usize, env: &Env) -> Result<(bool, usize), String> {
            let (lhs, i) = disjunction(t, i, env)?;
            if t.get(i).map(String::as_str) == Some("->") {
                let (rhs, j) = implication(t, i + 1, env)?;
                return Ok((!lhs || rhs, j));
            }
            Ok((lhs, i))
        }

        /// disjunction := conjunction ('|' conjunction)*
        pub fn disjunction(t: &[String], i: usize, env: &Env) -> Result<(bool, usize), String> {
            let (mut value, mut i) = conjunction(t, i, env)?;
            while i < t.len() && t[i] == "|" {
                let (rhs, next) = conjunction(t, i + 1, env)?;
                value = value || rhs;
                i = next;
            }
            Ok((value, i))
        }

        /// conjunction := negation ('&' negation)*
        pub fn conjunction(t: &[String], i: usize, env: &Env) -> Result<(bool, usize), String> {
            let (mut value, mut i) = negation(t, i, env)?;
            loop {
                match t.get(i) {
                    Some(op) if op == "&" => {
                        let (rhs, next) = negation(t, i + 1, env)?;
                        value &= rhs;
                        i = next;
                    }
                    _ => return Ok((value, i)),
                }
            }
        }

        /// negation := '!' negation | atom
        pub fn negation(t: &[String], i: usize, env: &Env) -> Result<(bool, usize), String> {
            match t.get(i).map(|s| s.as_str()) {
                Some("!") => {
                    let (v, j) = negation(t, i + 1, env)?;
                    Ok((!v, j))
                }
                _ => atom(t, i, env),
            }
        }

        /// atom := 'T' | 'F' | name | '(' implication ')'
        pub fn atom(t: &[String], i: usize, env: &Env) -> Result<(bool, usize), String> {
            let Some(tok) = t.get(i) else {
                return Err("unexpected end".to_string());
            };
            match tok.as_str() {
                "T" => Ok((true, i + 1)),
                "F" => Ok((false, i + 1)),
                "(" => {
                    let (v, j) = implication(t, i + 1, env)?;
                    if t.get(j).map(String::as_str) != Some(")") {
                        return Err(format!("expected ) at {j}"));
                    }
                    Ok((v, j + 1))
                }
                name if name.chars().all(char::is_alphanumeric) => match env.get(name) {
                    Some(&v) => Ok((crate::common::log(name, v), i + 1)),
                    None => Err(format!("unknown variable {name}")),
                },
                other => Err(format!("unexpected {other} at {i}")),
            }
        }
    }
}

fn eval_native(src: &str, env: &HashMap<String, bool>) -> Result<(bool, usize), String> {
    native::formula::implication(&tokens(src), 0, env)
}

fn eval_fiber(src: &str, env: &HashMap<String, bool>) -> Result<(bool, usize), String> {
    run(fiber::formula::implication(&tokens(src), 0, env))
}

#[test]
fn bool_grammar_matches_native() {
    let env = HashMap::from([("p".to_string(), true), ("q".to_string(), false), ("rain".to_string(), true)]);
    for src in [
        "p & q | !q",
        "p -> q -> p",
        "(p -> q) -> p",
        "!!!(rain & (q | T))",
        "p & (q",
        "p & zz",
        "F | F | F | rain",
        "",
        "p ) q",
        "p &",
    ] {
        assert_eq!(logged(|| eval_native(src, &env)), logged(|| eval_fiber(src, &env)), "{src}");
    }
    log("unused", ());
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn bool_grammar_100_000_deep() {
    const DEEP: usize = 100_000;
    let env = HashMap::from([("x".to_string(), true)]);
    let src = format!("{}x{}", "!(".repeat(DEEP), ")".repeat(DEEP));
    assert_eq!(eval_fiber(&src, &env), Ok((true, 3 * DEEP + 1)));
    let chain = ["x", "->"].repeat(DEEP).join(" ") + " F";
    let expected = on_big_stack({
        let chain = chain.clone();
        move || eval_native(&chain, &HashMap::from([("x".to_string(), true)]))
    });
    assert_eq!(eval_fiber(&chain, &env), expected);
    assert_eq!(expected, Ok((false, 2 * DEEP + 1)));
}
