//! The analysis: what the machine must keep, and what it may not.
//!
//! Takes each fn's body in A-normal form and gives it back with, at each resume point, the
//! bindings the frame keeps there ([`liveness`], which counts a binding's drop at the end of its
//! scope as a use); type witnesses that decide per instantiation whether a tail call may replace
//! the frame ([`tail`]); checks on references into the frame's own locals ([`borrows`]) and on
//! fields moved out of them ([`partial_moves`]); and the
//! group's call graph, which decides which states each public fn's machine holds ([`cfgs`] checks
//! it against `#[cfg]`s).

pub mod borrows;
pub mod cfgs;
pub mod kept_locals;
pub mod liveness;
pub mod partial_moves;
pub mod returns;
pub mod tail;

use crate::anf::Sequenced;
use crate::anf::ir::BindingId;
use crate::errors::Errors;
use crate::front::model::Group;

/// One fn after the analysis.
pub struct AnalyzedFn {
    pub seq: Sequenced,
    /// For each resume point: the bindings the frame keeps there, in id order.
    pub saved: Vec<Vec<BindingId>>,
    /// The locals a borrow holds across a call, kept at one heap address (`kept_locals`).
    pub kept: Vec<BindingId>,
}

/// The group after the analysis.
pub struct Analysis {
    pub fns: Vec<AnalyzedFn>,
    /// For each fn: the fns whose return value may arrive when it is called (itself, and every
    /// fn it reaches by tail calls).
    pub returns: Vec<Vec<usize>>,
    /// For each fn: the fns it calls.
    pub calls: Vec<Vec<usize>>,
}

pub fn run(group: Group, sequenced: Vec<Sequenced>, errors: &mut Errors) -> Analysis {
    let fns: Vec<AnalyzedFn> = sequenced
        .into_iter()
        .zip(group.fns)
        .map(|(mut seq, f)| {
            tail::witness_tail_calls(&mut seq);
            let mut saved = liveness::saved_per_site(&seq.body, &seq.bindings, seq.sites);
            let is_reference_param = |i: usize| matches!(f.params[i].ty, syn::Type::Reference(_));
            let kept = borrows::check(&mut seq.body, &seq.bindings, &saved, &is_reference_param, errors);
            if !kept.is_empty() {
                kept_locals::keep(&mut seq, &kept, errors);
                saved = liveness::saved_per_site(&seq.body, &seq.bindings, seq.sites);
            }
            partial_moves::check(&mut seq.body, &seq.bindings, &saved, &f.params);
            AnalyzedFn { seq, saved, kept: kept.into_keys().collect() }
        })
        .collect();
    let returns = tail::returns(fns.len(), fns.iter().map(|f| &f.seq));
    let calls = tail::calls(fns.iter().map(|f| &f.seq));
    cfgs::check(group.fns, &calls, errors);
    Analysis { fns, returns, calls }
}
