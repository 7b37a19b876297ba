//! Device information and configuration (`NET_DVR_DEVICEINFO_V30/V40`,
//! `NET_DVR_GetDVRConfig` / `SetDVRConfig`), PTZ targeting, snapshots, and the clock and
//! time zone (`GET/SET_TIMECFG`, `GET/SET_NTPCFG`, `GET/SET_ZONEANDDST`).

use std::sync::Arc;

use std::net::Ipv4Addr;

use hcnetsdk_device::config::Compression;
use hcnetsdk_device::media::VideoCodec;
use hcnetsdk_device::time::{DstRule, RulePoint};
use hcnetsdk_sys::values::{CUSTOM_BITRATE, FRAME_RATES, RESOLUTIONS};
use hcnetsdk_sys::{
    NET_DVR_COMPRESSION_INFO_V30, NET_DVR_COMPRESSIONCFG_V30, NET_DVR_DEVICECFG_V40,
    NET_DVR_DEVICEINFO_V30, NET_DVR_DEVICEINFO_V40, NET_DVR_IPADDR, NET_DVR_IPPARACFG_V40,
    NET_DVR_JPEGPARA, NET_DVR_NETCFG_V50, NET_DVR_NTPPARA, NET_DVR_PTZPOS, NET_DVR_TIME,
    NET_DVR_TIMEPOINT, NET_DVR_ZONEANDDST,
};

use crate::errors::{CREATEFILE_ERROR, ISAPI_NOT_SUPPORT, NOENOUGHPRI, NOSUPPORT, PARAMETER_ERROR};
use crate::ffi::{Fail, Res};
use crate::ptz::{self, Pos, PtzState};
use crate::registry::{Device, Session};
use crate::scenario::Kind;
use hcnetsdk_sys::text;

/// `NET_DVR_DEVICEINFO_V30` for a device.
pub(crate) fn device_info_v30(dev: &Device) -> NET_DVR_DEVICEINFO_V30 {
    let s = dev.spec();
    let mut d = NET_DVR_DEVICEINFO_V30::default();
    text::copy_truncating(
        &mut d.sSerialNumber,
        s.serial.as_deref().unwrap_or("").as_bytes(),
    );
    d.byAlarmInPortNum = s.alarm_in;
    d.byAlarmOutPortNum = s.alarm_out;
    d.byDiskNum = s.disks;
    d.byDVRType = s.dvr_type.unwrap_or(0);
    d.byChanNum = s.analog();
    d.byStartChan = s.start_channel;
    d.byAudioChanNum = s.audio_channels;
    d.byIPChanNum = s.ip_channels;
    d.byHighDChanNum = 0;
    d.byStartDChan = s.start_ip();
    d.wDevType = s.device_type.unwrap_or(0);
    d.byZeroChanNum = s.zero_channels;
    d.byLanguageType = 2; // bit 1: English
    d
}

/// `NET_DVR_DEVICEINFO_V40` for a device after a successful login in `mode`.
pub(crate) fn device_info_v40(dev: &Device, mode: u8) -> NET_DVR_DEVICEINFO_V40 {
    let mut d = NET_DVR_DEVICEINFO_V40 {
        struDeviceV30: device_info_v30(dev),
        ..Default::default()
    };
    d.bySupportLock = 1;
    d.byRetryLoginTime = dev.retries_left();
    d.byPasswordLevel = 2; // a valid, non-default password
    d.dwSurplusLockTime = 0;
    d.byCharEncodeType = dev.spec().charset.code();
    d.byLoginMode = if mode == 1 { 1 } else { 0 };
    if mode == 1 {
        isapi_view(&mut d, dev.spec().kind);
    }
    d
}

/// What the real SDK derives after an ISAPI login from the device model's ISAPI answers
/// (measured with 6.1.9.48 against the emulator, `emulator/tests/emulator_real_sdk.rs`),
/// where the private protocol's fields differ: UTF-8 text (6), the device type from
/// `deviceInfo`'s `<deviceType>` (`IPCamera`: 30/30, `NVR`: wDevType 2216, byDVRType 0),
/// and no password level (0: the SDK's ISAPI login reads only the status, session ID,
/// activation and lock fields of the `SessionLogin` answer).
fn isapi_view(d: &mut NET_DVR_DEVICEINFO_V40, kind: Kind) {
    d.byCharEncodeType = 6;
    d.byPasswordLevel = 0;
    let v30 = &mut d.struDeviceV30;
    (v30.wDevType, v30.byDVRType) = match kind {
        Kind::Nvr => (2216, 0),
        Kind::Ipc => (30, 30),
    };
}

