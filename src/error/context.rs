//! Where a failing call was aimed ([`Context`]) and what a failed login says about the
//! account ([`LoginState`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::DateTime;

/// Where the failing call was aimed. Never holds a password.
///
/// Copying one allocates nothing (the address is shared, the rest is plain data), so the
/// call layer can build it only when a call fails.
///
/// ```
/// use hcnetsdk::Context;
/// use hcnetsdk::jiff::civil::date;
///
/// let ctx = Context::device("192.0.2.10", 8000).with_user_id(0).with_channel(1);
/// assert_eq!(ctx.to_string(), "192.0.2.10:8000 (user 0, channel 1)");
/// let day = date(2026, 12, 1);
/// let ctx = ctx.with_time_range(day.at(0, 0, 0, 0), day.at(23, 59, 59, 0));
/// assert_eq!(
///     ctx.to_string(),
///     "192.0.2.10:8000 (user 0, channel 1, 2026-12-01T00:00:00..2026-12-01T23:59:59)"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// Device address as given to login (shared with the session: copying a context
    /// allocates nothing).
    pub address: Option<Arc<str>>,
    /// Device port.
    pub port: Option<u16>,
    /// SDK user ID of the session.
    pub user_id: Option<i32>,
    /// Channel number.
    pub channel: Option<u32>,
    /// Preview/playback/other handle.
    pub handle: Option<i32>,
    /// The time range of a recording call (search, download, playback by time).
    pub time_range: Option<TimeRange>,
}

/// The time range a recording call asked for, as the SDK was given it: the device's
/// wall-clock times (`NET_DVR_TIME` carries no zone; see [`crate::DeviceTime`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TimeRange {
    /// Start (`struStartTime`).
    pub start: DateTime,
    /// End (`struStopTime`).
    pub end: DateTime,
}

impl fmt::Display for TimeRange {
    /// `2026-12-01T00:00:00..2026-12-01T23:59:59`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl Context {
    /// A context for a call aimed at `address:port`.
    #[must_use]
    pub fn device(address: impl Into<Arc<str>>, port: u16) -> Self {
        Self {
            address: Some(address.into()),
            port: Some(port),
            ..Self::default()
        }
    }

    /// With the session's SDK user ID.
    #[must_use]
    pub fn with_user_id(mut self, user_id: i32) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// With the channel number.
    #[must_use]
    pub fn with_channel(mut self, channel: u32) -> Self {
        self.channel = Some(channel);
        self
    }

    /// With the preview/playback/other handle.
    #[must_use]
    pub fn with_handle(mut self, handle: i32) -> Self {
        self.handle = Some(handle);
        self
    }

    /// With the time range of a recording call (device wall-clock times, as sent).
    #[must_use]
    pub fn with_time_range(mut self, start: DateTime, end: DateTime) -> Self {
        self.time_range = Some(TimeRange { start, end });
        self
    }

    /// Whether nothing is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `address:port` (`[v6]:port` for IPv6), if the address is known.
    pub(super) fn endpoint(&self) -> Option<String> {
        let a = self.address.as_deref()?;
        Some(match self.port {
            Some(p) => crate::Endpoint::new(a, p).to_string(),
            None => a.to_owned(),
        })
    }

    /// `user 0, channel 1, handle 5, 2026-12-01T00:00:00..2026-12-01T23:59:59`, the parts
    /// that are known.
    pub(super) fn ids(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.user_id.map(|v| format!("user {v}")),
            self.channel.map(|v| format!("channel {v}")),
            self.handle.map(|v| format!("handle {v}")),
            self.time_range.map(|r| r.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl fmt::Display for Context {
    /// `192.0.2.10:8000 (user 0, channel 1, handle 5, <start>..<end>)`, leaving out what is
    /// unknown; `-` when nothing is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.endpoint(), self.ids()) {
            (Some(e), Some(i)) => write!(f, "{e} ({i})"),
            (Some(e), None) => f.write_str(&e),
            (None, Some(i)) => f.write_str(&i),
            (None, None) => f.write_str("-"),
        }
    }
}

/// What a failed login says about the account: attempts left before it locks, or how long
/// the lock lasts (from `NET_DVR_DEVICEINFO_V40`).
///
/// ```
/// use std::time::Duration;
/// use hcnetsdk::LoginState;
///
/// assert_eq!(LoginState::new(Some(2), None).to_string(), "2 attempts left");
/// let locked = LoginState::new(None, Some(Duration::from_secs(1500)));
/// assert_eq!(locked.to_string(), "account locked for another 25 min");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoginState {
    /// Attempts left before the account locks (`byRetryLoginTime`).
    pub attempts_left: Option<u8>,
    /// Time until the lock ends (`dwSurplusLockTime`).
    pub lock_remaining: Option<Duration>,
}

impl LoginState {
    /// A login state from what the device reported.
    #[must_use]
    pub const fn new(attempts_left: Option<u8>, lock_remaining: Option<Duration>) -> Self {
        Self {
            attempts_left,
            lock_remaining,
        }
    }

    /// Whether the device reported nothing.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.attempts_left.is_none() && self.lock_remaining.is_none()
    }

    /// A full sentence for the report.
    pub(super) fn sentence(&self) -> String {
        let mut parts = Vec::new();
        match self.attempts_left {
            Some(0) => parts.push(
                "No login attempts are left: the account is locked or locks on the next failure."
                    .to_owned(),
            ),
            Some(1) => parts.push(
                "1 login attempt is left before the account locks (error 153); do not spend it on a guess."
                    .to_owned(),
            ),
            Some(n) => parts.push(format!(
                "{n} login attempts are left before the account locks (error 153)."
            )),
            None => {}
        }
        if let Some(d) = self.lock_remaining {
            parts.push(format!(
                "The account is locked for another {}; wait for the lock to end before one careful retry.",
                human_duration(d)
            ));
        }
        parts.join(" ")
    }
}

impl fmt::Display for LoginState {
    /// `2 attempts left`, `account locked for another 25 min`, both joined by `; `, or
    /// nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(n) = self.attempts_left {
            let s = if n == 1 { "" } else { "s" };
            write!(f, "{n} attempt{s} left")?;
            sep = "; ";
        }
        if let Some(d) = self.lock_remaining {
            write!(f, "{sep}account locked for another {}", human_duration(d))?;
        }
        Ok(())
    }
}

/// `1 h 5 min`, `25 min`, `25 min 30 s`, `45 s`.
pub(super) fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}
