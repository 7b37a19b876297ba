//! `hcnet doctor` against the real HCNetSDK. Runs only when `HCNETSDK_LIB_DIR` names the
//! real SDK's lib folder (`.ci/run` sets it and runs `.ci/real-sdk.d/cli-doctor.sh`);
//! otherwise each test prints a skip line.
//!
//! Only loopback traffic: the device is a closed port on 127.0.0.1.

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use hcnetsdk_test_support::{loopback, sdk_folder};
use std::process::{Command, Output};

use serde_json::Value;

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
    let port = loopback::closed_port().to_string();
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
    let port = loopback::closed_port().to_string();
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

/// `hcnet doctor --json` with the real SDK and extra arguments.
fn real_doctor(dir: &std::path::Path, args: &[&str], password: Option<&str>) -> Value {
    let mut c = hcnet();
    c.args(["doctor", "--json", "--sdk-dir"])
        .arg(dir)
        .args(args);
    if let Some(p) = password {
        c.env("HCNET_PASSWORD", p);
    }
    let o = c.output().unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)))
}

/// Issue 12 against the real SDK: each wrong kind of port (simulated on loopback) is named
/// by check 4's probe, and check 5's fix says what the port is and names the SDK port.
#[test]
fn real_sdk_wrong_ports_are_named() {
    let Some(dir) = real_sdk_dir("real_sdk_wrong_ports_are_named") else {
        return;
    };
    for (sim, answer, says) in [
        ("wrong-service", "http", &["web port", "8000"][..]),
        ("rtsp-port", "rtsp", &["RTSP", "554"][..]),
        ("tls-port", "tls", &["TLS", "8000"][..]),
        ("silent-port", "silent", &["answered nothing"][..]),
    ] {
        let v = real_doctor(&dir, &["--simulate", sim], None);
        assert_eq!(check(&v, "tcp")["data"]["answer"], answer, "{sim}: {v}");
        let login = check(&v, "login");
        assert_eq!(login["status"], "fail", "{sim}: {login}");
        let fix = login["fix"].as_str().unwrap_or_default();
        for want in says {
            assert!(fix.contains(want), "{sim}: {want:?} missing from {fix}");
        }
    }
}

/// Issue 12, row 1, with the real SDK: a web server on the port.
#[test]
fn real_sdk_the_web_port_instead_of_the_sdk_port() {
    let Some(dir) = real_sdk_dir("real_sdk_the_web_port_instead_of_the_sdk_port") else {
        return;
    };
    let port = loopback::web_server();
    let port = port.to_string();
    let v = real_doctor(&dir, &["--host", "127.0.0.1", "--port", &port], Some("x"));
    assert_eq!(check(&v, "tcp")["data"]["answer"], "http", "{v}");
    let login = check(&v, "login");
    let fix = login["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("web port") && fix.contains("8000") && fix.contains("ISAPI"),
        "{login}"
    );
    // An everyday job prints the library's `{err:#}`, which says the same.
    let o = hcnet()
        .args(["info", "--host", "localhost", "--port", &port, "--sdk-dir"])
        .arg(&dir)
        .env("HCNET_PASSWORD", "x")
        .output()
        .unwrap();
    let t = text(&o);
    println!("{t}");
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains(&format!("port {port} speaks HTTP")), "{t}");
    assert!(t.contains("8000") && t.contains("Isapi"), "{t}");
}

/// Issue 12, rows 2 and 3, with the real SDK: `localhost` works (7 on a closed port, not
/// the SDK's 17) and `999.1.1.1` is named as no address before any SDK call.
#[test]
fn real_sdk_localhost_and_an_impossible_address() {
    let Some(dir) = real_sdk_dir("real_sdk_localhost_and_an_impossible_address") else {
        return;
    };
    let port = loopback::closed_port().to_string();
    let v = real_doctor(&dir, &["--host", "localhost", "--port", &port], Some("x"));
    assert_eq!(check(&v, "login")["code"]["value"], 7, "{v}");
    let v = real_doctor(&dir, &["--host", "999.1.1.1"], Some("x"));
    let found = check(&v, "tcp")["found"].as_str().unwrap_or_default();
    assert!(
        found.contains("999.1.1.1") && found.contains("not an IPv4 address"),
        "{v}"
    );
    assert_eq!(check(&v, "login")["status"], "skip", "{v}");
}

/// Issue 12, the missing libcrypto, with the real SDK: a copy of its folder (symlinks)
/// without libcrypto fails check 2, naming libcrypto and the paths looked at.
#[cfg(unix)]
#[test]
fn real_sdk_without_libcrypto_fails_check_2() {
    let Some(dir) = real_sdk_dir("real_sdk_without_libcrypto_fails_check_2") else {
        return;
    };
    let farm = sdk_folder::real_without_libcrypto(&dir, "hcnet-real-nocrypto");
    let v = real_doctor(&farm, &[], None);
    let c = check(&v, "components");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["found"].as_str().unwrap().contains("libcrypto"), "{c}");
    let looked = farm.join("libcrypto.so.1.1").display().to_string();
    assert!(c["details"].to_string().contains(&looked), "{c}");
    let o = hcnet()
        .args(["doctor", "--sdk-dir"])
        .arg(&farm)
        .output()
        .unwrap();
    let t = text(&o);
    println!("{t}");
    assert!(
        t.contains("✗ 2. SDK components") && t.contains("libcrypto"),
        "{t}"
    );
    std::fs::remove_dir_all(&farm).unwrap();
}
