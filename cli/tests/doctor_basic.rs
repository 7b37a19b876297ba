//! `hcnet doctor --isapi` checks what the device's RTSP port asks for: one DESCRIBE without
//! credentials, then the `WWW-Authenticate` headers. Basic (the real SDK would send the
//! password in clear) is a warning on the preview check; Digest is not. The RTSP port is the
//! emulator's `RtspServer` in `AuthMode::Basic` or `AuthMode::Digest`; the device is a mock
//! device at 127.0.0.1 on that same port (so the TCP check reaches a listener), logged into
//! with the mock SDK in ISAPI mode; `--rtsp-port` names the server (the mock's
//! `adminAccesses` says 554).

mod common;

use std::path::PathBuf;

use common::{hcnet, run, text};
use hcnetsdk_emulator::rtsp::{AuthMode, Credentials, MediaSource, RtspConfig, RtspServer};
use serde_json::Value;

const PASSWORD: &str = "Admin12345";

/// A scenario file with one fixed camera at 127.0.0.1:`port`.
fn scenario(port: u16) -> PathBuf {
    let toml = format!(
        "pacing = \"fast\"\n\n[[device]]\nlabel = \"rtsp\"\naddress = \"127.0.0.1\"\nport = {port}\n\
         kind = \"ipc\"\nptz = false\n\n  [[device.user]]\n  name = \"admin\"\n  \
         password = \"{PASSWORD}\"\n  role = \"admin\"\n"
    );
    let path = std::env::temp_dir().join(format!(
        "hcnet-doctor-basic-{}-{port}.toml",
        std::process::id()
    ));
    std::fs::write(&path, toml).unwrap();
    path
}

/// `hcnet doctor --isapi --json` against a mock device on the RTSP server's port, the RTSP
/// server in `auth`. Returns the preview check, the human output and the RTSP requests as
/// (method, had credentials, status).
fn doctor_against(auth: AuthMode) -> (Value, String, Vec<(String, bool, u16)>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config =
        RtspConfig::new(MediaSource::new(), Credentials::user("admin", PASSWORD)).with_auth(auth);
    let server = rt.block_on(RtspServer::start(config)).expect("bind RTSP");
    let port = server.port().to_string();
    let file = scenario(server.port());
    let args = [
        "doctor",
        "--isapi",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--user",
        "admin",
        "--rtsp-port",
        &port,
        "--preview-seconds",
        "1",
    ];
    let o = run(hcnet()
        .args(args)
        .arg("--json")
        .env("HCNETSDK_MOCK_SCENARIO", &file)
        .env("HCNET_PASSWORD", PASSWORD));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let human = run(hcnet()
        .args(args)
        .env("HCNETSDK_MOCK_SCENARIO", &file)
        .env("HCNET_PASSWORD", PASSWORD));
    let _ = std::fs::remove_file(&file);
    let preview = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "preview")
        .cloned()
        .unwrap_or_else(|| panic!("no preview check: {v}"));
    // The TCP check's port probe sends an OPTIONS; the RTSP check, DESCRIBE.
    let requests = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "OPTIONS")
        .map(|r| (r.method, r.authorization.is_some(), r.status))
        .collect();
    (preview, text(&human), requests)
}

#[test]
fn basic_rtsp_auth_is_a_warning() {
    let (preview, human, requests) = doctor_against(AuthMode::Basic);
    assert_eq!(preview["status"], "pass", "{preview}");
    let auth = &preview["data"]["rtsp_auth"];
    assert_eq!(auth["scheme"], "basic", "{preview}");
    assert_eq!(auth["warning"], true, "{preview}");
    assert_eq!(auth["port_from"], "--rtsp-port", "{preview}");
    let details = preview["details"].to_string();
    assert!(details.contains("warning: RTSP port"), "{details}");
    assert!(
        details.contains("asks for Basic authentication"),
        "{details}"
    );
    assert!(human.contains("asks for Basic authentication"), "{human}");
    // One DESCRIBE per doctor run (JSON, then human), without credentials: 401.
    let describe = ("DESCRIBE".to_owned(), false, 401);
    assert_eq!(requests, [describe.clone(), describe], "{requests:?}");
}

#[test]
fn digest_rtsp_auth_is_fine() {
    let (preview, human, requests) = doctor_against(AuthMode::Digest);
    assert_eq!(preview["status"], "pass", "{preview}");
    let auth = &preview["data"]["rtsp_auth"];
    assert_eq!(auth["scheme"], "digest", "{preview}");
    assert_eq!(auth["warning"], false, "{preview}");
    let details = preview["details"].to_string();
    assert!(
        details.contains("asks for Digest authentication"),
        "{details}"
    );
    assert!(!details.contains("warning:"), "{details}");
    assert!(!human.contains("warning: RTSP"), "{human}");
    let describe = ("DESCRIBE".to_owned(), false, 401);
    assert_eq!(requests, [describe.clone(), describe], "{requests:?}");
}

#[test]
fn without_isapi_there_is_no_rtsp_check() {
    let o = run(hcnet().args(["doctor", "--json", "--preview-seconds", "1"]));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let preview = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "preview")
        .unwrap();
    assert!(preview["data"].get("rtsp_auth").is_none(), "{preview}");
}
