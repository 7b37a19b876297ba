//! [`Preview`]: a live stream from one channel, delivered to a closure or a bounded queue.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::{CString, c_void};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use crate::call::{self, resolve};
use crate::error::{Context, Error, Result};
use crate::events::{Event, EventQueue, Route};
use crate::session::Session;

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
    fn raw(self) -> u32 {
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
    fn raw(self) -> u32 {
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

    /// The SDK's `dwDataType`.
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
}

/// Counters of a running preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PreviewStats {
    /// Packets the SDK delivered.
    pub packets: u64,
    /// Bytes the SDK delivered.
    pub bytes: u64,
}

/// State shared between a preview, its callback and its events.
#[derive(Debug, Default)]
struct Shared {
    panic: Mutex<Option<String>>,
    poisoned: AtomicBool,
    packets: AtomicU64,
    bytes: AtomicU64,
}

impl Shared {
    fn record_panic(&self, message: String) {
        self.poisoned.store(true, Ordering::Release);
        let mut slot = self.panic.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(message);
    }

    fn take_panic(&self) -> Option<Error> {
        let message = self
            .panic
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        Some(Error::callback_panicked("REALDATACALLBACK", message))
    }
}

/// The boxed state the SDK's `pUser` points to.
struct HandlerState<F> {
    handler: Mutex<F>,
    shared: Arc<Shared>,
}

