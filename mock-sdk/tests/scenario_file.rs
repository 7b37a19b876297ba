//! Scenario files: `HCNETSDK_MOCK_SCENARIO` names a TOML file that replaces the built-in
//! default scenario; a broken or missing file makes `NET_DVR_Init` fail with 17 and says why
//! (on stderr and in `MOCK_GetString("scenario_error")`).
//!
//! The scenario is read once per process, at the first Init, so each case runs in a child
//! process: the parent test writes the file and re-runs this binary with only the matching
//! `#[ignore]`d child test selected and the variable set.

use hcnetsdk_test_support::{mock, mock_control};

use std::path::{Path, PathBuf};
use std::process::Command;

use hcnetsdk_sys::*;

/// Set (to "1") only in the child processes.
const CHILD_VAR: &str = "HCNETSDK_MOCK_SCENARIO_TEST_CHILD";

/// Run the ignored test `name` of this binary in a child with `HCNETSDK_MOCK_SCENARIO=file`;
/// returns (passed, stdout + stderr).
fn run_child(name: &str, file: &Path) -> (bool, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("HCNETSDK_MOCK_SCENARIO", file)
        .env("HCNETSDK_MOCK_LIB", mock::mock_lib_path())
        .env(CHILD_VAR, "1")
        .output()
        .expect("run the test binary again");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // "1 passed" proves the child test ran rather than being filtered out.
    (out.status.success() && text.contains("1 passed"), text)
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("hcnetsdk-mock-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

fn child_only() {
    assert_eq!(
        std::env::var(CHILD_VAR).as_deref(),
        Ok("1"),
        "run through its parent test, which sets HCNETSDK_MOCK_SCENARIO"
    );
}

const LAB: &str = r#"
pacing = "fast"

[[device]]
label = "lab"
address = "192.0.2.77"
port = 9000
kind = "nvr"
model = "DS-LAB-NVR"
serial = "LAB-SERIAL-0001"
name = "实验室"
charset = "utf-8"
ip_channels = 4
start_ip_channel = 40

  [[device.user]]
  name = "u"
  password = "p"
  role = "viewer"
"#;

#[test]
fn a_scenario_file_replaces_the_default_devices() {
    let file = temp_file("lab.toml", LAB);
    let (passed, out) = run_child("child_lab_scenario", &file);
    let _ = std::fs::remove_file(&file);
    assert!(passed, "child failed:\n{out}");
}

#[test]
#[ignore = "child process of a_scenario_file_replaces_the_default_devices"]
fn child_lab_scenario() {
    child_only();
    let lib = Library::load_file(&mock::mock_lib_path()).unwrap();
    let ctl = mock_control::MockControl::open(lib.path());
    let err = || {
        // SAFETY: no arguments.
        unsafe { sym!(lib, NET_DVR_GetLastError).unwrap()() }
    };
    let login = |addr: &str, port: u16, user: &str, pw: &str| {
        let mut li = NET_DVR_USER_LOGIN_INFO {
            sDeviceAddress: text::field(addr.as_bytes()).unwrap(),
            wPort: port,
            sUserName: text::field(user.as_bytes()).unwrap(),
            sPassword: text::field(pw.as_bytes()).unwrap(),
            ..Default::default()
        };
        let mut info = NET_DVR_DEVICEINFO_V40::default();
        // SAFETY: valid structs.
        let id = unsafe { sym!(lib, NET_DVR_Login_V40).unwrap()(&mut li, &mut info) };
        (id, err(), info)
    };
    // SAFETY: no arguments.
    assert_eq!(unsafe { sym!(lib, NET_DVR_Init).unwrap()() }, TRUE);
    assert_eq!(ctl.get_string("scenario_error"), None);
    // The built-in dome is not in this scenario: an unknown 192.0.2.x address gives 7.
    assert_eq!(login("192.0.2.10", 8000, "admin", "Admin12345").1, 7);
    // The file's device, at its own port, with its own user.
    assert_eq!(login("192.0.2.77", 8000, "u", "p").1, 7, "wrong port");
    let (id, e, info) = login("192.0.2.77", 9000, "u", "p");
    assert!(id >= 0, "login to the scenario's device: {e}");
    let v30 = info.struDeviceV30;
    assert_eq!(
        (
            v30.byChanNum,
            v30.byIPChanNum,
            v30.byStartDChan,
            v30.byDVRType
        ),
        (0, 4, 40, 110),
        "an NVR with 4 IP channels from 40 (byDVRType defaults to 110 for kind nvr)"
    );
    assert_eq!(info.byCharEncodeType, 6, "UTF-8 name");
    assert_eq!(
        &v30.sSerialNumber[..15],
        b"LAB-SERIAL-0001",
        "serial from the file"
    );
    let mut cfg = NET_DVR_DEVICECFG_V40::default();
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        sym!(lib, NET_DVR_GetDVRConfig).unwrap()(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(r, TRUE, "GetDVRConfig: {}", err());
    assert_eq!(&cfg.sDVRName[..9], "实验室".as_bytes());
    assert_eq!(&cfg.byDevTypeName[..10], b"DS-LAB-NVR");
    let mut pi = NET_DVR_PREVIEWINFO {
        lChannel: 44,
        ..Default::default()
    };
    let real_play = sym!(lib, NET_DVR_RealPlay_V40).unwrap();
    // SAFETY: valid struct, no callback.
    let r = unsafe { real_play(id, &mut pi, None, std::ptr::null_mut()) };
    assert_eq!((r, err()), (-1, 4), "channel 44 is past 40..=43");
    pi.lChannel = 43;
    // SAFETY: as above.
    let h = unsafe { real_play(id, &mut pi, None, std::ptr::null_mut()) };
    assert!(h >= 0, "channel 43: {}", err());
    // SAFETY: plain values; Cleanup last.
    unsafe {
        assert_eq!(sym!(lib, NET_DVR_StopRealPlay).unwrap()(h), TRUE);
        assert_eq!(sym!(lib, NET_DVR_Logout).unwrap()(id), TRUE);
        assert_eq!(sym!(lib, NET_DVR_Cleanup).unwrap()(), TRUE);
    }
}

#[test]
fn a_broken_scenario_file_makes_init_fail_with_17_and_says_why() {
    let file = temp_file(
        "broken.toml",
        "[[device]]\naddress = \"camera.local\"\n[[device.user]]\nname = \"a\"\npassword = \"b\"\nrole = \"admin\"\n",
    );
    let (passed, out) = run_child("child_broken_scenario", &file);
    let _ = std::fs::remove_file(&file);
    assert!(passed, "child failed:\n{out}");
    assert!(
        out.contains("hcnetsdk-mock: HCNETSDK_MOCK_SCENARIO=")
            && out.contains("\"camera.local\" is not an IP address"),
        "the reason is printed on stderr:\n{out}"
    );
    let missing = std::env::temp_dir().join("hcnetsdk-mock-no-such-scenario.toml");
    let (passed, out) = run_child("child_broken_scenario", &missing);
    assert!(passed, "child failed:\n{out}");
    assert!(
        out.contains("hcnetsdk-mock-no-such-scenario.toml"),
        "a missing file is named:\n{out}"
    );
}

#[test]
#[ignore = "child process of a_broken_scenario_file_makes_init_fail_with_17_and_says_why"]
fn child_broken_scenario() {
    child_only();
    let lib = Library::load_file(&mock::mock_lib_path()).unwrap();
    let ctl = mock_control::MockControl::open(lib.path());
    // SAFETY: no arguments.
    unsafe {
        assert_eq!(sym!(lib, NET_DVR_Init).unwrap()(), FALSE);
        assert_eq!(sym!(lib, NET_DVR_GetLastError).unwrap()(), 17);
    }
    let why = ctl.get_string("scenario_error").expect("scenario_error");
    assert!(why.starts_with("HCNETSDK_MOCK_SCENARIO="), "{why}");
    assert_eq!(
        ctl.get_value("init_count"),
        Some(0),
        "a failed Init does not count"
    );
    // SAFETY: no arguments.
    unsafe {
        assert_eq!(sym!(lib, NET_DVR_Cleanup).unwrap()(), FALSE);
        assert_eq!(sym!(lib, NET_DVR_GetLastError).unwrap()(), 3);
    }
}
