//! Which names an expression reads from its surroundings, and which names a pattern binds.
//! Conservative where syntax cannot tell: every identifier inside a macro invocation counts as
//! read, as does every `{name}` in its string literals (inline format arguments).

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Stmt};

/// A name a pattern binds.
pub struct Bound {
    pub ident: Ident,
    pub mutable: bool,
    /// `ref x` or `ref mut x`.
    pub by_ref: bool,
}

/// The names `pat` binds, in source order. An identifier starting with an uppercase letter is
/// taken as a constant, unit struct or variant, as rustc's naming conventions say.
pub fn bindings(pat: &Pat) -> Vec<Bound> {
    struct Collect(Vec<Bound>);
    impl<'ast> Visit<'ast> for Collect {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            let is_binding = p.subpat.is_some()
                || p.by_ref.is_some()
                || p.mutability.is_some()
                || !p.ident.to_string().starts_with(|c: char| c.is_uppercase());
            if is_binding {
                self.0.push(Bound {
                    ident: p.ident.clone(),
                    mutable: p.mutability.is_some(),
                    by_ref: p.by_ref.is_some(),
                });
            }
            visit::visit_pat_ident(self, p);
        }
        // Expressions inside patterns (guards, ranges, consts) bind nothing.
        fn visit_expr(&mut self, _: &'ast Expr) {}
    }
    let mut collect = Collect(Vec::new());
    collect.visit_pat(pat);
    collect.0
}

/// Names read by `expr` that it does not bind itself.
pub fn of_expr(expr: &Expr) -> BTreeSet<String> {
    let mut walker = Walker::default();
    // For the bindings of `let` in a condition (`if let p = e && ..`).
    walker.scopes.push(Vec::new());
    walker.visit_expr(expr);
    walker.free
}

/// Names read by `stmt` that it does not bind itself (a `let` reads its initializer).
pub fn of_stmt(stmt: &Stmt) -> BTreeSet<String> {
    let mut walker = Walker::default();
    walker.scopes.push(Vec::new());
    walker.visit_stmt(stmt);
    walker.free
}

/// Names that `expr` may write: the roots of assigned places, of `&mut` borrows and of
/// method receivers (a method may take `&mut self`). Conservative: closures and macros write
/// every name they mention.
pub fn written(expr: &Expr) -> BTreeSet<String> {
    struct Writes(BTreeSet<String>);
    fn root(expr: &Expr) -> Option<String> {
        crate::syntax::places::place_root(expr).map(Ident::to_string)
    }
    impl<'ast> Visit<'ast> for Writes {
        fn visit_expr_assign(&mut self, e: &'ast syn::ExprAssign) {
            self.0.extend(root(&e.left));
            visit::visit_expr_assign(self, e);
        }
        fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
            if crate::syntax::places::is_compound_assign(&e.op) {
                self.0.extend(root(&e.left));
            }
            visit::visit_expr_binary(self, e);
        }
        fn visit_expr_reference(&mut self, e: &'ast syn::ExprReference) {
            if e.mutability.is_some() {
                self.0.extend(root(&e.expr));
            }
            visit::visit_expr_reference(self, e);
        }
        fn visit_expr_method_call(&mut self, e: &'ast syn::ExprMethodCall) {
            self.0.extend(root(&e.receiver));
            visit::visit_expr_method_call(self, e);
        }
        fn visit_expr_closure(&mut self, e: &'ast syn::ExprClosure) {
            self.0.extend(of_expr(&Expr::Closure(e.clone())));
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            let mut walker = Walker::default();
            walker.scopes.push(Vec::new());
            walker.tokens(&m.tokens);
            self.0.extend(walker.free);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut writes = Writes(BTreeSet::new());
    writes.visit_expr(expr);
    writes.0
}

/// Names read by a pattern's guard and const expressions.
pub fn of_pat(pat: &Pat) -> BTreeSet<String> {
    let mut walker = Walker::default();
    walker.scopes.push(bindings(pat).into_iter().map(|b| b.ident.to_string()).collect());
    walker.visit_pat(pat);
    walker.free
}

#[derive(Default)]
struct Walker {
    scopes: Vec<Vec<String>>,
    free: BTreeSet<String>,
}

impl Walker {
    fn is_bound(&self, name: &str) -> bool {
        self.scopes.iter().any(|scope| scope.iter().any(|n| n == name))
    }

    fn read(&mut self, name: String) {
        if !self.is_bound(&name) {
            self.free.insert(name);
        }
    }

    fn bind(&mut self, pat: &Pat) {
        let names = bindings(pat).into_iter().map(|b| b.ident.to_string());
        self.scopes.last_mut().expect("a scope is open").extend(names);
    }

    fn tokens(&mut self, tokens: &TokenStream) {
        for tt in tokens.clone() {
            match tt {
                TokenTree::Ident(ident) => self.read(ident.to_string()),
                TokenTree::Group(group) => self.tokens(&group.stream()),
                TokenTree::Literal(lit) => {
                    for name in inline_format_args(&lit.to_string()) {
                        self.read(name);
                    }
                }
                TokenTree::Punct(_) => {}
            }
        }
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }
}

/// `{name}` and `{name:..}` in a string literal.
fn inline_format_args(lit: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = lit;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
            names.push(name);
        }
    }
    names
}

