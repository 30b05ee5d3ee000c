//! Control constructs that hold a recursive call: each sits at statement level, desugared to
//! the forms the machine can resume in (`while`, `for`, `let` chains, guards with calls, `let`
//! .. `else` with a call).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::visit::{self, Visit};
use syn::{Expr, Pat, parse_quote};

use crate::naming::{self, private};
use crate::syntax::free_vars;
use crate::syntax::places::contains_let;

use super::forms::{by_value_bindings, flatten_and, into_block, strip_leading_vert};
use super::ir::*;
use super::seq::{Origin, Seq};

impl Seq<'_, '_, '_> {
    pub(super) fn construct(&mut self, expr: Expr, tail: bool, out: &mut Vec<Stmt>) -> Construct {
        match expr {
            // A chain's bindings are known to the passes one `if let` at a time: desugared
            // whether the call is in a condition or in the branches.
            Expr::If(expr_if) if contains_let(&expr_if.cond) && !matches!(*expr_if.cond, Expr::Let(_)) => {
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
                        // In parentheses: a `let .. else` takes no initializer that ends in `}`
                        // (`while let Some(k) = match i { .. } { .. }`) or is a `&&` / `||`.
                        parse_quote!(#label loop { let #pat = (#init) else { break }; #body })
                    }
                    // `while let p = e && c { .. }`: a chain is no expression `!` can negate.
                    cond if contains_let(cond) => parse_quote!(#label loop { if #cond #body else { break } }),
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
                let desugared: Expr = parse_quote! {{
                    let mut #iter = #private::IntoIterator::into_iter(#init);
                    #label loop {
                        let #pat = match #private::Iterator::next(&mut #iter) {
                            #private::Some(#next) => #next,
                            #private::None => break,
                        };
                        #body
                    }
                }};
                self.construct(desugared, tail, out)
            }
            other => unreachable!("not a construct: {}", other.to_token_stream()),
        }
    }

    pub(super) fn guard_has_call(&self, pat: &Pat) -> bool {
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
    pub(super) fn match_with_call_guards(&mut self, m: syn::ExprMatch, out: &mut Vec<Stmt>) -> Expr {
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
            #private::unreachable!()
        })
    }

    /// `if c1 && let p = e && c3 { then } else { els }`, which holds a call, as nested `if`s,
    /// each condition running only when the ones before it held: `if c1 { if let p = e { if c3
    /// { then } else { els } } else { els } } else { els }`, or, when `els` holds a call, which
    /// must stay one site, `'l: { if c1 { if let p = e { if c3 { break 'l { then } } } } { els } }`.
    pub(super) fn let_chain_as_nested_ifs(&mut self, expr_if: syn::ExprIf) -> Expr {
        let mut conds = Vec::new();
        flatten_and(*expr_if.cond, &mut conds);
        let then = expr_if.then_branch;
        let Some((_, els)) = expr_if.else_branch else {
            let nested =
                conds.into_iter().rev().fold(quote!(#then), |inner, cond| quote!(if #cond { #inner }));
            return parse_quote!(#nested);
        };
        if !self.has_call(&els) {
            // The `else` copied to each condition: no labeled block, which an unlabeled `break`
            // or `continue` of the user's in `then` could not cross.
            let nested = conds
                .into_iter()
                .rev()
                .fold(quote!(#then), |inner, cond| quote!(if #cond { #inner } else #els));
            return parse_quote!(#nested);
        }
        let label = naming::label(&format!("chain{}", self.next_loop));
        let nested = conds
            .into_iter()
            .rev()
            .fold(quote!(break #label #then;), |inner, cond| quote!(if #cond { #inner }));
        parse_quote!(#label: { #nested #els })
    }

    pub(super) fn if_(&mut self, expr_if: syn::ExprIf, tail: bool, out: &mut Vec<Stmt>) -> If {
        let mut cond = *expr_if.cond;
        let mut pre = Vec::new();
        match &mut cond {
            Expr::Let(expr_let) => {
                *expr_let.expr = self.expr(*expr_let.expr.clone(), out);
                let borrows = self.borrows(&expr_let.expr);
                pre.push(((*expr_let.pat).clone(), Origin::Matched { borrows }));
            }
            cond_expr if contains_let(cond_expr) => {
                // `construct` desugars the chains of constructs that hold calls.
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

    pub(super) fn enter_loop(&mut self, label: Option<&syn::Label>, is_loop: bool) -> LoopId {
        let id = self.next_loop;
        self.next_loop += 1;
        self.loops.push((label.map(|l| l.name.ident.to_string()), id, is_loop));
        id
    }

    /// The enclosing loops and labeled blocks a `break`/`continue` in `stmt` jumps to.
    pub(super) fn jumps(&self, stmt: &syn::Stmt) -> Vec<Jump> {
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
