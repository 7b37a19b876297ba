//! The device's clock and time zone, shared by both faces: the mock's
//! `NET_DVR_GET/SET_TIMECFG`, `GET/SET_NTPCFG` (the zone's offset) and `GET/SET_ZONEANDDST`
//! (its DST rule), and `GET/PUT /ISAPI/System/time` (see `isapi/time.rs`).
//!
//! * The time is the recording timeline's "now" ([`Clock`](crate::recordings::Clock):
//!   pinned by the scenario or the wall clock) plus an offset that every set changes, so a
//!   set value comes back from the next get, through either face, and then runs on.
//! * The zone ([`ZoneRule`]) starts as the scenario's `time_zone` (default UTC) and is kept
//!   in the shape devices state it: a standard offset and an optional DST rule, written as
//!   the POSIX-like string of ISAPI's `timeZone` (`CST-8:00:00`: UTC+8, the sign inverted
//!   as in POSIX `TZ`; with DST
//!   `CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00`, where the value after
//!   `DST` is the amount the clock moves, not a POSIX offset).
//!
//! Changing the zone keeps the instant: the device's local reading moves with the zone.
//! The recording timeline keeps the scenario's zone.

use jiff::civil::DateTime;
use jiff::tz::{Disambiguation, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use crate::{Device, DeviceError, lock};

/// When a DST period starts or ends: month 1..=12, week 1..=5 (5: the last), weekday
/// 0..=6 (0 Sunday), and the local time of day in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulePoint {
    pub month: u8,
    pub week: u8,
    pub weekday: u8,
    pub secs: u32,
}

/// Daylight saving: the clock moves forward by `delta_secs` from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DstRule {
    pub delta_secs: i32,
    pub start: RulePoint,
    pub end: RulePoint,
}

/// A device's time zone as devices keep it: a standard offset east of UTC and an optional
/// DST rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneRule {
    /// Seconds east of UTC (UTC+8: 28800).
    pub std_secs: i32,
    pub dst: Option<DstRule>,
}

impl ZoneRule {
    /// UTC, no DST.
    pub const UTC: ZoneRule = ZoneRule {
        std_secs: 0,
        dst: None,
    };

    /// The rule of a jiff zone around `now`: its offset then (the standard one, when DST is
    /// in force), and its next two transitions as a DST rule, if it has any.
    pub fn from_tz(tz: &TimeZone, now: Timestamp) -> ZoneRule {
        let mut next = tz.following(now).take(2);
        let (Some(a), Some(b)) = (next.next(), next.next()) else {
            return ZoneRule {
                std_secs: tz.to_offset(now).seconds(),
                dst: None,
            };
        };
        // `a` starts DST or ends it; the rule's start is the change into DST.
        let (into, out) = if a.dst().is_dst() { (a, b) } else { (b, a) };
        let std = out.offset();
        let dst = into.offset();
        let point = |t: Timestamp, before: Offset| {
            let d = before.to_datetime(t);
            rule_point(d)
        };
        ZoneRule {
            std_secs: std.seconds(),
            dst: Some(DstRule {
                delta_secs: dst.seconds() - std.seconds(),
                start: point(into.timestamp(), std),
                end: point(out.timestamp(), dst),
            }),
        }
    }

    /// The zone as jiff computes with it.
    pub fn to_tz(self) -> TimeZone {
        match self.dst {
            None => Offset::from_seconds(self.std_secs).map_or(TimeZone::UTC, TimeZone::fixed),
            Some(dst) => {
                let posix = format!(
                    "CST{}DST{},{},{}",
                    hms(-self.std_secs),
                    hms(-(self.std_secs + dst.delta_secs)),
                    point_text(dst.start),
                    point_text(dst.end)
                );
                TimeZone::posix(&posix).unwrap_or(TimeZone::UTC)
            }
        }
    }

