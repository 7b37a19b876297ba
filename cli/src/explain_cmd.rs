//! `hcnet explain`: a presentation layer over `hcnet_explain`, the multi-system lookup
//! engine. Human text by default, `--json` for machines, `--list` to dump catalogues.

use std::fmt::Write as _;
use std::process::ExitCode;

use hcnet_explain::{
    self as explain, Entry, EntryKind, Match, MatchKind, NumberFormat, NumberReading, Range, System,
};
use hcnetsdk::error::RemediationSource;
use serde_json::{Value, json};

use crate::{EXIT_NO_MATCH, ExplainArgs};

/// Run `hcnet explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    if args.list {
        return list(args);
    }
    let q = args.query.join(" ");
    let matches = match explain::query(&q, args.system.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("hcnet explain: {e}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        let out = json!({
            "query": q,
            "system": args.system,
            "readings": readings_json(&q),
            "count": matches.len(),
            "matches": matches.iter().map(match_json).collect::<Vec<_>>(),
        });
        outln!("{}", pretty(&out));
    } else if !matches.is_empty() {
        out!("{}", render_matches(&q, &matches));
    }
    if matches.is_empty() {
        eprint!("{}", no_match_text(&q, args.system.as_deref()));
        return ExitCode::from(EXIT_NO_MATCH);
    }
    ExitCode::SUCCESS
}

fn readings_json(q: &str) -> Value {
    explain::readings(q)
        .iter()
        .map(|r| json!({"value": r.value, "hex": format!("0x{:08X}", r.value), "how": reading_str(r.how)}))
        .collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

fn list(args: &ExplainArgs) -> ExitCode {
    let chosen: Vec<&'static System> = match &args.system {
        Some(id) => match explain::system(id) {
            Ok(s) => vec![s],
            Err(e) => {
                eprintln!("hcnet explain --list: {e}");
                return ExitCode::from(2);
            }
        },
        None => explain::systems().iter().collect(),
    };
    if args.json {
        let out = json!({
            "systems": chosen.iter().map(|s| {
                let mut v = system_json(s);
                v["ranges"] = s.ranges.iter().map(range_json).collect();
                v["entries"] = s.entries().map(|e| entry_json(&e)).collect();
                v
            }).collect::<Vec<_>>()
        });
        outln!("{}", pretty(&out));
        return ExitCode::SUCCESS;
    }
    let mut out = String::new();
    for s in &chosen {
        let _ = writeln!(out, "== {} ({}) : {} entries", s.name, s.id, s.len());
        if !s.description.is_empty() {
            let _ = writeln!(out, "   {}", s.description);
        }
        let width = s
            .entries()
            .filter_map(|e| e.value_text())
            .map(|v| v.chars().count())
            .max()
            .unwrap_or(1)
            .max(5);
        for e in s.entries() {
            let value = e.value_text().unwrap_or_else(|| "-".to_string());
            let name = e.names().collect::<Vec<_>>().join(" / ");
            let mut flags = String::new();
            if e.success {
                flags.push_str(" [success]");
            }
            if let EntryKind::SubStatus { status_code } = e.kind {
                let _ = write!(flags, " [subStatusCode of statusCode {status_code}]");
            }
            if !e.notes.is_empty() || !e.variants.is_empty() || !e.alternatives.is_empty() {
                flags.push_str(" [*]");
            }
            let msg = if e.message_en.is_empty() {
                e.message_zh
            } else {
                e.message_en
            };
            let _ = writeln!(out, "  {value:>width$}  {name:<40} {msg}{flags}");
        }
        if !s.ranges.is_empty() {
            let _ = writeln!(
                out,
                "  ranges (a number in no table falls back to its module):"
            );
            for r in s.ranges {
                let _ = writeln!(
                    out,
                    "    {}  {}",
                    range_text(s, r),
                    bilingual(r.module_en, r.module_zh)
                );
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "[*] has notes, variants or a second meaning/name: `hcnet explain <name or value> --system <id>` shows them."
    );
    out!("{out}");
    ExitCode::SUCCESS
}

fn range_text(s: &System, r: &Range) -> String {
    match s.number_format {
        NumberFormat::Hex => format!("0x{:08X}-0x{:08X}", r.lo, r.hi),
        _ => format!("{}-{}", r.lo, r.hi),
    }
}

fn bilingual(en: &str, zh: &str) -> String {
    match (en.is_empty(), zh.is_empty()) {
        (false, false) => format!("{en} ({zh})"),
        (false, true) => en.to_string(),
        (true, false) => zh.to_string(),
        (true, true) => String::new(),
    }
}

fn kind_str(k: MatchKind) -> &'static str {
    match k {
        MatchKind::Value => "value",
        MatchKind::Name => "name",
        MatchKind::NamePrefix => "name_prefix",
        MatchKind::Words => "words",
        MatchKind::Range => "range",
        _ => "other",
    }
}

fn reading_str(r: NumberReading) -> &'static str {
    match r {
        NumberReading::Decimal => "decimal",
        NumberReading::Hex => "hex",
        NumberReading::BareHex => "bare_hex",
        NumberReading::Negative => "negative",
        _ => "other",
    }
}

