//! Feature `tokio`: the async face of the handles.
//!
//! * **Login**: `builder.login_async()?.await` ([`PendingLogin`](crate::PendingLogin) is
//!   `IntoFuture`). The SDK's asynchronous login (`bUseAsynLogin`) reports through its
//!   callback, which completes the future; no thread waits. A future dropped before the
//!   result leaves the login to finish and logs it out then.
//! * **Events**: [`Session::events`] and [`Preview::events`] give an [`EventStream`], a
//!   `futures_core::Stream` over the same bounded queue as `next_event` (it keeps the
//!   newest [`Event::QUEUE_CAPACITY`] and counts the ones it drops); the SDK's thread only
//!   pushes and wakes, never waits. The stream ends when the session logs out or the
//!   preview stops, after the events already queued (a preview's last is
//!   [`EventKind::StoppedByLogout`](crate::EventKind::StoppedByLogout) when its session
//!   logged out).
//! * **Blocking SDK calls** run on tokio's blocking pool (`spawn_blocking`) under the
//!   caller's tracing span, with the same typed errors: the `*_async` methods here
//!   ([`Session::device_config_async`], [`Session::logout_async`], [`Ptz::call_async`] and
//!   its shortcuts, [`Snapshot::capture_async`]).
//!
//! Preview packets as a `Stream` are not here yet (see ARCHITECTURE.md): use the
//! closure or the queue receiver.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::error::Result;
use crate::events::{Event, EventQueue};
use crate::preview::Preview;
use crate::ptz::{Ptz, PtzPosition};
use crate::session::{DeviceConfig, Session};
use crate::snapshot::Snapshot;

/// Run a blocking SDK call on tokio's blocking pool, in the caller's tracing span.
///
/// # Panics
/// Re-raises a panic of `f`; panics if the runtime shuts down before `f` could run.
async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    let span = tracing::Span::current();
    match tokio::task::spawn_blocking(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the tokio runtime shut down before the blocking SDK call ran: {e}"),
    }
}

/// Exception and reconnect events as a `futures_core::Stream` (feature `tokio`); see
/// [`Session::events`] and [`Preview::events`].
///
/// It reads the same queue as `next_event`: each event goes to one reader. Ends (`None`)
/// once the session logged out or the preview stopped and the queue is drained. Holds
/// only the queue, not the session or preview.
#[derive(Debug, Clone)]
#[must_use = "streams do nothing unless polled"]
pub struct EventStream {
    queue: Arc<EventQueue>,
}

impl EventStream {
    /// Events dropped because the queue was full (it keeps the newest
    /// [`Event::QUEUE_CAPACITY`]).
    pub fn dropped(&self) -> u64 {
        self.queue.dropped()
    }
}

impl futures_core::Stream for EventStream {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.queue.poll_next(cx)
    }
}

impl Session {
    /// This session's events as a stream (feature `tokio`); see [`EventStream`].
    pub fn events(&self) -> EventStream {
        EventStream {
            queue: Arc::clone(self.event_queue()),
        }
    }

    /// [`device_config`](Self::device_config) on tokio's blocking pool.
    ///
    /// # Errors
    /// As for [`device_config`](Self::device_config).
    #[doc(alias = "NET_DVR_GetDVRConfig")]
    pub async fn device_config_async(&self) -> Result<DeviceConfig> {
        let session = self.clone();
        blocking(move || session.device_config()).await
    }

    /// [`logout`](Self::logout) on tokio's blocking pool (it stops the session's previews
    /// first, then calls `NET_DVR_Logout`).
    ///
    /// # Errors
    /// As for [`logout`](Self::logout).
    #[doc(alias = "NET_DVR_Logout")]
    pub async fn logout_async(self) -> Result<()> {
        blocking(move || self.logout()).await
    }
}

impl Preview {
    /// This preview's events as a stream (feature `tokio`); see [`EventStream`].
    pub fn events(&self) -> EventStream {
        EventStream {
            queue: Arc::clone(self.event_queue()),
        }
    }
}

impl Ptz {
    /// Run `f` with a clone of this handle on tokio's blocking pool: any PTZ call, e.g.
    /// `ptz.call_async(|p| p.start(Motion::Left, 4)).await` (the returned
    /// [`PtzMove`](crate::PtzMove) is `'static`, so it can come back to the task).
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub async fn call_async<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Ptz) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let ptz = self.clone();
        blocking(move || f(&ptz)).await
    }

    /// [`goto_preset`](Self::goto_preset) on tokio's blocking pool.
    ///
    /// # Errors
    /// As for [`goto_preset`](Self::goto_preset).
    #[doc(alias = "NET_DVR_PTZPreset_Other")]
    pub async fn goto_preset_async(&self, preset: u16) -> Result<()> {
        self.call_async(move |p| p.goto_preset(preset)).await
    }

    /// [`position`](Self::position) on tokio's blocking pool.
    ///
    /// # Errors
    /// As for [`position`](Self::position).
    #[doc(alias = "NET_DVR_GET_PTZPOS")]
    pub async fn position_async(&self) -> Result<PtzPosition> {
        self.call_async(Ptz::position).await
    }

    /// [`set_position`](Self::set_position) on tokio's blocking pool.
    ///
    /// # Errors
    /// As for [`set_position`](Self::set_position).
    #[doc(alias = "NET_DVR_SET_PTZPOS")]
    pub async fn set_position_async(&self, position: PtzPosition) -> Result<()> {
        self.call_async(move |p| p.set_position(position)).await
    }
}

impl Snapshot {
    /// [`capture`](Self::capture) on tokio's blocking pool; the buffer size that worked is
    /// remembered as with `capture`.
    ///
    /// # Errors
    /// As for [`capture_into`](Self::capture_into).
    #[doc(alias = "NET_DVR_CaptureJPEGPicture_NEW")]
    pub async fn capture_async(&mut self) -> Result<Vec<u8>> {
        let mut snapshot = self.clone();
        let (snapshot, jpeg) = blocking(move || {
            let jpeg = snapshot.capture()?;
            Ok((snapshot, jpeg))
        })
        .await?;
        *self = snapshot;
        Ok(jpeg)
    }
}

/// Alarms as a `futures_core::Stream` (feature `tokio`): the queue of
/// [`AlarmsBuilder::start_queue`](crate::AlarmsBuilder::start_queue), woken by the SDK's
/// thread only when the task sleeps. Ends once the arming stopped (the last
/// [`Alarms`](crate::Alarms) handle dropped, or a logout) and the queue is drained.
impl futures_core::Stream for crate::alarms::AlarmReceiver {
    type Item = crate::alarms::Alarm;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}

impl crate::alarms::AlarmsBuilder {
    /// [`start_queue`](Self::start_queue) on tokio's blocking pool (arming is a network
    /// round trip); the receiver is the alarms' `Stream`.
    ///
    /// # Errors
    /// As for [`start_queue`](Self::start_queue).
    #[doc(alias = "NET_DVR_SetupAlarmChan_V50")]
    pub async fn start_stream(
        self,
    ) -> Result<(crate::alarms::Alarms, crate::alarms::AlarmReceiver)> {
        blocking(move || self.start_queue()).await
    }
}
