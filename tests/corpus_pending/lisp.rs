//! PENDING: a small Lisp (reader + evaluator as `#[fiber] impl`s), natively valid, rejected
//! by `#[fiber]`. `apply` evaluates a lambda's body through the `Rc<Lambda>` it matched out of
//! its by-value `Value` argument: `self.eval(&lambda.body)`.
//!
//! Error (rustc, through the macro's borrow check of frame locals):
//!
//! ```text
//! error[E0277]: a borrow of this `std::rc::Rc<lisp::fiber::Lambda>` outlives a recursive call, but the `std::rc::Rc<lisp::fiber::Lambda>` is a local of the fiber fn
//!    --> tests/corpus/lisp.rs:303:45
//!     |
//! 303 |                     let result = self.eval(&lambda.body);
//!     |                                             ^^^^^^ borrowed here, and the borrow is passed to a recursive call or used after one
//!     = note: to fix it, iterate by value or by index, pass an owned value, copy what you need before the call, or borrow again after it
//! ```
//!
//! Reduced (the body lives behind the `Rc`, on the heap, so it would not move with the frame):
//!
//! ```rust,ignore
//! pub struct Lambda { pub body: Expr }
//! pub enum Expr { Num(u64), Call(Rc<Lambda>) }
//! pub struct Interp;
//! #[fiber]
//! impl Interp {
//!     pub fn eval(&mut self, e: &Expr) -> u64 {
//!         match e {
//!             Expr::Num(n) => *n,
//!             Expr::Call(f) => self.apply(Rc::clone(f)),
//!         }
//!     }
//!     fn apply(&mut self, f: Rc<Lambda>) -> u64 {
//!         self.eval(&f.body) // E0277: a borrow of this `Rc<Lambda>` outlives a recursive call
//!     }
//! }
//! ```

use std::collections::HashMap;
use std::rc::Rc;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

pub fn tokenize(src: &str) -> Vec<String> {
    src.replace('(', " ( ").replace(')', " ) ").replace('\'', " ' ").split_whitespace().map(String::from).collect()
}

