//! The multi-system explain engine: every code of the reference files explains to its
//! documented meaning under its system, the sources' inconsistencies are kept, and every
//! query form works.
//!
//! The reference files (the vendors' code lists, `NNN_*.txt`) live outside the repository,
//! in `../shared/seeds` beside the workspace, or in `HCNET_SEEDS_DIR`. Without them a test
//! that needs them says so and is skipped, except under CI (the `CI` environment variable
//! set and non-empty), where it fails.

use std::io::Write as _;
use std::path::PathBuf;

use hcnet_explain::{
    self as explain, EntryKind, Match, MatchKind, NumberFormat, NumberReading, list, query,
    readings, system, systems,
};
use hcnetsdk::ErrorCode;
use hcnetsdk::error::{Category, codes, operation};

fn seeds_dir() -> PathBuf {
    match std::env::var_os("HCNET_SEEDS_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        // explain/ -> the workspace root -> its parent holds shared/.
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds"),
    }
}

/// The reference list `nnn` (`nnn_*.txt`) of `product`'s codes, or `None` with a visible
/// SKIPPED line when it is absent. Under CI a missing file fails the test instead.
fn seed(nnn: &str, product: &str) -> Option<String> {
    let dir = seeds_dir();
    let found = std::fs::read_dir(&dir).ok().and_then(|rd| {
        rd.flatten().map(|e| e.path()).find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{nnn}_")) && n.ends_with(".txt"))
        })
    });
    if let Some(text) = found.and_then(|p| std::fs::read_to_string(p).ok()) {
        return Some(text);
    }
    let what = format!(
        "the reference list of {product} codes ({nnn}_*.txt in {}; set HCNET_SEEDS_DIR to \
         point elsewhere)",
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

/// Cells of a markdown table row, trimmed; `None` for non-rows and separator rows.
fn cells(line: &str) -> Option<Vec<String>> {
    let l = line.trim();
    if !l.starts_with('|') {
        return None;
    }
    let inner = l.trim_start_matches('|').trim_end_matches('|');
    let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_owned()).collect();
    if cells
        .iter()
        .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    {
        return None;
    }
    Some(cells)
}

/// Removes the reference's markdown: `\_` escapes, `**bold**`, `[text](link)`, `\>`.
fn unmarkdown(s: &str) -> String {
    let s = s.replace("\\_", "_").replace("\\>", ">").replace("**", "");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](").and_then(|mid| {
            after[mid + 2..]
                .find(')')
                .map(|close| (mid, mid + 2 + close + 1))
        }) {
            Some((mid, end)) => {
                out.push_str(&after[..mid]);
                rest = &after[end..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn value_matches(q: &str, sys: &str) -> Vec<Match> {
    query(q, Some(sys))
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == MatchKind::Value)
        .collect()
}

/// Asserts that `q` under `sys` finds an entry with `value` whose names include `name` (if
/// given) and one of whose meanings contains `meaning`.
fn assert_explains(sys: &str, q: &str, value: u32, name: Option<&str>, meaning: &str) {
    let found = value_matches(q, sys);
    let hit = found.iter().find(|m| {
        let e = m.entry.as_ref().unwrap();
        e.value == Some(value)
            && name.is_none_or(|n| e.names().any(|x| x == n))
            && e.messages_en()
                .chain(e.messages_zh())
                .any(|t| t.contains(meaning))
    });
    assert!(
        hit.is_some(),
        "{sys}: query {q:?} should explain {value} {name:?} as {meaning:?}; got {found:#?}"
    );
}

#[test]
fn seed_000_hcnetsdk_every_code() {
    let Some(text) = seed("000", "Hikvision HCNetSDK") else {
        return;
    };
    let mut n = 0;
    for row in text.lines().filter_map(cells) {
        if row.len() != 3 || !row[0].starts_with("NET_DVR_") {
            continue;
        }
        let value: u32 = row[1].parse().unwrap();
        assert_explains("hcnetsdk", &row[1], value, Some(&row[0]), &row[2]);
        // The Chinese message is the reference's text verbatim.
        let code = ErrorCode::from_raw(value);
        assert_eq!(code.name(), row[0]);
        assert_eq!(code.message_zh(), row[2], "{}", row[0]);
        // And the name explains to the same code.
        let m = &query(&row[0], None).unwrap()[0];
        assert_eq!((m.kind, m.value()), (MatchKind::Name, Some(value)));
        n += 1;
    }
    assert_eq!(n, 61, "the HCNetSDK reference lists codes 0-60");

    // The quick lookup by operation ("- **错误码 N**: hint") is available from the API.
    let mut section = None;
    let mut quick = 0;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            section = Some(title.trim().to_owned());
        } else if let Some(rest) = line.trim().strip_prefix("- **错误码 ") {
            let (num, hint) = rest.split_once("**:").unwrap();
            let value: u32 = num.trim().parse().unwrap();
            let title = section.as_deref().unwrap();
            let op = hcnetsdk::error::operations()
                .iter()
                .find(|o| o.title_zh == title)
                .unwrap_or_else(|| panic!("no operation titled {title}"));
            assert!(
                op.entries
                    .iter()
                    .any(|e| e.code.raw() == value && e.hint_zh == hint.trim()),
                "{title}: {value} {hint}"
            );
            quick += 1;
        }
    }
    assert_eq!(quick, 12);
    assert!(operation("login").is_some());
}

