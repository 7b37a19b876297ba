//! `Session` against the mock SDK: login (sync and async), device info and configuration,
//! logout, events, and every login failure the mock can produce or inject.

use hcnetsdk_test_support::loopback;
use hcnetsdk_test_support::safe as support;

use std::time::Duration;

use hcnetsdk::error::{Category, ErrorKind, Retry};
use hcnetsdk::{ChannelRange, EventKind, LoginMode, Password, Session};
use support::{Device, Kind, PASSWORD, assert_invalid_input, assert_sdk_error, mock, sdk};

#[test]
fn login_reports_the_dome() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    assert!(session.user_id() >= 0);
    assert_eq!(session.address(), dev.address);
    assert_eq!(session.port(), 8000);
    let info = session.device_info();
    assert_eq!(info.analog_channels, ChannelRange { start: 1, count: 1 });
    assert!(info.ip_channels.is_empty());
    assert_eq!(info.channels().collect::<Vec<_>>(), vec![1]);
    assert!(
        info.serial.starts_with("DS-2DE4425IW-DE"),
        "{}",
        info.serial
    );
    assert_eq!(info.alarm_inputs, 1);
    assert_eq!(info.login_mode, LoginMode::Private);
    assert_eq!(dev.value("sessions"), 1);
}

#[test]
fn login_reports_nvr_ip_channels_with_their_real_start() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let info = session.device_info();
    assert!(info.analog_channels.is_empty());
    assert_eq!(
        info.ip_channels,
        ChannelRange {
            start: 33,
            count: 16
        }
    );
    assert!(info.has_channel(33) && info.has_channel(48));
    assert!(!info.has_channel(1) && !info.has_channel(49));
    assert_eq!(info.disk_count, 2);
    assert_eq!(info.dvr_type, 110);
}

#[test]
fn device_config_decodes_the_gbk_name() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let config = session.device_config().unwrap();
    assert_eq!(config.name, "大门球机");
    assert_eq!(session.device_name().unwrap(), "大门球机");
    assert_eq!(config.model, "DS-2DE4425IW-DE");
    assert_eq!(config.serial, session.device_info().serial);
    assert!(config.firmware().starts_with('V'), "{}", config.firmware());
}

#[test]
fn device_config_utf8_name() {
    let dev = Device::with_extra(Kind::Bullet, "charset = \"utf8\"");
    let session = dev.login();
    assert_eq!(session.device_info().char_encoding, 6);
    assert_eq!(session.device_config().unwrap().name, "停车场枪机");
}

#[test]
fn device_config_failure_is_typed() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    dev.fail_next("NET_DVR_GetDVRConfig", 23, 1);
    let err = session.device_config().unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_GetDVRConfig");
    assert_eq!(err.context().user_id, Some(session.user_id()));
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(err.category(), Category::Unsupported);
}

#[test]
fn wrong_password_is_code_1_with_attempts_left_and_never_auto_retry() {
    let dev = Device::with_extra(Kind::Dome, "login_retry_limit = 5");
    let err = dev.login_as("admin", "wrong").unwrap_err();
    assert_sdk_error(&err, 1, "NET_DVR_Login_V40");
    assert_eq!(err.category(), Category::Auth);
    assert_eq!(err.retry(), Retry::NeverAuto);
    assert!(!err.is_retryable());
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(err.context().port, Some(8000));
    assert_eq!(err.context().user_id, None);
    let state = err.login_state().expect("login state");
    assert_eq!(state.attempts_left, Some(4));
    assert_eq!(state.lock_remaining, None);
    assert!(err.sdk_message().is_some_and(|m| !m.is_empty()));
    // Issue 12: `{err:#}` shows the cause and the attempts left.
    let report = format!("{err:#}");
    assert!(report.contains("NET_DVR_PASSWORD_ERROR (1)"), "{report}");
    assert!(report.contains("4 login attempts are left"), "{report}");
}

