//! Lowering: one match arm per state of the machine.
//!
//! The start state runs the whole body. The state after resume point `k` runs the code that
//! follows the call at `k`: the rest of the innermost block, then the rest of every enclosing
//! construct, rebuilt around it. Saved bindings are restored at the top of the block that
//! declared them, so scopes, shadowing and drop points stay those of the source.
//!
//! Input:
//! ```text
//! fn f(n: u64) -> u64 { let a = f(n - 1); a + 1 }
//! ```
//! Output (the arms of the step's `match frame`):
//! ```text
//! Frame::Start { n: p } => { value = { let n: u64 = p;
//!     let a: u64 = { let arg0 = n - 1; top.save(Frame::After0 {}); return Step::Call(Frame::Start { n: arg0 }) };
//!     a + 1 } ... }
//! Frame::After0 {} => { value = { let a = <value in the return slot>; a + 1 } ... }
//! ```
//! A call inside a loop resumes in a copy of the loop that first finishes the current iteration.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat, parse_quote};

use crate::analysis::liveness;
use crate::anf::Sequenced;
use crate::anf::ir::*;
use crate::front::model::FiberFn;
use crate::naming::{self, private};

pub struct Lower<'a> {
    pub fns: &'a [FiberFn],
    /// The fn being lowered.
    pub this: usize,
    pub seq: &'a Sequenced,
    pub saved: &'a [Vec<BindingId>],
    /// For each fn of the group: the fns whose return value may arrive when it is called
    /// (itself, and every fn it reaches by tail calls).
    pub returns: &'a [Vec<usize>],
    /// Set once a tail call that may replace the frame is lowered: the step then needs the
    /// loop that runs tail-called frames (`continue` to `naming::tail_label`).
    pub tail_calls: std::cell::Cell<bool>,
}

