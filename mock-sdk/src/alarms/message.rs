//! The message an alarm becomes for the message callback: `lCommand`, the
//! `NET_DVR_ALARMER` and the struct behind `pAlarmInfo`, owned (with the data its pointers
//! point to) until every callback has returned.
//!
//! Field conventions, as the SDK's documentation and demos read them:
//! * `NET_DVR_ALARMINFO_V30`: `byChannel[n - 1]` for channel n (IP channels too: channel 33
//!   is index 32), `dwAlarmInputNumber` counts from 0, `byDiskNumber[n - 1]` for disk n;
//! * `NET_DVR_ALARMINFO_V40`: the fixed header's union member for the type
//!   (`struAlarmChannel`, `struIOAlarm` with `dwAlarmInputNo` from 0, `struAlarmHardDisk`),
//!   `pAlarmData` the channel (or disk) numbers as DWORDs, the device's UTC offset in
//!   `byTimeDiffFlag`/`cTimeDifferenceH`/`cTimeDifferenceM`;
//! * `NET_VCA_RULE_ALARM`: `dwAbsTime` the device-local time packed as the SDK packs it
//!   (year - 2000 << 26 | month << 22 | day << 17 | hour << 12 | minute << 6 | second),
//!   the rule (ID, name, `VCA_TRAVERSE_PLANE` / `VCA_INTRUSION` and `wEventTypeEx`), the
//!   target box, the device's address and channel; no picture;
//! * `NET_DVR_ALARM_ISAPI_INFO`: `pAlarmData` the `EventNotificationAlert` XML and a CRLF,
//!   as the real SDK hands over a part of the alert stream (`dwAlarmDataLen` counts the
//!   CRLF; a NUL follows, not counted), `byDataType` 1, no pictures.
//!
//! The `NET_DVR_ALARMER` of a private login marks every field valid. That of an ISAPI login
//! is the real SDK's (6.1.9.48, measured through the emulator by
//! `emulator/tests/two_stack_alarms.rs`): valid are only the user ID, the serial (left
//! empty), the link port and the device address, which are the login's port and address;
//! no version, name, MAC or socket address.

use std::ffi::{c_char, c_void};

use hcnetsdk_device::alarms::{Alarm, AlarmKind, isapi};
use hcnetsdk_sys::*;

use super::Callback;
use crate::ffi::UserPtr;
use crate::registry::Session;

/// Which setup call armed, with what it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `SetupAlarmChan_V30`.
    V30,
    /// `SetupAlarmChan_V41` / `_V50`; `v40`: `byRetAlarmTypeV40` was 1.
    V41 {
        v40: bool,
    },
    V50 {
        v40: bool,
    },
}

impl Mode {
    fn v40(self) -> bool {
        matches!(self, Mode::V41 { v40: true } | Mode::V50 { v40: true })
    }
}

