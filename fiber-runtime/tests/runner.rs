//! `Runner` driving `#[fiber]` fns: steps, depths, the depth limit, cancellation, panics,
//! threads, and the frame size. Every test runs under Miri, at small sizes.

use std::cell::RefCell;
use std::marker::PhantomPinned;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::task::Poll;

use fiber_runtime::{Error, Fiber, Runner, fiber, run};

/// `big` natively, `small` under Miri.
fn scale(small: u64, big: u64) -> u64 {
    if cfg!(miri) { small } else { big }
}

#[fiber]
fn nest(n: u64) -> u64 {
    if n == 0 { 0 } else { nest(n - 1) + 1 }
}

#[fiber]
fn count(n: u64, acc: u64) -> u64 {
    if n == 0 { acc } else { count(n - 1, acc + 1) }
}

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn fib_native(n: u64) -> u64 {
    if n < 2 { n } else { fib_native(n - 1) + fib_native(n - 2) }
}

fn panic_message(err: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = err.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = err.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic>".to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Steps and depths.

#[test]
fn a_tail_recursive_fn_counts_one_step_per_iteration() {
    let n = scale(1_000, 1_000_000);
    let mut runner = Runner::new(count(n, 0));
    // Each step is one iteration; the frame is replaced, never pushed.
    for done in 1..=10 {
        assert!(runner.resume(1).is_pending());
        assert_eq!((runner.steps(), runner.depth()), (done, 1));
    }
    assert!(runner.resume(n - 10).is_pending());
    assert_eq!(runner.steps(), n);
    // The last step returns.
    assert_eq!(runner.resume(1), Poll::Ready(Ok(n)));
    assert_eq!((runner.steps(), runner.peak_depth(), runner.depth()), (n + 1, 1, 0));
    // Budgets and limits mean the same as for any fn: a limit of one frame is enough.
    assert_eq!(Runner::new(count(n, 0)).max_depth(1).finish(), Ok(n));
}

#[test]
fn linear_recursion_steps_and_depths() {
    let n = scale(1_000, 1_000_000);
    let mut runner = Runner::new(nest(n));
    assert_eq!((runner.depth(), runner.peak_depth(), runner.steps()), (1, 1, 0));
    // n calls down ...
    assert!(runner.resume(n).is_pending());
    assert_eq!((runner.depth(), runner.peak_depth(), runner.steps()), (n as usize + 1, n as usize + 1, n));
    // ... the bottom returns, then each caller resumes once and returns.
    assert!(runner.resume(n / 2).is_pending());
    assert_eq!(runner.depth(), n as usize + 1 - (n / 2) as usize);
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(n)));
    assert_eq!((runner.depth(), runner.peak_depth(), runner.steps()), (0, n as usize + 1, 2 * n + 1));
}

#[test]
fn resume_zero_steps_runs_nothing() {
    let mut runner = Runner::new(nest(3));
    assert!(runner.resume(0).is_pending());
    assert_eq!((runner.steps(), runner.depth()), (0, 1));
    assert_eq!(runner.finish(), Ok(3));
}

#[test]
fn slices_of_any_size_give_the_native_result() {
    for n in 0..scale(12, 20) {
        for slice in [1, 2, 3, 7, 100] {
            let mut runner = Runner::new(fib(n));
            let mut polls = 0;
            let result = loop {
                polls += 1;
                if let Poll::Ready(r) = runner.resume(slice) {
                    break r;
                }
            };
            assert_eq!(result, Ok(fib_native(n)));
            assert_eq!(polls, runner.steps().div_ceil(slice), "fib({n}) in slices of {slice}");
        }
    }
}

#[test]
fn resume_after_ready_panics_clearly() {
    let mut runner = Runner::new(nest(3));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(3)));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(1))).unwrap_err();
    assert_eq!(panic_message(&*err), "fiber: Runner::resume called after the computation finished");

    let mut runner = Runner::new(nest(30)).max_depth(10);
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Err(Error::DepthLimit { limit: 10 })));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(1))).unwrap_err();
    assert_eq!(panic_message(&*err), "fiber: Runner::resume called after the computation finished");
}

#[test]
fn builder_arguments_of_zero_are_rejected() {
    let err = panic::catch_unwind(|| Runner::new(nest(1)).max_depth(0)).unwrap_err();
    assert!(panic_message(&*err).contains("max_depth(0)"));
    let err = panic::catch_unwind(|| Runner::new(nest(1)).yield_every(0)).unwrap_err();
    assert!(panic_message(&*err).contains("yield_every(0)"));
}

