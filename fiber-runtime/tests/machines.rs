//! Hand-written machines, shaped exactly like the code `#[fiber]` generates, driven by `run` and
//! `Runner`. Every machine is checked against the native recursive fn it stands for.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::task::Poll;

use fiber_runtime::__private::{Step, Top, machine};
use fiber_runtime::{Error, Fiber, Runner, run};

/// `big` natively, `small` under Miri.
fn scale(small: usize, big: usize) -> usize {
    if cfg!(miri) { small } else { big }
}

// ---------------------------------------------------------------------------------------------
// fib: two non-tail calls.

fn fib_native(n: u64) -> u64 {
    if n < 2 { n } else { fib_native(n - 1) + fib_native(n - 2) }
}

enum FibFrame {
    Start { n: u64 },
    AfterFirst { n: u64 },
    AfterSecond { a: u64 },
}

enum FibRet {
    Fib(u64),
}

fn fib(n: u64) -> impl Fiber<Output = u64> {
    machine::<FibFrame, FibRet, _, _, _>(
        FibFrame::Start { n },
        |frame, top, slot| match frame {
            FibFrame::Start { n } => {
                if n < 2 {
                    *slot = Some(FibRet::Fib(n));
                    return Step::Return;
                }
                top.save(FibFrame::AfterFirst { n });
                Step::Call(FibFrame::Start { n: n - 1 })
            }
            FibFrame::AfterFirst { n } => {
                let Some(FibRet::Fib(a)) = slot.take() else { unreachable!() };
                top.save(FibFrame::AfterSecond { a });
                Step::Call(FibFrame::Start { n: n - 2 })
            }
            FibFrame::AfterSecond { a } => {
                let Some(FibRet::Fib(b)) = slot.take() else { unreachable!() };
                *slot = Some(FibRet::Fib(a + b));
                Step::Return
            }
        },
        |FibRet::Fib(v)| v,
    )
}

#[test]
fn fib_matches_native() {
    for n in 0..scale(12, 20) as u64 {
        assert_eq!(run(fib(n)), fib_native(n), "fib({n})");
    }
}

#[test]
fn fib_steps_and_peak_depth() {
    // Every call is one `Start` step; every call with n >= 2 adds two resume steps.
    fn calls(n: u64) -> u64 {
        if n < 2 { 1 } else { 1 + calls(n - 1) + calls(n - 2) }
    }
    fn inner(n: u64) -> u64 {
        if n < 2 { 0 } else { 1 + inner(n - 1) + inner(n - 2) }
    }
    let n = 15;
    let mut runner = Runner::new(fib(n));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(fib_native(n))));
    assert_eq!(runner.steps(), calls(n) + 2 * inner(n));
    assert_eq!(runner.peak_depth(), n as usize);
    assert_eq!(runner.depth(), 0);
}

/// Fat frames: a handful per chunk, so fib's depth oscillates across chunk boundaries all the
/// time (the spare chunk is reused, chunks above it are freed and reallocated).
enum FatFrame {
    Start { n: u64, pad: [u64; 64] },
    AfterFirst { n: u64, pad: [u64; 64] },
    AfterSecond { a: u64, pad: [u64; 64] },
}

fn fat_fib(n: u64) -> impl Fiber<Output = u64> {
    fn check(n: u64, pad: &[u64; 64]) {
        assert!(pad.iter().all(|&p| p == n), "frame corrupted");
    }
    machine::<FatFrame, FibRet, _, _, _>(
        FatFrame::Start { n, pad: [n; 64] },
        |frame, top, slot| match frame {
            FatFrame::Start { n, pad } => {
                check(n, &pad);
                if n < 2 {
                    *slot = Some(FibRet::Fib(n));
                    return Step::Return;
                }
                top.save(FatFrame::AfterFirst { n, pad });
                Step::Call(FatFrame::Start { n: n - 1, pad: [n - 1; 64] })
            }
            FatFrame::AfterFirst { n, pad } => {
                check(n, &pad);
                let Some(FibRet::Fib(a)) = slot.take() else { unreachable!() };
                top.save(FatFrame::AfterSecond { a, pad: [a; 64] });
                Step::Call(FatFrame::Start { n: n - 2, pad: [n - 2; 64] })
            }
            FatFrame::AfterSecond { a, pad } => {
                check(a, &pad);
                let Some(FibRet::Fib(b)) = slot.take() else { unreachable!() };
                *slot = Some(FibRet::Fib(a + b));
                Step::Return
            }
        },
        |FibRet::Fib(v)| v,
    )
}

