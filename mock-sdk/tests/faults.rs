//! The fault-injection half of the `MOCK_*` control API, through the Rust helper
//! (`hcnetsdk_test_support::mock_control`): fail N / until cleared / with probability p, the `*`
//! wildcard, device scoping by address or scenario label, latency, call counts, and that
//! control calls leave the SDK's last error alone.

#[macro_use]
mod support;

use std::time::{Duration, Instant};

use support::*;

/// `NET_DVR_MakeKeyFrame(id, 1)`: a cheap call that reaches the device.
fn key_frame(id: i32) -> Result<(), u32> {
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) })
}

/// The label `add_test_device` gives a device at 192.0.2.N.
fn label(dev: &TestDevice) -> String {
    format!("test-{}", dev.address.rsplit('.').next().unwrap())
}

#[test]
fn a_label_scopes_faults_latency_and_counts_like_the_address() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let other = e.ctl.add_test_device("");
    let (id, other_id) = (admin(&dev), admin(&other));
    let l = label(&dev);
    e.ctl.fail_next("NET_DVR_MakeKeyFrame", 29, 1, Some(&l));
    assert_eq!(
        key_frame(other_id),
        Ok(()),
        "another device is not affected"
    );
    assert_eq!(key_frame(id), Err(29), "a rule scoped by label");
    assert_eq!(key_frame(id), Ok(()), "only the next call");
    let before = e.ctl.call_count("NET_DVR_MakeKeyFrame", Some(&l));
    assert_eq!(
        before,
        e.ctl.call_count("NET_DVR_MakeKeyFrame", Some(&dev.address))
    );
    assert!(before >= 2, "{before}");
    e.ctl.set_latency("NET_DVR_MakeKeyFrame", 150, Some(&l));
    let t = Instant::now();
    key_frame(id).unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    e.ctl.clear_faults(None, Some(&l));
    let t = Instant::now();
    key_frame(id).unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(150),
        "latency cleared by label"
    );
    assert!(logout(id) && logout(other_id));
}

#[test]
fn fail_random_fails_about_p_of_the_calls() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let id = admin(&dev);
    e.ctl
        .fail_random("NET_DVR_MakeKeyFrame", 41, 0.5, Some(&dev.address));
    let n = 400;
    let mut failed = 0;
    for _ in 0..n {
        match key_frame(id) {
            Ok(()) => {}
            Err(code) => {
                assert_eq!(code, 41);
                failed += 1;
            }
        }
    }
    // Binomial(400, 0.5): mean 200, standard deviation 10; this band is 6 deviations wide.
    assert!((140..=260).contains(&failed), "{failed} of {n} failed");
    e.ctl
        .fail_random("NET_DVR_MakeKeyFrame", 41, 0.0, Some(&dev.address));
    e.ctl
        .clear_faults(Some("NET_DVR_MakeKeyFrame"), Some(&dev.address));
    for _ in 0..50 {
        assert_eq!(key_frame(id), Ok(()), "cleared");
    }
    assert!(logout(id));
}

#[test]
fn count_zero_fails_until_cleared_and_star_matches_every_function() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let id = admin(&dev);
    e.ctl
        .fail_next("NET_DVR_MakeKeyFrame", 29, 0, Some(&dev.address));
    for _ in 0..20 {
        assert_eq!(key_frame(id), Err(29));
    }
    e.ctl
        .clear_faults(Some("NET_DVR_MakeKeyFrame"), Some(&dev.address));
    assert_eq!(key_frame(id), Ok(()));
    // "*": the next two calls that reach this device fail, whatever they are.
    e.ctl.fail_next("*", 800, 2, Some(&dev.address));
    assert_eq!(key_frame(id), Err(800));
    assert_eq!(
        login(&dev.address, dev.port, "admin", "Admin12345")
            .unwrap_err()
            .0,
        800
    );
    assert_eq!(key_frame(id), Ok(()));
    assert!(logout(id));
}

