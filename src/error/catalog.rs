//! The HCNetSDK error catalogue: [`ErrorCode`], [`CodeInfo`], groups and the quick lookup
//! by operation. The types are here; the enum and the tables are in
//! `generated/hcnetsdk.rs`, which `cargo run -p xtask -- catalog` writes from
//! `src/catalog/hcnetsdk/*.toml`.

use std::fmt;

use super::{Category, Retry};

include!("generated/hcnetsdk.rs");

/// Where a code's remediation text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RemediationSource {
    /// Written for this code.
    Code,
    /// The code's group text (the code has none of its own).
    Group,
    /// Generic text for a kind of failure that has no catalogued code (loading, bad input,
    /// a code outside the catalogue, ...).
    Kind,
    /// Written for this code when a call of this family returns it (see [`call_advice`]).
    Call,
}

/// Everything the catalogue knows about one HCNetSDK error code.
///
/// ```
/// use hcnetsdk::error::{Category, RemediationSource, Retry};
/// use hcnetsdk::ErrorCode;
///
/// let info = ErrorCode::NET_DVR_USER_LOCKED.info().unwrap();
/// assert_eq!(info.value, 153);
/// assert_eq!(info.category, Category::Auth);
/// assert_eq!(info.retry, Retry::NeverAuto);
/// assert_eq!(info.remediation_source, RemediationSource::Code);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The typed code.
    pub code: ErrorCode,
    /// The C name, e.g. `"NET_DVR_PASSWORD_ERROR"`.
    pub name: &'static str,
    /// The raw value.
    pub value: u32,
    /// The header's group, e.g. `"general (network sdk)"`.
    pub group: &'static str,
    /// What kind of failure it is.
    pub category: Category,
    /// Whether retrying can help.
    pub retry: Retry,
    /// One line in English.
    pub message_en: &'static str,
    /// One line in Chinese.
    pub message_zh: &'static str,
    /// Likely causes (may be empty).
    pub causes: &'static [&'static str],
    /// What to do: the code's own text, or its group's (see `remediation_source`).
    pub remediation: &'static str,
    /// Whether `remediation` was written for this code or comes from its group.
    pub remediation_source: RemediationSource,
}

impl CodeInfo {
    /// The group's defaults and remediation.
    #[must_use]
    pub fn group_info(&self) -> &'static GroupInfo {
        // The generator (xtask catalog) checks that every code's group exists.
        group(self.group).unwrap_or(&GROUPS[0])
    }
}

/// A group of HCNetSDK codes (one section of the header's error block) with its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group name, as in `errors.csv` (e.g. `"raid (array)"`).
    pub name: &'static str,
    /// The group's usual category.
    pub category: Category,
    /// The group's usual retry advice.
    pub retry: Retry,
    /// Remediation for every code of the group without its own.
    pub remediation: &'static str,
}

/// Every catalogued HCNetSDK code, in value order.
///
/// ```
/// let codes = hcnetsdk::error::codes();
/// assert_eq!(codes.len(), 1212);
/// assert!(codes.windows(2).all(|w| w[0].value < w[1].value));
/// ```
#[must_use]
pub fn codes() -> &'static [CodeInfo] {
    &CODES
}

/// Every group of HCNetSDK codes.
#[must_use]
pub fn groups() -> &'static [GroupInfo] {
    &GROUPS
}

/// The group with this exact name.
#[must_use]
pub fn group(name: &str) -> Option<&'static GroupInfo> {
    GROUPS.iter().find(|g| g.name == name)
}

/// One operation of the quick lookup (login, preview, capture/record, PTZ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// `"login"`, `"preview"`, `"capture_record"` or `"ptz"`.
    pub id: &'static str,
    /// Title in English.
    pub title_en: &'static str,
    /// Title in Chinese.
    pub title_zh: &'static str,
    /// The codes most often seen for this operation, most common first.
    pub entries: &'static [OperationEntry],
}

/// A code in the quick lookup, with its hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationEntry {
    /// The code.
    pub code: ErrorCode,
    /// The hint in English.
    pub hint_en: &'static str,
    /// The hint in Chinese.
    pub hint_zh: &'static str,
}

/// A general handling tip (错误处理建议).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tip {
    /// In English.
    pub en: &'static str,
    /// In Chinese.
    pub zh: &'static str,
}

/// The quick lookup by operation: which codes to expect when logging in,
/// previewing, capturing/recording or driving PTZ, and what each usually means.
///
/// ```
/// let login = hcnetsdk::error::operation("login").unwrap();
/// let codes: Vec<u32> = login.entries.iter().map(|e| e.code.raw()).collect();
/// assert_eq!(codes, [1, 7, 5]);
/// ```
#[must_use]
pub fn operations() -> &'static [Operation] {
    &OPERATIONS
}

/// The quick-lookup operation with this id (`"login"`, `"preview"`, `"capture_record"`,
/// `"ptz"`).
#[must_use]
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.id == id)
}

/// General handling tips (network, permission, parameter, resource, device).
#[must_use]
pub fn tips() -> &'static [Tip] {
    &TIPS
}

