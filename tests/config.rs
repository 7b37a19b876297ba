//! Device configuration against the mock SDK: the typed settings on classic and ISAPI
//! logins (the same model behind both faces), the generic `ConfigStruct` path, input
//! checks, reboot and shutdown.

use hcnetsdk_test_support::safe as support;

use std::net::Ipv4Addr;
use std::time::Duration;

use hcnetsdk::config::{DeviceSettings, Ntp, VideoCodec};
use hcnetsdk::{EventKind, LoginMode, Password, Session, sys};
use support::{Device, Kind, PASSWORD, assert_invalid_input, assert_sdk_error, sdk};

fn isapi_login(dev: &Device) -> Session {
    Session::builder(sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(Password::new(PASSWORD))
        .mode(LoginMode::Isapi)
        .login()
        .expect("ISAPI login to a mock device")
}

fn ntp(server: &str, port: u16, interval: u16) -> Ntp {
    let mut n = Ntp::new(server);
    n.enabled = false;
    n.port = port;
    n.interval_minutes = interval;
    n
}

fn set_then_read_ntp(session: &Session) {
    let config = session.config();
    let before = config.ntp().unwrap();
    let want = ntp("time.example.net", 1123, 30);
    assert_ne!(before, want);
    config.set_ntp(&want).unwrap();
    assert_eq!(config.ntp().unwrap(), want);
    let by_address = ntp("192.0.2.123", 123, 1440);
    config.set_ntp(&by_address).unwrap();
    assert_eq!(config.ntp().unwrap(), by_address);
}

#[test]
fn ntp_set_then_read_back_classic() {
    let dev = Device::new(Kind::Dome);
    set_then_read_ntp(&dev.login());
}

#[test]
fn ntp_set_then_read_back_isapi() {
    let dev = Device::new(Kind::Dome);
    let session = isapi_login(&dev);
    set_then_read_ntp(&session);
    assert!(
        dev.calls("NET_DVR_STDXMLConfig") > 0,
        "the ISAPI login went through ISAPI"
    );
    assert_eq!(dev.calls("NET_DVR_GetDVRConfig"), 0);
}

#[test]
fn a_value_set_through_one_face_is_read_through_the_other() {
    let dev = Device::new(Kind::Dome);
    let classic = dev.login();
    let isapi = isapi_login(&dev);
    // `enabled` stays off here: over ISAPI it is `/ISAPI/System/time`'s `timeMode`, the
    // time module's document.
    let n = ntp("one.example", 124, 15);
    classic.config().set_ntp(&n).unwrap();
    let seen = isapi.config().ntp().unwrap();
    assert_eq!(
        (seen.server.as_str(), seen.port, seen.interval_minutes),
        ("one.example", 124, 15)
    );
    let back = ntp("two.example", 125, 16);
    isapi.config().set_ntp(&back).unwrap();
    assert_eq!(classic.config().ntp().unwrap(), back);

    let mut net = classic.config().network().unwrap();
    net.dns1 = Ipv4Addr::new(192, 0, 2, 54);
    net.mask = Ipv4Addr::new(255, 255, 0, 0);
    isapi.config().set_network(&net).unwrap();
    assert_eq!(classic.config().network().unwrap(), net);
}

#[test]
fn device_network_and_compression_round_trip_on_both_logins() {
    let dev = Device::new(Kind::Dome);
    for (i, session) in [dev.login(), isapi_login(&dev)].iter().enumerate() {
        let config = session.config();
        let want = DeviceSettings::new(format!("gate {i}"), 40 + i as u32);
        config.set_device(&want).unwrap();
        assert_eq!(config.device().unwrap(), want);

        let mut net = config.network().unwrap();
        assert_eq!(net.ip.to_string(), dev.address);
        net.gateway = Ipv4Addr::new(192, 0, 2, 250 - i as u8);
        net.dns2 = Ipv4Addr::new(192, 0, 2, 60 + i as u8);
        config.set_network(&net).unwrap();
        assert_eq!(config.network().unwrap(), net);

        let mut c = config.compression(1).unwrap();
        c.main.codec = VideoCodec::H265;
        c.main.width = 1280;
        c.main.height = 720;
        c.main.bitrate_kbps = 2048 + i as u32;
        c.main.fps = 15;
        c.sub.fps = 12;
        config.set_compression(1, &c).unwrap();
        assert_eq!(config.compression(1).unwrap(), c);
    }
}

#[test]
fn generic_path_reads_the_same_struct() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let config = session.config();
    config.set_ntp(&ntp("raw.example", 321, 7)).unwrap();
    let raw: sys::NET_DVR_NTPPARA = config.get(0).unwrap();
    assert_eq!(&raw.sNTPServer[..12], b"raw.example\0");
    assert_eq!((raw.wNtpPort, raw.wInterval), (321, 7));
    let mut raw2 = raw;
    raw2.wNtpPort = 322;
    config.set(0, &raw2).unwrap();
    assert_eq!(config.ntp().unwrap().port, 322);
    let cfg: sys::NET_DVR_COMPRESSIONCFG_V30 = config.get(1).unwrap();
    assert_eq!(
        cfg.dwSize as usize,
        size_of::<sys::NET_DVR_COMPRESSIONCFG_V30>()
    );
    // On an ISAPI login the classic call fails as the real SDK's does (23, measured against
    // the emulator: emulator/tests/config_real_sdk.rs).
    let isapi = isapi_login(&dev);
    let err = isapi
        .config()
        .get::<sys::NET_DVR_NETCFG_V50>(0)
        .unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_GetDVRConfig");
}

