//! Recorded video on the device: search ([`RecordingSearch`], an iterator of
//! [`Recording`]s) and download to a file ([`Download`]).
//!
//! # Channels
//!
//! Recordings are per channel, numbered as the device numbers them: an NVR's IP channels
//! start at `byStartDChan` (usually 33, not 1) and there are `byIPChanNum + 256 *
//! byHighDChanNum` of them ([`DeviceInfo::ip_channels`]; [`DeviceInfo::ip_channel`] maps
//! the N-th IP channel, "D1" on the NVR's screen, to its number). A channel outside the
//! device's map is an error before any SDK call (the SDK's own answer, 4 or 10 from
//! `GetFileByTime_V40`, says much less).
//!
//! # Times
//!
//! The SDK's times carry no zone; see [`crate::DeviceTime`] and [`crate::TimeBasis`]. A
//! search reads times with the basis it is given ([`RecordingSearch::device_zone`]), by
//! default device-local with the zone unknown, so a [`Recording`]'s times are
//! [`DeviceTime::LocalUnknownZone`] unless the caller said which zone the device is in.
//!
//! # Resuming a download
//!
//! A download that failed with [`ErrorKind::DownloadInterrupted`](crate::error::ErrorKind::DownloadInterrupted)
//! keeps what it saved. [`DownloadBuilder::resume`] continues it: a new download by time
//! that starts where the saved file ends and appends to it.
//!
//! ```no_run
//! # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
//! # let (from, to) = (jiff::civil::date(2026, 12, 1).at(8, 0, 0, 0), jiff::civil::date(2026, 12, 1).at(8, 10, 0, 0));
//! let size = session
//!     .download_by_time(33, from, to)?
//!     .resume("clip.ps")? // cuts the file at its last keyframe, asks from that time
//!     .wait()?;
//! # Ok(()) }
//! ```
//!
//! The time comes from the file (its last keyframe's PTS distance from its first video
//! frame, added to the range's start), not from the percentage, which the SDK reports in
//! whole steps and which does not map to time on a variable bitrate.

mod download;
mod resume;
mod search;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use hcnetsdk_sys as sys;
use jiff::tz::TimeZone;

use crate::error::{Context, Error, Result};
use crate::session::{DeviceInfo, LoginMode, Session};
use crate::time::{DeviceTime, TimeBasis, civil_from_sdk};

pub use download::{Download, DownloadBuilder, DownloadProgress, Progress};
pub use search::Recordings;

/// `NET_DVR_FindNextFile_V40`'s statuses.
pub(crate) mod status {
    /// A file was found (`NET_DVR_FILE_SUCCESS`).
    pub(crate) const FOUND: i32 = 1000;
    /// No file matched (`NET_DVR_FILE_NOFIND`).
    pub(crate) const NONE: i32 = 1001;
    /// Still searching: call again (`NET_DVR_ISFINDING`).
    pub(crate) const SEARCHING: i32 = 1002;
    /// No more files (`NET_DVR_NOMOREFILE`).
    pub(crate) const NO_MORE: i32 = 1003;
    /// The search failed (`NET_DVR_FILE_EXCEPTION`).
    pub(crate) const EXCEPTION: i32 = 1004;
    /// The search timed out (`NET_DVR_FIND_TIMEOUT`).
    pub(crate) const TIMEOUT: i32 = 1005;
}

/// The C name of a find status, for messages.
pub(crate) fn find_status_name(status: i32) -> &'static str {
    match status {
        status::FOUND => "NET_DVR_FILE_SUCCESS",
        status::NONE => "NET_DVR_FILE_NOFIND",
        status::SEARCHING => "NET_DVR_ISFINDING: still searching past the wait bound",
        status::NO_MORE => "NET_DVR_NOMOREFILE",
        status::EXCEPTION => "NET_DVR_FILE_EXCEPTION",
        status::TIMEOUT => "NET_DVR_FIND_TIMEOUT",
        _ => "not a documented find status",
    }
}

