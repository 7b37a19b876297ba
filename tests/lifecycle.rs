//! Process-wide SDK state against the mock: Init on first use, reference-counted Cleanup
//! that never runs while a session or preview exists, global settings, component paths,
//! version, and load/initialisation failures.
//!
//! This binary owns the mock's Init count, so every test holds `SERIAL` and makes its own
//! `Sdk` (never the shared one from the support module).

use hcnetsdk_test_support::safe as support;
use hcnetsdk_test_support::sdk_folder;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use hcnetsdk::error::{Category, ErrorKind};
use hcnetsdk::sys::Library;
use hcnetsdk::sys::components::ComponentPaths;
use hcnetsdk::{Components, LogLevel, Password, Sdk, Session};
use support::{Kind, PASSWORD, assert_invalid_input, assert_sdk_error, mock, mock_lib_path};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    let g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    mock().clear_faults(None, None);
    g
}

fn init_count() -> u64 {
    mock().get_value("init_count").unwrap()
}

fn fresh_sdk() -> Sdk {
    Sdk::load_from(mock_lib_path()).unwrap()
}

fn login(sdk: &Sdk, dev: &support::Device) -> Session {
    Session::builder(sdk)
        .address(dev.address.clone())
        .user("admin")
        .password(Password::new(PASSWORD))
        .login()
        .unwrap()
}

#[test]
fn init_runs_on_first_use_and_cleanup_when_the_last_handle_goes() {
    let _g = serial();
    let base = init_count();
    let sdk = fresh_sdk();
    assert!(!sdk.is_initialized());
    assert_eq!(init_count(), base, "loading alone does not initialise");
    let v = sdk.version().unwrap();
    assert!(sdk.is_initialized());
    assert_eq!(init_count(), base + 1);
    sdk.init().unwrap();
    assert_eq!(init_count(), base + 1, "init is idempotent per Sdk");
    let clone = sdk.clone();
    drop(sdk);
    assert_eq!(init_count(), base + 1, "a clone keeps it initialised");
    assert_eq!(clone.version().unwrap(), v);
    drop(clone);
    assert_eq!(init_count(), base, "the last handle ran Cleanup");
}

#[test]
fn cleanup_never_runs_while_a_session_or_preview_exists() {
    let _g = serial();
    let base = init_count();
    let dev = support::Device::new(Kind::Dome);
    let sdk = fresh_sdk();
    let session = login(&sdk, &dev);
    let (preview, mut packets) = session.preview(1).start_queue(8).unwrap();
    drop(sdk);
    assert_eq!(
        init_count(),
        base + 1,
        "the session keeps the SDK initialised"
    );
    assert!(
        packets.recv_timeout(Duration::from_secs(10)).is_ok(),
        "the preview still streams"
    );
    session.device_config().unwrap();
    drop(preview);
    assert_eq!(init_count(), base + 1);
    drop(session);
    assert_eq!(init_count(), base, "Cleanup ran after the last session");
    assert_eq!(dev.value("sessions"), 0);
}

#[test]
fn two_sdks_count_separately() {
    let _g = serial();
    let base = init_count();
    let a = fresh_sdk();
    let b = fresh_sdk();
    a.init().unwrap();
    b.init().unwrap();
    assert_eq!(init_count(), base + 2);
    drop(a);
    assert_eq!(init_count(), base + 1);
    b.version().unwrap();
    drop(b);
    assert_eq!(init_count(), base);
}

#[test]
fn init_failure_is_typed_and_can_be_retried() {
    let _g = serial();
    let base = init_count();
    let sdk = fresh_sdk();
    mock().fail_next("NET_DVR_Init", 41, 1, None);
    let err = sdk.init().unwrap_err();
    assert_sdk_error(&err, 41, "NET_DVR_Init");
    assert!(!sdk.is_initialized());
    assert_eq!(init_count(), base);
    sdk.init().unwrap();
    assert_eq!(init_count(), base + 1);
    // A failed first use (login) also reports Init's failure, not the login's.
    drop(sdk);
    let sdk = fresh_sdk();
    mock().fail_next("NET_DVR_Init", 44, 1, None);
    let err = Session::builder(&sdk)
        .address("192.0.2.10")
        .user("admin")
        .password("x")
        .login()
        .unwrap_err();
    assert_sdk_error(&err, 44, "NET_DVR_Init");
}

