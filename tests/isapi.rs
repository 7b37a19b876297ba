//! `Session::isapi` against the mock SDK: requests, typed helpers, `ResponseStatus` errors,
//! buffer growth, and `Ptz`/`Snapshot` routed through ISAPI on ISAPI logins.

use hcnetsdk_test_support::safe as support;

use std::time::Duration;

use hcnetsdk::error::{Category, ErrorKind};
use hcnetsdk::isapi::Method;
use hcnetsdk::{LoginMode, Motion, Password, PtzPosition, Session};
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

fn is_jpeg(b: &[u8]) -> bool {
    b.len() > 4 && b.starts_with(&[0xFF, 0xD8]) && b.ends_with(&[0xFF, 0xD9])
}

#[test]
fn get_device_info_as_xml_and_typed() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let isapi = session.isapi();
    let r = isapi.get("/ISAPI/System/deviceInfo").unwrap();
    assert!(
        r.text().contains("<model>DS-2DE4425IW-DE</model>"),
        "{}",
        r.text()
    );
    assert!(r.status().is_none());
    let info = isapi.device_info().unwrap();
    assert_eq!(info.model, "DS-2DE4425IW-DE");
    assert_eq!(info.device_name, "大门球机");
    assert_eq!(info.device_type, "IPCamera");
    assert_eq!(info.firmware_version, "V5.7.0");
}

#[test]
fn a_failing_response_status_is_a_typed_error() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let err = session.isapi().get("/ISAPI/Nope").unwrap_err();
    let status = err.isapi_status().expect("an ISAPI error");
    assert_eq!(status.status_code, 4);
    assert_eq!(status.sub_status_code, "notSupport");
    assert_eq!(status.request_url, "/ISAPI/Nope");
    assert!(matches!(err.kind(), ErrorKind::Isapi { .. }));
    assert_eq!(err.call(), Some("NET_DVR_STDXMLConfig"));
    assert_eq!(err.category(), Category::Unsupported);
    assert_eq!(
        err.raw_code(),
        Some(23),
        "the SDK's code is kept beside the status"
    );
    assert_eq!(
        err.remediation(),
        hcnetsdk::error::isapi::sub_status(4, "notSupport")
            .unwrap()
            .remediation
    );
    let line = err.to_string();
    assert!(
        line.contains("statusCode 4 (Invalid Operation), subStatusCode notSupport"),
        "{line}"
    );
    let report = format!("{err:#}");
    assert!(report.contains("request: GET /ISAPI/Nope"), "{report}");
    assert!(report.contains("what to do:"), "{report}");

    let bad = session
        .isapi()
        .put("/ISAPI/PTZCtrl/channels/1/continuous", "<Other/>")
        .unwrap_err();
    assert_eq!(bad.isapi_status().unwrap().sub_status_code, "badXmlContent");
    assert_eq!(bad.category(), Category::Parameter);
}

#[test]
fn requests_check_their_input_before_the_sdk() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let calls = dev.calls("NET_DVR_STDXMLConfig");
    for bad in ["ISAPI/System/deviceInfo", "/a b", "/a\r\nX: y", ""] {
        assert_invalid_input(&session.isapi().get(bad).unwrap_err(), "path");
    }
    assert_invalid_input(&"PATCH".parse::<Method>().unwrap_err(), "method");
    assert_invalid_input(
        &session.isapi().ptz_continuous(1, 101, 0, 0).unwrap_err(),
        "pan",
    );
    assert_eq!(dev.calls("NET_DVR_STDXMLConfig"), calls);
}

#[test]
fn the_answer_buffer_grows_until_it_fits() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let calls = dev.calls("NET_DVR_STDXMLConfig");
    let jpeg = session.isapi().initial_buffer(64).picture(1).unwrap();
    assert!(is_jpeg(&jpeg));
    // One call too small (43, with the size needed), then one that fits.
    assert_eq!(dev.calls("NET_DVR_STDXMLConfig") - calls, 2);
    let err = session
        .isapi()
        .initial_buffer(64)
        .max_buffer(1000)
        .picture(1)
        .unwrap_err();
    assert_sdk_error(&err, 43, "NET_DVR_STDXMLConfig");
}

