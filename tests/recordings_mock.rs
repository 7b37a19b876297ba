//! Recordings on the mock's timeline, success paths: a private NVR with the default
//! scenario's recordings on channels 33 and 34, its clock pinned (`MOCK_SetClock`) so that
//! the lists are deterministic. The expected lists come from the shared model itself
//! (`hcnetsdk_device::recordings`), never from a second copy of its rules.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hcnetsdk_test_support::safe as support;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::{DateTime, date};
use hcnetsdk::media::Demuxer;
use hcnetsdk::{DeviceTime, FileType, Session};
use hcnetsdk_device::recordings::{Clock, Recordings};
use support::{Device, Kind};

const CLOCK: &str = "2026-12-01T12:00:00Z";

/// The default scenario's NVR recordings (device/scenarios/default.toml).
const RECORDING: &str = r#"
[[recording]]
channels = [33, 34]
days = 7
file_minutes = 60
motion_every_minutes = 90
motion_offset_minutes = 17
event_seconds = 40
locked = ["-1d 08:30"]

  [[recording.event]]
  at = "-1d 12:10"
  type = "alarm"
  seconds = 60

  [[recording.gap]]
  from = "-2d 02:00"
  to = "-2d 04:30"
"#;

/// A private NVR with the recordings, its clock pinned.
fn nvr() -> Device {
    let dev = Device::with_extra(Kind::Nvr, RECORDING);
    assert!(support::mock().set_clock(&dev.address, CLOCK));
    dev
}

/// The same timeline, from the model.
fn model() -> Recordings {
    let toml = format!(
        "address = \"192.0.2.1\"\nkind = \"nvr\"\nanalog_channels = 0\nip_channels = 16\n\
         start_ip_channel = 33\n{RECORDING}\n[[user]]\nname = \"admin\"\npassword = \"x\"\nrole = \"admin\"\n"
    );
    let spec = hcnetsdk_device::DeviceSpec::parse(&toml).unwrap();
    Recordings::new(&spec, Clock::parse(CLOCK).unwrap()).unwrap()
}

fn yesterday(h: i8, m: i8) -> DateTime {
    date(2026, 11, 30).at(h, m, 0, 0)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hcnet-recmock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

fn local(t: &DeviceTime) -> DateTime {
    assert!(t.is_zone_unknown(), "no zone was stated: {t}");
    t.wall_clock()
}

#[test]
fn a_day_of_the_nvr_lists_the_models_files() {
    let dev = nvr();
    let session = dev.login();
    assert_eq!(session.device_info().ip_channel(1), Some(33));
    let (from, to) = (yesterday(0, 0), date(2026, 12, 1).at(0, 0, 0, 0));
    let want = model().files(33, from, to).unwrap();
    assert!(want.len() > 24, "hourly files and events: {}", want.len());
    let got: Vec<_> = session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .search()
        .unwrap()
        .collect::<hcnetsdk::Result<_>>()
        .unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.name, w.name);
        assert_eq!(
            (local(&g.start), local(&g.end)),
            (w.start, w.end),
            "{}",
            g.name
        );
        assert_eq!(g.size, w.size, "{}", g.name);
        assert_eq!(g.locked, w.locked, "{}", g.name);
        assert_eq!(g.file_type.raw(), w.file_type.0, "{}", g.name);
        assert_eq!(g.channel, 33);
    }
    assert!(
        got.iter().any(|r| r.locked),
        "yesterday's 08:00 file is locked"
    );
    assert!(got.iter().any(|r| r.file_type == FileType::Alarm));
    // The type filter is the model's too.
    let motion = session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .file_type(FileType::Motion)
        .search()
        .unwrap()
        .collect::<hcnetsdk::Result<Vec<_>>>()
        .unwrap();
    let want_motion = want.iter().filter(|w| w.file_type.0 == 1).count();
    assert_eq!(motion.len(), want_motion);
    assert!(motion.iter().all(|r| r.file_type == FileType::Motion));
    assert_eq!(dev.calls("NET_DVR_FindClose_V30"), 2, "each search closed");
    // A channel of the NVR without recordings: nothing, and closed.
    let none = session
        .recordings(40)
        .unwrap()
        .range(from, to)
        .search()
        .unwrap();
    assert_eq!(none.count(), 0);
    assert_eq!(dev.calls("NET_DVR_FindClose_V30"), 3);
}