#[test]
fn fat_frames_oscillating_across_chunk_boundaries() {
    for n in 0..scale(12, 22) as u64 {
        let mut runner = Runner::new(fat_fib(n));
        assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(fib_native(n))), "fib({n})");
        assert_eq!(runner.peak_depth(), (n as usize).max(1));
    }
}

// ---------------------------------------------------------------------------------------------
// A linear non-tail recursion over a slice.

fn hash_native(xs: &[u64]) -> u64 {
    if xs.is_empty() { 0 } else { hash_native(&xs[1..]).wrapping_mul(31).wrapping_add(xs[0]) }
}

fn hash_iterative(xs: &[u64]) -> u64 {
    xs.iter().rev().fold(0, |acc: u64, &x| acc.wrapping_mul(31).wrapping_add(x))
}

enum HashFrame<'x> {
    Start { xs: &'x [u64] },
    After { x0: u64 },
}

enum HashRet {
    Hash(u64),
}

fn hash(xs: &[u64]) -> impl Fiber<Output = u64> {
    machine::<HashFrame<'_>, HashRet, _, _, _>(
        HashFrame::Start { xs },
        |frame, top, slot| match frame {
            HashFrame::Start { xs } => {
                if xs.is_empty() {
                    *slot = Some(HashRet::Hash(0));
                    return Step::Return;
                }
                top.save(HashFrame::After { x0: xs[0] });
                Step::Call(HashFrame::Start { xs: &xs[1..] })
            }
            HashFrame::After { x0 } => {
                let Some(HashRet::Hash(h)) = slot.take() else { unreachable!() };
                *slot = Some(HashRet::Hash(h.wrapping_mul(31).wrapping_add(x0)));
                Step::Return
            }
        },
        |HashRet::Hash(h)| h,
    )
}

fn data(len: usize) -> Vec<u64> {
    (0..len as u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i >> 3)).collect()
}

#[test]
fn linear_recursion_matches_native_when_shallow() {
    for len in [0, 1, 2, 3, 10, 100, scale(300, 5_000)] {
        let xs = data(len);
        assert_eq!(run(hash(&xs)), hash_native(&xs), "len {len}");
        assert_eq!(hash_iterative(&xs), hash_native(&xs), "len {len}");
    }
}

#[test]
fn linear_recursion_a_million_deep() {
    let len = scale(2_000, 1_000_000);
    let xs = data(len);
    let mut runner = Runner::new(hash(&xs));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(hash_iterative(&xs))));
    assert_eq!(runner.peak_depth(), len + 1);
    assert_eq!(runner.steps(), 2 * len as u64 + 1);
    assert_eq!(run(hash(&xs)), hash_iterative(&xs));
}

// ---------------------------------------------------------------------------------------------
// A tail-recursive slice sum.

fn sum_native(xs: &[u64], acc: u64) -> u64 {
    if xs.is_empty() { acc } else { sum_native(&xs[1..], acc.wrapping_add(xs[0])) }
}

enum SumFrame<'x> {
    Start { xs: &'x [u64], acc: u64 },
}

enum SumRet {
    Sum(u64),
}

