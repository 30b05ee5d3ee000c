//! A small Scheme whose reader, compiler and evaluator are fibers: no Scheme program can
//! overflow the Rust stack, and Scheme tail calls run in constant space.
//!
//! `cargo run --release --example scheme`
//!
//! It has numbers, booleans, symbols, `quote`, `define`, `lambda`, `if`, `let`, `begin`, `+ - *
//! < =`, `cons`/`car`/`cdr` and `null?`. Source text is read into data (`read`), the data is
//! compiled into an expression arena (`compile`), and `eval`/`apply`, one `#[fiber] mod`, run
//! it. The demos: an expression nested 1,000,000 deep, a non-tail recursive Scheme function
//! 1,000,000 deep, a list of 1,000,000 numbers, and a tail-recursive loop of 10,000,000
//! iterations whose heap stack stays 2 frames deep.
//!
//! How a tail call stays a tail call: `#[fiber]` runs `return f(..)` (or a tail expression
//! `f(..)`) between fns of the same return type in the caller's frame when every binding still
//! in scope is either passed whole to the callee or has no destructor. So `eval` and `apply`
//! carry one owned value, the environment, reassign it before a tail call, and keep the other
//! owned values (the evaluated operator and operands) in inner blocks that end before it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::mem;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use fiber_runtime::{Fiber, Runner, fiber, run};

type Error = String;

// ---------------------------------------------------------------------------------------------
// Values and environments

/// An interned symbol: an index into `Symbols::names`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Sym(u32);

// The special forms' symbols, interned first by `Symbols::new`.
const QUOTE: Sym = Sym(0);
const IF: Sym = Sym(1);
const DEFINE: Sym = Sym(2);
const LAMBDA: Sym = Sym(3);
const LET: Sym = Sym(4);
const BEGIN: Sym = Sym(5);

#[derive(Clone, Default)]
enum Value {
    #[default]
    Nil,
    Bool(bool),
    Num(i64),
    Sym(Sym),
    Pair(Rc<Pair>),
    Closure(Rc<Closure>),
    Prim(Prim),
}

struct Pair {
    car: Value,
    cdr: Value,
}

struct Closure {
    params: Vec<Sym>,
    body: ExprId,
    env: Env,
}

#[derive(Clone, Copy)]
enum Prim {
    Add,
    Sub,
    Mul,
    Lt,
    NumEq,
    Cons,
    Car,
    Cdr,
    IsNull,
}

/// A chain of frames of variables; the last frame is the global one.
#[derive(Clone)]
struct Env(Rc<Frame>);

struct Frame {
    vars: RefCell<Vec<(Sym, Value)>>,
    parent: Option<Env>,
}

impl Value {
    fn is_true(&self) -> bool {
        !matches!(self, Value::Bool(false))
    }

    fn num(&self) -> Result<i64, Error> {
        match self {
            Value::Num(n) => Ok(*n),
            _ => Err("not a number".into()),
        }
    }

    fn sym(&self) -> Result<Sym, Error> {
        match self {
            Value::Sym(s) => Ok(*s),
            _ => Err("not a symbol".into()),
        }
    }

    fn cons(car: Value, cdr: Value) -> Value {
        Value::Pair(Rc::new(Pair { car, cdr }))
    }

    fn list(items: Vec<Value>) -> Value {
        items.into_iter().rev().fold(Value::Nil, |list, item| Value::cons(item, list))
    }

    /// The elements of a proper list, borrowed.
    fn items(&self) -> Result<Vec<&Value>, Error> {
        let mut items = Vec::new();
        let mut rest = self;
        while let Value::Pair(pair) = rest {
            items.push(&pair.car);
            rest = &pair.cdr;
        }
        match rest {
            Value::Nil => Ok(items),
            _ => Err("not a proper list".into()),
        }
    }
}

impl Env {
    fn new(vars: Vec<(Sym, Value)>, parent: Option<Env>) -> Env {
        Env(Rc::new(Frame { vars: RefCell::new(vars), parent }))
    }

    fn lookup(&self, name: Sym, symbols: &Symbols) -> Result<Value, Error> {
        let mut frame = &self.0;
        loop {
            if let Some((_, value)) = frame.vars.borrow().iter().rev().find(|(n, _)| *n == name) {
                return Ok(value.clone());
            }
            match &frame.parent {
                Some(parent) => frame = &parent.0,
                None => return Err(format!("unbound variable {}", symbols.name(name))),
            }
        }
    }

    fn define(&self, name: Sym, value: Value) {
        self.0.vars.borrow_mut().push((name, value));
    }
}

