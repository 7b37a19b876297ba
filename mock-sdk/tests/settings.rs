//! SDK settings that change behaviour process-wide, so they get a test binary (a process) of
//! their own, and its tests run one at a time: `SetReconnect` off and on again,
//! `SetExceptionCallBack_V30` replaced by NULL, the exception callback's thread, and the
//! `SetLogToFile` levels. (SetConnectTime and SetRecvTimeOut are timed against the real SDK
//! in the conformance suite; SetSDKInitCfg in tests/login.rs.)

#[macro_use]
mod support;

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hcnetsdk_sys::*;
use support::*;

/// These tests change process-wide settings: one at a time. They also keep their sessions
/// logged in to the end of the process, so no two tests share a user ID and each test's
/// exception events (filtered by user ID) are its own, even ones delivered late.
static SERIAL: Mutex<()> = Mutex::new(());

const INTERVAL_MS: u32 = 100;

fn set_reconnect(on: bool) {
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_SetReconnect)(INTERVAL_MS, BOOL::from(on)) }).unwrap();
    assert_eq!(
        env().ctl.get_value("reconnect_enabled"),
        Some(u64::from(on))
    );
}

fn set_exception_callback(cb: EXCEPTIONCALLBACK) {
    // SAFETY: a valid callback or NULL.
    ok(unsafe {
        f!(NET_DVR_SetExceptionCallBack_V30)(0, std::ptr::null_mut(), cb, std::ptr::null_mut())
    })
    .unwrap();
}

unsafe extern "system" fn count_data(
    _h: LONG,
    _kind: DWORD,
    _buf: *mut BYTE,
    _len: DWORD,
    p: *mut c_void,
) {
    // SAFETY: an AtomicUsize passed through `user_ptr`, alive for the process.
    unsafe { &*(p as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
}

/// Several reconnect intervals: long enough that a reconnect that was going to happen would
/// have happened.
fn quiet_window() {
    std::thread::sleep(Duration::from_millis(u64::from(INTERVAL_MS) * 6));
}

#[test]
fn reconnect_off_leaves_dropped_links_down_until_it_is_turned_on() {
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let e = env();
    let dev = e.ctl.add_test_device("pacing = \"fast\"");
    let id = admin(&dev);
    let packets = Arc::new(AtomicUsize::new(0));
    let h = realplay(id, 1, 0, Some(count_data), user_ptr(&packets)).unwrap();
    assert!(wait_for(Duration::from_secs(5), || packets
        .load(Ordering::SeqCst)
        > 2));

    set_reconnect(false);
    assert!(e.ctl.disconnect_preview(h));
    assert!(wait_for(Duration::from_secs(5), || events_for(id)
        .contains(&(EXCEPTION_PREVIEW, h))));
    let n = packets.load(Ordering::SeqCst);
    quiet_window();
    assert_eq!(
        events_for(id),
        [(EXCEPTION_PREVIEW, h)],
        "reconnect off: no EXCEPTION_RECONNECT, no PREVIEW_RECONNECTSUCCESS"
    );
    // At most the one callback that was already under way when the link dropped.
    assert!(
        packets.load(Ordering::SeqCst) <= n + 1,
        "no data while down: {} -> {}",
        n,
        packets.load(Ordering::SeqCst)
    );

    set_reconnect(true);
    assert!(
        wait_for(Duration::from_secs(3), || events_for(id)
            .contains(&(PREVIEW_RECONNECTSUCCESS, h))),
        "turning reconnect on brings the dropped preview back: {:?}",
        events_for(id)
    );
    assert!(wait_for(Duration::from_secs(5), || packets
        .load(Ordering::SeqCst)
        > n + 2));

    // A session dropped while reconnect is off stays down (its preview too): no
    // RESUME_EXCHANGE...
    set_reconnect(false);
    assert!(e.ctl.disconnect_session(id));
    assert!(wait_for(Duration::from_secs(5), || events_for(id)
        .contains(&(EXCEPTION_EXCHANGE, -1))));
    quiet_window();
    assert!(
        !events_for(id).contains(&(RESUME_EXCHANGE, -1)),
        "{:?}",
        events_for(id)
    );
    // ...until reconnect is turned on again.
    let successes = |ev: &[(u32, i32)]| {
        ev.iter()
            .filter(|e| **e == (PREVIEW_RECONNECTSUCCESS, h))
            .count()
    };
    set_reconnect(true);
    assert!(
        wait_for(Duration::from_secs(3), || {
            let ev = events_for(id);
            ev.contains(&(RESUME_EXCHANGE, -1)) && successes(&ev) == 2
        }),
        "session and preview come back: {:?}",
        events_for(id)
    );
    assert!(stop(h));
    let me = std::thread::current().id();
    assert!(
        EVENT_THREADS.lock().unwrap().iter().all(|t| *t != me),
        "exception callbacks run on a mock thread"
    );
    set_reconnect(true);
}

#[test]
fn a_null_exception_callback_stops_the_events() {
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let e = env();
    let dev = e.ctl.add_test_device("pacing = \"fast\"");
    let id = admin(&dev);
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    set_exception_callback(None);
    assert!(e.ctl.disconnect_preview(h));
    quiet_window();
    assert_eq!(events_for(id), [], "no callback registered: no events");
    set_exception_callback(Some(on_exception));
    assert!(e.ctl.disconnect_session(id));
    assert!(
        wait_for(Duration::from_secs(5), || events_for(id)
            .contains(&(EXCEPTION_EXCHANGE, -1))),
        "the callback registered again gets the next events"
    );
    assert!(stop(h));
}

#[test]
fn log_levels_choose_what_is_written() {
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-levels-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = cstring(&format!("{}/nested/", dir.display()));
    let mut st = NET_DVR_SDKSTATE::default();
    let fail_and_succeed = |st: &mut NET_DVR_SDKSTATE| {
        let _ = login("192.0.2.251", 8000, "admin", "x"); // no device: fails with 7
        // SAFETY: valid struct.
        ok(unsafe { f!(NET_DVR_GetSDKState)(st) }).unwrap();
    };
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(1, d.as_ptr().cast_mut(), 0) }).unwrap();
    let path = env().ctl.get_string("log_file").expect("log file");
    assert!(path.starts_with(&dir.display().to_string()), "{path}");
    fail_and_succeed(&mut st);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("NET_DVR_Login_V40 failed: 7"), "{text}");
    assert!(
        !text.contains("NET_DVR_GetSDKState ok"),
        "level 1 logs errors only:\n{text}"
    );
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(3, d.as_ptr().cast_mut(), 0) }).unwrap();
    fail_and_succeed(&mut st);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("NET_DVR_GetSDKState ok"),
        "level 3 logs every call:\n{text}"
    );
    // SAFETY: level 0 with no folder closes the log.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(0, std::ptr::null_mut(), 0) }).unwrap();
    assert_eq!(env().ctl.get_string("log_file"), None);
    let len = std::fs::metadata(&path).unwrap().len();
    fail_and_succeed(&mut st);
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        len,
        "level 0: nothing more"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn logging_to_a_closed_stderr_does_not_abort_the_client() {
    // Once SetLogToFile is on, the mock (like the real SDK) copies every log line to stderr.
    // A client whose stderr is a pipe nobody reads any more gets EPIPE there; that must not
    // become a panic (which would abort the client: it cannot unwind through the C ABI).
    use std::process::{Command, Stdio};
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_logs_to_a_broken_pipe",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env("HCNETSDK_MOCK_LIB", support::mock::mock_lib_path())
        .env("HCNETSDK_MOCK_BROKEN_PIPE_CHILD", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take()); // the read end is closed: writes to stderr fail with EPIPE
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("1 passed"),
        "child ({}):\n{text}",
        out.status
    );
}

