//! The everyday jobs: `info`, `snapshot`, `preview`, `ptz`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::{DataType, Motion, Ptz, PtzPosition, RecvTimeoutError, Session, StreamType};
use serde_json::json;

use crate::device;
use crate::media_out::{Format, FrameSink, codec_name, format_for, with_notes};
use crate::progress::{Progress, human_bytes};
use crate::{EXIT_FAILED, InfoArgs, PreviewArgs, PtzAction, PtzArgs, SnapshotArgs};

/// Print the failure and give the failing exit code.
pub fn fail(cmd: &str, text: &str) -> ExitCode {
    eprintln!("hcnet {cmd}: {text}");
    ExitCode::from(EXIT_FAILED)
}

/// Print a usage error (a wrong argument clap cannot check) and exit 2, as clap does.
pub fn usage(cmd: &str, text: &str) -> ExitCode {
    eprintln!("hcnet {cmd}: {text}");
    ExitCode::from(2)
}

/// `hcnet info`.
pub fn info(sdk_dir: Option<&Path>, args: &InfoArgs) -> ExitCode {
    let (sdk, session) = match device::connect(sdk_dir, &args.device) {
        Ok(x) => x,
        Err(t) => return fail("info", &t),
    };
    let version = sdk
        .version()
        .map(|v| v.to_string())
        .unwrap_or_else(|e| format!("unknown ({e})"));
    let text = info_text(&session);
    if args.json {
        let info = session.device_info();
        let cfg = session.device_config().ok();
        let v = json!({
            "sdk": {"path": sdk.library_path().display().to_string(), "version": version, "is_mock": sdk.is_mock()},
            "device": {"address": session.address(), "port": session.port(), "user_id": session.user_id()},
            "serial": info.serial,
            "model": cfg.as_ref().map(|c| c.model.clone()),
            "name": cfg.as_ref().map(|c| c.name.clone()),
            "firmware": cfg.as_ref().map(|c| c.firmware()),
            "device_type": info.device_type,
            "dvr_type": info.dvr_type,
            "analog_channels": {"start": info.analog_channels.start, "count": info.analog_channels.count},
            "ip_channels": {"start": info.ip_channels.start, "count": info.ip_channels.count},
            "channels": info.channels().collect::<Vec<_>>(),
            "disks": info.disk_count,
            "alarm_inputs": info.alarm_inputs,
            "alarm_outputs": info.alarm_outputs,
            "audio_channels": info.audio_channels,
        });
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        outln!(
            "SDK:      {}, version {version}",
            sdk.library_path().display()
        );
        out!("{text}");
    }
    match session.logout() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("info", &format!("{e:#}")),
    }
}

/// The device's information as text (also used by the demo).
pub fn info_text(session: &Session) -> String {
    let info = session.device_info();
    let mut out = String::new();
    out.push_str(&format!(
        "Device:   {}:{} (user ID {})\n",
        session.address(),
        session.port(),
        session.user_id()
    ));
    match session.device_config() {
        Ok(c) => {
            out.push_str(&format!("Model:    {}\n", c.model));
            out.push_str(&format!("Name:     {}\n", c.name));
            out.push_str(&format!("Firmware: {}\n", c.firmware()));
        }
        // An ISAPI login has no classic configuration read (189): ask ISAPI.
        Err(_) if info.login_mode == hcnetsdk::LoginMode::Isapi => {
            match session.isapi().device_info() {
                Ok(d) => {
                    out.push_str(&format!("Model:    {}\n", d.model));
                    out.push_str(&format!("Name:     {}\n", d.device_name));
                    out.push_str(&format!(
                        "Firmware: {} {}\n",
                        d.firmware_version, d.firmware_released_date
                    ));
                }
                Err(e) => out.push_str(&format!("Config:   not readable ({e})\n")),
            }
        }
        Err(e) => out.push_str(&format!("Config:   not readable ({e})\n")),
    }
    out.push_str(&format!("Serial:   {}\n", info.serial));
    out.push_str(&format!(
        "Type:     device type {}, DVR type {}\n",
        info.device_type, info.dvr_type
    ));
    out.push_str(&format!("Channels: {}\n", device::channel_map_text(info)));
    out.push_str(&format!(
        "Disks: {}  Alarm in/out: {}/{}  Audio channels: {}\n",
        info.disk_count, info.alarm_inputs, info.alarm_outputs, info.audio_channels
    ));
    out
}

