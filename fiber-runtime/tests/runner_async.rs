//! `Runner` as a `Future`: `yield_every` steps per poll, a self-wake between polls, other tasks
//! running while a deep recursion runs, `tokio::spawn` on a multi-thread runtime, cancellation
//! by dropping the future. Under Miri the sizes are small.

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::task::{Context, Poll, Wake, Waker};

use fiber_runtime::{DEFAULT_YIELD_EVERY, Runner, fiber};

/// `big` natively, `small` under Miri.
fn scale(small: u64, big: u64) -> u64 {
    if cfg!(miri) { small } else { big }
}

#[fiber]
fn nest(n: u64) -> u64 {
    if n == 0 { 0 } else { nest(n - 1) + 1 }
}

/// Counts the wakes it receives.
struct CountWakes(AtomicU64);

impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Relaxed);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Relaxed);
    }
}

#[test]
fn each_poll_runs_yield_every_steps_then_wakes_itself() {
    let wakes = Arc::new(CountWakes(AtomicU64::new(0)));
    let waker = Waker::from(wakes.clone());
    let mut cx = Context::from_waker(&waker);

    let n = 1000;
    let mut runner = Runner::new(nest(n)).yield_every(300);
    let mut pending = 0;
    let result = loop {
        match Pin::new(&mut runner).poll(&mut cx) {
            Poll::Ready(result) => break result,
            Poll::Pending => {
                pending += 1;
                assert_eq!(runner.steps(), pending * 300);
                assert_eq!(wakes.0.load(Relaxed), pending, "a pending poll wakes its task once");
            }
        }
    };
    assert_eq!(result, Ok(n));
    // 2n + 1 steps in slices of 300.
    assert_eq!(pending + 1, (2 * n + 1).div_ceil(300));
    assert_eq!(wakes.0.load(Relaxed), pending, "the ready poll does not wake");

    // Polled again after `Ready`, like a completed future, it panics.
    let err = panic::catch_unwind(AssertUnwindSafe(|| Pin::new(&mut runner).poll(&mut cx))).unwrap_err();
    assert_eq!(
        err.downcast_ref::<&str>().copied(),
        Some("fiber: Runner::resume called after the computation finished")
    );
}

#[test]
fn the_default_yield_every() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut runner = Runner::new(nest(scale(DEFAULT_YIELD_EVERY + 10, 1_000_000)));
    assert!(Pin::new(&mut runner).poll(&mut cx).is_pending());
    assert_eq!(runner.steps(), DEFAULT_YIELD_EVERY);
}

/// Returns how many times the other task had ticked when the recursion reached its bottom,
/// plus `n`.
#[fiber]
fn deep_probe(n: u64, ticks: &AtomicU64) -> u64 {
    if n == 0 {
        return ticks.load(Relaxed);
    }
    deep_probe(n - 1, ticks) + 1
}

/// A 10,000,000-deep recursion on a current-thread runtime: the other task keeps running,
/// about once per poll, on the way down and on the way up.
#[test]
fn a_second_task_makes_progress_while_a_deep_recursion_runs() {
    let n = scale(2_000, 10_000_000);
    let every = scale(100, DEFAULT_YIELD_EVERY);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let ticks = Arc::new(AtomicU64::new(0));
        let ticker = tokio::spawn({
            let ticks = ticks.clone();
            async move {
                loop {
                    ticks.fetch_add(1, Relaxed);
                    tokio::task::yield_now().await;
                }
            }
        });
        let result = Runner::new(deep_probe(n, &ticks)).yield_every(every).await;
        let at_bottom = result.unwrap() - n;
        let total = ticks.load(Relaxed);
        ticker.abort();
        let polls = (2 * n + 1).div_ceil(every);
        println!("depth {n}, {polls} polls: the other task ticked {at_bottom} times on the way down, {total} in all");
        assert!(at_bottom >= polls / 4, "the other task ran {at_bottom} times on the way down");
        assert!(total - at_bottom >= polls / 4, "the other task ran {} times on the way up", total - at_bottom);
    });
}

#[fiber]
fn sum_shared(xs: Arc<Vec<u64>>, i: usize) -> u64 {
    if i == xs.len() {
        return 0;
    }
    let x = xs[i];
    x + sum_shared(xs, i + 1)
}

/// `Send` fibers can be spawned; the runners move between worker threads between polls.
#[test]
fn tokio_spawn_on_a_multi_thread_runtime() {
    let n = scale(300, 1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
    rt.block_on(async {
        let xs = Arc::new((0..n).collect::<Vec<u64>>());
        let sums: Vec<_> = (0..3)
            .map(|_| tokio::spawn(Runner::new(sum_shared(xs.clone(), 0)).yield_every(scale(50, 10_000))))
            .collect();
        let nests: Vec<_> = (0..3).map(|i| tokio::spawn(Runner::new(nest(n + i)))).collect();
        for sum in sums {
            assert_eq!(sum.await.unwrap(), Ok(n * (n - 1) / 2));
        }
        for (i, nest) in nests.into_iter().enumerate() {
            assert_eq!(nest.await.unwrap(), Ok(n + i as u64));
        }
    });
}

type Log = Rc<RefCell<Vec<u64>>>;

struct Tracker(u64, Log);

impl Drop for Tracker {
    fn drop(&mut self) {
        self.1.borrow_mut().push(self.0);
    }
}

#[fiber]
fn tracked(n: u64, log: &Log) -> u64 {
    let _t = Tracker(n, log.clone());
    if n == 0 {
        return 0;
    }
    tracked(n - 1, log) + 1
}

/// Dropping the future (here: `select!` picking the other branch) cancels the computation and
/// drops every live frame once, innermost first.
#[test]
fn dropping_the_future_cancels_the_computation() {
    let n = scale(300, 100_000);
    let log: Log = Rc::new(RefCell::new(Vec::new()));
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut polls = 0;
        let fifth_poll = poll_fn(|cx| {
            polls += 1;
            if polls == 5 {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        });
        tokio::select! {
            biased;
            _ = Runner::new(tracked(n, &log)).yield_every(10) => unreachable!("the runner finished"),
            () = fifth_poll => {}
        }
    });
    // Five polls of ten calls: levels n..n-49 each made their tracker, level n-50 had not started.
    assert_eq!(*log.borrow(), (n - 49..=n).collect::<Vec<_>>());
    assert_eq!(Rc::strong_count(&log), 1, "a frame leaked");
}
