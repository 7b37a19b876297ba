//! The bounded, pooled single-consumer queue behind both
//! [`PreviewBuilder::start_queue`](super::PreviewBuilder::start_queue) (packets, `queue.rs`)
//! and [`PreviewBuilder::start_frame_queue`](super::PreviewBuilder::start_frame_queue)
//! (frames, `frame_queue.rs`). It is generic over what a slot carries besides its bytes
//! (`M`: a packet's [`DataType`](super::DataType), a frame's fields); the public receivers
//! and items are thin wrappers around [`Receiver`] and [`Held`].
//!
//! `capacity` **slots**, each a reusable buffer with a state word, and an **order ring** of
//! slot indices with one shared word, `tail`:
//!
//! * The SDK's thread (the producer, inside the preview's handler, which the trampoline runs
//!   with exclusive access) takes the next slot in rotation if its state is `FREE` (one
//!   acquire load; a slot held longer than the others is skipped by a scan, off the common
//!   path), copies the item into it, writes its index into the order ring and publishes it
//!   with one `fetch_add` on `tail`.
//! * The [`Receiver`] (the one consumer: not `Clone`, receiving takes `&mut self`) keeps its
//!   own read position; it reads `tail` only when the items it saw last are used up. The
//!   order ring never overflows, since it holds only indices of distinct slots that are not
//!   `FREE`, so the producer never reads the consumer's position.
//! * A [`Held`] item is a pointer to its slot. Dropping it, on any thread, gives the slot
//!   back with one read-modify-write on the slot's own state (`HELD` -> `FREE`). No
//!   reference count moves per item: the receiver keeps the queue alive while it exists,
//!   and when it is dropped it takes one reference on the queue for each item still out
//!   (marking those slots `ORPHANED`), which that item's drop gives back.
//!
//! The SDK's thread never blocks and, once every slot's buffer has grown to the largest
//! item, never allocates. When no slot is free the item is dropped and counted; the next
//! item queued carries that count ([`SlotData::lost_before`]). A full queue is recognised in
//! one load per item: after a scan of every slot found none free, the next `capacity` items
//! look only at the next slot in rotation (so while items are both queued and held out of
//! order, a slot freed out of order may wait up to `capacity` items before it is reused;
//! every drop is still counted).
//!
//! **Wake-ups, without a fence per item.** `tail` holds the count of items published and
//! two flags: `WAITING` (the consumer is about to sleep) and `CLOSED` (the preview stopped).
//! A consumer that finds nothing registers its [`Waker`] in an [`AtomicWaker`], sets
//! `WAITING` with a `fetch_or` that also returns the count, and sleeps only if the count has
//! not moved and `CLOSED` is not set. The producer's `fetch_add` returns the flags as they
//! were just before its item. Both are read-modify-writes of the same word, so one of them
//! comes first in its modification order: either the consumer's `fetch_or` sees the item
//! (and does not sleep), or the producer's `fetch_add` sees `WAITING` (clears it and wakes).
//! A consumer that keeps up never costs the producer a system call. A blocking receive
//! registers a waker that unparks its thread; the async `Stream`s (feature `tokio`) register
//! their task's waker through the same [`Receiver::poll_recv`]. `ring_loom.rs` model-checks
//! this protocol, the give-back and the orphan path with loom (`--cfg hcnetsdk_loom`).
//!
//! **Why not `rtrb`** (or crossbeam's `ArrayQueue`): those move owned values in FIFO order
//! between exactly two threads. Here the buffers are pooled and given back by an item's drop
//! on *any* thread and in any order (items are `Send` and may be held), so a give-back
//! path on such a ring would need a second, multi-producer queue, plus an atomic per item to
//! learn whether the consumer sleeps (`rtrb` has no blocking side); the `WAITING` flag rides
//! on the publishing `fetch_add` instead. What bounds the queue is not its atomics but the
//! cache lines each item moves between cores (its slot, its index), which an `rtrb` slot
//! would move as well, and scheduling (see `benches/preview/report.rs`).

use std::cell::UnsafeCell;
use std::fmt;
use std::ptr::NonNull;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

// The model test (`ring_loom.rs`, `--cfg hcnetsdk_loom`) runs this code on loom's atomics and
// threads; everything else on std's.
#[cfg(all(test, hcnetsdk_loom))]
use loom::{
    sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering},
    thread::{self, Thread},
};
#[cfg(not(all(test, hcnetsdk_loom)))]
use std::{
    sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering},
    thread::{self, Thread},
};

