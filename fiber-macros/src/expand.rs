//! The expansion as a function of tokens: `#[fiber]`'s whole job, callable without a compiler.
//!
//! Reads the item into a group of fns and its [`Kind`], runs the [`pipeline`] on it, and puts
//! what comes out back into an item of the same shape: the `mod` with its other items, the
//! `impl` block with its other items (and, for a trait impl, the trait's methods that run the
//! fibers). On errors, it still emits the fns with the signatures the expansion would have had,
//! so that callers and rust-analyzer report nothing more.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{ImplItem, Item, ItemFn, ItemImpl, ItemMod};

use crate::back::{emit, shadow};
use crate::errors::Errors;
use crate::front::check;
use crate::front::model::{FiberFn, Group, Kind};
use crate::front::receiver;
use crate::{naming, pipeline};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand_with(attr, item, &|group, errors| pipeline::run(group, errors).map(|stages| stages.machine))
}

/// What `expand` gives when the macro itself failed (a panic, which is a bug): the item's fns
/// with the signatures the expansion would have had, beside an error that says so, so that the
/// user's callers compile and report nothing more.
pub fn internal_error(item: TokenStream, message: &str) -> TokenStream {
    let message = format!(
        "`#[fiber]` failed on this item: an internal error of the macro ({message})\nhelp: this \
         is a bug in fiber; please report it with the fn. Until it is fixed, mark the fn \
         `#[native]` in a `#[fiber] mod` or `impl`, or remove `#[fiber]`"
    );
    let error = syn::Error::new(proc_macro2::Span::call_site(), message);
    expand_with(TokenStream::new(), item, &|_, _| Err(error.clone()))
}

/// The pipeline as `expand_with` runs it: the machine, or the errors.
type Pipeline<'p> = &'p dyn Fn(Group, Errors) -> Result<TokenStream, syn::Error>;

fn expand_with(attr: TokenStream, item: TokenStream, pipeline: Pipeline) -> TokenStream {
    naming::choose_prefix(&item);
    let mut errors = Errors::default();
    check::check_attribute_args(&attr, &mut errors);
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(item)) => {
            let fns = vec![FiberFn::new(item, true)];
            match pipeline(Group { fns: &fns, kind: &Kind::Fn }, errors) {
                Ok(machine) => machine,
                Err(error) => fallback(fns.into_iter().next().expect("one fn").item, error),
            }
        }
        Ok(Item::Mod(module)) if module.content.is_some() => expand_mod(module, errors, pipeline),
        Ok(Item::Impl(block)) => expand_impl(block, errors, pipeline),
        _ => {
            let error = syn::Error::new_spanned(
                &item,
                "`#[fiber]` applies to a fn, to a `mod` of mutually recursive fns, or to an \
                 `impl` block\nhelp: put it on the recursive fn",
            );
            let error = error.into_compile_error();
            quote!(#error #item)
        }
    }
}

