//! Login against simulated devices: default scenario, lock-out, limits, async, faults.

#[macro_use]
mod support;

use std::ffi::c_void;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hcnetsdk_sys::*;
use support::*;

#[test]
fn every_declared_function_is_exported_and_the_version_says_mock() {
    let e = env();
    assert!(e.lib.is_mock());
    assert!(
        e.lib.missing_functions().is_empty(),
        "{:?}",
        e.lib.missing_functions()
    );
    // SAFETY: no arguments.
    let (v, b) = unsafe {
        (
            f!(NET_DVR_GetSDKVersion)(),
            f!(NET_DVR_GetSDKBuildVersion)(),
        )
    };
    assert_eq!(v, 0x0006_0001);
    assert_eq!(b >> 16, 0x0601, "major.minor 6.1 like the real SDK");
    assert_eq!(b & 0xFFFF, 0x4D4B, "build bytes spell MK");
}

#[test]
fn default_dome_reports_its_identity_and_gbk_name() {
    env();
    let (id, info) = login("192.0.2.10", 8000, "admin", "Admin12345").unwrap();
    let v30 = info.struDeviceV30;
    let serial: Vec<u8> = v30
        .sSerialNumber
        .iter()
        .take_while(|b| **b != 0)
        .copied()
        .collect();
    assert_eq!(serial, b"DS-2DE4425IW-DE20230615AAWRJ12345678");
    assert_eq!((v30.byChanNum, v30.byStartChan, v30.byIPChanNum), (1, 1, 0));
    assert_eq!(info.byCharEncodeType, 2, "GBK");
    assert_eq!(info.byRetryLoginTime, 7);
    let mut cfg = NET_DVR_DEVICECFG_V40::default();
    let mut ret = 0u32;
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
            &mut ret,
        )
    };
    ok(r).unwrap();
    assert_eq!(ret as usize, size_of_val(&cfg));
    let name: Vec<u8> = cfg
        .sDVRName
        .iter()
        .take_while(|b| **b != 0)
        .copied()
        .collect();
    assert!(
        std::str::from_utf8(&name).is_err(),
        "the name must be sent as GBK, not UTF-8"
    );
    assert_eq!(encoding_rs::GBK.decode(&name).0, "大门球机");
    assert_eq!(cfg.dwSoftwareVersion, 0x0507_0003);
    assert!(logout(id));
}

#[test]
fn default_nvr_has_ip_channels_from_33() {
    env();
    let (id, info) = login("192.0.2.20", 8000, "viewer", "View12345").unwrap();
    let v30 = info.struDeviceV30;
    assert_eq!(
        (v30.byChanNum, v30.byIPChanNum, v30.byStartDChan),
        (0, 16, 33)
    );
    assert_eq!(realplay(id, 1, 0, None, std::ptr::null_mut()), Err(4));
    assert_eq!(realplay(id, 49, 0, None, std::ptr::null_mut()), Err(4));
    let h = realplay(id, 48, 0, None, std::ptr::null_mut()).unwrap();
    assert!(stop(h));
    let mut cfg: Box<NET_DVR_IPPARACFG_V40> = Box::default();
    let mut ret = 0u32;
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_IPPARACFG_V40,
            0,
            (&mut *cfg as *mut NET_DVR_IPPARACFG_V40).cast(),
            size_of::<NET_DVR_IPPARACFG_V40>() as u32,
            &mut ret,
        )
    };
    ok(r).unwrap();
    assert_eq!(
        (cfg.dwDChanNum, cfg.dwStartDChan, cfg.dwAChanNum),
        (16, 33, 0)
    );
    assert_eq!(cfg.struIPDevInfo[0].byEnable, 1);
    assert!(logout(id));
}

#[test]
fn ipparacfg_on_an_ipc_is_unsupported() {
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    let mut cfg: Box<NET_DVR_IPPARACFG_V40> = Box::default();
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_IPPARACFG_V40,
            0,
            (&mut *cfg as *mut NET_DVR_IPPARACFG_V40).cast(),
            size_of::<NET_DVR_IPPARACFG_V40>() as u32,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(ok(r), Err(23));
    // Too small a buffer for DEVICECFG_V40: 17.
    let mut small = [0u8; 16];
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            small.as_mut_ptr().cast(),
            16,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(ok(r), Err(17));
    assert!(logout(id));
}