// A list 1,000,000 long, or a chain of 1,000,000 environments, would drop recursively (one
// native frame per element) and overflow the stack. These two `Drop`s take the children of a
// node out and drop them from a worklist instead.

impl Drop for Pair {
    fn drop(&mut self) {
        if self.car.is_shallow() && self.cdr.is_shallow() {
            return;
        }
        drop_iteratively(vec![mem::take(&mut self.car), mem::take(&mut self.cdr)], Vec::new());
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        let vars = self.vars.get_mut();
        let parent_shared = self.parent.as_ref().is_none_or(|p| Rc::strong_count(&p.0) > 1);
        if parent_shared && vars.iter().all(|(_, v)| v.is_shallow()) {
            return;
        }
        let values = vars.drain(..).map(|(_, v)| v).collect();
        drop_iteratively(values, self.parent.take().into_iter().collect());
    }
}

impl Value {
    /// Dropping it drops no other pair or frame.
    fn is_shallow(&self) -> bool {
        match self {
            Value::Pair(p) => Rc::strong_count(p) > 1,
            Value::Closure(c) => Rc::strong_count(c) > 1,
            _ => true,
        }
    }
}

fn drop_iteratively(mut values: Vec<Value>, mut envs: Vec<Env>) {
    loop {
        if let Some(value) = values.pop() {
            match value {
                Value::Pair(pair) => {
                    if let Ok(mut pair) = Rc::try_unwrap(pair) {
                        values.push(mem::take(&mut pair.car));
                        values.push(mem::take(&mut pair.cdr));
                    }
                }
                Value::Closure(closure) => {
                    if let Ok(closure) = Rc::try_unwrap(closure) {
                        envs.push(closure.env);
                    }
                }
                _ => {}
            }
        } else if let Some(env) = envs.pop() {
            if let Ok(mut frame) = Rc::try_unwrap(env.0) {
                values.extend(frame.vars.get_mut().drain(..).map(|(_, v)| v));
                envs.extend(frame.parent.take());
            }
        } else {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: text to data

struct Symbols {
    names: Vec<String>,
    ids: HashMap<String, Sym>,
}

impl Symbols {
    fn new() -> Symbols {
        let mut symbols = Symbols { names: Vec::new(), ids: HashMap::new() };
        for name in ["quote", "if", "define", "lambda", "let", "begin"] {
            symbols.intern(name);
        }
        symbols
    }

    fn intern(&mut self, name: &str) -> Sym {
        if let Some(&sym) = self.ids.get(name) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), sym);
        sym
    }

    fn name(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }
}

fn skip_space(src: &[u8], pos: &mut usize) {
    while src.get(*pos).is_some_and(|c| c.is_ascii_whitespace()) {
        *pos += 1;
    }
}

/// A number, a boolean or a symbol.
fn atom(src: &[u8], pos: &mut usize, symbols: &mut Symbols) -> Value {
    let start = *pos;
    while src.get(*pos).is_some_and(|c| !c.is_ascii_whitespace() && !b"()'".contains(c)) {
        *pos += 1;
    }
    let text = std::str::from_utf8(&src[start..*pos]).expect("the source is a &str");
    match text {
        "#t" => Value::Bool(true),
        "#f" => Value::Bool(false),
        _ => text.parse().map_or_else(|_| Value::Sym(symbols.intern(text)), Value::Num),
    }
}

/// Reads one datum starting at `*pos`; a list nested 1,000,000 deep is 1,000,000 frames.
#[fiber]
fn read(src: &[u8], pos: &mut usize, symbols: &mut Symbols) -> Result<Value, Error> {
    skip_space(src, pos);
    match src.get(*pos) {
        None => Err("unexpected end of input".into()),
        Some(b')') => Err(format!("unexpected `)` at byte {}", *pos)),
        Some(b'\'') => {
            *pos += 1;
            let quoted = read(src, pos, symbols)?;
            Ok(Value::list(vec![Value::Sym(QUOTE), quoted]))
        }
        Some(b'(') => {
            *pos += 1;
            let mut items = Vec::new();
            loop {
                skip_space(src, pos);
                match src.get(*pos) {
                    Some(b')') => break,
                    None => return Err("unclosed `(`".into()),
                    Some(_) => items.push(read(src, pos, symbols)?),
                }
            }
            *pos += 1;
            Ok(Value::list(items))
        }
        Some(_) => Ok(atom(src, pos, symbols)),
    }
}

// ---------------------------------------------------------------------------------------------
// Compiling: data to an expression arena

/// An index into `Program::exprs`. Closures point into the arena, which outlives every run,
/// and dropping it drops no deep tree.
#[derive(Clone, Copy)]
struct ExprId(u32);

enum Expr {
    Const(Value),
    Var(Sym),
    If(ExprId, ExprId, ExprId),
    Define(Sym, ExprId),
    Lambda(Vec<Sym>, ExprId),
    Let(Vec<(Sym, ExprId)>, ExprId),
    Begin(Vec<ExprId>),
    Call(ExprId, Vec<ExprId>),
}

struct Program {
    exprs: Vec<Expr>,
    symbols: Symbols,
}

impl Program {
    fn add(&mut self, expr: Expr) -> ExprId {
        self.exprs.push(expr);
        ExprId(self.exprs.len() as u32 - 1)
    }

    fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize]
    }
}

