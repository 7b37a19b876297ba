//! The bounded, pooled packet queue behind
//! [`PreviewBuilder::start_queue`](super::PreviewBuilder::start_queue).
//!
//! The SDK's thread copies each packet into one of `capacity` reusable buffers and never
//! waits for the consumer: when every buffer is queued or held by the consumer, the packet
//! is dropped and counted. A buffer goes back to the pool when its [`OwnedPacket`] is
//! dropped, so once the buffers have grown to the largest packet size nothing is
//! allocated per packet.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{DataType, Packet};
use crate::sync::{lock, wait, wait_timeout};

struct Slot {
    kind: DataType,
    buf: Vec<u8>,
    lost_before: u64,
}

struct QueueState {
    queued: VecDeque<Slot>,
    free: Vec<Vec<u8>>,
    /// Buffers in existence (queued + held by the consumer + free).
    allocated: usize,
    /// Packets dropped since the last one queued.
    lost_pending: u64,
    lost_total: u64,
    /// The preview stopped: no more packets will come.
    closed: bool,
    /// The receiver is gone: drop packets without copying them.
    abandoned: bool,
    /// Consumers blocked in `recv`/`recv_timeout`: the producer signals only when one waits,
    /// which saves a futex wake-up system call per packet when the consumer keeps up.
    waiting: usize,
}

pub(super) struct PacketQueue {
    state: Mutex<QueueState>,
    ready: Condvar,
    capacity: usize,
}

impl PacketQueue {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(QueueState {
                queued: VecDeque::with_capacity(capacity),
                free: Vec::with_capacity(capacity),
                allocated: 0,
                lost_pending: 0,
                lost_total: 0,
                closed: false,
                abandoned: false,
                waiting: 0,
            }),
            ready: Condvar::new(),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        lock(&self.state)
    }

    /// Called on the SDK's thread: never blocks beyond the short lock.
    pub(super) fn push(&self, packet: Packet<'_>) {
        let mut buf = {
            let mut s = self.lock();
            if s.abandoned || s.closed {
                return;
            }
            match s.free.pop() {
                Some(b) => b,
                None if s.allocated < self.capacity => {
                    s.allocated += 1;
                    Vec::new()
                }
                None => {
                    s.lost_pending += 1;
                    s.lost_total += 1;
                    return;
                }
            }
        };
        buf.clear();
        buf.extend_from_slice(packet.data);
        let mut s = self.lock();
        let lost_before = std::mem::take(&mut s.lost_pending);
        s.queued.push_back(Slot {
            kind: packet.kind,
            buf,
            lost_before,
        });
        // Read under the lock that consumers hold while they register as waiting, so a
        // consumer about to sleep is always seen.
        let wake = s.waiting > 0;
        drop(s);
        if wake {
            self.ready.notify_one();
        }
    }

    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    fn give_back(&self, mut buf: Vec<u8>) {
        let mut s = self.lock();
        if s.abandoned {
            return;
        }
        buf.clear();
        s.free.push(buf);
    }
}

/// The consumer end of [`PreviewBuilder::start_queue`](crate::PreviewBuilder::start_queue).
/// It may outlive the preview: once the preview has stopped and the queue is drained,
/// [`recv`](Self::recv) returns `None`.
pub struct PacketReceiver {
    queue: Arc<PacketQueue>,
}

