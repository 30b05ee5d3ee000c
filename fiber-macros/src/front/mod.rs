//! The front: from the fns as the user wrote them to the fns as the machine sees them.
//!
//! Takes the group parsed from the item (`expand`: one [`model::FiberFn`] per fn, a method's
//! `self` already renamed by [`receiver`]) and gives it back with the bindings of shadowed
//! names renamed apart ([`shadowing`]), every `&mut` parameter reached through its pointer
//! ([`mut_params`]) and the everyday macro invocations that hold recursive
//! calls desugared ([`macros`]). On the way it rejects what the machine cannot run, each with an
//! error on the user's token: signatures ([`check`]) and bodies ([`check_body`]). It marks the
//! fns whose reference parameters trade lifetimes ([`traded`]). Which calls are recursive is
//! decided by syntax ([`calls`]), here and in every later stage.

pub mod calls;
pub mod check;
pub mod check_body;
pub mod macros;
pub mod model;
pub mod mut_params;
pub mod receiver;
pub mod shadowing;
pub mod traded;

use crate::errors::Errors;
use model::{FiberFn, Group};

/// The signatures the machine can run. The later stages assume them, so the pipeline stops
/// after this check when it fails.
pub fn check_signatures(group: Group, errors: &mut Errors) {
    let in_impl = group.self_ty().is_some();
    for f in group.fns {
        check::check_signature(&f.item, in_impl, errors);
        if group.fns.len() > 1 {
            check::check_group_generics(&f.item, in_impl, errors);
        }
    }
}

/// The fns as the machine sees them. Both rewrites change bodies only: which calls are
/// recursive is still read from the signatures as written.
pub fn run(group: Group, errors: &mut Errors) -> Vec<FiberFn> {
    let mut fns: Vec<FiberFn> = group
        .fns
        .iter()
        .map(|f| {
            let mut f = f.clone();
            shadowing::rename(&mut f, &group, errors);
            mut_params::check(&f, errors);
            let names = mut_params::names(&f);
            mut_params::reach_through_pointers(&mut f.item.block, &names);
            macros::desugar(&mut f.item.block, &group);
            f
        })
        .collect();
    let traded = traded::parameters_trade_lifetimes(&Group { fns: &fns, kind: group.kind });
    for f in &mut fns {
        f.outlived_lifetime = traded;
    }
    let machine_group = Group { fns: &fns, kind: group.kind };
    for f in &fns {
        check_body::check_body(&machine_group, f, errors);
    }
    fns
}
