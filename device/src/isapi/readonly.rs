//! The read-only documents the real SDK reads after an ISAPI login
//! (`../shared/reference/real-sdk-isapi.md`, "Login"), and those it reads later: the
//! RTSP port (`Security/adminAccesses`, before every preview). The clock, which a client
//! may also set, is `time.rs`.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /ISAPI/Security/capabilities` | `SecurityCap` (user lock supported, the user limit) |
//! | `GET /SDK/language` | `Language`: English |
//! | `GET /ISAPI/System/IO/inputs` | `IOInputPortList`, `alarm_in` ports |
//! | `GET /ISAPI/System/IO/outputs` | `IOOutputPortList`, `alarm_out` ports |
//! | `GET /ISAPI/System/Video/inputs/channels` | `VideoInputChannelList`, the analog channels |
//! | `GET /ISAPI/ContentMgmt/InputProxy/channels` | `InputProxyChannelList`, an NVR's IP channels (the cameras at 192.0.2.101.. as `IPPARACFG_V40` reports them); an IPC: 404 |
//! | `GET /ISAPI/ContentMgmt/ZeroVideo/channels` | `ZeroVideoChannelList`: the scenario's `zero_channels`, disabled; none: 404 |
//! | `GET /ISAPI/System/TwoWayAudio/channels` | `TwoWayAudioChannelList`, `audio_channels` channels |
//! | `GET /ISAPI/ContentMgmt/Storage/hdd` | `hddList`, `disks` disks |
//! | `GET /ISAPI/Security/adminAccesses` | `AdminAccessProtocolList`: HTTP [`Device::http_port`], HTTPS 443, the device port, RTSP [`Device::rtsp_port`] |
//!
//! Another method on these paths gives 405 `methodNotAllowed`.

use std::fmt::Write as _;

use super::{BAD_METHOD, NOT_FOUND, NS, Routed, XML, XML_HEAD};
use crate::Device;
use crate::scenario::Kind;

/// `Some` when `parts` is one of the read-only documents.
pub(super) fn route(d: &Device, method: &str, parts: &[&str]) -> Option<Routed> {
    let doc: fn(&Device) -> Option<String> = match parts {
        ["ISAPI", "Security", "capabilities"] => security_cap,
        ["SDK", "language"] => |_: &Device| Some(element("Language", "<type>English</type>\n")),
        ["ISAPI", "System", "IO", "inputs"] => io_inputs,
        ["ISAPI", "System", "IO", "outputs"] => io_outputs,
        ["ISAPI", "System", "Video", "inputs", "channels"] => video_inputs,
        ["ISAPI", "ContentMgmt", "InputProxy", "channels"] => input_proxy,
        ["ISAPI", "ContentMgmt", "ZeroVideo", "channels"] => zero_video,
        ["ISAPI", "System", "TwoWayAudio", "channels"] => two_way_audio,
        ["ISAPI", "ContentMgmt", "Storage", "hdd"] => hdd_list,
        ["ISAPI", "Security", "adminAccesses"] => admin_accesses,
        _ => return None,
    };
    if method != "GET" {
        return Some(Err(BAD_METHOD));
    }
    Some(match doc(d) {
        Some(xml) => Ok(Some((xml.into_bytes(), XML))),
        None => Err(NOT_FOUND),
    })
}

/// `<name {NS}>inner</name>` after the XML declaration.
fn element(name: &str, inner: &str) -> String {
    format!("{XML_HEAD}<{name} {NS}>\n{inner}</{name}>\n")
}

fn security_cap(d: &Device) -> Option<String> {
    let s = d.spec();
    let inner = format!(
        "<supportUserNums>{}</supportUserNums>\n<userBondIpNums>0</userBondIpNums>\n\
         <userBondMacNums>0</userBondMacNums>\n<isSupCertificate>false</isSupCertificate>\n\
         <issupIllegalLoginLock>{}</issupIllegalLoginLock>\n\
         <isSupportOnlineUser>true</isSupportOnlineUser>\n<isSupportAnonymous>false</isSupportAnonymous>\n\
         <isSupportStreamEncryption>false</isSupportStreamEncryption>\n\
         <securityVersion opt=\"1\"/>\n<keyIterateNum>100</keyIterateNum>\n\
         <isSupportUserCheck>true</isSupportUserCheck>\n",
        s.max_sessions,
        s.login_retry_limit > 0,
    );
    Some(element("SecurityCap", &inner))
}

fn io_inputs(d: &Device) -> Option<String> {
    let mut inner = String::new();
    for id in 1..=u32::from(d.spec().alarm_in) {
        let _ = write!(
            inner,
            "<IOInputPort version=\"2.0\">\n<id>{id}</id>\n<enabled>true</enabled>\n\
             <triggering>low</triggering>\n</IOInputPort>\n"
        );
    }
    Some(element("IOInputPortList", &inner))
}

