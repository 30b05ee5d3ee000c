//! Scopes and bindings: every name bound in the body gets a binding, every use is resolved to
//! one, and each binding learns whether the frame keeps it to the end of its scope.
//!
//! Drops at the end of scope:
//!
//! Native code drops a local at the end of its scope, after any recursive call made in that
//! scope. A state of the machine ends at each call, and so do the lives of the locals it did
//! not save: a binding the code after a call no longer reads would be dropped before the
//! callee runs. So a binding whose drop may be observable counts its drop as a use at the end
//! of its scope (see `liveness`), and the frame keeps it until then. The macro sees no types
//! and no borrow checker, so it keeps a binding only where syntax shows that keeping it
//! compiles and is what native code does; elsewhere the binding drops at the next call, as
//! before:
//!
//! - its type may have drop glue: not a reference, a primitive or a literal's value;
//! - no expression in the body may move it, or part of it (`g(x)`, `let y = x.field`,
//!   `x.into_iter()`): a moved binding has nothing left to drop, and one moved on some paths
//!   only needs a drop flag that lives in rustc, not in the frame;
//! - its value holds no borrow of another local, which the frame could not hold with it;
//! - no other binding of the same name shadows it, since states are saved by name.

use std::collections::BTreeSet;

use syn::{Expr, Pat};

use crate::syntax::borrowed::{self, Local};
use crate::syntax::{drop_glue, free_vars, local_borrow as borrows};

use super::forms::has_reference_pattern;
use super::ir::*;
use super::seq::{Origin, Seq};

