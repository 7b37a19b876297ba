//! Look up error codes of every system this crate knows: HCNetSDK, the PlayM4 player
//! library, ISAPI, and the systems of the project's seeds (Viewtron, Tencent IoT Video,
//! Tencent IoT Video Industry, Alibaba ApsaraVideo Player). This is the engine behind
//! `hcnet explain`.
//!
//! Each system is a data file under `src/catalog/` that the build turns into a static table;
//! HCNetSDK's table is the same one [`ErrorCode`] uses. Adding a system means adding a file
//! to `src/catalog/systems/`.
//!
//! A query is a number (decimal, `0x` hex, bare hex for systems that write codes in hex,
//! negative), a symbolic name (exact or prefix, any case) or words from the messages
//! (English or Chinese):
//!
//! ```
//! use hcnetsdk::explain::{self, MatchKind};
//!
//! // A number several systems use: every match, HCNetSDK first.
//! let found = explain::query("7", None).unwrap();
//! assert_eq!(found[0].system.id, "hcnetsdk");
//! assert_eq!(found[0].entry.as_ref().unwrap().name, Some("NET_DVR_NETWORK_FAIL_CONNECT"));
//! assert!(found.iter().any(|m| m.system.id == "playm4"));
//!
//! // Narrowed to one system.
//! let found = explain::query("7", Some("viewtron")).unwrap();
//! assert!(found.iter().all(|m| m.system.id == "viewtron"));
//!
//! // A number in no table falls back to its module.
//! let found = explain::query("21999", Some("tencent_iot_video")).unwrap();
//! assert_eq!(found[0].kind, MatchKind::Range);
//!
//! // Unknown systems list the valid ones.
//! let err = explain::query("7", Some("nope")).unwrap_err();
//! assert!(err.to_string().contains("hcnetsdk"));
//! ```
//!
//! The library stays free of serde; the CLI renders [`Match`] and [`Entry`] as it likes.

use std::fmt;

use crate::error::{Category, CodeInfo, ErrorCode, RemediationSource, Retry, codes};

include!(concat!(env!("OUT_DIR"), "/systems_catalog.rs"));

/// How a system writes its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberFormat {
    /// Decimal, e.g. `51603`.
    Decimal,
    /// Hexadecimal, often without a `0x` prefix, e.g. `20013007`.
    Hex,
}

/// One error system (a catalogue).
#[derive(Debug)]
#[non_exhaustive]
pub struct System {
    /// The id used by `--system`, e.g. `"hcnetsdk"`, `"tencent_iot_video"`.
    pub id: &'static str,
    /// A readable name.
    pub name: &'static str,
    /// The project seed it comes from (`"000"` … `"004"`), if any.
    pub seed: Option<&'static str>,
    /// How the system writes its codes.
    pub number_format: NumberFormat,
    /// What the codes are and where they appear.
    pub description: &'static str,
    /// The system's code ranges and the module each belongs to (may be empty).
    pub ranges: &'static [Range],
    table: Table,
}

#[derive(Debug)]
enum Table {
    /// The `ErrorCode` catalogue.
    HcNetSdk,
    /// A generated table.
    Static(&'static [Entry]),
}

impl PartialEq for System {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for System {}

const HCNETSDK_SYSTEM: System = System {
    id: "hcnetsdk",
    name: "Hikvision HCNetSDK (Device Network SDK)",
    seed: Some("000"),
    number_format: NumberFormat::Decimal,
    description: "Codes returned by NET_DVR_GetLastError after a failed HCNetSDK call.",
    ranges: &[],
    table: Table::HcNetSdk,
};

impl System {
    /// Every entry, in catalogue order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = Entry> + 'static {
        let (codes, table): (&'static [CodeInfo], &'static [Entry]) = match self.table {
            Table::HcNetSdk => (codes(), &[]),
            Table::Static(t) => (&[], t),
        };
        codes
            .iter()
            .map(Entry::from)
            .chain(table.iter().copied())
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// How many entries the system has.
    #[must_use]
    pub fn len(&self) -> usize {
        match self.table {
            Table::HcNetSdk => codes().len(),
            Table::Static(t) => t.len(),
        }
    }

    /// Whether the system has no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The range (module) `value` falls in, if the system partitions its codes.
    #[must_use]
    pub fn range_of(&self, value: u32) -> Option<&'static Range> {
        self.ranges.iter().find(|r| r.contains(value))
    }

    /// Formats a value the way this system writes it: `51603`, or `0x20013007 (536948743)`.
    #[must_use]
    pub fn format_value(&self, value: u32) -> String {
        format_value(self.number_format, value)
    }