/// The one trampoline for `REALDATACALLBACK`, monomorphised per handler type.
///
/// # Safety
/// `user` must be NULL or point to a live `HandlerState<F>`.
unsafe extern "system" fn real_data_trampoline<F>(
    _handle: sys::LONG,
    data_type: sys::DWORD,
    buffer: *mut sys::BYTE,
    size: sys::DWORD,
    user: *mut c_void,
) where
    F: FnMut(Packet<'_>) + Send + 'static,
{
    if user.is_null() {
        return;
    }
    // SAFETY: `user` is the HandlerState<F> passed to NET_DVR_RealPlay_V40; it is freed only
    // after NET_DVR_StopRealPlay returned, after which the SDK makes no more calls.
    let state = unsafe { &*user.cast::<HandlerState<F>>() };
    if state.shared.poisoned.load(Ordering::Acquire) {
        return;
    }
    let data: &[u8] = if buffer.is_null() || size == 0 {
        &[]
    } else {
        // SAFETY: the SDK passes `size` readable bytes at `buffer`, valid during the call.
        unsafe { std::slice::from_raw_parts(buffer, size as usize) }
    };
    state.shared.packets.fetch_add(1, Ordering::Relaxed);
    state
        .shared
        .bytes
        .fetch_add(u64::from(size), Ordering::Relaxed);
    let packet = Packet {
        kind: DataType::from_raw(data_type),
        data,
    };
    let outer = RUNNING
        .try_with(|r| r.replace(user))
        .unwrap_or(std::ptr::null_mut());
    let outcome = call::catch_panic("real-data callback", || {
        let mut handler = state.handler.lock().unwrap_or_else(PoisonError::into_inner);
        (handler)(packet);
    });
    let _ = RUNNING.try_with(|r| r.set(outer));
    if let Err(message) = outcome {
        state.shared.record_panic(message);
    }
    // The handler stopped its own preview (see `Preview::do_stop`): the SDK makes no more
    // calls with `user`, and this call no longer uses `state`, so free it now.
    let free_now = FREE_ON_RETURN
        .try_with(|f| {
            if f.get() == user {
                f.set(std::ptr::null_mut());
                true
            } else {
                false
            }
        })
        .unwrap_or(false);
    if free_now {
        // SAFETY: `user` is the Box<HandlerState<F>> that `do_stop` handed over to this
        // running callback instead of freeing it; StopRealPlay has returned, and `state` is
        // not used after this point.
        drop(unsafe { Box::from_raw(user.cast::<HandlerState<F>>()) });
    }
}

thread_local! {
    /// The handler state whose handler this thread is running (NULL outside callbacks).
    static RUNNING: Cell<*mut c_void> = const { Cell::new(std::ptr::null_mut()) };
    /// A handler state that a stop from inside its own handler handed to the running
    /// callback, to be freed once the handler has returned.
    static FREE_ON_RETURN: Cell<*mut c_void> = const { Cell::new(std::ptr::null_mut()) };
}

/// Whether this thread is inside the handler whose state is `ptr`.
fn running_handler(ptr: *mut c_void) -> bool {
    RUNNING.try_with(|r| r.get() == ptr).unwrap_or(false)
}

/// A type-erased `Box<HandlerState<F>>`, freed explicitly (never by `Drop`).
struct ErasedBox {
    ptr: *mut c_void,
    free: unsafe fn(*mut c_void),
}

// SAFETY: the box holds a HandlerState<F> with F: Send (so Mutex<F> is Send + Sync) and an
// Arc<Shared> (Send + Sync). ErasedBox itself only carries the pointer; the pointee is
// accessed by the SDK's callback thread through a shared reference.
unsafe impl Send for ErasedBox {}
// SAFETY: as above; `&ErasedBox` gives no access to the pointee.
unsafe impl Sync for ErasedBox {}

impl ErasedBox {
    fn new<F: FnMut(Packet<'_>) + Send + 'static>(state: Box<HandlerState<F>>) -> Self {
        unsafe fn free<F>(ptr: *mut c_void) {
            // SAFETY: `ptr` came from Box::into_raw of a Box<HandlerState<F>> (see `new`)
            // and is freed once.
            drop(unsafe { Box::from_raw(ptr.cast::<HandlerState<F>>()) });
        }
        Self {
            ptr: Box::into_raw(state).cast(),
            free: free::<F>,
        }
    }

    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer.
    unsafe fn free(self) {
        // SAFETY: the caller guarantees nobody uses the pointer any more.
        unsafe { (self.free)(self.ptr) }
    }

    /// Free the state once the SDK has promised no more calls with it: now, or, when this
    /// thread is inside the state's own handler (the handler stopped its own preview), as
    /// soon as that handler returns.
    ///
    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer other than the
    /// one in progress on this thread, if any.
    unsafe fn free_after_callback(self) {
        if running_handler(self.ptr) {
            let ptr = self.ptr;
            if FREE_ON_RETURN.try_with(|f| f.set(ptr)).is_err() {
                tracing::warn!(
                    "cannot hand the callback state over to the running callback; it is leaked"
                );
            }
        } else {
            // SAFETY: no call is in progress on this thread, and the caller guarantees none
            // will start.
            unsafe { self.free() }
        }
    }
}

/// Options for a live preview; see [`Session::preview`].
#[must_use]
#[derive(Debug, Clone)]
pub struct PreviewBuilder<'s> {
    session: &'s Session,
    channel: u32,
    stream: StreamType,
    link: LinkMode,
    blocked: bool,
}

impl<'s> PreviewBuilder<'s> {
    pub(crate) fn new(session: &'s Session, channel: u32) -> Self {
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
    /// The packet borrows the SDK's buffer: nothing is copied or allocated. The handler
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
    pub fn start<F>(self, handler: F) -> Result<Preview<'s>>
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
    pub fn start_queue(self, capacity: usize) -> Result<(Preview<'s>, PacketReceiver)> {
        if capacity == 0 {
            return Err(Error::invalid_input(
                "capacity",
                0,
                "queue at least 1 packet",
            ));
        }
        let queue = Arc::new(PacketQueue::new(capacity));
        let producer = Arc::clone(&queue);
        let preview = self.start_inner(
            move |p: Packet<'_>| producer.push(p),
            Some(Arc::clone(&queue)),
        )?;
        Ok((preview, PacketReceiver { queue }))
    }

    fn start_inner<F>(self, handler: F, queue: Option<Arc<PacketQueue>>) -> Result<Preview<'s>>
    where
        F: FnMut(Packet<'_>) + Send + 'static,
    {
        let session = self.session;
        let channel = session.check_channel(self.channel)?;
        let ctx = session.channel_context(channel);
        let shared = Arc::new(Shared::default());
        let handler = ErasedBox::new(Box::new(HandlerState {
            handler: Mutex::new(handler),
            shared: Arc::clone(&shared),
        }));
        let mut info = sys::NET_DVR_PREVIEWINFO {
            lChannel: channel,
            dwStreamType: self.stream.raw(),
            dwLinkMode: self.link.raw(),
            bBlocked: u32::from(self.blocked),
            ..Default::default()
        };
        let user_id = session.user_id();
        let trampoline: sys::REALDATACALLBACK = Some(real_data_trampoline::<F>);
        // SAFETY: `info` is a live NET_DVR_PREVIEWINFO; the trampoline matches
        // REALDATACALLBACK for this F and `handler.ptr` is the HandlerState<F> it expects,
        // kept alive until StopRealPlay has returned (see Preview's Drop).
        let result = resolve!(session.sdk().lib(), NET_DVR_RealPlay_V40).handle(&ctx, |f| unsafe {
            f(user_id, &raw mut info, trampoline, handler.ptr)
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
        tracing::info!(device = %call::DeviceDisplay(&ctx), channel, handle, stream = ?self.stream, link = ?self.link, "preview started");
        Ok(Preview {
            session,
            handle,
            channel,
            stream: self.stream,
            shared,
            handler: Some(handler),
            events,
            route: Some(route),
            queue,
            stopped: false,
        })
    }
}

/// A live preview of one channel. Stops (`NET_DVR_StopRealPlay`) when dropped.
///
/// It borrows its [`Session`], so the session cannot log out while it runs:
///
/// ```compile_fail,E0597
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let preview;
/// {
///     let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
///     preview = session.preview(1).start(|_packet| {})?; // error[E0597]: `session` does not live long enough
/// }
/// drop(preview);
/// # Ok(()) }
/// ```
///
/// The callback state is freed only after `NET_DVR_StopRealPlay` has returned, when the
/// SDK has promised no more calls; if StopRealPlay fails, the state is leaked rather than
/// risk a late callback touching freed memory. Should a handler stop or drop its own
/// preview (possible when the session is `'static`; Hikvision advises against calling
/// `NET_DVR_StopRealPlay` from the data callback, and a real SDK may block there), the
/// state is freed only when that last callback has returned, never under it.
pub struct Preview<'s> {
    session: &'s Session,
    handle: i32,
    channel: i32,
    stream: StreamType,
    shared: Arc<Shared>,
    handler: Option<ErasedBox>,
    events: Arc<EventQueue>,
    route: Option<Route>,
    queue: Option<Arc<PacketQueue>>,
    stopped: bool,
}

impl fmt::Debug for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Preview")
            .field("session", self.session)
            .field("handle", &self.handle)
            .field("channel", &self.channel)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl<'s> Preview<'s> {
    /// The SDK's real-play handle.
    pub fn handle(&self) -> i32 {
        self.handle
    }

    /// The channel.
    pub fn channel(&self) -> u32 {
        self.channel as u32
    }

    /// The stream.
    pub fn stream(&self) -> StreamType {
        self.stream
    }

    /// The session it belongs to.
    pub fn session(&self) -> &'s Session {
        self.session
    }

    /// Packets and bytes received so far.
    pub fn stats(&self) -> PreviewStats {
        PreviewStats {
            packets: self.shared.packets.load(Ordering::Relaxed),
            bytes: self.shared.bytes.load(Ordering::Relaxed),
        }
    }

    fn context(&self) -> Context {
        self.session
            .channel_context(self.channel)
            .with_handle(self.handle)
    }

    /// A panic caught in the callback since the last call, as an error.
    fn check_panic(&self) -> Result<()> {
        match self.shared.take_panic() {
            Some(e) => Err(e.with_context(self.context())),
            None => Ok(()),
        }
    }

    /// Record the stream to `path` as the SDK writes it (`NET_DVR_SaveRealData`), until
    /// [`stop_saving`](Self::stop_saving) or the preview stops.
    ///
    /// # Errors
    /// * a panic caught in the packet callback since the last call;
    /// * a path over 255 bytes or with a NUL byte (before any SDK call);
    /// * the SDK's code, e.g. 34 (cannot create the file).
    #[doc(alias = "NET_DVR_SaveRealData")]
    pub fn save_to_file(&self, path: impl AsRef<Path>) -> Result<()> {
        self.check_panic()?;
        let path = path.as_ref();
        let shown = path.display().to_string();
        let c = path_to_cstring(path)
            .filter(|c| c.as_bytes().len() < sys::NET_SDK_MAX_FILE_PATH as usize)
            .ok_or_else(|| {
                Error::invalid_input(
                    "path",
                    &shown,
                    "use a path of at most 255 bytes without NUL bytes",
                )
            })?;
        let handle = self.handle;
        // SAFETY: `c` is a NUL-terminated path that lives across the call; the SDK copies it.
        resolve!(self.session.sdk().lib(), NET_DVR_SaveRealData).bool(&self.context(), |f| unsafe {
            f(handle, c.as_ptr().cast_mut())
        })
    }

    /// Stop recording started by [`save_to_file`](Self::save_to_file).
    ///
    /// # Errors
    /// A panic caught in the packet callback since the last call; the SDK's code.
    #[doc(alias = "NET_DVR_StopSaveRealData")]
    pub fn stop_saving(&self) -> Result<()> {
        self.check_panic()?;
        let handle = self.handle;
        // SAFETY: a LONG by value; the handle is live (owned by self).
        resolve!(self.session.sdk().lib(), NET_DVR_StopSaveRealData)
            .bool(&self.context(), |f| unsafe { f(handle) })
    }

    /// Ask the device for a key frame now (after packet loss, or to start a file on one).
    ///
    /// # Errors
    /// * a panic caught in the packet callback since the last call;
    /// * on the third stream, which has no key-frame request (before any SDK call);
    /// * the SDK's code.
    #[doc(alias = "NET_DVR_MakeKeyFrame")]
    #[doc(alias = "NET_DVR_MakeKeyFrameSub")]
    pub fn request_key_frame(&self) -> Result<()> {
        self.check_panic()?;
        let (user_id, channel) = (self.session.user_id(), self.channel);
        let ctx = self.context();
        let lib = self.session.sdk().lib();
        match self.stream {
            StreamType::Main => {
                let make = resolve!(lib, NET_DVR_MakeKeyFrame);
                // SAFETY: two LONGs by value.
                make.bool(&ctx, |f| unsafe { f(user_id, channel) })
            }
            StreamType::Sub => {
                let make = resolve!(lib, NET_DVR_MakeKeyFrameSub);
                // SAFETY: two LONGs by value.
                make.bool(&ctx, |f| unsafe { f(user_id, channel) })
            }
            StreamType::Third => Err(Error::invalid_input(
                "stream",
                "Third",
                "the SDK can request key frames on the main and sub streams only",
            )
            .with_context(ctx)),
        }
    }

    /// The next exception or reconnect event for this stream (stream broke,
    /// reconnecting, reconnected, gave up), waiting up to `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.events.next_timeout(timeout)
    }

    /// The next event, if one is waiting.
    pub fn try_next_event(&self) -> Option<Event> {
        self.events.try_next()
    }

    /// Stop the preview and report the result (dropping it stops too, ignoring errors).
    ///
    /// # Errors
    /// A panic caught in the packet callback that no call has reported yet; the SDK's code
    /// from `NET_DVR_StopRealPlay`.
    #[doc(alias = "NET_DVR_StopRealPlay")]
    pub fn stop(mut self) -> Result<()> {
        let stopped = self.do_stop();
        self.check_panic()?;
        stopped
    }

    fn do_stop(&mut self) -> Result<()> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        self.route = None;
        let handle = self.handle;
        let ctx = self.context();
        // SAFETY: a LONG by value; the handle is live and stopped once.
        let result = resolve!(self.session.sdk().lib(), NET_DVR_StopRealPlay)
            .bool(&ctx, |f| unsafe { f(handle) });
        match (&result, self.handler.take()) {
            // SAFETY: StopRealPlay returned success, so the SDK makes no more callbacks
            // with this pointer; one running on this thread (a handler stopping its own
            // preview) frees it when it returns.
            (Ok(()), Some(h)) => unsafe { h.free_after_callback() },
            (Err(_), Some(_leaked)) => {
                tracing::warn!(
                    handle,
                    "NET_DVR_StopRealPlay failed; the callback state is leaked so that a late callback cannot touch freed memory"
                );
            }
            (_, None) => {}
        }
        if let Some(q) = &self.queue {
            q.close();
        }
        tracing::info!(device = %call::DeviceDisplay(&ctx), channel = self.channel, handle, "preview stopped");
        result
    }
}

impl Drop for Preview<'_> {
    fn drop(&mut self) {
        // Failures are logged by the call layer.
        let _ = self.do_stop();
        if let Some(e) = self.shared.take_panic() {
            tracing::warn!(handle = self.handle, error = %e, "a callback panic was never reported through a call");
        }
    }
}

