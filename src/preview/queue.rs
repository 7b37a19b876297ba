//! The bounded, pooled packet queue behind
//! [`PreviewBuilder::start_queue`](super::PreviewBuilder::start_queue).
//!
//! Two lock-free rings and `capacity` reusable buffers:
//!
//! * **to the consumer**: an [`rtrb`] single-producer/single-consumer ring of filled
//!   buffers. The SDK's thread owns its [`Producer`](rtrb::Producer) (inside the preview's
//!   handler, which the trampoline runs with exclusive access); the [`PacketReceiver`] owns
//!   the [`Consumer`](rtrb::Consumer). Pushing and popping are a load and a store each, no
//!   read-modify-write, and the types make a second consumer impossible (the receiver is
//!   not `Clone`; receiving takes `&mut self`).
//! * **back to the pool**: a [`crossbeam_queue::ArrayQueue`] of empty buffers. It cannot be
//!   single-producer: an [`OwnedPacket`] is `Send` and gives its buffer back from whichever
//!   thread drops it, so several threads may push at once; the SDK's thread pops.
//!
//! The SDK's thread never blocks and, once `capacity` buffers exist and have grown to the
//! largest packet, never allocates. When no buffer is free the packet is dropped and
//! counted; the next packet queued carries that count ([`OwnedPacket::lost_before`]).
//!
//! **Wake-ups.** A consumer that finds the ring empty spins briefly, then registers a [`Waker`] in an [`AtomicWaker`], raises `waiting`,
//! checks the ring again and sleeps. The producer, after
//! each push, reads `waiting` (after a `SeqCst` fence that pairs with the consumer's) and
//! wakes only when it is set: a consumer that keeps up costs the producer a fence and a
//! load per packet, never a system call. A blocking receive registers a waker that unparks
//! its thread; a later async `Stream` can register its task's waker through the same
//! [`QueueShared::register`] protocol.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use std::task::{Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use atomic_waker::AtomicWaker;
use crossbeam_queue::ArrayQueue;

use super::{DataType, Packet};

/// How many times an empty receiver checks again before it sleeps (a few microseconds).
const SPINS: u32 = 256;

/// A filled buffer on its way to the consumer.
struct Slot {
    kind: DataType,
    buf: Vec<u8>,
    lost_before: u64,
}

/// What the producer, the receiver and the packets share.
pub(super) struct QueueShared {
    /// Empty buffers, given back by dropped packets, taken by the producer.
    free: ArrayQueue<Vec<u8>>,
    /// The consumer's waker, registered before it sleeps.
    waker: AtomicWaker,
    /// The consumer is (about to be) asleep and needs a wake-up.
    waiting: AtomicBool,
    /// The preview stopped: no more packets will come.
    closed: AtomicBool,
    /// The receiver is gone: drop packets without copying them, and buffers given back.
    abandoned: AtomicBool,
    /// Packets dropped so far because every buffer was in use.
    lost: AtomicU64,
    capacity: usize,
}

impl QueueShared {
    /// Wake the consumer if it registered as waiting. Called after every push; costs a
    /// fence and a load when nobody waits.
    pub(super) fn wake_if_waiting(&self) {
        // Pairs with the fence in `register`: either this load sees `waiting`, or the
        // consumer's re-check sees the slot just pushed.
        fence(Ordering::SeqCst);
        if self.waiting.load(Ordering::Relaxed) {
            self.waker.wake();
        }
    }

    /// The consumer side of the wake-up protocol: register `waker`, raise `waiting`, then
    /// let the caller check the ring again before it sleeps (a packet pushed in between
    /// is then either seen by that check or followed by a wake-up). A future async
    /// `Stream` calls this with its task's waker in `poll_next`.
    pub(super) fn register(&self, waker: &Waker) {
        self.waker.register(waker);
        self.waiting.store(true, Ordering::Relaxed);
        fence(Ordering::SeqCst);
    }

    /// The consumer is awake again (a packet came, or it gave up).
    pub(super) fn unregister(&self) {
        self.waiting.store(false, Ordering::Relaxed);
    }

    /// The preview stopped: wake the consumer so that it sees the end.
    pub(super) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        fence(Ordering::SeqCst);
        self.waker.wake();
    }

    /// Packets dropped so far because every buffer was in use.
    pub(super) fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }

    /// Give a buffer back to the pool (any thread).
    pub(super) fn give_back(&self, mut buf: Vec<u8>) {
        if self.abandoned.load(Ordering::Relaxed) {
            return;
        }
        buf.clear();
        // Cannot be full: at most `capacity` buffers exist, and this one is not in it.
        let _ = self.free.push(buf);
    }
}