    fn entries_with_value(&self, value: u32) -> Vec<Entry> {
        match self.table {
            Table::HcNetSdk => ErrorCode::from_raw(value)
                .info()
                .map(Entry::from)
                .into_iter()
                .collect(),
            Table::Static(t) => t
                .iter()
                .filter(|e| e.value == Some(value))
                .copied()
                .collect(),
        }
    }
}

fn format_value(nf: NumberFormat, value: u32) -> String {
    match nf {
        NumberFormat::Decimal => value.to_string(),
        NumberFormat::Hex => format!("0x{value:08X} ({value})"),
    }
}

/// A block of codes and the module it belongs to (seed 002's range table, seed 004's hex
/// module prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// A second meaning or a second name the source gives for the same value (seed 003's 51603
/// listed twice, seed 004's two names on 0x20013007, PlayM4 header differences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// A meaning that depends on firmware or implementation (seed 001's code 5 on v1.9 and
/// v2.0; PlayM4 C library versus web player).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// The HTTP status the code is sent with (seed 003).
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

impl From<&'static CodeInfo> for Entry {
    fn from(c: &'static CodeInfo) -> Self {
        Entry {
            system: HCNETSDK_SYSTEM.id,
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
    /// The system the entry belongs to.
    #[must_use]
    pub fn system(&self) -> &'static System {
        systems()
            .iter()
            .find(|s| s.id == self.system)
            .unwrap_or(&SYSTEMS[0])
    }

    /// The value as the system writes it (`0x20013007 (536948743)` for hex systems), or
    /// `None`.
    #[must_use]
    pub fn value_text(&self) -> Option<String> {
        self.value.map(|v| format_value(self.number_format, v))
    }

    /// The typed HCNetSDK code, for HCNetSDK entries.
    #[must_use]
    pub fn error_code(&self) -> Option<ErrorCode> {
        (self.system == HCNETSDK_SYSTEM.id)
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

    fn same(&self, other: &Entry) -> bool {
        self.system == other.system
            && self.kind == other.kind
            && self.value == other.value
            && self.name == other.name
    }

    fn haystack(&self) -> String {
        let mut h = String::new();
        for part in self
            .names()
            .chain(self.messages_en())
            .chain(self.messages_zh())
        {
            h.push_str(&part.to_lowercase());
            h.push('\n');
        }
        h
    }
}

/// How a query reached a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchKind {
    /// The number is this entry's value.
    Value,
    /// The query is the entry's name (or one of its names), ignoring case.
    Name,
    /// The query starts the entry's name, ignoring case.
    NamePrefix,
    /// Every word of the query occurs in the entry's names or messages.
    Words,
    /// The number is in no table of the system, but in one of its ranges: the module is known.
    Range,
}

/// How a number in a query was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberReading {
    /// Decimal digits.
    Decimal,
    /// `0x` followed by hex digits.
    Hex,
    /// Hex digits without `0x`, tried for systems that write codes in hex.
    BareHex,
    /// A negative decimal, read as a 32-bit signed value (`-1` is `0xFFFFFFFF`).
    Negative,
}

/// One reading of a query as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Reading {
    /// The value.
    pub value: u32,
    /// How it was read.
    pub how: NumberReading,
}

/// Every way `q` can be read as a number, most natural first.
///
/// ```
/// use hcnetsdk::explain::{NumberReading, readings};
///
/// let r = readings("-1");
/// assert_eq!((r[0].value, r[0].how), (0xFFFF_FFFF, NumberReading::Negative));
/// let r = readings("20013007");
/// assert_eq!(r[0].value, 20_013_007);
/// assert_eq!((r[1].value, r[1].how), (0x2001_3007, NumberReading::BareHex));
/// assert!(readings("NET_DVR_NOINIT").is_empty());
/// ```
#[must_use]
pub fn readings(q: &str) -> Vec<Reading> {
    let q = q.trim();
    let mut out = Vec::new();
    let hex = |h: &str| {
        if h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digits = h.trim_start_matches('0');
        match digits.len() {
            0 => Some(0),
            1..=8 => u32::from_str_radix(digits, 16).ok(),
            _ => None,
        }
    };
    let strip_0x = |s: &'_ str| -> Option<String> {
        s.strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .map(str::to_owned)
    };
    if let Some(h) = strip_0x(q) {
        if let Some(v) = hex(&h) {
            out.push(Reading {
                value: v,
                how: NumberReading::Hex,
            });
        }
    } else if let Some(d) = q.strip_prefix('-') {
        // A negative number: its 32-bit two's complement, as C code would store it.
        let magnitude = match strip_0x(d) {
            Some(h) => hex(&h).map(i64::from),
            None if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => d.parse().ok(),
            None => None,
        };
        if let Some(v) = magnitude.and_then(|m| i32::try_from(-m).ok()) {
            out.push(Reading {
                value: v as u32,
                how: NumberReading::Negative,
            });
        }
    } else {
        if !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(v) = q.parse::<u32>() {
                out.push(Reading {
                    value: v,
                    how: NumberReading::Decimal,
                });
            }
        }
        if let Some(v) = hex(q) {
            out.push(Reading {
                value: v,
                how: NumberReading::BareHex,
            });
        }
    }
    out
}