use atomic_waker::AtomicWaker;

/// How many times an empty blocking receiver checks again between reads of the clock.
const SPINS: u32 = 64;

/// How long an empty blocking receiver spins before it sleeps. A producer at full speed
/// publishes again within a microsecond or so, and one that paused briefly (preempted on a
/// busy machine) within tens; a consumer that slept instead would give up its CPU and,
/// on a loaded machine, come back a time slice later to a full queue. At real-time pacing
/// (an item every few ms) this costs well under 1% of a core.
const SPIN_FOR: Duration = Duration::from_micros(50);

/// Slot states. Only the producer moves `FREE` -> `QUEUED`; only the receiver moves
/// `QUEUED` -> `HELD` and `HELD` -> `HELD | ORPHANED`; only an item's drop moves `HELD` ->
/// `FREE` (or `HELD | ORPHANED` -> `ORPHANED`, which nobody uses again).
const FREE: u8 = 0;
const QUEUED: u8 = 1;
const HELD: u8 = 2;
const ORPHANED: u8 = 4;

/// `tail` flags and the unit of its count.
const WAITING: usize = 1;
const CLOSED: usize = 2;
const FLAGS: usize = WAITING | CLOSED;
const ONE: usize = 4;

/// What a slot holds: written by whoever owns the slot by its state.
pub(crate) struct SlotData<M> {
    /// The item's bytes.
    pub(crate) buf: Vec<u8>,
    /// What the item carries besides its bytes.
    pub(crate) meta: M,
    /// Items dropped just before this one because every slot was in use.
    pub(crate) lost_before: u64,
}

/// One reusable buffer, on cache lines of its own (128 bytes: adjacent-line prefetch pairs
/// 64-byte lines): the producer fills one slot while the consumer gives back its neighbour.
#[repr(align(128))]
struct Slot<M> {
    state: AtomicU8,
    data: UnsafeCell<SlotData<M>>,
}

/// A value on cache lines of its own (128 bytes: adjacent-line prefetch).
#[repr(align(128))]
struct Padded<T>(T);

/// What the producer, the receiver and the items share.
pub(crate) struct Shared<M> {
    /// Items published (in units of `ONE`) | `WAITING` | `CLOSED`.
    tail: Padded<AtomicUsize>,
    /// The consumer's waker, registered before it sleeps.
    waker: AtomicWaker,
    /// The receiver is gone: drop items without copying them.
    abandoned: AtomicBool,
    /// Items dropped so far because every slot was in use (written by the producer only, on
    /// every dropped item: on lines of its own, or a full queue's drops would slow the
    /// consumer's every read of `order` and `slots` below and keep the queue full).
    lost: Padded<AtomicU64>,
    /// Slot indices in the order they were filled.
    order: Box<[AtomicUsize]>,
    slots: Box<[Slot<M>]>,
}

// SAFETY: a slot's `data` is touched only by the owner its `state` names (the producer while
// `FREE`, the receiver while `QUEUED`, the one `Held` item while `HELD`), and every change
// of owner is a release store or read-modify-write read by an acquire on the other side
// (`state` for slots given back, `tail` for slots published). Everything else is atomic.
// `M: Send` since the meta moves between those threads with its slot.
unsafe impl<M: Send> Sync for Shared<M> {}

impl<M> Shared<M> {
    /// The preview stopped: wake the consumer so that it sees the end.
    pub(crate) fn close(&self) {
        self.tail.0.fetch_or(CLOSED, Ordering::AcqRel);
        self.waker.wake();
    }

    /// Items dropped so far because every slot was in use.
    pub(crate) fn lost(&self) -> u64 {
        self.lost.0.load(Ordering::Relaxed)
    }

    fn capacity(&self) -> usize {
        self.slots.len()
    }
}

/// What the preview keeps of its queue, whatever it carries: stop closes it, stats read
/// its loss count.
pub(crate) trait QueueControl: Send + Sync {
    /// The preview stopped: wake the consumer so that it sees the end.
    fn close(&self);
    /// Items dropped so far because every slot was in use.
    fn lost(&self) -> u64;
}

impl<M: Send> QueueControl for Shared<M> {
    fn close(&self) {
        Shared::close(self);
    }

    fn lost(&self) -> u64 {
        Shared::lost(self)
    }
}

