//! What kind of failure a code is ([`Category`]) and whether retrying can help ([`Retry`]).

use std::fmt;
use std::str::FromStr;

/// What kind of failure an error code reports.
///
/// Every catalogued code has exactly one. `Display` gives the catalogue id (`"auth"`,
/// `"sdk_setup"`, ...), which [`FromStr`] parses back; [`Category::describe`] gives a
/// phrase for people.
///
/// ```
/// use hcnetsdk::error::Category;
///
/// assert_eq!(Category::SdkSetup.to_string(), "sdk_setup");
/// assert_eq!("auth".parse::<Category>(), Ok(Category::Auth));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    /// Not an error (only `NET_DVR_NOERROR` and success rows of other systems).
    None,
    /// The credentials were rejected or the account is locked. Never retried automatically.
    Auth,
    /// The account lacks a right for this operation or channel.
    Permission,
    /// Connecting, sending or receiving failed.
    Network,
    /// The device or a peer did not answer in time.
    Timeout,
    /// An argument is missing, malformed or out of range.
    Parameter,
    /// A limit was reached: connections, users, channels, memory, handles.
    Resource,
    /// The device failed or is in a state that prevents the operation.
    Device,
    /// Disks, files or recording storage.
    Storage,
    /// Playback, download or record search.
    Playback,
    /// Decoding, the player library, stream formats, audio.
    Media,
    /// The local SDK setup: initialisation, components, libraries, environment.
    SdkSetup,
    /// The device or SDK does not support the function.
    Unsupported,
    /// The call came in the wrong order or while something else is in progress.
    State,
    /// The device rejected configuration values.
    Config,
    /// An internal failure with no better bucket.
    Internal,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 16] = [
        Category::None,
        Category::Auth,
        Category::Permission,
        Category::Network,
        Category::Timeout,
        Category::Parameter,
        Category::Resource,
        Category::Device,
        Category::Storage,
        Category::Playback,
        Category::Media,
        Category::SdkSetup,
        Category::Unsupported,
        Category::State,
        Category::Config,
        Category::Internal,
    ];

    /// The catalogue id, e.g. `"sdk_setup"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::None => "none",
            Category::Auth => "auth",
            Category::Permission => "permission",
            Category::Network => "network",
            Category::Timeout => "timeout",
            Category::Parameter => "parameter",
            Category::Resource => "resource",
            Category::Device => "device",
            Category::Storage => "storage",
            Category::Playback => "playback",
            Category::Media => "media",
            Category::SdkSetup => "sdk_setup",
            Category::Unsupported => "unsupported",
            Category::State => "state",
            Category::Config => "config",
            Category::Internal => "internal",
        }
    }

    /// A short phrase for people, e.g. `"local SDK setup"`.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Category::None => "no error",
            Category::Auth => "authentication",
            Category::Permission => "permission",
            Category::Network => "network",
            Category::Timeout => "timeout",
            Category::Parameter => "bad parameter",
            Category::Resource => "resource or limit",
            Category::Device => "device-side failure",
            Category::Storage => "storage",
            Category::Playback => "playback or download",
            Category::Media => "media or player library",
            Category::SdkSetup => "local SDK setup",
            Category::Unsupported => "not supported",
            Category::State => "wrong state or call order",
            Category::Config => "configuration rejected",
            Category::Internal => "internal failure",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A string that is not a [`Category`] or [`Retry`] id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}; valid: {valid}")]
#[non_exhaustive]
pub struct ParseIdError {
    /// `"category"` or `"retry"`.
    pub what: &'static str,
    /// The rejected text.
    pub value: String,
    /// The valid ids, comma-separated.
    pub valid: String,
}

impl FromStr for Category {
    type Err = ParseIdError;

    /// Parses a catalogue id (`"auth"`, `"sdk_setup"`, ...).
    ///
    /// # Errors
    ///
    /// [`ParseIdError`] listing the valid ids when `s` is none of them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ParseIdError {
                what: "category",
                value: s.to_owned(),
                valid: Category::ALL.map(Category::as_str).join(", "),
            })
    }
}

/// Whether retrying a failed call can help, and how.
///
/// ```
/// use hcnetsdk::error::Retry;
///
/// assert!(!Retry::NeverAuto.is_retryable());
/// assert!(Retry::Backoff.is_retryable());
/// assert_eq!(Retry::NeverAuto.to_string(), "never_auto");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Retry {
    /// Retrying the same call cannot help (unsupported, wrong value, missing thing).
    No,
    /// Must not be retried automatically: repeated failed logins lock the account
    /// (`NET_DVR_USER_LOCKED`, 153). Only a person who corrected the input may try again.
    NeverAuto,
    /// Retry only after fixing the input, configuration or environment the remediation names.
    AfterFix,
    /// Transient: retrying with exponential backoff can help.
    Backoff,
    /// Wait for a state to end (a lock, a format, an operation in progress), then retry.
    AfterWait,
}

impl Retry {
    /// Every retry class, in declaration order.
    pub const ALL: [Retry; 5] = [
        Retry::No,
        Retry::NeverAuto,
        Retry::AfterFix,
        Retry::Backoff,
        Retry::AfterWait,
    ];

    /// The catalogue id, e.g. `"never_auto"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Retry::No => "no",
            Retry::NeverAuto => "never_auto",
            Retry::AfterFix => "after_fix",
            Retry::Backoff => "backoff",
            Retry::AfterWait => "after_wait",
        }
    }

    /// Whether a program may retry the same call automatically, unchanged (with backoff or
    /// after waiting). `false` for [`Retry::NeverAuto`], [`Retry::No`] and
    /// [`Retry::AfterFix`].
    #[must_use]
    pub const fn is_retryable(self) -> bool {
        matches!(self, Retry::Backoff | Retry::AfterWait)
    }

    /// One sentence of retry advice for people.
    #[must_use]
    pub const fn advice(self) -> &'static str {
        match self {
            Retry::No => "Retrying the same call cannot help.",
            Retry::NeverAuto => {
                "Do not retry automatically: each failed login counts toward the account lock \
                 (NET_DVR_USER_LOCKED, 153). Retry only after a person has corrected the credentials."
            }
            Retry::AfterFix => "Retry only after fixing the cause named above.",
            Retry::Backoff => {
                "The failure may be transient: retry with exponential backoff (for example 1 s, 2 s, 4 s) and give up after a few attempts."
            }
            Retry::AfterWait => {
                "Wait for the device or the SDK to finish what it is doing (or for the lock to end), then retry."
            }
        }
    }
}

impl fmt::Display for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Retry {
    type Err = ParseIdError;

    /// Parses a catalogue id (`"no"`, `"never_auto"`, ...).
    ///
    /// # Errors
    ///
    /// [`ParseIdError`] listing the valid ids when `s` is none of them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Retry::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ParseIdError {
                what: "retry",
                value: s.to_owned(),
                valid: Retry::ALL.map(Retry::as_str).join(", "),
            })
    }
}