#[test]
fn control_calls_leave_the_last_error_alone_and_are_not_counted() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let id = admin(&dev);
    e.ctl
        .fail_next("NET_DVR_MakeKeyFrame", 29, 1, Some(&dev.address));
    assert_eq!(key_frame(id), Err(29));
    let before = e.ctl.call_count("NET_DVR_MakeKeyFrame", Some(&dev.address));
    e.ctl
        .set_latency("NET_DVR_MakeKeyFrame", 0, Some(&dev.address));
    e.ctl.clear_faults(None, Some(&dev.address));
    assert!(e.ctl.device_value(&dev.address, 8000, "sessions").is_some());
    assert_eq!(e.ctl.get_value("last_error"), Some(29));
    assert!(e.ctl.get_string("version").is_some());
    assert_eq!(err(), 29, "MOCK_ calls do not touch the last error");
    assert_eq!(
        e.ctl.call_count("NET_DVR_MakeKeyFrame", Some(&dev.address)),
        before
    );
    // SAFETY: plain value.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Ok(()));
    assert_eq!(
        e.ctl.call_count("NET_DVR_MakeKeyFrame", Some(&dev.address)),
        before + 1,
        "each SDK call that reaches the device counts once"
    );
    assert!(logout(id));
}

#[test]
fn a_call_counts_on_a_device_once_its_id_or_handle_resolves_even_if_then_refused() {
    use hcnetsdk_sys::*;
    let e = env();
    let dev = e.ctl.add_test_device("ptz = true");
    let other = e.ctl.add_test_device("ptz = true");
    let id = admin(&dev);
    let count = |f: &str| e.ctl.call_count(f, Some(&dev.address));
    let (speed, preset, set_cfg) = (
        "NET_DVR_PTZControlWithSpeed_Other",
        "NET_DVR_PTZPreset_Other",
        "NET_DVR_SetDVRConfig",
    );
    let before = [count(speed), count(preset), count(set_cfg)];
    // Parameters the mock refuses with 17 after resolving the user ID.
    for s in [0, 8, 255] {
        // SAFETY: plain values.
        let r = unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(id, 1, PAN_LEFT, 0, s) };
        assert_eq!(ok(r), Err(17), "speed {s}");
    }
    for p in [0, 256, 65535] {
        // SAFETY: plain values.
        let r = unsafe { f!(NET_DVR_PTZPreset_Other)(id, 1, SET_PRESET, p) };
        assert_eq!(ok(r), Err(17), "preset {p}");
    }
    let mut pos = NET_DVR_PTZPOS {
        wAction: 1,
        wPanPos: 0x3600,
        wTiltPos: 0,
        wZoomPos: 0x10,
    };
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_SetDVRConfig)(
            id,
            NET_DVR_SET_PTZPOS,
            1,
            (&mut pos as *mut NET_DVR_PTZPOS).cast(),
            8,
        )
    };
    assert_eq!(ok(r), Err(17), "pan 360");
    assert_eq!(
        [count(speed), count(preset), count(set_cfg)],
        [before[0] + 3, before[1] + 3, before[2] + 1],
        "each refused call named a session of the device"
    );
    // A call that names no session of the device does not count there.
    // SAFETY: plain values; 2047 is a user ID no test logs in with.
    let r = unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(2047, 1, PAN_LEFT, 0, 0) };
    assert_eq!(ok(r), Err(47));
    assert_eq!(count(speed), before[0] + 3);
    assert_eq!(e.ctl.call_count(speed, Some(&other.address)), 0);
    // By preview handle: counted when the handle resolves, before the speed check.
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    let by_handle = count("NET_DVR_PTZControlWithSpeed");
    // SAFETY: plain values.
    let r = unsafe { f!(NET_DVR_PTZControlWithSpeed)(h, PAN_LEFT, 0, 0) };
    assert_eq!(ok(r), Err(17));
    assert_eq!(count("NET_DVR_PTZControlWithSpeed"), by_handle + 1);
    assert!(stop(h));
    // Logout names the session too.
    let logouts = count("NET_DVR_Logout");
    assert!(logout(id));
    assert_eq!(count("NET_DVR_Logout"), logouts + 1);
}