/// The next position in a ring of `n`.
#[inline]
fn advance(i: usize, n: usize) -> usize {
    if i + 1 == n { 0 } else { i + 1 }
}

/// A new queue of `capacity` (≥ 1) items, every slot's meta starting as `init`: the
/// producer for the handler, the receiver for the user, and the shared part for the
/// preview (stop closes it).
pub(crate) fn ring<M: Clone>(
    capacity: usize,
    init: &M,
) -> (Producer<M>, Receiver<M>, Arc<Shared<M>>) {
    let shared = Arc::new(Shared {
        tail: Padded(AtomicUsize::new(0)),
        waker: AtomicWaker::new(),
        abandoned: AtomicBool::new(false),
        lost: Padded(AtomicU64::new(0)),
        order: (0..capacity).map(|_| AtomicUsize::new(0)).collect(),
        slots: (0..capacity)
            .map(|_| Slot {
                state: AtomicU8::new(FREE),
                data: UnsafeCell::new(SlotData {
                    buf: Vec::new(),
                    meta: init.clone(),
                    lost_before: 0,
                }),
            })
            .collect(),
    });
    let producer = Producer {
        shared: Arc::clone(&shared),
        next: 0,
        pos: 0,
        lost_pending: 0,
        lost_total: 0,
        largest: 0,
        retired: false,
        skip_scans: 0,
    };
    let receiver = Receiver {
        shared: Arc::clone(&shared),
        head: 0,
        last: 0,
        pos: 0,
        parker: None,
    };
    (producer, receiver, shared)
}

/// How a slot's buffer grows when the item does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grow {
    /// Only when this item does not fit, then to the largest item seen so far.
    WhenShort,
    /// Whenever the buffer is smaller than the largest item offered so far, queued or
    /// dropped (items of very different sizes, such as key and delta frames: each buffer
    /// reaches its final size the first time it is reused after the largest came by).
    ToLargest,
}

/// The SDK-thread end: lives in the preview's handler, which the trampoline calls with
/// exclusive access.
pub(crate) struct Producer<M> {
    shared: Arc<Shared<M>>,
    /// The slot to try first (the one after the last filled).
    next: usize,
    /// The next position in the order ring.
    pos: usize,
    /// Items dropped since the last one queued.
    lost_pending: u64,
    /// Items dropped in all (mirrored into `shared.lost`).
    lost_total: u64,
    /// The largest item seen so far (bytes): a buffer that must grow grows to this.
    largest: usize,
    /// The receiver is gone and the free buffers were released.
    retired: bool,
    /// Full scans to skip: after a scan found no free slot, the next `capacity` items that
    /// find the next slot in rotation busy are dropped without another scan, so a full
    /// queue costs the SDK's thread one load per dropped item (amortised), not a read of
    /// every slot the consumer is writing.
    skip_scans: usize,
}

impl<M> Producer<M> {
    /// Queue an item of `len` bytes: `fill` appends them to the slot's empty buffer (whose
    /// capacity `grow` has made at least `len`) and gives the meta. Called on the SDK's
    /// thread: never blocks; allocates only while buffers grow.
    #[inline]
    pub(crate) fn push(&mut self, len: usize, grow: Grow, fill: impl FnOnce(&mut Vec<u8>) -> M) {
        if self.shared.abandoned.load(Ordering::Acquire) {
            return self.retire();
        }
        if grow == Grow::ToLargest {
            // Dropped items count too: under heavy loss the largest may never have fitted.
            self.largest = self.largest.max(len);
        }
        let Some(i) = self.free_slot() else {
            return self.drop_item();
        };
        let shared = &*self.shared;
        let slot = &shared.slots[i];
        slot.state.store(QUEUED, Ordering::Relaxed);
        // SAFETY: the slot was FREE (acquire load in `free_slot`), so it is the producer's
        // until the `fetch_add` below publishes it; no item or receiver touches it.
        let d = unsafe { &mut *slot.data.get() };
        d.buf.clear();
        let want = match grow {
            Grow::WhenShort => len,
            Grow::ToLargest => self.largest,
        };
        if d.buf.capacity() < want {
            // Grow to the largest item seen so far, not just this one: every buffer then
            // reaches its final size after at most a few allocations.
            self.largest = self.largest.max(len);
            d.buf.reserve(self.largest);
        }
        d.meta = fill(&mut d.buf);
        d.lost_before = self.lost_pending;
        self.lost_pending = 0;
        shared.order[self.pos].store(i, Ordering::Relaxed);
        self.pos = advance(self.pos, shared.capacity());
        // Publishes the slot (release) and reads the consumer's WAITING flag (acquire: its
        // waker registration happened before it set the flag).
        let before = shared.tail.0.fetch_add(ONE, Ordering::AcqRel);
        if before & WAITING != 0 {
            self.wake();
        }
    }

