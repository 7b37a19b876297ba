//! What a [`Session`](super::Session) knows about the handles made from it: the registry
//! that stops them all at logout, and the guard that keeps the user ID alive during a call.
//!
//! A handle kind that owns SDK state under the login (a preview, a playback, a download,
//! an alarm arming) implements [`SessionHandle`] and registers a weak reference when it
//! starts ([`Registry::register`]). A recording search does not: it is pulled, its next
//! call fails with `LoggedOut`, and the SDK frees its find handle at logout. An explicit logout closes the
//! registry (no new registration succeeds), stops every live handle through
//! [`SessionHandle::session_closing`], and only then calls `NET_DVR_Logout`.

use std::sync::{Arc, Mutex, RwLockReadGuard, Weak};

use crate::sync::lock;

/// A handle that must stop before its session logs out.
pub(crate) trait SessionHandle: Send + Sync {
    /// The session is logging out: release the SDK state now (never failing the logout;
    /// state the SDK may still use is leaked, as on any failed stop) and tell the owner why
    /// (an event), so that later calls fail with [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut).
    fn session_closing(&self);
}

/// The live handles of one session.
#[derive(Default)]
pub(crate) struct Registry {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    closing: bool,
    next_id: u64,
    handles: Vec<(u64, Weak<dyn SessionHandle>)>,
}

impl Registry {
    /// Register a handle; `None` once the session is logging out (the caller then stops
    /// what it started and reports the logout).
    pub(crate) fn register(&self, handle: Weak<dyn SessionHandle>) -> Option<u64> {
        let mut e = lock(&self.inner);
        if e.closing {
            return None;
        }
        e.handles.retain(|(_, h)| h.strong_count() > 0);
        let id = e.next_id;
        e.next_id += 1;
        e.handles.push((id, handle));
        Some(id)
    }

    /// Whether a logout has begun (no registration succeeds any more).
    pub(crate) fn is_closing(&self) -> bool {
        lock(&self.inner).closing
    }

    /// Forget a handle that stopped on its own.
    pub(crate) fn unregister(&self, id: u64) {
        lock(&self.inner).handles.retain(|(i, _)| *i != id);
    }

    /// Refuse new registrations and take every handle still alive.
    pub(crate) fn close(&self) -> Vec<Arc<dyn SessionHandle>> {
        let mut e = lock(&self.inner);
        e.closing = true;
        std::mem::take(&mut e.handles)
            .into_iter()
            .filter_map(|(_, h)| h.upgrade())
            .collect()
    }
}

/// Proof that the session is logged in, held across an SDK call that uses its user ID:
/// a logout waits until it is dropped.
pub(crate) struct Live<'a> {
    pub(super) _guard: RwLockReadGuard<'a, bool>,
    pub(super) user_id: i32,
}

impl Live<'_> {
    /// The user ID, valid while this guard lives.
    pub(crate) fn user_id(&self) -> i32 {
        self.user_id
    }
}
