//! The row type of the error systems other than HCNetSDK's own [`ErrorCode`] table: one
//! [`Entry`] per code, in a [`CodeTable`] per system. This crate carries the Hikvision
//! systems a client meets besides HCNetSDK, [`playm4`](super::playm4) and
//! [`isapi`](super::isapi); other crates (the `hcnet-explain` search engine) build further
//! tables of the same type, which is why the row structs are plain data without
//! `#[non_exhaustive]`. An HCNetSDK [`CodeInfo`] converts into an [`Entry`] too, so every
//! system can be shown the same way.

use std::fmt;

use super::{Category, CodeInfo, ErrorCode, RemediationSource, Retry};

/// How a system writes its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberFormat {
    /// Decimal, e.g. `51603`.
    Decimal,
    /// Hexadecimal, often without a `0x` prefix, e.g. `20013007`.
    Hex,
}

impl NumberFormat {
    /// Formats a value this way: `51603`, or `0x20013007 (536948743)`.
    ///
    /// ```
    /// use hcnetsdk::error::table::NumberFormat;
    ///
    /// assert_eq!(NumberFormat::Decimal.format(7), "7");
    /// assert_eq!(NumberFormat::Hex.format(0x2001_3007), "0x20013007 (536948743)");
    /// ```
    #[must_use]
    pub fn format(self, value: u32) -> String {
        match self {
            NumberFormat::Decimal => value.to_string(),
            NumberFormat::Hex => format!("0x{value:08X} ({value})"),
        }
    }
}

/// One error system's catalogue: what it is, its entries and its code ranges.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeTable {
    /// The id, e.g. `"playm4"`, `"isapi"`.
    pub id: &'static str,
    /// The product name, e.g. `"Hikvision ISAPI ResponseStatus"`.
    pub name: &'static str,
    /// How the system writes its codes.
    pub number_format: NumberFormat,
    /// What the codes are and where they appear.
    pub description: &'static str,
    /// The system's code ranges and the module each belongs to (may be empty).
    pub ranges: &'static [Range],
    /// Every entry, in catalogue order.
    pub entries: &'static [Entry],
}

impl CodeTable {
    /// The entries with this value (usually one; none if the table lacks it).
    pub fn entries_with_value(&self, value: u32) -> impl Iterator<Item = &'static Entry> + 'static {
        let entries = self.entries;
        entries.iter().filter(move |e| e.value == Some(value))
    }

    /// The range (module) `value` falls in, if the system partitions its codes.
    #[must_use]
    pub fn range_of(&self, value: u32) -> Option<&'static Range> {
        self.ranges.iter().find(|r| r.contains(value))
    }
}

/// A block of codes and the module it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// First value.
    pub lo: u32,
    /// Last value (inclusive).
    pub hi: u32,
    /// The module, in English.
    pub module_en: &'static str,
    /// The module, in Chinese.
    pub module_zh: &'static str,
}

impl Range {
    /// Whether `value` is in the range.
    #[must_use]
    pub const fn contains(&self, value: u32) -> bool {
        self.lo <= value && value <= self.hi
    }
}

/// What kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A code of the system.
    Code,
    /// An ISAPI `subStatusCode`, under its `statusCode`.
    SubStatus {
        /// The parent `statusCode`.
        status_code: u32,
    },
}

/// A second meaning or a second name a source gives for the same value (a code listed
/// twice, two names on one value, header differences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alternative {
    /// The other name, if the alternative is a name.
    pub name: Option<&'static str>,
    /// Its meaning in English.
    pub message_en: &'static str,
    /// Its meaning in Chinese.
    pub message_zh: &'static str,
    /// Its category.
    pub category: Category,
    /// Its retry advice.
    pub retry: Retry,
}

/// A meaning that depends on firmware or implementation (e.g. the PlayM4 C library versus
/// the web player).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// When this meaning applies, e.g. `"v2.0"`.
    pub when: &'static str,
    /// The meaning in English.
    pub message_en: &'static str,
    /// The meaning in Chinese.
    pub message_zh: &'static str,
}

