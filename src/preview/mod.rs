//! [`Preview`]: a live stream from one channel, delivered to a closure or a bounded queue.

//!
//! * this module: the public types and [`PreviewBuilder`] (with [`Session::preview`]);
//! * `handle`: the running [`Preview`];
//! * `ring`: the bounded, pooled single-consumer queue, generic over what a slot carries;
//! * `queue`: the packet queue of [`PreviewBuilder::start_queue`] on that ring;
//! * `frames`, `frame_queue`: frames (the demuxed stream) to a closure or a queue on the ring;
//! * the SDK's data callback itself is `crate::ffi::real_data`;
//! * [`Deliver`]: the four ways of delivery (closure, packet queue, frames, frame queue)
//!   written once, for a live preview (`NET_DVR_RealPlay_V40` registers the callback) and
//!   a playback (`NET_DVR_SetPlayDataCallBack_V40`, `crate::playback`).

mod frame_queue;
pub(crate) mod frames;
mod handle;
mod queue;
pub(crate) mod ring;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hcnetsdk_sys as sys;

pub use frame_queue::{FrameReceiver, OwnedFrame};
pub use handle::Preview;
pub use queue::{OwnedPacket, PacketReceiver, RecvTimeoutError};

use crate::error::{Error, Result};
use crate::events::{EventQueue, Route};
use crate::ffi::real_data::{ErasedBox, RealDataHandler, real_data_trampoline};
use crate::ffi::{self, channel_long, resolve};
use crate::session::Session;
use crate::sync::lock;
use ring::QueueControl;

/// Which of the channel's encoded streams to receive (`dwStreamType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum StreamType {
    /// Main stream: full resolution.
    #[default]
    Main,
    /// Sub stream: lower resolution and bitrate.
    Sub,
    /// Third stream, where the device has one.
    Third,
}

impl StreamType {
    /// The SDK's `dwStreamType` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u32 {
        match self {
            StreamType::Main => 0,
            StreamType::Sub => 1,
            StreamType::Third => 2,
        }
    }
}

/// How the stream travels from the device (`dwLinkMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LinkMode {
    /// TCP (the default; works through most firewalls).
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// Multicast (the device's configured multicast address).
    Multicast,
    /// RTP.
    Rtp,
    /// RTP over RTSP.
    RtpOverRtsp,
    /// RTP over HTTP.
    RtpOverHttp,
}

impl LinkMode {
    /// The SDK's `dwLinkMode` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u32 {
        match self {
            LinkMode::Tcp => 0,
            LinkMode::Udp => 1,
            LinkMode::Multicast => 2,
            LinkMode::Rtp => 3,
            LinkMode::RtpOverRtsp => 4,
            LinkMode::RtpOverHttp => 5,
        }
    }
}

/// What a packet holds (`dwDataType` of the real-data callback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataType {
    /// The stream header (`NET_DVR_SYSHEAD`): comes first; a player needs it to open the
    /// stream. Write it at the start of a file.
    SysHead,
    /// Muxed audio/video stream data (`NET_DVR_STREAMDATA`, a PS stream on most devices).
    Stream,
    /// Audio-only stream data (`NET_DVR_AUDIOSTREAMDATA`).
    Audio,
    /// Standard video data (`NET_DVR_STD_VIDEODATA`).
    StdVideo,
    /// Standard audio data (`NET_DVR_STD_AUDIODATA`).
    StdAudio,
    /// An SDP description (`NET_DVR_SDP`, RTSP links).
    Sdp,
    /// Metadata (`NET_DVR_METADATA_DATA`).
    Metadata,
    /// Private data (`NET_DVR_PRIVATE_DATA`).
    Private,
    /// Any other type; the value is `dwDataType`.
    Other(u32),
}

impl DataType {
    /// The type for the SDK's `dwDataType`.
    pub fn from_raw(raw: u32) -> Self {
        match raw {
            sys::NET_DVR_SYSHEAD => DataType::SysHead,
            sys::NET_DVR_STREAMDATA => DataType::Stream,
            sys::NET_DVR_AUDIOSTREAMDATA => DataType::Audio,
            sys::NET_DVR_STD_VIDEODATA => DataType::StdVideo,
            sys::NET_DVR_STD_AUDIODATA => DataType::StdAudio,
            sys::NET_DVR_SDP => DataType::Sdp,
            sys::NET_DVR_METADATA_DATA => DataType::Metadata,
            sys::NET_DVR_PRIVATE_DATA => DataType::Private,
            other => DataType::Other(other),
        }
    }

