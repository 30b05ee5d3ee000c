//! References into the frame's own locals, held across a recursive call.
//!
//! At a call, the locals the fn still needs move into its heap frame, and the state after the
//! call gets them back as new locals, so a reference to a local cannot live across a call.
//! rustc rejects such code, but its error talks about the generated machine; this pass finds
//! the plain cases first and explains them on the user's tokens:
//!
//! - a binding kept across a call whose initializer borrows a local whole (`let r = &v;`,
//!   `for x in &v`) is an error here;
//! - one that borrows through a local (`&v.field`, `&v[i]`, `v.iter()`) is fine when the local
//!   is itself a reference (`&node.children` where `node: &Node`), and otherwise a borrow of the
//!   local: the expansion asserts the local's type is a reference, so the user gets
//!   `BorrowsThroughReference`'s message on the local instead of a borrow error.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::kept_locals::Keep;

use crate::anf::ir::*;
use crate::errors::Errors;
use crate::syntax::local_borrow::LocalBorrow;

/// Finds the locals that a binding kept across a call borrows: each is kept in place
/// (`kept_locals`) and returned with how, except a local known to be a reference (a parameter
/// of a reference type, a binding that borrows), which a borrow through it does not borrow:
/// before each `let` and call that borrows through one, a check that it is a reference. Reports the
/// arguments of recursive calls that borrow a local whole where nothing lends it.
pub fn check(
    body: &mut Block,
    bindings: &[Binding],
    saved: &[Vec<BindingId>],
    is_reference_param: &dyn Fn(usize) -> bool,
    errors: &mut Errors,
) -> BTreeMap<BindingId, Keep> {
    arguments(body, errors);
    shadowed(body, bindings, saved);
    let kept: BTreeSet<BindingId> = saved.iter().flatten().copied().collect();
    let mut through = BTreeSet::new();
    let mut heap = BTreeMap::new();
    for &id in &kept {
        let Some((borrow, root)) = &bindings[id].borrow else { continue };
        let local = &bindings[*root];
        // A binding that may hold a borrow (`for node in nodes.iter()`, `let parts: Vec<String>
        // = text.split(' ').map(..).collect()`) is kept by its type (`Keep::ByType`): inline
        // when it is a reference, on the heap otherwise.
        let is_reference = local.param.is_some_and(is_reference_param) || local.borrow.is_some();
        if borrow.whole {
            heap.insert(*root, Keep::OnHeap);
        } else if !is_reference {
            heap.entry(*root).or_insert(Keep::ByType);
        } else {
            through.insert(id);
        }
    }
    // A local lent to a call (`f(&v)`) is lent from its place, which must then be on the heap.
    for root in lent(body) {
        if let Some(keep) = heap.get_mut(&root) {
            *keep = Keep::OnHeap;
        }
    }
    insert_checks(body, bindings, &through);
    heap
}

/// The locals lent to recursive calls from the caller's saved frame (`Call::pinned`).
fn lent(block: &Block) -> BTreeSet<BindingId> {
    let mut out = BTreeSet::new();
    for stmt in &block.stmts {
        match stmt {
            Stmt::Call(call) => out.extend(call.pinned.iter().map(|&(_, id)| id)),
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                construct.blocks().into_iter().for_each(|(_, b)| out.extend(lent(b)));
            }
            Stmt::Plain { .. } => {}
        }
    }
    out
}

/// Checks that no binding kept across a call is shadowed there: the state is saved by name,
/// which would save the shadowing one.
fn shadowed(block: &Block, bindings: &[Binding], saved: &[Vec<BindingId>]) {
    for stmt in &block.stmts {
        match stmt {
            Stmt::Call(call) => {
                for &kept in &saved[call.site] {
                    let name = &bindings[kept].ident;
                    let shadow = call.visible.iter().find(|&&v| v != kept && bindings[v].ident == *name);
                    // `front::shadowing` renamed every binding of a shadowed name.
                    assert!(
                        shadow.is_none(),
                        "`{name}` is kept across a call where another binding of that name shadows it"
                    );
                }
            }
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                construct.blocks().into_iter().for_each(|(_, b)| shadowed(b, bindings, saved));
            }
            Stmt::Plain { .. } => {}
        }
    }
}

/// Reports the arguments of recursive calls that borrow a local whole.
fn arguments(block: &Block, errors: &mut Errors) {
    for stmt in &block.stmts {
        match stmt {
            Stmt::Call(call) => {
                for (borrow, _) in call.arg_borrows.iter().filter(|(b, _)| b.whole) {
                    let root = &borrow.root;
                    errors.error(
                        &borrow.expr,
                        format!(
                            "this passes a borrow of `{root}`, a local of the fiber fn, to a \
                             recursive call: the callee runs in a heap frame of its own, and \
                             `{root}` moves into the caller's frame at the call, so the \
                             reference cannot follow it\n\
                             help: pass `{root}` by value (or a clone), or borrow from an \
                             argument of the fn instead"
                        ),
                    );
                }
            }
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                construct.blocks().into_iter().for_each(|(_, b)| arguments(b, errors));
            }
            Stmt::Plain { .. } => {}
        }
    }
}

fn insert_checks(block: &mut Block, bindings: &[Binding], through: &BTreeSet<BindingId>) {
    let stmts = std::mem::take(&mut block.stmts);
    for mut stmt in stmts {
        match &mut stmt {
            Stmt::Plain { defs, .. } => {
                for id in defs.iter().filter(|id| through.contains(id)) {
                    let Some((borrow, root)) = &bindings[*id].borrow else { continue };
                    block.stmts.push(reference_check(borrow, *root));
                }
            }
            Stmt::Let { init, .. } | Stmt::Construct { construct: init, .. } => {
                init.blocks_mut().into_iter().for_each(|(_, b)| insert_checks(b, bindings, through));
            }
            Stmt::Call(call) => {
                for (borrow, root) in call.arg_borrows.iter().filter(|(b, _)| !b.whole) {
                    block.stmts.push(reference_check(borrow, *root));
                }
            }
        }
        block.stmts.push(stmt);
    }
}

/// `borrowed_through_reference(&raw const root);`, every token at the local's span so that
/// rustc's message lands on it alone.
fn reference_check(borrow: &LocalBorrow, root: BindingId) -> Stmt {
    let ident = &borrow.root;
    let check: syn::Stmt = syn::parse_quote_spanned! {ident.span()=>
        ::fiber_runtime::__private::borrowed_through_reference(&raw const #ident);
    };
    Stmt::Plain { stmt: check, uses: vec![root], defs: Vec::new(), jumps: Vec::new(), assigns: Vec::new() }
}
