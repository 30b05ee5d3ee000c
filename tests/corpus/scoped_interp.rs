//! A block-structured expression language run in one `&mut HashMap<String, i64>` environment: a
//! `#[fiber] mod` where `eval` (expressions, blocks with `let` statements whose shadowed bindings
//! are restored at the block's end, even on an error) and `exec` (assignment, `while`, `print`)
//! call each other. Errors come back through `?`; the block collects its result in a local
//! `Result` and leaves its statement loop with `break`; `while` is a labelled `loop`.

use std::collections::HashMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug)]
pub enum Expr {
    Int(i64),
    Var(String),
    Bin(char, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{ stmts; tail }`
    Block(Vec<Stmt>, Box<Expr>),
}

#[derive(Debug)]
pub enum Stmt {
    Let(String, Expr),
    Set(String, Expr),
    While(Expr, Vec<Stmt>),
    Print(Expr),
}

impl Expr {
    /// Moves the sub-expressions out, for the iterative `Drop`.
    fn take_children(&mut self, out: &mut Vec<Expr>) {
        let mut take = |e: &mut Box<Expr>| out.push(std::mem::replace(&mut **e, Expr::Int(0)));
        match self {
            Expr::Int(_) | Expr::Var(_) => {}
            Expr::Bin(_, a, b) => {
                take(a);
                take(b);
            }
            Expr::If(c, a, b) => {
                take(c);
                take(a);
                take(b);
            }
            Expr::Block(stmts, tail) => {
                take(tail);
                for stmt in stmts.drain(..) {
                    match stmt {
                        Stmt::Let(_, e) | Stmt::Set(_, e) | Stmt::Print(e) => out.push(e),
                        Stmt::While(c, body) => {
                            out.push(c);
                            out.push(Expr::Block(body, Box::new(Expr::Int(0))));
                        }
                    }
                }
            }
        }
    }
}

impl Drop for Expr {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.take_children(&mut stack);
        while let Some(mut e) = stack.pop() {
            e.take_children(&mut stack);
        }
    }
}

twins! {
    pub mod interp {
        use super::*;

        pub fn eval(e: &Expr, env: &mut HashMap<String, i64>, out: &mut Vec<i64>) -> Result<i64, String> {
            match e {
                Expr::Int(n) => Ok(*n),
                Expr::Var(name) => env.get(name).copied().ok_or_else(|| format!("unbound `{name}`")),
                Expr::Bin(op, a, b) => {
                    let x = eval(a, env, out)?;
                    let y = eval(b, env, out)?;
                    match op {
                        '+' => Ok(x.wrapping_add(y)),
                        '-' => Ok(x.wrapping_sub(y)),
                        '*' => Ok(x.wrapping_mul(y)),
                        '/' | '%' if y == 0 => Err("division by zero".to_string()),
                        '/' => Ok(x.wrapping_div(y)),
                        '%' => Ok(x.wrapping_rem(y)),
                        '<' => Ok((x < y) as i64),
                        _ => Err(format!("unknown operator `{op}`")),
                    }
                }
                Expr::If(cond, then, otherwise) => {
                    if eval(cond, env, out)? != 0 {
                        eval(then, env, out)
                    } else {
                        eval(otherwise, env, out)
                    }
                }
                Expr::Block(stmts, tail) => {
                    let mut shadowed: Vec<(String, Option<i64>)> = Vec::new();
                    let mut result = Ok(0);
                    for stmt in stmts {
                        if let Stmt::Let(name, init) = stmt {
                            match eval(init, env, out) {
                                Ok(v) => {
                                    let old = env.insert(name.clone(), v);
                                    shadowed.push((name.clone(), old));
                                }
                                Err(err) => {
                                    result = Err(err);
                                    break;
                                }
                            }
                        } else if let Err(err) = exec(stmt, env, out) {
                            result = Err(err);
                            break;
                        }
                    }
                    if result.is_ok() {
                        result = eval(tail, env, out);
                    }
                    while let Some((name, old)) = shadowed.pop() {
                        match old {
                            Some(v) => env.insert(name, v),
                            None => env.remove(&name),
                        };
                    }
                    result
                }
            }
        }

        pub fn exec(stmt: &Stmt, env: &mut HashMap<String, i64>, out: &mut Vec<i64>) -> Result<(), String> {
            match stmt {
                Stmt::Let(name, _) => return Err(format!("`let {name}` outside a block")),
                Stmt::Set(name, e) => {
                    let v = eval(e, env, out)?;
                    match env.get_mut(name) {
                        Some(slot) => *slot = v,
                        None => return Err(format!("assignment to undeclared `{name}`")),
                    }
                }
                Stmt::While(cond, body) => {
                    let mut rounds = 0;
                    'run: loop {
                        if eval(cond, env, out)? == 0 {
                            break 'run;
                        }
                        for s in body {
                            exec(s, env, out)?;
                        }
                        rounds += 1;
                    }
                    log("rounds", rounds);
                }
                Stmt::Print(e) => {
                    let v = eval(e, env, out)?;
                    out.push(log("print", v));
                }
            }
            Ok(())
        }
    }
}

fn int(n: i64) -> Box<Expr> {
    Box::new(Expr::Int(n))
}

fn var(name: &str) -> Box<Expr> {
    Box::new(Expr::Var(name.to_string()))
}

fn bin(op: char, a: Box<Expr>, b: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Bin(op, a, b))
}

fn block(stmts: Vec<Stmt>, tail: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Block(stmts, tail))
}

#[allow(clippy::boxed_local)] // composes with the `Box`-returning builders
fn let_(name: &str, e: Box<Expr>) -> Stmt {
    Stmt::Let(name.to_string(), *e)
}

#[allow(clippy::boxed_local)] // composes with the `Box`-returning builders
fn set(name: &str, e: Box<Expr>) -> Stmt {
    Stmt::Set(name.to_string(), *e)
}

#[allow(clippy::boxed_local)] // composes with the `Box`-returning builders
fn print(e: Box<Expr>) -> Stmt {
    Stmt::Print(*e)
}

type Outcome = (Result<i64, String>, Vec<i64>, Vec<(String, i64)>);

fn both(e: &Expr) -> Outcome {
    let go = |fiber: bool| {
        let mut env = HashMap::from([("g".to_string(), 100)]);
        let mut out = Vec::new();
        let r = if fiber {
            run(fiber::interp::eval(e, &mut env, &mut out))
        } else {
            native::interp::eval(e, &mut env, &mut out)
        };
        let mut env: Vec<_> = env.into_iter().collect();
        env.sort();
        (r, out, env)
    };
    let n = logged(|| go(false));
    let f = logged(|| go(true));
    assert_eq!(n, f, "{e:?}");
    f.0
}

/// `{ let n = k; let acc = 1; while 0 < n { acc = acc * n; print acc; n = n - 1; } acc }`
fn factorial(k: i64) -> Box<Expr> {
    block(
        vec![
            let_("n", int(k)),
            let_("acc", int(1)),
            Stmt::While(
                *bin('<', int(0), var("n")),
                vec![
                    set("acc", bin('*', var("acc"), var("n"))),
                    print(var("acc")),
                    set("n", bin('-', var("n"), int(1))),
                ],
            ),
        ],
        var("acc"),
    )
}

#[test]
fn scoped_interp_matches_native() {
    let (r, out, env) = both(&factorial(5));
    assert_eq!(r, Ok(120));
    assert_eq!(out, [5, 20, 60, 120, 120]);
    assert_eq!(env, [("g".to_string(), 100)]);
    // Shadowing restores the outer `g`, and an assignment inside reaches the inner one only.
    let e = block(vec![let_("g", int(1)), set("g", int(2)), print(var("g"))], bin('+', var("g"), int(10)));
    let e = block(vec![print(Box::new(Expr::If(e, var("g"), int(0))))], var("g"));
    assert_eq!(both(&e), (Ok(100), vec![2, 100], vec![("g".to_string(), 100)]));
    // An error in a nested block still restores the bindings it shadowed.
    let e = block(vec![let_("g", int(5)), let_("x", bin('/', int(1), int(0)))], var("x"));
    assert_eq!(both(&e), (Err("division by zero".to_string()), vec![], vec![("g".to_string(), 100)]));
    let e = block(vec![set("y", int(1))], int(0));
    assert_eq!(both(&e).0, Err("assignment to undeclared `y`".to_string()));
    assert_eq!(both(&bin('^', int(1), int(2))).0, Err("unknown operator `^`".to_string()));
    assert_eq!(both(&bin('+', var("q"), int(2))).0, Err("unbound `q`".to_string()));
    let e = block(vec![Stmt::While(*int(1), vec![let_("z", int(0))])], int(0));
    assert_eq!(both(&e).0, Err("`let z` outside a block".to_string()));
}

fn arb_expr() -> impl Strategy<Value = Box<Expr>> {
    let leaf = prop_oneof![(-5i64..5).prop_map(int), prop::sample::select(vec!["a", "b", "g"]).prop_map(var)];
    leaf.prop_recursive(4, 40, 4, |inner| {
        let name = prop::sample::select(vec!["a", "b", "g"]);
        let stmt = prop_oneof![
            (name.clone(), inner.clone()).prop_map(|(n, e)| let_(n, e)),
            (name.clone(), inner.clone()).prop_map(|(n, e)| set(n, e)),
            inner.clone().prop_map(print),
            // Bounded loops only: `while 0 < a { a = a - 1; print a }` after `let a = e % 4`.
            inner.clone().prop_map(|e| { let_("a", bin('%', e, int(4))) }),
        ];
        prop_oneof![
            (prop::sample::select(vec!['+', '-', '*', '/', '%', '<']), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| bin(op, a, b)),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| Box::new(Expr::If(c, a, b))),
            (prop::collection::vec(stmt, 0..4), inner.clone()).prop_map(|(stmts, tail)| block(stmts, tail)),
            inner.prop_map(|e| block(
                vec![
                    let_("a", bin('%', e, int(4))),
                    Stmt::While(
                        *bin('<', int(0), var("a")),
                        vec![set("a", bin('-', var("a"), int(1))), print(var("a"))]
                    ),
                ],
                var("a"),
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn scoped_interp_random_matches_native(e in arb_expr()) {
        let _ = both(&e);
    }
}

/// `{ let x = x + 1; { let x = x + 1; .. { print x; x } .. } }`, `depth` blocks deep, with `x`
/// bound to 0 outside.
fn nested_blocks(depth: usize) -> Box<Expr> {
    let mut e = block(vec![print(var("x"))], var("x"));
    for _ in 0..depth {
        e = block(vec![let_("x", bin('+', var("x"), int(1)))], e);
    }
    block(vec![let_("x", int(0))], e)
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn scoped_interp_100_000_deep() {
    const DEEP: usize = 100_000;
    let e = nested_blocks(DEEP);
    let mut env = HashMap::new();
    let mut out = Vec::new();
    assert_eq!(run(fiber::interp::eval(&e, &mut env, &mut out)), Ok(DEEP as i64));
    assert_eq!(out, [DEEP as i64]);
    assert!(env.is_empty());
    // A division by zero at the bottom unwinds every block, each restoring its binding.
    let mut e = bin('/', var("x"), int(0));
    for _ in 0..DEEP {
        e = block(vec![let_("x", bin('+', var("x"), int(1)))], e);
    }
    let mut env = HashMap::from([("x".to_string(), 7)]);
    assert_eq!(run(fiber::interp::eval(&e, &mut env, &mut Vec::new())), Err("division by zero".to_string()));
    assert_eq!(env, HashMap::from([("x".to_string(), 7)]));
    let native = on_big_stack(move || {
        let mut env = HashMap::new();
        let mut out = Vec::new();
        (native::interp::eval(&nested_blocks(DEEP), &mut env, &mut out), out, env.is_empty())
    });
    assert_eq!(native, (Ok(DEEP as i64), vec![DEEP as i64], true));
}
