//! The real HCNetSDK logs into the emulator over HTTPS (`byHttps = 1`, the safe layer's
//! `LoginBuilder::https(true)`), in ISAPI login mode: does it speak TLS, which versions does
//! it offer, does it check the certificate (self-signed, wrong host name, expired), and does
//! the preview's RTSP stay plain. What it does is written down in `emulator/README.md`
//! ("HTTPS"); this file asserts it.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as `.ci/run`
//! does with `.ci/real-sdk.d/emulator-https.sh`:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test https_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test https_real_sdk -- --nocapture --test-threads=1'
//! ```

mod real_sdk_common;
use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use real_sdk_common::shared;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk::{LoginMode, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;
use hcnetsdk_emulator::device::DeviceModel;
use hcnetsdk_emulator::http::{HttpConfig, HttpFace, TlsCert, TlsRecord, TlsVersions};

const USER: &str = "admin";
const PASSWORD: &str = "Admin12345";
const LABEL: &str = "dome";
/// The versions the SDK's `ClientHello` offers: TLS 1.3, 1.2, 1.1, 1.0.
const OFFERED: [u16; 4] = [0x0304, 0x0303, 0x0302, 0x0301];

/// The tests share one SDK; its timeouts are set per test, so one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn login(sdk: &Sdk, port: u16, https: bool) -> hcnetsdk::Result<Session> {
    Session::builder(sdk)
        .address("127.0.0.1")
        .port(port)
        .user(USER)
        .password(PASSWORD)
        .mode(LoginMode::Isapi)
        .https(https)
        .login()
}

/// The dome of the default scenario behind an HTTPS face with `cert`.
fn face_with(cert: &TlsCert, versions: TlsVersions) -> HttpFace {
    let device = Scenario::default()
        .into_devices()
        .into_iter()
        .find(|d| d.spec().label == LABEL)
        .expect("the default scenario's dome");
    let model = Arc::new(DeviceModel::new(Arc::new(device)));
    let tls = cert.server_config(versions).expect("TLS config");
    HttpFace::bind_https(model, HttpConfig::default(), tls).expect("bind")
}

fn hex(v: &[u16]) -> Vec<String> {
    v.iter().map(|v| format!("{v:#06x}")).collect()
}

fn print_tls(what: &str, log: &[TlsRecord]) {
    println!("{what}: {} handshakes", log.len());
    for r in log {
        println!(
            "  hello {:?} offered {:?} sni {:?} suites {} -> {:?} {:?} error {:?}",
            r.hello_version.map(|v| format!("{v:#06x}")),
            hex(&r.offered_versions),
            r.server_name,
            r.offered_suites,
            r.version,
            r.suite,
            r.error
        );
    }
}

/// The outcome of one HTTPS login: the code (0: logged in), and the face's logs.
fn try_cert(sdk: &Sdk, cert: &TlsCert, versions: TlsVersions, what: &str) -> (u32, HttpFace) {
    let face = face_with(cert, versions);
    let code = match login(sdk, face.https_port().unwrap(), true) {
        Ok(session) => {
            println!("{what}: logged in, serial {}", session.device_info().serial);
            drop(session);
            0
        }
        Err(e) => {
            println!("{what}: {e:#}");
            e.raw_code().unwrap_or(u32::MAX)
        }
    };
    print_tls(what, &face.tls_handshakes());
    for r in face.requests() {
        println!("  {} {} {}", r.method, r.path, r.status);
    }
    (code, face)
}

#[test]
fn real_sdk_logs_in_over_tls_and_checks_no_certificate() {
    let Some(dir) = real_sdk_dir("real_sdk_logs_in_over_tls_and_checks_no_certificate") else {
        return;
    };
    let _one = serial();
    let sdk = shared(&dir, hcnetsdk::LogLevel::Debug);
    let cases = [
        ("self-signed", TlsCert::self_signed().unwrap()),
        (
            "wrong host name",
            TlsCert::for_names(&["camera.invalid"]).unwrap(),
        ),
        ("expired", TlsCert::expired().unwrap()),
    ];
    for (what, cert) in &cases {
        let (code, face) = try_cert(sdk, cert, TlsVersions::Both, what);
        let tls = face.tls_handshakes();
        assert_eq!(code, 0, "{what}: the SDK takes any certificate");
        // One connection (keep-alive) for the whole login, from the capabilities to the
        // logout.
        assert_eq!(tls.len(), 1, "{what}: {tls:?}");
        let hello = &tls[0];
        assert_eq!(hello.error, None, "{what}");
        assert_eq!(hello.hello_version, Some(0x0303));
        assert_eq!(hello.offered_versions, OFFERED, "{what}");
        // An IP address as the server name (RFC 6066 allows host names only).
        assert_eq!(hello.server_name.as_deref(), Some("127.0.0.1"));
        assert_eq!(hello.version.as_deref(), Some("TLSv1_3"));
        let paths: Vec<String> = face.requests().iter().map(|r| r.path.clone()).collect();
        assert!(
            paths.iter().any(|p| p == "/ISAPI/System/deviceInfo"),
            "{paths:?}"
        );
        assert_eq!(
            paths.last().map(String::as_str),
            Some("/ISAPI/Security/sessionLogout")
        );
    }
}

