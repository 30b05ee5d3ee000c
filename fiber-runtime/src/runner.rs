//! The driver: owns one computation's heap stack and steps it, as far as it is asked to.

use core::fmt;
use core::future::Future;
use core::mem;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::Fiber;
use crate::machine::{Step, Top};
use crate::stack::{Cursor, Stack};

/// Why a [`Runner`] stopped without a result.
///
/// New variants may be added (for example for other limits), so a `match` needs a `_` arm.
///
/// ```
/// use fiber_runtime::{Error, Runner, fiber};
///
/// #[fiber]
/// fn nest(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + nest(n - 1) }
/// }
///
/// let error = Runner::new(nest(1_000)).max_depth(100).finish().unwrap_err();
/// assert_eq!(error, Error::DepthLimit { limit: 100 });
/// assert_eq!(error.to_string(), "fiber recursion exceeded the depth limit of 100 frames");
/// // An ordinary error: it works with `?` into `Box<dyn Error>`.
/// let boxed: Box<dyn std::error::Error + Send + Sync> = error.into();
/// # let _ = boxed;
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A call would have made the stack deeper than [`Runner::max_depth`] allows. The
    /// computation is over and its frames have been dropped.
    ///
    /// ```
    /// use fiber_runtime::{Error, Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// // `nest(9)` needs ten frames.
    /// assert_eq!(Runner::new(nest(9)).max_depth(10).finish(), Ok(9));
    /// assert_eq!(Runner::new(nest(9)).max_depth(9).finish(), Err(Error::DepthLimit { limit: 9 }));
    /// ```
    DepthLimit {
        /// The limit that was set.
        limit: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::DepthLimit { limit } => {
                write!(f, "fiber recursion exceeded the depth limit of {limit} frames")
            }
        }
    }
}

/// `core::error::Error` is `std::error::Error`: with or without the `std` feature.
impl core::error::Error for Error {}

/// How many steps one [`poll`](Future::poll) of a [`Runner`] runs, unless
/// [`Runner::yield_every`] says otherwise.
///
/// Chosen by measurement (`cargo run --release --example runner_numbers`, a 10,000,000-deep
/// `depth(n - 1) + 1`, whose 1.5-6 ns steps are the cheapest there are, so the cost of yielding
/// weighs most): on tokio's current-thread runtime with a second task, yielding every 256 steps
/// cost 12% over one uninterrupted run, every 1024 steps 2%, every 4096 steps less than the
/// noise (±2%); a poll of 4096 steps took 23 µs (median; 30 µs at the 99th percentile). So
/// 4096 keeps the executor's thread well inside the ~100 µs that async runtimes advise between
/// yields, with room for steps several times costlier, and costs nothing measurable.
///
/// ```
/// assert_eq!(fiber_runtime::DEFAULT_YIELD_EVERY, 4096);
/// ```
pub const DEFAULT_YIELD_EVERY: u64 = 4096;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Finished,
    /// A step panicked; the frames were dropped while the panic unwound.
    Poisoned,
}

