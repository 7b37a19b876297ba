//! Feature `tokio` against the mock: the asynchronous login as a future (completed by the
//! SDK's callback, cancellable), events and preview packets as streams, and blocking SDK
//! calls on tokio's blocking pool with the same typed errors.
#![cfg(feature = "tokio")]

use hcnetsdk_test_support::safe as support;

use std::future::{IntoFuture, poll_fn};
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_core::Stream;
use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::{
    ChannelRange, DataType, EventKind, EventStream, OwnedPacket, PacketReceiver, Playback,
    PlaybackEnd, PlaybackEvent, PtzPosition, Session,
};
use support::{Device, Kind, PASSWORD, assert_sdk_error, mock, sdk};

const WAIT: Duration = Duration::from_secs(30);

async fn next<T>(stream: &mut EventStream<T>) -> Option<T> {
    let item = poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx));
    tokio::time::timeout(WAIT, item)
        .await
        .expect("the stream neither yielded nor ended")
}

async fn next_packet(rx: &mut PacketReceiver) -> Option<OwnedPacket> {
    let item = poll_fn(|cx| Pin::new(&mut *rx).poll_next(cx));
    tokio::time::timeout(WAIT, item)
        .await
        .expect("the packet stream neither yielded nor ended")
}

/// A device of its own whose stream comes as fast as the callback takes it.
fn fast_device() -> Device {
    let t = mock().add_test_device("pacing = \"fast\"\nptz = false");
    Device {
        address: t.address,
        port: t.port,
        kind: Kind::Bullet,
    }
}

