//! The bounded, pooled frame queue behind
//! [`PreviewBuilder::start_frame_queue`](super::PreviewBuilder::start_frame_queue): the same
//! single-consumer ring as the packet queue (`ring.rs`, see its docs), each slot carrying a
//! frame's fields ([`Meta`]) beside its bytes. A frame's buffer holds its bytes followed by
//! its parameter sets, so a frame is one slot.
//!
//! The SDK's thread (where the demuxer runs) never blocks and, once every slot's buffer has
//! grown to the largest frame, never allocates. When no slot is free the **newest** frame is
//! dropped and counted; the next frame queued carries that count
//! ([`OwnedFrame::lost_before`]).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_media::{Codec, Frame, ParamSets};

use super::ring::{Grow, Held, Producer, Receiver, RecvTimeoutError, Shared, ring};

/// A frame's fields, without its bytes (those are in the slot's buffer).
#[derive(Debug, Clone)]
pub(super) struct Meta {
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

impl Meta {
    /// What an unused slot holds.
    const EMPTY: Meta = Meta {
        stream: 0,
        codec: Codec::H264,
        pts: None,
        dts: None,
        key: false,
        discontinuity: false,
        data: 0,
        vps: None,
        sps: None,
        pps: None,
    };
}

/// Append `part` to `buf` and give its range.
fn append(buf: &mut Vec<u8>, part: Option<&[u8]>) -> Option<Range<usize>> {
    let part = part?;
    let start = buf.len();
    buf.extend_from_slice(part);
    Some(start..buf.len())
}

/// A new queue of `capacity` (≥ 1) frames: the producer for the handler, the receiver for
/// the user, and the shared part for the preview (stop closes it).
pub(super) fn frame_queue(capacity: usize) -> (FrameProducer, FrameReceiver, Arc<Shared<Meta>>) {
    let (producer, inner, shared) = ring(capacity, &Meta::EMPTY);
    (FrameProducer(producer), FrameReceiver { inner }, shared)
}

/// The SDK-thread end: lives in the preview's handler, after the demuxer.
pub(super) struct FrameProducer(Producer<Meta>);

impl FrameProducer {
    /// Called on the SDK's thread: never blocks; allocates only while buffers grow.
    pub(super) fn push(&mut self, frame: &Frame<'_>) {
        let p = frame.params;
        let len = frame.data.len()
            + [p.vps, p.sps, p.pps]
                .iter()
                .map(|x| x.map_or(0, <[u8]>::len))
                .sum::<usize>();
        // Every buffer grows to the largest frame seen so far as soon as it is reused, not
        // only when a frame does not fit (key frames are much larger than the others): once
        // the largest frame has come by and each buffer has been round once, nothing
        // allocates again.
        self.0.push(len, Grow::ToLargest, |buf| {
            buf.extend_from_slice(frame.data);
            Meta {
                stream: frame.stream,
                codec: frame.codec,
                pts: frame.pts,
                dts: frame.dts,
                key: frame.key,
                discontinuity: frame.discontinuity,
                data: frame.data.len(),
                vps: append(buf, p.vps),
                sps: append(buf, p.sps),
                pps: append(buf, p.pps),
            }
        });
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
    inner: Receiver<Meta>,
}

impl fmt::Debug for FrameReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameReceiver")
            .field("capacity", &self.capacity())
            .field("lost", &self.lost())
            .field("closed", &self.is_stopped())
            .finish_non_exhaustive()
    }
}

impl FrameReceiver {
    /// The next frame if one is queued.
    pub fn try_recv(&mut self) -> Option<OwnedFrame> {
        self.inner.try_recv().map(OwnedFrame)
    }

    /// Wait for the next frame; `None` once the preview has stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<OwnedFrame> {
        self.inner.recv().map(OwnedFrame)
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
        self.inner.recv_timeout(timeout).map(OwnedFrame)
    }

    /// Frames dropped so far because every buffer was in use.
    pub fn lost(&self) -> u64 {
        self.inner.lost()
    }

    /// Whether the preview has stopped (frames may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.inner.is_stopped()
    }

    /// The queue's capacity in frames.
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
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
        self.get_mut()
            .inner
            .poll_recv(cx)
            .map(|f| f.map(OwnedFrame))
    }
}