impl<'ast> Visit<'ast> for Walker {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if path.qself.is_none() {
            if let Some(ident) = path.path.get_ident() {
                self.read(ident.to_string());
            }
        }
        visit::visit_expr_path(self, path);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.scoped(|w| {
            for stmt in &block.stmts {
                w.visit_stmt(stmt);
            }
        });
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.visit_pat(&local.pat);
        self.bind(&local.pat);
    }

    fn visit_expr_let(&mut self, expr: &'ast syn::ExprLet) {
        self.visit_expr(&expr.expr);
        self.visit_pat(&expr.pat);
        self.bind(&expr.pat);
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        self.scoped(|w| {
            w.visit_expr(&expr.cond);
            w.visit_block(&expr.then_branch);
        });
        if let Some((_, els)) = &expr.else_branch {
            self.visit_expr(els);
        }
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.scoped(|w| {
            w.visit_expr(&expr.cond);
            w.visit_block(&expr.body);
        });
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.visit_expr(&expr.expr);
        self.scoped(|w| {
            w.bind(&expr.pat);
            w.visit_pat(&expr.pat);
            w.visit_block(&expr.body);
        });
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.scoped(|w| {
            w.bind(&arm.pat);
            w.visit_pat(&arm.pat);
            w.visit_expr(&arm.body);
        });
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.scoped(|w| {
            for input in &closure.inputs {
                w.bind(input);
                w.visit_pat(input);
            }
            w.visit_expr(&closure.body);
        });
    }

    fn visit_pat(&mut self, pat: &'ast Pat) {
        // Only guards and const expressions inside patterns read names.
        struct Exprs<'w>(&'w mut Walker);
        impl<'ast> Visit<'ast> for Exprs<'_> {
            fn visit_expr(&mut self, expr: &'ast Expr) {
                self.0.visit_expr(expr);
            }
        }
        visit::visit_pat(&mut Exprs(self), pat);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(&mac.tokens);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// The name a pattern that is one identifier binds (`x`, `mut x`, `x: T`): such a binding
/// holds the whole value by move, and may be declared `mut` (in the shadow) whatever it matches.
pub fn whole_pattern_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => Some(p.ident.to_string()),
        Pat::Type(t) => whole_pattern_name(&t.pat),
        Pat::Paren(p) => whole_pattern_name(&p.pat),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(src: &str) -> Vec<String> {
        of_expr(&syn::parse_str(src).unwrap()).into_iter().collect()
    }

    #[test]
    fn shadowing_and_scopes() {
        assert_eq!(free("{ let a = b; a + c }"), ["b", "c"]);
        assert_eq!(free("match x { Some(y) if y > z => y, None => w }"), ["w", "x", "z"]);
        assert_eq!(free("|q| q + r"), ["r"]);
        assert_eq!(free("if let Some(v) = o { v } else { v }"), ["o", "v"]);
        assert_eq!(free("for i in xs { s += i }"), ["s", "xs"]);
        assert_eq!(free("let Some(k) = n && k > m"), ["m", "n"]);
    }

    #[test]
    fn macros_read_every_identifier_and_inline_format_argument() {
        assert_eq!(free(r#"println!("{a} {b:?} {0} {{", c)"#), ["a", "b", "c"]);
    }

    #[test]
    fn uppercase_identifiers_in_patterns_are_constants() {
        let pat = syn::parse_quote!((a, None, MAX, mut b, ref c));
        let names: Vec<_> = bindings(&pat).into_iter().map(|b| b.ident.to_string()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }
}
