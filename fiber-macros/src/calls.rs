//! Which calls are recursive. The macro sees no types, so calls are classified by syntax: a call
//! `name(args)` whose path is a single identifier naming a fn of the group is recursive.

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall};

use crate::check::Errors;
use crate::model::FiberFn;

/// The fns of one group, by name.
pub struct Group<'a> {
    pub fns: &'a [FiberFn],
    /// The `#[fiber] mod` that holds them, if any.
    pub module: Option<&'a Ident>,
    /// The type of the `#[fiber] impl` that holds them (its last path segment), if any.
    pub self_ty: Option<&'a Ident>,
}

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
        let module = self.module.map(Ident::to_string);
        let self_ty = self.self_ty.map(Ident::to_string);
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

    fn index_of(&self, ident: &Ident) -> Option<usize> {
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

fn turbofish(call: &ExprCall) -> Option<&syn::PathArguments> {
    match strip_parens(&call.func) {
        Expr::Path(path) => Some(&path.path.segments.last()?.arguments).filter(|a| !a.is_none()),
        _ => None,
    }
}

pub fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

/// `+=`, `-=` and the other operators that assign to their left operand.
pub fn is_compound_assign(op: &syn::BinOp) -> bool {
    matches!(
        op,
        syn::BinOp::AddAssign(_)
            | syn::BinOp::SubAssign(_)
            | syn::BinOp::MulAssign(_)
            | syn::BinOp::DivAssign(_)
            | syn::BinOp::RemAssign(_)
            | syn::BinOp::BitXorAssign(_)
            | syn::BinOp::BitAndAssign(_)
            | syn::BinOp::BitOrAssign(_)
            | syn::BinOp::ShlAssign(_)
            | syn::BinOp::ShrAssign(_)
    )
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

/// Rejects the recursive calls the machine cannot suspend at, and calls it cannot build.
pub fn check_body(group: &Group, f: &FiberFn, errors: &mut Errors) {
    let mut checker = Checker { group, f, errors, closure: None };
    checker.visit_block(&f.item.block);
}

struct Checker<'g, 'a, 'e> {
    group: &'g Group<'a>,
    /// The fn whose body this is.
    f: &'g FiberFn,
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
            } else if let Some(arguments) = turbofish(call) {
                self.errors.error(
                    arguments,
                    "a recursive call cannot name generic arguments: the fiber's machine \
                     runs at one instantiation of its generics\nhelp: remove the turbofish",
                );
            } else if std::ptr::eq(callee, self.f)
                && self.group.fns.len() == 1
                && self.group.self_ty.is_none()
            {
                // A group's fns and an impl's methods have `traded::check`.
                self.check_traded_references(call);
            }
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
    /// A reference parameter passed (or reborrowed) in another reference parameter's place, with
    /// lifetimes that differ: the frame keeps one type per parameter across every call, so the
    /// two would have to meet in a lifetime the fn's opaque return type cannot name (E0700).
    fn check_traded_references(&mut self, call: &ExprCall) {
        for (i, arg) in call.args.iter().enumerate() {
            let Some(root) = argument_root(arg) else { continue };
            let Some(j) = self.f.params.iter().position(|p| p.outer == root && p.receiver.is_none()) else {
                continue;
            };
            let (target, source) = (&self.f.params[i], &self.f.params[j]);
            if i == j || !has_reference(&target.ty) || same_named_lifetimes(&target.ty, &source.ty) {
                continue;
            }
            self.errors.error(
                arg,
                format!(
                    "`{}` is passed in the place of `{}`: a fiber keeps one type for each \
                     parameter across all its calls, so reference parameters that trade places \
                     need one lifetime\nhelp: name one lifetime for both, e.g. `{}: &'a ..` and \
                     `{}: &'a ..` with `<'a>` on the fn",
                    source.outer, target.outer, target.outer, source.outer
                ),
            );
        }
    }

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

/// The local or parameter an argument passes or borrows from, where syntax shows it: `xs`,
/// `&xs[1..]`, `xs.iter()`.
pub fn argument_root(arg: &Expr) -> Option<Ident> {
    match strip_parens(arg) {
        Expr::Path(p) => p.path.get_ident().cloned(),
        other => crate::borrows::classify_expr(other).map(|b| b.root),
    }
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

/// Both types' lifetimes are named, and the same.
fn same_named_lifetimes(a: &syn::Type, b: &syn::Type) -> bool {
    let (a, b) = (lifetimes(a), lifetimes(b));
    a.iter().chain(&b).all(Option::is_some) && {
        let (mut a, mut b) = (a, b);
        a.sort();
        a.dedup();
        b.sort();
        b.dedup();
        a == b
    }
}