fn builder(dev: &Device, password: &str) -> hcnetsdk::LoginBuilder {
    Session::builder(sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(password)
}

async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[track_caller]
fn assert_logged_out<T: std::fmt::Debug>(result: hcnetsdk::Result<T>) {
    let err = result.expect_err("a call after logout must fail");
    assert!(
        matches!(err.kind(), ErrorKind::LoggedOut { .. }),
        "expected LoggedOut, got {err:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_login_is_completed_by_the_sdk_callback() {
    let dev = Device::new(Kind::Nvr);
    let session = builder(&dev, PASSWORD)
        .login_async()
        .unwrap()
        .await
        .unwrap();
    assert_eq!(
        session.device_info().ip_channels,
        ChannelRange {
            start: 33,
            count: 16
        }
    );
    assert_eq!(dev.value("sessions"), 1);
    assert_eq!(
        dev.value("last_login_async"),
        1,
        "NET_DVR_Login_V40 with bUseAsynLogin, not a blocking login on a pool thread"
    );
    assert_eq!(
        session.device_config_async().await.unwrap().name,
        "机房录像机"
    );
    session.logout_async().await.unwrap();
    assert_eq!(dev.value("sessions"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_login_failure_is_typed() {
    let dev = Device::new(Kind::Dome);
    let err = builder(&dev, "wrong")
        .login_async()
        .unwrap()
        .await
        .unwrap_err();
    assert_sdk_error(&err, 1, "NET_DVR_Login_V40");
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(dev.value("sessions"), 0);
}

/// Issue 12: the async login resolves host names itself with tokio's resolver and hands
/// the SDK an IP: `localhost` on a closed loopback port is 7 (cannot connect), never the
/// SDK's 17 for a name, on a single-threaded runtime too; a malformed address is an input
/// error before any SDK call. The future is `Send` (it can be spawned).
#[tokio::test(flavor = "current_thread")]
async fn the_nonblocking_login_resolves_names_with_tokio() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let login = Session::builder(sdk())
        .address("localhost")
        .port(port)
        .user("admin")
        .password("x")
        .login_nonblocking();
    let err = tokio::spawn(login).await.unwrap().unwrap_err();
    assert_sdk_error(&err, 7, "NET_DVR_Login_V40");
    assert_eq!(err.context().address.as_deref(), Some("localhost"));
    assert!(
        format!("{err:#}").contains(&format!("localhost:{port}")),
        "{err:#}"
    );
    let err = Session::builder(sdk())
        .address("999.1.1.1")
        .user("admin")
        .password("x")
        .login_nonblocking()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    assert!(format!("{err:#}").contains("999.1.1.1"), "{err:#}");
    // A simulated device's IP logs in as with login_async.
    let dev = Device::new(Kind::Nvr);
    let session = builder(&dev, PASSWORD).login_nonblocking().await.unwrap();
    assert_eq!(session.device_info().ip_channels.start, 33);
    assert_eq!(dev.value("sessions"), 1);
}

/// Dropped before the result: the login finishes later and is logged out then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_future_dropped_before_the_result_logs_the_late_result_out() {
    let dev = Device::new(Kind::Dome);
    let logouts = dev.calls("NET_DVR_Logout");
    mock().set_latency("NET_DVR_Login_V40", 300, Some(&dev.address));
    let login = builder(&dev, PASSWORD).login_async().unwrap().into_future();
    let timed_out = tokio::time::timeout(Duration::from_millis(20), login).await;
    assert!(timed_out.is_err(), "the login answered before the latency");
    assert_eq!(
        dev.calls("NET_DVR_Logout"),
        logouts,
        "not logged out while pending"
    );
    eventually("the late result to be logged out", || {
        dev.calls("NET_DVR_Logout") == logouts + 1
    })
    .await;
    assert_eq!(dev.value("sessions"), 0);
    mock().set_latency("NET_DVR_Login_V40", 0, Some(&dev.address));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_as_streams_and_end_with_the_logout() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    let mut session_events = session.events();
    let mut preview_events = preview.events();
    assert!(mock().disconnect_session(session.user_id()));
    let e = next(&mut session_events).await.unwrap();
    assert_eq!(e.kind, EventKind::ConnectionLost);
    let e = next(&mut preview_events).await.unwrap();
    assert_eq!(e.kind, EventKind::PreviewException);

    session.clone().logout_async().await.unwrap();
    let mut last = None;
    while let Some(e) = next(&mut preview_events).await {
        last = Some(e.kind);
    }
    assert_eq!(last, Some(EventKind::StoppedByLogout));
    while next(&mut session_events).await.is_some() {}
    assert_eq!(session_events.dropped(), 0);
    assert!(preview.is_stopped_by_logout());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_calls_run_on_the_pool_with_typed_errors() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let mut snapshot = session.snapshot(1).unwrap();
    let target = PtzPosition {
        pan: 12.3,
        tilt: 4.5,
        zoom: 1.0,
    };
    ptz.set_position_async(target).await.unwrap();
    assert_eq!(ptz.position_async().await.unwrap(), target);
    ptz.call_async(|p| p.set_preset(3)).await.unwrap();
    ptz.goto_preset_async(3).await.unwrap();
    let err = ptz.goto_preset_async(0).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    let moving = ptz
        .call_async(|p| p.start(hcnetsdk::Motion::Left, 2))
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || moving.stop().unwrap())
        .await
        .unwrap();
    let jpeg = snapshot.capture_async().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");

    // Handles move into tasks: they are 'static.
    let task = tokio::spawn(async move { snapshot.capture_async().await.map(|j| j.len()) });
    assert!(task.await.unwrap().unwrap() > 0);

    session.logout_async().await.unwrap();
    assert_logged_out(ptz.position_async().await);
}

/// Packets come through the stream in the order the SDK delivered them: a closure preview
/// of the same channel (the mock starts every link at the start of the same clip) is the
/// reference. The stream then ends after the stop, waking a consumer that waits for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packets_arrive_through_the_stream_in_order_and_it_ends_after_stop() {
    const K: usize = 12;
    // Real-time pacing (a packet every ~60 ms): a consumer that keeps up loses nothing.
    let t = mock().add_test_device("pacing = \"realtime\"\nptz = false");
    let dev = Device {
        address: t.address,
        port: t.port,
        kind: Kind::Bullet,
    };
    let session = dev.login();
    let (tx, reference) = std::sync::mpsc::channel();
    let closure = session
        .preview(1)
        .start(move |p| {
            let _ = tx.send((p.kind(), p.data().to_vec()));
        })
        .unwrap();
    let (preview, mut rx) = session.preview(1).start_queue(64).unwrap();
    let mut got = Vec::new();
    while got.len() < K {
        let p = next_packet(&mut rx).await.expect("packets until the stop");
        assert_eq!(p.lost_before(), 0, "a consumer that keeps up loses nothing");
        got.push((p.kind(), p.data().to_vec()));
    }
    let want: Vec<_> = (0..K)
        .map(|_| reference.recv_timeout(WAIT).expect("the closure's packets"))
        .collect();
    assert_eq!(got[0].0, DataType::SysHead, "the stream header comes first");
    assert!(
        got == want,
        "the stream's packets differ from the SDK's order"
    );
    drop(closure);

    // A task waits on the stream; the stop wakes it and the stream ends.
    let consumer = tokio::spawn(async move {
        let mut n = 0u64;
        while next_packet(&mut rx).await.is_some() {
            n += 1;
        }
        (n, rx)
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    preview.stop().unwrap();
    let (n, rx) = tokio::time::timeout(WAIT, consumer)
        .await
        .expect("the stream did not end after stop")
        .unwrap();
    assert!(n > 0, "packets kept coming until the stop");
    assert!(rx.is_stopped());
    assert_eq!(rx.lost(), 0);
}

/// A consumer slower than the SDK: the full queue drops the newest packets and counts them,
/// the items queued before the gap report nothing, the first item after it reports at least
/// the loss seen so far, and the reports never add up to more than the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_stream_consumer_is_told_how_many_packets_were_lost() {
    const CAPACITY: usize = 4;
    let dev = fast_device();
    let session = dev.login();
    let (preview, mut rx) = session.preview(1).start_queue(CAPACITY).unwrap();
    eventually("the full queue to drop a packet", || rx.lost() > 0).await;
    let lost_seen = rx.lost();
    let mut reported = 0;
    for _ in 0..CAPACITY {
        let p = next_packet(&mut rx).await.unwrap();
        assert_eq!(p.lost_before(), 0, "queued before the first loss");
    }
    let after_gap = next_packet(&mut rx).await.unwrap();
    assert!(
        after_gap.lost_before() >= lost_seen,
        "the first item after the gap reports it: {} < {lost_seen}",
        after_gap.lost_before()
    );
    reported += after_gap.lost_before();
    drop(after_gap);
    preview.stop().unwrap();
    while let Some(p) = next_packet(&mut rx).await {
        reported += p.lost_before();
    }
    assert!(
        reported <= rx.lost(),
        "reported {reported} lost, counted {}",
        rx.lost()
    );
    assert!(rx.is_stopped());
}

/// The same for frames (`start_frame_queue` as a `Stream`): the full queue drops the
/// newest frames and counts them, the first frame after the gap says how many, and the
/// reports never add up to more than the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_frame_stream_consumer_is_told_how_many_frames_were_lost() {
    async fn next(rx: &mut hcnetsdk::FrameReceiver) -> Option<hcnetsdk::OwnedFrame> {
        let item = poll_fn(|cx| Pin::new(&mut *rx).poll_next(cx));
        tokio::time::timeout(WAIT, item)
            .await
            .expect("the frame stream neither yielded nor ended")
    }
    const CAPACITY: usize = 4;
    let dev = fast_device();
    let session = dev.login();
    let (preview, mut rx) = session.preview(1).start_frame_queue(CAPACITY).unwrap();
    eventually("the full queue to drop a frame", || rx.lost() > 0).await;
    let lost_seen = rx.lost();
    for _ in 0..CAPACITY {
        let f = next(&mut rx).await.unwrap();
        assert_eq!(f.lost_before(), 0, "queued before the first loss");
    }
    let after_gap = next(&mut rx).await.unwrap();
    assert!(
        after_gap.lost_before() >= lost_seen,
        "the first frame after the gap reports it: {} < {lost_seen}",
        after_gap.lost_before()
    );
    let mut reported = after_gap.lost_before();
    drop(after_gap);
    preview.stop().unwrap();
    while let Some(f) = next(&mut rx).await {
        reported += f.lost_before();
    }
    assert!(
        reported <= rx.lost(),
        "reported {reported} lost, counted {}",
        rx.lost()
    );
    assert!(rx.is_stopped());
}

/// The stream ends when the session logs out; a stream dropped while its preview runs
/// leaves the preview running (and stopping later) without harm.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_packet_stream_ends_after_logout_and_can_be_dropped_early() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (preview, mut rx) = session.preview(1).start_queue(8).unwrap();
    let (dropped_early, early_rx) = session.preview(1).start_queue(8).unwrap();
    assert!(next_packet(&mut rx).await.is_some());
    let held = next_packet(&mut rx).await.unwrap();
    drop(early_rx);
    // The preview keeps running; with nobody to queue for, nothing more counts as lost.
    let at_drop = dropped_early.stats();
    eventually("the preview to keep running without its stream", || {
        dropped_early.stats().packets > at_drop.packets + 1000
    })
    .await;
    let later = dropped_early.stats();
    eventually("more packets", || {
        dropped_early.stats().packets > later.packets + 1000
    })
    .await;
    assert_eq!(
        dropped_early.stats().lost,
        later.lost,
        "packets counted lost after the stream was dropped"
    );

    session.clone().logout_async().await.unwrap();
    while next_packet(&mut rx).await.is_some() {}
    assert!(rx.is_stopped());
    assert!(preview.is_stopped_by_logout());
    assert!(dropped_early.is_stopped_by_logout());
    // A packet taken before the logout stays readable after it, and after the receiver.
    drop(rx);
    assert!(!held.data().is_empty() || held.kind() == DataType::SysHead);
    drop(held);
    assert_eq!(dev.value("links"), 0);
}