twins! {
    shared {
        #[derive(Debug, Clone, PartialEq)]
        pub enum Sexp {
            Int(i64),
            Sym(String),
            List(Vec<Sexp>),
        }

        impl Drop for Sexp {
            fn drop(&mut self) {
                let Sexp::List(items) = self else { return };
                let mut stack = std::mem::take(items);
                while let Some(mut s) = stack.pop() {
                    if let Sexp::List(items) = &mut s {
                        stack.append(items);
                    }
                }
            }
        }

        #[derive(Debug, Clone)]
        pub enum Value {
            Nil,
            Int(i64),
            Bool(bool),
            List(Vec<Value>),
            Builtin(String),
            Lambda(Rc<Lambda>),
        }

        #[derive(Debug)]
        pub struct Lambda {
            pub params: Vec<String>,
            pub body: Sexp,
        }

        impl Value {
            pub fn truthy(&self) -> bool {
                !matches!(self, Value::Nil | Value::Bool(false))
            }

            pub fn show(&self) -> String {
                match self {
                    Value::Nil => "()".to_string(),
                    Value::Int(n) => n.to_string(),
                    Value::Bool(b) => if *b { "#t".into() } else { "#f".into() },
                    Value::List(items) => {
                        let parts: Vec<String> = items.iter().map(Value::show).collect();
                        format!("({})", parts.join(" "))
                    }
                    Value::Builtin(name) => format!("<builtin {name}>"),
                    Value::Lambda(l) => format!("<lambda/{}>", l.params.len()),
                }
            }
        }

        pub struct Reader {
            tokens: Vec<String>,
            pos: usize,
        }

        impl Reader {
            pub fn new(src: &str) -> Reader {
                Reader { tokens: super::tokenize(src), pos: 0 }
            }

            fn peek(&self) -> Option<&str> {
                self.tokens.get(self.pos).map(|s| s.as_str())
            }

            fn advance(&mut self) -> Option<String> {
                let tok = self.tokens.get(self.pos).cloned();
                self.pos += 1;
                tok
            }
        }

        pub struct Lisp {
            globals: HashMap<String, Value>,
            locals: Vec<(String, Value)>,
        }

        impl Lisp {
            pub fn new() -> Lisp {
                let mut globals = HashMap::new();
                for op in ["+", "-", "*", "<", "=", "list", "car", "cdr", "cons", "null?"] {
                    globals.insert(op.to_string(), Value::Builtin(op.to_string()));
                }
                Lisp { globals, locals: Vec::new() }
            }

            fn lookup(&self, name: &str) -> Result<Value, String> {
                if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == name) {
                    return Ok(v.clone());
                }
                self.globals.get(name).cloned().ok_or_else(|| format!("unbound symbol: {name}"))
            }

            fn builtin(name: &str, args: Vec<Value>) -> Result<Value, String> {
                let ints = || -> Result<Vec<i64>, String> {
                    args.iter()
                        .map(|a| match a {
                            Value::Int(n) => Ok(*n),
                            other => Err(format!("{name}: not a number: {}", other.show())),
                        })
                        .collect()
                };
                Ok(match name {
                    "+" => Value::Int(ints()?.iter().sum()),
                    "*" => Value::Int(ints()?.iter().product()),
                    "-" => {
                        let xs = ints()?;
                        match xs.split_first() {
                            None => return Err("-: no arguments".into()),
                            Some((first, [])) => Value::Int(-first),
                            Some((first, rest)) => Value::Int(first - rest.iter().sum::<i64>()),
                        }
                    }
                    "<" => Value::Bool(ints()?.windows(2).all(|w| w[0] < w[1])),
                    "=" => Value::Bool(ints()?.windows(2).all(|w| w[0] == w[1])),
                    "list" => Value::List(args),
                    "null?" => Value::Bool(matches!(args.first(), Some(Value::Nil)) || matches!(args.first(), Some(Value::List(v)) if v.is_empty())),
                    "car" => match args.into_iter().next() {
                        Some(Value::List(v)) if !v.is_empty() => v[0].clone(),
                        _ => return Err("car: not a pair".into()),
                    },
                    "cdr" => match args.into_iter().next() {
                        Some(Value::List(v)) if !v.is_empty() => Value::List(v[1..].to_vec()),
                        _ => return Err("cdr: not a pair".into()),
                    },
                    "cons" => {
                        let mut it = args.into_iter();
                        match (it.next(), it.next()) {
                            (Some(head), Some(Value::List(mut tail))) => {
                                tail.insert(0, head);
                                Value::List(tail)
                            }
                            (Some(head), Some(Value::Nil)) => Value::List(vec![head]),
                            _ => return Err("cons: bad arguments".into()),
                        }
                    }
                    _ => return Err(format!("unknown builtin {name}")),
                })
            }
        }

        pub fn quote(s: &Sexp) -> Value {
            match s {
                Sexp::Int(n) => Value::Int(*n),
                Sexp::Sym(name) => Value::Builtin(name.clone()),
                Sexp::List(items) if items.is_empty() => Value::Nil,
                Sexp::List(items) => Value::List(items.iter().map(quote).collect()),
            }
        }
    }

    impl Reader {
        pub fn read(&mut self) -> Result<Sexp, String> {
            let Some(tok) = self.advance() else {
                return Err("unexpected end of input".to_string());
            };
            match tok.as_str() {
                "(" => {
                    let mut items = Vec::new();
                    loop {
                        match self.peek() {
                            Some(")") => {
                                self.advance();
                                break;
                            }
                            None => return Err("unclosed (".to_string()),
                            _ => items.push(self.read()?),
                        }
                    }
                    Ok(Sexp::List(items))
                }
                ")" => Err("unexpected )".to_string()),
                "'" => {
                    let quoted = self.read()?;
                    Ok(Sexp::List(vec![Sexp::Sym("quote".into()), quoted]))
                }
                _ => Ok(match tok.parse::<i64>() {
                    Ok(n) => Sexp::Int(n),
                    Err(_) => Sexp::Sym(tok),
                }),
            }
        }
    }

    impl Lisp {
        pub fn eval(&mut self, expr: &Sexp) -> Result<Value, String> {
            let items = match expr {
                Sexp::Int(n) => return Ok(Value::Int(*n)),
                Sexp::Sym(name) => return self.lookup(name),
                Sexp::List(items) => items,
            };
            let Some((head, args)) = items.split_first() else {
                return Ok(Value::Nil);
            };
            if let Sexp::Sym(form) = head {
                match form.as_str() {
                    "quote" => return Ok(quote(&args[0])),
                    "if" => {
                        let cond = self.eval(&args[0])?;
                        return if cond.truthy() {
                            self.eval(&args[1])
                        } else if let Some(otherwise) = args.get(2) {
                            self.eval(otherwise)
                        } else {
                            Ok(Value::Nil)
                        };
                    }
                    "define" => {
                        let Sexp::Sym(name) = &args[0] else {
                            return Err("define: expected a name".into());
                        };
                        let value = self.eval(&args[1])?;
                        self.globals.insert(name.clone(), value);
                        return Ok(Value::Nil);
                    }
                    "lambda" => {
                        let Sexp::List(params) = &args[0] else {
                            return Err("lambda: expected a parameter list".into());
                        };
                        let mut names = Vec::new();
                        for p in params {
                            match p {
                                Sexp::Sym(s) => names.push(s.clone()),
                                _ => return Err("lambda: bad parameter".into()),
                            }
                        }
                        return Ok(Value::Lambda(Rc::new(Lambda { params: names, body: args[1].clone() })));
                    }
                    "let" => {
                        let Sexp::List(bindings) = &args[0] else {
                            return Err("let: expected bindings".into());
                        };
                        let mark = self.locals.len();
                        for b in bindings {
                            if let Sexp::List(pair) = b {
                                if let [Sexp::Sym(name), value] = pair.as_slice() {
                                    let v = self.eval(value)?;
                                    self.locals.push((name.clone(), v));
                                    continue;
                                }
                            }
                            self.locals.truncate(mark);
                            return Err("let: bad binding".into());
                        }
                        let result = self.eval(&args[1]);
                        self.locals.truncate(mark);
                        return result;
                    }
                    "begin" => {
                        let mut last = Value::Nil;
                        for e in args {
                            last = self.eval(e)?;
                        }
                        return Ok(last);
                    }
                    "print" => {
                        let v = self.eval(&args[0])?;
                        log("print", v.show());
                        return Ok(v);
                    }
                    _ => {}
                }
            }
            let f = self.eval(head)?;
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(self.eval(a)?);
            }
            self.apply(f, values)
        }

        fn apply(&mut self, f: Value, args: Vec<Value>) -> Result<Value, String> {
            match f {
                Value::Builtin(name) => Lisp::builtin(&name, args),
                Value::Lambda(lambda) => {
                    if lambda.params.len() != args.len() {
                        return Err(format!("arity: expected {}, got {}", lambda.params.len(), args.len()));
                    }
                    let mark = self.locals.len();
                    for (p, v) in lambda.params.iter().zip(args) {
                        self.locals.push((p.clone(), v));
                    }
                    let result = self.eval(&lambda.body);
                    self.locals.truncate(mark);
                    result
                }
                other => Err(format!("not a function: {}", other.show())),
            }
        }
    }
}

