//! The scenario's `[[device.recording]]` tables, and their checked form ([`Plan`]).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

use super::FileType;

/// One `[[device.recording]]` table: what a set of channels has recorded. Times are
/// device-local; see `mock-sdk/README.md` ("Recordings") for every field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingSpec {
    /// Channels this table describes; empty: every channel of the device.
    #[serde(default)]
    pub channels: Vec<i32>,
    /// Recording began at local midnight this many days before the clock's date.
    #[serde(default = "d_days")]
    pub days: u32,
    /// Continuous (scheduled) recording between the events; false: events only.
    #[serde(default = "d_true")]
    pub continuous: bool,
    /// Continuous files are cut every this many minutes from local midnight.
    #[serde(default = "d_file_minutes")]
    pub file_minutes: u32,
    /// Continuous files are also cut when they reach this size (MiB).
    #[serde(default)]
    pub max_file_mib: Option<u32>,
    /// A motion event every this many minutes of each local day.
    #[serde(default)]
    pub motion_every_minutes: Option<u32>,
    /// Minutes after local midnight of the first periodic motion event.
    #[serde(default)]
    pub motion_offset_minutes: u32,
    /// Length of an event file (periodic motion and events without `seconds`).
    #[serde(default = "d_event_seconds")]
    pub event_seconds: u32,
    /// Events at given times.
    #[serde(default, rename = "event")]
    pub events: Vec<EventSpec>,
    /// Ranges with no recording (the disk was full).
    #[serde(default, rename = "gap")]
    pub gaps: Vec<GapSpec>,
    /// The files covering these instants are locked.
    #[serde(default)]
    pub locked: Vec<String>,
    /// The files covering these instants are listed but their data is gone.
    #[serde(default)]
    pub missing: Vec<String>,
    /// A search whose range is longer than `searching_over_hours` answers "still
    /// searching" (1002) for this many milliseconds first.
    #[serde(default = "d_searching_ms")]
    pub searching_ms: u32,
    #[serde(default = "d_searching_over_hours")]
    pub searching_over_hours: u32,
    /// Download rate in bytes per second.
    #[serde(default = "d_rate")]
    pub download_rate: u64,
}

/// One `[[device.recording.event]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// When it starts: a [`TimeSpec`].
    pub at: String,
    /// `motion` (default), `alarm`, `manual`, `command`, `smart`, ... ([`FileType::parse`]).
    #[serde(default = "d_motion", rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub seconds: Option<u32>,
}

/// One `[[device.recording.gap]]`: `[from, to)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapSpec {
    pub from: String,
    pub to: String,
}

fn d_days() -> u32 {
    7
}
fn d_true() -> bool {
    true
}
fn d_file_minutes() -> u32 {
    60
}
fn d_event_seconds() -> u32 {
    30
}
fn d_motion() -> String {
    "motion".into()
}
fn d_searching_ms() -> u32 {
    200
}
fn d_searching_over_hours() -> u32 {
    24
}
/// 64 MiB/s: a 10-minute range of the main clip downloads in well under a second.
pub const DEFAULT_RATE: u64 = 64 << 20;
fn d_rate() -> u64 {
    DEFAULT_RATE
}

/// A device-local instant in a scenario: absolute (`2026-12-01T08:15:00`) or relative to
/// the clock's local date (`-1d 08:15`, `0d 23:59:30`: that many days before today).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    Absolute(DateTime),
    Relative { days_ago: u32, time: Time },
}

impl TimeSpec {
    pub fn parse(s: &str) -> Result<TimeSpec, String> {
        let s = s.trim();
        if let Some((d, t)) = s.split_once(' ')
            && let Some(d) = d.strip_suffix('d')
        {
            let days: i64 = d.parse().map_err(|_| format!("bad day offset in {s:?}"))?;
            let time: Time = t.trim().parse().map_err(|e| format!("{s:?}: {e}"))?;
            let days_ago = u32::try_from(-days).map_err(|_| format!("{s:?}: days must be <= 0"))?;
            return Ok(TimeSpec::Relative { days_ago, time });
        }
        s.parse::<DateTime>()
            .map(TimeSpec::Absolute)
            .map_err(|e| format!("{s:?} is neither `-Nd HH:MM[:SS]` nor a local date-time: {e}"))
    }

    /// The instant, for a clock whose local date is `today`.
    pub fn resolve(self, today: Date, tz: &TimeZone) -> i64 {
        let dt = match self {
            TimeSpec::Absolute(dt) => dt,
            TimeSpec::Relative { days_ago, time } => {
                let day = today
                    .checked_sub(i64::from(days_ago).days())
                    .unwrap_or(today);
                day.to_datetime(time)
            }
        };
        local_secs(dt, tz)
    }
}