/// Owns the heap stack of one fiber computation and runs it step by step.
///
/// A *step* is one resume of one frame: it runs the frame's code up to its next recursive call
/// (a tail call included) or its return. [`run`] is the short path to the result; a `Runner`
/// can stop after a number of steps and continue later ([`resume`](Runner::resume)), limit the
/// depth ([`max_depth`](Runner::max_depth)), report how deep the computation went and how much
/// memory it holds, be cancelled by dropping it, and be awaited as a [`Future`] that yields to
/// the executor every [`yield_every`](Runner::yield_every) steps.
///
/// ```
/// use fiber_runtime::{Runner, fiber};
/// use std::task::Poll;
///
/// #[fiber]
/// fn count_down(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + count_down(n - 1) }
/// }
///
/// let mut runner = Runner::new(count_down(1_000_000));
/// assert!(runner.resume(1000).is_pending());
/// // Each step so far called one level deeper.
/// assert_eq!((runner.steps(), runner.depth()), (1000, 1001));
/// assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(1_000_000)));
/// assert_eq!(runner.peak_depth(), 1_000_001);
/// ```
///
/// # Cancellation and panics
///
/// Dropping a `Runner` before it is done cancels the computation: every live frame is dropped
/// exactly once, innermost first, as native unwinding would drop them. A panic inside a step
/// drops the frames the same way while it unwinds out of [`resume`](Runner::resume); the runner
/// is then poisoned and any later `resume` panics.
///
/// # Threads
///
/// A `Runner` uses no thread-local or global state. It is [`Send`] exactly when the fiber's
/// frames (its arguments and the locals it keeps across calls) and its output are `Send`, and
/// it is always [`Unpin`]: frames live on the heap, never move while on the stack, and are
/// never pinned.
///
/// ```compile_fail
/// use fiber_runtime::{Runner, fiber};
/// use std::rc::Rc;
///
/// #[fiber]
/// fn len(list: Rc<Vec<u8>>, i: usize) -> usize {
///     if i == list.len() { 0 } else { 1 + len(list, i + 1) }
/// }
///
/// fn spawn_elsewhere<T: Send + 'static>(_: T) {}
/// spawn_elsewhere(Runner::new(len(Rc::new(vec![1, 2, 3]), 0))); // error: `Rc` is not `Send`
/// ```
pub struct Runner<F: Fiber> {
    // Fields drop in this order: a value just returned by a callee belongs to the top frame, so
    // it goes first, then the frames innermost first, then the step's environment.
    ret: Option<F::Ret>,
    stack: Stack<F::Frame>,
    step: F::Step,
    finish: Option<F::Finish>,
    steps: u64,
    peak_depth: usize,
    max_depth: usize,
    yield_every: u64,
    state: State,
}

impl<F: Fiber> Runner<F> {
    /// Prepares `fiber` to run; runs nothing yet. The first frame is on the stack.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// let runner = Runner::new(nest(3));
    /// assert_eq!((runner.depth(), runner.steps()), (1, 0));
    /// assert_eq!(runner.finish(), Ok(3));
    /// ```
    pub fn new(fiber: F) -> Self {
        let (start, step, finish) = fiber.__into_parts();
        let mut stack = Stack::new();
        stack.push(start);
        Runner {
            ret: None,
            stack,
            step,
            finish: Some(finish),
            steps: 0,
            peak_depth: 1,
            max_depth: usize::MAX,
            yield_every: DEFAULT_YIELD_EVERY,
            state: State::Running,
        }
    }

    /// Ends the computation with [`Error::DepthLimit`] when a call would make the stack deeper
    /// than `limit` frames (the first frame counts as one). The frames are dropped, innermost
    /// first, and the runner is finished. Without a limit, the depth is bounded by memory.
    ///
    /// Use it for input you do not trust: a parser fed by the network, an interpreter running
    /// a user's program.
    ///
    /// ```
    /// use fiber_runtime::{Error, Runner, fiber};
    /// use std::task::Poll;
    ///
    /// #[fiber]
    /// fn depth(parens: &[u8]) -> usize {
    ///     match parens.first() {
    ///         Some(b'(') => 1 + depth(&parens[1..]),
    ///         _ => 0,
    ///     }
    /// }
    ///
    /// let hostile = vec![b'('; 10_000_000];
    /// let mut runner = Runner::new(depth(&hostile)).max_depth(1000);
    /// assert_eq!(runner.resume(u64::MAX), Poll::Ready(Err(Error::DepthLimit { limit: 1000 })));
    /// assert_eq!((runner.depth(), runner.peak_depth()), (0, 1000));
    /// ```
    ///
    /// # Panics
    /// If `limit` is 0: the first frame alone is one frame deep.
    pub fn max_depth(mut self, limit: usize) -> Self {
        assert!(limit > 0, "fiber: Runner::max_depth(0): the first frame alone is one frame deep");
        self.max_depth = limit;
        self
    }

