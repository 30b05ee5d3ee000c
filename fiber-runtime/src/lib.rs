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

mod chunk_cache;
mod desugar;
mod held;
mod kept_local;
mod machine;
mod mut_ref;
mod runner;
mod stack;

pub use chunk_cache::{CACHED_BYTES, cached_stack_bytes, release_cached_stacks};
/// Turns a recursive fn, a `mod` of mutually recursive fns, or an `impl` block into fibers that
/// run on a heap stack.
///
/// # On a fn
///
/// Outside a fiber body, the fn returns a value implementing [`Fiber`] that runs nothing until
/// it is given to [`run`] or a [`Runner`]; inside the body, a call to it evaluates to its
/// declared return type. The body stays ordinary Rust: no annotations, no special call syntax.
///
/// ```
/// use fiber_runtime::{fiber, run};
///
/// #[fiber]
/// fn depth(parens: &[u8]) -> usize {
///     match parens.first() {
///         Some(b'(') => 1 + depth(&parens[1..]),
///         _ => 0,
///     }
/// }
///
/// let deep = vec![b'('; 1_000_000];
/// assert_eq!(run(depth(&deep)), 1_000_000);
/// ```
///
/// A call in tail position replaces the caller's frame when no local in scope has a destructor,
/// so tail recursion runs in constant space:
///
/// ```
/// use fiber_runtime::{Runner, fiber};
///
/// #[fiber]
/// fn sum(xs: &[u64], acc: u64) -> u64 {
///     if xs.is_empty() {
///         return acc;
///     }
///     sum(&xs[1..], acc + xs[0])
/// }
///
/// let xs = vec![1; 1_000_000];
/// let mut runner = Runner::new(sum(&xs, 0));
/// assert_eq!(runner.resume(u64::MAX), std::task::Poll::Ready(Ok(1_000_000)));
/// assert_eq!(runner.peak_depth(), 1);
/// ```
///
/// `&mut` arguments pass on as natively; the fn as written is also compiled, never called, so
/// that the borrow checker checks it:
///
/// ```
/// use fiber_runtime::{fiber, run};
///
/// #[fiber]
/// fn visit(adjacency: &[Vec<usize>], v: usize, seen: &mut Vec<bool>) -> usize {
///     seen[v] = true;
///     let mut count = 1;
///     for &w in &adjacency[v] {
///         if !seen[w] {
///             count += visit(adjacency, w, seen);
///         }
///     }
///     count
/// }
///
/// let path: Vec<Vec<usize>> = (0..100_000).map(|v| vec![(v + 1) % 100_000]).collect();
/// assert_eq!(run(visit(&path, 0, &mut vec![false; 100_000])), 100_000);
/// ```
///
/// # On a `mod` or an `impl`
///
/// Every fn of the module, or every method and associated fn of the impl, is one group: calls
/// between them run on the same heap stack. `#[native]` on a fn keeps it a plain fn.
///
/// ```
/// use fiber_runtime::{fiber, run};
///
/// pub enum Expr {
///     Num(i64),
///     Add(Box<Expr>, Box<Expr>),
/// }
///
/// #[fiber]
/// impl Expr {
///     pub fn eval(&self) -> i64 {
///         match self {
///             Expr::Num(n) => *n,
///             Expr::Add(a, b) => a.eval() + b.eval(),
///         }
///     }
/// }
///
/// #[fiber]
/// mod parity {
///     pub fn is_even(n: u64) -> bool {
///         if n == 0 { true } else { is_odd(n - 1) }
///     }
///     pub fn is_odd(n: u64) -> bool {
///         if n == 0 { false } else { is_even(n - 1) }
///     }
/// }
///
/// let e = Expr::Add(Box::new(Expr::Num(2)), Box::new(Expr::Num(3)));
/// assert_eq!(run(e.eval()), 5);
/// assert!(run(parity::is_even(1_000_000)));
/// ```
///
/// # Limits
///
/// What the macro cannot support is a compile error on your code with a hint, never a panic or
/// a wall of errors in generated code. Every message, with the ui test that shows it, is listed
/// in [`fiber-macros/ERRORS.md`](https://github.com/fiber-rs/fiber/blob/main/fiber-macros/ERRORS.md);
/// the README's "Limits" section explains each. A few:
///
/// A recursive call inside a closure (a closure is a fn of its own, which the machine cannot
/// suspend): write a loop.
///
/// ```compile_fail
/// # use fiber_runtime::fiber;
/// #[fiber]
/// fn total(xs: &[u64]) -> u64 {
///     if xs.len() < 2 { return xs.iter().sum(); }
///     xs.chunks(xs.len() / 2).map(|c| total(c)).sum()
/// }
/// ```
///
/// A local that a borrow holds across a recursive call (`for x in &v`, `let r = &v;` read after
/// the call) stays at one heap address until its scope ends, so it cannot be moved out of
/// there: take its value with `std::mem::take(&mut v)`, or clone it.
///
/// ```compile_fail
/// # use fiber_runtime::fiber;
/// #[fiber]
/// fn walk(n: u64) -> Vec<u64> {
///     if n == 0 { return Vec::new(); }
///     let v = vec![n, n + 1];
///     for x in &v { walk(n - 1 + x % 1); }
///     v
/// }
/// ```
///
/// Borrowing it is fine, before, across and after calls:
///
/// ```
/// # use fiber_runtime::{fiber, run};
/// #[fiber]
/// fn walk(n: u64) -> u64 {
///     if n == 0 { return 0; }
///     let v = vec![n, n + 1];
///     let mut total = 0;
///     for x in &v { total += walk(n - 1) % 1000 + x; }
///     total
/// }
/// assert_eq!(run(walk(2)), (3 + 2) + (3 + 3));
/// ```
///
/// (Lending a local, or a temporary, to the call itself works: `walk(child, &path, out)`,
/// `f(&mut Vec::new())`. The local stays in the caller's saved frame while the callee runs.)
///
/// ```
/// # use fiber_runtime::{fiber, run};
/// #[fiber]
/// fn depth(n: u64, prefix: &str) -> usize {
///     if n == 0 { return prefix.len(); }
///     let path = format!("{prefix}/{n}");
///     depth(n - 1, &path)
/// }
/// assert_eq!(run(depth(3, "")), 6);
/// ```
///
/// `async fn`, `const fn`, `extern` fns: a fiber is already resumable; drive it with a
/// [`Runner`], which is a `Future`.
///
/// ```compile_fail
/// # use fiber_runtime::fiber;
/// #[fiber]
/// async fn count(n: u64) -> u64 {
///     if n == 0 { 0 } else { count(n - 1).await + 1 }
/// }
/// ```
#[doc(inline)]
pub use fiber_macros::fiber;
pub use runner::{DEFAULT_YIELD_EVERY, Error, Runner, run};

