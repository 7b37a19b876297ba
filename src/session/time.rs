//! The device's clock and time zone: [`Session::time`] and [`Session::set_time`].
//!
//! # Where the answer comes from
//!
//! * A classic login: `NET_DVR_GetDVRConfig` with `NET_DVR_GET_TIMECFG` (the wall-clock
//!   time, no zone), `NET_DVR_GET_NTPCFG` (`cTimeDifferenceH/M`: the zone's standard
//!   offset east of UTC) and `NET_DVR_GET_ZONEANDDST` (the DST rule: points with month
//!   0-11, week 0-4 where 4 is the last, weekday 0-6 from Sunday; `byDSTBias` in minutes).
//!   A device that answers 23 (not supported) to the zone calls has an unknown zone.
//! * An ISAPI login, where the real SDK fails those calls with 23 without asking the
//!   device: `GET /ISAPI/System/time` through the pass-through. Its `Time` document holds
//!   `localTime` (RFC 3339, usually with the offset: `2026-12-01T08:00:00+08:00`) and
//!   `timeZone`, a POSIX-like string with the sign inverted as in POSIX `TZ`: `CST-8:00:00`
//!   is UTC+8; with DST `CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00`, where the
//!   value after `DST` is how far the clock moves (not a POSIX offset).
//!
//! User code is the same for both: the session picks the path from its login mode.
//!
//! # Never a silent shift
//!
//! When the zone is known, [`DeviceClock::time`] is [`DeviceTime::Local`] (an instant in
//! the device's zone). When the device does not say (no zone calls, no `timeZone`, or one
//! this crate cannot read), it is [`DeviceTime::LocalUnknownZone`]: the device's wall
//! clock, never guessed into an instant. [`Session::set_time`] takes a device-local time as
//! it is, and turns an instant into the device's wall clock only in the zone the device
//! states; otherwise it fails before changing anything.

use hcnetsdk_sys as sys;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use super::Session;
use crate::error::{Error, Result};
use crate::ffi::resolve;
use crate::isapi::xml_text;
use crate::time::{DeviceTime, TimeBasis, civil_from_sdk, civil_in, civil_to_sdk};

/// The device's clock as [`Session::time`] read it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceClock {
    /// The time: [`DeviceTime::Local`] when the zone is known, else
    /// [`DeviceTime::LocalUnknownZone`].
    pub time: DeviceTime,
    /// The device's zone, when it stated one this crate can read.
    pub zone: Option<TimeZone>,
}

impl DeviceClock {
    /// How to read and write this device's times on a login with
    /// [`SdkTimeMode::DeviceLocal`](crate::SdkTimeMode::DeviceLocal) (a [`Session`]'s):
    /// device-local in the zone it states, or with the zone unknown.
    ///
    /// ```no_run
    /// # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
    /// let basis = session.time()?.time_basis();
    /// let search = session.recordings(1)?.time_basis(basis); // results become instants
    /// # Ok(()) }
    /// ```
    pub fn time_basis(&self) -> TimeBasis {
        match &self.zone {
            Some(z) => TimeBasis::device_local(z.clone()),
            None => TimeBasis::device_local_unknown_zone(),
        }
    }

    fn new(wall: DateTime, zone: Option<TimeZone>) -> Result<Self> {
        let time = match &zone {
            Some(z) => DeviceTime::Local(civil_in(wall, z.clone())?),
            None => DeviceTime::LocalUnknownZone(wall),
        };
        Ok(Self { time, zone })
    }
}

/// `NET_DVR_NOSUPPORT`: the device does not support the command.
const NOT_SUPPORTED: u32 = 23;
/// The ISAPI resource of the clock.
const TIME_PATH: &str = "/ISAPI/System/time";

impl Session {
    /// Read the device's clock and, where it says, its time zone: classic config calls on
    /// a classic login, `GET /ISAPI/System/time` on an ISAPI login (see the module docs).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_GetDVRConfig` (with the command as a finding) or the
    /// ISAPI request's error; an invalid-input error when the device sent a time that
    /// does not exist.
    #[doc(alias = "NET_DVR_GET_TIMECFG")]
    #[doc(alias = "NET_DVR_GET_ZONEANDDST")]
    pub fn time(&self) -> Result<DeviceClock> {
        if self.routes_through_isapi() {
            let answer = self.isapi().get(TIME_PATH)?;
            let doc = answer.text();
            return isapi_clock(&doc).map_err(|e| e.with_context(self.context()));
        }
        let zone = self.classic_zone()?;
        let t: sys::NET_DVR_TIME = self.get_config(sys::NET_DVR_GET_TIMECFG, "GET_TIMECFG")?;
        let wall = civil_from_sdk(&t).map_err(|e| e.with_context(self.context()))?;
        DeviceClock::new(wall, zone)
    }