impl fmt::Debug for PacketReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.queue.lock();
        f.debug_struct("PacketReceiver")
            .field("capacity", &self.queue.capacity)
            .field("queued", &s.queued.len())
            .field("lost", &s.lost_total)
            .field("closed", &s.closed)
            .finish()
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
    pub(super) fn new(queue: Arc<PacketQueue>) -> Self {
        Self { queue }
    }

    fn take(&self, s: &mut QueueState) -> Option<OwnedPacket> {
        s.queued.pop_front().map(|slot| OwnedPacket {
            kind: slot.kind,
            buf: slot.buf,
            lost_before: slot.lost_before,
            queue: Arc::clone(&self.queue),
            pooled: true,
        })
    }

    /// Wait for the next packet; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&self) -> Option<OwnedPacket> {
        let mut s = self.queue.lock();
        loop {
            if let Some(p) = self.take(&mut s) {
                return Some(p);
            }
            if s.closed {
                return None;
            }
            s.waiting += 1;
            s = wait(&self.queue.ready, s);
            s.waiting -= 1;
        }
    }

    /// Wait up to `timeout` for the next packet.
    ///
    /// # Errors
    /// [`RecvTimeoutError::Timeout`] if none came; [`RecvTimeoutError::Stopped`] once the
    /// preview has stopped and the queue is empty.
    pub fn recv_timeout(
        &self,
        timeout: Duration,
    ) -> std::result::Result<OwnedPacket, RecvTimeoutError> {
        let deadline = Instant::now().checked_add(timeout);
        let mut s = self.queue.lock();
        loop {
            if let Some(p) = self.take(&mut s) {
                return Ok(p);
            }
            if s.closed {
                return Err(RecvTimeoutError::Stopped);
            }
            let left = match deadline {
                Some(d) => d
                    .checked_duration_since(Instant::now())
                    .filter(|l| !l.is_zero()),
                None => Some(Duration::from_secs(3600)),
            };
            let Some(left) = left else {
                return Err(RecvTimeoutError::Timeout);
            };
            s.waiting += 1;
            s = wait_timeout(&self.queue.ready, s, left);
            s.waiting -= 1;
        }
    }

    /// The next packet if one is queued.
    pub fn try_recv(&self) -> Option<OwnedPacket> {
        let mut s = self.queue.lock();
        self.take(&mut s)
    }

    /// Packets dropped so far because every buffer was in use.
    pub fn lost(&self) -> u64 {
        self.queue.lock().lost_total
    }

    /// Whether the preview has stopped (packets may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.queue.lock().closed
    }

    /// The queue's capacity in packets.
    pub fn capacity(&self) -> usize {
        self.queue.capacity
    }
}

impl Iterator for &PacketReceiver {
    type Item = OwnedPacket;

    fn next(&mut self) -> Option<OwnedPacket> {
        self.recv()
    }
}

impl Drop for PacketReceiver {
    fn drop(&mut self) {
        let mut s = self.queue.lock();
        s.abandoned = true;
        s.queued.clear();
        s.free.clear();
    }
}

/// A packet taken from a [`PacketReceiver`]. Its buffer goes back to the pool when it is
/// dropped.
pub struct OwnedPacket {
    kind: DataType,
    buf: Vec<u8>,
    lost_before: u64,
    queue: Arc<PacketQueue>,
    /// Whether `buf` belongs to the pool (it goes back when the packet is dropped); false
    /// once [`into_vec`](Self::into_vec) took it out.
    pooled: bool,
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
        let buf = std::mem::take(&mut self.buf);
        self.pooled = false;
        self.queue.lock().allocated -= 1;
        buf
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
        // Every pooled buffer goes back, also one that never allocated (an empty packet):
        // `allocated` counted it, so skipping it would lose a pool slot for good.
        if self.pooled {
            let buf = std::mem::take(&mut self.buf);
            self.queue.give_back(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_queue_drops_newest_and_reports_the_gap() {
        let queue = Arc::new(PacketQueue::new(2));
        let rx = PacketReceiver::new(Arc::clone(&queue));
        for i in 0..5u8 {
            queue.push(Packet {
                kind: DataType::Stream,
                data: &[i],
            });
        }
        assert_eq!(rx.lost(), 3);
        let a = rx.try_recv().unwrap();
        assert_eq!((a.data(), a.lost_before()), (&[0u8][..], 0));
        drop(a);
        let b = rx.try_recv().unwrap();
        assert_eq!(b.data(), &[1u8]);
        drop(b);
        queue.push(Packet {
            kind: DataType::Audio,
            data: &[9],
        });
        let c = rx.try_recv().unwrap();
        assert_eq!(
            (c.data(), c.lost_before(), c.kind()),
            (&[9u8][..], 3, DataType::Audio)
        );
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
            RecvTimeoutError::Timeout
        );
        queue.close();
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
        let queue = Arc::new(PacketQueue::new(2));
        let rx = PacketReceiver::new(Arc::clone(&queue));
        for _ in 0..5 {
            queue.push(Packet {
                kind: DataType::Stream,
                data: &[],
            });
            let p = rx.try_recv().expect("an empty packet is queued");
            assert!(p.data().is_empty());
            drop(p);
        }
        for i in 0..5u8 {
            queue.push(Packet {
                kind: DataType::Stream,
                data: &[i, 1, 2],
            });
            let p = rx
                .try_recv()
                .expect("a normal packet after empty ones is queued");
            assert_eq!((p.data(), p.lost_before()), (&[i, 1, 2][..], 0));
        }
        assert_eq!(rx.lost(), 0, "packets were counted as lost");
    }
}
