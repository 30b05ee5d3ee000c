//! Which local an expression borrows, where syntax shows it: `&v`, `&v.field`, `&v[i]`,
//! `v.iter()`, a `for` loop's `IntoIterator::into_iter(&v)`.

use proc_macro2::{Ident, TokenStream};
use quote::ToTokens;
use syn::{Expr, Pat};

use crate::syntax::known::{LAZY_ADAPTERS, VIEW_METHODS};
use crate::syntax::places::strip_parens;

/// How a `let` initializer borrows a local.
#[derive(Clone)]
pub struct LocalBorrow {
    /// The borrowed local, by name (resolved by the caller).
    pub root: Ident,
    /// `&v` or `&mut v`: the local itself, not something it refers to.
    pub whole: bool,
    /// The initializer is a `for` loop's iterator.
    pub for_loop: bool,
    /// The borrowing expression, for the error's span.
    pub expr: TokenStream,
}

/// The borrows of a local's place (`&v`, `&v.field`) inside a value that `expr` builds around
/// them: an enum variant or tuple struct (`Some(&v)`), a struct literal, a tuple or an array,
/// nested. Such a value holds the borrow for as long as it lives.
pub fn built_around(expr: &Expr) -> Vec<LocalBorrow> {
    fn walk(expr: &Expr, inside: bool, out: &mut Vec<LocalBorrow>) {
        let mut each = |exprs: &mut dyn Iterator<Item = &Expr>| exprs.for_each(|e| walk(e, true, out));
        match strip_parens(expr) {
            Expr::Reference(r) if inside => {
                let root = match strip_parens(&r.expr) {
                    Expr::Path(_) => ident_of(&r.expr),
                    Expr::Field(f) => ident_of(&f.base),
                    Expr::Index(i) => ident_of(&i.expr),
                    _ => None,
                };
                if let Some(root) = root {
                    out.push(LocalBorrow { root, whole: true, for_loop: false, expr: r.to_token_stream() });
                }
            }
            Expr::Call(call) if is_constructor(&call.func) => each(&mut call.args.iter()),
            Expr::Struct(s) => each(&mut s.fields.iter().map(|f| &f.expr)),
            Expr::Tuple(t) => each(&mut t.elems.iter()),
            Expr::Array(a) => each(&mut a.elems.iter()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(expr, false, &mut out);
    out
}

/// `Some`, `Ok`, `Wrapper`, `Tree::Node`: a path whose last segment starts with a capital.
fn is_constructor(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with(|c: char| c.is_uppercase())))
}

/// What `init`, the initializer of `let pat = init;`, borrows from a local named by a plain
/// identifier, when syntax shows it.
pub fn classify(pat: &Pat, init: &Expr) -> Option<LocalBorrow> {
    if !binds_one_name(pat) {
        return None;
    }
    classify_expr(init)
}

/// What `expr` borrows from a local named by a plain identifier, when syntax shows it.
pub fn classify_expr(init: &Expr) -> Option<LocalBorrow> {
    let (init, for_loop) = match strip_parens(init) {
        Expr::Call(call) if is_into_iter(&call.func) && call.args.len() == 1 => (&call.args[0], true),
        other => (other, false),
    };
    let expr = init.to_token_stream();
    match strip_parens(init) {
        Expr::Reference(r) => {
            if let Some(root) = ident_of(&r.expr) {
                return Some(LocalBorrow { root, whole: true, for_loop, expr });
            }
            let root = match strip_parens(&r.expr) {
                Expr::Field(f) => ident_of(&f.base)?,
                Expr::Index(i) => ident_of(&i.expr)?,
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => ident_of(&u.expr)?,
                _ => return None,
            };
            Some(LocalBorrow { root, whole: false, for_loop, expr })
        }
        Expr::MethodCall(m) if VIEW_METHODS.contains(&m.method.to_string().as_str()) => {
            let root = ident_of(&m.receiver)?;
            Some(LocalBorrow { root, whole: false, for_loop, expr })
        }
        // `v.iter().enumerate().filter(..)`: the adapters hold the view of `v`.
        Expr::MethodCall(m) if LAZY_ADAPTERS.contains(&m.method.to_string().as_str()) => {
            let inner = classify_expr(&m.receiver)?;
            (!inner.whole).then_some(LocalBorrow { root: inner.root, whole: false, for_loop, expr })
        }
        _ => None,
    }
}

/// What the `ref` bindings of `pat` borrow when it is matched against `place` (`let ref mut r
/// = v;`, `if let Some(ref mut x) = opt`, `let (ref a, _) = pair.1`): the local itself for a
/// plain name, through it for a field of one.
pub fn classify_ref_bindings(pat: &Pat, place: &Expr) -> Option<LocalBorrow> {
    if !crate::syntax::free_vars::bindings(pat).iter().any(|b| b.by_ref) {
        return None;
    }
    let expr = place.to_token_stream();
    if let Some(root) = ident_of(place) {
        return Some(LocalBorrow { root, whole: true, for_loop: false, expr });
    }
    let mut base = strip_parens(place);
    while let Expr::Field(field) = base {
        base = strip_parens(&field.base);
    }
    let root = ident_of(base).filter(|_| matches!(strip_parens(place), Expr::Field(_)))?;
    Some(LocalBorrow { root, whole: false, for_loop: false, expr })
}

/// The local a method call's receiver borrows when the call auto-borrows it (`x.m()`,
/// `x.left.m()` with `m(&self)`): the root of a place of fields and indexes.
pub fn receiver_root(receiver: &Expr) -> Option<LocalBorrow> {
    let mut place = strip_parens(receiver);
    loop {
        place = match place {
            Expr::Field(f) => strip_parens(&f.base),
            Expr::Index(i) => strip_parens(&i.expr),
            _ => break,
        };
    }
    let root = ident_of(place)?;
    Some(LocalBorrow { root, whole: false, for_loop: false, expr: receiver.to_token_stream() })
}

fn binds_one_name(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(p) => p.subpat.is_none() && p.by_ref.is_none(),
        Pat::Type(t) => binds_one_name(&t.pat),
        _ => false,
    }
}