    /// Sets how many steps each [`poll`](Future::poll) of the runner as a [`Future`] runs before
    /// it wakes its task and returns `Pending`, so that other tasks on the executor run in
    /// between. The default is [`DEFAULT_YIELD_EVERY`]. It has no effect on
    /// [`resume`](Runner::resume) and [`finish`](Runner::finish).
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let deep = Runner::new(nest(1_000_000)).yield_every(1000);
    /// assert_eq!(deep.await, Ok(1_000_000));
    /// # }
    /// ```
    ///
    /// # Panics
    /// If `steps` is 0: such a future would never finish.
    pub fn yield_every(mut self, steps: u64) -> Self {
        assert!(steps > 0, "fiber: Runner::yield_every(0): the future would never make progress");
        self.yield_every = steps;
        self
    }

    /// Frames on the heap stack now: 1 before the first step, 0 once the computation is over.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// let mut runner = Runner::new(nest(10));
    /// assert_eq!(runner.depth(), 1);
    /// let _ = runner.resume(4); // four calls
    /// assert_eq!(runner.depth(), 5);
    /// let _ = runner.resume(u64::MAX);
    /// assert_eq!(runner.depth(), 0);
    /// ```
    pub fn depth(&self) -> usize {
        self.stack.depth()
    }

    /// The deepest the stack has been, in frames.
    ///
    /// ```
    /// use fiber_runtime::{fiber, Runner};
    ///
    /// #[fiber]
    /// fn fib(n: u64) -> u64 {
    ///     if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
    /// }
    ///
    /// let mut runner = Runner::new(fib(20));
    /// assert!(runner.resume(u64::MAX).is_ready());
    /// assert_eq!(runner.peak_depth(), 20); // fib(20), fib(19), ..., fib(1)
    /// ```
    pub fn peak_depth(&self) -> usize {
        self.peak_depth
    }

    /// Steps run so far. A step is one resume of one frame; a tail call is one step too, so a
    /// tail-recursive fn that runs in one frame still counts one step per iteration.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn count(n: u64, acc: u64) -> u64 {
    ///     if n == 0 { acc } else { count(n - 1, acc + 1) }
    /// }
    ///
    /// let mut runner = Runner::new(count(1000, 0));
    /// assert!(runner.resume(u64::MAX).is_ready());
    /// // 1000 tail calls and the final return, all in one frame.
    /// assert_eq!((runner.steps(), runner.peak_depth()), (1001, 1));
    /// ```
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Heap bytes the stack holds now: its chunks and the table that lists them. Exact: it is
    /// the sum of the sizes of the live allocations the runner made. Chunks double in size as
    /// the stack grows, are never copied, and are freed when the stack shrinks below them (one
    /// spare chunk is kept); a finished runner holds none.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// let mut runner = Runner::new(nest(1_000_000));
    /// let _ = runner.resume(1_000_000); // all the way down
    /// let deep = runner.stack_bytes();
    /// assert!(deep >= 1_000_000 * 8, "{deep}");
    /// let _ = runner.resume(999_000); // most of the way back up
    /// assert!(runner.stack_bytes() < deep / 100);
    /// let _ = runner.resume(u64::MAX);
    /// assert_eq!(runner.stack_bytes(), 0);
    /// ```
    pub fn stack_bytes(&self) -> usize {
        self.stack.allocated_bytes()
    }