/// `NET_DVR_DEVICECFG_V40` for a device.
pub(crate) fn device_cfg_v40(dev: &Device) -> NET_DVR_DEVICECFG_V40 {
    let s = dev.spec();
    let mut c = NET_DVR_DEVICECFG_V40 {
        dwSize: size_of::<NET_DVR_DEVICECFG_V40>() as u32,
        ..Default::default()
    };
    text::copy_truncating(&mut c.sDVRName, &dev.name_bytes());
    let id = dev.identity();
    c.dwDVRID = id.device_id;
    c.dwRecycleRecord = u32::from(id.recycle_record);
    text::copy_truncating(
        &mut c.sSerialNumber,
        s.serial.as_deref().unwrap_or("").as_bytes(),
    );
    let (ver, date) = s.firmware_words();
    c.dwSoftwareVersion = ver;
    c.dwSoftwareBuildDate = date;
    c.dwDSPSoftwareVersion = 0x0007_0003;
    c.dwDSPSoftwareBuildDate = date;
    c.dwHardwareVersion = 0x0100;
    c.byAlarmInPortNum = s.alarm_in;
    c.byAlarmOutPortNum = s.alarm_out;
    c.byRS485Num = u8::from(s.ptz);
    c.byNetworkPortNum = 1;
    c.byDiskNum = s.disks;
    c.byDVRType = s.dvr_type.unwrap_or(0);
    c.byChanNum = s.analog();
    c.byStartChan = s.start_channel;
    c.byAudioNum = s.audio_channels;
    c.byIPChanNum = s.ip_channels;
    c.byHighIPChanNum = 0;
    c.wDevType = s.device_type.unwrap_or(0);
    text::copy_truncating(&mut c.byDevTypeName, s.model.as_bytes());
    c.byAnalogAlarmInPortNum = s.alarm_in;
    c.byStartAlarmInNo = 1;
    c.byStartAlarmOutNo = 1;
    c
}

/// `NET_DVR_IPPARACFG_V40` (NVRs only: an IPC gives 23). IP channel `i` (0-based) is a
/// camera at 192.0.2.(101 + i):8000, user admin, online.
pub(crate) fn ip_para_cfg_v40(dev: &Device) -> Res<Box<NET_DVR_IPPARACFG_V40>> {
    let s = dev.spec();
    if s.kind != Kind::Nvr || s.ip_channels == 0 {
        return Err(Fail::Code(NOSUPPORT));
    }
    let mut c: Box<NET_DVR_IPPARACFG_V40> = Box::default();
    c.dwSize = size_of::<NET_DVR_IPPARACFG_V40>() as u32;
    c.dwGroupNum = 1;
    c.dwAChanNum = u32::from(s.analog());
    c.dwDChanNum = u32::from(s.ip_channels);
    c.dwStartDChan = u32::from(s.start_ip());
    for i in 0..usize::from(s.analog()).min(64) {
        c.byAnalogChanEnable[i] = 1;
    }
    for i in 0..usize::from(s.ip_channels).min(64) {
        let dev_info = &mut c.struIPDevInfo[i];
        dev_info.byEnable = 1;
        dev_info.byProType = 0;
        text::copy_truncating(&mut dev_info.sUserName, b"admin");
        text::c_copy_truncating(
            &mut dev_info.struIP.sIpV4,
            format!("192.0.2.{}", 101 + i).as_bytes(),
        );
        dev_info.wDVRPort = 8000;
        let mode = &mut c.struStreamMode[i];
        mode.byGetStreamType = 0;
        // SAFETY-free union write: assigning a whole Copy field of a union is safe.
        mode.uGetStream.struChanInfo = hcnetsdk_sys::NET_DVR_IPCHANINFO {
            byEnable: 1,
            byIPID: (i + 1) as u8,
            byChannel: 1,
            byIPIDHigh: ((i + 1) >> 8) as u8,
            byTransProtocol: 0,
            byGetStream: 0,
            byres: [0; 30],
        };
    }
    Ok(c)
}

