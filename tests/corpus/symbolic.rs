//! Symbolic differentiation and simplification over an expression DAG of `Rc<Expr>` nodes
//! (shared subterms), plus evaluation at a point and printing.

use std::rc::Rc;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug, PartialEq)]
pub enum Expr {
    Const(f64),
    X,
    Add(Rc<Expr>, Rc<Expr>),
    Mul(Rc<Expr>, Rc<Expr>),
    Pow(Rc<Expr>, i32),
    Sin(Rc<Expr>),
    Cos(Rc<Expr>),
}

impl Drop for Expr {
    fn drop(&mut self) {
        let mut stack: Vec<Rc<Expr>> = Vec::new();
        let children = |e: &mut Expr, stack: &mut Vec<Rc<Expr>>| {
            let dummy = || Rc::new(Expr::X);
            match e {
                Expr::Const(_) | Expr::X => {}
                Expr::Add(a, b) | Expr::Mul(a, b) => {
                    stack.push(std::mem::replace(a, dummy()));
                    stack.push(std::mem::replace(b, dummy()));
                }
                Expr::Pow(a, _) | Expr::Sin(a) | Expr::Cos(a) => stack.push(std::mem::replace(a, dummy())),
            }
        };
        children(self, &mut stack);
        while let Some(rc) = stack.pop() {
            if let Ok(mut e) = Rc::try_unwrap(rc) {
                children(&mut e, &mut stack);
            }
        }
    }
}

use Expr::*;

fn c(v: f64) -> Rc<Expr> {
    Rc::new(Const(v))
}

twins! {
    pub fn simplify(e: &Rc<Expr>) -> Rc<Expr> {
        match &**e {
            Add(a, b) => {
                let (a, b) = (simplify(a), simplify(b));
                match (&*a, &*b) {
                    (Const(x), Const(y)) => c(x + y),
                    (Const(z), _) if *z == 0.0 => b,
                    (_, Const(z)) if *z == 0.0 => a,
                    _ => Rc::new(Add(a, b)),
                }
            }
            Mul(a, b) => {
                let a = simplify(a);
                let b = simplify(b);
                match (&*a, &*b) {
                    (Const(x), Const(y)) => c(x * y),
                    (Const(z), _) | (_, Const(z)) if *z == 0.0 => c(0.0),
                    (Const(one), _) if *one == 1.0 => b,
                    (_, Const(one)) if *one == 1.0 => a,
                    _ => Rc::new(Mul(a, b)),
                }
            }
            Pow(_, 0) => c(1.0),
            Pow(base, 1) => simplify(base),
            Pow(base, k) => Rc::new(Pow(simplify(base), *k)),
            Sin(a) => Rc::new(Sin(simplify(a))),
            Cos(a) => Rc::new(Cos(simplify(a))),
            Const(_) | X => Rc::clone(e),
        }
    }

    pub fn deriv(e: &Rc<Expr>) -> Rc<Expr> {
        log("d", show_head(e));
        match &**e {
            Const(_) => c(0.0),
            X => c(1.0),
            Add(a, b) => Rc::new(Add(deriv(a), deriv(b))),
            Mul(a, b) => {
                let da = deriv(a);
                let db = deriv(b);
                Rc::new(Add(Rc::new(Mul(da, Rc::clone(b))), Rc::new(Mul(Rc::clone(a), db))))
            }
            Pow(base, k) => Rc::new(Mul(Rc::new(Mul(c(*k as f64), Rc::new(Pow(Rc::clone(base), k - 1)))), deriv(base))),
            Sin(a) => Rc::new(Mul(Rc::new(Cos(Rc::clone(a))), deriv(a))),
            Cos(a) => Rc::new(Mul(Rc::new(Mul(c(-1.0), Rc::new(Sin(Rc::clone(a))))), deriv(a))),
        }
    }

    pub fn eval_at(e: &Expr, x: f64) -> f64 {
        match e {
            Const(v) => *v,
            X => x,
            Add(a, b) => eval_at(a, x) + eval_at(b, x),
            Mul(a, b) => eval_at(a, x) * eval_at(b, x),
            Pow(a, k) => eval_at(a, x).powi(*k),
            Sin(a) => eval_at(a, x).sin(),
            Cos(a) => eval_at(a, x).cos(),
        }
    }

    pub fn show(e: &Expr) -> String {
        match e {
            Const(v) => format!("{v}"),
            X => "x".to_string(),
            Add(a, b) => format!("({} + {})", show(a), show(b)),
            Mul(a, b) => format!("{} * {}", show(a), show(b)),
            Pow(a, k) => format!("{}^{k}", show(a)),
            Sin(a) => format!("sin({})", show(a)),
            Cos(a) => format!("cos({})", show(a)),
        }
    }
}

fn show_head(e: &Expr) -> &'static str {
    match e {
        Const(_) => "const",
        X => "x",
        Add(..) => "add",
        Mul(..) => "mul",
        Pow(..) => "pow",
        Sin(_) => "sin",
        Cos(_) => "cos",
    }
}

fn samples() -> Vec<Rc<Expr>> {
    let x = Rc::new(X);
    let sq = Rc::new(Pow(Rc::clone(&x), 2));
    vec![
        Rc::new(Add(Rc::clone(&sq), Rc::new(Mul(c(3.0), Rc::clone(&x))))),
        Rc::new(Sin(Rc::new(Mul(Rc::clone(&sq), Rc::clone(&sq))))),
        Rc::new(Mul(Rc::new(Cos(Rc::clone(&x))), Rc::new(Add(c(0.0), Rc::new(Pow(Rc::clone(&x), 1)))))),
        Rc::new(Pow(Rc::new(Add(Rc::clone(&x), c(1.0))), 0)),
        c(7.0),
    ]
}

#[test]
fn symbolic_matches_native() {
    for e in samples() {
        let dn = logged(|| native::simplify(&native::deriv(&e)));
        let df = logged(|| run(fiber::simplify(&run(fiber::deriv(&e)))));
        assert_eq!(dn, df);
        assert_eq!(native::show(&dn.0), run(fiber::show(&df.0)));
        for x in [-1.5, 0.0, 0.3, 2.0] {
            assert_eq!(native::eval_at(&dn.0, x).to_bits(), run(fiber::eval_at(&df.0, x)).to_bits());
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn symbolic_100_000_deep() {
    const DEEP: usize = 100_000;
    // sin(sin(...sin(x + 0)...)): differentiated (a product chain), simplified, evaluated.
    let nested = || {
        let mut e = Rc::new(Add(Rc::new(X), c(0.0)));
        for _ in 0..DEEP {
            e = Rc::new(Sin(e));
        }
        e
    };
    let e = nested();
    // The derivative shares its subterms with `e`: built in linear time (walking it would not be).
    let d = run(fiber::deriv(&e));
    assert!(matches!(&*d, Mul(..)));
    let s = run(fiber::simplify(&e));
    let v = run(fiber::eval_at(&s, 0.5));
    let expected = on_big_stack(move || {
        let e = nested();
        native::eval_at(&native::simplify(&e), 0.5)
    });
    assert_eq!(v.to_bits(), expected.to_bits());
}
