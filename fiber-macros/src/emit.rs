//! Emission: the public fn, which keeps the user's name, generics and parameters, returns
//! `impl Fiber<Output = R>` and only builds the machine with its start frame.

use proc_macro2::TokenStream;
use quote::quote;

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

pub fn emit(f: &FiberFn, seq: &Sequenced, saved: &[Vec<BindingId>]) -> TokenStream {
    let fns = std::slice::from_ref(f);
    let lower = Lower { fns, this: 0, seq, saved };
    let p = private();
    let (frame, ret, top, slot) = (naming::frame_enum(), naming::ret_enum(), naming::top(), naming::slot());
    let signature = signature(f);
    let name = f.name();
    let output = &f.output;

    // Frame enum: the start variant's fields are the parameters, every other variant's fields
    // the bindings live across its resume point; each field's type is a parameter of the enum,
    // inferred from the code that builds the variant.
    let start = naming::start_variant();
    let param_types: Vec<_> = (0..f.params.len()).map(|i| quote::format_ident!("P{i}")).collect();
    let param_fields = f.params.iter().map(|p| &p.outer);
    let mut type_params: Vec<_> = param_types.clone();
    let mut used = std::collections::BTreeSet::new();
    let mut variants = vec![quote!(#start { #(#param_fields: #param_types),* })];
    for site in seq.body.sites.clone() {
        let variant = naming::after_variant(site);
        let fields = lower.fields(site).into_iter().map(|(name, id)| {
            let ty = naming::type_param(id);
            if used.insert(id) {
                type_params.push(ty.clone());
            }
            quote!(#name: #ty)
        });
        variants.push(quote!(#variant { #(#fields),* }));
    }

    let arms = lower.arms();
    let outer = f.params.iter().map(|p| &p.outer);
    let returned = quote::format_ident!("__fiber_output", span = proc_macro2::Span::mixed_site());
    let step = quote::format_ident!("__fiber_step", span = proc_macro2::Span::mixed_site());
    let first = quote::format_ident!("__fiber_start", span = proc_macro2::Span::mixed_site());
    quote! {
        #signature {
            #[allow(non_camel_case_types)]
            enum #frame<#(#type_params),*> { #(#variants),* }
            #[allow(non_camel_case_types)]
            enum #ret<R0> { #name(R0) }
            let #first = #frame::#start { #(#outer: #outer),* };
            #[allow(
                unreachable_code,
                unused_mut,
                unused_variables,
                unused_assignments,
                unused_braces,
                unused_parens,
                clippy::all,
                clippy::pedantic
            )]
            let #step = #p::step_fn::<_, #ret<#output>, _>(&#first, |#top, #slot| match #top.take() {
                #arms
            });
            #p::machine::<_, #ret<#output>, _, _, _>(#first, #step, |#returned| match #returned {
                #ret::#name(#returned) => #returned,
            })
        }
    }
}