/// `SET_DEVICECFG_V40`: the device name, ID and recycle flag (admin only). The name bytes are kept as sent.
pub(crate) fn set_device_cfg_v40(session: &Session, cfg: &NET_DVR_DEVICECFG_V40) -> Res<()> {
    if !session.role.can_configure() {
        return Err(Fail::Code(NOENOUGHPRI));
    }
    let identity = hcnetsdk_device::config::Identity {
        device_id: cfg.dwDVRID,
        recycle_record: cfg.dwRecycleRecord != 0,
    };
    session.device.set_identity(session.role, identity)?;
    let name = &cfg.sDVRName;
    let end = name.iter().position(|b| *b == 0).unwrap_or(name.len());
    session.device.set_name_bytes(name[..end].to_vec());
    Ok(())
}

// ---- Settings of the model (`hcnetsdk_device::config`): NTP, network, compression ----

/// Checks of the classic settings calls: on an ISAPI login `isapi_code` (the real SDK
/// logged into the emulator refuses `GET_NTPCFG`, `GET_NETCFG_V50` and
/// `GET_COMPRESSCFG_V30` with 23, measured by `emulator/tests/config_real_sdk.rs`; 189 for
/// reboot and shutdown is our choice), reachable (7), and for a set the admin's right (2).
fn settings_checks(session: &Session, set: bool, isapi_code: u32) -> Res<()> {
    if session.isapi {
        return Err(Fail::Code(isapi_code));
    }
    session.device.reach()?;
    if set && !session.role.can_configure() {
        return Err(Fail::Code(NOENOUGHPRI));
    }
    Ok(())
}

/// 17 unless `dw_size` is `T`'s size (the `dwSize` rule of the sized structs: our
/// choice, the real SDK's answer needs a device to observe).
fn sized<T>(dw_size: u32) -> Res<()> {
    if dw_size as usize == size_of::<T>() {
        Ok(())
    } else {
        Err(Fail::Code(PARAMETER_ERROR))
    }
}

fn field_text(b: &[u8]) -> Res<String> {
    String::from_utf8(text::until_nul(b).to_vec()).map_err(|_| Fail::Code(PARAMETER_ERROR))
}

/// The NTP fields of `NET_DVR_NTPPARA` (server, interval, on/off, port); the zone offset
/// fields are the clock's (`cTimeDifferenceH/M`).
pub(crate) fn ntp_fields(session: &Session, p: &mut NET_DVR_NTPPARA) {
    let n = session.device.ntp();
    text::copy_truncating(&mut p.sNTPServer, n.server.as_bytes());
    p.wInterval = n.interval_minutes;
    p.byEnableNTP = u8::from(n.enabled);
    p.wNtpPort = n.port;
}

/// Store the NTP fields of `NET_DVR_NTPPARA` (17 for values the model refuses).
pub(crate) fn store_ntp_fields(session: &Session, p: &NET_DVR_NTPPARA) -> Res<()> {
    let ntp = hcnetsdk_device::config::Ntp {
        enabled: p.byEnableNTP != 0,
        server: field_text(&p.sNTPServer)?,
        port: p.wNtpPort,
        interval_minutes: p.wInterval,
    };
    Ok(session.device.set_ntp(session.role, ntp)?)
}

fn ip_field(a: &NET_DVR_IPADDR) -> Res<Ipv4Addr> {
    let s = field_text(text::c_until_nul(&a.sIpV4))?;
    if s.is_empty() {
        return Ok(Ipv4Addr::UNSPECIFIED);
    }
    s.parse().map_err(|_| Fail::Code(PARAMETER_ERROR))
}

fn set_ip_field(a: &mut NET_DVR_IPADDR, ip: Ipv4Addr) {
    text::c_copy_truncating(&mut a.sIpV4, ip.to_string().as_bytes());
}

