//! A recursive call where it is reached: the arguments evaluated in native order, the live
//! bindings saved, the callee pushed (or, for a tail call that may, put in the frame's place).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{Expr, Pat, parse_quote};

use crate::anf::ir::*;
use crate::naming::{self, private};

use super::Lower;

impl Lower<'_> {
    /// A recursive call where it is reached: evaluate the arguments, save the live bindings,
    /// push the callee. Typed as the callee's return type so that the code after it, which
    /// the start state never reaches, still infers.
    // Input:  `let a = f(n - 1);` at site 0, with `n` live after it
    // Output: `let a: R = { let arg0: u64 = n - 1; top.save(Frame::After0 { n });
    //          return Step::Call(Frame::Start { n: arg0 }); };`
    // A tail call that may replace the frame instead tests its witnesses, then returns
    // `Step::TailCall(callee)` (or, under `run`, assigns the callee to the running frame and
    // loops inside the step).
    pub(super) fn call_site(&self, call: &Call) -> TokenStream {
        let (frame, top) = (naming::frame_enum(), naming::top());
        let callee = &self.fns[call.callee];
        let args: Vec<Ident> = (0..call.args.len()).map(naming::arg).collect();
        // Each argument coerced to the declared parameter type, as a native call does.
        let args_rewritten: Vec<Expr> = call.args.iter().map(|arg| self.rewritten(arg)).collect();
        let is_pinned = |i: usize| call.pinned.iter().any(|&(p, _)| p == i);
        let mut pinned_places = Vec::new();
        let mut values: Vec<TokenStream> = Vec::new();
        // The reborrows of `&mut` places last (see `Call::reborrow_last`), each group in order.
        let (last, first): (Vec<usize>, Vec<usize>) =
            (0..args.len()).partition(|i| call.reborrow_last.contains(i));
        for i in first.into_iter().chain(last) {
            let (value, param) = (&args_rewritten[i], &callee.params[i]);
            let arg = &args[i];
            values.push(if is_pinned(i) {
                // The place's index operands are evaluated here, in argument order; the place
                // itself is taken after the save.
                let (place, indexes) = hoist_indexes(value, i);
                pinned_places.push((i, place));
                let lets = indexes.iter().map(|(temp, index)| quote!(let #temp = #index;));
                quote!(#(#lets)*)
            } else if param.is_mut_reference() {
                // `&mut impl FnMut(u64)` cannot be named in a `let`: the argument's own type is
                // then the callee's, as only the callee's own generic can be passed to it.
                let ty = param.type_is_nameable().then(|| {
                    let ty = self.local_type(&param.ty);
                    quote!(: #ty)
                });
                quote!(let #arg #ty = #value; let #arg = #private::MutRef::new(#arg);)
            } else if param.type_is_nameable() {
                let ty = self.local_type(&param.ty);
                quote!(let #arg: #ty = #value;)
            } else {
                quote!(let #arg = #value;)
            });
        }
        let params = callee.params.iter().map(|param| &param.outer);
        let start = naming::start_variant(&callee.prefix);
        let variant = naming::after_variant(&self.f().prefix, call.site);
        let fields = self.fields(call.site);
        let names = fields.iter().map(|(name, _)| name);
        let saved = fields.iter().map(|(_, id)| {
            let ident = &self.seq.bindings[*id].ident;
            match self.keeps_locals {
                true => quote!(#private::Unprotected::new(#ident)),
                false => quote!(#ident),
            }
        });
        let callee_frame = quote!(#frame::#start { #(#params: #args),* });
        let save = quote!(#top.save(#frame::#variant { #(#names: #saved),* }));
        let pinned = self.pinned_args(call, &pinned_places, &fields);
        let save = quote!(#save; #pinned);
        if call.tail && call.pinned.is_empty() {
            let replace = self.tail_replaces(call);
            let (running, tail) = (naming::running_frame(), naming::tail_label());
            self.tail_calls.set(true);
            return quote! {{
                #(#values)*
                if #replace {
                    if #top.tail_calls_loop() {
                        #running = #callee_frame;
                        continue #tail;
                    }
                    return #private::Step::TailCall(#callee_frame);
                }
                #save
                return #private::Step::Call(#callee_frame);
            }};
        }
        if call.tail {
            // An argument points into this frame: it stays while the callee runs.
            return quote! {{
                #(#values)*
                #save
                return #private::Step::Call(#callee_frame);
            }};
        }
        let ty = self.local_type(&callee.output);
        let pat = ascribe(&call.pat, &ty);
        quote! {
            let #pat = {
                #(#values)*
                #save
                return #private::Step::Call(#callee_frame);
            };
        }
    }

    /// The arguments that point into the frame just saved (`f(&mut acc)`): pointers to the
    /// pinned locals' fields, taken from one borrow of the frame, then each argument's place
    /// reached through them.
    pub(super) fn pinned_args(
        &self,
        call: &Call,
        places: &[(usize, Expr)],
        fields: &[(Ident, BindingId)],
    ) -> Option<TokenStream> {
        if call.pinned.is_empty() {
            return None;
        }
        let (frame, top) = (naming::frame_enum(), naming::top());
        let variant = naming::after_variant(&self.f().prefix, call.site);
        let mut roots: Vec<BindingId> = call.pinned.iter().map(|&(_, id)| id).collect();
        roots.sort_unstable();
        roots.dedup();
        let field_of =
            |id: BindingId| &fields.iter().find(|(_, f)| *f == id).expect("a pinned local is saved").0;
        let names = roots.iter().map(|&id| field_of(id));
        let pins: Vec<Ident> = roots.iter().map(|&id| naming::pinned(id)).collect();
        let callee = &self.fns[call.callee];
        let values = call.pinned.iter().map(|&(i, id)| {
            let (arg, param) = (naming::arg(i), &callee.params[i]);
            let root = &self.seq.bindings[id].ident;
            let pin = naming::pinned(id);
            let place = &places.iter().find(|(p, _)| *p == i).expect("a pinned place").1;
            // Through the raw pointer itself, not a reference to the whole local: two arguments
            // that borrow disjoint fields of one local stay disjoint.
            let place = crate::syntax::places::replace_root(place, root, &parse_quote!((*#pin)));
            let ty = param.type_is_nameable().then(|| {
                let ty = self.local_type(&param.ty);
                quote!(: #ty)
            });
            // SAFETY: the pointer is to a local in the frame saved just above, in a stack slot
            // that does not move, and that nothing reads, writes or drops until the callee has
            // returned (unwinding drops the callee's frames first). The fn as written, compiled
            // beside the machine, passes the borrow checker: the native borrow of the local lasts
            // for the call (exclusive for a `&mut` parameter, so the callee uses the place only
            // through it; shared for a `&T` one, so nothing writes the place meanwhile); the
            // shadow also proves that no borrow of a pinned local outlives the call, in the
            // call's value or stored in another pinned local (`shadow::PinGuard`), so the
            // caller's next step moves its frame out of the slot with no reference into it left.
            // A shared borrow (`f(&path)`, `f(s.as_str())`) is a plain reference, as any `&T`
            // argument is: the callee may hold it only while it runs, which the shadow proves
            // with an exclusive borrow of the local after the call.
            let wrap = param.is_mut_reference().then(|| quote!(let #arg = #private::MutRef::new(#arg);));
            quote! {
                #[allow(unknown_lints, dangerous_implicit_autorefs)]
                let #arg #ty = unsafe { #place };
                #wrap
            }
        });
        // Bound first: `quote!` binds each name it interpolates inside `#(..)*` with a `let`,
        // which cannot shadow the unit struct `private`.
        let pointers = pins.iter().map(|pin| match self.keeps_locals {
            true => quote!(#private::Unprotected::as_mut_ptr(#pin)),
            false => quote!(#private::from_mut(#pin)),
        });
        Some(quote! {
            let (#(#pins,)*) = match #top.saved_mut() {
                #frame::#variant { #(#names: #pins,)* .. } => (#(#pointers,)*),
                #[allow(unreachable_patterns)]
                _ => #private::unreachable!(),
            };
            #(#values)*
        })
    }

    /// Whether a tail call may replace the frame: no binding still in scope, other than those
    /// passed whole, has drop glue, as its type witness tells per instantiation; and no argument
    /// points into the frame.
    pub(super) fn tail_replaces(&self, call: &Call) -> TokenStream {
        if !call.pinned.is_empty() {
            return quote!(false);
        }
        let Some(witnesses) = &call.witnesses else { return quote!(false) };
        let checks = witnesses.iter().map(|&w| {
            let witness = &self.seq.bindings[w].ident;
            quote!(!#witness.needs_drop())
        });
        quote!(true #(&& #checks)*)
    }
}

/// A pinned argument `&mut place` with each index operand of the place replaced by a
/// temporary, and the temporaries with their operands, innermost first (evaluation order).
pub(super) fn hoist_indexes(arg: &Expr, n: usize) -> (Expr, Vec<(Ident, Expr)>) {
    pub(super) fn place(expr: &Expr, n: usize, out: &mut Vec<(Ident, Expr)>) -> Expr {
        match expr {
            Expr::Paren(e) => {
                Expr::Paren(syn::ExprParen { expr: Box::new(place(&e.expr, n, out)), ..e.clone() })
            }
            Expr::Reference(e) => {
                Expr::Reference(syn::ExprReference { expr: Box::new(place(&e.expr, n, out)), ..e.clone() })
            }
            Expr::Field(e) => {
                Expr::Field(syn::ExprField { base: Box::new(place(&e.base, n, out)), ..e.clone() })
            }
            Expr::MethodCall(e) => Expr::MethodCall(syn::ExprMethodCall {
                receiver: Box::new(place(&e.receiver, n, out)),
                ..e.clone()
            }),
            Expr::Index(e) => {
                let base = place(&e.expr, n, out);
                let temp = naming::place_index(n, out.len());
                out.push((temp.clone(), (*e.index).clone()));
                Expr::Index(syn::ExprIndex { expr: Box::new(base), index: parse_quote!(#temp), ..e.clone() })
            }
            other => other.clone(),
        }
    }
    let mut indexes = Vec::new();
    let place = place(arg, n, &mut indexes);
    (place, indexes)
}

/// `pat: ty`, unless the pattern already carries a type.
pub(super) fn ascribe(pat: &Pat, ty: &syn::Type) -> TokenStream {
    match pat {
        Pat::Type(_) => quote!(#pat),
        _ => quote!(#pat: #ty),
    }
}
