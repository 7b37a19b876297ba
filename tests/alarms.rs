//! Alarms against the mock SDK: arming (`SetupAlarmChan_V50`, V41 where V50 is refused
//! with 23), the shared arming, disarming, logout, listening mode.
//!
//! Two groups:
//! * the error paths and what needs no simulated alarm (the fallback, logout, bad input,
//!   listening mode), forcing the codes they test with `MOCK_FailNext`;
//! * **`mock_arming_*`**: the mock's arming end to end, typed alarms field by field.
//!
//! Every test arms a private device of its own (`Device::new`, at most `max_armings` 1
//! each), never the scenario's default dome: tests run in parallel threads, and two of them
//! arming one device would get each other's alarms, or 46 ("exceeds max"). Alarms come
//! from a `[[device.alarm]]` schedule of the private device or from `MOCK_RaiseAlarm`.

use hcnetsdk_test_support::safe as support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use hcnetsdk::error::ErrorKind;
use hcnetsdk::sys::{COMM_ALARM_RULE, COMM_ALARM_V30, COMM_ALARM_V40, COMM_ISAPI_ALARM};

use hcnetsdk::alarms::{Alarm, AlarmChannelEvent, AlarmKind, AlarmReceiver};
use hcnetsdk::{DeviceTime, LoginMode, Password, RecvTimeoutError, Session};
use support::{Device, Kind, PASSWORD, assert_invalid_input, assert_sdk_error, mock, sdk};

const V50: &str = "NET_DVR_SetupAlarmChan_V50";
const V41: &str = "NET_DVR_SetupAlarmChan_V41";
const CLOSE: &str = "NET_DVR_CloseAlarmChan_V30";

#[test]
fn alarms_v50_refused_with_23_falls_back_to_v41_and_reports_its_error() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    dev.fail_next(V50, 23, 1);
    dev.fail_next(V41, 23, 1);
    let err = session.alarms().start_queue().unwrap_err();
    assert_sdk_error(&err, 23, V41);
    assert_eq!((dev.calls(V50), dev.calls(V41)), (1, 1));
    assert_eq!(dev.calls(CLOSE), 0, "nothing armed, nothing to disarm");
}

#[test]
fn alarms_other_v50_errors_do_not_fall_back() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    dev.fail_next(V50, 7, 1);
    let err = session.alarms().start_queue().unwrap_err();
    assert_sdk_error(&err, 7, V50);
    assert_eq!(dev.calls(V41), 0);
}

#[test]
fn alarms_after_logout_fail_before_the_sdk_is_called() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let clone = session.clone();
    session.logout().unwrap();
    let err = clone.alarms().start_queue().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LoggedOut { .. }), "{err:?}");
    assert_eq!(dev.calls(V50), 0);
}

#[test]
fn alarms_capacity_zero_is_bad_input() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let err = session.alarms().capacity(0).start_queue().unwrap_err();
    assert_invalid_input(&err, "capacity");
    assert_eq!(dev.calls(V50), 0);
}

#[test]
fn listening_mode_starts_and_stops_and_its_receiver_ends() {
    let (listener, mut receiver) = sdk()
        .listen(IpAddr::V4(Ipv4Addr::LOCALHOST), 0, 16)
        .expect("StartListen_V30 on loopback");
    assert!(listener.handle() >= 0);
    assert!(receiver.try_recv().is_none());
    listener.stop().expect("StopListen_V30");
    assert!(receiver.recv().is_none(), "the stop ends the receiver");
    let err = sdk()
        .listen(IpAddr::V4(Ipv4Addr::LOCALHOST), 0, 0)
        .unwrap_err();
    assert_invalid_input(&err, "capacity");
}

// ---- the mock's arming ------------------------------------------------------------------

/// A private device whose schedule raises `kind` on `channel` every half second.
fn scheduled(kind: Kind, alarm: &str, channel: u32) -> Device {
    Device::with_extra(
        kind,
        &format!("\n[[alarm]]\nkind = \"{alarm}\"\nchannel = {channel}\nevery_seconds = 0.5\n"),
    )
}

