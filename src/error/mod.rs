//! Typed errors with a diagnosis: what happened, where, the likely causes, what to do and
//! whether retrying can help.
//!
//! Every failed SDK call becomes an [`Error`]. Its [`ErrorKind`] says what failed; for SDK
//! failures the [`ErrorCode`] (one variant per HCNetSDK code, by C name) leads to the
//! catalogue: [`Category`], [`Retry`], English and Chinese messages, causes and remediation.
//! The catalogue is data (`src/catalog/hcnetsdk/*.toml`) that `cargo run -p xtask -- catalog`
//! turns into the checked-in code under `src/error/generated/`.
//!
//! Besides HCNetSDK's codes, the module carries the two other Hikvision error systems a
//! client meets: [`playm4`] (the player library) and [`isapi`] (ISAPI `ResponseStatus`),
//! as [`table::CodeTable`]s.
//!
//! `{}` on an [`Error`] prints one line; `{:#}` (or [`Error::report`]) prints the whole
//! diagnosis:
//!
//! ```
//! use hcnetsdk::error::{Category, Retry};
//! use hcnetsdk::{Context, Error, ErrorCode, LoginState};
//!
//! let err = Error::sdk(1, "NET_DVR_Login_V40", Context::device("192.0.2.10", 8000), None)
//!     .with_login_state(LoginState::new(Some(2), None));
//! assert_eq!(err.code(), Some(ErrorCode::NET_DVR_PASSWORD_ERROR));
//! assert_eq!(err.category(), Category::Auth);
//! assert_eq!(err.retry(), Retry::NeverAuto);
//! assert_eq!(
//!     err.to_string(),
//!     "NET_DVR_Login_V40 to 192.0.2.10:8000 failed: NET_DVR_PASSWORD_ERROR (1, auth): \
//!      the device refused the user name or password (2 attempts left)"
//! );
//! let report = format!("{err:#}");
//! assert!(report.contains("what to do:"));
//! assert!(report.contains("Do not retry automatically"));
//! ```

mod catalog;
mod category;
pub mod isapi;
pub mod playm4;
mod report;
pub mod table;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use catalog::{
    CodeInfo, ErrorCode, GroupInfo, Operation, OperationEntry, RemediationSource, Tip, codes,
    group, groups, operation, operations, tips,
};
pub use category::{Category, ParseIdError, Retry};
pub use report::Report;

/// Result with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where the failing call was aimed. Never holds a password.
///
/// ```
/// use hcnetsdk::Context;
///
/// let ctx = Context::device("192.0.2.10", 8000).with_user_id(0).with_channel(1);
/// assert_eq!(ctx.to_string(), "192.0.2.10:8000 (user 0, channel 1)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// Device address as given to login.
    pub address: Option<String>,
    /// Device port.
    pub port: Option<u16>,
    /// SDK user ID of the session.
    pub user_id: Option<i32>,
    /// Channel number.
    pub channel: Option<i32>,
    /// Preview/playback/other handle.
    pub handle: Option<i32>,
}

