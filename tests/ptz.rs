//! `Ptz` against the mock SDK's PTZ dome and fixed bullet.

use hcnetsdk_test_support::safe as support;

use std::time::Duration;

use hcnetsdk::error::Category;
use hcnetsdk::{Motion, PtzPosition};
use support::{Device, Kind, assert_invalid_input, assert_sdk_error};

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.05
}

#[test]
fn every_motion_starts_and_the_guard_stops_it() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    assert_eq!(ptz.channel(), 1);
    // Mid-range (the dome zooms 1x..25x), so every direction has room to move.
    let mid = PtzPosition {
        pan: 180.0,
        tilt: 45.0,
        zoom: 5.0,
    };
    let calls = dev.calls("NET_DVR_PTZControlWithSpeed_Other");
    for motion in Motion::ALL {
        let moves = !matches!(
            motion,
            Motion::FocusNear | Motion::FocusFar | Motion::IrisOpen | Motion::IrisClose
        );
        ptz.set_position(mid).unwrap();
        let before = ptz.position().unwrap();
        let guard = ptz.start(motion, 7).unwrap();
        assert_eq!(guard.motion(), motion);
        if moves {
            std::thread::sleep(Duration::from_millis(100));
        }
        drop(guard);
        // Stopped: two reads apart in time see the same position. (The mock stops on any
        // stop command, so whether the stop named the started motion is not observable.)
        let stopped = ptz.position().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            ptz.position().unwrap(),
            stopped,
            "{motion:?} still moves after the guard was dropped"
        );
        if moves {
            assert_ne!(stopped, before, "{motion:?} did not move");
        } else {
            assert_eq!(stopped, before, "{motion:?} moved the head");
        }
    }
    // One start and one stop per motion reached the device.
    assert_eq!(
        dev.calls("NET_DVR_PTZControlWithSpeed_Other") - calls,
        2 * Motion::ALL.len() as u64
    );
}

#[test]
fn a_movement_changes_the_position_until_stopped() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let start = ptz.position().unwrap();
    let moving = ptz.start(Motion::Right, 7).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    moving.stop().unwrap();
    let stopped = ptz.position().unwrap();
    assert!(stopped.pan > start.pan + 1.0, "{start} -> {stopped}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(ptz.position().unwrap(), stopped, "stop really stopped it");

    // The guard's Drop stops too.
    {
        let _g = ptz.start(Motion::ZoomIn, 4).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    let zoomed = ptz.position().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(ptz.position().unwrap(), zoomed);
    assert!(zoomed.zoom > stopped.zoom);
}

#[test]
fn speed_out_of_range_is_rejected_before_any_sdk_call() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let before = dev.calls("NET_DVR_PTZControlWithSpeed_Other");
    for speed in [0, 8, 255] {
        let err = ptz.start(Motion::Left, speed).unwrap_err();
        assert_invalid_input(&err, "speed");
    }
    assert_eq!(dev.calls("NET_DVR_PTZControlWithSpeed_Other"), before);
}

#[test]
fn presets_set_goto_clear() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let here = PtzPosition {
        pan: 120.5,
        tilt: 30.0,
        zoom: 3.0,
    };
    ptz.set_position(here).unwrap();
    ptz.set_preset(7).unwrap();
    ptz.set_position(PtzPosition {
        pan: 10.0,
        tilt: 5.0,
        zoom: 1.0,
    })
    .unwrap();
    ptz.goto_preset(7).unwrap();
    let back = ptz.position().unwrap();
    assert!(
        close(back.pan, 120.5) && close(back.tilt, 30.0) && close(back.zoom, 3.0),
        "{back}"
    );
    ptz.clear_preset(7).unwrap();
    // An unset preset: the device refuses.
    let err = ptz.goto_preset(7).unwrap_err();
    assert_eq!(err.call(), Some("NET_DVR_PTZPreset_Other"));
    assert!(err.raw_code().is_some_and(|c| c != 0), "{err:#}");
    assert_eq!(err.context().channel, Some(1));
    assert!(!err.remediation().is_empty());
    ptz.set_preset(255).unwrap();
    ptz.set_preset(1).unwrap();
}