    /// The SDK's `dwDataType` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u32 {
        match self {
            DataType::SysHead => sys::NET_DVR_SYSHEAD,
            DataType::Stream => sys::NET_DVR_STREAMDATA,
            DataType::Audio => sys::NET_DVR_AUDIOSTREAMDATA,
            DataType::StdVideo => sys::NET_DVR_STD_VIDEODATA,
            DataType::StdAudio => sys::NET_DVR_STD_AUDIODATA,
            DataType::Sdp => sys::NET_DVR_SDP,
            DataType::Metadata => sys::NET_DVR_METADATA_DATA,
            DataType::Private => sys::NET_DVR_PRIVATE_DATA,
            DataType::Other(raw) => raw,
        }
    }
}

/// One packet, borrowed from the SDK for the duration of the callback (no copy, no
/// allocation).
#[derive(Debug, Clone, Copy)]
pub struct Packet<'a> {
    kind: DataType,
    data: &'a [u8],
}

impl<'a> Packet<'a> {
    /// What the packet holds.
    pub fn kind(&self) -> DataType {
        self.kind
    }

    /// The bytes. Valid only during the callback: copy what you keep.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the packet has no bytes (the SDK may deliver such packets).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Counters of a running preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PreviewStats {
    /// Packets the SDK delivered.
    pub packets: u64,
    /// Bytes the SDK delivered.
    pub bytes: u64,
    /// Packets a [`start_queue`](PreviewBuilder::start_queue) preview dropped because every
    /// buffer was queued or held by the consumer (0 for a closure).
    pub lost: u64,
    /// Packets dropped because the SDK entered the data callback for this preview on a
    /// second thread while a first call was still running the handler (0 unless the SDK
    /// delivers one stream's packets concurrently; see `crate::ffi::real_data`).
    pub overlapping: u64,
}

/// State shared between a preview, its callback and its events.
///
/// The counters are written only by the call that holds the callback state (the
/// trampoline's `busy` flag makes it exclusive), so they are updated with a plain load and
/// store rather than a read-modify-write; the preview reads them from any thread.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    panic: Mutex<Option<String>>,
    packets: AtomicU64,
    bytes: AtomicU64,
}

impl Shared {
    pub(crate) fn take_panic(&self) -> Option<Error> {
        let message = lock(&self.panic).take()?;
        Some(Error::callback_panicked("REALDATACALLBACK", message))
    }

    /// The counters, with the loss figures the handle keeps.
    pub(crate) fn stats(&self, lost: u64, overlapping: u64) -> PreviewStats {
        PreviewStats {
            packets: self.packets.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            lost,
            overlapping,
        }
    }
}

/// The queue a delivery fills, as its handle keeps it: a stop closes it, stats read its
/// loss count.
#[derive(Clone)]
pub(crate) struct QueueHandle(Arc<dyn QueueControl>);

impl QueueHandle {
    /// The stream ended or stopped: wake the consumer so that it sees the end.
    pub(crate) fn close(&self) {
        self.0.close();
    }

    /// Items dropped so far because every slot was in use.
    pub(crate) fn lost(&self) -> u64 {
        self.0.lost()
    }
}

/// What differs between a live preview and a playback when they start delivering: which
/// SDK function registers the data callback (`NET_DVR_RealPlay_V40` takes it with the
/// stream; a playback passes it to `NET_DVR_SetPlayDataCallBack_V40`), and what wraps the
/// handler (a playback adds its pacing and end-of-stream detection). The four ways of
/// delivery are written once over it: [`deliver_queue`], `frames::deliver_frames`,
/// `frames::deliver_frame_queue`, and a plain closure is `deliver(handler, None)`.
pub(crate) trait Deliver: Sized {
    /// The running stream.
    type Handle;
    /// Start with `handler` behind the data callback ([`callback_state`] boxes it);
    /// `queue` is the queue it fills, if any.
    fn deliver<F: PacketHandler>(
        self,
        handler: F,
        queue: Option<QueueHandle>,
    ) -> Result<Self::Handle>;
}

/// The boxed callback state for `handler`, the counters it writes, and the data callback
/// to register with it as `pUser` (for `NET_DVR_RealPlay_V40` or
/// `NET_DVR_SetPlayDataCallBack_V40`: the same `REALDATACALLBACK` shape).
pub(crate) fn callback_state<F: PacketHandler>(
    handler: F,
) -> (Arc<Shared>, ErasedBox, sys::REALDATACALLBACK) {
    let shared = Arc::new(Shared::default());
    let boxed = ErasedBox::new(HandlerState::new(handler, Arc::clone(&shared)));
    let trampoline: sys::REALDATACALLBACK = Some(real_data_trampoline::<HandlerState<F>>);
    (shared, boxed, trampoline)
}

