//! Whether a type or a value has drop glue, as far as syntax shows: references, primitives and
//! the values of literals, comparisons and casts to them have none.

use syn::{BinOp, Expr, Type};

use crate::syntax::known::DROP_FREE_RESULT_METHODS;
use crate::syntax::places::strip_parens;

/// Whether a value of type `ty` has no drop glue, as far as syntax shows.
pub fn type_is_drop_free(ty: &Type) -> bool {
    match ty {
        Type::Reference(_) | Type::Ptr(_) | Type::Never(_) | Type::FnPtr(_) => true,
        Type::Paren(t) => type_is_drop_free(&t.elem),
        Type::Group(t) => type_is_drop_free(&t.elem),
        Type::Tuple(t) => t.elems.iter().all(type_is_drop_free),
        Type::Array(t) => type_is_drop_free(&t.elem),
        Type::Path(p) if p.qself.is_none() => p.path.get_ident().is_some_and(|ident| {
            matches!(
                ident.to_string().as_str(),
                "u8" | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "f32"
                    | "f64"
                    | "bool"
                    | "char"
            )
        }),
        _ => false,
    }
}

/// Whether the value of `expr` has no drop glue, as far as syntax shows.
pub fn value_is_drop_free(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Lit(_) | Expr::Reference(_) | Expr::RawAddr(_) => true,
        Expr::Cast(cast) => type_is_drop_free(&cast.ty),
        Expr::Binary(bin) => is_comparison(&bin.op) || matches!(bin.op, BinOp::And(_) | BinOp::Or(_)),
        Expr::MethodCall(m) => DROP_FREE_RESULT_METHODS.contains(&m.method.to_string().as_str()),
        // `[0u8; 1 << 20]`, `[a as u64, 1]`, `(1, &v)`: built of drop-free values.
        Expr::Repeat(r) => value_is_drop_free(&r.expr),
        Expr::Array(a) => !a.elems.is_empty() && a.elems.iter().all(value_is_drop_free),
        Expr::Tuple(t) => t.elems.iter().all(value_is_drop_free),
        _ => false,
    }
}

pub fn is_comparison(op: &BinOp) -> bool {
    matches!(op, BinOp::Eq(_) | BinOp::Ne(_) | BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn drop_free_types_and_values() {
        for ty in
            [parse_quote!(u64), parse_quote!(&[T]), parse_quote!((usize, &mut T)), parse_quote!([i8; 4])]
        {
            assert!(type_is_drop_free(&ty));
        }
        for ty in [parse_quote!(T), parse_quote!(String), parse_quote!(Vec<u8>), parse_quote!(impl Fn())] {
            assert!(!type_is_drop_free(&ty));
        }
        for expr in [
            parse_quote!(1),
            parse_quote!("s"),
            parse_quote!(&v),
            parse_quote!(n as u64),
            parse_quote!(a < b),
            parse_quote!(xs.split_at_mut(1)),
            parse_quote!([n as u8; 1 << 20]),
            parse_quote!((1, [2.0, 3.5], &v)),
        ] {
            assert!(value_is_drop_free(&expr));
        }
        assert!(!value_is_drop_free(&parse_quote!(n + 1)));
    }
}
