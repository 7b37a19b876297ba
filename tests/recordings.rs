//! Recordings (search, download) on the mock's failure paths: a device that refuses (23,
//! injected), a device without recordings (nothing found; 33 for a download), and the
//! checks made before any SDK call: channels outside the device's map, ranges, zones. The
//! success paths are in `recordings_mock.rs`.

use std::time::Duration;

use hcnetsdk_test_support::safe as support;

use hcnetsdk::error::{Category, ErrorKind};
use hcnetsdk::jiff::Timestamp;
use hcnetsdk::jiff::civil::date;
use hcnetsdk::jiff::tz::{TimeZone, offset};
use hcnetsdk::{DeviceTime, FileType, LoginMode, Password, Session};
use support::{Device, Kind, assert_invalid_input, assert_sdk_error};

// Owned handles: they move into threads and tasks like the others.
static_assertions::assert_impl_all!(hcnetsdk::Recordings: Send, Sync);
static_assertions::assert_impl_all!(hcnetsdk::Download: Send, Sync);
static_assertions::assert_impl_all!(hcnetsdk::RecordingSearch: Send, Sync, Clone);
static_assertions::assert_impl_all!(hcnetsdk::DownloadBuilder: Send, Sync, Clone);
static_assertions::assert_impl_all!(hcnetsdk::Recording: Send, Sync, Clone);

const SEARCH_CALLS: [&str; 3] = [
    "NET_DVR_FindFile_V40",
    "NET_DVR_FindNextFile_V40",
    "NET_DVR_FindClose_V30",
];
const DOWNLOAD_CALLS: [&str; 5] = [
    "NET_DVR_GetFileByTime_V40",
    "NET_DVR_GetFileByName",
    "NET_DVR_PlayBackControl_V40",
    "NET_DVR_GetDownloadPos",
    "NET_DVR_StopGetFile",
];

fn no_calls(dev: &Device, names: &[&str]) {
    for n in names {
        assert_eq!(dev.calls(n), 0, "{n} was called");
    }
}

fn day() -> (DeviceTime, DeviceTime) {
    let d = date(2026, 12, 1);
    (d.at(0, 0, 0, 0).into(), d.at(23, 59, 59, 0).into())
}

#[test]
fn a_search_the_device_does_not_support_fails_with_23_and_closes_nothing() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (from, to) = day();
    dev.fail_next("NET_DVR_FindFile_V40", 23, 1);
    let mut results = session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .file_type(FileType::Motion)
        .search()
        .unwrap();
    no_calls(&dev, &SEARCH_CALLS); // lazy: nothing asked before the first item
    let err = results.next().unwrap().unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_FindFile_V40");
    assert_eq!(err.context().channel, Some(33));
    assert!(
        err.remediation().contains("recording"),
        "the playback family's advice: {err:#}"
    );
    assert!(results.next().is_none(), "done after the error");
    drop(results);
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 1);
    assert_eq!(dev.calls("NET_DVR_FindNextFile_V40"), 0);
    assert_eq!(
        dev.calls("NET_DVR_FindClose_V30"),
        0,
        "no handle was opened"
    );
}

#[test]
fn channels_outside_the_map_fail_before_any_sdk_call() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let info = session.device_info();
    assert_eq!(info.ip_channel(1), Some(33), "D1 is channel 33");
    assert_eq!(info.ip_channel(16), Some(48));
    assert_eq!(info.ip_channel(17), None);
    assert_eq!(info.ip_channel(0), None);
    let (from, to) = day();
    for channel in [1, 32, 49, u32::MAX] {
        let err = session.recordings(channel).unwrap_err();
        assert_invalid_input(&err, "channel");
        assert!(
            err.to_string().contains("33"),
            "names the IP channels: {err}"
        );
        let err = session
            .download_by_time(channel, from.clone(), to.clone())
            .unwrap_err();
        assert_invalid_input(&err, "channel");
    }
    no_calls(&dev, &SEARCH_CALLS);
    no_calls(&dev, &DOWNLOAD_CALLS);
}

