//! The bounded, pooled packet queue behind
//! [`PreviewBuilder::start_queue`](super::PreviewBuilder::start_queue).
//!
//! `capacity` **slots**, each a reusable buffer with a state word, and an **order ring** of
//! slot indices with one shared word, `tail`:
//!
//! * The SDK's thread (the producer, inside the preview's handler, which the trampoline runs
//!   with exclusive access) takes the next slot in rotation if its state is `FREE` (one
//!   acquire load; a slot held longer than the others is skipped by a scan, off the common
//!   path), copies the packet into it, writes its index into the order ring and publishes it
//!   with one `fetch_add` on `tail`.
//! * The [`PacketReceiver`] (the one consumer: not `Clone`, receiving takes `&mut self`)
//!   keeps its own read position; it reads `tail` only when the packets it saw last are
//!   used up. The order ring never overflows, since it holds only indices of distinct slots
//!   that are not `FREE`, so the producer never reads the consumer's position.
//! * An [`OwnedPacket`] is a pointer to its slot. Dropping it, on any thread, gives the slot
//!   back with one read-modify-write on the slot's own state (`HELD` -> `FREE`). No
//!   reference count moves per packet: the receiver keeps the queue alive while it exists,
//!   and when it is dropped it takes one reference on the queue for each packet still out
//!   (marking those slots `ORPHANED`), which that packet's drop gives back.
//!
//! The SDK's thread never blocks and, once every slot's buffer has grown to the largest
//! packet, never allocates. When no slot is free the packet is dropped and counted; the next
//! packet queued carries that count ([`OwnedPacket::lost_before`]). A full queue is
//! recognised in one load per packet: after a scan of every slot found none free, the next
//! `capacity` packets look only at the next slot in rotation (so while packets are both
//! queued and held out of order, a slot freed out of order may wait up to `capacity`
//! packets before it is reused; every drop is still counted).
//!
//! **Wake-ups, without a fence per packet.** `tail` holds the count of packets published
//! and two flags: `WAITING` (the consumer is about to sleep) and `CLOSED` (the preview
//! stopped). A consumer that finds nothing registers its [`Waker`] in an [`AtomicWaker`],
//! sets `WAITING` with a `fetch_or` that also returns the count, and sleeps only if the
//! count has not moved and `CLOSED` is not set. The producer's `fetch_add` returns the flags
//! as they were just before its packet. Both are read-modify-writes of the same word, so
//! one of them comes first in its modification order: either the consumer's `fetch_or` sees
//! the packet (and does not sleep), or the producer's `fetch_add` sees `WAITING` (clears it
//! and wakes). That replaces the store + `SeqCst` fence + load the producer paid per packet
//! before; a consumer that keeps up never costs the producer a system call. A blocking
//! receive registers a waker that unparks its thread; the async `Stream` (feature `tokio`)
//! registers its task's waker through the same [`PacketReceiver::poll_recv`].

use std::cell::UnsafeCell;
use std::fmt;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use atomic_waker::AtomicWaker;

use super::{DataType, Packet};

/// How many times an empty blocking receiver checks again between reads of the clock.
const SPINS: u32 = 64;

/// How long an empty blocking receiver spins before it sleeps. A producer at full speed
/// publishes again within a microsecond or so, and one that paused briefly (preempted on a
/// busy machine) within tens; a consumer that slept instead would give up its CPU and,
/// on a loaded machine, come back a time slice later to a full queue. At real-time pacing
/// (a packet every few ms) this costs well under 1% of a core.
const SPIN_FOR: Duration = Duration::from_micros(50);

/// Slot states. Only the producer moves `FREE` -> `QUEUED`; only the receiver moves
/// `QUEUED` -> `HELD` and `HELD` -> `HELD | ORPHANED`; only a packet's drop moves `HELD` ->
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
struct SlotData {
    buf: Vec<u8>,
    kind: DataType,
    lost_before: u64,
}

/// One reusable buffer, on a cache line of its own: the producer fills one slot while the
/// consumer gives back its neighbour.
#[repr(align(64))]
struct Slot {
    state: AtomicU8,
    data: UnsafeCell<SlotData>,
}

/// A value on cache lines of its own (128 bytes: adjacent-line prefetch).
#[repr(align(128))]
struct Padded<T>(T);