#[test]
fn error_is_a_std_error() {
    fn is_error<E: std::error::Error + Send + Sync + Clone + 'static>(_: &E) {}
    let error = Runner::new(nest(5)).max_depth(3).finish().unwrap_err();
    is_error(&error);
    assert_eq!(error.to_string(), "fiber recursion exceeded the depth limit of 3 frames");
    assert!(std::error::Error::source(&error).is_none());
    // `#[non_exhaustive]`: outside the crate a match needs a wildcard arm.
    #[allow(unreachable_patterns)]
    let limit = match error {
        Error::DepthLimit { limit } => limit,
        _ => unreachable!(),
    };
    assert_eq!(limit, 3);
}

// ---------------------------------------------------------------------------------------------
// Frames that log their drops, with native twins.

type Log = Rc<RefCell<Vec<u32>>>;

fn new_log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

struct Tracker(u32, Log);

impl Tracker {
    fn new(id: u32, log: &Log) -> Self {
        Tracker(id, log.clone())
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.1.borrow_mut().push(self.0);
    }
}

/// A tracker live across the call; `panic_at` panics on entering that level.
#[fiber]
fn tracked(n: u32, log: &Log, panic_at: u32) -> u32 {
    if n == panic_at {
        panic!("boom at {n}");
    }
    let _t = Tracker::new(n, log);
    if n == 0 {
        return 0;
    }
    tracked(n - 1, log, panic_at) + 1
}

fn tracked_native(n: u32, log: &Log, panic_at: u32) -> u32 {
    if n == panic_at {
        panic!("boom at {n}");
    }
    let _t = Tracker::new(n, log);
    if n == 0 {
        return 0;
    }
    tracked_native(n - 1, log, panic_at) + 1
}

const NEVER: u32 = u32::MAX;

#[test]
fn tracked_frames_drop_as_native() {
    let n = scale(200, 3_000) as u32;
    let (native, fiber) = (new_log(), new_log());
    assert_eq!(run(tracked(n, &fiber, NEVER)), tracked_native(n, &native, NEVER));
    assert_eq!(*fiber.borrow(), *native.borrow());
}

/// Dropping a runner on its way down drops what native unwinding from the same point drops, in
/// the same order.
#[test]
fn dropping_a_runner_drops_live_frames_once_innermost_first_as_native_unwinding() {
    let n = scale(200, 3_000) as u32;
    for stop in [0, 1, 2, n / 3, n - 1, n] {
        let log = new_log();
        let mut runner = Runner::new(tracked(n, &log, NEVER));
        // `stop` calls: levels n..n-stop are on the stack; n-stop has not started yet.
        assert!(runner.resume(stop as u64).is_pending());
        assert_eq!(runner.depth(), stop as usize + 1);
        assert!(log.borrow().is_empty());
        drop(runner);

        let native = new_log();
        let unwound = panic::catch_unwind(AssertUnwindSafe(|| tracked_native(n, &native, n - stop)));
        assert!(unwound.is_err());
        assert_eq!(*log.borrow(), *native.borrow(), "stop after {stop} steps");
        assert_eq!(*log.borrow(), (n - stop + 1..=n).collect::<Vec<_>>());
        assert_eq!(Rc::strong_count(&log), 1, "a frame leaked");
    }
}

#[test]
fn dropping_a_runner_on_its_way_up_drops_each_frame_once() {
    let n = scale(200, 3_000) as u32;
    for returned in [1, 2, n / 2, n] {
        let log = new_log();
        let mut runner = Runner::new(tracked(n, &log, NEVER));
        // n calls, the bottom frame's step, then `returned - 1` more returns.
        assert!(runner.resume(n as u64 + returned as u64).is_pending());
        assert_eq!(*log.borrow(), (0..returned).collect::<Vec<_>>());
        drop(runner);
        assert_eq!(*log.borrow(), (0..=n).collect::<Vec<_>>(), "after {returned} returns");
        assert_eq!(Rc::strong_count(&log), 1, "a frame leaked");
    }
}

/// Returns its own tracker from the bottom, passing it up through every level.
#[fiber]
fn hand_up(n: u32, log: &Log) -> Tracker {
    let _mine = Tracker::new(n, log);
    if n == 0 {
        return Tracker::new(1000, log);
    }
    let got = hand_up(n - 1, log);
    got
}

