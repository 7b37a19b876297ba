//! [`Preview`]: a running live stream.

use std::fmt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock, RwLockReadGuard, TryLockError, Weak};
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::ring::QueueControl;
use super::{PreviewStats, Shared, StreamType};
use crate::error::{Context, Error, Result};
use crate::events::{Event, EventKind, EventQueue, Route};
use crate::ffi::real_data::ErasedBox;
use crate::ffi::{self, channel_long, cstr, resolve};
use crate::reaper;
use crate::session::{Session, SessionHandle};
use crate::sync::{read, write};

/// A live preview of one channel. Stops (`NET_DVR_StopRealPlay`) when dropped.
///
/// It holds a clone of its [`Session`], so it is `'static`, can move to another thread or
/// task, and keeps the login alive: dropping the session first leaves the preview
/// streaming, and the logout happens when the preview goes. An explicit
/// [`Session::logout`] stops it first: it then receives
/// [`EventKind::StoppedByLogout`], and its calls fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut).
///
/// The callback state is freed only after `NET_DVR_StopRealPlay` has returned, when the
/// SDK has promised no more calls; if StopRealPlay fails, the state is leaked rather than
/// risk a late callback touching freed memory. A preview dropped or stopped inside an SDK
/// callback (its own packet handler, say) is stopped on a thread of this crate instead,
/// since the real SDK may wait for the running callback; its state is freed once that
/// callback has returned.
pub struct Preview {
    inner: Arc<PreviewInner>,
}

/// What the builder hands over once `NET_DVR_RealPlay_V40` has returned a handle.
pub(super) struct Started {
    pub(super) session: Session,
    pub(super) handle: i32,
    pub(super) channel: u32,
    pub(super) stream: StreamType,
    pub(super) shared: Arc<Shared>,
    pub(super) handler: ErasedBox,
    pub(super) events: Arc<EventQueue>,
    pub(super) route: Route,
    pub(super) queue: Option<Arc<dyn QueueControl>>,
}

struct PreviewInner {
    session: Session,
    handle: i32,
    channel: u32,
    stream: StreamType,
    shared: Arc<Shared>,
    events: Arc<EventQueue>,
    queue: Option<Arc<dyn QueueControl>>,
    /// Write-held while stopping; read-held across calls that use the handle.
    state: RwLock<RunState>,
}

struct RunState {
    stopped: Option<StopReason>,
    handler: Option<ErasedBox>,
    route: Option<Route>,
    /// The registration with the session, once made.
    registration: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopReason {
    /// By its owner: `stop` or drop.
    Owner,
    /// Its session logged out.
    Logout,
}

impl fmt::Debug for Preview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Preview")
            .field("session", &i.session)
            .field("handle", &i.handle)
            .field("channel", &i.channel)
            .field("stream", &i.stream)
            .finish_non_exhaustive()
    }
}

impl Preview {
    /// Wrap a started stream and register it with its session. A logout that began
    /// meanwhile stops it at once and fails the start.
    pub(super) fn register(started: Started) -> Result<Self> {
        let Started {
            session,
            handle,
            channel,
            stream,
            shared,
            handler,
            events,
            route,
            queue,
        } = started;
        let inner = Arc::new(PreviewInner {
            session,
            handle,
            channel,
            stream,
            shared,
            events,
            queue,
            state: RwLock::new(RunState {
                stopped: None,
                handler: Some(handler),
                route: Some(route),
                registration: None,
            }),
        });
        let weak: Weak<dyn SessionHandle> = Arc::downgrade(&inner) as Weak<PreviewInner>;
        match inner.session.register(weak) {
            Some(id) => {
                let mut st = write(&inner.state);
                if st.stopped.is_none() {
                    st.registration = Some(id);
                }
            }
            None => {
                let _ = inner.stop(StopReason::Logout);
                return Err(Error::logged_out("the preview", inner.context()));
            }
        }
        Ok(Self { inner })
    }

    /// The SDK's real-play handle.
    pub fn handle(&self) -> i32 {
        self.inner.handle
    }

    /// The channel.
    pub fn channel(&self) -> u32 {
        self.inner.channel
    }

    /// The stream.
    pub fn stream(&self) -> StreamType {
        self.inner.stream
    }

    /// The session it belongs to (a clone of it keeps the login alive).
    pub fn session(&self) -> &Session {
        &self.inner.session
    }

    /// Packets and bytes received so far, and packets dropped (a full queue; overlapping
    /// callbacks).
    pub fn stats(&self) -> PreviewStats {
        PreviewStats {
            packets: self.inner.shared.packets.load(Ordering::Relaxed),
            bytes: self.inner.shared.bytes.load(Ordering::Relaxed),
            lost: self.inner.queue.as_ref().map_or(0, |q| q.lost()),
            overlapping: read(&self.inner.state)
                .handler
                .as_ref()
                .map_or(0, |h| h.header().overlapping()),
        }
    }

    /// Whether its session's logout stopped it.
    pub fn is_stopped_by_logout(&self) -> bool {
        read(&self.inner.state).stopped == Some(StopReason::Logout)
    }

    fn context(&self) -> Context {
        self.inner.context()
    }

