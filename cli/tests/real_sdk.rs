//! `hcnet doctor` against the real HCNetSDK. Runs only when `HCNETSDK_LIB_DIR` names the
//! real SDK's lib folder (`.ci/run` sets it and runs `.ci/real-sdk.d/cli-doctor.sh`);
//! otherwise each test prints a skip line.
//!
//! Only loopback traffic: the device is a closed port on 127.0.0.1.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn real_sdk_dir(test: &str) -> Option<PathBuf> {
    match std::env::var_os("HCNETSDK_LIB_DIR").filter(|v| !v.is_empty()) {
        Some(d) => Some(PathBuf::from(d)),
        None => {
            println!(
                "SKIP: {test}: HCNETSDK_LIB_DIR is not set (the real-SDK tier of .ci/run sets it)"
            );
            None
        }
    }
}

fn hcnet() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hcnet"));
    c.env_remove("HCNETSDK_LIB")
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .env_remove("HCNET_PASSWORD");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn check<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap()
}

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The SDK part of the report: found, real, versioned, initialised.
fn assert_real_sdk_ok(v: &Value) -> String {
    let lib = check(v, "library");
    assert_eq!(lib["status"], "pass", "{lib}");
    assert_eq!(lib["data"]["is_mock"], false, "{lib}");
    let version = lib["data"]["version"]
        .as_str()
        .expect("version reported")
        .to_string();
    assert!(
        version.split('.').count() >= 2 && !version.contains("mock"),
        "{version}"
    );
    assert_eq!(
        check(v, "components")["status"],
        "pass",
        "{}",
        check(v, "components")
    );
    assert_eq!(check(v, "init")["status"], "pass");
    version
}

/// Closed port: version shown, TCP refused, login 7 with network remediation.
fn assert_network_diagnosis(v: &Value) {
    let tcp = check(v, "tcp");
    assert_eq!(tcp["status"], "fail");
    assert_eq!(tcp["data"]["reach"], "refused", "{tcp}");
    let login = check(v, "login");
    assert_eq!(login["status"], "fail");
    assert_eq!(login["code"]["value"], 7, "{login}");
    assert_eq!(login["code"]["name"], "NET_DVR_NETWORK_FAIL_CONNECT");
    assert_eq!(login["code"]["category"], "network");
    assert!(
        login["found"]
            .as_str()
            .unwrap()
            .contains("NET_DVR_Login_V40"),
        "{login}"
    );
    assert!(login["fix"].as_str().unwrap().contains("8000"), "{login}");
    assert_eq!(v["passed"], false);
}

#[test]
fn real_sdk_closed_loopback_port_simulated() {
    let Some(dir) = real_sdk_dir("real_sdk_closed_loopback_port_simulated") else {
        return;
    };
    let o = hcnet()
        .args(["doctor", "--json", "--simulate", "closed-port", "--sdk-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let version = assert_real_sdk_ok(&v);
    assert_network_diagnosis(&v);

    let o = hcnet()
        .args(["doctor", "--simulate", "closed-port", "--sdk-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let t = text(&o);
    println!("{t}");
    assert_eq!(o.status.code(), Some(1));
    assert!(t.contains(&format!("version {version}")), "{t}");
    assert!(
        t.contains("✗ 4. TCP reachability") && t.contains("connection refused"),
        "{t}"
    );
    assert!(
        t.contains("✗ 5. login") && t.contains("code: 7 NET_DVR_NETWORK_FAIL_CONNECT"),
        "{t}"
    );
}

#[test]
fn real_sdk_from_env_with_host_and_port() {
    let Some(_dir) = real_sdk_dir("real_sdk_from_env_with_host_and_port") else {
        return;
    };
    let port = closed_port().to_string();
    let o = hcnet()
        .args([
            "doctor",
            "--json",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ])
        .env("HCNET_PASSWORD", "not-used-the-port-is-closed")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_real_sdk_ok(&v);
    assert_network_diagnosis(&v);
    assert!(!text(&o).contains("not-used-the-port-is-closed"));
}

#[test]
fn real_sdk_without_a_device_checks_the_setup_only() {
    let Some(dir) = real_sdk_dir("real_sdk_without_a_device_checks_the_setup_only") else {
        return;
    };
    let o = hcnet()
        .args(["doctor", "--json", "--sdk-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_real_sdk_ok(&v);
    assert!(check(&v, "tcp")["fix"].as_str().unwrap().contains("--host"));
}

#[test]
fn real_sdk_refuses_mock_only_simulations() {
    let Some(dir) = real_sdk_dir("real_sdk_refuses_mock_only_simulations") else {
        return;
    };
    for sim in ["wrong-password", "no-ptz"] {
        let o = hcnet()
            .args(["doctor", "--simulate", sim, "--sdk-dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{sim}: {}", text(&o));
        assert!(text(&o).contains("not the mock"), "{}", text(&o));
    }
    // And no traffic to TEST-NET-1 with a real SDK.
    let o = hcnet()
        .args(["doctor", "--json", "--host", "192.0.2.10", "--sdk-dir"])
        .arg(&dir)
        .env("HCNET_PASSWORD", "x")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&v, "tcp")["data"]["reach"], "no_route");
    assert_eq!(check(&v, "login")["status"], "skip");
}

#[test]
fn real_sdk_closed_port_without_a_password() {
    // The plain command an integrator types, without HCNET_PASSWORD and without a
    // terminal: the version and the network diagnosis, and no complaint about the password.
    let Some(dir) = real_sdk_dir("real_sdk_closed_port_without_a_password") else {
        return;
    };
    let port = closed_port().to_string();
    let o = hcnet()
        .args([
            "doctor",
            "--json",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--sdk-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_real_sdk_ok(&v);
    assert_eq!(check(&v, "tcp")["data"]["reach"], "refused");
    assert!(check(&v, "tcp")["fix"].as_str().unwrap().contains("8000"));
    let login = check(&v, "login");
    assert_eq!(login["status"], "skip", "{login}");
    assert!(!login.to_string().contains("no password"), "{login}");
}