fn sum(xs: &[u64], acc: u64) -> impl Fiber<Output = u64> {
    machine::<SumFrame<'_>, SumRet, _, _, _>(
        SumFrame::Start { xs, acc },
        |frame, _top, slot| match frame {
            SumFrame::Start { xs, acc } => {
                if xs.is_empty() {
                    *slot = Some(SumRet::Sum(acc));
                    return Step::Return;
                }
                Step::TailCall(SumFrame::Start { xs: &xs[1..], acc: acc.wrapping_add(xs[0]) })
            }
        },
        |SumRet::Sum(s)| s,
    )
}

#[test]
fn tail_recursion_matches_native_when_shallow() {
    for len in [0, 1, 2, 50, scale(300, 5_000)] {
        let xs = data(len);
        assert_eq!(run(sum(&xs, 7)), sum_native(&xs, 7), "len {len}");
    }
}

#[test]
fn tail_recursion_runs_in_one_frame() {
    let len = scale(2_000, 1_000_000);
    let xs = data(len);
    let expected = xs.iter().fold(0u64, |a, &x| a.wrapping_add(x));
    let mut runner = Runner::new(sum(&xs, 0));
    let bytes = runner.stack_bytes();
    assert!(runner.resume(len as u64 / 2).is_pending());
    assert_eq!(runner.stack_bytes(), bytes, "a tail call must not grow the stack");
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(expected)));
    assert_eq!(runner.peak_depth(), 1);
    assert_eq!(runner.depth(), 0);
    assert_eq!(runner.steps(), len as u64 + 1);
    assert_eq!(runner.stack_bytes(), 0, "a finished runner holds no memory");
}

/// A tail call whose caller saved its frame first: the `Top` drops the saved frame, once.
#[test]
fn tail_call_after_save_drops_the_old_frame_once() {
    let log = new_log();
    let f = machine::<Tracker, u32, _, _, _>(
        Tracker::new(5, &log),
        |t, top, slot| {
            // Save the frame, then tail-call with it still in the slot.
            let id = t.id;
            top.save(t);
            if id == 0 {
                *slot = Some(0);
                return Step::Return;
            }
            Step::TailCall(Tracker::new(id - 1, &log))
        },
        |r| r,
    );
    assert_eq!(run(f), 0);
    assert_eq!(*log.borrow(), [5, 4, 3, 2, 1, 0]);
}

// ---------------------------------------------------------------------------------------------
// Runner::resume in slices.

#[test]
fn resume_in_slices() {
    let len = scale(500, 10_000);
    let xs = data(len);
    let mut runner = Runner::new(hash(&xs));
    assert_eq!(runner.depth(), 1);
    assert_eq!(runner.steps(), 0);
    assert_eq!(runner.peak_depth(), 1);

    assert!(runner.resume(0).is_pending());
    assert_eq!((runner.depth(), runner.steps()), (1, 0));

    // The first `len` steps are all calls.
    assert!(runner.resume(100).is_pending());
    assert_eq!((runner.depth(), runner.steps(), runner.peak_depth()), (101, 100, 101));
    assert!(runner.resume(len as u64 - 100).is_pending());
    assert_eq!((runner.depth(), runner.steps()), (len + 1, len as u64));
    // The empty slice returns, then every `After` frame returns.
    assert!(runner.resume(1).is_pending());
    assert_eq!((runner.depth(), runner.steps()), (len, len as u64 + 1));
    assert!(runner.resume(10).is_pending());
    assert_eq!((runner.depth(), runner.steps()), (len - 10, len as u64 + 11));
    assert!(runner.stack_bytes() > 0);

    assert_eq!(runner.finish(), Ok(hash_native(&xs)));
}

#[test]
fn resume_one_step_at_a_time() {
    let n = 10;
    let mut runner = Runner::new(fib(n));
    let mut polls = 0u64;
    let result = loop {
        match runner.resume(1) {
            Poll::Pending => polls += 1,
            Poll::Ready(result) => break result,
        }
        assert_eq!(runner.steps(), polls);
    };
    assert_eq!(result, Ok(fib_native(n)));
    assert_eq!(runner.steps(), polls + 1);
}

