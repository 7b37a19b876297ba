//! Times as the SDK gives and takes them ([`DeviceTime`], [`TimeBasis`]), and never a
//! silent shift between zones.
//!
//! # The problem
//!
//! `NET_DVR_TIME` (year, month, day, hour, minute, second) carries no zone. What it means
//! depends on how the session logged in (`byUseUTCTime`, see [`SdkTimeMode`]) and, in the
//! default mode, on the device's own clock zone, which the SDK does not report with the
//! time. A wrapper that reads it as UTC, or as the host's zone, shifts every recording by
//! the difference: the "recording times are off by the time zone" reports.
//!
//! So a time from the device is one of three things here ([`DeviceTime`]):
//! * [`DeviceTime::Utc`]: an instant; the SDK converted (`byUseUTCTime` 1);
//! * [`DeviceTime::Local`]: the device's wall-clock time in a zone that is known (stated by
//!   the caller, or read from the device's time configuration), hence an instant too;
//! * [`DeviceTime::LocalUnknownZone`]: the device's wall-clock time, zone unknown. It is not
//!   an instant: [`DeviceTime::timestamp`] is `None` for it, and only
//!   [`DeviceTime::assume_zone`], an explicit act, turns it into one.
//!
//! Going the other way ([`TimeBasis::to_sdk`]), an instant is turned into the device's wall
//! clock only when the device's zone is known; otherwise the call fails before the SDK is
//! called, asking for a device-local time or the zone. A device-local time the caller
//! gives (a [`jiff::civil::DateTime`]) goes to the SDK as it is.
//!
//! # `byUseUTCTime`
//!
//! `NET_DVR_USER_LOGIN_INFO.byUseUTCTime` (offset 285) chooses what the SDK's interface
//! times mean for that login: 0 (the default) no conversion, every time is the device's
//! wall clock; 1 every time in and out is UTC, and the SDK converts to and from the
//! device's zone; 2 every time is the client host's local time, and the SDK converts
//! between the host's zone and the device's. (This is how the vendor header's comment and
//! public wrappers describe it; which calls honour it depends on the SDK version and the
//! device, which must report its zone, so it is for a device measurement to confirm.)
//! This crate logs in with 0, so a [`Session`](crate::Session) reads times as
//! [`SdkTimeMode::DeviceLocal`].
//!
//! # Why `jiff`
//!
//! [`jiff`] is the datetime crate used for these types. Against the alternatives:
//! * **Zone database.** jiff reads the system's IANA database (`/usr/share/zoneinfo`) and
//!   bundles one where the platform has none (Windows), so a device zone such as
//!   `Europe/Berlin` is a real zone with its DST rules. `chrono` needs the separate
//!   `chrono-tz` crate, whose database is compiled in and ages with the binary; `time` has
//!   fixed offsets only.
//! * **DST-correct arithmetic.** A jiff [`Zoned`] adds "one day" as a calendar day across a
//!   DST change and makes the gap and fold of a DST change explicit (disambiguation),
//!   which is exactly where a recorder's local timestamps are tricky. `chrono`'s
//!   `DateTime<Tz>` adds absolute durations, and picking a time in a gap or fold is left
//!   to each caller.
//! * **Formats.** RFC 3339 and RFC 9557 (`2026-12-01T08:00:00+01:00[Europe/Berlin]`) in
//!   and out, so a printed time says its zone.
//! * **Maintained.** jiff is actively developed (its author wrote `regex` and `ripgrep`),
//!   documents its design against both crates, and has no `unsafe` local-offset lookup
//!   (the `localtime_r` soundness problem both older crates had to work around).

use std::fmt;

use hcnetsdk_sys as sys;
use jiff::civil::DateTime;
use jiff::tz::{Disambiguation, TimeZone};
use jiff::{Timestamp, Zoned};

use crate::error::{Error, Result};

/// What the SDK's interface times mean for a login (`byUseUTCTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SdkTimeMode {
    /// 0, the default: no conversion; times are the device's wall clock.
    #[default]
    DeviceLocal,
    /// 1: times in and out are UTC; the SDK converts to and from the device's zone.
    Utc,
    /// 2: times in and out are the client host's local time; the SDK converts.
    HostLocal,
}

impl SdkTimeMode {
    /// The SDK's `byUseUTCTime` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u8 {
        match self {
            SdkTimeMode::DeviceLocal => 0,
            SdkTimeMode::Utc => 1,
            SdkTimeMode::HostLocal => 2,
        }
    }
}

