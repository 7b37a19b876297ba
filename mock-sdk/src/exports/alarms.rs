//! Alarms, device configuration and remote configuration: the message callbacks, arming
//! (`SetupAlarmChan_*`), listening mode (`StartListen_V30`), `Get/SetDeviceConfig`, the STD
//! calls, `RemoteControl`, reboot and shutdown, abilities and the `StartRemoteConfig` family.
//!
//! Arming is simulated ([`crate::alarms`]: the message callbacks, `SetupAlarmChan_*`,
//! `CloseAlarmChan_V30`, delivery threads on the shared model's alarms). The configuration
//! calls are not simulated yet: with a logged-in user they fail with 23
//! (NET_DVR_NOSUPPORT), as a device without the feature would. Everything a caller can see
//! without a device matches the real SDK 6.1.9.48, as measured
//! (mock-sdk/tests/conformance.rs, the "alarms and configuration" block):
//! * before Init every call fails with 3; `SendWithRecvRemoteConfig` then returns 0, not -1;
//! * the message callbacks succeed after Init (NULL included) and clear the last error;
//!   `SetDVRMessageCallBack_V50` takes the indexes 0 to 15, else 17;
//! * user-ID calls give 17 for an ID out of range, 47 for a free one. The user is checked
//!   before the setup struct of `SetupAlarmChan_V41/V50`, but a NULL `lpOutBuffer` of
//!   `GetDeviceConfig` and a NULL struct of the STD calls give 17 first;
//! * `CloseAlarmChan_V30`, `StopListen_V30` and `StopRemoteConfig` on a handle that does not
//!   exist set 12 only on a clear error (like the other stop calls); `GetNextRemoteConfig`,
//!   `SendWithRecvRemoteConfig` and `SendRemoteConfig` always set 12, and
//!   `GetNextRemoteConfig` gives 17 first for a NULL buffer;
//! * `StartListen_V30` needs no device: it binds a TCP listener (NULL or "" is every
//!   address; the mock binds loopback then), up to 10 at a time (then 46); an address
//!   that is not an IP literal gives 17, the same address and port twice 17, a bind that
//!   fails (address not local, port taken) 72. While a listener is open, `StopListen_V30`
//!   with a handle outside 0..10 gives 17. The last Cleanup closes every listener.

use std::ffi::{c_char, c_int, c_void};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::sync::Mutex;

use hcnetsdk_sys::*;

use super::p17;
use crate::alarms::{self, Mode};
use crate::errors::{self, MAX_NUM, NOSUPPORT, ORDER_ERROR, PARAMETER_ERROR};
use crate::ffi::{Fail, Res, STD, UserPtr, c_str, call};
use crate::registry;
use crate::sync::lock;

/// NET_DVR_BINDSOCKET_ERROR: binding the listening socket failed.
const BINDSOCKET_ERROR: u32 = 72;
/// Listeners open at a time (`StartListen_V30`); one more fails with 46.
const MAX_LISTENERS: usize = 10;

/// These calls never return a value.
type Never = std::convert::Infallible;

/// 17/47 for a bad user ID, 7 when the device does not answer, else 23.
fn refused_for_user(user: LONG) -> Res<Never> {
    let s = registry::user(user)?;
    s.device.reach()?;
    Err(Fail::Code(NOSUPPORT))
}

/// 17 for a NULL `p` (checked before the user), then [`refused_for_user`].
fn refused_given<T>(p: *const T, user: LONG) -> Res<Never> {
    if p.is_null() {
        return Err(p17());
    }
    refused_for_user(user)
}

// ---- message callbacks -------------------------------------------------------------------

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
            alarms::set_callback_v30(0, fMessageCallBack, UserPtr(pUser));
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
            alarms::set_callback_v31(fMessageCallBack, UserPtr(pUser));
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
            let slot = usize::try_from(iIndex)
                .ok()
                .filter(|i| *i < alarms::CALLBACK_SLOTS)
                .ok_or_else(p17)?;
            alarms::set_callback_v30(slot, fMessageCallBack, UserPtr(pUser));
            Ok(TRUE)
        },
    )
}

