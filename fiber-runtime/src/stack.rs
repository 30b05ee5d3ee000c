//! The heap stack: frames live in chunks that double in size up to a cap.
//!
//! A chunk is never reallocated, so a frame never moves while it is on the stack (the door stays
//! open for frames that borrow themselves), and growing costs no copy. Every chunk below the
//! current one is full; one spare chunk above it is kept so that a recursion oscillating around a
//! chunk boundary does not allocate on every call.

use alloc::alloc::Layout;
use alloc::vec::Vec;
use core::mem;
use core::ptr::{self, NonNull};

use crate::chunk_cache;

/// Bytes in the first chunk.
const FIRST_CHUNK_BYTES: usize = 4 * 1024;
/// Chunks stop doubling at this size.
const MAX_CHUNK_BYTES: usize = 16 * 1024 * 1024;

/// The memory of the chunks, for any frame type: the table, its growth and the allocations are
/// the same code for every stack, compiled once in this crate rather than once per frame type
/// in the user's (a fiber crate's build time is mostly LLVM compiling each machine's driver).
struct Chunks {
    /// `list[..cur]` are full, `list[cur]` is the current chunk, at most one spare follows.
    list: Vec<RawChunk>,
    cur: usize,
    /// One frame's layout. Zero-sized frames never get a chunk.
    frame: Layout,
}

struct RawChunk {
    ptr: NonNull<u8>,
    /// In frames.
    cap: usize,
}

impl Chunks {
    const fn new(frame: Layout) -> Self {
        Chunks { list: Vec::new(), cur: 0, frame }
    }

    fn layout(&self, cap: usize) -> Layout {
        // A frame's size is a multiple of its alignment, so `cap` of them are `size * cap` bytes.
        let bytes = self.frame.size().checked_mul(cap).expect("fiber: stack chunk size overflows");
        Layout::from_size_align(bytes, self.frame.align()).expect("fiber: stack chunk size overflows")
    }

    /// Makes the chunk above the current one current, allocating it unless a spare is there,
    /// and returns its pointer and capacity (the first call makes the first chunk current).
    #[cold]
    #[inline(never)]
    fn next(&mut self) -> (NonNull<u8>, usize) {
        debug_assert!(self.frame.size() != 0);
        let next = if self.list.is_empty() { 0 } else { self.cur + 1 };
        if next == self.list.len() {
            let size = self.frame.size();
            let cap = match self.list.last() {
                None => (FIRST_CHUNK_BYTES / size).max(1),
                Some(last) => last.cap.saturating_mul(2).min((MAX_CHUNK_BYTES / size).max(1)),
            };
            // SAFETY: the layout has a non-zero size: the frame is not zero-sized and `cap >= 1`.
            let ptr = unsafe { chunk_cache::take(self.layout(cap)) };
            self.list.push(RawChunk { ptr, cap });
        }
        self.cur = next;
        (self.list[next].ptr, self.list[next].cap)
    }

    /// Makes the chunk below the current one current, keeps the old current one as the spare
    /// and frees any above it; returns the new current chunk's pointer and capacity.
    #[cold]
    #[inline(never)]
    fn previous(&mut self) -> (NonNull<u8>, usize) {
        while self.list.len() > self.cur + 1 {
            let chunk = self.list.pop().expect("a chunk above the current one");
            self.free(chunk);
        }
        self.cur -= 1;
        (self.list[self.cur].ptr, self.list[self.cur].cap)
    }

    fn free(&self, chunk: RawChunk) {
        // SAFETY: `chunk` was taken in `next` with this layout, and its frames were dropped or
        // moved out by the `Stack` before the chunk is freed.
        unsafe { chunk_cache::give_back(chunk.ptr, self.layout(chunk.cap)) }
    }

    fn allocated_bytes(&self) -> usize {
        let table = self.list.capacity() * mem::size_of::<RawChunk>();
        table + self.list.iter().map(|c| c.cap * self.frame.size()).sum::<usize>()
    }
}

impl Drop for Chunks {
    fn drop(&mut self) {
        for chunk in mem::take(&mut self.list) {
            self.free(chunk);
        }
    }
}

pub(crate) struct Stack<T> {
    /// The current chunk holds the frames below `at.top`; the chunks below it are full.
    chunks: Chunks,
    at: Cursor<T>,
}

