//! The classic face: `NET_DVR_GetDVRConfig` / `SetDVRConfig` with the C structs, and the
//! mapping between them and the typed settings.

use hcnetsdk_sys::values::{CUSTOM_BITRATE, FRAME_RATES, RESOLUTIONS};
use std::net::Ipv4Addr;

use hcnetsdk_sys as sys;

use super::{
    Compression, ConfigStruct, DeviceSettings, Network, Ntp, StreamCompression, VideoCodec,
};
use crate::error::{Error, Result};
use crate::ffi::{cstr, resolve};
use crate::session::Session;
use crate::text;

fn long(session: &Session, channel: u32) -> Result<sys::LONG> {
    sys::LONG::try_from(channel).map_err(|_| {
        Error::invalid_input("channel", channel, "use a channel number below 2^31")
            .with_context(session.context())
    })
}

/// One `T` from the SDK: the buffer is exactly one `T` and its size is passed.
pub(super) fn get<T: ConfigStruct>(session: &Session, channel: u32) -> Result<T> {
    let lchannel = long(session, channel)?;
    let ctx = session.context();
    let live = session.live()?;
    let mut value = T::default();
    value.prepare();
    let mut returned: sys::DWORD = 0;
    let size = size_of::<T>() as sys::DWORD;
    // SAFETY: `value` is a live T, the command's own struct by `ConfigStruct`'s contract,
    // and its exact size is passed; `returned` is a live DWORD.
    resolve!(session.sdk().lib(), NET_DVR_GetDVRConfig).bool(&ctx, |f| unsafe {
        f(
            live.user_id(),
            T::GET,
            lchannel,
            (&raw mut value).cast(),
            size,
            &raw mut returned,
        )
    })?;
    Ok(value)
}

/// Hand one `T` to the SDK (after [`ConfigStruct::prepare`] on a copy).
pub(super) fn set<T: ConfigStruct>(session: &Session, channel: u32, value: &T) -> Result<()> {
    let Some(command) = T::SET else {
        return Err(Error::invalid_input(
            "struct",
            std::any::type_name::<T>(),
            "this configuration can only be read",
        )
        .with_context(session.context()));
    };
    let lchannel = long(session, channel)?;
    let ctx = session.context();
    let live = session.live()?;
    let mut value = *value;
    value.prepare();
    // SAFETY: as in `get`: one live T and its exact size.
    resolve!(session.sdk().lib(), NET_DVR_SetDVRConfig).bool(&ctx, |f| unsafe {
        f(
            live.user_id(),
            command,
            lchannel,
            (&raw mut value).cast(),
            size_of::<T>() as sys::DWORD,
        )
    })
}

/// `NET_DVR_RebootDVR` / `NET_DVR_ShutDownDVR`.
pub(super) fn power(session: &Session, shutdown: bool) -> Result<()> {
    let ctx = session.context();
    let live = session.live()?;
    let user = live.user_id();
    let lib = session.sdk().lib();
    if shutdown {
        // SAFETY: a plain user ID.
        resolve!(lib, NET_DVR_ShutDownDVR).bool(&ctx, |f| unsafe { f(user) })
    } else {
        // SAFETY: a plain user ID.
        resolve!(lib, NET_DVR_RebootDVR).bool(&ctx, |f| unsafe { f(user) })
    }
}

fn encoding(session: &Session) -> &'static encoding_rs::Encoding {
    text::device_encoding(session.device_info().char_encoding)
}

pub(super) fn device(session: &Session) -> Result<DeviceSettings> {
    let c: sys::NET_DVR_DEVICECFG_V40 = get(session, 0)?;
    Ok(DeviceSettings {
        name: text::decode_field(&c.sDVRName, encoding(session)),
        device_id: c.dwDVRID,
    })
}

pub(super) fn set_device(session: &Session, v: &DeviceSettings) -> Result<()> {
    let mut c: sys::NET_DVR_DEVICECFG_V40 = get(session, 0)?;
    let (bytes, _, _) = encoding(session).encode(&v.name);
    if bytes.len() >= c.sDVRName.len() {
        return Err(Error::invalid_input(
            "name",
            &v.name,
            "the device's encoding makes it too long: use a shorter name",
        )
        .with_context(session.context()));
    }
    cstr::byte_field_into(&mut c.sDVRName, "name", &bytes, &v.name)
        .map_err(|e| e.with_context(session.context()))?;
    c.dwDVRID = v.device_id;
    set(session, 0, &c)
}

fn field_text(b: &[u8]) -> String {
    String::from_utf8_lossy(sys::text::until_nul(b)).into_owned()
}

pub(super) fn ntp(session: &Session) -> Result<Ntp> {
    let p: sys::NET_DVR_NTPPARA = get(session, 0)?;
    Ok(Ntp {
        enabled: p.byEnableNTP != 0,
        server: field_text(&p.sNTPServer),
        port: p.wNtpPort,
        interval_minutes: p.wInterval,
    })
}

/// Read, change the NTP fields, write: the zone offset in the same struct stays.
pub(super) fn set_ntp(session: &Session, v: &Ntp) -> Result<()> {
    let mut p: sys::NET_DVR_NTPPARA = get(session, 0)?;
    cstr::byte_field_into(&mut p.sNTPServer, "server", v.server.as_bytes(), &v.server)
        .map_err(|e| e.with_context(session.context()))?;
    p.byEnableNTP = u8::from(v.enabled);
    p.wNtpPort = v.port;
    p.wInterval = v.interval_minutes;
    set(session, 0, &p)
}