    /// Runs at most `max_steps` steps. Returns `Pending` if the computation is not done yet,
    /// `Ready(Ok(output))` when it returned, and `Ready(Err(Error::DepthLimit { .. }))` when a
    /// call would pass the [`max_depth`](Runner::max_depth); after `Ready` the runner holds no
    /// frames and no memory.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    /// use std::task::Poll;
    ///
    /// #[fiber]
    /// fn fib(n: u64) -> u64 {
    ///     if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
    /// }
    ///
    /// // Share a thread between computations, 10,000 steps at a time.
    /// let mut runners = vec![Runner::new(fib(20)), Runner::new(fib(15))];
    /// let mut results = vec![None; 2];
    /// while results.contains(&None) {
    ///     for (runner, result) in runners.iter_mut().zip(&mut results) {
    ///         if result.is_none() {
    ///             if let Poll::Ready(r) = runner.resume(10_000) {
    ///                 *result = Some(r.unwrap());
    ///             }
    ///         }
    ///     }
    /// }
    /// assert_eq!(results, [Some(6765), Some(610)]);
    /// ```
    ///
    /// # Panics
    /// A panic inside a step propagates out of `resume`, after dropping every frame (innermost
    /// first, as native unwinding does). A later `resume` then panics, as does a `resume` after
    /// one that returned `Ready`, like a completed future:
    ///
    /// ```should_panic
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// let mut runner = Runner::new(nest(3));
    /// assert!(runner.resume(u64::MAX).is_ready());
    /// let _ = runner.resume(1); // panics: "Runner::resume called after the computation finished"
    /// ```
    pub fn resume(&mut self, max_steps: u64) -> Poll<Result<F::Output, Error>> {
        match self.state {
            State::Running => {}
            State::Finished => panic!("fiber: Runner::resume called after the computation finished"),
            State::Poisoned => {
                panic!("fiber: Runner::resume called after a panic inside the computation")
            }
        }
        // If a step unwinds out of this function, the guard drops the frames (innermost first,
        // as the unwinding would have natively) and leaves the runner poisoned.
        struct Unwinding<'a, F: Fiber>(&'a mut Runner<F>);
        impl<F: Fiber> Drop for Unwinding<'_, F> {
            fn drop(&mut self) {
                self.0.state = State::Poisoned;
                self.0.cancel();
            }
        }
        let guard = Unwinding(self);
        let poll = guard.0.run(max_steps);
        mem::forget(guard);
        poll
    }

    /// The driver loop. Calls the step from exactly one place: with a second call site LLVM
    /// stops inlining a large step, which made a group of fns 2-5x slower.
    ///
    /// The stack, the return slot and the counters are moved into locals for the loop: as
    /// fields of `self` they would be reloaded after every frame write, since LLVM cannot tell
    /// that a write through a frame pointer leaves `self` alone (measured: 30% slower on fib, 2x
    /// on tail calls). If a step unwinds, the locals drop where they are: the running
    /// frame, the return slot, then the frames below, innermost first, as native unwinding
    /// drops them.
    ///
    /// [`run`] has a driver of its own, without budget, depth limit or peak (see there).
    #[inline]
    fn run(&mut self, max_steps: u64) -> Poll<Result<F::Output, Error>> {
        let mut stack = mem::replace(&mut self.stack, Stack::new());
        // Goes back into the stack when `hot` drops: at the end, or while a step unwinds (then
        // after the running frame, which its `Top` drops, and `ret`, declared later; before
        // the frames below, which `stack` drops).
        let mut hot = Hot { at: stack.cursor(), stack: &mut stack };
        let mut ret = self.ret.take();
        let step = &mut self.step;
        let max_depth = self.max_depth;
        let mut peak_depth = self.peak_depth;
        let mut budget = max_steps;
        let mut failed = false;
        let mut finished = false;
        // The running frame is a local, read out of its slot (the top one, detached from the
        // stack) or, when it was just called, never written: its slot (the vacant one above
        // the top) is written only if the frame calls in turn. Leaves never touch memory, and
        // after a call LLVM sees which arm of the step runs next.
        let (mut slot, mut frame) =
            hot.resume_top().expect("fiber: internal error: a running runner has no frame");
        loop {
            if budget == 0 {
                // SAFETY: the slot is vacant, as the stack left it.
                unsafe { slot.as_ptr().write(frame) };
                hot.at.restore_top();
                break;
            }
            budget -= 1;
            // SAFETY: `slot` is vacant, and the stack will not touch it before `Hot::call`,
            // which takes this `Top` and releases it first, or `Hot::resume_top`, which
            // follows its drop.
            let mut top = unsafe { Top::new(slot, false) };
            match step(frame, &mut top, &mut ret) {
                Step::Call(callee) => {
                    slot = hot.call(top);
                    if hot.at.depth() >= max_depth {
                        drop(callee);
                        failed = true;
                        break;
                    }
                    peak_depth = peak_depth.max(hot.at.depth() + 1);
                    frame = callee;
                }
                Step::TailCall(callee) => {
                    drop(top);
                    frame = callee;
                }
                Step::Return => {
                    drop(top);
                    let Some(caller) = hot.resume_top() else {
                        finished = true;
                        break;
                    };
                    (slot, frame) = caller;
                }
            }
        }
        drop(hot);
        self.steps += max_steps - budget;
        self.peak_depth = peak_depth;
        if failed {
            drop(ret);
            drop(stack);
            return self.fail(Error::DepthLimit { limit: self.max_depth });
        }
        if !finished {
            self.stack = stack;
            self.ret = ret;
            return Poll::Pending;
        }
        self.state = State::Finished;
        drop(stack);
        let ret = ret.expect("fiber: internal error: the first frame returned no value");
        let finish = self.finish.take().expect("fiber: internal error: finished twice");
        Poll::Ready(Ok(finish(ret)))
    }

    /// Runs the computation to its end.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// assert_eq!(Runner::new(nest(1_000_000)).finish(), Ok(1_000_000));
    /// ```
    ///
    /// # Panics
    /// As [`resume`](Runner::resume).
    pub fn finish(mut self) -> Result<F::Output, Error> {
        loop {
            if let Poll::Ready(result) = self.resume(u64::MAX) {
                return result;
            }
        }
    }

    #[cold]
    fn fail(&mut self, error: Error) -> Poll<Result<F::Output, Error>> {
        self.state = State::Finished;
        self.cancel();
        Poll::Ready(Err(error))
    }

    /// Drops what the computation holds, innermost first, and frees the stack's memory.
    fn cancel(&mut self) {
        self.ret = None;
        self.stack.release();
    }
}

