//! Places and plain values: where an expression's place is rooted, whether evaluating it can
//! change or observe anything.

use proc_macro2::Ident;
use syn::{Expr, UnOp};

/// For `&mut place` where the place is a local or fields and indexes of one: the local.
pub fn mut_borrowed_local(expr: &Expr) -> Option<&Ident> {
    match strip_parens(expr) {
        Expr::Reference(r) if r.mutability.is_some() => field_root(&r.expr),
        _ => None,
    }
}

/// Methods that view their receiver as a shared reference, with no arguments: an argument
/// `local.as_str()` borrows `local` as `&local` does.
const SHARED_VIEWS: &[&str] = &["as_str", "as_slice", "as_bytes", "as_path", "as_os_str"];

/// The local at the root of a shared borrow of a place in it: `&local`, `&local.field[i]`,
/// `local.as_str()`.
pub fn shared_borrowed_local(expr: &Expr) -> Option<&Ident> {
    match strip_parens(expr) {
        Expr::Reference(r) if r.mutability.is_none() => field_root(&r.expr),
        Expr::MethodCall(m) if m.args.is_empty() && SHARED_VIEWS.contains(&m.method.to_string().as_str()) => {
            field_root(&m.receiver)
        }
        _ => None,
    }
}

/// `expr` with the local `root` at the root of its place replaced by `with`.
pub fn replace_root(expr: &Expr, root: &Ident, with: &Expr) -> Expr {
    match expr {
        Expr::Path(p) if p.path.is_ident(root) => with.clone(),
        Expr::Paren(e) => {
            Expr::Paren(syn::ExprParen { expr: Box::new(replace_root(&e.expr, root, with)), ..e.clone() })
        }
        Expr::Reference(e) => Expr::Reference(syn::ExprReference {
            expr: Box::new(replace_root(&e.expr, root, with)),
            ..e.clone()
        }),
        Expr::Field(e) => {
            Expr::Field(syn::ExprField { base: Box::new(replace_root(&e.base, root, with)), ..e.clone() })
        }
        Expr::Index(e) => {
            Expr::Index(syn::ExprIndex { expr: Box::new(replace_root(&e.expr, root, with)), ..e.clone() })
        }
        Expr::MethodCall(e) => Expr::MethodCall(syn::ExprMethodCall {
            receiver: Box::new(replace_root(&e.receiver, root, with)),
            ..e.clone()
        }),
        other => other.clone(),
    }
}

/// The local at the root of a place made of fields and indexes (no derefs).
fn field_root(expr: &Expr) -> Option<&Ident> {
    match strip_parens(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        Expr::Field(f) => field_root(&f.base),
        Expr::Index(i) => field_root(&i.expr),
        _ => None,
    }
}

/// The local at the root of a place made of fields, indexes and derefs.
pub fn place_root(expr: &Expr) -> Option<&Ident> {
    match strip_parens(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        Expr::Field(f) => place_root(&f.base),
        Expr::Index(i) => place_root(&i.expr),
        Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => place_root(&u.expr),
        _ => None,
    }
}

/// `expr` without the parentheses and invisible groups around it.
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

/// A place expression: a path, or fields, indexes and derefs of one.
pub fn is_place(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Path(_) => true,
        Expr::Field(f) => is_place(&f.base),
        Expr::Index(i) => is_place(&i.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)),
        _ => false,
    }
}

pub fn contains_let(expr: &Expr) -> bool {
    match expr {
        Expr::Let(_) => true,
        Expr::Binary(b) => contains_let(&b.left) || contains_let(&b.right),
        Expr::Paren(p) => contains_let(&p.expr),
        _ => false,
    }
}

/// A value a recursive call cannot change, so it may be read after the call: literals, paths,
/// and places built from them. (The call reaches the caller's locals only through an argument
/// `&mut local`, which `operands` sees as a write by a later operand.)
pub fn is_stable(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) | Expr::Path(_) => true,
        Expr::Paren(p) => is_stable(&p.expr),
        Expr::Group(g) => is_stable(&g.expr),
        Expr::Field(f) => is_stable(&f.base),
        Expr::Index(i) => is_stable(&i.expr) && is_stable(&i.index),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && is_stable(&u.expr),
        Expr::Reference(r) => is_stable(&r.expr),
        _ => false,
    }
}

/// Whether a stable expression indexes (`v[i]`, `v[i].x`, `&v[i]`), which may panic.
pub fn has_index(expr: &Expr) -> bool {
    match expr {
        Expr::Index(_) => true,
        Expr::Paren(p) => has_index(&p.expr),
        Expr::Group(g) => has_index(&g.expr),
        Expr::Field(f) => has_index(&f.base),
        Expr::Unary(u) => has_index(&u.expr),
        Expr::Reference(r) => has_index(&r.expr),
        _ => false,
    }
}
