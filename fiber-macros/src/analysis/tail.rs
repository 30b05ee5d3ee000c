//! Tail calls: which bindings decide whether a tail call may replace the frame.
//!
//! A tail call replaces the caller's frame when that cannot be observed: every binding still in
//! scope, other than those passed whole to the callee, has no drop glue (native code drops them
//! after the callee returns). Drop glue depends on the instantiation, and the macro sees no
//! types, so the decision is made by the compiled code: right after each such binding is bound,
//! a zero-sized witness of its type is taken (`let w = TypeOf::of(&x);`), and the tail call
//! tests `!w.needs_drop() && ..`, which folds to a constant per instantiation.
//!
//! A binding declared without a value (`let x;`) has no witness: a tail call in its scope
//! always pushes.

use std::collections::{BTreeMap, BTreeSet};

use syn::parse_quote;

use crate::anf::Sequenced;
use crate::anf::ir::*;
use crate::naming::{self, private};

/// Adds the witnesses that the tail calls of `seq` need, and records them on each tail call.
// Input:  `let s = String::new(); .. return f(n - 1);`
// Output: `let s = String::new(); let w0 = TypeOf::of(&s); .. return f(n - 1);`, the call
//         recording `w0`, so that it replaces the frame only when `!w0.needs_drop()`.
pub fn witness_tail_calls(seq: &mut Sequenced) {
    let mut needed = Needed {
        temporaries: (0..seq.bindings.len()).filter(|&id| seq.bindings[id].temporary).collect(),
        ..Needed::default()
    };
    let params: Vec<BindingId> = (0..seq.bindings.len())
        .filter(|&id| seq.bindings[id].param.is_some() && seq.bindings[id].scope == seq.body.scope)
        .collect();
    needed.block(&seq.body, params.clone());
    if needed.per_call.is_empty() {
        return;
    }
    let witnessed: BTreeSet<BindingId> =
        needed.per_call.values().flatten().filter(|id| !needed.unwitnessable.contains(id)).copied().collect();
    let mut witnesses = BTreeMap::new();
    for &id in &witnessed {
        let ident = naming::witness(id);
        let scope = seq.bindings[id].scope;
        witnesses.insert(id, seq.bindings.len());
        seq.bindings.push(Binding {
            ident,
            mutable: false,
            scope,
            param: None,
            borrow: None,
            drops_at_scope_end: false,
            may_borrow: false,
            temporary: false,
            deferred: false,
            loop_depth: 0,
            whole_pattern: true,
        });
    }
    let mut insert = Insert { bindings: &seq.bindings, witnesses: &witnesses, needed: &needed };
    insert.block(&mut seq.body, &params);
}

#[derive(Default)]
struct Needed {
    /// For each tail call site: the bindings in scope that are not passed whole.
    per_call: BTreeMap<SiteId, Vec<BindingId>>,
    /// Bindings declared without a value.
    unwitnessable: BTreeSet<BindingId>,
    /// Generated temporaries: gone before a later statement's tail call, natively.
    temporaries: BTreeSet<BindingId>,
}

impl Needed {
    /// Walks `block` with `in_scope` the bindings visible at its top, its own pre-bound ones
    /// included.
    fn block(&mut self, block: &Block, mut in_scope: Vec<BindingId>) {
        for stmt in &block.stmts {
            match stmt {
                Stmt::Plain { stmt, defs, .. } => {
                    if let syn::Stmt::Local(local) = stmt {
                        if local.init.is_none() {
                            self.unwitnessable.extend(defs);
                        }
                    }
                    in_scope.extend(defs);
                }
                Stmt::Call(call) => {
                    if call.tail {
                        let kept = in_scope
                            .iter()
                            .filter(|id| !call.whole_args.contains(id) && !self.temporaries.contains(id))
                            .copied();
                        self.per_call.insert(call.site, kept.collect());
                    }
                    in_scope.extend(&call.defs);
                }
                Stmt::Let { init, defs, .. } => {
                    self.construct(init, &in_scope);
                    in_scope.extend(defs);
                }
                Stmt::Construct { construct, .. } => self.construct(construct, &in_scope),
            }
        }
    }

