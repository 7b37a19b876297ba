//! [`Playback`]: a running playback, its controls, position, end and stop.

use std::ffi::c_void;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock, RwLockReadGuard, TryLockError, Weak};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use super::pace::{Ends, MAX_STEPS, PaceCtl};
use super::{PlaybackEnd, PlaybackEvent, PlaybackPosition};
use crate::error::{Context, Error, Result};
use crate::events::{EventTarget, Route};
use crate::ffi::real_data::ErasedBox;
use crate::ffi::{self, resolve};
use crate::preview::{PreviewStats, QueueHandle, Shared};
use crate::reaper;
use crate::session::{Session, SessionHandle};
use crate::sync::{read, write};
use crate::time::{DeviceTime, TimeBasis};

/// How often [`Playback::next_event`] asks the SDK for the position while it waits.
const POLL: Duration = Duration::from_millis(50);
/// `NET_DVR_GetPlayBackPos`'s "network failure" position.
const POS_NETWORK_FAILURE: i32 = 200;

/// A recording playing back ([`Session::playback_by_time`], [`Session::playback_by_name`]).
/// Stops (`NET_DVR_StopPlayBack`) when dropped.
///
/// Like [`Preview`](crate::Preview), it holds a clone of its [`Session`] (it is
/// `'static`, moves into threads, and keeps the login alive), an explicit
/// [`Session::logout`] stops it first ([`PlaybackEvent::StoppedByLogout`], then its calls
/// fail with [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut)), and its
/// callback state is freed only after `NET_DVR_StopPlayBack` returned (leaked if it fails).
///
/// **End of stream is an event**: [`next_event`](Self::next_event) (or, with feature
/// `tokio`, the stream of `events`) gives [`PlaybackEvent::Ended`] once, when the SDK
/// delivers its end marker, reports `EXCEPTION_PLAYBACK` (the link broke) or the position
/// 100 (complete) or 200 (network failure); a queue it fills closes then.
pub struct Playback {
    pub(super) inner: Arc<PlaybackInner>,
    /// `false` for the view [`call_async`](Self::call_async) lends to its closure: dropping
    /// that stops nothing.
    owns: bool,
}

/// What the builder hands over once the SDK gave a handle and took the callback.
pub(super) struct Started {
    pub(super) session: Session,
    pub(super) handle: i32,
    pub(super) channel: Option<u32>,
    pub(super) ctx: Context,
    pub(super) basis: TimeBasis,
    pub(super) shared: Arc<Shared>,
    pub(super) handler: ErasedBox,
    pub(super) ends: Arc<Ends>,
    pub(super) pace: Arc<PaceCtl>,
}

pub(super) struct PlaybackInner {
    session: Session,
    handle: i32,
    channel: Option<u32>,
    ctx: Context,
    basis: TimeBasis,
    shared: Arc<Shared>,
    pace: Arc<PaceCtl>,
    /// Its event queue and the data queue it fills.
    ends: Arc<Ends>,
    /// Write-held while stopping; read-held across calls that use the handle.
    state: RwLock<RunState>,
}

struct RunState {
    stopped: Option<StopReason>,
    handler: Option<ErasedBox>,
    registration: Option<u64>,
    /// `EXCEPTION_PLAYBACK` of its handle comes to `ends` while it runs.
    route: Option<Route>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopReason {
    Owner,
    Logout,
}

impl fmt::Debug for Playback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Playback")
            .field("session", &i.session)
            .field("handle", &i.handle)
            .field("channel", &i.channel)
            .finish_non_exhaustive()
    }
}

/// `NET_DVR_StopPlayBack` of a handle that never got as far as registering.
pub(super) fn stop_unregistered(session: &Session, handle: i32, ctx: &Context) {
    // SAFETY: a LONG by value; the handle was just opened and is stopped once.
    let _ = resolve!(session.sdk().lib(), NET_DVR_StopPlayBack).bool(ctx, |f| unsafe { f(handle) });
}

impl Playback {
    /// Wrap a started playback and register it with its session. A logout that began
    /// meanwhile stops it at once and fails the start.
    pub(super) fn register(s: Started) -> Result<Self> {
        let inner = Arc::new(PlaybackInner {
            session: s.session,
            handle: s.handle,
            channel: s.channel,
            ctx: s.ctx,
            basis: s.basis,
            shared: s.shared,
            pace: s.pace,
            ends: s.ends,
            state: RwLock::new(RunState {
                stopped: None,
                handler: Some(s.handler),
                registration: None,
                route: None,
            }),
        });
        let target: Weak<dyn EventTarget> = Arc::downgrade(&inner.ends) as Weak<Ends>;
        write(&inner.state).route = Some(Route::playback(inner.handle, target));
        let weak: Weak<dyn SessionHandle> = Arc::downgrade(&inner) as Weak<PlaybackInner>;
        match inner.session.register(weak) {
            Some(id) => {
                let mut st = write(&inner.state);
                if st.stopped.is_none() {
                    st.registration = Some(id);
                }
            }
            None => {
                let _ = inner.stop(StopReason::Logout);
                return Err(Error::logged_out("the playback", inner.ctx.clone()));
            }
        }
        Ok(Self { inner, owns: true })
    }