#[test]
fn bad_input_fails_before_the_sdk() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let config = session.config();
    let calls = dev.calls("NET_DVR_SetDVRConfig");
    assert_invalid_input(&config.set_ntp(&ntp("x", 0, 5)).unwrap_err(), "port");
    assert_invalid_input(&config.set_ntp(&ntp("", 123, 5)).unwrap_err(), "server");
    assert_invalid_input(&config.set_ntp(&ntp("a\0b", 123, 5)).unwrap_err(), "server");
    let named = DeviceSettings::new("a\0b", 1);
    assert_invalid_input(&config.set_device(&named).unwrap_err(), "name");
    let mut c = config.compression(1).unwrap();
    c.main.width = 1000;
    assert_invalid_input(&config.set_compression(1, &c).unwrap_err(), "resolution");
    assert_invalid_input(&config.compression(7).unwrap_err(), "channel");
    assert_eq!(dev.calls("NET_DVR_SetDVRConfig"), calls);
}

#[test]
fn a_viewer_may_read_but_not_set() {
    let dev = Device::new(Kind::Dome);
    let viewer = dev.login_as("viewer", "View12345").unwrap();
    let n = viewer.config().ntp().unwrap();
    let err = viewer.config().set_ntp(&n).unwrap_err();
    assert_sdk_error(&err, 2, "NET_DVR_SetDVRConfig");
    assert_sdk_error(&viewer.reboot().unwrap_err(), 2, "NET_DVR_RebootDVR");
    assert_sdk_error(&viewer.shutdown().unwrap_err(), 2, "NET_DVR_ShutDownDVR");
}

fn wait_for(session: &Session, kind: EventKind, within: Duration) {
    let end = std::time::Instant::now() + within;
    while let Some(left) = end.checked_duration_since(std::time::Instant::now()) {
        match session.next_event(left) {
            Some(e) if e.kind == kind => return,
            Some(_) => {}
            None => break,
        }
    }
    panic!("no {kind:?} within {within:?}");
}

#[test]
fn reboot_drops_the_session_then_the_device_comes_back() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    session.reboot().unwrap();
    wait_for(&session, EventKind::ConnectionLost, Duration::from_secs(5));
    let err = session.config().ntp().unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_GetDVRConfig");
    wait_for(
        &session,
        EventKind::ConnectionResumed,
        Duration::from_secs(15),
    );
    session.config().ntp().unwrap();
}

#[test]
fn shutdown_keeps_the_device_off() {
    let dev = Device::new(Kind::Bullet);
    let session = dev.login();
    session.shutdown().unwrap();
    wait_for(&session, EventKind::ConnectionLost, Duration::from_secs(5));
    std::thread::sleep(Duration::from_secs(3));
    assert_sdk_error(
        &session.config().ntp().unwrap_err(),
        7,
        "NET_DVR_GetDVRConfig",
    );
    let isapi = Device::new(Kind::Bullet);
    let err = isapi_login(&isapi).shutdown().unwrap_err();
    assert_invalid_input(&err, "login mode");
}

#[test]
fn reboot_over_isapi_takes_the_device_away_for_a_while() {
    let dev = Device::new(Kind::Dome);
    let session = isapi_login(&dev);
    session.reboot().unwrap();
    let err = session.config().ntp().unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_STDXMLConfig");
    std::thread::sleep(Duration::from_millis(2500));
    session.config().ntp().unwrap();
}
