//! A calculator language: an AST of boxed nodes evaluated in an environment `HashMap`, with
//! `let` scoping, errors as `Result` and `?`.

use std::collections::HashMap;
use std::fmt;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug)]
pub enum Expr {
    Num(i64),
    Var(String),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    Let(String, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    Unbound(String),
    DivByZero,
    Overflow,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Unbound(name) => write!(f, "unbound variable `{name}`"),
            EvalError::DivByZero => write!(f, "division by zero"),
            EvalError::Overflow => write!(f, "arithmetic overflow"),
        }
    }
}

impl Drop for Expr {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        let take =
            |e: &mut Box<Expr>, stack: &mut Vec<Expr>| stack.push(std::mem::replace(&mut **e, Expr::Num(0)));
        match self {
            Expr::Num(_) | Expr::Var(_) => return,
            Expr::Neg(a) => take(a, &mut stack),
            Expr::Bin(_, a, b) | Expr::Let(_, a, b) => {
                take(a, &mut stack);
                take(b, &mut stack);
            }
            Expr::If(c, a, b) => {
                take(c, &mut stack);
                take(a, &mut stack);
                take(b, &mut stack);
            }
        }
        while let Some(mut e) = stack.pop() {
            match &mut e {
                Expr::Num(_) | Expr::Var(_) => {}
                Expr::Neg(a) => take(a, &mut stack),
                Expr::Bin(_, a, b) | Expr::Let(_, a, b) => {
                    take(a, &mut stack);
                    take(b, &mut stack);
                }
                Expr::If(c, a, b) => {
                    take(c, &mut stack);
                    take(a, &mut stack);
                    take(b, &mut stack);
                }
            }
        }
    }
}

fn num(n: i64) -> Box<Expr> {
    Box::new(Expr::Num(n))
}

fn var(name: &str) -> Box<Expr> {
    Box::new(Expr::Var(name.to_string()))
}

fn bin(op: Op, a: Box<Expr>, b: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Bin(op, a, b))
}

fn let_in(name: &str, value: Box<Expr>, body: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Let(name.to_string(), value, body))
}

twins! {
    pub fn eval(expr: &Expr, env: &mut HashMap<String, i64>) -> Result<i64, EvalError> {
        let value = match expr {
            Expr::Num(n) => *n,
            Expr::Var(name) => match env.get(name) {
                Some(v) => *v,
                None => return Err(EvalError::Unbound(name.clone())),
            },
            Expr::Neg(inner) => {
                let v = eval(inner, env)?;
                v.checked_neg().ok_or(EvalError::Overflow)?
            }
            Expr::Bin(op, lhs, rhs) => {
                let a = eval(lhs, env)?;
                let b = eval(rhs, env)?;
                match op {
                    Op::Add => a.checked_add(b).ok_or(EvalError::Overflow)?,
                    Op::Sub => a.checked_sub(b).ok_or(EvalError::Overflow)?,
                    Op::Mul => a.checked_mul(b).ok_or(EvalError::Overflow)?,
                    Op::Div if b == 0 => return Err(EvalError::DivByZero),
                    Op::Div => a / b,
                    Op::Lt => (a < b) as i64,
                }
            }
            Expr::Let(name, value, body) => {
                let v = eval(value, env)?;
                let shadowed = env.insert(name.clone(), v);
                let result = eval(body, env);
                match shadowed {
                    Some(old) => env.insert(name.clone(), old),
                    None => env.remove(name),
                };
                result?
            }
            Expr::If(cond, then, otherwise) => {
                if eval(cond, env)? != 0 {
                    eval(then, env)?
                } else {
                    eval(otherwise, env)?
                }
            }
        };
        Ok(log("value", value))
    }
}

#[allow(clippy::vec_box)]
fn samples() -> Vec<Box<Expr>> {
    use Op::*;
    vec![
        num(42),
        bin(Add, num(1), bin(Mul, num(2), num(3))),
        let_in("x", num(5), bin(Mul, var("x"), let_in("x", num(2), bin(Sub, var("x"), num(7))))),
        bin(Div, num(10), bin(Sub, num(3), num(3))),
        bin(Add, var("y"), num(1)),
        Box::new(Expr::If(bin(Lt, num(1), num(2)), num(10), var("nope"))),
        Box::new(Expr::Neg(Box::new(Expr::Num(i64::MIN)))),
        bin(Mul, num(i64::MAX), num(2)),
        let_in("a", num(3), let_in("b", bin(Add, var("a"), var("a")), bin(Div, var("b"), var("a")))),
    ]
}

#[test]
fn calc_matches_native() {
    for e in samples() {
        let mut env_n = HashMap::from([("z".to_string(), 9)]);
        let mut env_f = env_n.clone();
        let native = logged(|| native::eval(&e, &mut env_n));
        let fiber = logged(|| run(fiber::eval(&e, &mut env_f)));
        assert_eq!(native, fiber, "{e:?}");
        assert_eq!(env_n, env_f);
    }
    let err = run(fiber::eval(&bin(Op::Add, var("q"), num(1)), &mut HashMap::new())).unwrap_err();
    assert_eq!(err.to_string(), "unbound variable `q`");
}

/// `let x0 = 1 in let x1 = x0 + 1 in ... x{n-1} + x{n-1}`: nested `n` deep on the body side.
fn nested_lets(n: usize) -> Box<Expr> {
    let mut body = bin(Op::Add, var(&format!("x{}", n - 1)), var(&format!("x{}", n - 1)));
    for i in (1..n).rev() {
        body = let_in(&format!("x{i}"), bin(Op::Add, var(&format!("x{}", i - 1)), num(1)), body);
    }
    let_in("x0", num(1), body)
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn calc_100_000_deep() {
    const DEEP: usize = 100_000;
    let e = nested_lets(DEEP);
    assert_eq!(run(fiber::eval(&e, &mut HashMap::new())), Ok(2 * DEEP as i64));
    let native = on_big_stack(|| native::eval(&nested_lets(DEEP), &mut HashMap::new()));
    assert_eq!(native, Ok(2 * DEEP as i64));
    // A left-leaning chain of subtractions that ends in a division by zero at the bottom.
    let mut e = bin(Op::Div, num(1), num(0));
    for i in 0..DEEP as i64 {
        e = bin(Op::Sub, e, num(i));
    }
    assert_eq!(run(fiber::eval(&e, &mut HashMap::new())), Err(EvalError::DivByZero));
}
