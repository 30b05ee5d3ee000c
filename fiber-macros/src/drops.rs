//! Drops at the end of scope: which bindings the frame keeps until their scope ends.
//!
//! Native code drops a local at the end of its scope, after any recursive call made in that
//! scope. A state of the machine ends at each call, and so do the lives of the locals it did
//! not save: a binding the code after a call no longer reads would be dropped before the
//! callee runs. So a binding whose drop may be observable counts its drop as a use at the end
//! of its scope (see `liveness`), and the frame keeps it until then. The macro sees no types
//! and no borrow checker, so it keeps a binding only where syntax shows that keeping it
//! compiles and is what native code does; elsewhere the binding drops at the next call, as
//! before:
//!
//! - its type may have drop glue: not a reference, a primitive or a literal's value;
//! - no expression in the body may move it, or part of it (`g(x)`, `let y = x.field`,
//!   `x.into_iter()`): a moved binding has nothing left to drop, and one moved on some paths
//!   only needs a drop flag that lives in rustc, not in the frame;
//! - its value holds no borrow of another local, which the frame could not hold with it;
//! - no other binding of the same name shadows it, since states are saved by name.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Pat, Token, Type, UnOp};

use crate::calls::{is_compound_assign, strip_parens};
use crate::free_vars;

/// Methods that take their receiver by reference: calling one does not move the receiver.
/// Any other method may take `self` by value.
const BORROWING_METHODS: &[&str] = &[
    "any",
    "all",
    "append",
    "as_bytes",
    "as_deref",
    "as_deref_mut",
    "as_mut",
    "as_mut_slice",
    "as_ref",
    "as_slice",
    "as_str",
    "binary_search",
    "borrow",
    "borrow_mut",
    "bytes",
    "capacity",
    "char_indices",
    "chars",
    "chunks",
    "clear",
    "clone",
    "cmp",
    "contains",
    "contains_key",
    "dedup",
    "drain",
    "ends_with",
    "entry",
    "eq",
    "extend",
    "extend_from_slice",
    "fill",
    "find",
    "first",
    "first_mut",
    "fmt",
    "ge",
    "get",
    "get_mut",
    "gt",
    "insert",
    "is_empty",
    "is_none",
    "is_some",
    "is_ok",
    "is_err",
    "iter",
    "iter_mut",
    "join",
    "keys",
    "last",
    "last_mut",
    "le",
    "len",
    "lines",
    "lt",
    "ne",
    "next",
    "next_back",
    "nth",
    "partial_cmp",
    "peek",
    "pop",
    "pop_back",
    "pop_front",
    "position",
    "push",
    "push_back",
    "push_front",
    "push_str",
    "remove",
    "reserve",
    "resize",
    "retain",
    "reverse",
    "sort",
    "sort_by",
    "sort_by_key",
    "sort_unstable",
    "sort_unstable_by",
    "sort_unstable_by_key",
    "split",
    "split_at",
    "split_at_mut",
    "split_whitespace",
    "starts_with",
    "swap",
    "swap_remove",
    "to_lowercase",
    "to_owned",
    "to_string",
    "to_uppercase",
    "to_vec",
    "trim",
    "truncate",
    "values",
    "values_mut",
    "windows",
    "write_fmt",
    "write_str",
];

/// Methods whose result owns what it holds: it borrows from the receiver only what the
/// receiver itself borrows (`v.len()`, `v.clone()`, `it.next()` on an iterator).
const OWNED_RESULT_METHODS: &[&str] = &[
    "clone",
    "contains",
    "contains_key",
    "count",
    "ends_with",
    "expect",
    "into_iter",
    "is_empty",
    "is_none",
    "is_some",
    "len",
    "next",
    "next_back",
    "pop",
    "pop_back",
    "pop_front",
    "remove",
    "starts_with",
    "swap_remove",
    "take",
    "to_lowercase",
    "to_owned",
    "to_string",
    "to_uppercase",
    "to_vec",
    "unwrap",
    "unwrap_or",
    "unwrap_or_default",
];

/// Macros that take their arguments by reference (`format_args!` underneath).
const FORMAT_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "write",
    "writeln",
];

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
        _ => false,
    }
}

/// The names that some expression of `block` may move, whole or in part.
pub fn moved_names(block: &syn::Block) -> BTreeSet<String> {
    let mut moves = Moves::default();
    moves.block(block);
    moves.names
}

