//! Every code in each of the five reference lists (`../shared/seeds/00*.txt`, parsed here at
//! test time) explains to its documented meaning under its system, through `hcnet explain
//! --system S --json`, run as the built binary.
//!
//! The reference lists live outside the repository (`../shared/seeds` beside the clone,
//! or `HCNET_SEEDS_DIR`). When they are absent a test prints a SKIPPED line, except under
//! CI (`CI` set and non-empty), where it fails; the catalogue checks in `explain.rs` run
//! regardless.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn seeds_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("HCNET_SEEDS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    // cli/ -> workspace root -> its parent holds shared/.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds")
}

/// The product whose reference list `NNN` is.
fn product(n: &str) -> &'static str {
    match n {
        "000" => "Hikvision HCNetSDK",
        "001" => "Viewtron HTTP API",
        "002" => "Tencent IoT Video SDK",
        "003" => "Tencent IoT Video Industry API",
        "004" => "Alibaba ApsaraVideo Player SDK",
        _ => "unknown product",
    }
}

/// The text of reference list `NNN`, or `None` with a visible SKIPPED line when it is not
/// there. Under CI (the `CI` environment variable set and non-empty) a missing list fails
/// the test instead.
fn seed(n: &str) -> Option<String> {
    let dir = seeds_dir();
    let file = std::fs::read_dir(&dir).ok().and_then(|rd| {
        rd.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with(&format!("{n}_")) && f.ends_with(".txt"))
        })
    });
    if let Some(f) = file {
        return Some(std::fs::read_to_string(f).expect("reference list readable"));
    }
    let what = format!(
        "the reference list of {} codes ({n}_*.txt in {}; set HCNET_SEEDS_DIR to point elsewhere)",
        product(n),
        dir.display()
    );
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("CI is set, so this test may not skip: {what} is missing");
    }
    // Straight to the process's stderr, so the line shows even when the test passes.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED (not under CI): {what} is missing; the test checked nothing"
    );
    None
}

fn explain_json(query: &str, system: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .args(["explain", "--json", "--system", system, "--", query])
        .output()
        .expect("run hcnet");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "explain {query} --system {system}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let count = v["count"].as_u64().unwrap_or(0);
    assert_eq!(
        out.status.success(),
        count > 0,
        "exit status must say whether anything matched: {query} {system}"
    );
    v
}

/// The value matches of a query, with their entries.
fn value_entries(v: &Value) -> Vec<&Value> {
    v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["match"] == "value")
        .map(|m| &m["entry"])
        .collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every Chinese meaning of an entry: its own, the alternatives', the variants'.
