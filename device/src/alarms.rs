//! Alarms of a simulated device: what it reports (motion, video loss, tamper, alarm inputs,
//! line crossing, intrusion, disk full and disk errors), when (the scenario's
//! `[[device.alarm]]` schedule, or [`Device::raise`]), and to whom (its armings).
//!
//! * [`AlarmKind`]: the kinds; [`AlarmSpec`]: one `[[device.alarm]]` table (kind, channel,
//!   `every_seconds` / `at` times, the VCA rule and target box);
//! * [`Device::arm`] opens an [`Arming`] (at most the scenario's `max_armings` at a time:
//!   [`DeviceError::TooManyArmings`], SDK 46, beyond), dropping it disarms;
//! * [`Device::next_alarm`] waits for the arming's next [`Alarm`]: one raised on the device
//!   or one its schedule makes due. Each arming runs the schedule from the moment it was
//!   armed (`every_seconds` after arming, then every `every_seconds`; `at` times when the
//!   device's clock passes them);
//! * [`isapi`]: the `EventNotificationAlert` XML a device streams on
//!   `/ISAPI/Event/notification/alertStream`, and its heartbeat.
//!
//! Time stamps are device-local, from the recordings clock
//! ([`Recordings::local_now`](crate::recordings::Recordings::local_now)) with the zone's UTC
//! offset.

pub mod isapi;

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::civil::{DateTime, Time};
use serde::Deserialize;

use crate::scenario::DeviceSpec;
use crate::{Device, DeviceError, lock};

/// What an alarm reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    /// Motion detection (`dwAlarmType` 3, ISAPI `VMD`).
    Motion,
    /// Video loss (`dwAlarmType` 2, ISAPI `videoloss`).
    VideoLoss,
    /// Video tampering, "shelter" (`dwAlarmType` 6, ISAPI `shelteralarm`).
    Tamper,
    /// An alarm input closed (`dwAlarmType` 0, ISAPI `IO`).
    AlarmInput,
    /// VCA line crossing (`COMM_ALARM_RULE`, ISAPI `linedetection`).
    LineCrossing,
    /// VCA intrusion, a region entered (`COMM_ALARM_RULE`, ISAPI `fielddetection`).
    Intrusion,
    /// A disk is full (`dwAlarmType` 1, ISAPI `diskfull`).
    DiskFull,
    /// A disk read/write error (`dwAlarmType` 5, ISAPI `diskerror`).
    DiskError,
}

impl AlarmKind {
    /// Every kind.
    pub const ALL: [AlarmKind; 8] = [
        AlarmKind::Motion,
        AlarmKind::VideoLoss,
        AlarmKind::Tamper,
        AlarmKind::AlarmInput,
        AlarmKind::LineCrossing,
        AlarmKind::Intrusion,
        AlarmKind::DiskFull,
        AlarmKind::DiskError,
    ];

    /// The scenario's name: `motion`, `video_loss`, `tamper`, `alarm_input`,
    /// `line_crossing`, `intrusion`, `disk_full`, `disk_error`.
    pub fn name(self) -> &'static str {
        match self {
            AlarmKind::Motion => "motion",
            AlarmKind::VideoLoss => "video_loss",
            AlarmKind::Tamper => "tamper",
            AlarmKind::AlarmInput => "alarm_input",
            AlarmKind::LineCrossing => "line_crossing",
            AlarmKind::Intrusion => "intrusion",
            AlarmKind::DiskFull => "disk_full",
            AlarmKind::DiskError => "disk_error",
        }
    }

    /// A kind by its scenario name or its ISAPI `eventType` (case-insensitive).
    pub fn parse(s: &str) -> Option<AlarmKind> {
        let s = s.trim();
        AlarmKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s) || k.event_type().eq_ignore_ascii_case(s))
    }

    /// `dwAlarmType` of `NET_DVR_ALARMINFO_V30` / `NET_DVR_ALRAM_FIXED_HEADER`; `None` for
    /// the VCA kinds (they come as `COMM_ALARM_RULE`).
    pub fn alarm_type(self) -> Option<u32> {
        match self {
            AlarmKind::AlarmInput => Some(0),
            AlarmKind::DiskFull => Some(1),
            AlarmKind::VideoLoss => Some(2),
            AlarmKind::Motion => Some(3),
            AlarmKind::DiskError => Some(5),
            AlarmKind::Tamper => Some(6),
            AlarmKind::LineCrossing | AlarmKind::Intrusion => None,
        }
    }

    /// A VCA rule alarm (line crossing, intrusion).
    pub fn is_vca(self) -> bool {
        self.alarm_type().is_none()
    }

    /// A channel alarm (motion, video loss, tamper, VCA): it names a video channel.
    pub fn has_channel(self) -> bool {
        !matches!(
            self,
            AlarmKind::AlarmInput | AlarmKind::DiskFull | AlarmKind::DiskError
        )
    }

    /// The ISAPI `eventType`.
    pub fn event_type(self) -> &'static str {
        match self {
            AlarmKind::Motion => "VMD",
            AlarmKind::VideoLoss => "videoloss",
            AlarmKind::Tamper => "shelteralarm",
            AlarmKind::AlarmInput => "IO",
            AlarmKind::LineCrossing => "linedetection",
            AlarmKind::Intrusion => "fielddetection",
            AlarmKind::DiskFull => "diskfull",
            AlarmKind::DiskError => "diskerror",
        }
    }
}