/// `NET_DVR_GET_NETCFG_V50`: the first interface, gateway, DNS, ports.
pub(crate) fn get_net_cfg_v50(session: &Session) -> Res<Box<NET_DVR_NETCFG_V50>> {
    settings_checks(session, false, NOSUPPORT)?;
    let n = session.device.network();
    let mut c: Box<NET_DVR_NETCFG_V50> = Box::default();
    c.dwSize = size_of::<NET_DVR_NETCFG_V50>() as u32;
    let e = &mut c.struEtherNet[0];
    set_ip_field(&mut e.struDVRIP, n.ip);
    set_ip_field(&mut e.struDVRIPMask, n.mask);
    e.dwNetInterface = 5; // auto-negotiation
    e.wDVRPort = n.sdk_port;
    e.wMTU = 1500;
    e.byMACAddr = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01];
    e.byEthernetPortNo = 1;
    set_ip_field(&mut c.struGatewayIpAddr, n.gateway);
    set_ip_field(&mut c.struDnsServer1IpAddr, n.dns1);
    set_ip_field(&mut c.struDnsServer2IpAddr, n.dns2);
    c.wHttpPortNo = n.http_port;
    c.byUseDhcp = u8::from(n.dhcp);
    c.byEnableDNS = 1;
    Ok(c)
}

/// `NET_DVR_SET_NETCFG_V50` (17 for a wrong `dwSize` or values the model refuses).
pub(crate) fn set_net_cfg_v50(session: &Session, c: &NET_DVR_NETCFG_V50) -> Res<()> {
    settings_checks(session, true, NOSUPPORT)?;
    sized::<NET_DVR_NETCFG_V50>(c.dwSize)?;
    let e = &c.struEtherNet[0];
    let n = hcnetsdk_device::config::Network {
        ip: ip_field(&e.struDVRIP)?,
        mask: ip_field(&e.struDVRIPMask)?,
        gateway: ip_field(&c.struGatewayIpAddr)?,
        dns1: ip_field(&c.struDnsServer1IpAddr)?,
        dns2: ip_field(&c.struDnsServer2IpAddr)?,
        sdk_port: e.wDVRPort,
        http_port: c.wHttpPortNo,
        dhcp: c.byUseDhcp != 0,
    };
    Ok(session.device.set_network(session.role, n)?)
}

fn compression_info(c: Compression) -> NET_DVR_COMPRESSION_INFO_V30 {
    let res = RESOLUTIONS
        .iter()
        .find(|r| (r.1, r.2) == (c.width, c.height));
    NET_DVR_COMPRESSION_INFO_V30 {
        byStreamType: 1,
        byResolution: res.map_or(0xff, |r| r.0),
        byBitrateType: 1,
        dwVideoBitrate: CUSTOM_BITRATE | c.bitrate_kbps,
        dwVideoFrameRate: FRAME_RATES.iter().find(|f| f.1 == c.fps).map_or(0, |f| f.0),
        wIntervalFrameI: 50,
        byVideoEncType: match c.codec {
            VideoCodec::H264 => 1,
            VideoCodec::H265 => 10,
        },
        ..Default::default()
    }
}

fn compression_of(i: &NET_DVR_COMPRESSION_INFO_V30) -> Res<Compression> {
    let bad = || Fail::Code(PARAMETER_ERROR);
    let &(_, width, height) = RESOLUTIONS
        .iter()
        .find(|r| r.0 == i.byResolution)
        .ok_or_else(bad)?;
    if i.dwVideoBitrate & CUSTOM_BITRATE == 0 {
        return Err(bad());
    }
    let fps = match i.dwVideoFrameRate {
        0 => 25,
        code => FRAME_RATES.iter().find(|f| f.0 == code).ok_or_else(bad)?.1,
    };
    Ok(Compression {
        codec: match i.byVideoEncType {
            1 => VideoCodec::H264,
            10 => VideoCodec::H265,
            _ => return Err(bad()),
        },
        width,
        height,
        bitrate_kbps: i.dwVideoBitrate & !CUSTOM_BITRATE,
        fps,
    })
}

/// `NET_DVR_GET_COMPRESSCFG_V30`: main stream (`struNormHighRecordPara`, also the event
/// recording's) and sub stream (`struNetPara`) of `channel`.
pub(crate) fn get_compress_cfg_v30(
    session: &Session,
    channel: i32,
) -> Res<NET_DVR_COMPRESSIONCFG_V30> {
    settings_checks(session, false, NOSUPPORT)?;
    let main = compression_info(session.device.compression(channel, false)?);
    Ok(NET_DVR_COMPRESSIONCFG_V30 {
        dwSize: size_of::<NET_DVR_COMPRESSIONCFG_V30>() as u32,
        struNormHighRecordPara: main,
        struEventRecordPara: main,
        struNetPara: compression_info(session.device.compression(channel, true)?),
        ..Default::default()
    })
}

