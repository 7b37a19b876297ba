//! List a channel's recorded files in a time range (device-local times).
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example recordings
//! cargo run --example recordings -- --host 192.0.2.20 --channel 33 --type motion \
//!     --from '2026-12-01 00:00' --to '2026-12-02 00:00'
//! ```
//!
//! Without `--from`/`--to` it lists the last 24 hours as UTC reads them (the mock's devices
//! keep UTC; a real device's clock may not: give the range in its own local time).

mod common;

use std::process::ExitCode;

use hcnetsdk::FileType;
use hcnetsdk::jiff::civil::DateTime;
use hcnetsdk::jiff::{Timestamp, ToSpan, tz::TimeZone};

fn main() -> ExitCode {
    let args = common::parse(
        "recordings",
        &[
            (
                "from",
                "start, device-local '2026-12-01 08:00' (default: 24 h ago, UTC)",
            ),
            ("to", "end, device-local (default: now, UTC)"),
            (
                "type",
                "all, continuous, motion, alarm, manual, smart (default all)",
            ),
        ],
    );
    common::run(|| {
        let now = Timestamp::from_second(Timestamp::now().as_second())?;
        let now = TimeZone::UTC.to_datetime(now);
        let time = |name: &str, default: DateTime| -> Result<DateTime, String> {
            args.extra(name).map_or(Ok(default), |v| {
                v.parse().map_err(|e| format!("--{name} {v}: {e}"))
            })
        };
        let from = time("from", now.checked_sub(1.day()).map_err(|e| e.to_string())?)?;
        let to = time("to", now)?;
        let wanted = args.extra("type").unwrap_or("all");
        let file_type = std::iter::once(FileType::All)
            .chain(FileType::EACH)
            .find(|t| t.name() == wanted)
            .ok_or_else(|| format!("--type {wanted}: not a file type"))?;
        let sdk = common::load_sdk(&args)?;
        let session = common::login(&sdk, &args)?;
        println!(
            "channel {}, {from} .. {to} (device-local, zone unknown), type {file_type}:",
            args.channel
        );
        let mut count = 0;
        // An early `break` here would close the search (NET_DVR_FindClose_V30) on drop.
        for rec in session
            .recordings(args.channel)?
            .range(from, to)
            .file_type(file_type)
            .search()?
        {
            let rec = rec?;
            count += 1;
            println!(
                "{}  {} .. {}  {:>10} bytes  {}{}",
                rec.name,
                rec.start.wall_clock(),
                rec.end.wall_clock(),
                rec.size,
                rec.file_type,
                if rec.locked { "  locked" } else { "" }
            );
        }
        println!("{count} files");
        session.logout()?;
        Ok(())
    })
}