/// A recursive computation that has not run yet: what a `#[fiber]` fn returns outside a fiber
/// body. Give it to [`run`] or to a [`Runner`].
///
/// The trait is sealed: only `#[fiber]` fns produce fibers. A fiber is `Send` when its
/// arguments, the locals it keeps across calls and its output are, and so is its [`Runner`].
///
/// ```
/// use fiber_runtime::{Fiber, Runner, fiber, run};
///
/// #[fiber]
/// fn nest(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + nest(n - 1) }
/// }
///
/// fn twice<F: Fiber<Output = u64>>(a: F, b: F) -> u64 {
///     run(a) + Runner::new(b).finish().unwrap()
/// }
/// assert_eq!(twice(nest(10), nest(20)), 30);
/// ```
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
        Self::Frame,
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

/// The value a callee left in the return slot, taken out: `returned!(slot, Ret::f)`, or with the
/// fns it may have tail-called, `returned!(slot, Ret::{f, g})`. One pattern for the `Some` and
/// the variant (checking them apart costs twice as much); any other value is impossible, since
/// the machine knows which fn it called.
#[doc(hidden)]
#[macro_export]
macro_rules! __fiber_returned {
    ($slot:expr, $ret:ident :: $variant:ident) => {
        $crate::__fiber_returned!($slot, $ret::{ $variant })
    };
    ($slot:expr, $ret:ident :: { $($variant:ident),+ }) => {{
        let $crate::__private::Some($($ret::$variant(value))|+) = $slot.take() else {
            $crate::__private::unreachable!()
        };
        value
    }};
}

/// Items used by the code `#[fiber]` generates. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::__fiber_keep_local as keep_local;
    pub use crate::__fiber_returned as returned;
    pub use crate::desugar::{FromResidual, Try};
    pub use crate::held::{
        AnyMut, AnyRef, BorrowsThroughReference, FrameLocal, GuardBindingIsCopy, MovedOutOfKeptLocal,
        ReceiverMutOf, ReceiverOf, ReceiverValOf, TypeOf, borrowed_through_reference, guard_binding_is_copy,
        moved_out_of_kept_local, receiver_mut, receiver_ref, receiver_val,
    };
    pub use crate::kept_local::{
        CopiedOutOfKeptLocal, InlineRef, Keep, KeepByReference, KeepOnHeap, KeptLocal, Unprotected,
        copied_out_of_kept_local,
    };
    pub use crate::machine::{Machine, Step, Top, machine, rejected, ret, step_fn, take_saved};
    pub use crate::mut_ref::MutRef;
    pub use core::iter::{IntoIterator, Iterator};
    pub use core::mem::drop;
    pub use core::ops::ControlFlow;
    pub use core::option::Option::{None, Some};
    pub use core::ptr::from_mut;
    pub use core::unreachable;
}
