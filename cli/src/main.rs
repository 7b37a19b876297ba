//! `hcnet`: explain HCNetSDK (and related systems') error codes, doctor an SDK setup and a
//! device step by step, and do the everyday jobs (info, snapshot, preview, PTZ).
//!
//! Runs against the mock SDK by default (the `libhcnetsdk.so` that `cargo build` puts beside
//! this executable) and its healthy default device; `--sdk-dir DIR` (or `HCNETSDK_LIB_DIR` /
//! `HCNETSDK_LIB`) selects a real SDK, and `--host/--port/--user` a real device. The
//! password comes from `HCNET_PASSWORD` or a prompt, never from the command line.

/// `println!` to stdout that does not panic when stdout is a closed pipe
/// (`hcnet explain --list | head`): see [`write_stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!($($arg)*), true)
    };
}

/// `print!` to stdout that does not panic when stdout is a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!($($arg)*), false)
    };
}

mod alarms_cmd;
mod arch;
mod config_cmd;
mod demo;
mod demux_cmd;
mod device;
mod doctor;
mod download_cmd;
mod emulate_cmd;
mod explain_cmd;
mod isapi_cmd;
mod jobs;
mod media_out;
mod net;
mod playback_cmd;
mod progress;
mod recordings_cmd;
mod report;
mod simulate;
mod sps;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use hcnetsdk::{Motion, StreamType};

/// Exit code: a command failed, or a doctor check failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: `hcnet explain` found no match.
pub const EXIT_NO_MATCH: u8 = 3;
/// Exit code: `hcnet isapi`: the device answered with a ResponseStatus that is not OK.
pub const EXIT_ISAPI_STATUS: u8 = 4;
/// Exit code: `hcnet download` stopped early: the file holds what was saved (`--resume`).
pub const EXIT_INCOMPLETE: u8 = 5;

const ISAPI_AFTER_HELP: &str = "\
Examples:
  hcnet isapi GET /ISAPI/System/deviceInfo
  hcnet isapi GET /ISAPI/Streaming/channels/101/picture --out picture.jpg
  hcnet isapi PUT /ISAPI/PTZCtrl/channels/1/continuous --body ptz.xml
  hcnet isapi GET '/ISAPI/System/deviceInfo?format=json' --isapi --host 192.168.1.64

A ResponseStatus that is not OK is explained like any other error (statusCode, subStatusCode,
what to do). With --isapi the login uses ISAPI and --port is the HTTP port.

Exit codes: 0 the device answered OK; 1 the command failed (SDK, login, file); 2 usage error;
4 the device answered with a ResponseStatus that is not OK.";

const EMULATE_AFTER_HELP: &str = "\
Every device gets its own HTTP (ISAPI) port and RTSP port on 127.0.0.1, ephemeral; the
ports are printed before serving. Users and passwords are the scenario's (built-in:
admin/Admin12345). Each ISAPI request is logged on stderr; one nobody answers as a warning.

Examples:
  hcnet emulate
  hcnet emulate --json --scenario my.toml
  hcnet info --isapi --host 127.0.0.1 --port HTTP_PORT --sdk-dir /path/to/real/sdk

Ctrl-C or SIGTERM stops it (exit 0). Exit codes: 1 the scenario or a port failed; 2 usage error.";
const RECORDINGS_AFTER_HELP: &str = "\
Examples (the mock's NVR at 192.0.2.20 records channels 33 and 34 for the last 7 days):
  hcnet recordings --host 192.0.2.20 --channel 33 --from '2026-12-01 00:00' --to '2026-12-02 00:00'
  hcnet recordings --host 192.0.2.20 --channel 33 --from 2026-12-01 --to 2026-12-02 --type motion --json
  hcnet recordings ... --from 2026-12-01T00:00:00+01:00 --to 2026-12-02T00:00:00+01:00 --device-tz Europe/Berlin

