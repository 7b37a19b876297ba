//! Decoding from C structs built by hand (sizes and offsets from `hcnetsdk-sys`), routing
//! with fake user IDs, the channel events. No SDK is loaded.

use std::mem::{offset_of, size_of};
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::capture::{Capture, V40_SIZE, V40_SIZE_2019};
use super::decode::{decode, packed_time};
use super::queue::alarm_queue;
use super::route::{self, Router};
use super::state::LinkState;
use super::*;
use crate::time::{DeviceTime, TimeBasis};

fn zeroed<T>() -> T {
    // SAFETY: only used for the SDK's plain C structs, for which all zeros is valid.
    unsafe { std::mem::zeroed() }
}

fn alarmer(user_id: i32) -> sys::NET_DVR_ALARMER {
    let mut a: sys::NET_DVR_ALARMER = zeroed();
    a.byUserIDValid = 1;
    a.lUserID = user_id;
    a.bySerialValid = 1;
    sys::text::copy_truncating(&mut a.sSerialNumber, b"DS-2DE0000-TEST");
    a.byDeviceIPValid = 1;
    sys::text::c_copy_truncating(&mut a.sDeviceIP, b"192.0.2.10");
    a
}

/// Capture a struct as the callback would (pointer + dwBufLen), then decode the copy.
fn roundtrip<T>(command: u32, info: &T, len: usize, who: Option<&sys::NET_DVR_ALARMER>) -> Alarm {
    assert!(len <= size_of::<T>());
    let who = who.map_or(std::ptr::null(), |a| a as *const _);
    // SAFETY: `info` is a live T of at least `len` bytes; its pointers (set by the tests)
    // point to live buffers of the lengths the struct states.
    let c = unsafe { Capture::new(command as i32, who, (info as *const T).cast(), len as u32) };
    let mut buf = Vec::with_capacity(c.len());
    let meta = c.write(&mut buf);
    assert_eq!(
        buf.len(),
        c.len(),
        "the length computed first is the length written"
    );
    decode(&meta, &buf, &TimeBasis::default())
}

#[test]
fn reference_sizes() {
    assert_eq!(
        V40_SIZE, 160,
        "NET_DVR_ALARMINFO_V40 (2020+ header, x86_64)"
    );
    assert_eq!(size_of::<sys::NET_DVR_ALRAM_FIXED_HEADER>(), 152);
    assert_eq!(offset_of!(sys::NET_DVR_ALRAM_FIXED_HEADER, uStruAlarm), 16);
    assert_eq!(V40_SIZE_2019, 152);
}

#[test]
fn v30_motion_on_channel_1_with_its_source() {
    let mut v: sys::NET_DVR_ALARMINFO_V30 = zeroed();
    v.dwAlarmType = 3;
    v.byChannel[0] = 1;
    let who = alarmer(7);
    let a = roundtrip(sys::COMM_ALARM_V30, &v, size_of_val(&v), Some(&who));
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
    assert_eq!(a.command, sys::COMM_ALARM_V30 as i32);
    assert_eq!(a.time, None, "V30 carries no time");
    assert_eq!(a.source.user_id, Some(7));
    assert_eq!(a.source.serial.as_deref(), Some("DS-2DE0000-TEST"));
    assert_eq!(a.source.device_ip.as_deref(), Some("192.0.2.10"));
    assert_eq!(a.source.device_name, None, "not marked valid");
    assert!(!a.truncated);
}

#[test]
fn v30_alarm_input_disks_and_unknown_types() {
    let mut v: sys::NET_DVR_ALARMINFO_V30 = zeroed();
    v.dwAlarmType = 0;
    v.dwAlarmInputNumber = 2;
    v.byAlarmOutputNumber[0] = 1;
    v.byAlarmRelateChannel[3] = 1;
    let a = roundtrip(sys::COMM_ALARM_V30, &v, size_of_val(&v), None);
    assert_eq!(
        a.kind,
        AlarmKind::AlarmInput {
            input: 3,
            outputs: vec![1],
            channels: vec![4]
        }
    );
    assert_eq!(a.source, AlarmSource::default());
    v.dwAlarmType = 5;
    v.byDiskNumber[1] = 1;
    let a = roundtrip(sys::COMM_ALARM_V30, &v, size_of_val(&v), None);
    assert_eq!(a.kind, AlarmKind::DiskError { disks: vec![2] });
    v.dwAlarmType = 42;
    v.byChannel[1] = 1;
    let a = roundtrip(sys::COMM_ALARM_V30, &v, size_of_val(&v), None);
    assert_eq!(
        a.kind,
        AlarmKind::Other {
            alarm_type: 42,
            channels: vec![2]
        }
    );
}

