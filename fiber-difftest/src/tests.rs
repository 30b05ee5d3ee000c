//! The generator's promises: the same seed gives the same program, every program parses, and
//! every program terminates (fuel decreases on every recursive call, loops count).

use crate::generator::{Features, Program, Receiver, Shape};
use crate::rng::program_seed;
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{
    BinOp, Block, Expr, ExprCall, ExprIf, ExprLoop, ExprMethodCall, ExprWhile, Item, Lit, Local, Stmt,
};

fn programs(count: u64, features: Features) -> impl Iterator<Item = Program> {
    (0..count).map(move |k| Program::generate(program_seed(7, k), features))
}

#[test]
fn same_seed_same_program() {
    for k in 0..100 {
        let seed = program_seed(3, k);
        let (a, b) =
            (Program::generate(seed, Features::default()), Program::generate(seed, Features::default()));
        assert_eq!(a.source(), b.source());
        assert_eq!(a.inputs(), b.inputs());
    }
    assert_ne!(
        Program::generate(1, Features::default()).source(),
        Program::generate(2, Features::default()).source()
    );
}

#[test]
fn programs_parse() {
    for p in programs(500, Features::default()) {
        if let Err(e) = syn::parse_file(&p.source()) {
            panic!("program {:#x} does not parse: {e}\n{}", p.seed, p.source());
        }
    }
}

#[test]
fn simplifications_parse() {
    for p in programs(10, Features::default()) {
        for body in p.body.simplifications().iter().take(200) {
            let source = p.source_with(body);
            assert!(source.len() < p.source().len());
            if let Err(e) = syn::parse_file(&source) {
                panic!("a simplification of {:#x} does not parse: {e}\n{source}", p.seed);
            }
        }
    }
}

#[test]
fn programs_terminate() {
    let mut calls = 0;
    for p in programs(500, Features { drops: false, panics: false, ..Features::default() }) {
        let file = syn::parse_file(&p.source()).expect("parses");
        let mut check = Termination::default();
        for block in bodies(&file) {
            check.guarded = false;
            check.fn_body(block);
        }
        if !check.errors.is_empty() {
            panic!("program {:#x}: {}\n{}", p.seed, check.errors.join("\n"), p.source());
        }
        assert_eq!(check.calls == 0, p.branching == 0, "{:#x}: branching {}", p.seed, p.branching);
        calls += check.calls;
    }
    assert!(calls > 1000, "the programs recurse ({calls} calls in 500 programs)");
}

/// The bodies of the program's fns: the fn, the fns of the `mod`, the methods of the `impl`.
fn bodies(file: &syn::File) -> Vec<&Block> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Fn(f) => out.push(&*f.block),
            Item::Mod(m) => {
                let items = m.content.as_ref().map(|(_, items)| &items[..]).unwrap_or_default();
                out.extend(
                    items.iter().filter_map(|i| if let Item::Fn(f) = i { Some(&*f.block) } else { None }),
                );
            }
            Item::Impl(i) => out.extend(
                i.items
                    .iter()
                    .filter_map(|i| if let syn::ImplItem::Fn(f) = i { Some(&f.block) } else { None }),
            ),
            _ => {}
        }
    }
    out
}

/// The file of each shape: `mod m` with two or three fns, `struct S` and `impl S` with one or
/// two methods, and a fn `f` the same as with the other shapes switched off.
#[test]
fn shapes_are_whole_files() {
    let only_fns = Features { mutual: false, methods: false, ..Features::default() };
    let mut seen = Vec::new();
    for p in programs(300, Features::default()) {
        let file = syn::parse_file(&p.source()).expect("parses");
        let names: Vec<String> = match (&p.shape, &file.items[..]) {
            (Shape::Fn, [Item::Fn(f)]) => vec![f.sig.ident.to_string()],
            (Shape::Mod, [Item::Mod(m)]) => {
                assert_eq!(m.ident, "m");
                let items = &m.content.as_ref().expect("an inline mod").1;
                assert!(matches!(&items[0], Item::Use(_)), "`use super::*;` first");
                items[1..]
                    .iter()
                    .map(|i| if let Item::Fn(f) = i { f.sig.ident.to_string() } else { panic!() })
                    .collect()
            }
            (Shape::Impl(receiver), [Item::Struct(s), Item::Impl(i)]) => {
                assert_eq!(s.ident, "S");
                let fns: Vec<&syn::ImplItemFn> =
                    i.items.iter().map(|i| if let syn::ImplItem::Fn(f) = i { f } else { panic!() }).collect();
                for f in &fns {
                    let first = f.sig.inputs.first().expect("a receiver").to_token_stream().to_string();
                    assert_eq!(first.replace(' ', ""), receiver.rust().replace(' ', ""));
                }
                fns.iter().map(|f| f.sig.ident.to_string()).collect()
            }
            _ => panic!("program {:#x} is not a {:?}:\n{}", p.seed, p.shape, p.source()),
        };
        assert_eq!(names, p.fns.iter().map(|f| f.name).collect::<Vec<_>>());
        if p.shape == Shape::Fn {
            assert_eq!(p.source(), Program::generate(p.seed, only_fns).source(), "{:#x}", p.seed);
        }
        seen.push(p.shape);
    }
    for shape in [Shape::Fn, Shape::Mod, Shape::Impl(Receiver::Ref), Shape::Impl(Receiver::Mut)] {
        assert!(seen.contains(&shape), "no {shape:?} in 300 programs");
    }
    assert!(seen.contains(&Shape::Impl(Receiver::Value)));
}

