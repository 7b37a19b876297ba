//! `hcnet recordings`: a channel's recorded files in a time range, as a table or JSON
//! lines; and the time arguments it shares with `hcnet download`.
//!
//! Times: device-local `2026-12-01 08:00` (what the device's clock showed; never shifted),
//! or RFC 3339 with an offset (`2026-12-01T07:00:00Z`), an instant, which needs the
//! device's zone (`--device-tz`). The output states which zone its times are in.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use hcnetsdk::jiff::Timestamp;
use hcnetsdk::jiff::civil::DateTime;
use hcnetsdk::jiff::tz::{Offset, TimeZone};
use hcnetsdk::{DeviceTime, FileType, Recording};
use serde_json::json;

use crate::jobs::{fail, usage};
use crate::progress::human_bytes;
use crate::{ChannelArgs, device};

/// The time range and zone arguments of `recordings` and `download`.
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// Start: device-local `2026-12-01 08:00` (or `2026-12-01`), or RFC 3339 with an
    /// offset (an instant: needs --device-tz).
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// End (exclusive), in the same forms as --from.
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
    /// The device's time zone (IANA name such as Europe/Berlin, UTC, or +08:00): RFC 3339
    /// times are converted into it, and the output's times carry it. Without it, times are
    /// the device's own clock readings, zone unknown.
    #[arg(long, value_name = "ZONE")]
    pub device_tz: Option<String>,
}

impl RangeArgs {
    /// The device's zone, if given.
    pub fn zone(&self) -> Result<Option<TimeZone>, String> {
        self.device_tz
            .as_deref()
            .map(|z| parse_zone("--device-tz", z))
            .transpose()
    }

    /// `--from` and `--to` (both required here).
    pub fn range(&self) -> Result<(DeviceTime, DeviceTime), String> {
        let zone = self.zone()?;
        let (Some(from), Some(to)) = (&self.from, &self.to) else {
            return Err("give the range with --from T --to T (e.g. --from '2026-12-01 08:00' --to '2026-12-01 08:10')".into());
        };
        Ok((
            parse_time(from, zone.as_ref())?,
            parse_time(to, zone.as_ref())?,
        ))
    }
}

/// A time zone option (`flag`: `--device-tz`, `--zone`): an IANA name, `UTC`, or a fixed
/// offset (`+08:00`, `-05`).
pub fn parse_zone(flag: &str, s: &str) -> Result<TimeZone, String> {
    let s = s.trim();
    if let Ok(z) = TimeZone::get(s) {
        return Ok(z);
    }
    fixed_offset(s).map(TimeZone::fixed).ok_or_else(|| {
        format!(
            "{flag} {s:?}: not a time zone (use an IANA name such as Europe/Berlin, UTC, \
             or an offset such as +08:00)"
        )
    })
}