#[test]
fn resume_after_ready_panics() {
    let mut runner = Runner::new(fib(3));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(2)));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(1))).unwrap_err();
    assert!(panic_message(&err).contains("after the computation finished"), "{}", panic_message(&err));
}

// ---------------------------------------------------------------------------------------------
// Frames that log their drops.

type Log = Rc<RefCell<Vec<u32>>>;

fn new_log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

struct Tracker {
    id: u32,
    log: Log,
    panic_on_drop: bool,
}

impl Tracker {
    fn new(id: u32, log: &Log) -> Self {
        Tracker { id, log: log.clone(), panic_on_drop: false }
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
        if self.panic_on_drop && !std::thread::panicking() {
            panic!("drop of {} panicked", self.id);
        }
    }
}

/// `depth(n) = if n == 0 { 0 } else { depth(n - 1) + 1 }`, with a `Tracker(n)` live across the
/// call; panics when it starts `panic_at`, and the tracker of `drop_panics_at` panics when dropped.
fn depth_native(n: u32, log: &Log, panic_at: Option<u32>, drop_panics_at: Option<u32>) -> u32 {
    let mut t = Tracker::new(n, log);
    t.panic_on_drop = drop_panics_at == Some(n);
    if panic_at == Some(n) {
        panic!("boom at {n}");
    }
    if n == 0 {
        return 0;
    }
    let v = depth_native(n - 1, log, panic_at, drop_panics_at);
    drop(t);
    v + 1
}

enum DepthFrame {
    Start { n: u32, t: Tracker },
    After { t: Tracker },
}

enum DepthRet {
    Depth(u32),
}

fn depth(n: u32, log: &Log, panic_at: Option<u32>, drop_panics_at: Option<u32>) -> impl Fiber<Output = u32> {
    let tracker = move |n: u32| {
        let mut t = Tracker::new(n, log);
        t.panic_on_drop = drop_panics_at == Some(n);
        t
    };
    machine::<DepthFrame, DepthRet, _, _, _>(
        DepthFrame::Start { n, t: tracker(n) },
        move |frame, top, slot| match frame {
            DepthFrame::Start { n, t } => {
                if panic_at == Some(n) {
                    panic!("boom at {n}");
                }
                if n == 0 {
                    *slot = Some(DepthRet::Depth(0));
                    return Step::Return;
                }
                top.save(DepthFrame::After { t });
                Step::Call(DepthFrame::Start { n: n - 1, t: tracker(n - 1) })
            }
            DepthFrame::After { t } => {
                let Some(DepthRet::Depth(v)) = slot.take() else { unreachable!() };
                drop(t);
                *slot = Some(DepthRet::Depth(v + 1));
                Step::Return
            }
        },
        |DepthRet::Depth(v)| v,
    )
}

/// Compares a drop log with the expected one; on a mismatch, says where without printing
/// thousands of ids.
#[track_caller]
fn assert_log(log: &Log, expected: impl IntoIterator<Item = u32>, context: &str) {
    let actual = log.borrow();
    let expected: Vec<u32> = expected.into_iter().collect();
    if *actual != expected {
        let at = actual
            .iter()
            .zip(&expected)
            .position(|(a, e)| a != e)
            .unwrap_or(actual.len().min(expected.len()));
        panic!(
            "{context}: drop log differs at index {at} (len {} vs expected {}): got {:?}.., expected {:?}..",
            actual.len(),
            expected.len(),
            &actual[at..actual.len().min(at + 8)],
            &expected[at..expected.len().min(at + 8)],
        );
    }
}

fn panic_message(err: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = err.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = err.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic>".to_string()
    }
}

#[test]
fn tracked_frames_drop_like_native() {
    let n = scale(300, 2_000) as u32;
    let (native_log, fiber_log) = (new_log(), new_log());
    assert_eq!(run(depth(n, &fiber_log, None, None)), depth_native(n, &native_log, None, None));
    assert_log(&fiber_log, native_log.borrow().clone(), "fiber vs native");
    assert_log(&fiber_log, 0..=n, "return order");
}

