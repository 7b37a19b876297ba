//! The exception callback (`NET_DVR_SetExceptionCallBack_V30`) and session reconnects.
//!
//! Events go through one mock-owned dispatcher thread, in order, so the client's callback
//! never runs on its own thread and never runs twice at once. What fires when:
//!
//! | cause                                   | events (dwType, lUserID, lHandle)                          |
//! |-----------------------------------------|------------------------------------------------------------|
//! | session disconnected (MOCK or offline)  | EXCEPTION_EXCHANGE (32768, user, -1)                        |
//! | ... reconnected (SetReconnect on)       | RESUME_EXCHANGE (32791, user, -1)                           |
//! | preview disconnected                    | EXCEPTION_PREVIEW (32771, user, real handle)                |
//! | ... each reconnect attempt              | EXCEPTION_RECONNECT (32773, user, real handle)              |
//! | ... reconnected                         | PREVIEW_RECONNECTSUCCESS (32789, user, real handle)         |
//! | ... reconnect off                       | EXCEPTION_PREVIEW only; the preview stays without data      |

use std::sync::atomic::Ordering;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::registry::{self, Session};
use crate::settings;

/// `dwType` values (constants.csv).
pub(crate) const EXCEPTION_EXCHANGE: u32 = hcnetsdk_sys::EXCEPTION_EXCHANGE;
pub(crate) const EXCEPTION_PREVIEW: u32 = hcnetsdk_sys::EXCEPTION_PREVIEW;
pub(crate) const EXCEPTION_RECONNECT: u32 = hcnetsdk_sys::EXCEPTION_RECONNECT;
pub(crate) const PREVIEW_RECONNECTSUCCESS: u32 = hcnetsdk_sys::PREVIEW_RECONNECTSUCCESS;
pub(crate) const RESUME_EXCHANGE: u32 = hcnetsdk_sys::RESUME_EXCHANGE;

#[derive(Debug, Clone, Copy)]
struct Event {
    kind: u32,
    user: i32,
    handle: i32,
}

static TX: Mutex<Option<Sender<Event>>> = Mutex::new(None);

/// Queue one exception event for the client's callback.
pub(crate) fn emit(kind: u32, user: i32, handle: i32) {
    let mut g = TX.lock().unwrap_or_else(|p| p.into_inner());
    let ev = Event { kind, user, handle };
    if let Some(tx) = g.as_ref()
        && tx.send(ev).is_ok()
    {
        return;
    }
    let (tx, rx) = channel::<Event>();
    let spawned = std::thread::Builder::new()
        .name("hcnetsdk-mock-exceptions".into())
        .spawn(move || {
            while let Ok(ev) = rx.recv() {
                let s = settings::get();
                if let Some(cb) = s.exception_cb {
                    // SAFETY: the client registered `cb` with NET_DVR_SetExceptionCallBack_V30
                    // for exactly these arguments and promised it may run on SDK threads;
                    // `exception_user` is its own opaque value.
                    unsafe { cb(ev.kind, ev.user, ev.handle, s.exception_user.0) };
                }
            }
        });
    if spawned.is_ok() {
        let _ = tx.send(ev);
        *g = Some(tx);
    }
}

/// Sleep up to `total`, waking early (false) when `still_wanted` turns false.
pub(crate) fn sleep_while(total: Duration, still_wanted: impl Fn() -> bool) -> bool {
    let end = Instant::now() + total;
    loop {
        if !still_wanted() {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}

/// Drop a session's link to its device: EXCEPTION_EXCHANGE, and its previews drop too. A mock
/// thread then brings it back (RESUME_EXCHANGE) once the device is online, while reconnect is
/// on (`SetReconnect`; turning it on later resumes a session dropped while it was off). The
/// thread ends when the session is logged out.
pub(crate) fn disconnect_session(s: &Arc<Session>) {
    if s.disconnected.swap(true, Ordering::SeqCst) {
        return;
    }
    emit(EXCEPTION_EXCHANGE, s.id, -1);
    for p in registry::previews_where(|p| p.user_id == s.id) {
        crate::preview::disconnect(&p);
    }
    let s = s.clone();
    let _ = std::thread::Builder::new()
        .name("hcnetsdk-mock-relogin".into())
        .spawn(move || {
            let alive = || registry::user(s.id).is_ok_and(|x| Arc::ptr_eq(&x, &s));
            loop {
                let cfg = settings::get();
                let interval = Duration::from_millis(u64::from(cfg.reconnect_interval_ms.max(10)));
                if !sleep_while(interval, alive) {
                    return;
                }
                if !settings::get().reconnect_enabled {
                    continue;
                }
                let rt = s.device.rt();
                let up = rt.online && !rt.removed;
                drop(rt);
                if up {
                    s.disconnected.store(false, Ordering::SeqCst);
                    emit(RESUME_EXCHANGE, s.id, -1);
                    return;
                }
            }
        });
}