impl Context {
    /// A context for a call aimed at `address:port`.
    #[must_use]
    pub fn device(address: impl Into<String>, port: u16) -> Self {
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
    pub fn with_channel(mut self, channel: i32) -> Self {
        self.channel = Some(channel);
        self
    }

    /// With the preview/playback/other handle.
    #[must_use]
    pub fn with_handle(mut self, handle: i32) -> Self {
        self.handle = Some(handle);
        self
    }

    /// Whether nothing is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `address:port` (`[v6]:port` for IPv6), if the address is known.
    fn endpoint(&self) -> Option<String> {
        let a = self.address.as_deref()?;
        Some(match self.port {
            Some(p) if a.contains(':') => format!("[{a}]:{p}"),
            Some(p) => format!("{a}:{p}"),
            None => a.to_owned(),
        })
    }

    /// `user 0, channel 1, handle 5`, the parts that are known.
    fn ids(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.user_id.map(|v| format!("user {v}")),
            self.channel.map(|v| format!("channel {v}")),
            self.handle.map(|v| format!("handle {v}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl fmt::Display for Context {
    /// `192.0.2.10:8000 (user 0, channel 1, handle 5)`, leaving out what is unknown; `-`
    /// when nothing is.
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
    fn sentence(&self) -> String {
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
fn human_duration(d: Duration) -> String {
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

/// What failed. Read it with [`Error::kind`].
///
/// Its `Display` is the bare fact (`NET_DVR_PASSWORD_ERROR (1)`); [`Error`]'s adds the call,
/// context, message and advice.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An SDK call failed and `NET_DVR_GetLastError` returned `code`.
    #[non_exhaustive]
    #[error("{code}")]
    Sdk {
        /// The code, [`ErrorCode::Unknown`] if it is not in the catalogue.
        code: ErrorCode,
        /// The SDK's own text from `NET_DVR_GetErrorMsg`, when there was one.
        sdk_message: Option<String>,
    },
    /// An SDK call reported failure but `NET_DVR_GetLastError` returned 0. The real SDK does
    /// this in some states; it is a failure all the same.
    #[error("the call failed, but NET_DVR_GetLastError returned 0 (no code)")]
    FailedWithoutCode,
    /// The SDK library could not be loaded.
    #[error(transparent)]
    Load(hcnetsdk_sys::LoadError),
    /// The loaded SDK does not export a function this call needs.
    #[error(transparent)]
    MissingSymbol(hcnetsdk_sys::MissingSymbol),
    /// A component the SDK needs beside its library is missing.
    #[error(transparent)]
    MissingComponent(hcnetsdk_sys::components::MissingComponent),
    /// An argument was rejected before any SDK call.
    #[non_exhaustive]
    #[error("invalid {field} {value}: {fix}")]
    InvalidInput {
        /// The parameter.
        field: &'static str,
        /// The rejected value as shown to people (a placeholder for secrets).
        value: String,
        /// What to do instead.
        fix: String,
    },
    /// A user callback panicked inside an SDK callback; the panic was caught there and never
    /// crossed into C.
    #[non_exhaustive]
    #[error("a callback panicked: {message}")]
    CallbackPanicked {
        /// The panic message.
        message: String,
    },
    /// A file operation of this crate failed.
    #[non_exhaustive]
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// The error type of this crate: what failed ([`ErrorKind`]), in which SDK call, aimed
/// where ([`Context`], never a password), and for logins what the device said about the
/// account ([`LoginState`]).
///
/// Display (`{}`) gives one readable line; the alternate form (`{:#}`) and
/// [`Error::report`] give the multi-line diagnosis.
#[non_exhaustive]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    call: Option<&'static str>,
    context: Context,
    login_state: Option<LoginState>,
}

impl Error {
    #[cold]
    fn new(kind: ErrorKind, call: Option<&'static str>, context: Context) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                call,
                context,
                login_state: None,
            }),
        }
    }

    /// The error for a failed SDK call: `code` from `NET_DVR_GetLastError` (read right after
    /// the call, on the same thread), `sdk_message` from `NET_DVR_GetErrorMsg`.
    ///
    /// Code 0 becomes [`ErrorKind::FailedWithoutCode`]: a failed call never reads as "no
    /// error". The safe API builds these itself; this constructor is public for code that
    /// calls `hcnetsdk-sys` directly and wants the same diagnosis.
    ///
    /// ```
    /// use hcnetsdk::error::ErrorKind;
    /// use hcnetsdk::{Context, Error};
    ///
    /// let err = Error::sdk(0, "NET_DVR_RealPlay_V40", Context::default(), None);
    /// assert!(matches!(err.kind(), ErrorKind::FailedWithoutCode));
    /// assert_eq!(err.raw_code(), Some(0));
    /// assert_eq!(err.code(), None);
    /// ```
    #[cold]
    #[must_use]
    pub fn sdk(
        code: u32,
        call: &'static str,
        context: Context,
        sdk_message: Option<String>,
    ) -> Self {
        let kind = if code == 0 {
            // The SDK's text for 0 says "no error", which is exactly what must not be shown.
            ErrorKind::FailedWithoutCode
        } else {
            let sdk_message = sdk_message
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty());
            ErrorKind::Sdk {
                code: ErrorCode::from_raw(code),
                sdk_message,
            }
        };
        Self::new(kind, Some(call), context)
    }

    /// Bad input caught before any SDK call. `field` names the parameter, `value` shows the
    /// bad value (never a password: pass a placeholder), `fix` says what to do.
    #[cold]
    #[allow(dead_code)] // used by the input checks of the safe API
    pub(crate) fn invalid_input(
        field: &'static str,
        value: impl fmt::Display,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(
            ErrorKind::InvalidInput {
                field,
                value: value.to_string(),
                fix: fix.into(),
            },
            None,
            Context::default(),
        )
    }

    /// A user callback registered through `call` panicked with `message`.
    #[cold]
    #[allow(dead_code)] // used by the callback trampolines
    pub(crate) fn callback_panicked(call: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::CallbackPanicked {
                message: message.into(),
            },
            Some(call),
            Context::default(),
        )
    }

    /// A file operation on `path`, done for `call`, failed with `err`.
    #[cold]
    #[allow(dead_code)] // used by preview/snapshot file output
    pub(crate) fn io(call: &'static str, path: impl AsRef<Path>, err: std::io::Error) -> Self {
        Self::new(
            ErrorKind::Io {
                path: path.as_ref().to_path_buf(),
                source: err,
            },
            Some(call),
            Context::default(),
        )
    }

    /// Attach what a failed login said about the account (attempts left, lock time).
    #[must_use]
    pub fn with_login_state(mut self, state: LoginState) -> Self {
        self.inner.login_state = (!state.is_empty()).then_some(state);
        self
    }

    /// Attach or replace the name of the SDK function that failed.
    #[must_use]
    pub fn with_call(mut self, call: &'static str) -> Self {
        self.inner.call = Some(call);
        self
    }

    /// Attach or replace where the call was aimed.
    #[must_use]
    pub fn with_context(mut self, context: Context) -> Self {
        self.inner.context = context;
        self
    }

    /// What failed.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The typed SDK code, for [`ErrorKind::Sdk`]. `None` otherwise, including
    /// [`ErrorKind::FailedWithoutCode`] (whose [`raw_code`](Self::raw_code) is `Some(0)`).
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The raw value `NET_DVR_GetLastError` returned, if this came from the SDK (`Some(0)`
    /// for [`ErrorKind::FailedWithoutCode`]).
    #[must_use]
    pub fn raw_code(&self) -> Option<u32> {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => Some(code.raw()),
            ErrorKind::FailedWithoutCode => Some(0),
            _ => None,
        }
    }

    /// The SDK function that failed (or the symbol that is missing).
    #[must_use]
    pub fn call(&self) -> Option<&'static str> {
        self.inner.call
    }

