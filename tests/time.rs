//! The device's clock and zone on the mock ([`Session::time`], [`Session::set_time`]):
//! classic config calls on a classic login, `/ISAPI/System/time` on an ISAPI login, the
//! same user code for both; a set value comes back from the next get; an unknown zone stays
//! unknown and an instant is never written without one.

use hcnetsdk_test_support::safe as support;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::jiff::{SignedDuration, Timestamp};
use hcnetsdk::{DeviceTime, LoginMode, Password, Session};
use support::{Device, Kind, assert_sdk_error};

fn login(dev: &Device, mode: LoginMode) -> Session {
    Session::builder(support::sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(Password::new(support::PASSWORD))
        .mode(mode)
        .login()
        .unwrap()
}

/// `a` and `b` within 3 s of each other (the mock's clock runs on the wall clock).
#[track_caller]
fn close(a: DateTime, b: DateTime) {
    let d = a.duration_since(b).abs();
    assert!(d <= SignedDuration::from_secs(3), "{a} vs {b}");
}

#[track_caller]
fn close_ts(a: Timestamp, b: Timestamp) {
    let d = a.duration_since(b).abs();
    assert!(d <= SignedDuration::from_secs(3), "{a} vs {b}");
}

fn set_then_get(mode: LoginMode) {
    let dev = Device::with_extra(Kind::Dome, "time_zone = \"+08:00\"");
    let session = login(&dev, mode);
    let clock = session.time().unwrap();
    let zone = clock.zone.clone().expect("the device states its zone");
    assert_eq!(clock.time_basis().device_zone(), Some(&zone));
    let now = Timestamp::now();
    assert_eq!(zone.to_offset(now).seconds(), 8 * 3600, "{mode:?}");
    assert!(matches!(clock.time, DeviceTime::Local(_)), "{clock:?}");
    close_ts(clock.time.timestamp().unwrap(), now);

    // A device-local time goes as it is and comes back.
    let wall = date(2027, 3, 4).at(5, 6, 7, 0);
    session.set_time(wall).unwrap();
    let back = session.time().unwrap();
    close(back.time.wall_clock(), wall);
    close_ts(
        back.time.timestamp().unwrap(),
        "2027-03-03T21:06:07Z".parse().unwrap(),
    );

    // An instant is written in the device's zone.
    let instant: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
    session.set_time(instant).unwrap();
    let back = session.time().unwrap();
    close_ts(back.time.timestamp().unwrap(), instant);
    close(back.time.wall_clock(), date(2026, 6, 1).at(8, 0, 0, 0));
}

#[test]
fn classic_login_set_then_get_returns_the_set_value() {
    set_then_get(LoginMode::Private);
}

#[test]
fn isapi_login_set_then_get_returns_the_set_value_through_isapi() {
    let dev = Device::new(Kind::Bullet);
    let session = login(&dev, LoginMode::Isapi);
    session.time().unwrap();
    assert_eq!(
        dev.calls("NET_DVR_GetDVRConfig"),
        0,
        "no classic call on an ISAPI login"
    );
    assert!(dev.calls("NET_DVR_STDXMLConfig") >= 1);
    set_then_get(LoginMode::Isapi);
}

#[test]
fn the_classic_calls_fail_with_23_on_an_isapi_login_as_the_real_sdk() {
    let dev = Device::new(Kind::Dome);
    let session = login(&dev, LoginMode::Isapi);
    let lib = hcnetsdk::sys::Library::load_file(support::sdk().library_path()).unwrap();
    let get = hcnetsdk::sys::sym!(lib, NET_DVR_GetDVRConfig).unwrap();
    let last_error = hcnetsdk::sys::sym!(lib, NET_DVR_GetLastError).unwrap();
    let mut t = hcnetsdk::sys::NET_DVR_TIME::default();
    let mut returned = 0u32;
    // SAFETY: a live NET_DVR_TIME and its size, a live DWORD, the session's user ID.
    let ok = unsafe {
        get(
            session.user_id(),
            hcnetsdk::sys::NET_DVR_GET_TIMECFG,
            0,
            (&raw mut t).cast(),
            size_of::<hcnetsdk::sys::NET_DVR_TIME>() as u32,
            &raw mut returned,
        )
    };
    assert_eq!(ok, 0);
    // SAFETY: no arguments; read right after the failed call on this thread.
    assert_eq!(unsafe { last_error() }, 23);
}

#[test]
fn a_zone_with_dst_is_read_with_its_rule() {
    for mode in [LoginMode::Private, LoginMode::Isapi] {
        let dev = Device::with_extra(Kind::Nvr, "time_zone = \"Europe/Berlin\"");
        let session = login(&dev, mode);
        let zone = session.time().unwrap().zone.expect("zone");
        let summer: Timestamp = "2027-07-01T12:00:00Z".parse().unwrap();
        let winter: Timestamp = "2027-01-15T12:00:00Z".parse().unwrap();
        assert_eq!(zone.to_offset(summer).seconds(), 7200, "{mode:?}");
        assert_eq!(zone.to_offset(winter).seconds(), 3600, "{mode:?}");
    }
}

#[test]
fn an_unknown_zone_stays_unknown_and_instants_are_refused() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    // The zone calls (GET_NTPCFG first) answer 23: the device states no zone.
    dev.fail_next("NET_DVR_GetDVRConfig", 23, 1);
    let clock = session.time().unwrap();
    assert_eq!(clock.zone, None);
    assert_eq!(clock.time_basis(), hcnetsdk::TimeBasis::default());
    assert!(clock.time.is_zone_unknown(), "{clock:?}");
    assert_eq!(clock.time.timestamp(), None, "never an instant by guess");
    close(
        clock.time.wall_clock(),
        Timestamp::now()
            .to_zoned(hcnetsdk::jiff::tz::TimeZone::UTC)
            .datetime(),
    );

    dev.fail_next("NET_DVR_GetDVRConfig", 23, 1);
    let err = session
        .set_time("2026-06-01T00:00:00Z".parse::<Timestamp>().unwrap())
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    assert!(err.to_string().contains("time zone"), "{err:#}");
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(dev.calls("NET_DVR_SetDVRConfig"), 0, "nothing was changed");
}

