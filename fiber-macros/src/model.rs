//! The group being lowered: its fns' signatures as the later passes need them.

use proc_macro2::Ident;
use syn::visit::Visit;
use syn::{FnArg, ItemFn, Pat, ReturnType, Type};

use crate::naming;

/// One parameter of a fiber fn.
pub struct Param {
    /// The pattern the user wrote (`n`, `mut acc`, `(a, b)`).
    pub pat: Pat,
    pub ty: Type,
    /// The name the public fn gives the parameter: the user's when the pattern is a plain
    /// identifier, a hidden one otherwise.
    pub outer: Ident,
}

impl Param {
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
pub struct FiberFn {
    pub item: ItemFn,
    pub params: Vec<Param>,
    /// The declared return type, `()` when there is none.
    pub output: Type,
    /// What its frame variants and type parameters start with (`naming::prefix`).
    pub prefix: String,
}

impl FiberFn {
    /// Builds the model; receivers and variadics were rejected by `check` before. `alone`: the
    /// fn is the only one of its group.
    pub fn new(item: ItemFn, alone: bool) -> FiberFn {
        let params = item
            .sig
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(n, arg)| match arg {
                FnArg::Typed(typed) => Some(Param {
                    outer: match &*typed.pat {
                        Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
                        _ => naming::param(n),
                    },
                    pat: (*typed.pat).clone(),
                    ty: (*typed.ty).clone(),
                }),
                FnArg::Receiver(_) => None,
            })
            .collect();
        let output = match &item.sig.output {
            ReturnType::Default => syn::parse_quote!(()),
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
        let prefix = naming::prefix(&item.sig.ident, alone);
        FiberFn { item, params, output, prefix }
    }

    pub fn name(&self) -> &Ident {
        &self.item.sig.ident
    }
}
