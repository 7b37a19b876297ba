//! ISAPI requests passed through `NET_DVR_STDXMLConfig`, answered in-process.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /ISAPI/System/deviceInfo` | `DeviceInfo` from the scenario (name, model, serial, firmware) |
//! | `PUT /ISAPI/PTZCtrl/channels/N/continuous` | moves the same simulated head as the classic calls (`pan`/`tilt`/`zoom` -100..=100, 100 = classic speed 7) |
//! | `PUT .../absolute` (`AbsoluteHigh`: `elevation`, `azimuth`, `absoluteZoom` in tenths) | moves there |
//! | `GET .../status` | `PTZStatus` with `AbsoluteHigh` |
//! | `PUT .../presets/P`, `PUT .../presets/P/goto`, `DELETE .../presets/P` | set, go to, clear |
//! | `GET /ISAPI/Streaming/channels/N01/picture` | the same JPEG as the classic capture |
//!
//! Anything else is answered with a `ResponseStatus` shaped like a device's: an unknown
//! path statusCode 4 `notSupport` (a device's 404), a known path with the wrong method 4
//! `methodNotAllowed`, a body that is not XML 5 `badXmlFormat`, XML without the needed
//! elements 6 `badXmlContent`, values out of range 6 `badParameters`; the classic checks
//! map onto statuses (no PTZ: 4 `notSupport`; no right: 4 `lowPrivilege`; unset preset: 4
//! `invalidOperation`; bad channel: 6 `badParameters`). A device that does not answer is
//! the SDK's 7, as for every call.
//!
//! How the real SDK reports a failing `ResponseStatus` has not been measured against a
//! device: the mock returns FALSE with 23 (`NET_DVR_NOSUPPORT`) and the status in both the
//! output and the status buffer (the safe layer decides from the status, not the code).

use std::sync::Arc;

use crate::config;
use crate::errors::{CHANNEL_ERROR, DVROPRATEFAILED, NOENOUGHPRI, NOSUPPORT, PARAMETER_ERROR};
use crate::ffi::{Fail, Res};
use crate::ptz::Pos;
use crate::registry::Session;

/// A `ResponseStatus` that is not OK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Status {
    pub code: u32,
    pub sub: &'static str,
}

const fn st(code: u32, sub: &'static str) -> Status {
    Status { code, sub }
}

const NOT_FOUND: Status = st(4, "notSupport");
const BAD_METHOD: Status = st(4, "methodNotAllowed");
const BAD_FORMAT: Status = st(5, "badXmlFormat");
const BAD_CONTENT: Status = st(6, "badXmlContent");
const BAD_PARAMETERS: Status = st(6, "badParameters");

/// What the device answered.
#[derive(Debug)]
pub(crate) enum Answer {
    /// A body (`DeviceInfo`, `PTZStatus`, a JPEG, or an OK `ResponseStatus`); `status`
    /// says whether it is a `ResponseStatus` to copy into the status buffer too.
    Body { body: Vec<u8>, status: bool },
    /// A failing `ResponseStatus`.
    Failed(Vec<u8>),
}

/// One request: `method` and `url` as sent (`/ISAPI/...?query`), `body` the input buffer.
/// `Err` only when the device does not answer at all (the SDK's own code).
pub(crate) fn handle(session: &Arc<Session>, method: &str, url: &str, body: &[u8]) -> Res<Answer> {
    session.device.reach()?;
    let path = url.split('?').next().unwrap_or(url);
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let result = route(session, method, &parts, body);
    Ok(match result {
        Ok(Some(body)) => Answer::Body {
            body,
            status: false,
        },
        Ok(None) => Answer::Body {
            body: response_status(url, None),
            status: true,
        },
        Err(s) => Answer::Failed(response_status(url, Some(s))),
    })
}

