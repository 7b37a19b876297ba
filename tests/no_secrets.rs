//! Passwords never reach a log line or `Debug` output, even at TRACE level, while every SDK
//! call is traced (span `sdk_call` with function, device, duration) and failures are logged
//! at WARN with the code's name.
//!
//! Installs a process-wide tracing subscriber (SDK callback threads log too), so it is its
//! own test binary with a single test.

use hcnetsdk_test_support::safe as support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hcnetsdk::{Password, Session};
use support::{Device, Kind, PASSWORD, sdk};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[test]
fn passwords_never_appear_in_logs_or_debug_output() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(capture.clone())
        .init();

    const WRONG: &str = "Wr0ng-Secret-Pa55";
    let dev = Device::new(Kind::Dome);
    let mut debug = Vec::new();

    // Successful and failed logins, sync and async.
    let builder = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(Password::new(PASSWORD));
    debug.push(format!("{builder:?} {builder:#?}"));
    let session = builder.login().unwrap();
    debug.push(format!("{session:?} {:?}", session.device_info()));
    let err = dev.login_as("admin", WRONG).unwrap_err();
    debug.push(format!("{err} {err:#} {err:?}"));
    let pending = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(WRONG)
        .login_async()
        .unwrap();
    debug.push(format!("{pending:?}"));
    let err = pending.wait().unwrap_err();
    debug.push(format!("{err} {err:#} {err:?}"));
    let async_ok = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(PASSWORD)
        .login_async()
        .unwrap()
        .wait()
        .unwrap();
    // Bad input that carries the password.
    let err = Session::builder(sdk())
        .address(dev.address.clone())
        .user("admin")
        .password(format!("{PASSWORD}{}", "x".repeat(80)))
        .login()
        .unwrap_err();
    debug.push(format!("{err} {err:#} {err:?}"));

    // Some other traced calls.
    let preview = session.preview(1).start(|_| {}).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    debug.push(format!("{preview:?}"));
    preview.stop().unwrap();
    session.device_config().unwrap();
    async_ok.logout().unwrap();
    session.logout().unwrap();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works and has what it must have ...
    assert!(
        logs.contains("sdk_call"),
        "no sdk_call spans captured:\n{logs}"
    );
    assert!(logs.contains("NET_DVR_Login_V40"), "{logs}");
    assert!(logs.contains("NET_DVR_RealPlay_V40"), "{logs}");
    assert!(logs.contains("duration_us"), "{logs}");
    assert!(
        logs.contains(&dev.address),
        "the device is in the span: {logs}"
    );
    let warn = logs
        .lines()
        .find(|l| l.contains("WARN") && l.contains("NET_DVR_PASSWORD_ERROR"))
        .unwrap_or_else(|| panic!("failures are logged at WARN with the code's name:\n{logs}"));
    // The failed call's span carries its duration and code by the time of the warning.
    for field in ["code=1", "duration_us=", "function=\"NET_DVR_Login_V40\""] {
        assert!(warn.contains(field), "{field} missing from {warn}");
    }
    // Channel calls carry the channel.
    assert!(
        logs.lines()
            .any(|l| l.contains("NET_DVR_RealPlay_V40") && l.contains("channel=1")),
        "no channel in the RealPlay span:\n{logs}"
    );
    // ... and no password, anywhere.
    for secret in [PASSWORD, WRONG] {
        assert!(!logs.contains(secret), "password {secret:?} in the logs");
        for d in &debug {
            assert!(
                !d.contains(secret),
                "password {secret:?} in debug output: {d}"
            );
        }
    }
    assert!(debug[0].contains("***"), "{}", debug[0]);
}
