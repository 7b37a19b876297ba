//! Recordings: file search (`FindFile_V40`, `FindNextFile_V40`, `FindClose_V30`) and
//! download (`GetFileByTime_V40`, `GetFileByName`, `GetDownloadPos`, `StopGetFile`, and
//! `PlayBackControl_V40` on download handles), over [`crate::recordings`].
//!
//! The argument checks and their order are the real SDK's as measured by the conformance
//! suite (`recordings_*` cases): NULL pointers 17, user IDs 17/47, unknown handles 12
//! (soft for the close/stop calls).

use std::ffi::{c_char, c_int};

use hcnetsdk_sys::*;

use super::{bool_ret, get, p17, text};
use crate::errors::ORDER_ERROR;
use crate::ffi::{Fail, Res, STD, call};
use crate::recordings::{self, Source, civil};
use crate::registry;

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindFile_V40(
    lUserID: LONG,
    pFindCond: LPNET_DVR_FILECOND_V40,
) -> LONG {
    call("NET_DVR_FindFile_V40", -1, STD, || -> Res<LONG> {
        // Unlike most calls, the real SDK checks the user ID before the condition pointer
        // (47 for an unused ID even with NULL; measured in the conformance suite's
        // recordings_without_a_login).
        let s = registry::user(lUserID)?;
        // SAFETY: NULL or the caller's NET_DVR_FILECOND_V40.
        let cond = unsafe { get(pFindCond) }?;
        // After an ISAPI login the real SDK refuses every file type but 0 at once with 17
        // and sends nothing; 0 searches every type (measured against the emulator:
        // emulator/README.md, "Recordings through the real SDK").
        if s.isapi && cond.dwFileType != 0 {
            return Err(p17());
        }
        s.device.reach()?;
        recordings::find_file(s, &cond)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindNextFile_V40(
    lFindHandle: LONG,
    lpFindData: LPNET_DVR_FINDDATA_V40,
) -> LONG {
    call("NET_DVR_FindNextFile_V40", -1, STD, || -> Res<LONG> {
        // The real SDK checks the pointer before the handle (measured).
        if lpFindData.is_null() {
            return Err(p17());
        }
        let mut data = NET_DVR_FINDDATA_V40::default();
        let status = recordings::find_next(lFindHandle, &mut data)?;
        if status == 1000 {
            // SAFETY: non-NULL, and the caller passes a NET_DVR_FINDDATA_V40 to fill.
            unsafe { lpFindData.write_unaligned(data) };
        }
        Ok(status)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindClose_V30(lFindHandle: LONG) -> BOOL {
    call("NET_DVR_FindClose_V30", FALSE, STD, || -> Res<BOOL> {
        bool_ret(recordings::find_close(lFindHandle))
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
        let s = registry::user(lUserID)?;
        s.device.reach()?;
        // SAFETY: non-NULL: the caller's NUL-terminated path and NET_DVR_PLAYCOND.
        let (path, cond) = unsafe { (text(sSavedFileName)?, get(pDownloadCond)?) };
        let channel = i32::try_from(cond.dwChannel).map_err(|_| p17())?;
        let source = Source::Time {
            channel,
            from: civil(&cond.struStartTime)?,
            to: civil(&cond.struStopTime)?,
        };
        recordings::start_download(s, source, &path)
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
        let s = registry::user(lUserID)?;
        s.device.reach()?;
        // SAFETY: non-NULL NUL-terminated strings.
        let (name, path) = unsafe { (text(sDVRFileName)?, text(sSavedFileName)?) };
        recordings::start_download(s, Source::Name(name), &path)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopGetFile(lFileHandle: LONG) -> BOOL {
    call("NET_DVR_StopGetFile", FALSE, STD, || -> Res<BOOL> {
        bool_ret(recordings::stop(lFileHandle))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDownloadPos(lFileHandle: LONG) -> c_int {
    call("NET_DVR_GetDownloadPos", -1, STD, || -> Res<c_int> {
        recordings::position(lFileHandle)
    })
}

/// Download handles are served here; any other handle gets today's answer for a handle
/// that is not a playback (12), which the playback module replaces for its own handles.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackControl_V40(
    lPlayHandle: LONG,
    dwControlCode: DWORD,
    lpInBuffer: LPVOID,
    _dwInLen: DWORD,
    lpOutBuffer: LPVOID,
    lpOutLen: *mut DWORD,
) -> BOOL {
    call(
        "NET_DVR_PlayBackControl_V40",
        FALSE,
        STD,
        || -> Res<BOOL> {
            // Playback handles first (`crate::playback`), then download handles.
            // SAFETY: the caller's buffers, per the SDK's contract for this control code.
            if let Some(r) = unsafe {
                super::playback::control(
                    lPlayHandle,
                    dwControlCode,
                    lpInBuffer,
                    lpOutBuffer,
                    lpOutLen,
                )
            } {
                return r;
            }
            match recordings::control(lPlayHandle, dwControlCode) {
                Some(r) => bool_ret(r),
                None => Err(Fail::Code(ORDER_ERROR)),
            }
        },
    )
}