#[test]
fn preset_out_of_range_is_rejected_before_any_sdk_call() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let before = dev.calls("NET_DVR_PTZPreset_Other");
    for p in [0, 256, u16::MAX] {
        assert_invalid_input(&ptz.set_preset(p).unwrap_err(), "preset");
        assert_invalid_input(&ptz.goto_preset(p).unwrap_err(), "preset");
        assert_invalid_input(&ptz.clear_preset(p).unwrap_err(), "preset");
    }
    assert_eq!(dev.calls("NET_DVR_PTZPreset_Other"), before);
}

#[test]
fn cruise_route() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    ptz.set_preset(1).unwrap();
    ptz.set_position(PtzPosition {
        pan: 90.0,
        tilt: 10.0,
        zoom: 1.0,
    })
    .unwrap();
    ptz.set_preset(2).unwrap();
    ptz.add_cruise_point(1, 1, 1).unwrap();
    ptz.add_cruise_point(1, 2, 2).unwrap();
    ptz.set_cruise_dwell(1, 1, 2).unwrap();
    ptz.set_cruise_speed(1, 1, 20).unwrap();
    ptz.run_cruise(1).unwrap();
    ptz.stop_cruise(1).unwrap();
    ptz.remove_cruise_point(1, 2, 2).unwrap();
    // An empty route cannot run.
    let err = ptz.run_cruise(2).unwrap_err();
    assert_eq!(err.call(), Some("NET_DVR_PTZCruise_Other"));
    assert!(err.raw_code().is_some_and(|c| c != 0));
}

#[test]
fn cruise_arguments_are_checked_before_any_sdk_call() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    assert_invalid_input(&ptz.run_cruise(0).unwrap_err(), "route");
    assert_invalid_input(&ptz.stop_cruise(33).unwrap_err(), "route");
    assert_invalid_input(&ptz.add_cruise_point(1, 0, 1).unwrap_err(), "point");
    assert_invalid_input(&ptz.add_cruise_point(1, 33, 1).unwrap_err(), "point");
    assert_invalid_input(&ptz.add_cruise_point(1, 1, 0).unwrap_err(), "preset");
    assert_invalid_input(&ptz.remove_cruise_point(1, 1, 256).unwrap_err(), "preset");
    assert_invalid_input(&ptz.set_cruise_dwell(1, 1, 0).unwrap_err(), "seconds");
    assert_invalid_input(&ptz.set_cruise_speed(1, 1, 41).unwrap_err(), "speed");
    assert_eq!(dev.calls("NET_DVR_PTZCruise_Other"), 0);
}

#[test]
fn absolute_position_round_trips_in_degrees() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let home = ptz.position().unwrap();
    assert!(close(home.zoom, 1.0), "{home}");
    for pos in [
        PtzPosition {
            pan: 0.0,
            tilt: 0.0,
            zoom: 1.0,
        },
        PtzPosition {
            pan: 123.4,
            tilt: 45.6,
            zoom: 2.5,
        },
        PtzPosition {
            pan: 359.9,
            tilt: 90.0,
            zoom: 25.0,
        },
    ] {
        ptz.set_position(pos).unwrap();
        let got = ptz.position().unwrap();
        assert!(
            close(got.pan, pos.pan) && close(got.tilt, pos.tilt) && close(got.zoom, pos.zoom),
            "{pos} -> {got}"
        );
    }
    // Out of range: rejected before the SDK.
    let before = dev.calls("NET_DVR_SetDVRConfig");
    assert_invalid_input(
        &ptz.set_position(PtzPosition {
            pan: 360.0,
            tilt: 0.0,
            zoom: 1.0,
        })
        .unwrap_err(),
        "pan",
    );
    assert_invalid_input(
        &ptz.set_position(PtzPosition {
            pan: 0.0,
            tilt: -1.0,
            zoom: 1.0,
        })
        .unwrap_err(),
        "tilt",
    );
    assert_invalid_input(
        &ptz.set_position(PtzPosition {
            pan: 0.0,
            tilt: 0.0,
            zoom: f32::NAN,
        })
        .unwrap_err(),
        "zoom",
    );
    assert_eq!(dev.calls("NET_DVR_SetDVRConfig"), before);
    // In our range but beyond this device's zoom: the device refuses (17).
    let err = ptz
        .set_position(PtzPosition {
            pan: 0.0,
            tilt: 0.0,
            zoom: 99.0,
        })
        .unwrap_err();
    assert_sdk_error(&err, 17, "NET_DVR_SetDVRConfig");
}

