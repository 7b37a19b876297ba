//! Reading a query (numbers in any base, names, words) and finding its matches.

use crate::system::{System, UnknownSystem, chosen};
use crate::{Entry, NumberFormat, Range};

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

/// Hex digits (at most 8 significant) as a value.
fn hex(h: &str) -> Option<u32> {
    if h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digits = h.trim_start_matches('0');
    match digits.len() {
        0 => Some(0),
        1..=8 => u32::from_str_radix(digits, 16).ok(),
        _ => None,
    }
}

fn strip_0x(s: &str) -> Option<&str> {
    s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))
}

/// Every way `q` can be read as a number, most natural first.
///
/// ```
/// use hcnet_explain::{NumberReading, readings};
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
    let mut push = |value, how| out.push(Reading { value, how });
    if let Some(h) = strip_0x(q) {
        if let Some(v) = hex(h) {
            push(v, NumberReading::Hex);
        }
    } else if let Some(d) = q.strip_prefix('-') {
        // A negative number: its 32-bit two's complement, as C code would store it.
        let magnitude = match strip_0x(d) {
            Some(h) => hex(h).map(i64::from),
            None if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => d.parse().ok(),
            None => None,
        };
        if let Some(v) = magnitude.and_then(|m| i32::try_from(-m).ok()) {
            push(v as u32, NumberReading::Negative);
        }
    } else {
        if !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(v) = q.parse::<u32>() {
                push(v, NumberReading::Decimal);
            }
        }
        if let Some(v) = hex(q) {
            push(v, NumberReading::BareHex);
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

    /// A match of an entry found by name or words (no reading).
    fn by_text(
        system: &'static System,
        kind: MatchKind,
        e: Entry,
        name: Option<&'static str>,
    ) -> Match {
        Match {
            system,
            kind,
            reading: None,
            range: e.value.and_then(|v| system.range_of(v)),
            entry: Some(e),
            matched_name: name,
        }
    }
}

/// Explains `q` (a number in any base, a name or name prefix, or words) in every system,
/// or in `system` only. Matches come most likely first: exact values (HCNetSDK first, then
/// the other systems in [`systems`](crate::systems) order), bare-hex values, exact names,
/// name prefixes, words, then range fallbacks for systems whose table lacks the number. An
/// empty vector means no match.
///
/// ```
/// use hcnet_explain::{query, MatchKind};
///
/// let m = &query("0x20013007", None).unwrap()[0];
/// assert_eq!(m.system.id, "aliyun_player");
/// let entry = m.entry.unwrap();
/// assert_eq!(entry.names().count(), 2); // the SDK's documentation gives two names
///
/// let m = &query("net_dvr_user_locked", None).unwrap()[0];
/// assert_eq!((m.kind, m.value()), (MatchKind::Name, Some(153)));
/// ```
///
/// # Errors
///
/// [`UnknownSystem`] when `system` names no known system.
pub fn query(q: &str, system: Option<&str>) -> Result<Vec<Match>, UnknownSystem> {
    Ok(search(q, &chosen(system)?))
}

/// The matches so far, without duplicates.
#[derive(Default)]
struct Found(Vec<Match>);

impl Found {
    fn push(&mut self, m: Match) {
        let dup = self.0.iter().any(|o| match (&o.entry, &m.entry) {
            (Some(a), Some(b)) => same(a, b),
            (None, None) => o.system == m.system && o.range == m.range,
            _ => false,
        });
        if !dup {
            self.0.push(m);
        }
    }
}

fn same(a: &Entry, b: &Entry) -> bool {
    a.system == b.system && a.kind == b.kind && a.value == b.value && a.name == b.name
}

fn search(q: &str, chosen: &[&'static System]) -> Vec<Match> {
    let q = q.trim();
    let mut out = Found::default();
    if q.is_empty() {
        return out.0;
    }
    let reads = readings(q);
    let hit_systems = value_matches(&reads, chosen, &mut out);
    if reads.iter().all(|r| r.how == NumberReading::BareHex) {
        text_matches(q, chosen, &mut out);
    }
    range_fallbacks(&reads, chosen, &hit_systems, &mut out);
    out.0
}

/// Whether a reading applies to a system: bare hex only to systems that write hex.
fn applies(r: &Reading, s: &System) -> bool {
    r.how != NumberReading::BareHex || s.number_format == NumberFormat::Hex
}

/// Exact values, natural readings first, then bare hex. Returns the systems hit.
fn value_matches(
    reads: &[Reading],
    chosen: &[&'static System],
    out: &mut Found,
) -> Vec<&'static str> {
    let mut hit_systems = Vec::new();
    for bare_hex in [false, true] {
        let pass = reads
            .iter()
            .filter(|r| (r.how == NumberReading::BareHex) == bare_hex);
        for r in pass {
            for s in chosen.iter().filter(|s| applies(r, s)) {
                for e in s.entries_with_value(r.value) {
                    hit_systems.push(s.id);
                    out.push(Match {
                        system: s,
                        kind: MatchKind::Value,
                        reading: Some(*r),
                        entry: Some(e),
                        range: s.range_of(r.value),
                        matched_name: None,
                    });
                }
            }
        }
    }
    hit_systems
}

/// Exact names, then name prefixes, then (only when the query is no name) words.
fn text_matches(q: &str, chosen: &[&'static System], out: &mut Found) {
    let lower = q.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().collect();
    let prefix_ok = lower.chars().count() >= 2 && !lower.contains(char::is_whitespace);
    let (mut exact, mut prefix, mut words) = (Vec::new(), Vec::new(), Vec::new());
    for s in chosen {
        for e in s.entries() {
            if let Some(n) = e.names().find(|n| n.to_lowercase() == lower) {
                exact.push(Match::by_text(s, MatchKind::Name, e, Some(n)));
            } else if let Some(n) = e
                .names()
                .find(|n| prefix_ok && n.to_lowercase().starts_with(&lower))
            {
                prefix.push(Match::by_text(s, MatchKind::NamePrefix, e, Some(n)));
            } else if !tokens.is_empty() {
                let h = haystack(&e);
                if tokens.iter().all(|t| h.contains(t)) {
                    words.push(Match::by_text(s, MatchKind::Words, e, None));
                }
            }
        }
    }
    for m in exact.into_iter().chain(prefix) {
        out.push(m);
    }
    let named = out
        .0
        .iter()
        .any(|m| matches!(m.kind, MatchKind::Name | MatchKind::NamePrefix));
    if !named {
        for m in words {
            out.push(m);
        }
    }
}

/// Every name and message of an entry, lowercased, one per line.
fn haystack(e: &Entry) -> String {
    let mut h = String::new();
    for part in e.names().chain(e.messages_en()).chain(e.messages_zh()) {
        h.push_str(&part.to_lowercase());
        h.push('\n');
    }
    h
}

/// The module of a number, for systems whose table lacks it.
fn range_fallbacks(
    reads: &[Reading],
    chosen: &[&'static System],
    hit_systems: &[&str],
    out: &mut Found,
) {
    for r in reads {
        for s in chosen {
            if hit_systems.contains(&s.id) || !applies(r, s) {
                continue;
            }
            if let Some(range) = s.range_of(r.value) {
                out.push(Match {
                    system: s,
                    kind: MatchKind::Range,
                    reading: Some(*r),
                    entry: None,
                    range: Some(range),
                    matched_name: None,
                });
            }
        }
    }
}
