//! `hcnet download`: a recording to a file, by time range or by the device's file name,
//! with progress (a bar on a terminal, plain lines otherwise) and `--resume` after a drop.
//! The exit code says whether the file is complete: 0 complete, 5 incomplete (what was
//! saved stays; `--resume` continues it), 1 failed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use hcnetsdk::error::ErrorKind;
use hcnetsdk::{Download, Session};

use crate::jobs::{check_out_file, fail, usage};
use crate::progress::{PercentProgress, human_bytes};
use crate::recordings_cmd::{RangeArgs, show, zone_text};
use crate::{ChannelArgs, EXIT_INCOMPLETE, device};

/// `hcnet download`.
#[derive(Debug, Args)]
pub struct DownloadArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Download this file of the device (a NAME from `hcnet recordings`) instead of a range.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["from", "to", "resume"])]
    pub name: Option<String>,
    /// Where to write the recording (MPEG-PS as the device stores it, with the SDK's 40-byte
    /// header; ffprobe/ffplay/VLC read it). Its folder must exist.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Continue a download of the same range that stopped early: FILE is cut back to its
    /// last keyframe and the rest of the range is appended.
    #[arg(long)]
    pub resume: bool,
}

/// `hcnet download`.
pub fn run(sdk_dir: Option<&Path>, args: &DownloadArgs) -> ExitCode {
    if let Err(t) = check_out_file(&args.out, "clip.ps") {
        return fail("download", &t);
    }
    if args.name.is_none() && args.range.from.is_none() && args.range.to.is_none() {
        return usage(
            "download",
            "give a range (--from T --to T) or a file (--name NAME)",
        );
    }
    // Check the times before logging in: a usage error.
    let range = match &args.name {
        Some(_) => None,
        None => match args.range.range() {
            Ok(r) => Some(r),
            Err(t) => return usage("download", &t),
        },
    };
    let (_sdk, session) = match device::connect(sdk_dir, &args.target.device) {
        Ok(x) => x,
        Err(t) => return fail("download", &t),
    };
    let code = match (&args.name, range) {
        (Some(name), _) => {
            let what = format!("file {name}");
            let started = session
                .download_by_name(name.clone())
                .poll_interval(POLL)
                .start(&args.out);
            finish(started, &what, &args.out)
        }
        (None, Some((from, to))) => by_time(&session, args, from, to),
        (None, None) => unreachable!("a range or a name was checked"),
    };
    let _ = session.logout();
    code
}

/// How often the progress is asked for.
const POLL: Duration = Duration::from_millis(100);

fn by_time(
    session: &Session,
    args: &DownloadArgs,
    from: hcnetsdk::DeviceTime,
    to: hcnetsdk::DeviceTime,
) -> ExitCode {
    let channel = match device::pick_channel(session, args.target.channel) {
        Ok(c) => c,
        Err(t) => return fail("download", &t),
    };
    let zone = args.range.zone().ok().flatten();
    let what = format!(
        "channel {channel}, {} .. {} ({})",
        show(&from),
        show(&to),
        zone_text(zone.as_ref())
    );
    let mut builder = match session.download_by_time(channel, from, to) {
        Ok(b) => b.poll_interval(POLL),
        Err(e) => return fail("download", &format!("{e:#}")),
    };
    if let Some(z) = zone {
        builder = builder.device_zone(z);
    }
    let started = if args.resume {
        builder.resume(&args.out)
    } else {
        builder.start(&args.out)
    };
    finish(started, &what, &args.out)
}

/// Follow the download to its end and say how it ended.
fn finish(started: hcnetsdk::Result<Download>, what: &str, out: &Path) -> ExitCode {
    let mut download = match started {
        Ok(d) => d,
        Err(e) => return fail("download", &format!("{e:#}")),
    };
    let mut bar = PercentProgress::new("download");
    let mut result = Ok(0);
    for p in download.progress() {
        match p {
            Ok(p) => {
                bar.update(p.percent, p.bytes_written);
                result = Ok(p.bytes_written);
            }
            Err(e) => result = Err(e),
        }
    }
    bar.finish();
    // Stopping closes the file (and appends a resumed part) before anything is reported.
    let stopped = download.stop();
    match (result, stopped) {
        (Ok(_), Ok(())) => {
            let size = std::fs::metadata(out).map_or(0, |m| m.len());
            outln!(
                "downloaded {what}: {} to {} (complete)",
                human_bytes(size),
                out.display()
            );
            ExitCode::SUCCESS
        }
        (Err(e), _) => match e.kind() {
            ErrorKind::DownloadInterrupted { bytes_saved, .. } => {
                eprintln!("hcnet download: {e:#}");
                eprintln!(
                    "hcnet download: the file is incomplete: {bytes_saved} bytes ({}) of {what} saved in {}; \
                     run the same command with --resume to continue",
                    human_bytes(*bytes_saved),
                    out.display()
                );
                ExitCode::from(EXIT_INCOMPLETE)
            }
            _ => fail("download", &format!("{e:#}")),
        },
        (Ok(_), Err(e)) => fail("download", &format!("{e:#}")),
    }
}
