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

/// An example's command, to run in a fresh folder with the SDK environment cleared.
fn command(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Command, PathBuf) {
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
    (cmd, dir)
}

/// Run an example in a fresh folder with the SDK environment cleared.
fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, PathBuf) {
    let (mut cmd, dir) = command(name, args, env);
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

/// Every device of the mock's built-in scenario (what `examples/nvr.rs` logs in to with no
/// `--host`) with its number of channels, from the scenario itself.
#[cfg(feature = "tokio")]
fn scenario_devices() -> Vec<(String, usize)> {
    hcnetsdk_device::Scenario::default()
        .devices
        .iter()
        .map(|d| {
            (
                d.address.clone(),
                usize::from(d.analog()) + usize::from(d.ip_channels),
            )
        })
        .collect()
}

/// The nvr example's table rows (device, channel, frames, key, bytes, lost) and checks:
/// one row per channel of every device, each with frames counted, and every device logged
/// out with all its streams stopped by the logout.
#[cfg(feature = "tokio")]
fn check_nvr_table(stdout: &str, all: &str) {
    let devices = scenario_devices();
    let streams: usize = devices.iter().map(|(_, n)| n).sum();
    assert!(devices.len() >= 4, "the built-in scenario: {devices:?}");
    let header = format!("{} devices, {streams} streams", devices.len());
    assert!(stdout.contains(&header), "{header:?} missing:\n{all}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with("192.0.2."))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| w.len() == 6)
        .collect();
    assert_eq!(rows.len(), streams, "{all}");
    for (device, channels) in &devices {
        let of_device = rows.iter().filter(|r| r[0] == device).count();
        assert_eq!(of_device, *channels, "rows of {device}:\n{all}");
        let line = format!("{device}: logged out ({channels} streams stopped");
        assert!(stdout.contains(&line), "{line:?} missing:\n{all}");
    }
    for row in &rows {
        let frames: u64 = row[2].parse().unwrap();
        let key: u64 = row[3].parse().unwrap();
        assert!(frames > 0 && key > 0, "no frames for {row:?}:\n{all}");
        let _lost: u64 = row[5].parse().unwrap();
    }
}

/// examples/nvr.rs (feature `tokio`): every device of the mock's default scenario at once,
/// a frame stream per channel, a clean shutdown, a table of frames per camera.
#[cfg(feature = "tokio")]
#[test]
fn nvr_counts_frames_per_camera_and_shuts_down() {
    let (out, dir) = run("nvr", &["--seconds", "1"], &[]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    check_nvr_table(&String::from_utf8_lossy(&out.stdout), &all);
    std::fs::remove_dir_all(dir).ok();
}

/// examples/nvr.rs stopped by Ctrl-C (SIGINT) while it streams: it shuts down as after its
/// time (exit 0, the table, every device logged out), and its log shows every preview
/// stopped and every session logged out with no SDK handle leaked and no failed call, then
/// `NET_DVR_Cleanup` (which runs only after the last session and handle).
#[cfg(all(feature = "tokio", unix))]
#[test]
fn nvr_shuts_down_cleanly_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let (mut cmd, dir) = command("nvr", &["--seconds", "600", "--log", "info"], &[]);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the nvr example");
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    // Read stdout until it counts, then interrupt it; keep reading to the end.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("streams; counting for") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let counting = rx.recv_timeout(Duration::from_secs(120));
    // Let frames flow (25 a second; a key frame each second, the first one first).
    std::thread::sleep(Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the nvr example did not exit within 120 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (out_reader.join().unwrap(), err_reader.join().unwrap());
    let all = format!("status {status:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert!(counting.is_ok(), "it never started counting:\n{all}");
    assert_eq!(status.code(), Some(0), "a clean exit after Ctrl-C:\n{all}");
    assert!(stdout.contains("interrupted"), "{all}");
    check_nvr_table(&stdout, &all);
    // Every preview stopped by the logout (no stop failed, so no callback state leaked),
    // every session logged out once, nothing failed or leaked.
    let devices = scenario_devices();
    let streams: usize = devices.iter().map(|(_, n)| n).sum();
    let stopped = stderr
        .lines()
        .filter(|l| l.contains("preview stopped") && l.contains("Logout"))
        .count();
    assert_eq!(stopped, streams, "{all}");
    let logged_out = stderr.lines().filter(|l| l.contains("logged out")).count();
    assert_eq!(logged_out, devices.len(), "{all}");
    // NET_DVR_Cleanup ran: it runs only once no session and no handle is left.
    assert!(stderr.contains("SDK cleaned up"), "{all}");
    for bad in ["leaked", " WARN ", " ERROR "] {
        assert!(!stderr.contains(bad), "{bad:?} in the log:\n{all}");
    }
    std::fs::remove_dir_all(dir).ok();
}
