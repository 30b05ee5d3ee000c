//! Which names an expression may move, whole or in part: a moved binding has nothing left to
//! drop at the end of its scope, and one moved on some paths only needs a drop flag that lives in
//! rustc, not in the frame. Conservative where syntax cannot tell: an unknown method may take
//! `self` by value, an unknown macro moves every name it mentions.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::{BinOp, Expr, Pat, Token, UnOp};

use crate::syntax::drop_glue::is_comparison;
use crate::syntax::free_vars;
use crate::syntax::known::{FORMAT_MACROS, RECEIVER_BY_REFERENCE};
use crate::syntax::places::is_compound_assign;

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
                let borrows = RECEIVER_BY_REFERENCE.contains(&m.method.to_string().as_str());
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
}
