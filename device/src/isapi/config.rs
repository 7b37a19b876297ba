//! Configuration over ISAPI ([`crate::config`]): the same values the classic config calls
//! read and write.
//!
//! | request | document |
//! | --- | --- |
//! | `PUT /ISAPI/System/reboot` | reboots ([`Device::reboot`]: offline for [`REBOOT_TIME`]) |
//! | `PUT /ISAPI/System/deviceInfo` | `DeviceInfo`: `deviceName`, `telecontrolID` (the classic `dwDVRID`) |
//! | `GET`, `PUT /ISAPI/System/time/ntpServers/1` | `NTPServer`: `addressingFormatType` (`hostname`/`ipaddress`), `hostName` or `ipAddress`, `portNo`, `synchronizeInterval` (minutes) |
//! | `GET`, `PUT /ISAPI/System/Network/interfaces/1` | `NetworkInterface`: `IPAddress` (`addressingType`, `ipAddress`, `subnetMask`, `DefaultGateway`, `PrimaryDNS`, `SecondaryDNS`), `Link` |
//! | `GET`, `PUT /ISAPI/Streaming/channels/N01` (main), `N02` (sub) | `StreamingChannel`: `Video` (`videoCodecType`, `videoResolutionWidth/Height`, `constantBitRate` kbit/s, `maxFrameRate` in hundredths) |
//!
//! Whether NTP is on is `/ISAPI/System/time`'s `timeMode` (`NTP` or `manual`), as on
//! devices; the ports are `Security/adminAccesses`. A `PUT` takes the whole document (what
//! it leaves out keeps its value); admins only (4 `lowPrivilege`); unreadable values 6
//! `badParameters`, a document of another kind 6 `badXmlContent`.

use std::net::Ipv4Addr;

use super::{
    BAD_CONTENT, BAD_METHOD, BAD_PARAMETERS, NOT_FOUND, NS, Routed, Status, XML, XML_HEAD, element,
    escape, status_of, xml_body,
};
use crate::config::{Compression, Ntp, REBOOT_TIME};
use crate::media::VideoCodec;
use crate::scenario::Role;
use crate::{Device, DeviceError};

/// `Some` for the configuration paths.
pub(super) fn route(
    d: &Device,
    role: Role,
    method: &str,
    parts: &[&str],
    body: &[u8],
) -> Option<Routed> {
    type Get = fn(&Device, i32) -> Result<String, Status>;
    type Put = fn(&Device, Role, i32, &str) -> Result<(), Status>;
    let (id, get, put): (i32, Get, Put) = match parts {
        ["ISAPI", "System", "reboot"] => {
            if method != "PUT" {
                return Some(Err(BAD_METHOD));
            }
            let now = std::time::Instant::now();
            return Some(
                d.reboot(role, now, REBOOT_TIME)
                    .map(|()| None)
                    .map_err(model),
            );
        }
        // GET is the document of `isapi.rs`; PUT changes the name and `telecontrolID`.
        ["ISAPI", "System", "deviceInfo"] if method == "PUT" => {
            (0, |_, _| Err(BAD_METHOD), info_put)
        }
        ["ISAPI", "System", "time", "ntpServers", "1"] => (1, ntp_doc, ntp_put),
        ["ISAPI", "System", "Network", "interfaces", "1"] => (1, net_doc, net_put),
        ["ISAPI", "Streaming", "channels", id] => (id.parse().ok()?, stream_doc, stream_put),
        _ => return None,
    };
    Some(match method {
        "GET" => get(d, id).map(|x| Some((x.into_bytes(), XML))),
        "PUT" => xml_body(body)
            .and_then(|x| put(d, role, id, x))
            .map(|()| None),
        _ => Err(BAD_METHOD),
    })
}

fn model(e: DeviceError) -> Status {
    match e {
        DeviceError::NoChannel => NOT_FOUND,
        e => status_of(e),
    }
}

fn num<T: std::str::FromStr>(xml: &str, tag: &str) -> Result<Option<T>, Status> {
    element(xml, tag)
        .map(|v| v.parse().map_err(|_| BAD_PARAMETERS))
        .transpose()
}

fn ip(xml: &str, tag: &str) -> Result<Option<Ipv4Addr>, Status> {
    num(xml, tag)
}

/// The text inside `<tag>...</tag>` (the first one), for nested documents.
fn block<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..start + end])
}

fn info_put(d: &Device, role: Role, _: i32, xml: &str) -> Result<(), Status> {
    if !xml.contains("<DeviceInfo") {
        return Err(BAD_CONTENT);
    }
    let mut id = d.identity();
    id.device_id = num(xml, "telecontrolID")?.unwrap_or(id.device_id);
    let name = element(xml, "deviceName").map(unescape);
    if name.as_ref().is_some_and(|n| n.is_empty() || n.len() > 31) {
        return Err(BAD_PARAMETERS);
    }
    d.set_identity(role, id).map_err(model)?;
    if let Some(name) = name {
        d.set_name_bytes(name.into_bytes());
    }
    Ok(())
}