Times are device-local ('2026-12-01 08:00': the device's own clock, never shifted) or RFC 3339
with an offset (an instant: needs --device-tz, the device's zone). The output says which.";

const DOWNLOAD_AFTER_HELP: &str = "\
Examples:
  hcnet download --host 192.0.2.20 --channel 33 --from '2026-12-01 08:00' --to '2026-12-01 08:10' -o clip.ps
  hcnet download ... -o clip.ps --resume      continue the same range after a drop
  hcnet download --host 192.0.2.20 --name ch0033_00000178000000000 -o file.ps

A progress bar is drawn on a terminal; otherwise one plain line per step goes to stderr.
Exit codes: 0 the file is complete; 1 the download failed; 2 usage error; 5 the download
stopped early: the file holds what was saved (run the same command with --resume).";

const EXPLAIN_AFTER_HELP: &str = "\
Examples:
  hcnet explain 7                       code 7 in every system, HCNetSDK first
  hcnet explain 0x99                    0x hex (153, NET_DVR_USER_LOCKED)
  hcnet explain 20013007 -s aliyun_player
                                        hex as the Alibaba player SDK writes it, without 0x (decimal works too)
  hcnet explain net_dvr_user            a name or the start of one, any case
  hcnet explain receive timeout         words from the messages (English or 中文)
  hcnet explain 21999 -s tencent_iot_video
                                        a number in no table: its module (the SDK's code ranges)
  hcnet explain --list -s viewtron --json

--system takes a system id:
  hcnetsdk                              Hikvision HCNetSDK
  playm4                                Hikvision PlayM4 player library
  isapi                                 Hikvision ISAPI ResponseStatus
  viewtron                              Viewtron HTTP API
  tencent_iot_video                     Tencent IoT Video SDK
  tencent_iot_industry                  Tencent IoT Video Industry API
  aliyun_player                         Alibaba ApsaraVideo Player SDK
Exit codes: 0 found; 2 usage error (e.g. an unknown --system); 3 no match.";

const DOCTOR_AFTER_HELP: &str = "\
The password comes from the HCNET_PASSWORD environment variable, or a prompt on a terminal;
hcnet never takes it on the command line. The mock's simulated devices need none.

Examples:
  hcnet doctor                              the mock's healthy default device: every check passes
  hcnet doctor --simulate wrong-password    a simulated broken setup: login fails with 1
  hcnet doctor --host 192.0.2.20 --channel 33
                                            the mock's NVR, its first IP channel (it has no
                                            PTZ: that check is skipped with a note)
  hcnet doctor --sdk-dir /opt/hcnetsdk/lib --host 192.168.1.64 --user admin
                                            a real SDK and device (asks for the password)

A device that answers PTZ with 23 (NET_DVR_NOSUPPORT: an NVR, a fixed camera) has no PTZ: the
PTZ check is skipped and does not fail the run. Any other PTZ failure does.

Exit codes: 0 every check passed (or does not apply, like PTZ on an NVR); 1 a check failed;
2 usage error.";

#[derive(Debug, Parser)]
#[command(
    name = "hcnet",
    version,
    about = "Explain HCNetSDK error codes, doctor an SDK setup and a device, and do the everyday jobs",
    long_about = "Explain HCNetSDK error codes (and those of Hikvision PlayM4 and ISAPI, Viewtron, Tencent IoT Video and Alibaba ApsaraVideo Player), doctor an SDK setup \
                  and a device step by step, and do the everyday jobs.\n\n\
                  Without --sdk-dir (or HCNETSDK_LIB_DIR / HCNETSDK_LIB) hcnet uses the mock SDK that `cargo build` \
                  puts beside it, and the mock's healthy default device (the PTZ dome at 192.0.2.10:8000).\n\n\
                  The device password comes from the HCNET_PASSWORD environment variable, or a prompt on a terminal.",
    after_help = "Exit codes: 0 success; 1 a command or a doctor check failed; 2 usage error; 3 explain found no match; \
                  4 isapi: the device answered a ResponseStatus that is not OK; 5 download: the file is incomplete.\n\
                  Try: hcnet demo | hcnet doctor | hcnet explain 7 | hcnet explain --list --system viewtron"
)]
struct Cli {
    /// Folder holding the SDK's libhcnetsdk.so (a real SDK keeps libHCCore, libhpr,
    /// libcrypto/libssl and HCNetSDKCom/ beside it). Default: HCNETSDK_LIB_DIR or
    /// HCNETSDK_LIB, else the mock SDK beside this executable.
    #[arg(long, global = true, value_name = "DIR", display_order = 900)]
    sdk_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Explain an error code: by number (decimal, 0x hex, bare hex, negative), by name or
    /// name prefix, or by words from the messages.
    #[command(after_help = EXPLAIN_AFTER_HELP)]
    Explain(ExplainArgs),
    /// Check the SDK setup and a device step by step (library, components, init, TCP,
    /// login, device info, preview, PTZ); exit 0 when every check passed or does not apply
    /// (PTZ on a device without PTZ).
    #[command(after_help = DOCTOR_AFTER_HELP)]
    Doctor(DoctorArgs),
    /// Log in and print the device's information and channel map.
    Info(InfoArgs),
    /// Take a JPEG snapshot of a channel.
    Snapshot(SnapshotArgs),
    /// Record live preview of a channel to a file: raw MPEG-PS (.ps), an elementary stream
    /// (.h264, .h265, .aac, .g711a, .g711u) or MP4 (.mp4), by the file's extension.
    Preview(PreviewArgs),
    /// Play a recorded range of a channel back into a file: raw MPEG-PS (.ps), an
    /// elementary stream or MP4 (by the file's extension), at --speed.
    Playback(PlaybackArgs),
    /// Demux a PS file (with or without the IMKH header) into an elementary stream or MP4
    /// (by the output's extension), or describe its streams with --info.
    Demux(DemuxArgs),
    /// Move the PTZ head, or set, clear and go to presets.
    Ptz(PtzArgs),
    /// Send one ISAPI request through the SDK's login (NET_DVR_STDXMLConfig) and print
    /// the answer's body.
    #[command(after_help = ISAPI_AFTER_HELP)]
    Isapi(IsapiArgs),
    /// List a channel's recorded files in a time range (a table, or JSON lines).
    #[command(after_help = RECORDINGS_AFTER_HELP)]
    Recordings(recordings_cmd::RecordingsArgs),
    /// Download a recording to a file, by time range or by file name.
    #[command(after_help = DOWNLOAD_AFTER_HELP)]
    Download(download_cmd::DownloadArgs),
    /// Arm the device and print its alarms as they come (motion, line crossing, video
    /// loss, alarm inputs, ...); disarm on exit or Ctrl-C.
    Alarms(AlarmsArgs),
    /// Read or change the device's configuration: device name/ID, NTP, network, a
    /// channel's compression (through ISAPI on an --isapi login).
    Config(config_cmd::ConfigArgs),
    /// A tour on the mock SDK: log in, device info, PTZ, snapshot, 5 s of preview, and a
    /// doctor summary. Needs no SDK and no camera.
    Demo(DemoArgs),
    /// Serve the devices of a scenario on 127.0.0.1 (ISAPI over HTTP and RTSP, the same
    /// device model as the mock SDK) for the real SDK to log into; print each device's
    /// ports, then run until Ctrl-C.
    #[command(after_help = EMULATE_AFTER_HELP)]
    Emulate(EmulateArgs),
}

