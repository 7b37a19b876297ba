//! One simulated device: its scenario entry, its run-time state, and the rules on that state
//! that both faces share (login and lock-out, sessions, preview links, PTZ, snapshots).
//!
//! Lock order: [`Device::state`], then the PTZ map, then the recordings; the clock alone. No
//! lock is held when a method returns.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::alarms::AlarmHub;
use crate::ptz::PtzState;
use crate::recordings::{Clock, Recordings};
use crate::scenario::{DeviceSpec, Pacing, Role};
use crate::time::ClockState;
use crate::{DeviceError, lock, media};

/// A device's changing state. Faces read it for reporting (the mock's `MOCK_GetDeviceValue`)
/// and change it through the rule methods of [`Device`].
#[derive(Debug, Clone)]
pub struct DeviceState {
    /// Answers at all (the scenario's `online`; faults turn it off).
    pub online: bool,
    /// Failed logins since the last success or lock expiry (counted per device: a device
    /// counts per client IP, and every client of the mock and the emulator has the same one).
    pub failed_logins: u32,
    /// Locked until then (too many failed logins).
    pub locked_until: Option<Instant>,
    /// Logged-in sessions (at most `max_sessions`).
    pub sessions: u32,
    /// Running previews (at most `max_links`).
    pub links: u32,
    /// The device name as sent on the wire (the scenario's `name` in its `charset`), until a
    /// client sets another.
    pub name: Vec<u8>,
}

/// What a login attempt gives ([`Device::login_attempt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in: a session is counted (end it with [`Device::end_session`]).
    Ok {
        /// The user's role.
        role: Role,
        /// Attempts left before a lock (`byRetryLoginTime` on success): the limit.
        attempts_left: u8,
    },
    /// Unknown user or wrong password (SDK 1); the count of attempts left before the lock.
    WrongPassword {
        /// `byRetryLoginTime`.
        attempts_left: u8,
    },
    /// Locked (SDK 153): by this attempt (the one that reached the limit: `lock_seconds`
    /// left) or by earlier ones (the seconds left, at least 1).
    Locked {
        /// `dwSurplusLockTime`.
        seconds_left: u32,
    },
    /// The device does not answer (SDK 7).
    Offline,
    /// The credentials were right but `max_sessions` users are logged in (SDK 52).
    TooManySessions,
}

/// One simulated device of a scenario.
#[derive(Debug)]
pub struct Device {
    spec: DeviceSpec,
    pacing: Pacing,
    state: Mutex<DeviceState>,
    ptz: Mutex<BTreeMap<i32, PtzState>>,
    rtsp_port: AtomicU16,
    http_port: AtomicU16,
    recordings: Mutex<Recordings>,
    /// The clock's offset and zone (`time.rs`); locked alone.
    pub(crate) clock: Mutex<ClockState>,
    alarms: AlarmHub,
    config: Mutex<crate::config::ConfigState>,
}

impl Device {
    /// A device in its scenario state; `default_pacing` is the scenario's, used when the
    /// device sets none. Its recording timeline runs on the wall clock
    /// ([`recordings`](Self::recordings) pins it).
    ///
    /// # Panics
    /// If `spec` did not pass [`DeviceSpec::validate`] (which every parsed scenario has):
    /// validation builds the timeline once and reports a bad time zone or recording table.
    pub fn new(spec: DeviceSpec, default_pacing: Pacing) -> Device {
        let recordings = Recordings::new(&spec, Clock::Wall).unwrap_or_else(|e| {
            panic!(
                "device {}: {e} (DeviceSpec::validate reports this)",
                spec.address
            )
        });
        let clock = ClockState::new(recordings.time_zone(), recordings.clock().now());
        Device {
            recordings: Mutex::new(recordings),
            clock: Mutex::new(clock),
            alarms: AlarmHub::default(),
            config: Mutex::new(crate::config::ConfigState::new(&spec)),
            pacing: spec.pacing.unwrap_or(default_pacing),
            state: Mutex::new(DeviceState {
                online: spec.online,
                failed_logins: 0,
                locked_until: None,
                sessions: 0,
                links: 0,
                name: spec.charset.encode(&spec.name),
            }),
            ptz: Mutex::new(BTreeMap::new()),
            rtsp_port: AtomicU16::new(554),
            http_port: AtomicU16::new(80),
            spec,
        }
    }

