//! The read-only documents, through `Device::isapi` as both faces call it.

use super::*;
use crate::{IsapiAnswer, Pacing, Role, Scenario};

fn device(label: &str) -> Device {
    let s = Scenario::default();
    let spec = s.devices.into_iter().find(|d| d.label == label).unwrap();
    Device::new(spec, Pacing::Realtime)
}

fn get(d: &Device, url: &str) -> (IsapiAnswer, String) {
    let a = d.isapi(Role::Viewer, "GET", url, b"");
    let text = String::from_utf8(a.body.clone()).unwrap();
    (a, text)
}

fn count(text: &str, tag: &str) -> usize {
    text.matches(&format!("<{tag} ")).count() + text.matches(&format!("<{tag}>")).count()
}

#[test]
fn documents_the_sdk_reads_after_login() {
    let dome = device("dome");
    let urls = [
        ("/ISAPI/Security/capabilities?username=admin", "SecurityCap"),
        ("/SDK/language", "Language"),
        ("/ISAPI/System/IO/inputs", "IOInputPortList"),
        ("/ISAPI/System/IO/outputs", "IOOutputPortList"),
        (
            "/ISAPI/System/Video/inputs/channels",
            "VideoInputChannelList",
        ),
        (
            "/ISAPI/System/TwoWayAudio/channels",
            "TwoWayAudioChannelList",
        ),
        ("/ISAPI/ContentMgmt/Storage/hdd", "hddList"),
        ("/ISAPI/Security/adminAccesses", "AdminAccessProtocolList"),
        ("/ISAPI/System/time", "Time"),
        ("/ISAPI/System/deviceInfo", "DeviceInfo"),
    ];
    for (url, root) in urls {
        let (a, text) = get(&dome, url);
        assert_eq!((a.http_status, a.content_type), (200, XML), "{url}");
        assert!(!a.response_status, "{url}");
        assert!(
            text.starts_with(&format!("{XML_HEAD}<{root} {NS}>")),
            "{url}: {text}"
        );
        assert!(text.ends_with(&format!("</{root}>\n")), "{url}: {text}");
        assert!(text.contains("xmlns=\"http://www.hikvision.com/ver20/XMLSchema\""));
    }
    let (_, inputs) = get(&dome, "/ISAPI/System/Video/inputs/channels");
    assert_eq!(count(&inputs, "VideoInputChannel"), 1);
    assert!(inputs.contains("<id>1</id>"));
    let (_, io) = get(&dome, "/ISAPI/System/IO/inputs");
    assert_eq!(count(&io, "IOInputPort"), 1);
    let (_, io) = get(&dome, "/ISAPI/System/IO/outputs");
    assert_eq!(count(&io, "IOOutputPort"), 1);
    let (_, io) = get(&device("bullet"), "/ISAPI/System/IO/outputs");
    assert_eq!(count(&io, "IOOutputPort"), 0);
    let (_, audio) = get(&dome, "/ISAPI/System/TwoWayAudio/channels");
    assert_eq!(count(&audio, "TwoWayAudioChannel"), 1);
    let (_, hdd) = get(&dome, "/ISAPI/ContentMgmt/Storage/hdd");
    assert_eq!(count(&hdd, "hdd"), 0);
}

#[test]
fn nvr_channels_and_ipc_404s() {
    let nvr = device("nvr");
    let (a, proxy) = get(&nvr, "/ISAPI/ContentMgmt/InputProxy/channels");
    assert_eq!(a.http_status, 200);
    assert_eq!(count(&proxy, "InputProxyChannel"), 16);
    assert!(proxy.contains("<ipAddress>192.0.2.101</ipAddress>"));
    assert!(proxy.contains("<ipAddress>192.0.2.116</ipAddress>"));
    let (a, _) = get(&nvr, "/ISAPI/ContentMgmt/ZeroVideo/channels");
    assert_eq!(a.http_status, 404, "the default NVR has no zero channel");
    let (_, outputs) = get(&nvr, "/ISAPI/System/IO/outputs");
    assert_eq!(count(&outputs, "IOOutputPort"), 1);
    let (_, hdd) = get(&nvr, "/ISAPI/ContentMgmt/Storage/hdd");
    assert_eq!(count(&hdd, "hdd"), 2);
    let (_, inputs) = get(&nvr, "/ISAPI/System/Video/inputs/channels");
    assert_eq!(count(&inputs, "VideoInputChannel"), 0);

    let dome = device("dome");
    for url in [
        "/ISAPI/ContentMgmt/InputProxy/channels",
        "/ISAPI/ContentMgmt/ZeroVideo/channels",
        "/ISAPI/Nothing/here",
    ] {
        let (a, text) = get(&dome, url);
        assert_eq!(a.http_status, 404, "{url}");
        assert!(a.response_status && !a.is_success());
        assert!(
            text.contains("<subStatusCode>notSupport</subStatusCode>"),
            "{text}"
        );
        assert!(text.contains(&format!("<requestURL>{url}</requestURL>")));
    }
    let put = dome.isapi(
        Role::Admin,
        "PUT",
        "/ISAPI/System/IO/inputs",
        b"<IOInputPortList/>",
    );
    assert_eq!(put.http_status, 405);
}

#[test]
fn admin_accesses_names_the_rtsp_port() {
    let d = device("bullet");
    let (_, text) = get(&d, "/ISAPI/Security/adminAccesses");
    assert!(
        text.contains("<protocol>RTSP</protocol>\n<portNo>554</portNo>"),
        "{text}"
    );
    d.set_rtsp_port(40554);
    let (_, text) = get(&d, "/ISAPI/Security/adminAccesses");
    assert!(text.contains("<protocol>RTSP</protocol>\n<portNo>40554</portNo>"));
    assert!(text.contains("<protocol>DEV_MANAGE</protocol>\n<portNo>8000</portNo>"));
    assert!(text.contains("<protocol>HTTP</protocol>\n<portNo>80</portNo>"));
    d.set_http_port(40080);
    let (_, text) = get(&d, "/ISAPI/Security/adminAccesses");
    assert!(text.contains("<protocol>HTTP</protocol>\n<portNo>40080</portNo>"));
}

#[test]
fn zero_channels_follow_the_scenario() {
    let mut spec = Scenario::default()
        .devices
        .into_iter()
        .find(|d| d.label == "nvr")
        .unwrap();
    spec.zero_channels = 2;
    let nvr = Device::new(spec, Pacing::Realtime);
    let (a, zero) = get(&nvr, "/ISAPI/ContentMgmt/ZeroVideo/channels");
    assert_eq!(a.http_status, 200);
    assert_eq!(count(&zero, "ZeroVideoChannel"), 2);
    assert!(zero.contains("<id>2</id>"));
}