/// The explain command's arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code, name, name prefix or words to look up (several words are searched together).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "list",
        allow_negative_numbers = true
    )]
    pub query: Vec<String>,
    /// Only this system (e.g. hcnetsdk, playm4, isapi, viewtron, tencent_iot_video,
    /// tencent_iot_industry, aliyun_player).
    #[arg(long, short = 's', value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// List the catalogues (every system, or the one given with --system).
    #[arg(long, conflicts_with = "query")]
    pub list: bool,
}

/// Which device to talk to. Without --host: the mock's default device (the PTZ dome).
#[derive(Debug, Clone, Args)]
pub struct DeviceArgs {
    /// Device address (IP or name).
    #[arg(long, value_name = "H", global = true)]
    pub host: Option<String>,
    /// Device SDK port (the device's "server port", 8000 by default).
    #[arg(
        long,
        value_name = "P",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_port
    )]
    pub port: Option<u16>,
    /// User name (the password comes from HCNET_PASSWORD or a prompt).
    #[arg(long, value_name = "U", global = true)]
    pub user: Option<String>,
    /// Log in with ISAPI (LoginMode::Isapi): --port is then the device's HTTP port (80 by
    /// default with --host). PTZ and snapshots go through ISAPI by themselves.
    #[arg(long, global = true)]
    pub isapi: bool,
    /// With --isapi: log in over HTTPS (`byHttps = 1`; --port is then the HTTPS port, 443
    /// by default with --host). The real SDK 6.1.9.48 checks no certificate.
    #[arg(long, global = true, requires = "isapi")]
    pub https: bool,
}