/// The next alarm that is not a channel event, within `within`.
fn next_alarm(receiver: &mut AlarmReceiver, within: Duration) -> Alarm {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok(a) if matches!(a.kind, AlarmKind::Channel(_)) => {}
            Ok(a) => return a,
            Err(RecvTimeoutError::Timeout) => panic!("no alarm within {within:?}"),
            Err(e) => panic!("the arming stopped: {e}"),
        }
    }
}

/// Raise `kind` on the device now (after its arming), and take the alarm it brings.
fn raise_and_take(dev: &Device, receiver: &mut AlarmReceiver, kind: &str, channel: i32) -> Alarm {
    assert_eq!(
        mock().raise_alarm(&dev.address, kind, channel),
        Some(1),
        "MOCK_RaiseAlarm({kind}, {channel}) reaches the one arming"
    );
    next_alarm(receiver, Duration::from_secs(10))
}

fn command(c: u32) -> i32 {
    i32::try_from(c).unwrap()
}

/// The sender as the mock describes a private device in every message.
#[track_caller]
fn assert_source(a: &Alarm, dev: &Device, session: &Session, name: &str) {
    let s = &a.source;
    assert_eq!(s.user_id, Some(session.user_id()), "{a:?}");
    assert_eq!(
        s.serial.as_deref(),
        Some(session.device_info().serial.as_str())
    );
    assert_eq!(s.device_name.as_deref(), Some(name));
    assert_eq!(s.device_ip.as_deref(), Some(dev.address.as_str()));
    assert_eq!(s.socket_ip.as_deref(), Some(dev.address.as_str()));
    assert_eq!(s.port, Some(dev.port));
}

/// A device-local time with the zone the message stated, within a minute of now.
#[track_caller]
fn assert_recent_zoned(a: &Alarm) {
    let Some(DeviceTime::Local(z)) = &a.time else {
        panic!("a V40 message states its zone: {:?}", a.time);
    };
    let now = jiff::Timestamp::now();
    let off = (now - z.timestamp()).get_seconds().abs();
    assert!(off <= 60, "{z} is {off} s from now");
}

#[test]
fn mock_arming_motion_in_the_v40_form_field_by_field() {
    let dev = scheduled(Kind::Dome, "motion", 1);
    let session = dev.login();
    let (alarms, mut receiver) = session.alarms().start_queue().unwrap();
    assert_eq!(alarms.setup_call(), Some(V50));
    let a = next_alarm(&mut receiver, Duration::from_secs(10));
    assert_eq!(a.command, command(COMM_ALARM_V40), "{a:?}");
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
    assert_source(&a, &dev, &session, "大门球机");
    assert_recent_zoned(&a);
    assert!(a.pictures.is_empty() && a.isapi.is_none(), "{a:?}");
    assert_eq!((a.lost_before, a.truncated), (0, false));
    let b = next_alarm(&mut receiver, Duration::from_secs(10));
    assert_eq!(b.kind, a.kind, "the schedule repeats");
    alarms.stop().unwrap();
    assert_eq!(dev.calls(CLOSE), 1);
    assert_eq!(dev.value("armings"), 0);
}

#[test]
fn mock_arming_motion_in_the_v30_form_has_no_time() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (_alarms, mut receiver) = session.alarms().v30_messages().start_queue().unwrap();
    let a = raise_and_take(&dev, &mut receiver, "motion", 1);
    assert_eq!(a.command, command(COMM_ALARM_V30), "{a:?}");
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
    assert_source(&a, &dev, &session, "大门球机");
    assert_eq!(a.time, None, "V30 messages carry no time");
    assert!(a.pictures.is_empty() && a.isapi.is_none());
}

