//! The back: the machine as Rust tokens.
//!
//! Takes the analysed group and gives one public fn per fn of the group, each returning
//! `impl Fiber<Output = R>` and holding the frame enum, the return enum and the step closure
//! ([`emit`]), whose variants and match arms, one per state, [`lower`] writes first; beside
//! them, when a fn takes `&mut`, the fns as written, compiled and never called, so that the
//! borrow checker checks the accesses the machine makes ([`shadow`]). A public fn whose
//! reference parameters trade lifetimes names them, and one they all outlive ([`lifetimes`]).

pub mod emit;
pub mod lifetimes;
pub mod lower;
pub mod shadow;

use proc_macro2::TokenStream;

use crate::analysis::Analysis;
use crate::front::model::{Group, Kind};

/// `written`: the group as the user wrote it, for the shadow; `machine`: as the front gave it.
pub fn run(written: Group, machine: Group, analysis: &Analysis) -> TokenStream {
    // An impl's shadow goes beside the impl block (`expand`), outside the public fns.
    let shadow = match written.kind {
        Kind::Fn | Kind::Mod(_) => shadow::of_fns(written),
        Kind::Impl(_) | Kind::TraitImpl(_) => TokenStream::new(),
    };
    let lowered = lower::run(machine, analysis);
    emit::emit(machine, analysis, lowered, shadow)
}
