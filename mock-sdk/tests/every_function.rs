//! Every function declared in hcnetsdk-sys, called once with NULL pointers, zeros and
//! handles that do not exist, after Init and with a valid user ID: each one returns (no
//! crash, no hang) and either succeeds where the call needs nothing, or fails with the code
//! the mock documents — 17 for a NULL the SDK checks, 12 for a handle, 4 for a channel, 23
//! for a feature the mock does not simulate. A table check makes sure no declared function
//! is left out. (Own binary: it changes process-wide settings.)

#[macro_use]
mod support;

use std::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};

use hcnetsdk_sys::*;
use support::*;

/// What a call must give: its return value, and the last error after it (None: not checked).
type Expect = (i64, Option<u32>);

const T: Expect = (1, Some(0));
fn fails(ret: i64, code: u32) -> Expect {
    (ret, Some(code))
}

#[test]
fn every_declared_function_returns_cleanly_with_null_and_bogus_arguments() {
    let e = env();
    let dev = e.ctl.add_test_device("ptz = true");
    let id = admin(&dev);
    // Reboot and shutdown work for an admin (tests/config.rs); here a viewer is refused (2).
    let viewer = login(&dev.address, dev.port, "viewer", "View12345")
        .expect("viewer")
        .0;
    let h: LONG = -1; // no handle of any kind has this value
    let mut seen: Vec<&str> = Vec::new();
    let mut failures: Vec<String> = Vec::new();

    macro_rules! row {
        ($name:ident ( $($a:expr),* ) => $expect:expr) => {{
            seen.push(stringify!($name));
            // Start every call from a clear last error (SetConnectTime clears it), so the
            // "set 12 only on a clear error" stop calls report too.
            // SAFETY: plain values (the SDK default).
            unsafe { f!(NET_DVR_SetConnectTime)(3500, 1) };
            let calls = e.ctl.call_count(stringify!($name), None);
            // SAFETY: NULL pointers, zeros and bogus handles are exactly what this test
            // passes; the mock must check them rather than dereference them.
            let ret = unsafe { f!($name)($($a),*) };
            let got = (ret_value(ret), err());
            // The export counts itself under its own C name (the name string that each
            // export hands to the mock's call wrapper is typed by hand). At least once: the
            // other test of this binary may call the same function meanwhile.
            if e.ctl.call_count(stringify!($name), None) == calls {
                failures.push(format!("{}: not counted under its name", stringify!($name)));
            }
            let want: Expect = $expect;
            if got.0 != want.0 || want.1.is_some_and(|c| c != got.1) {
                failures.push(format!(
                    "{}: got (ret {}, error {}), want (ret {}, error {:?})",
                    stringify!($name), got.0, got.1, want.0, want.1
                ));
            }
        }};
    }

    // lifecycle, errors, versions
    row!(NET_DVR_Init() => T); // a second Init: reference counted
    row!(NET_DVR_Cleanup() => T); // back to one
    row!(NET_DVR_GetLastError() => (0, Some(0)));
    row!(NET_DVR_GetErrorMsg(null_mut()) => (1, Some(0)));
    row!(NET_DVR_GetLastErrorModelCode(null_mut(), null_mut()) => (0, None));
    row!(NET_DVR_GetSDKVersion() => (0x0006_0001, Some(0)));
    row!(NET_DVR_GetSDKBuildVersion() => (0x0601_4D4B, Some(0)));
    // settings
    row!(NET_DVR_SetSDKInitCfg(NET_SDK_INIT_CFG_SDK_PATH, null_mut()) => fails(0, 17));
    row!(NET_DVR_SetSDKLocalCfg(NET_DVR_LOCAL_CFG_TYPE_GENERAL, null()) => fails(0, 17));
    row!(NET_DVR_GetSDKLocalCfg(NET_DVR_LOCAL_CFG_TYPE_GENERAL, null_mut()) => fails(0, 17));
    row!(NET_DVR_SetSDKLocalConfig(null_mut()) => fails(0, 17));
    row!(NET_DVR_GetSDKLocalConfig(null_mut()) => fails(0, 17));
    row!(NET_DVR_SetConnectTime(3500, 1) => T);
    row!(NET_DVR_SetReconnect(RECONNECT_MS, 1) => T);
    row!(NET_DVR_SetRecvTimeOut(5000) => T);
    row!(NET_DVR_SetLogToFile(0, null_mut(), 0) => T);
    row!(NET_DVR_SetExceptionCallBack_V30(0, null_mut(), Some(on_exception), null_mut()) => T);
    row!(NET_DVR_GetLocalIP(null_mut(), null_mut(), null_mut()) => fails(0, 17));
    row!(NET_DVR_SetValidIP(0, 0) => T);
    row!(NET_DVR_GetSDKState(null_mut()) => fails(0, 17));
    row!(NET_DVR_GetSDKAbility(null_mut()) => fails(0, 17));
    // login
    row!(NET_DVR_Login_V40(null_mut(), null_mut()) => fails(-1, 17));
    row!(NET_DVR_Login_V30(null_mut(), 0, null_mut(), null_mut(), null_mut()) => fails(-1, 17));
    row!(NET_DVR_Logout(-1) => fails(0, 17));
    row!(NET_DVR_Logout_V30(2048) => fails(0, 17));
    // preview
    row!(NET_DVR_RealPlay_V40(id, null_mut(), None, null_mut()) => fails(-1, 17));
    row!(NET_DVR_StopRealPlay(h) => fails(0, 12));
    row!(NET_DVR_SetRealDataCallBack(h, None, 0) => fails(0, 12));
    row!(NET_DVR_SetRealDataCallBackEx(h, None, null_mut()) => fails(0, 12));
    row!(NET_DVR_SetStandardDataCallBack(h, None, 0) => fails(0, 12));
    row!(NET_DVR_SetStandardDataCallBackEx(h, None, null_mut()) => fails(0, 12));
    row!(NET_DVR_SaveRealData(h, null_mut()) => fails(0, 12));
    row!(NET_DVR_SaveRealData_V30(h, 0, null_mut()) => fails(0, 12));
    row!(NET_DVR_StopSaveRealData(h) => fails(0, 12));
    row!(NET_DVR_MakeKeyFrame(id, 99) => fails(0, 4));
    row!(NET_DVR_MakeKeyFrameSub(id, 99) => fails(0, 4));
    // PTZ: command 0 is no command
    row!(NET_DVR_PTZControl(h, 0, 0) => fails(0, 12));
    row!(NET_DVR_PTZControl_Other(id, 1, 0, 0) => fails(0, 17));
    row!(NET_DVR_PTZControlWithSpeed(h, 0, 0, 0) => fails(0, 12));
    row!(NET_DVR_PTZControlWithSpeed_Other(id, 1, 0, 0, 0) => fails(0, 17));
    row!(NET_DVR_PTZPreset(h, 0, 0) => fails(0, 12));
    row!(NET_DVR_PTZPreset_Other(id, 1, 0, 0) => fails(0, 17));
    row!(NET_DVR_PTZCruise(h, 0, 0, 0, 0) => fails(0, 12));
    row!(NET_DVR_PTZCruise_Other(id, 1, 0, 0, 0, 0) => fails(0, 17));
    row!(NET_DVR_PTZTrack(h, 0) => fails(0, 12));
    row!(NET_DVR_PTZTrack_Other(id, 1, 0) => fails(0, 17));
    // configuration
    row!(NET_DVR_GetDVRConfig(id, NET_DVR_GET_DEVICECFG_V40, 0, null_mut(), 0, null_mut()) => fails(0, 17));
    row!(NET_DVR_SetDVRConfig(id, NET_DVR_SET_PTZPOS, 1, null_mut(), 0) => fails(0, 17));
    row!(NET_DVR_GetDeviceConfig(id, 0, 0, null_mut(), 0, null_mut(), null_mut(), 0) => fails(0, 17)); // NULL output buffer
    row!(NET_DVR_SetDeviceConfig(id, 0, 0, null_mut(), 0, null_mut(), null_mut(), 0) => fails(0, 23));
    row!(NET_DVR_GetSTDConfig(id, 0, null_mut()) => fails(0, 17));
    row!(NET_DVR_SetSTDConfig(id, 0, null_mut()) => fails(0, 17));
    row!(NET_DVR_STDControl(id, 0, null_mut()) => fails(0, 17));
    row!(NET_DVR_STDXMLConfig(id, null_mut(), null_mut()) => fails(0, 17));
    row!(NET_DVR_RemoteControl(id, 0, null_mut(), 0) => fails(0, 23));
    row!(NET_DVR_RebootDVR(viewer) => fails(0, 2));
    row!(NET_DVR_ShutDownDVR(viewer) => fails(0, 2));
    row!(NET_DVR_GetDeviceAbility(id, 0, null_mut(), 0, null_mut(), 0) => fails(0, 23));
    // snapshot
    row!(NET_DVR_CaptureJPEGPicture(id, 1, null_mut(), null_mut()) => fails(0, 17));
    row!(NET_DVR_CaptureJPEGPicture_NEW(id, 1, null_mut(), null_mut(), 0, null_mut()) => fails(0, 17));
    // recordings
    row!(NET_DVR_FindFile_V40(id, null_mut()) => fails(-1, 17));
    // The pointer is checked before the handle (measured: conformance recordings_without_a_login).
    row!(NET_DVR_FindNextFile_V40(h, null_mut()) => fails(-1, 17));
    row!(NET_DVR_FindClose_V30(h) => fails(0, 12));
    row!(NET_DVR_GetFileByTime_V40(id, null_mut(), null_mut()) => fails(-1, 17));
    row!(NET_DVR_GetFileByName(id, null_mut(), null_mut()) => fails(-1, 17));
    row!(NET_DVR_StopGetFile(h) => fails(0, 12));
    row!(NET_DVR_GetDownloadPos(h) => fails(-1, 12));
    row!(NET_DVR_PlayBackByTime_V40(id, null()) => fails(-1, 17));
    row!(NET_DVR_PlayBackByName(id, null_mut(), 0) => fails(-1, 17));
    row!(NET_DVR_PlayBackControl_V40(h, 0, null_mut(), 0, null_mut(), null_mut()) => fails(0, 12));
    row!(NET_DVR_GetPlayBackPos(h) => fails(-1, 12));
    row!(NET_DVR_SetPlayDataCallBack_V40(h, None, null_mut()) => fails(0, 12));
    row!(NET_DVR_StopPlayBack(h) => fails(0, 12));
    // alarms
    row!(NET_DVR_SetDVRMessageCallBack_V30(None, null_mut()) => T);
    row!(NET_DVR_SetDVRMessageCallBack_V31(None, null_mut()) => T);
    row!(NET_DVR_SetDVRMessageCallBack_V50(0, None, null_mut()) => T);
    row!(NET_DVR_SetupAlarmChan_V30(id) => (0, Some(0))); // arms: handle 0 (Logout disarms)
    row!(NET_DVR_SetupAlarmChan_V41(id, null_mut()) => fails(-1, 17));
    row!(NET_DVR_SetupAlarmChan_V50(id, null_mut(), null_mut(), 0) => fails(-1, 17));
    row!(NET_DVR_CloseAlarmChan_V30(h) => fails(0, 12));
    // Listening needs no device: every address, any port, no callback; handle 0.
    row!(NET_DVR_StartListen_V30(null_mut(), 0, None, null_mut()) => (0, Some(0)));
    row!(NET_DVR_StopListen_V30(h) => fails(0, 17)); // -1 while a listener is open
    // remote configuration
    row!(NET_DVR_StartRemoteConfig(id, 0, null_mut(), 0, None, null_mut()) => fails(-1, 23));
    row!(NET_DVR_GetNextRemoteConfig(h, null_mut(), 0) => fails(-1, 17)); // NULL buffer first
    row!(NET_DVR_SendWithRecvRemoteConfig(h, null_mut(), 0, null_mut(), 0, null_mut()) => fails(-1, 12));
    row!(NET_DVR_SendRemoteConfig(h, 0, null_mut(), 0) => fails(0, 12));
    row!(NET_DVR_StopRemoteConfig(h) => fails(0, 12));

    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let mut missing: Vec<&str> = DECLARED_FUNCTIONS
        .iter()
        .copied()
        .filter(|n| !seen.contains(n))
        .collect();
    missing.sort_unstable();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
    assert_eq!(seen.len(), DECLARED_FUNCTIONS.len(), "each function once");
    // The session is still fine after all that.
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Ok(()));
    assert!(logout(id));
    assert!(logout(viewer));
}

