//! What `#[fiber]` cannot support, each as an error on the user's token with a hint.
//! Every message here has a ui test under `tests/ui/`.

use proc_macro2::TokenStream;
use syn::{FnArg, ItemFn, ReturnType, Type};

use crate::errors::Errors;

pub fn check_attribute_args(args: &TokenStream, errors: &mut Errors) {
    if !args.is_empty() {
        errors.error(args, "`#[fiber]` takes no arguments\nhelp: write `#[fiber]`");
    }
}

/// `method`: the fn is a method of a `#[fiber] impl`, where receivers are at home.
pub fn check_signature(item: &ItemFn, method: bool, errors: &mut Errors) {
    check_keyword_bindings(&item.block, errors);
    let sig = &item.sig;
    if let Some(token) = &sig.asyncness {
        errors.error(
            token,
            "`#[fiber]` cannot be applied to an `async fn`\n\
             help: a fiber is already resumable; remove `async`, or drive the fiber with \
             `fiber_runtime::Runner` inside your async code",
        );
    }
    if let Some(token) = &sig.constness {
        errors.error(
            token,
            "`#[fiber]` cannot be applied to a `const fn`: fibers run on a heap stack, which \
             const evaluation cannot allocate\nhelp: remove `const`",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.error(
            abi,
            "`#[fiber]` cannot be applied to an `extern` fn: its callers expect the native \
             calling convention, and a fiber returns a value to run instead\n\
             help: keep the `extern` fn as a wrapper that calls `fiber_runtime::run(..)`",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.error(variadic, "`#[fiber]` cannot be applied to a variadic fn");
    }
    for attr in &item.attrs {
        if attr.path().is_ident("track_caller") {
            errors.error(
                attr,
                "`#[track_caller]` has no effect on a fiber: its body runs inside the \
                 fiber runtime, not at the caller\nhelp: remove `#[track_caller]`",
            );
        }
    }
    for arg in &sig.inputs {
        if let FnArg::Receiver(receiver) = arg {
            if !method {
                errors.error(
                    receiver,
                    "`#[fiber]` on a method needs the whole impl block\n\
                     help: put `#[fiber]` on the `impl` block",
                );
            } else if let syn::ReceiverKind::Typed(_, ty) = &receiver.kind {
                errors.error(
                    ty,
                    "a `#[fiber]` method takes `self`, `&self` or `&mut self`\n\
                     help: write the receiver without a type",
                );
            }
        }
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        if let Type::ImplTrait(_) = &**ty {
            errors.error(
                ty,
                "a fiber fn cannot return `impl Trait`: the machine needs the return type by \
                 name\nhelp: return a concrete type, or a `Box<dyn Trait>`",
            );
        }
    }
}

/// A pattern that binds a keyword (`let self = ..`), which syn parses and rustc rejects: the
/// machine would save it under that name, so the error comes first, as rustc's would.
fn check_keyword_bindings(block: &syn::Block, errors: &mut Errors) {
    struct Finder<'e>(&'e mut Errors);
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_> {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            if matches!(p.ident.to_string().as_str(), "self" | "Self" | "super" | "crate") {
                self.0.error(&p.ident, format!("expected identifier, found keyword `{}`", p.ident));
            }
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    syn::visit::Visit::visit_block(&mut Finder(errors), block);
}

/// In a group of several fns, the machine is one type for the whole group, so it has the group's
/// generics only: a fn's own type and const parameters (or `impl Trait` arguments) have no place.
pub fn check_group_generics(item: &ItemFn, in_impl: bool, errors: &mut Errors) {
    let (group, elsewhere) = if in_impl {
        ("a `#[fiber] impl` block of several methods", "a `#[fiber] impl` block of its own")
    } else {
        ("a `#[fiber] mod` group", "a separate `#[fiber]` fn outside the module")
    };
    for param in &item.sig.generics.params {
        if !matches!(param, syn::GenericParam::Lifetime(_)) {
            errors.error(
                param,
                format!(
                    "a fn of {group} cannot have type or const parameters of its own: the group \
                     runs as one machine, at one instantiation\n\
                     help: move this fn to {elsewhere}, or use concrete types"
                ),
            );
        }
    }
    for arg in &item.sig.inputs {
        if let FnArg::Typed(typed) = arg {
            if let Type::ImplTrait(_) = &*typed.ty {
                errors.error(
                    &typed.ty,
                    format!(
                        "a fn of {group} cannot take `impl Trait` arguments: the group runs as one \
                         machine, at one instantiation\n\
                         help: take a concrete type or a `&dyn Trait`"
                    ),
                );
            }
        }
    }
}
