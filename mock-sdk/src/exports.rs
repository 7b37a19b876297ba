//! Every `NET_DVR_*` export, with the exact C signatures of `sys/include/hcnetsdk.h`.
//!
//! This is the only module that touches the caller's memory. Each function checks its
//! pointers (NULL gives 17, NET_DVR_PARAMETER_ERROR, where the real SDK checks them), copies
//! what it needs, and hands plain values to the safe modules. Writes to caller structs use
//! unaligned writes, because buffers passed as `void*` need not be aligned.
//!
//! # Safety (for every function here)
//! The caller passes NULL or pointers valid for the types the C header declares (and, for
//! buffers with a size argument, valid for that many bytes), as the SDK's contract requires.
#![allow(clippy::missing_safety_doc, non_snake_case)]

use std::ffi::{c_char, c_int, c_void};
use std::net::IpAddr;
use std::ptr::null_mut;
use std::sync::Arc;

use hcnetsdk_sys::*;

use crate::errors::{self, NOENOUGH_BUF, NOSUPPORT, ORDER_ERROR, PARAMETER_ERROR};
use crate::ffi::{ANYTIME, Fail, KEEP, LOGIN, Opts, Res, STD, UserPtr, c_str, export, field_bytes};
use crate::login::{self, Failure, Granted, Request};
use crate::preview::{self, DataCb};
use crate::registry::{self, Session};
use crate::{config, log, ptz, settings};

/// GetLastError itself: never fails, never counts as an error-setting call.
const PASSIVE: Opts = Opts {
    needs_init: false,
    clear_on_success: false,
    faults: false,
};
/// GetErrorMsg: NULL and 3 before Init, leaves the code alone after.
const READER: Opts = Opts {
    needs_init: true,
    clear_on_success: false,
    faults: false,
};

/// `NET_DVR_GetSDKVersion`: same as the real 6.1.9.48 (major 6 in the high word, minor 1).
pub(crate) const SDK_VERSION: u32 = 0x0006_0001;
/// `NET_DVR_GetSDKBuildVersion`: 6.1 like the real SDK, then the bytes 0x4D 0x4B ("MK",
/// for MocK) where the real SDK has revision 9 and build 48 (0x06010930). The safe layer
/// recognises the mock by `build & 0xFFFF == 0x4D4B`.
pub(crate) const SDK_BUILD_VERSION: u32 = 0x0601_4D4B;

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
unsafe fn get<T: Copy>(p: *const T) -> Res<T> {
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
    let s = unsafe { c_str(p) }.ok_or_else(p17)?;
    Ok(s.to_string_lossy().into_owned())
}

fn bool_ret(r: Res<()>) -> Res<BOOL> {
    r.map(|()| TRUE)
}

/// The session behind a user ID whose device answers, for calls the mock does not simulate
/// (they then fail with 23 on a valid user, as a device without that feature would).
fn unsupported_for_user(user: LONG) -> Res<Session0> {
    let s = registry::user(user)?;
    s.device.reach()?;
    Err(Fail::Code(NOSUPPORT))
}
type Session0 = std::convert::Infallible;

fn ptz_control(s: &Session, channel: i32, cmd: u32, stop: u32, speed: u32) -> Res<()> {
    if !ptz::is_control_command(cmd) || stop > 1 || !(1..=7).contains(&speed) {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| {
        st.control(cmd, stop == 1, speed);
        Ok(())
    })
}

fn ptz_preset(s: &Session, channel: i32, cmd: u32, index: u32) -> Res<()> {
    let known = matches!(cmd, SET_PRESET | CLE_PRESET | GOTO_PRESET | CLE_ALL_PRESET);
    if !known || (cmd != CLE_ALL_PRESET && !(1..=255).contains(&index)) {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.preset(cmd, index))
}

fn ptz_cruise(s: &Session, channel: i32, cmd: u32, route: u8, point: u8, input: u16) -> Res<()> {
    let known = matches!(
        cmd,
        FILL_PRE_SEQ
            | SET_SEQ_DWELL
            | SET_SEQ_SPEED
            | CLE_PRE_SEQ
            | RUN_SEQ
            | STOP_SEQ
            | SET_SEQ_START
            | SET_SEQ_END
            | DEL_SEQ
            | CLE_ALL_SEQ
    );
    if !known {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.cruise(cmd, route, point, input))
}

fn ptz_track(s: &Session, channel: i32, cmd: u32) -> Res<()> {
    let known = matches!(
        cmd,
        STA_MEM_CRUISE
            | STO_MEM_CRUISE
            | RUN_CRUISE
            | STOP_CRUISE
            | DELETE_CRUISE
            | DELETE_ALL_CRUISE
            | CLE_ALL_CRUISE
    );
    if !known {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.track(cmd))
}

