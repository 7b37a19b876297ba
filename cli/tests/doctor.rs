//! `hcnet doctor` against the mock SDK: the healthy default device passes every check;
//! a device without PTZ passes with the PTZ check skipped; each simulated broken setup
//! fails the right check with the SDK's real code.
//!
//! The mock is built by the shared helper and handed to the child as `HCNETSDK_LIB`.

mod common;

use hcnetsdk_test_support::{loopback, sdk_folder};
use std::path::PathBuf;
use std::process::{Command, Output};

use common::{hcnet, run, text};
use serde_json::Value;

fn doctor_json(extra: &[&str]) -> (Value, Output) {
    let o = run(hcnet().arg("doctor").arg("--json").args(extra));
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("doctor {extra:?}: not JSON ({e}):\n{}", text(&o)));
    (v, o)
}

fn check<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no check {key} in {v}"))
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn healthy_default_device_passes_every_check() {
    let o = run(hcnet().arg("doctor"));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    for (i, title) in [
        "SDK library",
        "SDK components",
        "SDK init",
        "TCP reachability",
        "login",
        "device info and channel map",
        "live preview",
        "PTZ",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            t.contains(&format!("✓ {}. {title}", i + 1)),
            "check {} not ✓:\n{t}",
            i + 1
        );
    }
    assert!(!t.contains('✗'), "{t}");
    assert!(
        t.contains("doctor OK: checks 8 ok, 0 failed, 0 skipped"),
        "{t}"
    );
    assert!(
        t.contains("hcnetsdk-rs mock SDK"),
        "version says mock:\n{t}"
    );
    assert!(
        t.contains("DS-2DE4425IW-DE") && t.contains("大门球机"),
        "device info with the GBK name:\n{t}"
    );
    assert!(t.contains("system header IMKH"), "{t}");

    let (v, o) = doctor_json(&[]);
    assert!(o.status.success());
    assert_eq!(v["passed"], true);
    assert!(
        statuses(&v).iter().all(|(_, s)| s == "pass"),
        "{:?}",
        statuses(&v)
    );
    assert!(check(&v, "preview")["data"]["bytes"].as_u64().unwrap() > 0);
    assert_eq!(
        check(&v, "device_info")["data"]["channels"],
        serde_json::json!([1])
    );
}

#[test]
fn an_nvr_channel_map_starts_at_33() {
    let (v, _) = doctor_json(&["--host", "192.0.2.20", "--channel", "33"]);
    let info = &check(&v, "device_info")["data"];
    assert_eq!(info["ip_channels"]["start"], 33);
    assert_eq!(info["ip_channels"]["count"], 16);
    assert_eq!(check(&v, "preview")["status"], "pass");
    // The NVR has no PTZ of its own.
    assert_eq!(check(&v, "ptz")["code"]["value"], 23);
}

/// A device without PTZ: every check but PTZ passes, PTZ is skipped with the note (not
/// failed), and doctor exits 0.
fn passes_with_ptz_skipped(args: &[&str], channel: u32) -> Value {
    let note =
        format!("device reports no PTZ on channel {channel} (NET_DVR_NOSUPPORT, 23): skipped");
    let (v, o) = doctor_json(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}:\n{}", text(&o));
    assert_eq!(v["passed"], true, "{v}");
    let ptz = check(&v, "ptz");
    assert_eq!(ptz["status"], "skip", "{ptz}");
    assert_eq!(ptz["applies"], false, "{ptz}");
    assert_eq!(ptz["found"], note.as_str(), "{ptz}");
    assert_eq!(ptz["code"]["value"], 23, "{ptz}");
    assert!(ptz.get("fix").is_none(), "nothing to fix: {ptz}");
    let st = statuses(&v);
    assert!(
        st[..7].iter().all(|(_, s)| s == "pass"),
        "every other check passes: {st:?}"
    );
    assert_eq!(
        (
            &v["summary"]["passed"],
            &v["summary"]["failed"],
            &v["summary"]["skipped"]
        ),
        (&Value::from(7), &Value::from(0), &Value::from(1))
    );
    // The human form shows the skip with the note and says OK.
    let o = run(hcnet().arg("doctor").args(args));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains(&format!("- 8. PTZ: {note}")), "{t}");
    assert!(!t.contains('✗'), "{t}");
    assert!(
        t.contains("doctor OK: checks 7 ok, 0 failed, 1 skipped"),
        "{t}"
    );
    v
}

