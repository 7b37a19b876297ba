//! [`Emulator::start`] on the default scenario: every device on its own loopback ports,
//! the ISAPI login against the device model's users and lock-out rules, the model's
//! documents (deviceInfo, adminAccesses naming the RTSP port), roles, logout, and the RTSP
//! face streaming each device's codec (ffprobe).
//!
//! `cargo test -p hcnetsdk-emulator --test emulator`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::http::hash::{HashParams, session_login_hash};
use hcnetsdk_emulator::http::{Route, xml};
use hcnetsdk_emulator::{EmulatedDevice, Emulator};

const ADMIN: (&str, &str) = ("admin", "Admin12345");
const VIEWER: (&str, &str) = ("viewer", "View12345");

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn element(&self, name: &str) -> Option<&str> {
        xml::element(&self.body, name)
    }
}

fn request(port: u16, method: &str, target: &str, cookie: Option<&str>, body: &str) -> Answer {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{cookie}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Answer {
        status,
        headers: head.to_owned(),
        body: body.to_owned(),
    }
}

/// The handshake: capabilities, then SessionLogin with the hash of `password`. The
/// answer, and the cookie on success.
fn login(port: u16, (user, password): (&str, &str)) -> (Answer, Option<String>) {
    let cap = request(
        port,
        "GET",
        &format!("/ISAPI/Security/sessionLogin/capabilities?username={user}&random=1"),
        None,
        "",
    );
    assert_eq!(cap.status, 200, "{}", cap.body);
    let id = cap.element("sessionID").unwrap().to_owned();
    let params = HashParams {
        user,
        salt: cap.element("salt").unwrap(),
        challenge: cap.element("challenge").unwrap(),
        iterations: cap.element("iterations").unwrap().parse().unwrap(),
        irreversible: cap.element("isIrreversible") == Some("true"),
    };
    let hash = session_login_hash(&params, password);
    let body = format!(
        "<SessionLogin><userName>{user}</userName><password>{hash}</password>\
         <sessionID>{id}</sessionID></SessionLogin>"
    );
    let answer = request(port, "POST", "/ISAPI/Security/sessionLogin", None, &body);
    let cookie = (answer.status == 200).then(|| {
        assert!(answer.headers.contains("WebSession="), "{}", answer.headers);
        format!("WebSession={id}")
    });
    (answer, cookie)
}

fn logged_in(d: &EmulatedDevice, who: (&str, &str)) -> String {
    let (answer, cookie) = login(d.http_port(), who);
    assert_eq!(answer.status, 200, "{}", answer.body);
    cookie.unwrap()
}

#[test]
fn every_device_of_the_default_scenario_gets_its_own_ports() {
    let scenario = Scenario::default();
    let emu = Emulator::start(&scenario).unwrap();
    assert_eq!(emu.devices().len(), scenario.devices.len());
    let mut ports = Vec::new();
    for (d, spec) in emu.devices().iter().zip(&scenario.devices) {
        assert_eq!(d.label(), spec.label);
        assert_eq!(d.address(), spec.address);
        assert!(d.is_served());
        assert_eq!(d.model().rtsp_port(), d.rtsp_port());
        ports.extend([d.http_port(), d.rtsp_port()]);
    }
    let n = ports.len();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), n, "a port is shared");
    assert_eq!(emu.device("nvr").unwrap().address(), "192.0.2.20");
}

#[test]
fn login_device_info_admin_accesses_and_logout() {
    let scenario = Scenario::default();
    let emu = Emulator::start(&scenario).unwrap();
    // Every device is checked: `zip` would stop early (or at once) on a short list.
    assert_eq!(emu.devices().len(), scenario.devices.len());
    assert!(!scenario.devices.is_empty());
    for (d, spec) in emu.devices().iter().zip(&scenario.devices) {
        let port = d.http_port();
        let cookie = logged_in(d, ADMIN);
        assert_eq!(d.model().state().sessions, 1);
        let info = request(port, "GET", "/ISAPI/System/deviceInfo", Some(&cookie), "");
        assert_eq!(info.status, 200, "{}", info.body);
        assert_eq!(info.element("serialNumber"), spec.serial.as_deref());
        assert_eq!(info.element("model"), Some(spec.model.as_str()));
        let access = request(
            port,
            "GET",
            "/ISAPI/Security/adminAccesses",
            Some(&cookie),
            "",
        );
        assert_eq!(access.status, 200, "{}", access.body);
        let rtsp = format!(
            "<protocol>RTSP</protocol>\n<portNo>{}</portNo>",
            d.rtsp_port()
        );
        assert!(access.body.contains(&rtsp), "{}", access.body);
        let out = request(
            port,
            "PUT",
            "/ISAPI/Security/sessionLogout",
            Some(&cookie),
            "",
        );
        assert_eq!(out.status, 200, "{}", out.body);
        assert_eq!(
            d.model().state().sessions,
            0,
            "logout gives the session back"
        );
        let after = request(port, "GET", "/ISAPI/System/deviceInfo", Some(&cookie), "");
        assert_eq!(after.status, 401);
    }
}