    /// Where the call was aimed.
    #[must_use]
    pub fn context(&self) -> &Context {
        &self.inner.context
    }

    /// The SDK's own message (`NET_DVR_GetErrorMsg`), when there was one.
    #[must_use]
    pub fn sdk_message(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Sdk { sdk_message, .. } => sdk_message.as_deref(),
            _ => None,
        }
    }

    /// What a failed login said about the account.
    #[must_use]
    pub fn login_state(&self) -> Option<LoginState> {
        self.inner.login_state
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn category(&self) -> Category {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code.category(),
            ErrorKind::FailedWithoutCode | ErrorKind::CallbackPanicked { .. } => Category::Internal,
            ErrorKind::Load(_) | ErrorKind::MissingComponent(_) => Category::SdkSetup,
            ErrorKind::MissingSymbol(_) => Category::Unsupported,
            ErrorKind::InvalidInput { .. } => Category::Parameter,
            ErrorKind::Io { .. } => Category::Storage,
        }
    }

    /// Whether retrying can help, and how.
    #[must_use]
    pub fn retry(&self) -> Retry {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code.retry(),
            ErrorKind::MissingSymbol(_) => Retry::No,
            _ => Retry::AfterFix,
        }
    }

    /// Whether a program may retry the same call automatically (with backoff or after a
    /// wait). Always `false` for authentication failures.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        self.retry().is_retryable()
    }

    /// One sentence of retry advice.
    #[must_use]
    pub fn retry_advice(&self) -> &'static str {
        self.retry().advice()
    }

    /// What to do: the code's own remediation, else its group's, else text for this kind of
    /// failure. Never empty.
    #[must_use]
    pub fn remediation(&self) -> Cow<'_, str> {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => Cow::Borrowed(code.remediation()),
            ErrorKind::FailedWithoutCode => Cow::Borrowed(FAILED_WITHOUT_CODE_REMEDIATION),
            ErrorKind::Load(_) => Cow::Owned(format!(
                "Point HCNETSDK_LIB_DIR at the folder that holds {} (with libHCCore, libhpr and \
                 HCNetSDKCom/ beside it, as shipped), or HCNETSDK_LIB at the file itself, or pass \
                 the path in code. Check that the library matches this program's architecture.",
                hcnetsdk_sys::library_file_name()
            )),
            ErrorKind::MissingSymbol(_) => Cow::Borrowed(
                "Install a newer HCNetSDK that exports this function, or avoid this call; the \
                 other calls keep working.",
            ),
            ErrorKind::MissingComponent(_) => Cow::Borrowed(
                "Keep the SDK's lib folder whole: libhcnetsdk, libHCCore, libhpr, libcrypto/libssl \
                 and the HCNetSDKCom/ folder side by side, as shipped. Without them later calls \
                 fail with misleading codes such as 29, 41 or 107.",
            ),
            ErrorKind::InvalidInput { fix, .. } => Cow::Borrowed(fix),
            ErrorKind::CallbackPanicked { .. } => Cow::Borrowed(
                "Fix the panic in your callback. Callbacks run on SDK threads: return quickly, \
                 never panic, and hand work to another thread through a channel.",
            ),
            ErrorKind::Io { .. } => Cow::Borrowed(
                "Check that the folder exists, that this process may write there and that the \
                 disk has space.",
            ),
        }
    }

    /// Whether [`remediation`](Self::remediation) was written for this code, comes from its
    /// group, or is text for this kind of failure.
    #[must_use]
    pub fn remediation_source(&self) -> RemediationSource {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code
                .info()
                .map_or(RemediationSource::Kind, |i| i.remediation_source),
            _ => RemediationSource::Kind,
        }
    }

    /// Likely causes (may be empty).
    #[must_use]
    pub fn causes(&self) -> &'static [&'static str] {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code.causes(),
            ErrorKind::FailedWithoutCode => &[
                "The SDK failed in a state where it does not record a code (for example a call before NET_DVR_Init, or on a handle that is already closed).",
                "Another SDK call on the same thread replaced the code before it was read.",
            ],
            ErrorKind::Load(_) => &[
                "The library is not where the loader looked (HCNETSDK_LIB_DIR, HCNETSDK_LIB, the executable's folder, the system search path).",
                "A library it depends on (libHCCore, libhpr, libcrypto, libssl) is missing or for another architecture.",
            ],
            ErrorKind::MissingSymbol(_) => {
                &["The installed HCNetSDK is older than the function this call needs."]
            }
            ErrorKind::MissingComponent(_) => {
                &["The SDK's lib folder was copied without HCNetSDKCom/ or the crypto libraries."]
            }
            _ => &[],
        }
    }

    /// The multi-line diagnosis: what happened, where, likely causes, what to do, retry
    /// advice and, for logins, attempts left or lock time. Same as `format!("{err:#}")`.
    #[must_use]
    pub fn report(&self) -> Report<'_> {
        Report::new(self)
    }

    /// `NET_DVR_Login_V40 to 192.0.2.10:8000 (user 0)`, or what is known of it.
    fn head(&self) -> String {
        let call = self.inner.call.unwrap_or("an SDK call");
        let ctx = &self.inner.context;
        let mut s = call.to_owned();
        if let Some(e) = ctx.endpoint() {
            s.push_str(" to ");
            s.push_str(&e);
        }
        if let Some(i) = ctx.ids() {
            s.push_str(" (");
            s.push_str(&i);
            s.push(')');
        }
        s
    }

    /// The one-line form, without the alternate flag.
    fn line(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        match &i.kind {
            ErrorKind::Sdk { code, sdk_message } => {
                write!(f, "{} failed: ", self.head())?;
                match code.info() {
                    Some(info) => write!(
                        f,
                        "{} ({}, {}): {}",
                        info.name,
                        info.value,
                        info.category,
                        sentence_fragment(info.message_en)
                    )?,
                    None => {
                        write!(f, "unknown error code {}", code.raw())?;
                        if let Some(m) = sdk_message {
                            write!(f, " (SDK says: {m})")?;
                        }
                    }
                }
            }
            ErrorKind::FailedWithoutCode => write!(
                f,
                "{} failed, but NET_DVR_GetLastError returned 0: the SDK did not record a code for this failure",
                self.head()
            )?,
            ErrorKind::Load(e) => {
                let n = e.attempts.len();
                write!(
                    f,
                    "could not load the HCNetSDK library {} ({n} candidate{} tried)",
                    hcnetsdk_sys::library_file_name(),
                    if n == 1 { "" } else { "s" }
                )?;
            }
            ErrorKind::MissingSymbol(e) => write!(
                f,
                "the SDK at {} does not export {}; this call needs a newer HCNetSDK",
                e.library.display(),
                e.symbol
            )?,
            ErrorKind::MissingComponent(e) => {
                let n = e.looked_for.len();
                write!(
                    f,
                    "the SDK component {} is missing (looked in {n} place{})",
                    e.what,
                    if n == 1 { "" } else { "s" }
                )?;
            }
            ErrorKind::InvalidInput { field, value, fix } => {
                if let Some(call) = i.call {
                    write!(f, "{call} not called: ")?;
                }
                write!(f, "invalid {field} ({value}): {}", sentence_fragment(fix))?;
            }
            ErrorKind::CallbackPanicked { message } => write!(
                f,
                "a callback registered with {} panicked: {message}",
                i.call.unwrap_or("the SDK")
            )?,
            ErrorKind::Io { path, source } => {
                write!(f, "{} failed on {}: {source}", self.head(), path.display())?
            }
        }
        if let Some(ls) = i.login_state {
            write!(f, " ({ls})")?;
        }
        Ok(())
    }
}