/// Everything this crate logs at debug level (every SDK call), with thread names and the
/// spans each event is in.
fn debug_log() -> &'static std::sync::Mutex<Vec<u8>> {
    #[derive(Clone)]
    struct Writer(&'static std::sync::Mutex<Vec<u8>>);
    impl std::io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static LOG: std::sync::OnceLock<&'static std::sync::Mutex<Vec<u8>>> =
        std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log: &'static std::sync::Mutex<Vec<u8>> = Box::leak(Box::default());
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_thread_names(true)
            .with_writer(move || Writer(log))
            .init();
        log
    })
}

/// The blocking calls run off the task's thread (here a current-thread runtime on the
/// test's own thread, named after the test), inside the task's span, with typed errors:
/// `Session::call_async` for the calls made from a session (configuration, ISAPI, a
/// download's start) and `Download::wait_async`.
#[tokio::test(flavor = "current_thread")]
async fn blocking_calls_run_off_the_task_in_its_span() {
    use tracing::Instrument as _;
    let log = debug_log();
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let span = tracing::info_span!("camera_task", camera = %dev.address);
    let ntp = session
        .call_async(|s| s.config().ntp())
        .instrument(span.clone())
        .await;
    ntp.unwrap();
    let config = session
        .device_config_async()
        .instrument(span.clone())
        .await
        .unwrap();
    assert_eq!(config.name, "机房录像机");
    let test_thread = std::thread::current().name().unwrap().to_owned();
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    let in_span: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("HCNetSDK call returned") && l.contains("camera_task{"))
        .filter(|l| l.contains(&format!("camera={}", dev.address)))
        .collect();
    assert!(
        in_span
            .iter()
            .any(|l| l.contains("function=\"NET_DVR_GetDVRConfig\"")
                || l.contains("function=NET_DVR_GetDVRConfig")),
        "no SDK call logged in the task's span:\n{text}"
    );
    for line in &in_span {
        assert!(
            !line.contains(&test_thread),
            "a blocking call ran on the task's own thread: {line}"
        );
    }
    // Typed errors, also for what `call_async` runs.
    let err = session
        .call_async(|s| s.isapi().get("/ISAPI/No/Such/Thing"))
        .await
        .unwrap_err();
    assert!(
        !matches!(err.kind(), ErrorKind::LoggedOut { .. }),
        "{err:#}"
    );
    session.clone().logout_async().await.unwrap();
    assert_logged_out(session.call_async(|s| s.config().ntp()).await);
}