#[test]
fn wrong_passwords_count_on_the_device_model_and_roles_decide() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let dome = emu.device("dome").unwrap();
    let limit = u32::from(dome.model().spec().login_retry_limit);
    let (wrong, cookie) = login(dome.http_port(), ("admin", "nope"));
    assert_eq!((wrong.status, cookie), (401, None));
    let left = (limit - 1).to_string();
    assert_eq!(wrong.element("retryLoginTime"), Some(left.as_str()));
    assert_eq!(dome.model().state().failed_logins, 1);

    // The same PTZ request: the viewer's role refuses it, the admin's moves the head.
    let ptz = "<PTZData><pan>50</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";
    let path = "/ISAPI/PTZCtrl/channels/1/continuous";
    let viewer = logged_in(dome, VIEWER);
    let refused = request(dome.http_port(), "PUT", path, Some(&viewer), ptz);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.element("subStatusCode"), Some("lowPrivilege"));
    let admin = logged_in(dome, ADMIN);
    let moved = request(dome.http_port(), "PUT", path, Some(&admin), ptz);
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(dome.model().state().failed_logins, 0, "a success resets it");

    // The device's own 404 is logged as a request nobody answers.
    let nope = request(dome.http_port(), "GET", "/ISAPI/Nope", Some(&admin), "");
    assert_eq!(nope.status, 404);
    assert_eq!(nope.element("subStatusCode"), Some("notSupport"));
    let log = dome.http().unwrap().requests();
    let last = log.last().unwrap();
    assert_eq!(
        (last.path.as_str(), last.route),
        ("/ISAPI/Nope", Route::NotFound)
    );
}

#[test]
fn a_device_offline_in_the_scenario_refuses_connections() {
    let mut scenario = Scenario::default();
    scenario.devices[1].online = false;
    let emu = Emulator::start(&scenario).unwrap();
    let bullet = emu.device("bullet").unwrap();
    assert!(!bullet.is_served());
    for port in [bullet.http_port(), bullet.rtsp_port()] {
        let err = TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{port}");
    }
    assert!(emu.device("dome").unwrap().is_served());
}

#[test]
fn dropping_the_emulator_closes_its_ports() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let ports: Vec<u16> = emu
        .devices()
        .iter()
        .flat_map(|d| [d.http_port(), d.rtsp_port()])
        .collect();
    drop(emu);
    for port in ports {
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "{port}");
    }
}

fn have_ffprobe() -> bool {
    let ok = Command::new("ffprobe")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "ffprobe missing in CI (CI is set)"
        );
        eprintln!("skipped: ffprobe is not installed (and CI is unset)");
    }
    ok
}

/// `codec,width,height` of every stream ffprobe reads from `url` over RTSP/TCP, bounded.
fn probe(url: &str) -> String {
    let mut child = Command::new("ffprobe")
        .args(["-v", "error", "-rtsp_transport", "tcp", "-show_entries"])
        .args(["stream=codec_name,width,height", "-of", "csv=p=0", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "ffprobe {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn ffprobe_reads_each_device_codec_over_rtsp() {
    if !have_ffprobe() {
        return;
    }
    let emu = Emulator::start(&Scenario::default()).unwrap();
    for (label, stream, want) in [
        ("h265", 101, "hevc,640,360"),
        ("bullet", 101, "h264,640,360"),
        ("h265", 102, "hevc,320,180"),
    ] {
        let d = emu.device(label).unwrap();
        let url = format!(
            "rtsp://{}:{}@127.0.0.1:{}/ISAPI/Streaming/channels/{stream}",
            ADMIN.0,
            ADMIN.1,
            d.rtsp_port()
        );
        let streams = probe(&url);
        assert!(
            streams.lines().any(|l| l.trim() == want),
            "{label} {stream}: {streams}"
        );
        if label == "h265" {
            assert!(
                streams.lines().any(|l| l.trim().starts_with("pcm_mulaw")),
                "the scenario's G.711µ audio: {streams}"
            );
        }
    }
}
