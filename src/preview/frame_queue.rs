//! The bounded, pooled frame queue behind
//! [`PreviewBuilder::start_frame_queue`](super::PreviewBuilder::start_frame_queue).
//!
//! The same design as the packet queue (`queue.rs`), whose shared part it reuses
//! ([`QueueShared`]: the pool of empty buffers, the consumer's waker, close and loss
//! accounting): an [`rtrb`] single-producer/single-consumer ring of filled buffers from the
//! SDK's thread (where the demuxer runs) to the one [`FrameReceiver`], and `capacity`
//! reusable buffers that go back to the pool when an [`OwnedFrame`] is dropped. A frame's
//! buffer holds its bytes followed by its parameter sets, so a frame is one buffer.
//!
//! The SDK's thread never blocks and, once `capacity` buffers exist and have grown to the
//! largest frame, never allocates. When no buffer is free the **newest** frame is dropped
//! and counted; the next frame queued carries that count ([`OwnedFrame::lost_before`]).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use hcnetsdk_media::{Codec, Frame, ParamSets};

use super::queue::{QueueShared, RecvTimeoutError};

/// How many times an empty receiver checks again before it sleeps (a few microseconds).
const SPINS: u32 = 256;

/// A frame's fields, without its bytes (those are in the slot's buffer).
#[derive(Debug, Clone)]
struct Meta {
    stream: u8,
    codec: Codec,
    pts: Option<i64>,
    dts: Option<i64>,
    key: bool,
    discontinuity: bool,
    /// `buf[..data]` is the access unit; the parameter sets follow it.
    data: usize,
    vps: Option<Range<usize>>,
    sps: Option<Range<usize>>,
    pps: Option<Range<usize>>,
}

/// A filled buffer on its way to the consumer.
struct Slot {
    meta: Meta,
    buf: Vec<u8>,
    lost_before: u64,
}

/// The SDK-thread end: lives in the preview's handler, after the demuxer.
pub(super) struct FrameProducer {
    ring: rtrb::Producer<Slot>,
    shared: Arc<QueueShared>,
    /// Buffers created so far (at most `capacity`).
    allocated: usize,
    /// Frames dropped since the last one queued.
    lost_pending: u64,
    /// The largest frame seen so far (bytes with parameter sets).
    largest: usize,
}

/// Append `part` to `buf` and give its range.
fn append(buf: &mut Vec<u8>, part: Option<&[u8]>) -> Option<Range<usize>> {
    let part = part?;
    let start = buf.len();
    buf.extend_from_slice(part);
    Some(start..buf.len())
}

impl FrameProducer {
    /// Called on the SDK's thread: never blocks; allocates only while the pool grows.
    pub(super) fn push(&mut self, frame: &Frame<'_>) {
        let shared = &*self.shared;
        if shared.is_abandoned() {
            return;
        }
        let mut buf = match shared.take_free() {
            Some(b) => b,
            None if self.allocated < shared.capacity() => {
                self.allocated += 1;
                Vec::new()
            }
            None => return self.drop_frame(),
        };
        let p = frame.params;
        let len = frame.data.len()
            + [p.vps, p.sps, p.pps]
                .iter()
                .map(|x| x.map_or(0, <[u8]>::len))
                .sum::<usize>();
        // Every buffer grows to the largest frame seen so far as soon as it is reused, not
        // only when a frame does not fit: once the largest frame has come by and each
        // buffer has been round once, nothing allocates again.
        self.largest = self.largest.max(len);
        if buf.capacity() < self.largest {
            buf.reserve(self.largest);
        }
        buf.extend_from_slice(frame.data);
        let meta = Meta {
            stream: frame.stream,
            codec: frame.codec,
            pts: frame.pts,
            dts: frame.dts,
            key: frame.key,
            discontinuity: frame.discontinuity,
            data: frame.data.len(),
            vps: append(&mut buf, p.vps),
            sps: append(&mut buf, p.sps),
            pps: append(&mut buf, p.pps),
        };
        let slot = Slot {
            meta,
            buf,
            lost_before: self.lost_pending,
        };
        match self.ring.push(slot) {
            Ok(()) => self.lost_pending = 0,
            // Unreachable while at most `capacity` buffers exist (the ring holds as many).
            Err(rtrb::PushError::Full(slot)) => {
                self.shared.give_back(slot.buf);
                return self.drop_frame();
            }
        }
        self.shared.wake_if_waiting();
    }

    #[cold]
    fn drop_frame(&mut self) {
        self.lost_pending += 1;
        self.shared.count_lost();
    }
}