impl Seq<'_, '_, '_> {
    pub(super) fn block(&mut self, block: syn::Block, tail: bool, pre_bind: &[(Pat, Origin)]) -> Block {
        self.block_binding(block, tail, pre_bind).0
    }

    /// [`Seq::block`], also returning the ids of the `pre_bind` bindings.
    pub(super) fn block_binding(
        &mut self,
        block: syn::Block,
        tail: bool,
        pre_bind: &[(Pat, Origin)],
    ) -> (Block, Vec<BindingId>) {
        let scope = self.next_scope;
        self.next_scope += 1;
        self.scopes.push(scope);
        let env_mark = self.env.len();
        let mut pre_defs = Vec::new();
        for (pat, origin) in pre_bind {
            let ids = self.bind(pat);
            match *origin {
                Origin::Param(i) => {
                    let drop_free = drop_glue::type_is_drop_free(&self.param_types[i]);
                    self.settle(&ids, drop_free, false);
                    ids.iter().for_each(|&id| self.bindings[id].param = Some(i));
                }
                Origin::Matched { borrows } => {
                    self.settle(&ids, false, borrows || borrowed::binds_by_ref(pat));
                }
            }
            pre_defs.extend(ids);
        }
        let start = self.next_site;
        let mut stmts = Vec::new();
        let count = block.stmts.len();
        for (i, stmt) in block.stmts.into_iter().enumerate() {
            self.stmt(stmt, tail && i + 1 == count, &mut stmts);
        }
        self.env.truncate(env_mark);
        self.scopes.pop();
        (Block { scope, stmts, sites: start..self.next_site }, pre_defs)
    }

    /// Binds the names of `pat` in the current scope. Until [`Seq::settle`] says otherwise, a
    /// binding is not kept to the end of its scope and may hold a borrow.
    pub(super) fn bind(&mut self, pat: &Pat) -> Vec<BindingId> {
        let scope = *self.scopes.last().expect("inside a block");
        let mut names = BTreeSet::new();
        let whole = free_vars::whole_pattern_name(pat);
        free_vars::bindings(pat)
            .into_iter()
            // An or-pattern binds each name once, in every alternative.
            .filter(|bound| names.insert(bound.ident.to_string()))
            .map(|bound| {
                let id = self.bindings.len();
                let name = bound.ident.to_string();
                let whole_pattern = whole.as_ref() == Some(&name);
                // The shadowed binding can no longer be saved by name: it drops at the next call.
                for &(_, shadowed) in self.env.iter().filter(|(n, _)| *n == name) {
                    self.bindings[shadowed].drops_at_scope_end = false;
                }
                self.env.push((name, id));
                self.bindings.push(Binding {
                    ident: bound.ident,
                    mutable: bound.mutable,
                    scope,
                    param: None,
                    borrow: None,
                    drops_at_scope_end: false,
                    may_borrow: true,
                    temporary: false,
                    deferred: false,
                    loop_depth: self.loop_depth(),
                    whole_pattern,
                });
                id
            })
            .collect()
    }

    /// Decides whether fresh bindings are kept to the end of their scope (see `drops`):
    /// `drop_free` when syntax shows their type has no drop glue, `borrows` when their value
    /// may hold a borrow of an owned local.
    pub(super) fn settle(&mut self, ids: &[BindingId], drop_free: bool, borrows: bool) {
        for &id in ids {
            let binding = &mut self.bindings[id];
            binding.may_borrow = borrows;
            binding.drops_at_scope_end =
                !drop_free && !borrows && !self.moved.contains(&binding.ident.to_string());
        }
    }

    /// The bindings of a pattern matched against a borrow of a whole local (`match &mut m`,
    /// `if let Some(v) = &opt`) borrow that local, as `let r = &m;` does: the borrows pass
    /// explains it when one is kept across a call. Not with `&` patterns, which copy out.
    pub(super) fn mark_matched_borrow(&mut self, scrutinee: &Expr, pat: &Pat, defs: &[BindingId]) {
        let Some(borrow) = borrows::classify_expr(scrutinee).filter(|b| b.whole && !b.for_loop) else {
            self.mark_ref_bindings(scrutinee, pat, defs);
            return;
        };
        let Some(root) = self.resolve_name(&borrow.root) else { return };
        if has_reference_pattern(pat) {
            return;
        }
        for &id in defs {
            self.bindings[id].borrow = Some((borrow.clone(), root));
        }
    }

    /// The `ref` bindings of a pattern matched against a local or a field of one (`let ref mut r
    /// = v;`, `if let Some(ref mut x) = opt`) borrow that local, as `let r = &mut v;` does.
    pub(super) fn mark_ref_bindings(&mut self, place: &Expr, pat: &Pat, defs: &[BindingId]) {
        let Some(borrow) = borrows::classify_ref_bindings(pat, place) else { return };
        let Some(root) = self.resolve_name(&borrow.root) else { return };
        let by_ref = free_vars::bindings(pat).into_iter().filter(|b| b.by_ref).map(|b| b.ident);
        for ident in by_ref.collect::<Vec<_>>() {
            if let Some(&id) = defs.iter().find(|&&id| self.bindings[id].ident == ident) {
                self.bindings[id].borrow = Some((borrow.clone(), root));
            }
        }
    }

    /// Marks a generated temporary: moved out in the statement that needs it, never kept.
    pub(super) fn temporary(&mut self, ids: &[BindingId]) {
        for &id in ids {
            self.bindings[id].drops_at_scope_end = false;
            self.bindings[id].temporary = true;
        }
    }

    /// Whether the value of `expr` may hold a borrow of an owned local.
    pub(super) fn borrows(&self, expr: &Expr) -> bool {
        borrowed::may_borrow(expr, &|name| match self.resolve_name(&name) {
            None => Local::Outside,
            Some(id) => {
                let binding = &self.bindings[id];
                match binding.param {
                    Some(i) if matches!(&self.param_types[i], syn::Type::Reference(_)) => Local::Outside,
                    _ if binding.may_borrow => Local::Carrier,
                    _ => Local::Owned,
                }
            }
        })
    }

    pub(super) fn resolve(&self, names: BTreeSet<String>) -> Vec<BindingId> {
        names
            .into_iter()
            .filter_map(|name| self.env.iter().rev().find(|(n, _)| *n == name).map(|(_, id)| *id))
            .collect()
    }

    /// The binding `name` refers to here, if it is one.
    pub(super) fn resolve_name(&self, name: &impl ToString) -> Option<BindingId> {
        let name = name.to_string();
        self.env.iter().rev().find(|(n, _)| *n == name).map(|(_, id)| *id)
    }
}
