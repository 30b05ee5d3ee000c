//! Chunks a thread's finished heap stacks leave behind, kept for the next run on the thread.
//!
//! A thread's native stack keeps its pages once a deep recursion touched them, so the next deep
//! recursion on that thread runs on memory that is already mapped. A heap stack freed at the end
//! of every run gives its chunks back to the allocator, which returns large blocks to the
//! operating system: the next run then takes a page fault for every 4 KiB it touches again, and
//! on a 1,000,000-deep parse the faults cost more than the recursion itself (measured: ten runs
//! 0.70 s with the chunks freed, 0.19 s with them kept).
//!
//! So a freed chunk goes into a per-thread cache of at most [`CACHED_BYTES`], and a stack that
//! needs a chunk of the same layout takes it from there. [`release_cached_stacks`] frees the
//! cache at once; a thread's exit frees it too. Without the `std` feature there is no cache.

use alloc::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use core::ptr::NonNull;

/// Bytes of freed chunks a thread keeps for reuse. A 10,000,000-deep recursion with 24-byte
/// frames fits.
pub const CACHED_BYTES: usize = 256 << 20;

/// A block of `layout`, from the cache if one of that layout is there.
///
/// # Safety
/// `layout` has a non-zero size.
pub(crate) unsafe fn take(layout: Layout) -> NonNull<u8> {
    #[cfg(feature = "std")]
    if let Some(ptr) = cache::take(layout) {
        return ptr;
    }
    // SAFETY: by the caller, `layout` has a non-zero size.
    let raw = unsafe { alloc(layout) };
    let Some(ptr) = NonNull::new(raw) else { handle_alloc_error(layout) };
    ptr
}

/// Gives back a block that [`take`] returned for `layout`: into the cache if it fits there.
///
/// # Safety
/// `ptr` came from [`take`] with this `layout`, and nothing uses it afterwards.
pub(crate) unsafe fn give_back(ptr: NonNull<u8>, layout: Layout) {
    #[cfg(feature = "std")]
    let ptr = match cache::keep(ptr, layout) {
        Ok(()) => return,
        Err(ptr) => ptr,
    };
    // SAFETY: by the caller, `ptr` was allocated with `layout` and is not used any more.
    unsafe { dealloc(ptr.as_ptr(), layout) }
}

/// Frees the chunks this thread keeps from its finished fiber runs (see [`CACHED_BYTES`]).
/// The next deep run on the thread allocates them again.
///
/// ```
/// use fiber_runtime::{fiber, release_cached_stacks, run};
///
/// #[fiber]
/// fn nest(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + nest(n - 1) }
/// }
///
/// assert_eq!(run(nest(1_000_000)), 1_000_000); // its chunks stay with the thread
/// release_cached_stacks(); // and are freed here
/// ```
pub fn release_cached_stacks() {
    #[cfg(feature = "std")]
    cache::release();
}

/// Bytes of the allocations this thread's cache holds: the chunks kept from finished runs (at
/// most [`CACHED_BYTES`]) and the table that lists them. Zero without the `std` feature.
///
/// ```
/// use fiber_runtime::{cached_stack_bytes, fiber, release_cached_stacks, run};
///
/// #[fiber]
/// fn nest(n: u64) -> u64 {
///     if n == 0 { 0 } else { 1 + nest(n - 1) }
/// }
///
/// assert_eq!(run(nest(1_000_000)), 1_000_000);
/// assert!(cached_stack_bytes() >= 1_000_000 * 16);
/// release_cached_stacks();
/// assert_eq!(cached_stack_bytes(), 0);
/// ```
pub fn cached_stack_bytes() -> usize {
    #[cfg(feature = "std")]
    {
        let (blocks, table) = cache::held_bytes();
        blocks + table
    }
    #[cfg(not(feature = "std"))]
    0
}

#[cfg(feature = "std")]
mod cache {
    use alloc::alloc::{Layout, dealloc};
    use alloc::vec::Vec;
    use core::cell::RefCell;
    use core::ptr::NonNull;

    use super::CACHED_BYTES;

    /// Blocks this thread's stacks gave back, with their layouts; freed when the thread exits.
    struct Cache {
        blocks: Vec<(NonNull<u8>, Layout)>,
        bytes: usize,
    }

    impl Cache {
        const EMPTY: Cache = Cache { blocks: Vec::new(), bytes: 0 };
    }

    impl Drop for Cache {
        fn drop(&mut self) {
            for &(ptr, layout) in &self.blocks {
                // SAFETY: each block was allocated with its layout and is owned by the cache.
                unsafe { dealloc(ptr.as_ptr(), layout) }
            }
        }
    }