/// `Ok(Some(body))` for a document, `Ok(None)` for an OK `ResponseStatus`.
fn route(
    s: &Session,
    method: &str,
    parts: &[&str],
    body: &[u8],
) -> Result<Option<Vec<u8>>, Status> {
    let only = |m: &str| if method == m { Ok(()) } else { Err(BAD_METHOD) };
    match parts {
        ["ISAPI", "System", "deviceInfo"] => {
            only("GET")?;
            Ok(Some(device_info(s).into_bytes()))
        }
        ["ISAPI", "Streaming", "channels", id, "picture"] => {
            only("GET")?;
            let id: i32 = id.parse().map_err(|_| NOT_FOUND)?;
            let jpeg = config::picture(s, id / 100).map_err(status_of)?;
            Ok(Some(jpeg.to_vec()))
        }
        ["ISAPI", "PTZCtrl", "channels", ch, rest @ ..] => {
            let ch: i32 = ch.parse().map_err(|_| NOT_FOUND)?;
            ptz(s, ch, method, rest, body)
        }
        _ => Err(NOT_FOUND),
    }
}

fn ptz(
    s: &Session,
    ch: i32,
    method: &str,
    rest: &[&str],
    body: &[u8],
) -> Result<Option<Vec<u8>>, Status> {
    let only = |m: &str| if method == m { Ok(()) } else { Err(BAD_METHOD) };
    let state = |f: &mut dyn FnMut(&mut crate::ptz::PtzState) -> Res<()>| {
        config::ptz_state(s, ch, |st| f(st)).map_err(status_of)
    };
    match rest {
        ["continuous"] => {
            only("PUT")?;
            let xml = xml_body(body)?;
            let speed = |tag| -> Result<i32, Status> {
                match element(xml, tag) {
                    None => Ok(0),
                    Some(v) => v
                        .parse()
                        .ok()
                        .filter(|v: &i32| (-100..=100).contains(v))
                        .ok_or(BAD_PARAMETERS),
                }
            };
            if !xml.contains("PTZData") {
                return Err(BAD_CONTENT);
            }
            let (p, t, z) = (speed("pan")?, speed("tilt")?, speed("zoom")?);
            state(&mut |st| {
                st.continuous(p, t, z);
                Ok(())
            })?;
            Ok(None)
        }
        ["absolute"] => {
            only("PUT")?;
            let target = absolute(xml_body(body)?)?;
            state(&mut |st| {
                if target.zoom > st.max_zoom() {
                    return Err(Fail::Code(PARAMETER_ERROR));
                }
                st.set_position(1, target);
                Ok(())
            })?;
            Ok(None)
        }
        ["status"] => {
            only("GET")?;
            let mut pos = None;
            state(&mut |st| {
                pos = Some(st.position());
                Ok(())
            })?;
            Ok(pos.map(|p| ptz_status(p).into_bytes()))
        }
        ["presets", id] | ["presets", id, "goto"] => {
            let index: u32 = id
                .parse()
                .ok()
                .filter(|i| (1..=255).contains(i))
                .ok_or(BAD_PARAMETERS)?;
            let cmd = match (rest.len(), method) {
                (3, "PUT") => hcnetsdk_sys::GOTO_PRESET,
                (2, "PUT") => hcnetsdk_sys::SET_PRESET,
                (2, "DELETE") => hcnetsdk_sys::CLE_PRESET,
                _ => return Err(BAD_METHOD),
            };
            state(&mut |st| st.preset(cmd, index))?;
            Ok(None)
        }
        _ => Err(NOT_FOUND),
    }
}

/// A classic check's code as the status a device answers over ISAPI.
fn status_of(f: Fail) -> Status {
    match f {
        Fail::Code(NOSUPPORT) => NOT_FOUND,
        Fail::Code(NOENOUGHPRI) => st(4, "lowPrivilege"),
        Fail::Code(CHANNEL_ERROR | PARAMETER_ERROR) => BAD_PARAMETERS,
        Fail::Code(DVROPRATEFAILED) => st(4, "invalidOperation"),
        _ => st(3, "deviceError"),
    }
}

fn xml_body(body: &[u8]) -> Result<&str, Status> {
    let text = std::str::from_utf8(body).map_err(|_| BAD_FORMAT)?;
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if !t.starts_with('<') || !t.ends_with('>') {
        return Err(BAD_FORMAT);
    }
    Ok(t)
}