impl Lower<'_> {
    fn f(&self) -> &FiberFn {
        &self.fns[self.this]
    }

    /// A declared type as the machine's code writes it. In a group, each public fn holds the
    /// arms of the fns it reaches, where another fn's named lifetimes are not declared: they
    /// become `'_`, which infers the same lifetime from the value.
    fn local_type(&self, ty: &syn::Type) -> syn::Type {
        let mut ty = ty.clone();
        if self.fns.len() > 1 {
            struct Erase;
            impl VisitMut for Erase {
                fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
                    if lifetime.ident != "static" {
                        lifetime.ident = proc_macro2::Ident::new("_", lifetime.ident.span());
                    }
                }
            }
            Erase.visit_type_mut(&mut ty);
        }
        ty
    }

    /// The frame fields of the state after `site`: (field name, binding).
    /// Latest-bound first: a frame dropped by unwinding or cancellation drops its fields in
    /// order, and native code drops locals in reverse order of declaration.
    pub fn fields(&self, site: SiteId) -> Vec<(Ident, BindingId)> {
        let saved = &self.saved[site];
        saved
            .iter()
            .rev()
            .map(|&id| {
                let ident = &self.seq.bindings[id].ident;
                let unique = saved.iter().filter(|&&o| self.seq.bindings[o].ident == *ident).count() == 1;
                (naming::field(ident, id, unique), id)
            })
            .collect()
    }

    /// The match arms of this fn's states.
    pub fn arms(&self) -> TokenStream {
        let frame = naming::frame_enum();
        let f = self.f();
        let start = naming::start_variant(&f.prefix);
        let fields = f.params.iter().map(|param| &param.outer);
        let locals: Vec<Ident> = (0..f.params.len()).map(naming::param).collect();
        let restore = f.params.iter().zip(&locals).map(|(param, local)| {
            let pat = &param.pat;
            // A `&mut T` parameter arrives as the `MutRef` its uses go through.
            if let Some(target) = param.mut_target().filter(|_| param.type_is_nameable()) {
                let (p, target) = (private(), self.local_type(target));
                quote!(let #pat: #p::MutRef<'_, #target> = #local;)
            } else if param.type_is_nameable() && !param.is_mut_reference() {
                let ty = self.local_type(&param.ty);
                quote!(let #pat: #ty = #local;)
            } else {
                quote!(let #pat = #local;)
            }
        });
        let stmts = self.full_stmts(&self.seq.body.stmts);
        let value = naming::value();
        let store = self.ret_value(quote!(#value));
        let start_arm = quote! {
            #frame::#start { #(#fields: #locals),* } => {
                let #value = { #(#restore)* #stmts };
                #store
            }
        };
        let mut arms = vec![start_arm];
        let dead = liveness::dead_sites(&self.seq.body);
        for site in self.seq.body.sites.clone() {
            if dead.contains(&site) {
                let (p, variant) = (private(), naming::after_variant(&f.prefix, site));
                arms.push(quote!(#frame::#variant {} => #p::unreachable!(),));
            } else {
                arms.push(self.resume_arm(site));
            }
        }
        quote!(#(#arms)*)
    }

    fn resume_arm(&self, site: SiteId) -> TokenStream {
        let frame = naming::frame_enum();
        let variant = naming::after_variant(&self.f().prefix, site);
        let fields = self.fields(site);
        let names = fields.iter().map(|(name, _)| name);
        let locals = fields.iter().map(|(_, id)| naming::field_local(*id));
        let value = naming::value();
        // After a tail call that pushed, the callee's value is this fn's: nothing else runs
        // (and the code after the call, never reached, may use bindings that were not saved)
        // but the drops at the ends of the enclosing scopes, latest-bound first.
        let body = match find_call(&self.seq.body, site) {
            Some(call) if call.tail && fields.is_empty() => self.take_ret(call.callee),
            Some(call) if call.tail => {
                let returned = self.take_ret(call.callee);
                let p = private();
                let drops = fields.iter().map(|(_, id)| naming::field_local(*id));
                quote!({ let #value = #returned; #(#p::drop(#drops);)* #value })
            }
            _ => self.resume_block(&self.seq.body, site),
        };
        let store = self.ret_value(quote!(#value));
        // A binding restored inside a resumed loop is moved out of the frame inside a `loop`,
        // which the borrow checker cannot tell runs that branch once: it comes out of an
        // `Option` instead (see `resume_block`).
        let wrap = site_in_loop(&self.seq.body, site).then(|| {
            let p = private();
            let locals = fields.iter().map(|(_, id)| naming::field_local(*id));
            quote!(#(let mut #locals = #p::Some(#locals);)*)
        });
        quote! {
            #frame::#variant { #(#names: #locals),* } => {
                #wrap
                let #value = #body;
                #store
            }
        }
    }

    /// `{ *slot = Some(Ret::f(value)); Step::Return }`
    fn ret_value(&self, value: TokenStream) -> TokenStream {
        let (p, slot, ret) = (private(), naming::slot(), naming::ret_enum());
        let name = self.f().name();
        quote!({ *#slot = #p::Some(#ret::#name(#value)); #p::Step::Return })
    }

    /// The value the last callee left in the return slot: its own, or that of a fn it
    /// tail-called (of the same declared type).
    fn take_ret(&self, callee: usize) -> TokenStream {
        let (p, slot, ret) = (private(), naming::slot(), naming::ret_enum());
        let names = self.returns[callee].iter().map(|&f| self.fns[f].name());
        let v = format_ident!("__fiber_returned", span = proc_macro2::Span::mixed_site());
        quote!({
            let #p::Some(#(#ret::#names(#v))|*) = #slot.take() else { #p::unreachable!() };
            #v
        })
    }

    /// The statements as written. What follows a tail call (`return f(..)`) is dead code
    /// natively too, and may read bindings no state saved: it is left out.
    fn full_stmts(&self, stmts: &[Stmt]) -> TokenStream {
        let end = stmts
            .iter()
            .position(|s| matches!(s, Stmt::Call(call) if call.tail))
            .map_or(stmts.len(), |i| i + 1);
        let stmts = stmts[..end].iter().map(|s| self.full_stmt(s));
        quote!(#(#stmts)*)
    }

    fn full_block(&self, block: &Block) -> TokenStream {
        let stmts = self.full_stmts(&block.stmts);
        quote!({ #stmts })
    }

    fn full_stmt(&self, stmt: &Stmt) -> TokenStream {
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

    fn full_construct(&self, construct: &Construct) -> TokenStream {
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

    fn full_if(&self, i: &If) -> TokenStream {
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
    fn rewritten(&self, expr: &Expr) -> Expr {
        let mut expr = expr.clone();
        ReturnRewriter { lower: self }.visit_expr_mut(&mut expr);
        expr
    }

    /// A recursive call where it is reached: evaluate the arguments, save the live bindings,
    /// push the callee. Typed as the callee's return type so that the code after it, which
    /// the start state never reaches, still infers.
    fn call_site(&self, call: &Call) -> TokenStream {
        let p = private();
        let (frame, top) = (naming::frame_enum(), naming::top());
        let callee = &self.fns[call.callee];
        let args: Vec<Ident> = (0..call.args.len()).map(naming::arg).collect();
        // Each argument coerced to the declared parameter type, as a native call does.
        let args_rewritten: Vec<Expr> = call.args.iter().map(|arg| self.rewritten(arg)).collect();
        let is_pinned = |i: usize| call.pinned.iter().any(|&(p, _)| p == i);
        let mut pinned_places = Vec::new();
        let mut values: Vec<TokenStream> = Vec::new();
        // The reborrows of `&mut` places last (see `Call::reborrow_last`), each group in order.
        let (last, first): (Vec<usize>, Vec<usize>) =
            (0..args.len()).partition(|i| call.reborrow_last.contains(i));
        for i in first.into_iter().chain(last) {
            let (value, param) = (&args_rewritten[i], &callee.params[i]);
            let arg = &args[i];
            values.push(if is_pinned(i) {
                // The place's index operands are evaluated here, in argument order; the place
                // itself is taken after the save.
                let (place, indexes) = hoist_indexes(value, i);
                pinned_places.push((i, place));
                let lets = indexes.iter().map(|(temp, index)| quote!(let #temp = #index;));
                quote!(#(#lets)*)
            } else if param.is_mut_reference() {
                let ty = self.local_type(&param.ty);
                quote!(let #arg: #ty = #value; let #arg = #p::MutRef::new(#arg);)
            } else if param.type_is_nameable() {
                let ty = self.local_type(&param.ty);
                quote!(let #arg: #ty = #value;)
            } else {
                quote!(let #arg = #value;)
            });
        }
        let params = callee.params.iter().map(|param| &param.outer);
        let start = naming::start_variant(&callee.prefix);
        let variant = naming::after_variant(&self.f().prefix, call.site);
        let fields = self.fields(call.site);
        let names = fields.iter().map(|(name, _)| name);
        let saved = fields.iter().map(|(_, id)| &self.seq.bindings[*id].ident);
        let callee_frame = quote!(#frame::#start { #(#params: #args),* });
        let save = quote!(#top.save(#frame::#variant { #(#names: #saved),* }));
        let pinned = self.pinned_args(call, &pinned_places, &fields);
        let save = quote!(#save; #pinned);
        if call.tail && call.pinned.is_empty() {
            let replace = self.tail_replaces(call);
            let (running, tail) = (naming::running_frame(), naming::tail_label());
            self.tail_calls.set(true);
            return quote! {{
                #(#values)*
                if #replace {
                    if #top.tail_calls_loop() {
                        #running = #callee_frame;
                        continue #tail;
                    }
                    return #p::Step::TailCall(#callee_frame);
                }
                #save
                return #p::Step::Call(#callee_frame);
            }};
        }
        if call.tail {
            // An argument points into this frame: it stays while the callee runs.
            return quote! {{
                #(#values)*
                #save
                return #p::Step::Call(#callee_frame);
            }};
        }
        let ty = self.local_type(&callee.output);
        let pat = ascribe(&call.pat, &ty);
        quote! {
            let #pat = {
                #(#values)*
                #save
                return #p::Step::Call(#callee_frame);
            };
        }
    }

    /// The arguments that point into the frame just saved (`f(&mut acc)`): pointers to the
    /// pinned locals' fields, taken from one borrow of the frame, then each argument's place
    /// reached through them.
    fn pinned_args(
        &self,
        call: &Call,
        places: &[(usize, Expr)],
        fields: &[(Ident, BindingId)],
    ) -> Option<TokenStream> {
        if call.pinned.is_empty() {
            return None;
        }
        let (p, frame, top) = (private(), naming::frame_enum(), naming::top());
        let variant = naming::after_variant(&self.f().prefix, call.site);
        let mut roots: Vec<BindingId> = call.pinned.iter().map(|&(_, id)| id).collect();
        roots.sort_unstable();
        roots.dedup();
        let field_of =
            |id: BindingId| &fields.iter().find(|(_, f)| *f == id).expect("a pinned local is saved").0;
        let names = roots.iter().map(|&id| field_of(id));
        let pins: Vec<Ident> = roots.iter().map(|&id| naming::pinned(id)).collect();
        let callee = &self.fns[call.callee];
        let values = call.pinned.iter().map(|&(i, id)| {
            let (arg, param) = (naming::arg(i), &callee.params[i]);
            let root = &self.seq.bindings[id].ident;
            let pin = naming::pinned(id);
            let place = &places.iter().find(|(p, _)| *p == i).expect("a pinned place").1;
            // Through the raw pointer itself, not a reference to the whole local: two arguments
            // that borrow disjoint fields of one local stay disjoint.
            let place = crate::syntax::places::replace_root(place, root, &parse_quote!((*#pin)));
            let ty = param.type_is_nameable().then(|| {
                let ty = self.local_type(&param.ty);
                quote!(: #ty)
            });
            // SAFETY: the pointer is to a local in the frame saved just above, in a stack slot
            // that does not move, and that nothing reads, writes or drops until the callee has
            // returned (unwinding drops the callee's frames first). The fn as written, compiled
            // beside the machine, passes the borrow checker: the native `&mut` borrow of the local
            // is exclusive for the call, and the callee uses the place only through it; the
            // shadow also proves that no borrow of a pinned local outlives the call, in the
            // call's value or stored in another pinned local (`shadow::PinGuard`), so the
            // caller's next step moves its frame out of the slot with no reference into it left.
            quote! {
                #[allow(unknown_lints, dangerous_implicit_autorefs)]
                let #arg #ty = unsafe { #place };
                let #arg = #p::MutRef::new(#arg);
            }
        });
        Some(quote! {
            let (#(#pins,)*) = match #top.saved_mut() {
                #frame::#variant { #(#names: #pins,)* .. } => (#(#p::from_mut(#pins),)*),
                #[allow(unreachable_patterns)]
                _ => #p::unreachable!(),
            };
            #(#values)*
        })
    }

    /// Whether a tail call may replace the frame: no binding still in scope, other than those
    /// passed whole, has drop glue, as its type witness tells per instantiation; and no argument
    /// points into the frame.
    fn tail_replaces(&self, call: &Call) -> TokenStream {
        if !call.pinned.is_empty() {
            return quote!(false);
        }
        let Some(witnesses) = &call.witnesses else { return quote!(false) };
        let checks = witnesses.iter().map(|&w| {
            let witness = &self.seq.bindings[w].ident;
            quote!(!#witness.needs_drop())
        });
        quote!(true #(&& #checks)*)
    }

    /// `{ restore saved bindings of this block; resume the statement holding the site; the
    /// statements after it }`
    fn resume_block(&self, block: &Block, site: SiteId) -> TokenStream {
        let in_loop = site_in_loop(&self.seq.body, site);
        let p = private();
        let restore =
            self.saved[site].iter().filter(|&&id| self.seq.bindings[id].scope == block.scope).map(|&id| {
                let binding = &self.seq.bindings[id];
                let ident = &binding.ident;
                let local = naming::field_local(id);
                let mutability = binding.mutable.then(|| quote!(mut));
                if in_loop {
                    quote!(let #mutability #ident = match #local.take() {
                        #p::Some(value) => value,
                        #p::None => #p::unreachable!(),
                    };)
                } else {
                    quote!(let #mutability #ident = #local;)
                }
            });
        let at =
            block.stmts.iter().position(|s| s.sites().contains(&site)).expect("the site is in this block");
        // Items (`use`, nested fns, consts) are visible in their whole block: the resumed copy of
        // it needs those declared before the call too. (They hold no state: `calls::check_body`
        // rejects a `static` in a fiber body, which copies would split.)
        // A copy that the rest of the block does not use is no dead code of the user's: the
        // start state's copy carries their lints.
        let items = block.stmts[..at].iter().filter_map(|s| match s {
            Stmt::Plain { stmt: stmt @ syn::Stmt::Item(_), .. } => Some(quote!(#[allow(dead_code)] #stmt)),
            _ => None,
        });
        let mut resumed = self.resume_stmt(&block.stmts[at], site);
        // When the resumed statement cannot complete (it reaches another call first), the rest
        // of the block is not emitted: never reached, it may read bindings that were not saved.
        // Cut only when the rest reads a binding this state does not have: otherwise the dead
        // rest stays, since it may be what types the resumed statement's value.
        let rest_reads_unsaved =
            || self.reads_unsaved(site, &block.stmts[at + 1..], stmt_defs(&block.stmts[at]));
        let rest =
            if at + 1 < block.stmts.len() && stmt_diverges(&block.stmts[at], site) && rest_reads_unsaved() {
                if matches!(&block.stmts[at], Stmt::Construct { semi: false, .. }) {
                    resumed = quote!(#resumed;);
                }
                // Still the block's value for the type checker, which cannot see the divergence.
                let p = private();
                quote!(#p::unreachable!())
            } else {
                self.full_stmts(&block.stmts[at + 1..])
            };
        quote!({ #(#items)* #(#restore)* #resumed #rest })
    }

    /// Whether `stmts` read a binding that the state after `site` does not have: neither saved,
    /// nor in `defined`, nor bound by `stmts` themselves. The calls in `stmts` read what they
    /// save, generated bindings included (the witnesses of `tail`, which no user code names).
    fn reads_unsaved(&self, site: SiteId, stmts: &[Stmt], mut defined: Vec<BindingId>) -> bool {
        defined.extend(&self.saved[site]);
        let mut used = Vec::new();
        for stmt in stmts {
            stmt_bindings(stmt, &mut used, &mut defined);
            for inner in stmt.sites() {
                used.extend(&self.saved[inner]);
            }
        }
        used.iter().any(|id| !defined.contains(id))
    }

    fn resume_stmt(&self, stmt: &Stmt, site: SiteId) -> TokenStream {
        match stmt {
            Stmt::Call(call) => {
                debug_assert!(!call.tail, "`resume_arm` resumes tail calls");
                let value = self.take_ret(call.callee);
                let pat = &call.pat;
                quote!(let #pat = #value;)
            }
            Stmt::Let { attrs, pat, init, .. } => {
                let init = self.resume_construct(init, site);
                quote!(#(#attrs)* let #pat = #init;)
            }
            Stmt::Construct { construct, semi } => {
                let c = self.resume_construct(construct, site);
                if *semi { quote!(#c;) } else { c }
            }
            Stmt::Plain { .. } => unreachable!("a plain statement holds no site"),
        }
    }

    fn resume_construct(&self, construct: &Construct, site: SiteId) -> TokenStream {
        match construct {
            Construct::If(i) => self.resume_if(i, site),
            Construct::Match { arms, .. } => {
                let arm =
                    arms.iter().find(|arm| arm.body.sites.contains(&site)).expect("an arm holds the site");
                self.resume_block(&arm.body, site)
            }
            Construct::Loop { label, body, .. }
                if block_diverges(body, site) && self.reads_unsaved(site, &body.stmts, Vec::new()) =>
            {
                // The resumed iteration never ends, so no other one runs, and the loop body as
                // written reads bindings this state did not save. (Otherwise the copy stays: its
                // `break`s may be what types the loop's value.)
                let p = private();
                let resumed = self.resume_block(body, site);
                quote!(#label loop { #resumed; #p::unreachable!() })
            }
            Construct::Loop { label, body, .. } => {
                let flag = naming::resumed_flag(site);
                let resumed = self.resume_block(body, site);
                let full = self.full_block(body);
                quote!({
                    let mut #flag = true;
                    #label loop {
                        if #flag {
                            #flag = false;
                            #resumed
                        } else #full
                    }
                })
            }
            Construct::Block { label, unsafety, body, .. } => {
                let body = self.resume_block(body, site);
                quote!(#label #unsafety #body)
            }
        }
    }

    fn resume_if(&self, i: &If, site: SiteId) -> TokenStream {
        if i.then.sites.contains(&site) {
            return self.resume_block(&i.then, site);
        }
        match i.els.as_deref().expect("the else branch holds the site") {
            Else::Block(b) => self.resume_block(b, site),
            Else::If(nested) => self.resume_if(nested, site),
        }
    }
}

/// Whether resuming at `site` inside `stmt` never completes `stmt`: the resumed path reaches a
/// recursive call (every call site ends its state) before anything that could jump out of it.
/// A resumed loop runs its resumed iteration first, so it never completes when that iteration
/// does not. Conservative: statements that jump count as completing.
fn stmt_diverges(stmt: &Stmt, site: SiteId) -> bool {
    let construct = match stmt {
        Stmt::Let { init, .. } => init,
        Stmt::Construct { construct, .. } => construct,
        Stmt::Call(_) | Stmt::Plain { .. } => return false,
    };
    let block = construct.blocks().into_iter().find(|(_, b)| b.sites.contains(&site)).map(|(_, b)| b);
    block.is_some_and(|block| block_diverges(block, site))
}

fn block_diverges(block: &Block, site: SiteId) -> bool {
    let Some(at) = block.stmts.iter().position(|s| s.sites().contains(&site)) else { return false };
    if stmt_diverges(&block.stmts[at], site) {
        return true;
    }
    for stmt in &block.stmts[at + 1..] {
        match stmt {
            Stmt::Call(_) => return true,
            Stmt::Plain { jumps, .. } if jumps.is_empty() => {}
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } if !escapes(construct) => {}
            _ => return false,
        }
    }
    false
}

/// The bindings `stmt` binds in its block.
fn stmt_defs(stmt: &Stmt) -> Vec<BindingId> {
    match stmt {
        Stmt::Plain { defs, .. } | Stmt::Let { defs, .. } => defs.clone(),
        Stmt::Call(call) => call.defs.clone(),
        Stmt::Construct { .. } => Vec::new(),
    }
}

/// Every binding `stmt` reads and binds, nested blocks included.
fn stmt_bindings(stmt: &Stmt, used: &mut Vec<BindingId>, defined: &mut Vec<BindingId>) {
    match stmt {
        Stmt::Plain { uses, defs, .. } => {
            used.extend(uses);
            defined.extend(defs);
        }
        Stmt::Call(call) => {
            used.extend(&call.uses);
            defined.extend(&call.defs);
        }
        Stmt::Let { defs, init: construct, .. } => {
            construct_bindings(construct, used, defined);
            defined.extend(defs);
        }
        Stmt::Construct { construct, .. } => construct_bindings(construct, used, defined),
    }
}

fn construct_bindings(construct: &Construct, used: &mut Vec<BindingId>, defined: &mut Vec<BindingId>) {
    match construct {
        Construct::If(i) => {
            let mut next = Some(i);
            while let Some(i) = next {
                used.extend(&i.uses);
                next = match i.els.as_deref() {
                    Some(Else::If(nested)) => Some(nested),
                    _ => None,
                };
            }
        }
        Construct::Match { uses, arms, .. } => {
            used.extend(uses);
            for arm in arms {
                used.extend(&arm.uses);
            }
        }
        Construct::Loop { .. } | Construct::Block { .. } => {}
    }
    for (pre, block) in construct.blocks() {
        defined.extend(pre);
        for stmt in &block.stmts {
            stmt_bindings(stmt, used, defined);
        }
    }
}

/// Whether a `break` or `continue` inside `construct` leaves it (to an enclosing loop or label).
fn escapes(construct: &Construct) -> bool {
    fn own(construct: &Construct, ids: &mut Vec<LoopId>) {
        if let Construct::Loop { id, .. } | Construct::Block { id, .. } = construct {
            ids.push(*id);
        }
        for (_, block) in construct.blocks() {
            for stmt in &block.stmts {
                if let Stmt::Let { init: inner, .. } | Stmt::Construct { construct: inner, .. } = stmt {
                    own(inner, ids);
                }
            }
        }
    }
    fn jumps(construct: &Construct, out: &mut Vec<LoopId>) {
        for (_, block) in construct.blocks() {
            for stmt in &block.stmts {
                match stmt {
                    Stmt::Plain { jumps, .. } => out.extend(jumps.iter().map(|j| match j {
                        Jump::Break(id) | Jump::Continue(id) => *id,
                    })),
                    Stmt::Let { init: inner, .. } | Stmt::Construct { construct: inner, .. } => {
                        jumps(inner, out)
                    }
                    Stmt::Call(_) => {}
                }
            }
        }
    }
    let (mut ids, mut targets) = (Vec::new(), Vec::new());
    own(construct, &mut ids);
    jumps(construct, &mut targets);
    targets.iter().any(|t| !ids.contains(t))
}

/// Whether the statement holding `site` is inside a `loop` (or a desugared `while`/`for`).
fn site_in_loop(block: &Block, site: SiteId) -> bool {
    block.stmts.iter().find(|stmt| stmt.sites().contains(&site)).is_some_and(|stmt| match stmt {
        Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
            matches!(construct, Construct::Loop { .. })
                || construct
                    .blocks()
                    .into_iter()
                    .find(|(_, b)| b.sites.contains(&site))
                    .is_some_and(|(_, b)| site_in_loop(b, site))
        }
        _ => false,
    })
}

/// The call at `site`.
fn find_call(block: &Block, site: SiteId) -> Option<&Call> {
    block.stmts.iter().find(|stmt| stmt.sites().contains(&site)).and_then(|stmt| match stmt {
        Stmt::Call(call) => Some(call),
        Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => construct
            .blocks()
            .into_iter()
            .find(|(_, b)| b.sites.contains(&site))
            .and_then(|(_, b)| find_call(b, site)),
        Stmt::Plain { .. } => None,
    })
}

/// A pinned argument `&mut place` with each index operand of the place replaced by a
/// temporary, and the temporaries with their operands, innermost first (evaluation order).
fn hoist_indexes(arg: &Expr, n: usize) -> (Expr, Vec<(Ident, Expr)>) {
    fn place(expr: &Expr, n: usize, out: &mut Vec<(Ident, Expr)>) -> Expr {
        match expr {
            Expr::Paren(e) => {
                Expr::Paren(syn::ExprParen { expr: Box::new(place(&e.expr, n, out)), ..e.clone() })
            }
            Expr::Reference(e) => {
                Expr::Reference(syn::ExprReference { expr: Box::new(place(&e.expr, n, out)), ..e.clone() })
            }
            Expr::Field(e) => {
                Expr::Field(syn::ExprField { base: Box::new(place(&e.base, n, out)), ..e.clone() })
            }
            Expr::Index(e) => {
                let base = place(&e.expr, n, out);
                let temp = naming::place_index(n, out.len());
                out.push((temp.clone(), (*e.index).clone()));
                Expr::Index(syn::ExprIndex { expr: Box::new(base), index: parse_quote!(#temp), ..e.clone() })
            }
            other => other.clone(),
        }
    }
    let mut indexes = Vec::new();
    let place = place(arg, n, &mut indexes);
    (place, indexes)
}

/// `pat: ty`, unless the pattern already carries a type.
fn ascribe(pat: &Pat, ty: &syn::Type) -> TokenStream {
    match pat {
        Pat::Type(_) => quote!(#pat),
        _ => quote!(#pat: #ty),
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
        let p = private();
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
                let store = self.lower.ret_value(quote!(#p::FromResidual::from_residual(#residual)));
                *expr = parse_quote! {
                    match #p::Try::branch(#inner) {
                        #p::ControlFlow::Continue(#output) => #output,
                        #p::ControlFlow::Break(#residual) => return #store,
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
