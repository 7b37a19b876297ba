//! `hcnet explain` through the built binary: query forms, multi-system ordering, range
//! fallbacks, the seeds' inconsistencies as notes in the output, `--list`, and the exit
//! codes. These use the catalogues compiled into hcnet, so they run without the seeds.

use std::process::{Command, Output};

use serde_json::Value;

fn hcnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .args(args)
        .output()
        .expect("run hcnet")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> (Value, Output) {
    let mut all = vec!["explain", "--json"];
    all.extend_from_slice(args);
    let o = hcnet(&all);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{all:?}: not JSON ({e}): {}", stdout(&o)));
    (v, o)
}

fn matches(v: &Value) -> &Vec<Value> {
    v["matches"].as_array().expect("matches")
}

fn text(args: &[&str]) -> String {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let o = hcnet(&all);
    assert!(o.status.success(), "{all:?} failed: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn human_output_has_every_part() {
    let t = text(&["1"]);
    let first = t.split("\n\n2. ").next().unwrap();
    for part in [
        "NET_DVR_PASSWORD_ERROR",
        "[Hikvision HCNetSDK",
        "category:",
        "auth",
        "message:",
        "中文:",
        "用户名密码错误",
        "what to do:",
        "retry:",
        "never_auto",
    ] {
        assert!(first.contains(part), "missing {part:?} in:\n{first}");
    }
}

#[test]
fn decimal_hex_name_prefix_and_words() {
    // Decimal.
    let (v, _) = json(&["153"]);
    assert_eq!(matches(&v)[0]["entry"]["name"], "NET_DVR_USER_LOCKED");
    assert_eq!(matches(&v)[0]["reading"]["how"], "decimal");
    // 0x hex.
    let (v, _) = json(&["0x99"]);
    assert_eq!(matches(&v)[0]["entry"]["name"], "NET_DVR_USER_LOCKED");
    assert_eq!(matches(&v)[0]["reading"]["how"], "hex");
    // Exact name, any case.
    let (v, _) = json(&["net_dvr_user_locked"]);
    assert_eq!(matches(&v)[0]["match"], "name");
    assert_eq!(matches(&v)[0]["value"], 153);
    // Name prefix.
    let (v, _) = json(&["NET_DVR_PASSWORD"]);
    let names: Vec<&str> = matches(&v)
        .iter()
        .map(|m| m["entry"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"NET_DVR_PASSWORD_ERROR")
            && names.contains(&"NET_DVR_PASSWORD_FORMAT_ERROR"),
        "{names:?}"
    );
    assert!(matches(&v).iter().all(|m| m["match"] == "name_prefix"));
    // Words, in English and in Chinese; several arguments are one query.
    let (v, _) = json(&["receive", "timeout"]);
    assert!(
        matches(&v)
            .iter()
            .any(|m| m["match"] == "words" && m["entry"]["name"] == "NET_DVR_NETWORK_RECV_TIMEOUT"),
        "{v}"
    );
    let (v, _) = json(&["超时"]);
    assert!(
        matches(&v)
            .iter()
            .any(|m| m["entry"]["name"] == "NET_DVR_NETWORK_RECV_TIMEOUT")
    );
    assert!(
        matches(&v)
            .iter()
            .any(|m| m["system"]["id"] == "aliyun_player"),
        "Chinese words reach the other vendors' systems"
    );
}

#[test]
fn negative_numbers_are_read_as_32_bit_values() {
    // No catalogue has a negative code, so -1 finds nothing, but it must be read as a
    // number (not taken for a flag) and the message must say how it was read.
    let (v, o) = json(&["-1"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(v["readings"][0]["how"], "negative");
    assert_eq!(v["readings"][0]["value"].as_u64(), Some(0xFFFF_FFFF));
    let o = hcnet(&["explain", "-1"]);
    assert!(
        stderr(&o).contains("0xFFFFFFFF (negative)"),
        "{}",
        stderr(&o)
    );
    // A negative that is a code: -0x7FFFFFFF is 0x80000001 (no code either); -153 is not 153.
    let (v, _) = json(&["-153"]);
    assert!(
        matches(&v).iter().all(|m| m["value"] != 153),
        "-153 must not read as 153: {v}"
    );
}

#[test]
fn a_number_several_systems_use_lists_each_hcnetsdk_first() {
    let (v, o) = json(&["7"]);
    assert!(o.status.success());
    let systems: Vec<&str> = matches(&v)
        .iter()
        .map(|m| m["system"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(systems[0], "hcnetsdk", "{systems:?}");
    for s in ["playm4", "isapi", "viewtron"] {
        assert!(systems.contains(&s), "{s} missing from {systems:?}");
    }
    let t = text(&["7"]);
    assert!(t.starts_with("4 matches for \"7\""), "{t}");
    assert!(
        t.find("NET_DVR_NETWORK_FAIL_CONNECT").unwrap() < t.find("PLAYM4_OPEN_FILE_ERROR").unwrap()
    );
    // --system narrows.
    let (v, _) = json(&["7", "--system", "viewtron"]);
    assert!(matches(&v).iter().all(|m| m["system"]["id"] == "viewtron"));
    assert_eq!(matches(&v).len(), 1);
    // Seed numbers name systems too.
    let (v, _) = json(&["7", "--system", "001"]);
    assert_eq!(matches(&v)[0]["system"]["id"], "viewtron");
}

#[test]
fn numbers_in_no_table_fall_back_to_the_range_or_module() {
    let (v, o) = json(&["21999", "--system", "tencent_iot_video"]);
    assert!(o.status.success());
    let m = &matches(&v)[0];
    assert_eq!(m["match"], "range");
    assert_eq!(m["range"]["module_zh"], "iOS SDK 错误");
    let t = text(&["21999", "--system", "tencent_iot_video"]);
    assert!(
        t.contains("not in the code table") && t.contains("21000-21999"),
        "{t}"
    );
    // Seed 004: the module from the hex prefix.
    let (v, _) = json(&["0x2001FFFE"]);
    let m = &matches(&v)[0];
    assert_eq!(
        (m["system"]["id"].as_str(), m["match"].as_str()),
        (Some("aliyun_player"), Some("range"))
    );
    let (v, _) = json(&["0x20060009"]);
    assert_eq!(matches(&v)[0]["match"], "range");
}

#[test]
fn seed_003_code_listed_twice_keeps_both_meanings() {
    let (v, _) = json(&["51603", "--system", "tencent_iot_industry"]);
    let e = &matches(&v)[0]["entry"];
    assert_eq!(e["message_zh"], "网关信令操作失败");
    assert_eq!(e["alternatives"][0]["message_zh"], "消息队列发送失败");
    assert!(e["notes"].to_string().contains("twice"), "{}", e["notes"]);
    let t = text(&["51603"]);
    assert!(
        t.contains("网关信令操作失败") && t.contains("消息队列发送失败"),
        "{t}"
    );
    assert!(t.contains("also means:") && t.contains("note:"), "{t}");
}

#[test]
fn seed_004_two_names_on_one_value() {
    let (v, _) = json(&["0x20013007"]);
    let e = &matches(&v)[0]["entry"];
    let names: Vec<&str> = e["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ERROR_ARTP_SPSPPS_AACCONF_TIMEOUT",
            "ERROR_ARTP_ARTP_MEDIA_INFO_TIMEOUT"
        ]
    );
    assert!(
        e["notes"].to_string().contains("two names"),
        "{}",
        e["notes"]
    );
    let t = text(&["0x20013007"]);
    assert!(
        t.contains("also named:  ERROR_ARTP_ARTP_MEDIA_INFO_TIMEOUT"),
        "{t}"
    );
    // The second name finds the same value.
    let (v, _) = json(&["error_artp_artp_media_info_timeout"]);
    assert_eq!(matches(&v)[0]["match"], "name");
    assert_eq!(matches(&v)[0]["value"].as_u64(), Some(0x2001_3007));
    assert_eq!(
        matches(&v)[0]["matched_name"],
        "ERROR_ARTP_ARTP_MEDIA_INFO_TIMEOUT"
    );
}

#[test]
fn seed_004_hex_with_and_without_0x() {
    // The seed writes 20012001 without 0x and 0x20012000 with it; both forms work, and so
    // does the decimal.
    for (q, how) in [
        ("20012001", "bare_hex"),
        ("0x20012000", "hex"),
        ("536944641", "decimal"),
    ] {
        let (v, o) = json(&[q, "--system", "aliyun_player"]);
        assert!(o.status.success(), "{q}");
        let m = &matches(&v)[0];
        assert_eq!(m["reading"]["how"], how, "{q}");
        assert_eq!(m["entry"]["system"], "aliyun_player");
    }
    // Without --system, bare hex still reaches the hex system.
    let (v, _) = json(&["20013007"]);
    assert!(
        matches(&v)
            .iter()
            .any(|m| m["system"]["id"] == "aliyun_player" && m["reading"]["how"] == "bare_hex"),
        "{v}"
    );
    // The prefixed rows carry a note about it, shown in the output.
    let (v, _) = json(&["0x20012000", "--system", "aliyun_player"]);
    assert!(
        matches(&v)[0]["entry"]["notes"].to_string().contains("0x"),
        "{v}"
    );
    let t = text(&["0x20012000", "--system", "aliyun_player"]);
    assert!(t.contains("note:") && t.contains("0x"), "{t}");
}

#[test]
fn success_rows_inside_error_tables() {
    for (q, sys) in [
        ("0", "viewtron"),
        ("200", "tencent_iot_industry"),
        ("0", "tencent_iot_industry"),
        ("1", "isapi"),
    ] {
        let (v, _) = json(&[q, "--system", sys]);
        assert_eq!(matches(&v)[0]["entry"]["success"], true, "{q} in {sys}");
        let t = text(&[q, "--system", sys]);
        assert!(t.contains("success:"), "{t}");
    }
    // Seed 003's example response: Code 0 with an error StatusCode.
    let (v, _) = json(&["0", "--system", "tencent_iot_industry"]);
    assert!(
        !matches(&v)[0]["entry"]["notes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A real error is not a success.
    let (v, _) = json(&["40006", "--system", "tencent_iot_industry"]);
    assert_eq!(matches(&v)[0]["entry"]["success"], false);
}

#[test]
fn seed_001_code_5_depends_on_firmware() {
    let (v, _) = json(&["5", "--system", "viewtron"]);
    let e = &matches(&v)[0]["entry"];
    let whens: Vec<&str> = e["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["when"].as_str().unwrap())
        .collect();
    assert_eq!(whens, ["v1.9", "v2.0"]);
    assert!(
        e["notes"].to_string().contains("firmware"),
        "{}",
        e["notes"]
    );
    let t = text(&["5", "--system", "viewtron"]);
    assert!(t.contains("when v1.9:") && t.contains("when v2.0:"), "{t}");
    assert!(t.contains("blacklist/whitelist"), "{t}");
}

#[test]
fn no_match_exits_non_zero_with_help() {
    let o = hcnet(&["explain", "no-such-code-anywhere"]);
    assert_eq!(o.status.code(), Some(3));
    let e = stderr(&o);
    assert!(e.contains("no match for \"no-such-code-anywhere\""), "{e}");
    assert!(e.contains("--list") && e.contains("systems:"), "{e}");
    assert!(stdout(&o).is_empty());
    // JSON mode: an empty list on stdout, still exit 3.
    let (v, o) = json(&["no-such-code-anywhere"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(v["count"], 0);
    // Narrowed: says so.
    let o = hcnet(&["explain", "21999", "--system", "viewtron"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("in system viewtron"), "{}", stderr(&o));
    // An unknown system is a usage error that lists the valid ones.
    let o = hcnet(&["explain", "7", "--system", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tencent_iot_video"), "{}", stderr(&o));
}

#[test]
fn list_dumps_catalogues() {
    let o = hcnet(&["explain", "--list", "--system", "viewtron", "--json"]);
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["systems"].as_array().unwrap().len(), 1);
    assert_eq!(v["systems"][0]["id"], "viewtron");
    assert_eq!(v["systems"][0]["entries"].as_array().unwrap().len(), 54);

    let o = hcnet(&["explain", "--list", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
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
    let hc = &v["systems"][0]["entries"];
    assert_eq!(hc.as_array().unwrap().len(), 1212, "all HCNetSDK codes");
    assert!(
        hc.as_array()
            .unwrap()
            .iter()
            .all(|e| !e["remediation"].as_str().unwrap().is_empty())
    );
    let ranges = v["systems"][4]["ranges"].as_array().unwrap();
    assert_eq!(ranges.len(), 16);

    let t = stdout(&hcnet(&[
        "explain",
        "--list",
        "--system",
        "tencent_iot_video",
    ]));
    assert!(
        t.contains("== Tencent IoT Video SDK") || t.contains("(tencent_iot_video, seed 002)"),
        "{t}"
    );
    assert!(
        t.contains("ranges (a number in no table falls back to its module):"),
        "{t}"
    );
    assert!(t.contains("IVConnError_Duplicate"), "{t}");
    // Product names only: the whole list, its JSON and a no-match message never say "seed".
    let all = stdout(&hcnet(&["explain", "--list"]));
    assert!(!all.to_lowercase().contains("seed"), "--list says seed");
    let (v, _) = json(&["7"]);
    assert!(
        matches(&v)
            .iter()
            .all(|m| m["system"].get("seed").is_none()),
        "{v}"
    );
    let e = stderr(&hcnet(&["explain", "xyzzy plugh"]));
    assert!(
        e.contains("systems: hcnetsdk, playm4") && !e.contains("seed"),
        "{e}"
    );
}

#[test]
fn a_query_that_is_not_quite_a_number_says_why() {
    for (q, why) in [
        ("0xZZ", "'Z' is not a hex digit"),
        ("0x", "no digits after 0x"),
        ("0x123456789", "does not fit in 32 bits"),
        (
            "99999999999",
            "does not fit in 32 bits: codes go from 0 to 4294967295",
        ),
        ("-99999999999", "below -2147483648"),
    ] {
        let o = hcnet(&["explain", q]);
        assert_eq!(o.status.code(), Some(3), "{q}");
        let e = stderr(&o);
        assert!(
            e.contains(&format!("no match for {q:?}")) && e.contains(why),
            "{q}:\n{e}"
        );
    }
    // -1 is the SDK's failure return, not a code: say where the code is.
    let e = stderr(&hcnet(&["explain", "-1"]));
    assert!(e.contains("NET_DVR_GetLastError()"), "{e}");
    let e = stderr(&hcnet(&["explain", "-153"]));
    assert!(e.contains("no catalogue has negative codes"), "{e}");
    // One value read two ways is shown once.
    let e = stderr(&hcnet(&["explain", "8", "--system", "aliyun_player"]));
    assert!(e.contains("8 = 0x00000008 (decimal or bare hex)"), "{e}");
    assert_eq!(e.matches("8 = 0x").count(), 1, "{e}");
}

#[test]
fn list_columns_line_up_with_wide_values() {
    // ISAPI mixes subStatusCodes with a value (0x40000001 (1073741825)) and without (-).
    let t = stdout(&hcnet(&["explain", "--list", "--system", "isapi"]));
    let col = |name: &str| {
        let line = t
            .lines()
            .find(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("{name} listed:\n{t}"));
        line.find(name).map(|b| line[..b].chars().count())
    };
    assert_eq!(col("notSupport"), col("lowPrivilege"), "{t}");
    assert_eq!(col("notSupport"), col("Device Busy"), "{t}");
}

#[test]
fn explain_help_shows_examples_and_exit_codes() {
    let o = hcnet(&["explain", "--help"]);
    let t = stdout(&o);
    assert!(o.status.success());
    for part in [
        "hcnet explain 0x99",
        "hcnet explain 20013007 -s aliyun_player",
        "--system takes a system id",
        "Alibaba ApsaraVideo Player SDK",
        "Exit codes: 0 found; 2 usage error",
        "3 no match",
    ] {
        assert!(t.contains(part), "missing {part:?}:\n{t}");
    }
    // Systems go by their product names, never by the project's internal source numbers.
    for args in [&["explain", "--help"][..], &["--help"][..]] {
        let t = stdout(&hcnet(args)).to_lowercase();
        assert!(!t.contains("seed"), "hcnet {args:?}:\n{t}");
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `hcnet explain --list | head`: the list (well over a pipe buffer) meets a reader that
    // stops early; hcnet must not panic ("failed printing to stdout").
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hcnet"))
        .args(["explain", "--list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The read end is closed here.
    let o = child.wait_with_output().unwrap();
    let e = stderr(&o);
    assert!(String::from_utf8_lossy(&head).starts_with("== Hikvision HCNetSDK"));
    assert!(!e.contains("panicked"), "{e}");
    assert_eq!(o.status.code(), Some(0), "{e}");
}
