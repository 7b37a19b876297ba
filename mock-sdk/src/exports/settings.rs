//! SDK-wide settings: init config, local config, timeouts, reconnect, log file, exception
//! callback, local IP, SDK state and abilities.

use std::ffi::{c_char, c_void};

use hcnetsdk_sys::*;

use super::{bool_ret, get, p17, put, text};
use crate::errors::NOSUPPORT;
use crate::ffi::{ANYTIME, Fail, Res, STD, UserPtr, c_str, call};
use crate::{events, log, preview, registry, settings};

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSDKInitCfg(
    enumType: NET_SDK_INIT_CFG_TYPE,
    lpInBuff: *mut c_void,
) -> BOOL {
    call("NET_DVR_SetSDKInitCfg", FALSE, ANYTIME, || -> Res<BOOL> {
        if enumType > NET_SDK_INIT_CFG_SSLEAY_PATH || lpInBuff.is_null() {
            return Err(p17());
        }
        match enumType {
            NET_SDK_INIT_CFG_SDK_PATH => {
                // SAFETY: the header says lpInBuff is a NET_DVR_LOCAL_SDK_PATH here.
                let p: NET_DVR_LOCAL_SDK_PATH = unsafe { get(lpInBuff.cast()) }?;
                let path = text::c_terminated(&p.sPath).ok_or_else(p17)?.to_vec();
                settings::with(|s| s.sdk_path = Some(String::from_utf8_lossy(&path).into_owned()));
            }
            NET_SDK_INIT_CFG_LIBEAY_PATH | NET_SDK_INIT_CFG_SSLEAY_PATH => {
                // SAFETY: a NUL-terminated path per the header.
                let path = unsafe { text(lpInBuff.cast()) }?;
                settings::with(|s| {
                    if enumType == NET_SDK_INIT_CFG_LIBEAY_PATH {
                        s.libeay_path = Some(path);
                    } else {
                        s.ssleay_path = Some(path);
                    }
                });
            }
            NET_SDK_INIT_CFG_ABILITY => {
                // SAFETY: a NET_DVR_INIT_CFG_ABILITY per the header.
                let a: NET_DVR_INIT_CFG_ABILITY = unsafe { get(lpInBuff.cast()) }?;
                settings::with(|s| s.max_login_users = Some(a.enumMaxLoginUsersNum));
            }
            _ => {
                // SAFETY: a NET_DVR_INIT_CHECK_MODULE_COM per the header.
                let c: NET_DVR_INIT_CHECK_MODULE_COM = unsafe { get(lpInBuff.cast()) }?;
                settings::with(|s| s.check_module_com = Some(c.byEnable != 0));
            }
        }
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSDKLocalCfg(
    enumType: NET_SDK_LOCAL_CFG_TYPE,
    lpInBuff: *const c_void,
) -> BOOL {
    call("NET_DVR_SetSDKLocalCfg", FALSE, STD, || -> Res<BOOL> {
        if lpInBuff.is_null() || enumType > NET_SDK_AUDIOCAST_CFG {
            return Err(p17());
        }
        if enumType == NET_DVR_LOCAL_CFG_TYPE_GENERAL {
            // SAFETY: a NET_DVR_LOCAL_GENERAL_CFG for this type, per the header.
            let c: NET_DVR_LOCAL_GENERAL_CFG = unsafe { get(lpInBuff.cast()) }?;
            // SAFETY: plain-old-data struct viewed as its bytes.
            let bytes = unsafe {
                std::slice::from_raw_parts(
                    (&c as *const NET_DVR_LOCAL_GENERAL_CFG).cast::<u8>(),
                    size_of_val(&c),
                )
            };
            settings::with(|s| s.local_general = Some(bytes.to_vec()));
        }
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKLocalCfg(
    enumType: NET_SDK_LOCAL_CFG_TYPE,
    lpOutBuff: *mut c_void,
) -> BOOL {
    call("NET_DVR_GetSDKLocalCfg", FALSE, STD, || -> Res<BOOL> {
        if lpOutBuff.is_null() || enumType > NET_SDK_AUDIOCAST_CFG {
            return Err(p17());
        }
        if enumType != NET_DVR_LOCAL_CFG_TYPE_GENERAL {
            return Err(Fail::Code(NOSUPPORT));
        }
        let stored = settings::with(|s| s.local_general.clone());
        let mut c = NET_DVR_LOCAL_GENERAL_CFG::default();
        if let Some(b) = stored.filter(|b| b.len() == size_of_val(&c)) {
            // SAFETY: `b` holds exactly the bytes of a NET_DVR_LOCAL_GENERAL_CFG stored above.
            c = unsafe {
                b.as_ptr()
                    .cast::<NET_DVR_LOCAL_GENERAL_CFG>()
                    .read_unaligned()
            };
        }
        // SAFETY: the caller's buffer for this type.
        unsafe { put(lpOutBuff.cast(), c) }?;
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSDKLocalConfig(
    lpSdkLocalCfg: LPNET_DVR_SDKLOCAL_CFG,
) -> BOOL {
    call("NET_DVR_SetSDKLocalConfig", FALSE, STD, || -> Res<BOOL> {
        // SAFETY: NULL or the caller's NET_DVR_SDKLOCAL_CFG.
        let c = unsafe { get(lpSdkLocalCfg) }?;
        settings::with(|s| {
            s.local_config = Some(
                c.byRes
                    .iter()
                    .copied()
                    .chain([
                        c.byEnableAbilityParse,
                        c.byVoiceComMode,
                        c.byLoginWithSimXml,
                        c.byCompatibleType,
                    ])
                    .collect(),
            )
        });
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKLocalConfig(
    lpSdkLocalCfg: LPNET_DVR_SDKLOCAL_CFG,
) -> BOOL {
    call("NET_DVR_GetSDKLocalConfig", FALSE, STD, || -> Res<BOOL> {
        if lpSdkLocalCfg.is_null() {
            return Err(p17());
        }
        let mut c = NET_DVR_SDKLOCAL_CFG {
            byEnableAbilityParse: 0,
            byVoiceComMode: 0,
            byLoginWithSimXml: 0,
            byCompatibleType: 0,
            byRes: [0; 380],
            byProtectKey: [0; 128],
        };
        if let Some(b) = settings::with(|s| s.local_config.clone()).filter(|b| b.len() == 384) {
            c.byRes.copy_from_slice(&b[..380]);
            c.byEnableAbilityParse = b[380];
            c.byVoiceComMode = b[381];
            c.byLoginWithSimXml = b[382];
            c.byCompatibleType = b[383];
        }
        // SAFETY: the caller's NET_DVR_SDKLOCAL_CFG.
        unsafe { put(lpSdkLocalCfg, c) }?;
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetConnectTime(dwWaitTime: DWORD, dwTryTimes: DWORD) -> BOOL {
    call("NET_DVR_SetConnectTime", FALSE, STD, || -> Res<BOOL> {
        settings::with(|s| {
            s.connect_timeout_ms = dwWaitTime;
            s.connect_tries = dwTryTimes;
        });
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetReconnect(dwInterval: DWORD, bEnableRecon: BOOL) -> BOOL {
    call("NET_DVR_SetReconnect", FALSE, STD, || -> Res<BOOL> {
        settings::with(|s| {
            s.reconnect_interval_ms = dwInterval;
            s.reconnect_enabled = bEnableRecon != 0;
        });
        // Dropped previews waiting for reconnect to be allowed look at the new setting.
        preview::wake_all();
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetRecvTimeOut(nRecvTimeOut: DWORD) -> BOOL {
    call("NET_DVR_SetRecvTimeOut", FALSE, STD, || -> Res<BOOL> {
        settings::with(|s| s.recv_timeout_ms = nRecvTimeOut);
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetLogToFile(
    nLogLevel: DWORD,
    strLogDir: *mut c_char,
    bAutoDel: BOOL,
) -> BOOL {
    call("NET_DVR_SetLogToFile", FALSE, STD, || -> Res<BOOL> {
        // SAFETY: NULL (default folder) or a NUL-terminated path.
        let dir = unsafe { c_str(strLogDir) }.map(|d| d.to_string_lossy().into_owned());
        log::note_request(nLogLevel, bAutoDel);
        bool_ret(log::open(nLogLevel, dir.as_deref(), bAutoDel != 0))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetExceptionCallBack_V30(
    reserved1: UINT,
    reserved2: *mut c_void,
    fExceptionCallBack: EXCEPTIONCALLBACK,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetExceptionCallBack_V30",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (reserved1, reserved2);
            events::set_callback(fExceptionCallBack, UserPtr(pUser));
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetLocalIP(
    strIP: *mut [c_char; 16],
    pValidNum: *mut DWORD,
    pEnableBind: *mut BOOL,
) -> BOOL {
    call("NET_DVR_GetLocalIP", FALSE, STD, || -> Res<BOOL> {
        if strIP.is_null() || pValidNum.is_null() || pEnableBind.is_null() {
            return Err(p17());
        }
        let mut ip = [0 as c_char; 16];
        text::c_copy_truncating(&mut ip, b"127.0.0.1");
        let bind = settings::with(|s| s.valid_ip.1);
        // SAFETY: the caller's char[16][16], DWORD and BOOL (checked non-NULL).
        unsafe {
            put(strIP, ip)?;
            put(pValidNum, 1)?;
            put(pEnableBind, BOOL::from(bind))?;
        }
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetValidIP(dwIPIndex: DWORD, bEnableBind: BOOL) -> BOOL {
    call("NET_DVR_SetValidIP", FALSE, STD, || -> Res<BOOL> {
        if dwIPIndex >= 1 {
            return Err(p17());
        }
        settings::with(|s| s.valid_ip = (dwIPIndex, bEnableBind != 0));
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKState(pSDKState: LPNET_DVR_SDKSTATE) -> BOOL {
    call("NET_DVR_GetSDKState", FALSE, STD, || -> Res<BOOL> {
        let st = NET_DVR_SDKSTATE {
            dwTotalLoginNum: registry::session_count(),
            dwTotalRealPlayNum: preview::count(),
            ..Default::default()
        };
        // SAFETY: NULL or the caller's NET_DVR_SDKSTATE.
        unsafe { put(pSDKState, st) }?;
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKAbility(pSDKAbl: LPNET_DVR_SDKABL) -> BOOL {
    call("NET_DVR_GetSDKAbility", FALSE, STD, || -> Res<BOOL> {
        // SAFETY: NULL or the caller's NET_DVR_SDKABL. As measured, the real SDK writes the
        // eleven counts and dwRes[0] = 10 and leaves dwRes[1..] untouched.
        let mut a = unsafe { get(pSDKAbl.cast_const()) }?;
        a.dwMaxLoginNum = registry::MAX_USERS as u32;
        a.dwMaxRealPlayNum = preview::MAX_PREVIEWS as u32;
        a.dwMaxPlayBackNum = 4096;
        a.dwMaxAlarmChanNum = 2048;
        a.dwMaxFormatNum = 512;
        a.dwMaxFileSearchNum = 512;
        a.dwMaxLogSearchNum = 512;
        a.dwMaxSerialNum = 512;
        a.dwMaxUpgradeNum = 512;
        a.dwMaxVoiceComNum = 512;
        a.dwMaxBroadCastNum = 0;
        a.dwRes[0] = 10;
        // SAFETY: as above.
        unsafe { put(pSDKAbl, a) }?;
        Ok(TRUE)
    })
}