    /// The next free slot: the one after the last filled, else (an item held longer than
    /// the others) the first free one after it.
    #[inline]
    fn free_slot(&mut self) -> Option<usize> {
        let slots = &self.shared.slots;
        let i = self.next;
        // Acquire: the last owner's use of the buffer happened before it gave it back.
        if slots[i].state.load(Ordering::Acquire) == FREE {
            self.next = advance(i, slots.len());
            return Some(i);
        }
        if self.skip_scans > 0 {
            self.skip_scans -= 1;
            return None;
        }
        self.scan_free()
    }

    #[cold]
    fn scan_free(&mut self) -> Option<usize> {
        let n = self.shared.capacity();
        let mut i = self.next;
        for _ in 1..n {
            i = advance(i, n);
            if self.shared.slots[i].state.load(Ordering::Acquire) == FREE {
                self.next = advance(i, n);
                return Some(i);
            }
        }
        self.skip_scans = n;
        None
    }

    #[cold]
    fn wake(&self) {
        self.shared.tail.0.fetch_and(!WAITING, Ordering::Relaxed);
        self.shared.waker.wake();
    }

    #[cold]
    fn drop_item(&mut self) {
        self.lost_pending += 1;
        self.lost_total += 1;
        self.shared.lost.0.store(self.lost_total, Ordering::Relaxed);
    }

    /// The receiver is gone: release the buffers of the free slots, once.
    #[cold]
    fn retire(&mut self) {
        if std::mem::replace(&mut self.retired, true) {
            return;
        }
        for slot in &self.shared.slots {
            if slot.state.load(Ordering::Acquire) == FREE {
                // SAFETY: a FREE slot is the producer's; with the receiver gone, nothing
                // makes it QUEUED again but this producer, which stopped filling.
                drop(std::mem::take(unsafe { &mut (*slot.data.get()).buf }));
            }
        }
    }
}

/// Unparks the thread that blocks in `recv`/`recv_timeout`.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Why [`PacketReceiver::recv_timeout`](crate::PacketReceiver::recv_timeout) (or
/// [`FrameReceiver::recv_timeout`](crate::FrameReceiver::recv_timeout)) returned nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecvTimeoutError {
    /// No packet arrived in time.
    Timeout,
    /// The preview stopped and every packet has been received.
    Stopped,
}

impl fmt::Display for RecvTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecvTimeoutError::Timeout => "no packet arrived in time",
            RecvTimeoutError::Stopped => "the preview stopped",
        })
    }
}

impl std::error::Error for RecvTimeoutError {}

/// The consumer end: one per queue (not `Clone`, and receiving takes `&mut self`). It may
/// outlive the preview: once the preview has stopped and the queue is drained,
/// [`recv`](Self::recv) returns `None`.
pub(crate) struct Receiver<M> {
    shared: Arc<Shared<M>>,
    /// Items taken so far (in units of `ONE`).
    head: usize,
    /// The `tail` word as last read.
    last: usize,
    /// The next position in the order ring.
    pos: usize,
    /// The waker of the thread that last blocked here (made once per thread).
    parker: Option<(thread::ThreadId, Waker)>,
}

impl<M> Receiver<M> {
    /// The next item if one is queued.
    #[inline]
    pub(crate) fn try_recv(&mut self) -> Option<Held<M>> {
        if self.head == self.last & !FLAGS {
            // Acquire: the slots published up to this count are filled.
            self.last = self.shared.tail.0.load(Ordering::Acquire);
            if self.head == self.last & !FLAGS {
                return None;
            }
        }
        let shared = &*self.shared;
        let i = shared.order[self.pos].load(Ordering::Relaxed);
        self.pos = advance(self.pos, shared.capacity());
        self.head = self.head.wrapping_add(ONE);
        let slot = &shared.slots[i];
        slot.state.store(HELD, Ordering::Relaxed);
        Some(Held {
            slot: NonNull::from(slot),
            // From `Arc::as_ptr`, so that the orphan path may give back a strong reference.
            shared: Arc::as_ptr(&self.shared),
        })
    }

