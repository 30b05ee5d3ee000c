//! The driver: owns one computation's heap stack and steps it, as far as it is asked to.

use core::fmt;
use core::task::Poll;

use crate::Fiber;
use crate::machine::{Step, Top};
use crate::stack::Stack;

/// Why a [`Runner`] stopped without a result.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A call would have made the stack deeper than [`Runner::max_depth`] allows. The
    /// computation is over and its frames have been dropped.
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

impl core::error::Error for Error {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Finished,
    /// A step panicked; the stack may hold a half-updated caller.
    Poisoned,
}

/// Owns the heap stack of one fiber computation and runs it step by step.
///
/// A step is one resume of one frame: it runs the frame's code up to its next recursive call or
/// return. [`run`] is the short path to the result; a `Runner` can stop after a number of steps
/// and continue later, limit the depth, and report how deep the computation went.
///
/// ```
/// use fiber_runtime::{fiber, Runner};
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
pub struct Runner<F: Fiber> {
    stack: Stack<F::Frame>,
    step: F::Step,
    finish: Option<F::Finish>,
    ret: Option<F::Ret>,
    steps: u64,
    peak_depth: usize,
    max_depth: usize,
    state: State,
}

impl<F: Fiber> Runner<F> {
    /// Prepares `fiber` to run; runs nothing yet.
    pub fn new(fiber: F) -> Self {
        let (start, step, finish) = fiber.__into_parts();
        let mut stack = Stack::new();
        stack.push(start);
        Runner {
            stack,
            step,
            finish: Some(finish),
            ret: None,
            steps: 0,
            peak_depth: 1,
            max_depth: usize::MAX,
            state: State::Running,
        }
    }

    /// Ends the computation with [`Error::DepthLimit`] when a call would make the stack deeper
    /// than `limit` frames (the first frame counts as one).
    pub fn max_depth(mut self, limit: usize) -> Self {
        self.max_depth = limit;
        self
    }

    /// Frames on the heap stack now.
    pub fn depth(&self) -> usize {
        self.stack.depth()
    }

    /// The deepest the stack has been.
    pub fn peak_depth(&self) -> usize {
        self.peak_depth
    }

    /// Steps run so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Heap bytes the stack has allocated now, chunks included.
    pub fn stack_bytes(&self) -> usize {
        self.stack.allocated_bytes()
    }

    /// Runs at most `max_steps` steps. Returns `Pending` if the computation is not done yet,
    /// else its result.
    ///
    /// # Panics
    /// If the computation already returned `Ready`, or if an earlier step panicked; a panic
    /// inside a step propagates out of `resume`.
    pub fn resume(&mut self, max_steps: u64) -> Poll<Result<F::Output, Error>> {
        match self.state {
            State::Running => {}
            State::Finished => panic!("fiber: Runner::resume called after the computation finished"),
            State::Poisoned => {
                panic!("fiber: Runner::resume called after a panic inside the computation")
            }
        }
        // Stays `Poisoned` if a step unwinds out of this function.
        self.state = State::Poisoned;
        let mut budget = max_steps;
        while self.stack.depth() > 0 {
            if budget == 0 {
                self.steps += max_steps;
                self.state = State::Running;
                return Poll::Pending;
            }
            budget -= 1;
            let slot = self.stack.detach_top();
            // SAFETY: `detach_top` hands over the initialized top frame; the stack will not touch
            // it until `restore_top`, which follows `release` below.
            let mut top = unsafe { Top::new(slot) };
            match (self.step)(&mut top, &mut self.ret) {
                Step::Return => drop(top),
                Step::Call(callee) => {
                    top.release();
                    self.stack.restore_top();
                    if self.stack.depth() >= self.max_depth {
                        drop(callee);
                        return self.fail(max_steps - budget, Error::DepthLimit { limit: self.max_depth });
                    }
                    self.stack.push(callee);
                    self.peak_depth = self.peak_depth.max(self.stack.depth());
                }
                Step::TailCall(callee) => {
                    top.save(callee);
                    top.release();
                    self.stack.restore_top();
                }
            }
        }
        self.steps += max_steps - budget;
        self.state = State::Finished;
        let ret = self.ret.take().expect("fiber: internal error: the first frame returned no value");
        let finish = self.finish.take().expect("fiber: internal error: finished twice");
        Poll::Ready(Ok(finish(ret)))
    }

    /// Runs the computation to its end.
    pub fn finish(mut self) -> Result<F::Output, Error> {
        loop {
            if let Poll::Ready(result) = self.resume(u64::MAX) {
                return result;
            }
        }
    }

    #[cold]
    fn fail(&mut self, steps: u64, error: Error) -> Poll<Result<F::Output, Error>> {
        self.steps += steps;
        self.stack.clear();
        self.state = State::Finished;
        Poll::Ready(Err(error))
    }
}

/// Runs `fiber` to completion on a heap stack and returns its result.
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
pub fn run<F: Fiber>(fiber: F) -> F::Output {
    match Runner::new(fiber).finish() {
        Ok(output) => output,
        Err(error) => unreachable!("fiber: {error} without a limit"),
    }
}
