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
