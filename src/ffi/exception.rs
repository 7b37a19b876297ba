//! The process-wide exception callback (`NET_DVR_SetExceptionCallBack_V30`).

use std::ffi::c_void;

use hcnetsdk_sys as sys;

use super::call::catch_panic;

/// The one exception callback registered with the SDK: hands the event to
/// [`crate::events::dispatch`], which routes it to its session or preview. Never unwinds and
/// uses no user pointer.
pub(crate) unsafe extern "system" fn exception_trampoline(
    dw_type: sys::DWORD,
    user_id: sys::LONG,
    handle: sys::LONG,
    _user: *mut c_void,
) {
    let _scope = super::CallbackScope::enter();
    let _ = catch_panic("exception callback", || {
        crate::alarms::on_exception(dw_type, user_id);
        crate::events::dispatch(dw_type, user_id, handle)
    });
}