#[test]
fn an_early_break_closes_the_search_and_long_ranges_wait_out_still_searching() {
    let dev = nvr();
    let session = dev.login();
    let (from, to) = (yesterday(0, 0), date(2026, 12, 1).at(0, 0, 0, 0));
    for (i, r) in session
        .recordings(33)
        .unwrap()
        .range(from, to)
        .search()
        .unwrap()
        .enumerate()
    {
        r.unwrap();
        if i == 2 {
            break;
        }
    }
    assert_eq!(dev.calls("NET_DVR_FindNextFile_V40"), 3);
    assert_eq!(
        dev.calls("NET_DVR_FindClose_V30"),
        1,
        "closed after the break"
    );
    // Over 24 h the model answers 1002 for 200 ms first: polled, not an error.
    let t0 = Instant::now();
    let two_days: Vec<_> = session
        .recordings(34)
        .unwrap()
        .range(date(2026, 11, 29).at(0, 0, 0, 0), to)
        .poll_interval(Duration::from_millis(20))
        .search()
        .unwrap()
        .collect::<hcnetsdk::Result<_>>()
        .unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(200));
    let want = model()
        .files(34, date(2026, 11, 29).at(0, 0, 0, 0), to)
        .unwrap();
    assert_eq!(two_days.len(), want.len());
    assert!(dev.calls("NET_DVR_FindNextFile_V40") > 3 + want.len() as u64 + 1);
}

/// The video frames of a PS file: (PTS, key), and whether any frame was a discontinuity.
fn frames(path: &Path) -> (Vec<(i64, bool)>, bool) {
    let data = std::fs::read(path).unwrap();
    let mut d = Demuxer::new();
    let mut out = Vec::new();
    let mut disc = false;
    let mut f = |fr: &hcnetsdk::media::Frame<'_>| {
        if fr.is_video() {
            out.push((fr.pts.unwrap(), fr.key));
            disc |= fr.discontinuity;
        }
    };
    d.push(&data, &mut f);
    d.finish(&mut f);
    (out, disc)
}

/// Continuous 25 fps video: every PTS 3600 ticks after the one before.
fn assert_continuous(path: &Path, frames_wanted: usize) {
    let (v, disc) = frames(path);
    assert!(!disc, "{} has a discontinuity", path.display());
    assert_eq!(v.len(), frames_wanted, "{}", path.display());
    assert!(v[0].1, "starts with a keyframe");
    for w in v.windows(2) {
        assert_eq!(
            w[1].0 - w[0].0,
            3600,
            "{}: a gap or a repeat",
            path.display()
        );
    }
}

fn ffprobe_duration(path: &Path) -> Option<f64> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "ffprobe: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("ffprobe said {text:?}")),
    )
}

fn ten_minutes(session: &Session) -> hcnetsdk::DownloadBuilder {
    session
        .download_by_time(33, yesterday(8, 0), yesterday(8, 10))
        .unwrap()
        .poll_interval(Duration::from_millis(10))
}

