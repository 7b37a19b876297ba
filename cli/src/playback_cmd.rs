//! `hcnet playback --channel N --from T --to T -o FILE [--speed 2]`: a recorded range
//! played back (`Session::playback_by_time`) into a file, by the same extension rule as
//! `hcnet preview` (.ps raw, else frames through `media_out`), or raw PS to standard output
//! with `-o -`, paced in real time for a player.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::jiff::Timestamp;
use hcnetsdk::jiff::civil::DateTime;
use hcnetsdk::{
    DataType, DeviceTime, Playback, PlaybackBuilder, PlaybackEnd, PlaybackEvent, RecvTimeoutError,
};

use crate::PlaybackArgs;
use crate::device;
use crate::jobs::{check_out_file, fail, usage};
use crate::media_out::{Format, FrameSink, format_for, with_notes};
use crate::progress::human_bytes;
use crate::recordings_cmd::parse_zone;

/// Set by Ctrl-C: the loop stops and finishes the file.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A time from the command line: RFC 3339 with an offset (an instant), or the device's
/// local time `2026-12-01 08:00[:00]` / `2026-12-01T08:00[:00]`.
pub fn parse_time(s: &str) -> Result<DeviceTime, String> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t.into());
    }
    s.replacen(' ', "T", 1)
        .parse::<DateTime>()
        .map(DeviceTime::from)
        .map_err(|_| {
            format!(
                "{s:?} is not a time: give RFC 3339 with an offset (2026-12-01T08:00:00Z) or the device's local time (2026-12-01 08:00)"
            )
        })
}

/// `--speed` as steps of 2 (1 -> 0, 2 -> 1, 0.5 -> -1), from 1/16 to 16.
pub fn speed_steps(speed: f64) -> Result<i32, String> {
    let steps = speed.log2();
    if speed > 0.0 && steps.fract() == 0.0 && (-4.0..=4.0).contains(&steps) {
        Ok(steps as i32)
    } else {
        Err(format!(
            "--speed {speed}: give a power of two from 1/16 to 16 (0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16)"
        ))
    }
}

/// Check the arguments and build the playback (not started).
fn builder(sdk_dir: Option<&Path>, a: &PlaybackArgs) -> Result<(PlaybackBuilder, u32), String> {
    let (from, to) = (parse_time(&a.from)?, parse_time(&a.to)?);
    let (_sdk, session) = device::connect(sdk_dir, &a.target.device)?;
    let channel = device::pick_channel(&session, a.target.channel)?;
    let mut b = session
        .playback_by_time(channel, from, to)
        .map_err(|e| format!("{e:#}"))?
        .real_time(a.real_time || a.out.as_os_str() == "-");
    if let Some(z) = &a.zone {
        b = b.device_zone(parse_zone("--zone", z)?);
    }
    Ok((b, channel))
}

/// Apply `--speed` once the playback runs.
fn set_speed(p: &Playback, steps: i32) -> Result<(), String> {
    for _ in 0..steps.unsigned_abs() {
        let r = if steps > 0 { p.fast() } else { p.slow() };
        r.map_err(|e| format!("{e:#}"))?;
    }
    Ok(())
}

/// `hcnet playback`.
pub fn run(sdk_dir: Option<&Path>, a: &PlaybackArgs) -> ExitCode {
    let to_stdout = a.out.as_os_str() == "-";
    if !to_stdout && let Err(t) = check_out_file(&a.out, "playback.ps") {
        return fail("playback", &t);
    }
    let format = if to_stdout {
        Format::Ps
    } else {
        match format_for(&a.out, true) {
            Ok(f) => f,
            Err(t) => return usage("playback", &t),
        }
    };
    let steps = match speed_steps(a.speed) {
        Ok(s) => s,
        Err(t) => return usage("playback", &t),
    };
    let (b, channel) = match builder(sdk_dir, a) {
        Ok(x) => x,
        Err(t) => return fail("playback", &t),
    };
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let result = if format == Format::Ps {
        write_ps(b, steps, a)
    } else {
        write_frames(b, steps, &a.out, format)
    };
    match result {
        Ok(text) => {
            let text = format!(
                "played back channel {channel} from {} to {}: {text}",
                a.from, a.to
            );
            if to_stdout {
                eprintln!("{text}");
            } else {
                outln!("{text}");
            }
            ExitCode::SUCCESS
        }
        Err(t) => fail("playback", &t),
    }
}

