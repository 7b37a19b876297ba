//! Routing on the SDK's thread: from the one process-wide message callback to the queues
//! of the session the message belongs to, with no lock and no allocation.
//!
//! * **The table.** One [`Entry`] per possible user ID (`0..MAX_USER_IDS`, the SDK's limit
//!   of logins): an `AtomicPtr` to the session's [`Router`] and a count of callbacks using
//!   it. A callback bumps the count, loads the pointer, delivers, and drops the count: two
//!   read-modify-writes and a load, whatever the number of sessions. No lookup by address.
//! * **Changing an entry** (arming, a second subscriber, disarming) is rare and happens off
//!   the SDK's thread: the new router is swapped in and the old one is freed once the
//!   entry's count has been seen at zero after the swap (a callback that loaded the old
//!   pointer bumped the count first; the orders are `SeqCst`, so the swap cannot be ordered
//!   between its bump and its load).
//! * **A router** holds the subscribers (one per [`Alarms`](super::Alarms) handle, each
//!   with its own pooled queue) and the link state of the arming. Each subscriber's
//!   producer is taken with one compare-and-swap (`busy`): if the SDK ever delivers two
//!   messages for one session on two threads at once, the second is dropped and counted
//!   (`overlapping`), never waited for.
//! * **Loss** is counted at every step: no router for the user ID (`unrouted`), a busy
//!   producer (`overlapping`), a full queue (the ring's own count, reported on the next
//!   alarm as `lost_before`).

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

use super::capture::{Capture, Meta};
use super::state::LinkState;
use crate::preview::ring::{Grow, Producer, Shared};

/// User IDs the table covers: the SDK's maximum number of logins (IDs `0..2048`).
pub(crate) const MAX_USER_IDS: usize = 2048;

/// One user ID's slot.
struct Entry {
    /// Callbacks between their bump and their drop of this count.
    active: AtomicUsize,
    router: AtomicPtr<Router>,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Entry = Entry {
    active: AtomicUsize::new(0),
    router: AtomicPtr::new(std::ptr::null_mut()),
};

static TABLE: [Entry; MAX_USER_IDS] = [EMPTY; MAX_USER_IDS];

/// Messages for a user ID nobody armed (or outside the table), since the process started.
static UNROUTED: AtomicU64 = AtomicU64::new(0);

/// Messages that arrived for no armed session (or no listener), process-wide.
pub(crate) fn unrouted() -> u64 {
    UNROUTED.load(Ordering::Relaxed)
}

/// One subscriber: the producer end of one [`Alarms`](super::Alarms) handle's queue.
pub(crate) struct Sub {
    busy: AtomicBool,
    producer: UnsafeCell<Producer<Meta>>,
    shared: Arc<Shared<Meta>>,
    overlapping: AtomicU64,
}

// SAFETY: `producer` is touched only by whoever won the `busy` compare-and-swap (acquire),
// and given back with a release store; everything else is atomic or immutable.
unsafe impl Sync for Sub {}
// SAFETY: the producer moves with the subscriber; its meta is plain data.
unsafe impl Send for Sub {}

impl Sub {
    pub(crate) fn new(producer: Producer<Meta>, shared: Arc<Shared<Meta>>) -> Self {
        Self {
            busy: AtomicBool::new(false),
            producer: UnsafeCell::new(producer),
            shared,
            overlapping: AtomicU64::new(0),
        }
    }

    /// Run `f` with exclusive access to the producer; `false` (counted) if another thread
    /// has it, after `spins` more tries.
    #[inline]
    pub(crate) fn with_producer(&self, spins: u32, f: impl FnOnce(&mut Producer<Meta>)) -> bool {
        let mut left = spins;
        while self
            .busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            if left == 0 {
                self.overlapping.fetch_add(1, Ordering::Relaxed);
                return false;
            }
            left -= 1;
            std::hint::spin_loop();
        }
        // SAFETY: this thread won `busy`; nobody else touches the producer until the
        // release store below.
        f(unsafe { &mut *self.producer.get() });
        self.busy.store(false, Ordering::Release);
        true
    }

