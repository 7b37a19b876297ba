//! ISAPI requests to a device ([`Device::isapi`]): the mock answers `NET_DVR_STDXMLConfig`
//! with them, the emulator its HTTP requests.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /ISAPI/System/deviceInfo` | `DeviceInfo` from the scenario (name, model, serial, firmware) |
//! | `PUT /ISAPI/PTZCtrl/channels/N/continuous` | moves the same simulated head as the classic calls (`pan`/`tilt`/`zoom` -100..=100, 100 = classic speed 7) |
//! | `PUT .../absolute` (`AbsoluteHigh`: `elevation`, `azimuth`, `absoluteZoom` in tenths) | moves there |
//! | `GET .../status` | `PTZStatus` with `AbsoluteHigh` |
//! | `PUT .../presets/P`, `PUT .../presets/P/goto`, `DELETE .../presets/P` | set, go to, clear |
//! | `GET /ISAPI/Streaming/channels/N01/picture` | the same JPEG as the classic capture |
//! | the read-only documents the real SDK reads after an ISAPI login, the RTSP port | see `readonly.rs` |
//! | `GET`, `PUT /ISAPI/System/time` | the clock and zone (`Time`), see `time.rs` |
//! | NTP server, network interface, streaming channel configuration (`GET`, `PUT`) | see `config.rs` |
//! | `POST /ISAPI/ContentMgmt/search` | `CMSearchResult`: one page of the timeline (`recordings::isapi`) |
//!
//! Documents are real-shaped: `version="2.0"` and the namespace
//! `http://www.hikvision.com/ver20/XMLSchema`.
//!
//! Anything else is answered with a `ResponseStatus` shaped like a device's: an unknown
//! path statusCode 4 `notSupport` (a device's 404), a known path with the wrong method 4
//! `methodNotAllowed`, a body that is not XML 5 `badXmlFormat`, XML without the needed
//! elements 6 `badXmlContent`, values out of range 6 `badParameters`; the classic checks
//! map onto statuses (no PTZ: 4 `notSupport`; no right: 4 `lowPrivilege`; unset preset: 4
//! `invalidOperation`; bad channel: 6 `badParameters`). A device that does not answer is
//! the face's business (the SDK's 7; the emulator's closed connection).
//!
//! HTTP statuses: 200 for a document or an OK `ResponseStatus`; an unknown path 404;
//! `methodNotAllowed` 405; statusCode 4 otherwise 403; 5 and 6 400; 3 500.
//!
//! How the real SDK reports a failing `ResponseStatus` (measured against the emulator,
//! `emulator/tests/two_stack.rs`): FALSE with a code from the HTTP status (404: 23, 403:
//! 29, 400 and 405: 11); the mock does the same and puts the status in both the output and
//! the status buffer (the safe layer decides from the status, not the code).

mod config;
mod readonly;
mod time;

use crate::ptz::{Pos, PtzState};
use crate::scenario::{Kind, Role};
use crate::{Device, DeviceError};

/// A `ResponseStatus` that is not OK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Status {
    code: u32,
    sub: &'static str,
    http: u16,
}

const fn st(code: u32, sub: &'static str, http: u16) -> Status {
    Status { code, sub, http }
}

const NOT_FOUND: Status = st(4, "notSupport", 404);
const NOT_SUPPORTED: Status = st(4, "notSupport", 403);
const BAD_METHOD: Status = st(4, "methodNotAllowed", 405);
const BAD_FORMAT: Status = st(5, "badXmlFormat", 400);
const BAD_CONTENT: Status = st(6, "badXmlContent", 400);
const BAD_PARAMETERS: Status = st(6, "badParameters", 400);

/// Content type of XML answers.
pub const XML: &str = "application/xml; charset=\"UTF-8\"";
/// Content type of the snapshot.
pub const JPEG: &str = "image/jpeg";

/// What the device answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsapiAnswer {
    /// The HTTP status a device sends with it (200 on success).
    pub http_status: u16,
    /// The body: a document (`DeviceInfo`, `PTZStatus`, ...), a JPEG, or a `ResponseStatus`.
    pub body: Vec<u8>,
    /// [`XML`] or [`JPEG`].
    pub content_type: &'static str,
    /// The body is a `ResponseStatus` (OK or not): the mock copies it into the status
    /// buffer too.
    pub response_status: bool,
}

impl IsapiAnswer {
    /// A 2xx answer.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.http_status)
    }
}