/// A recording's file type (`dwFileType` in a search, `byFileType` in its results).
///
/// The values are the SDK's, as its programming manual lists them for
/// `NET_DVR_FILECOND_V40` (the reference header data has no constants for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FileType {
    /// Every type (0xFF). In ISAPI login mode, where the SDK rejects 0xFF (and every
    /// type but 0) with 17, the search asks for type 0, which the SDK sends as a search of
    /// every type.
    #[default]
    All,
    /// Continuous (scheduled) recording (0).
    Continuous,
    /// Motion detection (1).
    Motion,
    /// Alarm input (2).
    Alarm,
    /// Alarm or motion (3).
    AlarmOrMotion,
    /// Alarm and motion (4).
    AlarmAndMotion,
    /// Command-triggered (5).
    Command,
    /// Manual recording (6).
    Manual,
    /// Smart (VCA) events (7).
    Smart,
    /// Another value the device uses (PIR, wireless alarm, ... on some models).
    Other(u8),
}

impl FileType {
    /// The single types a search for [`FileType::All`] asks for in ISAPI login mode.
    pub const EACH: [FileType; 8] = [
        FileType::Continuous,
        FileType::Motion,
        FileType::Alarm,
        FileType::AlarmOrMotion,
        FileType::AlarmAndMotion,
        FileType::Command,
        FileType::Manual,
        FileType::Smart,
    ];

    /// The SDK's value (for use with [`crate::sys`]).
    pub fn raw(self) -> u8 {
        match self {
            FileType::All => 0xFF,
            FileType::Continuous => 0,
            FileType::Motion => 1,
            FileType::Alarm => 2,
            FileType::AlarmOrMotion => 3,
            FileType::AlarmAndMotion => 4,
            FileType::Command => 5,
            FileType::Manual => 6,
            FileType::Smart => 7,
            FileType::Other(v) => v,
        }
    }

    /// The type for an SDK value.
    pub fn from_raw(raw: u8) -> Self {
        match raw {
            0xFF => FileType::All,
            0 => FileType::Continuous,
            1 => FileType::Motion,
            2 => FileType::Alarm,
            3 => FileType::AlarmOrMotion,
            4 => FileType::AlarmAndMotion,
            5 => FileType::Command,
            6 => FileType::Manual,
            7 => FileType::Smart,
            v => FileType::Other(v),
        }
    }

    /// A short English name: `continuous`, `motion`, ...
    pub fn name(self) -> &'static str {
        match self {
            FileType::All => "all",
            FileType::Continuous => "continuous",
            FileType::Motion => "motion",
            FileType::Alarm => "alarm",
            FileType::AlarmOrMotion => "alarm-or-motion",
            FileType::AlarmAndMotion => "alarm-and-motion",
            FileType::Command => "command",
            FileType::Manual => "manual",
            FileType::Smart => "smart",
            FileType::Other(_) => "other",
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileType::Other(v) => write!(f, "other ({v})"),
            t => f.write_str(t.name()),
        }
    }
}

/// One recorded file, as a search found it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Recording {
    /// The device's file name (for [`Session::download_by_name`]).
    pub name: String,
    /// The channel searched.
    pub channel: u32,
    /// When it starts (zone as the search's [`TimeBasis`] knows it).
    pub start: DeviceTime,
    /// When it ends.
    pub end: DeviceTime,
    /// Its size in bytes (`dwFileSize`).
    pub size: u64,
    /// Whether it is locked against overwriting.
    pub locked: bool,
    /// Why it was recorded.
    pub file_type: FileType,
}

impl Recording {
    /// A found file from the SDK's result struct.
    pub(crate) fn from_sdk(
        d: &sys::NET_DVR_FINDDATA_V40,
        channel: u32,
        basis: &TimeBasis,
    ) -> Result<Self> {
        Ok(Self {
            name: crate::text::decode_gbk(sys::text::c_until_nul(&d.sFileName)),
            channel,
            start: basis.from_sdk(&d.struStartTime)?,
            end: basis.from_sdk(&d.struStopTime)?,
            size: u64::from(d.dwFileSize),
            locked: d.byLocked != 0,
            file_type: FileType::from_raw(d.byFileType),
        })
    }
}

