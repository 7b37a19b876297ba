//! No allocation per packet in steady state: a counting global allocator (this test binary
//! only) sees zero allocations while a warmed-up demuxer eats hundreds of frames.

mod common;

use common::*;
use hcnetsdk_media::mux::{MuxConfig, Muxer};
use hcnetsdk_media::{Codec, Demuxer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn stream(codec: Codec, au: fn(usize, bool, usize) -> Vec<u8>) -> Vec<u8> {
    let mut cfg = MuxConfig::new(codec, 640, 368);
    cfg.audio = Some(Codec::G711A);
    let mut m = Muxer::new(cfg);
    let mut ps = m.media_info().to_bytes().to_vec();
    for i in 0..400 {
        let pts = i as u64 * 3600;
        m.write_video(&au(i, i % 25 == 0, 9000), pts, |p| ps.extend_from_slice(p));
        m.write_audio(&[0xd5; 320], pts, |p| ps.extend_from_slice(p));
    }
    ps
}

fn allocations_in_steady_state(ps: &[u8], chunk: usize) -> (u64, u64) {
    let mut d = Demuxer::new();
    let (mut frames, mut bytes) = (0u64, 0usize);
    let half = ps.len() / 4;
    for c in ps[..half].chunks(chunk) {
        d.push(c, |f| bytes += f.data.len());
    }
    let before = ALLOCS.load(Ordering::Relaxed);
    for c in ps[half..].chunks(chunk) {
        d.push(c, |f| {
            frames += 1;
            bytes += f.data.len() + f.params.sps.map_or(0, <[u8]>::len);
        });
    }
    let allocs = ALLOCS.load(Ordering::Relaxed) - before;
    assert!(bytes > 0);
    (allocs, frames)
}

#[test]
fn no_allocation_per_packet_in_steady_state() {
    for (codec, au) in [
        (Codec::H264, h264_au as fn(_, _, _) -> _),
        (Codec::H265, h265_au),
    ] {
        let ps = stream(codec, au);
        for chunk in [1, 188, 1500, 65_536] {
            let (allocs, frames) = allocations_in_steady_state(&ps, chunk);
            assert!(frames > 500, "{codec:?}: {frames} frames");
            assert_eq!(
                allocs, 0,
                "{codec:?}, {chunk}-byte chunks: allocations over {frames} frames"
            );
        }
    }
}
