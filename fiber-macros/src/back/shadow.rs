//! The group's fns as written, compiled beside the machine and never called, when one of them
//! has a `&mut` parameter (or `&mut self`): the machine reaches those through pointers, and this
//! copy is what the borrow checker checks (without it, code that natively fails to borrow-check
//! could run; see "`&mut` parameters" in `ARCHITECTURE.md`). Its recursive calls resolve to the
//! shadow itself.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, GenericParam, ItemImpl};

use crate::front::model::{FiberFn, Group};

/// Whether the group needs a shadow: a fn has a `&mut` parameter, or passes a borrow of one of
/// its locals to a recursive call, which the machine points into its saved frame.
fn needed(group: &Group) -> bool {
    group.fns.iter().any(|f| {
        f.params.iter().any(|p| p.is_mut_reference()) || {
            let mut finder = PinGuard::new(group, f, true);
            finder.visit_block_mut(&mut f.item.block.clone());
            !finder.mut_roots.is_empty()
        }
    })
}

/// The attributes a shadow keeps: `cfg`, so that it vanishes with its fn.
fn shadow_attrs(f: &FiberFn) -> Vec<&syn::Attribute> {
    f.item.attrs.iter().filter(|a| a.path().is_ident("cfg")).collect()
}

/// For a fn or a `mod` group: the fns as nested items of each public fn (in a nested module for
/// a group, so that they call each other).
pub fn of_fns(group: Group) -> TokenStream {
    if !needed(&group) {
        return TokenStream::new();
    }
    let in_mod = group.module().is_some();
    let items = group.fns.iter().map(|f| {
        let mut item = f.item.clone();
        let mut guard = PinGuard::new(&group, f, false);
        guard.visit_block_mut(&mut item.block);
        make_mut(&mut item, &guard.mut_roots);
        ToShadow { group: &group, in_mod }.visit_block_mut(&mut item.block);
        item.attrs = shadow_attrs(f).into_iter().cloned().collect();
        item.vis = syn::Visibility::Inherited;
        let unused_mut = (!guard.mut_roots.is_empty()).then(|| quote!(unused_mut,));
        quote!(#[allow(dead_code, #unused_mut clippy::all)] #item)
    });
    if in_mod {
        let module = format_ident!("__fiber_shadow", span = Span::mixed_site());
        quote! {
            #[allow(unused_imports)]
            mod #module {
                use super::*;
                #(#items)*
            }
        }
    } else {
        quote!(#(#items)*)
    }
}

/// For an `impl` group: a private trait with the methods' signatures and an impl of it for the
/// type holding the bodies as written, beside the `impl` block. Inside the bodies, calls of the
/// group's methods go through the trait (inherent methods, the fibers, would win otherwise),
/// with receivers adjusted as method calls adjust them.
pub fn of_impl(group: Group, block: &ItemImpl) -> TokenStream {
    let fns = group.fns;
    if !needed(&group) {
        return TokenStream::new();
    }
    let Some(self_name) = group.self_ty() else { return TokenStream::new() };
    let trait_name = crate::naming::shadow_trait(self_name, fns[0].name());
    let (generics, where_clause, self_ty) = (&block.generics, &block.generics.where_clause, &block.self_ty);
    let args = generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(l) => {
            let lifetime = &l.lifetime;
            quote!(#lifetime)
        }
        GenericParam::Type(t) => {
            let ident = &t.ident;
            quote!(#ident)
        }
        GenericParam::Const(c) => {
            let ident = &c.ident;
            quote!(#ident)
        }
    });
    let trait_ref = quote!(#trait_name<#(#args),*>);
    let declarations = fns.iter().map(|f| {
        let mut sig = f.item.sig.clone();
        sig.ident = crate::naming::shadow_method(&sig.ident);
        // A declaration has no body, so no patterns: `mut self` and `mut x` lose their `mut`.
        for input in sig.inputs.iter_mut() {
            match input {
                syn::FnArg::Typed(typed) => *typed.pat = syn::parse_quote!(_),
                syn::FnArg::Receiver(receiver) => receiver.mutability = None,
            }
        }
        let attrs = shadow_attrs(f);
        quote!(#(#attrs)* #sig;)
    });
    let definitions = fns.iter().map(|f| {
        let mut item = f.item.clone();
        item.sig.ident = crate::naming::shadow_method(&item.sig.ident);
        crate::front::receiver::restore_self(&mut item.block);
        let mut guard = PinGuard::new(&group, f, false);
        guard.visit_block_mut(&mut item.block);
        make_mut(&mut item, &guard.mut_roots);
        let unused_mut = (!guard.mut_roots.is_empty()).then(|| quote!(#[allow(unused_mut)]));
        ThroughTrait { group: &group, trait_ref: &trait_ref }.visit_block_mut(&mut item.block);
        let (sig, block) = (&item.sig, &item.block);
        let attrs = shadow_attrs(f);
        quote! {
            #(#attrs)*
            #unused_mut
            #[allow(unused_imports)]
            #sig {
                use ::fiber_runtime::__private::{AnyMut as _, AnyRef as _};
                #block
            }
        }
    });
    quote! {
        #[allow(dead_code, non_camel_case_types, clippy::all)]
        trait #trait_name #generics #where_clause {
            #(#declarations)*
        }
        // The body as written is the tail of a block that imports the receiver helpers: a
        // body of one expression would read as braces around it.
        #[allow(dead_code, unused_braces, clippy::all)]
        impl #generics #trait_ref for #self_ty #where_clause {
            #(#definitions)*
        }
    }
}

/// Rewrites the paths of the group's calls in a shadow body to reach the shadow: `self::h(..)`
/// inside the shadow's module for a group, where the `super::m::h(..)` or `m::h(..)` written in
/// `m` would reach the fiber (or nothing: the module is nested in a fn body); `f(..)` for a lone
/// fn, whose shadow is a nested item of the same name.
struct ToShadow<'g, 'a> {
    group: &'g Group<'a>,
    in_mod: bool,
}

impl VisitMut for ToShadow<'_, '_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, call);
        let Some(callee) = self.group.callee(call) else { return };
        let Expr::Path(path) = crate::syntax::places::strip_parens(&call.func) else { return };
        let name = self.group.fns[callee].name();
        // The callee's name as written, for its span.
        let written = &path.path.segments.last().expect("a path has a segment").ident;
        let name = Ident::new(&name.to_string(), written.span());
        *call.func = if self.in_mod { syn::parse_quote!(self::#name) } else { syn::parse_quote!(#name) };
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Rewrites the group's calls in a shadow body to go through the shadow trait.
struct ThroughTrait<'g, 'a> {
    group: &'g Group<'a>,
    trait_ref: &'g TokenStream,
}

impl VisitMut for ThroughTrait<'_, '_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some(call) = self.group.recursive_call(expr) else { return };
        let f = &self.group.fns[call.callee];
        let trait_ref = self.trait_ref;
        let args = call.args;
        *expr = match &call.method {
            // A method call stays one: native code reads `self.k` in `self.f(.., self.k)` after
            // the receiver's `&mut` autoref, which a two-phase borrow allows.
            Some(method) => {
                let name = crate::naming::shadow_method(method);
                let (receiver, rest) = (&args[0], &args[1..]);
                syn::parse2(quote_spanned!(method.span()=> (#receiver).#name(#(#rest),*)))
            }
            None => {
                let name = crate::naming::shadow_method(f.name());
                let span = name.span();
                syn::parse2(quote_spanned!(span=> <Self as #trait_ref>::#name(#(#args),*)))
            }
        }
        .expect("a call parses");
    }

    /// `vec![self.f()?]`: the calls inside a macro reach the shadow too (the fiber's `impl
    /// Fiber` value would not type there).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if self.group.tokens_call(&mac.tokens).is_none() {
            return;
        }
        if let Some(tokens) = crate::front::macros::map_arguments(&mac.tokens, |e| self.visit_expr_mut(e)) {
            mac.tokens = tokens;
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Makes the borrow checker prove, for each call that borrows a local for a reference
/// parameter (`f(&mut acc)`, `f(&path)`, `f(s.as_str())`), that no borrow of that local outlives
/// the call: the machine keeps the local in the caller's frame only while the callee runs, then
/// moves the frame. The call becomes `{ let value = f(&mut a, &b); let _ = &mut a; let _ = &mut
/// b; let _ = &mut a; let _ = &mut b; value }`, which fails to borrow-check when `value` borrows
/// `a` or `b`, or when the callee stored a borrow of one of them in the other. A local borrowed
/// shared is made `mut` in the shadow for its exclusive borrow (`make_mut`).
struct PinGuard<'g, 'a> {
    group: &'g Group<'a>,
    /// The fn whose body this is: its reference parameters are not locals.
    f: &'g FiberFn,
    /// The locals borrowed shared for a call.
    mut_roots: Vec<Ident>,
    /// The bindings in scope, innermost last, with whether each is its whole pattern: only
    /// those are lent shared (`Binding::whole_pattern`), and may be made `mut`.
    scopes: Vec<Vec<(String, bool)>>,
    /// Only find `mut_roots`.
    dry_run: bool,
}

impl<'g, 'a> PinGuard<'g, 'a> {
    fn new(group: &'g Group<'a>, f: &'g FiberFn, dry_run: bool) -> Self {
        let mut guard = PinGuard { group, f, mut_roots: Vec::new(), dry_run, scopes: vec![Vec::new()] };
        for param in f.params.iter().filter(|p| p.receiver.is_none()) {
            guard.bind(&param.pat);
        }
        guard
    }

    fn bind(&mut self, pat: &syn::Pat) {
        let whole = crate::syntax::free_vars::whole_pattern_name(pat);
        let scope = self.scopes.last_mut().expect("a scope is open");
        for bound in crate::syntax::free_vars::bindings(pat) {
            let name = bound.ident.to_string();
            let is_whole = whole.as_ref() == Some(&name);
            scope.push((name, is_whole));
        }
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }

    /// Whether the binding `name` resolves to is its whole pattern.
    fn is_whole_binding(&self, name: &Ident) -> bool {
        let name = name.to_string();
        self.scopes.iter().flatten().rev().find(|(n, _)| *n == name).is_some_and(|(_, whole)| *whole)
    }

    fn is_reference_param(&self, name: &Ident) -> bool {
        self.f.params.iter().any(|p| {
            matches!(&p.pat, syn::Pat::Ident(i) if i.ident == *name)
                && matches!(&p.ty, syn::Type::Reference(_))
        })
    }
}

impl VisitMut for PinGuard<'_, '_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some(call) = self.group.recursive_call(expr) else { return };
        let params = &self.group.fns[call.callee].params;
        let first = usize::from(call.method.is_some());
        let mut places: Vec<TokenStream> = Vec::new();
        for (arg, param) in call.args.iter().zip(params).skip(first) {
            if param.is_mut_reference() {
                let root = crate::syntax::places::mut_borrowed_local(arg);
                if root.is_some_and(|root| !self.is_reference_param(root)) {
                    places.push(arg.to_token_stream());
                }
            } else if param.is_shared_reference() {
                let root = crate::syntax::places::shared_borrowed_local(arg);
                if let Some(root) =
                    root.filter(|root| !self.is_reference_param(root) && self.is_whole_binding(root))
                {
                    places.push(quote!(&mut #root));
                    self.mut_roots.push(root.clone());
                }
            }
        }
        if places.is_empty() || self.dry_run {
            return;
        }
        let value = format_ident!("__fiber_value", span = Span::mixed_site());
        // At the callee's name, so that the error shows the call's borrow and this one apart.
        let span = match crate::syntax::places::strip_parens(expr) {
            Expr::Call(c) => c.func.span(),
            Expr::MethodCall(m) => m.method.span(),
            other => other.span(),
        };
        // Twice over: a borrow of one pinned local stored in another is then used after the
        // first's check, in whichever order they come.
        let checks: Vec<TokenStream> = places.into_iter().map(|place| respan(place, span)).collect();
        *expr = syn::parse_quote!({
            let #value = #expr;
            #(let _ = #checks;)*
            #(let _ = #checks;)*
            #value
        });
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scoped(|s| block.stmts.iter_mut().for_each(|stmt| s.visit_stmt_mut(stmt)));
    }
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let Some(init) = &mut local.init {
            self.visit_expr_mut(&mut init.expr);
            if let Some((_, diverge)) = &mut init.diverge {
                self.visit_expr_mut(diverge);
            }
        }
        self.bind(&local.pat);
    }
    fn visit_expr_let_mut(&mut self, e: &mut syn::ExprLet) {
        self.visit_expr_mut(&mut e.expr);
        self.bind(&e.pat);
    }
    fn visit_expr_if_mut(&mut self, e: &mut syn::ExprIf) {
        self.scoped(|s| {
            s.visit_expr_mut(&mut e.cond);
            s.visit_block_mut(&mut e.then_branch);
        });
        if let Some((_, els)) = &mut e.else_branch {
            self.visit_expr_mut(els);
        }
    }
    fn visit_expr_while_mut(&mut self, e: &mut syn::ExprWhile) {
        self.scoped(|s| {
            s.visit_expr_mut(&mut e.cond);
            s.visit_block_mut(&mut e.body);
        });
    }
    fn visit_expr_for_loop_mut(&mut self, e: &mut syn::ExprForLoop) {
        self.visit_expr_mut(&mut e.expr);
        self.scoped(|s| {
            s.bind(&e.pat);
            s.visit_block_mut(&mut e.body);
        });
    }
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        self.scoped(|s| {
            s.bind(&arm.pat);
            if let syn::Pat::Guard(guard) = &mut arm.pat {
                s.visit_expr_mut(&mut guard.guard);
            }
            s.visit_expr_mut(&mut arm.body);
        });
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Declares the bindings named `roots` `mut` (by-value ones, in the signature and the body):
/// the shadow borrows them exclusively after the calls they are lent to.
fn make_mut(item: &mut syn::ItemFn, roots: &[Ident]) {
    struct MakeMut<'r>(&'r [Ident]);
    impl VisitMut for MakeMut<'_> {
        // Only a pattern that is one identifier: inside a larger one, `mut` would end an
        // implicit borrow (`Some(x)` matched against a reference), and the machine lends only
        // such bindings (`Binding::whole_pattern`).
        fn visit_pat_mut(&mut self, pat: &mut syn::Pat) {
            match pat {
                syn::Pat::Ident(p)
                    if p.subpat.is_none() && p.by_ref.is_none() && self.0.contains(&p.ident) =>
                {
                    p.mutability.get_or_insert_with(Default::default);
                }
                syn::Pat::Type(t) => self.visit_pat_mut(&mut t.pat),
                syn::Pat::Paren(p) => self.visit_pat_mut(&mut p.pat),
                syn::Pat::Guard(g) => {
                    self.visit_pat_mut(&mut g.pat);
                    self.visit_expr_mut(&mut g.guard);
                }
                _ => {}
            }
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    if roots.is_empty() {
        return;
    }
    let mut make = MakeMut(roots);
    for input in item.sig.inputs.iter_mut() {
        if let syn::FnArg::Typed(typed) = input {
            make.visit_pat_mut(&mut typed.pat);
        }
    }
    make.visit_block_mut(&mut item.block);
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = proc_macro2::TokenTree::Group(group);
            }
            tt.set_span(span);
            tt
        })
        .collect()
}
