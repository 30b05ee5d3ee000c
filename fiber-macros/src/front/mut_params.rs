//! `&mut` parameters: kept in frames as `MutRef` pointers, reached through them in the body.
//!
//! Moving a `&mut` is a use of it, and a machine moves a suspended caller's locals at every state
//! change: a child's reborrow would be invalidated ("`&mut` parameters" in `ARCHITECTURE.md`).
//! So a `&mut T` parameter (or `&mut self`) enters the machine as a `MutRef`, every use of it in
//! the body becomes `(unsafe { &mut *v.as_ptr() })` (the native implicit reborrow of the same
//! place), and the body as written is compiled beside the machine as a never-called shadow, so
//! that the borrow checker checks the accesses the machine makes.
//!
//! Input: `fn f(v: &mut Vec<u64>, n: u64) { v.push(n); f(v, n - 1) }`
//! Output: `fn f(v: &mut Vec<u64>, n: u64) { (unsafe { &mut *v.as_ptr() }).push(n);
//! f((unsafe { &mut *v.as_ptr() }), n - 1) }`, where `v` is bound to a `MutRef` in the machine.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::visit_mut::VisitMut;
use syn::{Expr, Pat};

use crate::errors::Errors;
use crate::front::model::FiberFn;
use crate::syntax::replace_uses::ReplaceUses;

/// The names of `f`'s `&mut` parameters, as bound in the body.
pub fn names(f: &FiberFn) -> Vec<Ident> {
    f.params
        .iter()
        .filter(|p| p.is_mut_reference())
        .filter_map(|p| match &p.pat {
            Pat::Ident(ident) => Some(ident.ident.clone()),
            _ => None,
        })
        .collect()
}

/// Checks that the `&mut` parameters can be followed by name: plain, immutable bindings (the
/// body shadows none of them once `shadowing` has renamed its bindings).
pub fn check(f: &FiberFn, errors: &mut Errors) {
    for param in f.params.iter().filter(|p| p.is_mut_reference()) {
        match &param.pat {
            Pat::Ident(p) if p.mutability.is_none() && p.by_ref.is_none() && p.subpat.is_none() => {}
            other => errors.error(
                other,
                "a `&mut` parameter of a fiber fn is a plain name\nhelp: write `name: &mut T`, and \
                 rebind it inside the body if needed",
            ),
        }
    }
}

/// Rewrites every use of the `&mut` parameters `names` in `block` to a reborrow through the
/// `MutRef` the frame keeps.
pub fn reach_through_pointers(block: &mut syn::Block, names: &[Ident]) {
    if !names.is_empty() {
        ReplaceUses { names, place: &reborrow, by_value: None }.visit_block_mut(block);
    }
}

/// `(unsafe { &mut *v.as_ptr() })`, with `unsafe` at `mixed_site`: it is the macro's, not the
/// user's (see the module docs for why it is sound).
fn reborrow(ident: &Ident) -> TokenStream {
    let unsafety = quote_spanned!(Span::mixed_site()=> unsafe);
    quote!((#unsafety { &mut *#ident.as_ptr() }))
}

/// `expr` is a use of a `&mut` parameter as [`reborrow`] wrote it: `(unsafe { &mut *v.as_ptr() })`.
pub fn is_reborrow(expr: &Expr) -> bool {
    let Expr::Unsafe(block) = crate::syntax::places::strip_parens(expr) else { return false };
    let [syn::Stmt::Expr(Expr::Reference(r), None)] = &block.block.stmts[..] else { return false };
    let Expr::Unary(syn::ExprUnary { op: syn::UnOp::Deref(_), expr: inner, .. }) = &*r.expr else {
        return false;
    };
    matches!(&**inner, Expr::MethodCall(m) if m.method == "as_ptr" && m.args.is_empty()
        && matches!(&*m.receiver, Expr::Path(p) if p.path.get_ident().is_some()))
}

/// A [`reborrow`] made shared: `(unsafe { &*v.as_ptr() })`. Its lifetime is the pointer's, not
/// a temporary's, so a `&self` method's receiver taken from it may be kept in a callee's frame
/// (`self.peek()` inside a `&mut self` method, returning a borrow of `self`).
pub fn shared_reborrow(expr: &Expr) -> Option<Expr> {
    if !is_reborrow(expr) {
        return None;
    }
    let Expr::Unsafe(block) = crate::syntax::places::strip_parens(expr) else { return None };
    let [syn::Stmt::Expr(Expr::Reference(r), None)] = &block.block.stmts[..] else { return None };
    let (unsafety, pointee) = (&block.unsafe_token, &r.expr);
    Some(syn::parse_quote!((#unsafety { &#pointee })))
}
