//! The two-stack tier for recordings: the default scenario with its clock pinned to
//! `two_stack_common::CLOCK`, through
//! 1. the safe layer on the **mock** SDK, logged in in ISAPI mode, and
//! 2. the safe layer on the **real** SDK, logged into [`Emulator::start`] (ISAPI mode),
//!
//! the same search (the NVR's first IP channel and the dome's channel 1 over one day, all
//! types; a day without files) and the same playback (the NVR's first IP channel, 10 s,
//! on the frames path and the packet path at once). One routine ([`observe`]) writes what
//! a user sees as `key = value` lines: every `Recording` (name, start, end, size, type,
//! locked), the playback's IMKH header, video frame count, first keyframe, PTS spacing,
//! and how it ended.
//!
//! Every key must agree, unless [`INTENDED`] names it with its reason; a named difference
//! that went away fails too. As in `two_stack.rs`, the mock's side runs in a child process
//! (this test binary again, with `TWOSTACK_REC_MOCK_CHILD=1` and `HCNETSDK_MOCK_SCENARIO`
//! naming the pinned scenario) at the same time as the real side.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as `.ci/run`
//! does with `.ci/real-sdk.d/two-stack.sh`:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test two_stack_recordings --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test two_stack_recordings -- --nocapture --test-threads=1'
//! ```

