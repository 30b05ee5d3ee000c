//! Statements: a `let` or an expression statement holding a recursive call becomes a call
//! statement, a construct at statement level, or plain statements around temporaries.

use quote::ToTokens;
use syn::{Expr, parse_quote};

use crate::syntax::places::{is_stable, strip_parens};
use crate::syntax::{borrowed, drop_glue, free_vars, local_borrow as borrows};

use super::forms::{declared_type, is_construct, let_else_as_match};
use super::ir::*;
use super::seq::Seq;

impl Seq<'_, '_, '_> {
    /// Sequences a block. `pre_bind` are patterns whose bindings belong to the block's scope
    /// (parameters, an arm's pattern, an `if let`'s pattern).
    pub(super) fn stmt(&mut self, stmt: syn::Stmt, tail: bool, out: &mut Vec<Stmt>) {
        if let Some(attr) = conditional_attr(&stmt).filter(|_| self.stmt_has_call(&stmt)) {
            self.errors.error(
                attr,
                "`#[fiber]` cannot keep `#[cfg]` on a statement that holds a recursive call: it \
                 splits the statement at the call\nhelp: write `if cfg!(..) { .. }` around it",
            );
            return self.plain(stmt, out);
        }
        match stmt {
            syn::Stmt::Local(mut local) => {
                let Some(init) = &mut local.init else { return self.plain(syn::Stmt::Local(local), out) };
                if let Some((_, diverge)) = &init.diverge {
                    if self.has_call(diverge) {
                        let desugared = let_else_as_match(&local.pat, &init.expr, diverge);
                        return self.stmt(desugared, tail, out);
                    }
                }
                if !self.has_call(&init.expr) {
                    return self.plain(syn::Stmt::Local(local), out);
                }
                let expr = strip_parens(&init.expr).clone();
                if init.diverge.is_none() {
                    if let Some(call) = self.group.recursive_call(&expr) {
                        return self.call(call, local.pat, false, out);
                    }
                    if is_construct(&expr) {
                        let borrows = self.borrows(&expr) || borrowed::binds_by_ref(&local.pat);
                        let drop_free = declared_type(&local.pat).is_some_and(drop_glue::type_is_drop_free);
                        let construct = self.construct(expr, false, out);
                        let defs = self.bind(&local.pat);
                        self.settle(&defs, drop_free, borrows);
                        out.push(Stmt::Let { attrs: local.attrs, pat: local.pat, defs, init: construct });
                        return;
                    }
                }
                *init.expr = self.expr(*init.expr.clone(), out);
                self.plain(syn::Stmt::Local(local), out)
            }
            syn::Stmt::Expr(expr, semi) => {
                if !self.has_call(&expr) {
                    return self.plain(syn::Stmt::Expr(expr, semi), out);
                }
                let stripped = strip_parens(&expr).clone();
                if let Expr::Return(ret) = &stripped {
                    if let Some(value) = &ret.expr {
                        if let Some(call) =
                            self.group.recursive_call(value).filter(|c| self.may_tail_call(c.callee))
                        {
                            return self.call(call, parse_quote!(_), true, out);
                        }
                    }
                }
                if let Some(call) = self.group.recursive_call(&stripped) {
                    if semi.is_some() {
                        return self.call(call, parse_quote!(_), false, out);
                    }
                    if tail && self.may_tail_call(call.callee) {
                        return self.call(call, parse_quote!(_), true, out);
                    }
                    let temp = self.call_into_temp(call, out);
                    return self.plain(syn::Stmt::Expr(temp, None), out);
                }
                if is_construct(&stripped) {
                    let construct = self.construct(stripped, tail && semi.is_none(), out);
                    out.push(Stmt::Construct { construct, semi: semi.is_some() });
                    return;
                }
                let expr = self.expr(expr, out);
                self.plain(syn::Stmt::Expr(expr, semi), out)
            }
            other => self.plain(other, out),
        }
    }

    /// Whether `expr` may be read after a call and still give what native code read before it.
    /// When a fn of the group takes `&mut`, a callee may write through a pointer into a place
    /// the caller reads, so only literals, locals' values and borrows (which native code could
    /// not hold across such a call) stay in place.
    /// A field of a local that may be moved in part (`p.0` beside `match p.1 { Some(s) => .. }`)
    /// is read before the call too: read after it, the frame would keep the local whole, which a
    /// partly moved local cannot be.
    pub(super) fn is_stable(&self, expr: &Expr) -> bool {
        if matches!(strip_parens(expr), Expr::Field(_))
            && crate::syntax::places::place_root(expr)
                .is_some_and(|root| self.moved.contains(&root.to_string()))
        {
            return false;
        }
        if self.group.fns.iter().any(|f| f.params.iter().any(|p| p.is_mut_reference())) {
            return match strip_parens(expr) {
                Expr::Lit(_) | Expr::Path(_) => true,
                Expr::Reference(r) => is_stable(&r.expr),
                _ => false,
            };
        }
        is_stable(expr)
    }

    pub(super) fn stmt_has_call(&self, stmt: &syn::Stmt) -> bool {
        match stmt {
            syn::Stmt::Local(local) => local.init.as_ref().is_some_and(|init| {
                self.has_call(&init.expr) || init.diverge.as_ref().is_some_and(|(_, e)| self.has_call(e))
            }),
            syn::Stmt::Expr(expr, _) => self.has_call(expr),
            _ => false,
        }
    }

    /// A call in tail position is a tail call when the callee declares the same return type;
    /// otherwise its value is coerced, and it returns through this fn like any call.
    pub(super) fn may_tail_call(&self, callee: usize) -> bool {
        self.group.fns[callee].output.to_token_stream().to_string() == self.output
    }

    pub(super) fn plain(&mut self, stmt: syn::Stmt, out: &mut Vec<Stmt>) {
        let mut uses = self.resolve(free_vars::of_stmt(&stmt));
        let jumps = self.jumps(&stmt);
        let assigns = self.deferred_assigned(&stmt);
        uses.retain(|id| !assigns.contains(id));
        let defs = match &stmt {
            syn::Stmt::Local(local) => {
                let borrow = local.init.as_ref().and_then(|init| borrows::classify(&local.pat, &init.expr));
                let root = borrow.as_ref().and_then(|b| self.resolve_name(&b.root));
                let settled = local.init.as_ref().map(|init| {
                    let drop_free = declared_type(&local.pat).map_or_else(
                        || drop_glue::value_is_drop_free(&init.expr),
                        drop_glue::type_is_drop_free,
                    );
                    (drop_free, self.borrows(&init.expr) || borrowed::binds_by_ref(&local.pat))
                });
                let defs = self.bind(&local.pat);
                if let Some((drop_free, borrows)) = settled {
                    self.settle(&defs, drop_free, borrows);
                } else if let (Some(ident), [id]) = (deferred_ident(&local.pat), defs.as_slice()) {
                    self.bindings[*id].deferred = ident.mutability.is_none() && ident.by_ref.is_none();
                }
                // A `mut` binding that some expression may move is given a value again by a
                // plain assignment (`drop(v); f(n - 1); v = Vec::new();`): before it, a call need
                // not keep what may be gone.
                if let (Some(ident), [id], Some(_)) =
                    (deferred_ident(&local.pat), defs.as_slice(), &local.init)
                {
                    self.bindings[*id].deferred = ident.mutability.is_some()
                        && ident.by_ref.is_none()
                        && self.moved.contains(&ident.ident.to_string());
                }
                if let (Some(borrow), Some(root), [id]) = (borrow, root, defs.as_slice()) {
                    self.bindings[*id].borrow = Some((borrow, root));
                } else if let Some(init) = &local.init {
                    self.mark_ref_bindings(&init.expr, &local.pat, &defs);
                }
                defs
            }
            _ => Vec::new(),
        };
        out.push(Stmt::Plain { stmt, uses, defs, jumps, assigns });
    }

    /// `r = value;` giving a deferred binding its value, where `value` does not read it.
    fn deferred_assigned(&self, stmt: &syn::Stmt) -> Vec<BindingId> {
        let syn::Stmt::Expr(Expr::Assign(assign), _) = stmt else { return Vec::new() };
        let Expr::Path(path) = strip_parens(&assign.left) else { return Vec::new() };
        let Some(name) = path.path.get_ident().filter(|_| path.qself.is_none()) else { return Vec::new() };
        if free_vars::of_expr(&assign.right).contains(&name.to_string()) {
            return Vec::new();
        }
        // A `mut` one only in the loop it was declared in: a resumed loop's copy may read it
        // again before the assignment.
        let kills = |id: BindingId| {
            let binding = &self.bindings[id];
            binding.deferred && (!binding.mutable || binding.loop_depth == self.loop_depth())
        };
        self.resolve_name(name).filter(|&id| kills(id)).into_iter().collect()
    }
}

/// The binding of `let r;` or `let r: T;`.
fn deferred_ident(pat: &syn::Pat) -> Option<&syn::PatIdent> {
    match pat {
        syn::Pat::Ident(ident) if ident.subpat.is_none() => Some(ident),
        syn::Pat::Type(typed) => deferred_ident(&typed.pat),
        _ => None,
    }
}

/// A `#[cfg]` or `#[cfg_attr]` on a statement.
pub(super) fn conditional_attr(stmt: &syn::Stmt) -> Option<&syn::Attribute> {
    let attrs = match stmt {
        syn::Stmt::Local(local) => &local.attrs,
        syn::Stmt::Expr(expr, _) => match expr {
            Expr::Call(e) => &e.attrs,
            Expr::MethodCall(e) => &e.attrs,
            Expr::Assign(e) => &e.attrs,
            Expr::Binary(e) => &e.attrs,
            Expr::If(e) => &e.attrs,
            Expr::Match(e) => &e.attrs,
            Expr::Block(e) => &e.attrs,
            _ => return None,
        },
        _ => return None,
    };
    attrs.iter().find(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
}