/// Write the failure details of a login into `NET_DVR_DEVICEINFO_V40` (retry count, lock).
///
/// # Safety
/// `dev` is valid for a `NET_DVR_DEVICEINFO_V40`.
unsafe fn report_failure(dev: *mut NET_DVR_DEVICEINFO_V40, f: &Failure) {
    if dev.is_null() || (f.retry_left.is_none() && f.lock_left.is_none()) {
        return;
    }
    // SAFETY: non-NULL; the caller passes a NET_DVR_DEVICEINFO_V40 (checked before login).
    let mut d = unsafe { dev.read_unaligned() };
    d.bySupportLock = 1;
    if let Some(r) = f.retry_left {
        d.byRetryLoginTime = r;
    }
    d.dwSurplusLockTime = f.lock_left.unwrap_or(0);
    // SAFETY: as above.
    unsafe { dev.write_unaligned(d) };
}

fn register(g: Granted, id: Option<i32>) -> Result<Arc<Session>, u32> {
    log::line(
        "INF",
        &format!(
            "login {}@{}:{} ({:?})",
            g.user, g.device.spec.address, g.device.spec.port, g.role
        ),
    );
    let make = |id: i32| Session {
        id,
        device: g.device.clone(),
        user: g.user.clone(),
        role: g.role,
        disconnected: Default::default(),
    };
    match id {
        Some(id) => {
            let s = Arc::new(make(id));
            registry::complete_pending(id, Some(s.clone()));
            Ok(s)
        }
        None => registry::insert_session(make).inspect_err(|_| g.release()),
    }
}

/// Async login: the result goes to `cb` on a mock thread; the ID is returned at once.
fn login_async(req: Request, cb: fLoginResultCallBack, user: UserPtr) -> Res<LONG> {
    let (id, pending) = registry::reserve_pending().map_err(Fail::Code)?;
    let spawned = std::thread::Builder::new()
        .name("hcnetsdk-mock-login".into())
        .spawn(move || {
            let user = user;
            let result = login::attempt(&req).map_err(|f| f.code).and_then(|g| {
                let mode = req.mode;
                register(g, Some(id)).map(|s| (s, mode))
            });
            match result {
                Ok((s, mode)) => {
                    let mut info = config::device_info_v40(&s.device, mode).struDeviceV30;
                    pending.finish();
                    errors::set_last_error(errors::NOERROR);
                    if let Some(f) = cb {
                        // SAFETY: the client's async-login callback with its own pUser; `info`
                        // lives for the duration of the call.
                        unsafe { f(id, ASYN_LOGIN_SUCC, &mut info, user.0) };
                    }
                }
                Err(code) => {
                    registry::complete_pending(id, None);
                    pending.finish();
                    errors::set_last_error(code);
                    if let Some(f) = cb {
                        // SAFETY: as above; a failed login passes no device info (NULL), as
                        // the real SDK does.
                        unsafe { f(id, ASYN_LOGIN_FAILED, null_mut(), user.0) };
                    }
                }
            }
        });
    if spawned.is_err() {
        registry::complete_pending(id, None);
        return Err(Fail::Code(errors::PROGRAM_EXCEPTION));
    }
    Ok(id)
}

fn address(raw: &[u8]) -> Res<Option<IpAddr>> {
    login::parse_address(raw).map_err(Fail::Code)
}

