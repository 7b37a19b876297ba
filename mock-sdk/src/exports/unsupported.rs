//! Calls the mock does not simulate: device config, STD config (ISAPI's STDXMLConfig is in
//! `isapi.rs`), remote control,
//! reboot, abilities, recordings (find, download, playback), alarms, remote config. With a
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
/// `unsupported_for_user` never returns a value.
type Never = std::convert::Infallible;

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDeviceConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    dwCount: DWORD,
    lpInBuffer: LPVOID,
    dwInBufferSize: DWORD,
    lpStatusList: LPVOID,
    lpOutBuffer: LPVOID,
    dwOutBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_GetDeviceConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = (
            dwCommand,
            dwCount,
            lpInBuffer,
            dwInBufferSize,
            lpStatusList,
            lpOutBuffer,
            dwOutBufferSize,
        );
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDeviceConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    dwCount: DWORD,
    lpInBuffer: LPVOID,
    dwInBufferSize: DWORD,
    lpStatusList: LPVOID,
    lpInParamBuffer: LPVOID,
    dwInParamBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_SetDeviceConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = (
            dwCommand,
            dwCount,
            lpInBuffer,
            dwInBufferSize,
            lpStatusList,
            lpInParamBuffer,
            dwInParamBufferSize,
        );
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSTDConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_GetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = dwCommand;
        if lpConfigParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSTDConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_SetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = dwCommand;
        if lpConfigParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_STDControl(
    lUserID: LONG,
    dwCommand: DWORD,
    lpControlParam: LPNET_DVR_STD_CONTROL,
) -> BOOL {
    call("NET_DVR_STDControl", FALSE, STD, || -> Res<BOOL> {
        let _ = dwCommand;
        if lpControlParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_RemoteControl(
    lUserID: LONG,
    dwCommand: DWORD,
    lpInBuffer: LPVOID,
    dwInBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_RemoteControl", FALSE, STD, || -> Res<BOOL> {
        let _ = (dwCommand, lpInBuffer, dwInBufferSize);
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
    dwAbilityType: DWORD,
    pInBuf: *mut c_char,
    dwInLength: DWORD,
    pOutBuf: *mut c_char,
    dwOutLength: DWORD,
) -> BOOL {
    call("NET_DVR_GetDeviceAbility", FALSE, STD, || -> Res<BOOL> {
        let _ = (dwAbilityType, pInBuf, dwInLength, pOutBuf, dwOutLength);
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindFile_V40(
    lUserID: LONG,
    pFindCond: LPNET_DVR_FILECOND_V40,
) -> LONG {
    call("NET_DVR_FindFile_V40", -1, STD, || -> Res<LONG> {
        if pFindCond.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindNextFile_V40(
    lFindHandle: LONG,
    lpFindData: LPNET_DVR_FINDDATA_V40,
) -> LONG {
    call("NET_DVR_FindNextFile_V40", -1, STD, || -> Res<LONG> {
        let _ = (lFindHandle, lpFindData);
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_FindClose_V30(lFindHandle: LONG) -> BOOL {
    call("NET_DVR_FindClose_V30", FALSE, STD, || -> Res<BOOL> {
        let _ = lFindHandle;
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
pub unsafe extern "system" fn NET_DVR_StopGetFile(lFileHandle: LONG) -> BOOL {
    call("NET_DVR_StopGetFile", FALSE, STD, || -> Res<BOOL> {
        let _ = lFileHandle;
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDownloadPos(lFileHandle: LONG) -> c_int {
    call("NET_DVR_GetDownloadPos", -1, STD, || -> Res<c_int> {
        let _ = lFileHandle;
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByTime_V40(
    lUserID: LONG,
    pVodPara: *const NET_DVR_VOD_PARA,
) -> LONG {
    call("NET_DVR_PlayBackByTime_V40", -1, STD, || -> Res<LONG> {
        if pVodPara.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByName(
    lUserID: LONG,
    sPlayBackFileName: *mut c_char,
    hWnd: HWND,
) -> LONG {
    call("NET_DVR_PlayBackByName", -1, STD, || -> Res<LONG> {
        let _ = hWnd;
        if sPlayBackFileName.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackControl_V40(
    lPlayHandle: LONG,
    dwControlCode: DWORD,
    lpInBuffer: LPVOID,
    dwInLen: DWORD,
    lpOutBuffer: LPVOID,
    lpOutLen: *mut DWORD,
) -> BOOL {
    call(
        "NET_DVR_PlayBackControl_V40",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (
                lPlayHandle,
                dwControlCode,
                lpInBuffer,
                dwInLen,
                lpOutBuffer,
                lpOutLen,
            );
            Err(Fail::Code(ORDER_ERROR))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetPlayBackPos(lPlayHandle: LONG) -> c_int {
    call("NET_DVR_GetPlayBackPos", -1, STD, || -> Res<c_int> {
        let _ = lPlayHandle;
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetPlayDataCallBack_V40(
    lPlayHandle: LONG,
    fPlayDataCallBack_V40: REALDATACALLBACK,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetPlayDataCallBack_V40",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (lPlayHandle, fPlayDataCallBack_V40, pUser);
            Err(Fail::Code(ORDER_ERROR))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopPlayBack(lPlayHandle: LONG) -> BOOL {
    call("NET_DVR_StopPlayBack", FALSE, STD, || -> Res<BOOL> {
        let _ = lPlayHandle;
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V30(
    fMessageCallBack: MSGCallBack,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V30",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (fMessageCallBack, pUser);
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V31(
    fMessageCallBack: MSGCallBack_V31,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V31",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (fMessageCallBack, pUser);
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRMessageCallBack_V50(
    iIndex: c_int,
    fMessageCallBack: MSGCallBack,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetDVRMessageCallBack_V50",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (fMessageCallBack, pUser);
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
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V50(
    iUserID: LONG,
    lpSetupParam: LPNET_DVR_SETUPALARM_PARAM_V50,
    pSub: *mut c_char,
    dwSubSize: DWORD,
) -> LONG {
    call("NET_DVR_SetupAlarmChan_V50", -1, STD, || -> Res<LONG> {
        let _ = (pSub, dwSubSize);
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(iUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_CloseAlarmChan_V30(lAlarmHandle: LONG) -> BOOL {
    call("NET_DVR_CloseAlarmChan_V30", FALSE, STD, || -> Res<BOOL> {
        let _ = lAlarmHandle;
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StartListen_V30(
    sLocalIP: *mut c_char,
    wLocalPort: WORD,
    DataCallback: MSGCallBack,
    pUserData: *mut c_void,
) -> LONG {
    call("NET_DVR_StartListen_V30", -1, STD, || -> Res<LONG> {
        let _ = (sLocalIP, wLocalPort, DataCallback, pUserData);
        Err(Fail::Code(NOSUPPORT))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopListen_V30(lListenHandle: LONG) -> BOOL {
    call("NET_DVR_StopListen_V30", FALSE, STD, || -> Res<BOOL> {
        let _ = lListenHandle;
        Err(Fail::Soft(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StartRemoteConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    lpInBuffer: LPVOID,
    dwInBufferLen: DWORD,
    cbStateCallback: fRemoteConfigCallback,
    pUserData: LPVOID,
) -> LONG {
    call("NET_DVR_StartRemoteConfig", -1, STD, || -> Res<LONG> {
        let _ = (
            dwCommand,
            lpInBuffer,
            dwInBufferLen,
            cbStateCallback,
            pUserData,
        );
        match unsupported_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetNextRemoteConfig(
    lHandle: LONG,
    lpOutBuff: *mut c_void,
    dwOutBuffSize: DWORD,
) -> LONG {
    call("NET_DVR_GetNextRemoteConfig", -1, STD, || -> Res<LONG> {
        let _ = (lHandle, lpOutBuff, dwOutBuffSize);
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SendWithRecvRemoteConfig(
    lHandle: LONG,
    lpInBuff: *mut c_void,
    dwInBuffSize: DWORD,
    lpOutBuff: *mut c_void,
    dwOutBuffSize: DWORD,
    dwOutDataLen: *mut DWORD,
) -> LONG {
    call(
        "NET_DVR_SendWithRecvRemoteConfig",
        -1,
        STD,
        || -> Res<LONG> {
            let _ = (
                lHandle,
                lpInBuff,
                dwInBuffSize,
                lpOutBuff,
                dwOutBuffSize,
                dwOutDataLen,
            );
            Err(Fail::Code(ORDER_ERROR))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SendRemoteConfig(
    lHandle: LONG,
    dwDataType: DWORD,
    pSendBuf: *mut c_char,
    dwBufSize: DWORD,
) -> BOOL {
    call("NET_DVR_SendRemoteConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = (lHandle, dwDataType, pSendBuf, dwBufSize);
        Err(Fail::Code(ORDER_ERROR))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopRemoteConfig(lHandle: LONG) -> BOOL {
    call("NET_DVR_StopRemoteConfig", FALSE, STD, || -> Res<BOOL> {
        let _ = lHandle;
        Err(Fail::Soft(ORDER_ERROR))
    })
}
