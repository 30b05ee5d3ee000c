//! Which locals a value may borrow: whether it may hold a borrow of a local the frame owns (then
//! the local cannot be saved by itself), and which locals an argument borrows from.

use std::collections::BTreeSet;

use proc_macro2::Ident;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Token};

use crate::syntax::free_vars;
use crate::syntax::known::{FORMAT_MACROS, OWNED_RESULT_METHODS};
use crate::syntax::places::{place_root, strip_parens};

/// What a name refers to, for [`may_borrow`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Local {
    /// Not a local of the frame, or a parameter holding a reference from outside it:
    /// borrowing through it borrows nothing of the frame.
    Outside,
    /// A local whose value the frame owns.
    Owned,
    /// A local whose value may hold a borrow of an owned local.
    Carrier,
}

/// Whether the value of `expr` may hold a borrow of an owned local of the frame.
pub fn may_borrow(expr: &Expr, local: &dyn Fn(&str) -> Local) -> bool {
    let mut borrows = Borrows { local, found: false };
    borrows.visit_expr(expr);
    borrows.found
}

/// The locals that `expr` borrows from while it is evaluated or while its value lives: the
/// roots of the places it takes a reference to or calls a method on. Such a local cannot move
/// into the frame at a call whose arguments are `expr`.
pub fn borrowed_roots(expr: &Expr) -> Vec<Ident> {
    struct Roots(Vec<Ident>);
    impl<'ast> Visit<'ast> for Roots {
        fn visit_expr_reference(&mut self, r: &'ast syn::ExprReference) {
            self.0.extend(place_root(&r.expr).cloned());
            visit::visit_expr_reference(self, r);
        }
        fn visit_expr_raw_addr(&mut self, r: &'ast syn::ExprRawAddr) {
            self.0.extend(place_root(&r.expr).cloned());
            visit::visit_expr_raw_addr(self, r);
        }
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            self.0.extend(place_root(&m.receiver).cloned());
            visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
            let names = free_vars::of_expr(&Expr::Closure(c.clone()));
            self.0.extend(names.into_iter().map(|n| Ident::new(&n, proc_macro2::Span::call_site())));
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut roots = Roots(Vec::new());
    roots.visit_expr(expr);
    roots.0
}

/// Whether `pat` binds by reference (`ref x`): its bindings then borrow the matched value.
pub fn binds_by_ref(pat: &Pat) -> bool {
    free_vars::bindings(pat).iter().any(|b| b.by_ref)
}

struct Borrows<'l> {
    local: &'l dyn Fn(&str) -> Local,
    found: bool,
}

impl Borrows<'_> {
    fn local_of(&self, expr: &Expr) -> Local {
        match place_root(expr) {
            Some(ident) => (self.local)(&ident.to_string()),
            None => Local::Outside,
        }
    }

    fn any_local(&mut self, names: BTreeSet<String>) {
        if names.iter().any(|name| (self.local)(name) != Local::Outside) {
            self.found = true;
        }
    }
}

impl<'ast> Visit<'ast> for Borrows<'_> {
    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let (None, Some(ident)) = (&p.qself, p.path.get_ident()) {
            if (self.local)(&ident.to_string()) == Local::Carrier {
                self.found = true;
            }
        }
    }

    fn visit_expr_reference(&mut self, r: &'ast syn::ExprReference) {
        if self.local_of(&r.expr) == Local::Owned {
            self.found = true;
        }
        visit::visit_expr_reference(self, r);
    }

    fn visit_expr_raw_addr(&mut self, r: &'ast syn::ExprRawAddr) {
        if self.local_of(&r.expr) == Local::Owned {
            self.found = true;
        }
        visit::visit_expr_raw_addr(self, r);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let owned = OWNED_RESULT_METHODS.contains(&m.method.to_string().as_str());
        if !owned && self.local_of(&m.receiver) == Local::Owned {
            self.found = true;
        }
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        // `Iterator::next(&mut it)`, as `for` loops desugar: the item borrows only what the
        // iterator does.
        let is_next = matches!(strip_parens(&c.func), Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "next"));
        match (is_next, c.args.first().map(strip_parens)) {
            (true, Some(Expr::Reference(r))) if c.args.len() == 1 => self.visit_expr(&r.expr),
            _ => visit::visit_expr_call(self, c),
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.any_local(free_vars::of_expr(&Expr::Closure(c.clone())));
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if FORMAT_MACROS.contains(&name.as_str()) {
            return;
        }
        match mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            Ok(args) if name == "vec" => args.iter().for_each(|a| self.visit_expr(a)),
            _ => self.any_local(free_vars::of_expr(&Expr::Macro(syn::ExprMacro {
                attrs: Vec::new(),
                mac: mac.clone(),
            }))),
        }
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        if p.by_ref.is_some() {
            self.found = true;
        }
        visit::visit_pat_ident(self, p);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn borrows_of_owned_locals() {
        let local = |name: &str| match name {
            "v" => Local::Owned,
            "r" => Local::Carrier,
            "xs" => Local::Outside,
            _ => Local::Outside,
        };
        let borrows = |expr: Expr| may_borrow(&expr, &local);
        assert!(borrows(parse_quote!(&v)));
        assert!(borrows(parse_quote!(v.first())));
        assert!(borrows(parse_quote!(g(&v[1..]))));
        assert!(borrows(parse_quote!(r)));
        assert!(borrows(parse_quote!(|| v.len())));
        assert!(borrows(parse_quote!(match v {
            ref x => x,
        })));
        assert!(!borrows(parse_quote!(v.len())));
        assert!(!borrows(parse_quote!(v.clone())));
        assert!(!borrows(parse_quote!(Loud::new(v))));
        assert!(!borrows(parse_quote!(xs.first())));
        assert!(!borrows(parse_quote!(format!("{:?}", &v))));
        assert!(!borrows(parse_quote!(::core::iter::Iterator::next(&mut v))));
        assert!(borrows(parse_quote!(::core::iter::Iterator::next(&mut r))));
    }
}