#[test]
fn seed_001_viewtron_every_code() {
    let Some(text) = seed("001", "Viewtron HTTP API") else {
        return;
    };
    let mut n = 0;
    for line in text.lines() {
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        let rest = &line[digits.len()..];
        if digits.is_empty() || !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let value: u32 = digits.parse().unwrap();
        assert_explains("viewtron", &digits, value, None, rest.trim());
        n += 1;
    }
    assert_eq!(n, 54, "the Viewtron reference lists 54 codes");
    assert_eq!(system("viewtron").unwrap().len(), 54);
}

#[test]
fn seed_002_tencent_iot_video_every_code_and_range() {
    let Some(text) = seed("002", "Tencent IoT Video SDK") else {
        return;
    };
    let sys = system("tencent_iot_video").unwrap();
    let (mut codes_seen, mut ranges_seen) = (0, 0);
    for row in text.lines().filter_map(cells) {
        if row.len() == 3 && row[1].chars().all(|c| c.is_ascii_digit()) && !row[1].is_empty() {
            let value: u32 = row[1].parse().unwrap();
            assert_explains("tencent_iot_video", &row[1], value, Some(&row[0]), &row[2]);
            codes_seen += 1;
        } else if row.len() == 2 {
            if let Some((lo, hi)) = row[0].split_once(" - ") {
                let (lo, hi): (u32, u32) = (lo.trim().parse().unwrap(), hi.trim().parse().unwrap());
                let r = sys
                    .ranges
                    .iter()
                    .find(|r| r.lo == lo && r.hi == hi)
                    .unwrap_or_else(|| panic!("range {lo}-{hi} missing"));
                assert_eq!(r.module_zh, row[1]);
                // A number of that block that no table lists falls back to the module.
                let free = (lo..=hi)
                    .find(|v| sys.entries().all(|e| e.value != Some(*v)))
                    .unwrap();
                let found = query(&free.to_string(), Some("tencent_iot_video")).unwrap();
                assert_eq!(found.len(), 1, "{free}: {found:#?}");
                assert_eq!(found[0].kind, MatchKind::Range);
                assert_eq!(found[0].message_zh(), row[1]);
                assert_eq!(found[0].value(), Some(free));
                ranges_seen += 1;
            }
        }
    }
    assert_eq!(codes_seen, 47);
    assert_eq!(ranges_seen, 16);
}

#[test]
fn seed_003_tencent_iot_industry_every_code_with_http_status() {
    let Some(text) = seed("003", "Tencent IoT Video Industry API") else {
        return;
    };
    let mut n = 0;
    for row in text.lines().filter_map(cells) {
        if row.len() != 3 || row[0].is_empty() || !row[0].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let value: u32 = row[0].parse().unwrap();
        let http: u16 = row[2].parse().unwrap();
        assert_explains("tencent_iot_industry", &row[0], value, None, &row[1]);
        let m = &value_matches(&row[0], "tencent_iot_industry")[0];
        assert_eq!(m.entry.unwrap().http_status, Some(http), "{value}");
        n += 1;
    }
    assert_eq!(
        n, 74,
        "the Tencent IoT Video Industry reference lists 74 rows (51603 twice)"
    );
}

#[test]
fn seed_004_aliyun_every_code_in_hex_and_decimal() {
    let Some(text) = seed("004", "Alibaba ApsaraVideo Player SDK") else {
        return;
    };
    let mut n = 0;
    for row in text.lines().filter_map(cells) {
        if row.len() != 4 || !row[2].chars().all(|c| c.is_ascii_digit()) || row[2].is_empty() {
            continue;
        }
        let name = unmarkdown(&row[0]);
        let meaning = unmarkdown(&row[3]);
        let value: u32 = row[2].parse().unwrap();
        let hex = row[1].trim_start_matches("0x");
        assert_eq!(
            u32::from_str_radix(hex, 16).unwrap(),
            value,
            "{name}: hex/decimal"
        );
        // The hex as the seed writes it (with or without 0x), the other form, and decimal.
        for q in [
            row[1].clone(),
            format!("0x{hex}"),
            hex.to_owned(),
            row[2].clone(),
        ] {
            assert_explains("aliyun_player", &q, value, Some(&name), &meaning);
        }
        n += 1;
    }
    assert_eq!(
        n, 127,
        "the Alibaba player reference lists 127 rows (0x20013007 twice)"
    );
    assert_eq!(
        system("aliyun_player").unwrap().number_format,
        NumberFormat::Hex
    );
}

