//! The message (alarm) callback: registered once per Init with
//! `NET_DVR_SetDVRMessageCallBack_V50` (or `_V31`), and given to `NET_DVR_StartListen_V30`
//! with a listener's state as the user pointer.

use std::ffi::{c_char, c_void};

use hcnetsdk_sys as sys;

use super::call::catch_panic;

/// The message callback: hands the message to [`crate::alarms::on_message`], which routes
/// it by user ID (or to the listener `user` names) and copies it into the queues. Never
/// unwinds, never blocks, allocates nothing once the queues' buffers have grown.
pub(crate) unsafe extern "system" fn message_trampoline(
    command: sys::LONG,
    alarmer: *mut sys::NET_DVR_ALARMER,
    info: *mut c_char,
    len: sys::DWORD,
    user: *mut c_void,
) {
    let _scope = super::CallbackScope::enter();
    let _ = catch_panic("message callback", || {
        // SAFETY: the SDK's contract for MSGCallBack (see `Capture::new`); `user` is NULL
        // (the process-wide registration) or a listener's router, which outlives its
        // `StopListen_V30`.
        unsafe { crate::alarms::on_message(command, alarmer, info, len, user) }
    });
}

/// The same for `NET_DVR_SetDVRMessageCallBack_V31`, whose callback returns a BOOL.
pub(crate) unsafe extern "system" fn message_trampoline_v31(
    command: sys::LONG,
    alarmer: *mut sys::NET_DVR_ALARMER,
    info: *mut c_char,
    len: sys::DWORD,
    user: *mut c_void,
) -> sys::BOOL {
    // SAFETY: forwarded from the SDK unchanged.
    unsafe { message_trampoline(command, alarmer, info, len, user) };
    sys::TRUE
}