export! {
    // ---------------------------------------------------------------- lifecycle, errors
    fn NET_DVR_Init() -> BOOL, fail = FALSE, opts = ANYTIME, {
        settings::init().map(|()| TRUE)
    }

    fn NET_DVR_Cleanup() -> BOOL, fail = FALSE, opts = ANYTIME, {
        settings::cleanup().map(|()| TRUE)
    }

    fn NET_DVR_GetLastError() -> DWORD, fail = 0, opts = PASSIVE, {
        Ok(errors::last_error())
    }

    fn NET_DVR_GetErrorMsg(pErrorNo: *mut LONG) -> *mut c_char, fail = null_mut(), opts = READER, {
        let code = errors::last_error();
        // SAFETY: NULL or a LONG the caller owns.
        unsafe { put_opt(pErrorNo, code as LONG) };
        Ok(errors::message(code).as_ptr().cast_mut())
    }

    fn NET_DVR_GetLastErrorModelCode(pModelCode: *mut DWORD, pMErrDevSelfEx: *mut DWORD) -> (), fail = (), opts = PASSIVE, {
        // SAFETY: NULL or DWORDs the caller owns.
        unsafe {
            put_opt(pModelCode, 0);
            put_opt(pMErrDevSelfEx, 0);
        }
        Ok(())
    }

    fn NET_DVR_GetSDKVersion() -> DWORD, fail = 0, opts = KEEP, {
        Ok(SDK_VERSION)
    }

    fn NET_DVR_GetSDKBuildVersion() -> DWORD, fail = 0, opts = KEEP, {
        Ok(SDK_BUILD_VERSION)
    }

    fn NET_DVR_SetSDKInitCfg(enumType: NET_SDK_INIT_CFG_TYPE, lpInBuff: *mut c_void) -> BOOL, fail = FALSE, opts = ANYTIME, {
        if enumType > NET_SDK_INIT_CFG_SSLEAY_PATH || lpInBuff.is_null() {
            return Err(p17());
        }
        match enumType {
            NET_SDK_INIT_CFG_SDK_PATH => {
                // SAFETY: the header says lpInBuff is a NET_DVR_LOCAL_SDK_PATH here.
                let p: NET_DVR_LOCAL_SDK_PATH = unsafe { get(lpInBuff.cast()) }?;
                let path = field_bytes(&p.sPath).ok_or_else(p17)?;
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
    }

    fn NET_DVR_SetSDKLocalCfg(enumType: NET_SDK_LOCAL_CFG_TYPE, lpInBuff: *const c_void) -> BOOL, fail = FALSE, opts = STD, {
        if lpInBuff.is_null() || enumType > NET_SDK_AUDIOCAST_CFG {
            return Err(p17());
        }
        if enumType == NET_DVR_LOCAL_CFG_TYPE_GENERAL {
            // SAFETY: a NET_DVR_LOCAL_GENERAL_CFG for this type, per the header.
            let c: NET_DVR_LOCAL_GENERAL_CFG = unsafe { get(lpInBuff.cast()) }?;
            // SAFETY: plain-old-data struct viewed as its bytes.
            let bytes = unsafe { std::slice::from_raw_parts((&c as *const NET_DVR_LOCAL_GENERAL_CFG).cast::<u8>(), size_of_val(&c)) };
            settings::with(|s| s.local_general = Some(bytes.to_vec()));
        }
        Ok(TRUE)
    }

    fn NET_DVR_GetSDKLocalCfg(enumType: NET_SDK_LOCAL_CFG_TYPE, lpOutBuff: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
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
            c = unsafe { b.as_ptr().cast::<NET_DVR_LOCAL_GENERAL_CFG>().read_unaligned() };
        }
        // SAFETY: the caller's buffer for this type.
        unsafe { put(lpOutBuff.cast(), c) }?;
        Ok(TRUE)
    }

    fn NET_DVR_SetSDKLocalConfig(lpSdkLocalCfg: LPNET_DVR_SDKLOCAL_CFG) -> BOOL, fail = FALSE, opts = STD, {
        // SAFETY: NULL or the caller's NET_DVR_SDKLOCAL_CFG.
        let c = unsafe { get(lpSdkLocalCfg) }?;
        settings::with(|s| s.local_config = Some(c.byRes.iter().copied().chain([c.byEnableAbilityParse, c.byVoiceComMode, c.byLoginWithSimXml, c.byCompatibleType]).collect()));
        Ok(TRUE)
    }

    fn NET_DVR_GetSDKLocalConfig(lpSdkLocalCfg: LPNET_DVR_SDKLOCAL_CFG) -> BOOL, fail = FALSE, opts = STD, {
        if lpSdkLocalCfg.is_null() {
            return Err(p17());
        }
        let mut c = NET_DVR_SDKLOCAL_CFG { byEnableAbilityParse: 0, byVoiceComMode: 0, byLoginWithSimXml: 0, byCompatibleType: 0, byRes: [0; 380], byProtectKey: [0; 128] };
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
    }

    fn NET_DVR_SetConnectTime(dwWaitTime: DWORD, dwTryTimes: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        settings::with(|s| {
            s.connect_timeout_ms = dwWaitTime;
            s.connect_tries = dwTryTimes;
        });
        Ok(TRUE)
    }

    fn NET_DVR_SetReconnect(dwInterval: DWORD, bEnableRecon: BOOL) -> BOOL, fail = FALSE, opts = STD, {
        settings::with(|s| {
            s.reconnect_interval_ms = dwInterval;
            s.reconnect_enabled = bEnableRecon != 0;
        });
        // Dropped previews waiting for reconnect to be allowed look at the new setting.
        preview::wake_all();
        Ok(TRUE)
    }

    fn NET_DVR_SetRecvTimeOut(nRecvTimeOut: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        settings::with(|s| s.recv_timeout_ms = nRecvTimeOut);
        Ok(TRUE)
    }

    fn NET_DVR_SetLogToFile(nLogLevel: DWORD, strLogDir: *mut c_char, bAutoDel: BOOL) -> BOOL, fail = FALSE, opts = STD, {
        // SAFETY: NULL (default folder) or a NUL-terminated path.
        let dir = unsafe { c_str(strLogDir) }.map(|d| d.to_string_lossy().into_owned());
        bool_ret(log::open(nLogLevel, dir.as_deref(), bAutoDel != 0))
    }

    fn NET_DVR_SetExceptionCallBack_V30(reserved1: UINT, reserved2: *mut c_void, fExceptionCallBack: EXCEPTIONCALLBACK, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (reserved1, reserved2);
        settings::with(|s| {
            s.exception_cb = fExceptionCallBack;
            s.exception_user = UserPtr(pUser);
        });
        Ok(TRUE)
    }

    fn NET_DVR_GetLocalIP(strIP: *mut [c_char; 16], pValidNum: *mut DWORD, pEnableBind: *mut BOOL) -> BOOL, fail = FALSE, opts = STD, {
        if strIP.is_null() || pValidNum.is_null() || pEnableBind.is_null() {
            return Err(p17());
        }
        let mut ip = [0 as c_char; 16];
        crate::ffi::fill_chars(&mut ip, b"127.0.0.1");
        let bind = settings::with(|s| s.valid_ip.1);
        // SAFETY: the caller's char[16][16], DWORD and BOOL (checked non-NULL).
        unsafe {
            put(strIP, ip)?;
            put(pValidNum, 1)?;
            put(pEnableBind, BOOL::from(bind))?;
        }
        Ok(TRUE)
    }

    fn NET_DVR_SetValidIP(dwIPIndex: DWORD, bEnableBind: BOOL) -> BOOL, fail = FALSE, opts = STD, {
        if dwIPIndex >= 1 {
            return Err(p17());
        }
        settings::with(|s| s.valid_ip = (dwIPIndex, bEnableBind != 0));
        Ok(TRUE)
    }

    fn NET_DVR_GetSDKState(pSDKState: LPNET_DVR_SDKSTATE) -> BOOL, fail = FALSE, opts = STD, {
        let (users, previews) = registry::counts();
        let st = NET_DVR_SDKSTATE { dwTotalLoginNum: users, dwTotalRealPlayNum: previews, ..Default::default() };
        // SAFETY: NULL or the caller's NET_DVR_SDKSTATE.
        unsafe { put(pSDKState, st) }?;
        Ok(TRUE)
    }

    fn NET_DVR_GetSDKAbility(pSDKAbl: LPNET_DVR_SDKABL) -> BOOL, fail = FALSE, opts = STD, {
        // SAFETY: NULL or the caller's NET_DVR_SDKABL. As measured, the real SDK writes the
        // eleven counts and dwRes[0] = 10 and leaves dwRes[1..] untouched.
        let mut a = unsafe { get(pSDKAbl.cast_const()) }?;
        a.dwMaxLoginNum = registry::MAX_USERS as u32;
        a.dwMaxRealPlayNum = registry::MAX_PREVIEWS as u32;
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
    }

    // ---------------------------------------------------------------- login
    fn NET_DVR_Login_V40(pLoginInfo: LPNET_DVR_USER_LOGIN_INFO, lpDeviceInfo: LPNET_DVR_DEVICEINFO_V40) -> LONG, fail = -1, opts = LOGIN, {
        if lpDeviceInfo.is_null() {
            return Err(p17());
        }
        // SAFETY: NULL or the caller's NET_DVR_USER_LOGIN_INFO.
        let li: NET_DVR_USER_LOGIN_INFO = unsafe { get(pLoginInfo) }?;
        if li.byLoginMode > 2 {
            return Err(p17());
        }
        let raw = field_bytes(&li.sDeviceAddress).ok_or_else(p17)?;
        let user = field_bytes(&li.sUserName).ok_or_else(p17)?;
        let password = field_bytes(&li.sPassword).ok_or_else(p17)?;
        let asyn = li.bUseAsynLogin != 0;
        if asyn && li.cbLoginResult.is_none() {
            return Err(p17());
        }
        let ip = address(&raw)?;
        registry::note_login_attempt();
        // An empty address means 0.0.0.0 (the real SDK connects there: this host).
        let req = Request {
            function: "NET_DVR_Login_V40",
            address: ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)),
            port: li.wPort,
            user: String::from_utf8_lossy(&user).into_owned(),
            password: String::from_utf8_lossy(&password).into_owned(),
            mode: li.byLoginMode,
        };
        if asyn {
            return login_async(req, li.cbLoginResult, UserPtr(li.pUser));
        }
        match login::attempt(&req) {
            Ok(g) => {
                let info = config::device_info_v40(&g.device, req.mode);
                let s = register(g, None).map_err(Fail::Code)?;
                // SAFETY: checked non-NULL above; the caller's NET_DVR_DEVICEINFO_V40.
                unsafe { put(lpDeviceInfo, info) }?;
                Ok(s.id)
            }
            Err(f) => {
                // SAFETY: as above.
                unsafe { report_failure(lpDeviceInfo, &f) };
                Err(Fail::Code(f.code))
            }
        }
    }

    fn NET_DVR_Login_V30(sDVRIP: *mut c_char, wDVRPort: WORD, sUserName: *mut c_char, sPassword: *mut c_char, lpDeviceInfo: LPNET_DVR_DEVICEINFO_V30) -> LONG, fail = -1, opts = LOGIN, {
        // SAFETY: NULL or NUL-terminated strings, per the header.
        let (ip, user, password) = unsafe { (c_str(sDVRIP), c_str(sUserName), c_str(sPassword)) };
        let (Some(ip), Some(user), Some(password)) = (ip, user, password) else {
            return Err(p17());
        };
        let address = address(ip.to_bytes())?.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        registry::note_login_attempt();
        let req = Request {
            function: "NET_DVR_Login_V30",
            address,
            port: wDVRPort,
            user: user.to_string_lossy().into_owned(),
            password: password.to_string_lossy().into_owned(),
            mode: 0,
        };
        let g = login::attempt(&req).map_err(|f| Fail::Code(f.code))?;
        let info = config::device_info_v30(&g.device);
        let s = register(g, None).map_err(Fail::Code)?;
        // SAFETY: NULL (allowed by the real SDK) or the caller's NET_DVR_DEVICEINFO_V30.
        unsafe { put_opt(lpDeviceInfo, info) };
        Ok(s.id)
    }

    fn NET_DVR_Logout(lUserID: LONG) -> BOOL, fail = FALSE, opts = STD, {
        bool_ret(registry::logout(lUserID))
    }

    fn NET_DVR_Logout_V30(lUserID: LONG) -> BOOL, fail = FALSE, opts = STD, {
        bool_ret(registry::logout(lUserID))
    }

    // ---------------------------------------------------------------- live preview
    fn NET_DVR_RealPlay_V40(lUserID: LONG, lpPreviewInfo: LPNET_DVR_PREVIEWINFO, fRealDataCallBack_V30: REALDATACALLBACK, pUser: *mut c_void) -> LONG, fail = -1, opts = STD, {
        if lpPreviewInfo.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        // SAFETY: the caller's NET_DVR_PREVIEWINFO (checked non-NULL); the fields are read
        // one by one without creating a reference.
        let (channel, stream) = unsafe {
            (
                std::ptr::addr_of!((*lpPreviewInfo).lChannel).read_unaligned(),
                std::ptr::addr_of!((*lpPreviewInfo).dwStreamType).read_unaligned(),
            )
        };
        preview::start(s, channel, stream, DataCb::Ptr(fRealDataCallBack_V30, UserPtr(pUser)))
    }

    fn NET_DVR_StopRealPlay(lRealHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let p = registry::preview(lRealHandle).ok_or(Fail::Soft(ORDER_ERROR))?;
        preview::stop_and_remove(&p);
        Ok(TRUE)
    }

    fn NET_DVR_SetRealDataCallBack(lRealHandle: LONG, fRealDataCallBack: REALDATACALLBACK_DWUSER, dwUser: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        let cb = if fRealDataCallBack.is_some() { DataCb::Dw(fRealDataCallBack, dwUser) } else { DataCb::None };
        preview::set_callback(&p, cb);
        Ok(TRUE)
    }

    fn NET_DVR_SetRealDataCallBackEx(lRealHandle: LONG, fRealDataCallBack: REALDATACALLBACK, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        let cb = if fRealDataCallBack.is_some() { DataCb::Ptr(fRealDataCallBack, UserPtr(pUser)) } else { DataCb::None };
        preview::set_callback(&p, cb);
        Ok(TRUE)
    }

    fn NET_DVR_SetStandardDataCallBack(lRealHandle: LONG, fStdDataCallBack: REALDATACALLBACK_DWUSER, dwUser: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (fStdDataCallBack, dwUser);
        preview::get(lRealHandle)?;
        Err(Fail::Code(NOSUPPORT))
    }

    fn NET_DVR_SetStandardDataCallBackEx(lRealHandle: LONG, fStdDataCallBack: REALDATACALLBACK, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (fStdDataCallBack, pUser);
        preview::get(lRealHandle)?;
        Err(Fail::Code(NOSUPPORT))
    }

    fn NET_DVR_SaveRealData(lRealHandle: LONG, sFileName: *mut c_char) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sFileName) }?;
        bool_ret(preview::save(&p, &path))
    }

    fn NET_DVR_SaveRealData_V30(lRealHandle: LONG, dwTransType: DWORD, sFileName: *mut c_char) -> BOOL, fail = FALSE, opts = STD, {
        let _ = dwTransType;
        let p = preview::get(lRealHandle)?;
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sFileName) }?;
        bool_ret(preview::save(&p, &path))
    }

    fn NET_DVR_StopSaveRealData(lRealHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(preview::stop_save(&p))
    }

    fn NET_DVR_MakeKeyFrame(lUserID: LONG, lChannel: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        config::snapshot(&s, lChannel).map(|_| TRUE)
    }

    fn NET_DVR_MakeKeyFrameSub(lUserID: LONG, lChannel: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        config::snapshot(&s, lChannel).map(|_| TRUE)
    }

    // ---------------------------------------------------------------- PTZ
    fn NET_DVR_PTZControl(lRealHandle: LONG, dwPTZCommand: DWORD, dwStop: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_control(&p.session, p.channel, dwPTZCommand, dwStop, 4))
    }

    fn NET_DVR_PTZControl_Other(lUserID: LONG, lChannel: LONG, dwPTZCommand: DWORD, dwStop: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_control(&s, lChannel, dwPTZCommand, dwStop, 4))
    }

    fn NET_DVR_PTZControlWithSpeed(lRealHandle: LONG, dwPTZCommand: DWORD, dwStop: DWORD, dwSpeed: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_control(&p.session, p.channel, dwPTZCommand, dwStop, dwSpeed))
    }

    fn NET_DVR_PTZControlWithSpeed_Other(lUserID: LONG, lChannel: LONG, dwPTZCommand: DWORD, dwStop: DWORD, dwSpeed: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_control(&s, lChannel, dwPTZCommand, dwStop, dwSpeed))
    }

    fn NET_DVR_PTZPreset(lRealHandle: LONG, dwPTZPresetCmd: DWORD, dwPresetIndex: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_preset(&p.session, p.channel, dwPTZPresetCmd, dwPresetIndex))
    }

    fn NET_DVR_PTZPreset_Other(lUserID: LONG, lChannel: LONG, dwPTZPresetCmd: DWORD, dwPresetIndex: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_preset(&s, lChannel, dwPTZPresetCmd, dwPresetIndex))
    }

    fn NET_DVR_PTZCruise(lRealHandle: LONG, dwPTZCruiseCmd: DWORD, byCruiseRoute: BYTE, byCruisePoint: BYTE, wInput: WORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_cruise(&p.session, p.channel, dwPTZCruiseCmd, byCruiseRoute, byCruisePoint, wInput))
    }

    fn NET_DVR_PTZCruise_Other(lUserID: LONG, lChannel: LONG, dwPTZCruiseCmd: DWORD, byCruiseRoute: BYTE, byCruisePoint: BYTE, wInput: WORD) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_cruise(&s, lChannel, dwPTZCruiseCmd, byCruiseRoute, byCruisePoint, wInput))
    }

    fn NET_DVR_PTZTrack(lRealHandle: LONG, dwPTZTrackCmd: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_track(&p.session, p.channel, dwPTZTrackCmd))
    }

    fn NET_DVR_PTZTrack_Other(lUserID: LONG, lChannel: LONG, dwPTZTrackCmd: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_track(&s, lChannel, dwPTZTrackCmd))
    }

    // ---------------------------------------------------------------- configuration
    fn NET_DVR_GetDVRConfig(lUserID: LONG, dwCommand: DWORD, lChannel: LONG, lpOutBuffer: LPVOID, dwOutBufferSize: DWORD, lpBytesReturned: LPDWORD) -> BOOL, fail = FALSE, opts = STD, {
        if lpOutBuffer.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        let size = dwOutBufferSize as usize;
        let written = match dwCommand {
            NET_DVR_GET_DEVICECFG_V40 => {
                s.device.reach()?;
                if size < size_of::<NET_DVR_DEVICECFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                unsafe { put(lpOutBuffer.cast(), config::device_cfg_v40(&s.device)) }?;
                size_of::<NET_DVR_DEVICECFG_V40>()
            }
            NET_DVR_GET_IPPARACFG_V40 => {
                s.device.reach()?;
                let cfg = config::ip_para_cfg_v40(&s.device)?;
                if size < size_of::<NET_DVR_IPPARACFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size; `cfg` is a whole struct.
                unsafe { std::ptr::copy_nonoverlapping((&*cfg as *const NET_DVR_IPPARACFG_V40).cast::<u8>(), lpOutBuffer.cast::<u8>(), size_of::<NET_DVR_IPPARACFG_V40>()) };
                size_of::<NET_DVR_IPPARACFG_V40>()
            }
            NET_DVR_GET_PTZPOS => {
                if size < size_of::<NET_DVR_PTZPOS>() {
                    return Err(p17());
                }
                let pos = config::get_ptz_pos(&s, lChannel)?;
                // SAFETY: the caller's buffer of at least this size.
                unsafe { put(lpOutBuffer.cast(), pos) }?;
                size_of::<NET_DVR_PTZPOS>()
            }
            _ => {
                s.device.reach()?;
                return Err(Fail::Code(NOSUPPORT));
            }
        };
        // SAFETY: NULL or the caller's DWORD.
        unsafe { put_opt(lpBytesReturned, written as DWORD) };
        Ok(TRUE)
    }

    fn NET_DVR_SetDVRConfig(lUserID: LONG, dwCommand: DWORD, lChannel: LONG, lpInBuffer: LPVOID, dwInBufferSize: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        if lpInBuffer.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        let size = dwInBufferSize as usize;
        match dwCommand {
            NET_DVR_SET_PTZPOS => {
                if size < size_of::<NET_DVR_PTZPOS>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                let pos: NET_DVR_PTZPOS = unsafe { get(lpInBuffer.cast_const().cast()) }?;
                bool_ret(config::set_ptz_pos(&s, lChannel, &pos))
            }
            NET_DVR_SET_DEVICECFG_V40 => {
                s.device.reach()?;
                if size < size_of::<NET_DVR_DEVICECFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                let cfg: NET_DVR_DEVICECFG_V40 = unsafe { get(lpInBuffer.cast_const().cast()) }?;
                bool_ret(config::set_device_cfg_v40(&s, &cfg))
            }
            _ => {
                s.device.reach()?;
                Err(Fail::Code(NOSUPPORT))
            }
        }
    }

    fn NET_DVR_GetDeviceConfig(lUserID: LONG, dwCommand: DWORD, dwCount: DWORD, lpInBuffer: LPVOID, dwInBufferSize: DWORD, lpStatusList: LPVOID, lpOutBuffer: LPVOID, dwOutBufferSize: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (dwCommand, dwCount, lpInBuffer, dwInBufferSize, lpStatusList, lpOutBuffer, dwOutBufferSize);
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_SetDeviceConfig(lUserID: LONG, dwCommand: DWORD, dwCount: DWORD, lpInBuffer: LPVOID, dwInBufferSize: DWORD, lpStatusList: LPVOID, lpInParamBuffer: LPVOID, dwInParamBufferSize: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (dwCommand, dwCount, lpInBuffer, dwInBufferSize, lpStatusList, lpInParamBuffer, dwInParamBufferSize);
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_GetSTDConfig(lUserID: LONG, dwCommand: DWORD, lpConfigParam: LPNET_DVR_STD_CONFIG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = dwCommand;
        if lpConfigParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_SetSTDConfig(lUserID: LONG, dwCommand: DWORD, lpConfigParam: LPNET_DVR_STD_CONFIG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = dwCommand;
        if lpConfigParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_STDControl(lUserID: LONG, dwCommand: DWORD, lpControlParam: LPNET_DVR_STD_CONTROL) -> BOOL, fail = FALSE, opts = STD, {
        let _ = dwCommand;
        if lpControlParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_STDXMLConfig(lUserID: LONG, lpInputParam: *mut NET_DVR_XML_CONFIG_INPUT, lpOutputParam: *mut NET_DVR_XML_CONFIG_OUTPUT) -> BOOL, fail = FALSE, opts = STD, {
        if lpInputParam.is_null() || lpOutputParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_RemoteControl(lUserID: LONG, dwCommand: DWORD, lpInBuffer: LPVOID, dwInBufferSize: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (dwCommand, lpInBuffer, dwInBufferSize);
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_RebootDVR(lUserID: LONG) -> BOOL, fail = FALSE, opts = STD, {
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_ShutDownDVR(lUserID: LONG) -> BOOL, fail = FALSE, opts = STD, {
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_GetDeviceAbility(lUserID: LONG, dwAbilityType: DWORD, pInBuf: *mut c_char, dwInLength: DWORD, pOutBuf: *mut c_char, dwOutLength: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (dwAbilityType, pInBuf, dwInLength, pOutBuf, dwOutLength);
        match unsupported_for_user(lUserID)? {}
    }

    // ---------------------------------------------------------------- snapshot
    fn NET_DVR_CaptureJPEGPicture(lUserID: LONG, lChannel: LONG, lpJpegPara: LPNET_DVR_JPEGPARA, sPicFileName: *mut c_char) -> BOOL, fail = FALSE, opts = STD, {
        if lpJpegPara.is_null() {
            return Err(p17());
        }
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sPicFileName) }?;
        let s = registry::user(lUserID)?;
        bool_ret(config::snapshot_to_file(&s, lChannel, &path))
    }

    fn NET_DVR_CaptureJPEGPicture_NEW(lUserID: LONG, lChannel: LONG, lpJpegPara: LPNET_DVR_JPEGPARA, sJpegPicBuffer: *mut c_char, dwPicSize: DWORD, lpSizeReturned: LPDWORD) -> BOOL, fail = FALSE, opts = STD, {
        if lpJpegPara.is_null() || sJpegPicBuffer.is_null() || lpSizeReturned.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        let jpeg = config::snapshot(&s, lChannel)?;
        if (dwPicSize as usize) < jpeg.len() {
            // *lpSizeReturned is left untouched (see README: the real SDK's value here
            // cannot be observed without a camera, so callers must not rely on it).
            return Err(Fail::Code(NOENOUGH_BUF));
        }
        // SAFETY: the caller's buffer holds dwPicSize >= jpeg.len() bytes; lpSizeReturned is
        // a DWORD (both checked non-NULL).
        unsafe {
            std::ptr::copy_nonoverlapping(jpeg.as_ptr(), sJpegPicBuffer.cast::<u8>(), jpeg.len());
            put(lpSizeReturned, jpeg.len() as DWORD)?;
        }
        Ok(TRUE)
    }

    // ---------------------------------------------------------------- recordings (not simulated)
    fn NET_DVR_FindFile_V40(lUserID: LONG, pFindCond: LPNET_DVR_FILECOND_V40) -> LONG, fail = -1, opts = STD, {
        if pFindCond.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_FindNextFile_V40(lFindHandle: LONG, lpFindData: LPNET_DVR_FINDDATA_V40) -> LONG, fail = -1, opts = STD, {
        let _ = (lFindHandle, lpFindData);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_FindClose_V30(lFindHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lFindHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }

    fn NET_DVR_GetFileByTime_V40(lUserID: LONG, sSavedFileName: *mut c_char, pDownloadCond: LPNET_DVR_PLAYCOND) -> LONG, fail = -1, opts = STD, {
        if sSavedFileName.is_null() || pDownloadCond.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_GetFileByName(lUserID: LONG, sDVRFileName: *mut c_char, sSavedFileName: *mut c_char) -> LONG, fail = -1, opts = STD, {
        if sDVRFileName.is_null() || sSavedFileName.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_StopGetFile(lFileHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lFileHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }

    fn NET_DVR_GetDownloadPos(lFileHandle: LONG) -> c_int, fail = -1, opts = STD, {
        let _ = lFileHandle;
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_PlayBackByTime_V40(lUserID: LONG, pVodPara: *const NET_DVR_VOD_PARA) -> LONG, fail = -1, opts = STD, {
        if pVodPara.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_PlayBackByName(lUserID: LONG, sPlayBackFileName: *mut c_char, hWnd: HWND) -> LONG, fail = -1, opts = STD, {
        let _ = hWnd;
        if sPlayBackFileName.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_PlayBackControl_V40(lPlayHandle: LONG, dwControlCode: DWORD, lpInBuffer: LPVOID, dwInLen: DWORD, lpOutBuffer: LPVOID, lpOutLen: *mut DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (lPlayHandle, dwControlCode, lpInBuffer, dwInLen, lpOutBuffer, lpOutLen);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_GetPlayBackPos(lPlayHandle: LONG) -> c_int, fail = -1, opts = STD, {
        let _ = lPlayHandle;
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_SetPlayDataCallBack_V40(lPlayHandle: LONG, fPlayDataCallBack_V40: REALDATACALLBACK, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (lPlayHandle, fPlayDataCallBack_V40, pUser);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_StopPlayBack(lPlayHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lPlayHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }

    // ---------------------------------------------------------------- alarms (not simulated)
    fn NET_DVR_SetDVRMessageCallBack_V30(fMessageCallBack: MSGCallBack, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (fMessageCallBack, pUser);
        Ok(TRUE)
    }

    fn NET_DVR_SetDVRMessageCallBack_V31(fMessageCallBack: MSGCallBack_V31, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (fMessageCallBack, pUser);
        Ok(TRUE)
    }

    fn NET_DVR_SetDVRMessageCallBack_V50(iIndex: c_int, fMessageCallBack: MSGCallBack, pUser: *mut c_void) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (fMessageCallBack, pUser);
        if !(0..16).contains(&iIndex) {
            return Err(p17());
        }
        Ok(TRUE)
    }

    fn NET_DVR_SetupAlarmChan_V30(lUserID: LONG) -> LONG, fail = -1, opts = STD, {
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_SetupAlarmChan_V41(lUserID: LONG, lpSetupParam: LPNET_DVR_SETUPALARM_PARAM) -> LONG, fail = -1, opts = STD, {
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_SetupAlarmChan_V50(iUserID: LONG, lpSetupParam: LPNET_DVR_SETUPALARM_PARAM_V50, pSub: *mut c_char, dwSubSize: DWORD) -> LONG, fail = -1, opts = STD, {
        let _ = (pSub, dwSubSize);
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        match unsupported_for_user(iUserID)? {}
    }

    fn NET_DVR_CloseAlarmChan_V30(lAlarmHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lAlarmHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }

    fn NET_DVR_StartListen_V30(sLocalIP: *mut c_char, wLocalPort: WORD, DataCallback: MSGCallBack, pUserData: *mut c_void) -> LONG, fail = -1, opts = STD, {
        let _ = (sLocalIP, wLocalPort, DataCallback, pUserData);
        Err(Fail::Code(NOSUPPORT))
    }

    fn NET_DVR_StopListen_V30(lListenHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lListenHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }

    // ---------------------------------------------------------------- remote config (not simulated)
    fn NET_DVR_StartRemoteConfig(lUserID: LONG, dwCommand: DWORD, lpInBuffer: LPVOID, dwInBufferLen: DWORD, cbStateCallback: fRemoteConfigCallback, pUserData: LPVOID) -> LONG, fail = -1, opts = STD, {
        let _ = (dwCommand, lpInBuffer, dwInBufferLen, cbStateCallback, pUserData);
        match unsupported_for_user(lUserID)? {}
    }

    fn NET_DVR_GetNextRemoteConfig(lHandle: LONG, lpOutBuff: *mut c_void, dwOutBuffSize: DWORD) -> LONG, fail = -1, opts = STD, {
        let _ = (lHandle, lpOutBuff, dwOutBuffSize);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_SendWithRecvRemoteConfig(lHandle: LONG, lpInBuff: *mut c_void, dwInBuffSize: DWORD, lpOutBuff: *mut c_void, dwOutBuffSize: DWORD, dwOutDataLen: *mut DWORD) -> LONG, fail = -1, opts = STD, {
        let _ = (lHandle, lpInBuff, dwInBuffSize, lpOutBuff, dwOutBuffSize, dwOutDataLen);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_SendRemoteConfig(lHandle: LONG, dwDataType: DWORD, pSendBuf: *mut c_char, dwBufSize: DWORD) -> BOOL, fail = FALSE, opts = STD, {
        let _ = (lHandle, dwDataType, pSendBuf, dwBufSize);
        Err(Fail::Code(ORDER_ERROR))
    }

    fn NET_DVR_StopRemoteConfig(lHandle: LONG) -> BOOL, fail = FALSE, opts = STD, {
        let _ = lHandle;
        Err(Fail::Soft(ORDER_ERROR))
    }
}