#[test]
fn repeated_failures_lock_the_account_with_153_and_the_lock_time() {
    let dev = Device::with_extra(Kind::Dome, "login_retry_limit = 2\nlock_seconds = 600");
    let first = dev.login_as("admin", "wrong").unwrap_err();
    assert_eq!(first.raw_code(), Some(1));
    assert_eq!(first.login_state().unwrap().attempts_left, Some(1));
    let locked = dev.login_as("admin", "wrong").unwrap_err();
    assert_sdk_error(&locked, 153, "NET_DVR_Login_V40");
    let state = locked.login_state().expect("login state");
    assert_eq!(state.attempts_left, Some(0));
    assert_eq!(state.lock_remaining, Some(Duration::from_secs(600)));
    // Issue 12: `{locked:#}` shows the cause and the time left.
    let report = format!("{locked:#}");
    assert!(report.contains("NET_DVR_USER_LOCKED (153)"), "{report}");
    assert!(report.contains("locked for another 10 min"), "{report}");
    // While locked even the right password gives 153.
    let still = dev.login_as("admin", PASSWORD).unwrap_err();
    assert_eq!(still.raw_code(), Some(153));
    assert!(still.login_state().unwrap().lock_remaining.is_some());
    assert_eq!(still.retry(), Retry::NeverAuto);
}

#[test]
fn unknown_user_is_code_1() {
    let dev = Device::new(Kind::Bullet);
    let err = dev.login_as("nobody", PASSWORD).unwrap_err();
    assert_sdk_error(&err, 1, "NET_DVR_Login_V40");
}

#[test]
fn offline_device_is_code_7_with_network_remediation() {
    let dev = Device::new(Kind::Bullet);
    assert!(mock().set_device_online(&dev.address, dev.port, false));
    let err = dev.login_as("admin", PASSWORD).unwrap_err();
    assert!(mock().set_device_online(&dev.address, dev.port, true));
    assert_sdk_error(&err, 7, "NET_DVR_Login_V40");
    assert_eq!(err.category(), Category::Network);
    assert!(err.is_retryable());
    assert!(dev.login_as("admin", PASSWORD).is_ok());
}

#[test]
fn closed_loopback_port_is_code_7() {
    // A port nothing listens on: bind, note the port, close.
    let port = loopback::closed_port();
    let err = Session::builder(sdk())
        .address("127.0.0.1")
        .port(port)
        .user("admin")
        .password("x")
        .login()
        .unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_Login_V40");
    assert_eq!(err.context().port, Some(port));
    assert_eq!(err.category(), Category::Network);
}

#[test]
fn injected_login_failures_keep_code_call_and_context() {
    let dev = Device::new(Kind::Dome);
    // 0xFFFFFFFF makes the mock panic inside the call; it reports 76 (program exception).
    dev.fail_next("NET_DVR_Login_V40", 0xFFFF_FFFF, 1);
    let err = dev.login_as("admin", PASSWORD).unwrap_err();
    assert_sdk_error(&err, 76, "NET_DVR_Login_V40");
    for code in [7, 10, 52, 153, 800] {
        dev.fail_next("NET_DVR_Login_V40", code, 1);
        let err = dev.login_as("admin", PASSWORD).unwrap_err();
        assert_sdk_error(&err, code, "NET_DVR_Login_V40");
        assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    }
    assert!(dev.login_as("admin", PASSWORD).is_ok());
}

#[test]
fn too_many_sessions_is_code_52() {
    let dev = Device::with_extra(Kind::Bullet, "max_sessions = 1");
    let _first = dev.login();
    let err = dev.login_as("admin", PASSWORD).unwrap_err();
    assert_sdk_error(&err, 52, "NET_DVR_Login_V40");
    assert_eq!(err.category(), Category::Resource);
}

#[test]
fn drop_logs_out() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    assert_eq!(dev.value("sessions"), 1);
    drop(session);
    assert_eq!(dev.value("sessions"), 0);
}

#[test]
fn logout_reports_success() {
    // Failures: tests/global_faults.rs (the mock applies Logout faults process-wide).
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    session.logout().unwrap();
    assert_eq!(dev.value("sessions"), 0);
}