#[test]
fn bad_ranges_and_unknown_zones_fail_before_any_sdk_call() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (from, to) = day();
    let err = session.recordings(33).unwrap().search().unwrap_err();
    assert_invalid_input(&err, "range");
    let err = session
        .recordings(33)
        .unwrap()
        .range(to.clone(), from.clone())
        .search()
        .unwrap_err();
    assert_invalid_input(&err, "range");
    assert_eq!(err.context().channel, Some(33));
    // An instant needs the device's zone: never guessed.
    let instant: Timestamp = "2026-12-01T07:00:00Z".parse().unwrap();
    let err = session
        .recordings(33)
        .unwrap()
        .range(instant, to.clone())
        .search()
        .unwrap_err();
    assert_invalid_input(&err, "time");
    assert!(err.to_string().contains("zone is unknown"), "{err}");
    let err = session
        .download_by_time(33, instant, to.clone())
        .unwrap()
        .start(std::env::temp_dir().join("never.ps"))
        .unwrap_err();
    assert_invalid_input(&err, "time");
    no_calls(&dev, &SEARCH_CALLS);
    no_calls(&dev, &DOWNLOAD_CALLS);
    // With the zone stated, the instant is the device's 08:00 and reaches the SDK (this
    // device records nothing: no file, and the search is closed).
    let mut results = session
        .recordings(33)
        .unwrap()
        .device_zone(TimeZone::fixed(offset(1)))
        .range(instant, to)
        .search()
        .unwrap();
    assert!(results.next().is_none());
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 1);
    assert_eq!(dev.calls("NET_DVR_FindClose_V30"), 1);
}

#[test]
fn downloads_of_nothing_fail_with_33_refused_ones_with_23_and_leave_no_file() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (from, to) = day();
    let dir = std::env::temp_dir().join(format!("hcnet-rec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("by-time.ps");
    // This device records nothing: NET_DVR_NOSPECFILE.
    let err = session
        .download_by_time(33, from.clone(), to.clone())
        .unwrap()
        .start(&path)
        .unwrap_err();
    assert_sdk_error(&err, 33, "NET_DVR_GetFileByTime_V40");
    assert_eq!(err.context().channel, Some(33));
    dev.fail_next("NET_DVR_GetFileByTime_V40", 23, 1);
    let err = session
        .download_by_time(33, from, to)
        .unwrap()
        .start(&path)
        .unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_GetFileByTime_V40");
    let err = session
        .download_by_name("ch33_00000000001000000")
        .poll_interval(Duration::from_millis(10))
        .start(dir.join("by-name.ps"))
        .unwrap_err();
    assert_sdk_error(&err, 33, "NET_DVR_GetFileByName");
    assert!(!path.exists() && !dir.join("by-name.ps").exists());
    assert_eq!(dev.calls("NET_DVR_PlayBackControl_V40"), 0);
    assert_eq!(dev.calls("NET_DVR_StopGetFile"), 0, "no handle to stop");
    let err = session
        .download_by_name("a\0b")
        .start(dir.join("x.ps"))
        .unwrap_err();
    assert_invalid_input(&err, "file name");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn after_logout_a_search_fails_without_an_sdk_call() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (from, to) = day();
    let mut results = session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .search()
        .unwrap();
    session.clone().logout().unwrap();
    let err = results.next().unwrap().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LoggedOut { .. }), "{err:#}");
    assert_eq!(err.category(), Category::State);
    no_calls(&dev, &SEARCH_CALLS);
}

#[test]
fn all_types_on_an_isapi_login_search_type_0() {
    let dev = Device::new(Kind::Nvr);
    let session = Session::builder(support::sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(Password::new(support::PASSWORD))
        .mode(LoginMode::Isapi)
        .login()
        .unwrap();
    // What the real SDK does with "all" there, and with every type but 0 (the mock copies
    // it): 17 before any request. (dlopen of the same file gives the same loaded library,
    // with its state.)
    let lib = hcnetsdk::sys::Library::load_file(support::sdk().library_path()).unwrap();
    let find = hcnetsdk::sys::sym!(lib, NET_DVR_FindFile_V40).unwrap();
    let last_error = hcnetsdk::sys::sym!(lib, NET_DVR_GetLastError).unwrap();
    let mut cond = hcnetsdk::sys::NET_DVR_FILECOND_V40 {
        lChannel: 33,
        dwFileType: 0xFF,
        dwIsLocked: 0xFF,
        ..Default::default()
    };
    // SAFETY: a live condition struct and the session's user ID.
    assert_eq!(unsafe { find(session.user_id(), &raw mut cond) }, -1);
    // SAFETY: no arguments; read right after the failed call on this thread.
    assert_eq!(unsafe { last_error() }, 17);
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 1);
    cond.dwFileType = 1;
    cond.dwIsLocked = 0;
    // SAFETY: as above.
    assert_eq!(unsafe { find(session.user_id(), &raw mut cond) }, -1);
    // SAFETY: as above.
    assert_eq!(unsafe { last_error() }, 17);
    let (from, to) = day();
    let mut results = session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .search()
        .unwrap();
    // One search with type 0 (which the SDK sends as a search of every type), none with
    // 0xFF (which would fail with 17): this device records nothing, so it finds nothing and
    // is closed.
    assert!(results.next().is_none(), "no error, no file");
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 3);
    assert_eq!(dev.calls("NET_DVR_FindClose_V30"), 1);
}