/// Awaiting a `Runner` runs its computation [`yield_every`](Runner::yield_every) steps per
/// poll; between polls it wakes its own task and returns `Pending`, so a deep recursion inside
/// an async service does not block the other tasks of its executor. Polling again after
/// `Ready` panics, as [`Runner::resume`] does.
///
/// ```
/// use fiber_runtime::{Runner, fiber};
///
/// #[fiber]
/// fn nest(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + nest(n - 1) }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let other = tokio::spawn(async { "ran in between" });
/// assert_eq!(Runner::new(nest(1_000_000)).await, Ok(1_000_000));
/// assert_eq!(other.await.unwrap(), "ran in between");
/// # }
/// ```
impl<F: Fiber> Future for Runner<F> {
    type Output = Result<F::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let poll = this.resume(this.yield_every);
        if poll.is_pending() {
            cx.waker().wake_by_ref();
        }
        poll
    }
}

/// Frames live on the heap stack, which never moves them; nothing in a `Runner` is pinned.
impl<F: Fiber> Unpin for Runner<F> {}

// SAFETY: a `Runner<F>` owns the parts of `F` (its frames, step closure, `finish` and return
// values), nothing else that is not `Send`. `Fiber` is sealed and implemented by `Machine` alone,
// which holds all of them (the return enum through `PhantomData<R>`), so `F: Send` means every
// part is `Send`. Written out because the auto impl would ask `F::Frame: Send` and the like,
// which rustc cannot prove through the `impl Fiber` a `#[fiber]` fn returns.
unsafe impl<F: Fiber + Send> Send for Runner<F> {}

// SAFETY: `&Runner` gives access to the counters only (`depth`, `steps`, ... and `Debug`); the
// frames, the step closure and the return values are reached through `&mut Runner` alone.
unsafe impl<F: Fiber> Sync for Runner<F> {}