    /// Queue one captured message (the SDK's thread: never waits).
    #[inline]
    pub(crate) fn push(&self, c: &Capture<'_>) {
        self.with_producer(0, |p| {
            p.push(c.len(), Grow::WhenShort, |buf| c.write(buf));
        });
    }

    /// Messages dropped because another thread held this producer.
    pub(crate) fn overlapping(&self) -> u64 {
        self.overlapping.load(Ordering::Relaxed)
    }

    /// Messages dropped because the queue was full.
    pub(crate) fn lost(&self) -> u64 {
        self.shared.lost()
    }

    /// No more alarms: the receiver sees the end once drained.
    pub(crate) fn close(&self) {
        self.shared.close();
    }
}

/// What a user ID's entry points to: the subscribers and the arming's link state.
pub(crate) struct Router {
    pub(crate) subs: Box<[Arc<Sub>]>,
    pub(crate) link: Arc<LinkState>,
}

impl Router {
    /// Deliver one message to every subscriber.
    #[inline]
    pub(crate) fn deliver(&self, c: &Capture<'_>) {
        self.link.heard();
        for s in self.subs.iter() {
            s.push(c);
        }
    }
}

fn entry(user_id: i32) -> Option<&'static Entry> {
    usize::try_from(user_id).ok().and_then(|i| TABLE.get(i))
}

/// Run `f` with the router of `user_id`, if there is one. The SDK's thread: no lock, no
/// allocation.
#[inline]
pub(crate) fn with_router<R>(user_id: i32, f: impl FnOnce(&Router) -> R) -> Option<R> {
    let Some(e) = entry(user_id) else {
        UNROUTED.fetch_add(1, Ordering::Relaxed);
        return None;
    };
    e.active.fetch_add(1, Ordering::SeqCst);
    let p = e.router.load(Ordering::SeqCst);
    // SAFETY: a router is freed only after it was swapped out *and* `active` was then seen
    // at zero; this callback's bump came before its load (SeqCst), so it is counted.
    let out = (!p.is_null()).then(|| f(unsafe { &*p }));
    e.active.fetch_sub(1, Ordering::Release);
    if out.is_none() {
        UNROUTED.fetch_add(1, Ordering::Relaxed);
    }
    out
}

/// Like [`with_router`], without counting a miss (exception events for sessions that
/// never armed are not alarms).
pub(crate) fn peek_router<R>(user_id: i32, f: impl FnOnce(&Router) -> R) -> Option<R> {
    let e = entry(user_id)?;
    e.active.fetch_add(1, Ordering::SeqCst);
    let p = e.router.load(Ordering::SeqCst);
    // SAFETY: as in `with_router`.
    let out = (!p.is_null()).then(|| f(unsafe { &*p }));
    e.active.fetch_sub(1, Ordering::Release);
    out
}

/// Point `user_id`'s entry at `router` (or at nothing), and free the router it replaced
/// once no callback uses it. Never called on the SDK's thread (teardown goes through the
/// reaper), since it waits for the callbacks in flight.
pub(crate) fn publish(user_id: i32, router: Option<Router>) {
    let Some(e) = entry(user_id) else { return };
    let new = router.map_or(std::ptr::null_mut(), |r| Box::into_raw(Box::new(r)));
    let old = e.router.swap(new, Ordering::SeqCst);
    if old.is_null() {
        return;
    }
    let mut spins = 0u32;
    while e.active.load(Ordering::SeqCst) != 0 {
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
    // SAFETY: swapped out above, and no callback that could have loaded it is still
    // running (see `with_router`); made by `Box::into_raw` here.
    drop(unsafe { Box::from_raw(old) });
}

#[cfg(test)]
pub(crate) fn entry_is_empty(user_id: i32) -> bool {
    entry(user_id).is_none_or(|e| e.router.load(Ordering::SeqCst).is_null())
}
