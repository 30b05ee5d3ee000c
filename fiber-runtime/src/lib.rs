//! Run recursive functions to any depth.
//!
//! Native recursion lives on the thread's stack, and a deep input kills the program:
//!
//! ```text
//! thread 'main' has overflowed its stack
//! fatal runtime error: stack overflow, aborting
//! ```
//!
//! Put `#[fiber]` on the recursive fn and run it with [`run`]: the body stays ordinary Rust, and
//! its recursion runs on a heap stack, as deep as memory allows.
//!
//! ```
//! use fiber_runtime::{fiber, run};
//!
//! #[fiber]
//! fn sum(xs: &[u64]) -> u64 {
//!     if xs.is_empty() { 0 } else { xs[0] + sum(&xs[1..]) }
//! }
//!
//! let xs = vec![1; 1_000_000];
//! assert_eq!(run(sum(&xs)), 1_000_000);
//! ```
//!
//! Outside a fiber body, `sum(&xs)` is a value implementing [`Fiber`] that runs nothing until it
//! is given to [`run`] or a [`Runner`]; inside the body, `sum(..)` evaluates to the fn's return
//! type, exactly as native code does.
//!
//! # What the macro generates
//!
//! `#[fiber]` rewrites the fn into a state machine: an enum with one variant per point where the
//! fn waits for a recursive call (holding the locals it still needs), and a step function that
//! runs from one such point to the next. The runtime keeps the frames in chunks on the heap and
//! calls the step for the top frame until the first frame returns.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod desugar;
mod held;
mod machine;
mod mut_ref;
mod runner;
mod stack;

pub use fiber_macros::fiber;
pub use runner::{Error, Runner, run};

/// A recursive computation that has not run yet: what a `#[fiber]` fn returns outside a fiber
/// body. Give it to [`run`] or to a [`Runner`].
///
/// The trait is sealed: only `#[fiber]` fns produce fibers.
#[must_use = "fibers do nothing unless run"]
pub trait Fiber: sealed::Sealed {
    /// What the computation returns: the fn's declared return type.
    type Output;
    #[doc(hidden)]
    type Frame;
    #[doc(hidden)]
    type Ret;
    #[doc(hidden)]
    type Step: for<'a> FnMut(
        &mut machine::Top<'a, Self::Frame>,
        &mut Option<Self::Ret>,
    ) -> machine::Step<Self::Frame>;
    #[doc(hidden)]
    type Finish: FnOnce(Self::Ret) -> Self::Output;
    #[doc(hidden)]
    fn __into_parts(self) -> (Self::Frame, Self::Step, Self::Finish);
}

mod sealed {
    pub trait Sealed {}
}

/// Items used by the code `#[fiber]` generates. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::desugar::{FromResidual, Try};
    pub use crate::held::{
        AnyMut, AnyRef, BorrowsThroughReference, FrameLocal, GuardBindingIsCopy, ReceiverMutOf, ReceiverOf,
        ReceiverValOf, TypeOf, borrowed_through_reference, guard_binding_is_copy, receiver_mut, receiver_ref,
        receiver_val,
    };
    pub use crate::machine::{Machine, Step, Top, machine, rejected, step_fn};
    pub use crate::mut_ref::MutRef;
    pub use core::iter::{IntoIterator, Iterator};
    pub use core::ops::ControlFlow;
    pub use core::option::Option::{None, Some};
    pub use core::unreachable;
}
