//! Playback against the mock, on a scenario of this file's own with the recording clock
//! pinned (2026-12-01T12:00:00Z, device-local UTC), so every time and PTS is known:
//! channel 33 of each NVR records continuously since 2026-11-30 00:00 in hourly files.
//! `fast` streams as fast as the callback returns; `paced` at the recording's time stamps.
//!
//! A frame at unix time `t` has PTS `90000 + 3600 x (t / 40 ms)` (mod 2^33): the device
//! model's clip laid on the recording's time line.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use hcnetsdk_test_support::safe as support;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::{
    DataType, Password, Playback, PlaybackEnd, PlaybackEvent, PlaybackPosition, Session,
};
use support::{assert_invalid_input, assert_sdk_error};

static_assertions::assert_impl_all!(hcnetsdk::Playback: Send, Sync);
static_assertions::assert_impl_all!(hcnetsdk::PlaybackBuilder: Send, Sync, Clone);

const FAST: &str = "192.0.2.60";
const PACED: &str = "192.0.2.61";
const PTS_MASK: u64 = (1 << 33) - 1;

fn nvr(label: &str, address: &str, pacing: &str) -> String {
    format!(
        "[[device]]\nlabel = \"{label}\"\naddress = \"{address}\"\nport = 8000\nkind = \"nvr\"\n\
         model = \"DS-7616NI-K2\"\nname = \"NVR\"\nanalog_channels = 0\nip_channels = 4\n\
         start_ip_channel = 33\npacing = \"{pacing}\"\n\
         [[device.recording]]\nchannels = [33]\ndays = 1\nfile_minutes = 10\n\
         [[device.user]]\nname = \"admin\"\npassword = \"Admin12345\"\nrole = \"admin\"\n"
    )
}

/// The mock, loaded with this file's scenario (before anything else loads it).
fn setup() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("playback.toml");
        let toml = format!(
            "clock = \"2026-12-01T12:00:00Z\"\npacing = \"fast\"\n{}{}",
            nvr("fast", FAST, "fast"),
            nvr("paced", PACED, "realtime")
        );
        std::fs::write(&path, toml).expect("write the scenario");
        // SAFETY: set once, before the mock is loaded; every test waits here first.
        unsafe { std::env::set_var("HCNETSDK_MOCK_SCENARIO", &path) };
        let _ = support::mock();
    });
}

fn login(address: &str) -> Session {
    setup();
    Session::builder(support::sdk())
        .address(address)
        .port(8000)
        .user("admin")
        .password(Password::new("Admin12345"))
        .login()
        .expect("login to the playback scenario's NVR")
}

fn at(h: i8, m: i8, s: i8) -> DateTime {
    date(2026, 12, 1).at(h, m, s, 0)
}

/// The PTS of the frame at 2026-12-01 `h:m:s` UTC.
fn pts_at(h: i8, m: i8, s: i8) -> u64 {
    let t = u64::try_from(
        hcnetsdk::jiff::tz::TimeZone::UTC
            .to_timestamp(at(h, m, s))
            .unwrap()
            .as_second(),
    )
    .unwrap();
    (90_000 + 3600 * t * 25) & PTS_MASK
}

/// Video PTS (33 bits) as frames arrive.
type Seen = Arc<Mutex<Vec<u64>>>;

