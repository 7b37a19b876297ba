//! `hcnet recordings` and `hcnet download` on the mock's default scenario with its clock
//! pinned (a scenario file: the default one plus `clock = ...`), so that "yesterday" is
//! 2026-11-30. A drop is injected with `HCNETSDK_MOCK_DOWNLOAD_FAULT` (the CLI is a child
//! process: the mock's `MOCK_` calls cannot reach it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{hcnet, mock, run, text};

const FROM: &str = "2026-11-30 08:00";
const TO: &str = "2026-11-30 08:10";

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hcnet-rec-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The default scenario with its clock pinned, written into `dir`.
fn pinned_scenario(dir: &Path) -> PathBuf {
    let default = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../device/scenarios/default.toml"),
    )
    .unwrap();
    let p = dir.join("pinned.toml");
    std::fs::write(&p, format!("clock = \"2026-12-01T12:00:00Z\"\n{default}")).unwrap();
    p
}

fn nvr(scenario: &Path) -> Command {
    let mut c = hcnet();
    c.env("HCNETSDK_MOCK_SCENARIO", scenario)
        .env_remove("HCNETSDK_MOCK_DOWNLOAD_FAULT");
    c
}

fn download(scenario: &Path, out: &Path) -> Command {
    let mut c = nvr(scenario);
    c.args([
        "download",
        "--host",
        "192.0.2.20",
        "--channel",
        "33",
        "--from",
        FROM,
        "--to",
        TO,
        "-o",
    ])
    .arg(out);
    c
}

#[test]
fn recordings_lists_a_day_of_the_nvr_as_a_table_and_as_json_lines() {
    let d = temp_dir("list");
    let s = pinned_scenario(&d);
    let day = ["--from", "2026-11-30 00:00", "--to", "2026-12-01 00:00"];
    let args = ["recordings", "--host", "192.0.2.20", "--channel", "33"];
    let o = run(nvr(&s).args(args).args(day));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("device-local time, zone unknown"),
        "the zone is stated:\n{t}"
    );
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("ch0033_")).collect();
    assert!(rows.len() > 24, "hourly files and events:\n{t}");
    assert!(rows[0].contains("2026-11-30 00:00:00"), "{}", rows[0]);
    assert!(rows.iter().any(|r| r.contains("motion")));
    assert!(rows.iter().any(|r| r.ends_with("yes")), "the locked file");
    assert!(t.contains(&format!("{} files", rows.len())), "{t}");
    let o = run(nvr(&s).args(args).args(day).arg("--json"));
    assert!(o.status.success(), "{}", text(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    assert_eq!(lines[0]["times"], "device-local");
    assert!(lines[0]["zone"].is_null());
    let o = run(nvr(&s)
        .args(args)
        .args(day)
        .args(["--type", "motion", "--json"]));
    let motion = String::from_utf8_lossy(&o.stdout).lines().count();
    assert!(motion > 10 && motion < rows.len(), "{motion}");
    // An instant without the device's zone is refused before any login.
    let o = run(nvr(&s).args(args).args([
        "--from",
        "2026-11-30T00:00:00Z",
        "--to",
        "2026-12-01T00:00:00Z",
    ]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--device-tz"), "{}", text(&o));
    let o = run(nvr(&s).args(args).args([
        "--from",
        "2026-11-30T01:00:00+01:00",
        "--to",
        "2026-11-30T03:00:00+01:00",
        "--device-tz",
        "UTC",
    ]));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("zone UTC") && t.contains("2026-11-30 00:00:00+00:00"),
        "{t}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

fn ffprobe_duration(path: &Path) -> Option<f64> {
    let o = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .ok()?;
    let t = String::from_utf8_lossy(&o.stdout);
    Some(
        t.trim()
            .parse()
            .unwrap_or_else(|_| panic!("ffprobe said {t:?}")),
    )
}

#[test]
fn download_writes_ten_minutes_with_plain_progress_and_resumes_after_a_drop() {
    let d = temp_dir("download");
    let s = pinned_scenario(&d);
    let full = d.join("full.ps");
    let o = run(&mut download(&s, &full));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("(complete)"), "{t}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.lines().any(|l| l.starts_with("download 100% ")),
        "plain progress lines without a terminal:\n{err}"
    );
    assert!(
        !err.contains('\x1b') && !err.contains('\r'),
        "no control codes: {err:?}"
    );
    if let Some(secs) = ffprobe_duration(&full) {
        assert!((secs - 600.0).abs() <= 1.0, "ffprobe: {secs} s");
    }
    // A drop: exit 5, and how much was saved.
    let part = d.join("part.ps");
    let o = run(download(&s, &part).env("HCNETSDK_MOCK_DOWNLOAD_FAULT", "drop:50"));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(5), "{t}");
    let saved = std::fs::metadata(&part).unwrap().len();
    assert!(
        t.contains(&format!("{saved} bytes")) && t.contains("--resume"),
        "says how much was saved and how to continue:\n{t}"
    );
    assert!(saved > 0 && saved < std::fs::metadata(&full).unwrap().len());
    // --resume continues where the file ends: the same bytes as the whole download.
    let o = run(download(&s, &part).arg("--resume"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read(&part).unwrap() == std::fs::read(&full).unwrap());
    // By name: a motion file from the list, whole.
    let by_name = d.join("motion.ps");
    let o = run(nvr(&s)
        .args([
            "download",
            "--host",
            "192.0.2.20",
            "--name",
            "ch0033_00000179599782001",
            "-o",
        ])
        .arg(&by_name));
    assert!(o.status.success(), "{}", text(&o));
    // Its size as the device model lists it (the bytes a download by name delivers).
    let scenario = hcnetsdk_device::Scenario::load_file(&s).unwrap();
    let clock = scenario.clock().unwrap();
    let spec = scenario
        .devices
        .iter()
        .find(|d| d.address == "192.0.2.20")
        .expect("the default scenario's NVR");
    let listed = hcnetsdk_device::recordings::Recordings::new(spec, clock)
        .unwrap()
        .find_by_name("ch0033_00000179599782001")
        .unwrap()
        .size;
    assert_eq!(std::fs::metadata(&by_name).unwrap().len(), listed);
    std::fs::remove_dir_all(&d).unwrap();
}

/// On a terminal the download draws an indicatif bar (under `script`, which gives the
/// child a pseudo-terminal).
#[test]
fn download_draws_a_progress_bar_on_a_terminal() {
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
        println!("SKIP: download_draws_a_progress_bar_on_a_terminal: {msg}");
        return;
    }
    let d = temp_dir("tty");
    let s = pinned_scenario(&d);
    let f = d.join("t.ps");
    let cmd = format!(
        "'{}' download --host 192.0.2.20 --channel 33 --from '{FROM}' --to '{TO}' -o '{}'",
        env!("CARGO_BIN_EXE_hcnet"),
        f.display()
    );
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HCNETSDK_LIB", mock::mock_lib_path())
        .env("HCNETSDK_MOCK_SCENARIO", &s)
        .env_remove("HCNETSDK_LIB_DIR")
        .env_remove("HCNETSDK_MOCK_DOWNLOAD_FAULT")
        .env_remove("HCNET_PASSWORD")
        .output()
        .unwrap();
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("download [") && t.contains("\x1b[2K") && t.contains('#') && t.contains('%'),
        "an indicatif bar:\n{t:?}"
    );
    assert!(
        !t.contains("\ndownload 100% "),
        "no plain lines on a terminal:\n{t:?}"
    );
    assert!(t.contains("(complete)"));
    std::fs::remove_dir_all(&d).unwrap();
}
