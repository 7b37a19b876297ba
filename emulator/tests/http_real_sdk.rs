//! The real HCNetSDK logs into the HTTP face (ISAPI login mode) through the safe layer:
//! the handshake and its hash, DeviceInfo, logout, and what the SDK reports for the
//! wrong-password and locked answers (recorded in emulator/README.md).
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as the real-SDK
//! tier does (`.ci/real-sdk.d/emulator-http.sh`):
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test http_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test http_real_sdk -- --nocapture --test-threads=1'
//! ```
//!
//! `EMULATOR_SDK_LOG=DIR` also writes the SDK's own log there (it says why the SDK
//! refuses an answer).

mod http_fixture;

mod real_sdk_common;
use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use real_sdk_common::shared;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk::{LoginMode, LoginState, Sdk, Session};
use hcnetsdk_emulator::http::{HttpConfig, HttpFace, RequestRecord, Route};
use http_fixture::{Fixture, MAX_ATTEMPTS, PASSWORD, SERIAL, USER};

fn login(sdk: &Sdk, face: &HttpFace, password: &str) -> hcnetsdk::Result<Session> {
    Session::builder(sdk)
        .address("127.0.0.1")
        .port(face.port())
        .user(USER)
        .password(password)
        .mode(LoginMode::Isapi)
        .login()
}

fn print_log(what: &str, log: &[RequestRecord]) {
    println!("{what}: {} requests", log.len());
    for r in log {
        println!("  {} {} -> {} ({:?})", r.method, r.path, r.status, r.route);
    }
}

fn paths(log: &[RequestRecord]) -> Vec<String> {
    log.iter()
        .map(|r| {
            let path = r.path.split_once('?').map_or(r.path.as_str(), |(p, _)| p);
            format!("{} {path}", r.method)
        })
        .collect()
}

#[test]
fn real_sdk_logs_in_reads_device_info_and_logs_out() {
    let Some(dir) = real_sdk_dir("real_sdk_logs_in_reads_device_info_and_logs_out") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let face = HttpFace::bind(Arc::new(Fixture::default())).unwrap();
    let session = login(sdk, &face, PASSWORD);
    print_log("login", &face.requests());
    let session = session.unwrap_or_else(|e| panic!("{e:#}"));
    let info = session.device_info();
    println!("DeviceInfo: {info:?}");
    assert_eq!(info.serial, SERIAL);
    assert_eq!(info.login_mode, LoginMode::Isapi);
    assert_eq!(
        (info.analog_channels.start, info.analog_channels.count),
        (1, 1)
    );
    assert_eq!(face.open_sessions(), 1);
    let isapi = session
        .isapi()
        .device_info()
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(isapi.serial_number, SERIAL);
    assert_eq!(isapi.model, http_fixture::MODEL);
    drop(session);

    let log = face.requests();
    print_log("after logout", &log);
    let seen = paths(&log);
    assert_eq!(
        seen[..3],
        [
            "GET /ISAPI/Security/sessionLogin/capabilities",
            "POST /ISAPI/Security/sessionLogin",
            "GET /ISAPI/Security/capabilities",
        ]
    );
    assert!(
        log[0].path.contains("username=admin&random="),
        "{}",
        log[0].path
    );
    // The cookie was accepted on every request after the login.
    assert!(
        log.iter().all(|r| r.route != Route::Unauthorized),
        "{log:?}"
    );
    assert!(seen.iter().any(|p| p == "GET /ISAPI/System/deviceInfo"));
    assert_eq!(seen.last().unwrap(), "PUT /ISAPI/Security/sessionLogout");
    assert_eq!(face.open_sessions(), 0);
}

#[test]
fn real_sdk_reports_attempts_left_then_the_lock() {
    let Some(dir) = real_sdk_dir("real_sdk_reports_attempts_left_then_the_lock") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let face = HttpFace::bind(Arc::new(Fixture::default())).unwrap();
    for left in (1..MAX_ATTEMPTS).rev() {
        let e = login(sdk, &face, "wrong").expect_err("a wrong password must fail");
        println!(
            "wrong password: code {:?}, {:?}",
            e.raw_code(),
            e.login_state()
        );
        assert_eq!(e.raw_code(), Some(1), "{e:#}");
        assert_eq!(
            e.login_state(),
            Some(LoginState::new(Some(left as u8), None))
        );
        // Issue 12: `{e:#}` shows the cause and the attempts left.
        let report = format!("{e:#}");
        let says = if left == 1 {
            "1 login attempt is left".to_owned()
        } else {
            format!("{left} login attempts are left")
        };
        assert!(report.contains("NET_DVR_PASSWORD_ERROR (1)"), "{report}");
        assert!(report.contains(&says), "{report}");
    }
    // The attempt that locks, then one while locked (with the right password).
    for password in ["wrong", PASSWORD] {
        let e = login(sdk, &face, password).expect_err("a locked account must fail");
        println!("locked: code {:?}, {:?}", e.raw_code(), e.login_state());
        assert_eq!(e.raw_code(), Some(153), "{e:#}");
        let state = e.login_state().expect("the lock's state");
        assert_eq!(state.attempts_left, Some(0));
        let remaining = state.lock_remaining.expect("the lock time");
        let report = format!("{e:#}");
        assert!(report.contains("NET_DVR_USER_LOCKED (153)"), "{report}");
        assert!(report.contains("locked for another"), "{report}");
        assert!(
            remaining <= Duration::from_secs(1800) && remaining >= Duration::from_secs(1790),
            "{remaining:?}"
        );
    }
    print_log("wrong passwords", &face.requests());
    assert_eq!(face.open_sessions(), 0);
}

