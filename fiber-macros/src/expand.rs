//! The expansion as a function of tokens: `#[fiber]`'s whole job, callable without a compiler.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{Item, ItemFn, ItemMod};

use crate::calls::{self, Group};
use crate::check::{self, Errors};
use crate::model::FiberFn;
use crate::{borrows, emit, liveness, sequence, tail};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    check::check_attribute_args(&attr, &mut errors);
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(item)) => {
            check::check_signature(&item, &mut errors);
            if let Err(error) = errors.finish() {
                return fallback(item, error);
            }
            let fns = vec![FiberFn::new(item, true)];
            match group(&fns, None) {
                Ok(expanded) => expanded,
                Err(error) => fallback(fns.into_iter().next().expect("one fn").item, error),
            }
        }
        Ok(Item::Mod(module)) if module.content.is_some() => expand_mod(module, errors),
        _ => {
            let error = syn::Error::new_spanned(
                &item,
                "`#[fiber]` applies to a fn, or to a `mod` of mutually recursive fns\n\
                 help: put it on the recursive fn",
            );
            let error = error.into_compile_error();
            quote!(#error #item)
        }
    }
}

/// `#[fiber] mod m { .. }`: every fn of the module is a fiber of one group; other items stay.
fn expand_mod(mut module: ItemMod, mut errors: Errors) -> TokenStream {
    let (_, items) = module.content.take().expect("a mod with a body");
    let (fn_items, others): (Vec<Item>, Vec<Item>) =
        items.into_iter().partition(|i| matches!(i, Item::Fn(_)));
    let alone = fn_items.len() == 1;
    let mut fns = Vec::new();
    for item in fn_items {
        let Item::Fn(item) = item else { unreachable!("partitioned") };
        check::check_signature(&item, &mut errors);
        if !alone {
            check::check_group_generics(&item, &mut errors);
        }
        fns.push(FiberFn::new(item, alone));
    }
    let expanded = match errors.finish() {
        Ok(()) => group(&fns, Some(&module.ident)),
        Err(error) => Err(error),
    };
    let body = expanded.unwrap_or_else(|error| {
        let error = error.into_compile_error();
        let stand_ins = fns.into_iter().map(|f| stand_in(f.item));
        quote!(#error #(#stand_ins)*)
    });
    let (attrs, vis, unsafety, mod_token, ident) =
        (&module.attrs, &module.vis, &module.unsafety, &module.mod_token, &module.ident);
    quote! {
        #(#attrs)*
        #vis #unsafety #mod_token #ident {
            #(#others)*
            #body
        }
    }
}

/// The passes over one group of fns, and its public fns.
fn group(fns: &[FiberFn], module: Option<&Ident>) -> Result<TokenStream, syn::Error> {
    let mut errors = Errors::default();
    let group = Group { fns, module };
    let mut passed = Vec::new();
    for f in fns {
        calls::check_body(&group, f, &mut errors);
        let mut seq = sequence::sequence(&group, f, &mut errors);
        tail::witness_tail_calls(&mut seq);
        let saved = liveness::saved_per_site(&seq.body, seq.sites);
        borrows::check(&mut seq.body, &seq.bindings, &saved, &mut errors);
        passed.push((seq, saved));
    }
    errors.finish()?;
    let returns = tail::returns(fns.len(), passed.iter().map(|(seq, _)| seq));
    let lowered: Vec<_> =
        fns.iter().zip(&passed).map(|(f, (seq, saved))| emit::Lowered { f, seq, saved }).collect();
    Ok(emit::emit(fns, &lowered, &returns))
}

/// The errors, beside an item with the signature the expansion would have had, so callers
/// (and rust-analyzer) see the fn they expect and report nothing more.
fn fallback(item: ItemFn, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    let stand_in = stand_in(item);
    quote!(#error #stand_in)
}

/// A fn with the signature the expansion would have had, whose body only names its output.
fn stand_in(mut item: ItemFn) -> TokenStream {
    item.sig.asyncness = None;
    item.sig.constness = None;
    item.sig.abi = None;
    item.sig.variadic = None;
    item.attrs.retain(|a| !a.path().is_ident("track_caller"));
    item.sig.inputs = item.sig.inputs.into_iter().filter(|a| matches!(a, syn::FnArg::Typed(_))).collect();
    if let syn::ReturnType::Type(_, ty) = &item.sig.output {
        if let syn::Type::ImplTrait(_) = &**ty {
            item.sig.output = syn::ReturnType::Default;
        }
    }
    let f = FiberFn::new(item, true);
    let signature = emit::signature(&f);
    let output = &f.output;
    quote! {
        #[allow(unused_variables)]
        #signature {
            ::fiber_runtime::__private::rejected::<#output>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expands(src: &str) -> String {
        expand(TokenStream::new(), src.parse().unwrap()).to_string()
    }

    #[test]
    fn a_plain_fn_becomes_a_machine() {
        let out = expands("fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }");
        assert!(out.contains("__FiberFrame"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn unsupported_forms_give_errors_not_panics() {
        for src in [
            "async fn f() {}",
            "const fn f() {}",
            "extern \"C\" fn f() {}",
            "fn f(x: u64) -> u64 { (0..x).map(|y| f(y)).sum() }",
            "fn f(x: u64) -> u64 { println!(\"{}\", f(x)); 0 }",
            "struct S;",
        ] {
            assert!(expands(src).contains("compile_error"), "{src}");
        }
    }
}
