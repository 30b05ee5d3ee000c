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
//! fuzzers drive it without a compiler. `pipeline::run` lists its stages, each a folder:
//!
//! 1. `front`: the fns as the machine sees them (`&mut` parameters through pointers, macro
//!    invocations desugared), and errors for what it cannot run;
//! 2. `anf`: each body in A-normal form, every recursive call a statement of its own;
//! 3. `analysis`: what the frame keeps at each resume point, tail calls, borrows of locals;
//! 4. `back`: the public fns, each with its frame enum, return enum and step closure, and the
//!    borrow-checking shadow.
//!
//! `syntax` answers questions about syntax the stages share, `naming` makes every generated
//! name. `ARCHITECTURE.md` beside the manifest walks through the stages and the techniques.

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
    let (attr, item) = (proc_macro2::TokenStream::from(attr), proc_macro2::TokenStream::from(item));
    // A panic is a bug of the macro; the user still gets an error on the item and its fns'
    // signatures, instead of a vanished fn and an error at every caller.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| expand::expand(attr, item.clone())))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            expand::internal_error(item, &message)
        })
        .into()
}