#[test]
fn errors_carry_the_call_the_command_and_the_context() {
    let dev = Device::new(Kind::Dome);
    let viewer = dev.login_as("viewer", "View12345").unwrap();
    let err = viewer
        .set_time(date(2027, 1, 1).at(0, 0, 0, 0))
        .unwrap_err();
    assert_sdk_error(&err, 2, "NET_DVR_SetDVRConfig");
    assert!(
        err.finding().unwrap_or("").contains("SET_TIMECFG"),
        "{err:#}"
    );
    assert_eq!(err.context().port, Some(dev.port));

    dev.fail_next("NET_DVR_GetDVRConfig", 7, 1);
    let err = dev.login().time().unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_GetDVRConfig");
    assert!(
        err.finding().unwrap_or("").contains("GET_NTPCFG"),
        "{err:#}"
    );
}

#[test]
fn a_zone_set_through_the_classic_calls_is_what_either_face_reads() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let lib = hcnetsdk::sys::Library::load_file(support::sdk().library_path()).unwrap();
    let set = hcnetsdk::sys::sym!(lib, NET_DVR_SetDVRConfig).unwrap();
    let mut ntp = hcnetsdk::sys::NET_DVR_NTPPARA {
        cTimeDifferenceH: -5,
        ..Default::default()
    };
    let point = |month, hour| hcnetsdk::sys::NET_DVR_TIMEPOINT {
        dwMonth: month,
        dwWeekNo: 1,
        dwWeekDate: 0,
        dwHour: hour,
        dwMin: 0,
    };
    // US rules: second Sunday of March 02:00, first Sunday of November 02:00.
    let mut dst = hcnetsdk::sys::NET_DVR_ZONEANDDST {
        dwSize: size_of::<hcnetsdk::sys::NET_DVR_ZONEANDDST>() as u32,
        dwEnableDST: 1,
        byDSTBias: 60,
        struBeginPoint: point(2, 2),
        struEndPoint: hcnetsdk::sys::NET_DVR_TIMEPOINT {
            dwWeekNo: 0,
            ..point(10, 2)
        },
        ..Default::default()
    };
    // SAFETY: live structs with their sizes, the session's user ID.
    unsafe {
        assert_eq!(
            set(
                session.user_id(),
                hcnetsdk::sys::NET_DVR_SET_NTPCFG,
                0,
                (&raw mut ntp).cast(),
                size_of::<hcnetsdk::sys::NET_DVR_NTPPARA>() as u32,
            ),
            1
        );
        assert_eq!(
            set(
                session.user_id(),
                hcnetsdk::sys::NET_DVR_SET_ZONEANDDST,
                0,
                (&raw mut dst).cast(),
                size_of::<hcnetsdk::sys::NET_DVR_ZONEANDDST>() as u32,
            ),
            1
        );
    }
    let summer: Timestamp = "2027-07-01T12:00:00Z".parse().unwrap();
    let winter: Timestamp = "2027-01-15T12:00:00Z".parse().unwrap();
    let classic = session.time().unwrap().zone.unwrap();
    let isapi = login(&dev, LoginMode::Isapi).time().unwrap().zone.unwrap();
    for zone in [classic, isapi] {
        assert_eq!(zone.to_offset(winter).seconds(), -5 * 3600);
        assert_eq!(zone.to_offset(summer).seconds(), -4 * 3600);
        // 2027-03-14 is the second Sunday of March.
        let before: Timestamp = "2027-03-14T06:59:00Z".parse().unwrap();
        let after: Timestamp = "2027-03-14T07:01:00Z".parse().unwrap();
        assert_eq!(zone.to_offset(before).seconds(), -5 * 3600);
        assert_eq!(zone.to_offset(after).seconds(), -4 * 3600);
    }
}
