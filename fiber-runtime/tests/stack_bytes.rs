//! `Runner::stack_bytes` and `cached_stack_bytes` are exact: a counting allocator sees the
//! same number of live bytes as the runner and the thread's chunk cache report, at every
//! pause, while the stack grows and shrinks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use fiber_runtime::{Runner, cached_stack_bytes, fiber, release_cached_stacks};

/// Counts the bytes live on the heap, per thread (tests run in parallel).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// Allocations of 4 KiB or more (the smallest chunk), per thread.
    static BIG: Cell<usize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

fn live() -> isize {
    LIVE.with(Cell::get)
}

// SAFETY: forwards every call to `System` unchanged; the counting touches no allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        if layout.size() >= 4096 {
            let _ = BIG.try_with(|big| big.set(big.get() + 1));
        }
        // SAFETY: the caller's contract is `System::alloc`'s.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: the caller's contract is `System::dealloc`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: the caller's contract is `System::realloc`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[fiber]
fn nest(n: u64) -> u64 {
    if n == 0 { 0 } else { nest(n - 1) + 1 }
}

/// A frame of 64 words kept across the call.
#[fiber]
fn fat(n: u64) -> u64 {
    let pad = [n; 64];
    if n == 0 {
        return 0;
    }
    let r = fat(n - 1);
    r + pad[(n % 64) as usize] - n + 1
}

/// Live bytes besides this thread's chunk cache.
fn live_outside_cache() -> isize {
    live() - cached_stack_bytes() as isize
}

/// Runs `runner` in slices, checking after each that the allocator agrees with `stack_bytes`.
fn check<F: fiber_runtime::Fiber<Output = u64>>(mut runner: Runner<F>, slices: &[u64], expected: u64) {
    // The runner itself lives on this thread's native stack; everything it allocated since
    // `before`, besides the cache, is its heap stack.
    let before = live_outside_cache() - runner.stack_bytes() as isize;
    let mut peak = 0;
    for &slice in slices.iter().cycle() {
        let poll = runner.resume(slice);
        let stack = live_outside_cache() - before;
        assert_eq!(stack, runner.stack_bytes() as isize, "at depth {}", runner.depth());
        peak = peak.max(runner.stack_bytes());
        if let std::task::Poll::Ready(result) = poll {
            assert_eq!(result, Ok(expected));
            break;
        }
    }
    assert_eq!(runner.stack_bytes(), 0);
    assert_eq!(live_outside_cache(), before);
    assert!(peak > 0);
}

#[test]
fn stack_bytes_is_what_the_allocator_sees() {
    let n = if cfg!(miri) { 3_000 } else { 300_000 };
    release_cached_stacks();
    // Before the first step: the first chunk and its table.
    let before = live();
    let runner = Runner::new(nest(n));
    assert!(runner.stack_bytes() > 0);
    assert_eq!(live() - before, runner.stack_bytes() as isize);
    drop(runner);
    assert_eq!(live_outside_cache(), before, "a dropped runner gives its stack back");
    assert!(cached_stack_bytes() > 0, "to the thread's cache");

    check(Runner::new(nest(n)), &[1, 7, 100, 3, 1000], n);
    check(Runner::new(fat(n / 10)), &[1, 13, 250], n / 10);
    release_cached_stacks();
    assert_eq!(live(), before, "releasing the cache frees the chunks");
}

#[test]
fn a_second_run_reuses_the_chunks_of_the_first() {
    let n = if cfg!(miri) { 3_000 } else { 300_000 };
    release_cached_stacks();
    let before = live();
    assert_eq!(fiber_runtime::run(nest(n)), n);
    let kept = live() - before;
    assert_eq!(kept, cached_stack_bytes() as isize);
    // The second run takes every chunk it needs from the cache: it allocates no chunk.
    let big = BIG.with(Cell::get);
    let mut runner = Runner::new(nest(n));
    let mut most = 0;
    while runner.resume(1000).is_pending() {
        most = most.max(runner.stack_bytes());
    }
    assert!(most > kept as usize / 2, "the second run is as deep as the first");
    assert_eq!(BIG.with(Cell::get), big, "no chunk allocated");
    drop(runner);
    assert_eq!(live() - before, kept);
    release_cached_stacks();
    assert_eq!(live(), before);
}

#[test]
fn a_depth_limit_frees_the_stack() {
    let n = if cfg!(miri) { 3_000 } else { 300_000 };
    release_cached_stacks();
    let before = live();
    let mut runner = Runner::new(nest(n)).max_depth(n as usize / 2);
    assert!(runner.resume(u64::MAX).is_ready());
    assert_eq!((runner.stack_bytes(), live_outside_cache()), (0, before));
    release_cached_stacks();
    assert_eq!(live(), before);
}