/// A download started and waited for from a task: the start through `Session::call_async`
/// and the wait through `Download::wait_async`, both on the blocking pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_waits_on_the_blocking_pool() {
    let dev = Device::with_extra(
        Kind::Nvr,
        "[[recording]]\nchannels = [33]\ndays = 1\nfile_minutes = 10",
    );
    assert!(mock().set_clock(&dev.address, "2026-12-01T12:00:00Z"));
    let session = dev.login();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-async-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ten-seconds.ps");
    let target = path.clone();
    let from = hcnetsdk::jiff::civil::date(2026, 12, 1).at(8, 0, 0, 0);
    let to = hcnetsdk::jiff::civil::date(2026, 12, 1).at(8, 0, 10, 0);
    let download = session
        .call_async(move |s| s.download_by_time(33, from, to)?.start(&target))
        .await
        .unwrap();
    let size = download.wait_async().await.unwrap();
    assert!(size > 0);
    assert_eq!(size, std::fs::metadata(&path).unwrap().len());
    std::fs::remove_dir_all(dir).ok();
}

/// A private NVR recording channel 33 for the day before its pinned clock
/// (2026-12-01T12:00:00Z), streaming as fast as the callback takes it.
fn recording_nvr() -> Device {
    let dev = Device::with_extra(
        Kind::Nvr,
        "[[recording]]\nchannels = [33]\ndays = 1\nfile_minutes = 10",
    );
    assert!(mock().set_clock(&dev.address, "2026-12-01T12:00:00Z"));
    dev
}

