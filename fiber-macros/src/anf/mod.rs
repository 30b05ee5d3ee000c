//! Sequencing: the body in A-normal form. Every recursive call becomes a statement of its own
//! (`let pat = f(args);`), and every control construct that contains one (`if`, `match`, `loop`,
//! blocks) sits at statement level, so that the machine can stop between two statements and
//! resume there.
//!
//! Evaluation order is native: what Rust evaluates before a call in the same expression is
//! evaluated into a temporary before it (`g(h(), f(x))` runs `h()` first); conditional
//! evaluation stays conditional (`a && f(x)` becomes an `if`). Places and plain values that the
//! call cannot change (`x`, `v.len` fields, literals) are left where they are.
//!
//! Desugarings, each only where a recursive call is inside:
//! - `while c { b }` becomes `loop { if !(c) { break } b }`;
//!   `while let p = e { b }` becomes `loop { let p = e else { break }; b }`.
//! - `for p in e { b }` becomes
//!   `{ let mut it = IntoIterator::into_iter(e); loop { let p = match Iterator::next(&mut it) {
//!   Some(x) => x, None => break }; b } }`: the iterator lives in the frame, so the loop resumes
//!   on the same iteration.
//! - `a && b` becomes `if a { b } else { false }`, `a || b` becomes `if a { true } else { b }`.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Pat, parse_quote, parse_quote_spanned};

use crate::errors::Errors;
use crate::front::calls::RecursiveCall;
use crate::front::model::{FiberFn, Group};
use crate::naming::{self, private};
use crate::syntax::borrowed::{self, Local};
use crate::syntax::places::{contains_let, has_index, is_compound_assign, is_place, is_stable, strip_parens};
use crate::syntax::{drop_glue, free_vars, local_borrow as borrows, moves};
use ir::*;

pub mod ir;

pub struct Sequenced {
    pub body: Block,
    pub bindings: Vec<Binding>,
    pub sites: usize,
}

/// Each fn of the group in A-normal form.
pub fn run(group: Group, errors: &mut Errors) -> Vec<Sequenced> {
    group.fns.iter().map(|f| sequence(&group, f, errors)).collect()
}

pub fn sequence(group: &Group, f: &FiberFn, errors: &mut Errors) -> Sequenced {
    let mut seq = Seq {
        group,
        output: f.output.to_token_stream().to_string(),
        param_types: f.params.iter().map(|p| p.ty.clone()).collect(),
        moved: moves::moved_names(&f.item.block),
        errors,
        bindings: Vec::new(),
        env: Vec::new(),
        scopes: Vec::new(),
        next_scope: 0,
        next_site: 0,
        next_temp: 0,
        next_loop: 0,
        loops: Vec::new(),
    };
    let params: Vec<(Pat, Origin)> =
        f.params.iter().enumerate().map(|(i, p)| (p.pat.clone(), Origin::Param(i))).collect();
    let body = seq.block((*f.item.block).clone(), true, &params);
    Sequenced { body, bindings: seq.bindings, sites: seq.next_site }
}

struct Seq<'g, 'a, 'e> {
    group: &'g Group<'a>,
    /// The declared return type of the fn, as text.
    output: String,
    /// The declared type of each parameter.
    param_types: Vec<syn::Type>,
    /// The names some expression of the body may move (`moves::moved_names`).
    moved: BTreeSet<String>,
    errors: &'e mut Errors,
    bindings: Vec<Binding>,
    /// Visible bindings, innermost last.
    env: Vec<(String, BindingId)>,
    scopes: Vec<ScopeId>,
    next_scope: ScopeId,
    next_site: SiteId,
    next_temp: usize,
    next_loop: LoopId,
    /// Enclosing loops and labeled blocks: label, id, whether it is a loop.
    loops: Vec<(Option<String>, LoopId, bool)>,
}

