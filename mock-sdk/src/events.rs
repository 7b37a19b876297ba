//! The exception callback (`NET_DVR_SetExceptionCallBack_V30`).
//!
//! Events go through one mock-owned dispatcher thread, in order, so the client's callback
//! never runs on its own thread and never runs twice at once. What fires when:
//!
//! | cause                                  | events (dwType, lUserID, lHandle)           |
//! |----------------------------------------|---------------------------------------------|
//! | session disconnected (MOCK or offline) | EXCEPTION_EXCHANGE (32768, user, -1)        |
//! | ... reconnected (SetReconnect on)      | RESUME_EXCHANGE (32791, user, -1)           |
//! | preview disconnected                   | EXCEPTION_PREVIEW (32771, user, handle)     |
//! | ... each reconnect attempt             | EXCEPTION_RECONNECT (32773, user, handle)   |
//! | ... reconnected                        | PREVIEW_RECONNECTSUCCESS (32789, user, h.)  |
//! | ... reconnect off                      | EXCEPTION_PREVIEW only; no data meanwhile   |
//!
//! Session events come from [`crate::lifecycle`], preview events from the preview workers.

use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};

use hcnetsdk_sys::EXCEPTIONCALLBACK;

use crate::ffi::UserPtr;
use crate::sync::lock;

/// `dwType` values (constants.csv).
pub(crate) const EXCEPTION_EXCHANGE: u32 = hcnetsdk_sys::EXCEPTION_EXCHANGE;
pub(crate) const EXCEPTION_PREVIEW: u32 = hcnetsdk_sys::EXCEPTION_PREVIEW;
pub(crate) const EXCEPTION_PLAYBACK: u32 = hcnetsdk_sys::EXCEPTION_PLAYBACK;
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
/// The callback of `NET_DVR_SetExceptionCallBack_V30` and its user value.
static CALLBACK: Mutex<(EXCEPTIONCALLBACK, UserPtr)> =
    Mutex::new((None, UserPtr(std::ptr::null_mut())));

/// `NET_DVR_SetExceptionCallBack_V30`: events from now on go to `cb` (NULL: nowhere; events
/// are not kept for later).
pub(crate) fn set_callback(cb: EXCEPTIONCALLBACK, user: UserPtr) {
    *lock(&CALLBACK) = (cb, user);
}

/// Queue one exception event for the client's callback.
pub(crate) fn emit(kind: u32, user: i32, handle: i32) {
    let mut g = lock(&TX);
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
                let (cb, user) = *lock(&CALLBACK);
                if let Some(cb) = cb {
                    // SAFETY: the client registered `cb` with NET_DVR_SetExceptionCallBack_V30
                    // for exactly these arguments and promised it may run on SDK threads;
                    // `user` is its own opaque value.
                    unsafe { cb(ev.kind, ev.user, ev.handle, user.0) };
                }
            }
        });
    if spawned.is_ok() {
        let _ = tx.send(ev);
        *g = Some(tx);
    }
}