fn is_into_iter(func: &Expr) -> bool {
    match func {
        Expr::Path(p) => {
            let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            segments.ends_with(&["IntoIterator".to_owned(), "into_iter".to_owned()])
        }
        _ => false,
    }
}

fn ident_of(expr: &Expr) -> Option<Ident> {
    match strip_parens(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn classified(pat: Pat, init: Expr) -> Option<(String, bool, bool)> {
        classify(&pat, &init).map(|b| (b.root.to_string(), b.whole, b.for_loop))
    }

    #[test]
    fn borrows_of_a_local_whole() {
        assert_eq!(classified(parse_quote!(r), parse_quote!(&v)), Some(("v".into(), true, false)));
        assert_eq!(classified(parse_quote!(mut r), parse_quote!((&mut v))), Some(("v".into(), true, false)));
        let into_iter = parse_quote!(::fiber_runtime::__private::IntoIterator::into_iter(&v));
        assert_eq!(classified(parse_quote!(mut it), into_iter), Some(("v".into(), true, true)));
    }

    #[test]
    fn borrows_through_a_local() {
        for init in [
            parse_quote!(&v.f),
            parse_quote!(&v[1..]),
            parse_quote!(&*v),
            parse_quote!(v.iter()),
            parse_quote!(v.chars().enumerate().filter(h).rev()),
        ] {
            assert_eq!(classified(parse_quote!(r), init), Some(("v".into(), false, false)));
        }
    }

    #[test]
    fn values_and_deeper_places_are_left_to_rustc() {
        for init in [
            parse_quote!(v),
            parse_quote!(v.len()),
            parse_quote!(&v.a.b),
            parse_quote!(g(&v)),
            parse_quote!(&self::V),
            parse_quote!(v.iter().map(h).sum()),
            parse_quote!(v.clone().into_iter().map(h)),
        ] {
            assert_eq!(classified(parse_quote!(r), init), None);
        }
        assert_eq!(classified(parse_quote!((a, b)), parse_quote!(&v)), None);
    }
}