fn start_frames(b: hcnetsdk::PlaybackBuilder) -> (Playback, Seen) {
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let playback = b
        .start_frames(move |f| {
            if f.is_video()
                && let Some(pts) = f.pts
            {
                s.lock().unwrap().push(pts as u64 & PTS_MASK);
            }
        })
        .expect("start the playback");
    (playback, seen)
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn frames_arrive_at_the_recordings_times_and_the_end_is_an_event() {
    let session = login(FAST);
    let b = session
        .playback_by_time(33, at(10, 0, 0), at(10, 0, 10))
        .unwrap();
    let (playback, seen) = start_frames(b);
    assert_eq!(
        playback.next_event(Duration::from_secs(10)),
        Some(PlaybackEvent::Ended(PlaybackEnd::Complete))
    );
    assert_eq!(
        playback.next_event(Duration::from_millis(100)),
        None,
        "reported once"
    );
    assert_eq!(
        playback.position().unwrap(),
        PlaybackPosition::Ended(PlaybackEnd::Complete)
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.first(),
        Some(&pts_at(10, 0, 0)),
        "starts at the range's start"
    );
    // 10 s at 25 fps; the last frame is complete only when a next one starts.
    assert!((249..=250).contains(&seen.len()), "{} frames", seen.len());
    assert!(
        seen.windows(2).all(|w| w[1] == w[0] + 3600),
        "one frame every 40 ms"
    );
    assert!(*seen.last().unwrap() < pts_at(10, 0, 10));
    let stats = playback.stats();
    assert!(stats.packets > 250 && stats.bytes > 0, "{stats:?}");
    playback.stop().unwrap();
}

#[test]
fn a_playback_by_name_plays_the_whole_file() {
    let session = login(FAST);
    let (playback, seen) = start_frames(session.playback_by_name("ch0033_00000179611920000"));
    assert_eq!(playback.channel(), None);
    assert_eq!(
        playback.next_event(Duration::from_secs(60)),
        Some(PlaybackEvent::Ended(PlaybackEnd::Complete))
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first(), Some(&pts_at(10, 0, 0)));
    assert!(
        seen.len() >= 600 * 25 - 1,
        "{} frames in 10 minutes",
        seen.len()
    );
}

#[test]
fn pause_stops_delivery_and_resume_continues() {
    let session = login(PACED);
    let packets = Arc::new(AtomicU64::new(0));
    let n = Arc::clone(&packets);
    let playback = session
        .playback_by_time(33, at(10, 0, 0), at(10, 5, 0))
        .unwrap()
        .start(move |_| {
            n.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    wait_for("packets", Duration::from_secs(5), || {
        packets.load(Ordering::SeqCst) > 5
    });
    playback.pause().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let paused = packets.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        packets.load(Ordering::SeqCst),
        paused,
        "nothing while paused"
    );
    playback.resume().unwrap();
    wait_for("packets after resume", Duration::from_secs(5), || {
        packets.load(Ordering::SeqCst) > paused
    });
    playback.stop().unwrap();
}

#[test]
fn seek_jumps_to_the_keyframe_of_the_time() {
    let session = login(PACED);
    let b = session
        .playback_by_time(33, at(10, 0, 0), at(10, 5, 0))
        .unwrap();
    let (playback, seen) = start_frames(b);
    wait_for("frames", Duration::from_secs(5), || {
        !seen.lock().unwrap().is_empty()
    });
    playback.seek(at(10, 3, 0)).unwrap();
    let target = pts_at(10, 3, 0);
    wait_for("frames after the seek", Duration::from_secs(5), || {
        seen.lock()
            .unwrap()
            .iter()
            .filter(|p| **p >= target)
            .count()
            >= 3
    });
    let seen = seen.lock().unwrap().clone();
    let first_after = seen.iter().position(|p| *p >= target).unwrap();
    assert_eq!(seen[first_after], target, "at the keyframe of 10:03:00");
    assert_eq!(seen[first_after + 1], target + 3600);
    assert!(
        !seen.iter().any(|p| (pts_at(10, 0, 30)..target).contains(p)),
        "nothing from the skipped minutes"
    );
    let time = playback.time().unwrap();
    assert!(
        time.wall_clock() >= at(10, 3, 0) && time.wall_clock() < at(10, 3, 5),
        "{time}"
    );
    assert!(matches!(
        playback.position().unwrap(),
        PlaybackPosition::Playing(60)
    ));
    playback.stop().unwrap();
}

/// Media seconds delivered during `window` of wall time.
fn media_seconds_over(seen: &Seen, window: Duration) -> f64 {
    let first = *seen.lock().unwrap().last().unwrap();
    std::thread::sleep(window);
    let last = *seen.lock().unwrap().last().unwrap();
    (last - first) as f64 / 90_000.0
}

#[test]
fn fast_doubles_the_pace_and_normal_brings_it_back() {
    let session = login(PACED);
    let b = session
        .playback_by_time(33, at(10, 0, 0), at(10, 5, 0))
        .unwrap();
    let (playback, seen) = start_frames(b);
    wait_for("frames", Duration::from_secs(5), || {
        seen.lock().unwrap().len() > 2
    });
    let window = Duration::from_millis(1500);
    let normal = media_seconds_over(&seen, window);
    playback.fast().unwrap();
    assert_eq!(playback.speed(), 2.0);
    std::thread::sleep(Duration::from_millis(100));
    let fast = media_seconds_over(&seen, window);
    let ratio = fast / normal;
    assert!(
        (1.6..=2.5).contains(&ratio),
        "normal {normal:.2} s, fast {fast:.2} s of media in {window:?}"
    );
    playback.normal().unwrap();
    assert_eq!(playback.speed(), 1.0);
    playback.slow().unwrap();
    assert_eq!(playback.speed(), 0.5);
    playback.audio(true).unwrap();
    playback.audio(false).unwrap();
    playback.stop().unwrap();
}

#[test]
fn real_time_pacing_follows_the_time_stamps_on_a_device_that_sends_fast() {
    let session = login(FAST);
    let run = |real_time: bool| {
        let (playback, _) = start_frames(
            session
                .playback_by_time(33, at(11, 0, 0), at(11, 0, 2))
                .unwrap()
                .real_time(real_time),
        );
        let t0 = Instant::now();
        assert_eq!(
            playback.next_event(Duration::from_secs(10)),
            Some(PlaybackEvent::Ended(PlaybackEnd::Complete))
        );
        t0.elapsed()
    };
    let paced = run(true);
    let unpaced = run(false);
    assert!(paced >= Duration::from_millis(1800), "paced: {paced:?}");
    assert!(
        unpaced < Duration::from_millis(1500),
        "unpaced: {unpaced:?}"
    );
}

#[test]
fn a_network_drop_ends_with_position_200_as_an_event() {
    let session = login(PACED);
    let (playback, seen) = start_frames(
        session
            .playback_by_time(33, at(9, 0, 0), at(9, 5, 0))
            .unwrap(),
    );
    wait_for("frames", Duration::from_secs(5), || {
        !seen.lock().unwrap().is_empty()
    });
    assert!(support::mock().disconnect_session(session.user_id()));
    assert_eq!(
        playback.next_event(Duration::from_secs(5)),
        Some(PlaybackEvent::Ended(PlaybackEnd::NetworkFailure))
    );
    playback.stop().unwrap();
}

#[test]
fn the_queue_closes_after_the_last_packet() {
    let session = login(FAST);
    let (playback, packets) = session
        .playback_by_time(33, at(10, 30, 0), at(10, 30, 2))
        .unwrap()
        .start_queue(4096)
        .unwrap();
    let mut kinds = Vec::new();
    for p in packets {
        kinds.push(p.kind());
    }
    assert_eq!(kinds.first(), Some(&DataType::SysHead), "the header first");
    assert!(kinds[1..].iter().all(|k| *k == DataType::Stream));
    assert!(kinds.len() > 50);
    assert_eq!(
        playback.next_event(Duration::from_secs(5)),
        Some(PlaybackEvent::Ended(PlaybackEnd::Complete))
    );
}

#[test]
fn logout_stops_the_playback_with_an_event() {
    let session = login(PACED);
    let (playback, _) = start_frames(
        session
            .playback_by_time(33, at(8, 0, 0), at(8, 5, 0))
            .unwrap(),
    );
    let handle = playback.handle();
    session.logout().unwrap();
    assert!(playback.is_stopped_by_logout());
    assert_eq!(
        playback.next_event(Duration::from_secs(1)),
        Some(PlaybackEvent::StoppedByLogout)
    );
    let err = playback.pause().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LoggedOut { .. }), "{err:#}");
    assert_eq!(err.context().handle, Some(handle));
    playback.stop().unwrap();
}