fn at(h: i8, m: i8, s: i8) -> DateTime {
    date(2026, 12, 1).at(h, m, s, 0)
}

/// Start a playback of channel 33 from `from` to `to` through `Session::call_async`.
async fn start_playback(session: &Session, from: DateTime, to: DateTime) -> Playback {
    session
        .call_async(move |s| s.playback_by_time(33, from, to)?.start(|_| {}))
        .await
        .expect("start a playback")
}

/// `Playback::call_async`: the controls run off the task's thread (a current-thread
/// runtime on the test's own thread), inside the task's span, with typed errors; the view
/// the closure gets stops nothing when dropped; after a logout they fail with `LoggedOut`.
#[tokio::test(flavor = "current_thread")]
async fn playback_controls_run_off_the_task_in_its_span() {
    use tracing::Instrument as _;
    let log = debug_log();
    let dev = recording_nvr();
    let session = dev.login();
    let span = tracing::info_span!("playback_task", camera = %dev.address);
    let playback = start_playback(&session, at(8, 0, 0), at(10, 0, 0)).await;
    playback
        .call_async(|p| p.pause())
        .instrument(span.clone())
        .await
        .unwrap();
    playback
        .call_async(|p| p.seek_percent(50))
        .instrument(span.clone())
        .await
        .unwrap();
    playback
        .call_async(|p| p.fast())
        .instrument(span.clone())
        .await
        .unwrap();
    assert_eq!(
        playback.speed(),
        2.0,
        "the view and the owner share one state"
    );
    let time = playback
        .call_async(|p| p.time())
        .instrument(span.clone())
        .await
        .unwrap();
    assert_eq!(time.wall_clock().date(), date(2026, 12, 1), "{time:?}");
    // Each view was dropped on the pool: the playback still runs.
    assert_eq!(dev.calls("NET_DVR_StopPlayBack"), 0, "a view stopped it");
    playback.position().unwrap();
    let test_thread = std::thread::current().name().unwrap().to_owned();
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    let controls: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("HCNetSDK call returned") && l.contains("playback_task{"))
        .filter(|l| l.contains(&format!("camera={}", dev.address)))
        .filter(|l| l.contains("NET_DVR_PlayBackControl_V40"))
        .collect();
    assert!(
        controls.len() >= 4,
        "the controls were not logged in the task's span:\n{text}"
    );
    for line in &controls {
        assert!(
            !line.contains(&test_thread),
            "a control ran on the task's own thread: {line}"
        );
    }
    // Typed errors: the SDK's 17 for a time outside the range, bad input before any call.
    let err = playback
        .call_async(|p| p.seek(at(11, 0, 0)))
        .await
        .unwrap_err();
    assert_sdk_error(&err, 17, "NET_DVR_PlayBackControl_V40");
    assert_eq!(err.context().handle, Some(playback.handle()));
    let err = playback
        .call_async(|p| p.seek_percent(101))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    session.clone().logout_async().await.unwrap();
    assert_logged_out(playback.call_async(|p| p.resume()).await);
    assert_logged_out(playback.call_async(|p| p.position()).await);
    assert_eq!(
        dev.calls("NET_DVR_StopPlayBack"),
        1,
        "stopped by the logout"
    );
}