/// A frame taken from a [`FrameReceiver`]: an access unit and its parameter sets in one
/// pooled buffer, which goes back to the pool when the frame is dropped, on any thread.
pub struct OwnedFrame(Held<Meta>);

impl fmt::Debug for OwnedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.meta();
        f.debug_struct("OwnedFrame")
            .field("stream", &m.stream)
            .field("codec", &m.codec)
            .field("pts", &m.pts)
            .field("key", &m.key)
            .field("len", &m.data)
            .field("lost_before", &self.lost_before())
            .finish_non_exhaustive()
    }
}

impl OwnedFrame {
    #[inline]
    fn meta(&self) -> &Meta {
        &self.0.get().meta
    }

    /// The frame as the demuxer gave it (borrowing this buffer).
    pub fn frame(&self) -> Frame<'_> {
        let m = self.meta();
        Frame {
            stream: m.stream,
            codec: m.codec,
            pts: m.pts,
            dts: m.dts,
            key: m.key,
            discontinuity: self.discontinuity(),
            data: self.data(),
            params: self.params(),
        }
    }

    /// The access unit's bytes (Annex B for video, one PES payload for audio).
    pub fn data(&self) -> &[u8] {
        &self.0.get().buf[..self.meta().data]
    }

    /// The parameter sets in force (empty for audio).
    pub fn params(&self) -> ParamSets<'_> {
        let d = self.0.get();
        let part = |r: &Option<Range<usize>>| r.clone().map(|r| &d.buf[r]);
        ParamSets {
            vps: part(&d.meta.vps),
            sps: part(&d.meta.sps),
            pps: part(&d.meta.pps),
        }
    }

    /// PES stream id (0xE0-0xEF video, 0xC0-0xDF audio).
    pub fn stream(&self) -> u8 {
        self.meta().stream
    }

    /// The codec.
    pub fn codec(&self) -> Codec {
        self.meta().codec
    }

    /// Presentation time, 90 kHz ticks.
    pub fn pts(&self) -> Option<i64> {
        self.meta().pts
    }

    /// Decoding time, 90 kHz ticks.
    pub fn dts(&self) -> Option<i64> {
        self.meta().dts
    }

    /// A keyframe (always true for audio).
    pub fn key(&self) -> bool {
        self.meta().key
    }

    /// Whether this is a video frame.
    pub fn is_video(&self) -> bool {
        (0xe0..=0xef).contains(&self.meta().stream)
    }

    /// Input was lost before this frame (the demuxer resynchronised, packets were dropped
    /// before it, the SDK reconnected, or frames were dropped because the consumer fell
    /// behind: [`lost_before`](Self::lost_before)): a decoder should wait for a keyframe.
    pub fn discontinuity(&self) -> bool {
        self.meta().discontinuity || self.lost_before() > 0
    }

    /// Frames dropped just before this one because the consumer fell behind (0 normally).
    pub fn lost_before(&self) -> u64 {
        self.0.get().lost_before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

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

    /// Frames dropped by a full queue: the next frame delivered is a discontinuity.
    #[test]
    fn the_frame_after_a_gap_is_a_discontinuity() {
        let (mut tx, mut rx, _shared) = frame_queue(1);
        for i in 0..3u8 {
            tx.push(&frame(&[0, 0, 1, 0x65, i], i64::from(i)));
        }
        let a = rx.try_recv().unwrap();
        assert!(!a.discontinuity() && !a.frame().discontinuity);
        drop(a);
        tx.push(&frame(&[9], 9));
        let b = rx.try_recv().unwrap();
        assert_eq!(b.lost_before(), 2);
        assert!(b.discontinuity() && b.frame().discontinuity);
        drop(b);
        tx.push(&frame(&[10], 10));
        let c = rx.try_recv().unwrap();
        assert!(!c.discontinuity() && !c.frame().discontinuity);
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
