//! Loading and checking the per-system catalogues: PlayM4 and ISAPI under
//! `src/catalog/systems/` (compiled into `hcnetsdk`), the other systems `hcnet explain`
//! knows under `explain/catalog/` (compiled into `hcnet-explain`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::check::{Checker, read_toml, toml_files};
use super::schema::{SysEntry, SysRange, SystemFile, SystemMeta};

/// Systems that come right after HCNetSDK, most likely first. Other systems follow: those
/// without a source number in id order, then the rest in source order.
const SYSTEM_PRIORITY: &[&str] = &["playm4", "isapi"];

/// What kind of row an entry is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `[[code]]`.
    Code,
    /// A `[[sub_status]]` under its `statusCode`.
    SubStatus { status_code: u32 },
}

/// One checked row: its kind, its value (`None` for a sub-status without `error_code`).
pub struct LoadedEntry {
    pub kind: Kind,
    pub value: Option<u32>,
    pub row: SysEntry,
}

/// One checked system file.
pub struct LoadedSystem {
    pub file: PathBuf,
    pub meta: SystemMeta,
    pub entries: Vec<LoadedEntry>,
    pub ranges: Vec<SysRange>,
}

/// Loads every `*.toml` of `dir`, in system order. `seen` holds the ids taken so far
/// (across folders), so an id is unique in the whole catalogue.
pub fn load_dir(
    dir: &Path,
    seen: &mut HashMap<String, PathBuf>,
    c: &mut Checker,
) -> Vec<LoadedSystem> {
    let mut out = Vec::new();
    for f in toml_files(dir, c) {
        let Some(sf) = read_toml::<SystemFile>(&f, c) else {
            continue;
        };
        check_meta(&f, &sf.system, c);
        if let Some(other) = seen.insert(sf.system.id.clone(), f.clone()) {
            let other = c.shown(&other);
            let entry = format!("[system] {:?}", sf.system.id);
            c.push(&f, &entry, format!("duplicate system id (also in {other})"));
        }
        let mut entries = load_codes(&f, sf.code, c);
        let values: BTreeSet<u32> = entries.iter().filter_map(|e| e.value).collect();
        entries.extend(load_sub_statuses(&f, sf.sub_status, &values, c));
        let ranges = load_ranges(&f, sf.range, c);
        out.push(LoadedSystem {
            file: f,
            meta: sf.system,
            entries,
            ranges,
        });
    }
    out.sort_by_key(|s| order_key(&s.meta));
    out
}

fn order_key(m: &SystemMeta) -> (usize, u8, String, String) {
    let first = SYSTEM_PRIORITY
        .iter()
        .position(|id| *id == m.id)
        .unwrap_or(SYSTEM_PRIORITY.len());
    let (seeded, seed) = if m.seed.is_empty() {
        (0, String::new())
    } else {
        (1, format!("{:0>8}", m.seed))
    };
    (first, seeded, seed, m.id.clone())
}

fn check_meta(f: &Path, meta: &SystemMeta, c: &mut Checker) {
    let entry = format!("[system] {:?}", meta.id);
    let id_ok = !meta.id.is_empty()
        && meta
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !id_ok {
        c.push(
            f,
            &entry,
            "`id` must be non-empty lowercase ASCII, digits or '_'",
        );
    }
    if meta.id == "hcnetsdk" {
        c.push(
            f,
            &entry,
            "`hcnetsdk` is reserved for src/catalog/hcnetsdk/",
        );
    }
    if !meta.seed.chars().all(|ch| ch.is_ascii_digit()) {
        c.push(f, &entry, "`seed` must be empty or digits, e.g. \"001\"");
    }
    if !matches!(meta.number_format.as_str(), "decimal" | "hex") {
        let msg = format!(
            "unknown number_format {:?} (valid: decimal, hex)",
            meta.number_format
        );
        c.push(f, &entry, msg);
    }
    c.line(f, &entry, "name", &meta.name, true);
    c.line(f, &entry, "description", &meta.description, true);
}

