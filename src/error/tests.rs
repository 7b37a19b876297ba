//! Unit tests of [`Error`](super::Error) and its parts.

use std::time::Duration;

use std::path::Path;

use super::context::human_duration;
use super::error::sentence_fragment;
use super::*;

#[test]
fn invalid_input_report_gives_the_fix_once() {
    let fix = "use a channel the device has (33..=48)";
    let e = Error::invalid_input("channel", 5, fix);
    let report = format!("{e:#}");
    assert_eq!(report.matches(fix).count(), 1, "{report}");
    assert!(
        report.starts_with("error: invalid channel (5)\n"),
        "{report}"
    );
    assert!(report.contains("what to do:    use a channel"), "{report}");
    // The one-line form still carries the fix.
    assert!(e.to_string().contains(fix), "{e}");
}

#[test]
fn io_errors_keep_their_source_and_path() {
    use std::error::Error as _;
    let e = Error::io(
        "NET_DVR_SaveRealData",
        Path::new("/nonexistent/x.ps"),
        std::io::Error::from(std::io::ErrorKind::NotFound),
    );
    assert!(e.source().is_some_and(|s| s.is::<std::io::Error>()));
    assert!(
        e.kind().to_string().starts_with("/nonexistent/x.ps: "),
        "{}",
        e.kind()
    );
}

fn assert_send_sync<T: Send + Sync + 'static>() {}

#[test]
fn error_is_send_sync_and_small() {
    assert_send_sync::<Error>();
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    assert_eq!(
        std::mem::size_of::<Result<()>>(),
        std::mem::size_of::<usize>()
    );
}

#[test]
fn invalid_input_line_and_report() {
    let e = Error::invalid_input("port", 0, "Use a port between 1 and 65535.");
    assert_eq!(
        e.to_string(),
        "invalid port (0): use a port between 1 and 65535"
    );
    assert_eq!(e.category(), Category::Parameter);
    assert_eq!(e.remediation(), "Use a port between 1 and 65535.");
    let r = e.report().to_string();
    assert!(
        r.contains("what to do:    Use a port between 1 and 65535."),
        "{r}"
    );
    let e = e.with_call("NET_DVR_Login_V40");
    assert!(
        e.to_string()
            .starts_with("NET_DVR_Login_V40 not called: invalid port")
    );
}

#[test]
fn callback_panicked_and_io() {
    let e = Error::callback_panicked("NET_DVR_RealPlay_V40", "boom");
    assert_eq!(
        e.to_string(),
        "a callback registered with NET_DVR_RealPlay_V40 panicked: boom"
    );
    assert_eq!(e.category(), Category::Internal);
    assert!(!e.is_retryable());
    let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    let e = Error::io("NET_DVR_SaveRealData", "/x/y.mp4", io);
    let line = e.to_string();
    assert!(
        line.starts_with("NET_DVR_SaveRealData failed on /x/y.mp4: "),
        "{line}"
    );
    assert!(e.report().to_string().contains("may write there"));
}

#[test]
fn fragments() {
    assert_eq!(
        sentence_fragment("The device is busy."),
        "the device is busy"
    );
    assert_eq!(sentence_fragment("SDK not ready."), "SDK not ready");
    assert_eq!(
        sentence_fragment("NET_DVR_Init failed"),
        "NET_DVR_Init failed"
    );
}

#[test]
fn durations() {
    assert_eq!(human_duration(Duration::from_secs(0)), "0 s");
    assert_eq!(human_duration(Duration::from_secs(45)), "45 s");
    assert_eq!(human_duration(Duration::from_secs(1530)), "25 min 30 s");
    assert_eq!(human_duration(Duration::from_secs(3900)), "1 h 5 min");
}

/// The (call, code) pairs measured on the real SDK without a device for the alarm and
/// configuration calls (issue 16; the `alarm_` conformance cases) each have a by-call entry.
#[test]
fn measured_alarm_and_config_pairs_have_advice() {
    let pairs: &[(&str, &[u32])] = &[
        ("NET_DVR_SetDVRMessageCallBack_V50", &[3, 17]),
        ("NET_DVR_SetupAlarmChan_V41", &[3, 17, 46, 47]),
        ("NET_DVR_SetupAlarmChan_V50", &[3, 17, 46, 47]),
        ("NET_DVR_CloseAlarmChan_V30", &[12]),
        ("NET_DVR_StartListen_V30", &[3, 17, 46, 72]),
        ("NET_DVR_StopListen_V30", &[12, 17]),
        ("NET_DVR_GetDeviceConfig", &[17, 47]),
        ("NET_DVR_GetSTDConfig", &[17, 47]),
        ("NET_DVR_RebootDVR", &[47]),
        ("NET_DVR_GetNextRemoteConfig", &[12, 17]),
        ("NET_DVR_StopRemoteConfig", &[12]),
    ];
    for (call, codes) in pairs {
        for &code in *codes {
            let a = call_advice(call, ErrorCode::from_raw(code));
            assert!(a.is_some(), "no by-call entry for {call} {code}");
        }
    }
    let arming = call_advice("NET_DVR_SetupAlarmChan_V41", ErrorCode::from_raw(46)).unwrap();
    assert!(arming.remediation.contains("once per process"));
    assert!(arming.remediation.contains("Notify Surveillance Center"));
}