#[test]
fn errors_name_the_call_and_the_context() {
    let session = login(FAST);
    // Channel 34 records nothing: the SDK's 33 (no such file).
    let err = session
        .playback_by_time(34, at(10, 0, 0), at(10, 1, 0))
        .unwrap()
        .start(|_| {})
        .unwrap_err();
    assert_sdk_error(&err, 33, "NET_DVR_PlayBackByTime_V40");
    assert_eq!(err.context().channel, Some(34));
    // Before any SDK call: a channel not on the device, a range backwards, a bad name.
    let calls = || support::mock().call_count("NET_DVR_PlayBackByTime_V40", Some(FAST));
    let before = calls();
    let err = session
        .playback_by_time(1, at(10, 0, 0), at(10, 1, 0))
        .unwrap_err();
    assert_invalid_input(&err, "channel");
    let err = session
        .playback_by_time(33, at(10, 1, 0), at(10, 0, 0))
        .unwrap()
        .start(|_| {})
        .unwrap_err();
    assert_invalid_input(&err, "range");
    // An InvalidInput error, not the SDK's 17: refused before any SDK call.
    for bad in [String::new(), "c".repeat(100), "a\0b".to_owned()] {
        let err = session.playback_by_name(bad).start(|_| {}).unwrap_err();
        assert_invalid_input(&err, "file name");
    }
    assert_eq!(calls(), before);
    let err = session
        .playback_by_name("ch0033_nope")
        .start(|_| {})
        .unwrap_err();
    assert_sdk_error(&err, 33, "NET_DVR_PlayBackByName");
    // A seek outside the range: 17, with the handle in the context.
    let (playback, _) = start_frames(
        session
            .playback_by_time(33, at(10, 0, 0), at(10, 1, 0))
            .unwrap(),
    );
    let err = playback.seek(at(11, 0, 0)).unwrap_err();
    assert_sdk_error(&err, 17, "NET_DVR_PlayBackControl_V40");
    assert_eq!(err.context().handle, Some(playback.handle()));
    let err = playback.seek_percent(101).unwrap_err();
    assert_invalid_input(&err, "percent");
    playback.stop().unwrap();
}

