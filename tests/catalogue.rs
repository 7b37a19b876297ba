//! The HCNetSDK error catalogue: completeness against the reference, remediation coverage,
//! retry rules, the `ErrorCode` round trip, and what errors print.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use hcnetsdk::error::table::{EntryKind, NumberFormat};
use hcnetsdk::error::{
    Category, ErrorKind, RemediationSource, Retry, codes, group, groups, isapi, operation,
    operations, playm4, tips,
};
use hcnetsdk::{Context, Error, ErrorCode, LoginState};

/// `../shared/reference/hcnetsdk/errors.csv` relative to the workspace root, or `None` with
/// a visible SKIPPED line when it is absent. Under CI (the `CI` environment variable set and
/// non-empty) a missing reference fails the test instead: CI must check against it.
fn reference_csv() -> Option<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/hcnetsdk/errors.csv");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            let what = format!(
                "the HCNetSDK reference {} is not readable ({e})",
                path.display()
            );
            if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
                panic!("CI is set, so this test may not skip: {what}");
            }
            // Straight to the process's stderr, so the line shows even when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (not under CI): {what}; the catalogue was not compared with it"
            );
            None
        }
    }
}

/// `(name, value, group)` rows of errors.csv (only the last column, header_note, is ever
/// quoted, so the first three split on commas).
fn reference_rows(text: &str) -> Vec<(String, u32, String)> {
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(str::trim),
        Some("name,value,group,header_note"),
        "errors.csv header changed"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.splitn(4, ',');
            let name = f.next().unwrap().to_owned();
            let value = f
                .next()
                .unwrap()
                .parse()
                .unwrap_or_else(|e| panic!("{l}: {e}"));
            let group = f.next().unwrap().to_owned();
            (name, value, group)
        })
        .collect()
}

#[test]
fn all_1212_codes_are_catalogued() {
    assert_eq!(codes().len(), 1212);
    let values: BTreeSet<u32> = codes().iter().map(|c| c.value).collect();
    let names: BTreeSet<&str> = codes().iter().map(|c| c.name).collect();
    assert_eq!(values.len(), 1212, "duplicate values");
    assert_eq!(names.len(), 1212, "duplicate names");
}