/// What the producer, the receiver and the packets share.
pub(super) struct QueueShared {
    /// Packets published (in units of `ONE`) | `WAITING` | `CLOSED`.
    tail: Padded<AtomicUsize>,
    /// The consumer's waker, registered before it sleeps.
    waker: AtomicWaker,
    /// The receiver is gone: drop packets without copying them.
    abandoned: AtomicBool,
    /// Packets dropped so far because every slot was in use (written by the producer only).
    lost: AtomicU64,
    /// Slot indices in the order they were filled.
    order: Box<[AtomicUsize]>,
    slots: Box<[Slot]>,
}

// SAFETY: a slot's `data` is touched only by the owner its `state` names (the producer while
// `FREE`, the receiver while `QUEUED`, the one `OwnedPacket` while `HELD`), and every change
// of owner is a release store or read-modify-write read by an acquire on the other side
// (`state` for slots given back, `tail` for slots published). Everything else is atomic.
unsafe impl Sync for QueueShared {}

impl QueueShared {
    /// The preview stopped: wake the consumer so that it sees the end.
    pub(super) fn close(&self) {
        self.tail.0.fetch_or(CLOSED, Ordering::AcqRel);
        self.waker.wake();
    }

    /// Packets dropped so far because every slot was in use.
    pub(super) fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }

    fn capacity(&self) -> usize {
        self.slots.len()
    }
}

/// The next position in a ring of `n`.
#[inline]
fn advance(i: usize, n: usize) -> usize {
    if i + 1 == n { 0 } else { i + 1 }
}

/// A new queue of `capacity` (≥ 1) packets: the producer for the handler, the receiver for
/// the user, and the shared part for the preview (stop closes it).
pub(super) fn packet_queue(capacity: usize) -> (PacketProducer, PacketReceiver, Arc<QueueShared>) {
    let shared = Arc::new(QueueShared {
        tail: Padded(AtomicUsize::new(0)),
        waker: AtomicWaker::new(),
        abandoned: AtomicBool::new(false),
        lost: AtomicU64::new(0),
        order: (0..capacity).map(|_| AtomicUsize::new(0)).collect(),
        slots: (0..capacity)
            .map(|_| Slot {
                state: AtomicU8::new(FREE),
                data: UnsafeCell::new(SlotData {
                    buf: Vec::new(),
                    kind: DataType::Stream,
                    lost_before: 0,
                }),
            })
            .collect(),
    });
    let producer = PacketProducer {
        shared: Arc::clone(&shared),
        next: 0,
        pos: 0,
        lost_pending: 0,
        lost_total: 0,
        largest: 0,
        retired: false,
        skip_scans: 0,
    };
    let receiver = PacketReceiver {
        shared: Arc::clone(&shared),
        head: 0,
        last: 0,
        pos: 0,
        parker: None,
    };
    (producer, receiver, shared)
}

/// The SDK-thread end: lives in the preview's handler, which the trampoline calls with
/// exclusive access.
pub(super) struct PacketProducer {
    shared: Arc<QueueShared>,
    /// The slot to try first (the one after the last filled).
    next: usize,
    /// The next position in the order ring.
    pos: usize,
    /// Packets dropped since the last one queued.
    lost_pending: u64,
    /// Packets dropped in all (mirrored into `shared.lost`).
    lost_total: u64,
    /// The largest packet seen so far (bytes): a buffer that must grow grows to this.
    largest: usize,
    /// The receiver is gone and the free buffers were released.
    retired: bool,
    /// Full scans to skip: after a scan found no free slot, the next `capacity` packets
    /// that find the next slot in rotation busy are dropped without another scan, so a full
    /// queue costs the SDK's thread one load per dropped packet (amortised), not a read of
    /// every slot the consumer is writing.
    skip_scans: usize,
}