/// A new queue of `capacity` (≥ 1) frames: the producer for the handler, the receiver for
/// the user, and the shared part for the preview (stop closes it).
pub(super) fn frame_queue(capacity: usize) -> (FrameProducer, FrameReceiver, Arc<QueueShared>) {
    let (ring_tx, ring_rx) = rtrb::RingBuffer::new(capacity);
    let shared = QueueShared::new(capacity);
    let producer = FrameProducer {
        ring: ring_tx,
        shared: Arc::clone(&shared),
        allocated: 0,
        lost_pending: 0,
        largest: 0,
    };
    let receiver = FrameReceiver {
        ring: ring_rx,
        shared: Arc::clone(&shared),
        parker: None,
    };
    (producer, receiver, shared)
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

/// The consumer end of
/// [`PreviewBuilder::start_frame_queue`](crate::PreviewBuilder::start_frame_queue): one per
/// queue (not `Clone`; receiving takes `&mut self`). It may outlive the preview: once the
/// preview has stopped and the queue is drained, [`recv`](Self::recv) returns `None`.
///
/// With feature `tokio` it is also a `futures_core::Stream` of [`OwnedFrame`]s, ending
/// when the preview has stopped and the queue is drained.
pub struct FrameReceiver {
    ring: rtrb::Consumer<Slot>,
    shared: Arc<QueueShared>,
    /// The waker of the thread that last blocked here (made once per thread).
    parker: Option<(thread::ThreadId, Waker)>,
}

impl fmt::Debug for FrameReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameReceiver")
            .field("capacity", &self.shared.capacity())
            .field("lost", &self.shared.lost())
            .field("closed", &self.shared.is_closed())
            .finish_non_exhaustive()
    }
}

impl FrameReceiver {
    /// The next frame if one is queued.
    pub fn try_recv(&mut self) -> Option<OwnedFrame> {
        let slot = self.ring.pop().ok()?;
        Some(OwnedFrame {
            meta: slot.meta,
            buf: slot.buf,
            lost_before: slot.lost_before,
            shared: Arc::clone(&self.shared),
        })
    }

    /// Wait for the next frame; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<OwnedFrame> {
        self.wait(None).ok()
    }

    /// Wait up to `timeout` for the next frame.
    ///
    /// # Errors
    /// [`RecvTimeoutError::Timeout`] if none came; [`RecvTimeoutError::Stopped`] once the
    /// preview has stopped and the queue is empty.
    pub fn recv_timeout(
        &mut self,
        timeout: Duration,
    ) -> std::result::Result<OwnedFrame, RecvTimeoutError> {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait(Some(deadline)),
            None => self.wait(None),
        }
    }

    fn wait(
        &mut self,
        deadline: Option<Instant>,
    ) -> std::result::Result<OwnedFrame, RecvTimeoutError> {
        loop {
            if let Some(f) = self.try_recv() {
                return Ok(f);
            }
            if self.shared.is_closed() {
                return self.try_recv().ok_or(RecvTimeoutError::Stopped);
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(l) if !l.is_zero() => Some(l),
                    _ => return Err(RecvTimeoutError::Timeout),
                },
                None => None,
            };
            if self.spin_until_ready() {
                continue;
            }
            let waker = self.thread_waker();
            self.shared.register(&waker);
            if self.ring.is_empty() && !self.shared.is_closed() {
                match left {
                    Some(l) => thread::park_timeout(l),
                    None => thread::park(),
                }
            }
            self.shared.unregister();
        }
    }

    /// Spin up to [`SPINS`] times for a frame or the end; whether one came.
    fn spin_until_ready(&mut self) -> bool {
        for _ in 0..SPINS {
            if !self.ring.is_empty() || self.shared.is_closed() {
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

    /// Frames dropped so far because every buffer was in use.
    pub fn lost(&self) -> u64 {
        self.shared.lost()
    }

    /// Whether the preview has stopped (frames may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.shared.is_closed()
    }

    /// The queue's capacity in frames.
    pub fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}

impl Iterator for FrameReceiver {
    type Item = OwnedFrame;

    /// [`recv`](FrameReceiver::recv): ends when the preview has stopped and the queue is
    /// drained.
    fn next(&mut self) -> Option<OwnedFrame> {
        self.recv()
    }
}

#[cfg(feature = "tokio")]
impl futures_core::Stream for FrameReceiver {
    type Item = OwnedFrame;

    /// The next frame; `None` once the preview has stopped and the queue is drained. The
    /// SDK's thread wakes the task only when it registered as waiting (no lock, no
    /// allocation per frame).
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<OwnedFrame>> {
        use std::task::Poll;
        let this = self.get_mut();
        if let Some(f) = this.try_recv() {
            return Poll::Ready(Some(f));
        }
        if this.shared.is_closed() {
            return Poll::Ready(this.try_recv());
        }
        this.shared.register(cx.waker());
        // A frame pushed (or a close) between the check above and the registration is
        // seen here; one pushed after it wakes the task.
        if let Some(f) = this.try_recv() {
            this.shared.unregister();
            return Poll::Ready(Some(f));
        }
        if this.shared.is_closed() {
            this.shared.unregister();
            return Poll::Ready(this.try_recv());
        }
        Poll::Pending
    }
}

impl Drop for FrameReceiver {
    fn drop(&mut self) {
        self.shared.abandon();
    }
}

/// A frame taken from a [`FrameReceiver`]: an access unit and its parameter sets in one
/// pooled buffer, which goes back to the pool when the frame is dropped.
pub struct OwnedFrame {
    meta: Meta,
    buf: Vec<u8>,
    lost_before: u64,
    shared: Arc<QueueShared>,
}

impl fmt::Debug for OwnedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedFrame")
            .field("stream", &self.meta.stream)
            .field("codec", &self.meta.codec)
            .field("pts", &self.meta.pts)
            .field("key", &self.meta.key)
            .field("len", &self.meta.data)
            .field("lost_before", &self.lost_before)
            .finish_non_exhaustive()
    }
}