    /// Wait for the next item; `None` once the preview has stopped and the queue is empty.
    pub(crate) fn recv(&mut self) -> Option<Held<M>> {
        self.prepare_parker();
        match self.try_recv() {
            Some(p) => Some(p),
            None => self.wait(None).ok(),
        }
    }

    /// Wait up to `timeout` for the next item.
    pub(crate) fn recv_timeout(
        &mut self,
        timeout: Duration,
    ) -> std::result::Result<Held<M>, RecvTimeoutError> {
        self.prepare_parker();
        if let Some(p) = self.try_recv() {
            return Ok(p);
        }
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait(Some(deadline)),
            None => self.wait(None),
        }
    }

    /// Poll for the next item: `Ready(Some)` if one is queued, `Ready(None)` once the
    /// preview has stopped and the queue is drained, else `Pending` after registering `cx`'s
    /// waker, which the SDK's thread wakes with the next item (or the stop).
    pub(crate) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Held<M>>> {
        if let Some(p) = self.try_recv() {
            return Poll::Ready(Some(p));
        }
        if self.last & CLOSED != 0 {
            return Poll::Ready(None);
        }
        self.shared.waker.register(cx.waker());
        // Release: the registration happened before the flag; the producer's fetch_add
        // that sees the flag wakes this waker (see the module docs).
        let word = self.shared.tail.0.fetch_or(WAITING, Ordering::AcqRel);
        self.last = word;
        if word & !FLAGS == self.head && word & CLOSED == 0 {
            return Poll::Pending;
        }
        // An item or the stop came in between: no wake-up needed.
        self.shared.tail.0.fetch_and(!WAITING, Ordering::Relaxed);
        Poll::Ready(self.try_recv())
    }

    fn wait(
        &mut self,
        deadline: Option<Instant>,
    ) -> std::result::Result<Held<M>, RecvTimeoutError> {
        loop {
            if let Some(p) = self.try_recv() {
                return Ok(p);
            }
            if self.last & CLOSED != 0 {
                return Err(RecvTimeoutError::Stopped);
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(l) if !l.is_zero() => Some(l),
                    _ => return Err(RecvTimeoutError::Timeout),
                },
                None => None,
            };
            // Spin briefly before the sleep that would cost the producer a wake-up (see
            // `SPIN_FOR`; no yield: on a busy machine a yielded consumer comes back a time
            // slice later).
            if self.spin_until_changed() {
                continue;
            }
            let waker = self.thread_waker();
            match self.poll_recv(&mut Context::from_waker(&waker)) {
                Poll::Ready(Some(p)) => return Ok(p),
                Poll::Ready(None) => return Err(RecvTimeoutError::Stopped),
                Poll::Pending => match left {
                    #[cfg(not(all(test, hcnetsdk_loom)))]
                    Some(l) => thread::park_timeout(l),
                    _ => thread::park(),
                },
            }
        }
    }

    /// Spin up to [`SPIN_FOR`] for `tail` to move (an item or the stop); whether it did.
    fn spin_until_changed(&self) -> bool {
        if cfg!(all(test, hcnetsdk_loom)) {
            // The model explores every interleaving; a spin only multiplies them.
            return false;
        }
        let start = Instant::now();
        loop {
            for _ in 0..SPINS {
                std::hint::spin_loop();
                let now = self.shared.tail.0.load(Ordering::Relaxed);
                if now & !WAITING != self.last & !WAITING {
                    return true;
                }
            }
            if start.elapsed() >= SPIN_FOR {
                return false;
            }
        }
    }

    /// Make the blocking waker on the first blocking receive, not at the first sleep: a
    /// consumer that was behind from the start (never slept) would otherwise allocate it
    /// in its steady state.
    #[inline]
    fn prepare_parker(&mut self) {
        if self.parker.is_none() {
            self.thread_waker();
        }
    }

    /// A waker that unparks this thread, made once per thread that waits here.
    fn thread_waker(&mut self) -> Waker {
        let me = thread::current();
        match &self.parker {
            Some((id, w)) if *id == me.id() => w.clone(),
            _ => {
                let w = Waker::from(Arc::new(ThreadWaker(me.clone())));
                self.parker = Some((me.id(), w.clone()));
                w
            }
        }
    }

    /// Items dropped so far because every buffer was in use.
    pub(crate) fn lost(&self) -> u64 {
        self.shared.lost()
    }

    /// Whether the preview has stopped (items may still be queued).
    pub(crate) fn is_stopped(&self) -> bool {
        self.shared.tail.0.load(Ordering::Acquire) & CLOSED != 0
    }

    /// The queue's capacity in items.
    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}