#[test]
fn version_recognises_the_mock() {
    let _g = serial();
    let sdk = fresh_sdk();
    assert!(sdk.is_mock());
    let v = sdk.version().unwrap();
    assert!(v.is_mock);
    // The mock reports 6.1 with the build bytes 6, 1, 'M', 'K'.
    assert_eq!((v.raw_version, v.raw_build), (0x0006_0001, 0x0601_4D4B));
    assert_eq!(v.build, [6, 1, 0x4D, 0x4B]);
    assert_eq!((v.major, v.minor), (6, 1));
    assert!(v.to_string().contains("mock"), "{v}");
    mock().fail_next("NET_DVR_GetSDKVersion", 3, 1, None);
    let err = sdk.version().unwrap_err();
    assert_sdk_error(&err, 3, "NET_DVR_GetSDKVersion");
    // The build number is optional: its failure leaves the major.minor version.
    mock().fail_next("NET_DVR_GetSDKBuildVersion", 3, 1, None);
    let v = sdk.version().unwrap();
    assert_eq!((v.raw_build, v.build), (0, [0; 4]));
    assert_eq!(v.to_string(), "6.1 (hcnetsdk-rs mock SDK)");
}

#[test]
fn init_survives_a_failed_exception_callback_registration() {
    // Events are a convenience: Init succeeds and the failure is logged (warn).
    let _g = serial();
    let sdk = fresh_sdk();
    let calls = || mock().call_count("NET_DVR_SetExceptionCallBack_V30", None);
    let before = calls();
    mock().fail_next("NET_DVR_SetExceptionCallBack_V30", 41, 1, None);
    sdk.init().unwrap();
    assert!(sdk.is_initialized());
    assert_eq!(
        calls() - before,
        1,
        "Init registers the exception callback once"
    );
    // That one call used up the rule: the next registration succeeds.
    unsafe extern "system" fn ignore(_: u32, _: i32, _: i32, _: *mut std::ffi::c_void) {}
    let lib = Library::load_file(&mock_lib_path()).unwrap();
    let register = hcnetsdk::sys::sym!(lib, NET_DVR_SetExceptionCallBack_V30).unwrap();
    // SAFETY: `ignore` has the EXCEPTIONCALLBACK signature and lives as long as the program;
    // the other arguments are unused. (This test's `Sdk` is dropped below, so nothing here
    // waits for its events; the next `init` registers the crate's callback again.)
    let ok = unsafe { register(0, std::ptr::null_mut(), Some(ignore), std::ptr::null_mut()) };
    assert_eq!(
        ok,
        hcnetsdk::sys::TRUE,
        "the fault rule was not consumed by Init"
    );
    assert_eq!(calls() - before, 2);
}