#[test]
fn wrong_password_counts_down_locks_and_the_lock_expires() {
    let dev = env()
        .ctl
        .add_test_device("login_retry_limit = 3\nlock_seconds = 1");
    let (code, info) = login(&dev.address, 8000, "admin", "nope").unwrap_err();
    assert_eq!((code, info.byRetryLoginTime), (1, 2));
    let (code, info) = login(&dev.address, 8000, "nobody", "nope").unwrap_err();
    assert_eq!((code, info.byRetryLoginTime), (1, 1));
    let (code, info) = login(&dev.address, 8000, "admin", "nope").unwrap_err();
    assert_eq!(code, 153);
    assert_eq!(info.dwSurplusLockTime, 1);
    // Locked: even the right password is refused.
    let (code, info) = login(&dev.address, 8000, "admin", "Admin12345").unwrap_err();
    assert_eq!(code, 153);
    assert!(info.dwSurplusLockTime >= 1);
    let locked_ms = env()
        .ctl
        .device_value(&dev.address, 8000, "locked_ms")
        .unwrap();
    assert!(locked_ms > 0 && locked_ms <= 1000, "{locked_ms}");
    std::thread::sleep(Duration::from_millis(locked_ms + 50));
    let (id, info) = login(&dev.address, 8000, "admin", "Admin12345").expect("lock expired");
    assert_eq!(info.byRetryLoginTime, 3);
    assert!(logout(id));
}

#[test]
fn session_limit_gives_52_and_logout_frees_a_place() {
    let dev = env().ctl.add_test_device("max_sessions = 2");
    let a = admin(&dev);
    let b = admin(&dev);
    assert_eq!(
        login(&dev.address, 8000, "viewer", "View12345")
            .unwrap_err()
            .0,
        52
    );
    assert!(logout(a));
    let c = login(&dev.address, 8000, "viewer", "View12345").unwrap().0;
    assert!(logout(b) && logout(c));
    assert_eq!(
        env().ctl.device_value(&dev.address, 8000, "sessions"),
        Some(0)
    );
}

#[test]
fn stale_user_ids_and_handles() {
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    assert!(logout(id));
    // The ID was used: 47 at once.
    assert!(!logout(id));
    assert_eq!(err(), 47);
    assert_eq!(realplay(id, 1, 0, None, std::ptr::null_mut()), Err(47));
    assert_eq!(realplay(-1, 1, 0, None, std::ptr::null_mut()), Err(17));
    assert_eq!(realplay(2048, 1, 0, None, std::ptr::null_mut()), Err(17));
    // SAFETY: plain values.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe { f!(NET_DVR_PTZControlWithSpeed)(-1, PAN_LEFT, 0, 4) }),
        Err(12)
    );
}

#[test]
fn login_v30_works_and_accepts_a_null_device_info() {
    env();
    let (ip, user, pw) = (
        cstring("192.0.2.11"),
        cstring("admin"),
        cstring("Admin12345"),
    );
    // SAFETY: valid C strings; NULL device info is allowed.
    let id = unsafe {
        f!(NET_DVR_Login_V30)(
            ip.as_ptr().cast_mut(),
            8000,
            user.as_ptr().cast_mut(),
            pw.as_ptr().cast_mut(),
            std::ptr::null_mut(),
        )
    };
    assert!(id >= 0, "err {}", err());
    assert!(logout(id));
}

#[test]
fn offline_device_refuses_logins_with_7() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    assert!(e.ctl.set_device_online(&dev.address, 0, false));
    let t = Instant::now();
    assert_eq!(
        login(&dev.address, 8000, "admin", "Admin12345")
            .unwrap_err()
            .0,
        7
    );
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(e.ctl.set_device_online(&dev.address, 0, true));
    let id = admin(&dev);
    assert!(logout(id));
}

struct AsyncResult {
    user: i32,
    result: u32,
    serial: Vec<u8>,
    thread: std::thread::ThreadId,
    err_on_cb_thread: u32,
    puser: usize,
}

static ASYNC: Mutex<Vec<AsyncResult>> = Mutex::new(Vec::new());

unsafe extern "system" fn on_login(
    user: LONG,
    result: DWORD,
    info: LPNET_DVR_DEVICEINFO_V30,
    p: *mut c_void,
) {
    // SAFETY: the mock passes a valid NET_DVR_DEVICEINFO_V30 on success, NULL on failure.
    let serial = unsafe { info.as_ref() }
        .map(|i| {
            i.sSerialNumber
                .iter()
                .take_while(|b| **b != 0)
                .copied()
                .collect()
        })
        .unwrap_or_default();
    ASYNC.lock().unwrap().push(AsyncResult {
        user,
        result,
        serial,
        thread: std::thread::current().id(),
        err_on_cb_thread: err(),
        puser: p as usize,
    });
}

