//! [`Error`]: what failed, where, and the diagnosis; [`ErrorKind`]; [`Result`].

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use super::catalog::ErrorCode;
use super::context::{Context, LoginState};
use super::{Category, RemediationSource, Report, Retry};

/// Result with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
    /// The session was logged out (by [`Session::logout`](crate::Session::logout) on
    /// any of its handles), so this handle no longer has a live user ID or stream: no SDK
    /// call was made. A preview stopped this way also got an
    /// [`EventKind::StoppedByLogout`](crate::EventKind::StoppedByLogout) event.
    #[non_exhaustive]
    #[error("the session was logged out; {what} can no longer be used")]
    LoggedOut {
        /// What was used: `"the session"`, `"the preview"`.
        what: &'static str,
    },
    /// An ISAPI request (`NET_DVR_STDXMLConfig`) was answered with a `ResponseStatus`
    /// that is not OK. The diagnosis comes from the ISAPI catalogue
    /// ([`crate::error::isapi`]).
    #[non_exhaustive]
    #[error("{status}")]
    Isapi {
        /// What the device answered.
        status: Box<crate::isapi::ResponseStatus>,
        /// The SDK's code when the call also returned FALSE (never read after a success).
        sdk_code: Option<ErrorCode>,
    },
    /// A recording search (`NET_DVR_FindNextFile_V40`) ended with a failure status, not a
    /// last-error code: 1004 (exception), 1005 (timeout), an undocumented value, or 1002
    /// ("still searching") for longer than the search's wait bound.
    #[non_exhaustive]
    #[error("the recording search ended with status {status} ({})", crate::recordings::find_status_name(*status))]
    SearchFailed {
        /// The status `NET_DVR_FindNextFile_V40` returned.
        status: i32,
    },
    /// A download reported position 200 (network failure): what was saved stays.
    #[non_exhaustive]
    #[error("the download into {} stopped at {percent}% (network failure); {bytes_saved} bytes were saved", path.display())]
    DownloadInterrupted {
        /// The file being written.
        path: PathBuf,
        /// Its size when the failure was seen.
        bytes_saved: u64,
        /// The last position below 100 that was reported.
        percent: u8,
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
    pub(super) inner: Box<Inner>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) kind: ErrorKind,
    pub(super) call: Option<&'static str>,
    pub(super) context: Context,
    pub(super) login_state: Option<LoginState>,
    pub(super) finding: Option<String>,
    /// Set when a finding shows that retrying the same call cannot help (the port was
    /// identified as another service): overrides the code's own retry advice.
    pub(super) retry_override: Option<Retry>,
}

