//! The faults API of [`EmulatedDevice`] with hand-made clients: offline (every port
//! refuses, open connections close, the same ports listen again when back; the model's own
//! flag is followed too), a drop of the RTSP connections mid-stream, slow answers, a wrong
//! password and a lock set through the model, as the HTTP and HTTPS faces answer them.
//!
//! `cargo test -p hcnetsdk-emulator --test faults`

mod https_common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::faults::WATCH_PERIOD;
use hcnetsdk_emulator::{EmulatedDevice, Emulator};
use https_common::{ADMIN, Link, login, request};

const CAPS: &str = "/ISAPI/Security/sessionLogin/capabilities?username=admin&random=1";

fn connect(port: u16) -> std::io::Result<TcpStream> {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(2),
    )
}

fn ports(d: &EmulatedDevice) -> [u16; 3] {
    [d.http_port(), d.https_port(), d.rtsp_port()]
}

fn all_refuse(d: &EmulatedDevice) -> bool {
    ports(d)
        .iter()
        .all(|p| matches!(connect(*p), Err(e) if e.kind() == ErrorKind::ConnectionRefused))
}

/// An RTSP connection that has had one answer (OPTIONS), kept open.
fn rtsp_connection(port: u16) -> TcpStream {
    let mut s = connect(port).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "OPTIONS rtsp://127.0.0.1:{port}/ RTSP/1.0\r\nCSeq: 1\r\n\r\n"
    )
    .unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(
        buf[..n].starts_with(b"RTSP/1.0 200"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    s
}

/// Whether the server closed `s` (EOF or reset) within 2 s.
fn closed(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut buf = [0u8; 64];
    match s.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != ErrorKind::WouldBlock && e.kind() != ErrorKind::TimedOut,
    }
}

#[test]
fn offline_closes_every_port_and_back_online_reopens_the_same_ones() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let der = emu.certificate().der().to_vec();
    let d = emu.device("dome").unwrap();
    let before = ports(d);
    let (_, cookie) = login(d.http_port(), Link::Plain, ADMIN).unwrap();
    let mut rtsp = rtsp_connection(d.rtsp_port());
    let mut http = connect(d.http_port()).unwrap();

    d.set_online(false).unwrap();
    assert!(!d.is_online() && !d.is_served());
    assert!(!d.model().online(), "through the model's flag");
    assert!(all_refuse(d), "every port refuses while offline");
    assert!(closed(&mut rtsp), "the open RTSP connection closes");
    assert!(closed(&mut http), "the open HTTP connection closes");
    assert!(d.rtsp().is_none());

    d.set_online(true).unwrap();
    assert!(d.is_served());
    assert_eq!(ports(d), before);
    drop(rtsp_connection(d.rtsp_port()));
    // The session survived (a pulled cable, not a reboot); new logins work on both ports.
    let info = request(
        d.http_port(),
        Link::Plain,
        "GET",
        "/ISAPI/System/deviceInfo",
        cookie.as_deref(),
        "",
    );
    assert_eq!(info.unwrap().status, 200);
    let (answer, _) = login(d.https_port(), Link::Tls(&der), ADMIN).unwrap();
    assert_eq!(answer.status, 200);
}

#[test]
fn the_model_flag_alone_is_followed() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let d = emu.device("dome").unwrap();
    let within = |want_refused: bool| {
        let until = Instant::now() + WATCH_PERIOD * 50;
        while all_refuse(d) != want_refused && Instant::now() < until {
            std::thread::sleep(WATCH_PERIOD);
        }
        all_refuse(d) == want_refused
    };
    d.model().set_online(false);
    assert!(within(true), "the ports close after the model's flag");
    assert!(!d.is_served());
    d.model().set_online(true);
    assert!(within(false), "and open again");
    let (answer, _) = login(d.http_port(), Link::Plain, ADMIN).unwrap();
    assert_eq!(answer.status, 200);
}

#[test]
fn a_device_offline_in_the_scenario_opens_when_set_online() {
    let mut scenario = Scenario::default();
    scenario.devices[1].online = false;
    let emu = Emulator::start(&scenario).unwrap();
    let d = &emu.devices()[1];
    assert!(!d.is_served());
    assert!(all_refuse(d));
    d.set_online(true).unwrap();
    let (answer, _) = login(d.http_port(), Link::Plain, ADMIN).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    drop(rtsp_connection(d.rtsp_port()));
    assert_eq!(d.model().rtsp_port(), d.rtsp_port());
    d.reset().unwrap();
    assert!(all_refuse(d), "reset: offline again, as in the scenario");
}

#[test]
fn drop_connections_closes_rtsp_mid_stream_and_accepts_again() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let d = emu.device("dome").unwrap();
    let mut a = rtsp_connection(d.rtsp_port());
    let mut b = rtsp_connection(d.rtsp_port());
    d.drop_connections();
    assert!(closed(&mut a) && closed(&mut b));
    drop(rtsp_connection(d.rtsp_port()));
    assert_eq!(d.rtsp().unwrap().requests().len(), 3);
}

#[test]
fn slow_answers_on_http_and_https() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let der = emu.certificate().der().to_vec();
    let d = emu.device("dome").unwrap();
    let delay = Duration::from_millis(400);
    d.set_delay(delay);
    assert_eq!(d.delay(), delay);
    for (port, link) in [
        (d.http_port(), Link::Plain),
        (d.https_port(), Link::Tls(&der)),
    ] {
        let t = Instant::now();
        assert_eq!(
            request(port, link, "GET", CAPS, None, "").unwrap().status,
            200
        );
        assert!(t.elapsed() >= delay, "{:?}", t.elapsed());
    }
    d.set_delay(Duration::ZERO);
    let t = Instant::now();
    assert_eq!(
        request(d.http_port(), Link::Plain, "GET", CAPS, None, "")
            .unwrap()
            .status,
        200
    );
    assert!(t.elapsed() < delay, "{:?}", t.elapsed());
}

#[test]
fn wrong_password_then_a_lock_set_through_the_model() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let der = emu.certificate().der().to_vec();
    let d = emu.device("dome").unwrap();
    let limit = u32::from(d.model().spec().login_retry_limit);
    assert!(limit > 1, "the dome locks after some wrong passwords");
    let (wrong, cookie) = login(d.http_port(), Link::Plain, ("admin", "nope")).unwrap();
    assert_eq!((wrong.status, cookie), (401, None));
    assert_eq!(wrong.element("lockStatus"), Some("unlock"));
    let left = (limit - 1).to_string();
    assert_eq!(wrong.element("retryLoginTime"), Some(left.as_str()));

    d.lock_for(Duration::from_secs(30));
    for (port, link) in [
        (d.http_port(), Link::Plain),
        (d.https_port(), Link::Tls(&der)),
    ] {
        let (locked, cookie) = login(port, link, ADMIN).unwrap();
        assert_eq!((locked.status, cookie), (401, None), "{}", locked.body);
        assert_eq!(locked.element("lockStatus"), Some("lock"));
        let t: u32 = locked.element("unlockTime").unwrap().parse().unwrap();
        assert!((28..=30).contains(&t), "{t}");
    }
    // The same rule through the model's state directly.
    d.reset().unwrap();
    assert_eq!(
        login(d.http_port(), Link::Plain, ADMIN).unwrap().0.status,
        200
    );
    d.model().state().locked_until = Some(Instant::now() + Duration::from_secs(10));
    let (locked, _) = login(d.http_port(), Link::Plain, ADMIN).unwrap();
    assert_eq!(locked.element("lockStatus"), Some("lock"));
}