    /// Set the device's clock.
    ///
    /// * A device-local time ([`DeviceTime::LocalUnknownZone`], or a
    ///   [`jiff::civil::DateTime`]) is written as it is: the device shows that reading.
    /// * An instant ([`jiff::Timestamp`], [`jiff::Zoned`]) is first read in the zone the
    ///   device states ([`time`](Self::time) is asked); a device that states none fails the
    ///   call before anything is changed. The zone of a `Zoned` is not sent: the device
    ///   keeps its own.
    ///
    /// A classic login uses `NET_DVR_SetDVRConfig(NET_DVR_SET_TIMECFG)`; an ISAPI login
    /// `PUT /ISAPI/System/time` with `timeMode` manual and the device's own `timeZone`.
    ///
    /// # Errors
    /// As for [`time`](Self::time), the SDK's code from `NET_DVR_SetDVRConfig` or the ISAPI
    /// request's error (a user without the right: 2, or a `ResponseStatus`); invalid input
    /// for an instant when the device's zone is unknown, or a year outside 1970..=2099.
    #[doc(alias = "NET_DVR_SET_TIMECFG")]
    pub fn set_time(&self, time: impl Into<DeviceTime>) -> Result<()> {
        let time = time.into();
        if self.routes_through_isapi() {
            return self.set_time_isapi(&time);
        }
        let with = |e: Error| e.with_context(self.context());
        let zone = match time {
            DeviceTime::LocalUnknownZone(_) => None,
            _ => self.classic_zone()?,
        };
        let wall = wall_for(&time, zone.as_ref()).map_err(with)?;
        let mut t = civil_to_sdk(wall).map_err(with)?;
        self.set_config(sys::NET_DVR_SET_TIMECFG, "SET_TIMECFG", &mut t)
    }