fn ip_of(a: &sys::NET_DVR_IPADDR) -> Ipv4Addr {
    field_text(sys::text::c_until_nul(&a.sIpV4))
        .parse()
        .unwrap_or(Ipv4Addr::UNSPECIFIED)
}

fn set_ip(a: &mut sys::NET_DVR_IPADDR, ip: Ipv4Addr) {
    // An IPv4 address's text (at most 15 bytes) always fits the 16-byte field.
    sys::text::c_copy_truncating(&mut a.sIpV4, ip.to_string().as_bytes());
}

pub(super) fn network(session: &Session) -> Result<Network> {
    let c: Box<sys::NET_DVR_NETCFG_V50> = Box::new(get(session, 0)?);
    let e = &c.struEtherNet[0];
    Ok(Network {
        ip: ip_of(&e.struDVRIP),
        mask: ip_of(&e.struDVRIPMask),
        gateway: ip_of(&c.struGatewayIpAddr),
        dns1: ip_of(&c.struDnsServer1IpAddr),
        dns2: ip_of(&c.struDnsServer2IpAddr),
        sdk_port: e.wDVRPort,
        http_port: c.wHttpPortNo,
        dhcp: c.byUseDhcp != 0,
    })
}

pub(super) fn set_network(session: &Session, v: &Network) -> Result<()> {
    let mut c: Box<sys::NET_DVR_NETCFG_V50> = Box::new(get(session, 0)?);
    let e = &mut c.struEtherNet[0];
    set_ip(&mut e.struDVRIP, v.ip);
    set_ip(&mut e.struDVRIPMask, v.mask);
    e.wDVRPort = v.sdk_port;
    set_ip(&mut c.struGatewayIpAddr, v.gateway);
    set_ip(&mut c.struDnsServer1IpAddr, v.dns1);
    set_ip(&mut c.struDnsServer2IpAddr, v.dns2);
    c.wHttpPortNo = v.http_port;
    c.byUseDhcp = u8::from(v.dhcp);
    set(session, 0, &*c)
}

fn stream_of(i: &sys::NET_DVR_COMPRESSION_INFO_V30) -> StreamCompression {
    let (width, height) = RESOLUTIONS
        .iter()
        .find(|r| r.0 == i.byResolution)
        .map_or((0, 0), |r| (r.1, r.2));
    StreamCompression {
        codec: if i.byVideoEncType == VideoCodec::H265.raw() {
            VideoCodec::H265
        } else {
            VideoCodec::H264
        },
        width,
        height,
        bitrate_kbps: i.dwVideoBitrate & !CUSTOM_BITRATE,
        fps: match i.dwVideoFrameRate {
            0 => 25,
            code => FRAME_RATES.iter().find(|f| f.0 == code).map_or(0, |f| f.1),
        },
    }
}

fn fill_stream(
    session: &Session,
    i: &mut sys::NET_DVR_COMPRESSION_INFO_V30,
    v: &StreamCompression,
) -> Result<()> {
    let bad = |field, value: String, fix: &str| {
        Err(Error::invalid_input(field, value, fix).with_context(session.context()))
    };
    let Some(res) = RESOLUTIONS
        .iter()
        .find(|r| (r.1, r.2) == (v.width, v.height))
    else {
        let sizes: Vec<String> = RESOLUTIONS
            .iter()
            .map(|r| format!("{}x{}", r.1, r.2))
            .collect();
        let fix = format!("use one of {}", sizes.join(", "));
        return bad("resolution", format!("{}x{}", v.width, v.height), &fix);
    };
    let Some(fps) = FRAME_RATES.iter().find(|f| f.1 == v.fps) else {
        let fix = "use 1, 2, 4, 6, 8, 10, 12, 15, 16, 18, 20, 22, 25 or 30";
        return bad("fps", v.fps.to_string(), fix);
    };
    if v.bitrate_kbps == 0 || v.bitrate_kbps >= CUSTOM_BITRATE {
        return bad("bitrate_kbps", v.bitrate_kbps.to_string(), "use 32..=16384");
    }
    i.byResolution = res.0;
    i.dwVideoFrameRate = fps.0;
    i.dwVideoBitrate = CUSTOM_BITRATE | v.bitrate_kbps;
    i.byVideoEncType = v.codec.raw();
    Ok(())
}

pub(super) fn compression(session: &Session, channel: u32) -> Result<Compression> {
    let c: sys::NET_DVR_COMPRESSIONCFG_V30 = get(session, channel)?;
    Ok(Compression {
        main: stream_of(&c.struNormHighRecordPara),
        sub: stream_of(&c.struNetPara),
    })
}

pub(super) fn set_compression(session: &Session, channel: u32, v: &Compression) -> Result<()> {
    let mut c: sys::NET_DVR_COMPRESSIONCFG_V30 = get(session, channel)?;
    fill_stream(session, &mut c.struNormHighRecordPara, &v.main)?;
    fill_stream(session, &mut c.struNetPara, &v.sub)?;
    set(session, channel, &c)
}