/// The struct behind `pAlarmInfo`, and what its pointers point to.
enum Body {
    V30(Box<NET_DVR_ALARMINFO_V30>),
    /// The channel (or disk) numbers `pAlarmData` points to.
    V40(Box<NET_DVR_ALARMINFO_V40>, #[allow(dead_code)] Box<[DWORD]>),
    Rule(Box<NET_VCA_RULE_ALARM>),
    /// The XML `pAlarmData` points to.
    Isapi(Box<NET_DVR_ALARM_ISAPI_INFO>, #[allow(dead_code)] Box<[u8]>),
}

/// One message for the callbacks.
pub(crate) struct Message {
    /// `lCommand`.
    pub command: u32,
    alarmer: NET_DVR_ALARMER,
    body: Body,
}

/// The message for `alarm` on `session`'s arming in `mode`.
pub(crate) fn build(session: &Session, alarm: &Alarm, mode: Mode) -> Message {
    let alarmer = if session.isapi {
        isapi_alarmer(session)
    } else {
        alarmer(session)
    };
    let (command, body) = if session.isapi {
        let port = session.device.spec().port;
        // As the real SDK hands over a part of the alert stream (measured through the
        // emulator): the document and the CRLF before the next boundary line.
        let xml = isapi::event_xml(&session.device, port, alarm) + "\r\n";
        (COMM_ISAPI_ALARM, isapi_body(xml))
    } else if alarm.kind.is_vca() {
        (COMM_ALARM_RULE, Body::Rule(Box::new(rule(session, alarm))))
    } else if mode.v40() {
        (COMM_ALARM_V40, v40(alarm))
    } else {
        (COMM_ALARM_V30, Body::V30(Box::new(v30(alarm))))
    };
    Message {
        command,
        alarmer,
        body,
    }
}

impl Message {
    /// `pAlarmInfo` and `dwBufLen`.
    fn info(&mut self) -> (*mut c_char, DWORD) {
        fn raw<T>(b: &mut T) -> (*mut c_char, DWORD) {
            (std::ptr::from_mut(b).cast(), size_of::<T>() as DWORD)
        }
        match &mut self.body {
            Body::V30(b) => raw(&mut **b),
            Body::V40(b, _) => raw(&mut **b),
            Body::Rule(b) => raw(&mut **b),
            Body::Isapi(b, _) => raw(&mut **b),
        }
    }

    /// Call one registered callback with this message.
    pub(super) fn call(&mut self, cb: Callback, user: UserPtr) {
        let command = self.command as LONG;
        let (info, len) = self.info();
        let alarmer: *mut NET_DVR_ALARMER = &mut self.alarmer;
        // SAFETY: the client registered `cb` for exactly these arguments and promised it may
        // run on SDK threads; the alarmer and the struct behind `info` (with the data its
        // pointers reach) live in `self` until after the call; `user` is the client's value.
        unsafe {
            match cb {
                Callback::V30(Some(f)) => f(command, alarmer, info, len, user.0),
                Callback::V31(Some(f)) => {
                    f(command, alarmer, info, len, user.0);
                }
                Callback::V30(None) | Callback::V31(None) => {}
            }
        }
    }
}

/// `NET_DVR_ALARMER` of an arming: the session's user ID and the device.
fn alarmer(s: &Session) -> NET_DVR_ALARMER {
    let d = &s.device;
    let spec = d.spec();
    let mut a = NET_DVR_ALARMER {
        byUserIDValid: 1,
        bySerialValid: 1,
        byVersionValid: 1,
        byDeviceNameValid: 1,
        byMacAddrValid: 1,
        byLinkPortValid: 1,
        byDeviceIPValid: 1,
        bySocketIPValid: 1,
        lUserID: s.id,
        dwDeviceVersion: spec.firmware_words().0,
        byMacAddr: [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01],
        wLinkPort: spec.port,
        wSocketPort: spec.port,
        ..Default::default()
    };
    let serial = spec.serial.clone().unwrap_or_default();
    text::copy_truncating(&mut a.sSerialNumber, serial.as_bytes());
    text::c_copy_truncating(&mut a.sDeviceName, &d.name_bytes());
    text::c_copy_truncating(&mut a.sDeviceIP, spec.address.as_bytes());
    text::c_copy_truncating(&mut a.sSocketIP, spec.address.as_bytes());
    a.byIpProtocol = u8::from(spec.address.contains(':'));
    a
}

/// `NET_DVR_ALARMER` of an ISAPI login's arming, as the real SDK fills it.
fn isapi_alarmer(s: &Session) -> NET_DVR_ALARMER {
    let spec = s.device.spec();
    let mut a = NET_DVR_ALARMER {
        byUserIDValid: 1,
        bySerialValid: 1,
        byLinkPortValid: 1,
        byDeviceIPValid: 1,
        lUserID: s.id,
        wLinkPort: spec.port,
        ..Default::default()
    };
    text::c_copy_truncating(&mut a.sDeviceIP, spec.address.as_bytes());
    a
}

fn v30(alarm: &Alarm) -> NET_DVR_ALARMINFO_V30 {
    let mut v = NET_DVR_ALARMINFO_V30 {
        dwAlarmType: alarm.kind.alarm_type().unwrap_or(0),
        ..Default::default()
    };
    match alarm.kind {
        AlarmKind::AlarmInput => v.dwAlarmInputNumber = alarm.input.saturating_sub(1),
        AlarmKind::DiskFull | AlarmKind::DiskError => {
            if let Some(b) = v.byDiskNumber.get_mut(alarm.disk as usize - 1) {
                *b = 1;
            }
        }
        _ => {
            if let Some(b) = usize::try_from(alarm.channel - 1)
                .ok()
                .and_then(|i| v.byChannel.get_mut(i))
            {
                *b = 1;
            }
        }
    }
    v
}

fn time_ex(a: &Alarm) -> NET_DVR_TIME_EX {
    let t = a.time;
    NET_DVR_TIME_EX {
        wYear: t.year() as u16,
        byMonth: t.month() as u8,
        byDay: t.day() as u8,
        byHour: t.hour() as u8,
        byMinute: t.minute() as u8,
        bySecond: t.second() as u8,
        byRes: 0,
    }
}

fn v40(alarm: &Alarm) -> Body {
    let mut b = Box::new(NET_DVR_ALARMINFO_V40::default());
    let h = &mut b.struAlarmFixedHeader;
    h.dwAlarmType = alarm.kind.alarm_type().unwrap_or(0);
    h.struAlarmTime = time_ex(alarm);
    h.byTimeDiffFlag = 1;
    h.cTimeDifferenceH = (alarm.utc_offset_seconds / 3600) as c_char;
    h.cTimeDifferenceM = (alarm.utc_offset_seconds % 3600 / 60) as c_char;
    let mut data: Box<[DWORD]> = match alarm.kind {
        AlarmKind::AlarmInput => {
            h.uStruAlarm.struIOAlarm.dwAlarmInputNo = alarm.input.saturating_sub(1);
            Box::new([])
        }
        AlarmKind::DiskFull | AlarmKind::DiskError => {
            h.uStruAlarm.struAlarmHardDisk.dwAlarmHardDiskNum = 1;
            Box::new([alarm.disk])
        }
        _ => {
            h.uStruAlarm.struAlarmChannel.dwAlarmChanNum = 1;
            Box::new([alarm.channel as DWORD])
        }
    };
    b.pAlarmData = if data.is_empty() {
        std::ptr::null_mut()
    } else {
        data.as_mut_ptr()
    };
    Body::V40(b, data)
}

/// `dwAbsTime`: the SDK's packed time.
fn packed_time(a: &Alarm) -> DWORD {
    let t = a.time;
    let f = |v: i8| v as u32;
    ((t.year() as u32).saturating_sub(2000) << 26)
        | (f(t.month()) << 22)
        | (f(t.day()) << 17)
        | (f(t.hour()) << 12)
        | (f(t.minute()) << 6)
        | f(t.second())
}

fn point(x: f32, y: f32) -> NET_VCA_POINT {
    NET_VCA_POINT { fX: x, fY: y }
}

fn rule(s: &Session, alarm: &Alarm) -> NET_VCA_RULE_ALARM {
    let spec = s.device.spec();
    let r = alarm.target;
    let mut v = NET_VCA_RULE_ALARM {
        dwSize: size_of::<NET_VCA_RULE_ALARM>() as DWORD,
        dwAbsTime: packed_time(alarm),
        ..Default::default()
    };
    let info = &mut v.struRuleInfo;
    info.byRuleID = alarm.rule_id;
    text::copy_truncating(&mut info.byRuleName, alarm.rule_name.as_bytes());
    let (cx, top, bottom) = (r.x + r.width / 2.0, r.y, r.y + r.height);
    if alarm.kind == AlarmKind::LineCrossing {
        info.dwEventType = VCA_TRAVERSE_PLANE;
        info.wEventTypeEx = ENUM_VCA_EVENT_TRAVERSE_PLANE as WORD;
        info.uEventParam.struTraversePlane = NET_VCA_TRAVERSE_PLANE {
            struPlaneBottom: NET_VCA_LINE {
                struStart: point(cx, top),
                struEnd: point(cx, bottom),
            },
            ..Default::default()
        };
    } else {
        info.dwEventType = VCA_INTRUSION;
        info.wEventTypeEx = ENUM_VCA_EVENT_INTRUSION as WORD;
        let mut region = NET_VCA_POLYGON {
            dwPointNum: 4,
            ..Default::default()
        };
        let corners = [
            (r.x, top),
            (r.x + r.width, top),
            (r.x + r.width, bottom),
            (r.x, bottom),
        ];
        for (i, (x, y)) in corners.into_iter().enumerate() {
            region.struPos[i] = point(x, y);
        }
        info.uEventParam.struIntrusion = NET_VCA_INTRUSION {
            struRegion: region,
            ..Default::default()
        };
    }
    v.struTargetInfo.dwID = alarm.post_count;
    v.struTargetInfo.struRect = NET_VCA_RECT {
        fX: r.x,
        fY: r.y,
        fWidth: r.width,
        fHeight: r.height,
    };
    text::c_copy_truncating(&mut v.struDevInfo.struDevIP.sIpV4, spec.address.as_bytes());
    v.struDevInfo.wPort = spec.port;
    v.struDevInfo.byChannel = alarm.channel as u8;
    v.struDevInfo.byIvmsChannel = alarm.channel as u8;
    v.wDevInfoIvmsChannelEx = alarm.channel as u16;
    v
}

fn isapi_body(xml: String) -> Body {
    let len = xml.len();
    let mut data: Box<[u8]> = xml.into_bytes().into_iter().chain([0]).collect();
    let info = Box::new(NET_DVR_ALARM_ISAPI_INFO {
        pAlarmData: data.as_mut_ptr().cast(),
        dwAlarmDataLen: len as DWORD,
        byDataType: 1,
        byPicturesNumber: 0,
        pPicPackData: std::ptr::null_mut::<c_void>(),
        ..Default::default()
    });
    Body::Isapi(info, data)
}