#[test]
fn mock_arming_line_crossing_on_the_nvr_carries_rule_and_target() {
    let dev = Device::with_extra(
        Kind::Nvr,
        "\n[[alarm]]\nkind = \"line_crossing\"\nchannel = 35\nevery_seconds = 0.5\n\
         rule_id = 3\nrule_name = \"gate line\"\n\
         target = { x = 0.25, y = 0.5, width = 0.125, height = 0.25 }\n",
    );
    let session = dev.login();
    let (_alarms, mut receiver) = session.alarms().start_queue().unwrap();
    let a = next_alarm(&mut receiver, Duration::from_secs(10));
    assert_eq!(a.command, command(COMM_ALARM_RULE), "{a:?}");
    let AlarmKind::LineCrossing(r) = &a.kind else {
        panic!("not a line crossing: {a:?}");
    };
    assert_eq!((r.rule_id, r.rule_name.as_str()), (3, "gate line"));
    assert_eq!(r.event_type, hcnetsdk::sys::VCA_TRAVERSE_PLANE);
    assert_eq!(r.channel, Some(35));
    assert_eq!(r.device_ip, dev.address);
    let t = r.target;
    assert_eq!((t.x, t.y, t.width, t.height), (0.25, 0.5, 0.125, 0.25));
    assert_eq!(a.kind.channels(), vec![35]);
    assert_source(&a, &dev, &session, "机房录像机");
    assert!(a.time.is_some(), "rule alarms carry dwAbsTime: {a:?}");
    assert!(a.pictures.is_empty());
}

#[test]
fn mock_arming_alarm_input_from_1() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (_alarms, mut receiver) = session.alarms().start_queue().unwrap();
    let a = raise_and_take(&dev, &mut receiver, "alarm_input", 3);
    assert_eq!(a.command, command(COMM_ALARM_V40), "{a:?}");
    let AlarmKind::AlarmInput { input, .. } = &a.kind else {
        panic!("not an alarm input: {a:?}");
    };
    assert_eq!(*input, 3);
    assert_source(&a, &dev, &session, "机房录像机");
    assert_recent_zoned(&a);
    assert_eq!(
        mock().raise_alarm(&dev.address, "alarm_input", 5),
        None,
        "4 inputs"
    );
}

#[test]
fn mock_arming_an_isapi_login_gets_comm_isapi_alarm() {
    let dev = Device::new(Kind::Dome);
    let session = Session::builder(sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(Password::new(PASSWORD))
        .mode(LoginMode::Isapi)
        .login()
        .expect("ISAPI login");
    let (_alarms, mut receiver) = session.alarms().start_queue().unwrap();
    let a = raise_and_take(&dev, &mut receiver, "motion", 1);
    assert_eq!(a.command, command(COMM_ISAPI_ALARM), "{a:?}");
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
    let doc = a.isapi.as_ref().expect("the ISAPI document");
    assert_eq!(doc.event_type, "VMD");
    assert_eq!(doc.event_state.as_deref(), Some("active"));
    assert_eq!(doc.channel, Some(1));
    assert!(!doc.json, "XML");
    assert!(
        doc.document.contains("<EventNotificationAlert"),
        "{}",
        doc.document
    );
    assert!(doc.date_time.is_some(), "{doc:?}");
    assert_eq!(a.source.user_id, Some(session.user_id()));
    assert!(a.time.is_some(), "from dateTime: {a:?}");
    assert!(a.pictures.is_empty());
}

#[test]
fn mock_arming_twice_shares_one_arming_and_the_last_handle_disarms() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (first, mut r1) = session.alarms().start_queue().unwrap();
    let (second, mut r2) = session.clone().alarms().start_queue().unwrap();
    assert_eq!(
        dev.calls(V50),
        1,
        "one arming for both handles: no 'exceeds max'"
    );
    assert_eq!(dev.value("armings"), 1);
    assert_eq!((first.shared_by(), first.handle()), (2, second.handle()));
    let a = raise_and_take(&dev, &mut r1, "motion", 1);
    assert_eq!(
        next_alarm(&mut r2, Duration::from_secs(10)),
        a,
        "both handles get it"
    );
    drop(first);
    assert_eq!(dev.calls(CLOSE), 0, "one handle still holds the arming");
    second.stop().unwrap();
    assert_eq!(dev.calls(CLOSE), 1);
    assert_eq!(dev.value("armings"), 0);
    let (third, _r3) = session.alarms().start_queue().unwrap();
    assert_eq!(dev.calls(V50), 2, "a new arming after the last one went");
    drop(third);
}

