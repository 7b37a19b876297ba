//! Exception and reconnect events (`NET_DVR_SetExceptionCallBack_V30`).
//!
//! The SDK has one process-wide exception callback (`crate::ffi::exception`). This crate
//! registers it once per `NET_DVR_Init` and routes each event to the
//! [`Session`](crate::Session) or [`Preview`](crate::Preview) it concerns: preview events
//! by their real-play handle, everything else by user ID. Each session and preview keeps a small queue of its events
//! (see [`Session::next_event`](crate::Session::next_event)).
//!
//! The callback never runs user code and never blocks on anything but a short internal
//! lock, so it cannot stall the SDK's exception thread.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use crate::sync::{lock, wait_timeout};

/// What happened, as reported by the SDK's exception callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// The link to the device broke (heartbeat/exchange failed; `EXCEPTION_EXCHANGE`).
    ConnectionLost,
    /// The link to the device works again (`RESUME_EXCHANGE`).
    ConnectionResumed,
    /// Two-way audio broke (`EXCEPTION_AUDIOEXCHANGE`).
    AudioException,
    /// The alarm channel broke (`EXCEPTION_ALARM`).
    AlarmException,
    /// The SDK is reconnecting the alarm channel (`EXCEPTION_ALARMRECONNECT`).
    AlarmReconnecting,
    /// The alarm channel reconnected (`ALARM_RECONNECTSUCCESS`).
    AlarmReconnected,
    /// The SDK gave up reconnecting the alarm channel (`EXCEPTION_ALARM_RECONNECT_CLOSED`).
    AlarmReconnectClosed,
    /// The live stream broke (`EXCEPTION_PREVIEW`).
    PreviewException,
    /// The SDK is reconnecting the live stream (`EXCEPTION_RECONNECT`).
    PreviewReconnecting,
    /// The live stream reconnected (`PREVIEW_RECONNECTSUCCESS`).
    PreviewReconnected,
    /// The SDK gave up reconnecting the live stream (`EXCEPTION_PREVIEW_RECONNECT_CLOSED`).
    PreviewReconnectClosed,
    /// Playback broke (`EXCEPTION_PLAYBACK`).
    PlaybackException,
    /// The SDK is logging in again after losing the device (`EXCEPTION_RELOGIN`).
    Relogin,
    /// The automatic re-login succeeded (`RELOGIN_SUCCESS`).
    Relogged,
    /// The automatic re-login failed (`EXCEPTION_RELOGIN_FAILED`).
    ReloginFailed,
    /// This crate stopped the preview because its session logged out
    /// ([`Session::logout`](crate::Session::logout) on another handle); the last event of
    /// that preview. Not from the SDK: `raw_type` is 0.
    StoppedByLogout,
    /// Any other exception type; the value is `dwType`.
    Other(u32),
}

impl EventKind {
    /// The kind for the SDK's `dwType`.
    pub fn from_raw(raw: u32) -> Self {
        match raw {
            sys::EXCEPTION_EXCHANGE => Self::ConnectionLost,
            sys::RESUME_EXCHANGE => Self::ConnectionResumed,
            sys::EXCEPTION_AUDIOEXCHANGE => Self::AudioException,
            sys::EXCEPTION_ALARM => Self::AlarmException,
            sys::EXCEPTION_ALARMRECONNECT => Self::AlarmReconnecting,
            sys::ALARM_RECONNECTSUCCESS => Self::AlarmReconnected,
            sys::EXCEPTION_ALARM_RECONNECT_CLOSED => Self::AlarmReconnectClosed,
            sys::EXCEPTION_PREVIEW => Self::PreviewException,
            sys::EXCEPTION_RECONNECT => Self::PreviewReconnecting,
            sys::PREVIEW_RECONNECTSUCCESS => Self::PreviewReconnected,
            sys::EXCEPTION_PREVIEW_RECONNECT_CLOSED => Self::PreviewReconnectClosed,
            sys::EXCEPTION_PLAYBACK => Self::PlaybackException,
            sys::EXCEPTION_RELOGIN => Self::Relogin,
            sys::RELOGIN_SUCCESS => Self::Relogged,
            sys::EXCEPTION_RELOGIN_FAILED => Self::ReloginFailed,
            other => Self::Other(other),
        }
    }

