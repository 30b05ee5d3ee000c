//! The state after a resume point: the code that follows the call, rebuilt around it. Saved
//! bindings are restored at the top of the block that declared them; a call inside a loop
//! resumes in a copy of the loop that first finishes the current iteration.

use proc_macro2::TokenStream;
use quote::quote;

use crate::analysis::returns::{self, escapes};
use crate::anf::ir::*;
use crate::naming::{self, private};

use super::Lower;

impl Lower<'_> {
    /// The match arm of the state after `site`.
    // Input:  `fn f(n: u64) -> u64 { let a = f(n - 1); a + n }`, site 0, `n` saved
    // Output: `Frame::After0 { n: b0 } => { let value = { let n = b0;
    //          { let a = returned!(slot, Ret::f); a + n } }; ret(slot, Ret::f(value)) }`
    pub(super) fn resume_arm(&self, site: SiteId) -> TokenStream {
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
                let drops = fields.iter().map(|(_, id)| {
                    let local = naming::field_local(*id);
                    quote!(#private::drop(#local);)
                });
                quote!({ let #value = #returned; #(#drops)* #value })
            }
            _ => self.resume_block(&self.seq.body, site),
        };
        let body = match self.unsafety() {
            Some(unsafety) => quote!(#unsafety { #body }),
            None => body,
        };
        let store = self.ret_value(quote!(#value));
        // A binding restored inside a resumed loop is moved out of the frame inside a `loop`,
        // which the borrow checker cannot tell runs that branch once: it comes out of an
        // `Option` instead (see `resume_block`).
        let unwrap = self.keeps_locals.then(|| {
            let locals = fields.iter().map(|(_, id)| naming::field_local(*id));
            quote!(#(let #locals = #locals.into_inner();)*)
        });
        let wrap = site_in_loop(&self.seq.body, site).then(|| {
            let wrapped = fields.iter().map(|(_, id)| {
                let local = naming::field_local(*id);
                quote!(let mut #local = #private::Some(#local);)
            });
            quote!(#(#wrapped)*)
        });
        quote! {
            #frame::#variant { #(#names: #locals),* } => {
                #unwrap
                #wrap
                let #value = #body;
                #store
            }
        }
    }

    /// `{ restore saved bindings of this block; resume the statement holding the site; the
    /// statements after it }`
    pub(super) fn resume_block(&self, block: &Block, site: SiteId) -> TokenStream {
        let in_loop = site_in_loop(&self.seq.body, site);
        let restore =
            self.saved[site].iter().filter(|&&id| self.seq.bindings[id].scope == block.scope).map(|&id| {
                let binding = &self.seq.bindings[id];
                let ident = &binding.ident;
                let local = naming::field_local(id);
                let mutability = binding.mutable.then(|| quote!(mut));
                let tokens = if in_loop {
                    quote!(let #mutability #ident = #private::take_saved(&mut #local);)
                } else {
                    quote!(let #mutability #ident = #local;)
                };
                (id, tokens)
            });
        let at =
            block.stmts.iter().position(|s| s.sites().contains(&site)).expect("the site is in this block");
        // Items (`use`, nested fns, consts) are visible in their whole block: the resumed copy of
        // it needs those declared before the call too, after the restored bindings, which a
        // `macro_rules!` names where it is defined. (They hold no state: `calls::check_body`
        // rejects a `static` in a fiber body, which copies would split.)
        // A copy that the rest of the block does not use is no dead code of the user's: the
        // start state's copy carries their lints.
        let items = block.stmts[..at].iter().filter_map(|s| match s {
            Stmt::Plain { stmt: stmt @ syn::Stmt::Item(_), .. } => Some(quote!(#[allow(dead_code)] #stmt)),
            _ => None,
        });
        // A deferred binding (`let r;`, or a `mut` one that may have been moved) not saved at
        // the call: the resumed copy declares it again, without a value, when the rest gives
        // it one.
        let (mut mentioned, mut assigned) = (Vec::new(), Vec::new());
        self.resumed_block_bindings(block, site, &mut mentioned, &mut assigned);
        let declarations = block.stmts[..at].iter().filter_map(|s| match s {
            Stmt::Plain { stmt: stmt @ syn::Stmt::Local(_), defs, .. } => defs
                .iter()
                .find(|id| {
                    let binding = &self.seq.bindings[**id];
                    // A `mut` one only where the rest assigns it: elsewhere it is read only on
                    // paths that never reach here, which the rest of the block may still hold.
                    binding.deferred
                        && !self.saved[site].contains(id)
                        && (assigned.contains(id) || (mentioned.contains(id) && !binding.mutable))
                })
                .map(|&id| {
                    let syn::Stmt::Local(local) = stmt else { unreachable!("matched a `let`") };
                    let declaration = syn::Local { init: None, ..local.clone() };
                    (id, quote!(#declaration))
                }),
            _ => None,
        });
        // In the order they were declared, which is the reverse of the order they drop in.
        let mut restore: Vec<(BindingId, TokenStream)> = restore.chain(declarations).collect();
        restore.sort_by_key(|(id, _)| *id);
        let restore = restore.into_iter().map(|(_, tokens)| tokens);
        // When the resumed statement cannot complete (it reaches another call, a `return` or a
        // panic first), the rest of the block is not emitted: never reached, it may read
        // bindings that were not saved. Cut only when the rest reads a binding this state does
        // not have: otherwise the dead rest stays, since it may be what types the resumed
        // statement's value.
        let cut = self.rest_is_cut(block, at, site);
        let resumed = match (&block.stmts[at], cut) {
            // Nothing reads what the `let` binds, whose types nothing would then infer.
            (Stmt::Let { init, .. }, true) => {
                let init = self.resume_construct(init, site);
                quote!(#init;)
            }
            (stmt @ Stmt::Construct { semi: false, .. }, true) => {
                let resumed = self.resume_stmt(stmt, site);
                quote!(#resumed;)
            }
            (stmt, _) => self.resume_stmt(stmt, site),
        };
        let rest = if cut {
            // Still the block's value for the type checker, which cannot see the divergence.
            quote!(#private::unreachable!())
        } else {
            self.full_stmts(&block.stmts[at + 1..])
        };
        quote!({ #(#restore)* #(#items)* #resumed #rest })
    }

    /// Whether the resumed copy of `block` leaves out the statements after the one at `at`,
    /// which holds `site` (see `resume_block`).
    fn rest_is_cut(&self, block: &Block, at: usize, site: SiteId) -> bool {
        at + 1 < block.stmts.len()
            && stmt_diverges(&block.stmts[at], site)
            && self.reads_unsaved(site, &block.stmts[at + 1..], stmt_defs(&block.stmts[at]))
    }

    /// The bindings the resumed copy of `block` reads and binds or assigns: those of the path
    /// from `site` on as `resume_block` emits it, not of code it leaves out. (A binding declared
    /// again without a value for an assignment that is left out would have no type.)
    fn resumed_block_bindings(
        &self,
        block: &Block,
        site: SiteId,
        used: &mut Vec<BindingId>,
        defined: &mut Vec<BindingId>,
    ) {
        let at =
            block.stmts.iter().position(|s| s.sites().contains(&site)).expect("the site is in this block");
        let stmt = &block.stmts[at];
        match stmt {
            Stmt::Call(call) => defined.extend(&call.defs),
            Stmt::Plain { .. } => unreachable!("a plain statement holds no site"),
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                if let Stmt::Let { defs, .. } = stmt {
                    defined.extend(defs);
                }
                match construct {
                    // Its later iterations run the whole body, unless the resumed one never ends
                    // (see `resume_construct`).
                    Construct::Loop { body, .. }
                        if !(block_diverges(body, site)
                            && self.reads_unsaved(site, &body.stmts, Vec::new())) =>
                    {
                        construct_bindings(construct, used, defined)
                    }
                    _ => {
                        let (_, inner) = construct
                            .blocks()
                            .into_iter()
                            .find(|(_, b)| b.sites.contains(&site))
                            .expect("a block of the construct holds the site");
                        self.resumed_block_bindings(inner, site, used, defined);
                    }
                }
            }
        }
        if !self.rest_is_cut(block, at, site) {
            for stmt in &block.stmts[at + 1..] {
                stmt_bindings(stmt, used, defined);
            }
        }
    }

    /// Whether `stmts` read a binding that the state after `site` does not have: neither saved,
    /// nor in `defined`, nor bound by `stmts` themselves. The calls in `stmts` read what they
    /// save, generated bindings included (the witnesses of `tail`, which no user code names).
    pub(super) fn reads_unsaved(&self, site: SiteId, stmts: &[Stmt], mut defined: Vec<BindingId>) -> bool {
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

    pub(super) fn resume_stmt(&self, stmt: &Stmt, site: SiteId) -> TokenStream {
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

    /// The construct holding `site`, resumed there.
    // Input:  `loop { body }` whose body holds the site
    // Output: `{ let mut resumed = true; loop { if resumed { resumed = false; <rest of body
    //          after the call> } else { body } } }`
    pub(super) fn resume_construct(&self, construct: &Construct, site: SiteId) -> TokenStream {
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
                let resumed = self.resume_block(body, site);
                quote!(#label loop { #resumed; #private::unreachable!() })
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

    pub(super) fn resume_if(&self, i: &If, site: SiteId) -> TokenStream {
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
pub(super) fn stmt_diverges(stmt: &Stmt, site: SiteId) -> bool {
    let construct = match stmt {
        Stmt::Let { init, .. } => init,
        Stmt::Construct { construct, .. } => construct,
        Stmt::Call(_) | Stmt::Plain { .. } => return false,
    };
    // Every path through it ends the fn (a `loop` that no `break` leaves is one): resumed
    // anywhere, it does not complete.
    if returns::ends_the_fn(stmt) {
        return true;
    }
    let block = construct.blocks().into_iter().find(|(_, b)| b.sites.contains(&site)).map(|(_, b)| b);
    block.is_some_and(|block| block_diverges(block, site))
}

pub(super) fn block_diverges(block: &Block, site: SiteId) -> bool {
    let Some(at) = block.stmts.iter().position(|s| s.sites().contains(&site)) else { return false };
    if stmt_diverges(&block.stmts[at], site) {
        return true;
    }
    for stmt in &block.stmts[at + 1..] {
        match stmt {
            Stmt::Call(_) => return true,
            stmt if returns::ends_the_fn(stmt) => return true,
            Stmt::Plain { jumps, .. } if jumps.is_empty() => {}
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } if !escapes(construct) => {}
            _ => return false,
        }
    }
    false
}

/// The bindings `stmt` binds in its block.
pub(super) fn stmt_defs(stmt: &Stmt) -> Vec<BindingId> {
    match stmt {
        Stmt::Plain { defs, .. } | Stmt::Let { defs, .. } => defs.clone(),
        Stmt::Call(call) => call.defs.clone(),
        Stmt::Construct { .. } => Vec::new(),
    }
}

/// Every binding `stmt` reads and binds, nested blocks included.
pub(super) fn stmt_bindings(stmt: &Stmt, used: &mut Vec<BindingId>, defined: &mut Vec<BindingId>) {
    match stmt {
        Stmt::Plain { uses, defs, assigns, .. } => {
            used.extend(uses);
            defined.extend(defs);
            defined.extend(assigns);
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

pub(super) fn construct_bindings(
    construct: &Construct,
    used: &mut Vec<BindingId>,
    defined: &mut Vec<BindingId>,
) {
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

/// Whether the statement holding `site` is inside a `loop` (or a desugared `while`/`for`).
pub(super) fn site_in_loop(block: &Block, site: SiteId) -> bool {
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
pub(super) fn find_call(block: &Block, site: SiteId) -> Option<&Call> {
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