/// What a route gives: a document and its content type, or an OK `ResponseStatus` (`None`).
type Routed = Result<Option<(Vec<u8>, &'static str)>, Status>;

impl Device {
    /// Answer one ISAPI request of a user with `role`: `method` (`GET`, `PUT`, `POST`,
    /// `DELETE`) and `url` as sent (`/ISAPI/...?query`), `body` the request body. Whether
    /// the device answers at all (online, faults) is the face's check.
    pub fn isapi(&self, role: Role, method: &str, url: &str, body: &[u8]) -> IsapiAnswer {
        let path = url.split('?').next().unwrap_or(url);
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match route(self, role, method, &parts, body) {
            Ok(Some((body, content_type))) => IsapiAnswer {
                http_status: 200,
                body,
                content_type,
                response_status: false,
            },
            Ok(None) => IsapiAnswer {
                http_status: 200,
                body: response_status(url, None),
                content_type: XML,
                response_status: true,
            },
            Err(s) => IsapiAnswer {
                http_status: s.http,
                body: response_status(url, Some(s)),
                content_type: XML,
                response_status: true,
            },
        }
    }
}

fn route(d: &Device, role: Role, method: &str, parts: &[&str], body: &[u8]) -> Routed {
    if let Some(answer) = readonly::route(d, method, parts) {
        return answer;
    }
    if let Some(answer) = config::route(d, role, method, parts, body) {
        return answer;
    }
    let only = |m: &str| if method == m { Ok(()) } else { Err(BAD_METHOD) };
    match parts {
        ["ISAPI", "System", "time"] => time::route(d, role, method, body),
        ["ISAPI", "ContentMgmt", "search"] => {
            only("POST")?;
            let host = format!("{}:{}", d.spec().address, d.rtsp_port());
            crate::recordings::isapi::answer(&d.recordings(), xml_body(body)?, &host)
                .map(|x| Some((x.into_bytes(), XML)))
                .map_err(|e| match e {
                    crate::recordings::isapi::SearchError::BadXml(_) => BAD_CONTENT,
                    crate::recordings::isapi::SearchError::Refused(_) => BAD_PARAMETERS,
                })
        }
        ["ISAPI", "System", "deviceInfo"] => {
            only("GET")?;
            Ok(Some((device_info(d).into_bytes(), XML)))
        }
        ["ISAPI", "Streaming", "channels", id, "picture"] => {
            only("GET")?;
            let id: i32 = id.parse().map_err(|_| NOT_FOUND)?;
            let jpeg = d.picture(id / 100).map_err(status_of)?;
            Ok(Some((jpeg.to_vec(), JPEG)))
        }
        ["ISAPI", "PTZCtrl", "channels", ch, rest @ ..] => {
            let ch: i32 = ch.parse().map_err(|_| NOT_FOUND)?;
            ptz(d, role, ch, method, rest, body)
        }
        _ => Err(NOT_FOUND),
    }
}

fn ptz(d: &Device, role: Role, ch: i32, method: &str, rest: &[&str], body: &[u8]) -> Routed {
    let only = |m: &str| if method == m { Ok(()) } else { Err(BAD_METHOD) };
    let state = |f: &mut dyn FnMut(&mut PtzState) -> Result<(), DeviceError>| {
        d.ptz(ch, role, |st| f(st)).map_err(status_of)
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
                    return Err(DeviceError::BadParameter);
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
            Ok(pos.map(|p| (ptz_status(p).into_bytes(), XML)))
        }
        ["presets", id] | ["presets", id, "goto"] => {
            let index: u32 = id
                .parse()
                .ok()
                .filter(|i| (1..=255).contains(i))
                .ok_or(BAD_PARAMETERS)?;
            let cmd = match (rest.len(), method) {
                (3, "PUT") => crate::ptz::cmd::GOTO_PRESET,
                (2, "PUT") => crate::ptz::cmd::SET_PRESET,
                (2, "DELETE") => crate::ptz::cmd::CLE_PRESET,
                _ => return Err(BAD_METHOD),
            };
            state(&mut |st| st.preset(cmd, index))?;
            Ok(None)
        }
        _ => Err(NOT_FOUND),
    }
}

/// A rule's refusal as the status a device answers over ISAPI.
fn status_of(e: DeviceError) -> Status {
    match e {
        DeviceError::NotSupported => NOT_SUPPORTED,
        DeviceError::NoRight => st(4, "lowPrivilege", 403),
        DeviceError::NoChannel | DeviceError::BadParameter => BAD_PARAMETERS,
        DeviceError::OperationFailed => st(4, "invalidOperation", 403),
        _ => st(3, "deviceError", 500),
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
const NS: &str = "version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\"";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `ResponseStatus` a device sends: OK (`None`) or the failure.
fn response_status(url: &str, failure: Option<Status>) -> Vec<u8> {
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

fn device_info(d: &Device) -> String {
    let spec = d.spec();
    let name = d.name_text();
    let (version, build) = spec
        .firmware
        .split_once(' ')
        .unwrap_or((spec.firmware.as_str(), ""));
    let kind = match spec.kind {
        Kind::Nvr => "NVR",
        _ => "IPCamera",
    };
    format!(
        "{XML_HEAD}<DeviceInfo {NS}>\n<deviceName>{}</deviceName>\n<deviceID>mock-{}</deviceID>\n\
         <model>{}</model>\n<serialNumber>{}</serialNumber>\n<macAddress>00:00:5e:00:53:01</macAddress>\n\
         <firmwareVersion>{}</firmwareVersion>\n<firmwareReleasedDate>{}</firmwareReleasedDate>\n\
         <deviceType>{kind}</deviceType>\n<telecontrolID>{}</telecontrolID>\n</DeviceInfo>\n",
        escape(&name),
        escape(&spec.address),
        escape(&spec.model),
        escape(spec.serial.as_deref().unwrap_or("")),
        escape(version),
        escape(build),
        d.identity().device_id,
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