/// A time the SDK gave or takes, with what is known about its zone.
///
/// Build one from a [`Timestamp`] (UTC), a [`Zoned`] (a known zone) or a
/// [`jiff::civil::DateTime`] (device-local wall-clock time, zone unknown) with `From`.
///
/// ```
/// use hcnetsdk::DeviceTime;
/// use jiff::civil::date;
///
/// let t = DeviceTime::from(date(2026, 12, 1).at(8, 0, 0, 0));
/// assert_eq!(t.timestamp(), None); // not an instant until the zone is stated
/// assert_eq!(t.to_string(), "2026-12-01T08:00:00 (device-local, zone unknown)");
/// let z = t.assume_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(1)))?;
/// assert_eq!(z.timestamp().unwrap().to_string(), "2026-12-01T07:00:00Z");
/// # Ok::<(), hcnetsdk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviceTime {
    /// An instant in UTC.
    Utc(Timestamp),
    /// The device's wall-clock time in a known zone (an instant).
    Local(Zoned),
    /// The device's wall-clock time whose zone is unknown: not an instant, never shifted.
    LocalUnknownZone(DateTime),
}

impl DeviceTime {
    /// The instant, when it is one (`None` for [`DeviceTime::LocalUnknownZone`]).
    pub fn timestamp(&self) -> Option<Timestamp> {
        match self {
            DeviceTime::Utc(t) => Some(*t),
            DeviceTime::Local(z) => Some(z.timestamp()),
            DeviceTime::LocalUnknownZone(_) => None,
        }
    }

    /// The wall-clock reading: UTC's for [`DeviceTime::Utc`], the device's otherwise.
    pub fn wall_clock(&self) -> DateTime {
        match self {
            DeviceTime::Utc(t) => TimeZone::UTC.to_datetime(*t),
            DeviceTime::Local(z) => z.datetime(),
            DeviceTime::LocalUnknownZone(d) => *d,
        }
    }

    /// Whether the zone is unknown (see [`DeviceTime::assume_zone`]).
    pub fn is_zone_unknown(&self) -> bool {
        matches!(self, DeviceTime::LocalUnknownZone(_))
    }

    /// State the device's zone for a time whose zone is unknown; a time that already is
    /// an instant is returned unchanged. In a DST fold (the repeated hour) the earlier
    /// instant is taken and in a gap the later, as devices do not mark either.
    ///
    /// # Errors
    /// An invalid-input error when the result is outside the representable range.
    pub fn assume_zone(self, zone: TimeZone) -> Result<DeviceTime> {
        match self {
            DeviceTime::LocalUnknownZone(d) => Ok(DeviceTime::Local(civil_in(d, zone)?)),
            known => Ok(known),
        }
    }
}

impl From<Timestamp> for DeviceTime {
    fn from(t: Timestamp) -> Self {
        DeviceTime::Utc(t)
    }
}

impl From<Zoned> for DeviceTime {
    fn from(z: Zoned) -> Self {
        DeviceTime::Local(z)
    }
}

impl From<DateTime> for DeviceTime {
    fn from(d: DateTime) -> Self {
        DeviceTime::LocalUnknownZone(d)
    }
}

impl fmt::Display for DeviceTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceTime::Utc(t) => write!(f, "{t}"),
            DeviceTime::Local(z) => write!(f, "{z}"),
            DeviceTime::LocalUnknownZone(d) => write!(f, "{d} (device-local, zone unknown)"),
        }
    }
}

/// How to read and write the SDK's zone-less times for one session: the login's
/// [`SdkTimeMode`] and the device's zone, when known.
///
/// A [`Session`](crate::Session) logs in with [`SdkTimeMode::DeviceLocal`] and does not
/// know the device's zone, so its default basis is
/// [`TimeBasis::device_local_unknown_zone`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeBasis {
    mode: SdkTimeMode,
    device_zone: Option<TimeZone>,
}

impl TimeBasis {
    /// Device-local times (`byUseUTCTime` 0) in a zone nobody stated: times read are
    /// [`DeviceTime::LocalUnknownZone`], and instants cannot be written.
    pub fn device_local_unknown_zone() -> Self {
        Self::default()
    }

    /// Device-local times (`byUseUTCTime` 0), the device's clock being in `zone`.
    pub fn device_local(zone: TimeZone) -> Self {
        Self {
            mode: SdkTimeMode::DeviceLocal,
            device_zone: Some(zone),
        }
    }

    /// UTC times (`byUseUTCTime` 1), the SDK converting.
    pub fn utc() -> Self {
        Self {
            mode: SdkTimeMode::Utc,
            device_zone: None,
        }
    }

    /// Host-local times (`byUseUTCTime` 2) in this host's zone, the SDK converting.
    pub fn host_local() -> Self {
        Self {
            mode: SdkTimeMode::HostLocal,
            device_zone: None,
        }
    }

    /// The same basis with the device's zone stated (it is used to write device-local
    /// times the caller gave as instants, and to read times in mode 0).
    #[must_use]
    pub fn with_device_zone(mut self, zone: TimeZone) -> Self {
        self.device_zone = Some(zone);
        self
    }