/// The names that `expr` may move, whole or in part.
pub fn moved_names_in(expr: &Expr) -> BTreeSet<String> {
    let mut moves = Moves::default();
    moves.expr(expr, Use::Move);
    moves.names
}

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

/// For `&mut place` where the place is a local or fields and indexes of one: the local.
pub fn mut_borrowed_local(expr: &Expr) -> Option<&Ident> {
    match strip_parens(expr) {
        Expr::Reference(r) if r.mutability.is_some() => field_root(&r.expr),
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

/// Whether `pat` binds by reference (`ref x`): its bindings then borrow the matched value.
pub fn binds_by_ref(pat: &Pat) -> bool {
    free_vars::bindings(pat).iter().any(|b| b.by_ref)
}

fn is_comparison(op: &BinOp) -> bool {
    matches!(op, BinOp::Eq(_) | BinOp::Ne(_) | BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_))
}

/// Whether matching a value against `pat` may move out of it: the pattern binds by value.
fn binds_by_value(pat: &Pat) -> bool {
    free_vars::bindings(pat).iter().any(|b| !b.by_ref)
}

/// How an expression's value is used: moved (or copied) out, or only read in place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Move,
    Place,
}

#[derive(Default)]
struct Moves {
    names: BTreeSet<String>,
}

impl Moves {
    fn block(&mut self, block: &syn::Block) {
        for stmt in &block.stmts {
            match stmt {
                syn::Stmt::Local(local) => {
                    if let Some(init) = &local.init {
                        self.expr(&init.expr, self.matched(&local.pat));
                        if let Some((_, diverge)) = &init.diverge {
                            self.expr(diverge, Use::Move);
                        }
                    }
                }
                syn::Stmt::Expr(expr, _) => self.expr(expr, Use::Move),
                syn::Stmt::Macro(mac) => self.mac(&mac.mac),
                syn::Stmt::Item(_) => {}
            }
        }
    }

    /// How a value matched against `pat` is used.
    fn matched(&self, pat: &Pat) -> Use {
        if binds_by_value(pat) { Use::Move } else { Use::Place }
    }

    /// Every name read inside `tokens` or `expr` counts as moved.
    fn all(&mut self, names: BTreeSet<String>) {
        self.names.extend(names);
    }

