//! Build script: turns the `en` sentences of the project's error catalogue
//! (`src/catalog/hcnetsdk/codes-*.toml`) into a table for `NET_DVR_GetErrorMsg`.
//!
//! The catalogue is read with a tiny line parser (no dependencies): each `[[code]]` block's
//! `value = N` and `en = "..."`. A missing or unreadable catalogue gives an empty table and
//! the mock falls back to its built-in sentences. The library is also linked with
//! `-z nodelete`, so `dlclose` never unmaps code that the mock's own threads still run.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let catalog = Path::new(&manifest).join("../src/catalog/hcnetsdk");
    println!("cargo:rerun-if-changed={}", catalog.display());
    let mut entries: Vec<(u32, String)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir(&catalog) {
        let mut files: Vec<_> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("codes-") && n.ends_with(".toml"))
            })
            .collect();
        files.sort();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            if let Ok(text) = std::fs::read_to_string(&f) {
                parse(&text, &mut entries);
            }
        }
    }
    entries.sort_by_key(|e| e.0);
    entries.dedup_by_key(|e| e.0);
    let mut out =
        String::from("/// (code, English sentence) from the project's error catalogue.\n");
    out.push_str("pub(crate) static CATALOG_EN: &[(u32, &str)] = &[\n");
    for (v, en) in &entries {
        let _ = writeln!(out, "    ({v}, {en:?}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalog_en.rs");
    std::fs::write(dest, out).expect("write catalog_en.rs");

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}

fn parse(text: &str, out: &mut Vec<(u32, String)>) {
    let mut value: Option<u32> = None;
    let mut en: Option<String> = None;
    let mut flush = |value: &mut Option<u32>, en: &mut Option<String>| {
        if let (Some(v), Some(e)) = (value.take(), en.take()) {
            out.push((v, e));
        }
        *value = None;
        *en = None;
    };
    for line in text.lines() {
        let line = line.trim();
        if line == "[[code]]" {
            flush(&mut value, &mut en);
        } else if let Some(rest) = line.strip_prefix("value") {
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                value = v.split('#').next().and_then(|v| v.trim().parse().ok());
            }
        } else if let Some(rest) = line.strip_prefix("en") {
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                en = unquote(v.trim());
            }
        }
    }
    flush(&mut value, &mut en);
}

/// A TOML basic string `"..."` (one line) to its text; `None` if it is not one.
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                'U' => {
                    let hex: String = chars.by_ref().take(8).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            c => out.push(c),
        }
    }
    None
}