/// The group shapes call across fns in every form, and with different return types.
#[test]
fn group_call_forms_appear() {
    let all: String = programs(400, Features::default()).map(|p| p.source()).collect();
    for form in [
        " h(fuel",
        "self::h(fuel",
        "super::m::h(fuel",
        "self::f(fuel",
        "self.f(fuel",
        "self.h(fuel",
        "Self::f(self, fuel",
        "S::h(self, fuel",
        "(S { k: ",
        "self.k = ",
        "self.k",
    ] {
        assert!(all.contains(form), "no `{form}` in 400 programs");
    }
    let mixed = programs(400, Features::default()).filter(|p| p.fns.iter().any(|f| f.ret != p.ret)).count();
    assert!(mixed > 50, "{mixed} groups with different return types");
}

/// The termination check itself rejects what it must.
#[test]
fn termination_check_rejects_runaway_programs() {
    let bad = [
        "fn f(fuel: u32) -> i64 { f(fuel - 1) }",
        "fn f(fuel: u32) -> i64 { if fuel > 0 { f(fuel) } else { 0 } }",
        "fn f(fuel: u32) -> i64 { if fuel == 0 { return 0; } match 1 { k if f(fuel - 1) > k => 1, _ => 2 } }",
        "fn f(fuel: u32) -> i64 { loop { log(1); } }",
        "fn f(fuel: u32) -> i64 { let mut i = 0; while true { i += 1; } 0 }",
        "fn f(fuel: u32) -> i64 { let mut i = 0; loop { i += 1; if i > 2 { break { if true { continue; } 1 }; } } }",
        "fn f(fuel: u32) -> i64 { let mut i = 0; 'l: loop { i += 1; if i > 2 { break loop { continue 'l; }; } } }",
        "mod m { fn f(fuel: u32) -> i64 { if fuel == 0 { return 0; } 1 } fn h(fuel: u32) -> i64 { super::m::f(fuel) } }",
        "impl S { fn f(&self, fuel: u32) -> i64 { if fuel > 0 { Self::f(self, fuel) } else { 0 } } }",
        "impl S { fn f(self, fuel: u32) -> i64 { if fuel > 0 { 1 } else { S { k: 1 }.f(fuel - 1) } } }",
    ];
    for source in bad {
        let file = syn::parse_file(source).expect("parses");
        let mut check = Termination::default();
        for block in bodies(&file) {
            check.guarded = false;
            check.fn_body(block);
        }
        assert!(!check.errors.is_empty(), "accepted: {source}");
    }
}

#[test]
fn features_switch_forms_on() {
    let source = |features| programs(200, features).map(|p| p.source()).collect::<String>();
    let plain = source(Features { drops: false, panics: false, ..Features::default() });
    assert!(!plain.contains("Noisy") && !plain.contains("boom"));
    let all = source(Features::default());
    assert!(all.contains("Noisy::new(") && all.contains("boom("));
    assert!(Features::parse("-drops, -panics").is_ok_and(|f| !f.drops && !f.panics && f.swap_refs));
    assert!(Features::parse("-swap-refs").is_ok_and(|f| !f.swap_refs));
    assert!(Features::parse("-mutual,-methods").is_ok_and(|f| !f.mutual && !f.methods && f.drops));
    assert!(Features::parse("nonsense").is_err());
    let fns = Features { mutual: false, methods: false, ..Features::default() };
    assert!(programs(100, fns).all(|p| p.shape == Shape::Fn));
    let mods = Features { methods: false, ..Features::default() };
    assert!(programs(100, mods).all(|p| !matches!(p.shape, Shape::Impl(_))));
    assert!(programs(100, mods).any(|p| p.shape == Shape::Mod));
    let methods = Features { mutual: false, ..Features::default() };
    assert!(programs(100, methods).all(|p| p.shape != Shape::Mod));
    assert!(programs(100, methods).any(|p| matches!(p.shape, Shape::Impl(_))));
}

