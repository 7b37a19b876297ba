//! `NET_DVR_STDXMLConfig` on the mock: ISAPI requests (deviceInfo, PTZCtrl on the same
//! simulated head as the classic calls, the picture), real-shaped `ResponseStatus` answers,
//! buffer rules, the last error, and the classic calls' 189 on ISAPI logins.

#[macro_use]
mod support;

use std::time::Duration;

use hcnetsdk_sys::*;
use support::*;

/// What one request returned: (TRUE?, last error if FALSE, returned size, out, status).
struct Reply {
    ok: bool,
    code: u32,
    returned: usize,
    out: Vec<u8>,
    status: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        let n = self.returned.min(self.out.len());
        String::from_utf8_lossy(&self.out[..n]).into_owned()
    }
    fn status_text(&self) -> String {
        let end = self.status.iter().position(|b| *b == 0).unwrap_or(0);
        String::from_utf8_lossy(&self.status[..end]).into_owned()
    }
}

fn xml(id: i32, request: &str, body: &str, out_size: usize) -> Reply {
    let mut url = request.as_bytes().to_vec();
    let mut body = body.as_bytes().to_vec();
    let mut out = vec![0u8; out_size];
    let mut status = vec![0u8; 1024];
    let mut input = NET_DVR_XML_CONFIG_INPUT {
        dwSize: size_of::<NET_DVR_XML_CONFIG_INPUT>() as u32,
        lpRequestUrl: url.as_mut_ptr().cast(),
        dwRequestUrlLen: url.len() as u32,
        lpInBuffer: if body.is_empty() {
            std::ptr::null_mut()
        } else {
            body.as_mut_ptr().cast()
        },
        dwInBufferSize: body.len() as u32,
        ..Default::default()
    };
    let mut output = NET_DVR_XML_CONFIG_OUTPUT {
        dwSize: size_of::<NET_DVR_XML_CONFIG_OUTPUT>() as u32,
        lpOutBuffer: out.as_mut_ptr().cast(),
        dwOutBufferSize: out.len() as u32,
        lpStatusBuffer: status.as_mut_ptr().cast(),
        dwStatusSize: status.len() as u32,
        ..Default::default()
    };
    // SAFETY: live structs and buffers of the sizes given.
    let r = unsafe { f!(NET_DVR_STDXMLConfig)(id, &mut input, &mut output) };
    let code = if r == TRUE { 0 } else { err() };
    Reply {
        ok: r == TRUE,
        code,
        returned: output.dwReturnedXMLSize as usize,
        out,
        status,
    }
}

fn isapi_login(dev: &TestDevice) -> (i32, NET_DVR_DEVICEINFO_V40) {
    let mut li = login_info(&dev.address, dev.port, "admin", "Admin12345");
    li.byLoginMode = 1;
    let mut info = NET_DVR_DEVICEINFO_V40::default();
    // SAFETY: valid structs.
    let id = unsafe { f!(NET_DVR_Login_V40)(&mut li, &mut info) };
    assert!(id >= 0, "ISAPI login: {}", err());
    (id, info)
}

fn ptz_device() -> TestDevice {
    env().ctl.add_test_device(
        "ptz = true\nmax_zoom = 20.0\nmodel = \"DS-2DE-ISAPI\"\nserial = \"ISAPI123\"",
    )
}

fn tag(doc: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let start = doc
        .find(&open)
        .unwrap_or_else(|| panic!("no <{tag}> in {doc}"))
        + open.len();
    doc[start..start + doc[start..].find("</").unwrap()].to_owned()
}

#[test]
fn device_info_answers_with_the_scenario() {
    let dev = ptz_device();
    let id = admin(&dev);
    let r = xml(id, "GET /ISAPI/System/deviceInfo", "", 4096);
    assert!(r.ok, "{}", r.code);
    let doc = r.text();
    assert!(doc.contains("<DeviceInfo"), "{doc}");
    assert_eq!(tag(&doc, "model"), "DS-2DE-ISAPI");
    assert_eq!(tag(&doc, "serialNumber"), "ISAPI123");
    assert_eq!(tag(&doc, "deviceType"), "IPCamera");
    assert_eq!(r.returned, doc.len());
    assert!(logout(id));
}

