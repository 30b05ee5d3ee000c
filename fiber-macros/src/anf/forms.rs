//! Small rewrites and questions of syntax that sequencing asks: whether an expression is a
//! construct, a block around an expression, a `let .. else` as a `match`, patterns without
//! `mut` or a leading `|`.

use proc_macro2::Span;
use quote::quote;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{BinOp, Expr, Pat, parse_quote};

use crate::syntax::free_vars;
use crate::syntax::places::strip_parens;

pub(super) fn is_construct(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::If(_) | Expr::Match(_) | Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Unsafe(_)
    ) || matches!(expr, Expr::Block(b) if b.attrs.is_empty())
}

pub(super) fn into_block(expr: Expr) -> syn::Block {
    match expr {
        Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => b.block,
        other => {
            let span = other.span();
            parse_quote_spanned_block(span, other)
        }
    }
}

pub(super) fn parse_quote_spanned_block(span: Span, expr: Expr) -> syn::Block {
    // Built, not parsed: an expression syn accepted may not re-parse as a statement
    // (`crate.f()` reads as the start of an item there).
    syn::Block { brace_token: syn::token::Brace(span), stmts: vec![syn::Stmt::Expr(expr, None)] }
}

/// A place that evaluating cannot change or observe: names (a `&mut` parameter's as
/// `mut_params` rewrote it), fields and derefs of them (an index may run a user's `Index` impl).
pub(super) fn is_pure_place(expr: &Expr) -> bool {
    if crate::front::mut_params::is_reborrow(expr) {
        return true;
    }
    match strip_parens(expr) {
        Expr::Path(p) => p.path.get_ident().is_some(),
        Expr::Field(f) => is_pure_place(&f.base),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && is_pure_place(&u.expr),
        _ => false,
    }
}

/// The operands of `expr`, in evaluation order.
pub(super) fn operands_mut(expr: &mut Expr) -> Vec<&mut Expr> {
    match expr {
        Expr::Binary(b) => vec![&mut *b.left, &mut *b.right],
        Expr::Unary(u) => vec![&mut *u.expr],
        Expr::Cast(c) => vec![&mut *c.expr],
        Expr::Paren(p) => vec![&mut *p.expr],
        Expr::Group(g) => vec![&mut *g.expr],
        Expr::Field(f) => vec![&mut *f.base],
        Expr::Index(i) => vec![&mut *i.expr, &mut *i.index],
        Expr::MethodCall(m) => std::iter::once(&mut *m.receiver).chain(m.args.iter_mut()).collect(),
        Expr::Call(c) => std::iter::once(&mut *c.func).chain(c.args.iter_mut()).collect(),
        Expr::Tuple(t) => t.elems.iter_mut().collect(),
        Expr::Array(a) => a.elems.iter_mut().collect(),
        Expr::Struct(s) => s.fields.iter_mut().map(|f| &mut f.expr).chain(s.rest.as_deref_mut()).collect(),
        Expr::Repeat(r) => vec![&mut *r.expr],
        Expr::Range(r) => r.start.as_deref_mut().into_iter().chain(r.end.as_deref_mut()).collect(),
        Expr::Reference(r) => vec![&mut *r.expr],
        Expr::Try(t) => vec![&mut *t.expr],
        Expr::Let(l) => vec![&mut *l.expr],
        _ => Vec::new(),
    }
}

/// The operands of a chain of `&&`, left to right.
pub(super) fn flatten_and(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::Binary(b) if matches!(b.op, BinOp::And(_)) => {
            flatten_and(*b.left, out);
            flatten_and(*b.right, out);
        }
        other => out.push(other),
    }
}

/// `let pat = init else { diverge };` whose `else` block holds a call, as
/// `let (a, mut b, ..) = match init { pat => (a, b, ..), _ => diverge };`, which the machine
/// can suspend in. The bindings keep their modes: `ref` ones bind in the arm, `mut` ones outside.
pub(super) fn let_else_as_match(pat: &Pat, init: &Expr, diverge: &Expr) -> syn::Stmt {
    let bound = free_vars::bindings(pat);
    let names = bound.iter().map(|b| &b.ident);
    let outer = bound.iter().map(|b| {
        let (mutability, ident) = (b.mutable.then(|| quote!(mut)), &b.ident);
        quote!(#mutability #ident)
    });
    let inner_pat = strip_mut(pat);
    parse_quote! {
        let (#(#outer,)*) = match #init {
            #inner_pat => (#(#names,)*),
            _ => #diverge,
        };
    }
}

/// `pat` without `mut` on its bindings (they are moved out of the arm, where they are not
/// assigned).
pub(super) fn strip_mut(pat: &Pat) -> Pat {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if p.by_ref.is_none() {
                p.mutability = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Strip, &mut pat);
    pat
}

/// An or-pattern (`| a | b`) as a `let` accepts it: without the leading `|`, which only `match`
/// arms and `for` accept, and in parentheses when it has several cases.
pub(super) fn strip_leading_vert(pat: &mut Pat) {
    if let Pat::Or(or) = pat {
        or.leading_vert = None;
        if or.cases.len() == 1 {
            *pat = or.cases.pop().expect("one case");
        } else {
            *pat = parse_quote!((#or));
        }
    }
}

/// The bindings of `pat` that bind by value (not `ref`), as written.
pub(super) fn by_value_bindings(pat: &Pat) -> Vec<proc_macro2::Ident> {
    free_vars::bindings(pat).into_iter().filter(|b| !b.by_ref).map(|b| b.ident).collect()
}

/// Whether `pat` holds a `&pat` reference pattern anywhere.
pub(super) fn has_reference_pattern(pat: &Pat) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_pat_reference(&mut self, _: &'ast syn::PatReference) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_pat(pat);
    finder.0
}

/// The type a `let` pattern declares (`let x: T`).
pub(super) fn declared_type(pat: &Pat) -> Option<&syn::Type> {
    match pat {
        Pat::Type(t) => Some(&t.ty),
        _ => None,
    }
}