    /// `PUT /ISAPI/System/time`: manual, the wall clock (with its offset when the zone is
    /// known) and the device's own `timeZone` as it was read.
    fn set_time_isapi(&self, time: &DeviceTime) -> Result<()> {
        let with = |e: Error| e.with_context(self.context());
        let current = self.isapi().get(TIME_PATH)?.text().into_owned();
        let clock = isapi_clock(&current).map_err(with)?;
        let wall = wall_for(time, clock.zone.as_ref()).map_err(with)?;
        civil_to_sdk(wall).map_err(with)?; // the same range as the classic call
        let offset = match &clock.zone {
            Some(z) => {
                let secs = civil_in(wall, z.clone()).map_err(with)?.offset().seconds();
                let a = secs.unsigned_abs();
                let sign = if secs < 0 { '-' } else { '+' };
                format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
            }
            None => String::new(),
        };
        let zone = xml_text(&current, "timeZone").map_or_else(String::new, |z| {
            format!("<timeZone>{}</timeZone>\n", xml_escape(&z))
        });
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Time version=\"2.0\" \
             xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\n<timeMode>manual</timeMode>\n\
             <localTime>{}{offset}</localTime>\n{zone}</Time>\n",
            wall.strftime("%Y-%m-%dT%H:%M:%S")
        );
        self.isapi().put(TIME_PATH, body).map(drop)
    }

    /// The zone from `GET_NTPCFG` and `GET_ZONEANDDST`; `None` when the device does not
    /// support them (23).
    fn classic_zone(&self) -> Result<Option<TimeZone>> {
        let unsupported = |e: &Error| e.raw_code() == Some(NOT_SUPPORTED);
        let ntp: sys::NET_DVR_NTPPARA = match self.get_config(sys::NET_DVR_GET_NTPCFG, "GET_NTPCFG")
        {
            Ok(v) => v,
            Err(e) if unsupported(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        let dst: sys::NET_DVR_ZONEANDDST =
            match self.get_config(sys::NET_DVR_GET_ZONEANDDST, "GET_ZONEANDDST") {
                Ok(v) => v,
                Err(e) if unsupported(&e) => return Ok(None),
                Err(e) => return Err(e),
            };
        Ok(classic_zone(&ntp, &dst))
    }

    /// `NET_DVR_GetDVRConfig(command)` into a whole `T`, through the checked-call path.
    fn get_config<T: Default>(&self, command: u32, name: &str) -> Result<T> {
        let ctx = || self.context();
        let live = self.live()?;
        let user_id = live.user_id();
        let get = resolve!(self.sdk().lib(), NET_DVR_GetDVRConfig);
        let mut out = T::default();
        let size = size_of::<T>() as u32;
        let mut returned: sys::DWORD = 0;
        // SAFETY: the output buffer is a live, whole T and its exact size is passed;
        // `returned` is a live DWORD.
        get.bool(&ctx, |f| unsafe {
            f(
                user_id,
                command,
                0,
                (&raw mut out).cast(),
                size,
                &raw mut returned,
            )
        })
        .map_err(|e| e.with_finding(format!("command NET_DVR_{name} ({command})")))?;
        Ok(out)
    }

    /// `NET_DVR_SetDVRConfig(command)` with a whole `T`, through the checked-call path.
    fn set_config<T>(&self, command: u32, name: &str, value: &mut T) -> Result<()> {
        let ctx = || self.context();
        let live = self.live()?;
        let user_id = live.user_id();
        let set = resolve!(self.sdk().lib(), NET_DVR_SetDVRConfig);
        let size = size_of::<T>() as u32;
        // SAFETY: the input buffer is a live, whole T and its exact size is passed.
        set.bool(&ctx, |f| unsafe {
            f(user_id, command, 0, (value as *mut T).cast(), size)
        })
        .map_err(|e| e.with_finding(format!("command NET_DVR_{name} ({command})")))
    }
}

/// The device's wall clock for `time`: as it is when device-local, else the instant in
/// the device's zone.
fn wall_for(time: &DeviceTime, zone: Option<&TimeZone>) -> Result<DateTime> {
    match (time.timestamp(), zone) {
        (None, _) => Ok(time.wall_clock()),
        (Some(ts), Some(z)) => Ok(z.to_datetime(ts)),
        (Some(_), None) => Err(Error::invalid_input(
            "time",
            time,
            "the device does not state its time zone, so an instant cannot be turned into \
             its wall-clock time without guessing: give the device's own wall-clock time (a \
             jiff::civil::DateTime)",
        )),
    }
}

/// The clock in an ISAPI `Time` document.
fn isapi_clock(doc: &str) -> Result<DeviceClock> {
    let local = xml_text(doc, "localTime").unwrap_or_default();
    let zone = xml_text(doc, "timeZone").and_then(|z| parse_zone_text(&z));
    let bad = || {
        Error::invalid_input(
            "localTime",
            format!("{local:?}"),
            "the device's Time document has no readable localTime; check its clock (web page \
             System > Time Settings)",
        )
        .with_call(crate::isapi::CALL)
    };
    if let Ok(z) = local.parse::<Zoned>() {
        // RFC 9557 with a zone name: the instant is stated.
        let zone = zone.or_else(|| Some(z.time_zone().clone()));
        return DeviceClock::new_at(z.timestamp(), zone, z.datetime());
    }
    if let Ok(ts) = local.parse::<Timestamp>() {
        // An offset: the instant is known; the wall clock is the one the device showed.
        let shown = local
            .get(..19)
            .and_then(|s| s.parse::<DateTime>().ok())
            .ok_or_else(bad)?;
        return DeviceClock::new_at(ts, zone, shown);
    }
    let wall = local.parse::<DateTime>().map_err(|_| bad())?;
    DeviceClock::new(wall, zone)
}

impl DeviceClock {
    /// A clock whose instant is known: in the zone when known, else the wall clock shown.
    fn new_at(ts: Timestamp, zone: Option<TimeZone>, shown: DateTime) -> Result<Self> {
        Ok(match zone {
            Some(z) => Self {
                time: DeviceTime::Local(ts.to_zoned(z.clone())),
                zone: Some(z),
            },
            None => Self {
                time: DeviceTime::LocalUnknownZone(shown),
                zone: None,
            },
        })
    }
}

/// The zone of `NET_DVR_NTPPARA` and `NET_DVR_ZONEANDDST`.
fn classic_zone(ntp: &sys::NET_DVR_NTPPARA, dst: &sys::NET_DVR_ZONEANDDST) -> Option<TimeZone> {
    let std = i32::from(ntp.cTimeDifferenceH) * 3600 + i32::from(ntp.cTimeDifferenceM) * 60;
    if dst.dwEnableDST == 0 {
        return jiff::tz::Offset::from_seconds(std)
            .ok()
            .map(TimeZone::fixed);
    }
    let point = |p: &sys::NET_DVR_TIMEPOINT| {
        format!(
            "M{}.{}.{}/{}:{:02}:00",
            p.dwMonth + 1,
            p.dwWeekNo + 1,
            p.dwWeekDate,
            p.dwHour,
            p.dwMin
        )
    };
    let delta = i32::from(dst.byDSTBias) * 60;
    posix_zone(
        std,
        delta,
        &point(&dst.struBeginPoint),
        &point(&dst.struEndPoint),
    )
}

/// An ISAPI `timeZone` (`CST-8:00:00`, or with `DST<delta>,<start>,<end>`) as a zone;
/// `None` when it does not read.
pub(crate) fn parse_zone_text(text: &str) -> Option<TimeZone> {
    let rest = text
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let (std_part, dst_part) = match rest.find("DST") {
        Some(i) => (&rest[..i], Some(&rest[i + 3..])),
        None => (rest, None),
    };
    let std = -parse_hms(std_part)?;
    if std.abs() > 14 * 3600 {
        return None;
    }
    let Some(dst) = dst_part else {
        return jiff::tz::Offset::from_seconds(std)
            .ok()
            .map(TimeZone::fixed);
    };
    let mut parts = dst.split(',');
    let delta = match parts.next()? {
        "" => 3600,
        d => parse_hms(d)?,
    };
    let (start, end) = (parts.next()?, parts.next()?);
    posix_zone(std, delta, start, end)
}

/// A zone from its standard offset east of UTC, the DST amount and POSIX `M` rules.
fn posix_zone(std_east: i32, delta: i32, start: &str, end: &str) -> Option<TimeZone> {
    let posix = format!(
        "CST{}DST{},{start},{end}",
        hms(-std_east),
        hms(-(std_east + delta))
    );
    TimeZone::posix(&posix).ok()
}

/// `+8:00:00` / `-5:30:00`.
fn hms(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", a / 3600, a / 60 % 60, a % 60)
}

/// `[+-]h[:mm[:ss]]` in seconds.
fn parse_hms(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => (-1, b),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut secs = 0i32;
    for (i, part) in body.split(':').enumerate() {
        let v: i32 = part.parse().ok()?;
        if i > 2 || (i > 0 && !(0..60).contains(&v)) || !(0..=167).contains(&v) {
            return None;
        }
        secs += v * [3600, 60, 1][i];
    }
    Some(sign * secs)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_texts_read_with_dst() {
        let berlin =
            parse_zone_text("CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00").unwrap();
        let summer: Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        let winter: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        assert_eq!(berlin.to_offset(summer).seconds(), 7200);
        assert_eq!(berlin.to_offset(winter).seconds(), 3600);
        let cst = parse_zone_text("CST-8:00:00").unwrap();
        assert_eq!(cst.to_offset(winter).seconds(), 8 * 3600);
        let west = parse_zone_text("CST+5:30:00").unwrap();
        assert_eq!(west.to_offset(winter).seconds(), -(5 * 3600 + 1800));
        for bad in ["", "CST", "CST-99:00:00", "CST-1DST01:00:00", "nonsense"] {
            assert!(parse_zone_text(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn isapi_documents_without_a_zone_stay_unknown() {
        let doc = "<Time><timeMode>manual</timeMode><localTime>2026-12-01T08:00:00+08:00\
                   </localTime></Time>";
        let c = isapi_clock(doc).unwrap();
        assert_eq!(c.zone, None);
        assert_eq!(
            c.time,
            DeviceTime::LocalUnknownZone("2026-12-01T08:00:00".parse().unwrap())
        );
        let doc = "<Time><localTime>2026-12-01T08:00:00+08:00</localTime>\
                   <timeZone>CST-8:00:00</timeZone></Time>";
        let c = isapi_clock(doc).unwrap();
        assert_eq!(
            c.time.timestamp().unwrap().to_string(),
            "2026-12-01T00:00:00Z"
        );
        assert!(isapi_clock("<Time><localTime>soon</localTime></Time>").is_err());
    }

    #[test]
    fn classic_structs_make_the_zone() {
        let ntp = sys::NET_DVR_NTPPARA {
            cTimeDifferenceH: 1,
            ..Default::default()
        };
        let mut dst = sys::NET_DVR_ZONEANDDST::default();
        let fixed = classic_zone(&ntp, &dst).unwrap();
        let summer: Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        assert_eq!(fixed.to_offset(summer).seconds(), 3600);
        dst.dwEnableDST = 1;
        dst.byDSTBias = 60;
        let p = |m, w, h| sys::NET_DVR_TIMEPOINT {
            dwMonth: m,
            dwWeekNo: w,
            dwWeekDate: 0,
            dwHour: h,
            dwMin: 0,
        };
        dst.struBeginPoint = p(2, 4, 2);
        dst.struEndPoint = p(9, 4, 3);
        let berlin = classic_zone(&ntp, &dst).unwrap();
        assert_eq!(berlin.to_offset(summer).seconds(), 7200);
    }
}
