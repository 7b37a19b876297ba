//! The login structure handed to `NET_DVR_Login_V40`, and the asynchronous login's result
//! callback (`fLoginResultCallBack`).

use std::ffi::c_void;
use std::sync::{Arc, Mutex};

use hcnetsdk_sys as sys;
use zeroize::Zeroize;

use super::call::catch_panic;
use crate::sync::lock;

/// The SDK's `NET_DVR_USER_LOGIN_INFO`, boxed so that its address stays put while an
/// asynchronous login runs. Its password field is zeroed whenever it is freed, on every
/// path (success, failure, early return, panic): nothing else zeroes it by hand.
pub(crate) struct LoginInfo(Box<sys::NET_DVR_USER_LOGIN_INFO>);

// SAFETY: the struct's only pointers are `pUser` (an opaque token that the SDK hands back
// to our callback, never dereferenced through this struct) and the callback function
// pointer; the rest is plain bytes.
unsafe impl Send for LoginInfo {}

impl LoginInfo {
    /// An all-zero structure.
    pub(crate) fn new() -> Self {
        Self(Box::default())
    }

    /// The structure, to fill in place (so the password is never copied elsewhere).
    pub(crate) fn fields(&mut self) -> &mut sys::NET_DVR_USER_LOGIN_INFO {
        &mut self.0
    }

    /// The pointer to pass to `NET_DVR_Login_V40`; valid while `self` lives.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::NET_DVR_USER_LOGIN_INFO {
        &raw mut *self.0
    }
}

impl Drop for LoginInfo {
    fn drop(&mut self) {
        self.0.sPassword.zeroize();
    }
}

/// What receives an asynchronous login's result.
pub(crate) trait LoginResultSink: Send + Sync + 'static {
    /// The SDK reported `result` for `user_id`, with the device's answer on success. Runs
    /// on the SDK's thread; on failure, read the last error first, before anything else.
    fn result(&self, user_id: i32, result: u32, device: Option<&sys::NET_DVR_DEVICEINFO_V30>);
}

/// Asynchronous logins whose callback has not run yet. The SDK's `pUser` is the address
/// of one of these; the callback looks it up here instead of dereferencing it blindly, so
/// a late or repeated callback can never touch freed memory.
static INFLIGHT: Mutex<Vec<Arc<dyn LoginResultSink>>> = Mutex::new(Vec::new());

fn token(sink: &Arc<dyn LoginResultSink>) -> *mut c_void {
    Arc::as_ptr(sink).cast::<c_void>().cast_mut()
}

/// Register `sink` before the login call (the callback may run before it returns); the
/// returned token is the `pUser` to give the SDK.
pub(crate) fn register_login(sink: Arc<dyn LoginResultSink>) -> *mut c_void {
    let t = token(&sink);
    lock(&INFLIGHT).push(sink);
    t
}

/// Forget a registration whose login call failed (the SDK will not call back).
pub(crate) fn unregister_login(user: *mut c_void) {
    lock(&INFLIGHT).retain(|s| token(s) != user);
}

/// The `fLoginResultCallBack` of every asynchronous login.
pub(crate) unsafe extern "system" fn login_result_trampoline(
    user_id: sys::LONG,
    result: sys::DWORD,
    dev: sys::LPNET_DVR_DEVICEINFO_V30,
    user: *mut c_void,
) {
    let _scope = super::CallbackScope::enter();
    let _ = catch_panic("login result callback", || {
        let sink = {
            let mut v = lock(&INFLIGHT);
            let Some(i) = v.iter().position(|s| token(s) == user) else {
                tracing::warn!(
                    user_id,
                    result,
                    "login result for no pending login; ignored"
                );
                return;
            };
            v.swap_remove(i)
        };
        // SAFETY: the SDK passes NULL or a valid NET_DVR_DEVICEINFO_V30 for the duration of
        // the callback; the sink copies what it needs now.
        let device = unsafe { dev.as_ref() };
        sink.result(user_id, result, device);
    });
}