#[test]
fn inconsistency_51603_listed_twice() {
    let found = value_matches("51603", "tencent_iot_industry");
    assert_eq!(found.len(), 1, "one entry holds both meanings");
    let e = found[0].entry.unwrap();
    assert_eq!(e.message_zh, "网关信令操作失败");
    assert_eq!(e.alternatives.len(), 1);
    assert_eq!(e.alternatives[0].message_zh, "消息队列发送失败");
    assert!(e.notes.iter().any(|n| n.contains("twice")), "{:?}", e.notes);
    // Words find the second meaning too.
    let found = query("消息队列", Some("tencent_iot_industry")).unwrap();
    assert!(found.iter().any(|m| m.value() == Some(51603)));
}

#[test]
fn inconsistency_two_names_on_one_value() {
    for q in [
        "ERROR_ARTP_SPSPPS_AACCONF_TIMEOUT",
        "error_artp_artp_media_info_timeout",
    ] {
        let found = query(q, None).unwrap();
        assert_eq!(found.len(), 1, "{q}: {found:#?}");
        let m = &found[0];
        assert_eq!(m.kind, MatchKind::Name);
        assert_eq!(m.value(), Some(0x2001_3007));
        assert!(m.matched_name.unwrap().eq_ignore_ascii_case(q));
    }
    let e = value_matches("20013007", "aliyun_player")[0].entry.unwrap();
    let names: Vec<_> = e.names().collect();
    assert_eq!(
        names,
        [
            "ERROR_ARTP_SPSPPS_AACCONF_TIMEOUT",
            "ERROR_ARTP_ARTP_MEDIA_INFO_TIMEOUT"
        ]
    );
    assert!(!e.notes.is_empty());
    assert_eq!(e.value_text().unwrap(), "0x20013007 (536948743)");
}

#[test]
fn inconsistency_hex_with_and_without_0x() {
    // Seed 004's private-encryption table writes 0x20012000 with the prefix and 20012001
    // without; both forms find both codes.
    for (q, name) in [
        ("0x20012000", "ERROR_TBDRM_UNKNOWN"),
        ("20012000", "ERROR_TBDRM_UNKNOWN"),
        ("0x20012001", "ERROR_TBDRM_DEMUXER_UNIMPLEMENTED"),
        ("20012001", "ERROR_TBDRM_DEMUXER_UNIMPLEMENTED"),
        (
            "0X2001010a",
            "ERROR_SERVER_POP_SECURITYTOKEN_MISMATCH_ACCESSKEY",
        ),
        (
            "2001010A",
            "ERROR_SERVER_POP_SECURITYTOKEN_MISMATCH_ACCESSKEY",
        ),
    ] {
        let found = query(q, None).unwrap();
        assert_eq!(found[0].entry.unwrap().name, Some(name), "{q}");
        assert_eq!(found[0].system.id, "aliyun_player");
    }
    assert_eq!(
        readings("20012000")
            .iter()
            .find(|r| r.how == NumberReading::BareHex)
            .unwrap()
            .value,
        0x2001_2000
    );
    // Bare hex is tried only for systems that write codes in hex.
    assert!(query("1F", Some("hcnetsdk")).unwrap().is_empty());
}

#[test]
fn inconsistency_success_rows() {
    let success = |sys: &str, v: &str| {
        value_matches(v, sys)
            .iter()
            .any(|m| m.entry.unwrap().success && m.entry.unwrap().category == Category::None)
    };
    assert!(success("viewtron", "0"));
    assert!(success("tencent_iot_industry", "200"));
    assert!(success("tencent_iot_industry", "0"));
    assert!(success("isapi", "1"));
    assert!(success("hcnetsdk", "0"));
    assert!(!success("tencent_iot_industry", "500"));
    assert!(!success("viewtron", "1"));
    // 0 of the industry API is its Code field, with a note saying so.
    let e = value_matches("0", "tencent_iot_industry")[0].entry.unwrap();
    assert!(!e.notes.is_empty());
}

