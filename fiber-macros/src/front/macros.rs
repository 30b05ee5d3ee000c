//! Recursive calls inside the macro invocations users write every day, rewritten into code the
//! machine can suspend in, each with its macro's evaluation rules:
//!
//! - `println!`, `print!`, `eprintln!`, `eprint!`, `format!`, `panic!`, `write!`, `writeln!`:
//!   the format arguments are evaluated once each, in order, then formatted:
//!   `match (f(x), y) { (a, b) => println!("{} {}", a, b) }`.
//! - `assert!(c, ..)`: `if !(c) { panic!(..) }` with the message (or "assertion failed: c")
//!   built only when it fails; `debug_assert!` only `if cfg!(debug_assertions)`.
//! - `assert_eq!(a, b, ..)` and `assert_ne!`: `a` then `b` evaluated, then compared and reported
//!   as the macro does; the `debug_` forms likewise.
//! - `vec![a, b]`, `vec![x; n]`: the elements in order.
//! - `matches!(e, p)`: `match e { p => true, _ => false }`.
//!
//! Any other macro with a recursive call inside stays, and `calls::check_body` reports it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Token};

use crate::front::model::Group;
use crate::naming;

/// Rewrites the known macro invocations in `block` that hold a recursive call.
pub fn desugar(block: &mut syn::Block, group: &Group) {
    Desugar { group, next: 0 }.visit_block_mut(block);
}

struct Desugar<'g, 'a> {
    group: &'g Group<'a>,
    next: usize,
}

