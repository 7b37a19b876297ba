//! The ISAPI face of the typed settings, for sessions whose classic config calls fail.
//! A set reads the device's document, replaces the elements the Rust struct carries, and
//! puts it back, so elements this crate does not know keep their values.

use std::net::Ipv4Addr;

use super::{Compression, DeviceSettings, Network, Ntp, StreamCompression, VideoCodec};
use crate::error::{Error, Result};
use crate::isapi::status::xml_text;
use crate::session::Session;

const DEVICE_INFO: &str = "/ISAPI/System/deviceInfo";
const NTP_SERVER: &str = "/ISAPI/System/time/ntpServers/1";
const TIME: &str = "/ISAPI/System/time";
const INTERFACE: &str = "/ISAPI/System/Network/interfaces/1";
const ACCESSES: &str = "/ISAPI/Security/adminAccesses";

fn doc(session: &Session, path: &str) -> Result<String> {
    Ok(session.isapi().get(path)?.text().into_owned())
}

fn missing(session: &Session, path: &str, tag: &str) -> Error {
    Error::invalid_input(
        "ISAPI answer",
        format!("{path} without <{tag}>"),
        "the device does not describe this setting; check its firmware supports it",
    )
    .with_context(session.context())
}

fn parsed<T: std::str::FromStr>(session: &Session, xml: &str, path: &str, tag: &str) -> Result<T> {
    xml_text(xml, tag)
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| missing(session, path, tag))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `xml` with the text of the first `<tag>` after `within`'s opening tag (or anywhere,
/// for `None`) replaced by `value` (escaped); unchanged when there is no such element.
fn replace(xml: &str, within: Option<&str>, tag: &str, value: &str) -> String {
    let from = within
        .and_then(|w| xml.find(&format!("<{w}>")))
        .unwrap_or(0);
    let open = format!("<{tag}>");
    let Some(start) = xml[from..].find(&open).map(|i| from + i + open.len()) else {
        return xml.to_owned();
    };
    let Some(end) = xml[start..].find("</").map(|i| start + i) else {
        return xml.to_owned();
    };
    format!("{}{}{}", &xml[..start], escape(value), &xml[end..])
}

pub(super) fn device(session: &Session) -> Result<DeviceSettings> {
    let xml = doc(session, DEVICE_INFO)?;
    Ok(DeviceSettings {
        name: xml_text(&xml, "deviceName").unwrap_or_default(),
        device_id: xml_text(&xml, "telecontrolID")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0),
    })
}

pub(super) fn set_device(session: &Session, v: &DeviceSettings) -> Result<()> {
    let xml = doc(session, DEVICE_INFO)?;
    let mut xml = replace(&xml, None, "deviceName", &v.name);
    if xml.contains("<telecontrolID>") {
        xml = replace(&xml, None, "telecontrolID", &v.device_id.to_string());
    } else {
        xml = xml.replacen(
            "</DeviceInfo>",
            &format!(
                "<telecontrolID>{}</telecontrolID>\n</DeviceInfo>",
                v.device_id
            ),
            1,
        );
    }
    session.isapi().put(DEVICE_INFO, xml).map(drop)
}

pub(super) fn ntp(session: &Session) -> Result<Ntp> {
    let xml = doc(session, NTP_SERVER)?;
    let server = match xml_text(&xml, "addressingFormatType").as_deref() {
        Some("ipaddress") => xml_text(&xml, "ipAddress"),
        _ => xml_text(&xml, "hostName"),
    };
    let time = doc(session, TIME)?;
    Ok(Ntp {
        enabled: xml_text(&time, "timeMode").as_deref() == Some("NTP"),
        server: server.ok_or_else(|| missing(session, NTP_SERVER, "hostName"))?,
        port: parsed(session, &xml, NTP_SERVER, "portNo")?,
        interval_minutes: parsed(session, &xml, NTP_SERVER, "synchronizeInterval")?,
    })
}

/// The server document, then `timeMode` only when it changes (a device that keeps the
/// time mode elsewhere is not asked to change what is already right).
pub(super) fn set_ntp(session: &Session, v: &Ntp) -> Result<()> {
    let (kind, address) = if v.server.parse::<Ipv4Addr>().is_ok() {
        ("ipaddress", format!("<ipAddress>{}</ipAddress>", v.server))
    } else {
        (
            "hostname",
            format!("<hostName>{}</hostName>", escape(&v.server)),
        )
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NTPServer version=\"2.0\" \
         xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\n<id>1</id>\n\
         <addressingFormatType>{kind}</addressingFormatType>\n{address}\n<portNo>{}</portNo>\n\
         <synchronizeInterval>{}</synchronizeInterval>\n</NTPServer>\n",
        v.port, v.interval_minutes
    );
    session.isapi().put(NTP_SERVER, body)?;
    let time = doc(session, TIME)?;
    let enabled = xml_text(&time, "timeMode").as_deref() == Some("NTP");
    if enabled != v.enabled {
        let mode = if v.enabled { "NTP" } else { "manual" };
        session
            .isapi()
            .put(TIME, replace(&time, None, "timeMode", mode))?;
    }
    Ok(())
}

/// The port of `protocol` in an `AdminAccessProtocolList`.
fn port_of(list: &str, protocol: &str) -> Option<u16> {
    list.split("</AdminAccessProtocol>")
        .find(|e| xml_text(e, "protocol").as_deref() == Some(protocol))
        .and_then(|e| xml_text(e, "portNo"))
        .and_then(|p| p.trim().parse().ok())
}

fn inner_ip(xml: &str, block: &str) -> Option<Ipv4Addr> {
    let start = xml.find(&format!("<{block}>"))?;
    xml_text(&xml[start..], "ipAddress")?.trim().parse().ok()
}

