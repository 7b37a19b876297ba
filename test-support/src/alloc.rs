//! A counting global allocator for the binaries that check "no allocation per packet/frame"
//! (the preview bench, `tests/frames_alloc.rs`). Each such binary installs it:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: hcnetsdk_test_support::alloc::Counting = hcnetsdk_test_support::alloc::Counting;
//! ```
//!
//! and reads [`allocations`]. The mock is a separate shared library with its own allocator,
//! so its allocations are not counted: only the safe layer's and the caller's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

static ALLOCS: AtomicU64 = AtomicU64::new(0);

/// Counts every allocation (alloc, alloc_zeroed, realloc) on any thread, then forwards it to
/// the system allocator unchanged.
#[derive(Debug)]
pub struct Counting;

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; `ptr` came from this allocator, i.e. from System.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations so far through [`Counting`], all threads (0 where it is not installed).
pub fn allocations() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}
