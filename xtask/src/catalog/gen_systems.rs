//! Writes the per-system tables: `src/error/generated/<id>.rs` for the Hikvision systems
//! compiled into `hcnetsdk` (PlayM4, ISAPI), and `explain/src/generated/systems.rs` for the
//! systems of `hcnet-explain` plus the list of every system in search order.

use std::fmt::Write as _;

use super::check::{lit, lit_list, lit_opt};
use super::gen_hcnetsdk::variant;
use super::ids::Ids;
use super::schema::SysRange;
use super::systems::{Kind, LoadedEntry, LoadedSystem};

/// One Hikvision system's file: `ENTRIES`, `RANGES` and `TABLE`.
pub fn hikvision_file(s: &LoadedSystem, source: &str, ids: &Ids) -> String {
    let mut o = super::header(source);
    table(&mut o, "", s, ids);
    o
}

/// The explain crate's file: its systems' tables, then `SYSTEMS`, every system in search
/// order (HCNetSDK, the Hikvision systems of `hcnetsdk::error`, then these).
pub fn explain_file(hik: &[LoadedSystem], own: &[LoadedSystem], ids: &Ids) -> String {
    let mut o = super::header("explain/catalog/*.toml");
    for (i, s) in own.iter().enumerate() {
        table(&mut o, &format!("SYSTEM_{i}_"), s, ids);
        o.push('\n');
    }
    writeln!(
        o,
        "/// Every system, most likely first: HCNetSDK (the `ErrorCode` table), the Hikvision\n\
         /// systems of `hcnetsdk::error`, then this crate's.\n\
         static SYSTEMS: [System; {}] = [\n    HCNETSDK_SYSTEM,",
        1 + hik.len() + own.len()
    )
    .unwrap();
    for s in hik {
        writeln!(
            o,
            "    System::new(hcnetsdk::error::{}::table(), None),",
            s.meta.id
        )
        .unwrap();
    }
    for (i, s) in own.iter().enumerate() {
        let seed = (!s.meta.seed.is_empty()).then_some(s.meta.seed.as_str());
        writeln!(o, "    System::new(&SYSTEM_{i}_TABLE, {}),", lit_opt(seed)).unwrap();
    }
    o.push_str("];\n");
    o
}

/// `{p}ENTRIES`, `{p}RANGES` and the `CodeTable` `{p}TABLE` of one system.
fn table(o: &mut String, p: &str, s: &LoadedSystem, ids: &Ids) {
    let m = &s.meta;
    writeln!(o, "static {p}ENTRIES: [Entry; {}] = [", s.entries.len()).unwrap();
    for e in &s.entries {
        entry(o, &m.id, &m.number_format, e, ids);
    }
    o.push_str("];\n");
    writeln!(o, "static {p}RANGES: [Range; {}] = [", s.ranges.len()).unwrap();
    for r in &s.ranges {
        range(o, r);
    }
    o.push_str("];\n");
    writeln!(
        o,
        "static {p}TABLE: CodeTable = CodeTable {{ id: {}, name: {}, number_format: NumberFormat::{}, \
         description: {}, ranges: &{p}RANGES, entries: &{p}ENTRIES }};",
        lit(&m.id),
        lit(&m.name),
        number_format(&m.number_format),
        lit(&m.description),
    )
    .unwrap();
}

fn number_format(id: &str) -> &'static str {
    if id == "hex" { "Hex" } else { "Decimal" }
}

fn range(o: &mut String, r: &SysRange) {
    writeln!(
        o,
        "    Range {{ lo: {}, hi: {}, module_en: {}, module_zh: {} }},",
        r.lo,
        r.hi,
        lit(&r.module_en),
        lit(&r.module_zh)
    )
    .unwrap();
}

fn entry(o: &mut String, system: &str, nf: &str, e: &LoadedEntry, ids: &Ids) {
    let row = &e.row;
    let (kind, nf) = match e.kind {
        Kind::Code => ("EntryKind::Code".to_owned(), nf),
        Kind::SubStatus { status_code } => (
            format!("EntryKind::SubStatus {{ status_code: {status_code} }}"),
            "hex",
        ),
    };
    let variants: Vec<String> = row
        .variants
        .iter()
        .map(|v| {
            format!(
                "Variant {{ when: {}, message_en: {}, message_zh: {} }}",
                lit(&v.when),
                lit(&v.en),
                lit(&v.zh)
            )
        })
        .collect();
    writeln!(
        o,
        "    Entry {{ system: {system}, kind: {kind}, value: {value}, number_format: NumberFormat::{nf}, \
         name: {name}, message_en: {en}, message_zh: {zh}, category: Category::{cat}, retry: Retry::{retry}, \
         remediation: {rem}, remediation_source: RemediationSource::Code, causes: {causes}, group: None, \
         http_status: {http}, success: {success}, notes: {notes}, variants: &[{variants}], alternatives: &[{alts}] }},",
        system = lit(system),
        value = e.value.map_or("None".to_owned(), |v| format!("Some({v})")),
        nf = number_format(nf),
        name = lit_opt(row.name.as_deref()),
        en = lit(&row.en),
        zh = lit(&row.zh),
        cat = variant(ids.category(&row.category)),
        retry = variant(ids.retry(&row.retry)),
        rem = lit(&row.remediation),
        causes = lit_list(&row.causes),
        http = row.http_status.map_or("None".to_owned(), |h| format!("Some({h})")),
        success = row.success,
        notes = lit_list(&row.notes),
        variants = variants.join(", "),
        alts = alternatives(row, ids).join(", "),
    )
    .unwrap();
}

/// `[[code.alt]]` rows; a missing category or retry is the entry's own.
fn alternatives(row: &super::schema::SysEntry, ids: &Ids) -> Vec<String> {
    row.alt
        .iter()
        .map(|a| {
            let cat = a.category.as_deref().unwrap_or(&row.category);
            let retry = a.retry.as_deref().unwrap_or(&row.retry);
            format!(
                "Alternative {{ name: {}, message_en: {}, message_zh: {}, category: Category::{}, retry: Retry::{} }}",
                lit_opt(a.name.as_deref()),
                lit(&a.en),
                lit(&a.zh),
                variant(ids.category(cat)),
                variant(ids.retry(retry)),
            )
        })
        .collect()
}