// frames: the frame queue (`frame_queue.rs`) reuses this pool, wake-up and close state
// with its own ring of frame slots. These accessors are its only hooks into this file.
impl QueueShared {
    /// A shared part for a queue of `capacity` (≥ 1) items.
    pub(super) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(QueueShared {
            free: ArrayQueue::new(capacity),
            waker: AtomicWaker::new(),
            waiting: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            abandoned: AtomicBool::new(false),
            lost: AtomicU64::new(0),
            capacity,
        })
    }

    /// An empty pooled buffer, if one is free.
    pub(super) fn take_free(&self) -> Option<Vec<u8>> {
        self.free.pop()
    }

    /// Count one item dropped because every buffer was in use.
    pub(super) fn count_lost(&self) {
        self.lost.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the stream has ended (`Acquire`: items pushed before the close are visible).
    pub(super) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Whether the receiver is gone.
    pub(super) fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Relaxed)
    }

    /// The receiver is gone: free the pooled memory, and drop what comes.
    pub(super) fn abandon(&self) {
        self.abandoned.store(true, Ordering::Relaxed);
        while self.free.pop().is_some() {}
    }

    /// The capacity in items.
    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }
}

/// The SDK-thread end: lives in the preview's handler, which the trampoline calls with
/// exclusive access.
pub(super) struct PacketProducer {
    ring: rtrb::Producer<Slot>,
    shared: Arc<QueueShared>,
    /// Buffers created so far (at most `capacity`).
    allocated: usize,
    /// Packets dropped since the last one queued.
    lost_pending: u64,
    /// The largest packet seen so far (bytes): a buffer that must grow grows to this.
    largest: usize,
}

impl PacketProducer {
    /// Called on the SDK's thread: never blocks; allocates only while the pool grows.
    pub(super) fn push(&mut self, packet: Packet<'_>) {
        let shared = &*self.shared;
        if shared.abandoned.load(Ordering::Relaxed) {
            return;
        }
        let mut buf = match shared.free.pop() {
            Some(b) => b,
            None if self.allocated < shared.capacity => {
                self.allocated += 1;
                Vec::new()
            }
            None => return self.drop_packet(),
        };
        let len = packet.data.len();
        if buf.capacity() < len {
            // Grow to the largest packet seen so far, not just this one: every buffer then
            // reaches its final size after at most a few allocations, whichever buffers
            // the pool happens to rotate through.
            self.largest = self.largest.max(len);
            buf.reserve(self.largest);
        }
        buf.extend_from_slice(packet.data);
        let slot = Slot {
            kind: packet.kind,
            buf,
            lost_before: self.lost_pending,
        };
        match self.ring.push(slot) {
            Ok(()) => self.lost_pending = 0,
            // Unreachable while at most `capacity` buffers exist (the ring holds as many);
            // kept as a drop rather than a panic on the SDK's thread.
            Err(rtrb::PushError::Full(slot)) => {
                self.shared.give_back(slot.buf);
                return self.drop_packet();
            }
        }
        self.shared.wake_if_waiting();
    }

    #[cold]
    fn drop_packet(&mut self) {
        self.lost_pending += 1;
        self.shared.lost.fetch_add(1, Ordering::Relaxed);
    }
}

/// A new queue of `capacity` (≥ 1) packets: the producer for the handler, the receiver for
/// the user, and the shared part for the preview (stop closes it).
pub(super) fn packet_queue(capacity: usize) -> (PacketProducer, PacketReceiver, Arc<QueueShared>) {
    let (ring_tx, ring_rx) = rtrb::RingBuffer::new(capacity);
    let shared = Arc::new(QueueShared {
        free: ArrayQueue::new(capacity),
        waker: AtomicWaker::new(),
        waiting: AtomicBool::new(false),
        closed: AtomicBool::new(false),
        abandoned: AtomicBool::new(false),
        lost: AtomicU64::new(0),
        capacity,
    });
    let producer = PacketProducer {
        ring: ring_tx,
        shared: Arc::clone(&shared),
        allocated: 0,
        lost_pending: 0,
        largest: 0,
    };
    let receiver = PacketReceiver {
        ring: ExclusiveConsumer(ring_rx),
        shared: Arc::clone(&shared),
        parker: None,
    };
    (producer, receiver, shared)
}

/// The ring's consumer end, reachable only through `&mut`.
struct ExclusiveConsumer(rtrb::Consumer<Slot>);