    fn expr(&mut self, expr: &Expr, use_: Use) {
        match expr {
            Expr::Path(p) => {
                if let (Use::Move, None, Some(ident)) = (use_, &p.qself, p.path.get_ident()) {
                    self.names.insert(ident.to_string());
                }
            }
            Expr::Paren(e) => self.expr(&e.expr, use_),
            Expr::Group(e) => self.expr(&e.expr, use_),
            // Moving a field out moves part of the binding.
            Expr::Field(e) => self.expr(&e.base, use_),
            Expr::Unary(e) if matches!(e.op, UnOp::Deref(_)) => self.expr(&e.expr, use_),
            Expr::Unary(e) => self.expr(&e.expr, Use::Move),
            Expr::Index(e) => {
                self.expr(&e.expr, Use::Place);
                self.expr(&e.index, Use::Move);
            }
            Expr::Reference(e) => self.expr(&e.expr, Use::Place),
            Expr::RawAddr(e) => self.expr(&e.expr, Use::Place),
            Expr::Cast(e) => self.expr(&e.expr, Use::Place),
            Expr::MethodCall(m) => {
                let borrows = BORROWING_METHODS.contains(&m.method.to_string().as_str());
                self.expr(&m.receiver, if borrows { Use::Place } else { Use::Move });
                m.args.iter().for_each(|a| self.expr(a, Use::Move));
            }
            Expr::Binary(b) => {
                let (left, right) = if is_comparison(&b.op) || matches!(b.op, BinOp::And(_) | BinOp::Or(_)) {
                    (Use::Place, Use::Place)
                } else if is_compound_assign(&b.op) {
                    (Use::Place, Use::Move)
                } else {
                    (Use::Move, Use::Move)
                };
                self.expr(&b.left, left);
                self.expr(&b.right, right);
            }
            Expr::Assign(a) => {
                self.expr(&a.left, Use::Place);
                self.expr(&a.right, Use::Move);
            }
            Expr::Call(c) => {
                self.expr(&c.func, Use::Move);
                c.args.iter().for_each(|a| self.expr(a, Use::Move));
            }
            Expr::Match(m) => {
                let by_value = m.arms.iter().any(|arm| binds_by_value(&arm.pat));
                self.expr(&m.expr, if by_value { Use::Move } else { Use::Place });
                for arm in &m.arms {
                    if let Pat::Guard(guard) = &arm.pat {
                        self.expr(&guard.guard, Use::Place);
                    }
                    self.expr(&arm.body, Use::Move);
                }
            }
            Expr::Let(l) => self.expr(&l.expr, self.matched(&l.pat)),
            Expr::If(i) => {
                self.expr(&i.cond, Use::Place);
                self.block(&i.then_branch);
                if let Some((_, els)) = &i.else_branch {
                    self.expr(els, Use::Move);
                }
            }
            Expr::While(w) => {
                self.expr(&w.cond, Use::Place);
                self.block(&w.body);
            }
            Expr::ForLoop(f) => {
                self.expr(&f.expr, Use::Move);
                self.block(&f.body);
            }
            Expr::Loop(l) => self.block(&l.body),
            Expr::Block(b) => self.block(&b.block),
            Expr::Unsafe(b) => self.block(&b.block),
            Expr::Const(b) => self.block(&b.block),
            Expr::Closure(c) if c.capture.is_some() => self.all(free_vars::of_expr(expr)),
            Expr::Closure(c) => self.expr(&c.body, Use::Move),
            Expr::Macro(m) => self.mac(&m.mac),
            Expr::Lit(_) => {}
            Expr::Return(r) => r.expr.iter().for_each(|e| self.expr(e, Use::Move)),
            Expr::Break(b) => b.expr.iter().for_each(|e| self.expr(e, Use::Move)),
            Expr::Try(t) => self.expr(&t.expr, Use::Move),
            Expr::Await(a) => self.expr(&a.base, Use::Move),
            Expr::Tuple(t) => t.elems.iter().for_each(|e| self.expr(e, Use::Move)),
            Expr::Array(a) => a.elems.iter().for_each(|e| self.expr(e, Use::Move)),
            Expr::Repeat(r) => self.expr(&r.expr, Use::Move),
            Expr::Struct(s) => {
                s.fields.iter().for_each(|f| self.expr(&f.expr, Use::Move));
                s.rest.iter().for_each(|e| self.expr(e, Use::Move));
            }
            Expr::Range(r) => {
                r.start.iter().for_each(|e| self.expr(e, Use::Move));
                r.end.iter().for_each(|e| self.expr(e, Use::Move));
            }
            Expr::Continue(_) | Expr::Infer(_) => {}
            other => self.all(free_vars::of_expr(other)),
        }
    }

    fn mac(&mut self, mac: &syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let args = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        match (name.as_str(), args) {
            (name, Ok(args)) if FORMAT_MACROS.contains(&name) => {
                for arg in args {
                    match arg {
                        // A named format argument, `name = value`.
                        Expr::Assign(a) => self.expr(&a.right, Use::Place),
                        other => self.expr(&other, Use::Place),
                    }
                }
            }
            ("vec", Ok(args)) => args.iter().for_each(|a| self.expr(a, Use::Move)),
            _ => self.tokens(&mac.tokens),
        }
    }

    fn tokens(&mut self, tokens: &TokenStream) {
        for tt in tokens.clone() {
            match tt {
                TokenTree::Ident(ident) => {
                    self.names.insert(ident.to_string());
                }
                TokenTree::Group(group) => self.tokens(&group.stream()),
                _ => {}
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn moved(block: syn::Block) -> Vec<String> {
        moved_names(&block).into_iter().collect()
    }

    #[test]
    fn moves_by_value_uses_only() {
        let block = parse_quote!({
            let a = b;
            g(c, &d, e.len(), f.field);
            h.push(i);
            let _ = j;
            k == l;
            m += n;
            o = p;
            println!("{} {q}", r);
            s.into_iter();
            t[u];
            match v {
                Some(w) => w,
                None => 0,
            };
            match x {
                X::A => 1,
                _ => 2,
            };
            let z = move || y;
        });
        assert_eq!(moved(block), ["b", "c", "f", "g", "i", "n", "p", "s", "u", "v", "w", "y"]);
    }

    #[test]
    fn unknown_macros_move_every_name() {
        assert_eq!(
            moved(parse_quote!({
                my_macro!(a, b.c);
            })),
            ["a", "b", "c"]
        );
        assert_eq!(
            moved(parse_quote!({
                vec![a, &b];
            })),
            ["a"]
        );
    }

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
        ] {
            assert!(value_is_drop_free(&expr));
        }
        assert!(!value_is_drop_free(&parse_quote!(n + 1)));
    }

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