impl ErrorCode {
    /// Everything the catalogue knows about this code; `None` for [`ErrorCode::Unknown`].
    #[must_use]
    pub fn info(self) -> Option<&'static CodeInfo> {
        self.index().map(|i| &CODES[i])
    }

    /// Whether the code is in the catalogue (not [`ErrorCode::Unknown`]).
    #[must_use]
    pub const fn is_known(self) -> bool {
        self.index().is_some()
    }

    /// The C name, e.g. `"NET_DVR_PASSWORD_ERROR"`; `"UNKNOWN"` for an unknown code.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.info().map_or("UNKNOWN", |i| i.name)
    }

    /// The header's group name; `None` for an unknown code.
    #[must_use]
    pub fn group(self) -> Option<&'static str> {
        self.info().map(|i| i.group)
    }

    /// What kind of failure it is; [`Category::Internal`] for an unknown code.
    #[must_use]
    pub fn category(self) -> Category {
        self.info().map_or(Category::Internal, |i| i.category)
    }

    /// Whether retrying can help; [`Retry::AfterFix`] for an unknown code.
    #[must_use]
    pub fn retry(self) -> Retry {
        self.info().map_or(Retry::AfterFix, |i| i.retry)
    }

    /// One line in English.
    #[must_use]
    pub fn message(self) -> &'static str {
        self.info().map_or(
            "An error code this crate's catalogue does not know (a newer SDK or device?).",
            |i| i.message_en,
        )
    }

    /// One line in Chinese.
    #[must_use]
    pub fn message_zh(self) -> &'static str {
        self.info().map_or(
            "未收录的错误码（可能来自更新的SDK或设备）。",
            |i| i.message_zh,
        )
    }

    /// What to do: the code's own text, else its group's, else generic text for an unknown
    /// code. Never empty.
    #[must_use]
    pub fn remediation(self) -> &'static str {
        self.info()
            .map_or(UNKNOWN_CODE_REMEDIATION, |i| i.remediation)
    }

    /// Likely causes (often empty).
    #[must_use]
    pub fn causes(self) -> &'static [&'static str] {
        self.info().map_or(&[], |i| i.causes)
    }
}

/// A family of SDK functions that share a diagnosis (login, preview, PTZ, snapshot,
/// config, playback, alarms, ISAPI pass-through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallFamily {
    /// `"login"`, `"preview"`, ...
    pub id: &'static str,
    /// For people, e.g. `"logging in"`.
    pub title: &'static str,
    /// The C names of its functions.
    pub calls: &'static [&'static str],
}

/// What a code means when a function of one family returns it: the most specific
/// diagnosis, which [`Error`](crate::Error) prefers to the code's general text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallAdvice {
    /// The family id.
    pub family: &'static str,
    /// The code.
    pub code: ErrorCode,
    /// What to check, most likely first, naming the setting or flag that fixes it.
    pub remediation: &'static str,
    /// Likely causes for this call (may be empty: then the code's own apply).
    pub causes: &'static [&'static str],
}

/// Every function family, from `src/catalog/hcnetsdk/by_call.toml`.
#[must_use]
pub fn call_families() -> &'static [CallFamily] {
    &FAMILIES
}

/// The family of an SDK function, by its C name.
///
/// ```
/// let f = hcnetsdk::error::call_family("NET_DVR_Login_V40").unwrap();
/// assert_eq!(f.id, "login");
/// assert_eq!(hcnetsdk::error::call_family("NET_DVR_Init"), None);
/// ```
#[must_use]
pub fn call_family(call: &str) -> Option<&'static CallFamily> {
    let i = CALL_FAMILIES
        .binary_search_by(|(c, _)| (*c).cmp(call))
        .ok()?;
    let id = CALL_FAMILIES[i].1;
    FAMILIES.iter().find(|f| f.id == id)
}

/// Every (family, code) diagnosis, sorted by family and code.
#[must_use]
pub fn call_advices() -> &'static [CallAdvice] {
    &CALL_ADVICE
}

/// The diagnosis for `code` returned by the function `call`, if the catalogue has one for
/// its family.
///
/// ```
/// use hcnetsdk::ErrorCode;
///
/// let login = hcnetsdk::error::call_advice("NET_DVR_Login_V40", ErrorCode::NET_DVR_PARAMETER_ERROR);
/// assert!(login.unwrap().remediation.contains("address"));
/// let ptz = hcnetsdk::error::call_advice("NET_DVR_PTZControlWithSpeed_Other", ErrorCode::NET_DVR_PARAMETER_ERROR);
/// assert!(ptz.unwrap().remediation.contains("speed"));
/// ```
#[must_use]
pub fn call_advice(call: &str, code: ErrorCode) -> Option<&'static CallAdvice> {
    let family = call_family(call)?.id;
    CALL_ADVICE
        .binary_search_by(|a| (a.family, a.code.raw()).cmp(&(family, code.raw())))
        .ok()
        .map(|i| &CALL_ADVICE[i])
}

pub(crate) const UNKNOWN_CODE_REMEDIATION: &str = "This code is not in the catalogue. Read the \
    SDK's own text (NET_DVR_GetErrorMsg, shown when available), check the SDK's release notes \
    for the value, and enable NET_DVR_SetLogToFile for details.";

impl fmt::Display for ErrorCode {
    /// `NET_DVR_PASSWORD_ERROR (1)`; `unknown error code (99999)` for an unknown code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.info() {
            Some(i) => write!(f, "{} ({})", i.name, i.value),
            None => write!(f, "unknown error code ({})", self.raw()),
        }
    }
}

impl From<u32> for ErrorCode {
    fn from(raw: u32) -> Self {
        ErrorCode::from_raw(raw)
    }
}

impl From<ErrorCode> for u32 {
    fn from(code: ErrorCode) -> Self {
        code.raw()
    }
}
