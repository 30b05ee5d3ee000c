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

mod call_site;
mod resume;
mod start;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::visit_mut::VisitMut;

use crate::analysis::Analysis;
use crate::analysis::liveness;
use crate::anf::Sequenced;
use crate::anf::ir::*;
use crate::front::model::{FiberFn, Group};
use crate::naming::{self, private};

/// Each fn's share of the machine: its frame variants and its arms of the step.
pub fn run(group: Group, analysis: &Analysis) -> Vec<LoweredFn> {
    analysis
        .fns
        .iter()
        .enumerate()
        .map(|(this, f)| {
            LoweredFn::new(&Lower {
                fns: group.fns,
                this,
                seq: &f.seq,
                saved: &f.saved,
                keeps_locals: !f.kept.is_empty(),
                returns: &analysis.returns,
                tail_calls: Default::default(),
            })
        })
        .collect()
}

/// One fn's share of the machine.
pub struct LoweredFn {
    /// The frame enum's type parameters for its variants.
    pub type_params: Vec<proc_macro2::Ident>,
    /// Its frame variants: the start variant, whose fields are its parameters, and a variant
    /// per resume point, whose fields are the bindings live across it. Each field's type is a
    /// parameter of the enum, inferred from the code that builds the variant.
    pub variants: Vec<TokenStream>,
    /// The arms of the step closure's `match` for its states.
    pub arms: TokenStream,
    /// Some arm has a tail call that may replace the frame.
    pub tail_calls: bool,
    /// Some local is kept at one heap address (`analysis::kept_locals`).
    pub keeps_locals: bool,
}

impl LoweredFn {
    fn new(lower: &Lower) -> LoweredFn {
        let f = &lower.fns[lower.this];
        let start = naming::start_variant(&f.prefix);
        // The fns' receivers of one kind share a type parameter: each is the same pointer to
        // `Self`, and a callee's own parameter would have a lifetime that only the step closure
        // constrains, which rustc then asks `Self`'s type parameters to outlive for `'static`
        // (E0310 on `impl<T> P<T>` with two `&mut self` methods passing a reference).
        let param_types: Vec<_> = f
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| match &p.receiver {
                Some(receiver) => naming::receiver_type(receiver),
                None => naming::param_type(&f.prefix, i),
            })
            .collect();
        let param_fields = f.params.iter().map(|p| &p.outer);
        let mut variants = vec![quote!(#start { #(#param_fields: #param_types),* })];
        let mut type_params = param_types.clone();
        let mut used = std::collections::BTreeSet::new();
        for site in lower.seq.body.sites.clone() {
            let variant = naming::after_variant(&f.prefix, site);
            let fields: Vec<_> = lower
                .fields(site)
                .into_iter()
                .map(|(name, id)| {
                    let ty = naming::type_param(&f.prefix, id);
                    if used.insert(id) {
                        type_params.push(ty.clone());
                    }
                    quote!(#name: #ty)
                })
                .collect();
            variants.push(quote!(#variant { #(#fields),* }));
        }
        let arms = lower.arms();
        LoweredFn {
            type_params,
            variants,
            arms,
            tail_calls: lower.tail_calls.get(),
            keeps_locals: lower.keeps_locals,
        }
    }
}

pub struct Lower<'a> {
    pub fns: &'a [FiberFn],
    /// The fn being lowered.
    pub this: usize,
    pub seq: &'a Sequenced,
    pub saved: &'a [Vec<BindingId>],
    /// Some local is kept at one heap address (`analysis::kept_locals`): its uses name the
    /// place through a raw pointer, which needs the states' code inside `unsafe`.
    pub keeps_locals: bool,
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
                let target = self.local_type(target);
                quote!(let #pat: #private::MutRef<'_, #target> = #local;)
            } else if param.type_is_nameable() && !param.is_mut_reference() {
                let ty = self.local_type(&param.ty);
                quote!(let #pat: #ty = #local;)
            } else {
                quote!(let #pat = #local;)
            }
        });
        let stmts = self.full_stmts(&self.seq.body.stmts);
        let unsafety = self.unsafety();
        let value = naming::value();
        let store = self.ret_value(quote!(#value));
        let start_arm = quote! {
            #frame::#start { #(#fields: #locals),* } => {
                let #value = #unsafety { #(#restore)* #stmts };
                #store
            }
        };
        let mut arms = vec![start_arm];
        let dead = liveness::dead_sites(&self.seq.body);
        for site in self.seq.body.sites.clone() {
            if dead.contains(&site) {
                let variant = naming::after_variant(&f.prefix, site);
                arms.push(quote!(#frame::#variant {} => #private::unreachable!(),));
            } else {
                arms.push(self.resume_arm(site));
            }
        }
        quote!(#(#arms)*)
    }

    /// `unsafe` where the states' code names kept locals' places (`keeps_locals`). The shadow
    /// compiled beside the machine checks the code as written, where the user's own `unsafe`
    /// operations still need their blocks.
    pub(super) fn unsafety(&self) -> Option<TokenStream> {
        self.keeps_locals.then(|| quote::quote_spanned!(proc_macro2::Span::mixed_site()=> unsafe))
    }

    /// `ret(slot, Ret::f(value))`: the value into the return slot, and `Step::Return`.
    pub(super) fn ret_value(&self, value: TokenStream) -> TokenStream {
        let (slot, ret) = (naming::slot(), naming::ret_enum());
        let name = self.f().name();
        quote!(#private::ret(#slot, #ret::#name(#value)))
    }

    /// The value the last callee left in the return slot: its own, or that of a fn it
    /// tail-called (of the same declared type).
    pub(super) fn take_ret(&self, callee: usize) -> TokenStream {
        let (slot, ret) = (naming::slot(), naming::ret_enum());
        let names: Vec<_> = self.returns[callee].iter().map(|&f| self.fns[f].name()).collect();
        match &names[..] {
            [name] => quote!(#private::returned!(#slot, #ret::#name)),
            names => quote!(#private::returned!(#slot, #ret::{ #(#names),* })),
        }
    }
}
