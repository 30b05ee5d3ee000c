//! Panics unwind through the heap stack as through native frames: every live value of every
//! frame is dropped once, innermost frame first and in reverse declaration order within a
//! frame, `catch_unwind` around `run` works, and the runtime stays usable. A panic is injected
//! at every point between and around the recursive calls of a few fns, and the whole drop log is
//! compared with the native twin's.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{Loud, log, logged};
use fiber_runtime::run;

/// Panics when `point` is `at`: the injection points.
pub fn point(at: u64, here: u64) {
    log("point", here);
    if at == here {
        panic!("boom at {here}");
    }
}

twins! {
    /// Locals before and after the call, a loop with a call in it.
    pub fn descend(n: u64, at: u64) -> u64 {
        let a = Loud::new(n * 100);
        point(at, n * 10);
        let b = Loud::new(n * 100 + 1);
        let below = if n == 0 { 0 } else { descend(n - 1, at) };
        point(at, n * 10 + 1);
        let mut sum = below;
        for i in 0..2 {
            let c = Loud::new(n * 100 + 10 + i);
            if n > 0 {
                sum += descend(n / 2, at) + c.0;
            }
            point(at, n * 10 + 2 + i);
        }
        // Every local is used after the last call; `bombs` below and tests/drops.rs have locals
        // that nothing reads after a call.
        sum + b.0 + a.0
    }

    /// Two calls in one expression, a match on a call, a tail call.
    pub fn branchy(n: u64, at: u64, acc: u64) -> u64 {
        let guard = Loud::new(1000 + n);
        point(at, 500 + n);
        if n == 0 {
            return acc + guard.0;
        }
        let pair = (branchy(n - 1, at, 0), { point(at, 600 + n); Loud::new(2000 + n).0 });
        match branchy(n / 2, at, pair.0) {
            x if x % 2 == 0 => x + pair.1,
            x => x + guard.0,
        }
    }

    /// Tail calls that replace the frame (the droppable parameter is passed whole, the other
    /// bindings have no drop glue): under `run` they loop inside one step, under a `Runner`
    /// each one is a step.
    pub fn carried(d: Loud, n: u64, at: u64, acc: u64) -> u64 {
        point(at, 700 + n);
        let twice = acc * 2;
        if n == 0 {
            return twice + d.0;
        }
        carried(d, n - 1, at, twice + n)
    }
}

/// Runs `fiber` one step at a time.
fn stepped<F: fiber_runtime::Fiber>(fiber: F) -> F::Output {
    let mut runner = fiber_runtime::Runner::new(fiber);
    loop {
        if let std::task::Poll::Ready(output) = runner.resume(1) {
            return output.expect("no limit");
        }
    }
}

/// Logs its drop, and panics in it when its id is the chosen one (unless already unwinding,
/// where a second panic would abort natively too).
pub struct Bomb(pub u64, pub u64);

impl Bomb {
    pub fn new(id: u64, at: u64) -> Bomb {
        common::alive(1);
        Bomb(id, at)
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        common::alive(-1);
        log("drop", self.0);
        if self.0 == self.1 && !std::thread::panicking() {
            panic!("drop of {} panics", self.0);
        }
    }
}

fn bomb_id(b: &Bomb) -> u64 {
    b.0
}

mod drop_panics {
    use super::*;

    twins! {
        /// A value whose `Drop` panics, at the end of a scope after a call, or while the
        /// values of a frame are dropped.
        pub fn bombs(n: u64, at: u64) -> u64 {
            let a = Bomb::new(n * 10, at);
            log("a", bomb_id(&a));
            if n == 0 {
                return 0;
            }
            let below = {
                let inner = Bomb::new(n * 10 + 1, at);
                log("inner", bomb_id(&inner));
                bombs(n - 1, at)
            };
            let b = Bomb::new(n * 10 + 2, at);
            below + bomb_id(&b) % 2
        }
    }

    #[test]
    fn a_panic_in_drop_unwinds_as_native() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let mut differences = Vec::new();
        for n in 0..4 {
            for at in (0..=n * 10 + 2).chain([u64::MAX]) {
                let difference = compare(|| native::bombs(n, at), || run(fiber::bombs(n, at)));
                differences.extend(difference.map(|d| format!("bombs({n}) at {at}: {d}")));
            }
        }
        std::panic::set_hook(hook);
        assert!(differences.is_empty(), "{} differences, first: {}", differences.len(), differences[0]);
    }
}

/// The native twin's and the fiber's result (`None` after a panic) and log, or why they differ.
fn compare<R: PartialEq + std::fmt::Debug>(
    native: impl FnOnce() -> R,
    fiber: impl FnOnce() -> R,
) -> Option<String> {
    let native = logged(|| catch_unwind(AssertUnwindSafe(native)).ok());
    if common::LIVE.with(|l| l.get()) != 0 {
        return Some("native leaked".into());
    }
    let fiber = logged(|| catch_unwind(AssertUnwindSafe(fiber)).ok());
    if common::take_alive() != 0 {
        return Some(format!("a value was dropped more or less than once: {fiber:?}"));
    }
    (native != fiber).then(|| format!("native {native:?}\n fiber {fiber:?}"))
}

#[test]
fn panics_at_every_point_drop_what_native_drops() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut differences = Vec::new();
    for n in 0..5 {
        for at in (0..n * 10 + 4).chain([u64::MAX]) {
            let difference = compare(|| native::descend(n, at), || run(fiber::descend(n, at)));
            differences.extend(difference.map(|d| format!("descend({n}) at {at}: {d}")));
        }
        for at in (500..=500 + n).chain(601..=600 + n).chain([u64::MAX]) {
            let difference = compare(|| native::branchy(n, at, 0), || run(fiber::branchy(n, at, 0)));
            differences.extend(difference.map(|d| format!("branchy({n}) at {at}: {d}")));
        }
    }
    std::panic::set_hook(hook);
    assert!(differences.is_empty(), "{} differences, first: {}", differences.len(), differences[0]);
    // The runtime is usable after all those panics.
    assert_eq!(run(fiber::descend(3, u64::MAX)), native::descend(3, u64::MAX));
}

#[test]
fn panics_in_tail_loops_drop_what_native_drops_run_or_stepped() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut differences = Vec::new();
    for n in 0..6 {
        for at in (700..=700 + n).chain([u64::MAX]) {
            let native = || native::carried(Loud::new(9), n, at, 1);
            let by_run = compare(native, || run(fiber::carried(Loud::new(9), n, at, 1)));
            differences.extend(by_run.map(|d| format!("run: carried({n}) at {at}: {d}")));
            let by_step = compare(native, || stepped(fiber::carried(Loud::new(9), n, at, 1)));
            differences.extend(by_step.map(|d| format!("stepped: carried({n}) at {at}: {d}")));
        }
    }
    std::panic::set_hook(hook);
    assert!(differences.is_empty(), "{} differences, first: {}", differences.len(), differences[0]);
    // A runner still counts one step per tail call, and the frame is replaced each time.
    let mut runner = fiber_runtime::Runner::new(fiber::carried(Loud::new(9), 5, u64::MAX, 1));
    assert!(runner.resume(u64::MAX).is_ready());
    assert_eq!((runner.steps(), runner.peak_depth()), (6, 1));
    drop(runner);
    assert_eq!(common::take_alive(), 0);
}
