//! Feature `tokio`: the async face of the handles.
//!
//! * **Login**: `builder.login_nonblocking().await`
//!   ([`LoginBuilder::login_nonblocking`](crate::LoginBuilder::login_nonblocking)) resolves
//!   a host name with `tokio::net::lookup_host`, then awaits the SDK's asynchronous login
//!   (`builder.login_async()?.await`, which resolves with std's blocking resolver;
//!   [`PendingLogin`](crate::PendingLogin) is `IntoFuture`). The SDK's asynchronous login
//!   (`bUseAsynLogin`) reports through its callback, which completes the future; no thread
//!   waits. A future dropped before the result leaves the login to finish and logs it out
//!   then.
//! * **Events**: [`Session::events`], [`Preview::events`] and [`Playback::events`] give an
//!   [`EventStream`], a
//!   `futures_core::Stream` over the same bounded queue as `next_event` (it keeps the
//!   newest [`Event::QUEUE_CAPACITY`] and counts the ones it drops); the SDK's thread only
//!   pushes and wakes, never waits. The stream ends when the session logs out or the
//!   preview stops, after the events already queued (a preview's last is
//!   [`EventKind::StoppedByLogout`](crate::EventKind::StoppedByLogout) when its session
//!   logged out). A playback's stream carries its one [`PlaybackEvent`]: its end or the
//!   logout that stopped it.
//! * **Blocking SDK calls** run on tokio's blocking pool (`spawn_blocking`) under the
//!   caller's tracing span, with the same typed errors: the `*_async` methods here
//!   ([`Session::device_config_async`], [`Session::logout_async`], [`Session::call_async`]
//!   for any other call made from a session (configuration, time, ISAPI, starting a
//!   playback or a download), [`Ptz::call_async`] and its shortcuts,
//!   [`Playback::call_async`] for the playback controls,
//!   [`Snapshot::capture_async`], [`Download::wait_async`](crate::Download::wait_async),
//!   [`AlarmsBuilder::start_stream`](crate::AlarmsBuilder::start_stream)).
//! * **Recording search results**: [`Recordings::into_stream`] (or
//!   [`RecordingSearch::stream`]) gives a [`RecordingStream`]. Each item is one `next()` of
//!   the blocking iterator run on the blocking pool, one at a time and only while polled
//!   (no read-ahead), so the "still searching" waits never block the runtime. Dropping the
//!   stream closes the search (`NET_DVR_FindClose_V30`) on the blocking pool: at once when
//!   idle, or after the item being fetched, whose result is discarded.
//!
//! * **Media and alarms** are `Stream`s where their queues live: a preview's or playback's
//!   [`PacketReceiver`](crate::PacketReceiver) and [`FrameReceiver`](crate::FrameReceiver)
//!   (`src/preview/`), and [`AlarmReceiver`](crate::alarms::AlarmReceiver) (below): bounded, the
//!   newest item dropped when full and the loss reported on the next item (see
//!   ARCHITECTURE.md, "An SDK delivery as a `Stream`").

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::error::Result;
use crate::events::{Event, EventQueue};
use crate::playback::{Playback, PlaybackEvent};
use crate::preview::Preview;
use crate::ptz::{Ptz, PtzPosition};
use crate::recordings::{Recording, RecordingSearch, Recordings};
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

/// A handle's events as a `futures_core::Stream` (feature `tokio`): exception and
/// reconnect [`Event`]s ([`Session::events`], [`Preview::events`]), or a playback's
/// [`PlaybackEvent`](crate::PlaybackEvent)s ([`Playback::events`]).
///
/// It reads the same queue as `next_event`: each event goes to one reader. Ends (`None`)
/// once the session logged out, the preview or playback stopped, or the playback ended,
/// and the queue is drained. Holds only the queue, not the session or handle.
#[derive(Debug, Clone)]
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<T = Event> {
    queue: Arc<EventQueue<T>>,
}

impl<T> EventStream<T> {
    /// Events dropped because the queue was full (it keeps the newest
    /// [`Event::QUEUE_CAPACITY`]).
    pub fn dropped(&self) -> u64 {
        self.queue.dropped()
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
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

    /// Run `f` with a clone of this session on tokio's blocking pool: any blocking call
    /// made from the session, with its typed errors, e.g.
    /// `session.call_async(|s| s.config().ntp()).await`, `|s| s.time()`,
    /// `|s| s.isapi().get("/ISAPI/System/deviceInfo")`, or starting a playback or a
    /// download (the handles it returns are `'static`, so they can come back to the task).
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub async fn call_async<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Session) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let session = self.clone();
        blocking(move || f(&session)).await
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

impl Playback {
    /// This playback's events as a stream (feature `tokio`); see [`EventStream`]. Its one
    /// event is the last: the end ([`PlaybackEvent::Ended`](crate::PlaybackEvent::Ended),
    /// from the SDK's end marker or `EXCEPTION_PLAYBACK`) or
    /// [`PlaybackEvent::StoppedByLogout`](crate::PlaybackEvent::StoppedByLogout); it ends
    /// after that, or when the playback stops.
    pub fn events(&self) -> EventStream<PlaybackEvent> {
        EventStream {
            queue: Arc::clone(self.event_queue()),
        }
    }