/// The part of a [`Stack`] that every push and pop touches: the current chunk and how full it
/// is. The driver copies it into a local for its loop and hands it to the cold chunk switches
/// by value: a `&mut Stack` reaching a function that is not inlined would make LLVM keep the
/// stack's fields in memory, storing and reloading them around every frame write.
///
/// Pointers rather than a length: a push or pop then moves `top` by the frame size, where an
/// index would be multiplied by it on every access (three instructions for a 24-byte frame).
pub(crate) struct Cursor<T> {
    /// `chunks[cur]`: its first slot, its first vacant slot, and its end.
    base: NonNull<T>,
    top: NonNull<T>,
    end: NonNull<T>,
    /// Frames in the chunks below the current one; for zero-sized frames, which have one
    /// virtual chunk without extent, frames on the whole stack. A frame pushed or popped
    /// inside a chunk only moves `top`: the hot loop keeps no count, and finds the bottom of
    /// the stack when the current chunk is empty and nothing is below it.
    below: usize,
}

impl<T> Clone for Cursor<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Cursor<T> {}

impl<T> Cursor<T> {
    /// Number of frames on the stack.
    #[inline(always)]
    pub(crate) fn depth(&self) -> usize {
        if mem::size_of::<T>() == 0 {
            return self.below;
        }
        // SAFETY: `base <= top`, both in (or one past) the current chunk's allocation.
        self.below + unsafe { self.top.offset_from(self.base) } as usize
    }

    /// Counts the slot returned by the last [`Stack::detach_top_at`] or [`Stack::reserve_at`]
    /// as the top frame's; the slot must hold an initialized frame.
    #[inline(always)]
    pub(crate) fn restore_top(&mut self) {
        // SAFETY: `detach_top_at` or `reserve_at` left `top < end` in the same chunk, and
        // nothing was pushed since, so one past it is at most `end`.
        self.top = unsafe { self.top.add(1) };
        if mem::size_of::<T>() == 0 {
            self.below += 1;
        }
    }

    /// A cursor at slot `len` of a chunk of `cap` frames at `base`.
    #[inline(always)]
    fn in_chunk(base: NonNull<T>, cap: usize, len: usize, below: usize) -> Self {
        // SAFETY: `len <= cap`, and one past the chunk's last slot is in bounds of its allocation.
        let (top, end) = unsafe { (base.add(len), base.add(cap)) };
        Cursor { base, top, end, below }
    }

    /// The current chunk has no vacant slot. Zero-sized frames live in one endless virtual
    /// chunk: the test folds to `false` for them.
    #[inline(always)]
    fn chunk_full(&self) -> bool {
        mem::size_of::<T>() != 0 && self.top == self.end
    }
}

// SAFETY: a `Stack<T>` owns its frames like a `Vec<T>` does; the raw pointers are never shared.
unsafe impl<T: Send> Send for Stack<T> {}
// SAFETY: `&Stack<T>` gives no access to the frames at all.
unsafe impl<T: Sync> Sync for Stack<T> {}

impl<T> Stack<T> {
    pub(crate) const fn new() -> Self {
        // Zero-sized frames need no memory: one endless virtual chunk, and no table. Other
        // frames start with an empty chunk, which the first push replaces.
        let none = NonNull::dangling();
        Stack {
            chunks: Chunks::new(Layout::new::<T>()),
            at: Cursor { base: none, top: none, end: none, below: 0 },
        }
    }

    /// Number of frames on the stack.
    #[inline]
    pub(crate) fn depth(&self) -> usize {
        self.at.depth()
    }

    /// The hot part of the stack, for a driver loop that keeps it in a local; give it back
    /// with [`Stack::set_cursor`] before the stack is used otherwise (or dropped).
    #[inline(always)]
    pub(crate) fn cursor(&self) -> Cursor<T> {
        self.at
    }

    #[inline(always)]
    pub(crate) fn set_cursor(&mut self, at: Cursor<T>) {
        self.at = at;
    }

    /// Bytes of the live allocations the stack made: its chunks, spare included, and the table
    /// that lists them.
    pub(crate) fn allocated_bytes(&self) -> usize {
        self.chunks.allocated_bytes()
    }

    #[inline(always)]
    pub(crate) fn push(&mut self, frame: T) {
        let mut at = self.at;
        self.push_at(&mut at, frame);
        self.at = at;
    }

    /// Pushes a frame with the hot part of the stack in `at` (see [`Stack::cursor`]).
    #[inline(always)]
    pub(crate) fn push_at(&mut self, at: &mut Cursor<T>, frame: T) {
        let slot = self.reserve_at(at);
        // SAFETY: the reserved slot is inside the current chunk, and it is vacant.
        unsafe { slot.as_ptr().write(frame) };
        at.restore_top();
    }

