//! Failures of calls on which the mock applies only process-wide fault rules (it does not
//! scope Logout, StopRealPlay, SaveRealData and StopSaveRealData to a device). Every test
//! holds `SERIAL`, so a rule set here is consumed by this test's own call.

use hcnetsdk_test_support::safe as support;

use std::sync::{Mutex, MutexGuard};

use support::{Device, Kind, assert_sdk_error, mock};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    let g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    mock().clear_faults(None, None);
    g
}

#[test]
fn logout_failure_is_typed() {
    let _g = serial();
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let user_id = session.user_id();
    mock().fail_next("NET_DVR_Logout", 47, 1, None);
    let err = session.logout().unwrap_err();
    assert_sdk_error(&err, 47, "NET_DVR_Logout");
    assert_eq!(err.context().user_id, Some(user_id));
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
}

/// Named in `.ci/valgrind.sh`, which runs it under memcheck: the leaked state must stay
/// valid for the callbacks that keep coming.
#[test]
fn stop_failure_is_reported_and_the_callback_state_is_kept() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    static STATE_FREED: AtomicBool = AtomicBool::new(false);
    static CALLS: AtomicU64 = AtomicU64::new(0);
    /// Captured by the handler: dropped exactly when the handler's boxed state is freed.
    struct Witness;
    impl Drop for Witness {
        fn drop(&mut self) {
            STATE_FREED.store(true, Ordering::SeqCst);
        }
    }
    let wait_for_calls = |more: u64| {
        let target = CALLS.load(Ordering::SeqCst) + more;
        // Generous for valgrind (CI step 5); the loop ends as soon as the callbacks arrive.
        let deadline = Instant::now() + Duration::from_secs(60);
        while CALLS.load(Ordering::SeqCst) < target && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        CALLS.load(Ordering::SeqCst) >= target
    };

    let _g = serial();
    // A session that is never logged out: the mock keeps running the stream whose stop
    // "failed", so the leaked state stays reachable (valgrind sees no definite leak) and
    // keeps receiving callbacks until the process exits.
    static SESSION: std::sync::OnceLock<hcnetsdk::Session> = std::sync::OnceLock::new();
    let dev = Device::new(Kind::Dome);
    let session = SESSION.get_or_init(|| dev.login());
    let witness = Witness;
    let preview = session
        .preview(1)
        .start(move |_| {
            let _keep = &witness;
            CALLS.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    let handle = preview.handle();
    assert!(wait_for_calls(1), "no callback before the stop");
    mock().fail_next("NET_DVR_StopRealPlay", 17, 1, None);
    let err = preview.stop().unwrap_err();
    assert_sdk_error(&err, 17, "NET_DVR_StopRealPlay");
    assert_eq!(err.context().handle, Some(handle));
    assert_eq!(err.context().channel, Some(1));
    // The mock still runs the stream (its StopRealPlay "failed"): the state must be kept,
    // and the callbacks that keep arriving run the handler on it.
    assert!(
        !STATE_FREED.load(Ordering::SeqCst),
        "the callback state was freed although NET_DVR_StopRealPlay failed"
    );
    assert!(
        wait_for_calls(20),
        "no callbacks arrived after the failed stop"
    );
    assert!(
        !STATE_FREED.load(Ordering::SeqCst),
        "the callback state was freed while callbacks still arrive"
    );
    assert_eq!(dev.value("links"), 1, "the stream still runs");
}

#[test]
fn save_and_stop_saving_failures_are_typed() {
    let _g = serial();
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    let file = std::env::temp_dir().join(format!("hcnetsdk-gf-{}.ps", std::process::id()));
    mock().fail_next("NET_DVR_SaveRealData", 34, 1, None);
    let err = preview.save_to_file(&file).unwrap_err();
    assert_sdk_error(&err, 34, "NET_DVR_SaveRealData");
    assert_eq!(err.context().handle, Some(preview.handle()));
    preview.save_to_file(&file).unwrap();
    mock().fail_next("NET_DVR_StopSaveRealData", 12, 1, None);
    assert_sdk_error(
        &preview.stop_saving().unwrap_err(),
        12,
        "NET_DVR_StopSaveRealData",
    );
    preview.stop_saving().unwrap();
    preview.stop().unwrap();
    std::fs::remove_file(&file).ok();
}