#[test]
fn dropping_a_runner_mid_computation_drops_every_frame_once_innermost_first() {
    let n = scale(400, 3_000) as u32;
    // Stop on the way down (crossing several chunk boundaries), at the bottom, and on the way up.
    for stop in [0, 1, 2, n as u64 / 2, n as u64, n as u64 + 1, n as u64 + 2, 2 * n as u64 - 3] {
        let log = new_log();
        let mut runner = Runner::new(depth(n, &log, None, None));
        assert!(runner.resume(stop).is_pending());
        let (on_stack, returned): (Vec<u32>, Vec<u32>) = if stop <= n as u64 {
            // `stop` calls: frames n, n-1, ..., n-stop are live.
            ((n - stop as u32..=n).collect(), vec![])
        } else {
            // All calls done, then `stop - n` returns: frames 0..k have been dropped.
            let k = (stop - n as u64) as u32;
            ((k..=n).collect(), (0..k).collect())
        };
        assert_eq!(runner.depth(), on_stack.len(), "stop {stop}");
        assert_log(&log, returned.clone(), &format!("stop {stop}, before the drop"));
        drop(runner);
        let expected: Vec<u32> = returned.into_iter().chain(on_stack).collect();
        assert_log(&log, expected, &format!("stop {stop}"));
    }
}

#[test]
fn depth_limit_fails_and_drops_every_frame() {
    let n = scale(300, 1_000) as u32;
    let limit = scale(150, 700);
    let log = new_log();
    let mut runner = Runner::new(depth(n, &log, None, None)).max_depth(limit);
    let result = runner.resume(u64::MAX);
    assert_eq!(result, Poll::Ready(Err(Error::DepthLimit { limit })));
    assert_eq!(runner.depth(), 0);
    assert_eq!(runner.peak_depth(), limit);
    assert_eq!(runner.steps(), limit as u64);
    // The rejected callee first, then the stack innermost first.
    let deepest = n - limit as u32;
    assert_log(&log, deepest..=n, "depth limit");
    drop(runner);
    assert_eq!(log.borrow().len(), limit + 1, "dropping the runner dropped a frame again");

    // `finish` reports the same; a computation within the limit is unaffected.
    let log = new_log();
    assert_eq!(
        Runner::new(depth(n, &log, None, None)).max_depth(limit).finish(),
        Err(Error::DepthLimit { limit })
    );
    assert_log(&log, deepest..=n, "depth limit via finish");
    let log = new_log();
    assert_eq!(Runner::new(depth(n, &log, None, None)).max_depth(n as usize + 1).finish(), Ok(n));
    assert_log(&log, 0..=n, "within the limit");
    assert_eq!(Runner::new(fib(1)).max_depth(1).finish(), Ok(1));
    assert_eq!(Runner::new(fib(2)).max_depth(1).finish(), Err(Error::DepthLimit { limit: 1 }));
    assert!(Error::DepthLimit { limit: 7 }.to_string().contains('7'));
}

#[test]
fn panic_in_a_step_drops_every_frame_once_innermost_first() {
    let n = scale(300, 2_000) as u32;
    let panic_at = n / 3;
    let native_log = new_log();
    let native = panic::catch_unwind(AssertUnwindSafe(|| depth_native(n, &native_log, Some(panic_at), None)));
    let fiber_log = new_log();
    let fiber = panic::catch_unwind(AssertUnwindSafe(|| run(depth(n, &fiber_log, Some(panic_at), None))));
    assert_eq!(panic_message(&fiber.unwrap_err()), panic_message(&native.unwrap_err()));
    assert_log(&fiber_log, native_log.borrow().clone(), "fiber vs native");
    assert_log(&fiber_log, panic_at..=n, "unwinding order");
}

