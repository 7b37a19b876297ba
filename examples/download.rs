//! Download a recording to a file, by time range (device-local times) or by file name,
//! printing the progress; `--resume` continues a download of the same range that stopped.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example download
//! cargo run --example download -- --host 192.0.2.20 --channel 33 \
//!     --from '2026-12-01 08:00' --to '2026-12-01 08:10' --out clip.ps
//! cargo run --example download -- --name ch01_00000178000000000 --out file.ps
//! ```
//!
//! Without `--from`/`--to`/`--name` it downloads one minute from 08:00 yesterday (UTC, as
//! the mock's devices keep it).

mod common;

use std::process::ExitCode;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::jiff::civil::DateTime;
use hcnetsdk::jiff::{Timestamp, ToSpan, tz::TimeZone};

fn main() -> ExitCode {
    let args = common::parse(
        "download",
        &[
            (
                "from",
                "start, device-local '2026-12-01 08:00' (default 08:00 yesterday)",
            ),
            ("to", "end, device-local (default one minute after --from)"),
            ("name", "a file name from a search, instead of a range"),
            ("out", "output file (default download.ps)"),
            ("resume", "yes: continue the file after a drop"),
        ],
    );
    common::run(|| {
        let out = args.extra("out").unwrap_or("download.ps").to_owned();
        let sdk = common::load_sdk(&args)?;
        let session = common::login(&sdk, &args)?;
        let mut download = match args.extra("name") {
            Some(name) => session.download_by_name(name).start(&out)?,
            None => {
                let yesterday = TimeZone::UTC
                    .to_datetime(Timestamp::now())
                    .date()
                    .yesterday()?;
                let parse = |v: &str| v.parse::<DateTime>().map_err(|e| format!("{v}: {e}"));
                let from = match args.extra("from") {
                    Some(v) => parse(v)?,
                    None => yesterday.at(8, 0, 0, 0),
                };
                let to = match args.extra("to") {
                    Some(v) => parse(v)?,
                    None => from.checked_add(1.minute())?,
                };
                println!(
                    "channel {}, {from} .. {to} (device-local) to {out}",
                    args.channel
                );
                let builder = session.download_by_time(args.channel, from, to)?;
                if args.extra("resume") == Some("yes") {
                    builder.resume(&out)?
                } else {
                    builder.start(&out)?
                }
            }
        };
        let mut last = None;
        for p in download.progress() {
            match p {
                Ok(p) if last != Some(p.percent) => {
                    println!("{:>3}%  {} bytes", p.percent, p.bytes_written);
                    last = Some(p.percent);
                }
                Ok(_) => {}
                Err(e) => {
                    if let ErrorKind::DownloadInterrupted { bytes_saved, .. } = e.kind() {
                        eprintln!(
                            "stopped early: {bytes_saved} bytes saved in {out}; rerun with --resume yes"
                        );
                    }
                    download.stop()?;
                    return Err(e.into());
                }
            }
        }
        download.stop()?;
        println!("complete: {out}");
        session.logout()?;
        Ok(())
    })
}
