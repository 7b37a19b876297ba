//! Tests against Hikvision's real SDK. They run only when `HCNETSDK_LIB_DIR` names the
//! folder holding the real `libhcnetsdk.so` (with libHCCore, libhpr, libcrypto/libssl and
//! HCNetSDKCom/ beside it, as shipped); otherwise each prints a skip line and passes.
//!
//! ```sh
//! HCNETSDK_LIB_DIR=/path/to/HCNetSDK/Libs/linux cargo test -p hcnetsdk --test real_sdk -- --nocapture
//! ```
//!
//! They send traffic only to closed ports on 127.0.0.1.

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use hcnetsdk_test_support::{loopback, sdk_folder};
use std::path::PathBuf;
use std::sync::OnceLock;

use hcnetsdk::error::{Category, ErrorKind};
use hcnetsdk::{Sdk, Session};

/// One SDK for the login tests (Init once; Cleanup at exit is left to the process).
fn shared(dir: &PathBuf) -> &'static Sdk {
    static SDK: OnceLock<Sdk> = OnceLock::new();
    SDK.get_or_init(|| {
        let sdk = Sdk::load_from(dir).expect("load the real SDK");
        assert!(
            !sdk.is_mock(),
            "HCNETSDK_LIB_DIR points at the mock, not the real SDK"
        );
        sdk
    })
}

#[test]
fn load_set_components_init_version_cleanup_and_exports() {
    let Some(dir) = real_sdk_dir("load_set_components_init_version_cleanup_and_exports") else {
        return;
    };
    let sdk = Sdk::load_from(&dir).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(!sdk.is_mock());
    let missing = sdk.missing_functions();
    if !missing.is_empty() {
        println!(
            "exports missing from {}: {missing:?}",
            sdk.library_path().display()
        );
    }
    assert!(
        missing.is_empty(),
        "every declared function resolves; missing: {missing:?}"
    );
    // Components are located and set (Components::Auto), then Init.
    sdk.init().unwrap_or_else(|e| panic!("{e:#}"));
    let v = sdk.version().unwrap_or_else(|e| panic!("{e:#}"));
    println!(
        "real HCNetSDK {v} (GetSDKVersion {:#010x}, GetSDKBuildVersion {:#010x})",
        v.raw_version, v.raw_build
    );
    assert!(!v.is_mock);
    assert!(v.major >= 5, "{v}");
    assert_ne!(v.raw_build, 0);
    assert_eq!(
        v.build[0] as u16, v.major,
        "build's first byte is the major version: {v}"
    );
    drop(sdk); // NET_DVR_Cleanup
}

#[test]
fn login_to_a_closed_loopback_port_is_code_7_with_network_remediation() {
    let Some(dir) =
        real_sdk_dir("login_to_a_closed_loopback_port_is_code_7_with_network_remediation")
    else {
        return;
    };
    let sdk = shared(&dir);
    let port = loopback::closed_port();
    let err = Session::builder(sdk)
        .address("127.0.0.1")
        .port(port)
        .user("admin")
        .password("not-a-real-password")
        .login()
        .unwrap_err();
    println!("{err:#}");
    assert_eq!(err.raw_code(), Some(7), "{err:#}");
    assert_eq!(err.call(), Some("NET_DVR_Login_V40"));
    assert_eq!(err.category(), Category::Network);
    assert!(!err.remediation().trim().is_empty());
    assert_eq!(err.context().port, Some(port));
    assert!(
        err.sdk_message().is_some(),
        "the real SDK has a message for 7"
    );
}

#[test]
fn the_last_error_is_read_on_the_failing_thread_when_many_fail_at_once() {
    let Some(dir) =
        real_sdk_dir("the_last_error_is_read_on_the_failing_thread_when_many_fail_at_once")
    else {
        return;
    };
    let sdk = shared(&dir);
    sdk.init().unwrap();
    // Two failures with different codes, racing on many threads: a closed port gives 7,
    // a port that accepts and closes at once gives 9. (A host name no longer reaches the
    // SDK: the safe layer resolves it.) If the code were read from the wrong thread, or
    // late, threads would see each other's codes.
    let closing = loopback::accept_and_close();
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let sdk = sdk.clone();
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for _ in 0..10 {
                    let (address, port, want) = if i % 2 == 0 {
                        ("127.0.0.1".to_owned(), loopback::closed_port(), 7)
                    } else {
                        ("127.0.0.1".to_owned(), closing, 9)
                    };
                    let err = Session::builder(&sdk)
                        .address(address)
                        .port(port)
                        .user("admin")
                        .password("x")
                        .login()
                        .unwrap_err();
                    assert!(matches!(err.kind(), ErrorKind::Sdk { .. }), "{err:#}");
                    seen.push((want, err.raw_code()));
                }
                seen
            })
        })
        .collect();
    for t in threads {
        for (want, got) in t.join().unwrap() {
            assert_eq!(got, Some(want), "a thread read another thread's error code");
        }
    }
}

