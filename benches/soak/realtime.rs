//! Many previews at real-time pacing: the safe layer's queue previews (one consumer thread
//! that only counts), then as many raw C callbacks, in the same run. Per phase: packets,
//! packets lost by the queues, and the whole process's CPU in % of one core.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::{Session, sys};

use crate::procfs::{TICKS_PER_SEC, cpu_ticks};
use crate::soak::{LoopReport, measured};
use hcnetsdk_test_support::bench::queue_api;

/// What one phase measured.
struct Phase {
    packets: u64,
    lost: u64,
    secs: f64,
    cpu_pct: f64,
}

impl Phase {
    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {} pkt ({:.0}/s), {} lost, CPU {:.1}% of a core",
            self.packets,
            self.packets as f64 / self.secs,
            self.lost,
            self.cpu_pct
        )
    }
}

/// Run `during` for `secs` seconds of wall time and CPU accounting.
fn timed(secs: u64, mut during: impl FnMut() -> (u64, u64)) -> Phase {
    let (c0, t0) = (cpu_ticks(), Instant::now());
    let (p0, l0) = during();
    std::thread::sleep(Duration::from_secs(secs));
    let (p1, l1) = during();
    let (c1, wall) = (cpu_ticks(), t0.elapsed().as_secs_f64());
    Phase {
        packets: p1 - p0,
        lost: l1 - l0,
        secs: wall,
        cpu_pct: 100.0 * (c1 - c0) as f64 / TICKS_PER_SEC / wall,
    }
}

/// `n` queue previews (capacity 64) and one consumer thread sweeping them every 2 ms.
fn safe_phase(session: &Session, n: usize, secs: u64) -> Phase {
    let mut previews = Vec::with_capacity(n);
    let mut receivers = Vec::with_capacity(n);
    for _ in 0..n {
        let (p, rx) = session.preview(1).start_queue(64).expect("start_queue");
        previews.push(p);
        receivers.push(rx);
    }
    let (packets, done) = (AtomicU64::new(0), AtomicBool::new(false));
    let phase = std::thread::scope(|s| {
        let (receivers, packets, done) = (&mut receivers, &packets, &done);
        s.spawn(move || {
            while !done.load(Ordering::Relaxed) {
                for rx in receivers.iter_mut() {
                    let got = queue_api::drain_ready(rx, |_| ());
                    packets.fetch_add(got as u64, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        // The consumer thread owns the receivers; the previews' stats read the loss.
        let lost = || previews.iter().map(|p| p.stats().lost).sum::<u64>();
        let phase = timed(secs, || (packets.load(Ordering::Relaxed), lost()));
        done.store(true, Ordering::Relaxed);
        phase
    });
    for p in previews {
        p.stop().expect("Preview::stop");
    }
    phase
}

/// # Safety
/// `user` points to an `AtomicU64` that outlives the preview.
unsafe extern "system" fn raw_count(
    _handle: sys::LONG,
    _data_type: sys::DWORD,
    _buffer: *mut sys::BYTE,
    _size: sys::DWORD,
    user: *mut c_void,
) {
    // SAFETY: `user` is the counter passed to NET_DVR_RealPlay_V40, alive until after every
    // NET_DVR_StopRealPlay returned (see `raw_phase`).
    unsafe { &*user.cast::<AtomicU64>() }.fetch_add(1, Ordering::Relaxed);
}

/// `n` raw previews whose C callback only counts.
fn raw_phase(session: &Session, n: usize, secs: u64) -> Phase {
    let lib = sys::Library::load_file(session.sdk().library_path()).expect("load the mock again");
    let real_play = sys::sym!(lib, NET_DVR_RealPlay_V40).expect("RealPlay_V40");
    let stop = sys::sym!(lib, NET_DVR_StopRealPlay).expect("StopRealPlay");
    let packets = AtomicU64::new(0);
    let user = (&raw const packets).cast_mut().cast::<c_void>();
    let handles: Vec<sys::LONG> = (0..n)
        .map(|_| {
            let mut info = sys::NET_DVR_PREVIEWINFO {
                lChannel: 1,
                bBlocked: 1,
                ..Default::default()
            };
            // SAFETY: a live NET_DVR_PREVIEWINFO; the callback matches REALDATACALLBACK and
            // `user` points to `packets`, alive until after the stops below.
            let h = unsafe { real_play(session.user_id(), &raw mut info, Some(raw_count), user) };
            assert!(h >= 0, "raw NET_DVR_RealPlay_V40 failed");
            h
        })
        .collect();
    let phase = timed(secs, || (packets.load(Ordering::Relaxed), 0));
    for h in handles {
        // SAFETY: a live handle, stopped once; afterwards the SDK makes no more callbacks.
        assert_eq!(unsafe { stop(h) }, sys::TRUE, "NET_DVR_StopRealPlay");
    }
    phase
}

pub fn run(session: &Session, n: usize, secs: u64) -> LoopReport {
    measured(
        format!("{n} real-time previews x {secs} s, safe then raw"),
        || {
            safe_phase(session, n, 1);
            raw_phase(session, n, 1);
        },
        || {
            let safe = safe_phase(session, n, secs);
            let raw = raw_phase(session, n, secs);
            format!(
                "{}; {}; safe/raw CPU {:.2}",
                safe.line("queue"),
                raw.line("raw"),
                safe.cpu_pct / raw.cpu_pct.max(0.01)
            )
        },
    )
}
