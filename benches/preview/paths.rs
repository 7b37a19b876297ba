//! The delivery paths: two raw C callbacks (count only; copy into a preallocated ring) and
//! the safe layer's closure and queue, each started, run while `during` measures, stopped.

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use hcnetsdk_sys as sys;

use crate::setup::{Bench, CHANNEL};
use hcnetsdk_test_support::bench::queue_api;

/// The delivery paths, in table order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Path {
    /// The minimal C callback: counts, nothing else.
    Raw,
    /// A C callback that copies each packet into a preallocated ring slot: the floor any
    /// queue can reach.
    Ring,
    /// `Preview::start(closure)`.
    Closure,
    /// `Preview::start_queue` and a consumer thread that only counts.
    Queue,
    /// `Preview::start_frames(closure)`: the demuxer on the SDK's thread; counts frames
    /// (the mock's clip has about one frame per packet).
    Frames,
}

impl Path {
    pub const ALL: [Path; 5] = [
        Path::Raw,
        Path::Ring,
        Path::Closure,
        Path::Queue,
        Path::Frames,
    ];

    pub fn parse(s: &str) -> Option<Path> {
        Path::ALL.into_iter().find(|p| p.key() == s)
    }

    pub fn key(self) -> &'static str {
        match self {
            Path::Raw => "raw",
            Path::Ring => "ring",
            Path::Closure => "closure",
            Path::Queue => "queue",
            Path::Frames => "frames",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Path::Raw => "raw C callback (sys), count",
            Path::Ring => "raw C callback, copy to ring",
            Path::Closure => "Preview::start(closure)",
            Path::Queue => "Preview::start_queue+consumer",
            Path::Frames => "Preview::start_frames (frames)",
        }
    }

    /// The raw baseline a safe path is compared with.
    pub fn baseline(self) -> Path {
        match self {
            Path::Raw | Path::Closure | Path::Frames => Path::Raw,
            Path::Ring | Path::Queue => Path::Ring,
        }
    }
}

/// What every path's packet sink counts: the same two relaxed adds and one compare. The
/// compare signals the thread waiting in [`wait_target`](Self::wait_target) when the
/// `target`-th packet arrives (the exact-count mode for callgrind).
pub struct Counters {
    packets: AtomicU64,
    bytes: AtomicU64,
    target: u64,
    reached: Mutex<bool>,
    cv: Condvar,
}

impl Default for Counters {
    fn default() -> Self {
        Counters::with_target(u64::MAX)
    }
}

impl Counters {
    pub fn with_target(target: u64) -> Self {
        Counters {
            packets: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            target,
            reached: Mutex::new(false),
            cv: Condvar::new(),
        }
    }

    #[inline]
    pub fn add(&self, len: usize) {
        let n = self.packets.fetch_add(1, Ordering::Relaxed) + 1;
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
        if n == self.target {
            self.signal();
        }
    }

    #[cold]
    fn signal(&self) {
        *self.reached.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.cv.notify_all();
    }