/// Checks each recursive call passes a smaller fuel and runs only where `fuel > 0`, never in a
/// match guard or a `let .. else` block, and each `loop`/`while` counts up to a bound.
#[derive(Default)]
struct Termination {
    guarded: bool,
    no_calls: bool,
    calls: usize,
    errors: Vec<String>,
}

impl Termination {
    fn fn_body(&mut self, block: &Block) {
        for stmt in &block.stmts {
            self.visit_stmt(stmt);
            // `if fuel == 0 { return .. }` guards the rest of the body.
            if let Stmt::Expr(Expr::If(e), _) = stmt {
                if is_binary(&e.cond, "fuel", |op| matches!(op, BinOp::Eq(_)), 0) && e.else_branch.is_none() {
                    self.guarded = true;
                }
            }
        }
    }

    fn error(&mut self, what: &str, node: &impl ToTokens) {
        self.errors.push(format!("{what}: {}", node.to_token_stream()));
    }
}

/// `left op right` with `left` the name `name` and `right` the integer `value`.
fn is_binary(e: &Expr, name: &str, op: impl Fn(&BinOp) -> bool, value: u64) -> bool {
    let e = strip(e);
    let Expr::Binary(b) = e else { return false };
    op(&b.op) && is_name(&b.left, name) && is_int(&b.right, value)
}

fn strip(mut e: &Expr) -> &Expr {
    while let Expr::Paren(p) = e {
        e = &p.expr;
    }
    e
}

fn is_name(e: &Expr, name: &str) -> bool {
    matches!(strip(e), Expr::Path(p) if p.path.is_ident(name))
}

fn is_int(e: &Expr, value: u64) -> bool {
    matches!(strip(e), Expr::Lit(l) if matches!(&l.lit, Lit::Int(i) if i.base10_parse::<u64>().ok() == Some(value)))
}

fn is_fuel_guard(e: &Expr) -> bool {
    is_binary(e, "fuel", |op| matches!(op, BinOp::Gt(_) | BinOp::Ne(_)), 0)
        || is_binary(e, "fuel", |op| matches!(op, BinOp::Ge(_)), 1)
        || matches!(strip(e), Expr::Binary(b) if matches!(b.op, BinOp::Lt(_)) && is_int(&b.left, 0) && is_name(&b.right, "fuel"))
}

/// `fuel - 1`, `fuel / 2` or `fuel.saturating_sub(k)` with `k >= 1`.
fn is_smaller_fuel(e: &Expr) -> bool {
    is_binary(e, "fuel", |op| matches!(op, BinOp::Sub(_)), 1)
        || is_binary(e, "fuel", |op| matches!(op, BinOp::Div(_)), 2)
        || matches!(strip(e), Expr::MethodCall(m)
            if m.method == "saturating_sub" && is_name(&m.receiver, "fuel")
                && m.args.len() == 1 && !is_int(&m.args[0], 0))
}

/// Finds a `continue` of the loop being checked: unlabeled outside nested loops, or with its
/// label.
struct ContinueOf {
    label: Option<String>,
    depth: usize,
    found: bool,
}

impl<'ast> Visit<'ast> for ContinueOf {
    fn visit_expr_continue(&mut self, e: &'ast syn::ExprContinue) {
        let label = e.label.as_ref().map(|l| l.ident.to_string());
        self.found |= (label.is_none() && self.depth == 0) || (label.is_some() && label == self.label);
    }

    fn visit_expr_loop(&mut self, e: &'ast ExprLoop) {
        self.depth += 1;
        visit::visit_expr_loop(self, e);
        self.depth -= 1;
    }

    fn visit_expr_while(&mut self, e: &'ast ExprWhile) {
        self.depth += 1;
        visit::visit_expr_while(self, e);
        self.depth -= 1;
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.depth += 1;
        visit::visit_expr_for_loop(self, e);
        self.depth -= 1;
    }
}