    /// ISAPI's `timeZone` text: `CST-8:00:00`, or with the DST rule.
    pub fn to_text(self) -> String {
        let mut s = format!("CST{}", hms(-self.std_secs));
        if let Some(d) = self.dst {
            let delta = hms(d.delta_secs);
            let delta = delta.trim_start_matches('+');
            s += &format!(
                "DST{:0>8},{},{}",
                delta,
                point_text(d.start),
                point_text(d.end)
            );
        }
        s
    }

    /// Read ISAPI's `timeZone` text (the inverse of [`to_text`](Self::to_text)); the name
    /// before the offset is any run of letters.
    pub fn parse(text: &str) -> Result<ZoneRule, String> {
        let bad = || {
            format!(
                "time zone {text:?} is not like CST-8:00:00[DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00]"
            )
        };
        let rest = text
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let (std_part, dst_part) = match rest.find("DST") {
            Some(i) => (&rest[..i], Some(&rest[i + 3..])),
            None => (rest, None),
        };
        let std_secs = -parse_hms(std_part).ok_or_else(bad)?;
        let dst = match dst_part {
            None => None,
            Some(d) => {
                let mut parts = d.split(',');
                let delta = parts.next().filter(|s| !s.is_empty()).unwrap_or("1");
                let delta_secs = parse_hms(delta).ok_or_else(bad)?;
                let start = parse_point(parts.next().ok_or_else(bad)?).ok_or_else(bad)?;
                let end = parse_point(parts.next().ok_or_else(bad)?).ok_or_else(bad)?;
                Some(DstRule {
                    delta_secs,
                    start,
                    end,
                })
            }
        };
        if std_secs.abs() > 14 * 3600 {
            return Err(bad());
        }
        Ok(ZoneRule { std_secs, dst })
    }
}

fn rule_point(d: DateTime) -> RulePoint {
    let last = d.day() + 7 > d.days_in_month();
    RulePoint {
        month: d.month() as u8,
        week: if last {
            5
        } else {
            ((d.day() - 1) / 7 + 1) as u8
        },
        weekday: d.weekday().to_sunday_zero_offset() as u8,
        secs: (i32::from(d.hour()) * 3600 + i32::from(d.minute()) * 60 + i32::from(d.second()))
            as u32,
    }
}

/// `M3.5.0/02:00:00`.
fn point_text(p: RulePoint) -> String {
    let t = hms(p.secs as i32);
    format!(
        "M{}.{}.{}/{:0>8}",
        p.month,
        p.week,
        p.weekday,
        t.trim_start_matches('+')
    )
}

fn parse_point(s: &str) -> Option<RulePoint> {
    let (date, time) = s
        .trim()
        .strip_prefix('M')?
        .split_once('/')
        .unwrap_or((s.trim().strip_prefix('M')?, "02:00:00"));
    let mut f = date.split('.').map(|v| v.parse::<u8>().ok());
    let (month, week, weekday) = (f.next()??, f.next()??, f.next()??);
    let secs = u32::try_from(parse_hms(time)?).ok()?;
    ((1..=12).contains(&month) && (1..=5).contains(&week) && weekday <= 6 && secs < 86_400 * 2)
        .then_some(RulePoint {
            month,
            week,
            weekday,
            secs,
        })
}

/// `+8:00:00` / `-5:30:00` from seconds.
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

/// A device's clock: an offset from its timeline's clock, and its zone.
#[derive(Debug, Clone)]
pub(crate) struct ClockState {
    offset: SignedDuration,
    zone: ZoneRule,
    tz: TimeZone,
}

impl ClockState {
    /// The scenario's zone (already validated), as a rule around `now`.
    pub(crate) fn new(tz: &TimeZone, now: Timestamp) -> ClockState {
        let zone = ZoneRule::from_tz(tz, now);
        ClockState {
            offset: SignedDuration::ZERO,
            tz: zone.to_tz(),
            zone,
        }
    }
}