/// Unix seconds of a device-local date-time (the earlier instant when a DST change
/// repeats it, the later when it skips it).
pub fn local_secs(dt: DateTime, tz: &TimeZone) -> i64 {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .map(Timestamp::as_second)
        .unwrap_or(0)
}

/// The device-local date-time of unix seconds.
pub fn local(secs: i64, tz: &TimeZone) -> DateTime {
    let ts = Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(ts)
}

/// A device's `time_zone`: an IANA name, `UTC`, or a fixed offset (`+08:00`, `-0530`).
pub fn parse_time_zone(s: &str) -> Result<TimeZone, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Ok(TimeZone::UTC);
    }
    if let Some(sign) = s.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
        let (h, m) = match digits.len() {
            2 => (&digits[..2], "0"),
            4 => (&digits[..2], &digits[2..]),
            _ => return Err(format!("time zone {s:?}: use +HH:MM")),
        };
        let (h, m): (i32, i32) = match (h.parse(), m.parse()) {
            (Ok(h), Ok(m)) if h <= 25 && m < 60 => (h, m),
            _ => return Err(format!("time zone {s:?}: use +HH:MM")),
        };
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        let off = Offset::from_seconds(secs).map_err(|e| e.to_string())?;
        return Ok(TimeZone::fixed(off));
    }
    TimeZone::get(s).map_err(|e| format!("time zone {s:?}: {e}"))
}

/// A [`RecordingSpec`], checked, for one channel.
#[derive(Debug, Clone)]
pub struct Plan {
    pub days: u32,
    pub continuous: bool,
    pub file_secs: i64,
    pub max_file_bytes: Option<u64>,
    pub motion_every_secs: Option<i64>,
    pub motion_offset_secs: i64,
    pub event_secs: i64,
    /// (start, type, seconds)
    pub events: Vec<(TimeSpec, FileType, i64)>,
    pub gaps: Vec<(TimeSpec, TimeSpec)>,
    pub locked: Vec<TimeSpec>,
    pub missing: Vec<TimeSpec>,
    pub searching_ms: u32,
    pub searching_over_secs: i64,
    pub rate: u64,
}

/// Longest event file: an event's file is never cut, and the timeline looks one day
/// around a range for files that began before it.
const MAX_EVENT_SECS: u32 = 3600;

impl RecordingSpec {
    /// Check the values.
    pub fn plan(&self) -> Result<Plan, String> {
        if self.file_minutes == 0 || self.file_minutes > 24 * 60 {
            return Err("recording: file_minutes must be 1..=1440".into());
        }
        if self.event_seconds == 0 || self.event_seconds > MAX_EVENT_SECS {
            return Err(format!(
                "recording: event_seconds must be 1..={MAX_EVENT_SECS}"
            ));
        }
        if self.motion_every_minutes == Some(0) || self.motion_offset_minutes >= 24 * 60 {
            return Err(
                "recording: motion_every_minutes must be > 0, motion_offset_minutes < 1440".into(),
            );
        }
        if self.download_rate == 0 || self.max_file_mib == Some(0) {
            return Err("recording: download_rate and max_file_mib must be > 0".into());
        }
        let mut events = Vec::new();
        for e in &self.events {
            let secs = e.seconds.unwrap_or(self.event_seconds);
            if secs == 0 || secs > MAX_EVENT_SECS {
                return Err(format!(
                    "recording event {:?}: seconds must be 1..={MAX_EVENT_SECS}",
                    e.at
                ));
            }
            let kind = FileType::parse(&e.kind)?;
            if kind == FileType::CONTINUOUS || kind == FileType::ALL {
                return Err(format!(
                    "recording event {:?}: type must be an event type",
                    e.at
                ));
            }
            events.push((TimeSpec::parse(&e.at)?, kind, i64::from(secs)));
        }
        let gaps = self
            .gaps
            .iter()
            .map(|g| Ok((TimeSpec::parse(&g.from)?, TimeSpec::parse(&g.to)?)))
            .collect::<Result<Vec<_>, String>>()?;
        let specs = |v: &[String]| {
            v.iter()
                .map(|s| TimeSpec::parse(s))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Plan {
            days: self.days,
            continuous: self.continuous,
            file_secs: i64::from(self.file_minutes) * 60,
            max_file_bytes: self.max_file_mib.map(|m| u64::from(m) << 20),
            motion_every_secs: self.motion_every_minutes.map(|m| i64::from(m) * 60),
            motion_offset_secs: i64::from(self.motion_offset_minutes) * 60,
            event_secs: i64::from(self.event_seconds),
            events,
            gaps,
            locked: specs(&self.locked)?,
            missing: specs(&self.missing)?,
            searching_ms: self.searching_ms,
            searching_over_secs: i64::from(self.searching_over_hours) * 3600,
            rate: self.download_rate,
        })
    }
}