fn remediation_source_str(r: RemediationSource) -> &'static str {
    match r {
        RemediationSource::Code => "code",
        RemediationSource::Group => "group",
        RemediationSource::Kind => "kind",
        _ => "other",
    }
}

fn number_format_str(n: NumberFormat) -> &'static str {
    match n {
        NumberFormat::Decimal => "decimal",
        NumberFormat::Hex => "hex",
        _ => "other",
    }
}

fn system_json(s: &System) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "number_format": number_format_str(s.number_format),
        "description": s.description,
    })
}

fn range_json(r: &Range) -> Value {
    json!({
        "lo": r.lo,
        "hi": r.hi,
        "lo_hex": format!("0x{:08X}", r.lo),
        "hi_hex": format!("0x{:08X}", r.hi),
        "module_en": r.module_en,
        "module_zh": r.module_zh,
    })
}

fn entry_json(e: &Entry) -> Value {
    let status_code = match e.kind {
        EntryKind::SubStatus { status_code } => Some(status_code),
        _ => None,
    };
    json!({
        "system": e.system,
        "kind": if status_code.is_some() { "sub_status" } else { "code" },
        "status_code": status_code,
        "value": e.value,
        "value_text": e.value_text(),
        "value_hex": e.value.map(|v| format!("0x{v:08X}")),
        "name": e.name,
        "names": e.names().collect::<Vec<_>>(),
        "message_en": e.message_en,
        "message_zh": e.message_zh,
        "category": e.category.as_str(),
        "category_text": e.category.describe(),
        "retry": e.retry.as_str(),
        "retry_advice": e.retry.advice(),
        "retryable": e.retry.is_retryable(),
        "remediation": e.remediation,
        "remediation_source": remediation_source_str(e.remediation_source),
        "causes": e.causes,
        "group": e.group,
        "http_status": e.http_status,
        "success": e.success,
        "notes": e.notes,
        "variants": e.variants.iter().map(|v| json!({
            "when": v.when, "message_en": v.message_en, "message_zh": v.message_zh,
        })).collect::<Vec<_>>(),
        "alternatives": e.alternatives.iter().map(|a| json!({
            "name": a.name, "message_en": a.message_en, "message_zh": a.message_zh,
            "category": a.category.as_str(), "retry": a.retry.as_str(),
        })).collect::<Vec<_>>(),
    })
}

fn match_json(m: &Match) -> Value {
    json!({
        "system": system_json(m.system),
        "match": kind_str(m.kind),
        "reading": m.reading.map(|r| json!({"value": r.value, "how": reading_str(r.how)})),
        "value": m.value(),
        "value_text": m.value().map(|v| m.system.format_value(v)),
        "matched_name": m.matched_name,
        "message_en": m.message_en(),
        "message_zh": m.message_zh(),
        "entry": m.entry.as_ref().map(entry_json),
        "range": m.range.map(range_json),
    })
}

fn how_found(m: &Match) -> String {
    match (m.kind, m.reading) {
        (MatchKind::Value, Some(r)) => match r.how {
            NumberReading::BareHex => format!("read as hex 0x{:X}", r.value),
            NumberReading::Negative => format!("read as the 32-bit value 0x{:08X}", r.value),
            NumberReading::Hex => "hex value".to_string(),
            _ => "value".to_string(),
        },
        (MatchKind::Name, _) => "name".to_string(),
        (MatchKind::NamePrefix, _) => format!(
            "name starts with the query ({})",
            m.matched_name.unwrap_or("")
        ),
        (MatchKind::Words, _) => "words in the message".to_string(),
        (MatchKind::Range, _) => "not in the table: its range".to_string(),
        _ => String::new(),
    }
}

