//! Login (sync and async) and Logout.

use std::ffi::c_char;
use std::net::IpAddr;
use std::ptr::null_mut;
use std::sync::Arc;

use hcnetsdk_sys::*;

use super::{bool_ret, get, p17, put, put_opt};
use crate::errors;
use crate::ffi::{Fail, LOGIN, Res, STD, UserPtr, c_str, call};
use crate::login::{self, Failure, Granted, Request};
use crate::registry::{self, Session};
use crate::{config, lifecycle, log};

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
            g.user,
            g.device.spec().address,
            g.device.spec().port,
            g.role
        ),
    );
    let make = |id: i32| Session {
        id,
        device: g.device.clone(),
        user: g.user.clone(),
        role: g.role,
        isapi: g.isapi,
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

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Login_V40(
    pLoginInfo: LPNET_DVR_USER_LOGIN_INFO,
    lpDeviceInfo: LPNET_DVR_DEVICEINFO_V40,
) -> LONG {
    call("NET_DVR_Login_V40", -1, LOGIN, || -> Res<LONG> {
        if lpDeviceInfo.is_null() {
            return Err(p17());
        }
        // SAFETY: NULL or the caller's NET_DVR_USER_LOGIN_INFO.
        let li: NET_DVR_USER_LOGIN_INFO = unsafe { get(pLoginInfo) }?;
        if li.byLoginMode > 2 {
            return Err(p17());
        }
        let raw = text::c_terminated(&li.sDeviceAddress)
            .ok_or_else(p17)?
            .to_vec();
        let user = text::c_terminated(&li.sUserName).ok_or_else(p17)?.to_vec();
        let password = text::c_terminated(&li.sPassword).ok_or_else(p17)?.to_vec();
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
            https: li.byHttps,
            asyn: li.bUseAsynLogin,
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
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Login_V30(
    sDVRIP: *mut c_char,
    wDVRPort: WORD,
    sUserName: *mut c_char,
    sPassword: *mut c_char,
    lpDeviceInfo: LPNET_DVR_DEVICEINFO_V30,
) -> LONG {
    call("NET_DVR_Login_V30", -1, LOGIN, || -> Res<LONG> {
        // SAFETY: NULL or NUL-terminated strings, per the header.
        let (ip, user, password) = unsafe { (c_str(sDVRIP), c_str(sUserName), c_str(sPassword)) };
        let (Some(ip), Some(user), Some(password)) = (ip, user, password) else {
            return Err(p17());
        };
        let address =
            address(ip.to_bytes())?.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        registry::note_login_attempt();
        let req = Request {
            function: "NET_DVR_Login_V30",
            address,
            port: wDVRPort,
            user: user.to_string_lossy().into_owned(),
            password: password.to_string_lossy().into_owned(),
            mode: 0,
            https: 0,
            asyn: 0,
        };
        let g = login::attempt(&req).map_err(|f| Fail::Code(f.code))?;
        let info = config::device_info_v30(&g.device);
        let s = register(g, None).map_err(Fail::Code)?;
        // SAFETY: NULL (allowed by the real SDK) or the caller's NET_DVR_DEVICEINFO_V30.
        unsafe { put_opt(lpDeviceInfo, info) };
        Ok(s.id)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Logout(lUserID: LONG) -> BOOL {
    call("NET_DVR_Logout", FALSE, STD, || -> Res<BOOL> {
        bool_ret(lifecycle::logout(lUserID))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Logout_V30(lUserID: LONG) -> BOOL {
    call("NET_DVR_Logout_V30", FALSE, STD, || -> Res<BOOL> {
        bool_ret(lifecycle::logout(lUserID))
    })
}
