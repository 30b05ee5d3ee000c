//! The start state's code: the whole body as written, each call site saving the state and
//! pushing the callee, each `return` and `?` storing into the return slot.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, parse_quote};

use crate::anf::ir::*;
use crate::naming::private;

use super::Lower;

impl Lower<'_> {
    /// The statements as written. What follows a tail call (`return f(..)`), a `return` or a
    /// panic is dead code natively too, and may read bindings no state saved: it is left out.
    pub(super) fn full_stmts(&self, stmts: &[Stmt]) -> TokenStream {
        let end = stmts.iter().position(crate::analysis::returns::ends_the_fn).map_or(stmts.len(), |i| i + 1);
        let stmts = stmts[..end].iter().map(|s| self.full_stmt(s));
        quote!(#(#stmts)*)
    }

    pub(super) fn full_block(&self, block: &Block) -> TokenStream {
        let stmts = self.full_stmts(&block.stmts);
        quote!({ #stmts })
    }

    pub(super) fn full_stmt(&self, stmt: &Stmt) -> TokenStream {
        match stmt {
            Stmt::Plain { stmt, .. } => {
                let mut stmt = stmt.clone();
                ReturnRewriter { lower: self }.visit_stmt_mut(&mut stmt);
                quote!(#stmt)
            }
            Stmt::Call(call) => self.call_site(call),
            Stmt::Let { attrs, pat, init, .. } => {
                let init = self.full_construct(init);
                quote!(#(#attrs)* let #pat = #init;)
            }
            Stmt::Construct { construct, semi } => {
                let c = self.full_construct(construct);
                if *semi { quote!(#c;) } else { c }
            }
        }
    }

    pub(super) fn full_construct(&self, construct: &Construct) -> TokenStream {
        match construct {
            Construct::If(i) => self.full_if(i),
            Construct::Match { scrutinee, arms, .. } => {
                let scrutinee = self.rewritten(scrutinee);
                let arms = arms.iter().map(|arm| {
                    let pat = &arm.pat;
                    let body = self.full_block(&arm.body);
                    quote!(#pat => #body)
                });
                quote!(match #scrutinee { #(#arms)* })
            }
            Construct::Loop { label, body, .. } => {
                let body = self.full_block(body);
                quote!(#label loop #body)
            }
            Construct::Block { label, unsafety, body, .. } => {
                let body = self.full_block(body);
                quote!(#label #unsafety #body)
            }
        }
    }

    pub(super) fn full_if(&self, i: &If) -> TokenStream {
        let cond = self.rewritten(&i.cond);
        let then = self.full_block(&i.then);
        let els = i.els.as_deref().map(|els| match els {
            Else::Block(b) => {
                let b = self.full_block(b);
                quote!(else #b)
            }
            Else::If(nested) => {
                let nested = self.full_if(nested);
                quote!(else #nested)
            }
        });
        quote!(if #cond #then #els)
    }

    /// `expr` with its `return`s and `?`s storing into the return slot.
    pub(super) fn rewritten(&self, expr: &Expr) -> Expr {
        let mut expr = expr.clone();
        ReturnRewriter { lower: self }.visit_expr_mut(&mut expr);
        expr
    }
}

/// Turns `return e` into storing `e` in the return slot, and `e?` into a match that does the
/// same with the residual; both outside closures, async blocks and nested items.
struct ReturnRewriter<'l, 'a> {
    lower: &'l Lower<'a>,
}

impl VisitMut for ReturnRewriter<'_, '_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Return(ret) => {
                let value = match &ret.expr {
                    Some(value) => quote!(#value),
                    None => quote!(()),
                };
                let store = self.lower.ret_value(value);
                *expr = parse_quote!(return #store);
            }
            Expr::Try(try_expr) => {
                let inner = &try_expr.expr;
                let residual = format_ident!("__fiber_residual", span = proc_macro2::Span::mixed_site());
                let output = format_ident!("__fiber_output", span = proc_macro2::Span::mixed_site());
                let store = self.lower.ret_value(quote!(#private::FromResidual::from_residual(#residual)));
                *expr = parse_quote! {
                    match #private::Try::branch(#inner) {
                        #private::ControlFlow::Continue(#output) => #output,
                        #private::ControlFlow::Break(#residual) => return #store,
                    }
                };
            }
            _ => {}
        }
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