#[test]
fn global_settings_reach_the_sdk() {
    let _g = serial();
    let sdk = fresh_sdk();
    sdk.set_connect_timeout(Duration::from_millis(2500), 2)
        .unwrap();
    assert_eq!(mock().get_value("connect_timeout_ms").unwrap(), 2500);
    assert_eq!(mock().get_value("connect_tries").unwrap(), 2);
    sdk.set_recv_timeout(Duration::from_secs(7)).unwrap();
    assert_eq!(mock().get_value("recv_timeout_ms").unwrap(), 7000);
    sdk.set_reconnect(Some(Duration::from_secs(12))).unwrap();
    assert_eq!(mock().get_value("reconnect_interval_ms").unwrap(), 12_000);
    assert_eq!(mock().get_value("reconnect_enabled").unwrap(), 1);
    sdk.set_reconnect(None).unwrap();
    assert_eq!(mock().get_value("reconnect_enabled").unwrap(), 0);
    sdk.set_reconnect(Some(Duration::from_secs(30))).unwrap();
    sdk.set_connect_timeout(Duration::from_secs(3), 3).unwrap();
    sdk.set_recv_timeout(Duration::from_secs(5)).unwrap();

    let dir = std::env::temp_dir().join(format!("hcnetsdk-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The nLogLevel and bAutoDel the mock received, exactly as sent.
    let sent = || {
        (
            mock()
                .get_value("log_level")
                .expect("SetLogToFile was called"),
            mock().get_value("log_auto_delete").unwrap(),
        )
    };
    for (level, auto_delete, raw) in [
        (LogLevel::Debug, true, (2, 1)),
        (LogLevel::Error, false, (1, 0)),
        (LogLevel::Info, true, (3, 1)),
    ] {
        sdk.set_log_to_file(level, Some(&dir), auto_delete).unwrap();
        assert_eq!(sent(), raw, "{level:?}, auto delete {auto_delete}");
        let log = mock().get_string("log_file").expect("log file set");
        assert!(log.starts_with(&dir.display().to_string()), "{log}");
    }
    sdk.set_log_to_file(LogLevel::Off, None, false).unwrap();
    assert_eq!(sent(), (0, 0), "Off");
    assert_eq!(
        mock().get_string("log_file"),
        None,
        "Off closes the log file"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn settings_reject_bad_values_before_any_sdk_call() {
    let _g = serial();
    let sdk = fresh_sdk();
    let before = mock().call_count("NET_DVR_SetConnectTime", None);
    assert_invalid_input(
        &sdk.set_connect_timeout(Duration::ZERO, 3).unwrap_err(),
        "timeout",
    );
    assert_invalid_input(
        &sdk.set_connect_timeout(Duration::from_secs(3), 0)
            .unwrap_err(),
        "attempts",
    );
    assert_invalid_input(
        &sdk.set_connect_timeout(Duration::from_secs(u64::MAX / 2), 3)
            .unwrap_err(),
        "timeout",
    );
    assert_invalid_input(
        &sdk.set_recv_timeout(Duration::from_micros(10)).unwrap_err(),
        "timeout",
    );
    assert_invalid_input(
        &sdk.set_reconnect(Some(Duration::ZERO)).unwrap_err(),
        "interval",
    );
    let long = PathBuf::from("/".to_owned() + &"d".repeat(300));
    assert_invalid_input(
        &sdk.set_log_to_file(LogLevel::Error, Some(&long), true)
            .unwrap_err(),
        "dir",
    );
    assert_eq!(mock().call_count("NET_DVR_SetConnectTime", None), before);
    assert!(!sdk.is_initialized(), "rejected before even initialising");
}

#[test]
fn settings_failures_are_typed() {
    let _g = serial();
    let sdk = fresh_sdk();
    sdk.init().unwrap();
    mock().fail_next("NET_DVR_SetConnectTime", 17, 1, None);
    assert_sdk_error(
        &sdk.set_connect_timeout(Duration::from_secs(3), 3)
            .unwrap_err(),
        17,
        "NET_DVR_SetConnectTime",
    );
    mock().fail_next("NET_DVR_SetReconnect", 17, 1, None);
    assert_sdk_error(
        &sdk.set_reconnect(None).unwrap_err(),
        17,
        "NET_DVR_SetReconnect",
    );
    mock().fail_next("NET_DVR_SetRecvTimeOut", 17, 1, None);
    assert_sdk_error(
        &sdk.set_recv_timeout(Duration::from_secs(5)).unwrap_err(),
        17,
        "NET_DVR_SetRecvTimeOut",
    );
    mock().fail_next("NET_DVR_SetLogToFile", 34, 1, None);
    let err = sdk
        .set_log_to_file(LogLevel::Error, Some(Path::new("/tmp")), true)
        .unwrap_err();
    assert_sdk_error(&err, 34, "NET_DVR_SetLogToFile");
    assert_eq!(err.category(), Category::Storage);
}

#[test]
fn a_failure_with_code_0_is_not_no_error() {
    let _g = serial();
    let sdk = fresh_sdk();
    sdk.init().unwrap();
    mock().fail_next("NET_DVR_SetRecvTimeOut", 0, 1, None);
    let err = sdk.set_recv_timeout(Duration::from_secs(5)).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::FailedWithoutCode),
        "{err:#}"
    );
    assert_eq!(err.raw_code(), Some(0));
    assert_eq!(err.call(), Some("NET_DVR_SetRecvTimeOut"));
    assert!(!err.remediation().is_empty());
}

#[test]
fn component_paths_are_set_only_when_asked_with_the_mock() {
    let _g = serial();
    let before = mock().call_count("NET_DVR_SetSDKInitCfg", None);
    let sdk = fresh_sdk();
    sdk.init().unwrap();
    assert_eq!(
        mock().call_count("NET_DVR_SetSDKInitCfg", None),
        before,
        "Auto skips the mock"
    );
    drop(sdk);

    let dir = std::env::temp_dir().join(format!("hcnetsdk-components-{}", std::process::id()));
    let paths = ComponentPaths {
        sdk_dir: dir.clone(),
        libcrypto: dir.join("libcrypto.so.1.1"),
        libssl: dir.join("libssl.so.1.1"),
    };
    let sdk = Sdk::builder()
        .library_path(mock_lib_path())
        .components(Components::Paths(paths))
        .load()
        .unwrap();
    sdk.init().unwrap();
    assert_eq!(mock().call_count("NET_DVR_SetSDKInitCfg", None), before + 3);
    assert_eq!(
        mock().get_string("sdk_path").unwrap(),
        format!("{}/", dir.display())
    );
    assert_eq!(
        mock().get_string("libeay_path").unwrap(),
        dir.join("libcrypto.so.1.1").display().to_string()
    );
    assert_eq!(
        mock().get_string("ssleay_path").unwrap(),
        dir.join("libssl.so.1.1").display().to_string()
    );
}

#[test]
fn component_path_failure_is_typed() {
    let _g = serial();
    let paths = ComponentPaths {
        sdk_dir: PathBuf::from("/opt/sdk"),
        libcrypto: PathBuf::from("/opt/sdk/libcrypto.so.1.1"),
        libssl: PathBuf::from("/opt/sdk/libssl.so.1.1"),
    };
    let sdk = Sdk::builder()
        .library_path(mock_lib_path())
        .components(Components::Paths(paths))
        .load()
        .unwrap();
    mock().fail_next("NET_DVR_SetSDKInitCfg", 17, 1, None);
    assert_sdk_error(&sdk.init().unwrap_err(), 17, "NET_DVR_SetSDKInitCfg");
    assert!(!sdk.is_initialized());
}

#[test]
fn a_missing_library_lists_the_path_and_the_fix() {
    let _g = serial();
    let err = Sdk::load_from("/nonexistent/hcnetsdk-rs/libhcnetsdk.so").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Load(_)), "{err:#}");
    assert_eq!(err.category(), Category::SdkSetup);
    assert!(
        format!("{err:#}").contains("/nonexistent/hcnetsdk-rs/libhcnetsdk.so"),
        "{err:#}"
    );
    assert!(err.remediation().contains("HCNETSDK_LIB_DIR"));
}