#[test]
fn an_nvr_without_ptz_passes_with_the_ptz_check_skipped() {
    passes_with_ptz_skipped(&["--host", "192.0.2.20", "--channel", "33"], 33);
}

#[test]
fn a_fixed_bullet_passes_with_the_ptz_check_skipped() {
    passes_with_ptz_skipped(&["--host", "192.0.2.11"], 1);
    let v = passes_with_ptz_skipped(&["--simulate", "no-ptz"], 1);
    assert!(
        v["simulate"].as_str().unwrap().contains("192.0.2.11"),
        "{v}"
    );
}

/// Run a simulation; return the JSON report after checking the exit code is non-zero and
/// that `key` failed with `code` (when given).
fn broken(sim: &str, key: &str, code: Option<u64>) -> Value {
    let (v, o) = doctor_json(&["--simulate", sim]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "--simulate {sim} must fail:\n{}",
        text(&o)
    );
    assert_eq!(v["passed"], false);
    let c = check(&v, key);
    assert_eq!(c["status"], "fail", "--simulate {sim}: check {key}: {c}");
    assert!(
        !c["fix"].as_str().unwrap_or("").is_empty(),
        "--simulate {sim}: a fix is given: {c}"
    );
    if let Some(code) = code {
        assert_eq!(
            c["code"]["value"].as_u64(),
            Some(code),
            "--simulate {sim}: {c}"
        );
        assert!(
            c["code"]["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("NET_DVR_")),
            "{c}"
        );
    }
    // The human form names the failing check and the code.
    let o = run(hcnet().args(["doctor", "--simulate", sim]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1));
    let step = c["step"].as_u64().unwrap();
    assert!(t.contains(&format!("✗ {step}. ")), "--simulate {sim}:\n{t}");
    if let Some(code) = code {
        assert!(
            t.contains(&format!("code: {code} NET_DVR_")),
            "--simulate {sim}:\n{t}"
        );
    }
    assert!(t.contains("FAILED:"), "{t}");
    v
}

#[test]
fn wrong_password_reports_attempts_left() {
    let v = broken("wrong-password", "login", Some(1));
    let login = check(&v, "login");
    let left = login["data"]["attempts_left"]
        .as_u64()
        .expect("attempts left reported");
    assert!(left > 0 && left < 7, "{login}");
    assert!(
        login["retry"]
            .as_str()
            .unwrap()
            .contains("Do not retry automatically"),
        "{login}"
    );
    assert_eq!(check(&v, "tcp")["status"], "pass");
    assert_eq!(check(&v, "preview")["status"], "skip");
}

#[test]
fn locked_account_reports_lock_time() {
    let v = broken("locked", "login", Some(153));
    let login = check(&v, "login");
    assert!(
        login["data"]["lock_remaining_secs"].as_u64().unwrap() > 0,
        "{login}"
    );
    assert!(
        login["found"]
            .as_str()
            .unwrap()
            .contains("NET_DVR_USER_LOCKED")
    );
}

#[test]
fn offline_device_fails_login_with_7() {
    broken("offline", "login", Some(7));
}

#[test]
fn closed_port_is_refused_before_login() {
    let v = broken("closed-port", "tcp", None);
    assert_eq!(check(&v, "tcp")["data"]["reach"], "refused");
    assert!(
        check(&v, "tcp")["found"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
    // The SDK agrees: 7.
    assert_eq!(check(&v, "login")["code"]["value"], 7);
}

#[test]
fn silent_port_times_out_with_10() {
    let v = broken("silent-port", "login", Some(10));
    assert_eq!(
        check(&v, "tcp")["status"],
        "pass",
        "the port accepts; the device never answers"
    );
}

#[test]
fn dropped_connection_fails_with_9() {
    broken("drops-connection", "login", Some(9));
}

#[test]
fn wrong_service_on_the_port() {
    let v = broken("wrong-service", "login", None);
    let code = check(&v, "login")["code"]["value"].as_u64().unwrap();
    assert!(
        [9, 11].contains(&code),
        "garbage answers give 11 (or 9): {code}"
    );
    assert_eq!(check(&v, "tcp")["data"]["answer"], "http", "{v}");
    let fix = check(&v, "login")["fix"].as_str().unwrap();
    assert!(fix.contains("web port") && fix.contains("8000"), "{fix}");
}

/// The port answer of a simulated wrong port: check 4's data, and check 5's fix names
/// what the port is and the SDK port.
fn wrong_port(sim: &str, answer: &str, fix_says: &[&str]) {
    let v = broken(sim, "login", None);
    assert_eq!(check(&v, "tcp")["data"]["answer"], answer, "{v}");
    let fix = check(&v, "login")["fix"].as_str().unwrap();
    for want in fix_says {
        assert!(
            fix.contains(want),
            "--simulate {sim}: {want:?} missing from {fix}"
        );
    }
}

#[test]
fn rtsp_port_is_named() {
    wrong_port("rtsp-port", "rtsp", &["RTSP", "554", "8000"]);
}

#[test]
fn tls_port_is_named() {
    wrong_port("tls-port", "tls", &["TLS", "8000"]);
}

#[test]
fn silent_port_is_named() {
    // Silence names no other service: the port is the likely cause, an overloaded device
    // the other one (issue 12).
    wrong_port(
        "silent-port",
        "silent",
        &["answered nothing", "wrong port", "overloaded"],
    );
}

/// Issue 12, row 1: `hcnet doctor --host 127.0.0.1 --port <the web port>`.
#[test]
fn the_web_port_instead_of_the_sdk_port() {
    let port = loopback::web_server().to_string();
    let o = run(hcnet()
        .args(["doctor", "--json", "--host", "127.0.0.1", "--port", &port])
        .env("HCNET_PASSWORD", "not-the-password"));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(check(&v, "tcp")["data"]["answer"], "http", "{v}");
    let tcp = check(&v, "tcp")["details"].to_string();
    assert!(tcp.contains("speaks HTTP") && tcp.contains("8000"), "{tcp}");
    let login = check(&v, "login");
    assert_eq!(login["status"], "fail", "{login}");
    let fix = login["fix"].as_str().unwrap();
    assert!(
        fix.contains("web port") && fix.contains("8000") && fix.contains("ISAPI"),
        "{fix}"
    );
    // Retrying the same login on a web port cannot help: no "backoff" advice.
    let retry = login["retry"].as_str().unwrap();
    assert!(
        retry.contains("after fixing") && !retry.contains("backoff"),
        "{retry}"
    );
}

/// In the ISAPI login mode an HTTP port is the right one: doctor says so, and a failed
/// login there is not blamed on the port.
#[test]
fn an_http_port_is_right_for_an_isapi_login() {
    let port = loopback::web_server().to_string();
    let o = run(hcnet()
        .args([
            "doctor",
            "--json",
            "--isapi",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ])
        .env("HCNET_PASSWORD", "not-the-password"));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(check(&v, "tcp")["data"]["answer"], "http", "{v}");
    let tcp = check(&v, "tcp")["details"].to_string();
    assert!(tcp.contains("right port for an ISAPI login"), "{tcp}");
    assert!(!tcp.contains("not its SDK port"), "{tcp}");
    let login = check(&v, "login");
    assert_eq!(login["status"], "fail", "{login}");
    let fix = login["fix"].as_str().unwrap();
    assert!(
        !fix.contains("The port is the problem") && fix.contains("/ISAPI/System/deviceInfo"),
        "{fix}"
    );
}

/// Issue 12, row 2: `--host localhost` works (the library resolves it): a closed port
/// gives 7 (cannot connect), not 17.
#[test]
fn localhost_is_a_valid_host() {
    let port = loopback::closed_port().to_string();
    let o = run(hcnet()
        .args(["doctor", "--json", "--host", "localhost", "--port", &port])
        .env("HCNET_PASSWORD", "x"));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(check(&v, "tcp")["data"]["reach"], "refused", "{v}");
    assert_eq!(check(&v, "login")["code"]["value"], 7, "{v}");
}

/// Issue 12, row 3: `--host 999.1.1.1` is not an address: check 4 says so, naming the
/// value, before any lookup or SDK call.
#[test]
fn an_impossible_address_is_named() {
    let (v, _) = doctor_json(&["--host", "999.1.1.1"]);
    let tcp = check(&v, "tcp");
    assert_eq!(tcp["status"], "fail", "{v}");
    let found = tcp["found"].as_str().unwrap();
    assert!(
        found.contains("999.1.1.1") && found.contains("not an IPv4 address"),
        "{found}"
    );
    assert_eq!(check(&v, "login")["status"], "skip");
}

#[test]
fn viewer_lacks_the_ptz_right() {
    // The dome has PTZ: a PTZ failure other than 23 fails check 8 and the run.
    let v = broken("no-ptz-right", "ptz", Some(2));
    assert_eq!(
        check(&v, "preview")["status"],
        "pass",
        "everything but PTZ works"
    );
    assert_eq!(v["summary"]["passed"], 7);
    assert_eq!(v["summary"]["failed"], 1);
    assert!(check(&v, "ptz").get("applies").is_none(), "{v}");
    let o = run(hcnet().args(["doctor", "--user", "viewer"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("✗ 8. PTZ"), "{t}");
}

#[test]
fn wrong_channel_on_an_nvr() {
    let v = broken("bad-channel", "preview", Some(4));
    assert_eq!(check(&v, "device_info")["status"], "pass");
    assert_eq!(check(&v, "device_info")["data"]["ip_channels"]["start"], 33);
}

#[test]
fn no_sdk_fails_the_first_check() {
    let v = broken("no-sdk", "library", None);
    assert!(statuses(&v)[1..].iter().all(|(_, s)| s == "skip"));
    assert!(
        check(&v, "library")["details"]
            .to_string()
            .contains("no such file"),
        "{v}"
    );
}

#[test]
fn password_comes_from_the_environment() {
    let o = run(hcnet()
        .args(["doctor", "--json"])
        .env("HCNET_PASSWORD", "definitely-wrong"));
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&v, "login")["code"]["value"], 1);
    assert!(
        !text(&o).contains("definitely-wrong"),
        "the password never appears in output"
    );
    // Without HCNET_PASSWORD, a device that is not simulated, and no terminal: no prompt
    // is possible, so login says how to give one.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let p = port.local_addr().unwrap().port().to_string();
    let o = run(hcnet().args(["doctor", "--json", "--host", "127.0.0.1", "--port", &p]));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&v, "tcp")["status"], "pass");
    assert!(
        check(&v, "login")["fix"]
            .as_str()
            .unwrap()
            .contains("HCNET_PASSWORD"),
        "{v}"
    );
    drop(port);
}

#[test]
fn unloadable_library_fails_check_1() {
    // A folder whose libhcnetsdk.so is not loadable: the no-sdk path, but via --sdk-dir.
    let dir = std::env::temp_dir().join(format!("hcnet-test-notasdk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("libhcnetsdk.so"), b"not a library").unwrap();
    let o = run(hcnet().args(["doctor", "--json", "--sdk-dir"]).arg(&dir));
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&v, "library")["status"], "fail");
    assert!(
        check(&v, "library")["found"]
            .as_str()
            .unwrap()
            .contains("--sdk-dir"),
        "{v}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 12, the missing libcrypto: a (non-mock) library whose folder has HCNetSDKCom/ and
/// libssl but no libcrypto. Check 2 fails naming libcrypto and the paths looked at; Init
/// is not tried. A copy of libm stands in for the SDK (check 2 reads only the folder; the
/// loader canonicalises symlinks, so a copy).
#[test]
fn a_missing_libcrypto_fails_check_2() {
    let Some(dir) = sdk_folder::stand_in_without_libcrypto("hcnet-test-nocrypto") else {
        return;
    };
    let (v, o) = doctor_json(&["--sdk-dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let c = check(&v, "components");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["found"].as_str().unwrap().contains("libcrypto"), "{c}");
    let looked = dir.join("libcrypto.so.1.1").display().to_string();
    assert!(c["details"].to_string().contains(&looked), "{c}");
    assert!(
        c["fix"].as_str().unwrap().contains("libcrypto/libssl"),
        "{c}"
    );
    assert_eq!(check(&v, "login")["status"], "skip", "{v}");
    let o = run(hcnet().args(["doctor", "--sdk-dir"]).arg(&dir));
    let t = text(&o);
    println!("{t}");
    assert!(
        t.contains("✗ 2. SDK components") && t.contains("libcrypto"),
        "{t}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_the_mock_hcnet_says_how_to_build_it() {
    // A copy of hcnet in a folder without libhcnetsdk.so, with no SDK configured.
    let dir = std::env::temp_dir().join(format!("hcnet-test-nomock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exe: PathBuf = dir.join("hcnet");
    std::fs::copy(env!("CARGO_BIN_EXE_hcnet"), &exe).unwrap();
    let o = Command::new(&exe)
        .args(["info"])
        .env_remove("HCNETSDK_LIB")
        .env_remove("HCNETSDK_LIB_DIR")
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("the mock SDK was not found"), "{t}");
    assert!(t.contains("cargo build -p hcnetsdk-mock"), "{t}");
    let o = Command::new(&exe)
        .args(["doctor"])
        .env_remove("HCNETSDK_LIB")
        .env_remove("HCNETSDK_LIB_DIR")
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("✗ 1. SDK library") && t.contains("cargo build -p hcnetsdk-mock"),
        "{t}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_channel_map_is_spelled_out() {
    let o = run(hcnet().arg("doctor"));
    let t = text(&o);
    assert!(t.contains("channels: analog 1 (channel 1), IP none"), "{t}");
    let o = run(hcnet().args(["doctor", "--host", "192.0.2.20", "--channel", "33"]));
    let t = text(&o);
    assert!(
        t.contains("channels: analog none, IP 16 (channels 33..=48); IP channels start at 33"),
        "{t}"
    );
}

#[test]
fn fixes_say_what_to_change_on_the_command_line() {
    let v = broken("wrong-password", "login", Some(1));
    let fix = check(&v, "login")["fix"].as_str().unwrap().to_string();
    assert!(
        fix.starts_with("Check the user (admin; --user) and the password (HCNET_PASSWORD"),
        "{fix}"
    );
    assert!(
        fix.contains("SDK advice:"),
        "the catalogue's remediation is kept: {fix}"
    );
    let v = broken("locked", "login", Some(153));
    assert!(
        check(&v, "login")["fix"]
            .as_str()
            .unwrap()
            .starts_with("Wait until the lock ends"),
        "{v}"
    );
    let v = broken("no-ptz-right", "ptz", Some(2));
    assert!(
        check(&v, "ptz")["fix"]
            .as_str()
            .unwrap()
            .starts_with("User viewer lacks the PTZ control right on channel 1"),
        "{v}"
    );
    let v = broken("bad-channel", "preview", Some(4));
    let fix = check(&v, "preview")["fix"].as_str().unwrap();
    assert!(
        fix.contains("channel 1 is not on admin@192.0.2.20:8000") && fix.contains("--channel 33"),
        "{fix}"
    );
}

#[test]
fn a_closed_port_without_a_password_skips_login_instead_of_asking() {
    // No HCNET_PASSWORD, not a simulated device, no terminal: the port is closed, so the
    // doctor neither asks for a password nor blames the missing one.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let p = port.local_addr().unwrap().port().to_string();
    drop(port);
    let (v, o) = doctor_json(&["--host", "127.0.0.1", "--port", &p]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(check(&v, "tcp")["data"]["reach"], "refused");
    let login = check(&v, "login");
    assert_eq!(login["status"], "skip", "{login}");
    assert!(
        login["found"]
            .as_str()
            .unwrap()
            .contains("did not accept a TCP connection"),
        "{login}"
    );
    assert_eq!(check(&v, "preview")["found"], "skipped: not logged in");
}

#[test]
fn there_is_no_password_flag() {
    let o = run(hcnet().args(["doctor", "--password", "x"]));
    assert_eq!(o.status.code(), Some(2));
    let o = run(hcnet().args(["doctor", "--help"]));
    let t = text(&o);
    assert!(
        t.contains("HCNET_PASSWORD") && t.contains("never takes it on the command line"),
        "{t}"
    );
    assert!(!t.contains("--password"), "{t}");
    assert!(t.contains("Exit codes: 0 every check passed"), "{t}");
}

#[test]
fn a_library_for_another_architecture_is_named() {
    // An ELF header for 32-bit ARM: the loader says "wrong ELF class"; the doctor names the
    // architecture and asks for the right build.
    if std::env::consts::ARCH == "arm" {
        println!("SKIP: a_library_for_another_architecture_is_named: this host is 32-bit ARM");
        return;
    }
    let dir = std::env::temp_dir().join(format!("hcnet-test-armsdk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 1; // 32-bit
    h[5] = 1; // little endian
    h[18] = 0x28; // EM_ARM
    std::fs::write(dir.join("libhcnetsdk.so"), &h).unwrap();
    let o = run(hcnet().args(["doctor", "--json", "--sdk-dir"]).arg(&dir));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let lib = check(&v, "library");
    assert_eq!(lib["status"], "fail");
    let arch = std::env::consts::ARCH;
    assert!(
        lib["details"][0].as_str().unwrap().contains(&format!(
            "is a 32-bit arm ELF library, but hcnet runs as {arch}"
        )),
        "{lib}"
    );
    assert!(
        lib["fix"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Use the SDK build for {arch}")),
        "{lib}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
