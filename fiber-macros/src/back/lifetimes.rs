//! Names the lifetimes of a public fn's inputs, and one they all outlive, so that the machine
//! may hold references of any of them in one field.
//!
//! A frame field has one type across every call that fills it. When a parameter receives a
//! borrow through one input at the entry and through another at a recursive call (`eval(e, env,
//! params, defs)` calling `eval(&def.body, env, &def.params, defs)`, `params` then borrowing from
//! `defs`), rustc gives the field the intersection of the two lifetimes, which the opaque
//! `impl Fiber` return type cannot name: E0700, "hidden type captures lifetime that does not
//! appear in bounds". With every input lifetime named and bounded below by one more lifetime
//! (`'l0: 'fiber, 'l1: 'fiber`), rustc picks that one for the field.
//!
//! Input:  `fn eval(e: &Expr, env: &[i64], params: &[String]) -> Option<&i64>`
//! Output: `fn eval<'l0, 'l1, 'l2, 'fiber>(e: &'l0 Expr, env: &'l1 [i64], params: &'l2 [String])
//!          -> .. where 'l0: 'fiber, 'l1: 'fiber, 'l2: 'fiber`
//!
//! Callers see the same fn: lifetimes are inferred at every call. Only when the inputs carry at
//! least two lifetimes (otherwise there is no intersection to name), and only lifetimes written
//! or elided in the types as written: a path type's hidden lifetime (`Formatter` for
//! `Formatter<'_>`) cannot be seen, and stays as it is. The output's elided lifetimes follow the
//! elision rules: the receiver's.

use proc_macro2::Span;
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Generics, Lifetime, Receiver, ReceiverKind, Type};

/// The signature's parts with their lifetimes named, when the inputs carry two or more.
pub struct Named {
    pub generics: Generics,
    pub receiver: Option<Receiver>,
    pub inputs: Vec<Type>,
    pub output: Type,
}

pub fn name(
    generics: &Generics,
    receiver: Option<&Receiver>,
    inputs: &[&Type],
    output: &Type,
) -> Option<Named> {
    let mut namer = Namer { fresh: Vec::new(), written: Vec::new() };
    let receiver = receiver.cloned().map(|mut receiver| {
        if let ReceiverKind::Reference(_, lifetime, _) = &mut receiver.kind {
            match lifetime {
                Some(l) if l.ident != "_" => namer.written(l),
                _ => *lifetime = Some(namer.fresh()),
            }
        }
        receiver
    });
    let self_lifetime = receiver.as_ref().and_then(|r| match &r.kind {
        ReceiverKind::Reference(_, lifetime, _) => lifetime.clone(),
        _ => None,
    });
    let inputs: Vec<Type> = inputs
        .iter()
        .map(|&ty| {
            let mut ty = ty.clone();
            namer.visit_type_mut(&mut ty);
            ty
        })
        .collect();
    let all: Vec<Lifetime> = namer.fresh.iter().chain(&namer.written).cloned().collect();
    if all.len() < 2 {
        return None;
    }
    // The output's elided lifetimes are the receiver's (with two input lifetimes and no
    // receiver, native code cannot elide them).
    let mut output = output.clone();
    if let Some(lifetime) = self_lifetime {
        Elided(&lifetime).visit_type_mut(&mut output);
    }
    let mut generics = generics.clone();
    let outlived = Lifetime::new("'__fiber_all", Span::mixed_site());
    let fresh = namer.fresh.iter().chain([&outlived]).map(|l| -> GenericParam { syn::parse_quote!(#l) });
    // Lifetimes come first among generic parameters.
    let rest = std::mem::take(&mut generics.params);
    generics.params.extend(fresh);
    generics.params.extend(rest);
    let where_clause = generics.make_where_clause();
    for lifetime in &all {
        where_clause.predicates.push(syn::parse_quote!(#lifetime: #outlived));
    }
    Some(Named { generics, receiver, inputs, output })
}

/// Gives each elided lifetime of the input types a name of its own, and records the written ones.
struct Namer {
    fresh: Vec<Lifetime>,
    written: Vec<Lifetime>,
}

impl Namer {
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__fiber_l{}", self.fresh.len()), Span::mixed_site());
        self.fresh.push(lifetime.clone());
        lifetime
    }

    fn written(&mut self, lifetime: &Lifetime) {
        if lifetime.ident != "static" && !self.written.contains(lifetime) {
            self.written.push(lifetime.clone());
        }
    }
}

impl VisitMut for Namer {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        match &r.lifetime {
            Some(l) if l.ident != "_" => self.written(&l.clone()),
            _ => r.lifetime = Some(self.fresh()),
        }
        self.visit_type_mut(&mut r.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        } else {
            self.written(lifetime);
        }
    }

    // `fn(&u8)` and `Fn(&u8)` bind their own lifetimes.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}
    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut syn::ParenthesizedGenericArguments) {}
}

/// Names the elided lifetimes of an output type.
struct Elided<'l>(&'l Lifetime);

impl VisitMut for Elided<'_> {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
            r.lifetime = Some(self.0.clone());
        }
        self.visit_type_mut(&mut r.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}
    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut syn::ParenthesizedGenericArguments) {}
    fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {}
}