/// Deliver packets through a bounded queue of `capacity` (see
/// [`PreviewBuilder::start_queue`]).
pub(crate) fn deliver_queue<D: Deliver>(
    d: D,
    capacity: usize,
) -> Result<(D::Handle, PacketReceiver)> {
    if capacity == 0 {
        return Err(Error::invalid_input(
            "capacity",
            0,
            "queue at least 1 packet",
        ));
    }
    let (mut producer, receiver, queue) = queue::packet_queue(capacity);
    let handle = d.deliver(
        move |p: Packet<'_>| producer.push(p),
        Some(QueueHandle(queue as _)),
    )?;
    Ok((handle, receiver))
}

/// What runs a preview's packets: a user's closure, or the frames path, which also needs
/// to know when packets were dropped before it (so that its demuxer resynchronises).
pub(crate) trait PacketHandler: Send + 'static {
    /// One packet.
    fn packet(&mut self, p: Packet<'_>);
    /// `n` packets were dropped (overlapping SDK calls) just before the next one.
    #[inline]
    fn lost(&mut self, n: u64) {
        let _ = n;
    }
}

impl<F: FnMut(Packet<'_>) + Send + 'static> PacketHandler for F {
    #[inline]
    fn packet(&mut self, p: Packet<'_>) {
        self(p);
    }
}

/// The state the SDK's `pUser` points to (inside the `ErasedBox`).
struct HandlerState<F> {
    handler: F,
    shared: Arc<Shared>,
    /// The handler panicked: deliver nothing more.
    poisoned: bool,
    /// [`CallbackHeader::overlapping`](crate::ffi::real_data) as of the previous packet.
    overlapping: u64,
}

impl<F> HandlerState<F> {
    fn new(handler: F, shared: Arc<Shared>) -> Self {
        Self {
            handler,
            shared,
            poisoned: false,
            overlapping: 0,
        }
    }
}

/// Add `n` to a counter that only the caller writes (no read-modify-write needed).
#[inline]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(
        counter.load(Ordering::Relaxed).wrapping_add(n),
        Ordering::Relaxed,
    );
}

impl<F: PacketHandler> RealDataHandler for HandlerState<F> {
    fn stopped(&self) -> bool {
        self.poisoned
    }

    #[inline]
    fn packet(&mut self, data_type: u32, data: &[u8], size: u32, overlapping: u64) {
        if overlapping != self.overlapping {
            self.handler
                .lost(overlapping.wrapping_sub(self.overlapping));
            self.overlapping = overlapping;
        }
        bump(&self.shared.packets, 1);
        bump(&self.shared.bytes, u64::from(size));
        let packet = Packet {
            kind: DataType::from_raw(data_type),
            data,
        };
        self.handler.packet(packet);
    }

    fn panicked(&mut self, message: String) {
        self.poisoned = true;
        lock(&self.shared.panic).get_or_insert(message);
    }
}

impl Session {
    /// Start describing a live preview of `channel`; see [`PreviewBuilder`].
    ///
    /// The channel is checked against the device when the preview starts.
    pub fn preview(&self, channel: u32) -> PreviewBuilder {
        PreviewBuilder::new(self.clone(), channel)
    }
}

/// Options for a live preview; see [`Session::preview`].
#[must_use]
#[derive(Debug, Clone)]
pub struct PreviewBuilder {
    session: Session,
    channel: u32,
    stream: StreamType,
    link: LinkMode,
    blocked: bool,
}

impl PreviewBuilder {
    fn new(session: Session, channel: u32) -> Self {
        Self {
            session,
            channel,
            stream: StreamType::Main,
            link: LinkMode::Tcp,
            blocked: true,
        }
    }

    /// Which stream (default [`StreamType::Main`]).
    pub fn stream(mut self, stream: StreamType) -> Self {
        self.stream = stream;
        self
    }

    /// How the stream travels (default [`LinkMode::Tcp`]).
    pub fn link(mut self, link: LinkMode) -> Self {
        self.link = link;
        self
    }

    /// Whether `NET_DVR_RealPlay_V40` waits until the stream is connected (`bBlocked`,
    /// default `true`), so that a refused stream fails the start rather than arriving
    /// later as an event.
    pub fn blocking(mut self, blocked: bool) -> Self {
        self.blocked = blocked;
        self
    }