impl PacketProducer {
    /// Called on the SDK's thread: never blocks; allocates only while buffers grow.
    pub(super) fn push(&mut self, packet: Packet<'_>) {
        if self.shared.abandoned.load(Ordering::Acquire) {
            return self.retire();
        }
        let Some(i) = self.free_slot() else {
            return self.drop_packet();
        };
        let shared = &*self.shared;
        let slot = &shared.slots[i];
        slot.state.store(QUEUED, Ordering::Relaxed);
        // SAFETY: the slot was FREE (acquire load in `free_slot`), so it is the producer's
        // until the `fetch_add` below publishes it; no packet or receiver touches it.
        let d = unsafe { &mut *slot.data.get() };
        d.buf.clear();
        let len = packet.data.len();
        if d.buf.capacity() < len {
            // Grow to the largest packet seen so far, not just this one: every buffer then
            // reaches its final size after at most a few allocations.
            self.largest = self.largest.max(len);
            d.buf.reserve(self.largest);
        }
        d.buf.extend_from_slice(packet.data);
        d.kind = packet.kind;
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

    /// The next free slot: the one after the last filled, else (a packet held longer than
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
    fn drop_packet(&mut self) {
        self.lost_pending += 1;
        self.lost_total += 1;
        self.shared.lost.store(self.lost_total, Ordering::Relaxed);
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

/// The consumer end of [`PreviewBuilder::start_queue`](crate::PreviewBuilder::start_queue):
/// one per queue (it is not `Clone`, and receiving takes `&mut self`). It may outlive the
/// preview: once the preview has stopped and the queue is drained, [`recv`](Self::recv)
/// returns `None`.
///
/// With feature `tokio` it is also a `futures_core::Stream<Item = OwnedPacket>`, ending when
/// the preview stops (or its session logs out) and the queue is drained.
pub struct PacketReceiver {
    shared: Arc<QueueShared>,
    /// Packets taken so far (in units of `ONE`).
    head: usize,
    /// The `tail` word as last read.
    last: usize,
    /// The next position in the order ring.
    pos: usize,
    /// The waker of the thread that last blocked here (made once per thread).
    parker: Option<(thread::ThreadId, Waker)>,
}

impl fmt::Debug for PacketReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacketReceiver")
            .field("capacity", &self.shared.capacity())
            .field("lost", &self.shared.lost())
            .field("closed", &self.is_stopped())
            .finish_non_exhaustive()
    }
}

/// Why [`PacketReceiver::recv_timeout`] returned no packet.
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

impl PacketReceiver {
    /// The next packet if one is queued.
    #[inline]
    pub fn try_recv(&mut self) -> Option<OwnedPacket> {
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
        Some(OwnedPacket {
            slot: NonNull::from(slot),
            // From `Arc::as_ptr`, so that the orphan path may give back a strong reference.
            shared: Arc::as_ptr(&self.shared),
        })
    }

    /// Wait for the next packet; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<OwnedPacket> {
        match self.try_recv() {
            Some(p) => Some(p),
            None => self.wait(None).ok(),
        }
    }

    /// Wait up to `timeout` for the next packet.
    ///
    /// # Errors
    /// [`RecvTimeoutError::Timeout`] if none came; [`RecvTimeoutError::Stopped`] once the
    /// preview has stopped and the queue is empty.
    pub fn recv_timeout(
        &mut self,
        timeout: Duration,
    ) -> std::result::Result<OwnedPacket, RecvTimeoutError> {
        if let Some(p) = self.try_recv() {
            return Ok(p);
        }
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait(Some(deadline)),
            None => self.wait(None),
        }
    }

    /// Poll for the next packet: `Ready(Some)` if one is queued, `Ready(None)` once the
    /// preview has stopped and the queue is drained, else `Pending` after registering `cx`'s
    /// waker, which the SDK's thread wakes with the next packet (or the stop). This is the
    /// `Stream` (feature `tokio`), usable without it from any executor.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<OwnedPacket>> {
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
        // A packet or the stop came in between: no wake-up needed.
        self.shared.tail.0.fetch_and(!WAITING, Ordering::Relaxed);
        Poll::Ready(self.try_recv())
    }

    fn wait(
        &mut self,
        deadline: Option<Instant>,
    ) -> std::result::Result<OwnedPacket, RecvTimeoutError> {
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
                    Some(l) => thread::park_timeout(l),
                    None => thread::park(),
                },
            }
        }
    }

    /// Spin up to [`SPIN_FOR`] for `tail` to move (a packet or the stop); whether it did.
    fn spin_until_changed(&self) -> bool {
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

    /// Packets dropped so far because every buffer was in use.
    pub fn lost(&self) -> u64 {
        self.shared.lost()
    }

    /// Whether the preview has stopped (packets may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.shared.tail.0.load(Ordering::Acquire) & CLOSED != 0
    }

    /// The queue's capacity in packets.
    pub fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}

impl Iterator for PacketReceiver {
    type Item = OwnedPacket;