#[test]
fn real_sdk_wrong_password_without_a_lock() {
    let Some(dir) = real_sdk_dir("real_sdk_wrong_password_without_a_lock") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let face = HttpFace::bind(Arc::new(Fixture::without_lock())).unwrap();
    let e = login(sdk, &face, "wrong").expect_err("a wrong password must fail");
    println!("no lock: code {:?}, {:?}", e.raw_code(), e.login_state());
    assert_eq!(e.raw_code(), Some(1), "{e:#}");
    // lockStatus `unlock` without retryLoginTime: bySupportLock 1, byRetryLoginTime 0.
    assert_eq!(e.login_state(), Some(LoginState::new(Some(0), None)));
    let session = login(sdk, &face, PASSWORD).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(session.device_info().serial, SERIAL);
}

#[test]
fn real_sdk_uses_the_reversible_hash_when_told() {
    let Some(dir) = real_sdk_dir("real_sdk_uses_the_reversible_hash_when_told") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let config = HttpConfig {
        iterations: 100,
        irreversible: false,
    };
    let face = HttpFace::bind_with(Arc::new(Fixture::default()), config).unwrap();
    let session = login(sdk, &face, PASSWORD).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(session.device_info().serial, SERIAL);
    drop(session);
    let e = login(sdk, &face, "wrong").expect_err("a wrong password must fail");
    assert_eq!(e.raw_code(), Some(1), "{e:#}");
}

/// What `NET_DVR_Login_V40` itself returned, read without the safe layer's mapping.
#[derive(Debug, PartialEq, Eq)]
struct RawLogin {
    error: u32,
    support_lock: u8,
    retry_login_time: u8,
    surplus_lock_time: u32,
}

/// One `NET_DVR_Login_V40` in ISAPI mode on the raw functions (the SDK is already
/// initialised by [`shared`]; loading it again gives the same library).
fn raw_login(dir: &Path, port: u16, password: &str) -> RawLogin {
    use hcnetsdk::sys::{Library, NET_DVR_DEVICEINFO_V40, NET_DVR_USER_LOGIN_INFO};
    let lib = Library::load(Some(dir)).expect("load the real SDK");
    let login = lib
        .fns()
        .NET_DVR_Login_V40
        .as_ref()
        .expect("NET_DVR_Login_V40");
    let last_error = lib
        .fns()
        .NET_DVR_GetLastError
        .as_ref()
        .expect("NET_DVR_GetLastError");
    let mut info = NET_DVR_USER_LOGIN_INFO::default();
    let fill = |field: &mut [std::ffi::c_char], text: &str| {
        for (d, s) in field.iter_mut().zip(text.bytes()) {
            *d = s as std::ffi::c_char;
        }
    };
    fill(&mut info.sDeviceAddress, "127.0.0.1");
    fill(&mut info.sUserName, USER);
    fill(&mut info.sPassword, password);
    info.wPort = port;
    info.byLoginMode = 1;
    let mut dev = NET_DVR_DEVICEINFO_V40::default();
    // SAFETY: both pointers are to live, zero-initialised structs of the declared types,
    // the strings NUL-terminated; a synchronous login keeps neither after returning.
    let user_id = unsafe { login(&raw mut info, &raw mut dev) };
    assert!(user_id < 0, "the raw login is only used for failures here");
    RawLogin {
        // SAFETY: an argument-less SDK call on the thread that made the login.
        error: unsafe { last_error() },
        support_lock: dev.bySupportLock,
        retry_login_time: dev.byRetryLoginTime,
        surplus_lock_time: dev.dwSurplusLockTime,
    }
}

#[test]
fn real_sdk_copies_retry_login_time_and_unlock_time_into_device_info() {
    let Some(dir) =
        real_sdk_dir("real_sdk_copies_retry_login_time_and_unlock_time_into_device_info")
    else {
        return;
    };
    shared(&dir, hcnetsdk::LogLevel::Info);
    let face = HttpFace::bind(Arc::new(Fixture::default())).unwrap();
    let raw = |password| raw_login(&dir, face.port(), password);
    let wrong = |retry| RawLogin {
        error: 1,
        support_lock: 1,
        retry_login_time: retry,
        surplus_lock_time: 0,
    };
    for left in (1..MAX_ATTEMPTS as u8).rev() {
        assert_eq!(raw("wrong"), wrong(left));
    }
    let locked = raw("wrong");
    println!("locked: {locked:?}");
    assert_eq!(
        (locked.error, locked.support_lock, locked.retry_login_time),
        (153, 1, 0)
    );
    assert!(
        (1790..=1800).contains(&locked.surplus_lock_time),
        "{locked:?}"
    );

    let no_lock = HttpFace::bind(Arc::new(Fixture::without_lock())).unwrap();
    let answer = raw_login(&dir, no_lock.port(), "wrong");
    println!("no lock: {answer:?}");
    assert_eq!(answer, wrong(0));
}