fn load_codes(f: &Path, rows: Vec<SysEntry>, c: &mut Checker) -> Vec<LoadedEntry> {
    let mut first_index: HashMap<u32, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let entry = match (&row.name, row.value) {
            (Some(n), Some(v)) => format!("code {v} ({n})"),
            (None, Some(v)) => format!("code {v}"),
            (_, None) => format!("[[code]] #{}", i + 1),
        };
        let Some(value) = row.value else {
            c.push(f, &entry, "`value` is required in a [[code]]");
            continue;
        };
        for (key, present) in [
            ("status_code", row.status_code.is_some()),
            ("error_code", row.error_code.is_some()),
        ] {
            if present {
                c.push(
                    f,
                    &entry,
                    format!("`{key}` belongs to a [[sub_status]], not a [[code]]"),
                );
            }
        }
        if let Some(first) = first_index.insert(value, i) {
            let msg = format!(
                "value listed twice (entries #{} and #{}); record a second meaning as \
                 [[code.alt]] and explain it in `notes`",
                first + 1,
                i + 1
            );
            c.push(f, &entry, msg);
        }
        check_entry(f, &entry, &row, c);
        out.push(LoadedEntry {
            kind: Kind::Code,
            value: Some(value),
            row,
        });
    }
    out
}

fn load_sub_statuses(
    f: &Path,
    rows: Vec<SysEntry>,
    codes: &BTreeSet<u32>,
    c: &mut Checker,
) -> Vec<LoadedEntry> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let (Some(name), Some(status_code)) = (row.name.clone(), row.status_code) else {
            let entry = format!("[[sub_status]] #{}", i + 1);
            c.push(
                f,
                &entry,
                "`name` and `status_code` are required in a [[sub_status]]",
            );
            continue;
        };
        let entry = format!("sub_status {name:?} (statusCode {status_code})");
        if row.value.is_some() {
            c.push(
                f,
                &entry,
                "a [[sub_status]] has no `value`: its number is `error_code` (hex)",
            );
        }
        if !seen.insert((status_code, name)) {
            c.push(f, &entry, "listed twice under the same status_code");
        }
        if !codes.contains(&status_code) {
            let msg = format!("status_code {status_code} is not a [[code]] of this system");
            c.push(f, &entry, msg);
        }
        check_entry(f, &entry, &row, c);
        let value = row.error_code.as_deref().and_then(|text| {
            let parsed = parse_hex(text);
            if parsed.is_none() {
                c.push(
                    f,
                    &entry,
                    format!("error_code {text:?} is not a 32-bit hex number"),
                );
            }
            parsed
        });
        out.push(LoadedEntry {
            kind: Kind::SubStatus { status_code },
            value,
            row,
        });
    }
    out
}

fn parse_hex(text: &str) -> Option<u32> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    u32::from_str_radix(digits, 16).ok()
}

fn load_ranges(f: &Path, mut ranges: Vec<SysRange>, c: &mut Checker) -> Vec<SysRange> {
    ranges.sort_by_key(|r| r.lo);
    for (i, r) in ranges.iter().enumerate() {
        let entry = format!("range {}..={}", r.lo, r.hi);
        if r.lo > r.hi {
            c.push(f, &entry, "lo is greater than hi");
        }
        if let Some(next) = ranges.get(i + 1).filter(|next| next.lo <= r.hi) {
            c.push(
                f,
                &entry,
                format!("overlaps range {}..={}", next.lo, next.hi),
            );
        }
        c.line(f, &entry, "module_en", &r.module_en, true);
        c.line(f, &entry, "module_zh", &r.module_zh, true);
    }
    ranges
}

/// The field checks every row shares.
fn check_entry(f: &Path, entry: &str, e: &SysEntry, c: &mut Checker) {
    if let Some(n) = &e.name {
        c.line(f, entry, "name", n, true);
    }
    c.line(f, entry, "en", &e.en, true);
    c.line(f, entry, "zh", &e.zh, true);
    c.line(f, entry, "remediation", &e.remediation, true);
    c.category(f, entry, &e.category);
    c.retry(f, entry, &e.retry);
    for s in e.causes.iter().chain(&e.notes) {
        c.line(f, entry, "notes/causes", s, true);
    }
    for v in &e.variants {
        c.line(f, entry, "variants.when", &v.when, true);
        c.line(f, entry, "variants.en", &v.en, true);
        c.line(f, entry, "variants.zh", &v.zh, true);
    }
    for a in &e.alt {
        if let Some(n) = &a.name {
            c.line(f, entry, "alt.name", n, true);
        }
        c.line(f, entry, "alt.en", &a.en, true);
        c.line(f, entry, "alt.zh", &a.zh, true);
        if let Some(cat) = &a.category {
            c.category(f, entry, cat);
        }
        if let Some(r) = &a.retry {
            c.retry(f, entry, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_error_codes() {
        assert_eq!(parse_hex("0x40000001"), Some(0x4000_0001));
        assert_eq!(parse_hex("60000003"), Some(0x6000_0003));
        assert_eq!(parse_hex("0x1_0000_0000"), None);
        assert_eq!(parse_hex("0x100000000"), None);
    }
}
