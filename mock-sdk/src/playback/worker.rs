//! The thread behind one playback: it takes the stream's chunks, paces them by their media
//! times and the speed, and calls the data callback without holding any lock.

use std::ptr::null_mut;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hcnetsdk_device::recordings::StreamEnd;
use hcnetsdk_sys::{NET_DVR_PLAYBACK_ALLFILEEND, NET_DVR_STREAMDATA, NET_DVR_SYSHEAD};

use super::{Ctl, End, Playback};
use crate::events::{self, EXCEPTION_PLAYBACK};
use crate::preview::DataCb;
use crate::sync::{wait, wait_timeout};

/// A callback late by more than this re-anchors the schedule (a slow callback, a stall).
const STALL: Duration = Duration::from_millis(500);

/// What the worker does next.
enum Step {
    /// Wait for a change, or for this long.
    Wait(Option<Duration>),
    /// Look again at once.
    Again,
    /// Call the data callback: (type, bytes; `None`: NULL buffer, size 0).
    Deliver(DataCb, u32, Option<Vec<u8>>),
}

/// The worker thread's body.
pub(super) fn run(p: Arc<Playback>) {
    let _ = p.worker_id.set(std::thread::current().id());
    let mut c = p.ctl();
    while !c.stop {
        match next(&p, &mut c) {
            Step::Wait(None) => c = wait(&p.cv, c),
            Step::Wait(Some(d)) => c = wait_timeout(&p.cv, c, d),
            Step::Again => {}
            Step::Deliver(cb, kind, mut data) => {
                drop(c);
                deliver(&p, cb, kind, data.as_mut());
                c = p.ctl();
            }
        }
    }
    c.exited = true;
    drop(c);
    p.cv.notify_all();
}

fn listening(c: &Ctl) -> bool {
    matches!(c.cb, DataCb::Ptr(Some(_), _))
}

/// Choose the next step under the playback's lock.
fn next(p: &Playback, c: &mut Ctl) -> Step {
    if !c.started || c.paused || !listening(c) {
        return Step::Wait(None);
    }
    if c.final_pending {
        c.final_pending = false;
        return Step::Deliver(c.cb, NET_DVR_PLAYBACK_ALLFILEEND, None);
    }
    if c.end != End::Running {
        return Step::Wait(None);
    }
    if c.pending.is_none() {
        return take(p, c);
    }
    if let Some(wait) = not_due(p, c) {
        return Step::Wait(Some(wait));
    }
    let Some(chunk) = c.pending.take() else {
        return Step::Again;
    };
    let kind = match chunk.media_time {
        None => {
            c.header_sent = true;
            NET_DVR_SYSHEAD
        }
        Some(t) => {
            c.at = Some(t);
            NET_DVR_STREAMDATA
        }
    };
    Step::Deliver(c.cb, kind, Some(chunk.data))
}

/// Take the stream's next chunk (a header after a seek is skipped), or end.
fn take(p: &Playback, c: &mut Ctl) -> Step {
    loop {
        match c.stream.next() {
            Some(ch) if ch.media_time.is_none() && c.header_sent => continue,
            Some(ch) => {
                c.pending = Some(ch);
                return Step::Again;
            }
            None if c.stream.end() == StreamEnd::NetworkDrop => {
                c.end = End::Dropped;
                events::emit(EXCEPTION_PLAYBACK, p.user_id, p.handle);
                return Step::Again;
            }
            None => {
                c.end = End::Complete;
                c.final_pending = true;
                return Step::Again;
            }
        }
    }
}

/// How long until the pending chunk is due (`None`: now). Fast devices never wait.
fn not_due(p: &Playback, c: &mut Ctl) -> Option<Duration> {
    let media = c.pending.as_ref()?.media_time?;
    if p.fast {
        return None;
    }
    let now = Instant::now();
    let (t0, m0) = *c.anchor.get_or_insert((now, media));
    let media_ns = media.as_nanosecond() - m0.as_nanosecond();
    let real_ns = if c.speed >= 0 {
        media_ns >> c.speed
    } else {
        media_ns << (-c.speed)
    };
    let Ok(real_ns) = u64::try_from(real_ns) else {
        c.anchor = Some((now, media)); // time went backwards (a seek): start again here
        return None;
    };
    let due = t0 + Duration::from_nanos(real_ns);
    if now < due {
        return Some(due - now);
    }
    if now > due + STALL {
        c.anchor = Some((now, media));
    }
    None
}

/// Call the client's data callback with a private writable buffer (or NULL and 0).
fn deliver(p: &Playback, cb: DataCb, kind: u32, data: Option<&mut Vec<u8>>) {
    let (ptr, len) = match data {
        Some(d) => (d.as_mut_ptr(), d.len() as u32),
        None => (null_mut(), 0),
    };
    if let DataCb::Ptr(Some(f), user) = cb {
        // SAFETY: the client registered `f` for this handle with these argument types; `ptr`
        // is NULL only with `len` 0, else valid and writable for `len` bytes during the call.
        unsafe { f(p.handle, kind, ptr, len, user.0) }
    }
}