impl<F: Fiber> fmt::Debug for Runner<F> {
    /// Shows the counters, not the frames.
    ///
    /// ```
    /// use fiber_runtime::{Runner, fiber};
    ///
    /// #[fiber]
    /// fn nest(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + nest(n - 1) }
    /// }
    ///
    /// let text = format!("{:?}", Runner::new(nest(3)));
    /// assert!(text.starts_with("Runner { state: Running, depth: 1,"), "{text}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Running => "Running",
            State::Finished => "Finished",
            State::Poisoned => "Poisoned",
        };
        f.debug_struct("Runner")
            .field("state", &format_args!("{state}"))
            .field("depth", &self.depth())
            .field("peak_depth", &self.peak_depth)
            .field("steps", &self.steps)
            .field("stack_bytes", &self.stack_bytes())
            .field("max_depth", &self.max_depth)
            .field("yield_every", &self.yield_every)
            .finish_non_exhaustive()
    }
}

/// Runs `fiber` to completion on a heap stack and returns its result: the short path, with no
/// depth limit (the depth is bounded by memory) and no pause. Since nobody counts its steps,
/// tail calls run as a loop inside the machine's step, so a tail-recursive fn costs what the
/// loop written by hand costs (a [`Runner`] counts one step per tail call instead).
///
/// ```
/// use fiber_runtime::{fiber, run};
///
/// #[fiber]
/// fn depth(n: u64) -> u64 {
///     if n == 0 { 0 } else { depth(n - 1) + 1 }
/// }
///
/// assert_eq!(run(depth(10_000_000)), 10_000_000);
/// ```
///
/// # Panics
/// A panic inside the computation propagates, after every live frame was dropped.
pub fn run<F: Fiber>(fiber: F) -> F::Output {
    // The driver of `Runner::run` without what only a runner needs (a step budget, a depth
    // limit, the peak, pausing): `run` is most of what a program runs, and the smaller loop
    // is less code for LLVM to compile per machine. The same protocol, and the same argument
    // for each `unsafe` block, as there.
    let (start, mut step, finish) = fiber.__into_parts();
    let mut stack = Stack::new();
    // If a step unwinds, the locals drop in reverse order: the running frame (its `Top`),
    // `ret`, `hot`, which gives the cursor back to the stack, and the stack with the frames
    // below, innermost first.
    let mut hot = Hot { at: stack.cursor(), stack: &mut stack };
    let mut ret = None;
    let mut frame = start;
    let mut slot = hot.stack.reserve_at(&mut hot.at);
    loop {
        // SAFETY: as in `Runner::run`.
        let mut top = unsafe { Top::new(slot, true) };
        match step(frame, &mut top, &mut ret) {
            Step::Call(callee) => {
                slot = hot.call(top);
                frame = callee;
            }
            Step::TailCall(callee) => {
                drop(top);
                frame = callee;
            }
            Step::Return => {
                drop(top);
                let Some(caller) = hot.resume_top() else { break };
                (slot, frame) = caller;
            }
        }
    }
    drop(hot);
    drop(stack);
    finish(ret.expect("fiber: internal error: the first frame returned no value"))
}

/// The stack's hot part, in a local of a driver loop; it goes back into the stack when this
/// guard drops, at the end of the loop or while a step unwinds.
struct Hot<'a, T> {
    stack: &'a mut Stack<T>,
    at: Cursor<T>,
}

impl<T> Hot<'_, T> {
    /// After [`Step::Call`]: the caller's saved state becomes the top frame, and the vacant
    /// slot above it is the callee's.
    #[inline(always)]
    fn call(&mut self, top: Top<'_, T>) -> NonNull<T> {
        top.release();
        self.at.restore_top();
        self.stack.reserve_at(&mut self.at)
    }

    /// The top frame, moved out of its slot (now vacant), or `None` on an empty stack: after
    /// [`Step::Return`], the caller to resume.
    #[inline(always)]
    fn resume_top(&mut self) -> Option<(NonNull<T>, T)> {
        let slot = self.stack.detach_top_at(&mut self.at)?;
        // SAFETY: `detach_top_at` hands over the initialized top frame, which is moved out
        // here, so the slot is vacant.
        Some((slot, unsafe { slot.as_ptr().read() }))
    }
}

impl<T> Drop for Hot<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        self.stack.set_cursor(self.at);
    }
}