const FAILED_WITHOUT_CODE_REMEDIATION: &str = "The call failed although the SDK did not record \
    a code. Check the order of calls (NET_DVR_Init first; the user ID or handle still open), \
    make sure nothing else calls the SDK on this thread between the failing call and the error \
    read, and turn on NET_DVR_SetLogToFile to see what the SDK did.";

/// A catalogue sentence as a fragment after a colon: first letter lowercased (unless it
/// starts an acronym or name) and the final period dropped.
fn sentence_fragment(s: &str) -> Cow<'_, str> {
    let s = s.trim().trim_end_matches('.');
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_ascii_uppercase() && !b.is_ascii_uppercase() && b != '_' => {
            let mut out = String::with_capacity(s.len());
            out.push(a.to_ascii_lowercase());
            out.push_str(&s[1..]);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(s),
    }
}

impl fmt::Display for Error {
    /// One line; with `{:#}`, the full [`report`](Error::report).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            fmt::Display::fmt(&self.report(), f)
        } else {
            self.line(f)
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("call", &i.call)
            .field("context", &i.context)
            .field("login_state", &i.login_state)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The one-line Display already includes the text of the other sources.
        match &self.inner.kind {
            ErrorKind::Load(e) => Some(e),
            ErrorKind::MissingComponent(e) => Some(e),
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<hcnetsdk_sys::LoadError> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::LoadError) -> Self {
        Self::new(ErrorKind::Load(e), None, Context::default())
    }
}