/// A target box in normalised coordinates (0 to 1), as `NET_VCA_RECT` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Default for Rect {
    /// A person-sized box in the middle of the picture.
    fn default() -> Self {
        Rect {
            x: 0.4,
            y: 0.3,
            width: 0.1,
            height: 0.4,
        }
    }
}

/// One `[[device.alarm]]`: an alarm the device reports on a schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmSpec {
    /// What it reports.
    pub kind: AlarmKind,
    /// The video channel (channel alarms; default the device's first channel).
    #[serde(default)]
    pub channel: Option<i32>,
    /// The alarm input number, from 1 (`alarm_input`; default 1).
    #[serde(default)]
    pub input: Option<u32>,
    /// The disk number, from 1 (`disk_full`, `disk_error`; default 1).
    #[serde(default)]
    pub disk: Option<u32>,
    /// Report every this many seconds after arming (fractions allowed).
    #[serde(default)]
    pub every_seconds: Option<f64>,
    /// Report at these device-local times of day (`"08:30"`, `"17:45:10"`).
    #[serde(default)]
    pub at: Vec<String>,
    /// The VCA rule (line crossing, intrusion): `byRuleID` (default 1) and `byRuleName`.
    #[serde(default)]
    pub rule_id: Option<u8>,
    #[serde(default)]
    pub rule_name: Option<String>,
    /// The VCA target box (default [`Rect::default`]).
    #[serde(default)]
    pub target: Option<Rect>,
}

impl AlarmSpec {
    /// Check the table against its device (channel, input, disk, schedule).
    pub fn validate(&self, device: &DeviceSpec) -> Result<(), String> {
        let what = self.kind.name();
        if let Some(ch) = self.channel
            && !device.has_channel(ch)
        {
            return Err(format!(
                "alarm {what}: channel {ch} is not a channel of the device"
            ));
        }
        if let Some(n) = self.input
            && (n == 0 || n > u32::from(device.alarm_in))
        {
            return Err(format!(
                "alarm {what}: input {n} (the device has {} alarm inputs)",
                device.alarm_in
            ));
        }
        if self.disk == Some(0) {
            return Err(format!("alarm {what}: disks count from 1"));
        }
        match self.every_seconds {
            Some(s) if !(s.is_finite() && s >= 0.01) => {
                return Err(format!("alarm {what}: every_seconds must be at least 0.01"));
            }
            None if self.at.is_empty() => {
                return Err(format!("alarm {what}: give every_seconds or at"));
            }
            _ => {}
        }
        for t in &self.at {
            parse_time_of_day(t).map_err(|e| format!("alarm {what}: {e}"))?;
        }
        Ok(())
    }

    /// The alarm it reports (time stamps left to the caller).
    fn template(&self, device: &DeviceSpec) -> Alarm {
        let mut a = Alarm::new(self.kind, self.channel.unwrap_or(first_channel(device)));
        a.input = self.input.unwrap_or(1);
        a.disk = self.disk.unwrap_or(1);
        a.rule_id = self.rule_id.unwrap_or(1);
        if let Some(n) = &self.rule_name {
            a.rule_name.clone_from(n);
        }
        a.target = self.target.unwrap_or_default();
        a
    }
}

