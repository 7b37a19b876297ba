//! The everyday jobs and the demo, against the mock SDK (built by the shared helper and
//! handed to the child as `HCNETSDK_LIB`).

mod common;

use hcnetsdk_test_support::loopback;
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
    // A distinctive wrong password: any echo of it, in any quoting, shows.
    let secret = "Wr0ng-Pw-77";
    let o = run(hcnet().args(["info"]).env("HCNET_PASSWORD", secret));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("NET_DVR_PASSWORD_ERROR") && t.contains("what to do:"),
        "{t}"
    );
    assert!(!t.contains(secret), "no password in output: {t}");
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

/// `ptz move` and `--stream` take the library's names (`Motion::name`, `StreamType::name`):
/// the help lists them all, a wrong one is a usage error that lists them, and a
/// kebab-case diagonal moves the head.
#[test]
fn movements_and_streams_are_the_library_names() {
    let motions = "up, down, left, right, up-left, up-right, down-left, down-right, zoom-in, \
                   zoom-out, focus-near, focus-far, iris-open, iris-close";
    let o = run(hcnet().args(["ptz", "move", "--help"]));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains(&format!("[possible values: {motions}]")), "{t}");
    let o = run(hcnet().args(["ptz", "move", "sideways"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("'sideways'") && t.contains(&format!("[possible values: {motions}]")),
        "{t}"
    );
    let o = run(hcnet().args(["preview", "--help"]));
    let t = text(&o);
    assert!(
        t.contains("[default: main] [possible values: main, sub, third]"),
        "{t}"
    );
    let o = run(hcnet().args(["preview", "--stream", "fourth", "--out", "x.ps"]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = run(hcnet().args(["ptz", "move", "down-left", "--ms", "100"]));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("moved DownLeft"), "{t}");
}

/// Bad input is refused before anything runs (exit 2 for flags, 1 for paths), and each
/// message names the bad value and the fix.
#[test]
fn bad_input_names_the_value_and_the_fix() {
    let d = temp_dir("badin");
    let out = d.join("x.ps");
    let out = out.to_str().unwrap();
    for (args, bad, fix) in [
        (
            vec!["preview", "--seconds", "0", "--out", out],
            "'0' for '--seconds <N>'",
            "1 or more",
        ),
        (
            vec!["preview", "--seconds", "five", "--out", out],
            "'five'",
            "whole number of seconds",
        ),
        (
            vec!["doctor", "--preview-seconds", "0"],
            "'0' for '--preview-seconds <N>'",
            "1 or more",
        ),
        (
            vec!["demo", "--seconds", "0"],
            "'0' for '--seconds <N>'",
            "1 or more",
        ),
        (
            vec!["snapshot", "--channel", "-1", "--out", out],
            "'-1' for '--channel <C>'",
            "numbered from 1",
        ),
        (
            vec!["snapshot", "--channel", "0", "--out", out],
            "'0' for '--channel <C>'",
            "`hcnet info` lists",
        ),
        (vec!["info", "--port", "0"], "'0' for '--port <P>'", "8000"),
        (vec!["info", "--port", "70000"], "'70000'", "1..=65535"),
    ] {
        let o = run(hcnet().args(&args));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}:\n{t}");
        assert!(t.contains(bad) && t.contains(fix), "{args:?}:\n{t}");
    }
    assert!(!std::path::Path::new(out).exists(), "nothing was recorded");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_bad_out_path_is_caught_before_login() {
    let d = temp_dir("badout");
    let missing = d.join("no/such/dir/a.jpg");
    let file = d.join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    // A wrong password too: the path is checked first, so the message is about the path.
    for (cmd, out, want) in [
        ("snapshot", missing.clone(), "mkdir -p"),
        ("preview", missing.clone(), "mkdir -p"),
        ("snapshot", d.clone(), "is a folder"),
        ("preview", file.join("a.ps"), "is not a folder"),
    ] {
        let o = run(hcnet()
            .args([cmd, "--out"])
            .arg(&out)
            .env("HCNET_PASSWORD", "wrong"));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd} {out:?}:\n{t}");
        assert!(
            t.contains(&out.display().to_string()) && t.contains(want),
            "{cmd} {out:?}:\n{t}"
        );
        assert!(
            !t.contains("NET_DVR_PASSWORD_ERROR"),
            "checked before login:\n{t}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_channel_the_device_lacks_names_the_ones_it_has() {
    let d = temp_dir("badch");
    let o = run(hcnet()
        .args(["preview", "--seconds", "1", "--channel", "2", "--out"])
        .arg(d.join("p.ps")));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("channel 2 is not on 192.0.2.10:8000")
            && t.contains("analog 1 (channel 1), IP none")
            && t.contains("--channel 1"),
        "{t}"
    );
    let o = run(hcnet().args(["ptz", "--host", "192.0.2.20", "--channel", "5", "position"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("channels 33..=48") && t.contains("--channel 33"),
        "{t}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn an_unset_preset_says_how_to_set_it() {
    let o = run(hcnet().args(["ptz", "goto", "5"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("NET_DVR_DVROPRATEFAILED"), "{t}");
    assert!(
        t.contains("preset 5 is probably not set") && t.contains("hcnet ptz set-preset 5"),
        "{t}"
    );
    assert!(t.contains("mock SDK forgets presets"), "{t}");
}

#[test]
fn device_flags_also_work_after_the_ptz_action() {
    // `hcnet ptz position --host H` as well as `hcnet ptz --host H position`.
    let o = run(hcnet().args(["ptz", "position", "--host", "192.0.2.11"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("192.0.2.11") && t.contains("Channel 1 has no PTZ"),
        "the bullet, with the CLI's hint:\n{t}"
    );
    let o = run(hcnet().args(["ptz", "move", "left", "--ms", "100", "--host", "192.0.2.10"]));
    assert!(o.status.success(), "{}", text(&o));
}

/// On a terminal the preview draws a progress bar (run under `script`, which gives the
/// child a pseudo-terminal).
#[test]
fn preview_draws_a_progress_bar_on_a_terminal() {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        let msg = "no `script` (apt-get install bsdutils)";
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "{msg}; CI is set, so this is a failure"
        );
        println!("SKIP: preview_draws_a_progress_bar_on_a_terminal: {msg}");
        return;
    }
    let d = temp_dir("tty");
    let f = d.join("p.ps");
    let cmd = format!(
        "'{}' preview --seconds 1 --out '{}'",
        env!("CARGO_BIN_EXE_hcnet"),
        f.display()
    );
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HCNETSDK_LIB", mock::mock_lib_path())
        .env_remove("HCNETSDK_LIB_DIR")
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .env_remove("HCNET_PASSWORD")
        .output()
        .unwrap();
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("\r\x1b[2Kpreview ch1 [") && t.contains("##") && t.contains("/1 s"),
        "a progress bar:\n{t:?}"
    );
    assert!(std::fs::metadata(&f).unwrap().len() > 10_000);
    std::fs::remove_dir_all(&d).unwrap();
}

/// Issue 12, the web port instead of the SDK port, in an everyday job: `hcnet info` asks the
/// port what it speaks when the login fails as if it were not an SDK port, and prints it.
/// (`--host localhost` works too: the library resolves it.)
#[test]
fn info_on_a_web_port_says_it_is_the_web_port() {
    let port = loopback::web_server();
    let port = port.to_string();
    let o = run(hcnet()
        .args(["info", "--host", "localhost", "--port", &port])
        .env("HCNET_PASSWORD", "not-the-password"));
    let t = text(&o);
    println!("{t}");
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains(&format!("port {port} speaks HTTP")), "{t}");
    assert!(t.contains("8000") && t.contains("Isapi"), "{t}");
}