/// The text of the first `<tag>` element.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find("</")?;
    Some(xml[start..start + end].trim())
}

/// `AbsoluteHigh`: elevation -900..=900 (negative above the horizon, which this head
/// cannot reach), azimuth 0..3600, absoluteZoom 10.. (tenths).
fn absolute(xml: &str) -> Result<Pos, Status> {
    let num = |tag| -> Result<f64, Status> {
        element(xml, tag)
            .ok_or(BAD_CONTENT)?
            .parse::<f64>()
            .map_err(|_| BAD_PARAMETERS)
    };
    if !xml.contains("AbsoluteHigh") {
        return Err(BAD_CONTENT);
    }
    let (elevation, azimuth, zoom) = (num("elevation")?, num("azimuth")?, num("absoluteZoom")?);
    if !(0.0..=900.0).contains(&elevation) || !(0.0..3600.0).contains(&azimuth) || zoom < 10.0 {
        return Err(BAD_PARAMETERS);
    }
    Ok(Pos {
        pan: azimuth / 10.0,
        tilt: elevation / 10.0,
        zoom: zoom / 10.0,
    })
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\"";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `ResponseStatus` a device sends: OK (`None`) or the failure.
pub(crate) fn response_status(url: &str, failure: Option<Status>) -> Vec<u8> {
    let (code, text, sub) = match failure {
        None => (1, "OK", "ok"),
        Some(s) => (s.code, status_string(s.code), s.sub),
    };
    format!(
        "{XML_HEAD}<ResponseStatus {NS}>\n<requestURL>{}</requestURL>\n<statusCode>{code}</statusCode>\n\
         <statusString>{text}</statusString>\n<subStatusCode>{sub}</subStatusCode>\n</ResponseStatus>\n",
        escape(url)
    )
    .into_bytes()
}

fn status_string(code: u32) -> &'static str {
    match code {
        2 => "Device Busy",
        3 => "Device Error",
        4 => "Invalid Operation",
        5 => "Invalid XML Format",
        6 => "Invalid XML Content",
        7 => "Reboot Required",
        _ => "Additional Error",
    }
}

fn device_info(s: &Session) -> String {
    let spec = &s.device.spec;
    let raw = s.device.rt().name.clone();
    let name = if raw == spec.charset.encode(&spec.name) {
        spec.name.clone()
    } else {
        String::from_utf8_lossy(&raw).into_owned()
    };
    let (version, build) = spec
        .firmware
        .split_once(' ')
        .unwrap_or((spec.firmware.as_str(), ""));
    let kind = match spec.kind {
        crate::scenario::Kind::Nvr => "NVR",
        _ => "IPCamera",
    };
    format!(
        "{XML_HEAD}<DeviceInfo {NS}>\n<deviceName>{}</deviceName>\n<deviceID>mock-{}</deviceID>\n\
         <model>{}</model>\n<serialNumber>{}</serialNumber>\n<macAddress>00:00:5e:00:53:01</macAddress>\n\
         <firmwareVersion>{}</firmwareVersion>\n<firmwareReleasedDate>{}</firmwareReleasedDate>\n\
         <deviceType>{kind}</deviceType>\n</DeviceInfo>\n",
        escape(&name),
        escape(&spec.address),
        escape(&spec.model),
        escape(spec.serial.as_deref().unwrap_or("")),
        escape(version),
        escape(build),
    )
}

fn ptz_status(p: Pos) -> String {
    format!(
        "{XML_HEAD}<PTZStatus {NS}>\n<AbsoluteHigh>\n<elevation>{}</elevation>\n<azimuth>{}</azimuth>\n\
         <absoluteZoom>{}</absoluteZoom>\n</AbsoluteHigh>\n</PTZStatus>\n",
        (p.tilt * 10.0).round() as i32,
        (p.pan * 10.0).round() as i32 % 3600,
        (p.zoom * 10.0).round() as i32,
    )
}