#[fiber]
mod compiler {
    use super::*;

    /// Compiles one datum; `(+ 1 (+ 1 ..))` nested 1,000,000 deep is 1,000,000 frames.
    pub fn compile(datum: &Value, prog: &mut Program) -> Result<ExprId, Error> {
        let expr = match datum {
            Value::Sym(name) => Expr::Var(*name),
            Value::Pair(_) => {
                let items = datum.items()?;
                match (items[0], items.len()) {
                    (Value::Sym(QUOTE), 2) => Expr::Const(items[1].clone()),
                    (Value::Sym(IF), 4) => {
                        Expr::If(compile(items[1], prog)?, compile(items[2], prog)?, compile(items[3], prog)?)
                    }
                    // `(define (f x ..) body ..)` is `(define f (lambda (x ..) body ..))`.
                    (Value::Sym(DEFINE), 3..) => match items[1] {
                        Value::Pair(head) => {
                            let params = params(&head.cdr)?;
                            let lambda = Expr::Lambda(params, body(items[2..].to_vec(), prog)?);
                            Expr::Define(head.car.sym()?, prog.add(lambda))
                        }
                        name => Expr::Define(name.sym()?, compile(items[2], prog)?),
                    },
                    (Value::Sym(LAMBDA), 3..) => {
                        Expr::Lambda(params(items[1])?, body(items[2..].to_vec(), prog)?)
                    }
                    (Value::Sym(LET), 3..) => {
                        let mut bindings = Vec::new();
                        for binding in items[1].items()? {
                            let [name, value] = binding.items()?[..] else {
                                return Err("a `let` binding is `(name value)`".into());
                            };
                            bindings.push((name.sym()?, compile(value, prog)?));
                        }
                        Expr::Let(bindings, body(items[2..].to_vec(), prog)?)
                    }
                    (Value::Sym(BEGIN), 2..) => return body(items[1..].to_vec(), prog),
                    _ => {
                        let operator = compile(items[0], prog)?;
                        let mut operands = Vec::new();
                        // A copy: a borrow of the local `items` cannot live across a call.
                        for operand in items[1..].to_vec() {
                            operands.push(compile(operand, prog)?);
                        }
                        Expr::Call(operator, operands)
                    }
                }
            }
            other => Expr::Const(other.clone()),
        };
        Ok(prog.add(expr))
    }

    /// A body of one or more expressions.
    pub fn body(exprs: Vec<&Value>, prog: &mut Program) -> Result<ExprId, Error> {
        let mut ids = Vec::new();
        for expr in exprs {
            ids.push(compile(expr, prog)?);
        }
        Ok(prog.add(Expr::Begin(ids)))
    }