#[test]
fn requests_after_logout_and_sdk_failures() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let isapi = session.isapi();
    dev.fail_next("NET_DVR_STDXMLConfig", 10, 1);
    assert_sdk_error(
        &isapi.get("/ISAPI/System/deviceInfo").unwrap_err(),
        10,
        "NET_DVR_STDXMLConfig",
    );
    session.clone().logout().unwrap();
    let err = isapi.get("/ISAPI/System/deviceInfo").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LoggedOut { .. }), "{err:#}");
}

#[test]
fn typed_ptz_helpers_drive_the_head() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let isapi = session.isapi();
    let target = PtzPosition {
        pan: 123.4,
        tilt: 45.0,
        zoom: 2.5,
    };
    isapi.ptz_absolute(1, target).unwrap();
    assert_eq!(isapi.ptz_status(1).unwrap().position, target);
    // The classic read agrees (private login).
    assert_eq!(session.ptz(1).unwrap().position().unwrap(), target);
    isapi.ptz_set_preset(1, 5).unwrap();
    isapi.ptz_continuous(1, 100, 0, 0).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    isapi.ptz_continuous(1, 0, 0, 0).unwrap();
    assert_ne!(isapi.ptz_status(1).unwrap().position, target);
    isapi.ptz_goto_preset(1, 5).unwrap();
    assert_eq!(isapi.ptz_status(1).unwrap().position, target);
    isapi.ptz_clear_preset(1, 5).unwrap();
    let err = isapi.ptz_goto_preset(1, 5).unwrap_err();
    assert_eq!(
        err.isapi_status().unwrap().sub_status_code,
        "invalidOperation"
    );
}

#[test]
fn an_isapi_login_moves_ptz_and_takes_snapshots_through_isapi() {
    let dev = Device::new(Kind::Dome);
    let session = isapi_login(&dev);
    assert_eq!(session.device_info().login_mode, LoginMode::Isapi);
    let (xml, classic) = ("NET_DVR_STDXMLConfig", "NET_DVR_PTZControlWithSpeed_Other");
    let (xml0, classic0) = (dev.calls(xml), dev.calls(classic));
    let ptz = session.ptz(1).unwrap();
    let mid = PtzPosition {
        pan: 180.0,
        tilt: 45.0,
        zoom: 5.0,
    };
    ptz.set_position(mid).unwrap();
    assert_eq!(ptz.position().unwrap(), mid);
    {
        let _moving = ptz.start(Motion::Right, 7).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let stopped = ptz.position().unwrap();
    assert!(stopped.pan > mid.pan, "{stopped}");
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        ptz.position().unwrap(),
        stopped,
        "the guard did not stop it"
    );
    ptz.set_preset(2).unwrap();
    ptz.set_position(mid).unwrap();
    ptz.goto_preset(2).unwrap();
    assert_eq!(ptz.position().unwrap(), stopped);
    ptz.clear_preset(2).unwrap();
    assert_eq!(dev.calls(classic), classic0, "a classic PTZ call was made");
    // Focus has no ISAPI route here: the classic call's 189, with its diagnosis.
    let err = ptz.start(Motion::FocusNear, 4).unwrap_err();
    assert_sdk_error(&err, 189, classic);

    let jpeg = session.snapshot(1).unwrap().capture().unwrap();
    assert!(is_jpeg(&jpeg));
    assert_eq!(dev.calls("NET_DVR_CaptureJPEGPicture_NEW"), 0);
    assert!(dev.calls(xml) - xml0 >= 10);
    // The classic device configuration read fails as the real SDK's does.
    assert_sdk_error(
        &session.device_config().unwrap_err(),
        189,
        "NET_DVR_GetDVRConfig",
    );
}

#[test]
fn a_private_login_keeps_the_classic_calls() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let _ = session.snapshot(1).unwrap().capture().unwrap();
    session.ptz(1).unwrap().set_preset(1).unwrap();
    assert_eq!(dev.calls("NET_DVR_STDXMLConfig"), 0);
    assert_eq!(dev.calls("NET_DVR_CaptureJPEGPicture_NEW"), 1);
}