#[test]
fn inconsistency_firmware_dependent_meaning() {
    let e = value_matches("5", "viewtron")[0].entry.unwrap();
    let whens: Vec<_> = e.variants.iter().map(|v| v.when).collect();
    assert_eq!(whens, ["v1.9", "v2.0"]);
    assert!(e.variants[0].message_en.to_lowercase().contains("port"));
    assert!(
        e.variants[1]
            .message_en
            .to_lowercase()
            .contains("blacklist")
    );
    assert!(!e.notes.is_empty());
    // v2.0-only codes say so.
    let e = value_matches("8", "viewtron")[0].entry.unwrap();
    assert!(e.notes.iter().any(|n| n.contains("v2.0")));
}

#[test]
fn a_number_several_systems_use_lists_every_match_hcnetsdk_first() {
    let found = query("1", None).unwrap();
    let ids: Vec<&str> = found.iter().map(|m| m.system.id).collect();
    assert_eq!(ids[0], "hcnetsdk");
    for want in ["playm4", "isapi", "viewtron"] {
        assert!(ids.contains(&want), "{ids:?}");
    }
    // In system order.
    let order: Vec<&str> = systems().iter().map(|s| s.id).collect();
    let pos = |id: &str| order.iter().position(|o| *o == id).unwrap();
    assert!(ids.windows(2).all(|w| pos(w[0]) <= pos(w[1])), "{ids:?}");
    assert!(found.iter().all(|m| m.kind == MatchKind::Value));
    assert_eq!(
        found[0].entry.unwrap().error_code(),
        Some(ErrorCode::NET_DVR_PASSWORD_ERROR)
    );

    // --system narrows.
    let found = query("1", Some("PlayM4")).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].entry.unwrap().name, Some("PLAYM4_PARA_OVER"));
    let found = query("1", Some("001")).unwrap();
    assert_eq!(found[0].system.id, "viewtron");
}

#[test]
fn systems_are_ordered_and_hcnetsdk_is_the_error_code_table() {
    let ids: Vec<&str> = systems().iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "hcnetsdk",
            "playm4",
            "isapi",
            "viewtron",
            "tencent_iot_video",
            "tencent_iot_industry",
            "aliyun_player"
        ]
    );
    let hc = system("hcnetsdk").unwrap();
    assert_eq!(hc.len(), codes().len());
    for (e, c) in hc.entries().zip(codes()) {
        assert_eq!(e.value, Some(c.value));
        assert_eq!(e.name, Some(c.name));
        assert_eq!(e.message_en, c.message_en);
        assert_eq!(e.remediation, c.remediation);
        assert_eq!(e.group, Some(c.group));
    }
    for s in systems() {
        assert!(!s.is_empty(), "{}", s.id);
        for e in s.entries() {
            assert_eq!(e.system, s.id);
            assert_eq!(system(e.system).unwrap().id, s.id);
            assert!(!e.message_en.is_empty() && !e.message_zh.is_empty(), "{e}");
            assert!(!e.remediation.is_empty(), "{e}");
        }
    }
}

#[test]
fn unknown_system_lists_the_valid_ones() {
    let err = query("1", Some("dahua")).unwrap_err();
    let text = err.to_string();
    for s in systems() {
        assert!(text.contains(s.id), "{text}");
    }
    assert!(text.contains("\"dahua\""));
    assert_eq!(err.valid().len(), systems().len());
    assert!(list(Some("dahua")).is_err());
    assert!(system("").is_err());
}

#[test]
fn list_dumps_catalogues() {
    assert_eq!(list(Some("hcnetsdk")).unwrap().len(), 1212);
    assert_eq!(list(Some("viewtron")).unwrap().len(), 54);
    let isapi = list(Some("isapi")).unwrap();
    assert!(
        isapi
            .iter()
            .any(|e| matches!(e.kind, EntryKind::SubStatus { status_code: 4 }))
    );
    let all = list(None).unwrap();
    let total: usize = systems().iter().map(|s| s.len()).sum();
    assert_eq!(all.len(), total);
    assert_eq!(all[0].system, "hcnetsdk");
}