    std::thread_local! {
        static CACHE: RefCell<Cache> = const { RefCell::new(Cache::EMPTY) };
    }

    /// `None` also while the thread is being torn down (its cache is gone or going).
    pub(super) fn take(layout: Layout) -> Option<NonNull<u8>> {
        CACHE
            .try_with(|cache| {
                let mut cache = cache.try_borrow_mut().ok()?;
                let at = cache.blocks.iter().rposition(|&(_, l)| l == layout)?;
                cache.bytes -= layout.size();
                Some(cache.blocks.swap_remove(at).0)
            })
            .ok()
            .flatten()
    }

    /// `Err` hands the block back when the cache is full or gone.
    pub(super) fn keep(ptr: NonNull<u8>, layout: Layout) -> Result<(), NonNull<u8>> {
        CACHE
            .try_with(|cache| {
                let Ok(mut cache) = cache.try_borrow_mut() else { return Err(ptr) };
                if cache.bytes + layout.size() > CACHED_BYTES {
                    return Err(ptr);
                }
                cache.blocks.try_reserve(1).map_err(|_| ptr)?;
                cache.blocks.push((ptr, layout));
                cache.bytes += layout.size();
                Ok(())
            })
            .unwrap_or(Err(ptr))
    }

    /// The bytes of the kept blocks, and of the table that lists them; zero while the thread
    /// is being torn down.
    pub(super) fn held_bytes() -> (usize, usize) {
        let table = |cache: &Cache| cache.blocks.capacity() * core::mem::size_of::<(NonNull<u8>, Layout)>();
        CACHE.try_with(|cache| cache.try_borrow().map_or((0, 0), |c| (c.bytes, table(&c)))).unwrap_or((0, 0))
    }

    pub(super) fn release() {
        let _ = CACHE.try_with(|cache| {
            if let Ok(mut cache) = cache.try_borrow_mut() {
                // The old cache drops here: its blocks, then its table.
                *cache = Cache::EMPTY;
            }
        });
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    fn layout(bytes: usize) -> Layout {
        Layout::from_size_align(bytes, 8).expect("a layout")
    }

    fn take(layout: Layout) -> NonNull<u8> {
        assert!(layout.size() > 0);
        // SAFETY: test: the layout has a non-zero size.
        unsafe { super::take(layout) }
    }

    #[test]
    fn a_block_given_back_is_taken_again_for_the_same_layout_only() {
        release_cached_stacks();
        let block = take(layout(4096));
        // SAFETY: test: the block came from `take` with this layout and is not used again.
        unsafe { give_back(block, layout(4096)) };
        assert_eq!(cache::held_bytes().0, 4096);
        let other = take(layout(8192));
        assert_ne!(other, block);
        assert_eq!(take(layout(4096)), block);
        assert_eq!(cache::held_bytes().0, 0);
        // SAFETY: test: as above.
        unsafe {
            give_back(other, layout(8192));
            give_back(block, layout(4096));
        }
        release_cached_stacks();
        assert_eq!(cache::held_bytes().0, 0);
    }

    #[test]
    #[cfg_attr(miri, ignore = "allocates 320 MiB, too much for Miri")]
    fn the_cache_keeps_at_most_its_bound() {
        release_cached_stacks();
        // Blocks of a quarter of the bound; the fifth does not fit and is freed.
        let quarter = layout(CACHED_BYTES / 4);
        let blocks: Vec<_> = (0..5).map(|_| take(quarter)).collect();
        for block in blocks {
            // SAFETY: test: each block came from `take` with this layout.
            unsafe { give_back(block, quarter) };
        }
        assert_eq!(cache::held_bytes().0, CACHED_BYTES);
        release_cached_stacks();
        assert_eq!(cache::held_bytes().0, 0);
    }

    #[test]
    fn each_thread_has_its_own_cache() {
        release_cached_stacks();
        let block = take(layout(4096));
        let address = block.as_ptr() as usize;
        std::thread::spawn(move || {
            let block = NonNull::new(address as *mut u8).expect("non-null");
            // SAFETY: test: the block came from `take` with this layout on the main thread;
            // memory of the global allocator may be freed on any thread.
            unsafe { give_back(block, layout(4096)) };
            assert_eq!(cache::held_bytes().0, 4096);
            // The thread's exit frees it.
        })
        .join()
        .expect("the thread");
        assert_eq!(cache::held_bytes().0, 0);
    }
}
