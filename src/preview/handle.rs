//! [`Preview`]: a running live stream.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::queue::QueueShared;
use super::{PreviewStats, Shared, StreamType};
use crate::error::{Context, Error, Result};
use crate::events::{Event, EventQueue, Route};
use crate::ffi::real_data::ErasedBox;
use crate::ffi::{self, channel_long, cstr, resolve};
use crate::session::Session;

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
    pub(super) session: &'s Session,
    pub(super) handle: i32,
    pub(super) channel: u32,
    pub(super) stream: StreamType,
    pub(super) shared: Arc<Shared>,
    pub(super) handler: Option<ErasedBox>,
    pub(super) events: Arc<EventQueue>,
    pub(super) route: Option<Route>,
    pub(super) queue: Option<Arc<QueueShared>>,
    pub(super) stopped: bool,
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
        self.channel
    }

    /// The stream.
    pub fn stream(&self) -> StreamType {
        self.stream
    }

    /// The session it belongs to.
    pub fn session(&self) -> &'s Session {
        self.session
    }

    /// Packets and bytes received so far, and packets dropped (a full queue; overlapping
    /// callbacks).
    pub fn stats(&self) -> PreviewStats {
        PreviewStats {
            packets: self.shared.packets.load(Ordering::Relaxed),
            bytes: self.shared.bytes.load(Ordering::Relaxed),
            lost: self.queue.as_ref().map_or(0, |q| q.lost()),
            overlapping: self
                .handler
                .as_ref()
                .map_or(0, |h| h.header().overlapping()),
        }
    }

    fn context(&self) -> Context {
        self.session
            .channel_context(self.channel)
            .with_handle(self.handle)
    }

    /// [`context`](Self::context), built only if a call fails (see `ffi::CallContext`).
    fn lazy_context(&self) -> impl Fn() -> Context + use<'_, 's> {
        move || self.context()
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
        let c = cstr::path_cstring("path", path, sys::NET_SDK_MAX_FILE_PATH as usize)?;
        let handle = self.handle;
        // SAFETY: `c` is a NUL-terminated path that lives across the call; the SDK copies it.
        resolve!(self.session.sdk().lib(), NET_DVR_SaveRealData)
            .bool(&self.lazy_context(), |f| unsafe {
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
            .bool(&self.lazy_context(), |f| unsafe { f(handle) })
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
        let (user_id, channel) = (self.session.user_id(), channel_long(self.channel)?);
        let ctx = self.lazy_context();
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
            .with_context(ctx())),
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
        tracing::info!(device = %ffi::DeviceDisplay(&ctx), channel = self.channel, handle, "preview stopped");
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