/// A library that is not the SDK at all: the C library.
fn libc_path() -> Option<PathBuf> {
    [
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/lib64/libc.so.6",
        "/usr/lib64/libc.so.6",
        "/lib/aarch64-linux-gnu/libc.so.6",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

#[test]
fn a_library_without_the_exports_fails_per_call_with_missing_symbol() {
    let _g = serial();
    let Some(libc) = libc_path() else {
        let msg = "no libc.so.6 at the usual paths";
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "{msg}; CI is set, so this is a failure"
        );
        println!("skip: {msg}");
        return;
    };
    // Auto component check: a real (non-mock) library without HCNetSDKCom/ beside it.
    let sdk = Sdk::load_from(&libc).unwrap();
    assert!(!sdk.is_mock());
    assert_eq!(
        sdk.missing_functions().len(),
        hcnetsdk::sys::DECLARED_FUNCTIONS.len()
    );
    let err = sdk.init().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MissingComponent(_)),
        "{err:#}"
    );
    assert!(format!("{err:#}").contains("HCNetSDKCom"), "{err:#}");
    // Without the component check: Init itself is missing.
    let sdk = Sdk::builder()
        .library_path(&libc)
        .components(Components::Skip)
        .load()
        .unwrap();
    let err = sdk.init().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::MissingSymbol(_)), "{err:#}");
    assert_eq!(err.call(), Some("NET_DVR_Init"));
    assert!(!err.remediation().is_empty());
}

/// Issue 12, the missing libcrypto: a (non-mock) library whose folder has HCNetSDKCom/
/// and libssl but no libcrypto fails Init with `MissingComponent` naming libcrypto and
/// every path looked at, before `NET_DVR_Init` (whose later codes would mislead). A copy
/// of libm stands in for the SDK (the loader canonicalises symlinks, and libm, unlike
/// libc, is harmless to load twice).
#[test]
fn a_missing_libcrypto_is_named_before_init() {
    let _g = serial();
    let Some(dir) = sdk_folder::stand_in_without_libcrypto("hcnetsdk-nocrypto") else {
        return;
    };
    let sdk = Sdk::load_from(&dir).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(!sdk.is_mock());
    let err = sdk.init().unwrap_err();
    println!("{err:#}");
    assert!(
        matches!(err.kind(), ErrorKind::MissingComponent(_)),
        "{err:#}"
    );
    let report = format!("{err:#}");
    assert!(report.contains("libcrypto"), "{report}");
    let looked = dir.join("libcrypto.so.1.1").display().to_string();
    assert!(report.contains(&looked), "{report}");
    assert!(!sdk.is_initialized());
    drop(sdk);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_from_the_environment_and_from_a_loaded_library() {
    let _g = serial();
    // SAFETY: every test in this binary holds SERIAL, and nothing else in the process reads
    // these variables while it is held (the mock reads its own variable only in Init).
    unsafe { std::env::set_var("HCNETSDK_LIB", mock_lib_path()) };
    let from_env = Sdk::load();
    // SAFETY: as above.
    unsafe { std::env::remove_var("HCNETSDK_LIB") };
    let from_env = from_env.unwrap();
    assert!(from_env.is_mock());
    assert_eq!(
        from_env.library_path(),
        std::fs::canonicalize(mock_lib_path()).unwrap()
    );
    from_env.version().unwrap();

    let lib = Library::load_file(&mock_lib_path()).unwrap();
    let sdk = Sdk::from_library(lib);
    assert!(sdk.version().unwrap().is_mock);
    assert!(format!("{sdk:?}").contains("is_mock: true"));
}