#[test]
fn async_login_failure_is_read_on_the_sdk_callback_thread() {
    let Some(dir) = real_sdk_dir("async_login_failure_is_read_on_the_sdk_callback_thread") else {
        return;
    };
    let sdk = shared(&dir);
    // The real SDK returns a user ID at once with error 0, then calls back on its own thread
    // (sometimes before Login_V40 has returned); the code (7) is only readable there.
    for _ in 0..5 {
        let port = loopback::closed_port();
        let pending = Session::builder(sdk)
            .address("127.0.0.1")
            .port(port)
            .user("admin")
            .password("x")
            .login_async()
            .unwrap_or_else(|e| panic!("{e:#}"));
        let err = pending.wait().unwrap_err();
        assert_eq!(err.raw_code(), Some(7), "{err:#}");
        assert_eq!(err.call(), Some("NET_DVR_Login_V40"));
        assert_eq!(err.context().port, Some(port));
        assert_eq!(err.category(), Category::Network);
    }
}

/// Issue 12 with the real SDK: `localhost` is resolved by the safe layer (7 on a closed
/// port, not the SDK's 17), `999.1.1.1` is an input error, and `check_port` names an HTTP
/// port after the real SDK's timeout.
#[test]
fn real_sdk_addresses_and_port_check() {
    let Some(dir) = real_sdk_dir("real_sdk_addresses_and_port_check") else {
        return;
    };
    let sdk = shared(&dir);
    let login = |address: &str, port: u16, check: bool| {
        Session::builder(sdk)
            .address(address)
            .port(port)
            .user("admin")
            .password("x")
            .check_port(check)
            .login()
            .unwrap_err()
    };
    let err = login("localhost", loopback::closed_port(), false);
    assert_eq!(err.raw_code(), Some(7), "{err:#}");
    let err = login("999.1.1.1", 8000, false);
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    assert!(format!("{err:#}").contains("999.1.1.1"));
    let port = loopback::web_server();
    sdk.set_recv_timeout(std::time::Duration::from_secs(1))
        .unwrap();
    let err = login("127.0.0.1", port, true);
    assert!(matches!(err.raw_code(), Some(9..=11)), "{err:#}");
    let found = err.finding().unwrap_or_default();
    assert!(
        found.contains("speaks HTTP") && found.contains("8000"),
        "{err:#}"
    );
}

/// A copy of the real SDK's lib folder (symlinks) without libcrypto.
/// Issue 12 with the real SDK: its folder without libcrypto fails Init with
/// `MissingComponent` naming libcrypto and the paths looked at, before `NET_DVR_Init`.
#[cfg(unix)]
#[test]
fn real_sdk_without_libcrypto_is_named() {
    let Some(dir) = real_sdk_dir("real_sdk_without_libcrypto_is_named") else {
        return;
    };
    let farm = sdk_folder::real_without_libcrypto(&dir, "hcnetsdk-real-nocrypto");
    let sdk = Sdk::load_from(&farm).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(!sdk.is_mock());
    let err = sdk.init().unwrap_err();
    println!("missing libcrypto: {err:#}");
    assert!(
        matches!(err.kind(), ErrorKind::MissingComponent(_)),
        "{err:#}"
    );
    let report = format!("{err:#}");
    assert!(report.contains("libcrypto"), "{report}");
    let looked = farm.join("libcrypto.so.1.1").display().to_string();
    assert!(report.contains(&looked), "{report}");
    drop(sdk);
    std::fs::remove_dir_all(&farm).unwrap();
}

/// Issue 12 with the real SDK: an RTSP, a TLS and a silent port given as the SDK port.
/// With `check_port`, `{err:#}` says what the port is (the cause) and names the port.
#[test]
fn real_sdk_rtsp_tls_and_silent_ports_are_named() {
    let Some(dir) = real_sdk_dir("real_sdk_rtsp_tls_and_silent_ports_are_named") else {
        return;
    };
    let sdk = shared(&dir);
    sdk.set_recv_timeout(std::time::Duration::from_secs(1))
        .unwrap();
    let cases: [(&'static [u8], &[&str]); 3] = [
        (
            b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n",
            &["speaks RTSP", "554"],
        ),
        (&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], &["speaks TLS"]),
        (b"", &["answered nothing"]),
    ];
    for (reply, says) in cases {
        let port = loopback::answering(reply, std::time::Duration::from_millis(300));
        let err = Session::builder(sdk)
            .address("127.0.0.1")
            .port(port)
            .user("admin")
            .password("x")
            .check_port(true)
            .login()
            .unwrap_err();
        println!("port {port}: {err:#}");
        let report = format!("{err:#}");
        assert!(report.contains(&format!("port {port}")), "{report}");
        for want in says {
            assert!(report.contains(want), "{want:?} missing: {report}");
        }
    }
}

/// Issue 12, row 1 exactly, with the real SDK: a web server that waits for a whole request.
/// The real SDK's login times out (10); with `check_port`, `{err:#}` names the port as
/// HTTP, the SDK port (8000) and the ISAPI login mode.
#[test]
fn real_sdk_a_web_server_behind_a_timeout_is_named() {
    let Some(dir) = real_sdk_dir("real_sdk_a_web_server_behind_a_timeout_is_named") else {
        return;
    };
    let sdk = shared(&dir);
    sdk.set_recv_timeout(std::time::Duration::from_secs(1))
        .unwrap();
    let port = loopback::patient_web_server();
    let err = Session::builder(sdk)
        .address("127.0.0.1")
        .port(port)
        .user("admin")
        .password("x")
        .check_port(true)
        .login()
        .unwrap_err();
    println!("{err:#}");
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