#[test]
fn a_poisoned_runner_panics_on_resume_and_drops_its_frames_once() {
    let n = scale(300, 2_000) as u32;
    let panic_at = n / 2;
    let log = new_log();
    let mut runner = Runner::new(depth(n, &log, Some(panic_at), None));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(u64::MAX))).unwrap_err();
    assert_eq!(panic_message(&err), format!("boom at {panic_at}"));
    // Unwinding out of `resume` dropped the panicking frame and its callers, innermost first,
    // as native unwinding does, before `catch_unwind` returned.
    assert_log(&log, panic_at..=n, "after the panic");
    assert_eq!((runner.depth(), runner.stack_bytes()), (0, 0));

    for _ in 0..2 {
        let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(1))).unwrap_err();
        assert!(panic_message(&err).contains("after a panic"), "{}", panic_message(&err));
    }
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.finish())).unwrap_err();
    assert!(panic_message(&err).contains("after a panic"), "{}", panic_message(&err));
    assert_log(&log, panic_at..=n, "after the drop");
}

/// A frame's `Drop` panics while the frame returns: the other frames are dropped once while the
/// panic unwinds, and the runner is poisoned.
#[test]
fn panic_in_drop_of_a_returning_frame() {
    let n = scale(300, 1_000) as u32;
    let bad = n / 2;
    let native_log = new_log();
    let native = panic::catch_unwind(AssertUnwindSafe(|| depth_native(n, &native_log, None, Some(bad))));
    let log = new_log();
    let mut runner = Runner::new(depth(n, &log, None, Some(bad)));
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(u64::MAX))).unwrap_err();
    assert_eq!(panic_message(&err), panic_message(&native.unwrap_err()));
    assert_eq!(runner.depth(), 0);
    assert_log(&log, native_log.borrow().clone(), "fiber vs native");
    drop(runner);
    assert_log(&log, 0..=n, "drop order");
}

/// A frame's `Drop` panics while a dropped `Runner` clears its stack: like a `Vec`, the stack
/// keeps dropping the frames below it.
#[test]
fn panic_in_drop_while_dropping_a_runner_still_drops_the_frames_below() {
    let n = scale(400, 3_000) as u32;
    for bad in [0, 1, n / 2, n - 1, n] {
        let log = new_log();
        let mut runner = Runner::new(depth(n, &log, None, Some(bad)));
        assert!(runner.resume(n as u64).is_pending());
        assert_eq!(runner.depth(), n as usize + 1);
        let err = panic::catch_unwind(AssertUnwindSafe(move || drop(runner))).unwrap_err();
        assert_eq!(panic_message(&err), format!("drop of {bad} panicked"));
        assert_log(&log, 0..=n, &format!("bad {bad}"));
    }
}

/// Same, when the depth limit clears the stack.
#[test]
fn panic_in_drop_while_failing_on_the_depth_limit() {
    let n = scale(300, 1_000) as u32;
    let limit = scale(150, 700);
    let deepest = n - limit as u32;
    for bad in [deepest, deepest + 1, n - 1, n] {
        let log = new_log();
        let mut runner = Runner::new(depth(n, &log, None, Some(bad))).max_depth(limit);
        let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(u64::MAX))).unwrap_err();
        assert_eq!(panic_message(&err), format!("drop of {bad} panicked"));
        drop(runner);
        assert_log(&log, deepest..=n, &format!("bad {bad}"));
    }
}

/// A tail call whose caller left its frame in the slot, and that frame's `Drop` panics inside
/// `Top::save`: the callee is dropped by the unwinding, once, and nothing else is touched.
#[test]
fn panic_in_drop_of_the_frame_replaced_by_a_tail_call() {
    let log = new_log();
    let f = machine::<Tracker, u32, _, _, _>(
        Tracker::new(5, &log),
        |t, top, slot| {
            let id = t.id;
            top.save(t);
            if id == 0 {
                *slot = Some(0);
                return Step::Return;
            }
            let mut next = Tracker::new(id - 1, &log);
            next.panic_on_drop = id - 1 == 3;
            Step::TailCall(next)
        },
        |r| r,
    );
    let mut runner = Runner::new(f);
    let err = panic::catch_unwind(AssertUnwindSafe(|| runner.resume(u64::MAX))).unwrap_err();
    assert_eq!(panic_message(&err), "drop of 3 panicked");
    assert_eq!(runner.depth(), 0);
    drop(runner);
    assert_log(&log, [5, 4, 3, 2], "tail call");
}

