use std::time::{Duration, Instant};

use super::*;
use crate::Scenario;
use crate::recordings::Clock;

fn device(extra: &str) -> Device {
    let text = format!(
        "clock = \"2026-12-06T07:59:58Z\"\n[[device]]\naddress = \"192.0.2.1\"\n\
         time_zone = \"+08:00\"\nalarm_in = 2\n{extra}\n\
         [[device.user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n"
    );
    Scenario::parse(&text).unwrap().into_devices().remove(0)
}

#[test]
fn default_scenario_dome_reports_motion_on_channel_1() {
    let dome = Scenario::default().into_devices().remove(0);
    assert_eq!(dome.spec().label, "dome");
    let a = &dome.spec().alarms[0];
    assert_eq!((a.kind, a.channel), (AlarmKind::Motion, Some(1)));
    assert!(a.every_seconds.unwrap() <= 5.0);
}

#[test]
fn schedule_every_and_stamps_in_device_time() {
    let d = device("[[device.alarm]]\nkind = \"motion\"\nevery_seconds = 0.05\n");
    let mut arming = d.arm().unwrap();
    let t0 = Instant::now();
    let a = d.next_alarm(&mut arming, Duration::from_secs(2)).unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(45));
    assert_eq!((a.kind, a.channel, a.post_count), (AlarmKind::Motion, 1, 1));
    assert_eq!(a.utc_offset_seconds, 8 * 3600);
    assert_eq!(a.time.to_string(), "2026-12-06T15:59:58");
    let b = d.next_alarm(&mut arming, Duration::from_secs(2)).unwrap();
    assert_eq!(b.post_count, 2);
    assert!(d.next_alarm(&mut arming, Duration::ZERO).is_none());
}

#[test]
fn at_times_follow_the_device_clock() {
    // Device time 15:59:58 (+08:00): "16:00" is 2 s away, "15:00" 23 h away.
    let d = device("[[device.alarm]]\nkind = \"tamper\"\nat = [\"16:00\", \"15:00\"]\n");
    let mut arming = d.arm().unwrap();
    assert!(
        d.next_alarm(&mut arming, Duration::from_millis(1500))
            .is_none()
    );
    let a = d.next_alarm(&mut arming, Duration::from_secs(2)).unwrap();
    assert_eq!(a.kind, AlarmKind::Tamper);
}

#[test]
fn arming_limit_and_disarm() {
    let d = device("max_armings = 2\n");
    let a1 = d.arm().unwrap();
    let _a2 = d.arm().unwrap();
    assert_eq!(d.arm().unwrap_err(), DeviceError::TooManyArmings);
    assert_eq!(DeviceError::TooManyArmings.sdk_code(), 46);
    assert_eq!(d.armings(), 2);
    drop(a1);
    assert_eq!(d.armings(), 1);
    let _a3 = d.arm().unwrap();
    d.set_online(false);
    drop(_a3);
    assert_eq!(d.arm().unwrap_err(), DeviceError::Offline);
}

#[test]
fn raise_reaches_every_arming_with_checks() {
    let d = device("max_armings = 3\n");
    d.recordings().set_clock(Clock::Wall);
    assert_eq!(d.raise(Alarm::new(AlarmKind::Motion, 1)), Ok(0));
    let mut a1 = d.arm().unwrap();
    let mut a2 = d.arm().unwrap();
    let mut vca = Alarm::new(AlarmKind::LineCrossing, 1);
    vca.rule_id = 3;
    assert_eq!(d.raise(vca), Ok(2));
    for arming in [&mut a1, &mut a2] {
        let got = d.next_alarm(arming, Duration::from_secs(1)).unwrap();
        assert_eq!((got.kind, got.rule_id), (AlarmKind::LineCrossing, 3));
        assert_eq!(got.rule_name, "line1");
    }
    assert_eq!(
        d.raise(Alarm::new(AlarmKind::Motion, 2)),
        Err(DeviceError::NoChannel)
    );
    let mut io = Alarm::new(AlarmKind::AlarmInput, 1);
    io.input = 3;
    assert_eq!(d.raise(io.clone()), Err(DeviceError::BadParameter));
    io.input = 2;
    assert_eq!(d.raise(io), Ok(2));
}

#[test]
fn scenario_alarm_tables_are_checked() {
    let users = "[[device.user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n";
    for bad in [
        "kind = \"motion\"",
        "kind = \"motion\"\nchannel = 2\nevery_seconds = 1",
        "kind = \"alarm_input\"\ninput = 1\nevery_seconds = 1",
        "kind = \"motion\"\nevery_seconds = 0",
        "kind = \"motion\"\nat = [\"25:00\"]",
        "kind = \"smoke\"\nevery_seconds = 1",
    ] {
        let text = format!("[[device]]\naddress = \"192.0.2.1\"\n[[device.alarm]]\n{bad}\n{users}");
        assert!(Scenario::parse(&text).is_err(), "{bad} was accepted");
    }
}

#[test]
fn kinds_parse_by_name_and_event_type() {
    for k in AlarmKind::ALL {
        assert_eq!(AlarmKind::parse(k.name()), Some(k));
        assert_eq!(AlarmKind::parse(k.event_type()), Some(k));
    }
    assert_eq!(AlarmKind::parse("vmd"), Some(AlarmKind::Motion));
    assert!(AlarmKind::LineCrossing.is_vca() && !AlarmKind::Motion.is_vca());
}

#[test]
fn event_notification_alert_xml() {
    let d = device("");
    let mut a = Alarm::new(AlarmKind::Intrusion, 1);
    (a.time, a.utc_offset_seconds) = d.alarm_clock();
    let x = isapi::event_xml(&d, 80, &a);
    for part in [
        "<EventNotificationAlert version=\"2.0\"",
        "<ipAddress>192.0.2.1</ipAddress>",
        "<channelID>1</channelID>",
        "<dateTime>2026-12-06T15:59:58+08:00</dateTime>",
        "<activePostCount>1</activePostCount>",
        "<eventType>fielddetection</eventType>",
        "<eventState>active</eventState>",
        "<DetectionRegionList>",
        "<X>400</X>",
    ] {
        assert!(x.contains(part), "{part} missing in\n{x}");
    }
    let hb = isapi::heartbeat_xml(&d, 80);
    assert!(hb.contains("<eventType>videoloss</eventType>"));
    assert!(hb.contains("<eventState>inactive</eventState>"));
    assert_eq!(
        isapi::date_time_text(a.time, -5 * 3600 - 1800),
        "2026-12-06T15:59:58-05:30"
    );
}