/// How the loop ended.
fn ended(p: &Playback, closed: bool) -> Option<Result<(), String>> {
    if INTERRUPTED.load(Ordering::Relaxed) {
        return Some(Ok(()));
    }
    let wait = if closed {
        Duration::from_secs(2)
    } else {
        Duration::ZERO
    };
    match p.next_event(wait) {
        Some(PlaybackEvent::Ended(PlaybackEnd::Complete)) => Some(Ok(())),
        Some(PlaybackEvent::Ended(_)) => Some(Err(
            "the network failed during the playback (position 200); the file holds what came before".into(),
        )),
        Some(PlaybackEvent::StoppedByLogout) => Some(Err("the session logged out".into())),
        Some(_) => Some(Err("the playback ended unexpectedly".into())),
        None if closed => Some(Err("the playback stopped without an end".into())),
        None => None,
    }
}

/// Raw PS (without the SDK's 40-byte header, so that players open it) to the file or stdout.
fn write_ps(b: PlaybackBuilder, steps: i32, a: &PlaybackArgs) -> Result<String, String> {
    let out = &a.out;
    let sink: Box<dyn Write> = if out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        let f =
            File::create(out).map_err(|e| format!("could not create {}: {e}", out.display()))?;
        Box::new(f)
    };
    let mut w = BufWriter::new(sink);
    let (playback, mut rx) = b.start_queue(1024).map_err(|e| format!("{e:#}"))?;
    set_speed(&playback, steps)?;
    let started = Instant::now();
    let (mut bytes, mut end) = (0u64, None);
    while end.is_none() {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(p) if p.kind() == DataType::SysHead => {}
            Ok(p) => {
                w.write_all(p.data())
                    .map_err(|e| format!("could not write {}: {e}", out.display()))?;
                bytes += p.data().len() as u64;
            }
            Err(RecvTimeoutError::Timeout) => end = ended(&playback, false),
            Err(_) => end = ended(&playback, true),
        }
    }
    w.flush()
        .map_err(|e| format!("could not write {}: {e}", out.display()))?;
    let lost = rx.lost();
    let stopped = playback.stop();
    end.unwrap_or(Ok(()))?;
    stopped.map_err(|e| format!("{e:#}"))?;
    let mut text = format!(
        "{} of MPEG-PS in {:.1} s to {}",
        human_bytes(bytes),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    if lost > 0 {
        text.push_str(&format!(
            "\nnote: {lost} packets were dropped because the writer fell behind"
        ));
    }
    Ok(text)
}

/// Frames through `media_out` (elementary stream or MP4).
fn write_frames(
    b: PlaybackBuilder,
    steps: i32,
    out: &Path,
    format: Format,
) -> Result<String, String> {
    let mut sink = FrameSink::create_streaming(out, format)?;
    let (playback, mut rx) = b.start_frame_queue(256).map_err(|e| format!("{e:#}"))?;
    set_speed(&playback, steps)?;
    let started = Instant::now();
    let mut end = None;
    while end.is_none() {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(f) => sink.frame(&f.frame())?,
            Err(RecvTimeoutError::Timeout) => end = ended(&playback, false),
            Err(_) => end = ended(&playback, true),
        }
    }
    let lost = rx.lost();
    let stopped = playback.stop();
    end.unwrap_or(Ok(()))?;
    let written = sink.written;
    if written == 0 {
        return Err(format!(
            "the playback delivered no frames for {}",
            out.display()
        ));
    }
    let note = sink.finish()?;
    stopped.map_err(|e| format!("{e:#}"))?;
    let text = format!(
        "{written} frames in {:.1} s to {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(with_notes(text, lost, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_instants_with_an_offset_or_device_local() {
        let t = parse_time("2026-12-01T08:00:00Z").unwrap();
        assert!(t.timestamp().is_some());
        let local = parse_time("2026-12-01 08:00").unwrap();
        assert!(local.is_zone_unknown());
        assert_eq!(local.wall_clock().to_string(), "2026-12-01T08:00:00");
        assert!(parse_time("yesterday").unwrap_err().contains("RFC 3339"));
    }

    #[test]
    fn speeds_are_powers_of_two_up_to_16() {
        assert_eq!(speed_steps(1.0), Ok(0));
        assert_eq!(speed_steps(2.0), Ok(1));
        assert_eq!(speed_steps(16.0), Ok(4));
        assert_eq!(speed_steps(0.25), Ok(-2));
        for bad in [3.0, 32.0, 0.0, -2.0, 1.0 / 32.0] {
            assert!(speed_steps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zones_by_name_offset_or_utc() {
        let offset = |z| {
            parse_zone("--zone", z)
                .unwrap()
                .to_fixed_offset()
                .unwrap()
                .seconds()
        };
        assert_eq!(offset("+08:00"), 8 * 3600);
        assert_eq!(offset("-05:30"), -(5 * 3600 + 30 * 60));
        assert_eq!(offset("UTC"), 0);
        let err = parse_zone("--zone", "Nowhere/City").unwrap_err();
        assert!(err.starts_with("--zone "), "{err}");
    }
}
