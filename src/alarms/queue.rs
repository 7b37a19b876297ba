//! [`AlarmReceiver`]: the consumer end of one [`Alarms`](super::Alarms) handle's queue,
//! the pooled single-consumer ring of the preview (`src/preview/ring.rs`, used here
//! as `crate::preview::ring`) carrying a message's [`Meta`] beside its bytes. Decoding into an
//! [`Alarm`] happens here, on the consumer's thread.

use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use super::capture::Meta;
use super::decode::decode;
use super::route::Sub;
use super::types::Alarm;
use crate::RecvTimeoutError;
use crate::preview::ring::{self, Held, Receiver};
use crate::time::TimeBasis;

/// A new queue of `capacity` (≥ 1) messages: the subscriber for the router, the receiver
/// for the user.
pub(crate) fn alarm_queue(capacity: usize, basis: TimeBasis) -> (Arc<Sub>, AlarmReceiver) {
    let (producer, inner, shared) = ring::ring(capacity, &Meta::INIT);
    let sub = Arc::new(Sub::new(producer, shared));
    let receiver = AlarmReceiver {
        inner,
        basis,
        sub: Arc::clone(&sub),
    };
    (sub, receiver)
}

/// The alarms of one [`Alarms`](super::Alarms) handle, in the order they came. One
/// consumer (not `Clone`; receiving takes `&mut self`). It may outlive the handle: once the
/// arming has stopped and the queue is drained, [`recv`](Self::recv) returns `None`.
///
/// The SDK's thread never waits for it: when the queue is full the newest message is
/// dropped and counted ([`lost`](Self::lost)), and the next alarm says how many were lost
/// just before it ([`Alarm::lost_before`]). With feature `tokio` it is a
/// `futures_core::Stream<Item = Alarm>`.
pub struct AlarmReceiver {
    inner: Receiver<Meta>,
    basis: TimeBasis,
    sub: Arc<Sub>,
}

impl fmt::Debug for AlarmReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlarmReceiver")
            .field("capacity", &self.inner.capacity())
            .field("lost", &self.lost())
            .field("stopped", &self.is_stopped())
            .finish_non_exhaustive()
    }
}

fn to_alarm(held: Held<Meta>, basis: &TimeBasis) -> Alarm {
    let d = held.get();
    let mut alarm = decode(&d.meta, &d.buf, basis);
    alarm.lost_before = d.lost_before;
    alarm
}

impl AlarmReceiver {
    /// The next alarm if one is queued.
    pub fn try_recv(&mut self) -> Option<Alarm> {
        self.inner.try_recv().map(|h| to_alarm(h, &self.basis))
    }

    /// Wait for the next alarm; `None` once the arming stopped and the queue is empty.
    pub fn recv(&mut self) -> Option<Alarm> {
        self.inner.recv().map(|h| to_alarm(h, &self.basis))
    }

    /// Wait up to `timeout` for the next alarm.
    ///
    /// # Errors
    /// [`RecvTimeoutError::Timeout`] if none came; [`RecvTimeoutError::Stopped`] once the
    /// arming stopped (handle dropped, logout) and the queue is empty.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Alarm, RecvTimeoutError> {
        let basis = &self.basis;
        self.inner.recv_timeout(timeout).map(|h| to_alarm(h, basis))
    }

    /// Poll for the next alarm (the `Stream` of feature `tokio`, usable from any
    /// executor): `Ready(None)` once stopped and drained.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Alarm>> {
        let basis = &self.basis;
        self.inner
            .poll_recv(cx)
            .map(|h| h.map(|h| to_alarm(h, basis)))
    }

    /// Alarms dropped so far: the queue was full, or (rarely) another SDK thread was
    /// delivering to it at the same moment.
    pub fn lost(&self) -> u64 {
        self.sub.lost() + self.sub.overlapping()
    }

    /// Whether the arming has stopped (alarms may still be queued).
    pub fn is_stopped(&self) -> bool {
        self.inner.is_stopped()
    }

    /// The queue's capacity.
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }
}

impl Iterator for AlarmReceiver {
    type Item = Alarm;

    /// [`recv`](AlarmReceiver::recv).
    fn next(&mut self) -> Option<Alarm> {
        self.recv()
    }
}