/// One answer to a query.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Match {
    /// The system.
    pub system: &'static System,
    /// How the query reached it.
    pub kind: MatchKind,
    /// The number the query was read as, for [`MatchKind::Value`] and [`MatchKind::Range`].
    pub reading: Option<Reading>,
    /// The entry; `None` for [`MatchKind::Range`].
    pub entry: Option<Entry>,
    /// The range (module) the value falls in, when the system has ranges.
    pub range: Option<&'static Range>,
    /// The name that matched, for [`MatchKind::Name`] and [`MatchKind::NamePrefix`] (it
    /// may be an alternative's).
    pub matched_name: Option<&'static str>,
}

impl Match {
    /// The meaning in English: the entry's, or the module's for a range match.
    #[must_use]
    pub fn message_en(&self) -> &'static str {
        match (&self.entry, self.range) {
            (Some(e), _) => e.message_en,
            (None, Some(r)) => r.module_en,
            (None, None) => "",
        }
    }

    /// The meaning in Chinese: the entry's, or the module's for a range match.
    #[must_use]
    pub fn message_zh(&self) -> &'static str {
        match (&self.entry, self.range) {
            (Some(e), _) => e.message_zh,
            (None, Some(r)) => r.module_zh,
            (None, None) => "",
        }
    }

    /// The value the match is about: the entry's, else the query's reading.
    #[must_use]
    pub fn value(&self) -> Option<u32> {
        self.entry
            .as_ref()
            .and_then(|e| e.value)
            .or(self.reading.map(|r| r.value))
    }
}

/// `--system` named no known system.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown system {given:?}; known systems: {}", known_ids())]
#[non_exhaustive]
pub struct UnknownSystem {
    /// What was asked for.
    pub given: String,
}

impl UnknownSystem {
    /// The valid system ids, in order.
    #[must_use]
    pub fn valid(&self) -> Vec<&'static str> {
        systems().iter().map(|s| s.id).collect()
    }
}

fn known_ids() -> String {
    systems()
        .iter()
        .map(|s| match s.seed {
            Some(seed) => format!("{} (seed {seed})", s.id),
            None => s.id.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every system, most likely first: HCNetSDK, PlayM4, ISAPI, then the seed systems.
#[must_use]
pub fn systems() -> &'static [System] {
    &SYSTEMS
}

/// The system with this id (any case), or seed number (`"001"` or `"1"`).
///
/// # Errors
///
/// [`UnknownSystem`], whose message lists the valid ids, when nothing matches.
pub fn system(id: &str) -> Result<&'static System, UnknownSystem> {
    let want = id.trim();
    let as_seed = want.trim_start_matches('0');
    systems()
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(want))
        .or_else(|| {
            systems().iter().find(|s| {
                !want.is_empty()
                    && want.bytes().all(|b| b.is_ascii_digit())
                    && s.seed
                        .is_some_and(|seed| seed.trim_start_matches('0') == as_seed)
            })
        })
        .ok_or_else(|| UnknownSystem {
            given: id.to_owned(),
        })
}

/// Every entry of one system, or of all systems in order, for dumps (`explain --list`).
///
/// # Errors
///
/// [`UnknownSystem`] when `system` names no known system.
pub fn list(system: Option<&str>) -> Result<Vec<Entry>, UnknownSystem> {
    let chosen: Vec<&'static System> = match system {
        Some(id) => vec![self::system(id)?],
        None => systems().iter().collect(),
    };
    Ok(chosen.into_iter().flat_map(|s| s.entries()).collect())
}