impl VisitMut for Desugar<'_, '_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::Macro(mac) = expr {
            if let Some(desugared) = self.rewrite(&mac.mac) {
                *expr = desugared;
            }
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        visit_mut::visit_stmt_mut(self, stmt);
        if let syn::Stmt::Macro(mac) = stmt {
            if let Some(desugared) = self.rewrite(&mac.mac) {
                *stmt = syn::Stmt::Expr(desugared, mac.semi_token.or(Some(Default::default())));
            }
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
}

impl Desugar<'_, '_> {
    fn rewrite(&mut self, mac: &Macro) -> Option<Expr> {
        self.group.tokens_call(&mac.tokens)?;
        let name = mac.path.segments.last()?.ident.to_string();
        let path = &mac.path;
        match name.as_str() {
            "println" | "print" | "eprintln" | "eprint" | "format" | "panic" => {
                let args = parse_args(&mac.tokens)?;
                let (format, rest) = args.split_first()?;
                if !matches!(format, Expr::Lit(_)) {
                    return None;
                }
                self.evaluated_first(rest, |values| quote!(#path!(#format #(, #values)*)))
            }
            "write" | "writeln" => {
                let args = parse_args(&mac.tokens)?;
                let (dst, rest) = args.split_first()?;
                let (format, rest) = rest.split_first()?;
                if self.group.tokens_call(&quote!(#dst)).is_some() || !matches!(format, Expr::Lit(_)) {
                    return None;
                }
                self.evaluated_first(rest, |values| quote!(#path!(#dst, #format #(, #values)*)))
            }
            "assert" | "debug_assert" => {
                let args = parse_args(&mac.tokens)?;
                let (cond, message) = args.split_first()?;
                let original = cond_tokens(&mac.tokens);
                let panic = if message.is_empty() {
                    quote!(::core::panic!("assertion failed: {}", ::core::stringify!(#original)))
                } else {
                    quote!(::core::panic!(#(#message),*))
                };
                let check = quote!(if !(#cond) { #panic });
                let check = if name == "debug_assert" {
                    quote!(if ::core::cfg!(debug_assertions) { #check })
                } else {
                    check
                };
                syn::parse2(quote!({ #check })).ok()
            }
            "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => {
                let args = parse_args(&mac.tokens)?;
                if args.len() < 2 || args[2..].iter().any(|m| self.group.tokens_call(&quote!(#m)).is_some()) {
                    return None;
                }
                let message = &args[2..];
                let inner = Ident::new(name.trim_start_matches("debug_"), proc_macro2::Span::call_site());
                let rewritten = self.evaluated_first(
                    &args[..2],
                    |values| quote!(::core::#inner!(#(#values),* #(, #message)*)),
                )?;
                if name.starts_with("debug_") {
                    syn::parse2(quote!({ if ::core::cfg!(debug_assertions) { #rewritten } })).ok()
                } else {
                    Some(rewritten)
                }
            }
            "vec" => {
                if let Some((elem, count)) = parse_repeat(&mac.tokens) {
                    return self.evaluated_first(&[elem, count], |v| quote!(#path![#(#v);*]));
                }
                let args = parse_args(&mac.tokens)?;
                self.evaluated_first(&args, |values| quote!(#path![#(#values),*]))
            }
            "matches" => {
                let (scrutinee, pattern) = parse_matches(&mac.tokens)?;
                syn::parse2(quote!(match #scrutinee { #pattern => true, _ => false })).ok()
            }
            _ => None,
        }
    }

    /// `match (a, b, ..) { (v0, v1, ..) => body(v0, v1, ..) }`: the arguments evaluated once
    /// each, in order, before the macro runs; `name = value` arguments keep their names.
    fn evaluated_first(
        &mut self,
        args: &[Expr],
        body: impl FnOnce(Vec<TokenStream>) -> TokenStream,
    ) -> Option<Expr> {
        let mut values = Vec::new();
        let mut bound = Vec::new();
        let mut uses = Vec::new();
        for arg in args {
            let ident = naming::macro_argument(self.next);
            self.next += 1;
            match arg {
                Expr::Assign(assign) => {
                    let (name, value) = (&assign.left, &assign.right);
                    values.push(quote!(#value));
                    uses.push(quote!(#name = #ident));
                }
                other => {
                    values.push(quote!(#other));
                    uses.push(quote!(#ident));
                }
            }
            bound.push(ident);
        }
        let body = body(uses);
        syn::parse2(quote!(match (#(#values,)*) { (#(#bound,)*) => #body })).ok()
    }
}

/// A macro's arguments with `rewrite` applied to each, when they read as expressions: `a, b, ..`
/// (format and assert macros, `vec![a, b]`) or `elem; count` (`vec![elem; count]`). For code
/// that rewrites the calls a macro holds without desugaring the macro (the shadow of an `impl`).
pub fn map_arguments(tokens: &TokenStream, mut rewrite: impl FnMut(&mut Expr)) -> Option<TokenStream> {
    if let Some((mut elem, mut count)) = parse_repeat(tokens) {
        rewrite(&mut elem);
        rewrite(&mut count);
        return Some(quote!(#elem; #count));
    }
    let mut args = parse_args(tokens)?;
    args.iter_mut().for_each(rewrite);
    Some(quote!(#(#args),*))
}

fn parse_args(tokens: &TokenStream) -> Option<Vec<Expr>> {
    let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
    parser.parse2(tokens.clone()).ok().map(|args| args.into_iter().collect())
}

/// `elem; count` of `vec![elem; count]`.
fn parse_repeat(tokens: &TokenStream) -> Option<(Expr, Expr)> {
    let parser = |input: ParseStream| {
        let elem: Expr = input.parse()?;
        input.parse::<Token![;]>()?;
        let count: Expr = input.parse()?;
        Ok((elem, count))
    };
    parser.parse2(tokens.clone()).ok()
}

/// `expr, pattern` (with an optional guard) of `matches!`.
fn parse_matches(tokens: &TokenStream) -> Option<(Expr, TokenStream)> {
    let parser = |input: ParseStream| {
        let scrutinee: Expr = input.parse()?;
        input.parse::<Token![,]>()?;
        let rest: TokenStream = input.parse()?;
        Ok((scrutinee, rest))
    };
    let (scrutinee, mut pattern) = parser.parse2(tokens.clone()).ok()?;
    // A trailing comma is allowed after the pattern.
    let trimmed: Vec<_> = pattern.clone().into_iter().collect();
    if let Some(proc_macro2::TokenTree::Punct(p)) = trimmed.last() {
        if p.as_char() == ',' {
            pattern = trimmed[..trimmed.len() - 1].iter().cloned().collect();
        }
    }
    Some((scrutinee, pattern))
}

/// The condition's tokens as written, for `assert!`'s message.
fn cond_tokens(tokens: &TokenStream) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .take_while(|t| !matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::model::{FiberFn, Kind};

    fn desugared(body: &str) -> String {
        let item: syn::ItemFn = syn::parse_str(&format!("fn f(n: u64) -> u64 {{ {body} }}")).unwrap();
        let fns = [FiberFn::new(item, true)];
        let group = Group { fns: &fns, kind: &Kind::Fn };
        let mut block = (*fns[0].item.block).clone();
        desugar(&mut block, &group);
        quote!(#block).to_string()
    }

    #[test]
    fn known_macros_with_calls_become_code() {
        for body in [
            "println!(\"{} {}\", f(n - 1), n); 0",
            "let s = format!(\"{x}{}\", f(1), x = f(2)); 0",
            "assert!(f(n) > 0); 0",
            "assert!(f(n) > 0, \"{}\", n); 0",
            "debug_assert!(f(n) > 0); 0",
            "assert_eq!(f(n), 1); 0",
            "debug_assert_ne!(f(n), 1, \"m\"); 0",
            "let v = vec![f(1), f(2)]; 0",
            "let v = vec![f(1); 3]; 0",
            "if matches!(f(n), 0..=3 if f(1) > 0) { 1 } else { 0 }",
        ] {
            let out = desugared(body);
            let macros_left = ["println", "format", "assert", "vec", "matches"]
                .iter()
                .filter(|m| out.contains(&format!("{m} ! (f")) || out.contains(&format!("{m} ! [f")))
                .count();
            assert_eq!(macros_left, 0, "{body}: {out}");
        }
    }

    #[test]
    fn other_macros_are_left_alone() {
        assert!(desugared("my_macro!(f(n)); 0").contains("my_macro ! (f (n))"));
        assert!(desugared("println!(\"{}\", n); 0").contains("println ! (\"{}\" , n)"));
    }
}