/// The doctor's arguments.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Channel to check (default: the device's first channel; an NVR's IP channels
    /// usually start at 33).
    #[arg(long, value_name = "C", allow_negative_numbers = true, value_parser = parse_channel)]
    pub channel: Option<u32>,
    /// How many seconds the preview check waits for bytes (1 or more).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_seconds)]
    pub preview_seconds: u64,
    /// With --isapi: the RTSP port whose authentication the preview check examines
    /// (default: the device's adminAccesses answer, else 554).
    #[arg(long, value_name = "P", value_parser = parse_port)]
    pub rtsp_port: Option<u16>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Run against a simulated setup: a broken one, or the fixed camera without PTZ (mock
    /// scenarios and loopback listeners).
    #[arg(long, value_enum, value_name = "SETUP")]
    pub simulate: Option<simulate::Broken>,
}

/// Arguments shared by the jobs that need a logged-in channel.
#[derive(Debug, Clone, Args)]
pub struct ChannelArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Channel number (default: the device's first channel; an NVR's IP channels usually
    /// start at 33).
    #[arg(long, value_name = "C", global = true, allow_negative_numbers = true, value_parser = parse_channel)]
    pub channel: Option<u32>,
}

/// `hcnet info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `hcnet snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    /// Where to write the JPEG. Its folder must exist.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
}

/// `hcnet alarms`.
#[derive(Debug, Args)]
pub struct AlarmsArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Stop after N seconds (1 or more); without it, run until Ctrl-C.
    #[arg(long, value_name = "N", value_parser = parse_seconds)]
    pub seconds: Option<u64>,
    /// One JSON object per alarm, one per line.
    #[arg(long)]
    pub json: bool,
}

/// `hcnet preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    /// How many seconds to record (1 or more).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_seconds)]
    pub seconds: u64,
    /// Where to write the stream; the extension picks the format: .ps (raw MPEG-PS, playable
    /// with ffplay/VLC), .h264/.264, .h265/.265/.hevc, .mp4 (H.264/H.265 with AAC audio),
    /// .aac, .g711a, .g711u. Its folder must exist. Ctrl-C stops early and still finishes
    /// the file.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Which stream.
    #[arg(long, value_name = "STREAM", default_value_t = StreamType::Main,
          value_parser = library_names(&StreamType::ALL, StreamType::name))]
    pub stream: StreamType,
}