/// A value a callee returned, not yet taken by its caller, belongs to the caller's frame: it is
/// dropped first, then the frames, innermost first (natively, `got` drops before `_mine`).
#[test]
fn a_returned_value_in_flight_is_dropped_with_the_top_frame() {
    let log = new_log();
    let mut runner = Runner::new(hand_up(3, &log));
    // Three calls, then level 0 returns `Tracker(1000)` and drops its own.
    assert!(runner.resume(4).is_pending());
    assert_eq!(*log.borrow(), [0]);
    drop(runner);
    assert_eq!(*log.borrow(), [0, 1000, 1, 2, 3]);

    let log = new_log();
    let out = run(hand_up(3, &log));
    assert_eq!((out.0, &*log.borrow()), (1000, &vec![0, 1, 2, 3]));
}

#[test]
fn depth_limit_ends_with_an_error_and_drops_every_frame() {
    let n = scale(200, 3_000) as u32;
    let limit = n as usize / 2;
    let log = new_log();
    let mut runner = Runner::new(tracked(n, &log, NEVER)).max_depth(limit);
    assert!(runner.resume(limit as u64 - 1).is_pending());
    assert_eq!(runner.depth(), limit);
    // The next call would be one frame too deep.
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Err(Error::DepthLimit { limit })));
    assert_eq!((runner.depth(), runner.peak_depth(), runner.steps()), (0, limit, limit as u64));
    assert_eq!(runner.stack_bytes(), 0);
    // Innermost first, as native unwinding from the rejected call would drop them.
    let native = new_log();
    assert!(panic::catch_unwind(AssertUnwindSafe(|| tracked_native(n, &native, n - limit as u32))).is_err());
    assert_eq!(*log.borrow(), *native.borrow());
    drop(runner);
    assert_eq!(log.borrow().len(), limit, "a frame was dropped twice");
    assert_eq!(Rc::strong_count(&log), 1, "a frame leaked");
}

#[test]
fn a_panic_in_a_step_unwinds_as_native_and_poisons_the_runner() {
    let n = scale(200, 3_000) as u32;
    let panic_at = n / 3;
    let native = new_log();
    let native_err =
        panic::catch_unwind(AssertUnwindSafe(|| tracked_native(n, &native, panic_at))).unwrap_err();

    let log = new_log();
    let mut runner = Runner::new(tracked(n, &log, panic_at));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(u64::MAX))).unwrap_err();
    assert_eq!(panic_message(&*err), panic_message(&*native_err));
    // Every frame was dropped while the panic unwound, before `catch_unwind` returned.
    assert_eq!(*log.borrow(), *native.borrow());
    assert_eq!((runner.depth(), runner.stack_bytes()), (0, 0));
    assert_eq!(Rc::strong_count(&log), 1, "a frame leaked");

    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(1))).unwrap_err();
    assert_eq!(panic_message(&*err), "fiber: Runner::resume called after a panic inside the computation");
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.finish())).unwrap_err();
    assert_eq!(panic_message(&*err), "fiber: Runner::resume called after a panic inside the computation");
    assert_eq!(log.borrow().len(), native.borrow().len(), "a frame was dropped twice");
}

// ---------------------------------------------------------------------------------------------
// Memory.

/// The frame type of a fiber, for its size.
fn frame_size<F: Fiber>(_: &F) -> usize {
    std::mem::size_of::<F::Frame>()
}

#[test]
fn a_linear_recursion_costs_its_frame_size_per_level() {
    let n = scale(20_000, 10_000_000);
    let frame = frame_size(&nest(0));
    let mut runner = Runner::new(nest(n));
    assert!(runner.resume(n).is_pending());
    let bytes = runner.stack_bytes();
    let per_level = bytes as f64 / runner.peak_depth() as f64;
    println!(
        "nest: frame {frame} B, stack {bytes} B at depth {}: {per_level:.2} B/level",
        runner.peak_depth()
    );
    // Chunks double, so the last one may be half empty; the spare is not allocated yet.
    assert!(bytes >= frame * runner.peak_depth());
    assert!(per_level < 2.0 * frame as f64, "{per_level} B per level for a {frame} B frame");
    assert_eq!(runner.finish(), Ok(n));
}

#[test]
fn memory_is_given_back_as_the_stack_shrinks() {
    let n = scale(20_000, 2_000_000);
    let mut runner = Runner::new(nest(n));
    assert!(runner.resume(n).is_pending());
    let peak = runner.stack_bytes();
    // Back up to a thousandth of the depth.
    assert!(runner.resume(1 + n - n / 1000).is_pending());
    let frame = frame_size(&nest(0));
    let live = runner.depth() * frame;
    assert!(
        runner.stack_bytes() <= 4 * live + 16 * 1024,
        "{} B held for {live} B of frames (peak {peak} B)",
        runner.stack_bytes()
    );
    assert_eq!(runner.finish(), Ok(n));
}