fn ntp_doc(d: &Device, _: i32) -> Result<String, Status> {
    let n = d.ntp();
    let (kind, addr) = match n.server.parse::<Ipv4Addr>() {
        Ok(_) => ("ipaddress", format!("<ipAddress>{}</ipAddress>", n.server)),
        Err(_) => (
            "hostname",
            format!("<hostName>{}</hostName>", escape(&n.server)),
        ),
    };
    Ok(format!(
        "{XML_HEAD}<NTPServer {NS}>\n<id>1</id>\n<addressingFormatType>{kind}</addressingFormatType>\n\
         {addr}\n<portNo>{}</portNo>\n<synchronizeInterval>{}</synchronizeInterval>\n</NTPServer>\n",
        n.port, n.interval_minutes
    ))
}

fn ntp_put(d: &Device, role: Role, _: i32, xml: &str) -> Result<(), Status> {
    if !xml.contains("<NTPServer") {
        return Err(BAD_CONTENT);
    }
    let old = d.ntp();
    let server = match element(xml, "addressingFormatType") {
        Some("ipaddress") => element(xml, "ipAddress"),
        Some("hostname") | None => element(xml, "hostName"),
        Some(_) => return Err(BAD_PARAMETERS),
    };
    let new = Ntp {
        enabled: old.enabled,
        server: server.map_or(old.server, unescape),
        port: num(xml, "portNo")?.unwrap_or(old.port),
        interval_minutes: num(xml, "synchronizeInterval")?.unwrap_or(old.interval_minutes),
    };
    d.set_ntp(role, new).map_err(model)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn net_doc(d: &Device, _: i32) -> Result<String, Status> {
    let n = d.network();
    let addressing = if n.dhcp { "dynamic" } else { "static" };
    Ok(format!(
        "{XML_HEAD}<NetworkInterface {NS}>\n<id>1</id>\n<IPAddress>\n<ipVersion>v4</ipVersion>\n\
         <addressingType>{addressing}</addressingType>\n<ipAddress>{}</ipAddress>\n\
         <subnetMask>{}</subnetMask>\n<DefaultGateway>\n<ipAddress>{}</ipAddress>\n</DefaultGateway>\n\
         <PrimaryDNS>\n<ipAddress>{}</ipAddress>\n</PrimaryDNS>\n\
         <SecondaryDNS>\n<ipAddress>{}</ipAddress>\n</SecondaryDNS>\n</IPAddress>\n\
         <Link>\n<MACAddress>00:00:5e:00:53:01</MACAddress>\n<autoNegotiation>true</autoNegotiation>\n\
         <speed>0</speed>\n<duplex>full</duplex>\n<MTU>1500</MTU>\n</Link>\n</NetworkInterface>\n",
        n.ip, n.mask, n.gateway, n.dns1, n.dns2
    ))
}

fn net_put(d: &Device, role: Role, _: i32, xml: &str) -> Result<(), Status> {
    let addr = block(xml, "IPAddress").ok_or(BAD_CONTENT)?;
    if !xml.contains("<NetworkInterface") {
        return Err(BAD_CONTENT);
    }
    let mut n = d.network();
    n.dhcp = match element(addr, "addressingType") {
        Some("dynamic") => true,
        Some("static") => false,
        None => n.dhcp,
        Some(_) => return Err(BAD_PARAMETERS),
    };
    n.ip = ip(addr, "ipAddress")?.unwrap_or(n.ip);
    n.mask = ip(addr, "subnetMask")?.unwrap_or(n.mask);
    let inner = |tag| block(addr, tag).map_or(Ok(None), |b| ip(b, "ipAddress"));
    n.gateway = inner("DefaultGateway")?.unwrap_or(n.gateway);
    n.dns1 = inner("PrimaryDNS")?.unwrap_or(n.dns1);
    n.dns2 = inner("SecondaryDNS")?.unwrap_or(n.dns2);
    d.set_network(role, n).map_err(model)
}

/// `N01` is channel N's main stream, `N02` its sub stream.
fn stream_of(id: i32) -> Result<(i32, bool), Status> {
    match id % 100 {
        1 => Ok((id / 100, false)),
        2 => Ok((id / 100, true)),
        _ => Err(NOT_FOUND),
    }
}

fn codec_name(c: VideoCodec) -> &'static str {
    match c {
        VideoCodec::H264 => "H.264",
        VideoCodec::H265 => "H.265",
    }
}