// SAFETY: `rtrb::Consumer` is `Send` but not `Sync` (it caches indices in `Cell`s). This
// wrapper has no method taking `&self`, and its field is private, so a shared reference to
// it gives no access to the consumer at all; `&mut` access needs exclusive ownership.
unsafe impl Sync for ExclusiveConsumer {}

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
pub struct PacketReceiver {
    ring: ExclusiveConsumer,
    shared: Arc<QueueShared>,
    /// The waker of the thread that last blocked here (made once per thread).
    parker: Option<(thread::ThreadId, Waker)>,
}

impl fmt::Debug for PacketReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacketReceiver")
            .field("capacity", &self.shared.capacity)
            .field("lost", &self.shared.lost())
            .field("closed", &self.shared.closed.load(Ordering::Relaxed))
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
    pub fn try_recv(&mut self) -> Option<OwnedPacket> {
        let slot = self.ring.0.pop().ok()?;
        Some(OwnedPacket {
            kind: slot.kind,
            buf: slot.buf,
            lost_before: slot.lost_before,
            shared: Arc::clone(&self.shared),
        })
    }

    /// Wait for the next packet; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<OwnedPacket> {
        self.wait(None).ok()
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
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait(Some(deadline)),
            None => self.wait(None),
        }
    }

    fn wait(
        &mut self,
        deadline: Option<Instant>,
    ) -> std::result::Result<OwnedPacket, RecvTimeoutError> {
        loop {
            if let Some(p) = self.try_recv() {
                return Ok(p);
            }
            if self.shared.closed.load(Ordering::Acquire) {
                // Packets pushed before the close are visible now.
                return self.try_recv().ok_or(RecvTimeoutError::Stopped);
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(l) if !l.is_zero() => Some(l),
                    _ => return Err(RecvTimeoutError::Timeout),
                },
                None => None,
            };
            // A producer at full speed refills the ring within microseconds: spin briefly
            // before the sleep that would cost the producer a wake-up per packet. (No
            // yield: on a busy machine a yielded consumer comes back a time slice later.)
            if self.spin_until_ready() {
                continue;
            }
            let waker = self.thread_waker();
            self.shared.register(&waker);
            if self.ring.0.is_empty() && !self.shared.closed.load(Ordering::Acquire) {
                match left {
                    Some(l) => thread::park_timeout(l),
                    None => thread::park(),
                }
            }
            self.shared.unregister();
        }
    }

    /// Spin up to [`SPINS`] times for a packet or the end; whether one came.
    fn spin_until_ready(&mut self) -> bool {
        for _ in 0..SPINS {
            if !self.ring.0.is_empty() || self.shared.closed.load(Ordering::Relaxed) {
                return true;
            }
            std::hint::spin_loop();
        }
        false
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
        self.shared.closed.load(Ordering::Acquire)
    }

    /// The queue's capacity in packets.
    pub fn capacity(&self) -> usize {
        self.shared.capacity
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

impl Drop for PacketReceiver {
    fn drop(&mut self) {
        self.shared.abandoned.store(true, Ordering::Relaxed);
        // Free the pooled memory now rather than when the preview stops.
        while self.shared.free.pop().is_some() {}
    }
}

/// A packet taken from a [`PacketReceiver`]. Its buffer goes back to the pool when it is
/// dropped.
pub struct OwnedPacket {
    kind: DataType,
    buf: Vec<u8>,
    lost_before: u64,
    shared: Arc<QueueShared>,
}

impl fmt::Debug for OwnedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPacket")
            .field("kind", &self.kind)
            .field("len", &self.buf.len())
            .field("lost_before", &self.lost_before)
            .finish()
    }
}

impl OwnedPacket {
    /// What the packet holds.
    pub fn kind(&self) -> DataType {
        self.kind
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.buf
    }

    /// Packets dropped just before this one because the consumer fell behind (0 normally).
    pub fn lost_before(&self) -> u64 {
        self.lost_before
    }

    /// Take the bytes out of the pool (the pool allocates a new buffer later if needed).
    pub fn into_vec(mut self) -> Vec<u8> {
        // An empty, unallocated Vec takes this buffer's place in the pool; Drop gives it
        // back, so the pool keeps its `capacity` buffers.
        std::mem::take(&mut self.buf)
    }
}

impl std::ops::Deref for OwnedPacket {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf
    }
}