impl DeviceInfo {
    /// The SDK channel number of the `n`-th IP channel (1-based, as an NVR's screen shows
    /// "D1", "D2", ...): `byStartDChan + n - 1`, usually 33 for D1. `None` when the
    /// device has fewer IP channels.
    pub fn ip_channel(&self, n: u32) -> Option<u32> {
        let r = &self.ip_channels;
        (n >= 1 && n <= r.count).then(|| r.start + (n - 1))
    }
}

impl Session {
    /// Search `channel`'s recordings: set the range ([`RecordingSearch::range`], required)
    /// and filters, then iterate.
    ///
    /// ```no_run
    /// # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
    /// use jiff::civil::date;
    /// use hcnetsdk::FileType;
    ///
    /// let day = date(2026, 12, 1);
    /// for rec in session
    ///     .recordings(33)?
    ///     .range(day.at(0, 0, 0, 0), day.at(23, 59, 59, 0))
    ///     .file_type(FileType::Motion)
    ///     .search()?
    /// {
    ///     let rec = rec?;
    ///     println!("{} {} .. {} {} bytes", rec.name, rec.start, rec.end, rec.size);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A channel that is not on the device, before any SDK call.
    pub fn recordings(&self, channel: u32) -> Result<RecordingSearch> {
        let channel = self.check_channel(channel)?;
        Ok(RecordingSearch {
            session: self.clone(),
            channel,
            range: None,
            file_type: FileType::All,
            locked_only: false,
            basis: TimeBasis::default(),
            poll_interval: RecordingSearch::DEFAULT_POLL_INTERVAL,
            max_wait: RecordingSearch::DEFAULT_MAX_WAIT,
        })
    }
}

/// A recording search being set up ([`Session::recordings`]); [`search`](Self::search)
/// starts it.
#[derive(Debug, Clone)]
#[must_use]
pub struct RecordingSearch {
    session: Session,
    channel: u32,
    range: Option<(DeviceTime, DeviceTime)>,
    file_type: FileType,
    locked_only: bool,
    basis: TimeBasis,
    poll_interval: Duration,
    max_wait: Duration,
}

impl RecordingSearch {
    /// How long to wait before asking again when the SDK answers "still searching" (1002).
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(50);
    /// How long a search may answer "still searching" in a row before it fails.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(30);

    /// The time range (required). Each end is a [`DeviceTime`] or converts into one: a
    /// [`jiff::civil::DateTime`] is the device's own wall-clock time and goes to the SDK
    /// as it is; a [`jiff::Timestamp`] or [`jiff::Zoned`] is an instant and needs the
    /// device's zone ([`device_zone`](Self::device_zone)).
    pub fn range(mut self, from: impl Into<DeviceTime>, to: impl Into<DeviceTime>) -> Self {
        self.range = Some((from.into(), to.into()));
        self
    }

    /// The file type to look for (default [`FileType::All`]).
    pub fn file_type(mut self, file_type: FileType) -> Self {
        self.file_type = file_type;
        self
    }

    /// Only locked files (default: locked and unlocked).
    pub fn locked_only(mut self, yes: bool) -> Self {
        self.locked_only = yes;
        self
    }

    /// The zone the device's clock is in: results become instants
    /// ([`DeviceTime::Local`]) and the range may be given as instants.
    pub fn device_zone(mut self, zone: TimeZone) -> Self {
        self.basis = self.basis.with_device_zone(zone);
        self
    }

    /// How the SDK's times are read and written (default: device-local, zone unknown).
    pub fn time_basis(mut self, basis: TimeBasis) -> Self {
        self.basis = basis;
        self
    }

