//! PENDING: an interpreter for a tiny imperative language as a `#[fiber] impl Interp`. A call
//! of a user function clones the function's `(params, Rc<Vec<Stmt>>)` out of `self.funcs` and runs
//! the body with `self.exec_block(&body[..])`. Natively valid; the same shape as `lisp.rs`.
//!
//! Error:
//!
//! ```text
//! error[E0277]: a borrow of this `std::rc::Rc<Vec<stmt_interp::Stmt>>` outlives a recursive call, but the `std::rc::Rc<Vec<stmt_interp::Stmt>>` is a local of the fiber fn
//!    --> tests/corpus/stmt_interp.rs:150:49
//!     |
//! 150 |                     let flow = self.exec_block(&body[..]);
//!     |                                                 ^^^^ borrowed here, and the borrow is passed to a recursive call or used after one
//! error: could not compile `fiber-tests` (test "corpus") due to 3 previous errors
//! ```
//!
//! Reduced: a borrow of a local `Rc` (whose contents live on the heap) passed to a recursive call.
//!
//! ```rust,ignore
//! #[fiber]
//! impl Interp {
//!     fn call(&mut self, name: &str) -> i64 {
//!         let body: Rc<Vec<Stmt>> = Rc::clone(&self.funcs[name]);
//!         self.exec_block(&body[..]) // E0277
//!     }
//!     fn exec_block(&mut self, block: &[Stmt]) -> i64 { /* calls self.call(..) */ }
//! }
//! ```

