//! The examples run against the mock with no arguments, take `--sdk-dir`, `--host`,
//! `--port`, `--user`, `--password` (or `HCNET_PASSWORD`), and on failure print the full
//! diagnosis and exit non-zero.
//!
//! Builds the examples with the cargo that runs the tests (as `hcnetsdk_test_support::mock` does
//! for the mock) and runs each in a temporary folder, since they write their output files
//! to the current folder.

use hcnetsdk_test_support::mock;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Example name -> executable, built once.
fn examples() -> &'static HashMap<String, PathBuf> {
    static EXAMPLES: OnceLock<HashMap<String, PathBuf>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        // The examples look for the mock next to their folder: target/<profile>/.
        let _ = mock::mock_lib_path();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let mut build = Command::new(cargo);
        build.args([
            "build",
            "-p",
            "hcnetsdk",
            "--examples",
            "--message-format=json-render-diagnostics",
        ]);
        // examples/nvr.rs needs the tokio feature; the tests built with it build it too.
        if cfg!(feature = "tokio") {
            build.args(["--features", "tokio"]);
        }
        let out = build
            .arg("--manifest-path")
            .arg(mock::workspace_root().join("Cargo.toml"))
            .output()
            .expect("run cargo to build the examples");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "building the examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut found = HashMap::new();
        for line in stdout.lines() {
            if !line.contains("\"compiler-artifact\"") || !line.contains("\"kind\":[\"example\"]") {
                continue;
            }
            let field = |key: &str| {
                let start = line.find(key)? + key.len();
                let end = line[start..].find('"')? + start;
                Some(line[start..end].to_owned())
            };
            if let (Some(name), Some(exe)) = (field("\"name\":\""), field("\"executable\":\"")) {
                found.insert(name, PathBuf::from(exe));
            }
        }
        let expected: &[&str] = if cfg!(feature = "tokio") {
            &["login", "preview", "ptz", "snapshot", "nvr"]
        } else {
            &["login", "preview", "ptz", "snapshot"]
        };
        for &name in expected {
            assert!(
                found.contains_key(name),
                "example {name} not built: {found:?}"
            );
        }
        found
    })
}

/// Run an example in a fresh folder with the SDK environment cleared.
fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, PathBuf) {
    static RUN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "hcnetsdk-example-{name}-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new(&examples()[name]);
    cmd.args(args)
        .current_dir(&dir)
        .env_remove("HCNETSDK_LIB")
        .env_remove("HCNETSDK_LIB_DIR")
        .env_remove("HCNET_PASSWORD")
        .env_remove("HCNETSDK_MOCK_SCENARIO");
    for (k, v) in env {
        cmd.env(k, v);
    }
    (cmd.output().expect("run the example"), dir)
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn login_runs_against_the_mock_with_no_arguments() {
    let (out, dir) = run("login", &[], &[]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("hcnetsdk-rs mock SDK"), "{all}");
    assert!(all.contains("大门球机"), "the GBK device name: {all}");
    assert!(all.contains("logged out"), "{all}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn ptz_runs_against_the_mock_with_no_arguments() {
    let (out, dir) = run("ptz", &[], &[]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(
        all.contains("set:     pan 180.0°, tilt 30.0°, zoom 2.0x"),
        "{all}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn snapshot_runs_against_the_mock_with_no_arguments() {
    let (out, dir) = run("snapshot", &[], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let jpeg = std::fs::read(dir.join("snapshot.jpg")).unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn preview_writes_seconds_of_stream_to_a_file() {
    let (out, dir) = run("preview", &["--seconds", "1", "--out", "live.ps"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let file = dir.join("live.ps");
    assert!(file_len(&file) > 1000, "{} bytes", file_len(&file));
    // The stream starts with the system header ("IMKH").
    assert!(std::fs::read(&file).unwrap().starts_with(b"IMKH"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn connection_options_are_taken_and_failures_print_the_diagnosis() {
    let mock_dir = mock::mock_lib_dir();
    let sdk_dir = mock_dir.to_str().unwrap();
    // Every connection option, pointing at the mock's NVR.
    let (out, dir) = run(
        "login",
        &[
            "--sdk-dir",
            sdk_dir,
            "--host",
            "192.0.2.20",
            "--port",
            "8000",
            "--user",
            "operator",
            "--password",
            "Oper12345",
        ],
        &[],
    );
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("IP channels     33..=48"), "{all}");
    std::fs::remove_dir_all(dir).ok();

    // HCNETSDK_LIB_DIR in place of --sdk-dir.
    let (out, dir) = run("login", &[], &[("HCNETSDK_LIB_DIR", sdk_dir)]);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::remove_dir_all(dir).ok();
    let (out, dir) = run(
        "login",
        &[],
        &[("HCNETSDK_LIB_DIR", "/nonexistent/hcnetsdk-env")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/hcnetsdk-env"),
        "{}",
        text(&out)
    );
    std::fs::remove_dir_all(dir).ok();

    // A wrong password from HCNET_PASSWORD: the full diagnosis on stderr, exit code 1.
    let (out, dir) = run("login", &[], &[("HCNET_PASSWORD", "Wr0ng-Pw-77")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    for want in [
        "NET_DVR_Login_V40 to 192.0.2.10:8000 failed",
        "NET_DVR_PASSWORD_ERROR (1)",
        "likely causes:",
        "what to do:",
        "retry:         never_auto",
        "login attempts are left",
    ] {
        assert!(stderr.contains(want), "{want:?} missing:\n{stderr}");
    }
    assert!(
        !stderr.contains("Wr0ng-Pw-77"),
        "the password was printed:\n{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();

    // A closed port on a device the mock does not know: network failure, code 7.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    let (out, dir) = run("snapshot", &["--host", "127.0.0.1", "--port", &port], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stderr.contains("NET_DVR_NETWORK_FAIL_CONNECT (7)"),
        "{stderr}"
    );
    assert!(stderr.contains("what to do:"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();

    // A missing SDK folder: the load error with the path tried.
    let (out, dir) = run("ptz", &["--sdk-dir", "/nonexistent/hcnetsdk"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr.contains("/nonexistent/hcnetsdk"), "{stderr}");
    assert!(stderr.contains("HCNETSDK_LIB_DIR"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}

/// examples/nvr.rs (feature `tokio`): every device of the mock's default scenario at once,
/// a packet stream per channel, a clean shutdown, a table of packets per camera.
#[cfg(feature = "tokio")]
#[test]
fn nvr_counts_packets_per_camera_and_shuts_down() {
    let (out, dir) = run("nvr", &["--seconds", "1"], &[]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 devices, 18 streams"), "{all}");
    // One row per stream (device, channel, packets, bytes, lost), each with packets
    // counted by its stream's task.
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with("192.0.2."))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| w.len() == 5)
        .collect();
    assert_eq!(rows.len(), 18, "{all}");
    for row in &rows {
        let packets: u64 = row[2].parse().unwrap();
        assert!(packets > 0, "no packets for {row:?}:\n{all}");
        let _lost: u64 = row[4].parse().unwrap();
    }
    for (device, streams) in [("192.0.2.10", 1), ("192.0.2.11", 1), ("192.0.2.20", 16)] {
        let line = format!("{device}: logged out ({streams} streams stopped");
        assert!(stdout.contains(&line), "{line:?} missing:\n{all}");
    }
    std::fs::remove_dir_all(dir).ok();
}
