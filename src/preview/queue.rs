//! The bounded, pooled packet queue behind
//! [`PreviewBuilder::start_queue`](super::PreviewBuilder::start_queue): the generic
//! single-consumer ring of `ring.rs` (see its docs for the design: per-slot state words, an
//! order ring, one `tail` word with the count and the `WAITING`/`CLOSED` flags, no reference
//! count per item) carrying a packet's [`DataType`] beside its bytes.
//!
//! The SDK's thread never blocks and, once every slot's buffer has grown to the largest
//! packet, never allocates. When no slot is free the packet is dropped and counted; the next
//! packet queued carries that count ([`OwnedPacket::lost_before`]).

use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

pub use super::ring::RecvTimeoutError;
use super::ring::{Grow, Held, Producer, Receiver, Shared, ring};
use super::{DataType, Packet};

/// A new queue of `capacity` (≥ 1) packets: the producer for the handler, the receiver for
/// the user, and the shared part for the preview (stop closes it).
pub(super) fn packet_queue(
    capacity: usize,
) -> (PacketProducer, PacketReceiver, Arc<Shared<DataType>>) {
    let (producer, inner, shared) = ring(capacity, &DataType::Stream);
    (PacketProducer(producer), PacketReceiver { inner }, shared)
}

/// The SDK-thread end: lives in the preview's handler, which the trampoline calls with
/// exclusive access.
pub(super) struct PacketProducer(Producer<DataType>);

impl PacketProducer {
    /// Called on the SDK's thread: never blocks; allocates only while buffers grow.
    #[inline]
    pub(super) fn push(&mut self, packet: Packet<'_>) {
        self.0.push(packet.data.len(), Grow::WhenShort, |buf| {
            buf.extend_from_slice(packet.data);
            packet.kind
        });
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
    inner: Receiver<DataType>,
}

impl fmt::Debug for PacketReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacketReceiver")
            .field("capacity", &self.capacity())
            .field("lost", &self.lost())
            .field("closed", &self.is_stopped())
            .finish_non_exhaustive()
    }
}

impl PacketReceiver {
    /// The next packet if one is queued.
    #[inline]
    pub fn try_recv(&mut self) -> Option<OwnedPacket> {
        self.inner.try_recv().map(OwnedPacket)
    }

    /// Wait for the next packet; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<OwnedPacket> {
        self.inner.recv().map(OwnedPacket)
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
        self.inner.recv_timeout(timeout).map(OwnedPacket)
    }

    /// Poll for the next packet: `Ready(Some)` if one is queued, `Ready(None)` once the
    /// preview has stopped and the queue is drained, else `Pending` after registering `cx`'s
    /// waker, which the SDK's thread wakes with the next packet (or the stop). This is the
    /// `Stream` (feature `tokio`), usable without it from any executor.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<OwnedPacket>> {
        self.inner.poll_recv(cx).map(|p| p.map(OwnedPacket))
    }

    /// Packets dropped so far because every buffer was in use.
    pub fn lost(&self) -> u64 {
        self.inner.lost()
    }

    /// Whether the preview has stopped (packets may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.inner.is_stopped()
    }

    /// The queue's capacity in packets.
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
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

/// A packet taken from a [`PacketReceiver`]. Its buffer goes back to the pool when it is
/// dropped, on any thread.
pub struct OwnedPacket(Held<DataType>);

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
    /// What the packet holds.
    pub fn kind(&self) -> DataType {
        self.0.get().meta
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.0.get().buf
    }

    /// Packets dropped just before this one because the consumer fell behind (0 normally).
    pub fn lost_before(&self) -> u64 {
        self.0.get().lost_before
    }

    /// Take the bytes out of the pool (the slot allocates a new buffer later if needed).
    pub fn into_vec(self) -> Vec<u8> {
        self.0.into_vec()
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

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