/// Protocol violations by generated code panic without dropping anything twice.
#[test]
fn protocol_violations_panic_and_drop_every_frame_once() {
    // `Call` without saving the caller's next state.
    let log = new_log();
    let f = machine::<Tracker, u32, _, _, _>(
        Tracker::new(9, &log),
        |t, top, _slot| {
            if t.id == 5 {
                return Step::Call(Tracker::new(100, &t.log));
            }
            let next = Tracker::new(t.id - 1, &t.log);
            top.save(t);
            Step::Call(next)
        },
        |r| r,
    );
    let err = panic::catch_unwind(AssertUnwindSafe(|| run(f))).unwrap_err();
    assert!(panic_message(&err).contains("without saving its frame"), "{}", panic_message(&err));
    // The step dropped frame 5 on its way out, then the runner the rejected callee and the rest.
    assert_log(&log, [5, 100, 6, 7, 8, 9], "call without save");
}

// ---------------------------------------------------------------------------------------------
// `run` nested inside a step.

/// `fibsum(k) = fib(0) + fib(1) + ... + fib(k)`, recursively, each `fib` run by a nested `run`.
fn fibsum_native(k: u64) -> u64 {
    if k == 0 { fib_native(0) } else { fibsum_native(k - 1) + fib_native(k) }
}

enum FibSumFrame {
    Start { k: u64 },
    After { k: u64 },
}

enum FibSumRet {
    FibSum(u64),
}

fn fibsum(k: u64) -> impl Fiber<Output = u64> {
    machine::<FibSumFrame, FibSumRet, _, _, _>(
        FibSumFrame::Start { k },
        |frame, top, slot| match frame {
            FibSumFrame::Start { k } => {
                if k == 0 {
                    *slot = Some(FibSumRet::FibSum(run(fib(0))));
                    return Step::Return;
                }
                top.save(FibSumFrame::After { k });
                Step::Call(FibSumFrame::Start { k: k - 1 })
            }
            FibSumFrame::After { k } => {
                let Some(FibSumRet::FibSum(s)) = slot.take() else { unreachable!() };
                // Another runner, with another heap stack, while this one is mid-step.
                let f = run(fib(k));
                // And a machine of the same frame type as this one.
                let inner = run(fibsum(k / 4));
                assert_eq!(inner, fibsum_native(k / 4));
                *slot = Some(FibSumRet::FibSum(s + f));
                Step::Return
            }
        },
        |FibSumRet::FibSum(s)| s,
    )
}

#[test]
fn run_nested_inside_a_step() {
    for k in 0..scale(8, 18) as u64 {
        assert_eq!(run(fibsum(k)), fibsum_native(k), "fibsum({k})");
    }
}

// ---------------------------------------------------------------------------------------------
// A runner moved to another thread.

fn mix_native(n: u64, tag: &str) -> u64 {
    if n == 0 { tag.len() as u64 } else { mix_native(n - 1, tag).wrapping_mul(3).wrapping_add(n) }
}

fn mix_iterative(n: u64, tag: &str) -> u64 {
    (1..=n).fold(tag.len() as u64, |acc, i| acc.wrapping_mul(3).wrapping_add(i))
}