/// Check `--out FILE` before any work: its folder exists and it is not itself a folder.
/// The error names the path and the fix.
pub fn check_out_file(out: &Path, example_name: &str) -> Result<(), String> {
    if out.as_os_str().is_empty() {
        return Err(format!(
            "--out is empty: give a file to write, e.g. --out {example_name}"
        ));
    }
    if out.is_dir() {
        return Err(format!(
            "--out {} is a folder: give a file in it, e.g. --out {}",
            out.display(),
            out.join(example_name).display()
        ));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => return Ok(()), // a bare file name: the current folder
    };
    if parent.is_dir() {
        Ok(())
    } else if parent.exists() {
        Err(format!(
            "--out {}: {} is not a folder: choose another --out",
            out.display(),
            parent.display()
        ))
    } else {
        Err(format!(
            "--out {}: the folder {} does not exist: create it first (mkdir -p {}) or choose another --out",
            out.display(),
            parent.display(),
            parent.display()
        ))
    }
}

/// `hcnet snapshot`.
pub fn snapshot(sdk_dir: Option<&Path>, args: &SnapshotArgs) -> ExitCode {
    if let Err(t) = check_out_file(&args.out, "snapshot.jpg") {
        return fail("snapshot", &t);
    }
    let (_sdk, session) = match device::connect(sdk_dir, &args.target.device) {
        Ok(x) => x,
        Err(t) => return fail("snapshot", &t),
    };
    let channel = match device::pick_channel(&session, args.target.channel) {
        Ok(c) => c,
        Err(t) => return fail("snapshot", &t),
    };
    match take_snapshot(&session, channel, &args.out) {
        Ok(n) => {
            outln!(
                "wrote a {} JPEG of channel {channel} to {}",
                human_bytes(n as u64),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(t) => fail("snapshot", &t),
    }
}

/// Capture one JPEG of `channel` into `out`; returns its size.
pub fn take_snapshot(session: &Session, channel: u32, out: &Path) -> Result<usize, String> {
    let mut snap = session.snapshot(channel).map_err(|e| format!("{e:#}"))?;
    let jpeg = snap.capture().map_err(|e| format!("{e:#}"))?;
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(format!(
            "the device returned {} bytes that are not a JPEG",
            jpeg.len()
        ));
    }
    std::fs::write(out, &jpeg).map_err(|e| {
        format!(
            "could not write {}: {e}; choose another --out",
            out.display()
        )
    })?;
    Ok(jpeg.len())
}

/// `hcnet preview`.
pub fn preview(sdk_dir: Option<&Path>, args: &PreviewArgs) -> ExitCode {
    if let Err(t) = check_out_file(&args.out, "preview.ps") {
        return fail("preview", &t);
    }
    let format = match format_for(&args.out, true) {
        Ok(f) => f,
        Err(t) => return usage("preview", &t),
    };
    let (_sdk, session) = match device::connect(sdk_dir, &args.target.device) {
        Ok(x) => x,
        Err(t) => return fail("preview", &t),
    };
    let channel = match device::pick_channel(&session, args.target.channel) {
        Ok(c) => c,
        Err(t) => return fail("preview", &t),
    };
    // Ctrl-C ends the recording early; the file is still finished (an MP4, written in
    // fragments as it goes, gets its last fragment).
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let stream = args.stream;
    let duration = Duration::from_secs(args.seconds);
    if format != Format::Ps {
        return match record_frames(&session, channel, stream, duration, &args.out, format) {
            Ok(text) => {
                outln!("{text}");
                ExitCode::SUCCESS
            }
            Err(t) => fail("preview", &t),
        };
    }
    match record(&session, channel, stream, duration, &args.out) {
        Ok(r) => {
            outln!(
                "recorded {} s of channel {channel} ({:?} stream): {} in {} packets to {} (MPEG-PS; play it with ffplay or VLC)",
                args.seconds,
                stream,
                human_bytes(r.bytes),
                r.packets,
                args.out.display()
            );
            if r.lost > 0 {
                outln!(
                    "note: {} packets were dropped because the writer fell behind",
                    r.lost
                );
            }
            ExitCode::SUCCESS
        }
        Err(t) => fail("preview", &t),
    }
}

/// Set by Ctrl-C (SIGINT): the recording loops stop and finish their file.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether to keep recording.
fn recording(started: Instant, duration: Duration) -> bool {
    started.elapsed() < duration && !INTERRUPTED.load(Ordering::Relaxed)
}

/// Record `duration` of `channel` as frames into `out` in `format` (not `Ps`).
pub fn record_frames(
    session: &Session,
    channel: u32,
    stream: StreamType,
    duration: Duration,
    out: &Path,
    format: Format,
) -> Result<String, String> {
    let mut sink = FrameSink::create_streaming(out, format)?;
    let (preview, mut rx) = session
        .preview(channel)
        .stream(stream)
        .start_frame_queue(256)
        .map_err(|e| format!("{e:#}"))?;
    let bar = Progress::new(format!("preview ch{channel}"), duration);
    let started = Instant::now();
    let (mut bytes, mut result) = (0u64, Ok(()));
    while recording(started, duration) && result.is_ok() {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(f) => {
                bytes += f.data().len() as u64;
                result = sink.frame(&f.frame());
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
        bar.update(started.elapsed(), bytes);
    }
    bar.finish();
    let lost = rx.lost();
    let stopped = preview.stop();
    drop(rx);
    result?;
    let written = sink.written;
    if written == 0 {
        return Err(format!(
            "the preview of channel {channel} delivered no frames for {} in {:.1} s{}",
            out.display(),
            started.elapsed().as_secs_f64(),
            sink.mismatch.map_or(String::new(), |c| format!(
                ": its stream is {}, use -o FILE.{}",
                codec_name(c),
                codec_name(c)
            ))
        ));
    }
    let note = sink.finish()?;
    stopped.map_err(|e| format!("{e:#}"))?;
    let text = format!(
        "recorded {:.1} s of channel {channel} ({stream:?} stream): {written} frames to {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(with_notes(text, lost, note))
}

/// What a recording got.
#[derive(Debug, Clone, Copy, Default)]
pub struct Recording {
    /// Bytes written.
    pub bytes: u64,
    /// Stream packets written.
    pub packets: u64,
    /// Packets dropped by the queue.
    pub lost: u64,
    /// Whether the 40-byte system header (IMKH) came first.
    pub header: bool,
}

/// Record `duration` of `channel` to `out`: the stream packets (MPEG-PS), without the
/// SDK's 40-byte system header, so the file plays in ffplay/VLC. A progress bar is drawn on
/// a terminal.
pub fn record(
    session: &Session,
    channel: u32,
    stream: StreamType,
    duration: Duration,
    out: &Path,
) -> Result<Recording, String> {
    let file = File::create(out).map_err(|e| {
        format!(
            "could not create {}: {e}; choose another --out",
            out.display()
        )
    })?;
    let mut w = BufWriter::new(file);
    let (preview, mut rx) = session
        .preview(channel)
        .stream(stream)
        .start_queue(256)
        .map_err(|e| format!("{e:#}"))?;
    let bar = Progress::new(format!("preview ch{channel}"), duration);
    let started = Instant::now();
    let mut r = Recording::default();
    let mut write_err = None;
    while recording(started, duration) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(p) => match p.kind() {
                DataType::SysHead => r.header |= p.data().starts_with(b"IMKH"),
                _ => {
                    if let Err(e) = w.write_all(p.data()) {
                        write_err = Some(e);
                        break;
                    }
                    r.bytes += p.data().len() as u64;
                    r.packets += 1;
                }
            },
            Err(RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
        bar.update(started.elapsed(), r.bytes);
    }
    bar.finish();
    r.lost = rx.lost();
    let stopped = preview.stop();
    drop(rx);
    if let Some(e) = write_err {
        return Err(format!("could not write {}: {e}", out.display()));
    }
    w.flush()
        .map_err(|e| format!("could not write {}: {e}", out.display()))?;
    stopped.map_err(|e| format!("{e:#}"))?;
    if r.bytes == 0 {
        return Err(format!(
            "the preview of channel {channel} delivered no data in {} s: check the channel's encoder on the device",
            duration.as_secs()
        ));
    }
    Ok(r)
}

/// `hcnet ptz`.
pub fn ptz(sdk_dir: Option<&Path>, args: &PtzArgs) -> ExitCode {
    let (sdk, session) = match device::connect(sdk_dir, &args.target.device) {
        Ok(x) => x,
        Err(t) => return fail("ptz", &t),
    };
    let channel = match device::pick_channel(&session, args.target.channel) {
        Ok(c) => c,
        Err(t) => return fail("ptz", &t),
    };
    let ptz = match session.ptz(channel) {
        Ok(p) => p,
        Err(e) => return fail("ptz", &format!("{e:#}")),
    };
    let result = match &args.action {
        PtzAction::Move {
            movement,
            speed,
            ms,
        } => move_for(&ptz, *movement, *speed, Duration::from_millis(*ms)).map(|()| {
            format!("moved {movement:?} at speed {speed} for {ms} ms on channel {channel}")
        }),
        PtzAction::SetPreset { preset } => ptz
            .set_preset(*preset)
            .map(|()| format!("preset {preset} set")),
        PtzAction::ClearPreset { preset } => ptz
            .clear_preset(*preset)
            .map(|()| format!("preset {preset} cleared")),
        PtzAction::Goto { preset } => ptz
            .goto_preset(*preset)
            .map(|()| format!("going to preset {preset}")),
        PtzAction::Position => ptz.position().map(|p| p.to_string()),
    };
    match result {
        Ok(msg) => {
            outln!("{msg}");
            if !matches!(args.action, PtzAction::Position)
                && let Ok(p) = ptz.position()
            {
                outln!("position: {p}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut text = format!("{e:#}");
            if let PtzAction::Goto { preset } = args.action
                && e.raw_code() == Some(GOTO_UNSET_PRESET)
            {
                text.push_str(&unset_preset_hint(preset, channel, sdk.is_mock()));
            }
            let user = args
                .target
                .device
                .user
                .as_deref()
                .unwrap_or(device::DEFAULT_USER);
            if let Some(hint) = ptz_hint(e.raw_code(), channel, user) {
                text.push_str(&format!("\nhint: {hint}"));
            }
            fail("ptz", &text)
        }
    }
}

/// What to do when PTZ fails with `code` on `channel`, said for the person at the command
/// line: 23 (no PTZ there), 2 (the user lacks the PTZ right).
pub fn ptz_hint(code: Option<u32>, channel: u32, user: &str) -> Option<String> {
    match code? {
        23 => Some(format!(
            "Channel {channel} has no PTZ (a fixed camera, or an NVR channel whose camera has no PTZ head): PTZ commands \
             cannot work there. If it should have PTZ, check the camera's model and its PTZ settings, or pick a PTZ channel with --channel."
        )),
        2 => Some(format!(
            "User {user} lacks the PTZ control right on channel {channel}: grant it in the device's user management, \
             or use --user with an account that has it."
        )),
        _ => None,
    }
}

/// What a device answers to GOTO of a preset that was never set: 29
/// (NET_DVR_DVROPRATEFAILED), the generic "device operation failed".
pub const GOTO_UNSET_PRESET: u32 = 29;

/// The hint added when GOTO fails with 29: which preset, and how to set it.
pub fn unset_preset_hint(preset: u16, channel: u32, mock: bool) -> String {
    let mut t = format!(
        "\nhint: preset {preset} is probably not set on channel {channel} (a device answers GOTO of an unset preset \
         with 29). Store it first: move the head where you want it, then `hcnet ptz set-preset {preset}`."
    );
    if mock {
        t.push_str(
            " The mock SDK forgets presets when hcnet exits, so on the mock a preset exists only within one run: \
             `hcnet demo` sets preset 1 and goes to it.",
        );
    }
    t
}

/// Move for `how_long`, then stop.
///
/// # Errors
/// The SDK's code from the start or the stop.
pub fn move_for(ptz: &Ptz, m: Motion, speed: u8, how_long: Duration) -> hcnetsdk::Result<()> {
    let mv = ptz.start(m, speed)?;
    std::thread::sleep(how_long);
    mv.stop()
}

/// The doctor's PTZ probe: a stop command, which moves nothing but makes the device check
/// PTZ support and the user's PTZ right.
///
/// # Errors
/// The SDK's code (23 on a camera without PTZ, 2 without the PTZ right).
pub fn ptz_probe(ptz: &Ptz) -> hcnetsdk::Result<()> {
    ptz.stop(Motion::Left)
}

/// The absolute position.
///
/// # Errors
/// The SDK's code.
pub fn ptz_position(ptz: &Ptz) -> hcnetsdk::Result<PtzPosition> {
    ptz.position()
}