#[test]
fn mock_arming_a_second_session_on_a_one_arming_device_gets_46() {
    let dev = Device::new(Kind::Dome);
    let (one, two) = (dev.login(), dev.login());
    let (_alarms, _r) = one.alarms().start_queue().unwrap();
    let err = two.alarms().start_queue().unwrap_err();
    assert_sdk_error(&err, 46, V50);
    let report = format!("{err:#}");
    assert!(report.contains("NET_DVR_MAX_NUM (46)"), "{report}");
    assert!(report.contains("what to do:"), "remediation: {report}");
    assert_eq!(dev.calls(V41), 0, "46 is not a reason to try V41");
    assert_eq!(dev.value("armings"), 1);
}

#[test]
fn mock_arming_logout_stops_it_and_the_queue_ends_with_a_channel_event() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (alarms, mut receiver) = session.alarms().start_queue().unwrap();
    session.clone().logout().unwrap();
    assert!(alarms.is_stopped());
    assert_eq!(dev.calls(CLOSE), 1);
    let mut last = None;
    while let Some(a) = receiver.recv() {
        last = Some(a.kind);
    }
    assert_eq!(
        last,
        Some(AlarmKind::Channel(AlarmChannelEvent::StoppedByLogout))
    );
    drop(alarms);
    assert_eq!(dev.calls(CLOSE), 1, "disarmed once");
    assert_eq!(dev.value("armings"), 0);
}

#[test]
fn mock_arming_falls_back_to_v41_and_a_closure_gets_the_alarms() {
    let dev = scheduled(Kind::Dome, "motion", 1);
    let session = dev.login();
    dev.fail_next(V50, 23, 1);
    let (tx, rx) = std::sync::mpsc::channel();
    let alarms = session
        .alarms()
        .start(move |a| {
            let _ = tx.send(a);
        })
        .unwrap();
    assert_eq!(alarms.setup_call(), Some(V41));
    let deadline = Instant::now() + Duration::from_secs(10);
    let a = loop {
        let a = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a motion alarm through the closure");
        if !matches!(a.kind, AlarmKind::Channel(_)) {
            break a;
        }
    };
    assert_eq!(
        a.command,
        command(COMM_ALARM_V40),
        "V41 asks for the V40 form too"
    );
    assert_eq!(a.kind, AlarmKind::Motion { channels: vec![1] });
}

#[test]
fn mock_arming_the_watchdog_arms_again_after_a_silence() {
    // A private device without a schedule stays silent.
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (alarms, mut receiver) = session
        .alarms()
        .watchdog(Duration::from_secs(1))
        .start_queue()
        .unwrap();
    let first = alarms.handle().unwrap();
    let a = receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("a channel event");
    assert_eq!(
        a.kind,
        AlarmKind::Channel(AlarmChannelEvent::RearmedByWatchdog)
    );
    assert_eq!(dev.calls(V50), 2);
    assert_eq!(dev.calls(CLOSE), 1, "the old arming closed first");
    assert!(alarms.handle().is_some_and(|h| h >= 0), "{first}");
    assert_eq!(dev.value("armings"), 1);
}

#[cfg(feature = "tokio")]
#[test]
fn mock_arming_alarms_as_a_stream() {
    use std::future::poll_fn;
    use std::pin::Pin;

    use futures_core::Stream;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dev = scheduled(Kind::Dome, "motion", 1);
        let session = dev.login();
        let (alarms, mut stream) = session.alarms().start_stream().await.unwrap();
        let found = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let a = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await;
                match a {
                    Some(a) if matches!(a.kind, AlarmKind::Motion { .. }) => return a,
                    Some(_) => {}
                    None => panic!("the stream ended"),
                }
            }
        })
        .await
        .expect("motion within 10 s");
        assert_eq!(found.kind.channels(), vec![1]);
        assert_eq!(found.source.user_id, Some(session.user_id()));
        drop(alarms);
    });
}