    #[native]
    pub fn params(list: &Value) -> Result<Vec<Sym>, Error> {
        list.items()?.into_iter().map(Value::sym).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluating

#[fiber]
mod evaluator {
    use super::*;

    pub fn eval(prog: &Program, id: ExprId, mut env: Env) -> Result<Value, Error> {
        match prog.expr(id) {
            Expr::Const(value) => Ok(value.clone()),
            Expr::Var(name) => env.lookup(*name, &prog.symbols),
            Expr::Lambda(params, body) => {
                Ok(Value::Closure(Rc::new(Closure { params: params.clone(), body: *body, env })))
            }
            Expr::Define(name, value) => {
                let value = eval(prog, *value, env.clone())?;
                env.define(*name, value);
                Ok(Value::Sym(*name))
            }
            Expr::If(test, then, otherwise) => {
                // In a block, so that the call's `Result` (which has a destructor) is out of
                // scope at the tail call: `#[fiber]` keeps the value of `f(..)?` in a hidden
                // binding to the end of the enclosing block, which would make the tail call
                // push a frame.
                let test = { eval(prog, *test, env.clone())?.is_true() };
                // A tail call: this frame becomes the branch's.
                eval(prog, if test { *then } else { *otherwise }, env)
            }
            Expr::Let(bindings, body) => {
                env = {
                    let mut vars = Vec::with_capacity(bindings.len());
                    for &(name, value) in bindings {
                        vars.push((name, eval(prog, value, env.clone())?));
                    }
                    Env::new(vars, Some(env.clone()))
                };
                eval(prog, *body, env)
            }
            Expr::Begin(exprs) => {
                let Some((&last, init)) = exprs.split_last() else { return Ok(Value::Nil) };
                for &expr in init {
                    eval(prog, expr, env.clone())?;
                }
                eval(prog, last, env)
            }
            Expr::Call(..) => apply(prog, id, env),
        }
    }

    /// A call `(f a ..)`: evaluates the operator and the operands, then runs a closure's body
    /// in this frame, or a primitive natively.
    // (It takes the call's id rather than `operator` and `operands: &[ExprId]`: a fn of a
    // `#[fiber] mod` with two reference parameters does not compile yet, E0700.)
    pub fn apply(prog: &Program, call: ExprId, mut env: Env) -> Result<Value, Error> {
        let Expr::Call(operator, operands) = prog.expr(call) else { unreachable!("apply runs calls") };
        let body = {
            let callee = match quick(prog, *operator, &env) {
                Some(value) => value?,
                None => eval(prog, *operator, env.clone())?,
            };
            let mut args = Vec::with_capacity(operands.len());
            for &operand in operands {
                args.push(match quick(prog, operand, &env) {
                    Some(value) => value?,
                    None => eval(prog, operand, env.clone())?,
                });
            }
            match callee {
                Value::Prim(prim) => return prim.call(&args),
                Value::Closure(closure) if closure.params.len() == args.len() => {
                    let vars = closure.params.iter().copied().zip(args).collect();
                    env = Env::new(vars, Some(closure.env.clone()));
                    closure.body
                }
                Value::Closure(_) => return Err("wrong number of arguments".into()),
                _ => return Err("not a procedure".into()),
            }
        };
        eval(prog, body, env)
    }
}

use evaluator::eval;

/// The value of a constant or a variable, found without a frame of its own; `None` for other
/// expressions. (Only a shortcut: `eval` gives the same values, in twice the steps.)
fn quick(prog: &Program, id: ExprId, env: &Env) -> Option<Result<Value, Error>> {
    match prog.expr(id) {
        Expr::Const(value) => Some(Ok(value.clone())),
        Expr::Var(name) => Some(env.lookup(*name, &prog.symbols)),
        _ => None,
    }
}

impl Prim {
    fn call(self, args: &[Value]) -> Result<Value, Error> {
        let num = |i: usize| args.get(i).ok_or_else(|| "missing argument".to_string())?.num();
        let pair = |i: usize| match args.first() {
            Some(Value::Pair(pair)) => Ok(if i == 0 { pair.car.clone() } else { pair.cdr.clone() }),
            _ => Err("not a pair".to_string()),
        };
        Ok(match self {
            Prim::Add => Value::Num(args.iter().map(Value::num).sum::<Result<i64, Error>>()?),
            Prim::Mul => Value::Num(args.iter().map(Value::num).product::<Result<i64, Error>>()?),
            Prim::Sub => Value::Num(num(0)? - num(1)?),
            Prim::Lt => Value::Bool(num(0)? < num(1)?),
            Prim::NumEq => Value::Bool(num(0)? == num(1)?),
            Prim::Cons => Value::cons(args[0].clone(), args[1].clone()),
            Prim::Car => pair(0)?,
            Prim::Cdr => pair(1)?,
            Prim::IsNull => Value::Bool(matches!(args.first(), Some(Value::Nil))),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Printing, as a fiber too: a value may be nested 1,000,000 deep.

#[fiber]
fn write(value: &Value, symbols: &Symbols, out: &mut String) {
    match value {
        Value::Nil => out.push_str("()"),
        Value::Bool(b) => out.push_str(if *b { "#t" } else { "#f" }),
        Value::Num(n) => out.push_str(&n.to_string()),
        Value::Sym(s) => out.push_str(symbols.name(*s)),
        Value::Closure(_) => out.push_str("#<closure>"),
        Value::Prim(_) => out.push_str("#<primitive>"),
        Value::Pair(_) => {
            out.push('(');
            let mut rest = value;
            while let Value::Pair(pair) = rest {
                write(&pair.car, symbols, out);
                rest = &pair.cdr;
                if matches!(rest, Value::Pair(_)) {
                    out.push(' ');
                }
            }
            if !matches!(rest, Value::Nil) {
                out.push_str(" . ");
                write(rest, symbols, out);
            }
            out.push(')');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The demos

/// Runs a fiber to its end, with how deep its heap stack went and how long it took.
fn measure<F: Fiber>(fiber: F) -> (F::Output, usize, Duration) {
    let start = Instant::now();
    let mut runner = Runner::new(fiber);
    loop {
        if let Poll::Ready(result) = runner.resume(u64::MAX) {
            let output = result.expect("no depth limit was set");
            return (output, runner.peak_depth(), start.elapsed());
        }
    }
}

struct Scheme {
    prog: Program,
    global: Env,
}

impl Scheme {
    fn new() -> Scheme {
        let mut symbols = Symbols::new();
        let prims = [
            ("+", Prim::Add),
            ("-", Prim::Sub),
            ("*", Prim::Mul),
            ("<", Prim::Lt),
            ("=", Prim::NumEq),
            ("cons", Prim::Cons),
            ("car", Prim::Car),
            ("cdr", Prim::Cdr),
            ("null?", Prim::IsNull),
        ];
        let vars = prims.into_iter().map(|(name, prim)| (symbols.intern(name), Value::Prim(prim))).collect();
        Scheme { prog: Program { exprs: Vec::new(), symbols }, global: Env::new(vars, None) }
    }

    /// Reads, compiles and evaluates each expression of `src`, printing each with its value and
    /// how deep and how long each stage went. Returns the last value, printed.
    fn run(&mut self, src: &str) -> Result<String, Error> {
        let bytes = src.as_bytes();
        let (mut pos, mut printed) = (0, String::new());
        loop {
            skip_space(bytes, &mut pos);
            if pos == bytes.len() {
                return Ok(printed);
            }
            let start = pos;
            let (datum, read_depth, read_time) = measure(read(bytes, &mut pos, &mut self.prog.symbols));
            let (id, compile_depth, compile_time) = measure(compiler::compile(&datum?, &mut self.prog));
            let (value, eval_depth, eval_time) = measure(eval(&self.prog, id?, self.global.clone()));
            printed.clear();
            run(write(&value?, &self.prog.symbols, &mut printed));
            println!("> {}\n  {}", abridged(&src[start..pos]), abridged(&printed));
            println!(
                "  (read {read_depth} frames deep in {read_time:.1?}, compiled {compile_depth} deep in \
                 {compile_time:.1?}, evaluated {eval_depth} deep in {eval_time:.1?})"
            );
        }
    }
}

fn abridged(text: &str) -> String {
    match text.char_indices().nth(70) {
        Some((end, _)) => format!("{} ... ({} bytes)", &text[..end], text.len()),
        None => text.to_string(),
    }
}

fn main() -> Result<(), Error> {
    let mut scheme = Scheme::new();

    println!("A warm-up: let, define, lambda, quote, lists.");
    scheme.run(
        "(let ((x 6) (y 7)) (* x y))
         (define (map f xs) (if (null? xs) '() (cons (f (car xs)) (map f (cdr xs)))))
         (map (lambda (x) (* x x)) '(1 2 3 4 5))",
    )?;

    println!("\nAn expression nested 1,000,000 deep: (+ 1 (+ 1 ... (+ 1 0)...)).");
    let n = 1_000_000;
    let nested = format!("{}0{}", "(+ 1 ".repeat(n), ")".repeat(n));
    assert_eq!(scheme.run(&nested)?, n.to_string());

    println!("\nA non-tail recursive function, 1,000,000 calls deep.");
    let last = scheme.run(
        "(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))
         (count 1000000)",
    )?;
    assert_eq!(last, "1000000");

    println!("\nA list of 1,000,000 numbers, built and summed by non-tail recursion, then dropped.");
    let last = scheme.run(
        "(define (range n) (if (= n 0) '() (cons n (range (- n 1)))))
         (define (sum xs) (if (null? xs) 0 (+ (car xs) (sum (cdr xs)))))
         (sum (range 1000000))",
    )?;
    assert_eq!(last, "500000500000");

    println!("\nA tail-recursive loop of 10,000,000 iterations: each call replaces its caller's frame.");
    let last = scheme.run(
        "(define (loop n acc) (if (= n 0) acc (loop (- n 1) (+ acc 2))))
         (loop 10000000 0)",
    )?;
    assert_eq!(last, "20000000");
    Ok(())
}