#[test]
fn isapi_and_auto_login_modes() {
    let dev = Device::new(Kind::Dome);
    // What the mock recorded of the latest login request to this device:
    // [byLoginMode, byHttps, wPort, bUseAsynLogin], exactly as sent.
    let sent = || {
        [
            "last_login_mode",
            "last_login_https",
            "last_login_port",
            "last_login_async",
        ]
        .map(|n| dev.value(n))
    };
    let private = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .mode(LoginMode::Private)
        .login()
        .unwrap();
    assert_eq!(sent(), [0, 0, 8000, 0], "Private");
    assert_eq!(private.device_info().login_mode, LoginMode::Private);
    let isapi = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .mode(LoginMode::Isapi)
        .login()
        .unwrap();
    assert_eq!(sent(), [1, 0, 8000, 0], "Isapi");
    assert_eq!(isapi.device_info().login_mode, LoginMode::Isapi);
    let auto = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .mode(LoginMode::Auto)
        .login()
        .unwrap();
    assert_eq!(sent(), [2, 0, 8000, 0], "Auto");
    assert_eq!(auto.device_info().serial, isapi.device_info().serial);
    let https = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .mode(LoginMode::Isapi)
        .https(true)
        .login()
        .unwrap();
    assert_eq!(sent(), [1, 1, 8000, 0], "Isapi over HTTPS");
    assert_eq!(https.sdk().library_path(), sdk().library_path());
}

#[test]
fn async_login_success() {
    let dev = Device::new(Kind::Nvr);
    let pending = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .login_async()
        .unwrap();
    assert!(pending.wait_ready(Duration::from_secs(10)));
    assert!(pending.is_ready());
    let session = pending.wait().unwrap();
    assert_eq!(
        session.device_info().ip_channels,
        ChannelRange {
            start: 33,
            count: 16
        }
    );
    assert_eq!(dev.value("sessions"), 1);
    session.logout().unwrap();
}

#[test]
fn async_login_failure_is_read_on_the_callback_thread() {
    let dev = Device::new(Kind::Dome);
    let pending = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password("wrong")
        .login_async()
        .unwrap();
    let err = pending.wait().unwrap_err();
    assert_sdk_error(&err, 1, "NET_DVR_Login_V40");
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(dev.value("sessions"), 0);
}

#[test]
fn async_login_injected_failure_and_abandoned_login() {
    let dev = Device::new(Kind::Dome);
    dev.fail_next("NET_DVR_Login_V40", 7, 1);
    let err = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .login_async()
        .and_then(|p| p.wait())
        .unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_Login_V40");

    // Dropping a pending login that succeeded logs it out.
    let pending = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .login_async()
        .unwrap();
    assert!(pending.wait_ready(Duration::from_secs(10)));
    drop(pending);
    assert_eq!(dev.value("sessions"), 0);
}

#[test]
fn session_events_reach_the_session() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    assert!(session.try_next_event().is_none());
    assert!(mock().disconnect_session(session.user_id()));
    let event = session
        .next_event(Duration::from_secs(10))
        .expect("an exception event");
    assert_eq!(event.kind, EventKind::ConnectionLost);
    assert_eq!(event.user_id, session.user_id());
    assert_eq!(event.handle, None);
    assert_eq!(session.dropped_events(), 0);
}