fn stream_doc(d: &Device, id: i32) -> Result<String, Status> {
    let (ch, sub) = stream_of(id)?;
    let c = d.compression(ch, sub).map_err(model)?;
    Ok(format!(
        "{XML_HEAD}<StreamingChannel {NS}>\n<id>{id}</id>\n<channelName>Camera {ch:02}</channelName>\n\
         <enabled>true</enabled>\n<Video>\n<enabled>true</enabled>\n\
         <videoInputChannelID>{ch}</videoInputChannelID>\n<videoCodecType>{}</videoCodecType>\n\
         <videoResolutionWidth>{}</videoResolutionWidth>\n<videoResolutionHeight>{}</videoResolutionHeight>\n\
         <videoQualityControlType>CBR</videoQualityControlType>\n<constantBitRate>{}</constantBitRate>\n\
         <maxFrameRate>{}</maxFrameRate>\n</Video>\n</StreamingChannel>\n",
        codec_name(c.codec),
        c.width,
        c.height,
        c.bitrate_kbps,
        c.fps * 100
    ))
}

fn stream_put(d: &Device, role: Role, id: i32, xml: &str) -> Result<(), Status> {
    let (ch, sub) = stream_of(id)?;
    let video = block(xml, "Video").ok_or(BAD_CONTENT)?;
    let old = d.compression(ch, sub).map_err(model)?;
    let codec = match element(video, "videoCodecType") {
        None => old.codec,
        Some("H.264") => VideoCodec::H264,
        Some("H.265") => VideoCodec::H265,
        Some(_) => return Err(BAD_PARAMETERS),
    };
    let fps: Option<u32> = num(video, "maxFrameRate")?;
    if fps.is_some_and(|f| f % 100 != 0) {
        return Err(BAD_PARAMETERS);
    }
    let new = Compression {
        codec,
        width: num(video, "videoResolutionWidth")?.unwrap_or(old.width),
        height: num(video, "videoResolutionHeight")?.unwrap_or(old.height),
        bitrate_kbps: num(video, "constantBitRate")?.unwrap_or(old.bitrate_kbps),
        fps: fps.map_or(old.fps, |f| f / 100),
    };
    d.set_compression(role, ch, sub, new).map_err(model)
}

#[cfg(test)]
mod tests {
    use crate::{Device, Pacing, Role, Scenario};

    fn dome() -> Device {
        let spec = Scenario::default().devices.into_iter().next().unwrap();
        Device::new(spec, Pacing::Realtime)
    }

    fn text(a: &crate::IsapiAnswer) -> String {
        String::from_utf8(a.body.clone()).unwrap()
    }

    #[test]
    fn ntp_put_then_get_and_classic_view() {
        let d = dome();
        let url = "/ISAPI/System/time/ntpServers/1";
        let body = "<NTPServer><id>1</id><addressingFormatType>hostname</addressingFormatType>\
                    <hostName>ntp.example</hostName><portNo>1123</portNo>\
                    <synchronizeInterval>30</synchronizeInterval></NTPServer>";
        let a = d.isapi(Role::Admin, "PUT", url, body.as_bytes());
        assert_eq!(a.http_status, 200, "{}", text(&a));
        let n = d.ntp();
        assert_eq!(
            (n.server.as_str(), n.port, n.interval_minutes),
            ("ntp.example", 1123, 30)
        );
        let got = text(&d.isapi(Role::Admin, "GET", url, b""));
        assert!(got.contains("<hostName>ntp.example</hostName>"), "{got}");
        let a = d.isapi(Role::Viewer, "PUT", url, body.as_bytes());
        assert_eq!(a.http_status, 403);
    }

    #[test]
    fn streaming_channel_and_network() {
        let d = dome();
        let ch = d.spec().start_channel;
        let url = format!("/ISAPI/Streaming/channels/{ch}01");
        let body = "<StreamingChannel><Video><videoCodecType>H.265</videoCodecType>\
                    <videoResolutionWidth>1280</videoResolutionWidth>\
                    <videoResolutionHeight>720</videoResolutionHeight>\
                    <constantBitRate>2048</constantBitRate><maxFrameRate>1500</maxFrameRate>\
                    </Video></StreamingChannel>";
        let a = d.isapi(Role::Admin, "PUT", &url, body.as_bytes());
        assert_eq!(a.http_status, 200, "{}", text(&a));
        let c = d.compression(i32::from(ch), false).unwrap();
        assert_eq!((c.width, c.bitrate_kbps, c.fps), (1280, 2048, 15));
        let bad = body.replace("720", "721");
        assert_eq!(
            d.isapi(Role::Admin, "PUT", &url, bad.as_bytes())
                .http_status,
            400
        );
        let url = "/ISAPI/System/Network/interfaces/1";
        let body = "<NetworkInterface><IPAddress><subnetMask>255.255.0.0</subnetMask>\
                    <PrimaryDNS><ipAddress>192.0.2.54</ipAddress></PrimaryDNS></IPAddress>\
                    </NetworkInterface>";
        assert_eq!(
            d.isapi(Role::Admin, "PUT", url, body.as_bytes())
                .http_status,
            200
        );
        let n = d.network();
        assert_eq!(n.mask.to_string(), "255.255.0.0");
        assert_eq!(n.dns1.to_string(), "192.0.2.54");
        assert!(text(&d.isapi(Role::Admin, "GET", url, b"")).contains("255.255.0.0"));
    }
}
