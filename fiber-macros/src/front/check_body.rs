//! What `#[fiber]` cannot support inside a body, each as an error on the user's token with a
//! hint: recursive calls the machine cannot suspend at (in closures, async blocks, unknown
//! macros), and calls it cannot build. Every message here has a ui test under `tests/ui/`.

use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall};

use crate::errors::Errors;
use crate::front::model::{FiberFn, Group};
use crate::syntax::places::strip_parens;

/// Rejects the recursive calls the machine cannot suspend at, and calls it cannot build.
pub fn check_body(group: &Group, f: &FiberFn, errors: &mut Errors) {
    let mut checker = Checker { group, errors, closure: None };
    checker.visit_block(&f.item.block);
}

struct Checker<'g, 'a, 'e> {
    group: &'g Group<'a>,
    errors: &'e mut Errors,
    /// Inside a closure or async block: what to call it in a message.
    closure: Option<&'static str>,
}

impl<'ast> Visit<'ast> for Checker<'_, '_, '_> {
    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        if let Some(index) = self.group.callee(call) {
            let callee = &self.group.fns[index];
            if self.closure.is_some() {
                self.in_closure(&call.func);
            } else if call.args.len() != callee.params.len() {
                self.errors.error(
                    call,
                    format!(
                        "this recursive call passes {} argument(s), but `{}` takes {}",
                        call.args.len(),
                        callee.name(),
                        callee.params.len()
                    ),
                );
            } else if let Some(arguments) = turbofish(call).filter(|a| !names_own_generics(a, callee)) {
                self.errors.error(
                    arguments,
                    format!(
                        "a recursive call at generic arguments other than `{0}`'s own: the \
                         fiber's machine runs at one instantiation of its generics\nhelp: call \
                         `{0}` at the same instantiation (leave the arguments out, or name its \
                         own parameters in order)",
                        callee.name()
                    ),
                );
            }
        }
        if let Some(arguments) = self.typed_self_call(call) {
            self.errors.error(
                arguments,
                "a recursive call cannot name the type's generic arguments: the fiber's machine \
                 runs at one instantiation of the impl's generics\nhelp: call it through `Self::` \
                 at the same instantiation",
            );
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if self.group.method_callee(call).is_some() && self.closure.is_some() {
            self.in_closure(&call.method);
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        let outer = self.closure.replace("a closure");
        visit::visit_expr_closure(self, closure);
        self.closure = outer;
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        let outer = self.closure.replace("an async block");
        visit::visit_expr_async(self, block);
        self.closure = outer;
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `stringify!` never runs its tokens (`assert!`'s message quotes the condition with it).
        if mac.path.segments.last().is_some_and(|s| s.ident == "stringify") {
            return;
        }
        if let Some(name) = self.group.tokens_call(&mac.tokens) {
            self.errors.error(
                name,
                "`#[fiber]` cannot see into this macro invocation to suspend the recursive call in it \
                 (it rewrites `println!`, `format!`, `write!`, `panic!`, `assert!`, `assert_eq!`, \
                 `vec!`, `matches!` and their kin)\n\
                 help: bind the call to a `let` first and pass the variable to the macro",
            );
        }
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if let syn::Item::Static(s) = item {
            self.errors.error(
                &s.ident,
                "a `static` inside a fiber fn is not supported: the machine copies the code \
                 around each recursive call, and each copy would have its own `static`\n\
                 help: declare the `static` outside the fn",
            );
        }
    }
}

impl Checker<'_, '_, '_> {
    fn in_closure(&mut self, call: impl quote::ToTokens) {
        let kind = self.closure.unwrap_or("a closure");
        self.errors.error(
            call,
            format!(
                "a recursive call inside {kind} cannot run on the fiber's heap stack: \
                 {kind} is a separate function the machine cannot suspend\n\
                 help: make the call outside {kind}, e.g. with a `for` loop instead of \
                 an iterator adaptor"
            ),
        );
    }
}

impl Checker<'_, '_, '_> {
    /// `Node::<i8>::build(..)` calling the method `build` of `impl<T> Node<T>`: the type's
    /// arguments as written. The macro cannot tell `Node::<T>` from another instantiation.
    fn typed_self_call<'c>(&self, call: &'c ExprCall) -> Option<&'c syn::PathArguments> {
        let self_ty = self.group.self_ty()?;
        let Expr::Path(path) = strip_parens(&call.func) else { return None };
        let [ty, method] = path.path.segments.iter().collect::<Vec<_>>()[..] else { return None };
        self.group.index_of(&method.ident)?;
        (path.qself.is_none() && ty.ident == *self_ty && !ty.arguments.is_none()).then_some(&ty.arguments)
    }
}

/// `f::<T, N>(..)` naming `f`'s own type and const parameters in order: the same instantiation.
fn names_own_generics(arguments: &syn::PathArguments, callee: &FiberFn) -> bool {
    let syn::PathArguments::AngleBracketed(arguments) = arguments else { return false };
    let written: Vec<String> = arguments
        .args
        .iter()
        .filter(|a| !matches!(a, syn::GenericArgument::Lifetime(_)))
        .map(|a| quote::quote!(#a).to_string())
        .collect();
    let own: Vec<String> = callee
        .item
        .sig
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(c) => Some(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    written == own
}

fn turbofish(call: &ExprCall) -> Option<&syn::PathArguments> {
    match strip_parens(&call.func) {
        Expr::Path(path) => Some(&path.path.segments.last()?.arguments).filter(|a| !a.is_none()),
        _ => None,
    }
}