#[test]
fn invalid_input_is_rejected_before_any_sdk_call() {
    // A private device no other test touches: any Login_V40 reaching it would be counted.
    let dev = Device::new(Kind::Dome);
    let base = || {
        Session::builder(sdk())
            .address(dev.address.clone())
            .user("admin")
            .password(PASSWORD)
    };
    // (field, builder, what the one-line message must say: the bad value and the fix)
    let cases: Vec<(&str, hcnetsdk::LoginBuilder, &[&str])> = vec![
        (
            "address",
            base().address(""),
            &["(\"\")", "empty", "IP address"],
        ),
        (
            "address",
            base().address("a".repeat(254)),
            &["(\"aaa", "not a host name", "at most 253"],
        ),
        (
            "address",
            base().address("999.1.1.1"),
            &["999.1.1.1", "not an IPv4 address", "0 to 255"],
        ),
        (
            "address",
            base().address(format!("{}:8000", dev.address)),
            &[":8000", "port is glued on", "LoginBuilder::port(8000)"],
        ),
        (
            "address",
            base().address(format!("http://{}", dev.address)),
            &["http://", "URL", "drop the scheme"],
        ),
        (
            "address",
            base().address(format!(" {}", dev.address)),
            &["spaces"],
        ),
        (
            "address",
            base().address("192.0.2.1\0"),
            &["192.0.2.1\\0", "NUL byte; remove it"],
        ),
        (
            "port",
            base().port(0),
            &["invalid port (0)", "8000 by default"],
        ),
        ("user", base().user(""), &["(\"\")", "give a user name"]),
        (
            "user",
            base().user("u".repeat(64)),
            &["(uuu", "64 bytes", "at most 63 bytes"],
        ),
        ("user", base().user("ad\0min"), &["ad\\0min", "NUL byte"]),
        (
            "password",
            base().password("p".repeat(64)),
            &["<64 bytes, hidden>", "at most 63 bytes"],
        ),
        (
            "password",
            base().password("pa\0ss"),
            &["<5 bytes, hidden>", "NUL byte"],
        ),
    ];
    for (field, builder, says) in cases {
        let err = builder.login().unwrap_err();
        assert_invalid_input(&err, field);
        let line = err.to_string();
        for want in says {
            assert!(line.contains(want), "{want:?} missing from {line:?}");
        }
        assert!(
            !line.contains("pppp") && !line.contains("pa\\0ss"),
            "{line}"
        );
    }
    // At the limits the values are accepted (and the device answers).
    let err = base().user("u".repeat(63)).login().unwrap_err();
    assert_eq!(err.raw_code(), Some(1));
    let err = base()
        .password(Password::new("p".repeat(63)))
        .login()
        .unwrap_err();
    assert_eq!(err.raw_code(), Some(1));
    assert_eq!(
        dev.calls("NET_DVR_Login_V40"),
        2,
        "only the two valid logins reach the device"
    );
}

#[test]
fn invalid_password_error_never_shows_the_password() {
    let secret = "S3cr3t-\0-password";
    let err = Session::builder(sdk())
        .address("192.0.2.99")
        .user("admin")
        .password(secret)
        .login()
        .unwrap_err();
    assert_invalid_input(&err, "password");
    for text in [err.to_string(), format!("{err:#}"), format!("{err:?}")] {
        assert!(!text.contains("S3cr3t"), "{text}");
    }
}

/// The user ID is logged out behind the session's back (raw `NET_DVR_Logout` on the same
/// library): the SDK gives 47 for a free ID that was occupied before (mock-sdk/README.md,
/// "Handles that do not exist", measured on the real SDK).
#[test]
fn missing_user_id_after_logout_elsewhere_is_47() {
    let dev = Device::new(Kind::Bullet);
    let session = dev.login();
    let lib = hcnetsdk::sys::Library::load_file(&support::mock_lib_path()).unwrap();
    let logout = hcnetsdk::sys::sym!(lib, NET_DVR_Logout).unwrap();
    // SAFETY: a LONG by value.
    assert_eq!(unsafe { logout(session.user_id()) }, hcnetsdk::sys::TRUE);
    assert_eq!(dev.value("sessions"), 0);
    let calls = dev.calls("NET_DVR_GetDVRConfig");
    let err = session.device_config().unwrap_err();
    assert_sdk_error(&err, 47, "NET_DVR_GetDVRConfig");
    assert!(matches!(err.kind(), ErrorKind::Sdk { .. }));
    assert_eq!(err.context().user_id, Some(session.user_id()));
    assert_eq!(
        dev.calls("NET_DVR_GetDVRConfig"),
        calls,
        "the call reached no device"
    );
    // The ID is free now, and another test's login (tests here run in parallel) may get it:
    // dropping the session would log that one out. Its logout already happened above.
    std::mem::forget(session);
}