fn all_zh(e: &Value) -> Vec<String> {
    let mut out = vec![e["message_zh"].as_str().unwrap_or("").to_string()];
    for a in e["alternatives"].as_array().into_iter().flatten() {
        out.push(a["message_zh"].as_str().unwrap_or("").to_string());
    }
    for a in e["variants"].as_array().into_iter().flatten() {
        out.push(a["message_zh"].as_str().unwrap_or("").to_string());
    }
    out
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown as seed 004 writes it: `\_`, `\>`, `**bold**`, `[text](link)`.
fn strip_md(s: &str) -> String {
    let s = s.replace("\\_", "_").replace("\\>", ">").replace("**", "");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match (after.find("]("), after.find(')')) {
            (Some(j), Some(k)) if j < k => {
                out.push_str(&after[..j]);
                rest = &after[k + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn seed_000_hcnetsdk_every_code() {
    let Some(text) = seed("000") else { return };
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("| NET_DVR_"))
    {
        let c = cells(line);
        let (name, value, zh) = (&c[0], &c[1], &c[2]);
        let v = explain_json(value, "hcnetsdk");
        let entries = value_entries(&v);
        let e = entries
            .first()
            .unwrap_or_else(|| panic!("HCNetSDK reference: code {value} ({name}) has no match"));
        assert_eq!(e["name"], name.as_str(), "HCNetSDK reference: code {value}");
        assert_eq!(
            e["value"].as_u64(),
            value.parse::<u64>().ok(),
            "HCNetSDK reference: {name}"
        );
        assert_eq!(
            norm(e["message_zh"].as_str().unwrap()),
            norm(zh),
            "HCNetSDK reference: {name}: the Chinese meaning must be the reference's"
        );
        assert!(
            !e["remediation"].as_str().unwrap().is_empty(),
            "{name}: remediation"
        );
        assert!(
            !e["message_en"].as_str().unwrap().is_empty(),
            "{name}: English"
        );
        // By name too.
        let by_name = explain_json(name, "hcnetsdk");
        assert_eq!(by_name["matches"][0]["match"], "name", "{name}");
        assert_eq!(
            by_name["matches"][0]["value"].as_u64(),
            value.parse::<u64>().ok()
        );
        n += 1;
    }
    assert_eq!(n, 61, "HCNetSDK reference: lists codes 0..=60");
}

#[test]
fn seed_001_viewtron_every_code() {
    let Some(text) = seed("001") else { return };
    let mut n = 0;
    let mut in_table = false;
    for line in text.lines() {
        let line = line.trim();
        if line == "CodeDescription" {
            in_table = true;
            continue;
        }
        if line.is_empty() {
            in_table = false;
            continue;
        }
        if !in_table {
            continue;
        }
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            in_table = false;
            continue;
        }
        let desc = &line[digits.len()..];
        let v = explain_json(&digits, "viewtron");
        let entries = value_entries(&v);
        let e = entries
            .first()
            .unwrap_or_else(|| panic!("Viewtron reference: code {digits} has no match"));
        assert_eq!(e["value"].as_u64(), digits.parse::<u64>().ok());
        assert_eq!(
            norm(e["message_en"].as_str().unwrap()),
            norm(desc),
            "Viewtron reference: code {digits}: the meaning must be the reference's"
        );
        assert_eq!(e["system"], "viewtron");
        n += 1;
    }
    assert_eq!(n, 54, "Viewtron reference: lists 54 codes");
}

#[test]
fn seed_002_tencent_iot_video_every_code_and_range() {
    let Some(text) = seed("002") else { return };
    let mut n = 0;
    let mut ranges = 0;
    for line in text.lines().filter(|l| l.trim_start().starts_with('|')) {
        let c = cells(line);
        // Code tables: | KEY | code | meaning |
        if c.len() == 3 && c[1].chars().all(|ch| ch.is_ascii_digit()) && !c[1].is_empty() {
            let v = explain_json(&c[1], "tencent_iot_video");
            let entries = value_entries(&v);
            let e = entries.first().unwrap_or_else(|| {
                panic!("Tencent IoT Video reference: code {} has no match", c[1])
            });
            assert_eq!(
                e["name"],
                c[0].as_str(),
                "Tencent IoT Video reference: code {}",
                c[1]
            );
            assert!(
                all_zh(e).iter().any(|z| norm(z) == norm(&c[2])),
                "Tencent IoT Video reference: code {}: meaning {:?} not in {:?}",
                c[1],
                c[2],
                all_zh(e)
            );
            // And by its key, case-insensitively.
            let by_name = explain_json(&c[0].to_lowercase(), "tencent_iot_video");
            assert_eq!(by_name["matches"][0]["entry"]["name"], c[0].as_str());
            n += 1;
        }
        // The range table: | lo - hi | module |
        if c.len() == 2
            && let Some((lo, hi)) = c[0].split_once('-')
            && let (Ok(lo), Ok(hi)) = (lo.trim().parse::<u32>(), hi.trim().parse::<u32>())
        {
            // A value in the range that has no entry of its own falls back to the module.
            let probe = (lo..=hi)
                .rev()
                .find(|x| {
                    value_entries(&explain_json(&x.to_string(), "tencent_iot_video")).is_empty()
                })
                .expect("some value of the range has no entry");
            let v = explain_json(&probe.to_string(), "tencent_iot_video");
            let m = &v["matches"][0];
            assert_eq!(
                m["match"], "range",
                "Tencent IoT Video reference: {probe} in {lo}-{hi}"
            );
            assert_eq!(m["range"]["lo"].as_u64(), Some(u64::from(lo)));
            assert_eq!(m["range"]["hi"].as_u64(), Some(u64::from(hi)));
            assert_eq!(
                norm(m["range"]["module_zh"].as_str().unwrap()),
                norm(&c[1]),
                "Tencent IoT Video reference: range {lo}-{hi}"
            );
            ranges += 1;
        }
    }
    assert_eq!(n, 47, "Tencent IoT Video reference: lists 47 codes");
    assert_eq!(ranges, 16, "Tencent IoT Video reference: lists 16 ranges");
}

#[test]
fn seed_003_tencent_iot_industry_every_code() {
    let Some(text) = seed("003") else { return };
    let mut n = 0;
    for line in text.lines().filter(|l| l.trim_start().starts_with('|')) {
        let c = cells(line);
        if c.len() != 3 || c[0].is_empty() || !c[0].chars().all(|ch| ch.is_ascii_digit()) {
            continue;
        }
        let (code, zh, http) = (&c[0], &c[1], &c[2]);
        let v = explain_json(code, "tencent_iot_industry");
        let entries = value_entries(&v);
        let e = entries.first().unwrap_or_else(|| {
            panic!("Tencent IoT Video Industry reference: code {code} has no match")
        });
        assert!(
            all_zh(e).iter().any(|z| norm(z) == norm(zh)),
            "Tencent IoT Video Industry reference: code {code}: meaning {zh:?} not in {:?}",
            all_zh(e)
        );
        assert_eq!(
            e["http_status"].as_u64(),
            http.parse::<u64>().ok(),
            "Tencent IoT Video Industry reference: code {code}: HTTP status"
        );
        n += 1;
    }
    assert_eq!(
        n, 74,
        "Tencent IoT Video Industry reference: lists 74 rows (73 codes, 51603 twice)"
    );
}

#[test]
fn seed_004_aliyun_player_every_code_in_hex_and_decimal() {
    let Some(text) = seed("004") else { return };
    let mut n = 0;
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let c = cells(line);
        if c.len() != 4 || c[2].is_empty() || !c[2].chars().all(|ch| ch.is_ascii_digit()) {
            continue;
        }
        let name = strip_md(&c[0]);
        let (hex, dec) = (&c[1], c[2].parse::<u64>().unwrap());
        let meaning = strip_md(&c[3]);
        // The hex exactly as the seed writes it (with or without 0x), and the decimal.
        for q in [hex.as_str(), c[2].as_str()] {
            let v = explain_json(q, "aliyun_player");
            let entries = value_entries(&v);
            let e = entries
                .iter()
                .find(|e| e["value"].as_u64() == Some(dec))
                .unwrap_or_else(|| {
                    panic!("Alibaba player reference: {name}: {q} does not explain to {dec}")
                });
            assert!(
                strs(&e["names"]).contains(&name),
                "Alibaba player reference: {q}: name {name} not in {:?}",
                e["names"]
            );
            assert!(
                all_zh(e).iter().any(|z| norm(z) == norm(&meaning)),
                "Alibaba player reference: {name}: meaning {meaning:?} not in {:?}",
                all_zh(e)
            );
        }
        n += 1;
    }
    assert_eq!(
        n, 127,
        "Alibaba player reference: lists 127 rows (0x20013007 twice)"
    );
}