    fn construct(&mut self, construct: &Construct, in_scope: &[BindingId]) {
        for (defs, block) in construct.blocks() {
            self.block(block, [in_scope, defs].concat());
        }
    }
}

struct Insert<'a> {
    bindings: &'a [Binding],
    /// Witnessed binding -> its witness.
    witnesses: &'a BTreeMap<BindingId, BindingId>,
    needed: &'a Needed,
}

impl Insert<'_> {
    fn witness_stmts(&self, defs: &[BindingId]) -> Vec<Stmt> {
        defs.iter()
            .filter_map(|id| {
                let witness = *self.witnesses.get(id)?;
                let (ident, of) = (&self.bindings[witness].ident, &self.bindings[*id].ident);
                Some(Stmt::Plain {
                    stmt: parse_quote!(let #ident = #private::TypeOf::of(&#of);),
                    uses: vec![*id],
                    defs: vec![witness],
                    jumps: Vec::new(),
                    assigns: Vec::new(),
                })
            })
            .collect()
    }

    fn block(&mut self, block: &mut Block, pre_defs: &[BindingId]) {
        let old = std::mem::take(&mut block.stmts);
        block.stmts = self.witness_stmts(pre_defs);
        for mut stmt in old {
            let defs = match &mut stmt {
                Stmt::Plain { defs, .. } => defs.clone(),
                Stmt::Call(call) => {
                    if let Some(kept) = self.needed.per_call.get(&call.site) {
                        let witnesses: Option<Vec<BindingId>> =
                            kept.iter().map(|id| self.witnesses.get(id).copied()).collect();
                        if let Some(witnesses) = &witnesses {
                            call.uses.extend(witnesses);
                        }
                        call.witnesses = witnesses;
                    }
                    call.defs.clone()
                }
                Stmt::Let { init, defs, .. } => {
                    self.construct(init);
                    defs.clone()
                }
                Stmt::Construct { construct, .. } => {
                    self.construct(construct);
                    Vec::new()
                }
            };
            block.stmts.push(stmt);
            block.stmts.extend(self.witness_stmts(&defs));
        }
    }

    fn construct(&mut self, construct: &mut Construct) {
        for (defs, block) in construct.blocks_mut() {
            let defs = defs.to_vec();
            self.block(block, &defs);
        }
    }
}

/// For each fn of a group of `n`: the fns whose return value may arrive when it is called, itself
/// and every fn it reaches through tail calls (which replace its frame and return in its place).
pub fn returns<'s>(n: usize, seqs: impl Iterator<Item = &'s Sequenced>) -> Vec<Vec<usize>> {
    let mut edges = vec![BTreeSet::new(); n];
    for (f, seq) in seqs.enumerate() {
        tail_callees(&seq.body, &mut edges[f]);
    }
    (0..n)
        .map(|f| {
            let mut reached = BTreeSet::from([f]);
            let mut todo = vec![f];
            while let Some(g) = todo.pop() {
                for &h in &edges[g] {
                    if reached.insert(h) {
                        todo.push(h);
                    }
                }
            }
            reached.into_iter().collect()
        })
        .collect()
}

fn tail_callees(block: &Block, out: &mut BTreeSet<usize>) {
    callees(block, true, out);
}

/// The fns `block` calls (only by tail calls, with `tail_only`).
fn callees(block: &Block, tail_only: bool, out: &mut BTreeSet<usize>) {
    for stmt in &block.stmts {
        match stmt {
            Stmt::Call(call) if call.tail || !tail_only => {
                out.insert(call.callee);
            }
            Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                construct.blocks().into_iter().for_each(|(_, b)| callees(b, tail_only, out));
            }
            _ => {}
        }
    }
}

/// For each fn: the fns it calls.
pub fn calls<'s>(seqs: impl Iterator<Item = &'s Sequenced>) -> Vec<Vec<usize>> {
    seqs.map(|seq| {
        let mut out = BTreeSet::new();
        callees(&seq.body, false, &mut out);
        out.into_iter().collect()
    })
    .collect()
}
