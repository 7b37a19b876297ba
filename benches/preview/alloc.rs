//! The counting global allocator (`hcnetsdk_test_support::alloc`): allocations per packet
//! and per call.

#[global_allocator]
static GLOBAL: hcnetsdk_test_support::alloc::Counting = hcnetsdk_test_support::alloc::Counting;

/// Allocations so far, all threads.
pub fn allocs() -> u64 {
    hcnetsdk_test_support::alloc::allocations()
}
