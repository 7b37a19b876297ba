//! `hcnet emulate`: the ports printed before serving (one JSON object per device with
//! `--json`), an HTTP request to a printed port, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hcnetsdk_device::Scenario;

fn emulate(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .arg("emulate")
        .args(args)
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hcnet emulate")
}

/// `n` lines of stdout, each a JSON object.
fn json_lines(child: &mut Child, n: usize) -> Vec<serde_json::Value> {
    let mut out = BufReader::new(child.stdout.take().unwrap());
    (0..n)
        .map(|_| {
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
        })
        .collect()
}

/// One raw HTTP GET; the status line and body.
fn get(port: u16, target: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    raw
}

/// SIGTERM, then wait (bounded) for the exit; kills it if it hangs.
fn terminate(mut child: Child) -> std::process::ExitStatus {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("hcnet emulate did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn json_lines_name_the_ports_before_serving_and_sigterm_stops_it() {
    let scenario = Scenario::default();
    let mut child = emulate(&["--json"]);
    let devices = json_lines(&mut child, scenario.devices.len());
    for (d, spec) in devices.iter().zip(&scenario.devices) {
        assert_eq!(d["label"], spec.label.as_str(), "{d}");
        assert_eq!(d["address"], spec.address.as_str(), "{d}");
        assert!(d["http_port"].as_u64().is_some_and(|p| p > 0), "{d}");
        assert!(d["rtsp_port"].as_u64().is_some_and(|p| p > 0), "{d}");
        assert_ne!(d["http_port"], d["rtsp_port"], "{d}");
        assert!(d["https_port"].as_u64().is_some_and(|p| p > 0), "{d}");
        assert_ne!(d["http_port"], d["https_port"], "{d}");
    }
    let port = u16::try_from(devices[0]["http_port"].as_u64().unwrap()).unwrap();
    let answer = get(
        port,
        "/ISAPI/Security/sessionLogin/capabilities?username=admin&random=1",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("<SessionLoginCap"), "{answer}");
    let mut stderr = child.stderr.take().unwrap();
    let status = terminate(child);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("SIGTERM: stopped"), "{log}");
    assert!(
        log.contains("/ISAPI/Security/sessionLogin/capabilities"),
        "the request is logged: {log}"
    );
}

#[test]
fn a_scenario_file_and_the_human_table() {
    let dir = std::env::temp_dir().join(format!("hcnet-emulate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("one.toml");
    std::fs::write(
        &file,
        "[[device]]\nlabel = \"cam\"\naddress = \"192.0.2.99\"\n\
         [[device.user]]\nname = \"admin\"\npassword = \"Pw12345678\"\nrole = \"admin\"\n",
    )
    .unwrap();
    let mut child = emulate(&["--scenario", file.to_str().unwrap()]);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut header, mut row) = (String::new(), String::new());
    out.read_line(&mut header).unwrap();
    out.read_line(&mut row).unwrap();
    assert!(
        header.contains("http_port") && header.contains("rtsp_port"),
        "{header}"
    );
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[..2], ["cam", "192.0.2.99"], "{row}");
    let port: u16 = cols[2].parse().unwrap();
    assert!(get(port, "/ISAPI/System/deviceInfo").starts_with("HTTP/1.1 401"));
    assert!(terminate(child).success());

    let missing = Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .args(["emulate", "--scenario"])
        .arg(dir.join("nope.toml"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.toml"));
    let _ = std::fs::remove_dir_all(&dir);
}
