//! The protocol between the code `#[fiber]` generates and the driver.
//!
//! A group of fiber fns lowers to one *machine*: a frame enum (one variant per resume point of
//! every fn, each holding the locals live there), a return-value enum (one variant per fn), and a
//! step closure. The driver calls the step with the top frame; the step runs that frame's code up
//! to the next recursive call or return and says what to do next:
//!
//! - [`Step::Call`]: the step saved the caller's next state into its slot ([`Top::save`]);
//!   run the callee's start frame next.
//! - [`Step::TailCall`]: run the callee's start frame next, in the caller's place.
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

/// A state's last act: its value into the return slot, then [`Step::Return`].
#[inline(always)]
pub fn ret<R, F>(slot: &mut Option<R>, value: R) -> Step<F> {
    *slot = Some(value);
    Step::Return
}

/// A binding a resumed loop restores from its frame: the resume arm wraps each field in an
/// `Option` and moves it out here, since the borrow checker cannot tell that the branch of the
/// loop that restores it runs once.
#[inline(always)]
pub fn take_saved<T>(saved: &mut Option<T>) -> T {
    match saved.take() {
        Some(value) => value,
        None => unreachable!(),
    }
}

/// The running frame's slot, lent to the running step.
///
/// The step gets the frame itself by value (matching on it by value is as fast as matching in
/// place and works for every type) and must [`save`](Top::save) its next state into the slot
/// before returning [`Step::Call`]. A frame that was just called never went through memory: its
/// slot (the next free one on the stack) is written only if the frame calls in turn. Whatever
/// the `Top` holds when the step returns `Return` or `TailCall`, or unwinds, is dropped exactly
/// once.
pub struct Top<'a, F> {
    slot: NonNull<F>,
    saved: bool,
    tail_calls_loop: bool,
    _slot: PhantomData<&'a mut F>,
}

impl<'a, F> Top<'a, F> {
    /// The vacant slot of the frame the step runs, which a frame just called would be saved in,
    /// or which a resumed frame was just read out of. With `tail_calls_loop`, the step runs the
    /// frames it tail-calls itself (see [`Top::tail_calls_loop`]).
    ///
    /// # Safety
    /// `slot` is valid for writes, vacant, and nobody else reads, writes or drops it while this
    /// `Top` is alive; the `Top` drops what is saved there unless [`Top::release`] hands it
    /// back.
    #[inline(always)]
    pub(crate) unsafe fn new(slot: NonNull<F>, tail_calls_loop: bool) -> Self {
        Top { slot, saved: false, tail_calls_loop, _slot: PhantomData }
    }

    /// Whether the step runs a tail call's callee itself, in a loop, instead of returning
    /// [`Step::TailCall`]. [`run`](crate::run) says yes: nobody counts its steps or pauses it,
    /// and a self tail call becomes a plain loop that LLVM optimizes like one (a tail-recursive
    /// slice sum vectorizes). A [`Runner`](crate::Runner) says no: it counts one step per
    /// tail call and can pause between them. The answer is a constant of the driver, so the
    /// branch folds away where the step is inlined.
    #[inline(always)]
    pub fn tail_calls_loop(&self) -> bool {
        self.tail_calls_loop
    }

    /// Writes the frame's next state into the slot, dropping what the slot still held.
    #[inline(always)]
    pub fn save(&mut self, frame: F) {
        if self.saved {
            self.saved = false;
            // SAFETY: the slot holds a frame saved by this `Top`; it is marked vacant before
            // the drop so that a panicking `Drop` cannot cause a second drop.
            unsafe { ptr::drop_in_place(self.slot.as_ptr()) };
        }
        // SAFETY: the slot is vacant and valid for writes for `'a`.
        unsafe { self.slot.as_ptr().write(frame) };
        self.saved = true;
    }

    /// The frame just saved, for taking pointers into it that the callee uses (`f(&mut acc)`
    /// with `acc` a local of the caller): the slot does not move while the callee runs.
    ///
    /// # Panics
    /// If nothing was saved.
    #[inline(always)]
    pub fn saved_mut(&mut self) -> &mut F {
        assert!(self.saved, "fiber: internal error: no saved frame");
        // SAFETY: the slot holds an initialized frame saved by this `Top`, borrowed for as
        // long as `self` is.
        unsafe { &mut *self.slot.as_ptr() }
    }

    /// Gives the saved frame to the stack: this `Top` will not drop it.
    ///
    /// # Panics
    /// If nothing was saved: a step returned `Call` without saving its next state.
    #[inline(always)]
    pub(crate) fn release(mut self) {
        assert!(self.saved, "fiber: internal error: a step returned Call without saving its frame");
        self.saved = false;
    }
}

impl<F> Drop for Top<'_, F> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.saved {
            self.saved = false;
            // SAFETY: the slot holds a frame saved by this `Top`.
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
    S: for<'a> FnMut(F, &mut Top<'a, F>, &mut Option<R>) -> Step<F>,
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
    S: for<'a> FnMut(F, &mut Top<'a, F>, &mut Option<R>) -> Step<F>,
{
    step
}

/// The body of a fn `#[fiber]` rejected: never runs (the crate does not compile), but has the
/// type callers expect, so they get no second error.
pub fn rejected<O>() -> impl crate::Fiber<Output = O> {
    machine::<(), O, _, _, O>(
        (),
        |_: (), _: &mut Top<'_, ()>, _: &mut Option<O>| unreachable!(),
        |output| output,
    )
}

impl<F, R, S, X> crate::sealed::Sealed for Machine<F, R, S, X> {}

impl<F, R, S, X, O> crate::Fiber for Machine<F, R, S, X>
where
    S: for<'a> FnMut(F, &mut Top<'a, F>, &mut Option<R>) -> Step<F>,
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