impl<M> Drop for Receiver<M> {
    fn drop(&mut self) {
        self.shared.abandoned.store(true, Ordering::Release);
        // Items still queued are the receiver's: free their memory now rather than when
        // the preview stops (an item the producer publishes after this is freed then).
        for _ in 0..self.shared.capacity() {
            match self.try_recv() {
                Some(p) => drop(p.into_vec()),
                None => break,
            }
        }
        let shared = &*self.shared;
        // Every item still out keeps the queue alive: one reference each, taken before its
        // slot is marked, so that its drop (which gives the reference back) can never see
        // the count reach zero while this receiver still uses the queue.
        let ptr = Arc::as_ptr(&self.shared);
        let mut spare = false;
        for slot in &shared.slots {
            if !spare {
                // SAFETY: `ptr` is a live Arc (this receiver holds one).
                unsafe { Arc::increment_strong_count(ptr) };
                spare = true;
            }
            let orphan = HELD | ORPHANED;
            if (slot.state)
                .compare_exchange(HELD, orphan, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                spare = false;
            }
        }
        if spare {
            // SAFETY: the unused reference taken above; this receiver still holds its own,
            // so the count does not reach zero here.
            unsafe { Arc::decrement_strong_count(ptr) };
        }
    }
}

/// An item taken from a [`Receiver`]. Its buffer goes back to the pool when it is dropped,
/// on any thread.
pub(crate) struct Held<M> {
    slot: NonNull<Slot<M>>,
    shared: *const Shared<M>,
}

// SAFETY: the item owns its slot's data while the slot is HELD (nothing else reads or writes
// it), gives it back with an atomic read-modify-write, and the queue it points into is kept
// alive by the receiver or by the reference the receiver's drop took for it. Shared
// references only read the slot's data; `M` moves (and is read) with the item.
unsafe impl<M: Send + Sync> Send for Held<M> {}
// SAFETY: as for `Send`; `&Held` gives read-only access to data nobody writes.
unsafe impl<M: Send + Sync> Sync for Held<M> {}

impl<M> Held<M> {
    /// The slot's bytes, meta and loss count.
    #[inline]
    pub(crate) fn get(&self) -> &SlotData<M> {
        // SAFETY: the slot is HELD by this item: its data is not written while the item
        // lives (see `unsafe impl Send`), and the slot outlives the item.
        unsafe { &*self.slot.as_ref().data.get() }
    }

    /// Take the bytes out of the pool (the slot allocates a new buffer later if needed).
    pub(crate) fn into_vec(self) -> Vec<u8> {
        // SAFETY: the slot is HELD by this item, which is consumed here: nothing else
        // touches its data. An empty, unallocated Vec takes the buffer's place; Drop gives
        // the slot back as usual.
        std::mem::take(unsafe { &mut (*self.slot.as_ref().data.get()).buf })
    }

    /// The receiver was dropped while this item was out: free the buffer and give back the
    /// reference the receiver took for this item (the last one frees the queue).
    #[cold]
    fn release_orphan(&mut self) {
        // SAFETY: an ORPHANED slot is never used again by the producer or the receiver;
        // this item is its last user.
        drop(std::mem::take(unsafe {
            &mut (*self.slot.as_ref().data.get()).buf
        }));
        // SAFETY: the receiver's drop took one strong reference for this item (its slot was
        // HELD | ORPHANED); this gives it back, once.
        unsafe { Arc::decrement_strong_count(self.shared) };
    }
}

impl<M> Drop for Held<M> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the slot outlives the item (see `unsafe impl Send`).
        let slot = unsafe { self.slot.as_ref() };
        // Release: this item's reads of the buffer happen before the producer refills it.
        // HELD -> FREE, or HELD | ORPHANED -> ORPHANED (the receiver is gone).
        let before = slot.state.fetch_sub(HELD, Ordering::AcqRel);
        if before & ORPHANED != 0 {
            self.release_orphan();
        }
    }
}

#[cfg(all(test, hcnetsdk_loom))]
#[path = "ring_loom.rs"]
mod ring_loom;