#[test]
fn real_sdk_tls_versions() {
    let Some(dir) = real_sdk_dir("real_sdk_tls_versions") else {
        return;
    };
    let _one = serial();
    let sdk = shared(&dir, hcnetsdk::LogLevel::Debug);
    let cert = TlsCert::self_signed().unwrap();
    for (versions, agreed) in [
        (TlsVersions::Both, "TLSv1_3"),
        (TlsVersions::Tls12, "TLSv1_2"),
        (TlsVersions::Tls13, "TLSv1_3"),
    ] {
        let what = format!("{versions:?}");
        let (code, face) = try_cert(sdk, &cert, versions, &what);
        let tls = face.tls_handshakes();
        assert_eq!(code, 0, "{what}");
        assert_eq!(tls.len(), 1, "{what}: {tls:?}");
        assert_eq!(tls[0].offered_versions, OFFERED, "{what}");
        assert_eq!(tls[0].version.as_deref(), Some(agreed), "{what}");
    }
}

#[test]
fn real_sdk_https_login_then_preview_over_plain_rtsp() {
    let Some(dir) = real_sdk_dir("real_sdk_https_login_then_preview_over_plain_rtsp") else {
        return;
    };
    let _one = serial();
    let sdk = shared(&dir, hcnetsdk::LogLevel::Debug);
    let emulator = Emulator::start(&Scenario::default()).unwrap();
    let d = emulator.device(LABEL).unwrap();
    let session = login(sdk, d.https_port(), true).unwrap_or_else(|e| panic!("{e:#}"));
    let packets = Arc::new(Mutex::new(0usize));
    let counted = Arc::clone(&packets);
    let started = Instant::now();
    let preview = session
        .preview(1)
        .start(move |_p| *counted.lock().unwrap() += 1)
        .unwrap_or_else(|e| panic!("{e:#}"));
    while *packets.lock().unwrap() < 20 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    preview.stop().unwrap();
    // The TEARDOWN is logged just after the stop returns.
    let rtsp_log = || -> Vec<String> {
        let rtsp = d.rtsp().unwrap();
        let log = rtsp.requests();
        log.iter()
            .map(|r| format!("{} {} {}", r.method, r.uri, r.status))
            .collect()
    };
    let until = Instant::now() + Duration::from_secs(3);
    while !rtsp_log().iter().any(|l| l.starts_with("TEARDOWN")) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let rtsp = rtsp_log();
    println!("RTSP: {rtsp:#?}");
    print_tls("https login", &d.http().unwrap().tls_handshakes());
    for r in d.http().unwrap().requests() {
        println!("  {} {} {}", r.method, r.path, r.status);
    }
    println!("packets {}", packets.lock().unwrap());
    assert!(*packets.lock().unwrap() >= 20);
    // The login and adminAccesses went over TLS (one handshake); the RTSP face, which
    // speaks no TLS, got the usual plain exchange on the port adminAccesses names.
    let http = d.http().unwrap();
    assert_eq!(http.tls_handshakes().len(), 1);
    assert!(
        http.requests()
            .iter()
            .any(|r| r.path == "/ISAPI/Security/adminAccesses")
    );
    let methods: Vec<&str> = rtsp.iter().map(|l| l.split(' ').next().unwrap()).collect();
    // The real SDK sends its TEARDOWN after StopRealPlay returns; in one CI run it had not
    // reached the log 3 s later, so it is allowed, not required (emulator/README.md says
    // the same of the plain-HTTP preview tests).
    assert_eq!(
        methods[..methods.len().min(4)],
        ["DESCRIBE", "DESCRIBE", "SETUP", "PLAY"],
        "{rtsp:?}"
    );
    assert!(
        methods.len() == 4 || methods[4..] == ["TEARDOWN"],
        "nothing but a TEARDOWN after PLAY: {rtsp:?}"
    );
    assert!(
        rtsp[1].ends_with(" 200") && rtsp[3].ends_with(" 200"),
        "{rtsp:?}"
    );
}

#[test]
fn real_sdk_https_login_to_a_plain_port_and_back() {
    let Some(dir) = real_sdk_dir("real_sdk_https_login_to_a_plain_port_and_back") else {
        return;
    };
    let _one = serial();
    let sdk = shared(&dir, hcnetsdk::LogLevel::Debug);
    let face = face_with(&TlsCert::self_signed().unwrap(), TlsVersions::Both);
    // HTTPS to the plain port: the TLS handshake fails at once (the face answers the
    // ClientHello with an HTTP 400): 159, NET_ERR_SSL_CONNECT_FAILED.
    let t = Instant::now();
    let e = login(sdk, face.port(), true).expect_err("https to a plain port");
    println!("https to the plain port: {e:#} in {:?}", t.elapsed());
    assert_eq!(e.raw_code(), Some(159), "{e:#}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // Plain HTTP to the TLS port: the face (rustls) refuses the non-TLS bytes and closes
    // the connection at once: 73, NET_DVR_SOCKETCLOSE_ERROR.
    let t = Instant::now();
    let e = login(sdk, face.https_port().unwrap(), false).expect_err("http to a TLS port");
    println!("http to the TLS port: {e:#} in {:?}", t.elapsed());
    assert_eq!(e.raw_code(), Some(73), "{e:#}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    print_tls("mixed", &face.tls_handshakes());
}