fn io_outputs(d: &Device) -> Option<String> {
    let mut inner = String::new();
    for id in 1..=u32::from(d.spec().alarm_out) {
        let _ = write!(
            inner,
            "<IOOutputPort version=\"2.0\">\n<id>{id}</id>\n<PowerOnState>\n\
             <defaultState>low</defaultState>\n<outputState>pulse</outputState>\n\
             <pulseDuration>1000</pulseDuration>\n</PowerOnState>\n</IOOutputPort>\n"
        );
    }
    Some(element("IOOutputPortList", &inner))
}

fn video_inputs(d: &Device) -> Option<String> {
    let s = d.spec();
    let mut inner = String::new();
    for i in 0..u32::from(s.analog()) {
        let id = u32::from(s.start_channel) + i;
        let _ = write!(
            inner,
            "<VideoInputChannel version=\"2.0\">\n<id>{id}</id>\n<inputPort>{}</inputPort>\n\
             <videoInputEnabled>true</videoInputEnabled>\n<name>Camera {id:02}</name>\n\
             <videoFormat>PAL</videoFormat>\n<resDesc>640*360P</resDesc>\n</VideoInputChannel>\n",
            i + 1
        );
    }
    Some(element("VideoInputChannelList", &inner))
}

fn input_proxy(d: &Device) -> Option<String> {
    let s = d.spec();
    if s.kind != Kind::Nvr {
        return None;
    }
    let mut inner = String::new();
    for i in 0..u32::from(s.ip_channels) {
        let id = i + 1;
        let _ = write!(
            inner,
            "<InputProxyChannel version=\"2.0\">\n<id>{id}</id>\n<name>IPCamera {id:02}</name>\n\
             <sourceInputPortDescriptor>\n<proxyProtocol>HIKVISION</proxyProtocol>\n\
             <addressingFormatType>ipaddress</addressingFormatType>\n\
             <ipAddress>192.0.2.{}</ipAddress>\n<managePortNo>8000</managePortNo>\n\
             <srcInputPort>1</srcInputPort>\n<userName>admin</userName>\n\
             <streamType>auto</streamType>\n</sourceInputPortDescriptor>\n\
             <enableAnr>false</enableAnr>\n</InputProxyChannel>\n",
            101 + i
        );
    }
    Some(element("InputProxyChannelList", &inner))
}

fn zero_video(d: &Device) -> Option<String> {
    let n = d.spec().zero_channels;
    if n == 0 {
        return None;
    }
    let mut inner = String::new();
    for id in 1..=u32::from(n) {
        let _ = write!(
            inner,
            "<ZeroVideoChannel version=\"2.0\">\n<id>{id}</id>\n<enabled>false</enabled>\n\
             <inputPort>1</inputPort>\n</ZeroVideoChannel>\n"
        );
    }
    Some(element("ZeroVideoChannelList", &inner))
}

fn two_way_audio(d: &Device) -> Option<String> {
    let mut inner = String::new();
    for id in 1..=u32::from(d.spec().audio_channels) {
        let _ = write!(
            inner,
            "<TwoWayAudioChannel version=\"2.0\">\n<id>{id}</id>\n<enabled>false</enabled>\n\
             <audioCompressionType>G.711ulaw</audioCompressionType>\n\
             <audioInputType>MicIn</audioInputType>\n<speakerVolume>50</speakerVolume>\n\
             <noisereduce>false</noisereduce>\n</TwoWayAudioChannel>\n"
        );
    }
    Some(element("TwoWayAudioChannelList", &inner))
}

fn hdd_list(d: &Device) -> Option<String> {
    let mut inner = String::new();
    for id in 1..=u32::from(d.spec().disks) {
        let _ = write!(
            inner,
            "<hdd version=\"2.0\">\n<id>{id}</id>\n<hddName>hdd{id}</hddName>\n\
             <hddPath></hddPath>\n<hddType>SATA</hddType>\n<status>ok</status>\n\
             <capacity>1907729</capacity>\n<freeSpace>1048576</freeSpace>\n\
             <property>RW</property>\n</hdd>\n"
        );
    }
    Some(element("hddList", &inner))
}

fn admin_accesses(d: &Device) -> Option<String> {
    let net = d.network();
    let protocols = [
        ("HTTP", d.http_port()),
        ("HTTPS", 443),
        ("DEV_MANAGE", net.sdk_port),
        ("RTSP", d.rtsp_port()),
    ];
    let mut inner = String::new();
    for (i, (name, port)) in protocols.iter().enumerate() {
        let _ = write!(
            inner,
            "<AdminAccessProtocol version=\"2.0\">\n<id>{}</id>\n<enabled>true</enabled>\n\
             <protocol>{name}</protocol>\n<portNo>{port}</portNo>\n</AdminAccessProtocol>\n",
            i + 1
        );
    }
    Some(element("AdminAccessProtocolList", &inner))
}

#[cfg(test)]
mod tests;