/// `Playback::events`: the playback's one event comes through the stream, which then
/// ends: the end of the recording (the SDK's end marker), a broken link
/// (`EXCEPTION_PLAYBACK`, no polling), the logout (`StoppedByLogout` first), or, with no
/// event, the owner's stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playback_events_arrive_as_a_stream_that_ends_with_the_playback() {
    let dev = recording_nvr();
    let session = dev.login();
    // The end: four seconds of recording, delivered as fast as the callback takes them.
    let playback = start_playback(&session, at(8, 0, 0), at(8, 0, 4)).await;
    let mut events = playback.events();
    assert_eq!(
        next(&mut events).await,
        Some(PlaybackEvent::Ended(PlaybackEnd::Complete))
    );
    assert_eq!(next(&mut events).await, None);
    assert_eq!(next(&mut events).await, None, "stays ended");
    assert_eq!(events.dropped(), 0);
    assert_eq!(
        playback.next_event(Duration::ZERO),
        None,
        "one reader per event"
    );
    drop(playback);
    // Stopped by its owner: no event, the stream ends.
    let playback = start_playback(&session, at(8, 0, 0), at(10, 0, 0)).await;
    let mut events = playback.events();
    playback.call_async(|p| p.pause()).await.unwrap();
    playback.stop().unwrap();
    assert_eq!(next(&mut events).await, None);
    // A broken link: `EXCEPTION_PLAYBACK` for its handle, which the stream reports alone.
    let playback = start_playback(&session, at(8, 0, 0), at(10, 0, 0)).await;
    let (mut events, mut second) = (playback.events(), playback.events());
    assert!(mock().disconnect_session(session.user_id()));
    assert_eq!(
        next(&mut events).await,
        Some(PlaybackEvent::Ended(PlaybackEnd::NetworkFailure))
    );
    assert_eq!(
        next(&mut second).await,
        None,
        "each event goes to one reader"
    );
    assert_eq!(next(&mut events).await, None);
    drop(playback);
    // The logout: StoppedByLogout first, then the end of the stream.
    let session = dev.login();
    let playback = start_playback(&session, at(8, 0, 0), at(10, 0, 0)).await;
    playback.call_async(|p| p.pause()).await.unwrap();
    let mut events = playback.events();
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(e) = next(&mut events).await {
            got.push(e);
        }
        got
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    session.logout_async().await.unwrap();
    assert_eq!(reader.await.unwrap(), [PlaybackEvent::StoppedByLogout]);
    assert!(playback.is_stopped_by_logout());
    assert_eq!(dev.value("closed_at_logout"), 0);
}
