//! Whether this thread is running one of our callbacks for the SDK.
//!
//! Every trampoline in this module tree enters a [`CallbackScope`] for the time it runs our
//! code. Teardown (`NET_DVR_Logout`, `NET_DVR_StopRealPlay`, `NET_DVR_Cleanup`) checks
//! [`in_sdk_callback`] and, inside a callback, hands itself to the reaper thread
//! (`crate::reaper`) instead of running on the SDK's thread, where the real SDK may wait for
//! the very callback that asked. One thread-local counter: no allocation, no lock.

use std::cell::Cell;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Marks this thread as inside an SDK callback until dropped (nests).
pub(crate) struct CallbackScope(());

impl CallbackScope {
    #[inline]
    pub(crate) fn enter() -> Self {
        let _ = DEPTH.try_with(|d| d.set(d.get().saturating_add(1)));
        Self(())
    }
}

impl Drop for CallbackScope {
    #[inline]
    fn drop(&mut self) {
        let _ = DEPTH.try_with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether this thread is inside one of our SDK callbacks.
pub(crate) fn in_sdk_callback() -> bool {
    DEPTH.try_with(|d| d.get() > 0).unwrap_or(false)
}
