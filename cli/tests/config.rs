//! `hcnet config` against the mock SDK (each run is its own process: a set is read back
//! by the same run).

mod common;

use common::{hcnet, run, text};

fn json_of(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

#[test]
fn get_ntp_json() {
    for extra in [&[][..], &["--isapi"][..]] {
        let o = run(hcnet().args(["config", "get", "ntp", "--json"]).args(extra));
        let v = json_of(&o);
        assert_eq!(v["server"], "pool.ntp.org", "{v}");
        assert_eq!(v["port"], 123, "{v}");
        assert_eq!(v["interval_minutes"], 60, "{v}");
        assert_eq!(v["enabled"], false, "{v}");
    }
}

#[test]
fn set_ntp_prints_what_the_device_then_reports() {
    for extra in [&[][..], &["--isapi"][..]] {
        let o = run(hcnet()
            .args([
                "config",
                "set",
                "ntp",
                "server=time.example",
                "port=1123",
                "interval=30",
                "--json",
            ])
            .args(extra));
        let v = json_of(&o);
        assert_eq!(v["server"], "time.example", "{v}");
        assert_eq!(
            (v["port"].as_u64(), v["interval_minutes"].as_u64()),
            (Some(1123), Some(30))
        );
    }
}

#[test]
fn compression_and_text_output() {
    let o = run(hcnet().args([
        "config",
        "set",
        "compression",
        "--channel",
        "1",
        "--stream",
        "sub",
        "resolution=320x240",
        "fps=10",
    ]));
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("sub.resolution: 320x240"), "{out}");
    assert!(out.contains("sub.fps: 10"), "{out}");
    assert!(out.contains("main.codec: h264"), "{out}");
}

#[test]
fn bad_fields_are_usage_errors_and_bad_values_fail() {
    let o = run(hcnet().args(["config", "set", "ntp", "colour=blue"]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("unknown field"), "{}", text(&o));
    let o = run(hcnet().args(["config", "set", "ntp", "port=0"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("port"), "{}", text(&o));
}

/// The codec names are the library's (`VideoCodec::name`, and ISAPI's dotted form):
/// another name is a usage error that lists them.
#[test]
fn codec_names_come_from_the_library() {
    let o = run(hcnet().args([
        "config",
        "set",
        "compression",
        "--channel",
        "1",
        "codec=H.265",
    ]));
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("main.codec: h265"), "{out}");
    let o = run(hcnet().args([
        "config",
        "set",
        "compression",
        "--channel",
        "1",
        "codec=mjpeg",
    ]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("\"mjpeg\": use h264 or h265"),
        "{}",
        text(&o)
    );
}
