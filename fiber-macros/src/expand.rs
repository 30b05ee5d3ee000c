//! The expansion as a function of tokens: `#[fiber]`'s whole job, callable without a compiler.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{ImplItem, Item, ItemFn, ItemImpl, ItemMod};

use crate::calls::{self, Group};
use crate::check::{self, Errors};
use crate::model::FiberFn;
use crate::{borrows, emit, liveness, macros, mut_params, naming, receiver, sequence, shadow, tail, traded};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    naming::choose_prefix(&item);
    let mut errors = Errors::default();
    check::check_attribute_args(&attr, &mut errors);
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(item)) => {
            check::check_signature(&item, false, &mut errors);
            if let Err(error) = errors.finish() {
                return fallback(item, error);
            }
            let fns = vec![FiberFn::new(item, true)];
            match group(&fns, None, None, false) {
                Ok(expanded) => expanded,
                Err(error) => fallback(fns.into_iter().next().expect("one fn").item, error),
            }
        }
        Ok(Item::Mod(module)) if module.content.is_some() => expand_mod(module, errors),
        Ok(Item::Impl(block)) => expand_impl(block, errors),
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
fn expand_mod(mut module: ItemMod, mut errors: Errors) -> TokenStream {
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
        check::check_signature(&item, false, &mut errors);
        if !alone {
            check::check_group_generics(&item, &mut errors);
        }
        fns.push(FiberFn::new(item, alone));
    }
    let expanded = match errors.finish() {
        Ok(()) => group(&fns, Some(&module.ident), None, false),
        Err(error) => Err(error),
    };
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
fn expand_impl(mut block: ItemImpl, mut errors: Errors) -> TokenStream {
    let Some(self_name) = type_name(&block.self_ty) else {
        errors.error(&block.self_ty, "`#[fiber] impl` needs a named type\nhelp: write `impl Name { .. }`");
        let error = errors.finish().expect_err("an error was pushed").into_compile_error();
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
        check::check_signature(&item, true, &mut errors);
        if !alone {
            check::check_group_generics(&item, &mut errors);
        }
        receiver::rename_self(&mut item.block);
        fns.push(FiberFn::new(item, alone));
    }
    // In a trait impl, the trait fixes the signatures: the fibers are hidden inherent methods,
    // and each trait method runs its own on a heap stack of its own.
    let in_trait = block.trait_.is_some();
    let expanded = match errors.finish() {
        Ok(()) => group(&fns, None, Some(&self_name), in_trait),
        Err(error) => Err(error),
    };
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
    let shadow = shadow::of_impl(&fns, &block, &Group { fns: &fns, module: None, self_ty: Some(&self_name) });
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

/// A fn under `#[cfg(..)]` may only be called by fns under the same `#[cfg(..)]`: a caller's
/// machine holds its callees' states, which must vanish with them.
fn check_cfgs(fns: &[FiberFn], calls: &[Vec<usize>]) -> Result<(), syn::Error> {
    fn cfg_attrs(f: &FiberFn) -> impl Iterator<Item = &syn::Attribute> {
        f.item.attrs.iter().filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
    }
    let mut errors = Errors::default();
    for (f, callees) in fns.iter().zip(calls) {
        let own: Vec<String> = cfg_attrs(f).map(|a| quote!(#a).to_string()).collect();
        for &g in callees {
            let missing = cfg_attrs(&fns[g]).find(|a| !own.contains(&quote!(#a).to_string()));
            if let Some(attr) = missing {
                errors.error(
                    attr,
                    format!(
                        "`{}` calls `{}`, which is under this attribute, without it: the machine \
                         of `{0}` holds the states of the fns it calls, which would vanish without \
                         its own\nhelp: put the same attribute on `{0}`, or keep `{1}` out of the \
                         group with `#[native]`",
                        f.name(),
                        fns[g].name()
                    ),
                );
            }
        }
    }
    errors.finish()
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

/// The passes over one group of fns, and its public fns.
/// `hidden`: the public fns are hidden methods for a trait impl's methods to run.
fn group(
    fns: &[FiberFn],
    module: Option<&Ident>,
    self_ty: Option<&Ident>,
    hidden: bool,
) -> Result<TokenStream, syn::Error> {
    let mut errors = Errors::default();
    // The machine reaches `&mut` parameters through pointers; the fns as written become the
    // shadow that the borrow checker checks.
    let originals = fns;
    let fns: Vec<FiberFn> = originals
        .iter()
        .map(|f| {
            mut_params::check(f, &mut errors);
            let mut f = f.clone();
            let names = mut_params::names(&f);
            mut_params::reach_through_pointers(&mut f.item.block, &names);
            f
        })
        .collect();
    let mut fns = fns;
    let desugared: Vec<syn::Block> = {
        let group = Group { fns: &fns, module, self_ty };
        fns.iter()
            .map(|f| {
                let mut block = (*f.item.block).clone();
                macros::desugar(&mut block, &group);
                block
            })
            .collect()
    };
    for (f, block) in fns.iter_mut().zip(desugared) {
        *f.item.block = block;
    }
    let fns = &fns[..];
    let group = Group { fns, module, self_ty };
    let mut passed = Vec::new();
    traded::check(&group, &mut errors);
    for f in fns {
        calls::check_body(&group, f, &mut errors);
        let mut seq = sequence::sequence(&group, f, &mut errors);
        tail::witness_tail_calls(&mut seq);
        let saved = liveness::saved_per_site(&seq.body, &seq.bindings, seq.sites);
        borrows::check(&mut seq.body, &seq.bindings, &saved, &mut errors);
        passed.push((seq, saved));
    }
    errors.finish()?;
    let returns = tail::returns(fns.len(), passed.iter().map(|(seq, _)| seq));
    let lowered: Vec<_> = passed.iter().map(|(seq, saved)| emit::Lowered { seq, saved }).collect();
    let calls = tail::calls(passed.iter().map(|(seq, _)| seq));
    check_cfgs(fns, &calls)?;
    // An impl's shadow goes beside the impl block (`expand_impl`).
    let shadow = if self_ty.is_some() { TokenStream::new() } else { shadow::of_fns(originals, module) };
    Ok(emit::emit(fns, &lowered, &returns, &calls, self_ty.is_some(), hidden, shadow))
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

    /// The expansions of a few fns, pretty-printed, against the snapshots in
    /// `tests/expanded/`: what `cargo expand` shows a user, kept readable and reviewed in diffs.
    /// `FIBER_BLESS=1 cargo test -p fiber-macros` rewrites them.
    #[test]
    fn expansions_match_snapshots() {
        let cases = [
            ("fib", "fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }"),
            (
                "tail_sum",
                "fn sum(xs: &[u64], acc: u64) -> u64 { if xs.is_empty() { return acc; } sum(&xs[1..], acc + xs[0]) }",
            ),
            (
                "tree_sum",
                "fn tree_sum(node: &Node) -> u64 { let mut total = node.value; \
                 for c in &node.children { total += tree_sum(c); } total }",
            ),
            (
                "parity",
                "mod parity { pub fn is_even(n: u64) -> bool { if n == 0 { true } else { is_odd(n - 1) } } \
                 pub fn is_odd(n: u64) -> bool { if n == 0 { false } else { is_even(n - 1) } } }",
            ),
            (
                "eval",
                "impl Expr { pub fn eval(&self) -> i64 { match self { Expr::Num(n) => *n, \
                 Expr::Add(a, b) => a.eval() + b.eval() } } }",
            ),
        ];
        let bless = std::env::var_os("FIBER_BLESS").is_some();
        let mut stale = Vec::new();
        for (name, src) in cases {
            let expanded = expand(TokenStream::new(), src.parse().unwrap());
            let file: syn::File = syn::parse2(expanded).expect("the expansion parses");
            let pretty = prettyplease::unparse(&file);
            let path = format!("{}/tests/expanded/{name}.rs", env!("CARGO_MANIFEST_DIR"));
            if bless {
                std::fs::write(&path, &pretty).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(pretty.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "expansions differ from their snapshots: {stale:?}; FIBER_BLESS=1 rewrites them"
        );
    }
}
