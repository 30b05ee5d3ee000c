//! Recursive calls and the expressions around them: each call becomes a statement, with what
//! native Rust evaluates before it evaluated before it, into temporaries where the call could
//! change it.

use std::collections::BTreeSet;

use syn::{BinOp, Expr, Pat, parse_quote, parse_quote_spanned};

use crate::front::calls::RecursiveCall;
use crate::naming::{self, private};
use crate::syntax::borrowed;
use crate::syntax::places::{has_index, is_compound_assign, is_place, strip_parens};
use crate::syntax::{drop_glue, free_vars, local_borrow as borrows, moves};

use super::forms::{is_construct, is_pure_place, operands_mut};
use super::ir::*;
use super::seq::Seq;

impl Seq<'_, '_, '_> {
    /// A recursive call as a statement.
    pub(super) fn call(&mut self, call: RecursiveCall, pat: Pat, tail: bool, out: &mut Vec<Stmt>) {
        let callee = call.callee;
        let (mut args, lent) = self.lend_temporaries(callee, call.method.is_some(), call.args, out);
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
        // `f(Some(&local))`, `f((&a, 1))`: a borrow inside a value built for the callee.
        for (i, arg) in args.iter().enumerate() {
            if pinned.iter().any(|(p, _)| *p == i) {
                continue;
            }
            for borrow in borrows::built_around(arg) {
                let Some(id) = self.resolve_name(&borrow.root) else { continue };
                if !self.is_outside_reference(id) {
                    arg_borrows.push((borrow, id));
                }
            }
        }
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
        let drops: Vec<syn::Stmt> = lent.iter().map(|temp| parse_quote!(#private::drop(#temp);)).collect();
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
        // A temporary lent to the call drops when the call has returned.
        for drop in drops {
            self.plain(drop, out);
        }
    }

    /// The arguments, sequenced (`operands`), with each borrow of a temporary for a reference
    /// parameter (`f(&vec![n - 1])`, `f(&mut Vec::new())`, `depth(&[n - 1])`) made a borrow of a
    /// new local holding it, which the call then lends from its saved frame (`pinned`); the
    /// arguments before it are evaluated first, in native order. Also gives those locals.
    fn lend_temporaries(
        &mut self,
        callee: usize,
        method: bool,
        args: Vec<Expr>,
        out: &mut Vec<Stmt>,
    ) -> (Vec<Expr>, Vec<syn::Ident>) {
        let params = &self.group.fns[callee].params;
        let lends: Vec<bool> = args
            .iter()
            .enumerate()
            .map(|(i, arg)| {
                (i >= usize::from(method))
                    && params.get(i).is_some_and(|p| p.is_shared_reference() || p.is_mut_reference())
                    && matches!(strip_parens(arg), Expr::Reference(r) if !is_place(&r.expr) && !self.has_call(&r.expr))
            })
            .collect();
        let Some(last) = lends.iter().rposition(|&lent| lent) else {
            return (self.operands(args, out), Vec::new());
        };
        let mut args = args;
        let rest = args.split_off(last + 1);
        let rest_calls = rest.iter().any(|r| self.has_call(r));
        let mut lent = Vec::new();
        let mut sequenced = Vec::new();
        for (i, arg) in args.into_iter().enumerate() {
            let arg = self.expr(arg, out);
            sequenced.push(match strip_parens(&arg) {
                Expr::Reference(r) if lends[i] => {
                    let mutability = r.mutability;
                    let temp = self.hoist((*r.expr).clone(), out);
                    let Expr::Path(path) = &temp else { unreachable!("`hoist` gives a name") };
                    lent.push(path.path.get_ident().expect("a name").clone());
                    parse_quote!(&#mutability #temp)
                }
                _ if self.is_stable(&arg) && !rest_calls => arg,
                _ => self.hoist(arg, out),
            });
        }
        sequenced.extend(self.operands(rest, out));
        (sequenced, lent)
    }

    /// The arguments `&mut place` for `&mut` parameters, and `&place` or `place.as_str()` for
    /// `&T` parameters, whose place is in a local of this fn, with the local (see
    /// `Call::pinned`). Not a method's receiver (its adjustment rewrites it), and not a local
    /// that another argument may move part of. (A borrow of a temporary is one of a local by
    /// now: `lend_temporaries`.)
    pub(super) fn pinned(&mut self, callee: usize, method: bool, args: &[Expr]) -> Vec<(usize, BindingId)> {
        let params = &self.group.fns[callee].params;
        let first = usize::from(method);
        let mut pinned = Vec::new();
        for (i, arg) in args.iter().enumerate().skip(first) {
            let Some(param) = params.get(i) else { continue };
            if param.is_shared_reference() {
                let Some(root) = crate::syntax::places::shared_borrowed_local(arg) else { continue };
                let Some(id) = self.resolve_name(root) else { continue };
                // A part of the local moved by another argument leaves nothing whole to save;
                // beside a borrow of the whole local, only a copy compiles natively.
                let whole = matches!(strip_parens(arg), Expr::Reference(r) if matches!(strip_parens(&r.expr), Expr::Path(_)));
                // The shadow borrows the local exclusively after the call, declared `mut`, which
                // only a binding that is its whole pattern may be whatever it matches.
                let plain = self.bindings[id].whole_pattern;
                if plain && !self.is_outside_reference(id) && (whole || !moved_elsewhere(args, i, root)) {
                    pinned.push((i, id));
                }
                continue;
            }
            if !param.is_mut_reference() {
                continue;
            }
            let Some(root) = crate::syntax::places::mut_borrowed_local(arg) else { continue };
            let Some(id) = self.resolve_name(root) else { continue };
            if !self.is_outside_reference(id) && !moved_elsewhere(args, i, root) {
                pinned.push((i, id));
            }
        }
        pinned
    }

    /// A reference parameter: what it points to is outside the frame, borrowed through it.
    fn is_outside_reference(&self, id: BindingId) -> bool {
        match self.bindings[id].param {
            Some(p) => matches!(&self.param_types[p], syn::Type::Reference(_)),
            None => false,
        }
    }

    /// A call's value in a temporary, read in the call's place. The temporary is `mut`: native
    /// code may borrow the value mutably there (`v.append(&mut f(x))`, `f(x).push(1)`,
    /// `&mut f(x).field`).
    pub(super) fn call_into_temp(&mut self, call: RecursiveCall, out: &mut Vec<Stmt>) -> Expr {
        let temp = self.temp_ident();
        self.call(call, parse_quote!(mut #temp), false, out);
        let id = self.bindings.len() - 1;
        self.temporary(&[id]);
        parse_quote!(#temp)
    }

    pub(super) fn temp_ident(&mut self) -> proc_macro2::Ident {
        let temp = naming::temp(self.next_temp);
        self.next_temp += 1;
        temp
    }

    /// Evaluates `expr` into a temporary declared before the current statement.
    pub(super) fn hoist(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
        let temp = self.temp_ident();
        self.plain(parse_quote!(let mut #temp = #expr;), out);
        let id = self.bindings.len() - 1;
        self.temporary(&[id]);
        parse_quote!(#temp)
    }

    /// A stable operand left in place is read after the call; if it indexes, native code would
    /// have run the indexing, and any panic of it, before the call: `let _ = &v[i];` does that.
    /// The call cannot change `v` or `i`, so the read after it sees what native code saw.
    pub(super) fn probe_index(&mut self, op: &Expr, out: &mut Vec<Stmt>) {
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
    pub(super) fn operands(&mut self, ops: Vec<Expr>, out: &mut Vec<Stmt>) -> Vec<Expr> {
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
    pub(super) fn expr(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
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
        let shared = crate::front::mut_params::shared_reborrow(expr);
        let expr = shared.as_ref().unwrap_or(expr);
        parse_quote_spanned!(span=> ::fiber_runtime::__private::receiver_ref::<Self, _>((#expr).__fiber_any_ref()))
    }
}

/// Whether an argument other than the `i`th may move part of the local `root` (`f(&mut p.a,
/// p.b)`), which would leave nothing whole to save; reading it (`f(v.len(), &mut v)`) is fine.
fn moved_elsewhere(args: &[Expr], i: usize, root: &syn::Ident) -> bool {
    use crate::syntax::places::{mut_borrowed_local, shared_borrowed_local};
    args.iter().enumerate().any(|(j, other)| {
        j != i
            && mut_borrowed_local(other) != Some(root)
            && shared_borrowed_local(other) != Some(root)
            && moves::moved_names_in(other).contains(&root.to_string())
    })
}