pub(super) fn network(session: &Session) -> Result<Network> {
    let xml = doc(session, INTERFACE)?;
    let accesses = doc(session, ACCESSES)?;
    let ip = |tag| parsed::<Ipv4Addr>(session, &xml, INTERFACE, tag);
    Ok(Network {
        ip: ip("ipAddress")?,
        mask: ip("subnetMask")?,
        gateway: inner_ip(&xml, "DefaultGateway").unwrap_or(Ipv4Addr::UNSPECIFIED),
        dns1: inner_ip(&xml, "PrimaryDNS").unwrap_or(Ipv4Addr::UNSPECIFIED),
        dns2: inner_ip(&xml, "SecondaryDNS").unwrap_or(Ipv4Addr::UNSPECIFIED),
        sdk_port: port_of(&accesses, "DEV_MANAGE").unwrap_or(8000),
        http_port: port_of(&accesses, "HTTP").unwrap_or(80),
        dhcp: xml_text(&xml, "addressingType").as_deref() == Some("dynamic"),
    })
}

pub(super) fn set_network(session: &Session, v: &Network) -> Result<()> {
    let now = network(session)?;
    if (now.sdk_port, now.http_port) != (v.sdk_port, v.http_port) {
        return Err(Error::invalid_input(
            "ports",
            format!("{}/{}", v.sdk_port, v.http_port),
            "over ISAPI the ports are read-only here; change them on a classic login",
        )
        .with_context(session.context()));
    }
    let xml = doc(session, INTERFACE)?;
    let addressing = if v.dhcp { "dynamic" } else { "static" };
    let mut xml = replace(&xml, Some("IPAddress"), "addressingType", addressing);
    xml = replace(&xml, Some("IPAddress"), "ipAddress", &v.ip.to_string());
    xml = replace(&xml, Some("IPAddress"), "subnetMask", &v.mask.to_string());
    for (block, ip) in [
        ("DefaultGateway", v.gateway),
        ("PrimaryDNS", v.dns1),
        ("SecondaryDNS", v.dns2),
    ] {
        xml = replace(&xml, Some(block), "ipAddress", &ip.to_string());
    }
    session.isapi().put(INTERFACE, xml).map(drop)
}

fn stream_path(channel: u32, sub: bool) -> String {
    format!(
        "/ISAPI/Streaming/channels/{channel}0{}",
        if sub { 2 } else { 1 }
    )
}

fn stream(session: &Session, channel: u32, sub: bool) -> Result<StreamCompression> {
    let path = stream_path(channel, sub);
    let xml = doc(session, &path)?;
    let codec = match xml_text(&xml, "videoCodecType").as_deref() {
        Some("H.265") => VideoCodec::H265,
        Some("H.264") => VideoCodec::H264,
        _ => return Err(missing(session, &path, "videoCodecType")),
    };
    let fps: u32 = parsed(session, &xml, &path, "maxFrameRate")?;
    Ok(StreamCompression {
        codec,
        width: parsed(session, &xml, &path, "videoResolutionWidth")?,
        height: parsed(session, &xml, &path, "videoResolutionHeight")?,
        bitrate_kbps: parsed(session, &xml, &path, "constantBitRate")?,
        fps: fps / 100,
    })
}

fn set_stream(session: &Session, channel: u32, sub: bool, v: &StreamCompression) -> Result<()> {
    let path = stream_path(channel, sub);
    let xml = doc(session, &path)?;
    let codec = match v.codec {
        VideoCodec::H264 => "H.264",
        VideoCodec::H265 => "H.265",
    };
    let mut xml = replace(&xml, Some("Video"), "videoCodecType", codec);
    for (tag, value) in [
        ("videoResolutionWidth", v.width),
        ("videoResolutionHeight", v.height),
        ("constantBitRate", v.bitrate_kbps),
        ("maxFrameRate", v.fps * 100),
    ] {
        xml = replace(&xml, Some("Video"), tag, &value.to_string());
    }
    session.isapi().put(&path, xml).map(drop)
}

pub(super) fn compression(session: &Session, channel: u32) -> Result<Compression> {
    Ok(Compression {
        main: stream(session, channel, false)?,
        sub: stream(session, channel, true)?,
    })
}

pub(super) fn set_compression(session: &Session, channel: u32, v: &Compression) -> Result<()> {
    set_stream(session, channel, false, &v.main)?;
    set_stream(session, channel, true, &v.sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_finds_the_element_inside_its_block() {
        let xml = "<A><ipAddress>1</ipAddress><G><ipAddress>2</ipAddress></G></A>";
        assert_eq!(
            replace(xml, Some("G"), "ipAddress", "3"),
            "<A><ipAddress>1</ipAddress><G><ipAddress>3</ipAddress></G></A>"
        );
        assert_eq!(
            replace(xml, None, "ipAddress", "a&b"),
            "<A><ipAddress>a&amp;b</ipAddress><G><ipAddress>2</ipAddress></G></A>"
        );
        assert_eq!(replace(xml, None, "nothing", "x"), xml);
    }

    #[test]
    fn ports_come_from_admin_accesses() {
        let list = "<AdminAccessProtocolList><AdminAccessProtocol><protocol>HTTP</protocol>\
                    <portNo>8080</portNo></AdminAccessProtocol><AdminAccessProtocol>\
                    <protocol>DEV_MANAGE</protocol><portNo>8001</portNo></AdminAccessProtocol>\
                    </AdminAccessProtocolList>";
        assert_eq!(port_of(list, "HTTP"), Some(8080));
        assert_eq!(port_of(list, "DEV_MANAGE"), Some(8001));
        assert_eq!(port_of(list, "RTSP"), None);
    }
}
