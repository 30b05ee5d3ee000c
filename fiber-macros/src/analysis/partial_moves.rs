//! Fields moved out of a local that a later recursive call keeps.
//!
//! Native code may move a field out of a local and put a value back later:
//! `node.left = insert(node.left, key)`, `if let Some(next) = n.next { n.next = Some(f(next)) }`.
//! A fiber moves the locals it still needs into its heap frame at the call, and a partly moved
//! local cannot move: rustc reports E0382 at the local's declaration, about the machine. Whether
//! the field moves depends on its type (a `Copy` field is copied), which the macro cannot see;
//! so where a field of a kept local is taken by value, the expansion asserts that what is taken
//! is `Copy`, and a move gets `MovedOutOfKeptLocal`'s message on the user's token, with the fix.
//!
//! Checked: a recursive call's argument `local.field` when the call keeps `local`; the
//! by-value bindings of an `if let`, a `match` arm or a `let` matched against `local.field`,
//! when a call in their scope or after the construct keeps `local`.

use syn::{Expr, Pat};

use crate::anf::ir::*;
use crate::syntax::free_vars;
use crate::syntax::places::strip_parens;

/// Puts the checks into `body`.
pub fn check(body: &mut Block, bindings: &[Binding], saved: &[Vec<BindingId>]) {
    Checker { bindings, saved }.block(body);
}

struct Checker<'a> {
    bindings: &'a [Binding],
    saved: &'a [Vec<BindingId>],
}

impl Checker<'_> {
    /// Whether a call at `sites` or at any site from `after` on keeps `id`.
    fn kept(&self, id: BindingId, sites: std::ops::Range<SiteId>, after: SiteId) -> bool {
        sites.chain(after..self.saved.len()).any(|s| self.saved[s].contains(&id))
    }

    /// The binding among `uses` that `expr`, a field of a local (`n.next`, `t.0.left`), is in.
    fn field_root(&self, expr: &Expr, uses: &[BindingId]) -> Option<BindingId> {
        let Expr::Field(field) = strip_parens(expr) else { return None };
        let mut base = &*field.base;
        while let Expr::Field(inner) = strip_parens(base) {
            base = &inner.base;
        }
        let Expr::Path(path) = strip_parens(base) else { return None };
        let ident = path.path.get_ident()?;
        uses.iter().copied().find(|&id| self.bindings[id].ident == *ident)
    }

    fn block(&self, block: &mut Block) {
        let mut next_site = block.sites.start;
        let stmts = std::mem::take(&mut block.stmts);
        for mut stmt in stmts {
            let sites = stmt.sites();
            if !sites.is_empty() {
                next_site = sites.end;
            }
            let mut after = Vec::new();
            match &mut stmt {
                Stmt::Call(call) => {
                    for arg in &call.args {
                        let root = self.field_root(arg, &call.visible);
                        if let Some(id) = root.filter(|id| self.saved[call.site].contains(id)) {
                            block.stmts.push(check_stmt(arg, id));
                        }
                    }
                }
                Stmt::Plain { stmt: syn::Stmt::Local(local), uses, defs, .. } => {
                    if let Some(init) = &local.init {
                        let root = self.field_root(&init.expr, uses);
                        if root.is_some_and(|id| self.kept(id, 0..0, next_site)) {
                            after.extend(self.checks(&local.pat, defs));
                        }
                    }
                }
                Stmt::Plain { .. } => {}
                Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                    self.construct(construct)
                }
            }
            block.stmts.push(stmt);
            block.stmts.extend(after);
        }
    }

    fn construct(&self, construct: &mut Construct) {
        let end = construct.sites().end;
        match construct {
            Construct::If(i) => self.if_chain(i, end),
            Construct::Match { scrutinee, uses, arms, .. } => {
                let root = self.field_root(scrutinee, uses);
                for arm in arms {
                    if root.is_some_and(|id| self.kept(id, arm.body.sites.clone(), end)) {
                        let checks = self.checks(&arm.pat, &arm.defs);
                        arm.body.stmts.splice(0..0, checks);
                    }
                    self.block(&mut arm.body);
                }
            }
            Construct::Loop { body, .. } | Construct::Block { body, .. } => self.block(body),
        }
    }

    /// A check on each binding `pat` binds by value (`defs` are its bindings' ids).
    fn checks(&self, pat: &Pat, defs: &[BindingId]) -> Vec<Stmt> {
        free_vars::bindings(pat)
            .into_iter()
            .filter(|b| !b.by_ref)
            .filter_map(|b| {
                let id = defs.iter().copied().find(|&id| self.bindings[id].ident == b.ident)?;
                let ident = b.ident;
                Some(check_stmt(&syn::parse_quote!(#ident), id))
            })
            .collect()
    }

    fn if_chain(&self, i: &mut If, end: SiteId) {
        if let Expr::Let(cond) = strip_parens(&i.cond) {
            let root = self.field_root(&cond.expr, &i.uses);
            if root.is_some_and(|id| self.kept(id, i.then.sites.clone(), end)) {
                let checks = self.checks(&cond.pat, &i.defs);
                i.then.stmts.splice(0..0, checks);
            }
        }
        self.block(&mut i.then);
        match i.els.as_deref_mut() {
            Some(Else::Block(b)) => self.block(b),
            Some(Else::If(nested)) => self.if_chain(nested, end),
            None => {}
        }
    }
}

/// `moved_out_of_kept_local(&value);`, at the value's span so that rustc's message lands there.
fn check_stmt(value: &Expr, id: BindingId) -> Stmt {
    let span = syn::spanned::Spanned::span(value);
    let check: syn::Stmt = syn::parse_quote_spanned! {span=>
        ::fiber_runtime::__private::moved_out_of_kept_local(&#value);
    };
    Stmt::Plain { stmt: check, uses: vec![id], defs: Vec::new(), jumps: Vec::new(), assigns: Vec::new() }
}