#[test]
fn query_forms() {
    // Decimal.
    let m = &query("153", Some("hcnetsdk")).unwrap()[0];
    assert_eq!(m.entry.unwrap().name, Some("NET_DVR_USER_LOCKED"));
    assert_eq!(m.reading.unwrap().how, NumberReading::Decimal);
    // 0x hex, for every system.
    let m = &query("0x99", Some("hcnetsdk")).unwrap()[0];
    assert_eq!(m.value(), Some(153));
    assert_eq!(m.reading.unwrap().how, NumberReading::Hex);
    // Negative numbers are read as i32.
    let r = readings("-1");
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].value, r[0].how), (u32::MAX, NumberReading::Negative));
    assert_eq!(readings("-2147483648")[0].value, 0x8000_0000);
    assert!(readings("-2147483649").is_empty());
    assert_eq!(readings("-0x10")[0].value, (-16i32) as u32);
    assert_eq!(readings("0x0000000099")[0].value, 0x99);
    assert!(readings("0x100000000").is_empty());
    assert!(
        query("-1", None)
            .unwrap()
            .iter()
            .all(|m| m.value() == Some(u32::MAX))
    );
    // Exact name, any case; the prefix of a name.
    let m = &query("net_dvr_noinit", None).unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].kind, m[0].value()), (MatchKind::Name, Some(3)));
    let found = query("NET_DVR_PASSWORD", None).unwrap();
    assert!(found.iter().all(|m| m.kind == MatchKind::NamePrefix));
    let names: Vec<_> = found.iter().filter_map(|m| m.entry.unwrap().name).collect();
    assert!(names.contains(&"NET_DVR_PASSWORD_ERROR"), "{names:?}");
    assert!(
        names.contains(&"NET_DVR_PASSWORD_FORMAT_ERROR"),
        "{names:?}"
    );
    // ISAPI sub-status names and their hex error codes.
    let m = &query("notsupport", Some("isapi")).unwrap()[0];
    assert_eq!(m.kind, MatchKind::Name);
    assert!(matches!(
        m.entry.unwrap().kind,
        EntryKind::SubStatus { status_code: 4 }
    ));
    let m = &query("0x40000001", None).unwrap()[0];
    assert_eq!(m.entry.unwrap().name, Some("notSupport"));
    // Words, English and Chinese, all required.
    let found = query("user locked", None).unwrap();
    assert!(found.iter().all(|m| m.kind == MatchKind::Words));
    assert!(
        found
            .iter()
            .any(|m| m.value() == Some(153) && m.system.id == "hcnetsdk")
    );
    assert!(
        found
            .iter()
            .any(|m| m.value() == Some(10) && m.system.id == "viewtron")
    );
    let found = query("密码错误", Some("hcnetsdk")).unwrap();
    assert!(found.iter().any(|m| m.value() == Some(1)));
    assert!(query("xyzzy plugh", None).unwrap().is_empty());
    assert!(query("   ", None).unwrap().is_empty());
    // A decimal number never falls through to word search.
    assert!(
        query("2", Some("hcnetsdk"))
            .unwrap()
            .iter()
            .all(|m| m.kind == MatchKind::Value)
    );
}

#[test]
fn range_fallbacks() {
    // Seed 002: 8001 is in no table but in the Asrv block.
    let found = query("8001", Some("tencent_iot_video")).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, MatchKind::Range);
    assert_eq!(found[0].message_zh(), "Asrv 错误");
    assert!(found[0].entry.is_none());
    // Without --system, HCNetSDK's own 8001 (NPQ) comes first, the Tencent module after.
    let found = query("8001", None).unwrap();
    assert_eq!(found[0].system.id, "hcnetsdk");
    assert_eq!(found[0].kind, MatchKind::Value);
    assert!(
        found
            .iter()
            .any(|m| m.system.id == "tencent_iot_video" && m.kind == MatchKind::Range)
    );
    // The seed's gap 8700-8798 belongs to no block.
    assert!(query("8750", Some("tencent_iot_video")).unwrap().is_empty());
    // Exact entries still carry their block.
    let m = &query("21020", Some("tencent_iot_video")).unwrap()[0];
    assert_eq!(m.kind, MatchKind::Value);
    assert!(m.range.is_some());
    // Seed 004: module by hex prefix, bare or 0x, or decimal.
    for q in ["20010006", "0x20010006", "536936454"] {
        let found = query(q, Some("aliyun_player")).unwrap();
        assert_eq!(found.len(), 1, "{q}");
        assert_eq!(found[0].kind, MatchKind::Range);
        assert_eq!(found[0].message_zh(), "请求错误码");
        assert_eq!(found[0].value(), Some(0x2001_0006));
    }
    let found = query("0x20040009", None).unwrap();
    assert_eq!(found[0].kind, MatchKind::Range);
    assert_eq!(found[0].system.id, "aliyun_player");
    // Module ranges of a system are found through the system too.
    let aliyun = explain::system("aliyun_player").unwrap();
    assert!(aliyun.range_of(0x2005_00FF).is_some());
    assert_eq!(aliyun.format_value(0x2005_0001), "0x20050001 (537198593)");
}