    /// A view of this playback for a closure on the blocking pool (feature `tokio`): the
    /// same handle, but dropping it stops nothing; the owner still does.
    #[cfg(feature = "tokio")]
    pub(crate) fn view(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            owns: false,
        }
    }

    /// Its events' queue (feature `tokio`'s stream reads it).
    #[cfg(feature = "tokio")]
    pub(crate) fn event_queue(&self) -> &Arc<crate::events::EventQueue<PlaybackEvent>> {
        &self.inner.ends.events
    }

    /// The SDK's playback handle.
    pub fn handle(&self) -> i32 {
        self.inner.handle
    }

    /// The channel (`None` for a playback by name).
    pub fn channel(&self) -> Option<u32> {
        self.inner.channel
    }

    /// The session it belongs to.
    pub fn session(&self) -> &Session {
        &self.inner.session
    }

    /// Packets and bytes received so far, and packets dropped (a full queue; overlapping
    /// callbacks).
    pub fn stats(&self) -> PreviewStats {
        let overlapping = read(&self.inner.state)
            .handler
            .as_ref()
            .map_or(0, |h| h.header().overlapping());
        let lost = self.inner.ends.queue.as_ref().map_or(0, QueueHandle::lost);
        self.inner.shared.stats(lost, overlapping)
    }

    /// The speed: 1.0 normal, 2.0 after one [`fast`](Self::fast), 0.5 after one
    /// [`slow`](Self::slow) (from 1/16 to 16).
    pub fn speed(&self) -> f64 {
        2f64.powi(self.inner.pace.speed.load(Ordering::Relaxed))
    }

    /// Whether its session's logout stopped it.
    pub fn is_stopped_by_logout(&self) -> bool {
        read(&self.inner.state).stopped == Some(StopReason::Logout)
    }

    /// The playback is running: held across a call that uses its handle.
    fn running(&self) -> Result<RwLockReadGuard<'_, RunState>> {
        let state = &self.inner.state;
        let guard = match state.try_read() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) if ffi::in_sdk_callback() => {
                return Err(Error::logged_out("the playback", self.inner.ctx.clone()));
            }
            Err(TryLockError::WouldBlock) => read(state),
        };
        if guard.stopped.is_some() {
            return Err(Error::logged_out("the playback", self.inner.ctx.clone()));
        }
        Ok(guard)
    }

    /// A panic caught in the callback since the last call, as an error.
    fn check_panic(&self) -> Result<()> {
        match self.inner.shared.take_panic() {
            Some(e) => Err(e.with_context(self.inner.ctx.clone())),
            None => Ok(()),
        }
    }

    /// `NET_DVR_PlayBackControl_V40(code)` with these buffers.
    fn control(&self, code: u32, input: (*mut c_void, u32), out: *mut c_void) -> Result<()> {
        self.check_panic()?;
        let _running = self.running()?;
        let h = self.inner.handle;
        let mut out_len: u32 = 0;
        let out_len_ptr = if out.is_null() {
            std::ptr::null_mut()
        } else {
            &raw mut out_len
        };
        // SAFETY: the buffers are NULL or valid for what `code` reads and writes (see each
        // caller), and live across the call; the handle is live (running).
        resolve!(self.session().sdk().lib(), NET_DVR_PlayBackControl_V40)
            .bool(&self.inner.ctx, |f| unsafe {
                f(h, code, input.0, input.1, out, out_len_ptr)
            })
    }

    /// `NET_DVR_PLAYSTART`: the data starts flowing.
    pub(super) fn play_start(&self) -> Result<()> {
        self.control(
            sys::NET_DVR_PLAYSTART,
            (std::ptr::null_mut(), 0),
            std::ptr::null_mut(),
        )
    }

    fn simple(&self, code: u32) -> Result<()> {
        self.control(code, (std::ptr::null_mut(), 0), std::ptr::null_mut())
    }

    /// Pause (`NET_DVR_PLAYPAUSE`).
    ///
    /// # Errors
    /// A panic caught in the callback; the SDK's code; `LoggedOut` once stopped.
    #[doc(alias = "NET_DVR_PLAYPAUSE")]
    pub fn pause(&self) -> Result<()> {
        self.simple(sys::NET_DVR_PLAYPAUSE)
    }

    /// Resume after [`pause`](Self::pause) (`NET_DVR_PLAYRESTART`).
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYRESTART")]
    pub fn resume(&self) -> Result<()> {
        self.simple(sys::NET_DVR_PLAYRESTART)?;
        self.inner.pace.reanchor();
        Ok(())
    }

    fn set_speed(&self, code: u32, steps: i32) -> Result<()> {
        self.simple(code)?;
        self.inner.pace.speed.store(steps, Ordering::Relaxed);
        self.inner.pace.reanchor();
        Ok(())
    }

    /// Twice as fast, up to 16x (`NET_DVR_PLAYFAST`).
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYFAST")]
    pub fn fast(&self) -> Result<()> {
        let now = self.inner.pace.speed.load(Ordering::Relaxed);
        self.set_speed(sys::NET_DVR_PLAYFAST, (now + 1).min(MAX_STEPS))
    }

    /// Half as fast, down to 1/16x (`NET_DVR_PLAYSLOW`).
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYSLOW")]
    pub fn slow(&self) -> Result<()> {
        let now = self.inner.pace.speed.load(Ordering::Relaxed);
        self.set_speed(sys::NET_DVR_PLAYSLOW, (now - 1).max(-MAX_STEPS))
    }

    /// Normal speed (`NET_DVR_PLAYNORMAL`).
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYNORMAL")]
    pub fn normal(&self) -> Result<()> {
        self.set_speed(sys::NET_DVR_PLAYNORMAL, 0)
    }

    /// Sound on or off (`NET_DVR_PLAYSTARTAUDIO` / `NET_DVR_PLAYSTOPAUDIO`).
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYSTARTAUDIO")]
    #[doc(alias = "NET_DVR_PLAYSTOPAUDIO")]
    pub fn audio(&self, on: bool) -> Result<()> {
        self.simple(if on {
            sys::NET_DVR_PLAYSTARTAUDIO
        } else {
            sys::NET_DVR_PLAYSTOPAUDIO
        })
    }

    /// Jump to `to` (`NET_DVR_PLAYSETTIME`), a time in the range, read with the builder's
    /// time basis. Devices resume at the keyframe at or before it.
    ///
    /// # Errors
    /// A time that needs a zone nobody stated (before any SDK call); as for
    /// [`pause`](Self::pause) (17 for a time outside the range).
    #[doc(alias = "NET_DVR_PLAYSETTIME")]
    pub fn seek(&self, to: impl Into<DeviceTime>) -> Result<()> {
        let to = to.into();
        let mut t = self
            .inner
            .basis
            .to_sdk(&to)
            .map_err(|e| e.with_context(self.inner.ctx.clone()))?;
        let size = std::mem::size_of::<sys::NET_DVR_TIME>() as u32;
        let input = ((&raw mut t).cast::<c_void>(), size);
        self.control(sys::NET_DVR_PLAYSETTIME, input, std::ptr::null_mut())?;
        self.inner.pace.reanchor();
        Ok(())
    }

    /// Jump to `percent` of the range (`NET_DVR_PLAYSETPOS`, 0..=100).
    ///
    /// # Errors
    /// A percentage over 100 (before any SDK call); as for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYSETPOS")]
    pub fn seek_percent(&self, percent: u8) -> Result<()> {
        if percent > 100 {
            return Err(Error::invalid_input("percent", percent, "give 0..=100")
                .with_context(self.inner.ctx.clone()));
        }
        let mut pos = u32::from(percent);
        let input = ((&raw mut pos).cast::<c_void>(), 4);
        self.control(sys::NET_DVR_PLAYSETPOS, input, std::ptr::null_mut())?;
        self.inner.pace.reanchor();
        Ok(())
    }

    /// The time being played (`NET_DVR_PLAYGETTIME`), read with the builder's time basis.
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_PLAYGETTIME")]
    pub fn time(&self) -> Result<DeviceTime> {
        let mut t = sys::NET_DVR_TIME::default();
        let out = (&raw mut t).cast::<c_void>();
        self.control(sys::NET_DVR_PLAYGETTIME, (std::ptr::null_mut(), 0), out)?;
        self.inner
            .basis
            .from_sdk(&t)
            .map_err(|e| e.with_context(self.inner.ctx.clone()))
    }

    /// Where it is (`NET_DVR_GetPlayBackPos`): a percentage, or the end.
    ///
    /// # Errors
    /// As for [`pause`](Self::pause).
    #[doc(alias = "NET_DVR_GetPlayBackPos")]
    pub fn position(&self) -> Result<PlaybackPosition> {
        self.check_panic()?;
        let _running = self.running()?;
        let h = self.inner.handle;
        // SAFETY: a LONG by value; the handle is live (running).
        let pos = resolve!(self.session().sdk().lib(), NET_DVR_GetPlayBackPos).call(
            &self.inner.ctx,
            |r| *r < 0,
            |f| unsafe { f(h) },
        )?;
        Ok(match pos {
            100 => PlaybackPosition::Ended(PlaybackEnd::Complete),
            POS_NETWORK_FAILURE => PlaybackPosition::Ended(PlaybackEnd::NetworkFailure),
            p if (0..100).contains(&p) => PlaybackPosition::Playing(p as u8),
            other => {
                tracing::warn!(handle = h, pos = other, "undocumented playback position");
                PlaybackPosition::Ended(PlaybackEnd::NetworkFailure)
            }
        })
    }

    /// The next event, waiting up to `timeout`: the end of the stream (once), or the
    /// logout that stopped it (once); then `None` at once. While it waits it asks the SDK
    /// for the position every 50 ms, in case a network failure (200) came with no
    /// `EXCEPTION_PLAYBACK`. It reads the same queue as the stream of `events` (feature
    /// `tokio`): each event goes to one reader.
    pub fn next_event(&self, timeout: Duration) -> Option<PlaybackEvent> {
        let deadline = Instant::now() + timeout;
        let events = &self.inner.ends.events;
        loop {
            if !events.is_closed()
                && let Ok(PlaybackPosition::Ended(end)) = self.position()
            {
                self.inner.ends.finish(PlaybackEvent::Ended(end));
            }
            let wait = POLL.min(deadline.saturating_duration_since(Instant::now()));
            match events.next_timeout(wait) {
                Some(e) => return Some(e),
                None if wait.is_zero() || events.is_closed() => return None,
                None => {}
            }
        }
    }

    /// Stop and report the result (dropping it stops too, ignoring errors). Inside an SDK
    /// callback the stop is handed to a thread of this crate and this returns at once.
    ///
    /// # Errors
    /// A panic caught in the callback that no call has reported yet; the SDK's code from
    /// `NET_DVR_StopPlayBack`. `Ok` if its session's logout already stopped it.
    #[doc(alias = "NET_DVR_StopPlayBack")]
    pub fn stop(self) -> Result<()> {
        if ffi::in_sdk_callback() {
            let panic = self.check_panic();
            drop(self);
            return panic;
        }
        let stopped = self.inner.stop(StopReason::Owner);
        self.check_panic()?;
        stopped
    }
}