    /// The vacant slot above the top frame, where a frame just called is saved if it calls in
    /// turn ([`Cursor::restore_top`] then counts it); nothing is written or counted yet.
    #[inline(always)]
    pub(crate) fn reserve_at(&mut self, at: &mut Cursor<T>) -> NonNull<T> {
        if at.chunk_full() {
            *at = self.next_chunk(*at);
        }
        // `top < end`: the slot is inside the current chunk.
        at.top
    }

    /// Takes the top frame's slot out of the stack without moving the frame: the caller now owns
    /// the (still initialized) frame at the returned pointer, and the stack will not drop it.
    /// Put it back with [`Stack::restore_top`], which must follow before any other push.
    /// `None` if the stack is empty.
    #[inline(always)]
    pub(crate) fn detach_top(&mut self) -> Option<NonNull<T>> {
        let mut at = self.at;
        let slot = self.detach_top_at(&mut at);
        self.at = at;
        slot
    }

    /// [`Stack::detach_top`] with the hot part of the stack in `at`; [`Cursor::restore_top`]
    /// gives the slot back.
    #[inline(always)]
    pub(crate) fn detach_top_at(&mut self, at: &mut Cursor<T>) -> Option<NonNull<T>> {
        if mem::size_of::<T>() == 0 {
            if at.below == 0 {
                return None;
            }
            at.below -= 1;
            return Some(at.top);
        }
        if at.top == at.base {
            // The bottom of the stack is only ever found here, so the hot path keeps no count.
            if at.below == 0 {
                return None;
            }
            *at = self.previous_chunk(*at);
        }
        // SAFETY: `base < top`, so the slot below `top` is inside the current chunk.
        at.top = unsafe { at.top.sub(1) };
        Some(at.top)
    }

    /// Gives the slot returned by the last [`Stack::detach_top`] back to the stack; the slot must
    /// hold an initialized frame again.
    #[cfg(test)]
    pub(crate) fn restore_top(&mut self) {
        self.at.restore_top();
    }

    /// Drops every frame, innermost first as native unwinding does; keeps the chunks.
    pub(crate) fn clear(&mut self) {
        // If a frame's `Drop` panics, the guard keeps dropping the frames below it while the
        // panic unwinds (a second panic aborts, as it does natively and in `Vec`). The guard must
        // live across each single drop: a panic inside a `Drop::drop` ends that `drop` call, so a
        // loop inside the guard's own `drop` would stop at the first panic and leak the rest.
        struct Rest<'a, T>(&'a mut Stack<T>);
        impl<T> Drop for Rest<'_, T> {
            fn drop(&mut self) {
                self.0.clear();
            }
        }
        while let Some(slot) = self.detach_top() {
            let rest = Rest(&mut *self);
            // SAFETY: the slot holds an initialized frame that the stack no longer counts, so it
            // is dropped exactly once.
            unsafe { ptr::drop_in_place(slot.as_ptr()) };
            mem::forget(rest);
        }
    }

    /// Drops every frame, innermost first, and frees every chunk.
    pub(crate) fn release(&mut self) {
        // `Stack`'s `Drop` clears the frames; its fields free the chunks even if a frame's
        // `Drop` panics.
        drop(mem::replace(self, Stack::new()));
    }

    /// The chunk switches, around the type-erased ones of [`Chunks`]; the stack's depth
    /// does not change.
    #[inline(always)]
    fn next_chunk(&mut self, at: Cursor<T>) -> Cursor<T> {
        // Zero-sized frames never get here: their one virtual chunk never fills.
        let (ptr, cap) = self.chunks.next();
        // The current chunk is full (or the first, empty one of a new stack).
        Cursor::in_chunk(ptr.cast(), cap, 0, at.depth())
    }

    #[inline(always)]
    fn previous_chunk(&mut self, at: Cursor<T>) -> Cursor<T> {
        let (ptr, cap) = self.chunks.previous();
        // The chunk below is full.
        Cursor::in_chunk(ptr.cast(), cap, cap, at.below - cap)
    }
}