/// `hcnet playback`.
#[derive(Debug, Args)]
pub struct PlaybackArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    /// Start: RFC 3339 with an offset (2026-12-01T08:00:00Z, needs --zone), or the
    /// device's local time (2026-12-01 08:00, or 08:00:00).
    #[arg(long, value_name = "T")]
    pub from: String,
    /// End, as --from.
    #[arg(long, value_name = "T")]
    pub to: String,
    /// The device's time zone (IANA name, UTC, +08:00), so that --from/--to may be
    /// instants. Without it, times are the device's own local time and printed so.
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Where to write; the extension picks the format as for `hcnet preview`: .ps (raw
    /// MPEG-PS), .h264/.264, .h265/.265/.hevc, .mp4, .aac, .g711a, .g711u; `-` writes raw
    /// PS to standard output (paced in real time, for a player: `| ffplay -`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Playback speed: a power of two from 1/16 to 16 (0.25, 0.5, 1, 2, 4, ...).
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub speed: f64,
    /// Pace delivery by the recording's time stamps (the default for `-o -`; files are
    /// written as fast as the device sends).
    #[arg(long)]
    pub real_time: bool,
}

/// `hcnet demux`.
#[derive(Debug, Args)]
pub struct DemuxArgs {
    /// The PS file (as NET_DVR_SaveRealData or `hcnet preview -o x.ps` writes it).
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Where to write; the extension picks the format: .h264/.264, .h265/.265/.hevc (Annex
    /// B video), .mp4 (H.264/H.265 with AAC audio; G.711 audio is left out), .aac (ADTS),
    /// .g711a, .g711u (raw).
    #[arg(
        long,
        short = 'o',
        value_name = "OUTPUT",
        required_unless_present = "info"
    )]
    pub out: Option<PathBuf>,
    /// Print the streams and their frame counts instead.
    #[arg(long, conflicts_with = "out")]
    pub info: bool,
    /// With --info: machine-readable output.
    #[arg(long, requires = "info")]
    pub json: bool,
}

/// `hcnet ptz`.
#[derive(Debug, Args)]
pub struct PtzArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    #[command(subcommand)]
    pub action: PtzAction,
}

/// `hcnet isapi`.
#[derive(Debug, Args)]
pub struct IsapiArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// GET, PUT, POST or DELETE.
    #[arg(value_name = "METHOD", value_parser = ["GET", "PUT", "POST", "DELETE", "get", "put", "post", "delete"])]
    pub method: String,
    /// The ISAPI path, e.g. /ISAPI/System/deviceInfo (add ?format=json for JSON).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// The request body (XML, or JSON with ?format=json), read from FILE ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
    /// Write the answer's body to FILE instead of stdout (e.g. a picture).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What to do with the PTZ head.
#[derive(Debug, Subcommand)]
pub enum PtzAction {
    /// Move for a while, then stop.
    Move {
        /// Direction (up, down, left, right and the diagonals) or lens movement (zoom, focus,
        /// iris).
        #[arg(value_name = "MOVEMENT", value_parser = library_names(&Motion::ALL, Motion::name))]
        movement: Motion,
        /// Speed 1 (slow) to 7 (fast).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=7))]
        speed: u8,
        /// How long to move, in milliseconds.
        #[arg(long, default_value_t = 500)]
        ms: u64,
    },
    /// Store the current position as a preset (1..=255).
    SetPreset {
        /// Preset number, 1..=255.
        #[arg(value_parser = clap::value_parser!(u16).range(1..=255))]
        preset: u16,
    },
    /// Clear a preset.
    ClearPreset {
        /// Preset number, 1..=255.
        #[arg(value_parser = clap::value_parser!(u16).range(1..=255))]
        preset: u16,
    },
    /// Go to a preset (one stored with set-preset; a device answers an unset one with 29).
    Goto {
        /// Preset number, 1..=255.
        #[arg(value_parser = clap::value_parser!(u16).range(1..=255))]
        preset: u16,
    },
    /// Print the absolute position (pan, tilt in degrees; zoom factor).
    Position,
}

/// `hcnet demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder for the snapshot and the recording (default: a new folder under the system's
    /// temp dir).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Seconds of preview to record (1 or more).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_seconds)]
    pub seconds: u64,
}