    /// Whether the event concerns one live stream (and is routed to its [`Preview`](crate::Preview)).
    pub fn is_preview(self) -> bool {
        matches!(
            self,
            Self::PreviewException
                | Self::PreviewReconnecting
                | Self::PreviewReconnected
                | Self::PreviewReconnectClosed
                | Self::StoppedByLogout
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Self::ConnectionLost => "connection to the device lost",
            Self::ConnectionResumed => "connection to the device resumed",
            Self::AudioException => "two-way audio broke",
            Self::AlarmException => "alarm channel broke",
            Self::AlarmReconnecting => "alarm channel reconnecting",
            Self::AlarmReconnected => "alarm channel reconnected",
            Self::AlarmReconnectClosed => "alarm channel reconnect gave up",
            Self::PreviewException => "live stream broke",
            Self::PreviewReconnecting => "live stream reconnecting",
            Self::PreviewReconnected => "live stream reconnected",
            Self::PreviewReconnectClosed => "live stream reconnect gave up",
            Self::PlaybackException => "playback broke",
            Self::Relogin => "logging in again",
            Self::Relogged => "logged in again",
            Self::ReloginFailed => "logging in again failed",
            Self::StoppedByLogout => "stopped because the session logged out",
            Self::Other(raw) => return write!(f, "exception type {raw:#x}"),
        };
        f.write_str(s)
    }
}

/// One exception or reconnect event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The SDK's `dwType`.
    pub raw_type: u32,
    /// The user ID (`lUserID`) the SDK reported.
    pub user_id: i32,
    /// The handle (`lHandle`) the SDK reported, when it named one.
    pub handle: Option<i32>,
    /// When the event reached this crate.
    pub received: Instant,
}

impl Event {
    /// How many undelivered events a session or preview keeps; older ones are dropped
    /// first.
    pub const QUEUE_CAPACITY: usize = 256;

