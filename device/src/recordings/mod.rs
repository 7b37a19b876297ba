//! The recording timeline of a simulated device: which files each channel has, from the
//! scenario's `[[device.recording]]` tables, anchored to a clock.
//!
//! * [`Recordings`]: one device's timeline: its time zone (scenario `time_zone`, default
//!   UTC), its [`Clock`] (the wall clock, or pinned by the scenario's `clock` or
//!   [`Recordings::set_clock`]), and per channel a [`spec::Plan`].
//! * [`Recordings::files`] lists the [`Recording`]s of a range; [`Recordings::search`] gives
//!   a [`Search`] that yields the SDK's find statuses ([`FindStatus`]: 1000..=1004).
//! * [`Recordings::download_by_time`] / [`Recordings::download_by_name`] give a
//!   [`MediaStream`]: the camera-shaped PS of [`crate::media::Clip`] time-stamped at the
//!   recording's times, cut at keyframes, its total size known up front, with faults as data.
//! * [`isapi`]: `CMSearchDescription` in, `CMSearchResult` out.
//!
//! All times a device shows are device-local civil times ([`jiff::civil::DateTime`]); the
//! model keeps instants as unix seconds. File names have the real devices' shape,
//! `ch01_` + 17 digits; ours are `00000` + the start's unix seconds (10 digits) + the file
//! type (2 digits), so a name says where its file is ([`Recordings::find_by_name`]).

pub mod isapi;
mod search;
pub mod spec;
mod stream;
mod timeline;

#[cfg(test)]
mod tests;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

pub use search::{FindStatus, LockFilter, Search};
pub use spec::{EventSpec, GapSpec, RecordingSpec, TimeSpec};
pub use stream::{Chunk, Fault, MediaStream, StreamEnd, Transfer};

use crate::media::StreamKind;
use crate::scenario::{DeviceSpec, Kind};
use spec::{Plan, local, local_secs, parse_time_zone};
use timeline::Piece;

/// A file type: the SDK's `dwFileType` / `byFileType` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileType(pub u8);

const TYPE_NAMES: [(u8, &str); 17] = [
    (0xff, "all"),
    (0, "continuous"),
    (1, "motion"),
    (2, "alarm"),
    (3, "alarm_or_motion"),
    (4, "alarm_and_motion"),
    (5, "command"),
    (6, "manual"),
    (7, "smart"),
    (10, "pir"),
    (11, "wireless"),
    (12, "panic"),
    (13, "any_alarm"),
    (14, "traffic"),
    (15, "line_crossing"),
    (16, "intrusion"),
    (17, "audio_exception"),
];

impl FileType {
    /// 0xff: every file (a filter only).
    pub const ALL: FileType = FileType(0xff);
    /// 0: scheduled, continuous recording.
    pub const CONTINUOUS: FileType = FileType(0);
    pub const MOTION: FileType = FileType(1);
    pub const ALARM: FileType = FileType(2);
    /// 3: a filter for motion or alarm files.
    pub const ALARM_OR_MOTION: FileType = FileType(3);
    pub const ALARM_AND_MOTION: FileType = FileType(4);
    pub const COMMAND: FileType = FileType(5);
    pub const MANUAL: FileType = FileType(6);
    /// 7: VCA ("smart") events.
    pub const SMART: FileType = FileType(7);
    /// 13: a filter for every alarm-like event file (not continuous, not manual).
    pub const ANY_ALARM: FileType = FileType(13);

    /// From a scenario name (`motion`, `alarm`, ...) or a number.
    pub fn parse(s: &str) -> Result<FileType, String> {
        if let Some((c, _)) = TYPE_NAMES.iter().find(|(_, n)| n.eq_ignore_ascii_case(s)) {
            return Ok(FileType(*c));
        }
        s.parse::<u8>()
            .map(FileType)
            .map_err(|_| format!("unknown file type {s:?}"))
    }

    /// The scenario name, if it has one.
    pub fn name(self) -> Option<&'static str> {
        TYPE_NAMES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| *n)
    }

    /// Whether a file of type `file` passes this filter.
    pub fn matches(self, file: FileType) -> bool {
        match self {
            FileType::ALL => true,
            FileType::ALARM_OR_MOTION => matches!(file, FileType::MOTION | FileType::ALARM),
            FileType::ANY_ALARM => !matches!(file, FileType::CONTINUOUS | FileType::MANUAL),
            f => f == file,
        }
    }
}

/// What "now" is for a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock: "the last 7 days" move with it.
    #[default]
    Wall,
    /// A fixed instant, so results are deterministic.
    Pinned(Timestamp),
}

impl Clock {
    /// `wall`, or an RFC 3339 instant with its offset (`2026-12-01T12:00:00Z`).
    pub fn parse(s: &str) -> Result<Clock, String> {
        if s.trim().eq_ignore_ascii_case("wall") {
            return Ok(Clock::Wall);
        }
        s.trim()
            .parse::<Timestamp>()
            .map(Clock::Pinned)
            .map_err(|e| format!("clock {s:?}: {e} (use RFC 3339 with an offset, or \"wall\")"))
    }

