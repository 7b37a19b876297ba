//! From a slot's bytes (see `capture.rs`) to an [`Alarm`], on the consumer's side.
//!
//! Every read is bounded by the bytes copied: a struct shorter than its type's size
//! becomes [`AlarmKind::Raw`] (marked `truncated`), a field is read at its offset in the
//! `hcnetsdk-sys` layout, and pointers inside the struct are never used (their blocks were
//! copied by the callback).

use std::mem::{offset_of, size_of};

use hcnetsdk_sys as sys;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

use super::capture::{
    Meta, Parts, TAG_ISAPI_DATA, TAG_ISAPI_PICTURE, TAG_RULE_IMAGE, TAG_V40_DATA, TAG_V40_PICTURE,
    V40Layout, is_channel_type, split,
};
use super::isapi::parse_alert;
use super::types::{Alarm, AlarmKind, AlarmPicture, AlarmSource, Rect, RuleAlarm};
use crate::text::decode_gbk;
use crate::time::{DeviceTime, TimeBasis};

fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map_or(0, |s| u16::from_ne_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

fn i32_at(b: &[u8], off: usize) -> i32 {
    u32_at(b, off) as i32
}

fn f32_at(b: &[u8], off: usize) -> f32 {
    f32::from_bits(u32_at(b, off))
}

fn byte_at(b: &[u8], off: usize) -> u8 {
    b.get(off).copied().unwrap_or(0)
}

fn text_at(b: &[u8], off: usize, len: usize) -> String {
    b.get(off..off + len).map(decode_gbk).unwrap_or_default()
}

/// Decode one slot into an alarm (`lost_before` filled in by the caller).
pub(crate) fn decode(meta: &Meta, bytes: &[u8], basis: &TimeBasis) -> Alarm {
    let mut alarm = Alarm {
        command: meta.command,
        kind: AlarmKind::Raw {
            command: meta.command,
            bytes: Vec::new(),
        },
        time: None,
        source: AlarmSource::default(),
        pictures: Vec::new(),
        isapi: None,
        received: meta.received,
        lost_before: 0,
        truncated: meta.truncated,
    };
    if let Some(event) = meta.channel_event {
        alarm.kind = AlarmKind::Channel(event);
        return alarm;
    }
    let Some(parts) = split(meta, bytes) else {
        alarm.truncated = true;
        return alarm;
    };
    alarm.source = source(parts.alarmer);
    let decoded = match meta.command as u32 {
        sys::COMM_ALARM_V30 => v30(&mut alarm, &parts),
        sys::COMM_ALARM_V40 => v40(&mut alarm, &parts, basis),
        sys::COMM_ALARM_RULE => rule(&mut alarm, &parts, basis),
        sys::COMM_ISAPI_ALARM => isapi(&mut alarm, &parts, basis),
        _ => false,
    };
    if !decoded {
        alarm.kind = AlarmKind::Raw {
            command: meta.command,
            bytes: parts.info.to_vec(),
        };
    }
    alarm
}

/// The fields of `NET_DVR_ALARMER` marked valid.
pub(crate) fn source(b: &[u8]) -> AlarmSource {
    type A = sys::NET_DVR_ALARMER;
    if b.len() < size_of::<A>() {
        return AlarmSource::default();
    }
    let valid = |off: usize| byte_at(b, off) != 0;
    let text = |valid_off: usize, off: usize, len: usize| {
        valid(valid_off)
            .then(|| text_at(b, off, len))
            .filter(|s| !s.is_empty())
    };
    AlarmSource {
        user_id: valid(offset_of!(A, byUserIDValid)).then(|| i32_at(b, offset_of!(A, lUserID))),
        serial: text(
            offset_of!(A, bySerialValid),
            offset_of!(A, sSerialNumber),
            48,
        ),
        device_name: text(
            offset_of!(A, byDeviceNameValid),
            offset_of!(A, sDeviceName),
            32,
        ),
        device_ip: text(
            offset_of!(A, byDeviceIPValid),
            offset_of!(A, sDeviceIP),
            128,
        ),
        socket_ip: text(
            offset_of!(A, bySocketIPValid),
            offset_of!(A, sSocketIP),
            128,
        ),
        port: valid(offset_of!(A, byLinkPortValid)).then(|| u16_at(b, offset_of!(A, wLinkPort))),
    }
}

/// The 1-based indexes of the non-zero bytes of a flag array.
fn flagged(b: &[u8], off: usize, len: usize) -> Vec<u32> {
    b.get(off..off + len)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(_, f)| **f != 0)
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// The kind for a V30/V40 alarm type.
fn classic_kind(
    t: u32,
    channels: Vec<u32>,
    disks: Vec<u32>,
    input: u32,
    outputs: Vec<u32>,
) -> AlarmKind {
    match t {
        0 => AlarmKind::AlarmInput {
            input,
            outputs,
            channels,
        },
        1 => AlarmKind::DiskFull { disks },
        2 => AlarmKind::VideoLoss { channels },
        3 => AlarmKind::Motion { channels },
        4 => AlarmKind::DiskUnformatted { disks },
        5 => AlarmKind::DiskError { disks },
        6 => AlarmKind::Tamper { channels },
        7 => AlarmKind::StandardMismatch,
        8 => AlarmKind::IllegalAccess,
        9 => AlarmKind::VideoSignalException { channels },
        10 => AlarmKind::RecordingException { channels },
        other => AlarmKind::Other {
            alarm_type: other,
            channels,
        },
    }
}

/// `NET_DVR_ALARMINFO_V30`: flag arrays, no time.
fn v30(alarm: &mut Alarm, p: &Parts<'_>) -> bool {
    type V = sys::NET_DVR_ALARMINFO_V30;
    let b = p.info;
    if b.len() < size_of::<V>() {
        alarm.truncated = true;
        return false;
    }
    let t = u32_at(b, offset_of!(V, dwAlarmType));
    let channels = if t == 0 {
        flagged(b, offset_of!(V, byAlarmRelateChannel), 64)
    } else {
        flagged(b, offset_of!(V, byChannel), 64)
    };
    let disks = flagged(b, offset_of!(V, byDiskNumber), 33);
    // dwAlarmInputNumber counts from 0; the web page from 1.
    let input = u32_at(b, offset_of!(V, dwAlarmInputNumber)) + 1;
    let outputs = flagged(b, offset_of!(V, byAlarmOutputNumber), 96);
    alarm.kind = classic_kind(t, channels, disks, input, outputs);
    true
}

/// `NET_DVR_ALARMINFO_V40`: the fixed header (type, time, counts) and the copied
/// `pAlarmData` numbers.
fn v40(alarm: &mut Alarm, p: &Parts<'_>, basis: &TimeBasis) -> bool {
    let b = p.info;
    let Some(layout) = V40Layout::for_len(b.len()) else {
        alarm.truncated = true;
        return false;
    };
    let t = u32_at(b, 0);
    let words: Vec<u32> = extra(p, TAG_V40_DATA)
        .map(|d| d.chunks_exact(4).map(|w| u32_at(w, 0)).collect())
        .unwrap_or_default();
    let (mut channels, mut disks, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
    // dwAlarmInputNo counts from 0, as V30's dwAlarmInputNumber.
    let input = layout.union_word(b, 0) + 1;
    match t {
        0 => {
            let n_out = (layout.union_word(b, 1) as usize).min(words.len());
            outputs = words[..n_out].to_vec();
            channels = words[n_out..].to_vec();
        }
        1 | 4 | 5 => disks = words,
        t if is_channel_type(t) => channels = words,
        _ => {}
    }
    alarm.kind = classic_kind(t, channels, disks, input, outputs);
    alarm.time = v40_time(b, &layout, basis);
    if let Some(pic) = extra(p, TAG_V40_PICTURE) {
        alarm.pictures.push(AlarmPicture {
            file_name: None,
            picture_type: None,
            data: pic.to_vec(),
        });
    }
    true
}

fn v40_time(b: &[u8], layout: &V40Layout, basis: &TimeBasis) -> Option<DeviceTime> {
    type T = sys::NET_DVR_TIME_EX;
    let at = offset_of!(sys::NET_DVR_ALRAM_FIXED_HEADER, struAlarmTime);
    let t = sys::NET_DVR_TIME {
        dwYear: u32::from(u16_at(b, at + offset_of!(T, wYear))),
        dwMonth: u32::from(byte_at(b, at + offset_of!(T, byMonth))),
        dwDay: u32::from(byte_at(b, at + offset_of!(T, byDay))),
        dwHour: u32::from(byte_at(b, at + offset_of!(T, byHour))),
        dwMinute: u32::from(byte_at(b, at + offset_of!(T, byMinute))),
        dwSecond: u32::from(byte_at(b, at + offset_of!(T, bySecond))),
    };
    if let Some(off) = layout.time_diff
        && byte_at(b, off) == 1
    {
        // The device stated its offset from UTC with the time: the zone is known.
        let h = byte_at(b, off + 1) as i8;
        let m = byte_at(b, off + 2) as i8;
        let sign = if h < 0 || m < 0 { -1 } else { 1 };
        let secs = sign * (i32::from(h.unsigned_abs()) * 3600 + i32::from(m.unsigned_abs()) * 60);
        if let Ok(offset) = Offset::from_seconds(secs) {
            let zoned = TimeBasis::device_local(TimeZone::fixed(offset));
            return zoned.from_sdk(&t).ok();
        }
    }
    basis.from_sdk(&t).ok()
}

/// `NET_VCA_RULE_ALARM`: the rule, the target, the device's channel, the packed time.
fn rule(alarm: &mut Alarm, p: &Parts<'_>, basis: &TimeBasis) -> bool {
    type R = sys::NET_VCA_RULE_ALARM;
    type I = sys::NET_VCA_RULE_INFO;
    type Tg = sys::NET_VCA_TARGET_INFO;
    type Rc = sys::NET_VCA_RECT;
    type D = sys::NET_VCA_DEV_INFO;
    let b = p.info;
    if b.len() < size_of::<R>() {
        alarm.truncated = true;
        return false;
    }
    let ri = offset_of!(R, struRuleInfo);
    let ti = offset_of!(R, struTargetInfo);
    let rect = ti + offset_of!(Tg, struRect);
    let di = offset_of!(R, struDevInfo);
    let ivms = byte_at(b, di + offset_of!(D, byIvmsChannel));
    let chan = byte_at(b, di + offset_of!(D, byChannel));
    let ivms_ex = u16_at(b, offset_of!(R, wDevInfoIvmsChannelEx));
    let channel = [u32::from(ivms_ex), u32::from(ivms), u32::from(chan)]
        .into_iter()
        .find(|c| *c != 0);
    let r = RuleAlarm {
        rule_id: byte_at(b, ri + offset_of!(I, byRuleID)),
        rule_name: text_at(b, ri + offset_of!(I, byRuleName), 32),
        event_type: u32_at(b, ri + offset_of!(I, dwEventType)),
        channel,
        target_id: u32_at(b, ti + offset_of!(Tg, dwID)),
        target: Rect {
            x: f32_at(b, rect + offset_of!(Rc, fX)),
            y: f32_at(b, rect + offset_of!(Rc, fY)),
            width: f32_at(b, rect + offset_of!(Rc, fWidth)),
            height: f32_at(b, rect + offset_of!(Rc, fHeight)),
        },
        device_ip: text_at(b, di + offset_of!(D, struDevIP), 16),
    };
    let ex = u16_at(b, ri + offset_of!(I, wEventTypeEx));
    alarm.kind = match (ex, r.event_type) {
        (1 | 25, _) | (0, sys::VCA_TRAVERSE_PLANE | sys::VCA_ADV_TRAVERSE_PLANE) => {
            AlarmKind::LineCrossing(r)
        }
        (4, _) | (0, sys::VCA_INTRUSION) => AlarmKind::Intrusion(r),
        _ => AlarmKind::Rule(r),
    };
    alarm.time =
        packed_time(u32_at(b, offset_of!(R, dwAbsTime))).and_then(|t| basis.from_sdk(&t).ok());
    if let Some(img) = extra(p, TAG_RULE_IMAGE) {
        alarm.pictures.push(AlarmPicture {
            file_name: None,
            picture_type: Some(byte_at(b, offset_of!(R, byPicType))),
            data: img.to_vec(),
        });
    }
    true
}

/// The SDK's packed absolute time (`NET_DVR_TIME` in one DWORD: years since 2000 in the
/// top 6 bits, then month 4, day 5, hour 5, minute 6, second 6).
pub(crate) fn packed_time(t: u32) -> Option<sys::NET_DVR_TIME> {
    (t != 0).then(|| sys::NET_DVR_TIME {
        dwYear: (t >> 26) + 2000,
        dwMonth: (t >> 22) & 15,
        dwDay: (t >> 17) & 31,
        dwHour: (t >> 12) & 31,
        dwMinute: (t >> 6) & 63,
        dwSecond: t & 63,
    })
}

/// `NET_DVR_ALARM_ISAPI_INFO`: the copied document and pictures.
fn isapi(alarm: &mut Alarm, p: &Parts<'_>, basis: &TimeBasis) -> bool {
    type I = sys::NET_DVR_ALARM_ISAPI_INFO;
    type P = sys::NET_DVR_ALARM_ISAPI_PICDATA;
    if p.info.len() < size_of::<I>() {
        alarm.truncated = true;
        return false;
    }
    let Some(doc) = extra(p, TAG_ISAPI_DATA) else {
        return false;
    };
    let json_hint = byte_at(p.info, offset_of!(I, byDataType)) == 2;
    let Some(alert) = parse_alert(doc, json_hint) else {
        return false;
    };
    alarm.time = alert
        .date_time
        .as_deref()
        .and_then(|s| isapi_time(s, basis));
    alarm.kind = isapi_kind(&alert.event_type, alert.channel);
    alarm.isapi = Some(alert);
    for (tag, body) in &p.extras {
        if *tag != TAG_ISAPI_PICTURE || body.len() < size_of::<P>() {
            continue;
        }
        let (head, data) = body.split_at(size_of::<P>());
        alarm.pictures.push(AlarmPicture {
            file_name: Some(text_at(head, offset_of!(P, szFilename), 256))
                .filter(|s| !s.is_empty()),
            picture_type: Some(byte_at(head, offset_of!(P, byPicType))),
            data: data.to_vec(),
        });
    }
    true
}

/// The typed kind for the common ISAPI event types.
fn isapi_kind(event_type: &str, channel: Option<u32>) -> AlarmKind {
    let channels = channel.into_iter().collect();
    match event_type.to_ascii_lowercase().as_str() {
        "vmd" | "motiondetection" => AlarmKind::Motion { channels },
        "videoloss" => AlarmKind::VideoLoss { channels },
        "shelteralarm" | "tamperdetection" => AlarmKind::Tamper { channels },
        _ => AlarmKind::Isapi {
            event_type: event_type.to_owned(),
            channel,
        },
    }
}

/// ISAPI `dateTime`: with an offset it is an instant; without one, a device-local time.
fn isapi_time(s: &str, basis: &TimeBasis) -> Option<DeviceTime> {
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(DeviceTime::Utc(ts));
    }
    let civil: DateTime = s.parse().ok()?;
    let t = crate::time::civil_to_sdk(civil).ok()?;
    basis.from_sdk(&t).ok()
}

fn extra<'a>(p: &Parts<'a>, tag: u32) -> Option<&'a [u8]> {
    p.extras.iter().find(|(t, _)| *t == tag).map(|(_, b)| *b)
}