    /// The stream is running: held across a call that uses its handle.
    fn running(&self) -> Result<RwLockReadGuard<'_, RunState>> {
        let state = &self.inner.state;
        let guard = match state.try_read() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            // Only a logout stops a preview its owner still holds; inside an SDK callback,
            // do not wait for it (it may be waiting for this callback).
            Err(TryLockError::WouldBlock) if ffi::in_sdk_callback() => {
                return Err(Error::logged_out("the preview", self.context()));
            }
            Err(TryLockError::WouldBlock) => read(state),
        };
        if guard.stopped.is_some() {
            return Err(Error::logged_out("the preview", self.context()));
        }
        Ok(guard)
    }

    /// [`context`](Self::context), built only if a call fails (see `ffi::CallContext`).
    fn lazy_context(&self) -> impl Fn() -> Context + use<'_> {
        move || self.context()
    }

    /// A panic caught in the callback since the last call, as an error.
    fn check_panic(&self) -> Result<()> {
        self.inner.check_panic()
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
        let _running = self.running()?;
        let handle = self.inner.handle;
        // SAFETY: `c` is a NUL-terminated path that lives across the call; the SDK copies it.
        resolve!(self.session().sdk().lib(), NET_DVR_SaveRealData)
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
        let _running = self.running()?;
        let handle = self.inner.handle;
        // SAFETY: a LONG by value; the handle is live (owned by self, running).
        resolve!(self.session().sdk().lib(), NET_DVR_StopSaveRealData)
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
        // While the preview runs, its session is logged in (a logout stops it first).
        let _running = self.running()?;
        let (user_id, channel) = (self.session().user_id(), channel_long(self.inner.channel)?);
        let ctx = self.lazy_context();
        let lib = self.session().sdk().lib();
        match self.inner.stream {
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
    /// After the preview stopped (its session logged out), the queued events, ending with
    /// [`EventKind::StoppedByLogout`], then `None` at once.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.inner.events.next_timeout(timeout)
    }

    /// The next event, if one is waiting.
    pub fn try_next_event(&self) -> Option<Event> {
        self.inner.events.try_next()
    }

    /// Events dropped because nobody read them (the queue keeps the newest
    /// [`Event::QUEUE_CAPACITY`]).
    pub fn dropped_events(&self) -> u64 {
        self.inner.events.dropped()
    }

    #[cfg(feature = "tokio")]
    pub(crate) fn event_queue(&self) -> &Arc<EventQueue> {
        &self.inner.events
    }

    /// Stop the preview and report the result (dropping it stops too, ignoring errors).
    /// Inside an SDK callback, the stop is handed to a thread of this crate and this
    /// returns at once (its failure is logged).
    ///
    /// # Errors
    /// A panic caught in the packet callback that no call has reported yet; the SDK's code
    /// from `NET_DVR_StopRealPlay`. `Ok` if its session's logout already stopped it.
    #[doc(alias = "NET_DVR_StopRealPlay")]
    pub fn stop(self) -> Result<()> {
        if ffi::in_sdk_callback() {
            let panic = self.check_panic();
            drop(self); // the stop goes to the reaper thread
            return panic;
        }
        let stopped = self.inner.stop(StopReason::Owner);
        self.check_panic()?;
        stopped
    }
}

impl PreviewInner {
    fn context(&self) -> Context {
        self.session
            .channel_context(self.channel)
            .with_handle(self.handle)
    }

    fn check_panic(&self) -> Result<()> {
        match self.shared.take_panic() {
            Some(e) => Err(e.with_context(self.context())),
            None => Ok(()),
        }
    }

    /// `NET_DVR_StopRealPlay`, once; then free (or, on failure, leak) the callback state,
    /// close the queue and the events, and leave the session's registry.
    fn stop(&self, reason: StopReason) -> Result<()> {
        let mut st = write(&self.state);
        if st.stopped.is_some() {
            return Ok(());
        }
        st.stopped = Some(reason);
        st.route = None;
        let handle = self.handle;
        let ctx = self.context();
        // SAFETY: a LONG by value; the handle is live and stopped once (guarded by
        // `stopped` under the write lock).
        let result = resolve!(self.session.sdk().lib(), NET_DVR_StopRealPlay)
            .bool(&ctx, |f| unsafe { f(handle) });
        match (&result, st.handler.take()) {
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
        if reason == StopReason::Logout {
            let user_id = self.session.user_id();
            self.events.push(Event::own(
                EventKind::StoppedByLogout,
                user_id,
                Some(handle),
            ));
        }
        self.events.close();
        if let Some(id) = st.registration.take() {
            self.session.unregister(id);
        }
        drop(st);
        tracing::info!(device = %ffi::DeviceDisplay(&ctx), channel = self.channel, handle, ?reason, "preview stopped");
        result
    }
}

impl SessionHandle for PreviewInner {
    fn session_closing(&self) {
        // Failures are logged by the call layer; a failed stop leaks the state.
        let _ = self.stop(StopReason::Logout);
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let inner = Arc::clone(&self.inner);
        reaper::teardown(move || {
            // Failures are logged by the call layer.
            let _ = inner.stop(StopReason::Owner);
            if let Some(e) = inner.shared.take_panic() {
                tracing::warn!(handle = inner.handle, error = %e, "a callback panic was never reported through a call");
            }
        });
    }
}