#[test]
fn local_config_setters_round_trip() {
    env();
    // NET_DVR_LOCAL_GENERAL_CFG through Set/GetSDKLocalCfg (type GENERAL), byte for byte.
    let n = size_of::<NET_DVR_LOCAL_GENERAL_CFG>();
    let mut cfg = vec![0u64; n.div_ceil(8)];
    let bytes: Vec<u8> = (0..n).map(|i| (i * 7 + 3) as u8).collect();
    // SAFETY: `cfg` holds at least n bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), cfg.as_mut_ptr().cast::<u8>(), n) };
    let mut back = vec![0u64; n.div_ceil(8)];
    // SAFETY: buffers of at least the struct's size.
    unsafe {
        ok(f!(NET_DVR_SetSDKLocalCfg)(
            NET_DVR_LOCAL_CFG_TYPE_GENERAL,
            cfg.as_ptr().cast(),
        ))
        .unwrap();
        ok(f!(NET_DVR_GetSDKLocalCfg)(
            NET_DVR_LOCAL_CFG_TYPE_GENERAL,
            back.as_mut_ptr().cast(),
        ))
        .unwrap();
    }
    // SAFETY: `back` holds at least n bytes.
    let got = unsafe { std::slice::from_raw_parts(back.as_ptr().cast::<u8>(), n) };
    assert_eq!(got, &bytes[..]);
    // NET_DVR_SDKLOCAL_CFG through Set/GetSDKLocalConfig.
    let mut c = NET_DVR_SDKLOCAL_CFG {
        byEnableAbilityParse: 1,
        byVoiceComMode: 2,
        byLoginWithSimXml: 3,
        byCompatibleType: 4,
        byRes: [5; 380],
        byProtectKey: [0; 128],
    };
    // Sentinels everywhere, so that a field the Get call does not write shows.
    let mut out = NET_DVR_SDKLOCAL_CFG {
        byEnableAbilityParse: 0xEE,
        byVoiceComMode: 0xEE,
        byLoginWithSimXml: 0xEE,
        byCompatibleType: 0xEE,
        byRes: [0xEE; 380],
        byProtectKey: [0; 128],
    };
    // SAFETY: valid structs.
    unsafe {
        ok(f!(NET_DVR_SetSDKLocalConfig)(&mut c)).unwrap();
        ok(f!(NET_DVR_GetSDKLocalConfig)(&mut out)).unwrap();
    }
    assert_eq!(
        (
            out.byEnableAbilityParse,
            out.byVoiceComMode,
            out.byLoginWithSimXml,
            out.byCompatibleType
        ),
        (1, 2, 3, 4)
    );
    assert_eq!(out.byRes, [5; 380]);
    // GetLocalIP reports loopback.
    let mut ips = [[0 as c_char; 16]; 16];
    let (mut n_ip, mut bind) = (0u32, 7);
    // SAFETY: a char[16][16], a DWORD and a BOOL.
    ok(unsafe { f!(NET_DVR_GetLocalIP)(ips.as_mut_ptr(), &mut n_ip, &mut bind) }).unwrap();
    // SAFETY: the mock NUL-terminates the field.
    let ip0 = unsafe { CStr::from_ptr(ips[0].as_ptr()) };
    assert_eq!((ip0.to_str().unwrap(), n_ip, bind), ("127.0.0.1", 1, 0));
}

/// A return value as a number: BOOL, LONG, DWORD, int, a pointer (1 if non-NULL), or ().
trait RetValue {
    fn value(self) -> i64;
}
impl RetValue for i32 {
    fn value(self) -> i64 {
        self.into()
    }
}
impl RetValue for u32 {
    fn value(self) -> i64 {
        self.into()
    }
}
impl RetValue for *mut c_char {
    fn value(self) -> i64 {
        i64::from(!self.is_null())
    }
}
impl RetValue for () {
    fn value(self) -> i64 {
        0
    }
}
fn ret_value(r: impl RetValue) -> i64 {
    r.value()
}
