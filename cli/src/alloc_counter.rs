//! A global allocator that counts allocations and bytes, to report what each
//! parser allocates per document, and how much of it stays allocated.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Wraps the system allocator, counting every allocation and reallocation
/// and the bytes currently allocated.
pub struct CountingAllocator;

/// Allocations and reallocations so far.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Bytes requested so far (a reallocation counts its growth).
static BYTES: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated and not yet freed (wrapping: only differences mean anything).
static LIVE: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged; the counters have no effect on the memory handed out.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        LIVE.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as is; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as is; `ptr` came from `System` through this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        LIVE.fetch_add(
            (new_size as u64).wrapping_sub(layout.size() as u64),
            Relaxed,
        );
        // SAFETY: forwarded as is; the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What a piece of code allocated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Allocations, reallocations included.
    pub allocations: u64,
    /// Bytes requested (a reallocation counts its growth).
    pub bytes: u64,
    /// Bytes still allocated at the end, net of what was freed (negative if
    /// it freed more than it allocated).
    pub retained: i64,
}

/// What `f` allocates, and what stays allocated while its result lives (on
/// this process: run it single-threaded).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    let (allocations, bytes, live) = (
        ALLOCATIONS.load(Relaxed),
        BYTES.load(Relaxed),
        LIVE.load(Relaxed),
    );
    let value = f();
    let counts = Counts {
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
        bytes: BYTES.load(Relaxed) - bytes,
        retained: LIVE.load(Relaxed).wrapping_sub(live) as i64,
    };
    (value, counts)
}