    /// [`recv`](PacketReceiver::recv): ends when the preview has stopped and the queue is
    /// drained.
    fn next(&mut self) -> Option<OwnedPacket> {
        self.recv()
    }
}

#[cfg(feature = "tokio")]
impl futures_core::Stream for PacketReceiver {
    type Item = OwnedPacket;

    /// [`poll_recv`](PacketReceiver::poll_recv).
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<OwnedPacket>> {
        self.get_mut().poll_recv(cx)
    }
}

impl Drop for PacketReceiver {
    fn drop(&mut self) {
        self.shared.abandoned.store(true, Ordering::Release);
        // Packets still queued are the receiver's: free their memory now rather than when
        // the preview stops (a packet the producer publishes after this is freed then).
        for _ in 0..self.shared.capacity() {
            match self.try_recv() {
                Some(p) => drop(p.into_vec()),
                None => break,
            }
        }
        let shared = &*self.shared;
        // Every packet still out keeps the queue alive: one reference each, taken before
        // its slot is marked, so that its drop (which gives the reference back) can never
        // see the count reach zero while this receiver still uses the queue.
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

/// A packet taken from a [`PacketReceiver`]. Its buffer goes back to the pool when it is
/// dropped, on any thread.
pub struct OwnedPacket {
    slot: NonNull<Slot>,
    shared: *const QueueShared,
}

// SAFETY: the packet owns its slot's data while the slot is HELD (nothing else reads or
// writes it), gives it back with an atomic read-modify-write, and the queue it points into
// is kept alive by the receiver or by the reference the receiver's drop took for it. Shared
// references only read the slot's data.
unsafe impl Send for OwnedPacket {}
// SAFETY: as for `Send`; `&OwnedPacket` gives read-only access to bytes nobody writes.
unsafe impl Sync for OwnedPacket {}

impl fmt::Debug for OwnedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPacket")
            .field("kind", &self.kind())
            .field("len", &self.data().len())
            .field("lost_before", &self.lost_before())
            .finish()
    }
}

impl OwnedPacket {
    #[inline]
    fn slot_data(&self) -> &SlotData {
        // SAFETY: the slot is HELD by this packet: its data is not written while the packet
        // lives (see `unsafe impl Send`), and the slot outlives the packet.
        unsafe { &*self.slot.as_ref().data.get() }
    }

    /// What the packet holds.
    pub fn kind(&self) -> DataType {
        self.slot_data().kind
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.slot_data().buf
    }

    /// Packets dropped just before this one because the consumer fell behind (0 normally).
    pub fn lost_before(&self) -> u64 {
        self.slot_data().lost_before
    }

    /// Take the bytes out of the pool (the slot allocates a new buffer later if needed).
    pub fn into_vec(self) -> Vec<u8> {
        // SAFETY: the slot is HELD by this packet, which is consumed here: nothing else
        // touches its data. An empty, unallocated Vec takes the buffer's place; Drop gives
        // the slot back as usual.
        std::mem::take(unsafe { &mut (*self.slot.as_ref().data.get()).buf })
    }
}

impl std::ops::Deref for OwnedPacket {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.data()
    }
}

impl AsRef<[u8]> for OwnedPacket {
    fn as_ref(&self) -> &[u8] {
        self.data()
    }
}

impl Drop for OwnedPacket {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the slot outlives the packet (see `unsafe impl Send`).
        let slot = unsafe { self.slot.as_ref() };
        // Release: this packet's reads of the buffer happen before the producer refills it.
        // HELD -> FREE, or HELD | ORPHANED -> ORPHANED (the receiver is gone).
        let before = slot.state.fetch_sub(HELD, Ordering::AcqRel);
        if before & ORPHANED != 0 {
            self.release_orphan();
        }
    }
}

impl OwnedPacket {
    /// The receiver was dropped while this packet was out: free the buffer and give back
    /// the reference the receiver took for this packet (the last one frees the queue).
    #[cold]
    fn release_orphan(&mut self) {
        // SAFETY: an ORPHANED slot is never used again by the producer or the receiver;
        // this packet is its last user.
        drop(std::mem::take(unsafe {
            &mut (*self.slot.as_ref().data.get()).buf
        }));
        // SAFETY: the receiver's drop took one strong reference for this packet (its slot
        // was HELD | ORPHANED); this gives it back, once.
        unsafe { Arc::decrement_strong_count(self.shared) };
    }
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
