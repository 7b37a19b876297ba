//! `hcnet isapi` and `--isapi` logins against the mock SDK.

mod common;

use common::{hcnet, run, text};

#[test]
fn get_device_info_prints_the_xml() {
    let o = run(hcnet().args(["isapi", "GET", "/ISAPI/System/deviceInfo"]));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        out.starts_with("<?xml") && out.contains("<DeviceInfo"),
        "{out}"
    );
    assert!(out.contains("<model>"), "{out}");
}

#[test]
fn a_failing_response_status_is_explained_and_exits_4() {
    let o = run(hcnet().args(["isapi", "GET", "/ISAPI/Nope"]));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(4), "{t}");
    assert!(o.stdout.is_empty(), "no body on stdout: {t}");
    assert!(
        t.contains("statusCode 4 (Invalid Operation), subStatusCode notSupport"),
        "{t}"
    );
    assert!(t.contains("request: GET /ISAPI/Nope"), "{t}");
    assert!(t.contains("what to do:"), "{t}");
}

#[test]
fn bodies_come_from_a_file_and_bad_paths_exit_1() {
    let dir = std::env::temp_dir().join(format!("hcnet-isapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body = dir.join("ptz.xml");
    std::fs::write(
        &body,
        "<PTZData><pan>0</pan><tilt>0</tilt><zoom>0</zoom></PTZData>",
    )
    .unwrap();
    let o = run(hcnet()
        .args([
            "isapi",
            "PUT",
            "/ISAPI/PTZCtrl/channels/1/continuous",
            "--body",
        ])
        .arg(&body));
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("<statusCode>1</statusCode>"));
    let o = run(hcnet().args(["isapi", "GET", "ISAPI/no-slash"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("invalid path"), "{}", text(&o));
    let pic = dir.join("p.jpg");
    let o = run(hcnet()
        .args([
            "isapi",
            "GET",
            "/ISAPI/Streaming/channels/101/picture",
            "--out",
        ])
        .arg(&pic));
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read(&pic).unwrap().starts_with(&[0xFF, 0xD8]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn isapi_logins_run_ptz_snapshot_and_info() {
    let dir = std::env::temp_dir().join(format!("hcnet-isapi-login-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(hcnet().args(["ptz", "--isapi", "move", "left", "--ms", "100"]));
    assert!(o.status.success(), "{}", text(&o));
    let pic = dir.join("s.jpg");
    let o = run(hcnet().args(["snapshot", "--isapi", "--out"]).arg(&pic));
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read(&pic).unwrap().starts_with(&[0xFF, 0xD8]));
    let o = run(hcnet().args(["info", "--isapi"]));
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Model:"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