    /// Block until the `target`-th packet was counted (at once for a target of 0).
    pub fn wait_target(&self) {
        let mut reached = self.reached.lock().unwrap_or_else(|e| e.into_inner());
        while self.target > 0 && !*reached {
            reached = self.cv.wait(reached).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn read(&self) -> (u64, u64) {
        (
            self.packets.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// The minimal REALDATACALLBACK: counts, nothing else.
///
/// # Safety
/// `user` points to a `Counters` that outlives the preview.
#[inline(never)]
unsafe extern "system" fn raw_count_callback(
    _handle: sys::LONG,
    _data_type: sys::DWORD,
    _buffer: *mut sys::BYTE,
    size: sys::DWORD,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Counters` passed to NET_DVR_RealPlay_V40, alive until after
    // NET_DVR_StopRealPlay returned (see `run_raw`).
    let counters = unsafe { &*user.cast::<Counters>() };
    counters.add(size as usize);
}

/// Slots in the ring (the queue's default capacity) and bytes per slot.
pub const RING_SLOTS: usize = 64;
pub const SLOT_BYTES: usize = 128 * 1024;

/// A fixed array of fixed-size slots, written only by the preview's callback thread.
pub struct Ring {
    pub counters: Counters,
    slots: UnsafeCell<RingSlots>,
}

struct RingSlots {
    data: Box<[u8]>,
    lens: [u32; RING_SLOTS],
    kinds: [u32; RING_SLOTS],
    next: usize,
    /// Packets longer than a slot (copied cut short).
    truncated: u64,
}

// SAFETY: `slots` is touched only by the SDK's one callback thread of the preview while it
// runs, and by the owner after NET_DVR_StopRealPlay returned; `counters` is atomic.
unsafe impl Sync for Ring {}

impl Ring {
    pub fn new(counters: Counters) -> Self {
        Ring {
            counters,
            slots: UnsafeCell::new(RingSlots {
                // Filled (not calloc-zeroed), so every page is touched before the first packet.
                data: vec![1u8; RING_SLOTS * SLOT_BYTES].into_boxed_slice(),
                lens: [0; RING_SLOTS],
                kinds: [0; RING_SLOTS],
                next: 0,
                truncated: 0,
            }),
        }
    }

    /// Packets cut short so far. Only once no callback runs (after the stop).
    pub fn truncated(&mut self) -> u64 {
        self.slots.get_mut().truncated
    }
}

/// The ring-copy REALDATACALLBACK: copies the packet into the next slot, wraps, counts.
///
/// # Safety
/// `user` points to a `Ring` that outlives the preview; `buffer` has `size` readable bytes.
#[inline(never)]
unsafe extern "system" fn raw_ring_callback(
    _handle: sys::LONG,
    data_type: sys::DWORD,
    buffer: *mut sys::BYTE,
    size: sys::DWORD,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Ring` passed to NET_DVR_RealPlay_V40, alive until after
    // NET_DVR_StopRealPlay returned (see `run_raw`).
    let ring = unsafe { &*user.cast::<Ring>() };
    // SAFETY: only this callback touches the slots while the preview runs, and the SDK makes
    // one callback at a time per preview.
    let s = unsafe { &mut *ring.slots.get() };
    let len = (size as usize).min(SLOT_BYTES);
    let at = s.next * SLOT_BYTES;
    if !buffer.is_null() && len > 0 {
        // SAFETY: the SDK hands `size` readable bytes at `buffer` for the callback's duration.
        let src = unsafe { std::slice::from_raw_parts(buffer, len) };
        s.data[at..at + len].copy_from_slice(src);
    }
    s.lens[s.next] = len as u32;
    s.kinds[s.next] = data_type;
    s.next = (s.next + 1) % RING_SLOTS;
    s.truncated += u64::from(len < size as usize);
    ring.counters.add(size as usize);
}

/// What a path reports while it runs: the queue's loss counter (0 for the others).
pub type Lost<'a> = &'a dyn Fn() -> u64;

/// Start `path`, call `during` while it runs, stop it. Returns the packets counted and the
/// packets lost in all (warm-up included).
pub fn run(
    bench: &Bench,
    path: Path,
    counters: Counters,
    queue: usize,
    during: &mut dyn FnMut(&Counters, Lost<'_>),
) -> (u64, u64) {
    match path {
        Path::Raw => {
            let c = counters;
            let user = (&raw const c).cast_mut().cast::<c_void>();
            run_raw(bench, raw_count_callback, user, &mut || during(&c, &|| 0));
            (c.read().0, 0)
        }
        Path::Ring => {
            let mut ring = Ring::new(counters);
            let user = (&raw const ring).cast_mut().cast::<c_void>();
            run_raw(bench, raw_ring_callback, user, &mut || {
                during(&ring.counters, &|| 0)
            });
            let cut = ring.truncated();
            if cut > 0 {
                eprintln!("note: {cut} packets longer than {SLOT_BYTES} B were copied cut short");
            }
            (ring.counters.read().0, 0)
        }
        Path::Closure => run_closure(bench, counters, during),
        Path::Queue => run_queue(bench, counters, queue, during),
        Path::Frames => run_frames(bench, counters, during),
    }
}

type RawCallback =
    unsafe extern "system" fn(sys::LONG, sys::DWORD, *mut sys::BYTE, sys::DWORD, *mut c_void);

fn run_raw(bench: &Bench, cb: RawCallback, user: *mut c_void, during: &mut dyn FnMut()) {
    let real_play = sys::sym!(bench.raw, NET_DVR_RealPlay_V40).expect("RealPlay_V40");
    let stop = sys::sym!(bench.raw, NET_DVR_StopRealPlay).expect("StopRealPlay");
    let mut info = sys::NET_DVR_PREVIEWINFO {
        lChannel: CHANNEL,
        dwStreamType: 0,
        dwLinkMode: 0,
        bBlocked: 1,
        ..Default::default()
    };
    // SAFETY: `info` is a live NET_DVR_PREVIEWINFO; the callback matches REALDATACALLBACK
    // and `user` points to what it expects, alive until after StopRealPlay below (the
    // caller's frame).
    let handle = unsafe { real_play(bench.uid(), &raw mut info, Some(cb), user) };
    assert!(handle >= 0, "raw NET_DVR_RealPlay_V40 failed");
    during();
    // SAFETY: a live handle, stopped once; afterwards the SDK makes no more callbacks.
    assert_eq!(unsafe { stop(handle) }, sys::TRUE, "NET_DVR_StopRealPlay");
}

fn run_closure(
    bench: &Bench,
    counters: Counters,
    during: &mut dyn FnMut(&Counters, Lost<'_>),
) -> (u64, u64) {
    let counters = Arc::new(counters);
    let c = Arc::clone(&counters);
    let preview = bench
        .session
        .preview(CHANNEL as u32)
        .start(move |p| c.add(p.data().len()))
        .expect("Preview::start");
    during(&counters, &|| 0);
    preview.stop().expect("Preview::stop");
    (counters.read().0, 0)
}

fn run_frames(
    bench: &Bench,
    counters: Counters,
    during: &mut dyn FnMut(&Counters, Lost<'_>),
) -> (u64, u64) {
    let counters = Arc::new(counters);
    let c = Arc::clone(&counters);
    let preview = bench
        .session
        .preview(CHANNEL as u32)
        .start_frames(move |f| c.add(f.data.len()))
        .expect("Preview::start_frames");
    during(&counters, &|| 0);
    preview.stop().expect("Preview::stop");
    (counters.read().0, 0)
}

fn run_queue(
    bench: &Bench,
    counters: Counters,
    capacity: usize,
    during: &mut dyn FnMut(&Counters, Lost<'_>),
) -> (u64, u64) {
    let (preview, mut rx) = bench
        .session
        .preview(CHANNEL as u32)
        .start_queue(capacity)
        .expect("Preview::start_queue");
    std::thread::scope(|s| {
        let (consumer, counters) = (&mut rx, &counters);
        std::thread::Builder::new()
            .name(crate::sched::CONSUMER_THREAD.to_owned())
            .spawn_scoped(s, move || {
                queue_api::drain_blocking(consumer, |len| counters.add(len));
            })
            .expect("spawn the consumer thread");
        // The consumer thread owns the receiver; the preview's stats read the loss.
        during(counters, &|| preview.stats().lost);
        preview.stop().expect("Preview::stop");
    });
    (counters.read().0, queue_api::lost(&rx))
}