/// `"HH:MM"` or `"HH:MM:SS"`.
fn parse_time_of_day(s: &str) -> Result<Time, String> {
    let nums: Vec<i8> = s
        .split(':')
        .map(|n| n.trim().parse::<i8>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("time {s:?}: use HH:MM or HH:MM:SS"))?;
    let (h, m, sec) = match nums[..] {
        [h, m] => (h, m, 0),
        [h, m, sec] => (h, m, sec),
        _ => return Err(format!("time {s:?}: use HH:MM or HH:MM:SS")),
    };
    Time::new(h, m, sec, 0).map_err(|e| format!("time {s:?}: {e}"))
}

fn second_of_day(t: Time) -> i64 {
    i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

/// The device's first channel: its first analog one, else its first IP one.
pub fn first_channel(device: &DeviceSpec) -> i32 {
    if device.analog() > 0 {
        i32::from(device.start_channel)
    } else {
        i32::from(device.start_ip())
    }
}

/// One alarm as a device reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub kind: AlarmKind,
    /// The video channel (channel alarms), else the device's first channel.
    pub channel: i32,
    /// The alarm input number, from 1 (alarm inputs).
    pub input: u32,
    /// The disk number, from 1 (disk alarms).
    pub disk: u32,
    /// The VCA rule (line crossing, intrusion).
    pub rule_id: u8,
    pub rule_name: String,
    /// The VCA target box.
    pub target: Rect,
    /// Device-local time of the alarm.
    pub time: DateTime,
    /// The device zone's UTC offset at that time, in seconds.
    pub utc_offset_seconds: i32,
    /// How many alarms of this kind and channel this arming has had (ISAPI
    /// `activePostCount`), from 1.
    pub post_count: u32,
}

impl Alarm {
    /// An alarm of `kind` on `channel`, other fields at their defaults (input 1, disk 1,
    /// rule 1, the default box), stamped at the Unix epoch until [`Device::next_alarm`]
    /// or [`Device::raise`] stamps it.
    pub fn new(kind: AlarmKind, channel: i32) -> Alarm {
        let rule_name = match kind {
            AlarmKind::LineCrossing => "line1",
            AlarmKind::Intrusion => "region1",
            _ => "",
        };
        Alarm {
            kind,
            channel,
            input: 1,
            disk: 1,
            rule_id: 1,
            rule_name: rule_name.to_owned(),
            target: Rect::default(),
            time: DateTime::default(),
            utc_offset_seconds: 0,
            post_count: 1,
        }
    }
}

/// The armings of one device (kept by [`Device`]).
#[derive(Debug, Default)]
pub struct AlarmHub {
    inner: Arc<Mutex<HubInner>>,
}

#[derive(Debug, Default)]
struct HubInner {
    next_id: u64,
    subscribers: Vec<(u64, Sender<Alarm>)>,
}

/// One arming of a device: it receives every alarm raised on the device while it lives,
/// and its own copy of the scenario schedule. Dropping it disarms.
#[derive(Debug)]
pub struct Arming {
    id: u64,
    rx: Receiver<Alarm>,
    hub: Arc<Mutex<HubInner>>,
    schedule: Vec<Due>,
    posts: HashMap<(AlarmKind, i32), u32>,
}

/// One scheduled alarm of an arming: when it is next due, and how it repeats.
#[derive(Debug)]
struct Due {
    alarm: Alarm,
    next: Instant,
    every: Duration,
}

impl Drop for Arming {
    fn drop(&mut self) {
        lock(&self.hub).subscribers.retain(|(id, _)| *id != self.id);
    }
}

impl Arming {
    /// When the earliest scheduled alarm is due.
    fn earliest(&self) -> Option<Instant> {
        self.schedule.iter().map(|d| d.next).min()
    }

    /// The scheduled alarm due at or before `now`, moved on to its next time.
    fn take_due(&mut self, now: Instant) -> Option<Alarm> {
        let d = self
            .schedule
            .iter_mut()
            .filter(|d| d.next <= now)
            .min_by_key(|d| d.next)?;
        d.next += d.every;
        Some(d.alarm.clone())
    }

    /// Count one post of `a` on this arming.
    fn count(&mut self, mut a: Alarm) -> Alarm {
        let n = self.posts.entry((a.kind, a.channel)).or_insert(0);
        *n += 1;
        a.post_count = *n;
        a
    }
}

const DAY: Duration = Duration::from_secs(86_400);

