//! `hcnet playback` against the mock's default scenario: the NVR (192.0.2.20) records
//! channels 33 and 34 continuously over the last 7 days (wall clock, device-local UTC).

mod common;

use std::path::PathBuf;

use common::{hcnet, run, text};
use hcnetsdk::jiff::{Timestamp, ToSpan};

fn temp_file(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hcnet-playback-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// Yesterday at 10:00:00 and 10:00:10, device-local (UTC), as the CLI takes them.
fn yesterday_range() -> (String, String) {
    let day = Timestamp::now()
        .to_zoned(hcnetsdk::jiff::tz::TimeZone::UTC)
        .date()
        .checked_sub(1.day())
        .unwrap();
    (format!("{day} 10:00"), format!("{day} 10:00:10"))
}

fn playback(channel: &str, out: &PathBuf, extra: &[&str]) -> std::process::Output {
    let (from, to) = yesterday_range();
    run(hcnet()
        .args(["playback", "--host", "192.0.2.20", "--channel", channel])
        .args(["--from", &from, "--to", &to, "-o"])
        .arg(out)
        .args(extra))
}

#[test]
fn a_range_plays_back_into_a_ps_file_and_an_mp4() {
    let ps = temp_file("range.ps");
    let o = playback("33", &ps, &["--speed", "16"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("played back channel 33"), "{}", text(&o));
    let bytes = std::fs::read(&ps).unwrap();
    assert!(
        bytes.starts_with(&[0, 0, 1, 0xBA]),
        "raw PS, no IMKH header"
    );

    let mp4 = temp_file("range.mp4");
    let o = playback("33", &mp4, &["--speed", "16"]);
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&mp4).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp");
    assert!(
        text(&o).contains("249 frames") || text(&o).contains("250 frames"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_speed_that_is_not_a_power_of_two_is_a_usage_error() {
    let o = playback("33", &temp_file("x.ps"), &["--speed", "3"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("power of two"), "{}", text(&o));
}

#[test]
fn a_channel_without_recordings_fails_with_the_diagnosis() {
    let o = playback("35", &temp_file("none.ps"), &["--speed", "16"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("NET_DVR_NOSPECFILE"), "{}", text(&o));
}