/// `NET_DVR_SET_COMPRESSCFG_V30`: both streams, checked before either is stored.
pub(crate) fn set_compress_cfg_v30(
    session: &Session,
    channel: i32,
    c: &NET_DVR_COMPRESSIONCFG_V30,
) -> Res<()> {
    settings_checks(session, true, NOSUPPORT)?;
    sized::<NET_DVR_COMPRESSIONCFG_V30>(c.dwSize)?;
    session.device.check_channel(channel)?;
    let main = compression_of(&c.struNormHighRecordPara)?;
    let sub = compression_of(&c.struNetPara)?;
    let dev = &session.device;
    dev.set_compression(session.role, channel, false, main)?;
    Ok(dev.set_compression(session.role, channel, true, sub)?)
}

/// `NET_DVR_RebootDVR` (`shutdown` false) and `NET_DVR_ShutDownDVR`: admin only (2); on an
/// ISAPI login 189 (our choice, like the other classic calls). The device goes offline at
/// once, so every session gets `EXCEPTION_EXCHANGE`; a reboot brings it back after
/// `REBOOT_TIME` (the model turns it on when next asked) and sessions reconnect as after
/// any outage.
pub(crate) fn power(session: &Session, shutdown: bool) -> Res<()> {
    settings_checks(session, true, ISAPI_NOT_SUPPORT)?;
    let dev = session.device.clone();
    crate::lifecycle::set_online(&dev, false);
    if shutdown {
        return Ok(dev.shutdown(session.role)?);
    }
    let now = std::time::Instant::now();
    dev.reboot(session.role, now, hcnetsdk_device::config::REBOOT_TIME)?;
    Ok(())
}

/// 189 for a classic call the real SDK refuses on an ISAPI login (without sending
/// anything: `../shared/reference/real-sdk-isapi.md`).
pub(crate) fn classic_only(session: &Session) -> Res<()> {
    if session.isapi {
        return Err(Fail::Code(ISAPI_NOT_SUPPORT));
    }
    Ok(())
}

/// Checks every classic PTZ call makes once its parameters are valid: not an ISAPI login
/// (189), then those of [`ptz_state`].
pub(crate) fn with_ptz<R, E>(
    session: &Session,
    channel: i32,
    f: impl FnOnce(&mut PtzState) -> Result<R, E>,
) -> Res<R>
where
    Fail: From<E>,
{
    classic_only(session)?;
    ptz_state(session, channel, f)
}

/// Checks of every PTZ request, classic or ISAPI: device reachable (7), then the model's
/// (`hcnetsdk_device::Device::ptz`): channel (4), PTZ present (23), the user's right (2).
/// Then runs `f` on the channel state.
pub(crate) fn ptz_state<R, E>(
    session: &Session,
    channel: i32,
    f: impl FnOnce(&mut PtzState) -> Result<R, E>,
) -> Res<R>
where
    Fail: From<E>,
{
    let dev: &Arc<Device> = &session.device;
    dev.reach()?;
    dev.ptz(channel, session.role, |st| f(st).map_err(Fail::from))
}

/// `NET_DVR_GET_PTZPOS`.
pub(crate) fn get_ptz_pos(session: &Session, channel: i32) -> Res<NET_DVR_PTZPOS> {
    with_ptz(session, channel, |st| {
        let p = st.position();
        Ok::<_, Fail>(NET_DVR_PTZPOS {
            wAction: 1,
            wPanPos: ptz::encode(p.pan),
            wTiltPos: ptz::encode(p.tilt),
            wZoomPos: ptz::encode(p.zoom),
        })
    })
}