impl Seq<'_, '_, '_> {
    fn has_call(&self, expr: &Expr) -> bool {
        self.group.contains_call(expr)
    }

    /// Sequences a block. `pre_bind` are patterns whose bindings belong to the block's scope
    /// (parameters, an arm's pattern, an `if let`'s pattern).
    fn block(&mut self, block: syn::Block, tail: bool, pre_bind: &[(Pat, Origin)]) -> Block {
        self.block_binding(block, tail, pre_bind).0
    }

    /// [`Seq::block`], also returning the ids of the `pre_bind` bindings.
    fn block_binding(
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
    fn bind(&mut self, pat: &Pat) -> Vec<BindingId> {
        let scope = *self.scopes.last().expect("inside a block");
        let mut names = BTreeSet::new();
        free_vars::bindings(pat)
            .into_iter()
            // An or-pattern binds each name once, in every alternative.
            .filter(|bound| names.insert(bound.ident.to_string()))
            .map(|bound| {
                let id = self.bindings.len();
                let name = bound.ident.to_string();
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
                });
                id
            })
            .collect()
    }

    /// Decides whether fresh bindings are kept to the end of their scope (see `drops`):
    /// `drop_free` when syntax shows their type has no drop glue, `borrows` when their value
    /// may hold a borrow of an owned local.
    fn settle(&mut self, ids: &[BindingId], drop_free: bool, borrows: bool) {
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
    fn mark_matched_borrow(&mut self, scrutinee: &Expr, pat: &Pat, defs: &[BindingId]) {
        let Some(borrow) = borrows::classify_expr(scrutinee).filter(|b| b.whole && !b.for_loop) else {
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

    /// Marks a generated temporary: moved out in the statement that needs it, never kept.
    fn temporary(&mut self, ids: &[BindingId]) {
        for &id in ids {
            self.bindings[id].drops_at_scope_end = false;
            self.bindings[id].temporary = true;
        }
    }

    /// Whether the value of `expr` may hold a borrow of an owned local.
    fn borrows(&self, expr: &Expr) -> bool {
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

    fn resolve(&self, names: BTreeSet<String>) -> Vec<BindingId> {
        names
            .into_iter()
            .filter_map(|name| self.env.iter().rev().find(|(n, _)| *n == name).map(|(_, id)| *id))
            .collect()
    }

    /// The binding `name` refers to here, if it is one.
    fn resolve_name(&self, name: &impl ToString) -> Option<BindingId> {
        let name = name.to_string();
        self.env.iter().rev().find(|(n, _)| *n == name).map(|(_, id)| *id)
    }

    fn stmt(&mut self, stmt: syn::Stmt, tail: bool, out: &mut Vec<Stmt>) {
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
    fn is_stable(&self, expr: &Expr) -> bool {
        if self.group.fns.iter().any(|f| f.params.iter().any(|p| p.is_mut_reference())) {
            return match strip_parens(expr) {
                Expr::Lit(_) | Expr::Path(_) => true,
                Expr::Reference(r) => is_stable(&r.expr),
                _ => false,
            };
        }
        is_stable(expr)
    }

    fn stmt_has_call(&self, stmt: &syn::Stmt) -> bool {
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
    fn may_tail_call(&self, callee: usize) -> bool {
        self.group.fns[callee].output.to_token_stream().to_string() == self.output
    }

    fn plain(&mut self, stmt: syn::Stmt, out: &mut Vec<Stmt>) {
        let uses = self.resolve(free_vars::of_stmt(&stmt));
        let jumps = self.jumps(&stmt);
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
                }
                if let (Some(borrow), Some(root), [id]) = (borrow, root, defs.as_slice()) {
                    self.bindings[*id].borrow = Some((borrow, root));
                }
                defs
            }
            _ => Vec::new(),
        };
        out.push(Stmt::Plain { stmt, uses, defs, jumps });
    }

    /// A recursive call as a statement.
    fn call(&mut self, call: RecursiveCall, pat: Pat, tail: bool, out: &mut Vec<Stmt>) {
        let callee = call.callee;
        let mut args = self.operands(call.args, out);
        let mut uses = BTreeSet::new();
        for arg in &args {
            uses.extend(free_vars::of_expr(arg));
        }
        let uses = self.resolve(uses);
        let whole_args = args
            .iter()
            .filter_map(|arg| match strip_parens(arg) {
                Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
                _ => None,
            })
            .filter_map(|name| self.resolve_name(&name))
            .collect();
        let pinned = self.pinned(callee, call.method.is_some(), &args);
        let mut arg_borrows: Vec<_> = args
            .iter()
            .enumerate()
            .filter(|(i, _)| !pinned.iter().any(|(p, _)| p == i))
            .filter_map(|(_, arg)| borrows::classify_expr(arg))
            .filter_map(|b| self.resolve_name(&b.root).map(|root| (b, root)))
            .collect();
        let params = &self.group.fns[callee].params;
        let reborrow_last: Vec<usize> = (0..args.len())
            .filter(|&i| params.get(i).is_some_and(|p| p.is_mut_reference()))
            .filter(|i| !pinned.iter().any(|(p, _)| p == i))
            .filter(|&i| match strip_parens(&args[i]) {
                Expr::Reference(r) => r.mutability.is_some() && is_pure_place(&r.expr),
                other => is_pure_place(other),
            })
            .collect();
        if let Some(method) = &call.method {
            let receiver = &params[0];
            if !receiver.is_by_value() {
                let borrow = borrows::receiver_root(&args[0]);
                arg_borrows.extend(borrow.and_then(|b| self.resolve_name(&b.root).map(|root| (b, root))));
            }
            args[0] = adjusted_receiver(receiver, &args[0], method);
        }
        let mut names = BTreeSet::new();
        let visible =
            self.env.iter().rev().filter(|(name, _)| names.insert(name.clone())).map(|(_, id)| *id).collect();
        let site = self.next_site;
        self.next_site += 1;
        let borrows = args.iter().any(|arg| self.borrows(arg)) || borrowed::binds_by_ref(&pat);
        // A local an argument borrows from cannot move into the frame at the call, unless the
        // argument points into the saved frame.
        for root in args.iter().flat_map(borrowed::borrowed_roots) {
            if let Some(id) = self.resolve_name(&root).filter(|id| !pinned.iter().any(|(_, p)| p == id)) {
                self.bindings[id].drops_at_scope_end = false;
            }
        }
        let defs = self.bind(&pat);
        let drop_free = drop_glue::type_is_drop_free(&self.group.fns[callee].output);
        self.settle(&defs, drop_free, borrows);
        out.push(Stmt::Call(Call {
            visible,
            site,
            callee,
            pat,
            defs,
            args,
            uses,
            whole_args,
            arg_borrows,
            pinned,
            reborrow_last,
            tail,
            witnesses: None,
        }));
    }

    /// The arguments `&mut place` for `&mut` parameters whose place is in a local of this fn,
    /// with the local (see `Call::pinned`). Not a method's receiver (its adjustment rewrites
    /// it), and not a local that another argument may move part of.
    /// A `&mut` borrow of a temporary (`f(&mut Vec::new())`) is an error.
    fn pinned(&mut self, callee: usize, method: bool, args: &[Expr]) -> Vec<(usize, BindingId)> {
        let params = &self.group.fns[callee].params;
        let first = usize::from(method);
        let mut pinned = Vec::new();
        for (i, arg) in args.iter().enumerate().skip(first) {
            if !params.get(i).is_some_and(|p| p.is_mut_reference()) {
                continue;
            }
            if let Expr::Reference(r) = strip_parens(arg) {
                if r.mutability.is_some() && !is_place(&r.expr) {
                    self.errors.error(
                        arg,
                        "this passes a `&mut` borrow of a temporary to a recursive call: the \
                         temporary would die when the caller's state is saved, before the \
                         callee runs\nhelp: bind it to a local first: `let mut tmp = ..;` then \
                         pass `&mut tmp`",
                    );
                    continue;
                }
            }
            let Some(root) = crate::syntax::places::mut_borrowed_local(arg) else { continue };
            let Some(id) = self.resolve_name(root) else { continue };
            let outside = match self.bindings[id].param {
                Some(p) => matches!(&self.param_types[p], syn::Type::Reference(_)),
                None => false,
            };
            // Another argument that may move part of the local (`f(&mut p.a, p.b)`) would
            // leave nothing whole to save; reading it (`f(v.len(), &mut v)`) is fine.
            let moved_elsewhere = args.iter().enumerate().any(|(j, other)| {
                j != i
                    && crate::syntax::places::mut_borrowed_local(other) != Some(root)
                    && moves::moved_names_in(other).contains(&root.to_string())
            });
            if !outside && !moved_elsewhere {
                pinned.push((i, id));
            }
        }
        pinned
    }

    fn call_into_temp(&mut self, call: RecursiveCall, out: &mut Vec<Stmt>) -> Expr {
        let temp = self.temp_ident();
        self.call(call, parse_quote!(#temp), false, out);
        let id = self.bindings.len() - 1;
        self.temporary(&[id]);
        parse_quote!(#temp)
    }

    fn temp_ident(&mut self) -> proc_macro2::Ident {
        let temp = naming::temp(self.next_temp);
        self.next_temp += 1;
        temp
    }

    /// Evaluates `expr` into a temporary declared before the current statement.
    fn hoist(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
        let temp = self.temp_ident();
        self.plain(parse_quote!(let mut #temp = #expr;), out);
        let id = self.bindings.len() - 1;
        self.temporary(&[id]);
        parse_quote!(#temp)
    }

    /// A stable operand left in place is read after the call; if it indexes, native code would
    /// have run the indexing, and any panic of it, before the call: `let _ = &v[i];` does that.
    /// The call cannot change `v` or `i`, so the read after it sees what native code saw.
    fn probe_index(&mut self, op: &Expr, out: &mut Vec<Stmt>) {
        if !has_index(op) {
            return;
        }
        let place = match strip_parens(op) {
            Expr::Reference(r) => &*r.expr,
            other => other,
        };
        self.plain(parse_quote!(let _ = &#place;), out);
    }

    /// Sequences operands evaluated left to right: each operand before the last one that holds
    /// a call is evaluated into a temporary first, unless the call cannot change its value.
    fn operands(&mut self, ops: Vec<Expr>, out: &mut Vec<Stmt>) -> Vec<Expr> {
        let last = ops.iter().rposition(|op| self.has_call(op));
        // What the operands after each one may write before the call (`x + { x = 1; f(x) }`
        // reads `x` first): an operand it names is not left in place.
        let written_after: Vec<BTreeSet<String>> = (0..ops.len())
            .map(|i| match last {
                Some(last) if i < last => ops[i + 1..=last].iter().flat_map(free_vars::written).collect(),
                _ => BTreeSet::new(),
            })
            .collect();
        ops.into_iter()
            .enumerate()
            .map(|(i, op)| match last {
                Some(last) if i <= last => {
                    let op = self.expr(op, out);
                    let overwritten = || free_vars::of_expr(&op).iter().any(|n| written_after[i].contains(n));
                    if i == last {
                        op
                    } else if !self.is_stable(&op) || overwritten() {
                        self.hoist(op, out)
                    } else {
                        self.probe_index(&op, out);
                        op
                    }
                }
                _ => op,
            })
            .collect()
    }

    /// Returns `expr` free of recursive calls; what must run before it is pushed to `out`.
    fn expr(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
        if !self.has_call(&expr) {
            return expr;
        }
        match expr {
            expr if self.group.recursive_call(&expr).is_some() => {
                let call = self.group.recursive_call(&expr).expect("checked");
                self.call_into_temp(call, out)
            }
            expr if is_construct(&expr) => {
                let borrows = self.borrows(&expr);
                let construct = self.construct(expr, false, out);
                let temp = self.temp_ident();
                let pat: Pat = parse_quote!(mut #temp);
                let defs = self.bind(&pat);
                self.settle(&defs, false, borrows);
                self.temporary(&defs);
                out.push(Stmt::Let { attrs: Vec::new(), pat, defs, init: construct });
                parse_quote!(#temp)
            }
            Expr::Binary(bin)
                if matches!(bin.op, BinOp::And(_) | BinOp::Or(_)) && self.has_call(&bin.right) =>
            {
                let (left, right) = (&bin.left, &bin.right);
                let desugared: Expr = match bin.op {
                    BinOp::And(_) => parse_quote!(if #left { #right } else { false }),
                    _ => parse_quote!(if #left { true } else { #right }),
                };
                self.expr(desugared, out)
            }
            Expr::Binary(mut bin) if is_compound_assign(&bin.op) => {
                if self.has_call(&bin.left) || !self.is_stable(&bin.left) {
                    self.errors.error(
                        &bin.left,
                        "the place of this compound assignment is evaluated before or after the \
                         recursive call depending on types the macro cannot see\n\
                         help: bind the call to a `let` first, then assign",
                    );
                    return Expr::Binary(bin);
                }
                *bin.right = self.expr(*bin.right, out);
                Expr::Binary(bin)
            }
            Expr::Assign(mut assign) => {
                // The assigned value is evaluated before the place.
                *assign.right = self.expr(*assign.right, out);
                if self.has_call(&assign.left) {
                    if !self.is_stable(&assign.right) {
                        *assign.right = self.hoist(*assign.right, out);
                    }
                    *assign.left = self.expr(*assign.left, out);
                }
                Expr::Assign(assign)
            }
            Expr::Return(mut ret) => {
                ret.expr = ret.expr.map(|e| Box::new(self.expr(*e, out)));
                Expr::Return(ret)
            }
            Expr::Break(mut brk) => {
                brk.expr = brk.expr.map(|e| Box::new(self.expr(*e, out)));
                Expr::Break(brk)
            }
            mut expr => {
                let taken = operands_mut(&mut expr)
                    .into_iter()
                    .map(|op| std::mem::replace(op, parse_quote!(())))
                    .collect();
                let sequenced = self.operands(taken, out);
                for (op, value) in operands_mut(&mut expr).into_iter().zip(sequenced) {
                    *op = value;
                }
                expr
            }
        }
    }

    fn construct(&mut self, expr: Expr, tail: bool, out: &mut Vec<Stmt>) -> Construct {
        match expr {
            Expr::If(expr_if)
                if contains_let(&expr_if.cond)
                    && !matches!(*expr_if.cond, Expr::Let(_))
                    && self.has_call(&expr_if.cond) =>
            {
                let desugared = self.let_chain_as_nested_ifs(expr_if);
                self.construct(desugared, tail, out)
            }
            Expr::If(expr_if) => Construct::If(self.if_(expr_if, tail, out)),
            Expr::Match(m) if m.arms.iter().any(|arm| self.guard_has_call(&arm.pat)) => {
                let desugared = self.match_with_call_guards(m, out);
                self.construct(desugared, tail, out)
            }
            Expr::Match(m) => {
                let scrutinee = self.expr(*m.expr, out);
                let borrows = self.borrows(&scrutinee);
                let uses = self.resolve(free_vars::of_expr(&scrutinee));
                let start = self.next_site;
                let arms = m
                    .arms
                    .into_iter()
                    .map(|arm| {
                        let uses = self.resolve(free_vars::of_pat(&arm.pat));
                        let body = into_block(*arm.body);
                        let pre = [(arm.pat.clone(), Origin::Matched { borrows })];
                        let (body, defs) = self.block_binding(body, tail, &pre);
                        self.mark_matched_borrow(&scrutinee, &arm.pat, &defs);
                        Arm { pat: arm.pat, uses, defs, body }
                    })
                    .collect();
                Construct::Match { scrutinee, uses, arms, sites: start..self.next_site }
            }
            Expr::Loop(l) => {
                let id = self.enter_loop(l.label.as_ref(), true);
                let body = self.block(l.body, false, &[]);
                self.loops.pop();
                Construct::Loop { id, label: l.label, body }
            }
            Expr::Block(b) => {
                let id = self.enter_loop(b.label.as_ref(), false);
                let body = self.block(b.block, tail, &[]);
                self.loops.pop();
                Construct::Block { id, label: b.label, unsafety: None, body }
            }
            Expr::Unsafe(u) => {
                let id = self.enter_loop(None, false);
                let body = self.block(u.block, tail, &[]);
                self.loops.pop();
                Construct::Block { id, label: None, unsafety: Some(u.unsafe_token), body }
            }
            Expr::While(w) => {
                let (label, cond, body) = (&w.label, &w.cond, &w.body);
                let desugared: Expr = match &*w.cond {
                    Expr::Let(expr_let) => {
                        let mut pat = expr_let.pat.clone();
                        strip_leading_vert(&mut pat);
                        let (pat, init) = (&pat, &expr_let.expr);
                        parse_quote!(#label loop { let #pat = #init else { break }; #body })
                    }
                    _ => parse_quote!(#label loop { if !(#cond) { break; } #body }),
                };
                self.construct(desugared, tail, out)
            }
            Expr::ForLoop(mut f) => {
                // `for | a in ..` may lead with `|`, which a `let` pattern may not.
                strip_leading_vert(&mut f.pat);
                let iter = naming::temp(self.next_temp);
                self.next_temp += 1;
                let next = naming::loop_item();
                let (label, pat, init, body) = (&f.label, &f.pat, &f.expr, &f.body);
                let p = private();
                let desugared: Expr = parse_quote! {{
                    let mut #iter = #p::IntoIterator::into_iter(#init);
                    #label loop {
                        let #pat = match #p::Iterator::next(&mut #iter) {
                            #p::Some(#next) => #next,
                            #p::None => break,
                        };
                        #body
                    }
                }};
                self.construct(desugared, tail, out)
            }
            other => unreachable!("not a construct: {}", other.to_token_stream()),
        }
    }

    fn guard_has_call(&self, pat: &Pat) -> bool {
        matches!(pat, Pat::Guard(guard) if self.has_call(&guard.guard))
    }

    /// A `match` with recursive calls in guards, as a labeled block that tries the arms in
    /// order: runs of arms without such guards stay a `match` (falling through when none
    /// matches), and an arm whose guard calls binds its pattern, then tests the guard as an
    /// `if` whose condition may hold resume points.
    ///
    /// The guard runs on copies of its bindings, so when it fails the scrutinee is intact for
    /// the next arms, as native guards leave it; the expansion asserts the bindings are `Copy`.
    /// A scrutinee that is not a place is evaluated once into a temporary.
    fn match_with_call_guards(&mut self, m: syn::ExprMatch, out: &mut Vec<Stmt>) -> Expr {
        let p = private();
        let label = naming::label(&format!("match{}", self.next_loop));
        let scrutinee = self.expr(*m.expr, out);
        let scrutinee = if self.is_stable(&scrutinee) { scrutinee } else { self.hoist(scrutinee, out) };
        let mut tries: Vec<TokenStream> = Vec::new();
        let mut run: Vec<TokenStream> = Vec::new();
        let fall_through = quote!(#[allow(unreachable_patterns)] _ => {});
        for arm in m.arms {
            let body = &arm.body;
            match &arm.pat {
                Pat::Guard(guard) if self.has_call(&guard.guard) => {
                    if !run.is_empty() {
                        tries.push(quote!(match #scrutinee { #(#run)* #fall_through }));
                        run.clear();
                    }
                    let (pat, cond) = (&guard.pat, &guard.guard);
                    let copies = by_value_bindings(pat).into_iter().map(|ident| {
                        quote_spanned!(ident.span()=>
                            ::fiber_runtime::__private::guard_binding_is_copy(&#ident);)
                    });
                    tries.push(quote! {
                        match #scrutinee {
                            #pat => {
                                #(#copies)*
                                if #cond {
                                    break #label { #body };
                                }
                            }
                            #fall_through
                        }
                    });
                }
                pat => run.push(quote!(#pat => break #label { #body },)),
            }
        }
        if !run.is_empty() {
            tries.push(quote!(match #scrutinee { #(#run)* #fall_through }));
        }
        parse_quote!(#label: {
            #(#tries)*
            #p::unreachable!()
        })
    }

    /// `if c1 && let p = e && c3 { then } else { els }`, whose conditions hold a call, as
    /// `'l: { if c1 { if let p = e { if c3 { break 'l { then } } } } { els } }`: each condition
    /// runs only when the ones before it held, and the `else` block is not copied.
    fn let_chain_as_nested_ifs(&mut self, expr_if: syn::ExprIf) -> Expr {
        let mut conds = Vec::new();
        flatten_and(*expr_if.cond, &mut conds);
        let then = expr_if.then_branch;
        let Some((_, els)) = expr_if.else_branch else {
            let nested =
                conds.into_iter().rev().fold(quote!(#then), |inner, cond| quote!(if #cond { #inner }));
            return parse_quote!(#nested);
        };
        let label = naming::label(&format!("chain{}", self.next_loop));
        let nested = conds
            .into_iter()
            .rev()
            .fold(quote!(break #label #then;), |inner, cond| quote!(if #cond { #inner }));
        parse_quote!(#label: { #nested #els })
    }

    fn if_(&mut self, expr_if: syn::ExprIf, tail: bool, out: &mut Vec<Stmt>) -> If {
        let mut cond = *expr_if.cond;
        let mut pre = Vec::new();
        match &mut cond {
            Expr::Let(expr_let) => {
                *expr_let.expr = self.expr(*expr_let.expr.clone(), out);
                let borrows = self.borrows(&expr_let.expr);
                pre.push(((*expr_let.pat).clone(), Origin::Matched { borrows }));
            }
            cond_expr if contains_let(cond_expr) => {
                // `construct` desugars chains that hold calls before they get here.
                debug_assert!(!self.has_call(cond_expr));
            }
            cond_expr => *cond_expr = self.expr(cond_expr.clone(), out),
        }
        let uses = self.resolve(free_vars::of_expr(match &cond {
            Expr::Let(expr_let) => &expr_let.expr,
            other => other,
        }));
        let (then, defs) = self.block_binding(expr_if.then_branch, tail, &pre);
        if let Expr::Let(expr_let) = &cond {
            self.mark_matched_borrow(&expr_let.expr, &expr_let.pat, &defs);
        }
        let els = expr_if.else_branch.map(|(_, els)| {
            Box::new(match *els {
                // An `else if` whose condition holds a call is an `else { if .. }`: its
                // condition must not run before the first one is known false.
                Expr::If(nested) if !self.has_call(&nested.cond) => {
                    let mut nested_out = Vec::new();
                    let nested = self.if_(nested, tail, &mut nested_out);
                    debug_assert!(nested_out.is_empty());
                    Else::If(Box::new(nested))
                }
                other => Else::Block(self.block(into_block(other), tail, &[])),
            })
        });
        If { cond, uses, defs, then, els }
    }

    fn enter_loop(&mut self, label: Option<&syn::Label>, is_loop: bool) -> LoopId {
        let id = self.next_loop;
        self.next_loop += 1;
        self.loops.push((label.map(|l| l.name.ident.to_string()), id, is_loop));
        id
    }

    /// The enclosing loops and labeled blocks a `break`/`continue` in `stmt` jumps to.
    fn jumps(&self, stmt: &syn::Stmt) -> Vec<Jump> {
        let mut finder = JumpFinder { inner_loops: 0, inner_labels: Vec::new(), found: Vec::new() };
        finder.visit_stmt(stmt);
        let mut jumps = Vec::new();
        for (label, is_continue) in finder.found {
            let target = self.loops.iter().rev().find(|(l, _, is_loop)| match &label {
                Some(label) => l.as_deref() == Some(label),
                None => *is_loop,
            });
            if let Some((_, id, _)) = target {
                jumps.push(if is_continue { Jump::Continue(*id) } else { Jump::Break(*id) });
            }
        }
        jumps
    }
}

struct JumpFinder {
    inner_loops: usize,
    inner_labels: Vec<String>,
    /// Label (none for unlabeled) and whether it is a `continue`.
    found: Vec<(Option<String>, bool)>,
}

impl JumpFinder {
    fn jump(&mut self, label: Option<&syn::Lifetime>, is_continue: bool) {
        match label {
            Some(l) if !self.inner_labels.contains(&l.ident.to_string()) => {
                self.found.push((Some(l.ident.to_string()), is_continue))
            }
            None if self.inner_loops == 0 => self.found.push((None, is_continue)),
            _ => {}
        }
    }

    fn in_loop(&mut self, label: Option<&syn::Label>, is_loop: bool, f: impl FnOnce(&mut Self)) {
        if let Some(l) = label {
            self.inner_labels.push(l.name.ident.to_string());
        }
        self.inner_loops += usize::from(is_loop);
        f(self);
        self.inner_loops -= usize::from(is_loop);
        if label.is_some() {
            self.inner_labels.pop();
        }
    }
}

impl<'ast> Visit<'ast> for JumpFinder {
    fn visit_expr_break(&mut self, e: &'ast syn::ExprBreak) {
        self.jump(e.label.as_ref(), false);
        visit::visit_expr_break(self, e);
    }
    fn visit_expr_continue(&mut self, e: &'ast syn::ExprContinue) {
        self.jump(e.label.as_ref(), true);
    }
    fn visit_expr_loop(&mut self, e: &'ast syn::ExprLoop) {
        self.in_loop(e.label.as_ref(), true, |s| visit::visit_expr_loop(s, e));
    }
    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.in_loop(e.label.as_ref(), true, |s| visit::visit_expr_while(s, e));
    }
    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.in_loop(e.label.as_ref(), true, |s| visit::visit_expr_for_loop(s, e));
    }
    fn visit_expr_block(&mut self, e: &'ast syn::ExprBlock) {
        self.in_loop(e.label.as_ref(), false, |s| visit::visit_expr_block(s, e));
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Where the bindings a block binds at its top come from.
#[derive(Clone, Copy)]
enum Origin {
    /// The fn's parameter with this index.
    Param(usize),
    /// A pattern matched against a value (an arm's, an `if let`'s); `borrows` when the value
    /// may hold a borrow of an owned local.
    Matched { borrows: bool },
}

/// The type a `let` pattern declares (`let x: T`).
fn declared_type(pat: &Pat) -> Option<&syn::Type> {
    match pat {
        Pat::Type(t) => Some(&t.ty),
        _ => None,
    }
}

fn is_construct(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::If(_) | Expr::Match(_) | Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Unsafe(_)
    ) || matches!(expr, Expr::Block(b) if b.attrs.is_empty())
}

/// A `#[cfg]` or `#[cfg_attr]` on a statement.
fn conditional_attr(stmt: &syn::Stmt) -> Option<&syn::Attribute> {
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

/// The operands of a chain of `&&`, left to right.
fn flatten_and(expr: Expr, out: &mut Vec<Expr>) {
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
fn let_else_as_match(pat: &Pat, init: &Expr, diverge: &Expr) -> syn::Stmt {
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
fn strip_mut(pat: &Pat) -> Pat {
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
fn strip_leading_vert(pat: &mut Pat) {
    if let Pat::Or(or) = pat {
        or.leading_vert = None;
        if or.cases.len() == 1 {
            *pat = or.cases.pop().expect("one case");
        } else {
            *pat = parse_quote!((#or));
        }
    }
}

/// Whether `pat` holds a `&pat` reference pattern anywhere.
fn has_reference_pattern(pat: &Pat) -> bool {
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

/// A place that evaluating cannot change or observe: names (a `&mut` parameter's as
/// `mut_params` rewrote it), fields and derefs of them (an index may run a user's `Index` impl).
fn is_pure_place(expr: &Expr) -> bool {
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

/// The bindings of `pat` that bind by value (not `ref`), as written.
fn by_value_bindings(pat: &Pat) -> Vec<proc_macro2::Ident> {
    free_vars::bindings(pat).into_iter().filter(|b| !b.by_ref).map(|b| b.ident).collect()
}

/// A method call's receiver adjusted as method calls adjust it (auto-borrow, auto-deref), and
/// checked to be the group's `Self`: `receiver_ref::<Self, _>(x.__fiber_any_ref())`. At the
/// method name's span, where a receiver of another type is reported.
pub fn adjusted_receiver(
    receiver: &crate::front::model::Param,
    expr: &Expr,
    method: &proc_macro2::Ident,
) -> Expr {
    let span = method.span();
    if receiver.is_by_value() {
        parse_quote_spanned!(span=> ::fiber_runtime::__private::receiver_val::<Self, _>(#expr))
    } else if receiver.is_mut_reference() {
        parse_quote_spanned!(span=> ::fiber_runtime::__private::receiver_mut::<Self, _>((#expr).__fiber_any_mut()))
    } else {
        // Method-call syntax, so that the receiver is auto-borrowed and auto-dereferenced as in
        // the native call; `AnyRef` is imported by the public fn.
        parse_quote_spanned!(span=> ::fiber_runtime::__private::receiver_ref::<Self, _>((#expr).__fiber_any_ref()))
    }
}

fn into_block(expr: Expr) -> syn::Block {
    match expr {
        Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => b.block,
        other => {
            let span = other.span();
            parse_quote_spanned_block(span, other)
        }
    }
}

fn parse_quote_spanned_block(span: Span, expr: Expr) -> syn::Block {
    // Built, not parsed: an expression syn accepted may not re-parse as a statement
    // (`crate.f()` reads as the start of an item there).
    syn::Block { brace_token: syn::token::Brace(span), stmts: vec![syn::Stmt::Expr(expr, None)] }
}

/// The operands of `expr`, in evaluation order.
fn operands_mut(expr: &mut Expr) -> Vec<&mut Expr> {
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