/// Explains `q` (a number in any base, a name or name prefix, or words) in every system,
/// or in `system` only. Matches come most likely first: exact values (HCNetSDK first, then
/// the other systems in [`systems`] order), bare-hex values, exact names, name prefixes,
/// words, then range fallbacks for systems whose table lacks the number. An empty vector
/// means no match.
///
/// ```
/// use hcnetsdk::explain::{query, MatchKind};
///
/// let m = &query("0x20013007", None).unwrap()[0];
/// assert_eq!(m.system.id, "aliyun_player");
/// let entry = m.entry.unwrap();
/// assert_eq!(entry.names().count(), 2); // the seed gives two names
///
/// let m = &query("net_dvr_user_locked", None).unwrap()[0];
/// assert_eq!((m.kind, m.value()), (MatchKind::Name, Some(153)));
/// ```
///
/// # Errors
///
/// [`UnknownSystem`] when `system` names no known system.
pub fn query(q: &str, system: Option<&str>) -> Result<Vec<Match>, UnknownSystem> {
    let chosen: Vec<&'static System> = match system {
        Some(id) => vec![self::system(id)?],
        None => systems().iter().collect(),
    };
    Ok(search(q, &chosen))
}

fn search(q: &str, chosen: &[&'static System]) -> Vec<Match> {
    let q = q.trim();
    let mut out: Vec<Match> = Vec::new();
    if q.is_empty() {
        return out;
    }
    let push = |out: &mut Vec<Match>, m: Match| {
        let dup = out.iter().any(|o| match (&o.entry, &m.entry) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => o.system == m.system && o.range == m.range,
            _ => false,
        });
        if !dup {
            out.push(m);
        }
    };

    // Numbers.
    let reads = readings(q);
    let numeric_only = reads.iter().any(|r| r.how != NumberReading::BareHex);
    let mut hit_systems: Vec<&str> = Vec::new();
    for pass in [false, true] {
        for r in reads
            .iter()
            .filter(|r| (r.how == NumberReading::BareHex) == pass)
        {
            for s in chosen {
                if r.how == NumberReading::BareHex && s.number_format != NumberFormat::Hex {
                    continue;
                }
                for e in s.entries_with_value(r.value) {
                    hit_systems.push(s.id);
                    push(
                        &mut out,
                        Match {
                            system: s,
                            kind: MatchKind::Value,
                            reading: Some(*r),
                            entry: Some(e),
                            range: s.range_of(r.value),
                            matched_name: None,
                        },
                    );
                }
            }
        }
    }

    if !numeric_only {
        let lower = q.to_lowercase();
        let mut exact = Vec::new();
        let mut prefix = Vec::new();
        let mut words = Vec::new();
        let tokens: Vec<&str> = lower.split_whitespace().collect();
        for s in chosen {
            for e in s.entries() {
                if let Some(n) = e.names().find(|n| n.to_lowercase() == lower) {
                    exact.push((s, e, n));
                } else if let Some(n) = e.names().find(|n| {
                    lower.chars().count() >= 2
                        && !lower.contains(char::is_whitespace)
                        && n.to_lowercase().starts_with(&lower)
                }) {
                    prefix.push((s, e, n));
                } else if !tokens.is_empty() {
                    let h = e.haystack();
                    if tokens.iter().all(|t| h.contains(t)) {
                        words.push((s, e));
                    }
                }
            }
        }
        for (kind, list) in [(MatchKind::Name, exact), (MatchKind::NamePrefix, prefix)] {
            for (s, e, n) in list {
                let range = e.value.and_then(|v| s.range_of(v));
                push(
                    &mut out,
                    Match {
                        system: s,
                        kind,
                        reading: None,
                        entry: Some(e),
                        range,
                        matched_name: Some(n),
                    },
                );
            }
        }
        // Words only when the query is not a name.
        if !out
            .iter()
            .any(|m| matches!(m.kind, MatchKind::Name | MatchKind::NamePrefix))
        {
            for (s, e) in words {
                let range = e.value.and_then(|v| s.range_of(v));
                push(
                    &mut out,
                    Match {
                        system: s,
                        kind: MatchKind::Words,
                        reading: None,
                        entry: Some(e),
                        range,
                        matched_name: None,
                    },
                );
            }
        }
    }

    // Range fallbacks, for systems whose table lacks the number.
    for r in &reads {
        for s in chosen {
            if hit_systems.contains(&s.id)
                || (r.how == NumberReading::BareHex && s.number_format != NumberFormat::Hex)
            {
                continue;
            }
            if let Some(range) = s.range_of(r.value) {
                push(
                    &mut out,
                    Match {
                        system: s,
                        kind: MatchKind::Range,
                        reading: Some(*r),
                        entry: None,
                        range: Some(range),
                        matched_name: None,
                    },
                );
            }
        }
    }
    out
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