/// `NET_DVR_SET_PTZPOS`: wAction 1 all, 2 pan+tilt, 3 zoom, 4 pan, 5 tilt; digits 0-9 only;
/// pan < 360, tilt <= 90, zoom 1..=max (else 17).
pub(crate) fn set_ptz_pos(session: &Session, channel: i32, pos: &NET_DVR_PTZPOS) -> Res<()> {
    let bad = || Fail::Code(PARAMETER_ERROR);
    if !(1..=5).contains(&pos.wAction) {
        return Err(bad());
    }
    let pan = ptz::decode(pos.wPanPos).ok_or_else(bad)?;
    let tilt = ptz::decode(pos.wTiltPos).ok_or_else(bad)?;
    let zoom = ptz::decode(pos.wZoomPos).ok_or_else(bad)?;
    let uses_pan = matches!(pos.wAction, 1 | 2 | 4);
    let uses_tilt = matches!(pos.wAction, 1 | 2 | 5);
    let uses_zoom = matches!(pos.wAction, 1 | 3);
    if (uses_pan && pan >= 360.0) || (uses_tilt && tilt > 90.0) {
        return Err(bad());
    }
    with_ptz(session, channel, |st| {
        if uses_zoom && !(1.0..=st.max_zoom()).contains(&zoom) {
            return Err(bad());
        }
        st.set_position(pos.wAction, Pos { pan, tilt, zoom });
        Ok(())
    })
}

/// Record what a snapshot call sent in its `NET_DVR_JPEGPARA` on the session's device
/// (`MOCK_GetDeviceValue` "last_jpeg_quality" / "last_jpeg_size"), before any check.
pub(crate) fn note_jpeg_para(session: &Session, para: &NET_DVR_JPEGPARA) {
    session.device.rt().last_jpeg = Some((para.wPicQuality, para.wPicSize));
}

/// Checks for a classic snapshot: not an ISAPI login (189), then those of [`picture`].
pub(crate) fn snapshot(session: &Session, channel: i32) -> Res<&'static [u8]> {
    classic_only(session)?;
    picture(session, channel)
}

/// Checks for a picture: reachable (7) and channel (4). Returns the JPEG.
pub(crate) fn picture(session: &Session, channel: i32) -> Res<&'static [u8]> {
    let dev = &session.device;
    dev.reach()?;
    Ok(dev.picture(channel)?)
}

/// `NET_DVR_CaptureJPEGPicture`: write the JPEG to `path` (34 if it cannot be created).
pub(crate) fn snapshot_to_file(session: &Session, channel: i32, path: &str) -> Res<()> {
    let jpeg = snapshot(session, channel)?;
    std::fs::write(path, jpeg).map_err(|_| Fail::Code(CREATEFILE_ERROR))
}

// ---- Time and time zone (the model's clock: `hcnetsdk_device::time`) ----

/// Checks of the classic time calls: 23 on an ISAPI login (the real SDK fails
/// `GET_TIMECFG` so there, sending nothing), reachable (7), and for a set the admin's
/// right (2).
fn time_checks(session: &Session, set: bool) -> Res<()> {
    if session.isapi {
        return Err(Fail::Code(NOSUPPORT));
    }
    session.device.reach()?;
    if set && !session.role.can_configure() {
        return Err(Fail::Code(NOENOUGHPRI));
    }
    Ok(())
}

/// `NET_DVR_GET_TIMECFG`: the device's local wall-clock time.
pub(crate) fn get_time_cfg(session: &Session) -> Res<NET_DVR_TIME> {
    time_checks(session, false)?;
    let (t, _) = session.device.local_time();
    let u = |v: i8| u32::from(v.unsigned_abs());
    Ok(NET_DVR_TIME {
        dwYear: u32::from(t.year().unsigned_abs()),
        dwMonth: u(t.month()),
        dwDay: u(t.day()),
        dwHour: u(t.hour()),
        dwMinute: u(t.minute()),
        dwSecond: u(t.second()),
    })
}