    pub fn now(self) -> Timestamp {
        match self {
            Clock::Wall => Timestamp::now(),
            Clock::Pinned(t) => t,
        }
    }
}

/// One file of a channel, as a search lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    pub channel: i32,
    /// `sFileName`: `ch01_00000179611200000`.
    pub name: String,
    /// Device-local start and end (`struStartTime`, `struStopTime`).
    pub start: DateTime,
    pub end: DateTime,
    /// The same instants as unix seconds.
    pub start_secs: i64,
    pub end_secs: i64,
    /// `dwFileSize`: exactly the bytes a download by name delivers.
    pub size: u64,
    pub file_type: FileType,
    pub locked: bool,
    /// Listed, but its data is gone: a download gives [`RecError::FileMissing`].
    pub missing: bool,
}

/// Why the timeline refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecError {
    /// Not a channel of the device (the SDK: 4).
    UnknownChannel(i32),
    /// Start not before end, or a time that does not exist (the SDK: 17).
    BadRange,
    /// No file has this name, or no file covers the range.
    NoSuchFile,
    /// The file is listed but its data is gone.
    FileMissing,
}

/// One device's recordings.
#[derive(Debug, Clone)]
pub struct Recordings {
    tz: TimeZone,
    clock: Clock,
    kind: StreamKind,
    nvr: bool,
    start_ip: i32,
    valid: Vec<i32>,
    plans: Vec<(i32, Plan)>,
}

