//! Statements after which nothing of their fn runs: a `return`, a panic, a tail call, a
//! construct every path through which ends in one, or a `loop` that no `break` leaves. The
//! liveness pass keeps nothing past them, and the lowering emits nothing after them (code
//! there is dead natively too, and may read bindings no state saved): both read this file, so
//! they agree. Syntax only, so conservative: a call of a fn that returns `!` is not seen to
//! diverge.

use syn::Expr;

use crate::anf::ir::*;
use crate::syntax::places::strip_parens;

/// Whether nothing after `stmt` in its block runs.
pub fn ends_the_fn(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Call(call) => call.tail,
        Stmt::Plain { stmt, .. } => stmt_returns(stmt),
        Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
            construct_ends_the_fn(construct)
        }
    }
}

/// Whether every path through `block` ends the fn: a statement of it does, and none before it
/// can leave the block by `break` or `continue`.
pub fn block_ends_the_fn(block: &Block) -> bool {
    for stmt in &block.stmts {
        if ends_the_fn(stmt) {
            return true;
        }
        let leaves = match stmt {
            Stmt::Plain { jumps, .. } => !jumps.is_empty(),
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => escapes(construct),
            Stmt::Call(_) => false,
        };
        if leaves {
            return false;
        }
    }
    false
}

fn construct_ends_the_fn(construct: &Construct) -> bool {
    match construct {
        Construct::If(i) => if_ends_the_fn(i),
        Construct::Match { arms, .. } => {
            !arms.is_empty() && arms.iter().all(|arm| block_ends_the_fn(&arm.body))
        }
        Construct::Block { id, body, .. } => {
            // A `break` to the block's own label leaves it; `block_ends_the_fn` sees those
            // before the end, and none can come after it.
            let mut targets = Vec::new();
            jumps(construct, &mut targets);
            block_ends_the_fn(body) && !targets.contains(&Jump::Break(*id))
        }
        Construct::Loop { id, .. } => {
            let mut targets = Vec::new();
            jumps(construct, &mut targets);
            !targets.contains(&Jump::Break(*id))
        }
    }
}

fn if_ends_the_fn(i: &If) -> bool {
    block_ends_the_fn(&i.then)
        && match i.els.as_deref() {
            Some(Else::Block(b)) => block_ends_the_fn(b),
            Some(Else::If(nested)) => if_ends_the_fn(nested),
            None => false,
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

fn expr_returns(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Return(_) => true,
        Expr::Macro(m) => panics(&m.mac),
        _ => false,
    }
}

fn panics(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        matches!(s.ident.to_string().as_str(), "panic" | "unreachable" | "todo" | "unimplemented")
    })
}

/// Whether a `break` or `continue` inside `construct` leaves it (to an enclosing loop or label).
pub fn escapes(construct: &Construct) -> bool {
    fn own(construct: &Construct, ids: &mut Vec<LoopId>) {
        if let Construct::Loop { id, .. } | Construct::Block { id, .. } = construct {
            ids.push(*id);
        }
        for (_, block) in construct.blocks() {
            for stmt in &block.stmts {
                if let Stmt::Let { init: inner, .. } | Stmt::Construct { construct: inner, .. } = stmt {
                    own(inner, ids);
                }
            }
        }
    }
    let (mut ids, mut targets) = (Vec::new(), Vec::new());
    own(construct, &mut ids);
    jumps(construct, &mut targets);
    targets.iter().any(|(Jump::Break(t) | Jump::Continue(t))| !ids.contains(t))
}

/// Every `break` and `continue` inside `construct`, nested constructs included.
fn jumps(construct: &Construct, out: &mut Vec<Jump>) {
    for (_, block) in construct.blocks() {
        for stmt in &block.stmts {
            match stmt {
                Stmt::Plain { jumps: own, .. } => out.extend(own),
                Stmt::Let { init: inner, .. } | Stmt::Construct { construct: inner, .. } => jumps(inner, out),
                Stmt::Call(_) => {}
            }
        }
    }
}