fn async_login(dev: &TestDevice, password: &str, tag: usize) -> i32 {
    let mut li = login_info(&dev.address, dev.port, "admin", password);
    li.bUseAsynLogin = 1;
    li.cbLoginResult = Some(on_login);
    li.pUser = tag as *mut c_void;
    let mut info = NET_DVR_DEVICEINFO_V40 {
        byRetryLoginTime: 0xAB,
        dwSurplusLockTime: 0xDEAD,
        ..Default::default()
    };
    // SAFETY: valid structs.
    let id = unsafe { f!(NET_DVR_Login_V40)(&mut li, &mut info) };
    assert!(id >= 0);
    assert_eq!(err(), 0);
    assert_eq!(
        (
            info.byRetryLoginTime,
            info.dwSurplusLockTime,
            info.struDeviceV30.byChanNum
        ),
        (0xAB, 0xDEAD, 0),
        "async mode does not write the caller's lpDeviceInfo (the callback gets the info)"
    );
    id
}

#[test]
fn async_login_reports_on_a_mock_thread_and_needs_logout() {
    let dev = env().ctl.add_test_device("serial = \"ASYNC-SERIAL-1\"");
    let good = async_login(&dev, "Admin12345", 0xA1);
    let bad = async_login(&dev, "wrong", 0xB2);
    assert!(wait_for(Duration::from_secs(5), || {
        let v = ASYNC.lock().unwrap();
        v.iter().any(|r| r.puser == 0xA1) && v.iter().any(|r| r.puser == 0xB2)
    }));
    let v = ASYNC.lock().unwrap();
    let g = v.iter().find(|r| r.puser == 0xA1).unwrap();
    assert_eq!((g.user, g.result), (good, 1));
    assert_eq!(g.serial, b"ASYNC-SERIAL-1");
    assert_ne!(g.thread, std::thread::current().id());
    let b = v.iter().find(|r| r.puser == 0xB2).unwrap();
    assert_eq!((b.user, b.result, b.err_on_cb_thread), (bad, 0, 1));
    drop(v);
    assert!(logout(good));
    assert!(
        logout(bad),
        "a failed async login's ID still needs (and accepts) Logout"
    );
}

#[test]
fn scoped_fault_injection_latency_and_counts() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let before = e.ctl.call_count("NET_DVR_Login_V40", Some(&dev.address));
    e.ctl
        .fail_next("NET_DVR_Login_V40", 10, 2, Some(&dev.address));
    assert_eq!(
        login(&dev.address, 8000, "admin", "Admin12345")
            .unwrap_err()
            .0,
        10
    );
    assert_eq!(
        login(&dev.address, 8000, "admin", "Admin12345")
            .unwrap_err()
            .0,
        10
    );
    let id = admin(&dev);
    assert_eq!(
        e.ctl.call_count("NET_DVR_Login_V40", Some(&dev.address)) - before,
        3
    );
    e.ctl
        .fail_random("NET_DVR_GetDVRConfig", 29, 1.0, Some(&dev.address));
    let mut cfg = NET_DVR_DEVICECFG_V40::default();
    // SAFETY: valid buffer.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(ok(r), Err(29));
    e.ctl
        .clear_faults(Some("NET_DVR_GetDVRConfig"), Some(&dev.address));
    e.ctl
        .set_latency("NET_DVR_GetDVRConfig", 200, Some(&dev.address));
    let t = Instant::now();
    // SAFETY: valid buffer.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(ok(r), Ok(()));
    assert!(t.elapsed() >= Duration::from_millis(200));
    e.ctl
        .set_latency("NET_DVR_GetDVRConfig", 0, Some(&dev.address));
    assert!(logout(id));
}

#[test]
fn add_device_rejects_bad_toml_with_a_reason() {
    let e = env();
    let err = e
        .ctl
        .add_device("address = \"not an ip\"\n[[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"")
        .unwrap_err();
    assert!(err.contains("not an IP"), "{err}");
    let err = e
        .ctl
        .add_device("address = \"192.0.2.99\"\nbogus = 1")
        .unwrap_err();
    assert!(err.contains("bogus"), "{err}");
}

#[test]
fn sdk_init_cfg_paths_are_recorded() {
    let e = env();
    let mut p = NET_DVR_LOCAL_SDK_PATH {
        sPath: text::field(b"/opt/hik/lib/").unwrap(),
        byRes: [0; 128],
    };
    let crypto = cstring("/opt/hik/lib/libcrypto.so.1.1");
    // SAFETY: valid struct and C string.
    unsafe {
        ok(f!(NET_DVR_SetSDKInitCfg)(
            NET_SDK_INIT_CFG_SDK_PATH,
            (&mut p as *mut NET_DVR_LOCAL_SDK_PATH).cast(),
        ))
        .unwrap();
        ok(f!(NET_DVR_SetSDKInitCfg)(
            NET_SDK_INIT_CFG_LIBEAY_PATH,
            crypto.as_ptr().cast_mut().cast(),
        ))
        .unwrap();
    }
    assert_eq!(
        e.ctl.get_string("sdk_path").as_deref(),
        Some("/opt/hik/lib/")
    );
    assert_eq!(
        e.ctl.get_string("libeay_path").as_deref(),
        Some("/opt/hik/lib/libcrypto.so.1.1")
    );
}

#[test]
fn log_to_file_writes_a_log() {
    let e = env();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-log-{}", std::process::id()));
    let d = cstring(&format!("{}/", dir.display()));
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(3, d.as_ptr().cast_mut(), 0) }).unwrap();
    let _ = login("192.0.2.250", 8000, "admin", "x"); // no device there: a logged failure
    let path = e.ctl.get_string("log_file").expect("log file");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("NET_DVR_Login_V40 failed: 7"), "{text}");
    // SAFETY: level 0 closes the log.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(0, std::ptr::null_mut(), 0) }).unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_panic_inside_the_mock_becomes_error_76() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let id = admin(&dev);
    e.ctl
        .fail_next("NET_DVR_MakeKeyFrame", u32::MAX, 1, Some(&dev.address));
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Err(76));
    // SAFETY: plain values.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }),
        Ok(()),
        "the mock keeps working"
    );
    assert!(logout(id));
}