/// Bounded and fast: `.ci/valgrind.sh` runs this one (`valgrind_`).
#[test]
fn valgrind_playback_start_stop_loop() {
    let (session, paced) = (login(FAST), login(PACED));
    for i in 0..20 {
        // The self-stop needs a stream still running when the slot is filled: paced.
        let s = if i % 4 == 3 { &paced } else { &session };
        let b = s.playback_by_time(33, at(10, 0, 0), at(10, 0, 4)).unwrap();
        match i % 4 {
            0 => {
                let (p, mut q) = b.start_queue(8).unwrap();
                let _ = q.recv_timeout(Duration::from_secs(5));
                p.stop().unwrap();
            }
            1 => drop(start_frames(b).0),
            2 => {
                let (p, _) = start_frames(b);
                assert!(p.next_event(Duration::from_secs(20)).is_some());
            }
            _ => {
                // Stopped from inside its own callback: handed to the reaper.
                let slot: Arc<Mutex<Option<Playback>>> = Arc::default();
                let s = Arc::clone(&slot);
                let p = b
                    .start(move |_| {
                        if let Some(p) = s.lock().unwrap().take() {
                            let _ = p.stop();
                        }
                    })
                    .unwrap();
                *slot.lock().unwrap() = Some(p);
                wait_for("the self-stop", Duration::from_secs(20), || {
                    slot.lock().unwrap().is_none()
                });
            }
        }
    }
    let stops = |a| support::mock().call_count("NET_DVR_StopPlayBack", Some(a));
    assert!(
        stops(FAST) >= 15 && stops(PACED) >= 5,
        "{} + {} stops",
        stops(FAST),
        stops(PACED)
    );
}