/// One code of one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The system id.
    pub system: &'static str,
    /// A code, or an ISAPI sub-status.
    pub kind: EntryKind,
    /// The numeric value (`None` for ISAPI sub-statuses with no known hex error code).
    pub value: Option<u32>,
    /// How the value is written.
    pub number_format: NumberFormat,
    /// The symbolic name, if the system has names.
    pub name: Option<&'static str>,
    /// The meaning in English.
    pub message_en: &'static str,
    /// The meaning in Chinese.
    pub message_zh: &'static str,
    /// What kind of failure it is ([`Category::None`] for success rows).
    pub category: Category,
    /// Whether retrying can help.
    pub retry: Retry,
    /// What to do.
    pub remediation: &'static str,
    /// Whether the remediation is the code's own or its group's (HCNetSDK).
    pub remediation_source: RemediationSource,
    /// Likely causes (may be empty).
    pub causes: &'static [&'static str],
    /// The HCNetSDK group.
    pub group: Option<&'static str>,
    /// The HTTP status the code is sent with, where the system says.
    pub http_status: Option<u16>,
    /// Whether this row means success (success rows inside error tables).
    pub success: bool,
    /// Notes on the source's inconsistencies and on how the entry was recorded.
    pub notes: &'static [&'static str],
    /// Meanings that depend on firmware or implementation.
    pub variants: &'static [Variant],
    /// Second meanings or names for the same value.
    pub alternatives: &'static [Alternative],
}

/// The system id of HCNetSDK's own table.
pub const HCNETSDK_ID: &str = "hcnetsdk";

impl From<&'static CodeInfo> for Entry {
    fn from(c: &'static CodeInfo) -> Self {
        Entry {
            system: HCNETSDK_ID,
            kind: EntryKind::Code,
            value: Some(c.value),
            number_format: NumberFormat::Decimal,
            name: Some(c.name),
            message_en: c.message_en,
            message_zh: c.message_zh,
            category: c.category,
            retry: c.retry,
            remediation: c.remediation,
            remediation_source: c.remediation_source,
            causes: c.causes,
            group: Some(c.group),
            http_status: None,
            success: c.value == 0,
            notes: &[],
            variants: &[],
            alternatives: &[],
        }
    }
}

impl Entry {
    /// The value as the system writes it (`0x20013007 (536948743)` for hex systems), or
    /// `None`.
    #[must_use]
    pub fn value_text(&self) -> Option<String> {
        self.value.map(|v| self.number_format.format(v))
    }

    /// The typed HCNetSDK code, for HCNetSDK entries.
    #[must_use]
    pub fn error_code(&self) -> Option<ErrorCode> {
        (self.system == HCNETSDK_ID)
            .then_some(self.value)
            .flatten()
            .map(ErrorCode::from_raw)
    }

    /// Every name of the entry: its own, then the alternatives'.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + 'static {
        let alts = self.alternatives;
        self.name
            .into_iter()
            .chain(alts.iter().filter_map(|a| a.name))
    }

    /// Every meaning in English: the main one, the alternatives', the variants'.
    pub fn messages_en(&self) -> impl Iterator<Item = &'static str> + 'static {
        let (alts, vars) = (self.alternatives, self.variants);
        std::iter::once(self.message_en)
            .chain(alts.iter().map(|a| a.message_en))
            .chain(vars.iter().map(|v| v.message_en))
    }

    /// Every meaning in Chinese: the main one, the alternatives', the variants'.
    pub fn messages_zh(&self) -> impl Iterator<Item = &'static str> + 'static {
        let (alts, vars) = (self.alternatives, self.variants);
        std::iter::once(self.message_zh)
            .chain(alts.iter().map(|a| a.message_zh))
            .chain(vars.iter().map(|v| v.message_zh))
    }
}

impl fmt::Display for Entry {
    /// `NET_DVR_PASSWORD_ERROR (1): The device refused the user name or password.`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name, self.value_text()) {
            (Some(n), Some(v)) => write!(f, "{n} ({v}): ")?,
            (Some(n), None) => write!(f, "{n}: ")?,
            (None, Some(v)) => write!(f, "{v}: ")?,
            (None, None) => {}
        }
        f.write_str(self.message_en)
    }
}