const PROGRAMS: &[&str] = &[
    "(+ 1 2 (* 3 4))",
    "(begin (define sq (lambda (x) (* x x))) (sq 12))",
    "(begin (define fact (lambda (n) (if (< n 1) 1 (* n (fact (- n 1)))))) (fact 10))",
    "(let ((a 2) (b 5)) (print (list a b (+ a b))))",
    "(begin (define len (lambda (l) (if (null? l) 0 (+ 1 (len (cdr l)))))) (len '(1 2 3 4 5)))",
    "(car '())",
    "(undefined 1)",
    "(+ 1 (print 2) (print (- 9)))",
    "((lambda (x y) (cons x y)) 1 '(2 3))",
    "(1 2",
    ")",
];

fn run_native(src: &str) -> Result<String, String> {
    let mut reader = native::Reader::new(src);
    let program = reader.read()?;
    native::Lisp::new().eval(&program).map(|v| v.show())
}

fn run_fiber(src: &str) -> Result<String, String> {
    let mut reader = fiber::Reader::new(src);
    let program = run(reader.read())?;
    run(fiber::Lisp::new().eval(&program)).map(|v| v.show())
}

#[test]
fn lisp_matches_native() {
    for src in PROGRAMS {
        assert_eq!(logged(|| run_native(src)), logged(|| run_fiber(src)), "{src}");
    }
    assert_eq!(run_fiber(PROGRAMS[2]), Ok("3628800".to_string()));
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn lisp_100_000_deep() {
    const DEEP: usize = 100_000;
    // A nested expression read and evaluated 100,000 deep.
    let nested = format!("{}0{}", "(+ 1 ".repeat(DEEP), ")".repeat(DEEP));
    assert_eq!(run_fiber(&nested), Ok(DEEP.to_string()));
    let n2 = nested.clone();
    assert_eq!(on_big_stack(move || run_native(&n2)), Ok(DEEP.to_string()));
    // A non-tail recursive lisp function 100,000 calls deep.
    let count = format!("(begin (define down (lambda (n) (if (< n 1) 0 (+ 1 (down (- n 1)))))) (down {DEEP}))");
    assert_eq!(run_fiber(&count), Ok(DEEP.to_string()));
}
