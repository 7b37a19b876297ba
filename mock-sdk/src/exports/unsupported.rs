//! Calls the mock does not simulate: recordings (find, download, playback). With a valid
//! user they fail with 23 (NET_DVR_NOSUPPORT), as a device without the feature would; with
//! an invalid user ID 17 or 47, with an invalid handle 12, as measured. (Alarms and device
//! and remote configuration are in `alarms.rs`.)

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
pub unsafe extern "system" fn NET_DVR_FindFile_V40(
    lUserID: LONG,
    pFindCond: LPNET_DVR_FILECOND_V40,
) -> LONG {
    call("NET_DVR_FindFile_V40", -1, STD, || -> Res<LONG> {
        // Unlike the other calls here, the real SDK checks the user ID before the
        // condition pointer (47 for an unused ID even with NULL; measured in the
        // conformance suite's recordings_without_a_login).
        let s = registry::user(lUserID)?;
        if pFindCond.is_null() {
            return Err(p17());
        }
        // SAFETY: non-NULL, and the caller passes a NET_DVR_FILECOND_V40 it owns.
        let cond = unsafe { &*pFindCond };
        // After an ISAPI login the real SDK refuses "all types, locked or not" at once
        // with 17 and sends nothing (shared reference, real-sdk-isapi.md).
        if s.isapi && cond.dwFileType == 0xFF && cond.dwIsLocked == 0xFF {
            return Err(p17());
        }
        s.device.reach()?;
        Err(Fail::Code(NOSUPPORT))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindNextFile_V40(
    _lFindHandle: LONG,
    lpFindData: LPNET_DVR_FINDDATA_V40,
) -> LONG {
    call("NET_DVR_FindNextFile_V40", -1, STD, || -> Res<LONG> {
        // The real SDK checks the pointer before the handle (measured).
        if lpFindData.is_null() {
            return Err(p17());
        }
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindClose_V30(_lFindHandle: LONG) -> BOOL {
    call("NET_DVR_FindClose_V30", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetFileByTime_V40(
    lUserID: LONG,
    sSavedFileName: *mut c_char,
    pDownloadCond: LPNET_DVR_PLAYCOND,
) -> LONG {
    call("NET_DVR_GetFileByTime_V40", -1, STD, || -> Res<LONG> {
        if sSavedFileName.is_null() || pDownloadCond.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetFileByName(
    lUserID: LONG,
    sDVRFileName: *mut c_char,
    sSavedFileName: *mut c_char,
) -> LONG {
    call("NET_DVR_GetFileByName", -1, STD, || -> Res<LONG> {
        if sDVRFileName.is_null() || sSavedFileName.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopGetFile(_lFileHandle: LONG) -> BOOL {
    call("NET_DVR_StopGetFile", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDownloadPos(_lFileHandle: LONG) -> c_int {
    call("NET_DVR_GetDownloadPos", -1, STD, || -> Res<c_int> {
        Err(Fail::Code(ORDER_ERROR))
    })
}

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
pub unsafe extern "system" fn NET_DVR_PlayBackControl_V40(
    _lPlayHandle: LONG,
    _dwControlCode: DWORD,
    _lpInBuffer: LPVOID,
    _dwInLen: DWORD,
    _lpOutBuffer: LPVOID,
    _lpOutLen: *mut DWORD,
) -> BOOL {
    call(
        "NET_DVR_PlayBackControl_V40",
        FALSE,
        STD,
        || -> Res<BOOL> { Err(Fail::Code(ORDER_ERROR)) },
    )
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