    /// Run `f` with this playback on tokio's blocking pool: any control, e.g.
    /// `playback.call_async(|p| p.pause()).await`, `|p| p.seek_percent(50)`,
    /// `|p| p.time()`, each a round trip to the device. `f` gets a view of the same
    /// handle, which stops nothing when dropped (the owner does); nothing borrowed crosses
    /// into the pool.
    ///
    /// # Errors
    /// Whatever `f` returns: the control's typed error, `LoggedOut` once stopped.
    pub async fn call_async<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Playback) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let playback = self.view();
        blocking(move || f(&playback)).await
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

impl crate::recordings::Download {
    /// [`wait`](Self::wait) on tokio's blocking pool: the download's progress is polled
    /// there until it is complete.
    ///
    /// # Errors
    /// As for [`wait`](Self::wait).
    #[doc(alias = "NET_DVR_GetDownloadPos")]
    pub async fn wait_async(self) -> Result<u64> {
        blocking(move || self.wait()).await
    }
}

/// Alarms as a `futures_core::Stream` (feature `tokio`): the queue of
/// [`AlarmsBuilder::start_queue`](crate::alarms::AlarmsBuilder::start_queue), woken by the SDK's
/// thread only when the task sleeps. Ends once the arming stopped (the last
/// [`Alarms`](crate::alarms::Alarms) handle dropped, or a logout) and the queue is drained.
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

/// A blocking iterator as a `Stream`: each `next()` runs on tokio's blocking pool, in the
/// span of the task that polls; one at a time, only while polled.
struct BlockingIter<I: Iterator + Send + 'static> {
    state: State<I>,
}

enum State<I: Iterator + Send + 'static> {
    /// Between items.
    Idle(I),
    /// `next()` is running; the task hands the iterator back with the item.
    Busy(tokio::task::JoinHandle<(I, Option<I::Item>)>),
    /// Ended (or the iterator is gone).
    Done,
}

// The iterator is only ever moved by value, never pinned.
impl<I: Iterator + Send + 'static> Unpin for BlockingIter<I> {}

impl<I> BlockingIter<I>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    fn new(iter: I) -> Self {
        Self {
            state: State::Idle(iter),
        }
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Idle(mut iter) => {
                    let span = tracing::Span::current();
                    self.state = State::Busy(tokio::task::spawn_blocking(move || {
                        let item = span.in_scope(|| iter.next());
                        (iter, item)
                    }));
                }
                State::Busy(mut task) => {
                    return match Pin::new(&mut task).poll(cx) {
                        Poll::Pending => {
                            self.state = State::Busy(task);
                            Poll::Pending
                        }
                        Poll::Ready(Ok((iter, Some(item)))) => {
                            self.state = State::Idle(iter);
                            Poll::Ready(Some(item))
                        }
                        // The iterator is dropped here, on the runtime's thread: it ended,
                        // so it holds nothing to close.
                        Poll::Ready(Ok((_, None))) => Poll::Ready(None),
                        Poll::Ready(Err(e)) if e.is_panic() => {
                            std::panic::resume_unwind(e.into_panic())
                        }
                        Poll::Ready(Err(e)) => {
                            panic!("the tokio runtime shut down during a blocking SDK call: {e}")
                        }
                    };
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<I: Iterator + Send + 'static> Drop for BlockingIter<I> {
    fn drop(&mut self) {
        // A busy task drops the iterator itself when its `next()` returns. An idle one may
        // close an SDK handle in its drop: do that on the blocking pool when there is one.
        if let State::Idle(iter) = std::mem::replace(&mut self.state, State::Done) {
            drop_off_runtime(iter);
        }
    }
}

/// Drop `value` on the blocking pool of the current runtime, or here when there is none.
fn drop_off_runtime<T: Send + 'static>(value: T) {
    match tokio::runtime::Handle::try_current() {
        Ok(rt) => drop(rt.spawn_blocking(move || drop(value))),
        Err(_) => drop(value),
    }
}