    /// An event this crate makes itself (not from the SDK's callback): `raw_type` 0.
    pub(crate) fn own(kind: EventKind, user_id: i32, handle: Option<i32>) -> Self {
        Self {
            kind,
            raw_type: 0,
            user_id,
            handle,
            received: Instant::now(),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (user {}", self.kind, self.user_id)?;
        if let Some(h) = self.handle {
            write!(f, ", handle {h}")?;
        }
        f.write_str(")")
    }
}

/// A bounded queue of events for one session, preview or playback (`T`: [`Event`], or a
/// handle's own event type such as [`PlaybackEvent`](crate::PlaybackEvent)).
///
/// Full: the oldest event is dropped and counted. Closed (its session logged out or its
/// handle stopped): what is queued can still be read, then readers get `None` at once.
/// Pushing takes one short lock and never waits for a reader, so it cannot stall the SDK's
/// exception thread; it wakes blocked readers and, with feature `tokio`, streams.
#[derive(Debug)]
pub(crate) struct EventQueue<T = Event> {
    state: Mutex<QueueState<T>>,
    ready: Condvar,
    dropped: AtomicU64,
}

#[derive(Debug)]
struct QueueState<T> {
    events: VecDeque<T>,
    closed: bool,
    /// Streams waiting for an event (feature `tokio`).
    #[cfg(feature = "tokio")]
    wakers: Vec<std::task::Waker>,
}

impl<T> QueueState<T> {
    fn wake(&mut self) {
        #[cfg(feature = "tokio")]
        for w in self.wakers.drain(..) {
            w.wake();
        }
    }
}

impl<T> EventQueue<T> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(QueueState {
                events: VecDeque::with_capacity(16),
                closed: false,
                #[cfg(feature = "tokio")]
                wakers: Vec::new(),
            }),
            ready: Condvar::new(),
            dropped: AtomicU64::new(0),
        })
    }

    pub(crate) fn push(&self, event: T) {
        let mut q = lock(&self.state);
        self.push_locked(&mut q, event);
        drop(q);
        self.ready.notify_all();
    }

    fn push_locked(&self, q: &mut QueueState<T>, event: T) {
        if q.events.len() >= Event::QUEUE_CAPACITY {
            q.events.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        q.events.push_back(event);
        q.wake();
    }

    /// Push the last event and close, in one step; `false` (nothing pushed) if the queue
    /// was already closed. Of several racing last events, the first one wins.
    pub(crate) fn push_last(&self, event: T) -> bool {
        let mut q = lock(&self.state);
        if q.closed {
            return false;
        }
        self.push_locked(&mut q, event);
        q.closed = true;
        drop(q);
        self.ready.notify_all();
        true
    }

    /// No more events will come: readers get what is queued, then `None`.
    pub(crate) fn close(&self) {
        let mut q = lock(&self.state);
        q.closed = true;
        q.wake();
        drop(q);
        self.ready.notify_all();
    }

    /// Whether it was closed (events may still be queued).
    pub(crate) fn is_closed(&self) -> bool {
        lock(&self.state).closed
    }

    pub(crate) fn try_next(&self) -> Option<T> {
        lock(&self.state).events.pop_front()
    }

    pub(crate) fn next_timeout(&self, timeout: Duration) -> Option<T> {
        let deadline = Instant::now().checked_add(timeout);
        let mut q = lock(&self.state);
        loop {
            if let Some(e) = q.events.pop_front() {
                return Some(e);
            }
            if q.closed {
                return None;
            }
            let wait = match deadline {
                Some(d) => d
                    .checked_duration_since(Instant::now())
                    .filter(|w| !w.is_zero())?,
                None => Duration::from_secs(3600),
            };
            q = wait_timeout(&self.ready, q, wait);
        }
    }

    /// The next event, `Ready(None)` once closed and drained, or `Pending` after
    /// registering `cx`'s waker.
    #[cfg(feature = "tokio")]
    pub(crate) fn poll_next(&self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
        let mut q = lock(&self.state);
        if let Some(e) = q.events.pop_front() {
            return std::task::Poll::Ready(Some(e));
        }
        if q.closed {
            return std::task::Poll::Ready(None);
        }
        if !q.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            q.wakers.push(cx.waker().clone());
        }
        std::task::Poll::Pending
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// Where the exception callback delivers an event: a session's or preview's queue, or a
/// handle that turns it into its own event (a playback).
pub(crate) trait EventTarget: Send + Sync {
    /// Take `event`; one short lock at most (this runs on the SDK's exception thread).
    fn take(&self, event: Event);
}

impl EventTarget for EventQueue {
    fn take(&self, event: Event) {
        self.push(event);
    }
}

type Table = Mutex<Vec<(i32, Weak<dyn EventTarget>)>>;

static SESSIONS: Table = Mutex::new(Vec::new());
static PREVIEWS: Table = Mutex::new(Vec::new());
static PLAYBACKS: Table = Mutex::new(Vec::new());

/// A registration in the routing table; unregisters on drop.
#[derive(Debug)]
pub(crate) struct Route {
    table: &'static Table,
    key: i32,
    target: Weak<dyn EventTarget>,
}

impl Route {
    fn register(table: &'static Table, key: i32, target: Weak<dyn EventTarget>) -> Self {
        let mut t = lock(table);
        // A stale entry with the same key (IDs are reused) is replaced.
        t.retain(|(k, q)| *k != key && q.strong_count() > 0);
        t.push((key, target.clone()));
        Self { table, key, target }
    }

    /// Route events of user ID `user_id` to `queue`.
    pub(crate) fn session(user_id: i32, queue: &Arc<EventQueue>) -> Self {
        let weak: Weak<EventQueue> = Arc::downgrade(queue);
        Self::register(&SESSIONS, user_id, weak)
    }

    /// Route preview events of real-play handle `handle` to `queue`.
    pub(crate) fn preview(handle: i32, queue: &Arc<EventQueue>) -> Self {
        let weak: Weak<EventQueue> = Arc::downgrade(queue);
        Self::register(&PREVIEWS, handle, weak)
    }

    /// Route playback events (`EXCEPTION_PLAYBACK`) of playback handle `handle` to `target`.
    pub(crate) fn playback(handle: i32, target: Weak<dyn EventTarget>) -> Self {
        Self::register(&PLAYBACKS, handle, target)
    }
}

impl Drop for Route {
    fn drop(&mut self) {
        lock(self.table).retain(|(k, q)| !(*k == self.key && Weak::ptr_eq(q, &self.target)));
    }
}

fn find(table: &Table, key: i32) -> Option<Arc<dyn EventTarget>> {
    lock(table)
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, q)| q.upgrade())
}