impl<T> Drop for Stack<T> {
    fn drop(&mut self) {
        // Frames without drop glue need no walk; `chunks` frees the memory either way.
        if mem::needs_drop::<T>() {
            self.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::rc::Rc;
    use core::cell::RefCell;

    #[test]
    fn push_detach_restore_keeps_lifo_order_across_chunks() {
        let mut stack = Stack::new();
        let n = 3 * FIRST_CHUNK_BYTES / mem::size_of::<u64>() + 7;
        for i in 0..n as u64 {
            stack.push(i);
        }
        assert_eq!(stack.depth(), n);
        for i in (0..n as u64).rev() {
            let slot = stack.detach_top().expect("a frame");
            // SAFETY: test: the detached slot holds the frame pushed last.
            assert_eq!(unsafe { slot.as_ptr().read() }, i);
            assert_eq!(stack.depth(), i as usize);
        }
        assert!(stack.detach_top().is_none());
    }

    #[test]
    fn depth_is_counted_across_chunk_switches() {
        let mut stack = Stack::new();
        assert!(stack.detach_top().is_none());
        let per_chunk = FIRST_CHUNK_BYTES / mem::size_of::<u64>();
        // Up and down around the first and second chunk boundaries.
        for limit in [per_chunk - 1, per_chunk, per_chunk + 1, 3 * per_chunk, 3 * per_chunk + 1] {
            for i in 0..limit {
                stack.push(i as u64);
                assert_eq!(stack.depth(), i + 1);
            }
            for i in (0..limit).rev() {
                stack.detach_top().expect("a frame");
                assert_eq!(stack.depth(), i);
            }
            assert!(stack.detach_top().is_none());
            assert_eq!(stack.depth(), 0);
        }
    }

    #[test]
    fn frames_do_not_move_while_on_the_stack() {
        let mut stack = Stack::new();
        stack.push(1u32);
        let first = stack.detach_top().expect("a frame");
        stack.restore_top();
        let n = if cfg!(miri) { 5_000 } else { 100_000 };
        for i in 0..n {
            stack.push(i);
        }
        for _ in 0..n {
            let slot = stack.detach_top().expect("a frame");
            // SAFETY: test: the slot holds a `u32` owned by this test now.
            let _ = unsafe { slot.as_ptr().read() };
        }
        assert_eq!(stack.detach_top(), Some(first));
    }

    #[test]
    fn drop_drops_every_frame_once_innermost_first() {
        struct Logged(u32, Rc<RefCell<Vec<u32>>>);
        impl Drop for Logged {
            fn drop(&mut self) {
                self.1.borrow_mut().push(self.0);
            }
        }
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut stack = Stack::new();
        for i in 0..1000 {
            stack.push(Logged(i, log.clone()));
        }
        drop(stack);
        let expected: Vec<u32> = (0..1000).rev().collect();
        assert_eq!(*log.borrow(), expected);
    }

    #[cfg(feature = "std")]
    #[test]
    fn a_panicking_drop_does_not_leak_the_frames_below() {
        struct Logged(u32, Rc<RefCell<Vec<u32>>>);
        impl Drop for Logged {
            fn drop(&mut self) {
                self.1.borrow_mut().push(self.0);
                if self.0 == 700 && !std::thread::panicking() {
                    panic!("drop of 700");
                }
            }
        }
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut stack = Stack::new();
        for i in 0..1000 {
            stack.push(Logged(i, log.clone()));
        }
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(stack)));
        assert!(dropped.is_err());
        let expected: Vec<u32> = (0..1000).rev().collect();
        assert_eq!(*log.borrow(), expected);
        assert_eq!(Rc::strong_count(&log), 1);
    }

    #[test]
    fn zero_sized_frames() {
        let mut stack = Stack::new();
        for _ in 0..10_000 {
            stack.push(());
        }
        assert_eq!(stack.depth(), 10_000);
        assert_eq!(stack.allocated_bytes(), 0);
        stack.detach_top().expect("a frame");
        assert_eq!(stack.depth(), 9_999);
        stack.clear();
        assert_eq!(stack.depth(), 0);
        assert!(stack.detach_top().is_none());
    }

    #[test]
    fn memory_is_given_back_when_the_stack_shrinks() {
        let n: u64 = if cfg!(miri) { 20_000 } else { 1_000_000 };
        let mut stack = Stack::new();
        for i in 0..n {
            stack.push(i);
        }
        let peak = stack.allocated_bytes();
        assert!(peak >= 8 * n as usize);
        for _ in 0..n - 10 {
            stack.detach_top();
        }
        assert!(stack.allocated_bytes() < peak / 2, "{} of {peak}", stack.allocated_bytes());
    }
}