#[test]
fn codes_match_the_reference_by_name_value_and_group() {
    let Some(text) = reference_csv() else {
        return;
    };
    let rows = reference_rows(&text);
    assert_eq!(rows.len(), 1212, "errors.csv row count");
    let ours: BTreeMap<u32, (&str, &str)> = codes()
        .iter()
        .map(|c| (c.value, (c.name, c.group)))
        .collect();
    let mut wrong = Vec::new();
    for (name, value, group) in &rows {
        let code = ErrorCode::from_raw(*value);
        if code.name() != name || code.group() != Some(group.as_str()) {
            wrong.push(format!(
                "{value}: reference {name} / {group}, catalogue {} / {:?}",
                code.name(),
                code.group()
            ));
        }
        if ours.get(value).map(|(n, _)| *n) != Some(name.as_str()) {
            wrong.push(format!("{value}: not in codes()"));
        }
    }
    let reference: BTreeSet<u32> = rows.iter().map(|r| r.1).collect();
    for v in ours.keys().filter(|v| !reference.contains(v)) {
        wrong.push(format!("{v}: in the catalogue but not in errors.csv"));
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_code_has_messages_and_remediation() {
    for c in codes() {
        assert!(!c.message_en.trim().is_empty(), "{}: en", c.name);
        assert!(!c.message_zh.trim().is_empty(), "{}: zh", c.name);
        assert!(!c.remediation.trim().is_empty(), "{}: remediation", c.name);
        let g = group(c.group).unwrap_or_else(|| panic!("{}: group {}", c.name, c.group));
        assert_eq!(c.group_info(), g);
        match c.remediation_source {
            RemediationSource::Group => assert_eq!(c.remediation, g.remediation, "{}", c.name),
            RemediationSource::Code => {}
            other => panic!("{}: remediation source {other:?}", c.name),
        }
        assert_eq!(c.code.info(), Some(c));
    }
    assert_eq!(groups().len(), 40);
    for g in groups() {
        assert!(!g.remediation.trim().is_empty(), "group {}", g.name);
    }
}

#[test]
fn most_hit_codes_have_their_own_remediation() {
    let hand_written = |v: u32| {
        v <= 100 || (150..=160).contains(&v) || (401..=446).contains(&v) || (500..=528).contains(&v)
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for c in codes() {
        if hand_written(c.value) || c.group == "npq library" {
            checked += 1;
            if c.remediation_source != RemediationSource::Code {
                missing.push(format!("{} ({})", c.name, c.value));
            }
        }
    }
    assert!(
        checked >= 150,
        "only {checked} codes in the hand-written ranges"
    );
    assert!(missing.is_empty(), "group-level only: {missing:?}");
    let npq = codes().iter().filter(|c| c.group == "npq library").count();
    assert_eq!(npq, 12, "NPQ codes");
    // And some codes do fall back to their group, with the group's text.
    let grouped = codes()
        .iter()
        .find(|c| c.remediation_source == RemediationSource::Group)
        .expect("some code uses group remediation");
    let e = Error::sdk(
        grouped.value,
        "NET_DVR_GetDVRConfig",
        Context::default(),
        None,
    );
    assert_eq!(e.remediation_source(), RemediationSource::Group);
    assert_eq!(e.remediation(), grouped.group_info().remediation);
    assert!(
        e.report()
            .to_string()
            .contains("(advice for the code's whole group)")
    );
}

#[test]
fn auth_codes_are_never_retried_automatically() {
    let auth: Vec<_> = codes()
        .iter()
        .filter(|c| c.category == Category::Auth)
        .collect();
    assert!(auth.len() >= 5);
    for c in &auth {
        assert_eq!(c.retry, Retry::NeverAuto, "{}", c.name);
    }
    for code in [
        ErrorCode::NET_DVR_PASSWORD_ERROR,
        ErrorCode::NET_DVR_USER_LOCKED,
    ] {
        assert_eq!(code.category(), Category::Auth);
        let e = Error::sdk(
            code.raw(),
            "NET_DVR_Login_V40",
            Context::device("192.0.2.10", 8000),
            None,
        );
        assert!(!e.is_retryable());
        assert_eq!(e.retry(), Retry::NeverAuto);
        let report = e.report().to_string();
        assert!(report.contains("Do not retry automatically"), "{report}");
        assert!(report.contains("153"), "{report}");
    }
    // Only auth codes use never_auto.
    for c in codes().iter().filter(|c| c.retry == Retry::NeverAuto) {
        assert_eq!(c.category, Category::Auth, "{}", c.name);
    }
    assert!(Error::sdk(7, "NET_DVR_Login_V40", Context::default(), None).is_retryable());
}

#[test]
fn raw_values_round_trip_and_unknown_values_fall_back() {
    for c in codes() {
        let code = ErrorCode::from_raw(c.value);
        assert_eq!(code, c.code);
        assert_eq!(code.raw(), c.value);
        assert!(code.is_known());
        assert_eq!(code.name(), c.name);
        assert_eq!(
            format!("{code:?}"),
            c.name,
            "variant named after the C name"
        );
        assert_eq!(u32::from(code), c.value);
        assert_eq!(ErrorCode::from(c.value), code);
    }
    let known: BTreeSet<u32> = codes().iter().map(|c| c.value).collect();
    let unknown: Vec<u32> = (0..=20_000)
        .chain([u32::MAX, 0x8000_0000])
        .filter(|v| !known.contains(v))
        .collect();
    assert!(unknown.len() > 10_000);
    for v in unknown {
        let code = ErrorCode::from_raw(v);
        assert_eq!(code, ErrorCode::Unknown(v));
        assert_eq!(code.raw(), v);
        assert!(!code.is_known());
        assert_eq!(code.info(), None);
        assert_eq!(code.name(), "UNKNOWN");
        assert!(!code.remediation().is_empty());
    }
    assert_eq!(ErrorCode::NET_DVR_NOERROR.raw(), 0);
    assert_eq!(ErrorCode::NET_DVR_PASSWORD_ERROR.raw(), 1);
    assert_eq!(ErrorCode::NET_DVR_USER_LOCKED.raw(), 153);
}

#[test]
fn code_accessors_agree_with_the_catalogue() {
    let c = ErrorCode::NET_DVR_NETWORK_FAIL_CONNECT;
    assert_eq!(c.to_string(), "NET_DVR_NETWORK_FAIL_CONNECT (7)");
    assert_eq!(c.category(), Category::Network);
    assert_eq!(c.retry(), Retry::Backoff);
    assert_eq!(c.group(), Some("general (network sdk)"));
    assert!(c.message().contains("connection"), "{}", c.message());
    assert!(c.message_zh().starts_with("连接设备失败"));
    assert!(!c.causes().is_empty());
    assert!(c.remediation().contains("8000"));
    assert_eq!(
        ErrorCode::Unknown(99_999).to_string(),
        "unknown error code (99999)"
    );
    assert_eq!(ErrorCode::Unknown(99_999).category(), Category::Internal);
    for cat in Category::ALL {
        assert_eq!(cat.to_string().parse::<Category>(), Ok(cat));
    }
    for r in Retry::ALL {
        assert_eq!(r.to_string().parse::<Retry>(), Ok(r));
    }
    let err = "bogus".parse::<Category>().unwrap_err().to_string();
    assert!(err.contains("sdk_setup"), "{err}");
}

#[test]
fn display_is_one_line_and_report_is_the_diagnosis() {
    let ctx = Context::device("192.0.2.10", 8000);
    let e = Error::sdk(
        1,
        "NET_DVR_Login_V40",
        ctx.clone(),
        Some("Password error.".into()),
    )
    .with_login_state(LoginState::new(Some(2), None));
    assert_eq!(
        e.to_string(),
        "NET_DVR_Login_V40 to 192.0.2.10:8000 failed: NET_DVR_PASSWORD_ERROR (1, auth): \
         the device refused the user name or password (2 attempts left)"
    );
    assert_eq!(e.code(), Some(ErrorCode::NET_DVR_PASSWORD_ERROR));
    assert_eq!(e.raw_code(), Some(1));
    assert_eq!(e.call(), Some("NET_DVR_Login_V40"));
    assert_eq!(e.context(), &ctx);
    assert_eq!(e.sdk_message(), Some("Password error."));
    assert_eq!(e.login_state(), Some(LoginState::new(Some(2), None)));

    let report = format!("{e:#}");
    assert_eq!(report, e.report().to_string());
    for want in [
        "error: NET_DVR_Login_V40 to 192.0.2.10:8000 failed",
        "what happened: NET_DVR_PASSWORD_ERROR (1): The device refused the user name or password.",
        "用户名密码错误",
        "where:         NET_DVR_Login_V40, device 192.0.2.10:8000",
        "SDK message:   Password error.",
        "category:      auth (authentication); group: general (network sdk)",
        "account:       2 login attempts are left before the account locks (error 153).",
        // The login family's text for 1 (src/catalog/hcnetsdk/by_call.toml), not the
        // code's general one.
        "likely causes:\n  - The password or user name is wrong for this device.",
        "what to do:    Check the user (LoginBuilder::user, hcnet --user) and the password",
        "retry:         never_auto: Do not retry automatically",
    ] {
        assert!(report.contains(want), "missing {want:?} in:\n{report}");
    }
    assert!(!e.to_string().contains('\n'));

    // A network failure on a channel of a session.
    let ctx = Context::device("192.0.2.10", 8000)
        .with_user_id(0)
        .with_channel(33);
    let e = Error::sdk(7, "NET_DVR_RealPlay_V40", ctx, None);
    assert_eq!(
        e.to_string(),
        "NET_DVR_RealPlay_V40 to 192.0.2.10:8000 (user 0, channel 33) failed: \
         NET_DVR_NETWORK_FAIL_CONNECT (7, network): the SDK could not open a connection to the device"
    );
    let report = e.report().to_string();
    assert!(report.contains("retry:         backoff:"), "{report}");
    assert!(report.contains("user 0, channel 33"), "{report}");
    assert!(!report.contains("account:"), "{report}");

    // An unknown code shows the SDK's own words.
    let e = Error::sdk(
        77_777,
        "NET_DVR_GetDVRConfig",
        Context::default(),
        Some("odd".into()),
    );
    assert_eq!(e.code(), Some(ErrorCode::Unknown(77_777)));
    assert_eq!(
        e.to_string(),
        "NET_DVR_GetDVRConfig failed: unknown error code 77777 (SDK says: odd)"
    );
    assert_eq!(e.remediation_source(), RemediationSource::Kind);
    assert!(e.report().to_string().contains("NET_DVR_GetErrorMsg"));
}

#[test]
fn failed_without_code_never_reads_as_no_error() {
    for msg in [None, Some("No error".to_owned())] {
        let e = Error::sdk(
            0,
            "NET_DVR_StopRealPlay",
            Context::default().with_handle(3),
            msg,
        );
        assert!(matches!(e.kind(), ErrorKind::FailedWithoutCode));
        assert_eq!(e.code(), None);
        assert_eq!(e.raw_code(), Some(0));
        assert_eq!(e.sdk_message(), None);
        assert_ne!(e.category(), Category::None);
        let line = e.to_string();
        let report = e.report().to_string();
        for text in [&line, &report] {
            let lower = text.to_lowercase();
            assert!(!lower.contains("no error"), "{text}");
            assert!(!lower.contains("succeeded"), "{text}");
            assert!(text.contains("NET_DVR_GetLastError returned 0"), "{text}");
        }
        assert!(
            line.starts_with("NET_DVR_StopRealPlay (handle 3) failed"),
            "{line}"
        );
        assert!(!e.remediation().is_empty());
    }
}

#[test]
fn login_state_says_attempts_left_or_lock_time() {
    let base = || {
        Error::sdk(
            1,
            "NET_DVR_Login_V40",
            Context::device("192.0.2.10", 8000),
            None,
        )
    };
    let one = base().with_login_state(LoginState::new(Some(1), None));
    assert!(one.to_string().ends_with("(1 attempt left)"), "{one}");
    assert!(one.report().to_string().contains("1 login attempt is left"));

    let zero = base().with_login_state(LoginState::new(Some(0), None));
    assert!(
        zero.report()
            .to_string()
            .contains("No login attempts are left")
    );

    let locked = Error::sdk(
        153,
        "NET_DVR_Login_V40",
        Context::device("192.0.2.10", 8000),
        None,
    )
    .with_login_state(LoginState::new(None, Some(Duration::from_secs(1530))));
    assert!(
        locked
            .to_string()
            .ends_with("(account locked for another 25 min 30 s)"),
        "{locked}"
    );
    let report = locked.report().to_string();
    assert!(
        report.contains("The account is locked for another 25 min 30 s"),
        "{report}"
    );
    assert!(report.contains("NET_DVR_USER_LOCKED (153)"), "{report}");

    // An empty state adds nothing.
    let plain = base().with_login_state(LoginState::default());
    assert_eq!(plain.login_state(), None);
    assert!(!plain.to_string().contains("left"));
}

#[test]
fn quick_lookup_by_operation() {
    let ids: Vec<&str> = operations().iter().map(|o| o.id).collect();
    assert_eq!(ids, ["login", "preview", "capture_record", "ptz"]);
    let codes_of = |id: &str| -> Vec<u32> {
        operation(id)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.code.raw())
            .collect()
    };
    assert_eq!(codes_of("login"), [1, 7, 5]);
    assert_eq!(codes_of("preview"), [4, 2, 54]);
    assert_eq!(codes_of("capture_record"), [34, 43, 40]);
    assert_eq!(codes_of("ptz"), [23, 13, 17]);
    for op in operations() {
        for e in op.entries {
            assert!(e.code.is_known());
            assert!(!e.hint_en.is_empty() && !e.hint_zh.is_empty());
        }
    }
    assert_eq!(tips().len(), 5);
    assert!(operation("nope").is_none());
}

#[test]
fn passwords_cannot_reach_an_error() {
    // Context has no field for secrets; its Debug and Display show only what it holds.
    let ctx = Context::device("192.0.2.10", 8000).with_user_id(1);
    let e = Error::sdk(1, "NET_DVR_Login_V40", ctx, None);
    let debug = format!("{e:?}");
    assert!(
        debug.contains("192.0.2.10") && debug.contains("Sdk"),
        "{debug}"
    );
    assert!(!debug.to_lowercase().contains("password:"), "{debug}");
}

#[test]
fn error_kind_displays_the_bare_fact() {
    use std::error::Error as _;
    let err = Error::sdk(
        1,
        "NET_DVR_Login_V40",
        Context::device("192.0.2.10", 8000),
        None,
    );
    assert_eq!(err.kind().to_string(), "NET_DVR_PASSWORD_ERROR (1)");
    let zero = Error::sdk(0, "NET_DVR_Init", Context::default(), None);
    assert!(
        zero.kind().to_string().contains("returned 0"),
        "{}",
        zero.kind()
    );
    assert!(err.source().is_none());
}

#[test]
fn playm4_and_isapi_tables() {
    let p = playm4::table();
    assert_eq!((p.id, p.number_format), ("playm4", NumberFormat::Decimal));
    assert_eq!(p.entries.len(), 80);
    assert_eq!(playm4::lookup(0).unwrap().name, Some("PLAYM4_NOERROR"));
    assert!(playm4::lookup(0).unwrap().success);
    assert_eq!(playm4::lookup(99).map(|e| e.value), Some(Some(99)));
    assert!(playm4::lookup(8_888).is_none());

    let i = isapi::table();
    assert_eq!(i.id, "isapi");
    let statuses = i
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Code)
        .count();
    assert_eq!((statuses, i.entries.len() - statuses), (10, 43));
    assert!(isapi::status(0).unwrap().success && isapi::status(1).unwrap().success);
    // No public source defines 8: a placeholder says so rather than a guess.
    assert_eq!(isapi::status(8).unwrap().name, Some("(undefined)"));
    assert!(isapi::status(10).is_none());
    // riskPassword is listed under two statusCodes.
    for sc in [1, 6] {
        let e = isapi::sub_status(sc, "riskPassword").unwrap_or_else(|| panic!("under {sc}"));
        assert_eq!(e.kind, EntryKind::SubStatus { status_code: sc });
    }
    assert!(isapi::sub_status(4, "riskPassword").is_none());
    assert_eq!(
        isapi::error_code(0x6000_0003).and_then(|e| e.name),
        Some("badXmlContent")
    );
    assert!(
        isapi::error_code(4).is_none(),
        "statusCodes are not errorCodes"
    );

    for t in [p, i] {
        for e in t.entries {
            assert_eq!(e.system, t.id);
            assert!(e.error_code().is_none(), "{e}");
            assert!(!e.message_en.is_empty() && !e.message_zh.is_empty(), "{e}");
            assert!(!e.remediation.is_empty(), "{e}");
            assert_eq!(e.success, e.category == Category::None, "{e}");
        }
    }
}
