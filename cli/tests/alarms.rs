//! `hcnet alarms` against the mock SDK. Each test runs the CLI in a child process of its
//! own, so arming the scenario's default dome (one arming allowed) never collides with
//! another test's.

mod common;

use common::{hcnet, run, text};

#[test]
fn seconds_must_be_at_least_1() {
    let o = run(hcnet().args(["alarms", "--seconds", "0"]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn the_default_dome_reports_motion_on_channel_1_as_json_lines() {
    let o = run(hcnet().args(["alarms", "--seconds", "10", "--json"]));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let alarms: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        alarms
            .iter()
            .any(|a| a["kind"] == "motion" && a["channels"] == serde_json::json!([1])),
        "no motion on channel 1 in 10 s: {t}"
    );
    assert!(t.contains("disarmed"), "{t}");
}