impl Device {
    /// Arm the device: a new [`Arming`] that receives its alarms until dropped.
    ///
    /// # Errors
    /// [`DeviceError::Offline`] when it does not answer; [`DeviceError::TooManyArmings`]
    /// when `max_armings` armings are open.
    pub fn arm(&self) -> Result<Arming, DeviceError> {
        if !self.online() {
            return Err(DeviceError::Offline);
        }
        let hub = &self.alarm_hub().inner;
        let mut h = lock(hub);
        if h.subscribers.len() >= self.spec().max_armings as usize {
            return Err(DeviceError::TooManyArmings);
        }
        let (tx, rx) = channel();
        h.next_id += 1;
        let id = h.next_id;
        h.subscribers.push((id, tx));
        drop(h);
        Ok(Arming {
            id,
            rx,
            hub: Arc::clone(hub),
            schedule: self.schedule(Instant::now()),
            posts: HashMap::new(),
        })
    }

    /// How many armings are open.
    pub fn armings(&self) -> usize {
        lock(&self.alarm_hub().inner).subscribers.len()
    }

    /// The scenario schedule as it runs for an arming made at `now`.
    fn schedule(&self, now: Instant) -> Vec<Due> {
        let spec = self.spec();
        let local_now = self.recordings().local_now().time();
        let mut out = Vec::new();
        for a in &spec.alarms {
            let alarm = a.template(spec);
            if let Some(s) = a.every_seconds {
                let every = Duration::from_secs_f64(s);
                out.push(Due {
                    alarm: alarm.clone(),
                    next: now + every,
                    every,
                });
            }
            for t in a.at.iter().filter_map(|t| parse_time_of_day(t).ok()) {
                let wait = (second_of_day(t) - second_of_day(local_now)).rem_euclid(86_400);
                let wait = u64::try_from(wait).unwrap_or(0);
                out.push(Due {
                    alarm: alarm.clone(),
                    next: now + Duration::from_secs(wait),
                    every: DAY,
                });
            }
        }
        out
    }

    /// The device's local time now and its zone's UTC offset (seconds).
    pub fn alarm_clock(&self) -> (DateTime, i32) {
        let rec = self.recordings();
        let now = rec.clock().now();
        let offset = rec.time_zone().to_offset(now).seconds();
        (rec.time_zone().to_datetime(now), offset)
    }

    fn stamp(&self, mut a: Alarm) -> Alarm {
        (a.time, a.utc_offset_seconds) = self.alarm_clock();
        a
    }

    /// Raise `alarm` now on every arming of the device (it is stamped with the device's
    /// time); returns how many armings get it.
    ///
    /// # Errors
    /// [`DeviceError::NoChannel`] for a channel alarm on a channel the device does not
    /// have; [`DeviceError::BadParameter`] for an alarm input it does not have.
    pub fn raise(&self, alarm: Alarm) -> Result<usize, DeviceError> {
        if alarm.kind.has_channel() && !self.spec().has_channel(alarm.channel) {
            return Err(DeviceError::NoChannel);
        }
        if alarm.kind == AlarmKind::AlarmInput
            && (alarm.input == 0 || alarm.input > u32::from(self.spec().alarm_in))
        {
            return Err(DeviceError::BadParameter);
        }
        let alarm = self.stamp(alarm);
        let h = lock(&self.alarm_hub().inner);
        Ok(h.subscribers
            .iter()
            .filter(|(_, tx)| tx.send(alarm.clone()).is_ok())
            .count())
    }

    /// Wait up to `timeout` for `arming`'s next alarm: a raised one, or one its schedule
    /// makes due (stamped now). `None` when none came in time.
    pub fn next_alarm(&self, arming: &mut Arming, timeout: Duration) -> Option<Alarm> {
        let deadline = Instant::now() + timeout;
        loop {
            let now = Instant::now();
            if let Ok(a) = arming.rx.try_recv() {
                return Some(arming.count(a));
            }
            if let Some(a) = arming.take_due(now) {
                let a = self.stamp(a);
                return Some(arming.count(a));
            }
            if now >= deadline {
                return None;
            }
            let until = arming.earliest().map_or(deadline, |d| d.min(deadline));
            match arming.rx.recv_timeout(until.saturating_duration_since(now)) {
                Ok(a) => return Some(arming.count(a)),
                Err(RecvTimeoutError::Timeout) => {}
                // Cannot happen while the hub keeps the sender; wait out the time instead.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(until.saturating_duration_since(now));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
