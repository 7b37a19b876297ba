//! The emulator's HTTPS face: every device's third port speaks the same ISAPI over TLS,
//! with the same sessions as its HTTP port, and a certificate made at start that a
//! checking client accepts for 127.0.0.1; the wrong-host and expired certificates (used to
//! probe the real SDK) are refused by such a client; the versions can be limited; every
//! handshake is recorded.
//!
//! `cargo test -p hcnetsdk-emulator --test https`

mod https_common;

use std::sync::Arc;

use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;
use hcnetsdk_emulator::device::DeviceModel;
use hcnetsdk_emulator::http::{HttpConfig, HttpFace, TlsCert, TlsVersions};
use https_common::{ADMIN, Link, login, request};

const INFO: &str = "/ISAPI/System/deviceInfo";

fn dome_face(cert: &TlsCert, versions: TlsVersions) -> HttpFace {
    let device = Scenario::default()
        .into_devices()
        .into_iter()
        .find(|d| d.spec().label == "dome")
        .unwrap();
    let model = Arc::new(DeviceModel::new(Arc::new(device)));
    HttpFace::bind_https(
        model,
        HttpConfig::default(),
        cert.server_config(versions).unwrap(),
    )
    .unwrap()
}

/// The face's handshake records once there are `n` (at most 2 s).
fn handshakes(face: &HttpFace, n: usize) -> Vec<hcnetsdk_emulator::http::TlsRecord> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while face.tls_handshakes().len() < n && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    face.tls_handshakes()
}

#[test]
fn https_serves_the_same_isapi_and_sessions_as_http() {
    let emu = Emulator::start(&Scenario::default()).unwrap();
    let der = emu.certificate().der().to_vec();
    let tls = Link::Tls(&der);
    for d in emu.devices().iter().filter(|d| d.is_served()) {
        let ports = [d.http_port(), d.https_port(), d.rtsp_port()];
        assert!(ports.iter().all(|p| *p != 0), "{ports:?}");
        assert_eq!(d.http().unwrap().https_port(), Some(d.https_port()));
    }
    let d = emu.device("dome").unwrap();
    // Logged in over TLS (the client checks the certificate for 127.0.0.1): the cookie
    // works on both ports.
    let (answer, cookie) = login(d.https_port(), tls, ADMIN).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let cookie = cookie.unwrap();
    for (port, link) in [(d.https_port(), tls), (d.http_port(), Link::Plain)] {
        let info = request(port, link, "GET", INFO, Some(&cookie), "").unwrap();
        assert_eq!(info.status, 200, "{}", info.body);
        assert_eq!(info.element("model"), Some(d.model().spec().model.as_str()));
    }
    // Without the cookie: the same 401 on both; an unknown path: the same 404.
    for (port, link) in [(d.https_port(), tls), (d.http_port(), Link::Plain)] {
        assert_eq!(
            request(port, link, "GET", INFO, None, "").unwrap().status,
            401
        );
        let nope = request(port, link, "GET", "/ISAPI/Nope", Some(&cookie), "").unwrap();
        assert_eq!(nope.status, 404);
    }
    // Logout over plain HTTP ends the session on the TLS port too.
    let out = request(
        d.http_port(),
        Link::Plain,
        "PUT",
        "/ISAPI/Security/sessionLogout",
        Some(&cookie),
        "",
    );
    assert_eq!(out.unwrap().status, 200);
    let after = request(d.https_port(), tls, "GET", INFO, Some(&cookie), "").unwrap();
    assert_eq!(after.status, 401);
    // One log for both ports; every TLS handshake recorded.
    let face = d.http().unwrap();
    assert_eq!(face.requests().len(), 10);
    let hs = face.tls_handshakes();
    assert_eq!(hs.len(), 6, "{hs:?}");
    for h in &hs {
        assert_eq!(h.error, None);
        assert_eq!(h.version.as_deref(), Some("TLSv1_3"));
        assert!(h.offered_versions.contains(&0x0304), "{h:?}");
        assert_eq!(h.server_name, None, "rustls sends no SNI for an IP address");
    }
}

#[test]
fn a_checking_client_refuses_the_wrong_host_and_the_expired_certificates() {
    for (what, cert) in [
        (
            "wrong host",
            TlsCert::for_names(&["camera.invalid"]).unwrap(),
        ),
        ("expired", TlsCert::expired().unwrap()),
    ] {
        let face = dome_face(&cert, TlsVersions::Both);
        let port = face.https_port().unwrap();
        let e = match request(port, Link::Tls(cert.der()), "GET", INFO, None, "") {
            Ok(a) => panic!("{what}: a checking client got {}", a.status),
            Err(e) => e.to_string(),
        };
        println!("{what}: {e}");
        let expected = if what == "expired" {
            "expired"
        } else {
            "not valid for name"
        };
        assert!(e.to_lowercase().contains(expected), "{what}: {e}");
        // The server side saw the client give up (recorded just after).
        let hs = handshakes(&face, 1);
        assert_eq!(hs.len(), 1);
        assert!(hs[0].error.is_some(), "{hs:?}");
        assert!(face.requests().is_empty());
    }
}

#[test]
fn the_versions_can_be_limited() {
    let cert = TlsCert::self_signed().unwrap();
    for (versions, agreed) in [
        (TlsVersions::Tls12, "TLSv1_2"),
        (TlsVersions::Tls13, "TLSv1_3"),
    ] {
        let face = dome_face(&cert, versions);
        let caps = "/ISAPI/Security/sessionLogin/capabilities?username=admin&random=1";
        let a = request(
            face.https_port().unwrap(),
            Link::Tls(cert.der()),
            "GET",
            caps,
            None,
            "",
        );
        assert_eq!(a.unwrap().status, 200);
        let hs = face.tls_handshakes();
        assert_eq!(hs[0].version.as_deref(), Some(agreed), "{versions:?}");
        assert_eq!(
            hs[0].offered_versions,
            [0x0304, 0x0303],
            "rustls offers 1.3 and 1.2"
        );
    }
}

#[test]
fn a_plain_request_on_the_tls_port_gets_no_answer() {
    let face = dome_face(&TlsCert::self_signed().unwrap(), TlsVersions::Both);
    let e = request(
        face.https_port().unwrap(),
        Link::Plain,
        "GET",
        INFO,
        None,
        "",
    );
    assert!(e.is_err() || e.unwrap().status == 0);
    assert!(face.requests().is_empty());
    let hs = handshakes(&face, 1);
    assert_eq!(hs.len(), 1);
    assert_eq!(hs[0].hello_version, None, "{hs:?}");
    assert!(hs[0].error.is_some(), "{hs:?}");
}