mod two_stack_common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::{FileType, LoginMode, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;
use hcnetsdk_media::MediaInfo;

use two_stack_common::{Seen, compare, mock_side, pinned, print_mock_side, put, start_both};

const USER: &str = "admin";
const PASSWORD: &str = "Admin12345";
const CHILD_ENV: &str = "TWOSTACK_REC_MOCK_CHILD";
/// The scenario's pinned clock: "yesterday" is 2026-11-30.
/// The playback's length.
const PLAY_SECONDS: i8 = 10;

/// (key prefix, why the two stacks differ there). Measured with the real SDK 6.1.9.48.
const INTENDED: &[(&str, &str)] = &[
    (
        "search.nvr.020.locked",
        "yesterday's 08:00 file is locked in the scenario: the mock reports byLocked 1; the \
         real SDK reports 0 for it although the emulator's CMSearchResult says \
         <lockStatus>Lock</lockStatus> (also with `lock`): the SDK reads the lock from \
         something else, not known yet (emulator/README.md)",
    ),
    (
        "play.ended",
        "the end of a playback: the mock reports position 100 (PlaybackEvent::Ended) once \
         its range is delivered; the real SDK, playing from the emulator, keeps position 0 \
         and reports nothing when the emulator's RTSP stream ends (after the last frame the \
         emulator closes the connection; how a device signals the end over RTSP so that the \
         SDK reports 100 is not known yet: emulator/README.md)",
    ),
];

/// Where each device answers: the scenario's address (mock) or the emulator's port.
fn login(sdk: &Sdk, emulator: Option<&Emulator>, label: &str) -> Session {
    let (host, port) = match emulator {
        Some(e) => ("127.0.0.1".to_owned(), e.device(label).unwrap().http_port()),
        None => {
            let s = Scenario::default();
            let d = s.devices.iter().find(|d| d.label == label).unwrap();
            (d.address.clone(), d.port)
        }
    };
    Session::builder(sdk)
        .address(host)
        .port(port)
        .user(USER)
        .password(PASSWORD)
        .mode(LoginMode::Isapi)
        .login()
        .unwrap_or_else(|e| panic!("login to {label}: {e:#}"))
}

fn observe(sdk: &Sdk, emulator: Option<&Emulator>) -> Seen {
    let mut seen = Seen::new();
    let started = Instant::now();
    let nvr = login(sdk, emulator, "nvr");
    let d1 = nvr.device_info().ip_channel(1).expect("the NVR's D1");
    let day = (
        date(2026, 11, 30).at(0, 0, 0, 0),
        date(2026, 11, 30).at(23, 59, 59, 0),
    );
    search(&nvr, d1, day, "nvr", &mut seen);
    let none = (
        date(2026, 10, 1).at(0, 0, 0, 0),
        date(2026, 10, 2).at(0, 0, 0, 0),
    );
    search(&nvr, d1, none, "nvr_empty_day", &mut seen);
    let dome = login(sdk, emulator, "dome");
    search(&dome, 1, day, "dome", &mut seen);
    playback(&nvr, d1, &mut seen);
    println!("observed in {:?}", started.elapsed());
    seen
}

/// Every file of one search, all types.
fn search(
    session: &Session,
    channel: u32,
    range: (DateTime, DateTime),
    what: &str,
    seen: &mut Seen,
) {
    let found = session
        .recordings(channel)
        .and_then(|s| s.range(range.0, range.1).file_type(FileType::All).search());
    let files: Vec<_> = match found {
        Ok(files) => files.collect(),
        Err(e) => {
            put(
                seen,
                format!("search.{what}.error"),
                format!("{:?}", e.kind()),
            );
            return;
        }
    };
    put(seen, format!("search.{what}.count"), files.len());
    for (i, r) in files.iter().enumerate() {
        let line = match r {
            Ok(r) => {
                put(seen, format!("search.{what}.{i:03}.locked"), r.locked);
                format!(
                    "{} {} .. {} size {} {}",
                    r.name, r.start, r.end, r.size, r.file_type
                )
            }
            Err(e) => format!("error {:?}", e.kind()),
        };
        put(seen, format!("search.{what}.{i:03}"), line);
    }
}

/// (arrival, is video, key, pts, size)
type Frames = Arc<Mutex<Vec<(Instant, bool, bool, Option<i64>, usize)>>>;

fn playback(session: &Session, channel: u32, seen: &mut Seen) {
    let from = date(2026, 11, 30).at(8, 0, 0, 0);
    let to = date(2026, 11, 30).at(8, 0, PLAY_SECONDS, 0);
    let header: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
    let sink = Arc::clone(&header);
    let raw = session
        .playback_by_time(channel, from, to)
        .and_then(|b| {
            b.start(move |p| {
                let mut h = sink.lock().unwrap();
                if p.kind().raw() == 1 && h.is_none() {
                    *h = Some(p.data().to_vec());
                }
            })
        })
        .unwrap_or_else(|e| panic!("playback (packets): {e:#}"));
    let frames: Frames = Arc::default();
    let sink = Arc::clone(&frames);
    let first_key: Arc<Mutex<Vec<u8>>> = Arc::default();
    let key_sink = Arc::clone(&first_key);
    let started = Instant::now();
    let demuxed = session
        .playback_by_time(channel, from, to)
        .and_then(|b| {
            b.start_frames(move |f| {
                let entry = (Instant::now(), f.is_video(), f.key, f.pts, f.data.len());
                sink.lock().unwrap().push(entry);
                let mut key = key_sink.lock().unwrap();
                if f.key && key.is_empty() {
                    key.extend_from_slice(f.data);
                }
            })
        })
        .unwrap_or_else(|e| panic!("playback (frames): {e:#}"));
    // The range plays in real time on the real side; give it 2 s more to end.
    let limit = Duration::from_secs(PLAY_SECONDS as u64 + 2);
    let event = demuxed.next_event(limit);
    let elapsed = started.elapsed();
    if event.is_none() {
        std::thread::sleep(Duration::from_millis(300));
    }
    put(seen, "play.ended", format!("{event:?}"));
    demuxed.stop().unwrap_or_else(|e| panic!("{e:#}"));
    raw.stop().unwrap_or_else(|e| panic!("{e:#}"));
    let header = header.lock().unwrap().clone();
    put(
        seen,
        "play.imkh",
        header.map_or("none".into(), |h| imkh(&h)),
    );
    let frames = frames.lock().unwrap().clone();
    frames_seen(&frames, started, seen);
    let key = first_key.lock().unwrap();
    put(seen, "play.first_key_bytes", key.len());
    let span = frames.last().map_or(Duration::ZERO, |f| f.0 - started);
    println!(
        "playback: {} frames over {span:?}, event {event:?} after {elapsed:?}",
        frames.len()
    );
    put(
        seen,
        "play.delivered_in_real_time",
        span >= Duration::from_secs(PLAY_SECONDS as u64 - 1),
    );
}

fn frames_seen(all: &[(Instant, bool, bool, Option<i64>, usize)], start: Instant, seen: &mut Seen) {
    let video: Vec<_> = all.iter().filter(|f| f.1).collect();
    put(seen, "play.frames.audio", all.len() - video.len());
    put(seen, "play.frames.video", video.len());
    put(
        seen,
        "play.frames.first_is_key",
        video.first().is_some_and(|f| f.2),
    );
    let keys: Vec<usize> = video
        .iter()
        .enumerate()
        .filter(|(_, f)| f.2)
        .map(|(i, _)| i)
        .collect();
    let spacing: Vec<usize> = keys.windows(2).map(|w| w[1] - w[0]).collect();
    put(seen, "play.frames.key_spacing", format!("{spacing:?}"));
    let pts: Vec<i64> = video.iter().filter_map(|f| f.3).collect();
    let mut steps: Vec<i64> = pts.windows(2).map(|w| w[1] - w[0]).collect();
    steps.sort_unstable();
    steps.dedup();
    put(seen, "play.frames.pts_steps", format!("{steps:?}"));
    let sizes: Vec<usize> = video.iter().take(25).map(|f| f.4).collect();
    put(seen, "play.frames.first_gop_sizes", format!("{sizes:?}"));
    if let Some(first) = video.first() {
        println!("first frame {:?} after the start", first.0 - start);
    }
}

fn imkh(header: &[u8]) -> String {
    match MediaInfo::parse(header) {
        Some(i) => format!(
            "{} bytes {:?} video {:#06x} audio {:#06x}",
            header.len(),
            i.system_format,
            i.video_raw,
            i.audio_raw
        ),
        None => format!("unparsed {} bytes", header.len()),
    }
}

/// The mock's side. Does nothing unless run as the child.
#[test]
fn mock_side_child() {
    let Some((sdk, _)) = mock_side(CHILD_ENV) else {
        return;
    };
    print_mock_side(observe(&sdk, None));
}

#[test]
fn two_stacks_agree_on_recordings() {
    let started = Instant::now();
    let Some((sdk, child)) = start_both("two_stacks_agree_on_recordings", CHILD_ENV, true) else {
        return;
    };
    let emulator = Emulator::start(&pinned()).unwrap();
    let real = observe(&sdk, Some(&emulator));
    let mock = child.observed();
    println!("both stacks observed in {:?}", started.elapsed());
    compare(&real, &mock, INTENDED, |key| {
        !key.starts_with("search.") || key.ends_with(".count")
    });
}