#[test]
fn wrong_requests_get_real_shaped_statuses() {
    let dev = ptz_device();
    let id = admin(&dev);
    for (req, body, code, sub, sdk) in [
        ("GET /ISAPI/Nope", "", "4", "notSupport", 23),
        (
            "DELETE /ISAPI/System/deviceInfo",
            "",
            "4",
            "methodNotAllowed",
            11,
        ),
        (
            "PUT /ISAPI/PTZCtrl/channels/1/continuous",
            "pan=1",
            "5",
            "badXmlFormat",
            11,
        ),
        (
            "PUT /ISAPI/PTZCtrl/channels/1/continuous",
            "<Other/>",
            "6",
            "badXmlContent",
            11,
        ),
        (
            "PUT /ISAPI/PTZCtrl/channels/1/continuous",
            "<PTZData><pan>101</pan></PTZData>",
            "6",
            "badParameters",
            11,
        ),
        (
            "PUT /ISAPI/PTZCtrl/channels/1/presets/9/goto",
            "",
            "4",
            "invalidOperation",
            29,
        ),
        (
            "GET /ISAPI/PTZCtrl/channels/7/status",
            "",
            "6",
            "badParameters",
            11,
        ),
    ] {
        let r = xml(id, req, body, 4096);
        assert!(!r.ok, "{req} succeeded");
        // The real SDK's code for the HTTP status: 404 23, 403 29, 400 and 405 11.
        assert_eq!(r.code, sdk, "{req}");
        let status = r.status_text();
        assert_eq!(tag(&status, "statusCode"), code, "{req}: {status}");
        assert_eq!(tag(&status, "subStatusCode"), sub, "{req}: {status}");
        assert!(status.contains("<requestURL>"), "{status}");
        assert_eq!(r.text(), status, "the out buffer holds the same status");
    }
    // A bullet has no PTZ: 4 notSupport, as for an unknown path.
    let bullet = env().ctl.add_test_device("ptz = false");
    let b = admin(&bullet);
    let r = xml(b, "GET /ISAPI/PTZCtrl/channels/1/status", "", 4096);
    assert_eq!(tag(&r.status_text(), "subStatusCode"), "notSupport");
    assert!(logout(b) && logout(id));
}

#[test]
fn isapi_ptz_moves_the_same_head_as_the_classic_calls() {
    let dev = ptz_device();
    let id = admin(&dev);
    let status = |id| {
        let r = xml(id, "GET /ISAPI/PTZCtrl/channels/1/status", "", 4096);
        assert!(r.ok, "{}", r.code);
        let doc = r.text();
        (
            tag(&doc, "azimuth"),
            tag(&doc, "elevation"),
            tag(&doc, "absoluteZoom"),
        )
    };
    let abs = "<PTZData><AbsoluteHigh><elevation>450</elevation><azimuth>1234</azimuth>\
               <absoluteZoom>25</absoluteZoom></AbsoluteHigh></PTZData>";
    let r = xml(id, "PUT /ISAPI/PTZCtrl/channels/1/absolute", abs, 4096);
    assert!(
        r.ok && r.text().contains("<statusCode>1</statusCode>"),
        "{}",
        r.text()
    );
    assert!(
        r.status_text()
            .contains("<subStatusCode>ok</subStatusCode>")
    );
    assert_eq!(status(id), ("1234".into(), "450".into(), "25".into()));
    // The classic read sees the ISAPI move: 123.4°, 45.0°, 2.5x.
    let mut pos = NET_DVR_PTZPOS::default();
    let mut ret = 0;
    // SAFETY: a valid buffer of the stated size.
    let got = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_PTZPOS,
            1,
            (&raw mut pos).cast(),
            8,
            &mut ret,
        )
    };
    assert_eq!(got, TRUE);
    assert_eq!(
        (pos.wPanPos, pos.wTiltPos, pos.wZoomPos),
        (0x1234, 0x0450, 0x0025)
    );
    // Continuous: moves until all-zero stops it.
    let go = "<PTZData><pan>100</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";
    assert!(xml(id, "PUT /ISAPI/PTZCtrl/channels/1/continuous", go, 4096).ok);
    std::thread::sleep(Duration::from_millis(100));
    let stop = "<PTZData><pan>0</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";
    assert!(xml(id, "PUT /ISAPI/PTZCtrl/channels/1/continuous", stop, 4096).ok);
    let stopped = status(id);
    assert_ne!(stopped.0, "1234", "continuous did not pan");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(status(id), stopped, "still moving after the stop");
    // Presets: set, move away, go to, clear.
    assert!(
        xml(
            id,
            "PUT /ISAPI/PTZCtrl/channels/1/presets/3",
            "<PTZPreset><id>3</id></PTZPreset>",
            4096
        )
        .ok
    );
    assert!(xml(id, "PUT /ISAPI/PTZCtrl/channels/1/absolute", abs, 4096).ok);
    assert!(xml(id, "PUT /ISAPI/PTZCtrl/channels/1/presets/3/goto", "", 4096).ok);
    assert_eq!(status(id), stopped);
    assert!(xml(id, "DELETE /ISAPI/PTZCtrl/channels/1/presets/3", "", 4096).ok);
    assert!(!xml(id, "PUT /ISAPI/PTZCtrl/channels/1/presets/3/goto", "", 4096).ok);
    assert!(logout(id));
}