/// `NET_DVR_SET_TIMECFG`: set the local wall-clock time (17 for a date that does not
/// exist or lies outside 1970..=2037, the devices' range).
pub(crate) fn set_time_cfg(session: &Session, t: &NET_DVR_TIME) -> Res<()> {
    time_checks(session, true)?;
    if !(1970..=2037).contains(&t.dwYear) {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    let fields = [
        t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond,
    ];
    Ok(session.device.set_local_fields(fields)?)
}

/// `NET_DVR_GET_NTPCFG`: the model's NTP settings ([`ntp_fields`]) and
/// `cTimeDifferenceH/M`, the zone's standard offset east of UTC (minutes with the hours'
/// sign).
pub(crate) fn get_ntp_cfg(session: &Session) -> Res<NET_DVR_NTPPARA> {
    time_checks(session, false)?;
    let std = session.device.clock_zone().std_secs;
    let mut p = NET_DVR_NTPPARA {
        cTimeDifferenceH: (std / 3600) as i8,
        cTimeDifferenceM: (std % 3600 / 60) as i8,
        ..Default::default()
    };
    ntp_fields(session, &mut p);
    Ok(p)
}

/// `NET_DVR_SET_NTPCFG`: the zone's standard offset (17 outside -12:00..=+14:00) and the
/// model's NTP settings ([`store_ntp_fields`]). A struct with NTP off and no server sets
/// the zone only and leaves the stored NTP settings alone (our choice: the model refuses an
/// empty server, and zone-only callers send exactly that).
pub(crate) fn set_ntp_cfg(session: &Session, p: &NET_DVR_NTPPARA) -> Res<()> {
    time_checks(session, true)?;
    let secs = i32::from(p.cTimeDifferenceH) * 3600 + i32::from(p.cTimeDifferenceM) * 60;
    if !(-12 * 3600..=14 * 3600).contains(&secs) || p.cTimeDifferenceM.abs() >= 60 {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    if p.byEnableNTP != 0 || p.sNTPServer[0] != 0 {
        store_ntp_fields(session, p)?;
    }
    let mut zone = session.device.clock_zone();
    zone.std_secs = secs;
    session.device.set_clock_zone(zone);
    Ok(())
}

/// `NET_DVR_GET_ZONEANDDST`: the DST rule. Points as the vendor's manual describes them:
/// month 0-11, week 0-4 (4: the last), weekday 0-6 (0: Sunday); `byDSTBias` in minutes.
pub(crate) fn get_zone_and_dst(session: &Session) -> Res<NET_DVR_ZONEANDDST> {
    time_checks(session, false)?;
    let mut z = NET_DVR_ZONEANDDST {
        dwSize: size_of::<NET_DVR_ZONEANDDST>() as u32,
        ..Default::default()
    };
    if let Some(dst) = session.device.clock_zone().dst {
        let point = |p: RulePoint| NET_DVR_TIMEPOINT {
            dwMonth: u32::from(p.month) - 1,
            dwWeekNo: u32::from(p.week) - 1,
            dwWeekDate: u32::from(p.weekday),
            dwHour: p.secs / 3600,
            dwMin: p.secs / 60 % 60,
        };
        z.dwEnableDST = 1;
        z.byDSTBias = (dst.delta_secs / 60).clamp(0, 255) as u8;
        z.struBeginPoint = point(dst.start);
        z.struEndPoint = point(dst.end);
    }
    Ok(z)
}

/// `NET_DVR_SET_ZONEANDDST`: DST off, or on with the rule (17 for a field out of range or
/// a bias other than 30, 60, 90 or 120 minutes).
pub(crate) fn set_zone_and_dst(session: &Session, z: &NET_DVR_ZONEANDDST) -> Res<()> {
    time_checks(session, true)?;
    let bad = || Fail::Code(PARAMETER_ERROR);
    let point = |p: &NET_DVR_TIMEPOINT| -> Res<RulePoint> {
        if p.dwMonth > 11 || p.dwWeekNo > 4 || p.dwWeekDate > 6 || p.dwHour > 23 || p.dwMin > 59 {
            return Err(bad());
        }
        Ok(RulePoint {
            month: p.dwMonth as u8 + 1,
            week: p.dwWeekNo as u8 + 1,
            weekday: p.dwWeekDate as u8,
            secs: p.dwHour * 3600 + p.dwMin * 60,
        })
    };
    let mut zone = session.device.clock_zone();
    zone.dst = match z.dwEnableDST {
        0 => None,
        1 if matches!(z.byDSTBias, 30 | 60 | 90 | 120) => Some(DstRule {
            delta_secs: i32::from(z.byDSTBias) * 60,
            start: point(&z.struBeginPoint)?,
            end: point(&z.struEndPoint)?,
        }),
        _ => return Err(bad()),
    };
    session.device.set_clock_zone(zone);
    Ok(())
}