/// The counter of `i += 1;`.
fn increment(stmt: Option<&Stmt>) -> Option<String> {
    let Some(Stmt::Expr(Expr::Binary(b), _)) = stmt else { return None };
    let Expr::Path(p) = &*b.left else { return None };
    let counter = p.path.get_ident()?.to_string();
    (matches!(b.op, BinOp::AddAssign(_)) && is_int(&b.right, 1)).then_some(counter)
}

/// A fn of the program: `f`, `h` or `g`.
fn is_program_fn(name: &syn::Ident) -> bool {
    name == "f" || name == "h" || name == "g"
}

impl Termination {
    /// A recursive call, with its fuel argument.
    fn call(&mut self, fuel: Option<&Expr>, call: &impl ToTokens) {
        self.calls += 1;
        if !self.guarded {
            self.error("a call where fuel may be 0", call);
        }
        if self.no_calls {
            self.error("a call in a guard or `let .. else`", call);
        }
        if !fuel.is_some_and(is_smaller_fuel) {
            self.error("a call without a smaller fuel", call);
        }
    }
}

impl<'ast> Visit<'ast> for Termination {
    /// `f(..)`, `self::h(..)`, `super::m::h(..)`, `Self::f(self, ..)`, `S::h(self, ..)`.
    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        if let Expr::Path(p) = strip(&call.func) {
            if p.path.segments.last().is_some_and(|s| is_program_fn(&s.ident)) {
                let method = call.args.first().is_some_and(|a| is_name(a, "self"));
                self.call(call.args.iter().nth(usize::from(method)), call);
            }
        }
        visit::visit_expr_call(self, call);
    }

    /// `self.f(..)`, `S { k: .. }.h(..)`.
    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if is_program_fn(&call.method) {
            self.call(call.args.first(), call);
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_if(&mut self, e: &'ast ExprIf) {
        self.visit_expr(&e.cond);
        let saved = self.guarded;
        self.guarded |= is_fuel_guard(&e.cond);
        self.visit_block(&e.then_branch);
        self.guarded = saved;
        if let Some((_, other)) = &e.else_branch {
            self.visit_expr(other);
        }
    }

    fn visit_pat_guard(&mut self, pat: &'ast syn::PatGuard) {
        self.visit_pat(&pat.pat);
        let saved = std::mem::replace(&mut self.no_calls, true);
        self.visit_expr(&pat.guard);
        self.no_calls = saved;
    }

    fn visit_local(&mut self, local: &'ast Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                let saved = std::mem::replace(&mut self.no_calls, true);
                self.visit_expr(diverge);
                self.no_calls = saved;
            }
        }
    }

    fn visit_expr_loop(&mut self, e: &'ast ExprLoop) {
        // `loop { i += 1; if i > k { break ..; } .. }`
        let counter = increment(e.body.stmts.first());
        let exits = matches!(e.body.stmts.get(1), Some(Stmt::Expr(Expr::If(exit), _))
            if counter.as_deref().is_some_and(|i| matches!(strip(&exit.cond), Expr::Binary(b)
                if matches!(b.op, BinOp::Gt(_)) && is_name(&b.left, i))));
        if !exits {
            self.error("a loop without a counted exit", e);
        }
        // The exit must not `continue` its own loop: that would run the exit again, forever.
        if let Some(exit) = e.body.stmts.get(1) {
            let label = e.label.as_ref().map(|l| l.name.ident.to_string());
            let mut find = ContinueOf { label, depth: 0, found: false };
            find.visit_stmt(exit);
            if find.found {
                self.error("a loop whose exit continues the loop", e);
            }
        }
        visit::visit_expr_loop(self, e);
    }

    fn visit_expr_while(&mut self, e: &'ast ExprWhile) {
        // `while i < k [&& ..] { i += 1; .. }`
        let Some(counter) = increment(e.body.stmts.first()) else {
            self.error("a while loop without a counter", e);
            return visit::visit_expr_while(self, e);
        };
        let bound = |c: &Expr| matches!(strip(c), Expr::Binary(b) if matches!(b.op, BinOp::Lt(_)) && is_name(&b.left, &counter));
        let bounded = match strip(&e.cond) {
            Expr::Binary(b) if matches!(b.op, BinOp::And(_)) => bound(&b.left),
            c => bound(c),
        };
        if !bounded {
            self.error("a while loop not bounded by its counter", e);
        }
        visit::visit_expr_while(self, e);
    }
}