/// Recording search results as a `futures_core::Stream` (feature `tokio`): the items of
/// [`Recordings`], each fetched on tokio's blocking pool. See
/// [`Recordings::into_stream`].
///
/// It ends after the search's last file, or after its error (as the iterator does).
/// Dropping it closes the search (`NET_DVR_FindClose_V30`), also in the middle.
#[must_use = "streams do nothing unless polled"]
pub struct RecordingStream {
    inner: BlockingIter<Recordings>,
}

impl fmt::Debug for RecordingStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.inner.state {
            State::Idle(r) => format!("idle: {r:?}"),
            State::Busy(_) => "fetching".to_owned(),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("RecordingStream")
            .field("state", &state)
            .finish()
    }
}

impl futures_core::Stream for RecordingStream {
    type Item = Result<Recording>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_item(cx)
    }
}

impl Recordings {
    /// These results as a stream (feature `tokio`); see [`RecordingStream`].
    ///
    /// ```no_run
    /// # async fn f(session: hcnetsdk::Session) -> hcnetsdk::Result<()> {
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    /// use hcnetsdk::jiff::civil::date;
    ///
    /// let day = date(2026, 12, 1);
    /// let mut files = session
    ///     .recordings(33)?
    ///     .range(day.at(0, 0, 0, 0), day.at(23, 59, 59, 0))
    ///     .search()?
    ///     .into_stream();
    /// while let Some(file) = poll_fn(|cx| Pin::new(&mut files).poll_next(cx)).await {
    ///     println!("{}", file?.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> RecordingStream {
        RecordingStream {
            inner: BlockingIter::new(self),
        }
    }
}

impl RecordingSearch {
    /// [`search`](Self::search) as a stream (feature `tokio`); see [`RecordingStream`].
    ///
    /// # Errors
    /// As for [`search`](Self::search), before any SDK call.
    #[doc(alias = "NET_DVR_FindFile_V40")]
    pub fn stream(self) -> Result<RecordingStream> {
        self.search().map(Recordings::into_stream)
    }
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// Counts up to `end`, notes the threads it ran on and its drop.
    struct Fake {
        next: u32,
        end: u32,
        /// The thread that polls the stream (`block_on` polls on the caller's).
        poller: std::thread::ThreadId,
        blocking: Arc<AtomicUsize>,
        dropped: Arc<AtomicBool>,
    }

    impl Iterator for Fake {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            if std::thread::current().id() != self.poller {
                self.blocking.fetch_add(1, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(5));
            (self.next < self.end).then(|| {
                self.next += 1;
                self.next
            })
        }
    }

    impl Drop for Fake {
        fn drop(&mut self) {
            self.dropped.store(true, Ordering::SeqCst);
        }
    }

    fn fake(end: u32) -> (BlockingIter<Fake>, Arc<AtomicUsize>, Arc<AtomicBool>) {
        let (blocking, dropped) = (Arc::default(), Arc::default());
        let it = Fake {
            next: 0,
            end,
            poller: std::thread::current().id(),
            blocking: Arc::clone(&blocking),
            dropped: Arc::clone(&dropped),
        };
        (BlockingIter::new(it), blocking, dropped)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap()
    }

    #[test]
    fn items_come_in_order_from_the_blocking_pool_and_the_stream_ends() {
        let (mut s, blocking, dropped) = fake(3);
        let got = runtime().block_on(async move {
            let mut got = Vec::new();
            while let Some(v) = poll_fn(|cx| s.poll_item(cx)).await {
                got.push(v);
            }
            assert!(poll_fn(|cx| s.poll_item(cx)).await.is_none(), "stays ended");
            got
        });
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(
            blocking.load(Ordering::SeqCst),
            4,
            "every next() off the runtime"
        );
        assert!(dropped.load(Ordering::SeqCst));
    }

    #[test]
    fn dropping_mid_stream_drops_the_iterator_idle_or_busy() {
        let rt = runtime();
        for busy in [false, true] {
            let (mut s, _, dropped) = fake(100);
            rt.block_on(async {
                assert_eq!(poll_fn(|cx| s.poll_item(cx)).await, Some(1));
                if busy {
                    // Start the next fetch, then drop while it runs.
                    let waker = std::task::Waker::noop();
                    let mut cx = Context::from_waker(waker);
                    assert!(s.poll_item(&mut cx).is_pending());
                }
                drop(s);
            });
            let t = std::time::Instant::now();
            while !dropped.load(Ordering::SeqCst) && t.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(5));
            }
            assert!(dropped.load(Ordering::SeqCst), "busy: {busy}");
        }
    }
}