#[test]
fn bullet_without_ptz_gives_23_everywhere() {
    let dev = Device::new(Kind::Bullet);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let check = |err: hcnetsdk::Error, call: &str| {
        assert_sdk_error(&err, 23, call);
        assert_eq!(err.category(), Category::Unsupported);
        assert_eq!(err.context().channel, Some(1));
    };
    check(
        ptz.start(Motion::Up, 4).unwrap_err(),
        "NET_DVR_PTZControlWithSpeed_Other",
    );
    check(
        ptz.stop(Motion::Up).unwrap_err(),
        "NET_DVR_PTZControlWithSpeed_Other",
    );
    check(ptz.set_preset(1).unwrap_err(), "NET_DVR_PTZPreset_Other");
    check(ptz.goto_preset(1).unwrap_err(), "NET_DVR_PTZPreset_Other");
    check(ptz.clear_preset(1).unwrap_err(), "NET_DVR_PTZPreset_Other");
    check(ptz.run_cruise(1).unwrap_err(), "NET_DVR_PTZCruise_Other");
    check(ptz.position().unwrap_err(), "NET_DVR_GetDVRConfig");
    check(
        ptz.set_position(PtzPosition {
            pan: 1.0,
            tilt: 1.0,
            zoom: 1.0,
        })
        .unwrap_err(),
        "NET_DVR_SetDVRConfig",
    );
}

#[test]
fn viewer_may_not_move_the_camera() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login_as("viewer", "View12345").unwrap();
    let err = session.ptz(1).unwrap().start(Motion::Left, 3).unwrap_err();
    assert_sdk_error(&err, 2, "NET_DVR_PTZControlWithSpeed_Other");
    assert_eq!(err.category(), Category::Permission);
}

#[test]
fn channel_not_on_the_device_is_rejected() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    for ch in [0, 2, 33] {
        assert_invalid_input(&session.ptz(ch).unwrap_err(), "channel");
    }
}

#[test]
fn injected_failures_on_each_ptz_call() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    dev.fail_next("NET_DVR_PTZControlWithSpeed_Other", 7, 1);
    assert_sdk_error(
        &ptz.start(Motion::Down, 1).unwrap_err(),
        7,
        "NET_DVR_PTZControlWithSpeed_Other",
    );
    dev.fail_next("NET_DVR_PTZPreset_Other", 10, 1);
    assert_sdk_error(
        &ptz.set_preset(3).unwrap_err(),
        10,
        "NET_DVR_PTZPreset_Other",
    );
    dev.fail_next("NET_DVR_PTZCruise_Other", 7, 1);
    assert_sdk_error(
        &ptz.stop_cruise(1).unwrap_err(),
        7,
        "NET_DVR_PTZCruise_Other",
    );
    dev.fail_next("NET_DVR_GetDVRConfig", 10, 1);
    assert_sdk_error(&ptz.position().unwrap_err(), 10, "NET_DVR_GetDVRConfig");
    dev.fail_next("NET_DVR_SetDVRConfig", 7, 1);
    let err = ptz
        .set_position(PtzPosition {
            pan: 1.0,
            tilt: 1.0,
            zoom: 1.0,
        })
        .unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_SetDVRConfig");
    assert_eq!(err.context().user_id, Some(session.user_id()));
    // A guard whose stop fails still drops cleanly (the failure is logged).
    let guard = ptz.start(Motion::Left, 2).unwrap();
    dev.fail_next("NET_DVR_PTZControlWithSpeed_Other", 7, 1);
    let err = guard.stop().unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_PTZControlWithSpeed_Other");
    ptz.stop(Motion::Left).unwrap();
}