    /// Start the preview, calling `handler` for every packet on the SDK's thread.
    ///
    /// The packet borrows the SDK's buffer: nothing is copied or allocated, and no lock is
    /// taken on the way to the handler. Calls never overlap: should the SDK enter the
    /// callback on a second thread while the handler runs, that packet is dropped and
    /// counted ([`PreviewStats::overlapping`]). The handler
    /// must return quickly (the SDK's network thread waits for it) and should not panic;
    /// a panic is caught, logged, stops further delivery, and is returned by the next call
    /// on the preview as a callback-panicked error.
    ///
    /// # Errors
    /// * a channel that is not on the device (before any SDK call);
    /// * the SDK's code from `NET_DVR_RealPlay_V40`, e.g. 4 (channel error), 23 (not
    ///   supported), 416 (too many links).
    #[doc(alias = "NET_DVR_RealPlay_V40")]
    #[doc(alias = "REALDATACALLBACK")]
    pub fn start<F>(self, handler: F) -> Result<Preview>
    where
        F: FnMut(Packet<'_>) + Send + 'static,
    {
        self.start_inner(handler, None)
    }

    /// Start the preview and receive its packets through a bounded queue of `capacity`
    /// packets (at least 1), for a consumer on another thread.
    ///
    /// Back-pressure: the SDK's thread never waits for the consumer. Packets are copied
    /// into a pool of `capacity` reusable buffers; when every buffer is queued or held by
    /// the consumer, the new packet is **dropped** and counted
    /// ([`PacketReceiver::lost`]), and the next packet delivered says how many were lost
    /// just before it ([`OwnedPacket::lost_before`]). After a loss a decoder needs a key
    /// frame: see [`Preview::request_key_frame`]. Once the buffers have grown to the
    /// largest packet size, no allocation happens per packet.
    ///
    /// # Errors
    /// As for [`start`](Self::start); also a `capacity` of 0.
    #[doc(alias = "NET_DVR_RealPlay_V40")]
    pub fn start_queue(self, capacity: usize) -> Result<(Preview, PacketReceiver)> {
        deliver_queue(self, capacity)
    }

    fn start_inner<F>(self, handler: F, queue: Option<Arc<dyn QueueControl>>) -> Result<Preview>
    where
        F: PacketHandler,
    {
        let session = self.session;
        let channel = session.check_channel(self.channel)?;
        let ctx = session.channel_context(channel);
        // Held across RealPlay: the session cannot log out under it.
        let live = session.live()?;
        let (shared, handler, trampoline) = callback_state(handler);
        let mut info = sys::NET_DVR_PREVIEWINFO {
            lChannel: channel_long(channel)?,
            dwStreamType: self.stream.raw(),
            dwLinkMode: self.link.raw(),
            bBlocked: u32::from(self.blocked),
            ..Default::default()
        };
        let user_id = live.user_id();
        let user = handler.user_ptr();
        // SAFETY: `info` is a live NET_DVR_PREVIEWINFO; the trampoline matches
        // REALDATACALLBACK for the state `user` points to (see `callback_state`),
        // kept alive until StopRealPlay has returned (see Preview's Drop).
        let result = resolve!(session.sdk().lib(), NET_DVR_RealPlay_V40).handle(&ctx, |f| unsafe {
            f(user_id, &raw mut info, trampoline, user)
        });
        let handle = match result {
            Ok(h) => h,
            Err(e) => {
                // SAFETY: RealPlay failed, so the SDK holds no handle that could call back.
                unsafe { handler.free() };
                return Err(e);
            }
        };
        let events = EventQueue::new();
        let route = Route::preview(handle, &events);
        tracing::info!(device = %ffi::DeviceDisplay(&ctx), channel, handle, stream = ?self.stream, link = ?self.link, "preview started");
        // Registered (or, when a logout has begun, stopped) while the login is still held.
        let preview = Preview::register(handle::Started {
            session: session.clone(),
            handle,
            channel,
            stream: self.stream,
            shared,
            handler,
            events,
            route,
            queue,
        });
        drop(live);
        preview
    }
}

impl Deliver for PreviewBuilder {
    type Handle = Preview;

    fn deliver<F: PacketHandler>(self, handler: F, queue: Option<QueueHandle>) -> Result<Preview> {
        self.start_inner(handler, queue.map(|q| q.0))
    }
}
