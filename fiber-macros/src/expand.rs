//! The expansion as a function of tokens: `#[fiber]`'s whole job, callable without a compiler.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::calls::{self, Group};
use crate::check::{self, Errors};
use crate::model::FiberFn;
use crate::{borrows, emit, liveness, sequence, tail};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: ItemFn = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new_spanned(
                &item,
                "`#[fiber]` applies to a fn\nhelp: put it on the recursive fn",
            );
            let error = error.into_compile_error();
            return quote!(#error #item);
        }
    };
    let mut errors = Errors::default();
    check::check_attribute_args(&attr, &mut errors);
    check::check_signature(&item, &mut errors);
    if let Err(error) = errors.finish() {
        return fallback(item, error);
    }

    let f = FiberFn::new(item);
    let mut errors = Errors::default();
    let fns = std::slice::from_ref(&f);
    let group = Group { fns };
    calls::check_body(&group, &f, &mut errors);
    let mut seq = sequence::sequence(&group, &f, &mut errors);
    tail::witness_tail_calls(&mut seq);
    let saved = liveness::saved_per_site(&seq.body, seq.sites);
    borrows::check(&mut seq.body, &seq.bindings, &saved, &mut errors);
    if let Err(error) = errors.finish() {
        return fallback(f.item, error);
    }
    emit::emit(&f, &seq, &saved)
}

/// The errors, beside an item with the signature the expansion would have had, so callers
/// (and rust-analyzer) see the fn they expect and report nothing more.
fn fallback(mut item: ItemFn, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
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
    let f = FiberFn::new(item);
    let signature = emit::signature(&f);
    let output = &f.output;
    quote! {
        #error
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