#[cfg(unix)]
fn path_to_cstring(path: &Path) -> Option<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes()).ok()
}

#[cfg(not(unix))]
fn path_to_cstring(path: &Path) -> Option<CString> {
    CString::new(path.to_str()?.as_bytes()).ok()
}

// ---- the bounded queue -------------------------------------------------------------

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

struct PacketQueue {
    state: Mutex<QueueState>,
    ready: Condvar,
    capacity: usize,
}

impl PacketQueue {
    fn new(capacity: usize) -> Self {
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
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called on the SDK's thread: never blocks beyond the short lock.
    fn push(&self, packet: Packet<'_>) {
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

    fn close(&self) {
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

/// The consumer end of [`PreviewBuilder::start_queue`]. It may outlive the preview: once
/// the preview has stopped and the queue is drained, [`recv`](Self::recv) returns `None`.
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
    fn take(&self, s: &mut QueueState) -> Option<OwnedPacket> {
        s.queued.pop_front().map(|slot| OwnedPacket {
            kind: slot.kind,
            buf: slot.buf,
            lost_before: slot.lost_before,
            queue: Arc::clone(&self.queue),
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
            s = self
                .queue
                .ready
                .wait(s)
                .unwrap_or_else(PoisonError::into_inner);
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
            s = self
                .queue
                .ready
                .wait_timeout(s, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
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
        if self.buf.capacity() > 0 || !self.buf.is_empty() {
            let buf = std::mem::take(&mut self.buf);
            self.queue.give_back(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    // Counts allocations per thread, to prove the packet path allocates nothing in steady
    // state. The counter is a const thread-local Cell, which itself never allocates.
    struct Counting;
    thread_local! {
        static ALLOCS: Cell<u64> = const { Cell::new(0) };
    }
    // SAFETY: delegates to the system allocator; only counts.
    unsafe impl std::alloc::GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
            let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
            // SAFETY: forwarded unchanged.
            unsafe { std::alloc::System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
            // SAFETY: forwarded unchanged.
            unsafe { std::alloc::System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(
            &self,
            ptr: *mut u8,
            layout: std::alloc::Layout,
            new_size: usize,
        ) -> *mut u8 {
            let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
            // SAFETY: forwarded unchanged.
            unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
        }
    }
    #[global_allocator]
    static GLOBAL: Counting = Counting;

    fn allocs() -> u64 {
        ALLOCS.with(Cell::get)
    }

    type Trampoline =
        unsafe extern "system" fn(sys::LONG, sys::DWORD, *mut sys::BYTE, sys::DWORD, *mut c_void);

    /// Box a handler exactly as `start` does, and return the trampoline the SDK would get.
    fn erased<F: FnMut(Packet<'_>) + Send + 'static>(f: F) -> (ErasedBox, Arc<Shared>, Trampoline) {
        let shared = Arc::new(Shared::default());
        let b = ErasedBox::new(Box::new(HandlerState {
            handler: Mutex::new(f),
            shared: Arc::clone(&shared),
        }));
        (b, shared, real_data_trampoline::<F>)
    }

    /// Call the trampoline as the SDK would.
    fn deliver(t: Trampoline, state: &ErasedBox, kind: u32, data: &mut [u8]) {
        // SAFETY: `t` was instantiated for the HandlerState type behind `state.ptr`; the
        // buffer is live for the call.
        unsafe { t(5, kind, data.as_mut_ptr(), data.len() as u32, state.ptr) }
    }

    #[test]
    fn closure_path_allocates_nothing_per_packet() {
        let total = Arc::new(AtomicU64::new(0));
        let t = Arc::clone(&total);
        let (state, shared, tramp) = erased(move |p: Packet<'_>| {
            assert_eq!(p.kind(), DataType::Stream);
            t.fetch_add(p.data().len() as u64, Ordering::Relaxed);
        });
        let mut data = vec![7u8; 4096];
        deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
        let before = allocs();
        for _ in 0..1000 {
            deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
        }
        assert_eq!(allocs() - before, 0, "the closure path allocated");
        assert_eq!(total.load(Ordering::Relaxed), 1001 * 4096);
        assert_eq!(shared.packets.load(Ordering::Relaxed), 1001);
        // SAFETY: nothing calls back with this state any more.
        unsafe { state.free() };
    }

    #[test]
    fn queue_path_allocates_nothing_per_packet_in_steady_state() {
        let queue = Arc::new(PacketQueue::new(4));
        let rx = PacketReceiver {
            queue: Arc::clone(&queue),
        };
        let producer = Arc::clone(&queue);
        let (state, _shared, tramp) = erased(move |p: Packet<'_>| producer.push(p));
        let mut data = vec![1u8; 8192];
        let mut feed = |n: usize| {
            for i in 0..n {
                data[0] = i as u8;
                deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
                let p = rx.try_recv().expect("queued");
                assert_eq!(p.data()[0], i as u8);
                assert_eq!(p.len(), 8192);
                assert_eq!(p.kind(), DataType::Stream);
            }
        };
        // Warm-up: the pool grows its buffers to the packet size.
        feed(8);
        let before = allocs();
        feed(1000);
        assert_eq!(
            allocs() - before,
            0,
            "the queue path allocated in steady state"
        );
        // SAFETY: nothing calls back with this state any more.
        unsafe { state.free() };
    }

    #[test]
    fn trampoline_catches_a_panic_and_stops_delivery() {
        let calls = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&calls);
        let (state, shared, tramp) = erased(move |_p: Packet<'_>| {
            c.fetch_add(1, Ordering::Relaxed);
            panic!("handler bug");
        });
        let mut data = [0u8; 4];
        deliver(tramp, &state, 2, &mut data);
        deliver(tramp, &state, 2, &mut data);
        assert_eq!(
            calls.load(Ordering::Relaxed),
            1,
            "a poisoned handler must not be called again"
        );
        let err = shared.take_panic().expect("panic recorded");
        assert_eq!(err.call(), Some("REALDATACALLBACK"));
        assert!(
            err.to_string().contains("handler bug") || format!("{err:#}").contains("handler bug")
        );
        assert!(shared.take_panic().is_none(), "reported once");
        // SAFETY: nothing calls back with this state any more.
        unsafe { state.free() };
    }

    #[test]
    fn null_buffer_is_an_empty_packet() {
        let seen = Arc::new(AtomicU64::new(u64::MAX));
        let s = Arc::clone(&seen);
        let (state, _shared, tramp) =
            erased(move |p: Packet<'_>| s.store(p.data().len() as u64, Ordering::Relaxed));
        // SAFETY: NULL buffer with size 0, as the SDK may send for headers-only events.
        unsafe { tramp(1, 1, std::ptr::null_mut(), 0, state.ptr) };
        assert_eq!(seen.load(Ordering::Relaxed), 0);
        // SAFETY: NULL user pointer is ignored.
        unsafe { tramp(1, 1, std::ptr::null_mut(), 0, std::ptr::null_mut()) };
        // SAFETY: nothing calls back with this state any more.
        unsafe { state.free() };
    }

    #[test]
    fn full_queue_drops_newest_and_reports_the_gap() {
        let queue = Arc::new(PacketQueue::new(2));
        let rx = PacketReceiver {
            queue: Arc::clone(&queue),
        };
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
        let rx = PacketReceiver {
            queue: Arc::clone(&queue),
        };
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
            let p = rx.try_recv().expect("a normal packet after empty ones is queued");
            assert_eq!((p.data(), p.lost_before()), (&[i, 1, 2][..], 0));
        }
        assert_eq!(rx.lost(), 0, "packets were counted as lost");
    }

    #[test]
    fn data_types_round_trip() {
        for raw in [1, 2, 3, 4, 5, 6, 107, 112, 999] {
            assert_eq!(DataType::from_raw(raw).raw(), raw);
        }
        assert_eq!(DataType::from_raw(1), DataType::SysHead);
    }
}
