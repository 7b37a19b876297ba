//! Owned handles against the mock: each handle keeps its session alive, an explicit logout
//! stops what runs under it first, and teardown never runs on the SDK's own thread. These
//! replace the compile_fail lifetime doctests: the same guarantees, now held at run time.
//!
//! Every test is named `owned_*` so that `.ci/valgrind.sh` runs them all under memcheck;
//! loops are bounded and devices stream with `pacing = "fast"`, so valgrind's slowdown
//! changes how long they take, not what they check.

use hcnetsdk_test_support::safe as support;

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex, OnceLock};
use std::time::{Duration, Instant};

use hcnetsdk::alarms::{AlarmChannelEvent, AlarmKind};
use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::{EventKind, PlaybackEvent, Preview, Sdk, Session};
use support::{Device, Kind, PASSWORD, mock_lib_path};

/// Generous: loops end as soon as the condition holds; valgrind (CI step 5) is slow.
const WAIT: Duration = Duration::from_secs(120);

/// Everything this crate logs at info level, with thread names, for assertions on what
/// ran where and in which order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_thread_names(true)
            .with_writer(move || writer.clone())
            .init();
        log
    })
}

/// The log lines containing every one of `needles`, each either a phrase or a whole
/// `key=value` word (so `handle=5` does not match `handle=50`).
fn lines_with(needles: &[&str]) -> Vec<String> {
    let bytes = log().0.lock().unwrap().clone();
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|l| {
            needles.iter().all(|n| {
                if n.contains('=') {
                    l.split_whitespace().any(|w| w == *n)
                } else {
                    l.contains(n)
                }
            })
        })
        .map(str::to_owned)
        .collect()
}

/// `device=address:port` as the crate logs it.
fn device(dev: &Device) -> String {
    format!("device={}:{}", dev.address, dev.port)
}

/// Wait until `f` holds, up to [`WAIT`].
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[track_caller]
fn assert_logged_out<T: std::fmt::Debug>(result: hcnetsdk::Result<T>) {
    let err = result.expect_err("a call after logout must fail");
    assert!(
        matches!(err.kind(), ErrorKind::LoggedOut { .. }),
        "expected LoggedOut, got {err:#}"
    );
    assert_eq!(err.raw_code(), None, "no SDK call was made: {err:#}");
}

/// Was a compile_fail doctest: drop the session first and keep the preview. The preview
/// keeps the login alive and keeps streaming; the logout happens when it goes.
#[test]
fn owned_session_dropped_first_the_preview_keeps_streaming() {
    let _ = log();
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (preview, mut packets) = session.preview(1).start_queue(8).unwrap();
    let logouts = dev.calls("NET_DVR_Logout");
    drop(session);
    assert_eq!(dev.value("sessions"), 1, "the preview keeps the login");
    assert_eq!(dev.calls("NET_DVR_Logout"), logouts);
    // Drain what was queued, then see new packets arrive.
    while packets.try_recv().is_some() {}
    assert!(packets.recv_timeout(WAIT).is_ok(), "the preview streams on");
    preview.session().device_config().unwrap();
    // The preview moves to another thread: it is 'static.
    std::thread::spawn(move || drop(preview)).join().unwrap();
    assert_eq!(dev.value("links"), 0);
    assert_eq!(dev.value("sessions"), 0, "the last handle logged out");
    assert_eq!(dev.calls("NET_DVR_Logout"), logouts + 1, "exactly once");
}