impl AsRef<[u8]> for OwnedPacket {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl Drop for OwnedPacket {
    fn drop(&mut self) {
        // Every buffer goes back, also one that never allocated (an empty packet, or the
        // placeholder `into_vec` left): skipping it would lose a pool slot for good.
        let buf = std::mem::take(&mut self.buf);
        self.shared.give_back(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(kind: DataType, data: &[u8]) -> Packet<'_> {
        Packet { kind, data }
    }

    #[test]
    fn full_queue_drops_newest_and_reports_the_gap() {
        let (mut tx, mut rx, shared) = packet_queue(2);
        for i in 0..5u8 {
            tx.push(pkt(DataType::Stream, &[i]));
        }
        assert_eq!(rx.lost(), 3);
        let a = rx.try_recv().unwrap();
        assert_eq!((a.data(), a.lost_before()), (&[0u8][..], 0));
        drop(a);
        let b = rx.try_recv().unwrap();
        assert_eq!(b.data(), &[1u8]);
        drop(b);
        tx.push(pkt(DataType::Audio, &[9]));
        let c = rx.try_recv().unwrap();
        assert_eq!(
            (c.data(), c.lost_before(), c.kind()),
            (&[9u8][..], 3, DataType::Audio)
        );
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
            RecvTimeoutError::Timeout
        );
        shared.close();
        drop(c);
        assert!(rx.recv().is_none());
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
            RecvTimeoutError::Stopped
        );
    }

    /// An empty packet holds a buffer that never allocated; it must still go back to the
    /// pool, or after `capacity` of them every later packet counts as lost.
    #[test]
    fn empty_packets_never_use_up_the_pool() {
        let (mut tx, mut rx, _shared) = packet_queue(2);
        for _ in 0..5 {
            tx.push(pkt(DataType::Stream, &[]));
            let p = rx.try_recv().expect("an empty packet is queued");
            assert!(p.data().is_empty());
            drop(p);
        }
        for i in 0..5u8 {
            tx.push(pkt(DataType::Stream, &[i, 1, 2]));
            let p = rx
                .try_recv()
                .expect("a normal packet after empty ones is queued");
            assert_eq!((p.data(), p.lost_before()), (&[i, 1, 2][..], 0));
        }
        assert_eq!(rx.lost(), 0, "packets were counted as lost");
    }

    /// `into_vec` takes the bytes out; the pool still has `capacity` buffers afterwards.
    #[test]
    fn into_vec_keeps_the_pool_size() {
        let (mut tx, mut rx, _shared) = packet_queue(2);
        for i in 0..6u8 {
            tx.push(pkt(DataType::Stream, &[i; 3]));
            let v = rx.try_recv().expect("queued").into_vec();
            assert_eq!(v, [i; 3]);
        }
        tx.push(pkt(DataType::Stream, &[1]));
        tx.push(pkt(DataType::Stream, &[2]));
        tx.push(pkt(DataType::Stream, &[3]));
        assert_eq!(rx.lost(), 1, "two buffers, three packets held");
    }

    /// A consumer asleep in `recv` is woken by a push from another thread, and by close.
    #[test]
    fn a_sleeping_consumer_is_woken() {
        let (mut tx, mut rx, shared) = packet_queue(4);
        let consumer = thread::spawn(move || {
            let first = rx.recv().map(|p| p.data().to_vec());
            let end = rx.recv().is_none();
            (first, end)
        });
        thread::sleep(Duration::from_millis(50));
        tx.push(pkt(DataType::Stream, &[7, 7]));
        thread::sleep(Duration::from_millis(50));
        shared.close();
        let (first, end) = consumer.join().unwrap();
        assert_eq!(first.as_deref(), Some(&[7u8, 7][..]));
        assert!(end, "recv returns None after close");
    }

    /// Many packets across threads: none lost while the pool suffices, order kept.
    #[test]
    fn packets_cross_threads_in_order() {
        const N: u32 = 20_000;
        let (mut tx, mut rx, shared) = packet_queue(64);
        let consumer = thread::spawn(move || {
            let (mut next, mut received, mut lost) = (0u32, 0u64, 0);
            while let Some(p) = rx.recv() {
                received += 1;
                lost += p.lost_before();
                let v = u32::from_le_bytes(p.data().try_into().unwrap());
                assert_eq!(
                    v,
                    next + u32::try_from(p.lost_before()).unwrap(),
                    "order or gap"
                );
                next = v + 1;
            }
            (received, lost, rx.lost())
        });
        for i in 0..N {
            tx.push(pkt(DataType::Stream, &i.to_le_bytes()));
        }
        shared.close();
        let (received, lost_before_sum, lost) = consumer.join().unwrap();
        assert_eq!(
            received + lost,
            u64::from(N),
            "every packet is received or counted"
        );
        assert!(lost_before_sum <= lost, "no loss is reported twice");
    }
}
