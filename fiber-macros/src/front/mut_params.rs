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

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat};

use crate::errors::Errors;
use crate::front::model::FiberFn;

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
        Rewrite { names }.visit_block_mut(block);
    }
}

struct Rewrite<'n> {
    names: &'n [Ident],
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

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(path) = expr {
            if let Some(ident) =
                path.path.get_ident().filter(|i| path.qself.is_none() && self.names.contains(i))
            {
                *expr = syn::parse2(reborrow(ident)).expect("a reborrow parses");
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `S { v }` names the field and the parameter at once: spell the value out.
        if field.colon_token.is_none() {
            field.colon_token = Some(Default::default());
        }
        visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // A parameter the format string captures inline (`"{v:?}"`) is passed as a named
        // argument, since the string can only name it.
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let captured: Vec<&Ident> = crate::syntax::format_strings::captured(&name, &mac.tokens)
            .into_iter()
            .filter_map(|c| self.names.iter().find(|n| **n == c))
            .collect();
        let mut tokens = self.tokens(std::mem::take(&mut mac.tokens));
        for ident in captured {
            let ends_with_comma =
                matches!(tokens.clone().into_iter().last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
            let comma = (!ends_with_comma).then(|| quote!(,));
            let value = reborrow(ident);
            tokens.extend(quote!(#comma #ident = #value));
        }
        mac.tokens = tokens;
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

impl Rewrite<'_> {
    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = TokenStream::new();
        for (i, token) in tokens.iter().enumerate() {
            let after_path_sep = i > 0
                && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ':' || p.as_char() == '.');
            match token {
                TokenTree::Ident(ident) if self.names.contains(ident) && !after_path_sep => {
                    out.extend(reborrow(ident));
                }
                TokenTree::Group(group) => {
                    let mut rewritten =
                        proc_macro2::Group::new(group.delimiter(), self.tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.extend(rewritten.into_token_stream());
                }
                other => out.extend(other.to_token_stream()),
            }
        }
        out
    }
}