impl Device {
    fn timeline_now(&self) -> Timestamp {
        self.recordings().clock().now()
    }

    /// The device's clock now (an instant).
    pub fn clock_now(&self) -> Timestamp {
        let base = self.timeline_now();
        let offset = lock(&self.clock).offset;
        base.checked_add(offset).unwrap_or(base)
    }

    /// The device's zone.
    pub fn clock_zone(&self) -> ZoneRule {
        lock(&self.clock).zone
    }

    /// The device's local wall-clock time now, and its UTC offset then.
    pub fn local_time(&self) -> (DateTime, Offset) {
        let now = self.clock_now();
        let tz = lock(&self.clock).tz.clone();
        let off = tz.to_offset(now);
        (off.to_datetime(now), off)
    }

    /// Set the clock to an instant.
    pub fn set_clock_instant(&self, t: Timestamp) {
        let base = self.timeline_now();
        lock(&self.clock).offset = t.duration_since(base);
    }

    /// Set the clock to a local wall-clock time in the device's zone (a time in a DST gap
    /// or fold is taken as the SDK's "compatible" reading).
    ///
    /// # Errors
    /// [`DeviceError::BadParameter`] when it is outside jiff's range.
    pub fn set_local_time(&self, t: DateTime) -> Result<(), DeviceError> {
        let tz = lock(&self.clock).tz.clone();
        let instant = tz
            .to_ambiguous_timestamp(t)
            .disambiguate(Disambiguation::Compatible)
            .map_err(|_| DeviceError::BadParameter)?;
        self.set_clock_instant(instant);
        Ok(())
    }

    /// Set the clock from the fields of a classic `NET_DVR_TIME` (year, month, day, hour,
    /// minute, second), a local time in the device's zone.
    ///
    /// # Errors
    /// [`DeviceError::BadParameter`] for a date that does not exist.
    pub fn set_local_fields(&self, fields: [u32; 6]) -> Result<(), DeviceError> {
        let small = |v: u32| i8::try_from(v).map_err(|_| DeviceError::BadParameter);
        let [y, mo, d, h, mi, s] = fields;
        let year = i16::try_from(y).map_err(|_| DeviceError::BadParameter)?;
        let t = DateTime::new(
            year,
            small(mo)?,
            small(d)?,
            small(h)?,
            small(mi)?,
            small(s)?,
            0,
        )
        .map_err(|_| DeviceError::BadParameter)?;
        self.set_local_time(t)
    }

    /// Change the zone; the instant stays, the local reading moves.
    pub fn set_clock_zone(&self, zone: ZoneRule) {
        let mut c = lock(&self.clock);
        c.tz = zone.to_tz();
        c.zone = zone;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        for s in [
            "CST-8:00:00",
            "CST+5:30:00",
            "CST+0:00:00",
            "CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00",
        ] {
            assert_eq!(ZoneRule::parse(s).unwrap().to_text(), s);
        }
        assert_eq!(ZoneRule::parse("CST-8:00:00").unwrap().std_secs, 8 * 3600);
        assert!(ZoneRule::parse("CST-25:00:00").is_err());
        assert!(ZoneRule::parse("CSTx").is_err());
    }

    #[test]
    fn berlin_becomes_a_dst_rule_with_the_same_instants() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let rule = ZoneRule::from_tz(&berlin, now);
        assert_eq!(
            rule.to_text(),
            "CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00"
        );
        let tz = rule.to_tz();
        for t in ["2027-07-01T12:00:00Z", "2027-01-01T12:00:00Z"] {
            let t: Timestamp = t.parse().unwrap();
            assert_eq!(tz.to_offset(t), berlin.to_offset(t), "{t}");
        }
        let fixed = ZoneRule::from_tz(&TimeZone::fixed(jiff::tz::offset(8)), now);
        assert_eq!(fixed.to_text(), "CST-8:00:00");
    }
}
