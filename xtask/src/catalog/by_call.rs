//! Loading and checking `src/catalog/hcnetsdk/by_call.toml` (diagnosis by function family
//! and code), and writing its part of `src/error/generated/hcnetsdk.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::check::{Checker, lit, lit_list, read_toml};
use super::schema::ByCallFile;

/// The file name inside `src/catalog/hcnetsdk/`.
pub const FILE: &str = "by_call.toml";

/// Loads and checks the file: unique family ids, each call in one family only, entries
/// naming a known family and a catalogued code, one entry per (family, code).
pub fn load(f: &Path, values: &BTreeSet<u32>, c: &mut Checker) -> ByCallFile {
    if !f.is_file() {
        return ByCallFile::default();
    }
    let Some(file) = read_toml::<ByCallFile>(f, c) else {
        return ByCallFile::default();
    };
    let mut families = BTreeSet::new();
    let mut calls: BTreeMap<&str, &str> = BTreeMap::new();
    for fam in &file.family {
        let entry = format!("family {:?}", fam.id);
        if !families.insert(fam.id.as_str()) {
            c.push(f, &entry, "duplicate family id");
        }
        c.line(f, &entry, "title", &fam.title, true);
        for call in &fam.calls {
            if !call.starts_with("NET_DVR_") {
                c.push(
                    f,
                    &entry,
                    format!("call {call:?} is not a NET_DVR_ function"),
                );
            }
            if let Some(other) = calls.insert(call, &fam.id) {
                c.push(
                    f,
                    &entry,
                    format!("call {call} is also in family {other:?}"),
                );
            }
        }
    }
    let mut pairs = BTreeSet::new();
    for e in &file.entry {
        let entry = format!("entry ({}, {})", e.family, e.code);
        if !families.contains(e.family.as_str()) {
            c.push(f, &entry, "no [[family]] has this id");
        }
        if !values.contains(&e.code) {
            c.push(
                f,
                &entry,
                format!("code {} is not an HCNetSDK code", e.code),
            );
        }
        if !pairs.insert((e.family.as_str(), e.code)) {
            c.push(f, &entry, "duplicate (family, code) pair");
        }
        c.line(f, &entry, "remediation", &e.remediation, true);
        for cause in &e.causes {
            c.line(f, &entry, "causes", cause, true);
        }
    }
    file
}

/// The generated tables: `FAMILIES` (id, title), `CALL_FAMILIES` (call, family id) sorted
/// by call for binary search, `CALL_ADVICE` sorted by (family, code).
pub fn generate(o: &mut String, file: &ByCallFile) {
    writeln!(o, "/// Every function family, in catalogue order.").unwrap();
    writeln!(
        o,
        "static FAMILIES: [CallFamily; {}] = [",
        file.family.len()
    )
    .unwrap();
    for fam in &file.family {
        writeln!(
            o,
            "    CallFamily {{ id: {}, title: {}, calls: {} }},",
            lit(&fam.id),
            lit(&fam.title),
            lit_list(&fam.calls)
        )
        .unwrap();
    }
    o.push_str("];\n\n");
    let mut calls: Vec<(&str, &str)> = file
        .family
        .iter()
        .flat_map(|f| f.calls.iter().map(move |c| (c.as_str(), f.id.as_str())))
        .collect();
    calls.sort_unstable();
    writeln!(o, "/// Call name -> family id, sorted by call name.").unwrap();
    writeln!(
        o,
        "static CALL_FAMILIES: [(&str, &str); {}] = [",
        calls.len()
    )
    .unwrap();
    for (call, fam) in &calls {
        writeln!(o, "    ({}, {}),", lit(call), lit(fam)).unwrap();
    }
    o.push_str("];\n\n");
    let mut entries: Vec<_> = file.entry.iter().collect();
    entries.sort_by(|a, b| (&a.family, a.code).cmp(&(&b.family, b.code)));
    writeln!(
        o,
        "/// Diagnosis by family and code, sorted by (family, code)."
    )
    .unwrap();
    writeln!(o, "static CALL_ADVICE: [CallAdvice; {}] = [", entries.len()).unwrap();
    for e in entries {
        writeln!(
            o,
            "    CallAdvice {{ family: {}, code: ErrorCode::from_raw({}), remediation: {}, causes: {} }},",
            lit(&e.family),
            e.code,
            lit(&e.remediation),
            lit_list(&e.causes)
        )
        .unwrap();
    }
    o.push_str("];\n");
}
