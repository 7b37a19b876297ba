//! The everyday jobs and the demo, against the mock SDK (built by the shared helper and
//! handed to the child as `HCNETSDK_LIB`).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{hcnet, mock, run, text};
use serde_json::Value;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hcnet-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// An MPEG program stream starts with a pack header, 00 00 01 BA.
fn is_mpeg_ps(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0, 0, 1, 0xBA])
}

#[test]
fn info_prints_the_default_device() {
    let o = run(hcnet().arg("info"));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("DS-2DE4425IW-DE")
            && t.contains("大门球机")
            && t.contains("V5.7.3 build 230615"),
        "{t}"
    );

    let o = run(hcnet().args(["info", "--json", "--host", "192.0.2.20"]));
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["model"], "DS-7616NI-K2");
    assert_eq!(v["ip_channels"]["start"], 33);
    assert_eq!(v["channels"].as_array().unwrap().len(), 16);
    assert_eq!(v["sdk"]["is_mock"], true);
}

#[test]
fn a_failure_prints_the_diagnosis_and_exits_1() {
    let o = run(hcnet().args(["info"]).env("HCNET_PASSWORD", "wrong"));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("NET_DVR_PASSWORD_ERROR") && t.contains("what to do:"),
        "{t}"
    );
    assert!(
        !t.contains("wrong\n") && !t.contains("\"wrong\""),
        "no password in output: {t}"
    );
}

#[test]
fn snapshot_writes_a_jpeg() {
    let d = temp_dir("snap");
    let f = d.join("a.jpg");
    let o = run(hcnet().args(["snapshot", "--out"]).arg(&f));
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&f).unwrap();
    assert!(
        bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]),
        "a JPEG"
    );
    // A channel the NVR does not have.
    let o = run(hcnet()
        .args([
            "snapshot",
            "--host",
            "192.0.2.20",
            "--channel",
            "1",
            "--out",
        ])
        .arg(d.join("b.jpg")));
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("33..=48"), "{}", text(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn preview_records_mpeg_ps_without_a_bar_when_not_a_terminal() {
    let d = temp_dir("preview");
    let f = d.join("p.ps");
    let o = run(hcnet().args(["preview", "--seconds", "1", "--out"]).arg(&f));
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&f).unwrap();
    assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
    assert!(is_mpeg_ps(&bytes), "starts with a PS pack header");
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains('\r'),
        "no progress bar off a terminal"
    );
    let o = run(hcnet()
        .args(["preview", "--seconds", "1", "--stream", "sub", "--out"])
        .arg(d.join("s.ps")));
    assert!(o.status.success(), "{}", text(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn ptz_moves_and_presets() {
    let o = run(hcnet().args(["ptz", "position"]));
    assert!(o.status.success(), "{}", text(&o));
    let o = run(hcnet().args(["ptz", "move", "right", "--speed", "7", "--ms", "300"]));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("moved Right") && t.contains("position: pan"),
        "{t}"
    );
    // (Each run is a new process, so the mock forgets presets between runs: the demo shows
    // set-then-goto in one session.)
    for args in [["ptz", "set-preset", "3"], ["ptz", "clear-preset", "3"]] {
        let o = run(hcnet().args(args));
        assert!(o.status.success(), "{args:?}: {}", text(&o));
    }
    // Out of range is a usage error, before anything runs.
    let o = run(hcnet().args(["ptz", "goto", "256"]));
    assert_eq!(o.status.code(), Some(2));
    let o = run(hcnet().args(["ptz", "move", "up", "--speed", "8"]));
    assert_eq!(o.status.code(), Some(2));
    // The bullet has no PTZ: 23, with the diagnosis.
    let o = run(hcnet().args(["ptz", "--host", "192.0.2.11", "move", "left"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("NET_DVR_NOSUPPORT"), "{t}");
}

#[test]
fn demo_runs_the_tour() {
    let d = temp_dir("demo");
    let o = run(hcnet()
        .args(["demo", "--seconds", "2", "--out-dir"])
        .arg(&d));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    for step in [
        "[1/6] SDK:",
        "[2/6] logged in",
        "[3/6] device info",
        "[4/6] PTZ",
        "[5/6] snapshot",
        "[6/6] recording",
    ] {
        assert!(t.contains(step), "missing {step}:\n{t}");
    }
    assert!(t.contains("hcnetsdk-rs mock SDK"), "{t}");
    assert!(t.contains("doctor summary"), "{t}");
    assert_eq!(t.matches("  ✓ ").count(), 8, "8 doctor checks ✓:\n{t}");
    let jpeg = std::fs::read(d.join("snapshot.jpg")).unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]));
    let ps = std::fs::read(d.join("preview.ps")).unwrap();
    assert!(is_mpeg_ps(&ps) && ps.len() > 10_000);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn demo_finds_the_mock_beside_the_executable() {
    // The README's way: no HCNETSDK_LIB, the mock next to hcnet (target/<profile>/).
    let exe_dir = PathBuf::from(env!("CARGO_BIN_EXE_hcnet"))
        .parent()
        .unwrap()
        .to_path_buf();
    let beside = exe_dir.join("libhcnetsdk.so");
    if !beside.is_file() {
        // `cargo build` puts it there; the shared helper builds it into the same folder.
        let built = mock::mock_lib_path();
        assert_eq!(
            built.parent(),
            Some(exe_dir.as_path()),
            "the mock is built beside hcnet"
        );
    }
    let d = temp_dir("demo2");
    let o = Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .args(["demo", "--seconds", "1", "--out-dir"])
        .arg(&d)
        .env_remove("HCNETSDK_LIB")
        .env_remove("HCNETSDK_LIB_DIR")
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .env_remove("HCNET_PASSWORD")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&beside.display().to_string()),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(&d).unwrap();
}
