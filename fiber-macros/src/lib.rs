//! Implementation detail of `fiber-runtime`: the `#[fiber]` attribute. Depend on
//! `fiber-runtime`, which re-exports it and documents it.
//!
//! `#[fiber]` lets a recursive fn run to any depth: it rewrites the fn at compile time into a
//! resumable state machine (an enum with a variant per point where the fn waits for a recursive
//! call, holding the locals still needed there, and a step function), which
//! `fiber_runtime::run` drives on a heap stack. The body stays ordinary Rust; what the macro
//! cannot support is a compile error with a hint (every message, with its ui test, is in
//! `ERRORS.md` beside this crate's manifest).
//!
//! The expansion is a function of `proc_macro2` tokens (`expand::expand`), so tests and
//! fuzzers drive it without a compiler. The passes, in the order data flows:
//!
//! 1. `model`: the signature of each fn of the group.
//! 2. `check`: what the macro cannot support, as errors on the user's tokens.
//! 3. `calls`: which calls are recursive (calls to a fn of the group, by syntax).
//! 4. `sequence`: the body in A-normal form: every recursive call becomes a statement
//!    `let pat = f(args);`, with what native Rust evaluates before it evaluated before it.
//! 5. `tail`: witnesses of the types whose drop glue decides whether a tail call replaces
//!    the frame.
//! 6. `liveness`: which bindings each resume point must keep in the frame.
//! 7. `borrows`: references into the frame's locals held across a call, explained.
//! 8. `lower`: one match arm per state of the machine.
//! 9. `emit`: the public fn, the frame and return enums, the machine.

mod analysis;
mod anf;
mod back;
mod errors;
mod expand;
mod front;
mod naming;
mod pipeline;
mod syntax;
#[cfg(test)]
mod testing;

use proc_macro::TokenStream;

/// See `fiber_runtime::fiber`.
#[proc_macro_attribute]
pub fn fiber(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(attr.into(), item.into()).into()
}