impl Error {
    #[cold]
    pub(super) fn new(kind: ErrorKind, call: Option<&'static str>, context: Context) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                call,
                context,
                login_state: None,
                finding: None,
                retry_override: None,
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
            // Trimmed; the SDK's string is kept as it is when there is nothing to trim.
            let sdk_message = sdk_message
                .map(|m| match m.trim() {
                    t if t.len() == m.len() => m,
                    t => t.to_owned(),
                })
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

    /// `what` (a session or one of its handles) was used after its session logged out.
    #[cold]
    pub(crate) fn logged_out(what: &'static str, context: Context) -> Self {
        Self::new(ErrorKind::LoggedOut { what }, None, context)
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

    /// The device answered an ISAPI request with a `ResponseStatus` that is not OK;
    /// `sdk_code` is the SDK's code when the call also returned FALSE.
    #[cold]
    pub(crate) fn isapi(
        status: crate::isapi::ResponseStatus,
        sdk_code: Option<u32>,
        call: &'static str,
        context: Context,
    ) -> Self {
        let kind = ErrorKind::Isapi {
            status: Box::new(status),
            sdk_code: sdk_code.filter(|c| *c != 0).map(ErrorCode::from_raw),
        };
        Self::new(kind, Some(call), context)
    }

    /// The device's `ResponseStatus`, for [`ErrorKind::Isapi`].
    #[must_use]
    pub fn isapi_status(&self) -> Option<&crate::isapi::ResponseStatus> {
        match &self.inner.kind {
            ErrorKind::Isapi { status, .. } => Some(status),
            _ => None,
        }
    }

    /// Attach what a failed login said about the account (attempts left, lock time).
    #[must_use]
    pub fn with_login_state(mut self, state: LoginState) -> Self {
        self.inner.login_state = (!state.is_empty()).then_some(state);
        self
    }

    /// Attach what was found out about the failure besides the code, e.g. what the port
    /// answered to [`probe_port`](crate::probe_port) ("port 80 speaks HTTP: ..."). The
    /// report shows it before the advice.
    #[must_use]
    pub fn with_finding(mut self, finding: impl Into<String>) -> Self {
        self.inner.finding = Some(finding.into());
        self
    }

    /// Attach a finding that shows the call was aimed at the wrong service (a login port that
    /// answered as HTTP, RTSP or TLS): retrying the same call cannot help, so
    /// [`retry`](Self::retry) becomes [`Retry::AfterFix`] whatever the code says.
    #[must_use]
    pub(crate) fn with_wrong_service(mut self, finding: impl Into<String>) -> Self {
        self.inner.retry_override = Some(Retry::AfterFix);
        self.with_finding(finding)
    }

    /// What was found out besides the code (see [`with_finding`](Self::with_finding)).
    #[must_use]
    pub fn finding(&self) -> Option<&str> {
        self.inner.finding.as_deref()
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
    /// for [`ErrorKind::FailedWithoutCode`]; for [`ErrorKind::Isapi`], the code of a call
    /// that also returned FALSE).
    #[must_use]
    pub fn raw_code(&self) -> Option<u32> {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => Some(code.raw()),
            ErrorKind::Isapi { sdk_code, .. } => sdk_code.map(ErrorCode::raw),
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
            ErrorKind::SearchFailed { .. } => Category::Playback,
            ErrorKind::DownloadInterrupted { .. } => Category::Network,
            ErrorKind::LoggedOut { .. } => Category::State,
            ErrorKind::Isapi { status, .. } => status.category(),
        }
    }

    /// Whether retrying can help, and how.
    #[must_use]
    pub fn retry(&self) -> Retry {
        if let Some(r) = self.inner.retry_override {
            return r;
        }
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code.retry(),
            ErrorKind::MissingSymbol(_) => Retry::No,
            ErrorKind::SearchFailed { .. } | ErrorKind::DownloadInterrupted { .. } => {
                Retry::Backoff
            }
            ErrorKind::Isapi { status, .. } => status.retry(),
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

    /// The catalogue's diagnosis for this code from this call's family (login, preview,
    /// PTZ, ...), if it has one: the most specific text there is.
    #[must_use]
    pub fn call_advice(&self) -> Option<&'static super::CallAdvice> {
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => super::catalog::call_advice(self.inner.call?, *code),
            _ => None,
        }
    }

    /// What to do: the text for this code from this call's family (a 17 from a login is
    /// the address, from PTZ the command), else the code's own remediation, else its
    /// group's, else text for this kind of failure. Never empty.
    #[must_use]
    pub fn remediation(&self) -> Cow<'_, str> {
        if let Some(a) = self.call_advice() {
            return Cow::Borrowed(a.remediation);
        }
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
            ErrorKind::Isapi { status, .. } => Cow::Borrowed(status.remediation()),
            ErrorKind::CallbackPanicked { .. } => Cow::Borrowed(
                "Fix the panic in your callback. Callbacks run on SDK threads: return quickly, \
                 never panic, and hand work to another thread through a channel.",
            ),
            ErrorKind::LoggedOut { .. } => Cow::Borrowed(
                "Log in again (Session::builder) and make new handles from the new session; \
                 a logout on any clone of a session ends it for all of its handles.",
            ),
            ErrorKind::Io { .. } => Cow::Borrowed(
                "Check that the folder exists, that this process may write there and that the \
                 disk has space.",
            ),
            ErrorKind::SearchFailed { .. } => Cow::Borrowed(super::recording::SEARCH_FAILED),
            ErrorKind::DownloadInterrupted { .. } => Cow::Borrowed(super::recording::INTERRUPTED),
        }
    }

    /// Whether [`remediation`](Self::remediation) was written for this code, comes from its
    /// group, or is text for this kind of failure.
    #[must_use]
    pub fn remediation_source(&self) -> RemediationSource {
        if self.call_advice().is_some() {
            return RemediationSource::Call;
        }
        match &self.inner.kind {
            ErrorKind::Sdk { code, .. } => code
                .info()
                .map_or(RemediationSource::Kind, |i| i.remediation_source),
            _ => RemediationSource::Kind,
        }
    }

    /// Likely causes (may be empty): this call's family's for the code when the catalogue
    /// has them, else the code's.
    #[must_use]
    pub fn causes(&self) -> &'static [&'static str] {
        if let Some(a) = self.call_advice().filter(|a| !a.causes.is_empty()) {
            return a.causes;
        }
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
    pub(super) fn head(&self) -> String {
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
    pub(super) fn line(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        match &i.kind {
            ErrorKind::Sdk { code, sdk_message } => {
                write!(f, "{} failed: ", self.head())?;
                code_line(f, *code, sdk_message.as_deref())?;
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
            ErrorKind::LoggedOut { what } => write!(
                f,
                "{what} was used after its session logged out (no SDK call was made)"
            )?,
            ErrorKind::SearchFailed { .. } | ErrorKind::DownloadInterrupted { .. } => {
                write!(f, "{}: {}", self.head(), i.kind)?
            }
            ErrorKind::Isapi { status, .. } => write!(
                f,
                "{} failed: the device answered {status}: {}",
                self.head(),
                sentence_fragment(status.meaning())
            )?,
        }
        if let Some(ls) = i.login_state {
            write!(f, " ({ls})")?;
        }
        Ok(())
    }
}

/// `NAME (value, category): message`, or the unknown code with the SDK's own message.
fn code_line(
    f: &mut fmt::Formatter<'_>,
    code: ErrorCode,
    sdk_message: Option<&str>,
) -> fmt::Result {
    match code.info() {
        Some(info) => write!(
            f,
            "{} ({}, {}): {}",
            info.name,
            info.value,
            info.category,
            sentence_fragment(info.message_en)
        ),
        None => {
            write!(f, "unknown error code {}", code.raw())?;
            if let Some(m) = sdk_message {
                write!(f, " (SDK says: {m})")?;
            }
            Ok(())
        }
    }
}

const FAILED_WITHOUT_CODE_REMEDIATION: &str = "The call failed although the SDK did not record \
    a code. Check the order of calls (NET_DVR_Init first; the user ID or handle still open), \
    make sure nothing else calls the SDK on this thread between the failing call and the error \
    read, and turn on NET_DVR_SetLogToFile to see what the SDK did.";

/// A catalogue sentence as a fragment after a colon: first letter lowercased (unless it
/// starts an acronym or name) and the final period dropped.
pub(super) fn sentence_fragment(s: &str) -> Cow<'_, str> {
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
            .field("finding", &i.finding)
            .finish()
    }
}
