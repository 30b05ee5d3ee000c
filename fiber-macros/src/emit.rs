//! Emission: one public fn per fn of the group, keeping the user's name, generics and
//! parameters, returning `impl Fiber<Output = R>`; each builds the group's machine with its own
//! start frame.
//!
//! The machine (frame enum, return enum, step closure) is emitted inside every public fn: its
//! type parameters are inferred from the code that builds each variant, which only works where
//! the whole machine is in one fn body. A group of `n` fns therefore compiles its machine `n`
//! times.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::BindingId;
use crate::lower::Lower;
use crate::model::FiberFn;
use crate::naming;
use crate::sequence::{Sequenced, private};

/// The outward signature: `fn name<G>(params) -> impl Fiber<Output = R> where ..`.
pub fn signature(f: &FiberFn) -> TokenStream {
    let item = &f.item;
    let (attrs, vis) = (&item.attrs, &item.vis);
    let sig = &item.sig;
    let (name, generics, where_clause) = (&sig.ident, &sig.generics, &sig.generics.where_clause);
    let params = f.params.iter().map(|p| {
        let (outer, ty) = (&p.outer, &p.ty);
        quote!(#outer: #ty)
    });
    let unsafety = &sig.safety;
    let output = &f.output;
    quote! {
        #(#attrs)*
        #vis #unsafety fn #name #generics (#(#params),*)
            -> impl ::fiber_runtime::Fiber<Output = #output> #where_clause
    }
}

/// A fn of the group after the passes: its model, sequenced body and saved bindings per site.
pub struct Lowered<'a> {
    pub f: &'a FiberFn,
    pub seq: &'a Sequenced,
    pub saved: &'a [Vec<BindingId>],
}

/// The public fns of the group.
pub fn emit(fns: &[FiberFn], lowered: &[Lowered], returns: &[Vec<usize>]) -> TokenStream {
    let machine = Machine::new(fns, lowered, returns);
    let public = (0..fns.len()).map(|entry| machine.public_fn(entry));
    quote!(#(#public)*)
}

struct Machine<'a> {
    fns: &'a [FiberFn],
    returns: &'a [Vec<usize>],
    /// `enum Frame<..> { .. }` and `enum Ret<..> { .. }`.
    enums: TokenStream,
    /// The arms of the step closure's `match`, for every fn.
    arms: TokenStream,
}

impl<'a> Machine<'a> {
    fn new(fns: &'a [FiberFn], lowered: &[Lowered], returns: &'a [Vec<usize>]) -> Machine<'a> {
        let (frame, ret) = (naming::frame_enum(), naming::ret_enum());
        // Frame enum: a start variant per fn whose fields are its parameters, and a variant per
        // resume point whose fields are the bindings live across it; each field's type is a
        // parameter of the enum, inferred from the code that builds the variant.
        let mut type_params = Vec::new();
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        for (this, l) in lowered.iter().enumerate() {
            let f = l.f;
            let lower = Lower { fns, this, seq: l.seq, saved: l.saved, returns };
            let start = naming::start_variant(&f.prefix);
            let param_types: Vec<_> = (0..f.params.len()).map(|i| naming::param_type(&f.prefix, i)).collect();
            let param_fields = f.params.iter().map(|p| &p.outer);
            variants.push(quote!(#start { #(#param_fields: #param_types),* }));
            type_params.extend(param_types);
            let mut used = std::collections::BTreeSet::new();
            for site in l.seq.body.sites.clone() {
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
            arms.push(lower.arms());
        }
        let return_types: Vec<_> = (0..fns.len()).map(naming::return_type).collect();
        let names = fns.iter().map(|f| f.name());
        let enums = quote! {
            #[allow(non_camel_case_types)]
            enum #frame<#(#type_params),*> { #(#variants),* }
            #[allow(non_camel_case_types)]
            enum #ret<#(#return_types),*> { #(#names(#return_types)),* }
        };
        Machine { fns, returns, enums, arms: quote!(#(#arms)*) }
    }

    fn public_fn(&self, entry: usize) -> TokenStream {
        let p = private();
        let (frame, ret, top, slot) =
            (naming::frame_enum(), naming::ret_enum(), naming::top(), naming::slot());
        let f = &self.fns[entry];
        let signature = signature(f);
        let outputs = self.fns.iter().map(|f| &f.output);
        let ret_type = quote!(#ret<#(#outputs),*>);
        let start = naming::start_variant(&f.prefix);
        let outer = f.params.iter().map(|p| &p.outer);
        let returned = format_ident!("__fiber_output", span = Span::mixed_site());
        let step = format_ident!("__fiber_step", span = Span::mixed_site());
        let first = format_ident!("__fiber_start", span = Span::mixed_site());
        let finishes = self.returns[entry].iter().map(|&g| self.fns[g].name());
        let others = (self.returns[entry].len() < self.fns.len()).then(|| quote!(_ => #p::unreachable!(),));
        let (enums, arms) = (&self.enums, &self.arms);
        quote! {
            #signature {
                #enums
                let #first = #frame::#start { #(#outer: #outer),* };
                #[allow(
                    unreachable_code,
                    unreachable_patterns,
                    unused_mut,
                    unused_variables,
                    unused_assignments,
                    unused_braces,
                    unused_parens,
                    clippy::all,
                    clippy::pedantic
                )]
                let #step = #p::step_fn::<_, #ret_type, _>(&#first, |#top, #slot| match #top.take() {
                    #arms
                });
                #p::machine::<_, #ret_type, _, _, _>(#first, #step, |#returned| match #returned {
                    #(#ret::#finishes(#returned))|* => #returned,
                    #others
                })
            }
        }
    }
}
