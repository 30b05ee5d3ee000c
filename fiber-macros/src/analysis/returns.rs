//! Statements and blocks after which nothing of their fn runs: a `return`, a panic, a tail
//! call, or branches that all end in one. Syntax only, so conservative: a call of a fn that
//! returns `!` is not seen to diverge.

use syn::Expr;

use crate::anf::ir::*;
use crate::syntax::places::strip_parens;

/// Whether every path through `block` ends in a `return` or a panic: nothing after it runs.
pub fn returns(block: &Block) -> bool {
    match block.stmts.last() {
        Some(Stmt::Call(call)) => call.tail,
        Some(Stmt::Plain { stmt, .. }) => stmt_returns(stmt),
        Some(Stmt::Construct { construct, .. }) => match construct {
            Construct::If(i) => if_returns(i),
            Construct::Match { arms, .. } => arms.iter().all(|arm| returns(&arm.body)),
            Construct::Block { body, label: None, .. } => returns(body),
            Construct::Block { .. } | Construct::Loop { .. } => false,
        },
        _ => false,
    }
}

/// Whether `stmt` is a `return` or a panic.
pub fn stmt_returns(stmt: &syn::Stmt) -> bool {
    match stmt {
        syn::Stmt::Expr(expr, _) => expr_returns(expr),
        syn::Stmt::Macro(m) => panics(&m.mac),
        _ => false,
    }
}

fn if_returns(i: &If) -> bool {
    returns(&i.then)
        && match i.els.as_deref() {
            Some(Else::Block(b)) => returns(b),
            Some(Else::If(nested)) => if_returns(nested),
            None => false,
        }
}

pub fn expr_returns(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Return(_) => true,
        Expr::Macro(m) => panics(&m.mac),
        Expr::Block(b) if b.label.is_none() => {
            matches!(b.block.stmts.last(), Some(syn::Stmt::Expr(e, _)) if expr_returns(e))
        }
        _ => false,
    }
}

fn panics(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        matches!(s.ident.to_string().as_str(), "panic" | "unreachable" | "todo" | "unimplemented")
    })
}
