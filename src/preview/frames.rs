//! Frames: the preview's packets demuxed on the SDK's thread into access units
//! ([`hcnetsdk_media::Demuxer`]), delivered to a closure
//! ([`PreviewBuilder::start_frames`]) or a bounded queue
//! ([`PreviewBuilder::start_frame_queue`]).
//!
//! The raw packet paths are untouched: the demuxer sits inside a packet closure and runs
//! in the trampoline's handler, under the same `busy` flag, with no lock and (once its
//! buffers have grown to the largest frame) no allocation per packet or frame.

use hcnetsdk_media::{Demuxer, Frame, MediaInfo};

use super::frame_queue::{FrameReceiver, frame_queue};
use super::{DataType, Deliver, Packet, PacketHandler, Preview, PreviewBuilder, QueueHandle};
use crate::error::{Error, Result};

/// The demuxer of one preview, fed from its packet handler.
#[derive(Debug)]
pub(super) struct FrameDemux {
    demuxer: Demuxer,
    /// Stream data has been pushed since the last system header.
    streaming: bool,
}

impl FrameDemux {
    pub(super) fn new() -> Self {
        Self {
            demuxer: Demuxer::new(),
            streaming: false,
        }
    }

    /// One packet of the SDK: the system header (type 1) gives the codecs, stream data goes
    /// to the demuxer. A system header after stream data means the SDK reconnected: the
    /// frame in progress is dropped and the next frame is flagged
    /// [`discontinuity`](Frame::discontinuity).
    #[inline]
    pub(super) fn packet(&mut self, p: Packet<'_>, on_frame: &mut impl FnMut(&Frame<'_>)) {
        match p.kind() {
            DataType::Stream => {
                self.streaming = true;
                self.demuxer.push(p.data(), |f| on_frame(f));
            }
            DataType::SysHead => self.header(p.data()),
            _ => {}
        }
    }

    /// Packets were dropped before the SDK handed us the next one (overlapping calls): the
    /// demuxer drops the frame in progress, resynchronises at the next pack header, and
    /// flags the next frame [`discontinuity`](Frame::discontinuity), so that no frame is
    /// built from the two ends of a gap.
    #[cold]
    pub(super) fn lost(&mut self, _packets: u64) {
        self.demuxer.lost(0);
    }

    #[cold]
    fn header(&mut self, data: &[u8]) {
        if self.streaming {
            self.demuxer.lost(0);
            self.streaming = false;
        }
        if let Some(info) = MediaInfo::parse(data) {
            self.demuxer.set_media_info(info);
        }
    }
}

/// The frames path as a preview's packet handler: the demuxer, then `on_frame`.
struct FramesHandler<H> {
    demux: FrameDemux,
    on_frame: H,
}

impl<H: FnMut(&Frame<'_>) + Send + 'static> PacketHandler for FramesHandler<H> {
    #[inline]
    fn packet(&mut self, p: Packet<'_>) {
        self.demux.packet(p, &mut self.on_frame);
    }

    fn lost(&mut self, n: u64) {
        self.demux.lost(n);
    }
}

/// Deliver frames to a closure (see [`PreviewBuilder::start_frames`]).
pub(crate) fn deliver_frames<D, F>(d: D, handler: F) -> Result<D::Handle>
where
    D: Deliver,
    F: FnMut(&Frame<'_>) + Send + 'static,
{
    let handler = FramesHandler {
        demux: FrameDemux::new(),
        on_frame: handler,
    };
    d.deliver(handler, None)
}

/// Deliver frames through a bounded queue of `capacity` (see
/// [`PreviewBuilder::start_frame_queue`]).
pub(crate) fn deliver_frame_queue<D: Deliver>(
    d: D,
    capacity: usize,
) -> Result<(D::Handle, FrameReceiver)> {
    if capacity == 0 {
        return Err(Error::invalid_input(
            "capacity",
            0,
            "queue at least 1 frame",
        ));
    }
    let (mut producer, receiver, queue) = frame_queue(capacity);
    let handler = FramesHandler {
        demux: FrameDemux::new(),
        on_frame: move |f: &Frame<'_>| producer.push(f),
    };
    let handle = d.deliver(handler, Some(QueueHandle(queue as _)))?;
    Ok((handle, receiver))
}

impl PreviewBuilder {
    /// Start the preview, demux its stream on the SDK's thread, and call `handler` with
    /// every frame: a whole H.264/H.265 access unit (Annex B, with the parameter sets in
    /// force) or one audio PES payload, borrowing the demuxer's buffer.
    ///
    /// **Latency:** a video frame is complete only when the next one starts (the PS carries
    /// no end-of-frame mark), so it is delivered with the first packet of the next frame:
    /// up to one frame interval after its last byte (40 ms at 25 fps) on a camera that sends
    /// each frame as it is encoded. The demuxer adds no wait of its own: measured against
    /// the mock (`tests/frames.rs`, `frame_latency`), the time from a frame's last packet
    /// callback to its delivery equals the gap to the next packet (median 63.0 ms, max
    /// 66.5 ms, with the mock sending one 2 KB pack every 63 ms at its clip's 260 kbit/s).
    /// Audio frames are delivered as soon as their PES is complete. The frame in progress
    /// when the preview stops is not delivered.
    ///
    /// **Loss:** an SDK reconnect (a new system header after stream data) drops the frame
    /// in progress and flags the next frame [`Frame::discontinuity`]; so do packets dropped
    /// before the demuxer (the SDK entering the callback on a second thread while the first
    /// call runs, [`PreviewStats::overlapping`](super::PreviewStats::overlapping): the
    /// demuxer then resynchronises at the next pack header, so no frame is built from the
    /// two ends of a gap), and garbage the demuxer had to skip. No allocation per frame once the demuxer's buffers have grown
    /// to the largest frame (`cargo bench --bench preview`, row "frames").
    ///
    /// The handler runs on the SDK's thread under the same rules as
    /// [`start`](Self::start): return quickly, do not panic.
    ///
    /// # Errors
    /// As for [`start`](Self::start).
    #[doc(alias = "NET_DVR_RealPlay_V40")]
    pub fn start_frames<F>(self, handler: F) -> Result<Preview>
    where
        F: FnMut(&Frame<'_>) + Send + 'static,
    {
        deliver_frames(self, handler)
    }

    /// Start the preview, demux it on the SDK's thread, and receive its frames through a
    /// bounded queue of `capacity` frames (at least 1), for a consumer on another thread
    /// (or, with feature `tokio`, a task: [`FrameReceiver`] is a `Stream`).
    ///
    /// Same design as [`start_queue`](Self::start_queue): frames are copied into a pool of
    /// `capacity` reusable buffers (each holding the frame and its parameter sets); when
    /// every buffer is queued or held, the **newest** frame is dropped and counted
    /// ([`FrameReceiver::lost`]), and the next frame delivered says how many were lost
    /// just before it ([`OwnedFrame::lost_before`](super::OwnedFrame::lost_before)) and is
    /// a [`discontinuity`](super::OwnedFrame::discontinuity); a decoder then waits for a
    /// keyframe. No allocation per frame once the buffers have
    /// grown to the largest frame. Latency as for [`start_frames`](Self::start_frames).
    ///
    /// # Errors
    /// As for [`start`](Self::start); also a `capacity` of 0.
    #[doc(alias = "NET_DVR_RealPlay_V40")]
    pub fn start_frame_queue(self, capacity: usize) -> Result<(Preview, FrameReceiver)> {
        deliver_frame_queue(self, capacity)
    }
}

#[cfg(test)]
#[path = "frames_tests.rs"]
mod tests;
