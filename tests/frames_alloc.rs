//! Frames allocate nothing in steady state: a counting global allocator around
//! `start_frames` and `start_frame_queue` against the mock streaming as fast as the
//! callback takes it. (The mock is a separate library with its own allocator: only the
//! safe layer's and this test's allocations are counted.)

use hcnetsdk_test_support::safe as support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use support::{Device, Kind};

#[global_allocator]
static GLOBAL: hcnetsdk_test_support::alloc::Counting = hcnetsdk_test_support::alloc::Counting;

const WAIT: Duration = Duration::from_secs(30);
/// Two loops of the mock's 200-frame clip: every frame size has been seen.
const WARM_UP: u64 = 450;
const MEASURED: u64 = 1_000;

/// Wait until `count` reaches `n`.
fn wait_until(count: &AtomicU64, n: u64) {
    let deadline = Instant::now() + WAIT;
    while count.load(Ordering::Relaxed) < n {
        assert!(
            Instant::now() < deadline,
            "only {} frames",
            count.load(Ordering::Relaxed)
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Allocations while `count` goes from `from` to `from + MEASURED`.
fn allocs_over(count: &AtomicU64, from: u64) -> u64 {
    wait_until(count, from);
    let before = hcnetsdk_test_support::alloc::allocations();
    wait_until(count, from + MEASURED);
    hcnetsdk_test_support::alloc::allocations() - before
}

#[test]
fn frames_do_not_allocate_in_steady_state() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();

    let frames = Arc::new(AtomicU64::new(0));
    let f = Arc::clone(&frames);
    let preview = session
        .preview(1)
        .start_frames(move |frame| {
            if frame.is_video() && !frame.data.is_empty() {
                f.fetch_add(1, Ordering::Relaxed);
            }
        })
        .unwrap();
    let n = allocs_over(&frames, WARM_UP);
    preview.stop().unwrap();
    assert_eq!(n, 0, "start_frames: {n} allocations over {MEASURED} frames");

    let (preview, mut rx) = session.preview(1).start_frame_queue(8).unwrap();
    let received = Arc::new(AtomicU64::new(0));
    let r = Arc::clone(&received);
    let consumer = std::thread::spawn(move || {
        // Fall behind at first, so that the pool grows to its capacity (the queue drops
        // frames meanwhile): the steady state starts once every buffer exists.
        std::thread::sleep(Duration::from_millis(300));
        while let Some(frame) = rx.recv() {
            if frame.is_video() {
                r.fetch_add(1, Ordering::Relaxed);
            }
        }
        rx.lost()
    });
    let n = allocs_over(&received, WARM_UP);
    preview.stop().unwrap();
    let lost = consumer.join().unwrap();
    assert!(
        lost > 0,
        "the consumer fell behind at first, so the pool grew to capacity"
    );
    assert_eq!(
        n, 0,
        "start_frame_queue: {n} allocations over {MEASURED} frames ({lost} lost)"
    );
}
