//! The figures the runtime's docs quote: heap bytes per level against a native frame, and the
//! cost and latency of yielding to an async executor for several `yield_every` values (how
//! `fiber_runtime::DEFAULT_YIELD_EVERY` was chosen).
//!
//! `cargo run --release --example runner_numbers`

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use fiber_runtime::{Fiber, Runner, fiber};

/// The README's example.
#[fiber]
fn depth(n: u64) -> u64 {
    if n == 0 { 0 } else { depth(n - 1) + 1 }
}

#[fiber]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn frame_size<F: Fiber>(_: &F) -> usize {
    std::mem::size_of::<F::Frame>()
}

/// The address of a local of a frame called from the caller: the stack pointer, give or take
/// a constant.
#[inline(never)]
fn stack_pointer() -> usize {
    let here = 0u8;
    black_box(&here) as *const u8 as usize
}

/// The same fn natively, with the stack pointer taken at the bottom. LLVM may turn
/// `depth(n - 1) + 1` into a loop; `depth_native_opaque` keeps the recursion (`black_box` on the
/// result).
#[inline(never)]
fn depth_native(n: u64, bottom: &mut usize) -> u64 {
    if n == 0 {
        *bottom = stack_pointer();
        0
    } else {
        depth_native(n - 1, bottom) + 1
    }
}

#[inline(never)]
fn depth_native_opaque(n: u64, bottom: &mut usize) -> u64 {
    if n == 0 {
        *bottom = stack_pointer();
        0
    } else {
        black_box(depth_native_opaque(n - 1, bottom)) + 1
    }
}

/// Bytes per level of a native recursion: the stack pointer at the bottom of two depths.
fn native_bytes_per_level(f: fn(u64, &mut usize) -> u64) -> f64 {
    let (a, b) = (10_000, 20_000);
    let (mut at_a, mut at_b) = (0, 0);
    assert_eq!(f(black_box(a), &mut at_a), a);
    assert_eq!(f(black_box(b), &mut at_b), b);
    (at_a as f64 - at_b as f64) / (b - a) as f64
}

/// Polls a runner to the end on a no-op waker, as an executor would: the time in all, and the
/// median and 99th percentile of the time per poll.
fn poll_to_end<F: Fiber>(mut runner: Runner<F>) -> (Duration, Duration, Duration, usize) {
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let (start, mut times) = (Instant::now(), Vec::new());
    loop {
        let t = Instant::now();
        let poll = Pin::new(&mut runner).poll(&mut cx);
        times.push(t.elapsed());
        if let Poll::Ready(result) = poll {
            assert!(result.is_ok());
            let total = start.elapsed();
            times.sort();
            let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
            return (total, at(0.5), at(0.99), times.len());
        }
    }
}

/// The fastest of five runs.
fn best<T: Ord>(f: impl Fn() -> T) -> T {
    (0..5).map(|_| f()).min().unwrap()
}

/// The same on tokio's current-thread runtime, with a second task that yields in a loop: what
/// a yield costs with a scheduler in between.
fn on_tokio<F: Fiber + 'static>(runner: Runner<F>) -> Duration
where
    F::Output: 'static,
{
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let other = tokio::spawn(async {
            loop {
                tokio::task::yield_now().await;
            }
        });
        let start = Instant::now();
        runner.await.unwrap();
        let elapsed = start.elapsed();
        other.abort();
        elapsed
    })
}

fn main() {
    // Memory per level.
    let n = 10_000_000;
    let mut runner = Runner::new(depth(n));
    assert!(runner.resume(n).is_pending());
    let (bytes, levels) = (runner.stack_bytes(), runner.peak_depth());
    assert_eq!(runner.finish(), Ok(n));
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| (native_bytes_per_level(depth_native), native_bytes_per_level(depth_native_opaque)));
    let (native, native_opaque) = handle.unwrap().join().unwrap();
    println!("fn depth(n: u64) -> u64, {levels} levels:");
    println!(
        "  fiber:  frame {} B; stack_bytes {bytes} B = {:.2} B per level (chunks double, the last one partly used)",
        frame_size(&depth(0)),
        bytes as f64 / levels as f64
    );
    println!(
        "  native: {native:.1} B per level as compiled; {native_opaque:.1} B per level with the recursion kept"
    );

    // Time per step.
    let t = Instant::now();
    let mut r = Runner::new(depth(n));
    assert!(r.resume(u64::MAX).is_ready());
    let per_step_depth = t.elapsed().as_secs_f64() * 1e9 / r.steps() as f64;
    let t = Instant::now();
    let mut r = Runner::new(fib(32));
    assert!(r.resume(u64::MAX).is_ready());
    let per_step_fib = t.elapsed().as_secs_f64() * 1e9 / r.steps() as f64;
    println!("\ntime per step: depth {per_step_depth:.2} ns, fib {per_step_fib:.2} ns");

    // Yielding: overhead against one `resume(u64::MAX)`, and the time per poll.
    let straight = best(|| {
        let t = Instant::now();
        assert!(Runner::new(depth(n)).finish().is_ok());
        t.elapsed()
    });
    println!("\ndepth({n}) straight: {straight:.2?} (best of 5)");
    println!(
        "yield_every | polls | no-op waker: total, overhead, median poll, p99 poll | tokio: total, overhead"
    );
    for every in [256, 1024, 4096, 8192, 16384, 65536, 1 << 20] {
        let (total, median, p99, polls) = best(|| poll_to_end(Runner::new(depth(n)).yield_every(every)));
        let tokio = best(|| on_tokio(Runner::new(depth(n)).yield_every(every)));
        let overhead = |d: Duration| 100.0 * (d.as_secs_f64() / straight.as_secs_f64() - 1.0);
        println!(
            "{every:>11} | {polls:>5} | {total:>9.2?} {:>+6.1}% {median:>9.2?} {p99:>9.2?} | {tokio:>9.2?} {:>+6.1}%",
            overhead(total),
            overhead(tokio)
        );
    }
}
