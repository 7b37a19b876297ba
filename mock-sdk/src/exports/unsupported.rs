//! Calls the mock does not simulate: device config, STD config (ISAPI's STDXMLConfig is in
//! `isapi.rs`), remote control,
//! reboot, abilities, recordings (find, download), alarms, remote config (playback is in
//! `playback.rs`). With a
//! valid user they fail with 23 (NET_DVR_NOSUPPORT), as a device without the feature would;
//! with an invalid user ID 17 or 47, with an invalid handle 12, as measured.

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
pub unsafe extern "system" fn NET_DVR_GetDeviceConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    _dwCount: DWORD,
    _lpInBuffer: LPVOID,
    _dwInBufferSize: DWORD,
    _lpStatusList: LPVOID,
    _lpOutBuffer: LPVOID,
    _dwOutBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_GetDeviceConfig", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDeviceConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    _dwCount: DWORD,
    _lpInBuffer: LPVOID,
    _dwInBufferSize: DWORD,
    _lpStatusList: LPVOID,
    _lpInParamBuffer: LPVOID,
    _dwInParamBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_SetDeviceConfig", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSTDConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_GetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        match unsupported_given(lpConfigParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSTDConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_SetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        match unsupported_given(lpConfigParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_STDControl(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpControlParam: LPNET_DVR_STD_CONTROL,
) -> BOOL {
    call("NET_DVR_STDControl", FALSE, STD, || -> Res<BOOL> {
        match unsupported_given(lpControlParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_RemoteControl(
    lUserID: LONG,
    _dwCommand: DWORD,
    _lpInBuffer: LPVOID,
    _dwInBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_RemoteControl", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_RebootDVR(lUserID: LONG) -> BOOL {
    call("NET_DVR_RebootDVR", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_ShutDownDVR(lUserID: LONG) -> BOOL {
    call("NET_DVR_ShutDownDVR", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDeviceAbility(
    lUserID: LONG,
    _dwAbilityType: DWORD,
    _pInBuf: *mut c_char,
    _dwInLength: DWORD,
    _pOutBuf: *mut c_char,
    _dwOutLength: DWORD,
) -> BOOL {
    call("NET_DVR_GetDeviceAbility", FALSE, STD, || -> Res<BOOL> {
        match unsupported_for_user(lUserID)? {}
    })
}

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
            // Playback handles (`crate::playback`); the rest as before.
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
            Err(Fail::Code(ORDER_ERROR))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V30(
    _fMessageCallBack: MSGCallBack,
    _pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V30",
        FALSE,
        STD,
        || -> Res<BOOL> { Ok(TRUE) },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V31(
    _fMessageCallBack: MSGCallBack_V31,
    _pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V31",
        FALSE,
        STD,
        || -> Res<BOOL> { Ok(TRUE) },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V50(
    iIndex: c_int,
    _fMessageCallBack: MSGCallBack,
    _pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V50",
        FALSE,
        STD,
        || -> Res<BOOL> {
            if !(0..16).contains(&iIndex) {
                return Err(p17());
            }
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V30(lUserID: LONG) -> LONG {
    call("NET_DVR_SetupAlarmChan_V30", -1, STD, || -> Res<LONG> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V41(
    lUserID: LONG,
    lpSetupParam: LPNET_DVR_SETUPALARM_PARAM,
) -> LONG {
    call("NET_DVR_SetupAlarmChan_V41", -1, STD, || -> Res<LONG> {
        match unsupported_given(lpSetupParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V50(
    iUserID: LONG,
    lpSetupParam: LPNET_DVR_SETUPALARM_PARAM_V50,
    _pSub: *mut c_char,
    _dwSubSize: DWORD,
) -> LONG {
    call("NET_DVR_SetupAlarmChan_V50", -1, STD, || -> Res<LONG> {
        match unsupported_given(lpSetupParam, iUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_CloseAlarmChan_V30(_lAlarmHandle: LONG) -> BOOL {
    call("NET_DVR_CloseAlarmChan_V30", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StartListen_V30(
    _sLocalIP: *mut c_char,
    _wLocalPort: WORD,
    _DataCallback: MSGCallBack,
    _pUserData: *mut c_void,
) -> LONG {
    call("NET_DVR_StartListen_V30", -1, STD, || -> Res<LONG> {
        Err(Fail::Code(NOSUPPORT))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopListen_V30(_lListenHandle: LONG) -> BOOL {
    call("NET_DVR_StopListen_V30", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StartRemoteConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    _lpInBuffer: LPVOID,
    _dwInBufferLen: DWORD,
    _cbStateCallback: fRemoteConfigCallback,
    _pUserData: LPVOID,
) -> LONG {
    call("NET_DVR_StartRemoteConfig", -1, STD, || -> Res<LONG> {
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetNextRemoteConfig(
    _lHandle: LONG,
    _lpOutBuff: *mut c_void,
    _dwOutBuffSize: DWORD,
) -> LONG {
    call("NET_DVR_GetNextRemoteConfig", -1, STD, || -> Res<LONG> {
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SendWithRecvRemoteConfig(
    _lHandle: LONG,
    _lpInBuff: *mut c_void,
    _dwInBuffSize: DWORD,
    _lpOutBuff: *mut c_void,
    _dwOutBuffSize: DWORD,
    _dwOutDataLen: *mut DWORD,
) -> LONG {
    call(
        "NET_DVR_SendWithRecvRemoteConfig",
        -1,
        STD,
        || -> Res<LONG> { Err(Fail::Code(ORDER_ERROR)) },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SendRemoteConfig(
    _lHandle: LONG,
    _dwDataType: DWORD,
    _pSendBuf: *mut c_char,
    _dwBufSize: DWORD,
) -> BOOL {
    call("NET_DVR_SendRemoteConfig", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopRemoteConfig(_lHandle: LONG) -> BOOL {
    call("NET_DVR_StopRemoteConfig", FALSE, STD, || -> Res<BOOL> {
        Err(Fail::Soft(ORDER_ERROR))
    })
}