    /// The login's time mode.
    pub fn mode(&self) -> SdkTimeMode {
        self.mode
    }

    /// The device's zone, when known.
    pub fn device_zone(&self) -> Option<&TimeZone> {
        self.device_zone.as_ref()
    }

    /// Read a time the SDK wrote.
    ///
    /// # Errors
    /// An invalid-input error when the fields are not a date and time (a device that sent
    /// zeros, say).
    pub fn from_sdk(&self, t: &sys::NET_DVR_TIME) -> Result<DeviceTime> {
        let civil = civil_from_sdk(t)?;
        Ok(match self.mode {
            SdkTimeMode::Utc => DeviceTime::Utc(civil_in(civil, TimeZone::UTC)?.timestamp()),
            SdkTimeMode::HostLocal => DeviceTime::Local(civil_in(civil, TimeZone::system())?),
            SdkTimeMode::DeviceLocal => match &self.device_zone {
                Some(zone) => DeviceTime::Local(civil_in(civil, zone.clone())?),
                None => DeviceTime::LocalUnknownZone(civil),
            },
        })
    }

    /// Write a time for the SDK: the wall-clock reading in the zone the login's mode
    /// expects.
    ///
    /// # Errors
    /// An invalid-input error, before any SDK call, when that needs a zone nobody stated
    /// (an instant for a device-local login whose device zone is unknown, or a
    /// device-local time for a UTC or host-local login), or when the year is before 1970
    /// or after 2099.
    pub fn to_sdk(&self, t: &DeviceTime) -> Result<sys::NET_DVR_TIME> {
        let target = match self.mode {
            SdkTimeMode::DeviceLocal => self.device_zone.clone(),
            SdkTimeMode::Utc => Some(TimeZone::UTC),
            SdkTimeMode::HostLocal => Some(TimeZone::system()),
        };
        let wall = match (t, target) {
            (DeviceTime::LocalUnknownZone(d), _) if self.mode == SdkTimeMode::DeviceLocal => *d,
            (DeviceTime::LocalUnknownZone(d), Some(target)) => match &self.device_zone {
                Some(zone) => target.to_datetime(civil_in(*d, zone.clone())?.timestamp()),
                None => return Err(zone_unknown(t, "a device-local time")),
            },
            (_, Some(target)) => match t.timestamp() {
                Some(ts) => target.to_datetime(ts),
                None => return Err(zone_unknown(t, "a device-local time")),
            },
            (_, None) => return Err(zone_unknown(t, "an instant")),
        };
        civil_to_sdk(wall)
    }
}

/// A wall-clock time in `zone`; a fold takes the earlier instant, a gap the later.
///
/// # Errors
/// An invalid-input error when the instant is outside jiff's range (years near ±9999).
pub(crate) fn civil_in(d: DateTime, zone: TimeZone) -> Result<Zoned> {
    zone.to_ambiguous_zoned(d)
        .disambiguate(Disambiguation::Compatible)
        .map_err(|e| Error::invalid_input("time", d, format!("not an instant: {e}")))
}

#[cold]
fn zone_unknown(t: &DeviceTime, what: &str) -> Error {
    Error::invalid_input(
        "time",
        t,
        format!(
            "the device's time zone is unknown, so {what} cannot be turned into the time the \
             SDK expects without guessing: give the device's own wall-clock time (a \
             jiff::civil::DateTime), or state the device's zone (TimeBasis::with_device_zone, \
             RecordingSearch::device_zone; Session::time reads the zone the device states)"
        ),
    )
}

/// The fields of a `NET_DVR_TIME` as a civil date and time.
pub(crate) fn civil_from_sdk(t: &sys::NET_DVR_TIME) -> Result<DateTime> {
    let bad = || {
        Error::invalid_input(
            "time from the device",
            format_args!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond
            ),
            "the device sent a date that does not exist; check its clock (web page System > \
             Time Settings) and search again",
        )
    };
    let small = |v: u32| i8::try_from(v).map_err(|_| bad());
    let year = i16::try_from(t.dwYear).map_err(|_| bad())?;
    DateTime::new(
        year,
        small(t.dwMonth)?,
        small(t.dwDay)?,
        small(t.dwHour)?,
        small(t.dwMinute)?,
        small(t.dwSecond)?,
        0,
    )
    .map_err(|_| bad())
}