    /// The scenario entry (with defaults filled in).
    pub fn spec(&self) -> &DeviceSpec {
        &self.spec
    }

    /// The recording timeline (search, downloads, playback streams); lock it briefly.
    pub fn recordings(&self) -> MutexGuard<'_, Recordings> {
        lock(&self.recordings)
    }

    /// Its armings ([`crate::alarms`]).
    pub(crate) fn alarm_hub(&self) -> &AlarmHub {
        &self.alarms
    }

    /// The stored configuration ([`crate::config`]), locked briefly.
    pub(crate) fn config(&self) -> MutexGuard<'_, crate::config::ConfigState> {
        lock(&self.config)
    }

    /// How fast its preview data flows.
    pub fn pacing(&self) -> Pacing {
        self.pacing
    }

    /// The run-time state, locked. Do not hold it while calling another method.
    pub fn state(&self) -> MutexGuard<'_, DeviceState> {
        lock(&self.state)
    }

    /// Whether the device answers (a rebooted device comes back here once its time is up:
    /// [`Device::up_at`]).
    pub fn online(&self) -> bool {
        self.up_at(Instant::now());
        self.state().online
    }

    /// Turn the device on or off; returns the previous flag.
    pub fn set_online(&self, online: bool) -> bool {
        std::mem::replace(&mut self.state().online, online)
    }

    /// The device name as sent on the wire.
    pub fn name_bytes(&self) -> Vec<u8> {
        self.state().name.clone()
    }

    /// Store a new device name (bytes as the client sent them).
    pub fn set_name_bytes(&self, name: Vec<u8>) {
        self.state().name = name;
    }

    /// The device name as text: the scenario's while unchanged, else the stored bytes read
    /// as UTF-8 (lossy).
    pub fn name_text(&self) -> String {
        let raw = self.name_bytes();
        if raw == self.spec.charset.encode(&self.spec.name) {
            self.spec.name.clone()
        } else {
            String::from_utf8_lossy(&raw).into_owned()
        }
    }

    /// The RTSP port the device advertises (`Security/adminAccesses`); 554 until the
    /// emulator sets the port it listens on.
    pub fn rtsp_port(&self) -> u16 {
        self.rtsp_port.load(Ordering::Relaxed)
    }

    /// Set the advertised RTSP port.
    pub fn set_rtsp_port(&self, port: u16) {
        self.rtsp_port.store(port, Ordering::Relaxed);
    }

    /// The HTTP port the device advertises (`Security/adminAccesses`); 80 until the
    /// emulator sets the port its HTTP face listens on.
    pub fn http_port(&self) -> u16 {
        self.http_port.load(Ordering::Relaxed)
    }

    /// Set the advertised HTTP port.
    pub fn set_http_port(&self, port: u16) {
        self.http_port.store(port, Ordering::Relaxed);
    }

    /// Back to the scenario state: online flag, no failed logins or lock, PTZ heads home.
    /// Sessions, links and the name stay.
    pub fn reset(&self) {
        let mut st = self.state();
        st.online = self.spec.online;
        st.failed_logins = 0;
        st.locked_until = None;
        drop(st);
        lock(&self.ptz).clear();
    }

    /// One login attempt at `now`, under the lock-out rules:
    /// * offline: [`LoginOutcome::Offline`];
    /// * while locked, every attempt (even a right one) gives `Locked` with the seconds left;
    ///   the lock then expires and the count starts again;
    /// * an unknown user, or `check(stored_password)` false, counts a failure: `WrongPassword`
    ///   with the attempts left, and the attempt that reaches `login_retry_limit` (0 = never)
    ///   locks the device for `lock_seconds` (`Locked`);
    /// * right, but `max_sessions` sessions: `TooManySessions` (the count stays);
    /// * right: the count resets, a session is counted, `Ok` with the role.
    ///
    /// `check` gets the scenario's clear password: the mock compares it with what the client
    /// sent, the emulator hashes it with the salt and challenge it gave out.
    pub fn login_attempt(
        &self,
        user: &str,
        check: impl FnOnce(&str) -> bool,
        now: Instant,
    ) -> LoginOutcome {
        let spec = &self.spec;
        let mut st = self.state();
        if !st.online {
            return LoginOutcome::Offline;
        }
        if let Some(until) = st.locked_until {
            if now < until {
                let left = (until - now).as_secs_f64().ceil() as u32;
                return LoginOutcome::Locked {
                    seconds_left: left.max(1),
                };
            }
            st.locked_until = None;
            st.failed_logins = 0;
        }
        let found = spec.users.iter().find(|u| u.name == user);
        let Some(found) = found.filter(|u| check(&u.password)) else {
            st.failed_logins += 1;
            let limit = u32::from(spec.login_retry_limit);
            if limit > 0 && st.failed_logins >= limit {
                st.locked_until = Some(now + Duration::from_secs(u64::from(spec.lock_seconds)));
                return LoginOutcome::Locked {
                    seconds_left: spec.lock_seconds,
                };
            }
            return LoginOutcome::WrongPassword {
                attempts_left: limit.saturating_sub(st.failed_logins).min(255) as u8,
            };
        };
        if st.sessions >= spec.max_sessions {
            return LoginOutcome::TooManySessions;
        }
        st.failed_logins = 0;
        st.sessions += 1;
        LoginOutcome::Ok {
            role: found.role,
            attempts_left: spec.login_retry_limit,
        }
    }

    /// Attempts left before the device locks (`byRetryLoginTime`, reported on success too).
    pub fn retries_left(&self) -> u8 {
        let limit = u32::from(self.spec.login_retry_limit);
        limit.saturating_sub(self.state().failed_logins).min(255) as u8
    }

    /// A session ended (logout, or a granted login that could not be registered).
    pub fn end_session(&self) {
        let mut st = self.state();
        st.sessions = st.sessions.saturating_sub(1);
    }

    /// Take a preview link: [`DeviceError::TooManyLinks`] when `max_links` run.
    pub fn open_link(&self) -> Result<(), DeviceError> {
        let mut st = self.state();
        if st.links >= self.spec.max_links {
            return Err(DeviceError::TooManyLinks);
        }
        st.links += 1;
        Ok(())
    }

    /// Give a preview link back.
    pub fn close_link(&self) {
        let mut st = self.state();
        st.links = st.links.saturating_sub(1);
    }

    /// Whether `channel` is one of the device's channel numbers, else
    /// [`DeviceError::NoChannel`].
    pub fn check_channel(&self, channel: i32) -> Result<(), DeviceError> {
        if self.spec.has_channel(channel) {
            Ok(())
        } else {
            Err(DeviceError::NoChannel)
        }
    }

    /// Run `f` on a channel's PTZ head after the checks every PTZ request makes, classic or
    /// ISAPI: the channel exists ([`DeviceError::NoChannel`]), the device has PTZ
    /// (`NotSupported`), the role may move it (`NoRight`). Reachability is the face's check.
    pub fn ptz<R, E: From<DeviceError>>(
        &self,
        channel: i32,
        role: Role,
        f: impl FnOnce(&mut PtzState) -> Result<R, E>,
    ) -> Result<R, E> {
        self.check_channel(channel)?;
        if !self.spec.ptz {
            return Err(DeviceError::NotSupported.into());
        }
        if !role.can_ptz() {
            return Err(DeviceError::NoRight.into());
        }
        let mut map = lock(&self.ptz);
        let st = map
            .entry(channel)
            .or_insert_with(|| PtzState::new(self.spec.max_zoom));
        f(st)
    }

    /// A snapshot of `channel`: the JPEG ([`DeviceError::NoChannel`] for a channel the device
    /// does not have).
    pub fn picture(&self, channel: i32) -> Result<&'static [u8], DeviceError> {
        self.check_channel(channel)?;
        Ok(media::snapshot_jpeg())
    }
}

#[cfg(test)]
mod tests;