impl PlaybackInner {
    /// `NET_DVR_StopPlayBack`, once; then free (or, on failure, leak) the callback state,
    /// close the queue and leave the session's registry.
    fn stop(&self, reason: StopReason) -> Result<()> {
        let mut st = write(&self.state);
        if st.stopped.is_some() {
            return Ok(());
        }
        st.stopped = Some(reason);
        let handle = self.handle;
        // SAFETY: a LONG by value; stopped once (guarded by `stopped` under the lock).
        let result = resolve!(self.session.sdk().lib(), NET_DVR_StopPlayBack)
            .bool(&self.ctx, |f| unsafe { f(handle) });
        match (&result, st.handler.take()) {
            // SAFETY: StopPlayBack returned success: no more callbacks with this pointer;
            // one running on this thread (a handler stopping its own playback) frees it
            // when it returns.
            (Ok(()), Some(h)) => unsafe { h.free_after_callback() },
            (Err(_), Some(_leaked)) => tracing::warn!(
                handle,
                "NET_DVR_StopPlayBack failed; the callback state is leaked so that a late callback cannot touch freed memory"
            ),
            (_, None) => {}
        }
        match reason {
            StopReason::Logout => self.ends.finish(PlaybackEvent::StoppedByLogout),
            StopReason::Owner => self.ends.close(),
        }
        st.route = None;
        if let Some(id) = st.registration.take() {
            self.session.unregister(id);
        }
        drop(st);
        tracing::info!(handle, ?reason, "playback stopped");
        result
    }
}

impl SessionHandle for PlaybackInner {
    fn session_closing(&self) {
        // Failures are logged by the call layer; a failed stop leaks the state.
        let _ = self.stop(StopReason::Logout);
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        if !self.owns {
            return;
        }
        let inner = Arc::clone(&self.inner);
        reaper::teardown(move || {
            let _ = inner.stop(StopReason::Owner);
            if let Some(e) = inner.shared.take_panic() {
                tracing::warn!(handle = inner.handle, error = %e, "a callback panic was never reported through a call");
            }
        });
    }
}