/// Human text for every match.
pub fn render_matches(q: &str, matches: &[Match]) -> String {
    let mut out = String::new();
    if matches.len() > 1 {
        let systems: Vec<&str> = {
            let mut v: Vec<&str> = matches.iter().map(|m| m.system.id).collect();
            v.dedup();
            v
        };
        let _ = writeln!(
            out,
            "{} matches for {q:?} in {} system(s), most likely first:\n",
            matches.len(),
            systems.len()
        );
    }
    for (i, m) in matches.iter().enumerate() {
        if matches.len() > 1 {
            let _ = write!(out, "{}. ", i + 1);
        }
        render_match(&mut out, m);
        out.push('\n');
    }
    out
}

fn render_match(out: &mut String, m: &Match) {
    let sys = format!("{} ({})", m.system.name, m.system.id);
    match &m.entry {
        Some(e) => render_entry(out, m, e, &sys),
        None => render_range(out, m, &sys),
    }
}

/// A number in no table: its range (module).
fn render_range(out: &mut String, m: &Match, sys: &str) {
    let value = m
        .value()
        .map(|v| m.system.format_value(v))
        .unwrap_or_default();
    let _ = writeln!(out, "{value}  [{sys}]  not in the code table");
    if let Some(r) = m.range {
        let _ = writeln!(
            out,
            "   range:       {} = {}",
            range_text(m.system, r),
            bilingual(r.module_en, r.module_zh)
        );
        let _ = writeln!(
            out,
            "   meaning:     an error of that module; the table has no entry for this exact value"
        );
    }
}

/// An entry: title, then one labelled line per fact.
fn render_entry(out: &mut String, m: &Match, e: &Entry, sys: &str) {
    let title = match (e.name, e.value_text()) {
        (Some(n), Some(v)) => format!("{n}  {v}"),
        (Some(n), None) => n.to_string(),
        (None, Some(v)) => v,
        (None, None) => "(no value)".to_string(),
    };
    let _ = writeln!(out, "{title}  [{sys}]  ({})", how_found(m));
    if let EntryKind::SubStatus { status_code } = e.kind {
        label(
            out,
            "status code:",
            &format!("subStatusCode under statusCode {status_code}"),
        );
    }
    if e.success {
        label(out, "success:", "yes: this row means success, not an error");
    }
    let other_names: Vec<&str> = e.names().skip(1).collect();
    if !other_names.is_empty() {
        label(out, "also named:", &other_names.join(", "));
    }
    let cat = if e.category.as_str() == e.category.describe() {
        e.category.as_str().to_string()
    } else {
        format!("{} ({})", e.category.as_str(), e.category.describe())
    };
    label(out, "category:", &cat);
    label(out, "message:", e.message_en);
    label(out, "中文:", e.message_zh);
    if let Some(h) = e.http_status {
        label(out, "HTTP status:", &h.to_string());
    }
    if let Some(g) = e.group {
        label(out, "group:", g);
    }
    render_meanings(out, e);
    let source = match e.remediation_source {
        RemediationSource::Group => " (group advice)",
        _ => "",
    };
    label(out, "what to do:", &format!("{}{source}", e.remediation));
    label(
        out,
        "retry:",
        &format!("{}: {}", e.retry.as_str(), e.retry.advice()),
    );
    if let Some(r) = m.range {
        label(
            out,
            "module:",
            &format!(
                "{} = {}",
                range_text(m.system, r),
                bilingual(r.module_en, r.module_zh)
            ),
        );
    }
    for n in e.notes {
        label(out, "note:", n);
    }
}

/// One labelled line (`   label:       value`), nothing if the value is empty.
fn label(out: &mut String, k: &str, v: &str) {
    if !v.is_empty() {
        let pad = 13usize.saturating_sub(display_width(k));
        let _ = writeln!(out, "   {k}{:pad$}{v}", "");
    }
}