impl From<hcnetsdk_sys::MissingSymbol> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::MissingSymbol) -> Self {
        let call = e.symbol;
        Self::new(ErrorKind::MissingSymbol(e), Some(call), Context::default())
    }
}

impl From<hcnetsdk_sys::components::MissingComponent> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::components::MissingComponent) -> Self {
        Self::new(ErrorKind::MissingComponent(e), None, Context::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_report_gives_the_fix_once() {
        let fix = "use a channel the device has (33..=48)";
        let e = Error::invalid_input("channel", 5, fix);
        let report = format!("{e:#}");
        assert_eq!(report.matches(fix).count(), 1, "{report}");
        assert!(
            report.starts_with("error: invalid channel (5)\n"),
            "{report}"
        );
        assert!(report.contains("what to do:    use a channel"), "{report}");
        // The one-line form still carries the fix.
        assert!(e.to_string().contains(fix), "{e}");
    }

    #[test]
    fn io_errors_keep_their_source_and_path() {
        use std::error::Error as _;
        let e = Error::io(
            "NET_DVR_SaveRealData",
            Path::new("/nonexistent/x.ps"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert!(e.source().is_some_and(|s| s.is::<std::io::Error>()));
        assert!(
            e.kind().to_string().starts_with("/nonexistent/x.ps: "),
            "{}",
            e.kind()
        );
    }

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_and_small() {
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<Result<()>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn invalid_input_line_and_report() {
        let e = Error::invalid_input("port", 0, "Use a port between 1 and 65535.");
        assert_eq!(
            e.to_string(),
            "invalid port (0): use a port between 1 and 65535"
        );
        assert_eq!(e.category(), Category::Parameter);
        assert_eq!(e.remediation(), "Use a port between 1 and 65535.");
        let r = e.report().to_string();
        assert!(
            r.contains("what to do:    Use a port between 1 and 65535."),
            "{r}"
        );
        let e = e.with_call("NET_DVR_Login_V40");
        assert!(
            e.to_string()
                .starts_with("NET_DVR_Login_V40 not called: invalid port")
        );
    }

    #[test]
    fn callback_panicked_and_io() {
        let e = Error::callback_panicked("NET_DVR_RealPlay_V40", "boom");
        assert_eq!(
            e.to_string(),
            "a callback registered with NET_DVR_RealPlay_V40 panicked: boom"
        );
        assert_eq!(e.category(), Category::Internal);
        assert!(!e.is_retryable());
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = Error::io("NET_DVR_SaveRealData", "/x/y.mp4", io);
        let line = e.to_string();
        assert!(
            line.starts_with("NET_DVR_SaveRealData failed on /x/y.mp4: "),
            "{line}"
        );
        assert!(e.report().to_string().contains("may write there"));
    }

    #[test]
    fn fragments() {
        assert_eq!(
            sentence_fragment("The device is busy."),
            "the device is busy"
        );
        assert_eq!(sentence_fragment("SDK not ready."), "SDK not ready");
        assert_eq!(
            sentence_fragment("NET_DVR_Init failed"),
            "NET_DVR_Init failed"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(Duration::from_secs(0)), "0 s");
        assert_eq!(human_duration(Duration::from_secs(45)), "45 s");
        assert_eq!(human_duration(Duration::from_secs(1530)), "25 min 30 s");
        assert_eq!(human_duration(Duration::from_secs(3900)), "1 h 5 min");
    }
}