/// `#[fiber] mod m { .. }`: every fn of the module is a fiber of one group; other items stay.
fn expand_mod(mut module: ItemMod, errors: Errors, pipeline: Pipeline) -> TokenStream {
    let (_, items) = module.content.take().expect("a mod with a body");
    let items = items.into_iter().map(|item| match item {
        Item::Fn(mut f) => {
            if strip_native(&mut f.attrs) {
                Item::Verbatim(quote!(#f))
            } else {
                Item::Fn(f)
            }
        }
        other => other,
    });
    let (fn_items, others): (Vec<Item>, Vec<Item>) = items.partition(|i| matches!(i, Item::Fn(_)));
    let alone = fn_items.len() == 1;
    let mut fns = Vec::new();
    for item in fn_items {
        let Item::Fn(item) = item else { unreachable!("partitioned") };
        fns.push(FiberFn::new(item, alone));
    }
    let kind = Kind::Mod(module.ident.clone());
    let expanded = pipeline(Group { fns: &fns, kind: &kind }, errors);
    let body = expanded.unwrap_or_else(|error| {
        let error = error.into_compile_error();
        let stand_ins = fns.into_iter().map(|f| stand_in(f.item, false));
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

/// `#[fiber] impl T { .. }`: every method and associated fn is a fiber of one group; other items
/// stay.
fn expand_impl(mut block: ItemImpl, mut errors: Errors, pipeline: Pipeline) -> TokenStream {
    let Some(self_name) = type_name(&block.self_ty) else {
        errors.error(&block.self_ty, "`#[fiber] impl` needs a named type\nhelp: write `impl Name { .. }`");
        let error = errors.checkpoint().expect_err("an error was pushed").into_compile_error();
        return quote!(#error #block);
    };
    let items = std::mem::take(&mut block.items).into_iter().map(|item| match item {
        ImplItem::Fn(mut f) => {
            if strip_native(&mut f.attrs) {
                ImplItem::Verbatim(quote!(#f))
            } else {
                ImplItem::Fn(f)
            }
        }
        other => other,
    });
    let (fn_items, others): (Vec<ImplItem>, Vec<ImplItem>) =
        items.partition(|i| matches!(i, ImplItem::Fn(_)));
    let alone = fn_items.len() == 1;
    let mut fns = Vec::new();
    for item in fn_items {
        let ImplItem::Fn(method) = item else { unreachable!("partitioned") };
        let mut item = ItemFn {
            attrs: method.attrs,
            vis: method.vis,
            modifiers: method.modifiers,
            sig: method.sig,
            block: Box::new(method.block),
        };
        receiver::rename_self(&mut item.block);
        fns.push(FiberFn::new(item, alone));
    }
    // In a trait impl, the trait fixes the signatures: the fibers are hidden inherent methods,
    // and each trait method runs its own on a heap stack of its own.
    let in_trait = block.trait_.is_some();
    let kind = if in_trait { Kind::TraitImpl(self_name) } else { Kind::Impl(self_name) };
    let group = Group { fns: &fns, kind: &kind };
    let expanded = pipeline(group, errors);
    let (attrs, unsafety, generics, where_clause, self_ty) =
        (&block.attrs, &block.unsafety, &block.generics, &block.generics.where_clause, &block.self_ty);
    let expanded = match expanded {
        Ok(expanded) => expanded,
        Err(error) => {
            let error = error.into_compile_error();
            if in_trait {
                // The methods as written: natively recursive, and what the trait expects.
                block.items = others;
                block.items.extend(fns.into_iter().map(|f| ImplItem::Fn(unrenamed(f.item))));
                return quote!(#error #block);
            }
            let stand_ins = fns.iter().map(|f| stand_in(f.item.clone(), true));
            quote!(#error #(#stand_ins)*)
        }
    };
    let shadow = shadow::of_impl(group, &block);
    let Some((trait_path, for_token)) = &block.trait_ else {
        return quote! {
            #(#attrs)*
            #unsafety impl #generics #self_ty #where_clause {
                #(#others)*
                #expanded
            }
            #shadow
        };
    };
    let runs = fns.iter().map(run_hidden);
    quote! {
        #(#attrs)*
        #unsafety impl #generics #trait_path #for_token #self_ty #where_clause {
            #(#others)*
            #(#runs)*
        }
        #unsafety impl #generics #self_ty #where_clause {
            #expanded
        }
        #shadow
    }
}

/// A trait method that runs its hidden fiber to the end: `fn m(&self, x: X) -> R {
/// run(Self::__fiber_m(self, x)) }`.
fn run_hidden(f: &FiberFn) -> TokenStream {
    let item = &f.item;
    let (attrs, vis, sig) = (&item.attrs, &item.vis, &item.sig);
    let (name, generics, where_clause, output) =
        (&sig.ident, &sig.generics, &sig.generics.where_clause, &sig.output);
    let hidden = naming::hidden_method(name);
    let params = f.params.iter().map(|p| match &p.receiver {
        Some(receiver) => quote!(#receiver),
        None => {
            let (outer, ty) = (&p.outer, &p.ty);
            quote!(#outer: #ty)
        }
    });
    let values = f.params.iter().map(|p| p.plain_value());
    let unsafety = &sig.safety;
    quote! {
        #(#attrs)*
        #vis #unsafety fn #name #generics (#(#params),*) #output #where_clause {
            ::fiber_runtime::run(Self::#hidden(#(#values),*))
        }
    }
}

/// A method as written: its body's `self`, renamed for the machine, named `self` again.
fn unrenamed(item: ItemFn) -> syn::ImplItemFn {
    let mut block = *item.block;
    receiver::restore_self(&mut block);
    syn::ImplItemFn { attrs: item.attrs, vis: item.vis, modifiers: item.modifiers, sig: item.sig, block }
}

/// Removes `#[native]`, the inert attribute that keeps a fn of a `#[fiber] mod` or `impl` out of
/// the group: it stays a plain fn, and calls to it are plain calls. Whether it was there.
fn strip_native(attrs: &mut Vec<syn::Attribute>) -> bool {
    let before = attrs.len();
    attrs.retain(|attr| !(attr.path().is_ident("native") && matches!(attr.meta, syn::Meta::Path(_))));
    attrs.len() != before
}

/// The name of an impl's type: the last segment of its path.
fn type_name(ty: &syn::Type) -> Option<Ident> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last().map(|s| s.ident.clone()),
        syn::Type::Group(group) => type_name(&group.elem),
        _ => None,
    }
}

/// The errors, beside an item with the signature the expansion would have had, so callers
/// (and rust-analyzer) see the fn they expect and report nothing more.
fn fallback(item: ItemFn, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    let stand_in = stand_in(item, false);
    quote!(#error #stand_in)
}

/// A fn with the signature the expansion would have had, whose body only names its output.
/// Receivers are kept in an impl (`method`) and dropped elsewhere, where they are errors.
fn stand_in(mut item: ItemFn, method: bool) -> TokenStream {
    item.sig.asyncness = None;
    item.sig.constness = None;
    item.sig.abi = None;
    item.sig.variadic = None;
    item.attrs.retain(|a| !a.path().is_ident("track_caller"));
    item.sig.inputs =
        item.sig.inputs.into_iter().filter(|a| method || matches!(a, syn::FnArg::Typed(_))).collect();
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
            "fn f(x: u64) -> u64 { my_macro!(f(x)); 0 }",
            "struct S;",
        ] {
            assert!(expands(src).contains("compile_error"), "{src}");
        }
    }

    /// A panic of the macro (a bug) still leaves each fn with its outward signature, so that
    /// callers compile, beside an error on the item.
    #[test]
    fn internal_errors_keep_the_signatures() {
        for (src, signatures) in [
            ("fn f(n: u64) -> u64 { f(n) }", &["fn f (n : u64) -> impl :: fiber_runtime :: Fiber"][..]),
            (
                "mod m { pub struct S; pub fn a(n: u64) -> u64 { b(n) } pub fn b(n: u64) -> u64 { a(n) } }",
                &["pub struct S", "pub fn a (n : u64) -> impl", "pub fn b (n : u64) -> impl"],
            ),
            (
                "impl S { const K: u8 = 1; fn m(&mut self) -> u8 { self.m() } }",
                &["const K : u8 = 1", "fn m (& mut self) -> impl"],
            ),
        ] {
            let out = internal_error(src.parse().unwrap(), "boom").to_string();
            assert!(
                out.contains("compile_error") && out.contains("internal error of the macro (boom)"),
                "{out}"
            );
            assert!(!out.contains("__FiberFrame"), "{out}");
            for signature in signatures {
                assert!(out.contains(signature), "{signature}: {out}");
            }
        }
    }

    /// The expansion of each `tests/expanded/x.rs` against `x.expanded.rs` beside it,
    /// pretty-printed: what `cargo expand` shows a user, kept readable and reviewed in diffs.
    /// `x.annotated.rs`, where there is one, is the same expansion with comments that explain
    /// each item. `FIBER_BLESS=1 cargo test -p fiber-macros expansions` rewrites the snapshots.
    #[test]
    fn expansions_match_snapshots() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expanded");
        let bless = std::env::var_os("FIBER_BLESS").is_some();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.file_name().unwrap().to_str().unwrap().split('.').count() == 2)
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 5, "the inputs are found");
        let mut stale = Vec::new();
        for input in inputs {
            let name = input.file_stem().unwrap().to_str().unwrap().to_owned();
            let source: syn::File = syn::parse_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
            let mut expanded = TokenStream::new();
            for mut item in source.items {
                let attrs = match &mut item {
                    Item::Fn(f) => &mut f.attrs,
                    Item::Mod(m) => &mut m.attrs,
                    Item::Impl(i) => &mut i.attrs,
                    _ => panic!("{name}: a fn, mod or impl"),
                };
                attrs.retain(|a| !a.path().is_ident("fiber"));
                expanded.extend(expand(TokenStream::new(), quote!(#item)));
            }
            let file: syn::File = syn::parse2(expanded).expect("the expansion parses");
            let pretty = prettyplease::unparse(&file);
            let path = dir.join(format!("{name}.expanded.rs"));
            if bless {
                std::fs::write(&path, &pretty).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(pretty.as_str()) {
                stale.push(name.clone());
            }
            // The annotated copy, without its comments, is the expansion itself.
            if let Ok(annotated) = std::fs::read_to_string(dir.join(format!("{name}.annotated.rs"))) {
                let code: String = annotated
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .map(|line| format!("{line}\n"))
                    .collect();
                assert_eq!(code.trim_start(), pretty, "{name}.annotated.rs differs from the expansion");
            }
        }
        assert!(
            stale.is_empty(),
            "expansions differ from their snapshots: {stale:?}; FIBER_BLESS=1 rewrites them"
        );
    }
}