/// `hcnet emulate`.
#[derive(Debug, Args)]
pub struct EmulateArgs {
    /// Scenario file (the mock's format, mock-sdk/README.md). Default: the built-in
    /// scenario (dome, bullet, nvr, h265).
    #[arg(long, value_name = "FILE", env = "HCNETSDK_MOCK_SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// One JSON object per device per line (label, address, host, http_port, rtsp_port,
    /// model, serial, served), printed before serving.
    #[arg(long)]
    pub json: bool,
}

/// Write to stdout. A closed pipe (the reader, e.g. `head`, has enough) ends the output
/// quietly instead of panicking as `println!` does; the command still finishes and cleans
/// up. Any other write error is reported once on stderr.
pub fn write_stdout(text: &str, newline: bool) {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicBool, Ordering};
    static CLOSED: AtomicBool = AtomicBool::new(false);
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| {
            if newline {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    if let Err(e) = result {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("hcnet: could not write the output: {e}");
        }
    }
}

/// A clap value parser for one of the library's named enums (`Motion`, `StreamType`):
/// its names are the possible values (listed in the help and in the error for a wrong
/// one), and the library's `FromStr` turns the chosen name into the value.
fn library_names<T>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + std::str::FromStr + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.iter().map(|&v| name(v))).try_map(|s| s.parse::<T>())
}

/// `--channel`: a channel number, 1 or more.
fn parse_channel(s: &str) -> Result<u32, String> {
    const HINT: &str = "channels are numbered from 1 (an NVR's IP channels usually from 33); \
                        `hcnet info` lists the device's channels";
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => u32::try_from(n).map_err(|_| format!("{n} is too large: {HINT}")),
        Ok(n) => Err(format!("{n} is not a channel number: {HINT}")),
        Err(_) => Err(format!("{s:?} is not a number: {HINT}")),
    }
}

/// `--seconds`, `--preview-seconds`: a whole number of seconds, 1 or more.
fn parse_seconds(s: &str) -> Result<u64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n.unsigned_abs()),
        Ok(n) => Err(format!(
            "{n} s is too short: give a whole number of seconds, 1 or more (e.g. 5)"
        )),
        Err(_) => Err(format!(
            "{s:?} is not a whole number of seconds: give 1 or more (e.g. 5)"
        )),
    }
}

/// `--port`: 1..=65535.
fn parse_port(s: &str) -> Result<u16, String> {
    const HINT: &str = "give the device's SDK port, 1..=65535 (8000 unless changed on the device; \
                        not the HTTP port 80 or the RTSP port 554)";
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => u16::try_from(n).map_err(|_| HINT.to_string()),
        Ok(n) => Err(format!("{n} is not a TCP port: {HINT}")),
        Err(_) => Err(format!("{s:?} is not a number: {HINT}")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let sdk_dir = cli.sdk_dir;
    match cli.command {
        Command::Explain(a) => explain_cmd::run(&a),
        Command::Doctor(a) => doctor::run(sdk_dir.as_deref(), &a),
        Command::Info(a) => jobs::info(sdk_dir.as_deref(), &a),
        Command::Snapshot(a) => jobs::snapshot(sdk_dir.as_deref(), &a),
        Command::Preview(a) => jobs::preview(sdk_dir.as_deref(), &a),
        Command::Ptz(a) => jobs::ptz(sdk_dir.as_deref(), &a),
        Command::Isapi(a) => isapi_cmd::run(sdk_dir.as_deref(), &a),
        Command::Playback(a) => playback_cmd::run(sdk_dir.as_deref(), &a),
        Command::Alarms(a) => alarms_cmd::run(sdk_dir.as_deref(), &a),
        Command::Config(a) => config_cmd::run(sdk_dir.as_deref(), &a),
        Command::Demux(a) => demux_cmd::run(&a),
        Command::Demo(a) => demo::run(sdk_dir.as_deref(), &a),
        Command::Emulate(a) => emulate_cmd::run(&a),
        Command::Recordings(a) => recordings_cmd::run(sdk_dir.as_deref(), &a),
        Command::Download(a) => download_cmd::run(sdk_dir.as_deref(), &a),
    }
}
