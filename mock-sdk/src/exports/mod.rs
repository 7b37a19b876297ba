//! Every `NET_DVR_*` export, with the exact C signatures of `sys/include/hcnetsdk.h`, split
//! by area.
//!
//! Each export is a plain `#[unsafe(no_mangle)] extern "system" fn` whose body runs inside
//! [`crate::ffi::call`] (call counting, fault injection, no unwinding into C, last-error
//! bookkeeping). The exports check the pointers the real SDK checks (NULL gives 17,
//! NET_DVR_PARAMETER_ERROR; pointers the real SDK accepts as NULL, such as `GetErrorMsg`'s
//! `pErrorNo`, are skipped), copy what they need, and hand plain values to the safe modules.
//! Writes to caller structs use unaligned writes, because buffers passed as `void*` need not
//! be aligned. (The `MOCK_*` control exports are in [`crate::control`].)
//!
//! # Safety (for every function here)
//! The caller passes NULL or pointers valid for the types the C header declares (and, for
//! buffers with a size argument, valid for that many bytes), as the SDK's contract requires.
#![allow(clippy::missing_safety_doc, non_snake_case)]

mod alarms;
mod config;
mod isapi;
mod lifecycle;
mod login;
mod playback;
mod preview;
mod ptz;
mod recordings;
mod settings;

use std::ffi::c_char;

use hcnetsdk_sys::{BOOL, TRUE};

use crate::errors::PARAMETER_ERROR;
use crate::ffi::{Fail, Res, c_text};

// One flat namespace of exports, for the compile-time signature check in lib.rs.
#[allow(unused_imports)]
pub(crate) use self::{
    alarms::*, config::*, isapi::*, lifecycle::*, login::*, playback::*, preview::*, ptz::*,
    recordings::*, settings::*,
};

fn p17() -> Fail {
    Fail::Code(PARAMETER_ERROR)
}

/// Write `v` to `p` (unaligned); 17 if `p` is NULL.
///
/// # Safety
/// `p` is NULL or valid for writing a `T`.
unsafe fn put<T>(p: *mut T, v: T) -> Res<()> {
    if p.is_null() {
        return Err(p17());
    }
    // SAFETY: non-NULL and valid for a T per the caller's contract.
    unsafe { p.write_unaligned(v) };
    Ok(())
}

/// Write `v` to `p` when it is not NULL.
///
/// # Safety
/// `p` is NULL or valid for writing a `T`.
unsafe fn put_opt<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL and valid for a T per the caller's contract.
        unsafe { p.write_unaligned(v) };
    }
}

/// Read a `T` from `p` (unaligned); 17 if NULL.
///
/// # Safety
/// `p` is NULL or valid for reading a `T`.
unsafe fn get<T>(p: *const T) -> Res<T> {
    if p.is_null() {
        return Err(p17());
    }
    // SAFETY: non-NULL and valid for a T per the caller's contract.
    Ok(unsafe { p.read_unaligned() })
}

/// A C string argument as text; 17 if NULL.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn text(p: *const c_char) -> Res<String> {
    // SAFETY: forwarded contract.
    unsafe { c_text(p) }.ok_or_else(p17)
}

fn bool_ret(r: Res<()>) -> Res<BOOL> {
    r.map(|()| TRUE)
}