impl OwnedFrame {
    /// The frame as the demuxer gave it (borrowing this buffer).
    pub fn frame(&self) -> Frame<'_> {
        Frame {
            stream: self.meta.stream,
            codec: self.meta.codec,
            pts: self.meta.pts,
            dts: self.meta.dts,
            key: self.meta.key,
            discontinuity: self.meta.discontinuity,
            data: self.data(),
            params: self.params(),
        }
    }

    /// The access unit's bytes (Annex B for video, one PES payload for audio).
    pub fn data(&self) -> &[u8] {
        &self.buf[..self.meta.data]
    }

    /// The parameter sets in force (empty for audio).
    pub fn params(&self) -> ParamSets<'_> {
        let part = |r: &Option<Range<usize>>| r.clone().map(|r| &self.buf[r]);
        ParamSets {
            vps: part(&self.meta.vps),
            sps: part(&self.meta.sps),
            pps: part(&self.meta.pps),
        }
    }

    /// PES stream id (0xE0-0xEF video, 0xC0-0xDF audio).
    pub fn stream(&self) -> u8 {
        self.meta.stream
    }

    /// The codec.
    pub fn codec(&self) -> Codec {
        self.meta.codec
    }

    /// Presentation time, 90 kHz ticks.
    pub fn pts(&self) -> Option<i64> {
        self.meta.pts
    }

    /// Decoding time, 90 kHz ticks.
    pub fn dts(&self) -> Option<i64> {
        self.meta.dts
    }

    /// A keyframe (always true for audio).
    pub fn key(&self) -> bool {
        self.meta.key
    }

    /// Whether this is a video frame.
    pub fn is_video(&self) -> bool {
        (0xe0..=0xef).contains(&self.meta.stream)
    }

    /// Input was lost before this frame (the demuxer resynchronised, or the SDK
    /// reconnected): a decoder should wait for a keyframe.
    pub fn discontinuity(&self) -> bool {
        self.meta.discontinuity
    }

    /// Frames dropped just before this one because the consumer fell behind (0 normally).
    pub fn lost_before(&self) -> u64 {
        self.lost_before
    }
}

impl Drop for OwnedFrame {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        self.shared.give_back(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(data: &[u8], pts: i64) -> Frame<'_> {
        Frame {
            stream: 0xe0,
            codec: Codec::H264,
            pts: Some(pts),
            dts: Some(pts),
            key: pts == 0,
            discontinuity: false,
            data,
            params: ParamSets {
                vps: None,
                sps: Some(&[0x67, 1, 2]),
                pps: Some(&[0x68, 3]),
            },
        }
    }

    #[test]
    fn full_queue_drops_newest_and_reports_the_gap() {
        let (mut tx, mut rx, shared) = frame_queue(2);
        for i in 0..5u8 {
            tx.push(&frame(&[0, 0, 1, 0x65, i], i64::from(i)));
        }
        assert_eq!(rx.lost(), 3);
        let a = rx.try_recv().unwrap();
        assert_eq!(
            (a.data(), a.lost_before(), a.key()),
            (&[0, 0, 1, 0x65, 0][..], 0, true)
        );
        assert_eq!(a.params().sps, Some(&[0x67u8, 1, 2][..]));
        assert_eq!(a.params().pps, Some(&[0x68u8, 3][..]));
        assert_eq!(a.params().vps, None);
        assert_eq!(a.frame().data, a.data());
        drop(a);
        let b = rx.try_recv().unwrap();
        assert_eq!(b.pts(), Some(1));
        drop(b);
        tx.push(&frame(&[9], 9));
        let c = rx.try_recv().unwrap();
        assert_eq!(
            (c.data(), c.lost_before(), c.pts()),
            (&[9u8][..], 3, Some(9))
        );
        shared.close();
        drop(c);
        assert!(rx.recv().is_none());
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
            RecvTimeoutError::Stopped
        );
    }

    #[test]
    fn frames_cross_threads_in_order() {
        const N: i64 = 5_000;
        let (mut tx, mut rx, shared) = frame_queue(16);
        let consumer = thread::spawn(move || {
            let (mut next, mut received) = (0i64, 0u64);
            while let Some(f) = rx.recv() {
                let pts = f.pts().unwrap();
                assert_eq!(pts, next + i64::try_from(f.lost_before()).unwrap());
                assert_eq!(f.data(), &pts.to_le_bytes());
                next = pts + 1;
                received += 1;
            }
            (received, rx.lost())
        });
        for i in 0..N {
            tx.push(&frame(&i.to_le_bytes(), i));
        }
        shared.close();
        let (received, lost) = consumer.join().unwrap();
        assert_eq!(received + lost, N as u64);
    }
}