#[test]
#[ignore = "child process of logging_to_a_closed_stderr_does_not_abort_the_client"]
fn child_logs_to_a_broken_pipe() {
    assert!(std::env::var_os("HCNETSDK_MOCK_BROKEN_PIPE_CHILD").is_some());
    env();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-epipe-{}", std::process::id()));
    let d = cstring(&format!("{}/", dir.display()));
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(3, d.as_ptr().cast_mut(), 0) }).unwrap();
    for _ in 0..20 {
        let _ = login("192.0.2.252", 8000, "admin", "x"); // logged failures
        let mut st = NET_DVR_SDKSTATE::default();
        // SAFETY: valid struct.
        ok(unsafe { f!(NET_DVR_GetSDKState)(&mut st) }).unwrap(); // logged successes
    }
    let path = env().ctl.get_string("log_file").unwrap();
    assert!(
        std::fs::read_to_string(path)
            .unwrap()
            .contains("NET_DVR_GetSDKState ok")
    );
    // SAFETY: level 0 closes the log.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(0, std::ptr::null_mut(), 0) }).unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn set_log_to_file_records_the_level_and_auto_delete_it_received() {
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-logrec-{}", std::process::id()));
    let d = cstring(&format!("{}/", dir.display()));
    let got = || {
        (
            env().ctl.get_value("log_level"),
            env().ctl.get_value("log_auto_delete"),
        )
    };
    for (level, auto) in [(2u32, 1i32), (1, 0), (3, 1), (3, 5)] {
        // SAFETY: valid C string.
        ok(unsafe { f!(NET_DVR_SetLogToFile)(level, d.as_ptr().cast_mut(), auto) }).unwrap();
        assert_eq!(got(), (Some(level.into()), Some(auto as u64)));
        assert!(env().ctl.get_string("log_file").is_some());
    }
    // SAFETY: level 0 with no folder closes the log.
    ok(unsafe { f!(NET_DVR_SetLogToFile)(0, std::ptr::null_mut(), 0) }).unwrap();
    assert_eq!(got(), (Some(0), Some(0)));
    assert_eq!(env().ctl.get_string("log_file"), None);
    let _ = std::fs::remove_dir_all(&dir);
}