/// A civil date and time as a `NET_DVR_TIME` (whole seconds; the SDK has no smaller unit).
pub(crate) fn civil_to_sdk(d: DateTime) -> Result<sys::NET_DVR_TIME> {
    if !(1970..=2099).contains(&d.year()) {
        return Err(Error::invalid_input(
            "time",
            d,
            "the SDK's times run from 1970 to 2099; give a time in that range",
        ));
    }
    let u = |v: i8| u32::from(v.unsigned_abs());
    Ok(sys::NET_DVR_TIME {
        dwYear: u32::from(d.year().unsigned_abs()),
        dwMonth: u(d.month()),
        dwDay: u(d.day()),
        dwHour: u(d.hour()),
        dwMinute: u(d.minute()),
        dwSecond: u(d.second()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::tz::offset;

    fn sdk(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> sys::NET_DVR_TIME {
        sys::NET_DVR_TIME {
            dwYear: y,
            dwMonth: mo,
            dwDay: d,
            dwHour: h,
            dwMinute: mi,
            dwSecond: s,
        }
    }

    fn f6(t: sys::NET_DVR_TIME) -> [u32; 6] {
        [
            t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond,
        ]
    }

    #[test]
    fn unknown_zone_is_read_as_is_and_never_an_instant() {
        let t = TimeBasis::default()
            .from_sdk(&sdk(2026, 12, 1, 8, 0, 5))
            .unwrap();
        assert_eq!(
            t,
            DeviceTime::LocalUnknownZone(date(2026, 12, 1).at(8, 0, 5, 0))
        );
        assert!(t.is_zone_unknown());
        assert_eq!(t.timestamp(), None);
    }

    #[test]
    fn a_known_zone_makes_an_instant_with_dst() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let basis = TimeBasis::device_local(berlin);
        let winter = basis.from_sdk(&sdk(2026, 12, 1, 8, 0, 0)).unwrap();
        assert_eq!(
            winter.timestamp().unwrap().to_string(),
            "2026-12-01T07:00:00Z"
        );
        let summer = basis.from_sdk(&sdk(2026, 7, 1, 8, 0, 0)).unwrap();
        assert_eq!(
            summer.timestamp().unwrap().to_string(),
            "2026-07-01T06:00:00Z"
        );
    }

    #[test]
    fn utc_mode_reads_utc() {
        let t = TimeBasis::utc()
            .from_sdk(&sdk(2026, 12, 1, 8, 0, 0))
            .unwrap();
        assert_eq!(t, DeviceTime::Utc("2026-12-01T08:00:00Z".parse().unwrap()));
        assert_eq!(t.to_string(), "2026-12-01T08:00:00Z");
    }

    #[test]
    fn instants_need_the_device_zone_in_device_local_mode() {
        let ts: Timestamp = "2026-12-01T07:00:00Z".parse().unwrap();
        let e = TimeBasis::default().to_sdk(&ts.into()).unwrap_err();
        assert!(e.to_string().contains("zone is unknown"), "{e}");
        let basis = TimeBasis::default().with_device_zone(TimeZone::fixed(offset(1)));
        assert_eq!(
            f6(basis.to_sdk(&ts.into()).unwrap()),
            f6(sdk(2026, 12, 1, 8, 0, 0))
        );
    }

    #[test]
    fn device_local_input_goes_as_is_in_device_local_mode() {
        let d = DeviceTime::from(date(2026, 12, 1).at(23, 59, 59, 0));
        let basis = TimeBasis::device_local(TimeZone::fixed(offset(9)));
        assert_eq!(
            f6(basis.to_sdk(&d).unwrap()),
            f6(sdk(2026, 12, 1, 23, 59, 59))
        );
        assert_eq!(
            f6(TimeBasis::default().to_sdk(&d).unwrap()),
            f6(sdk(2026, 12, 1, 23, 59, 59))
        );
    }

    #[test]
    fn device_local_input_in_utc_mode_needs_the_zone() {
        let d = DeviceTime::from(date(2026, 12, 1).at(8, 0, 0, 0));
        assert!(TimeBasis::utc().to_sdk(&d).is_err());
        let basis = TimeBasis::utc().with_device_zone(TimeZone::fixed(offset(2)));
        assert_eq!(f6(basis.to_sdk(&d).unwrap()), f6(sdk(2026, 12, 1, 6, 0, 0)));
    }

    #[test]
    fn invalid_and_out_of_range_times_are_errors() {
        assert!(
            TimeBasis::default()
                .from_sdk(&sdk(0, 0, 0, 0, 0, 0))
                .is_err()
        );
        assert!(
            TimeBasis::default()
                .from_sdk(&sdk(2026, 2, 30, 0, 0, 0))
                .is_err()
        );
        assert!(
            TimeBasis::default()
                .from_sdk(&sdk(u32::MAX, 1, 1, 0, 0, 0))
                .is_err()
        );
        let d = DeviceTime::from(date(1969, 12, 31).at(0, 0, 0, 0));
        assert!(TimeBasis::default().to_sdk(&d).is_err());
    }

    #[test]
    fn sdk_time_mode_raw_values() {
        assert_eq!(SdkTimeMode::DeviceLocal.raw(), 0);
        assert_eq!(SdkTimeMode::Utc.raw(), 1);
        assert_eq!(SdkTimeMode::HostLocal.raw(), 2);
    }
}
