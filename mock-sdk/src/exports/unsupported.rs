//! Calls the mock does not simulate yet: playback (by time or by name, its data callback,
//! position, stop). With a valid user they fail with 23 (NET_DVR_NOSUPPORT), as a device
//! without the feature would; with an invalid user ID 17 or 47, with an invalid handle 12, as
//! measured. (Search and downloads are in `recordings.rs`; alarms and device and remote
//! configuration in `alarms.rs`.)

use std::ffi::{c_char, c_int, c_void};

use hcnetsdk_sys::*;

use super::p17;
use crate::errors::{NOSUPPORT, ORDER_ERROR};
use crate::ffi::{Fail, Res, STD, call};
use crate::registry;

/// For a call the mock does not simulate: 17/47 for a bad user ID, 7 when the device does
/// not answer, else 23 (as a device without that feature would answer). Never succeeds.
fn unsupported_for_user(user: LONG) -> Res<Never> {
    let s = registry::user(user)?;
    s.device.reach()?;
    Err(Fail::Code(NOSUPPORT))
}
/// [`unsupported_for_user`] after the one pointer the call needs: 17 if it is NULL (checked
/// first, as the real SDK does for these calls).
fn unsupported_given<T>(p: *const T, user: LONG) -> Res<Never> {
    if p.is_null() {
        return Err(p17());
    }
    unsupported_for_user(user)
}
/// `unsupported_for_user` never returns a value.
type Never = std::convert::Infallible;

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByTime_V40(
    lUserID: LONG,
    pVodPara: *const NET_DVR_VOD_PARA,
) -> LONG {
    call("NET_DVR_PlayBackByTime_V40", -1, STD, || -> Res<LONG> {
        match unsupported_given(pVodPara, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByName(
    lUserID: LONG,
    sPlayBackFileName: *mut c_char,
    _hWnd: HWND,
) -> LONG {
    call("NET_DVR_PlayBackByName", -1, STD, || -> Res<LONG> {
        match unsupported_given(sPlayBackFileName, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetPlayBackPos(_lPlayHandle: LONG) -> c_int {
    call("NET_DVR_GetPlayBackPos", -1, STD, || -> Res<c_int> {
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetPlayDataCallBack_V40(
    _lPlayHandle: LONG,
    _fPlayDataCallBack_V40: REALDATACALLBACK,
    _pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetPlayDataCallBack_V40",
        FALSE,
        STD,
        || -> Res<BOOL> { Err(Fail::Code(ORDER_ERROR)) },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopPlayBack(_lPlayHandle: LONG) -> BOOL {
    call("NET_DVR_StopPlayBack", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}