fn v40_motion(channels: &mut [u32]) -> sys::NET_DVR_ALARMINFO_V40 {
    let mut v: sys::NET_DVR_ALARMINFO_V40 = zeroed();
    let h = &mut v.struAlarmFixedHeader;
    h.dwAlarmType = 3;
    h.struAlarmTime = sys::NET_DVR_TIME_EX {
        wYear: 2026,
        byMonth: 12,
        byDay: 6,
        byHour: 8,
        byMinute: 30,
        bySecond: 5,
        byRes: 0,
    };
    h.uStruAlarm.struAlarmChannel.dwAlarmChanNum = channels.len() as u32;
    v.pAlarmData = channels.as_mut_ptr();
    v
}

#[test]
fn v40_motion_with_channels_and_a_time_whose_zone_is_unknown() {
    let mut chans = [1u32, 33];
    let v = v40_motion(&mut chans);
    let a = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None);
    assert_eq!(
        a.kind,
        AlarmKind::Motion {
            channels: vec![1, 33]
        }
    );
    let t = a.time.expect("V40 has a time");
    assert!(
        t.is_zone_unknown(),
        "no offset stated: the zone stays unknown"
    );
    assert_eq!(t.wall_clock().to_string(), "2026-12-06T08:30:05");
}

#[test]
fn v40_time_with_a_stated_offset_is_an_instant() {
    let mut chans = [1u32];
    let mut v = v40_motion(&mut chans);
    v.struAlarmFixedHeader.byTimeDiffFlag = 1;
    v.struAlarmFixedHeader.cTimeDifferenceH = 8;
    v.struAlarmFixedHeader.cTimeDifferenceM = 0;
    let a = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None);
    let t = a.time.unwrap();
    assert_eq!(t.timestamp().unwrap().to_string(), "2026-12-06T00:30:05Z");
    v.struAlarmFixedHeader.cTimeDifferenceH = -3;
    v.struAlarmFixedHeader.cTimeDifferenceM = 30;
    let t = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None)
        .time
        .unwrap();
    assert_eq!(t.timestamp().unwrap().to_string(), "2026-12-06T12:00:05Z");
}

#[test]
fn v40_pointers_are_followed_only_with_their_lengths() {
    // A NULL pAlarmData with a count: no channels, no crash.
    let mut v = v40_motion(&mut []);
    v.struAlarmFixedHeader
        .uStruAlarm
        .struAlarmChannel
        .dwAlarmChanNum = 3;
    v.pAlarmData = std::ptr::null_mut();
    let a = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None);
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![] });
    // A struct shorter than any V40 layout: Raw, marked, the bytes kept.
    let mut chans = [1u32];
    let v = v40_motion(&mut chans);
    let a = roundtrip(sys::COMM_ALARM_V40, &v, 100, None);
    assert!(a.truncated);
    match a.kind {
        AlarmKind::Raw { command, bytes } => {
            assert_eq!(command, sys::COMM_ALARM_V40 as i32);
            assert_eq!(bytes.len(), 100);
        }
        other => panic!("expected Raw, got {other:?}"),
    }
}

#[test]
fn v40_alarm_input_splits_outputs_and_channels_and_the_picture_comes_along() {
    let mut data = [2u32, 1, 3];
    let mut v: sys::NET_DVR_ALARMINFO_V40 = zeroed();
    v.struAlarmFixedHeader.dwAlarmType = 0;
    let u = &mut v.struAlarmFixedHeader.uStruAlarm;
    u.struIOAlarm.dwAlarmInputNo = 0;
    u.struIOAlarm.dwTrigerAlarmOutNum = 1;
    u.struIOAlarm.dwTrigerRecordChanNum = 2;
    v.pAlarmData = data.as_mut_ptr();
    let a = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None);
    assert_eq!(
        a.kind,
        AlarmKind::AlarmInput {
            input: 1,
            outputs: vec![2],
            channels: vec![1, 3]
        }
    );
    let mut chans = [1u32];
    let mut pic = *b"\xff\xd8jpeg\xff\xd9";
    let mut v = v40_motion(&mut chans);
    let u = &mut v.struAlarmFixedHeader.uStruAlarm;
    u.struAlarmChannel.dwPicLen = pic.len() as u32;
    u.struAlarmChannel.pDataBuff = pic.as_mut_ptr().cast();
    let a = roundtrip(sys::COMM_ALARM_V40, &v, V40_SIZE, None);
    assert_eq!(a.pictures.len(), 1);
    assert_eq!(a.pictures[0].data, pic);
}