use std::collections::HashMap;
use std::rc::Rc;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug)]
pub enum Expr {
    Int(i64),
    Var(&'static str),
    Bin(char, Box<Expr>, Box<Expr>),
    Call(&'static str, Vec<Expr>),
}

#[derive(Debug)]
pub enum Stmt {
    Let(&'static str, Expr),
    Assign(&'static str, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    Print(Expr),
    Return(Expr),
    Def(&'static str, Vec<&'static str>, Rc<Vec<Stmt>>),
    Expr(Expr),
}

#[derive(Debug, PartialEq)]
pub enum Flow {
    Normal,
    Return(i64),
}

#[derive(Debug, PartialEq)]
pub enum RuntimeError {
    Undefined(&'static str),
    Arity(&'static str),
    DivZero,
}

twins! {
    shared {
        pub struct Interp {
            pub scopes: Vec<HashMap<&'static str, i64>>,
            pub funcs: HashMap<&'static str, (Vec<&'static str>, Rc<Vec<Stmt>>)>,
            pub output: Vec<i64>,
        }

        impl Interp {
            pub fn new() -> Self {
                Interp { scopes: vec![HashMap::new()], funcs: HashMap::new(), output: Vec::new() }
            }

            fn lookup(&self, name: &'static str) -> Result<i64, RuntimeError> {
                self.scopes.iter().rev().find_map(|s| s.get(name).copied()).ok_or(RuntimeError::Undefined(name))
            }

            fn assign(&mut self, name: &'static str, v: i64) -> Result<(), RuntimeError> {
                for scope in self.scopes.iter_mut().rev() {
                    if let Some(slot) = scope.get_mut(name) {
                        *slot = v;
                        return Ok(());
                    }
                }
                Err(RuntimeError::Undefined(name))
            }
        }
    }

    impl Interp {
        pub fn exec_block(&mut self, block: &[Stmt]) -> Result<Flow, RuntimeError> {
            for stmt in block {
                if let Flow::Return(v) = self.exec(stmt)? {
                    return Ok(Flow::Return(v));
                }
            }
            Ok(Flow::Normal)
        }

        fn exec(&mut self, stmt: &Stmt) -> Result<Flow, RuntimeError> {
            match stmt {
                Stmt::Let(name, e) => {
                    let v = self.eval(e)?;
                    self.scopes.last_mut().unwrap().insert(name, v);
                }
                Stmt::Assign(name, e) => {
                    let v = self.eval(e)?;
                    self.assign(name, v)?;
                }
                Stmt::If(cond, then, otherwise) => {
                    let branch = if self.eval(cond)? != 0 { then } else { otherwise };
                    return self.exec_block(branch);
                }
                Stmt::While(cond, body) => {
                    while self.eval(cond)? != 0 {
                        if let Flow::Return(v) = self.exec_block(body)? {
                            return Ok(Flow::Return(v));
                        }
                    }
                }
                Stmt::Print(e) => {
                    let v = self.eval(e)?;
                    self.output.push(log("print", v));
                }
                Stmt::Return(e) => return Ok(Flow::Return(self.eval(e)?)),
                Stmt::Def(name, params, body) => {
                    self.funcs.insert(name, (params.clone(), Rc::clone(body)));
                }
                Stmt::Expr(e) => {
                    self.eval(e)?;
                }
            }
            Ok(Flow::Normal)
        }

        fn eval(&mut self, e: &Expr) -> Result<i64, RuntimeError> {
            Ok(match e {
                Expr::Int(n) => *n,
                Expr::Var(name) => self.lookup(name)?,
                Expr::Bin(op, a, b) => {
                    let x = self.eval(a)?;
                    let y = self.eval(b)?;
                    match op {
                        '+' => x.wrapping_add(y),
                        '-' => x.wrapping_sub(y),
                        '*' => x.wrapping_mul(y),
                        '/' if y == 0 => return Err(RuntimeError::DivZero),
                        '/' => x / y,
                        '<' => (x < y) as i64,
                        '=' => (x == y) as i64,
                        _ => unreachable!("operator {op}"),
                    }
                }
                Expr::Call(name, args) => {
                    let Some((params, body)) = self.funcs.get(name).cloned() else {
                        return Err(RuntimeError::Undefined(name));
                    };
                    if params.len() != args.len() {
                        return Err(RuntimeError::Arity(name));
                    }
                    let mut frame = HashMap::new();
                    for (p, a) in params.iter().zip(args) {
                        let v = self.eval(a)?;
                        frame.insert(*p, v);
                    }
                    self.scopes.push(frame);
                    let flow = self.exec_block(&body[..]);
                    self.scopes.pop();
                    match flow? {
                        Flow::Return(v) => v,
                        Flow::Normal => 0,
                    }
                }
            })
        }
    }
}

fn bin(op: char, a: Expr, b: Expr) -> Expr {
    Expr::Bin(op, Box::new(a), Box::new(b))
}

use Expr::{Call, Int, Var};

/// def fib(n) { if n < 2 { return n } return fib(n-1) + fib(n-2) }
/// def down(n) { if n = 0 { return 0 } return 1 + down(n - 1) }
/// let i = 0; while i < 10 { print fib(i); i = i + 1 }
fn program(extra: Vec<Stmt>) -> Vec<Stmt> {
    let mut p = vec![
        Stmt::Def(
            "fib",
            vec!["n"],
            Rc::new(vec![
                Stmt::If(bin('<', Var("n"), Int(2)), vec![Stmt::Return(Var("n"))], vec![]),
                Stmt::Return(bin(
                    '+',
                    Call("fib", vec![bin('-', Var("n"), Int(1))]),
                    Call("fib", vec![bin('-', Var("n"), Int(2))]),
                )),
            ]),
        ),
        Stmt::Def(
            "down",
            vec!["n"],
            Rc::new(vec![
                Stmt::If(bin('=', Var("n"), Int(0)), vec![Stmt::Return(Int(0))], vec![]),
                Stmt::Return(bin('+', Int(1), Call("down", vec![bin('-', Var("n"), Int(1))]))),
            ]),
        ),
        Stmt::Let("i", Int(0)),
        Stmt::While(
            bin('<', Var("i"), Int(10)),
            vec![Stmt::Print(Call("fib", vec![Var("i")])), Stmt::Assign("i", bin('+', Var("i"), Int(1)))],
        ),
    ];
    p.extend(extra);
    p
}

fn run_both(p: &[Stmt]) {
    let a = logged(|| {
        let mut i = native::Interp::new();
        (i.exec_block(p), i.output)
    });
    let b = logged(|| {
        let mut i = fiber::Interp::new();
        (run(i.exec_block(p)), i.output)
    });
    assert_eq!(a, b);
}

#[test]
fn stmt_interp_matches_native() {
    run_both(&program(vec![]));
    run_both(&program(vec![Stmt::Print(Call("down", vec![Int(50)])), Stmt::Return(Int(7)), Stmt::Print(Int(1))]));
    run_both(&program(vec![Stmt::Print(bin('/', Int(1), bin('-', Var("i"), Int(10))))]));
    run_both(&program(vec![Stmt::Expr(Call("fib", vec![]))]));
    run_both(&program(vec![Stmt::Assign("nope", Int(1))]));
    let mut i = fiber::Interp::new();
    run(i.exec_block(&program(vec![]))).unwrap();
    assert_eq!(i.output, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn stmt_interp_100_000_deep() {
    const DEEP: i64 = 100_000;
    let p = program(vec![Stmt::Print(Call("down", vec![Int(DEEP)]))]);
    let mut i = fiber::Interp::new();
    assert_eq!(run(i.exec_block(&p)), Ok(Flow::Normal));
    assert_eq!(i.output.last(), Some(&DEEP));
    let out = on_big_stack(|| {
        let p = program(vec![Stmt::Print(Call("down", vec![Int(20_000)]))]);
        let mut i = native::Interp::new();
        i.exec_block(&p).unwrap();
        i.output
    });
    assert_eq!(out.last(), Some(&20_000));
}