/// The variants, alternatives and causes of an entry.
fn render_meanings(out: &mut String, e: &Entry) {
    for v in e.variants {
        label(
            out,
            &format!("when {}:", v.when),
            &bilingual(v.message_en, v.message_zh),
        );
    }
    for a in e.alternatives {
        let name = a.name.map(|n| format!("{n}: ")).unwrap_or_default();
        label(
            out,
            "also means:",
            &format!("{name}{}", bilingual(a.message_en, a.message_zh)),
        );
    }
    for (i, c) in e.causes.iter().enumerate() {
        label(out, if i == 0 { "causes:" } else { "" }, &format!("- {c}"));
    }
}

/// Why a query that looks like a number could not be read as one, if it looks like one.
fn number_problem(q: &str) -> Option<String> {
    let q = q.trim();
    let body = q.strip_prefix('-').unwrap_or(q);
    if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if h.is_empty() {
            return Some(format!(
                "{q:?} has no digits after 0x: write the hex digits too, e.g. 0x99"
            ));
        }
        if let Some(bad) = h.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Some(format!(
                "{q:?} is not a hex number: {bad:?} is not a hex digit (0-9, a-f)"
            ));
        }
        if explain::readings(q).is_empty() {
            return Some(format!(
                "{q} does not fit in 32 bits: codes go from 0 to 0xFFFFFFFF"
            ));
        }
        return None;
    }
    if !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit())
        && explain::readings(q).is_empty()
    {
        return Some(if body.len() == q.len() {
            format!("{q} does not fit in 32 bits: codes go from 0 to 4294967295 (0xFFFFFFFF)")
        } else {
            format!("{q} is below -2147483648, the smallest 32-bit value")
        });
    }
    None
}

/// Columns a string takes in a terminal: East Asian wide characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn no_match_text(q: &str, system: Option<&str>) -> String {
    let mut out = String::new();
    match system {
        Some(s) => {
            let _ = writeln!(out, "hcnet explain: no match for {q:?} in system {s}.");
            let _ = writeln!(out, "  try without --system to search every catalogue.");
        }
        None => {
            let _ = writeln!(out, "hcnet explain: no match for {q:?} in any catalogue.");
        }
    }
    let reads = explain::readings(q);
    if !reads.is_empty() {
        // One line per value: "8" read as decimal and as bare hex is the same 8.
        let mut values: Vec<(u32, Vec<String>)> = Vec::new();
        for r in &reads {
            let how = reading_str(r.how).replace('_', " ");
            match values.iter_mut().find(|(v, _)| *v == r.value) {
                Some((_, hows)) => hows.push(how),
                None => values.push((r.value, vec![how])),
            }
        }
        let shown: Vec<String> = values
            .iter()
            .map(|(v, hows)| format!("{v} = 0x{v:08X} ({})", hows.join(" or ")))
            .collect();
        let _ = writeln!(
            out,
            "  the query was read as {}; no table or range holds that value.",
            shown.join(", or ")
        );
        if reads
            .iter()
            .any(|r| r.how == NumberReading::Negative && r.value == u32::MAX)
        {
            let _ = writeln!(
                out,
                "  -1 is what most HCNetSDK calls return on failure (NET_DVR_Login_V40, NET_DVR_RealPlay_V40, ...), \
                 not an error code: call NET_DVR_GetLastError() right after the failing call and explain the number it returns."
            );
        } else if reads.iter().any(|r| r.how == NumberReading::Negative) {
            let _ = writeln!(
                out,
                "  no catalogue has negative codes; a negative number is read as the 32-bit value C code would store."
            );
        }
    } else if let Some(problem) = number_problem(q) {
        let _ = writeln!(out, "  {problem}.");
    }
    let _ = writeln!(
        out,
        "  a query can be a number (7, 0x20013007, 20013007, -1), a name or its start (NET_DVR_PASSWORD_ERROR, ERROR_ARTP), \
         or words from the messages (\"password\", \"timeout\", 超时)."
    );
    let ids: Vec<&str> = explain::systems().iter().map(|s| s.id).collect();
    let _ = writeln!(out, "  systems: {}", ids.join(", "));
    let _ = writeln!(
        out,
        "  `hcnet explain --list [--system S]` shows whole catalogues."
    );
    out
}