/// Issue 12, the `hcnet info --host localhost` mistake: a host name works through the safe
/// layer (it resolves it and gives the SDK 127.0.0.1), so a closed loopback port gives 7
/// (cannot connect), never the SDK's 17 for names.
#[test]
fn localhost_is_resolved_by_the_safe_layer() {
    let port = loopback::closed_port();
    let err = Session::builder(sdk())
        .address("localhost")
        .port(port)
        .user("admin")
        .password("x")
        .login()
        .unwrap_err();
    assert_eq!(err.raw_code(), Some(7), "{err:#}");
    assert_eq!(err.context().address.as_deref(), Some("localhost"));
    let report = format!("{err:#}");
    assert!(report.contains(&format!("localhost:{port}")), "{report}");
}

/// Issue 12, the `--host 999.1.1.1` mistake: an input error naming the value, before any
/// SDK call (not the SDK's 17 with its struct-layout text).
#[test]
fn an_impossible_ipv4_address_is_an_input_error() {
    let err = Session::builder(sdk())
        .address("999.1.1.1")
        .user("admin")
        .password("x")
        .login()
        .unwrap_err();
    assert_invalid_input(&err, "address");
    let report = format!("{err:#}");
    assert!(report.contains("999.1.1.1"), "{report}");
    assert!(report.contains("not an IPv4 address"), "{report}");
    assert!(!report.contains("dwSize"), "{report}");
}

fn login_with_port_check(port: u16) -> hcnetsdk::Error {
    Session::builder(sdk())
        .address("127.0.0.1")
        .port(port)
        .user("admin")
        .password("x")
        .check_port(true)
        .login()
        .unwrap_err()
}

/// Issue 12, the "HTTP port instead of the SDK port" mistake: the error says the port
/// speaks HTTP, names the SDK port and the ISAPI login mode.
#[test]
fn check_port_finds_an_http_port() {
    let port = loopback::answering(
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
        std::time::Duration::from_millis(300),
    );
    let err = login_with_port_check(port);
    let found = err
        .finding()
        .unwrap_or_else(|| panic!("no finding: {err:#}"));
    assert!(found.contains("speaks HTTP"), "{found}");
    assert!(found.contains("8000") && found.contains("Isapi"), "{found}");
    assert!(format!("{err:#}").contains("found:"), "{err:#}");
}

#[test]
fn check_port_finds_rtsp_tls_and_silent_ports() {
    let rtsp = loopback::answering(
        b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n",
        std::time::Duration::from_millis(300),
    );
    let found = login_with_port_check(rtsp).finding().map(str::to_owned);
    assert!(
        found
            .as_deref()
            .is_some_and(|f| f.contains("RTSP") && f.contains("554")),
        "{found:?}"
    );
    let tls = loopback::answering(
        &[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28],
        std::time::Duration::from_millis(300),
    );
    let found = login_with_port_check(tls).finding().map(str::to_owned);
    assert!(
        found.as_deref().is_some_and(|f| f.contains("TLS")),
        "{found:?}"
    );
    sdk().set_recv_timeout(Duration::from_secs(1)).unwrap();
    let silent = loopback::answering(b"", std::time::Duration::from_millis(300));
    let err = login_with_port_check(silent);
    assert_eq!(err.raw_code(), Some(10), "{err:#}");
    let found = err.finding().unwrap_or_default();
    assert!(found.contains("answered nothing"), "{found}");
}

/// Issue 12, row 1 exactly: a web server that waits for a whole request. The login times
/// out (10); with `check_port`, `{err:#}` names the port as HTTP, the SDK port and ISAPI.
#[test]
fn check_port_names_a_web_server_behind_a_timeout() {
    sdk().set_recv_timeout(Duration::from_secs(1)).unwrap();
    let port = loopback::patient_web_server();
    let err = login_with_port_check(port);
    assert_eq!(err.raw_code(), Some(10), "{err:#}");
    let report = format!("{err:#}");
    assert!(
        report.contains(&format!("port {port} speaks HTTP")),
        "{report}"
    );
    assert!(
        report.contains("8000") && report.contains("Isapi"),
        "{report}"
    );
}
