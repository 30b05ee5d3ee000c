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

use crate::analysis::Analysis;
use crate::back::lower::LoweredFn;
use crate::front::model::{FiberFn, Group, Kind};
use crate::naming::{self, private};

/// The outward signature: `fn name<G>(params) -> impl Fiber<Output = R> where ..`.
pub fn signature(f: &FiberFn) -> TokenStream {
    let item = &f.item;
    let (attrs, vis) = (&item.attrs, &item.vis);
    let sig = &item.sig;
    let receiver = f.params.iter().find_map(|p| p.receiver.as_ref());
    let types: Vec<&syn::Type> = f.params.iter().filter(|p| p.receiver.is_none()).map(|p| &p.ty).collect();
    let named = f
        .outlived_lifetime
        .then(|| super::lifetimes::name(&sig.generics, receiver, &types, &f.output))
        .flatten();
    let (generics, receiver, mut types, output) = match &named {
        Some(n) => (&n.generics, n.receiver.as_ref(), n.inputs.iter().collect::<Vec<_>>(), &n.output),
        None => (&sig.generics, receiver, types, &f.output),
    };
    let (name, where_clause) = (&sig.ident, &generics.where_clause);
    types.reverse();
    let params = f.params.iter().map(|p| match &p.receiver {
        // `mut self` binds mutably in the body, which the start state rebinds.
        Some(_) => {
            let receiver = syn::Receiver { mutability: None, ..receiver.expect("a receiver").clone() };
            quote!(#receiver)
        }
        None => {
            let (outer, ty) = (&p.outer, types.pop().expect("a type per parameter"));
            quote!(#outer: #ty)
        }
    });
    let unsafety = &sig.safety;
    quote! {
        #(#attrs)*
        #vis #unsafety fn #name #generics (#(#params),*)
            -> impl ::fiber_runtime::Fiber<Output = #output> #where_clause
    }
}

/// The public fns of the group, each with the machine of the fns it reaches. `lowered[f]`: fn
/// `f`'s share of the machine (`lower::run`).
pub fn emit(group: Group, analysis: &Analysis, lowered: Vec<LoweredFn>, shadow: TokenStream) -> TokenStream {
    let machine = Machine { group, analysis, parts: lowered, shadow };
    let public = (0..group.fns.len()).map(|entry| machine.public_fn(entry));
    quote!(#(#public)*)
}

struct Machine<'a> {
    group: Group<'a>,
    analysis: &'a Analysis,
    parts: Vec<LoweredFn>,
    /// The group's fns as written, compiled in each public fn and never called (`shadow`).
    shadow: TokenStream,
}

impl Machine<'_> {
    /// The fns a call to `entry` may run: every frame type parameter of another fn would be
    /// left to inference with nothing to infer it from.
    fn reachable(&self, entry: usize) -> Vec<usize> {
        let mut reached = std::collections::BTreeSet::from([entry]);
        let mut todo = vec![entry];
        while let Some(f) = todo.pop() {
            for &g in &self.analysis.calls[f] {
                if reached.insert(g) {
                    todo.push(g);
                }
            }
        }
        reached.into_iter().collect()
    }

    /// The public fn `entry`, holding the machine of every fn it reaches.
    // Input:  `fn fib(n: u64) -> u64 { .. }`
    // Output: `fn fib(n: u64) -> impl Fiber<Output = u64> { use __private as rt; <shadow>
    //          enum Frame<..> { .. } enum Ret<R0> { fib(R0) } let start = Frame::Start { n };
    //          let step = rt::step_fn::<_, Ret<u64>, _>(&start, |frame, top, slot| match frame {
    //          <arms> }); rt::machine::<_, Ret<u64>, _, _, _>(start, step, |ret| ..) }`
    fn public_fn(&self, entry: usize) -> TokenStream {
        let (frame, ret, top, slot) =
            (naming::frame_enum(), naming::ret_enum(), naming::top(), naming::slot());
        let reachable = self.reachable(entry);
        let parts = reachable.iter().map(|&g| &self.parts[g]);
        // Receivers' type parameters are shared by the fns (`lower`): each once.
        let mut seen = std::collections::BTreeSet::new();
        let type_params: Vec<_> =
            parts.clone().flat_map(|part| &part.type_params).filter(|p| seen.insert(p.to_string())).collect();
        let variants = parts.clone().flat_map(|part| &part.variants);
        let tail_calls = parts.clone().any(|part| part.tail_calls);
        // A kept local's place is the dereference of a raw pointer, which its uses auto-borrow
        // as native code auto-borrows the local (`analysis::kept_locals`).
        let raw_places = parts
            .clone()
            .any(|part| part.keeps_locals)
            .then(|| quote!(unknown_lints, dangerous_implicit_autorefs,));
        let arms = parts.map(|part| &part.arms);
        let return_types: Vec<_> = reachable.iter().map(|&g| naming::return_type(g)).collect();
        let names = reachable.iter().map(|&g| self.group.fns[g].name());
        let outputs = reachable.iter().map(|&g| &self.group.fns[g].output);
        let ret_type = quote!(#ret<#(#outputs),*>);
        let f = &self.group.fns[entry];
        // A trait impl's fibers are hidden methods that its trait methods run.
        let signature = if let Kind::TraitImpl(_) = self.group.kind {
            let mut hidden = f.item.clone();
            hidden.sig.ident = naming::hidden_method(f.name());
            hidden.vis = syn::Visibility::Inherited;
            hidden.attrs = vec![syn::parse_quote!(#[doc(hidden)])];
            signature(&FiberFn { item: hidden, ..f.clone() })
        } else {
            signature(f)
        };
        let start = naming::start_variant(&f.prefix);
        let fields = f.params.iter().map(|p| &p.outer);
        let values = f.params.iter().map(|p| p.value());
        let returned = format_ident!("__fiber_output", span = Span::mixed_site());
        let step = format_ident!("__fiber_step", span = Span::mixed_site());
        let first = format_ident!("__fiber_start", span = Span::mixed_site());
        let finishes = self.analysis.returns[entry].iter().map(|&g| self.group.fns[g].name());
        let others = (self.analysis.returns[entry].len() < reachable.len())
            .then(|| quote!(_ => #private::unreachable!(),));
        let any_ref = self
            .group
            .self_ty()
            .is_some()
            .then(|| quote!(#[allow(unused_imports)] use #private::{AnyMut as _, AnyRef as _};));
        let shadow = &self.shadow;
        let use_private = naming::use_private();
        let arms = quote!(#(#arms)*);
        let frame_ident = naming::running_frame();
        let (frame_param, step_body) = if tail_calls {
            // Under `run`, a tail call assigns the callee's frame to `frame` and continues the
            // loop (`Top::tail_calls_loop`); every other way out of an arm is its value, which
            // breaks the loop. `{ frame }` moves the frame out, so that the next one is assigned
            // to a vacant place, as a fresh frame.
            let tail = naming::tail_label();
            let body = quote! {{
                #tail: loop {
                    break #tail match { #frame_ident } { #arms };
                }
            }};
            (quote!(mut #frame_ident), body)
        } else {
            (quote!(#frame_ident), quote!(match #frame_ident { #arms }))
        };
        quote! {
            #signature {
                #use_private
                #shadow
                #any_ref
                #[allow(non_camel_case_types)]
                enum #frame<#(#type_params),*> { #(#variants),* }
                #[allow(non_camel_case_types)]
                enum #ret<#(#return_types),*> { #(#names(#return_types)),* }
                let #first = #frame::#start { #(#fields: #values),* };
                // Each state holds a copy of the code after its call, unreachable from the
                // call, which types the call's value; there a binding may look unused, or a
                // label or a `mut` needless, that another state uses. The generated code has
                // braces, parens and fall-through patterns of its own.
                #[allow(
                    unreachable_code,
                    unreachable_patterns,
                    unused_variables,
                    unused_mut,
                    unused_labels,
                    unused_unsafe,
                    unused_braces,
                    unused_parens,
                    #raw_places
                    clippy::all,
                    clippy::pedantic
                )]
                // `#[inline(always)]`: the step runs only from the driver's one call site, and a
                // step not inlined there costs 3x (the benchmarks' parser group, whose closure
                // LLVM left out of line once the whole suite was linked).
                let #step = #private::step_fn::<_, #ret_type, _>(&#first, #[inline(always)] |#frame_param, #top, #slot| #step_body);
                #private::machine::<_, #ret_type, _, _, _>(#first, #step, |#returned| match #returned {
                    #(#ret::#finishes(#returned))|* => #returned,
                    #others
                })
            }
        }
    }
}
