//! The protocol between the code `#[fiber]` generates and the driver.
//!
//! A group of fiber fns lowers to one *machine*: a frame enum (one variant per resume point of
//! every fn, each holding the locals live there), a return-value enum (one variant per fn), and a
//! step closure. The driver calls the step with the top frame; the step runs that frame's code up
//! to the next recursive call or return and says what to do next:
//!
//! - [`Step::Call`]: the step saved the caller's next state back into its slot
//!   ([`Top::save`]); push the callee's start frame.
//! - [`Step::TailCall`]: replace the top frame with the callee's start frame.
//! - [`Step::Return`]: the step wrote its value into the return slot; pop the frame. The caller's
//!   next step takes the value out of the slot.

use core::marker::PhantomData;
use core::ptr::{self, NonNull};

/// What the driver does after a step. Carries no return value: that travels in the driver-owned
/// return slot, so the common `Call` path moves one frame and nothing else.
pub enum Step<F> {
    /// The frame is done; its value is in the return slot.
    Return,
    /// Push the callee's start frame; the caller saved its next state first.
    Call(F),
    /// Replace the caller's frame with the callee's start frame.
    TailCall(F),
}

/// The top frame's slot, lent to the running step.
///
/// The step owns the slot's content while it runs: it may [`take`](Top::take) the frame out
/// (matching on it by value is as fast as matching in place and works for every type), and must
/// [`save`](Top::save) the next state before returning [`Step::Call`]. Whatever the slot holds
/// when the step returns `Return` or `TailCall`, or unwinds, is dropped exactly once.
pub struct Top<'a, F> {
    slot: NonNull<F>,
    occupied: bool,
    _frame: PhantomData<&'a mut F>,
}

impl<'a, F> Top<'a, F> {
    /// # Safety
    /// `slot` holds an initialized frame that nobody else will read, write or drop while this
    /// `Top` is alive; the `Top` drops it unless [`Top::release`] hands it back.
    #[inline(always)]
    pub(crate) unsafe fn new(slot: NonNull<F>) -> Self {
        Top { slot, occupied: true, _frame: PhantomData }
    }

    /// Moves the frame out of the slot.
    ///
    /// # Panics
    /// If the slot is empty (a bug in generated code; the check folds away when the step is
    /// inlined into the driver, since the flag is then known on every path).
    #[inline(always)]
    pub fn take(&mut self) -> F {
        assert!(self.occupied, "fiber: internal error: frame taken twice");
        self.occupied = false;
        // SAFETY: the slot was occupied, so it holds an initialized frame that this `Top` owns;
        // clearing `occupied` first transfers that ownership to the caller.
        unsafe { self.slot.as_ptr().read() }
    }

    /// Writes the frame's next state into the slot, dropping what the slot still held.
    #[inline(always)]
    pub fn save(&mut self, frame: F) {
        if self.occupied {
            self.occupied = false;
            // SAFETY: the slot holds an initialized frame owned by this `Top`; it is marked
            // vacant before the drop so that a panicking `Drop` cannot cause a second drop.
            unsafe { ptr::drop_in_place(self.slot.as_ptr()) };
        }
        // SAFETY: the slot is vacant and valid for writes for `'a`.
        unsafe { self.slot.as_ptr().write(frame) };
        self.occupied = true;
    }

    /// The frame just saved, for taking pointers into it that the callee uses (`f(&mut acc)`
    /// with `acc` a local of the caller): the slot does not move while the callee runs.
    ///
    /// # Panics
    /// If the slot is empty.
    #[inline(always)]
    pub fn saved_mut(&mut self) -> &mut F {
        assert!(self.occupied, "fiber: internal error: no saved frame");
        // SAFETY: the slot holds an initialized frame owned by this `Top`, borrowed for as long
        // as `self` is.
        unsafe { &mut *self.slot.as_ptr() }
    }

    /// Gives an occupied slot's frame back to the stack: this `Top` will not drop it.
    ///
    /// # Panics
    /// If the slot is empty: a step returned `Call` without saving its next state.
    #[inline(always)]
    pub(crate) fn release(mut self) {
        assert!(self.occupied, "fiber: internal error: a step returned Call without saving its frame");
        self.occupied = false;
    }
}

impl<F> Drop for Top<'_, F> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.occupied {
            self.occupied = false;
            // SAFETY: the slot holds an initialized frame owned by this `Top`.
            unsafe { ptr::drop_in_place(self.slot.as_ptr()) };
        }
    }
}

/// A fiber value as generated code builds it: the start frame, the step closure, and `finish`,
/// which maps the group's return enum to the output of the fn that was called.
#[must_use = "fibers do nothing unless run"]
pub struct Machine<F, R, S, X> {
    start: F,
    step: S,
    finish: X,
    /// `Send` and `Sync` as if it held an `R`: a runner keeps return values between steps, and
    /// its `Send` impl relies on `Machine: Send` covering every part of the computation.
    _ret: PhantomData<R>,
}

/// Builds a fiber value. Generated code passes the group's return enum, instantiated with the
/// declared return types, as `R` explicitly: inside the step closure rustc cannot yet see the
/// fn's `-> R`, and without it `ret.wrapping_mul(31)` is an ambiguous numeric type.
#[inline(always)]
pub fn machine<F, R, S, X, O>(start: F, step: S, finish: X) -> Machine<F, R, S, X>
where
    S: for<'a> FnMut(&mut Top<'a, F>, &mut Option<R>) -> Step<F>,
    X: FnOnce(R) -> O,
{
    Machine { start, step, finish, _ret: PhantomData }
}

/// Gives the step closure its signature where it is written (its parameter types come from
/// this bound; the frame type from the start frame), so that it can sit in a `let` with lint
/// attributes before it is handed to [`machine`].
#[inline(always)]
pub fn step_fn<F, R, S>(_start: &F, step: S) -> S
where
    S: for<'a> FnMut(&mut Top<'a, F>, &mut Option<R>) -> Step<F>,
{
    step
}

/// The body of a fn `#[fiber]` rejected: never runs (the crate does not compile), but has the
/// type callers expect, so they get no second error.
pub fn rejected<O>() -> impl crate::Fiber<Output = O> {
    machine::<(), O, _, _, O>((), |_: &mut Top<'_, ()>, _: &mut Option<O>| unreachable!(), |output| output)
}

impl<F, R, S, X> crate::sealed::Sealed for Machine<F, R, S, X> {}

impl<F, R, S, X, O> crate::Fiber for Machine<F, R, S, X>
where
    S: for<'a> FnMut(&mut Top<'a, F>, &mut Option<R>) -> Step<F>,
    X: FnOnce(R) -> O,
{
    type Output = O;
    type Frame = F;
    type Ret = R;
    type Step = S;
    type Finish = X;

    #[inline(always)]
    fn __into_parts(self) -> (F, S, X) {
        (self.start, self.step, self.finish)
    }
}
