//! The group being expanded: what kind of item it came from, and its fns' signatures as the
//! later stages need them.

use proc_macro2::Ident;
use syn::visit::Visit;
use syn::{FnArg, ItemFn, Pat, ReturnType, Type};

use crate::naming;

/// One parameter of a fiber fn.
#[derive(Clone)]
pub struct Param {
    /// The pattern the user wrote (`n`, `mut acc`, `(a, b)`).
    pub pat: Pat,
    pub ty: Type,
    /// The name the public fn gives the parameter: the user's when the pattern is a plain
    /// identifier, a hidden one otherwise. Also the field of the start variant.
    pub outer: Ident,
    /// A method's receiver, as written; its `pat` is then `naming::receiver()`, which the body's
    /// `self` is renamed to.
    pub receiver: Option<syn::Receiver>,
}

impl Param {
    /// What the public fn passes to the start variant: the parameter, or `self`; a `&mut`
    /// one as the `MutRef` the frames keep.
    pub fn value(&self) -> proc_macro2::TokenStream {
        let value = self.plain_value();
        if self.is_mut_reference() {
            let private = crate::naming::private;
            quote::quote!(#private::MutRef::new(#value))
        } else {
            value
        }
    }

    /// The parameter as the public fn's signature binds it: its name, or `self`.
    pub fn plain_value(&self) -> proc_macro2::TokenStream {
        match &self.receiver {
            Some(receiver) => {
                let token = &receiver.self_token;
                quote::quote!(#token)
            }
            None => {
                let outer = &self.outer;
                quote::quote!(#outer)
            }
        }
    }

    /// For a `&mut T` parameter: `T`.
    pub fn mut_target(&self) -> Option<&Type> {
        match strip_groups(&self.ty) {
            Type::Reference(r) if r.mutability.is_some() => Some(&r.elem),
            _ => None,
        }
    }

    /// A receiver taken by value (`self`, `mut self`).
    pub fn is_by_value(&self) -> bool {
        self.receiver.as_ref().is_some_and(|r| matches!(r.kind, syn::ReceiverKind::Value))
    }

    /// `&T`.
    pub fn is_shared_reference(&self) -> bool {
        matches!(strip_groups(&self.ty), Type::Reference(r) if r.mutability.is_none())
    }

    /// `&mut T`.
    pub fn is_mut_reference(&self) -> bool {
        matches!(strip_groups(&self.ty), Type::Reference(r) if r.mutability.is_some())
    }

    /// The declared type can be written inside the body (no `impl Trait`).
    pub fn type_is_nameable(&self) -> bool {
        let mut finder = ImplTraitFinder(false);
        finder.visit_type(&self.ty);
        !finder.0
    }
}

struct ImplTraitFinder(bool);

impl<'ast> Visit<'ast> for ImplTraitFinder {
    fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
        self.0 = true;
    }
}

fn strip_groups(ty: &Type) -> &Type {
    match ty {
        Type::Group(g) => strip_groups(&g.elem),
        Type::Paren(p) => strip_groups(&p.elem),
        other => other,
    }
}

/// A fiber fn: the parsed item plus the facts later passes ask for.
#[derive(Clone)]
pub struct FiberFn {
    pub item: ItemFn,
    pub params: Vec<Param>,
    /// The declared return type, `()` when there is none.
    pub output: Type,
    /// What its frame variants and type parameters start with (`naming::prefix`).
    pub prefix: String,
    /// Its signature names its input lifetimes and one they all outlive, since its parameters
    /// trade lifetimes (`traded`, `back::lifetimes`).
    pub outlived_lifetime: bool,
}

impl FiberFn {
    /// Builds the model; variadics were rejected by `check` before. `alone`: the
    /// fn is the only one of its group.
    pub fn new(mut item: ItemFn, alone: bool) -> FiberFn {
        // An inner attribute of the body (`fn f() { #![allow(..)] .. }`) applies to the fn:
        // the expansion puts every attribute on the public fn, where inner ones cannot go.
        for attr in &mut item.attrs {
            attr.style = syn::AttrStyle::Outer;
        }
        let params = item
            .sig
            .inputs
            .iter()
            .enumerate()
            .map(|(n, arg)| match arg {
                FnArg::Typed(typed) => Param {
                    outer: match &*typed.pat {
                        Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
                        _ => naming::param(n),
                    },
                    pat: (*typed.pat).clone(),
                    ty: (*typed.ty).clone(),
                    receiver: None,
                },
                FnArg::Receiver(receiver) => {
                    // At the span of the user's `self`, so that the renamed uses in the body
                    // resolve to it whatever macro the method came through.
                    let mut ident = naming::receiver();
                    ident.set_span(receiver.self_token.span);
                    let mutability = &receiver.mutability;
                    Param {
                        outer: ident.clone(),
                        pat: syn::parse_quote!(#mutability #ident),
                        ty: receiver_type(receiver),
                        receiver: Some(receiver.clone()),
                    }
                }
            })
            .collect();
        let output = match &item.sig.output {
            ReturnType::Default => syn::parse_quote!(()),
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
        let prefix = naming::prefix(&item.sig.ident, alone);
        FiberFn { item, params, output, prefix, outlived_lifetime: false }
    }

    pub fn name(&self) -> &Ident {
        &self.item.sig.ident
    }
}

/// The type of a method's `self`.
fn receiver_type(receiver: &syn::Receiver) -> Type {
    match &receiver.kind {
        syn::ReceiverKind::Reference(and, lifetime, mutability) => {
            syn::parse_quote!(#and #lifetime #mutability Self)
        }
        syn::ReceiverKind::Typed(_, ty) => (**ty).clone(),
        _ => syn::parse_quote!(Self),
    }
}

/// The item `#[fiber]` was put on.
pub enum Kind {
    /// `#[fiber] fn f(..)`: a group of one.
    Fn,
    /// `#[fiber] mod name { .. }`: its fns call each other as `f`, `self::f`, `name::f` or
    /// `super::name::f`.
    Mod(Ident),
    /// `#[fiber] impl Type { .. }`, with the last segment of `Type`'s path: its fns call each
    /// other as `Self::f`, `Type::f` or `x.f(..)`.
    Impl(Ident),
    /// `#[fiber] impl Trait for Type { .. }`: the trait fixes the signatures, so the fibers are
    /// hidden inherent methods (`naming::hidden_method`), each run by its trait method.
    TraitImpl(Ident),
}

/// The fns of one group, and where they came from.
#[derive(Clone, Copy)]
pub struct Group<'a> {
    pub fns: &'a [FiberFn],
    pub kind: &'a Kind,
}

impl Group<'_> {
    /// The `#[fiber] mod` that holds the fns.
    pub fn module(&self) -> Option<&Ident> {
        match self.kind {
            Kind::Mod(name) => Some(name),
            _ => None,
        }
    }

    /// The type of the `#[fiber] impl` that holds the fns.
    pub fn self_ty(&self) -> Option<&Ident> {
        match self.kind {
            Kind::Impl(ty) | Kind::TraitImpl(ty) => Some(ty),
            Kind::Fn | Kind::Mod(_) => None,
        }
    }
}