#[test]
fn v40_of_the_2019_header_is_read_at_its_own_offsets() {
    // 152 bytes: type at 0, the union's first DWORD (channel count) at 12, pAlarmData at 144.
    let mut chans = [5u32];
    let mut b = [0u8; V40_SIZE_2019];
    b[0..4].copy_from_slice(&3u32.to_ne_bytes());
    b[12..16].copy_from_slice(&1u32.to_ne_bytes());
    b[144..152].copy_from_slice(&(chans.as_mut_ptr() as usize).to_ne_bytes());
    let a = roundtrip(sys::COMM_ALARM_V40, &b, V40_SIZE_2019, None);
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![5] });
    assert!(!a.truncated);
}

fn pack(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> u32 {
    ((y - 2000) << 26) | (mo << 22) | (d << 17) | (h << 12) | (mi << 6) | s
}

#[test]
fn rule_alarm_line_crossing_with_target_and_image() {
    let mut img = *b"\xff\xd8rule\xff\xd9";
    let mut r: sys::NET_VCA_RULE_ALARM = zeroed();
    r.dwSize = size_of_val(&r) as u32;
    r.dwAbsTime = pack(2026, 12, 6, 9, 15, 30);
    r.struRuleInfo.byRuleID = 2;
    for (d, s) in r.struRuleInfo.byRuleName.iter_mut().zip(b"gate") {
        *d = *s;
    }
    r.struRuleInfo.dwEventType = sys::VCA_TRAVERSE_PLANE;
    r.struTargetInfo.dwID = 99;
    r.struTargetInfo.struRect = sys::NET_VCA_RECT {
        fX: 0.25,
        fY: 0.5,
        fWidth: 0.125,
        fHeight: 0.25,
    };
    r.struDevInfo.byChannel = 1;
    r.dwPicDataLen = img.len() as u32;
    r.pImage = img.as_mut_ptr();
    let a = roundtrip(sys::COMM_ALARM_RULE, &r, size_of_val(&r), None);
    let AlarmKind::LineCrossing(rule) = &a.kind else {
        panic!("expected line crossing, got {:?}", a.kind)
    };
    assert_eq!((rule.rule_id, rule.rule_name.as_str()), (2, "gate"));
    assert_eq!((rule.target_id, rule.channel), (99, Some(1)));
    assert_eq!(rule.target.x, 0.25);
    assert_eq!(rule.target.height, 0.25);
    assert_eq!(a.kind.channels(), vec![1]);
    assert_eq!(a.pictures[0].data, img);
    let t = a.time.unwrap();
    assert_eq!(t.wall_clock().to_string(), "2026-12-06T09:15:30");
    // Intrusion through the extended type.
    r.struRuleInfo.dwEventType = 0;
    r.struRuleInfo.wEventTypeEx = 4;
    let a = roundtrip(sys::COMM_ALARM_RULE, &r, size_of_val(&r), None);
    assert!(matches!(a.kind, AlarmKind::Intrusion(_)), "{:?}", a.kind);
}

#[test]
fn isapi_alert_xml_with_a_picture_becomes_motion() {
    let mut xml = br#"<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><channelID>1</channelID><dateTime>2026-12-06T08:00:00+08:00</dateTime><eventType>VMD</eventType><eventState>active</eventState></EventNotificationAlert>"#.to_vec();
    let mut jpeg = b"\xff\xd8pic\xff\xd9".to_vec();
    let mut pic: sys::NET_DVR_ALARM_ISAPI_PICDATA = zeroed();
    pic.dwPicLen = jpeg.len() as u32;
    pic.byPicType = 1;
    pic.pPicData = jpeg.as_mut_ptr();
    sys::text::c_copy_truncating(&mut pic.szFilename, b"snap.jpg");
    let mut info: sys::NET_DVR_ALARM_ISAPI_INFO = zeroed();
    info.pAlarmData = xml.as_mut_ptr().cast();
    info.dwAlarmDataLen = xml.len() as u32;
    info.byDataType = 1;
    info.byPicturesNumber = 1;
    info.pPicPackData = (&raw mut pic).cast();
    let a = roundtrip(sys::COMM_ISAPI_ALARM, &info, size_of_val(&info), None);
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
    let alert = a.isapi.as_ref().unwrap();
    assert_eq!(alert.event_state.as_deref(), Some("active"));
    assert_eq!(
        a.time
            .as_ref()
            .and_then(DeviceTime::timestamp)
            .unwrap()
            .to_string(),
        "2026-12-06T00:00:00Z"
    );
    assert_eq!(a.pictures.len(), 1);
    assert_eq!(a.pictures[0].file_name.as_deref(), Some("snap.jpg"));
    assert_eq!(a.pictures[0].data, jpeg);
}

#[test]
fn isapi_json_line_detection_and_unknown_commands_stay_typed_or_raw() {
    let mut json = br#"{"eventType":"linedetection","channelID":2}"#.to_vec();
    let mut info: sys::NET_DVR_ALARM_ISAPI_INFO = zeroed();
    info.pAlarmData = json.as_mut_ptr().cast();
    info.dwAlarmDataLen = json.len() as u32;
    info.byDataType = 2;
    let a = roundtrip(sys::COMM_ISAPI_ALARM, &info, size_of_val(&info), None);
    assert_eq!(
        a.kind,
        AlarmKind::Isapi {
            event_type: "linedetection".into(),
            channel: Some(2)
        }
    );
    let bytes = [1u8, 2, 3, 4, 5];
    let a = roundtrip(sys::COMM_ALARM_PDC, &bytes, 5, None);
    assert_eq!(
        a.kind,
        AlarmKind::Raw {
            command: sys::COMM_ALARM_PDC as i32,
            bytes: bytes.to_vec()
        }
    );
}

#[test]
fn packed_times_unpack() {
    let t = packed_time(pack(2031, 2, 28, 23, 59, 58)).unwrap();
    assert_eq!(
        (
            t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond
        ),
        (2031, 2, 28, 23, 59, 58)
    );
    assert!(packed_time(0).is_none());
}

fn send_v30_motion(user_id: i32) {
    let mut v: sys::NET_DVR_ALARMINFO_V30 = zeroed();
    v.dwAlarmType = 3;
    v.byChannel[0] = 1;
    let who = alarmer(user_id);
    // SAFETY: live structs, the size of the first.
    unsafe {
        on_message(
            sys::COMM_ALARM_V30 as i32,
            &who,
            (&raw const v).cast(),
            size_of_val(&v) as u32,
            std::ptr::null_mut(),
        );
    }
}

fn router(subs: &[&std::sync::Arc<route::Sub>]) -> Router {
    Router {
        subs: subs.iter().map(|s| std::sync::Arc::clone(s)).collect(),
        link: std::sync::Arc::new(LinkState::default()),
    }
}

#[test]
fn messages_route_by_user_id_to_every_subscriber_and_misses_are_counted() {
    let (a, mut ra) = alarm_queue(8, TimeBasis::default());
    let (b, mut rb) = alarm_queue(8, TimeBasis::default());
    route::publish(2040, Some(router(&[&a, &b])));
    send_v30_motion(2040);
    for r in [&mut ra, &mut rb] {
        let alarm = r.recv_timeout(Duration::from_secs(1)).unwrap();
        assert_eq!(alarm.kind, AlarmKind::Motion { channels: vec![1] });
        assert_eq!(alarm.source.user_id, Some(2040));
    }
    let before = unrouted_alarms();
    send_v30_motion(2041);
    send_v30_motion(-1);
    send_v30_motion(100_000);
    assert_eq!(unrouted_alarms() - before, 3);
    assert!(ra.try_recv().is_none());
    route::publish(2040, None);
    assert!(route::entry_is_empty(2040));
    send_v30_motion(2040);
    assert!(ra.try_recv().is_none() && rb.try_recv().is_none());
}

#[test]
fn a_full_queue_drops_the_newest_and_the_next_alarm_says_so() {
    let (s, mut r) = alarm_queue(1, TimeBasis::default());
    route::publish(2042, Some(router(&[&s])));
    for _ in 0..3 {
        send_v30_motion(2042);
    }
    let first = r.try_recv().unwrap();
    assert_eq!(first.lost_before, 0);
    assert_eq!(r.lost(), 2);
    drop(first);
    send_v30_motion(2042);
    assert_eq!(r.try_recv().unwrap().lost_before, 2);
    route::publish(2042, None);
}

#[test]
fn exceptions_become_channel_events_in_order_with_the_alarms() {
    let (s, mut r) = alarm_queue(8, TimeBasis::default());
    route::publish(2043, Some(router(&[&s])));
    send_v30_motion(2043);
    on_exception(sys::EXCEPTION_EXCHANGE, 2043);
    on_exception(sys::EXCEPTION_PREVIEW, 2043); // not about alarms
    on_exception(sys::RESUME_EXCHANGE, 2043);
    let kinds: Vec<_> = std::iter::from_fn(|| r.try_recv())
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            AlarmKind::Motion { channels: vec![1] },
            AlarmKind::Channel(AlarmChannelEvent::Offline),
            AlarmKind::Channel(AlarmChannelEvent::Online),
        ]
    );
    route::publish(2043, None);
    s.close();
    assert!(r.recv().is_none(), "a closed, drained queue ends");
}

static_assertions::assert_impl_all!(Alarms: Send, Sync);
static_assertions::assert_impl_all!(AlarmReceiver: Send);
static_assertions::assert_impl_all!(Alarm: Send, Sync, Clone);
static_assertions::assert_impl_all!(AlarmListener: Send, Sync);
static_assertions::assert_impl_all!(AlarmsBuilder: Send, Sync, Clone);