#[test]
fn picture_is_the_classic_jpeg_and_a_small_buffer_gives_43() {
    let dev = ptz_device();
    let id = admin(&dev);
    let r = xml(id, "GET /ISAPI/Streaming/channels/101/picture", "", 1 << 20);
    assert!(r.ok, "{}", r.code);
    let jpeg = &r.out[..r.returned];
    assert!(jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]));
    let mut para = NET_DVR_JPEGPARA::default();
    let mut classic = vec![0u8; 1 << 20];
    let mut n = 0u32;
    // SAFETY: live buffers of the sizes given.
    let cap = unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(
            id,
            1,
            &mut para,
            classic.as_mut_ptr().cast(),
            classic.len() as u32,
            &mut n,
        )
    };
    assert_eq!(cap, TRUE);
    assert_eq!(
        jpeg,
        &classic[..n as usize],
        "not the classic capture's JPEG"
    );
    assert!(r.status_text().is_empty(), "a document has no status");
    let small = xml(id, "GET /ISAPI/Streaming/channels/101/picture", "", 100);
    assert_eq!((small.ok, small.code), (false, 43));
    assert_eq!(small.returned, jpeg.len(), "the size needed");
    assert!(logout(id));
}

#[test]
fn bad_arguments_and_the_last_error() {
    let dev = ptz_device();
    let id = admin(&dev);
    for bad in [
        "",
        "GET",
        "FETCH /ISAPI/System/deviceInfo",
        "GET ISAPI/System/deviceInfo",
    ] {
        let r = xml(id, bad, "", 4096);
        assert_eq!((r.ok, r.code), (false, 17), "{bad:?}");
    }
    // A success does not reset the last error (as the real SDK's does not).
    let r = xml(id, "GET /ISAPI/Nope", "", 4096);
    assert_eq!(r.code, 23);
    assert!(xml(id, "GET /ISAPI/System/deviceInfo", "", 4096).ok);
    assert_eq!(err(), 23, "a successful STDXMLConfig reset the last error");
    // Unknown user IDs: 47 in range, 17 outside.
    assert!(logout(id));
    assert_eq!(xml(id, "GET /ISAPI/System/deviceInfo", "", 4096).code, 47);
    assert_eq!(xml(-1, "GET /ISAPI/System/deviceInfo", "", 4096).code, 17);
    // An offline device does not answer: 7.
    let id = admin(&dev);
    assert!(env().ctl.set_device_online(&dev.address, dev.port, false));
    assert_eq!(xml(id, "GET /ISAPI/System/deviceInfo", "", 4096).code, 7);
    assert!(env().ctl.set_device_online(&dev.address, dev.port, true));
    assert!(logout(id));
}

#[test]
fn classic_calls_fail_with_189_on_an_isapi_login() {
    let dev = ptz_device();
    let (id, info) = isapi_login(&dev);
    assert_eq!(info.byLoginMode, 1);
    // SAFETY: plain values.
    let ptz = unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(id, 1, PAN_LEFT, 0, 4) };
    assert_eq!((ptz, err()), (FALSE, 189));
    // SAFETY: plain values.
    let preset = unsafe { f!(NET_DVR_PTZPreset_Other)(id, 1, SET_PRESET, 1) };
    assert_eq!((preset, err()), (FALSE, 189));
    let mut para = NET_DVR_JPEGPARA::default();
    let mut buf = vec![0u8; 1 << 20];
    let mut ret = 0u32;
    // SAFETY: live buffers of the sizes given.
    let cap = unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(
            id,
            1,
            &mut para,
            buf.as_mut_ptr().cast(),
            buf.len() as u32,
            &mut ret,
        )
    };
    assert_eq!((cap, err()), (FALSE, 189));
    let mut cfg = NET_DVR_DEVICECFG_V40::default();
    // SAFETY: a valid buffer of the stated size.
    let got = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&raw mut cfg).cast(),
            size_of::<NET_DVR_DEVICECFG_V40>() as u32,
            &mut ret,
        )
    };
    assert_eq!((got, err()), (FALSE, 189));
    // ISAPI itself works on that login and moves the head.
    let go = "<PTZData><pan>-50</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";
    assert!(xml(id, "PUT /ISAPI/PTZCtrl/channels/1/continuous", go, 4096).ok);
    assert!(xml(id, "GET /ISAPI/Streaming/channels/101/picture", "", 1 << 20).ok);
    assert!(logout(id));
    // A private login on the same device keeps the classic calls.
    let id = admin(&dev);
    // SAFETY: plain values.
    let stop = unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(id, 1, PAN_LEFT, 1, 4) };
    assert_eq!(stop, TRUE);
    assert!(logout(id));
}