/// Deliver one event to whoever it concerns. Returns whether anyone took it.
pub(crate) fn dispatch(raw_type: u32, user_id: i32, handle: i32) -> bool {
    let kind = EventKind::from_raw(raw_type);
    let event = Event {
        kind,
        raw_type,
        user_id,
        handle: (handle >= 0).then_some(handle),
        received: Instant::now(),
    };
    tracing::info!(kind = %kind, raw_type, user_id, handle, "HCNetSDK exception event");
    let by_handle = if kind.is_preview() {
        Some(&PREVIEWS)
    } else if kind == EventKind::PlaybackException {
        Some(&PLAYBACKS)
    } else {
        None
    };
    let target = by_handle
        .filter(|_| handle >= 0)
        .and_then(|table| find(table, handle))
        .or_else(|| find(&SESSIONS, user_id));
    match target {
        Some(t) => {
            t.take(event);
            true
        }
        None => {
            tracing::debug!(
                raw_type,
                user_id,
                handle,
                "exception event for no live session, preview or playback"
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_events_go_to_the_preview_others_to_the_session() {
        let sq = EventQueue::new();
        let pq = EventQueue::new();
        let _s = Route::session(9001, &sq);
        let _p = Route::preview(9002, &pq);
        assert!(dispatch(sys::EXCEPTION_RECONNECT, 9001, 9002));
        assert!(dispatch(sys::EXCEPTION_EXCHANGE, 9001, -1));
        assert_eq!(pq.try_next().unwrap().kind, EventKind::PreviewReconnecting);
        let e = sq.try_next().unwrap();
        assert_eq!(e.kind, EventKind::ConnectionLost);
        assert_eq!(e.handle, None);
        assert!(pq.try_next().is_none() && sq.try_next().is_none());
    }

    #[test]
    fn preview_event_for_unknown_handle_falls_back_to_the_session() {
        let sq = EventQueue::new();
        let _s = Route::session(9101, &sq);
        assert!(dispatch(sys::EXCEPTION_PREVIEW, 9101, 9999));
        assert_eq!(sq.try_next().unwrap().kind, EventKind::PreviewException);
    }

    #[test]
    fn dropped_route_stops_delivery_and_never_removes_a_newer_one() {
        let old = EventQueue::new();
        let new = EventQueue::new();
        let r_old = Route::session(9201, &old);
        let _r_new = Route::session(9201, &new);
        drop(r_old);
        assert!(dispatch(sys::EXCEPTION_EXCHANGE, 9201, -1));
        assert!(new.try_next().is_some());
        assert!(old.try_next().is_none());
    }

    #[test]
    fn queue_drops_oldest_when_full_and_counts() {
        let q = EventQueue::new();
        for i in 0..(Event::QUEUE_CAPACITY as i32 + 3) {
            q.push(Event {
                kind: EventKind::Other(1),
                raw_type: 1,
                user_id: i,
                handle: None,
                received: Instant::now(),
            });
        }
        assert_eq!(q.dropped(), 3);
        assert_eq!(q.try_next().unwrap().user_id, 3);
        assert!(q.next_timeout(Duration::from_millis(1)).is_some());
    }

    #[test]
    fn a_closed_queue_hands_out_what_it_holds_then_none_at_once() {
        let q = EventQueue::new();
        q.push(Event::own(EventKind::StoppedByLogout, 1, Some(2)));
        q.close();
        let start = Instant::now();
        assert_eq!(
            q.next_timeout(Duration::from_secs(5)).unwrap().kind,
            EventKind::StoppedByLogout
        );
        assert!(q.next_timeout(Duration::from_secs(5)).is_none());
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "a closed queue does not wait"
        );
    }

    #[test]
    fn the_first_last_event_wins_and_closes() {
        let q = EventQueue::<u8>::new();
        q.push(1);
        assert!(q.push_last(2));
        assert!(!q.push_last(3), "closed: a later last event is dropped");
        assert!(q.is_closed());
        assert_eq!(q.try_next(), Some(1));
        assert_eq!(q.next_timeout(Duration::from_secs(5)), Some(2));
        assert_eq!(q.next_timeout(Duration::from_secs(5)), None);
    }

    /// Takes what the routing hands it.
    struct Taken(Mutex<Vec<EventKind>>);

    impl EventTarget for Taken {
        fn take(&self, event: Event) {
            self.0.lock().unwrap().push(event.kind);
        }
    }

    #[test]
    fn playback_exceptions_go_to_the_playback_by_handle() {
        let sq = EventQueue::new();
        let playback = Arc::new(Taken(Mutex::new(Vec::new())));
        let _s = Route::session(9301, &sq);
        let weak: Weak<dyn EventTarget> = Arc::downgrade(&playback) as Weak<Taken>;
        let route = Route::playback(9302, weak);
        assert!(dispatch(sys::EXCEPTION_PLAYBACK, 9301, 9302));
        assert_eq!(*playback.0.lock().unwrap(), [EventKind::PlaybackException]);
        assert!(sq.try_next().is_none());
        drop(route);
        assert!(dispatch(sys::EXCEPTION_PLAYBACK, 9301, 9302));
        assert_eq!(sq.try_next().unwrap().kind, EventKind::PlaybackException);
        assert_eq!(playback.0.lock().unwrap().len(), 1);
    }

    #[test]
    fn unknown_types_are_kept_raw() {
        assert_eq!(EventKind::from_raw(0x1234), EventKind::Other(0x1234));
        assert_eq!(
            EventKind::from_raw(sys::PREVIEW_RECONNECTSUCCESS),
            EventKind::PreviewReconnected
        );
        assert!(EventKind::PreviewReconnectClosed.is_preview());
        assert!(!EventKind::ConnectionLost.is_preview());
    }
}
