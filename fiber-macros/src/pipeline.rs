//! The stages of `#[fiber]`, in the order data flows. [`run`] is the one place that lists them;
//! `expand` and the pass-by-pass view (`testing::pass_view`) both call it.
//!
//! ```text
//! fns as written ──front──▶ fns as the machine sees them ──anf──▶ bodies in A-normal form
//!   ──analysis──▶ what each resume point keeps ──back──▶ the public fns and their machine
//! ```
//!
//! `ARCHITECTURE.md`, beside this crate's manifest, walks through each stage on an example.

use proc_macro2::TokenStream;

use crate::analysis::{self, Analysis};
use crate::errors::Errors;
use crate::front::model::{FiberFn, Group};
use crate::{anf, back, front};

/// What each stage gave: `expand` keeps the machine, the pass view shows them all.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Stages {
    /// The fns as the machine sees them (`front`).
    pub fns: Vec<FiberFn>,
    /// Their bodies in A-normal form, with what each resume point keeps (`anf`, `analysis`).
    pub analysis: Analysis,
    /// The public fns (`back`).
    pub machine: TokenStream,
}

/// Expands one group. `errors` holds what was found before (the attribute's arguments); every
/// error of every stage joins it, and the first stage that cannot go on without a valid input
/// ends the run with all of them.
pub fn run(written: Group, mut errors: Errors) -> Result<Stages, syn::Error> {
    front::check_signatures(written, &mut errors);
    errors.checkpoint()?;
    let fns = front::run(written, &mut errors);
    let machine_group = Group { fns: &fns, kind: written.kind };
    let sequenced = anf::run(machine_group, &mut errors);
    let analysis = analysis::run(machine_group, sequenced, &mut errors);
    errors.checkpoint()?;
    let machine = back::run(written, machine_group, &analysis);
    Ok(Stages { fns, analysis, machine })
}
