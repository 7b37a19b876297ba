//! Diagnosis by call and code (issue 12): the catalogue's (family, code) entries, and what
//! an `Error` prints with them.

use hcnetsdk::error::{RemediationSource, call_advice, call_advices, call_families, call_family};
use hcnetsdk::{Context, Error, ErrorCode};

/// The pairs issue 12 asks for, with one call of each family.
const REQUIRED: &[(&str, &[u32])] = &[
    (
        "NET_DVR_Login_V40",
        &[1, 7, 9, 10, 11, 17, 23, 29, 41, 43, 52, 73, 107, 153],
    ),
    ("NET_DVR_RealPlay_V40", &[4, 5, 10, 23, 401, 413, 414, 416]),
    ("NET_DVR_PTZControlWithSpeed_Other", &[2, 17, 23, 29, 189]),
    ("NET_DVR_CaptureJPEGPicture_NEW", &[23, 43, 189]),
    ("NET_DVR_GetDVRConfig", &[23, 189]),
    ("NET_DVR_STDXMLConfig", &[17, 23, 43, 47, 189]),
    ("NET_DVR_SetDVRConfig", &[23, 189]),
];

#[test]
fn every_required_pair_has_an_entry() {
    let mut missing = Vec::new();
    for (call, codes) in REQUIRED {
        for &code in *codes {
            match call_advice(call, ErrorCode::from_raw(code)) {
                Some(a) if !a.remediation.trim().is_empty() => {}
                _ => missing.push(format!("{call} {code}")),
            }
        }
    }
    assert!(missing.is_empty(), "no by-call entry for: {missing:?}");
}

#[test]
fn families_cover_the_areas_and_every_call_once() {
    let ids: Vec<&str> = call_families().iter().map(|f| f.id).collect();
    for want in [
        "login", "preview", "ptz", "snapshot", "config", "playback", "alarms", "isapi",
    ] {
        assert!(ids.contains(&want), "no family {want}: {ids:?}");
    }
    for f in call_families() {
        for call in f.calls {
            assert_eq!(call_family(call).map(|x| x.id), Some(f.id), "{call}");
        }
    }
    assert!(call_family("NET_DVR_Init").is_none());
    for a in call_advices() {
        assert!(a.code.is_known(), "{}: {:?}", a.family, a.code);
    }
}

#[test]
fn login_17_is_the_address_and_ptz_17_the_command() {
    let login = Error::sdk(
        17,
        "NET_DVR_Login_V40",
        Context::device("localhost", 8000),
        None,
    );
    assert_eq!(login.remediation_source(), RemediationSource::Call);
    let report = format!("{login:#}");
    assert!(report.contains("address"), "{report}");
    assert!(report.contains("localhost"), "{report}");
    assert!(
        !report.contains("dwSize"),
        "the general 17 text leaked: {report}"
    );
    let ptz = Error::sdk(
        17,
        "NET_DVR_PTZControlWithSpeed_Other",
        Context::default(),
        None,
    );
    let text = ptz.remediation();
    assert!(text.contains("speed"), "{text}");
    assert!(!text.contains("LoginBuilder::address"), "{text}");
    // A call without an entry keeps the code's general text.
    let other = Error::sdk(17, "NET_DVR_SetLogToFile", Context::default(), None);
    assert_eq!(other.remediation(), ErrorCode::from_raw(17).remediation());
    assert_ne!(other.remediation_source(), RemediationSource::Call);
}

#[test]
fn login_10_names_the_port_kind_first() {
    let e = Error::sdk(
        10,
        "NET_DVR_Login_V40",
        Context::device("127.0.0.1", 18081),
        None,
    );
    let text = e.remediation();
    let port = text.find("SDK port").expect("names the SDK port");
    let timeout = text
        .find("recv_timeout")
        .expect("still mentions the timeout");
    assert!(port < timeout, "the port comes before the timeout: {text}");
    assert!(text.contains("8000") && text.contains("Isapi"), "{text}");
}

/// Issue 12: each entry names what fixes it: a setting or call of this library
/// (`LoginBuilder::port`, `LoginMode::Isapi`), a flag of `hcnet` (`--port`), an SDK call,
/// or a setting of the device's web page.
#[test]
fn every_entry_names_the_setting_or_flag_that_fixes_it() {
    let names_a_fix = |text: &str| {
        let rust_path = text.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != ':' && c != '_');
            w.split_once("::").is_some_and(|(a, b)| {
                a.chars().next().is_some_and(char::is_uppercase) && !b.is_empty()
            })
        });
        rust_path
            || text.contains(" --")
            || text.contains("hcnet ")
            || text.contains("NET_DVR_")
            || text.contains("LoginMode")
            || text.contains("web page")
    };
    let vague: Vec<String> = call_advices()
        .iter()
        .filter(|a| !names_a_fix(a.remediation))
        .map(|a| format!("{} {}: {}", a.family, a.code.raw(), a.remediation))
        .collect();
    assert!(
        vague.is_empty(),
        "entries naming no fix:\n{}",
        vague.join("\n")
    );
}