    /// How long to wait between polls while the SDK is still searching (default
    /// [`Self::DEFAULT_POLL_INTERVAL`]).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How long "still searching" may last before the search fails with
    /// [`ErrorKind::SearchFailed`](crate::error::ErrorKind::SearchFailed) (default
    /// [`Self::DEFAULT_MAX_WAIT`]).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Start the search. Nothing is asked of the device until the first item is taken.
    ///
    /// # Errors
    /// Before any SDK call: no range, a range that ends before it starts, or times that
    /// cannot be written without a zone nobody stated (see [`TimeBasis::to_sdk`]).
    pub fn search(self) -> Result<Recordings> {
        let cond = self.condition()?;
        let passes = self.passes();
        let ctx = range_context(
            self.session.channel_context(self.channel),
            &cond.struStartTime,
            &cond.struStopTime,
        );
        let calls = search::SdkFind::new(self.session, ctx.clone());
        Ok(Recordings::new(search::Search::new(
            calls,
            search::Plan {
                cond,
                passes,
                channel: self.channel,
                basis: self.basis,
                poll_interval: self.poll_interval,
                max_wait: self.max_wait,
            },
            ctx,
        )))
    }

    /// The file types to search in turn: one. In ISAPI login mode "all" is type 0, which
    /// the real SDK turns into a search of every type (and it refuses every other type
    /// with 17: measured against the emulator, emulator/README.md).
    fn passes(&self) -> Vec<u8> {
        let isapi = self.session.device_info().login_mode == LoginMode::Isapi;
        if isapi && self.file_type == FileType::All {
            vec![FileType::Continuous.raw()]
        } else {
            vec![self.file_type.raw()]
        }
    }

    /// The search condition (the file type is set per pass).
    fn condition(&self) -> Result<sys::NET_DVR_FILECOND_V40> {
        let ctx = || self.session.channel_context(self.channel);
        let (from, to) = self.range.as_ref().ok_or_else(|| {
            Error::invalid_input(
                "range",
                "none",
                "give the time range to search (RecordingSearch::range)",
            )
            .with_context(ctx())
        })?;
        let start = self.basis.to_sdk(from).map_err(|e| e.with_context(ctx()))?;
        let stop = self.basis.to_sdk(to).map_err(|e| e.with_context(ctx()))?;
        check_order(&start, &stop, from, to).map_err(|e| e.with_context(ctx()))?;
        let isapi = self.session.device_info().login_mode == LoginMode::Isapi;
        Ok(sys::NET_DVR_FILECOND_V40 {
            lChannel: crate::ffi::channel_long(self.channel)?,
            dwFileType: u32::from(self.file_type.raw()),
            // In ISAPI mode the SDK was seen to reject 0xFF here (with file type 0xFF) and
            // to send the search with 0; "locked and unlocked" is then 0 (our choice until
            // a device says what an ISAPI search returns for it).
            dwIsLocked: match (self.locked_only, isapi) {
                (true, _) => 1,
                (false, true) => 0,
                (false, false) => 0xFF,
            },
            struStartTime: start,
            struStopTime: stop,
            ..Default::default()
        })
    }
}

/// A range must end after it starts (compared as the SDK will read them).
pub(crate) fn check_order(
    start: &sys::NET_DVR_TIME,
    stop: &sys::NET_DVR_TIME,
    from: &DeviceTime,
    to: &DeviceTime,
) -> Result<()> {
    let key = |t: &sys::NET_DVR_TIME| {
        (
            t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond,
        )
    };
    if key(stop) <= key(start) {
        return Err(Error::invalid_input(
            "range",
            format_args!("{from} .. {to}"),
            "the range must end after it starts",
        ));
    }
    Ok(())
}

/// `ctx` with the range as the SDK is given it (the times were written from civil times,
/// so they read back).
pub(crate) fn range_context(
    ctx: Context,
    start: &sys::NET_DVR_TIME,
    stop: &sys::NET_DVR_TIME,
) -> Context {
    match (civil_from_sdk(start), civil_from_sdk(stop)) {
        (Ok(a), Ok(b)) => ctx.with_time_range(a, b),
        _ => ctx,
    }
}

/// The context of a call on a search or download handle.
pub(crate) fn handle_context(ctx: &Context, handle: i32) -> Context {
    ctx.clone().with_handle(handle)
}