#[test]
fn a_runner_with_send_frames_finishes_on_another_thread() {
    enum Frame {
        Start { n: u64, tag: String },
        After { n: u64, _tag: String },
    }
    enum Ret {
        Mix(u64),
    }
    fn assert_send<T: Send>(_: &T) {}

    let n = scale(1_000, 300_000) as u64;
    let tag = String::from("moved");
    let mut runner = Runner::new(machine::<Frame, Ret, _, _, _>(
        Frame::Start { n, tag: tag.clone() },
        |frame, top, slot| match frame {
            Frame::Start { n, tag } => {
                if n == 0 {
                    *slot = Some(Ret::Mix(tag.len() as u64));
                    return Step::Return;
                }
                let next = tag.clone();
                top.save(Frame::After { n, _tag: tag });
                Step::Call(Frame::Start { n: n - 1, tag: next })
            }
            Frame::After { n, _tag } => {
                let Some(Ret::Mix(m)) = slot.take() else { unreachable!() };
                *slot = Some(Ret::Mix(m.wrapping_mul(3).wrapping_add(n)));
                Step::Return
            }
        },
        |Ret::Mix(m)| m,
    ));
    assert_send(&runner);
    assert!(runner.resume(n / 2).is_pending());
    assert_eq!(runner.depth(), n as usize / 2 + 1);
    let main_thread = std::thread::current().id();
    let handle = std::thread::spawn(move || {
        assert_ne!(std::thread::current().id(), main_thread);
        let depth = runner.depth();
        (depth, runner.finish())
    });
    let (depth, result) = handle.join().unwrap();
    assert_eq!(depth, n as usize / 2 + 1);
    assert_eq!(result, Ok(mix_iterative(n, &tag)));
    assert_eq!(mix_iterative(100, &tag), mix_native(100, &tag));
}

// ---------------------------------------------------------------------------------------------
// Zero-sized frames.

/// The frame carries nothing: the step tells "start" from "resumed" by the return slot, and the
/// depth is kept in the closure's state.
#[test]
fn zero_sized_frames() {
    #[derive(Debug)]
    struct Unit;
    fn native(k: u64, n: u64) -> u64 {
        if k == n { 0 } else { native(k + 1, n) + 1 }
    }
    assert_eq!(std::mem::size_of::<Unit>(), 0);

    for n in [0, 1, 2, 100, scale(2_000, 1_000_000) as u64] {
        let mut k = 0;
        let mut runner = Runner::new(machine::<Unit, u64, _, _, _>(
            Unit,
            move |Unit, top, slot| match slot.take() {
                None if k == n => {
                    *slot = Some(0);
                    Step::Return
                }
                None => {
                    k += 1;
                    top.save(Unit);
                    Step::Call(Unit)
                }
                Some(v) => {
                    *slot = Some(v + 1);
                    Step::Return
                }
            },
            |v| v,
        ));
        assert_eq!(runner.resume(n), Poll::Pending);
        assert_eq!(runner.depth(), n as usize + 1);
        assert_eq!(runner.stack_bytes(), 0);
        assert_eq!(runner.finish(), Ok(if n < 1000 { native(0, n) } else { n }));
    }
}

/// Zero-sized frames with a `Drop` impl: every one is dropped exactly once.
#[test]
fn zero_sized_frames_with_drop() {
    thread_local! {
        static DROPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    struct Zst;
    impl Drop for Zst {
        fn drop(&mut self) {
            DROPS.with(|d| d.set(d.get() + 1));
        }
    }
    assert_eq!(std::mem::size_of::<Zst>(), 0);
    let n = scale(500, 100_000);
    let mut runner = Runner::new(machine::<Zst, (), _, _, _>(
        Zst,
        |frame: Zst, top: &mut Top<'_, Zst>, _: &mut Option<()>| {
            top.save(frame);
            Step::Call(Zst)
        },
        |()| (),
    ));
    assert!(runner.resume(n as u64).is_pending());
    assert_eq!(runner.depth(), n + 1);
    assert_eq!(DROPS.with(|d| d.get()), 0);
    drop(runner);
    assert_eq!(DROPS.with(|d| d.get()), n + 1);
}