/// Was a compile_fail doctest: log out while streams, PTZ and snapshot handles are alive.
/// The streams stop first (each told why), the logout succeeds, and every surviving handle
/// fails with a typed error without reaching the SDK.
#[test]
fn owned_logout_with_streams_running_stops_them_first() {
    let _ = log();
    let dev = Device::new(Kind::Dome);
    let device = device(&dev);
    let session = dev.login();
    let user_id = session.user_id();
    let counted = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&counted);
    let closure = session
        .preview(1)
        .start(move |_| {
            c.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    let (queued, mut packets) = session.preview(1).start_queue(4).unwrap();
    let ptz = session.ptz(1).unwrap();
    let mut snapshot = session.snapshot(1).unwrap();
    let other = session.clone();
    eventually("packets", || counted.load(Ordering::Relaxed) > 0);
    let (stops, logouts) = (
        dev.calls("NET_DVR_StopRealPlay"),
        dev.calls("NET_DVR_Logout"),
    );

    session.logout().unwrap();

    assert_eq!(dev.value("links"), 0);
    assert_eq!(dev.value("sessions"), 0);
    assert_eq!(
        dev.value("closed_at_logout"),
        0,
        "the mock's Logout found a preview still open"
    );
    assert_eq!(dev.calls("NET_DVR_StopRealPlay"), stops + 2);
    assert_eq!(dev.calls("NET_DVR_Logout"), logouts + 1);
    for preview in [&closure, &queued] {
        assert!(preview.is_stopped_by_logout());
        let stopped = format!("handle={}", preview.handle());
        let user = format!("user_id={user_id}");
        let mut kinds = Vec::new();
        while let Some(e) = preview.next_event(Duration::from_secs(5)) {
            kinds.push(e.kind);
        }
        assert_eq!(kinds.last(), Some(&EventKind::StoppedByLogout), "{kinds:?}");
        // The stream stopped before the logout (and its stop succeeded: nothing leaked).
        let log = lines_with(&[&device]);
        let stop_at = log
            .iter()
            .position(|l| {
                l.contains("preview stopped") && l.split_whitespace().any(|w| w == stopped)
            })
            .expect("the preview stopped");
        let logout_at = log
            .iter()
            .position(|l| l.contains("logged out") && l.split_whitespace().any(|w| w == user))
            .expect("the session logged out");
        assert!(
            stop_at < logout_at,
            "stop after logout:\n{}",
            log.join("\n")
        );
        let leaked = lines_with(&["leaked", &stopped]);
        assert!(leaked.is_empty(), "{leaked:#?}");
        assert_logged_out(preview.request_key_frame());
        assert_logged_out(preview.save_to_file("never.mp4"));
    }
    while packets.try_recv().is_some() {}
    assert!(
        packets.recv_timeout(Duration::from_secs(5)).is_err(),
        "the queue closed"
    );
    assert_logged_out(ptz.position());
    assert_logged_out(ptz.start(hcnetsdk::Motion::Left, 1).map(drop));
    assert_logged_out(snapshot.capture());
    assert_logged_out(other.device_config());
    assert_logged_out(other.preview(1).start(|_| {}));
    assert!(other.is_logged_out());
    assert!(
        other.next_event(Duration::from_secs(5)).is_none(),
        "closed, no wait"
    );
    drop((closure, queued, ptz, snapshot));
    other.logout().unwrap();
    assert_eq!(
        dev.calls("NET_DVR_Logout"),
        logouts + 1,
        "logout happens once"
    );
    assert_eq!(
        dev.calls("NET_DVR_StopRealPlay"),
        stops + 2,
        "stop happens once"
    );
}

/// Dropping the last handles (a preview and the last session clone, holding the last
/// clone of its `Sdk`, and the last clone of another `Sdk`) from inside the preview's own
/// packet handler: StopRealPlay, Logout and both Cleanups run on the crate's reaper thread,
/// never on the SDK's callback thread (each is logged with its thread's name).
#[test]
fn owned_last_handles_dropped_inside_the_callback_tear_down_on_our_thread() {
    static SLOT: Mutex<Option<(Session, Preview, Sdk)>> = Mutex::new(None);
    static DROPPED: AtomicBool = AtomicBool::new(false);
    let _ = log();
    let dev = Device::new(Kind::Dome);
    let sdk = Sdk::load_from(mock_lib_path()).unwrap();
    let session = Session::builder(&sdk)
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(PASSWORD)
        .login()
        .unwrap();
    drop(sdk);
    // A second, initialised `Sdk` of which this is the only clone: no session holds it, so
    // its Cleanup is asked for by the handler's drop itself, not by a session's logout.
    let other = Sdk::load_from(mock_lib_path()).unwrap();
    other.init().unwrap();
    let user_id = session.user_id();
    let callback_thread = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&callback_thread);
    let preview = session
        .preview(1)
        .start(move |_| {
            if let Some(last) = SLOT.lock().unwrap().take() {
                *seen.lock().unwrap() = std::thread::current().name().map(str::to_owned);
                drop(last); // the last Session clone, the Preview and the other Sdk
                DROPPED.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();
    let handle = preview.handle();
    *SLOT.lock().unwrap() = Some((session, preview, other));
    eventually("the handler to drop the handles", || {
        DROPPED.load(Ordering::SeqCst)
    });
    eventually("the logout", || dev.value("sessions") == 0);
    assert_eq!(dev.value("links"), 0);
    let device = device(&dev);
    let stopped = lines_with(&["preview stopped", &device, &format!("handle={handle}")]);
    let logged_out = lines_with(&["logged out", &device, &format!("user_id={user_id}")]);
    // This test's two `Sdk`s are the only ones this process drops (the others share
    // `support::sdk()`), so theirs are the only Cleanups logged.
    eventually("both Cleanups", || {
        lines_with(&["SDK cleaned up"]).len() == 2
    });
    let cleaned = lines_with(&["SDK cleaned up"]);
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(logged_out.len(), 1, "{logged_out:?}");
    assert_eq!(cleaned.len(), 2, "{cleaned:?}");
    for line in stopped.iter().chain(&logged_out).chain(&cleaned) {
        assert!(
            line.contains("hcnetsdk-reaper"),
            "not on the reaper: {line}"
        );
    }
    let callback = callback_thread.lock().unwrap().clone();
    assert_ne!(callback.as_deref(), Some("hcnetsdk-reaper"));
}

/// The logout races: 16 threads each start a handle with `start_one(session, thread)`,
/// then keep starting new ones (dropping, so stopping, the one before) for up to 20 rounds
/// until a start fails; the session logs out 2 ms after they all began. Every failed start
/// must be `LoggedOut`. Returns each thread's last handle, after the logout.
fn race_starts_against_a_logout<T, F>(session: Session, start_one: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(&Session, usize) -> hcnetsdk::Result<T> + Send + Sync + 'static,
{
    const THREADS: usize = 16;
    const ROUNDS: usize = 20;
    let start_one = Arc::new(start_one);
    let start = Arc::new(Barrier::new(THREADS + 1));
    let workers: Vec<_> = (0..THREADS)
        .map(|i| {
            let (session, start) = (session.clone(), Arc::clone(&start));
            let start_one = Arc::clone(&start_one);
            std::thread::spawn(move || {
                // One handle runs before the race starts, so every thread holds one.
                let mut kept = start_one(&session, i).unwrap();
                start.wait();
                for _ in 0..ROUNDS {
                    match start_one(&session, i) {
                        Ok(h) => kept = h, // drops (stops) the one before
                        Err(e) => {
                            assert!(
                                matches!(e.kind(), ErrorKind::LoggedOut { .. }),
                                "a start failed otherwise: {e:#}"
                            );
                            return kept;
                        }
                    }
                }
                kept
            })
        })
        .collect();
    start.wait();
    std::thread::sleep(Duration::from_millis(2));
    session.logout().unwrap();
    workers.into_iter().map(|w| w.join().unwrap()).collect()
}

/// A logout racing 16 threads that start and stop previews: every start either succeeds
/// (and its preview is stopped by its owner or by the logout) or fails with `LoggedOut`;
/// none uses the user ID after the logout, and nothing is left running.
#[test]
fn owned_logout_races_sixteen_threads_starting_previews() {
    let _ = log();
    let dev = Device::with_extra(Kind::Dome, "max_links = 64");
    let session = dev.login();
    let kept = race_starts_against_a_logout(session, |s, _| s.preview(1).start(|_| {}));
    let mut stopped_by_logout = 0;
    for p in kept {
        // Still held after the logout: the logout must have stopped it (a start that
        // lost the race failed instead).
        assert!(p.is_stopped_by_logout(), "a preview outlived the logout");
        stopped_by_logout += 1;
    }
    assert!(
        stopped_by_logout > 0,
        "no preview was running at the logout"
    );
    assert_eq!(dev.value("links"), 0);
    assert_eq!(dev.value("sessions"), 0);
    let leaked = lines_with(&["leaked"]);
    assert!(leaked.is_empty(), "{leaked:#?}");
}

/// A private NVR recording channel 33 for the day before its pinned clock
/// (2026-12-01T12:00:00Z), for playbacks and downloads.
fn recording_nvr() -> Device {
    recording_nvr_with("")
}

/// [`recording_nvr`] with `extra` keys for the device.
fn recording_nvr_with(extra: &str) -> Device {
    let dev = Device::with_extra(
        Kind::Nvr,
        &format!("{extra}\n[[recording]]\nchannels = [33]\ndays = 1\nfile_minutes = 10"),
    );
    assert!(support::mock().set_clock(&dev.address, "2026-12-01T12:00:00Z"));
    dev
}

fn at(h: i8, m: i8) -> DateTime {
    date(2026, 12, 1).at(h, m, 0, 0)
}

/// Log `session` out while a handle of one kind is alive, and check the one rule every kind
/// follows: our stop call (`stop_call`) ran once, before `NET_DVR_Logout` (the mock's
/// Logout found nothing of the session still open, so nothing was left dangling for it to
/// close), and the logout itself succeeded once.
fn log_out_with_one_alive(dev: &Device, session: Session, stop_call: &str) {
    let (stops, logouts) = (dev.calls(stop_call), dev.calls("NET_DVR_Logout"));
    session.logout().unwrap();
    assert_eq!(
        dev.calls(stop_call),
        stops + 1,
        "{stop_call} once, by the logout"
    );
    assert_eq!(dev.calls("NET_DVR_Logout"), logouts + 1);
    assert_eq!(
        dev.value("closed_at_logout"),
        0,
        "NET_DVR_Logout found the handle still open: it was not stopped first"
    );
    assert_eq!(dev.value("sessions"), 0);
    assert_eq!(dev.value("links"), 0);
}

/// A playback alive at an explicit logout: stopped first (`NET_DVR_StopPlayBack` before
/// `NET_DVR_Logout`), told why ([`PlaybackEvent::StoppedByLogout`]), its queue ends, and
/// its calls fail with `LoggedOut` without reaching the SDK.
#[test]
fn owned_logout_stops_a_playback_first_and_tells_it_why() {
    let _ = log();
    let dev = recording_nvr();
    let session = dev.login();
    // Two hours at the recording's own pace (the SDK's thread waits in our callback, so the
    // mock cannot run ahead): surely still running at the logout, however loaded the
    // machine (a playback that ended first would report its end instead).
    let (playback, mut packets) = session
        .playback_by_time(33, at(8, 0), at(10, 0))
        .unwrap()
        .real_time(true)
        .start_queue(8)
        .unwrap();
    assert!(packets.recv_timeout(WAIT).is_ok(), "the playback streams");
    log_out_with_one_alive(&dev, session.clone(), "NET_DVR_StopPlayBack");
    assert!(playback.is_stopped_by_logout());
    assert_eq!(
        playback.next_event(Duration::from_secs(5)),
        Some(PlaybackEvent::StoppedByLogout)
    );
    while packets.try_recv().is_some() {}
    assert!(
        packets.recv_timeout(Duration::from_secs(5)).is_err(),
        "the queue closed"
    );
    assert_logged_out(playback.pause());
    assert_logged_out(playback.position());
    let stops = dev.calls("NET_DVR_StopPlayBack");
    playback.stop().unwrap();
    assert_eq!(dev.calls("NET_DVR_StopPlayBack"), stops, "stopped once");
    assert_logged_out(
        session
            .playback_by_time(33, at(8, 0), at(8, 5))
            .unwrap()
            .start(|_| {}),
    );
}

/// A download alive at an explicit logout: stopped first (`NET_DVR_StopGetFile` before
/// `NET_DVR_Logout`), and its calls then say why (`LoggedOut`) without reaching the SDK.
#[test]
fn owned_logout_stops_a_download_first_and_tells_it_why() {
    let _ = log();
    let dev = recording_nvr();
    let session = dev.login();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-owned-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("download.ps");
    let download = session
        .download_by_time(33, at(8, 0), at(8, 10))
        .unwrap()
        .start(&path)
        .unwrap();
    download.position().unwrap();
    log_out_with_one_alive(&dev, session.clone(), "NET_DVR_StopGetFile");
    let calls = dev.calls("NET_DVR_GetDownloadPos");
    assert_logged_out(download.position());
    assert_eq!(dev.calls("NET_DVR_GetDownloadPos"), calls);
    let stops = dev.calls("NET_DVR_StopGetFile");
    assert_logged_out(download.wait());
    assert_eq!(dev.calls("NET_DVR_StopGetFile"), stops, "stopped once");
    assert_logged_out(
        session
            .download_by_time(33, at(8, 0), at(8, 10))
            .unwrap()
            .start(&path),
    );
    std::fs::remove_dir_all(dir).ok();
}

/// An alarm arming alive at an explicit logout: disarmed first
/// (`NET_DVR_CloseAlarmChan_V30` before `NET_DVR_Logout`), told why (the queue's last item
/// is [`AlarmChannelEvent::StoppedByLogout`]), then the queue ends.
#[test]
fn owned_logout_disarms_an_arming_first_and_tells_it_why() {
    let _ = log();
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (alarms, mut receiver) = session.alarms().start_queue().unwrap();
    assert_eq!(dev.value("armings"), 1);
    log_out_with_one_alive(&dev, session.clone(), "NET_DVR_CloseAlarmChan_V30");
    assert!(alarms.is_stopped());
    assert_eq!(dev.value("armings"), 0);
    let mut last = None;
    while let Some(a) = receiver.recv() {
        last = Some(a.kind);
    }
    assert_eq!(
        last,
        Some(AlarmKind::Channel(AlarmChannelEvent::StoppedByLogout))
    );
    let closes = dev.calls("NET_DVR_CloseAlarmChan_V30");
    alarms.stop().unwrap();
    assert_eq!(
        dev.calls("NET_DVR_CloseAlarmChan_V30"),
        closes,
        "disarmed once"
    );
    assert_logged_out(session.alarms().start_queue());
}

/// What a racing thread holds: one handle of each kind that registers with its session.
enum Held {
    Playback(hcnetsdk::Playback),
    Download(hcnetsdk::Download),
    Alarms(hcnetsdk::alarms::Alarms),
}

impl Held {
    /// Start one handle of the kind thread `i` races with.
    fn start(session: &Session, i: usize, dir: &std::path::Path) -> hcnetsdk::Result<Self> {
        // Playbacks of two hours at the recording's own pace, so they surely run until the
        // logout (fast, one ended first under load in CI); downloads short.
        let (from, to) = (
            date(2026, 12, 1).at(8, 0, 0, 0),
            date(2026, 12, 1).at(8, 0, 4, 0),
        );
        Ok(match i % 3 {
            0 => Self::Playback(
                session
                    .playback_by_time(33, from, at(10, 0))?
                    .real_time(true)
                    .start(|_| {})?,
            ),
            1 => Self::Download(
                session
                    .download_by_time(33, from, to)?
                    .start(dir.join(format!("race-{i}.ps")))?,
            ),
            _ => Self::Alarms(session.alarms().start(|_| {})?),
        })
    }

    /// Held after the logout: the logout must have stopped it.
    fn assert_stopped_by_the_logout(&self) {
        match self {
            Self::Playback(p) => {
                assert!(p.is_stopped_by_logout(), "a playback outlived the logout");
                assert_eq!(
                    p.next_event(Duration::ZERO),
                    Some(PlaybackEvent::StoppedByLogout)
                );
            }
            Self::Download(d) => assert_logged_out(d.position()),
            Self::Alarms(a) => assert!(a.is_stopped(), "an arming outlived the logout"),
        }
    }
}

/// The preview race above for the other kinds that register with their session: a logout
/// racing 16 threads that start playbacks, downloads and armings (a third each). Every
/// start either succeeds (and the handle is stopped by its owner or by the logout) or
/// fails with `LoggedOut`; the mock's Logout found nothing still open, and nothing is left.
#[test]
fn owned_logout_races_sixteen_threads_starting_playbacks_downloads_and_armings() {
    let _ = log();
    let dev = recording_nvr_with("max_links = 64");
    let session = dev.login();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-owned-race-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let race_dir = dir.clone();
    let kept = race_starts_against_a_logout(session, move |s, i| Held::start(s, i, &race_dir));
    assert_eq!(
        dev.value("closed_at_logout"),
        0,
        "NET_DVR_Logout found a handle still open: it was not stopped first"
    );
    for h in kept {
        h.assert_stopped_by_the_logout();
    }
    for (open, stop) in [
        ("NET_DVR_PlayBackByTime_V40", "NET_DVR_StopPlayBack"),
        ("NET_DVR_GetFileByTime_V40", "NET_DVR_StopGetFile"),
    ] {
        assert!(dev.calls(open) >= 5, "{open} ran");
        assert_eq!(
            dev.calls(open),
            dev.calls(stop),
            "every {open} stopped once"
        );
    }
    assert_eq!(dev.value("armings"), 0);
    assert_eq!(dev.value("links"), 0);
    assert_eq!(dev.value("sessions"), 0);
    let leaked = lines_with(&["leaked"]);
    assert!(leaked.is_empty(), "{leaked:#?}");
    std::fs::remove_dir_all(dir).ok();
}