#[test]
fn error_messages_are_our_own_text_and_set_the_code() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let msg = |code: u32| {
        let id = admin(&dev);
        e.ctl
            .fail_next("NET_DVR_MakeKeyFrame", code, 1, Some(&dev.address));
        // SAFETY: plain values.
        assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Err(code));
        let mut n: LONG = -1;
        // SAFETY: a LONG to write the code to.
        let p = unsafe { f!(NET_DVR_GetErrorMsg)(&mut n) };
        assert!(!p.is_null());
        // SAFETY: the mock returns a NUL-terminated string that lives for the process.
        let text = unsafe { std::ffi::CStr::from_ptr(p) }
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(n as u32, code, "pErrorNo");
        assert_eq!(err(), code, "GetErrorMsg leaves the code alone");
        assert!(logout(id));
        text
    };
    let t7 = msg(7);
    assert!(!t7.is_empty());
    assert_ne!(
        t7,
        "Failed to connect to the device. The device is off-line, or connection timeout caused by network.",
        "not the vendor's sentence"
    );
    assert_ne!(msg(1), t7, "one text per code");
    assert!(msg(12345).contains("12345"), "an unknown code is named");
}

#[test]
fn each_login_request_is_recorded_on_its_device_as_sent() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let other = e.ctl.add_test_device("");
    let value = |d: &TestDevice, name: &str| e.ctl.device_value(&d.address, d.port, name);
    let record = |d: &TestDevice| {
        [
            "last_login_mode",
            "last_login_https",
            "last_login_port",
            "last_login_async",
        ]
        .map(|n| value(d, n))
    };
    assert_eq!(record(&dev), [None; 4], "nothing sent yet");
    for (mode, https) in [(0u8, 0u8), (1, 0), (1, 1), (2, 0), (2, 7)] {
        let mut li = login_info(&dev.address, dev.port, "admin", "Admin12345");
        li.byLoginMode = mode;
        li.byHttps = https;
        let mut info = NET_DVR_DEVICEINFO_V40::default();
        // SAFETY: valid structs.
        let id = unsafe { f!(NET_DVR_Login_V40)(&mut li, &mut info) };
        assert!(id >= 0, "mode {mode}: err {}", err());
        assert_eq!(
            record(&dev),
            [Some(mode.into()), Some(https.into()), Some(8000), Some(0)],
            "mode {mode}, https {https}"
        );
        assert!(logout(id));
    }
    assert_eq!(record(&other), [None; 4], "another device saw nothing");
    // A failed attempt is a request too; so is an async one.
    let _ = login(&dev.address, dev.port, "admin", "wrong");
    assert_eq!(value(&dev, "last_login_async"), Some(0));
    let id = async_login(&dev, "Admin12345", 0xC3);
    assert!(wait_for(Duration::from_secs(5), || {
        ASYNC.lock().unwrap().iter().any(|r| r.puser == 0xC3)
    }));
    assert_eq!(value(&dev, "last_login_async"), Some(1));
    assert!(logout(id));
    // Login_V30 has none of these fields: it records the private protocol, sync.
    let (ip, user, pw) = (
        cstring(&dev.address),
        cstring("admin"),
        cstring("Admin12345"),
    );
    // SAFETY: valid C strings; NULL device info is allowed.
    let id = unsafe {
        f!(NET_DVR_Login_V30)(
            ip.as_ptr().cast_mut(),
            8000,
            user.as_ptr().cast_mut(),
            pw.as_ptr().cast_mut(),
            std::ptr::null_mut(),
        )
    };
    assert!(id >= 0, "err {}", err());
    assert_eq!(record(&dev), [Some(0), Some(0), Some(8000), Some(0)]);
    assert!(logout(id));
}