/// `+08:00`, `-0530`, `+8`.
fn fixed_offset(s: &str) -> Option<Offset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = if digits.len() <= 2 {
        (digits.parse::<i32>().ok()?, 0)
    } else {
        let (h, m) = digits.split_at(digits.len() - 2);
        (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
    };
    if h > 25 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// A time argument: device-local civil, or an RFC 3339 instant (which needs the zone).
pub fn parse_time(s: &str, zone: Option<&TimeZone>) -> Result<DeviceTime, String> {
    let t = s.trim();
    // An offset makes it an instant (a civil parse would silently drop the offset).
    if let Ok(ts) = t.parse::<Timestamp>() {
        return match zone {
            Some(z) => Ok(DeviceTime::from(ts.to_zoned(z.clone()))),
            None => Err(format!(
                "{t:?} is an instant (RFC 3339 with an offset), and the device's time zone is \
                 not known: add --device-tz ZONE, or give the device-local time as '2026-12-01 08:00'"
            )),
        };
    }
    let civil = t.parse::<DateTime>().map_err(|_| {
        format!(
            "{t:?} is not a time: give the device-local time as '2026-12-01 08:00', or RFC 3339 \
             such as 2026-12-01T08:00:00+01:00"
        )
    })?;
    match zone {
        Some(z) => civil
            .to_zoned(z.clone())
            .map(DeviceTime::from)
            .map_err(|e| format!("{t:?} in {}: {e}", zone_name(z))),
        None => Ok(DeviceTime::from(civil)),
    }
}

fn zone_name(z: &TimeZone) -> String {
    z.iana_name()
        .map_or_else(|| format!("{:?}", z), str::to_string)
}

/// How the output's times are to be read, for people.
pub fn zone_text(zone: Option<&TimeZone>) -> String {
    match zone {
        Some(z) => match z.iana_name() {
            Some(n) => format!("device-local time, zone {n}"),
            None => format!(
                "device-local time, UTC offset {}",
                z.to_offset(Timestamp::now())
            ),
        },
        None => "device-local time, zone unknown".into(),
    }
}

/// A time as the output shows it: `2026-12-01 08:00:00`, with its offset when known.
pub fn show(t: &DeviceTime) -> String {
    match t {
        DeviceTime::Local(z) => z.strftime("%Y-%m-%d %H:%M:%S%:z").to_string(),
        other => other.wall_clock().strftime("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// `--type`: a file type by name (`all`, `continuous`, `motion`, ...) or number.
pub fn parse_file_type(s: &str) -> Result<FileType, String> {
    let s = s.trim();
    let all = std::iter::once(FileType::All).chain(FileType::EACH);
    if let Some(t) = all.clone().find(|t| t.name().eq_ignore_ascii_case(s)) {
        return Ok(t);
    }
    if let Ok(n) = s.parse::<u8>() {
        return Ok(FileType::from_raw(n));
    }
    let names: Vec<&str> = all.map(FileType::name).collect();
    Err(format!(
        "{s:?} is not a file type: use one of {}, or a number",
        names.join(", ")
    ))
}

/// `hcnet recordings`.
#[derive(Debug, Args)]
pub struct RecordingsArgs {
    #[command(flatten)]
    pub target: ChannelArgs,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Only files of this type: all, continuous, motion, alarm, alarm-or-motion,
    /// alarm-and-motion, command, manual, smart, or the SDK's number.
    #[arg(long = "type", value_name = "TYPE", default_value = "all", value_parser = parse_file_type)]
    pub file_type: FileType,
    /// One JSON object per file (JSON lines).
    #[arg(long)]
    pub json: bool,
}

/// `hcnet recordings`.
pub fn run(sdk_dir: Option<&Path>, args: &RecordingsArgs) -> ExitCode {
    let (zone, (from, to)) = match args.range.zone().and_then(|z| Ok((z, args.range.range()?))) {
        Ok(x) => x,
        Err(t) => return usage("recordings", &t),
    };
    let (_sdk, session) = match device::connect(sdk_dir, &args.target.device) {
        Ok(x) => x,
        Err(t) => return fail("recordings", &t),
    };
    let channel = match device::pick_channel(&session, args.target.channel) {
        Ok(c) => c,
        Err(t) => return fail("recordings", &t),
    };
    let mut search = match session.recordings(channel) {
        Ok(s) => s.range(from.clone(), to.clone()).file_type(args.file_type),
        Err(e) => return fail("recordings", &format!("{e:#}")),
    };
    if let Some(z) = &zone {
        search = search.device_zone(z.clone());
    }
    let results = match search.search() {
        Ok(r) => r,
        Err(e) => return fail("recordings", &format!("{e:#}")),
    };
    if !args.json {
        outln!(
            "Recordings of channel {channel} on {}, {} .. {} ({}), type {}:",
            session.endpoint(),
            show(&from),
            show(&to),
            zone_text(zone.as_ref()),
            args.file_type
        );
        outln!(
            "{:<26} {:<25} {:<25} {:>10} {:<16} LOCKED",
            "NAME",
            "START",
            "END",
            "SIZE",
            "TYPE"
        );
    }
    let (mut count, mut bytes) = (0u64, 0u64);
    for r in results {
        let r = match r {
            Ok(r) => r,
            Err(e) => return fail("recordings", &format!("{e:#}")),
        };
        count += 1;
        bytes += r.size;
        print_one(&r, zone.as_ref(), args.json);
    }
    if !args.json {
        outln!("{count} files, {}", human_bytes(bytes));
    }
    let _ = session.logout();
    ExitCode::SUCCESS
}

fn print_one(r: &Recording, zone: Option<&TimeZone>, json: bool) {
    if json {
        let v = json!({
            "name": r.name,
            "channel": r.channel,
            "start": show(&r.start),
            "end": show(&r.end),
            "times": "device-local",
            "zone": zone.map(zone_name),
            "size": r.size,
            "type": r.file_type.name(),
            "type_code": r.file_type.raw(),
            "locked": r.locked,
        });
        outln!("{v}");
    } else {
        outln!(
            "{:<26} {:<25} {:<25} {:>10} {:<16} {}",
            r.name,
            show(&r.start),
            show(&r.end),
            human_bytes(r.size),
            r.file_type.to_string(),
            if r.locked { "yes" } else { "no" }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_device_local_or_instants_with_a_zone() {
        let t = parse_time("2026-12-01 08:00", None).unwrap();
        assert!(t.is_zone_unknown());
        assert_eq!(show(&t), "2026-12-01 08:00:00");
        assert!(
            parse_time("2026-12-01T07:00:00Z", None)
                .unwrap_err()
                .contains("--device-tz")
        );
        let z = parse_zone("--device-tz", "+01:00").unwrap();
        let t = parse_time("2026-12-01T07:00:00Z", Some(&z)).unwrap();
        assert_eq!(show(&t), "2026-12-01 08:00:00+01:00");
        assert!(parse_time("yesterday", None).is_err());
        assert!(
            parse_time("2026-12-01T08:00:00+01:00", None).is_err(),
            "never drops an offset"
        );
        assert!(parse_zone("--device-tz", "Mars/Olympus").is_err());
        assert_eq!(parse_file_type("motion").unwrap(), FileType::Motion);
        assert!(parse_file_type("nope").is_err());
    }
}
