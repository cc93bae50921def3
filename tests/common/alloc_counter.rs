//! A counting global allocator, for the tests that count allocations
//! (tests/allocations.rs and tests/value.rs).
//!
//! It counts only on threads that asked for it (a thread-local flag), so the
//! test harness's own threads and the other tests running in parallel cannot
//! disturb a measurement. A global allocator must be declared in each test
//! binary that counts:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: common::alloc_counter::Counting = common::alloc_counter::Counting;
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// A global allocator that forwards to [`System`] and counts the calls made
/// by measuring threads (see [`measure`]).
pub struct Counting;

/// `alloc`, `alloc_zeroed` and `realloc` calls made by measuring threads.
static CALLS: AtomicU64 = AtomicU64::new(0);
/// The `realloc` calls among them.
static REALLOCS: AtomicU64 = AtomicU64::new(0);
/// Bytes requested by those calls (the new size, for a realloc).
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Whether this thread's allocations are being counted. A `const`
    /// initializer and a type without `Drop`: reading it never allocates.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

/// How many calls of a measurement [`LOG`] keeps.
pub const LOG_LEN: usize = 64;
/// The first calls of a measurement, for failure messages: the requested
/// size, with [`REALLOC_BIT`] set for a realloc.
static LOG: [AtomicU64; LOG_LEN] = [const { AtomicU64::new(0) }; LOG_LEN];
/// Marks a realloc in a log entry.
pub const REALLOC_BIT: u64 = 1 << 63;

/// Counts one call of `bytes` if this thread is measuring.
fn record(bytes: usize, realloc: bool) {
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        let call = CALLS.fetch_add(1, Ordering::Relaxed) as usize;
        if realloc {
            REALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
        if call < LOG_LEN {
            let flag = if realloc { REALLOC_BIT } else { 0 };
            LOG[call].store(bytes as u64 | flag, Ordering::Relaxed);
        }
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size(), false);
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size(), false);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size, true);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// What a measured closure asked of the allocator on its thread.
#[derive(Clone, Copy)]
pub struct Allocs {
    /// `alloc` and `alloc_zeroed` calls.
    pub allocs: u64,
    /// `realloc` calls.
    pub reallocs: u64,
    /// Bytes requested by all those calls (the new size, for a realloc).
    pub bytes: u64,
    /// The first calls, as recorded in `LOG`: the size, with
    /// [`REALLOC_BIT`] set for a realloc.
    pub log: [u64; LOG_LEN],
}

impl Allocs {
    /// All calls: allocations and reallocations.
    pub fn calls(&self) -> u64 {
        self.allocs + self.reallocs
    }

    /// `(allocs, reallocs, bytes)`, for comparisons.
    pub fn counts(&self) -> (u64, u64, u64) {
        (self.allocs, self.reallocs, self.bytes)
    }
}

impl std::fmt::Debug for Allocs {
    /// The totals, then the first calls: `+n` an allocation of n bytes, `~n` a
    /// realloc to n bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} allocs, {} reallocs, {} bytes: [",
            self.allocs, self.reallocs, self.bytes
        )?;
        let logged = (self.calls() as usize).min(LOG_LEN);
        for (i, &entry) in self.log[..logged].iter().enumerate() {
            let sign = if entry & REALLOC_BIT != 0 { '~' } else { '+' };
            let sep = if i == 0 { "" } else { " " };
            write!(f, "{sep}{sign}{}", entry & !REALLOC_BIT)?;
        }
        if logged < self.calls() as usize {
            f.write_str(" ...")?;
        }
        f.write_str("]")
    }
}

/// Runs `f`, counting the allocations this thread makes meanwhile. Only the
/// measuring thread is counted, so the harness's other threads (and the other
/// tests) cannot disturb it; the counters are global, so measurements are
/// serialized by a lock. `f`'s result is returned, so it is dropped after the
/// measurement.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Allocs) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    CALLS.store(0, Ordering::SeqCst);
    REALLOCS.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    MEASURING.with(|m| m.set(true));
    let result = std::hint::black_box(f());
    MEASURING.with(|m| m.set(false));
    let calls = CALLS.load(Ordering::SeqCst);
    let reallocs = REALLOCS.load(Ordering::SeqCst);
    let allocs = Allocs {
        allocs: calls - reallocs,
        reallocs,
        bytes: BYTES.load(Ordering::SeqCst),
        log: std::array::from_fn(|i| LOG[i].load(Ordering::SeqCst)),
    };
    (result, allocs)
}