impl Recordings {
    /// The timeline of `spec`'s `[[device.recording]]` tables, on `clock`.
    pub fn new(spec: &DeviceSpec, clock: Clock) -> Result<Recordings, String> {
        let tz = match &spec.time_zone {
            Some(z) => parse_time_zone(z)?,
            None => TimeZone::UTC,
        };
        let valid: Vec<i32> = (1..=512).filter(|c| spec.has_channel(*c)).collect();
        let mut plans: Vec<(i32, Plan)> = Vec::new();
        for r in &spec.recordings {
            let plan = r.plan()?;
            let chans = if r.channels.is_empty() {
                valid.clone()
            } else {
                r.channels.clone()
            };
            for ch in chans {
                if !spec.has_channel(ch) {
                    return Err(format!(
                        "recording: channel {ch} is not a channel of the device"
                    ));
                }
                if plans.iter().any(|(c, _)| *c == ch) {
                    return Err(format!("recording: channel {ch} is described twice"));
                }
                plans.push((ch, plan.clone()));
            }
        }
        Ok(Recordings {
            tz,
            clock,
            kind: spec.stream_kind(false),
            nvr: spec.kind == Kind::Nvr,
            start_ip: i32::from(spec.start_ip()),
            valid,
            plans,
        })
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }
    pub fn clock(&self) -> Clock {
        self.clock
    }
    /// Pin the clock (or set it back to [`Clock::Wall`]).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }
    /// The device's local time now.
    pub fn local_now(&self) -> DateTime {
        self.tz.to_datetime(self.clock.now())
    }
    /// Channels that have recordings.
    pub fn channels(&self) -> impl Iterator<Item = i32> + '_ {
        self.plans.iter().map(|(c, _)| *c)
    }
    /// The media the channels record (the main stream's).
    pub fn stream_kind(&self) -> StreamKind {
        self.kind
    }

    /// The ISAPI track of a channel's main stream: `N01`, N the camera's number (an NVR's
    /// first IP channel is camera 1).
    pub fn track_of(&self, channel: i32) -> u32 {
        let n = if self.nvr && channel >= self.start_ip {
            channel - self.start_ip + 1
        } else {
            channel
        };
        u32::try_from(n).unwrap_or(0) * 100 + 1
    }
    /// The channel of an ISAPI track (main `N01` or sub `N02`).
    pub fn channel_of_track(&self, track: u32) -> Option<i32> {
        let n = i32::try_from(track / 100).ok()?;
        let ch = if self.nvr { n + self.start_ip - 1 } else { n };
        (matches!(track % 100, 1 | 2) && self.valid.contains(&ch)).then_some(ch)
    }

    fn plan(&self, channel: i32) -> Result<Option<&Plan>, RecError> {
        if !self.valid.contains(&channel) {
            return Err(RecError::UnknownChannel(channel));
        }
        Ok(self
            .plans
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, p)| p))
    }

    /// Every file of `channel` overlapping `[from, to)` (device-local), in time order.
    pub fn files(
        &self,
        channel: i32,
        from: DateTime,
        to: DateTime,
    ) -> Result<Vec<Recording>, RecError> {
        let (a, b) = (local_secs(from, &self.tz), local_secs(to, &self.tz));
        if a >= b {
            return Err(RecError::BadRange);
        }
        let Some(plan) = self.plan(channel)? else {
            return Ok(Vec::new());
        };
        let now = self.clock.now().as_second();
        let table = stream::table(self.kind);
        let pieces = timeline::pieces(plan, &self.tz, now, a, b, table.bytes_per_sec());
        Ok(pieces
            .iter()
            .map(|p| self.recording(channel, plan, p))
            .collect())
    }

    fn recording(&self, channel: i32, plan: &Plan, p: &Piece) -> Recording {
        let today = local(self.clock.now().as_second(), &self.tz).date();
        let hit = |v: &[TimeSpec]| {
            v.iter()
                .any(|t| (p.start..p.end).contains(&t.resolve(today, &self.tz)))
        };
        Recording {
            channel,
            name: self.file_name(channel, p.start, p.kind),
            start: local(p.start, &self.tz),
            end: local(p.end, &self.tz),
            start_secs: p.start,
            end_secs: p.end,
            size: stream::table(self.kind).file_size(p.start, p.end),
            file_type: p.kind,
            locked: hit(&plan.locked),
            missing: hit(&plan.missing),
        }
    }

    fn file_name(&self, channel: i32, start: i64, kind: FileType) -> String {
        let ch = if self.nvr {
            format!("{channel:04}")
        } else {
            format!("{channel:02}")
        };
        format!("ch{ch}_00000{start:010}{:02}", kind.0 % 100)
    }

    /// The file called `name`.
    pub fn find_by_name(&self, name: &str) -> Result<Recording, RecError> {
        let rest = name.strip_prefix("ch").ok_or(RecError::NoSuchFile)?;
        let (ch, digits) = rest.split_once('_').ok_or(RecError::NoSuchFile)?;
        if digits.len() != 17 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RecError::NoSuchFile);
        }
        let channel: i32 = ch.parse().map_err(|_| RecError::NoSuchFile)?;
        let start: i64 = digits[5..15].parse().map_err(|_| RecError::NoSuchFile)?;
        let from = local(start, &self.tz);
        let to = local(start + 1, &self.tz);
        let files = self
            .files(channel, from, to)
            .map_err(|_| RecError::NoSuchFile)?;
        files
            .into_iter()
            .find(|r| r.name == name)
            .ok_or(RecError::NoSuchFile)
    }

    /// A search of `channel` over `[from, to)` for files passing `filter` and `locked`,
    /// started at `started` (the "still searching" while runs from it).
    pub fn search(
        &self,
        channel: i32,
        from: DateTime,
        to: DateTime,
        filter: FileType,
        locked: LockFilter,
        started: std::time::Instant,
    ) -> Result<Search, RecError> {
        let files = self.files(channel, from, to)?;
        let (a, b) = (local_secs(from, &self.tz), local_secs(to, &self.tz));
        let wait = match self.plan(channel)? {
            Some(p) if b - a > p.searching_over_secs => {
                std::time::Duration::from_millis(u64::from(p.searching_ms))
            }
            _ => std::time::Duration::ZERO,
        };
        let files = files
            .into_iter()
            .filter(|r| filter.matches(r.file_type) && locked.matches(r.locked))
            .collect();
        Ok(Search::new(files, started + wait))
    }

    /// The stream of `channel` over `[from, to)`: from the keyframe at or before `from`
    /// (or the first file's start) to `to`, across the files in between.
    pub fn download_by_time(
        &self,
        channel: i32,
        from: DateTime,
        to: DateTime,
        transfer: Transfer,
    ) -> Result<MediaStream, RecError> {
        let files = self.files(channel, from, to)?;
        if files.is_empty() {
            return Err(RecError::NoSuchFile);
        }
        if files.iter().any(|r| r.missing) {
            return Err(RecError::FileMissing);
        }
        let (a, b) = (local_secs(from, &self.tz), local_secs(to, &self.tz));
        let spans = files
            .iter()
            .map(|r| (r.start_secs, r.start_secs.max(a), r.end_secs.min(b)))
            .collect();
        Ok(MediaStream::new(
            self.kind,
            spans,
            self.rate(channel, transfer),
        ))
    }

    /// The stream of the file `name`: all of it, [`Recording::size`] bytes.
    pub fn download_by_name(
        &self,
        name: &str,
        transfer: Transfer,
    ) -> Result<MediaStream, RecError> {
        let r = self.find_by_name(name)?;
        if r.missing {
            return Err(RecError::FileMissing);
        }
        let t = self.rate(r.channel, transfer);
        Ok(MediaStream::new(
            self.kind,
            vec![(r.start_secs, r.start_secs, r.end_secs)],
            t,
        ))
    }

    /// `transfer` with the channel's scenario rate when it sets none.
    fn rate(&self, channel: i32, mut transfer: Transfer) -> Transfer {
        if transfer.rate == 0 {
            transfer.rate = match self.plan(channel) {
                Ok(Some(p)) => p.rate,
                _ => spec::DEFAULT_RATE,
            };
        }
        transfer
    }
}
