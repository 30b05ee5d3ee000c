//! `Runner::stack_bytes` is exact: a counting allocator sees the same number of live bytes as
//! the runner reports, at every pause, while the stack grows and shrinks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use fiber_runtime::{Runner, fiber};

/// Counts the bytes live on the heap, per thread (tests run in parallel).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
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

/// Runs `runner` in slices, checking after each that the allocator agrees with `stack_bytes`.
fn check<F: fiber_runtime::Fiber<Output = u64>>(mut runner: Runner<F>, slices: &[u64], expected: u64) {
    // The runner itself lives on this thread's native stack; everything it allocated since
    // `before` is its heap stack.
    let before = live() - runner.stack_bytes() as isize;
    let mut peak = 0;
    for &slice in slices.iter().cycle() {
        let poll = runner.resume(slice);
        assert_eq!(live() - before, runner.stack_bytes() as isize, "at depth {}", runner.depth());
        peak = peak.max(runner.stack_bytes());
        if let std::task::Poll::Ready(result) = poll {
            assert_eq!(result, Ok(expected));
            break;
        }
    }
    assert_eq!(runner.stack_bytes(), 0);
    assert_eq!(live(), before);
    assert!(peak > 0);
}

#[test]
fn stack_bytes_is_what_the_allocator_sees() {
    let n = if cfg!(miri) { 3_000 } else { 300_000 };
    // Before the first step: the first chunk and its table.
    let before = live();
    let runner = Runner::new(nest(n));
    assert!(runner.stack_bytes() > 0);
    assert_eq!(live() - before, runner.stack_bytes() as isize);
    drop(runner);
    assert_eq!(live(), before, "a dropped runner frees its stack");

    check(Runner::new(nest(n)), &[1, 7, 100, 3, 1000], n);
    check(Runner::new(fat(n / 10)), &[1, 13, 250], n / 10);
}

#[test]
fn a_depth_limit_frees_the_stack() {
    let n = if cfg!(miri) { 3_000 } else { 300_000 };
    let before = live();
    let mut runner = Runner::new(nest(n)).max_depth(n as usize / 2);
    assert!(runner.resume(u64::MAX).is_ready());
    assert_eq!((runner.stack_bytes(), live()), (0, before));
}
