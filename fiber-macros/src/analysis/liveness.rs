//! Which bindings each resume point keeps in the frame: those the code after the call may still
//! read, and those native code drops at the end of their scope (their drop reads them there;
//! see `drops`). A backward dataflow over the sequenced body; loops iterate to a fixpoint,
//! `break` and `continue` carry the liveness of their targets.

use std::collections::{BTreeSet, HashMap};

use crate::analysis::returns;
use crate::anf::ir::*;

type Live = BTreeSet<BindingId>;

/// For each site, the bindings live across it, in id order.
pub fn saved_per_site(body: &Block, bindings: &[Binding], sites: usize) -> Vec<Vec<BindingId>> {
    let mut pass = Pass { bindings, saved: vec![Live::new(); sites], targets: HashMap::new() };
    pass.block(body, Live::new());
    // A state no code reaches saves nothing: no save would give its fields their types.
    for site in dead_sites(body) {
        pass.saved[site].clear();
    }
    pass.saved.into_iter().map(|live| live.into_iter().collect()).collect()
}

/// The sites in statements after a tail call (`return f(..); ..`), a `return` or a panic: dead
/// code, never emitted.
pub fn dead_sites(block: &Block) -> Vec<SiteId> {
    let mut dead = Vec::new();
    let mut after_tail = false;
    for stmt in &block.stmts {
        if after_tail {
            dead.extend(stmt.sites());
            continue;
        }
        after_tail = returns::ends_the_fn(stmt);
        match stmt {
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                for (_, inner) in construct.blocks() {
                    dead.extend(dead_sites(inner));
                }
            }
            Stmt::Call(_) | Stmt::Plain { .. } => {}
        }
    }
    dead
}

struct Pass<'b> {
    bindings: &'b [Binding],
    saved: Vec<Live>,
    /// For each loop or labeled block: live after it (break), live at its head (continue).
    targets: HashMap<LoopId, (Live, Live)>,
}

impl Pass<'_> {
    fn block(&mut self, block: &Block, mut after: Live) -> Live {
        // The end of the block drops its bindings.
        after
            .extend((0..self.bindings.len()).filter(|&id| {
                self.bindings[id].scope == block.scope && self.bindings[id].drops_at_scope_end
            }));
        block.stmts.iter().rev().fold(after, |live, stmt| self.stmt(stmt, live))
    }

    fn stmt(&mut self, stmt: &Stmt, after: Live) -> Live {
        match stmt {
            Stmt::Plain { stmt, uses, defs, jumps, assigns } => {
                // After a `return` or a panic, only the drops at the ends of the enclosing
                // scopes run.
                let after = match returns::stmt_returns(stmt) {
                    true => after.into_iter().filter(|&id| self.bindings[id].drops_at_scope_end).collect(),
                    false => after,
                };
                let mut live = minus(minus(after, defs), assigns);
                live.extend(uses);
                for jump in jumps {
                    let (brk, cont) = &self.targets[&match jump {
                        Jump::Break(id) | Jump::Continue(id) => *id,
                    }];
                    live.extend(match jump {
                        Jump::Break(_) => brk,
                        Jump::Continue(_) => cont,
                    });
                }
                live
            }
            Stmt::Call(call) => {
                // After a tail call, only the drops at the ends of the enclosing scopes run.
                let mut across: Live = if call.tail {
                    after.into_iter().filter(|&id| self.bindings[id].drops_at_scope_end).collect()
                } else {
                    minus(after, &call.defs)
                };
                // The callee works in a pinned local's place in the saved frame.
                across.extend(call.pinned.iter().map(|&(_, id)| id));
                self.saved[call.site].extend(&across);
                let mut live = across;
                live.extend(&call.uses);
                live
            }
            Stmt::Let { defs, init, .. } => self.construct(init, minus(after, defs)),
            Stmt::Construct { construct, .. } => self.construct(construct, after),
        }
    }

    fn construct(&mut self, construct: &Construct, after: Live) -> Live {
        match construct {
            Construct::If(i) => self.if_(i, after),
            Construct::Match { uses, arms, .. } => {
                let mut live: Live = uses.iter().copied().collect();
                for arm in arms {
                    live.extend(minus(self.block(&arm.body, after.clone()), &arm.defs));
                    live.extend(&arm.uses);
                }
                live
            }
            Construct::Loop { id, body, .. } => {
                let mut head = Live::new();
                loop {
                    self.targets.insert(*id, (after.clone(), head.clone()));
                    let next = self.block(body, head.clone());
                    if next == head {
                        return head;
                    }
                    head.extend(next);
                }
            }
            Construct::Block { id, body, .. } => {
                self.targets.insert(*id, (after.clone(), Live::new()));
                self.block(body, after)
            }
        }
    }

    fn if_(&mut self, i: &If, after: Live) -> Live {
        let mut live: Live = i.uses.iter().copied().collect();
        live.extend(minus(self.block(&i.then, after.clone()), &i.defs));
        match i.els.as_deref() {
            Some(Else::Block(b)) => live.extend(self.block(b, after)),
            Some(Else::If(nested)) => live.extend(self.if_(nested, after)),
            None => live.extend(after),
        }
        live
    }
}

fn minus(mut live: Live, defs: &[BindingId]) -> Live {
    for def in defs {
        live.remove(def);
    }
    live
}