// ---------------------------------------------------------------------------------------------
// Threads and auto traits.

/// `true` when the value's type is `Send`, by autoref specialization: method lookup on
/// `&&Probe<T>` tries the impl on `&Probe<T>`, which needs `T: Send`, before the fallback on
/// `Probe<T>`. A negative check a test can assert, without a compile-fail harness.
macro_rules! is_send {
    ($value:expr) => {
        (&&probe(&$value)).is_send()
    };
}
struct Probe<T>(std::marker::PhantomData<T>);
fn probe<T>(_: &T) -> Probe<T> {
    Probe(std::marker::PhantomData)
}
trait IsSend {
    fn is_send(&self) -> bool {
        true
    }
}
impl<T: Send> IsSend for &Probe<T> {}
trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}
impl<T> NotSend for Probe<T> {}

#[fiber]
fn rc_len(list: Rc<Vec<u8>>, i: usize) -> usize {
    if i == list.len() { 0 } else { 1 + rc_len(list, i + 1) }
}

#[fiber]
fn pinned(n: u64, keep: PhantomPinned) -> u64 {
    if n == 0 {
        return 0;
    }
    let r = pinned(n - 1, PhantomPinned) + 1;
    let _ = &keep;
    r
}

#[test]
fn runner_is_send_exactly_when_the_fiber_is_and_always_unpin() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_unpin<T: Unpin>(_: &T) {}

    assert_send(&fib(5));
    let send = Runner::new(fib(5));
    assert_send(&send);
    assert!(is_send!(send));
    // A frame holding an `Rc` is not `Send`, and neither is its runner.
    let local = Runner::new(rc_len(Rc::new(vec![1, 2, 3]), 0));
    assert!(!is_send!(local));
    assert!(!is_send!(Rc::new(0)) && is_send!(0), "the probe itself works");

    let keep_pinned = Runner::new(pinned(10, PhantomPinned));
    assert_unpin(&keep_pinned);
    assert_unpin(&local);
    assert_eq!((send.finish(), local.finish(), keep_pinned.finish()), (Ok(5), Ok(3), Ok(10)));
}

#[test]
fn runners_on_several_threads() {
    let n = scale(12, 22);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                s.spawn(move || {
                    // Two runners per thread, interleaved in small slices.
                    let mut a = Runner::new(fib(n - t));
                    let mut b = Runner::new(nest(scale(500, 100_000) + t));
                    let (mut ra, mut rb) = (None, None);
                    while ra.is_none() || rb.is_none() {
                        if ra.is_none() {
                            if let Poll::Ready(r) = a.resume(97) {
                                ra = Some(r.unwrap());
                            }
                        }
                        if rb.is_none() {
                            if let Poll::Ready(r) = b.resume(101) {
                                rb = Some(r.unwrap());
                            }
                        }
                    }
                    (ra.unwrap(), rb.unwrap())
                })
            })
            .collect();
        for (t, h) in handles.into_iter().enumerate() {
            let t = t as u64;
            assert_eq!(h.join().unwrap(), (fib_native(n - t), scale(500, 100_000) + t));
        }
    });
}

#[test]
fn a_runner_started_on_one_thread_finishes_on_another() {
    let mut runner = Runner::new(nest(scale(500, 100_000)));
    assert!(runner.resume(100).is_pending());
    let result = std::thread::spawn(move || runner.finish()).join().unwrap();
    assert_eq!(result, Ok(scale(500, 100_000)));
}

/// `fib(0) + fib(1) + .. + fib(k)`, recursively, each `fib` run by a nested `run`.
#[fiber]
fn fibsum(k: u64) -> u64 {
    if k == 0 {
        return 0;
    }
    let rest = fibsum(k - 1);
    // Other computations on their own heap stacks, while this one is mid-step.
    rest + run(fib(k)) + run(nest(k)) - k
}

#[test]
fn run_inside_a_fiber_body() {
    for k in 0..scale(10, 20) {
        assert_eq!(run(fibsum(k)), (0..=k).map(fib_native).sum::<u64>(), "fibsum({k})");
    }
    // Inside a runner that pauses between steps.
    let mut runner = Runner::new(fibsum(scale(10, 20)));
    let result = loop {
        if let Poll::Ready(r) = runner.resume(1) {
            break r;
        }
    };
    assert_eq!(result, Ok((0..=scale(10, 20)).map(fib_native).sum::<u64>()));
}
