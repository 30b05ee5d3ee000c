//! Which calls are recursive. The macro sees no types, so calls are classified by syntax: a call
//! `name(args)` whose path is a single identifier naming a fn of the group is recursive.

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall};

use crate::front::model::Group;
use crate::syntax::places::strip_parens;

/// A recursive call found by syntax: the callee, and its arguments with a method call's
/// receiver first.
pub struct RecursiveCall {
    pub callee: usize,
    pub args: Vec<Expr>,
    /// For a method call, the method's name: the receiver is `args[0]`, to be adjusted as
    /// method calls adjust it.
    pub method: Option<Ident>,
}

impl Group<'_> {
    /// The index of the group fn `call` calls, if it is a recursive call: `name(..)`,
    /// `self::name(..)`, and in a module `m`, `m::name(..)` and `super::m::name(..)`.
    pub fn callee(&self, call: &ExprCall) -> Option<usize> {
        let Expr::Path(path) = strip_parens(&call.func) else { return None };
        if path.qself.is_some() || path.path.leading_colon.is_some() {
            return None;
        }
        let segments: Vec<_> = path.path.segments.iter().collect();
        let (last, prefix) = segments.split_last()?;
        if prefix.iter().any(|s| !s.arguments.is_none()) {
            return None;
        }
        let prefix: Vec<String> = prefix.iter().map(|s| s.ident.to_string()).collect();
        let module = self.module().map(Ident::to_string);
        let self_ty = self.self_ty().map(Ident::to_string);
        let in_group = match prefix.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            [] | ["self"] => self_ty.is_none(),
            ["Self"] => self_ty.is_some(),
            [m] if self_ty.as_deref() == Some(m) => true,
            [m] | ["super", m] => module.as_deref() == Some(m),
            _ => false,
        };
        if !in_group {
            return None;
        }
        self.index_of(&last.ident)
    }

    /// The index of the group method `call` calls, if it is a recursive call: a method of the
    /// group with a receiver, called by name with its arity and without turbofish.
    pub fn method_callee(&self, call: &ExprMethodCall) -> Option<usize> {
        if call.turbofish.is_some() {
            return None;
        }
        let index = self.index_of(&call.method)?;
        let params = &self.fns[index].params;
        let has_receiver = params.first().is_some_and(|p| p.receiver.is_some());
        (has_receiver && params.len() == call.args.len() + 1).then_some(index)
    }

    /// `expr` as a recursive call, if it is one.
    pub fn recursive_call(&self, expr: &Expr) -> Option<RecursiveCall> {
        match strip_parens(expr) {
            Expr::Call(call) => {
                let callee = self.callee(call)?;
                Some(RecursiveCall { callee, args: call.args.iter().cloned().collect(), method: None })
            }
            Expr::MethodCall(call) => {
                let callee = self.method_callee(call)?;
                let args =
                    std::iter::once((*call.receiver).clone()).chain(call.args.iter().cloned()).collect();
                Some(RecursiveCall { callee, args, method: Some(call.method.clone()) })
            }
            _ => None,
        }
    }

    pub fn index_of(&self, ident: &Ident) -> Option<usize> {
        self.fns.iter().position(|f| f.name() == ident)
    }

    /// Whether `expr` contains a recursive call outside closures, async blocks and items
    /// (`check_body` rejects calls in those).
    pub fn contains_call(&self, expr: &Expr) -> bool {
        let mut finder = Finder { group: self, found: false };
        finder.visit_expr(expr);
        finder.found
    }

    /// Whether a macro's tokens look like they contain a call to a group fn, `name (..)`, or to
    /// a group method, `.name (..)` with the method's argument count.
    pub fn tokens_call(&self, tokens: &TokenStream) -> Option<Ident> {
        let mut prev: Option<char> = None;
        let mut stringify = false;
        let mut iter = tokens.clone().into_iter().peekable();
        while let Some(tt) = iter.next() {
            // `stringify!(..)` never runs its tokens.
            if stringify && matches!(&tt, TokenTree::Group(_)) {
                stringify = false;
                prev = None;
                continue;
            }
            stringify = match &tt {
                TokenTree::Ident(ident) => ident == "stringify",
                TokenTree::Punct(p) => stringify && p.as_char() == '!',
                _ => false,
            };
            match &tt {
                TokenTree::Ident(ident) => {
                    if let (Some(index), Some(TokenTree::Group(g))) = (self.index_of(ident), iter.peek()) {
                        let params = &self.fns[index].params;
                        let is_call = g.delimiter() == proc_macro2::Delimiter::Parenthesis
                            && match prev {
                                Some('.') => {
                                    params.first().is_some_and(|p| p.receiver.is_some())
                                        && count_args(&g.stream()) + 1 == params.len()
                                }
                                Some(':') => false,
                                _ => true,
                            };
                        if is_call {
                            return Some(ident.clone());
                        }
                    }
                }
                TokenTree::Group(g) => {
                    if let Some(found) = self.tokens_call(&g.stream()) {
                        return Some(found);
                    }
                }
                _ => {}
            }
            prev = match &tt {
                TokenTree::Punct(p) => Some(p.as_char()),
                _ => None,
            };
        }
        None
    }
}

/// The number of comma-separated arguments in a call's parenthesized tokens.
fn count_args(tokens: &TokenStream) -> usize {
    let mut count = 0;
    let mut pending = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                count += usize::from(pending);
                pending = false;
            }
            _ => pending = true,
        }
    }
    count + usize::from(pending)
}

struct Finder<'g, 'a> {
    group: &'g Group<'a>,
    found: bool,
}

impl<'ast> Visit<'ast> for Finder<'_, '_> {
    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        if self.group.callee(call).is_some() {
            self.found = true;
        }
        visit::visit_expr_call(self, call);
    }
    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if self.group.method_callee(call).is_some() {
            self.found = true;
        }
        visit::visit_expr_method_call(self, call);
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

pub fn has_reference(ty: &syn::Type) -> bool {
    !lifetimes(ty).is_empty()
}

/// The lifetimes of a type's references and lifetime arguments, `None` for an elided one.
pub fn lifetimes(ty: &syn::Type) -> Vec<Option<String>> {
    struct Collect(Vec<Option<String>>);
    impl<'ast> Visit<'ast> for Collect {
        fn visit_type_reference(&mut self, r: &'ast syn::TypeReference) {
            self.0.push(r.lifetime.as_ref().map(|l| l.ident.to_string()).filter(|l| l != "_"));
            visit::visit_type_reference(self, r);
        }
        fn visit_lifetime(&mut self, l: &'ast syn::Lifetime) {
            self.0.push(Some(l.ident.to_string()).filter(|l| l != "_"));
        }
    }
    let mut collect = Collect(Vec::new());
    collect.visit_type(ty);
    collect.0
}
