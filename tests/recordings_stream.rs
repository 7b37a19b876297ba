//! Feature `tokio`: recording search results as a `Stream` ([`hcnetsdk::RecordingStream`])
//! against the mock, and the time range in the error context of recording calls.
//!
//! It covers the stream's items on an NVR that records (the order is the iterator's), the
//! close on drop in the middle, the error path (an injected failure), its laziness and what
//! it leaves open; the blocking pool and the close on drop while a fetch runs are
//! unit-tested over a fake iterator in `src/asynchronous.rs`.
#![cfg(feature = "tokio")]

use hcnetsdk_test_support::safe as support;

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use hcnetsdk::jiff::civil::date;
use hcnetsdk::{FileType, RecordingStream, TimeRange};
use support::{Device, Kind, assert_invalid_input, assert_sdk_error};

const SEARCH_CALLS: [&str; 3] = [
    "NET_DVR_FindFile_V40",
    "NET_DVR_FindNextFile_V40",
    "NET_DVR_FindClose_V30",
];

static_assertions::assert_impl_all!(RecordingStream: Send, Unpin);

async fn next(s: &mut RecordingStream) -> Option<hcnetsdk::Result<hcnetsdk::Recording>> {
    let item = poll_fn(|cx| Pin::new(&mut *s).poll_next(cx));
    tokio::time::timeout(Duration::from_secs(30), item)
        .await
        .expect("the stream neither yielded nor ended")
}

fn day_range() -> TimeRange {
    let d = date(2026, 12, 1);
    let ctx = hcnetsdk::Context::default().with_time_range(d.at(0, 0, 0, 0), d.at(23, 59, 59, 0));
    ctx.time_range.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_search_ends_the_stream_with_the_error_and_its_range() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let range = day_range();
    let mut stream = session
        .recordings(33)
        .unwrap()
        .range(range.start, range.end)
        .file_type(FileType::Motion)
        .stream()
        .unwrap();
    for n in SEARCH_CALLS {
        assert_eq!(dev.calls(n), 0, "lazy: {n} before the first poll");
    }
    dev.fail_next("NET_DVR_FindFile_V40", 23, 1);
    let err = next(&mut stream).await.unwrap().unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_FindFile_V40");
    assert_eq!(err.context().channel, Some(33));
    assert_eq!(err.context().time_range, Some(range), "{err:#}");
    let report = format!("{err:#}");
    assert!(
        report.contains("channel 33, 2026-12-01T00:00:00..2026-12-01T23:59:59"),
        "the report says where: {report}"
    );
    assert!(next(&mut stream).await.is_none(), "ended after the error");
    assert!(next(&mut stream).await.is_none(), "stays ended");
    drop(stream);
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 1);
    assert_eq!(dev.calls("NET_DVR_FindNextFile_V40"), 0);
    assert_eq!(
        dev.calls("NET_DVR_FindClose_V30"),
        0,
        "no handle was opened"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_dropped_unpolled_asks_nothing_and_bad_input_fails_before_the_sdk() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let range = day_range();
    let stream = session
        .recordings(33)
        .unwrap()
        .range(range.start, range.end)
        .stream()
        .unwrap();
    drop(stream);
    tokio::time::sleep(Duration::from_millis(50)).await; // a drop on the blocking pool
    let err = session.recordings(33).unwrap().stream().unwrap_err();
    assert_invalid_input(&err, "range");
    let err = session
        .recordings(33)
        .unwrap()
        .range(range.end, range.start)
        .stream()
        .unwrap_err();
    assert_invalid_input(&err, "range");
    for n in SEARCH_CALLS {
        assert_eq!(dev.calls(n), 0, "{n}");
    }
}

#[test]
fn a_download_by_time_error_carries_its_range() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let range = day_range();
    let dir = std::env::temp_dir().join(format!("hcnet-recstream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = session
        .download_by_time(33, range.start, range.end)
        .unwrap()
        .start(dir.join("by-time.ps"))
        .unwrap_err();
    // This private NVR records nothing: the mock's NET_DVR_NOSPECFILE.
    assert_sdk_error(&err, 33, "NET_DVR_GetFileByTime_V40");
    assert_eq!(err.context().time_range, Some(range));
    assert_eq!(err.context().channel, Some(33));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Continuous recording on channel 33 for the day before the pinned clock.
const RECORDING: &str = r#"
[[recording]]
channels = [33]
days = 2
file_minutes = 60
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_yields_the_days_files_and_a_drop_mid_stream_closes_the_search() {
    let dev = Device::with_extra(Kind::Nvr, RECORDING);
    assert!(support::mock().set_clock(&dev.address, "2026-12-01T12:00:00Z"));
    let session = dev.login();
    let d = date(2026, 11, 30);
    let mut stream = session
        .recordings(33)
        .unwrap()
        .range(d.at(0, 0, 0, 0), d.at(23, 59, 59, 0))
        .stream()
        .unwrap();
    let mut starts = Vec::new();
    for _ in 0..3 {
        let rec = next(&mut stream).await.expect("a file").expect("no error");
        starts.push(rec.start.clone());
    }
    assert_eq!(starts.len(), 3);
    assert!(
        starts
            .windows(2)
            .all(|w| format!("{:?}", w[0]) < format!("{:?}", w[1])),
        "in time order: {starts:?}"
    );
    assert_eq!(dev.calls("NET_DVR_FindClose_V30"), 0, "still open");
    drop(stream);
    let closed = std::time::Instant::now();
    while dev.calls("NET_DVR_FindClose_V30") == 0 && closed.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        dev.calls("NET_DVR_FindClose_V30"),
        1,
        "closed once, on the drop"
    );
    assert_eq!(dev.calls("NET_DVR_FindFile_V40"), 1);
}
