//! Locals that a borrow holds across a recursive call, kept at one heap address.
//!
//! At a call the machine moves the locals it still needs into the frame, and the state after
//! the call moves them out again: a reference to one (`for x in &v { f(x); }`, `let r = &v;`
//! read after a call, `if let Some(x) = &mut opt { f(..); x.push(..) }`) would dangle. So such
//! a local is moved, where it is declared, into a `KeptLocal` (a heap allocation that the
//! frames move as a bare pointer), and every later use of it names the place there,
//! `(*v.as_ptr())`: each access then borrows the place exactly as native code borrows the
//! local, shared where it reads, unique where it writes. The local is freed where native code
//! drops it, at the end of its scope, so the frame keeps it to there. A use that reads it by
//! value copies it (`copied_out_of_kept_local`, which asks for `Copy` with a message that
//! says why), since moving out would leave a hole the drop at the end of scope cannot see.
//!
//! The states of a fn that keeps such a local run their code inside one `unsafe` block (see
//! `back::lower`), which the place needs; the shadow compiled beside the machine still checks
//! the user's code as written, `unsafe` operations included.
//!
//! Input:  `let v = vec![1, 2]; for x in &v { f(*x); } v.len()`
//! Output: `let v = vec![1, 2]; let v = KeptLocal::new(v); for x in &(*v.as_ptr()) { f(*x); }
//! (*v.as_ptr()).len()`

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote_spanned;
use syn::visit_mut::VisitMut;

use crate::anf::Sequenced;
use crate::anf::ir::*;
use crate::errors::Errors;
use crate::naming::private;
use crate::syntax::replace_uses::ReplaceUses;

/// How a local is kept in place.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Keep {
    /// On the heap: something borrows the local itself (`&v`, `for x in &v`).
    OnHeap,
    /// Borrowed only through (`v.iter()`, `&v.field`), where `v`'s type may be a shared
    /// reference, whose referent the frames do not move: then the reference stays inline, and
    /// anything else goes on the heap (`keep_local!`, decided by the type at compile time).
    ByType,
}

/// Moves each of `kept` in place where it is declared, and rewrites its uses to its place there.
pub fn keep(seq: &mut Sequenced, kept: &BTreeMap<BindingId, Keep>, errors: &mut Errors) {
    for &id in kept.keys() {
        // Kept from its declaration to the end of its scope: an assignment gives the place a
        // new value, it does not end the local.
        let binding = &mut seq.bindings[id];
        binding.drops_at_scope_end = true;
        binding.deferred = false;
    }
    let params: Vec<BindingId> =
        (0..seq.bindings.len()).filter(|&id| seq.bindings[id].param.is_some()).collect();
    let mut walk = Walk { bindings: &seq.bindings, kept, names: Vec::new(), errors };
    walk.block(&mut seq.body, &params);
}

struct Walk<'a> {
    bindings: &'a [Binding],
    kept: &'a BTreeMap<BindingId, Keep>,
    /// The kept locals declared so far, in the blocks being walked.
    names: Vec<Ident>,
    errors: &'a mut Errors,
}

impl Walk<'_> {
    fn block(&mut self, block: &mut Block, pre_defs: &[BindingId]) {
        let mark = self.names.len();
        let stmts = std::mem::take(&mut block.stmts);
        let declare = self.declarations(pre_defs);
        block.stmts.extend(declare);
        for mut stmt in stmts {
            self.stmt(&mut stmt);
            let defs: Vec<BindingId> = match &stmt {
                Stmt::Plain { defs, .. } | Stmt::Let { defs, .. } => defs.clone(),
                Stmt::Call(call) => call.defs.clone(),
                Stmt::Construct { .. } => Vec::new(),
            };
            if let Stmt::Plain { stmt: syn::Stmt::Local(syn::Local { init: None, .. }), .. } = &stmt {
                self.declared_without_value(&defs);
            }
            block.stmts.push(stmt);
            let declare = self.declarations(&defs);
            block.stmts.extend(declare);
        }
        self.names.truncate(mark);
    }

    fn declared_without_value(&mut self, defs: &[BindingId]) {
        for id in defs.iter().filter(|id| self.kept.contains_key(id)) {
            let ident = &self.bindings[*id].ident;
            self.errors.error(
                ident,
                format!(
                    "`{ident}` is borrowed across a recursive call, and is declared without a \
                     value: the fiber keeps such a local at one heap address from its \
                     declaration on\nhelp: give `{ident}` its value where it is declared"
                ),
            );
        }
    }

    /// `let v = KeptLocal::new(v);` for each of `defs` that is kept.
    fn declarations(&mut self, defs: &[BindingId]) -> Vec<Stmt> {
        defs.iter()
            .filter_map(|id| Some((*id, *self.kept.get(id)?)))
            .map(|(id, keep)| {
                let ident = self.bindings[id].ident.clone();
                let stmt: syn::Stmt = match keep {
                    Keep::OnHeap => syn::parse_quote_spanned! {ident.span()=>
                        let #ident = #private::KeptLocal::new(#ident);
                    },
                    Keep::ByType => syn::parse_quote_spanned! {ident.span()=>
                        let #ident = #private::keep_local!(#ident);
                    },
                };
                self.names.push(ident);
                Stmt::Plain { stmt, uses: vec![id], defs: vec![id], jumps: Vec::new(), assigns: Vec::new() }
            })
            .collect()
    }

    fn stmt(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Plain { stmt, .. } => self.rewrite().visit_stmt_mut(stmt),
            Stmt::Call(call) => {
                // A kept local lent to the call is already at an address that does not move.
                let kept = self.kept;
                call.pinned.retain(|(_, id)| !kept.contains_key(id));
                let mut rewrite = self.rewrite();
                call.args.iter_mut().for_each(|arg| rewrite.visit_value_mut(arg));
            }
            Stmt::Let { init, .. } => self.construct(init),
            Stmt::Construct { construct, .. } => self.construct(construct),
        }
    }

    fn construct(&mut self, construct: &mut Construct) {
        match construct {
            Construct::If(i) => self.if_(i),
            Construct::Match { scrutinee, arms, .. } => {
                self.rewrite().visit_expr_mut(scrutinee);
                for arm in arms {
                    self.rewrite().visit_pat_mut(&mut arm.pat);
                    self.block(&mut arm.body, &arm.defs);
                }
            }
            Construct::Loop { body, .. } | Construct::Block { body, .. } => self.block(body, &[]),
        }
    }

    fn if_(&mut self, i: &mut If) {
        self.rewrite().visit_expr_mut(&mut i.cond);
        self.block(&mut i.then, &i.defs);
        match i.els.as_deref_mut() {
            Some(Else::Block(b)) => self.block(b, &[]),
            Some(Else::If(nested)) => self.if_(nested),
            None => {}
        }
    }

    fn rewrite(&self) -> ReplaceUses<'_> {
        ReplaceUses { names: &self.names, place: &place, by_value: Some(&by_value) }
    }
}

/// `(*v.as_ptr())`, at the use's span: the local's place on the heap.
fn place(ident: &Ident) -> TokenStream {
    quote_spanned!(ident.span()=> (*#ident.as_ptr()))
}

/// `copied_out_of_kept_local(&(*v.as_ptr()))`: a use that reads the local by value.
fn by_value(ident: &Ident) -> TokenStream {
    let place = place(ident);
    quote_spanned!(ident.span()=> #private::copied_out_of_kept_local(&#place))
}