#[test]
fn a_ten_minute_download_is_ten_minutes_and_resumes_after_a_drop() {
    let dev = nvr();
    let session = dev.login();
    // Whole.
    let full = temp("full.ps");
    let mut d = ten_minutes(&session).start(&full).unwrap();
    let mut last = 0;
    for p in d.progress() {
        let p = p.unwrap();
        assert!(p.percent >= last, "progress goes forward");
        last = p.percent;
    }
    assert_eq!(last, 100);
    let size = d.wait().unwrap();
    assert_eq!(size, std::fs::metadata(&full).unwrap().len());
    assert_eq!(dev.calls("NET_DVR_StopGetFile"), 1);
    assert_continuous(&full, 600 * 25);
    if let Some(secs) = ffprobe_duration(&full) {
        assert!(
            (secs - 600.0).abs() <= 1.0,
            "ffprobe: {secs} s, one GOP is 1 s"
        );
    }
    // Dropped at half: a typed error with what was saved, which stays in the file.
    support::mock().set_download_fault(Some(&dev.address), Some("drop:50"), 1);
    let part = temp("resumed.ps");
    let err = ten_minutes(&session)
        .start(&part)
        .unwrap()
        .wait()
        .unwrap_err();
    let ErrorKind::DownloadInterrupted {
        bytes_saved, path, ..
    } = err.kind()
    else {
        panic!("not an interrupted download: {err:#}");
    };
    assert_eq!(path, &part);
    assert_eq!(*bytes_saved, std::fs::metadata(&part).unwrap().len());
    assert!(
        (size / 3..size * 2 / 3).contains(bytes_saved),
        "about half of {size}: {bytes_saved}"
    );
    assert!(err.to_string().contains(&bytes_saved.to_string()), "{err}");
    // Resumed: continuous, and byte for byte the uninterrupted download.
    let saved = ten_minutes(&session).resume(&part).unwrap().wait().unwrap();
    assert_eq!(saved, size);
    assert_continuous(&part, 600 * 25);
    assert!(std::fs::read(&part).unwrap() == std::fs::read(&full).unwrap());
    assert!(!Path::new(&format!("{}.resume", part.display())).exists());
    let _ = std::fs::remove_file(&full);
    let _ = std::fs::remove_file(&part);
}

#[test]
fn a_download_by_name_is_the_listed_size() {
    let dev = nvr();
    let session = dev.login();
    let (from, to) = (yesterday(0, 0), yesterday(2, 0));
    let motion = session
        .recordings(34)
        .unwrap()
        .range(from, to)
        .file_type(FileType::Motion)
        .search()
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let path = temp("by-name.ps");
    let size = session
        .download_by_name(motion.name.clone())
        .poll_interval(Duration::from_millis(10))
        .start(&path)
        .unwrap()
        .wait()
        .unwrap();
    assert_eq!(size, motion.size);
    assert_continuous(&path, 40 * 25);
    let _ = std::fs::remove_file(&path);
    // A name the device does not have: 33 (NET_DVR_NOSPECFILE), no file left.
    let err = session
        .download_by_name("ch0033_00000000000100000")
        .start(&path)
        .unwrap_err();
    support::assert_sdk_error(&err, 33, "NET_DVR_GetFileByName");
    assert!(!path.exists());
}

#[test]
fn a_download_moves_at_the_scenarios_rate() {
    let slow = RECORDING.replace("days = 7", "days = 7\ndownload_rate = 400000");
    let dev = Device::with_extra(Kind::Nvr, &slow);
    assert!(support::mock().set_clock(&dev.address, CLOCK));
    let session = dev.login();
    let path = temp("slow.ps");
    let t0 = Instant::now();
    let mut d = session
        .download_by_time(33, yesterday(9, 0), date(2026, 11, 30).at(9, 0, 20, 0))
        .unwrap()
        .poll_interval(Duration::from_millis(50))
        .start(&path)
        .unwrap();
    let seen: Vec<u8> = d.progress().map(|p| p.unwrap().percent).collect();
    let size = d.wait().unwrap();
    // 20 s of video (about 600 kB) at 400 kB/s: well over a second, in steps.
    let secs = size as f64 / 400_000.0;
    assert!(
        t0.elapsed().as_secs_f64() >= secs * 0.9,
        "{:?} for {size} bytes",
        t0.elapsed()
    );
    let between = seen.iter().filter(|p| (1..100).contains(*p)).count();
    assert!(between >= 3, "progress in steps: {seen:?}");
    assert_eq!(seen.last(), Some(&100));
    assert_continuous(&path, 20 * 25);
    let _ = std::fs::remove_file(&path);
}