// ---- arming ------------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V30(lUserID: LONG) -> LONG {
    call("NET_DVR_SetupAlarmChan_V30", -1, STD, || -> Res<LONG> {
        let s = registry::user(lUserID)?;
        alarms::arm(&s, Mode::V30)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetupAlarmChan_V41(
    lUserID: LONG,
    lpSetupParam: LPNET_DVR_SETUPALARM_PARAM,
) -> LONG {
    call("NET_DVR_SetupAlarmChan_V41", -1, STD, || -> Res<LONG> {
        let s = registry::user(lUserID)?;
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        // SAFETY: non-NULL pointer to the caller's NET_DVR_SETUPALARM_PARAM (read unaligned).
        let p = unsafe { lpSetupParam.read_unaligned() };
        alarms::arm(
            &s,
            Mode::V41 {
                v40: p.byRetAlarmTypeV40 == 1,
            },
        )
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
        let s = registry::user(iUserID)?;
        if lpSetupParam.is_null() {
            return Err(p17());
        }
        // SAFETY: non-NULL pointer to the caller's NET_DVR_SETUPALARM_PARAM_V50.
        let p = unsafe { lpSetupParam.read_unaligned() };
        alarms::arm(
            &s,
            Mode::V50 {
                v40: p.byRetAlarmTypeV40 == 1,
            },
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_CloseAlarmChan_V30(lAlarmHandle: LONG) -> BOOL {
    call("NET_DVR_CloseAlarmChan_V30", FALSE, STD, || -> Res<BOOL> {
        alarms::close(lAlarmHandle).map(|()| TRUE)
    })
}

// ---- listening mode ----------------------------------------------------------------------

/// An open `StartListen_V30` listener: the address text as given, the port, the socket.
struct Listener {
    ip: String,
    port: u16,
    _socket: TcpListener,
}

static LISTENERS: Mutex<[Option<Listener>; MAX_LISTENERS]> =
    Mutex::new([const { None }; MAX_LISTENERS]);

/// Bind a listener on `ip` and `port`; its handle is its slot. "Every address" ("", or an
/// unspecified address) binds loopback only: the mock opens no port to other hosts (a named
/// difference; only in-process devices ever push to it).
fn start_listen(ip: String, port: u16) -> Res<LONG> {
    let mut addr: IpAddr = if ip.is_empty() {
        Ipv4Addr::UNSPECIFIED.into()
    } else {
        ip.parse().map_err(|_| p17())?
    };
    if addr.is_unspecified() {
        addr = match addr {
            IpAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        };
    }
    let mut table = lock(&LISTENERS);
    if port != 0 && table.iter().flatten().any(|l| l.ip == ip && l.port == port) {
        return Err(p17());
    }
    let slot = table
        .iter()
        .position(Option::is_none)
        .ok_or(Fail::Code(MAX_NUM))?;
    let socket = TcpListener::bind((addr, port)).map_err(|_| Fail::Code(BINDSOCKET_ERROR))?;
    table[slot] = Some(Listener {
        ip,
        port,
        _socket: socket,
    });
    Ok(slot as LONG)
}

/// Close the listener `handle`: 12 (on a clear error) for a free slot or, while no listener
/// is open, any handle; 17 for a handle outside 0..10 while one is open.
fn stop_listen(handle: LONG) -> Res<()> {
    let mut table = lock(&LISTENERS);
    let open = table.iter().any(Option::is_some);
    match usize::try_from(handle).ok().filter(|&i| i < MAX_LISTENERS) {
        Some(i) if table[i].is_some() => {
            table[i] = None;
            Ok(())
        }
        None if open => Err(Fail::Code(PARAMETER_ERROR)),
        _ => Err(Fail::Soft(ORDER_ERROR)),
    }
}

/// The last Cleanup closes every listener.
pub(crate) fn stop_all_listeners() {
    for l in lock(&LISTENERS).iter_mut() {
        *l = None;
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StartListen_V30(
    sLocalIP: *mut c_char,
    wLocalPort: WORD,
    _DataCallback: MSGCallBack,
    _pUserData: *mut c_void,
) -> LONG {
    call("NET_DVR_StartListen_V30", -1, STD, || -> Res<LONG> {
        // SAFETY: NULL or a NUL-terminated string, per the C contract.
        let ip = unsafe { c_str(sLocalIP) }
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        start_listen(ip, wLocalPort)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopListen_V30(lListenHandle: LONG) -> BOOL {
    call("NET_DVR_StopListen_V30", FALSE, STD, || -> Res<BOOL> {
        stop_listen(lListenHandle).map(|()| TRUE)
    })
}

// ---- device configuration ----------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDeviceConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    _dwCount: DWORD,
    _lpInBuffer: LPVOID,
    _dwInBufferSize: DWORD,
    _lpStatusList: LPVOID,
    lpOutBuffer: LPVOID,
    _dwOutBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_GetDeviceConfig", FALSE, STD, || -> Res<BOOL> {
        match refused_given(lpOutBuffer, lUserID)? {}
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
        match refused_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSTDConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_GetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        match refused_given(lpConfigParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetSTDConfig(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpConfigParam: LPNET_DVR_STD_CONFIG,
) -> BOOL {
    call("NET_DVR_SetSTDConfig", FALSE, STD, || -> Res<BOOL> {
        match refused_given(lpConfigParam, lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_STDControl(
    lUserID: LONG,
    _dwCommand: DWORD,
    lpControlParam: LPNET_DVR_STD_CONTROL,
) -> BOOL {
    call("NET_DVR_STDControl", FALSE, STD, || -> Res<BOOL> {
        match refused_given(lpControlParam, lUserID)? {}
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
        match refused_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_RebootDVR(lUserID: LONG) -> BOOL {
    call("NET_DVR_RebootDVR", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        super::bool_ret(crate::config::power(&s, false))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_ShutDownDVR(lUserID: LONG) -> BOOL {
    call("NET_DVR_ShutDownDVR", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        super::bool_ret(crate::config::power(&s, true))
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
        match refused_for_user(lUserID)? {}
    })
}

// ---- remote configuration ----------------------------------------------------------------

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
        match refused_for_user(lUserID)? {}
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetNextRemoteConfig(
    _lHandle: LONG,
    lpOutBuff: *mut c_void,
    _dwOutBuffSize: DWORD,
) -> LONG {
    call("NET_DVR_GetNextRemoteConfig", -1, STD, || -> Res<LONG> {
        if lpOutBuff.is_null() {
            return Err(p17());
        }
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
    // Measured: before Init this call returns 0 (with 3), after it -1.
    let fail = if errors::is_initialised() { -1 } else { 0 };
    call(
        "NET_DVR_SendWithRecvRemoteConfig",
        fail,
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
