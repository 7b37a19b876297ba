//! The real HCNetSDK arms the emulator in ISAPI login mode: a message callback
//! (`NET_DVR_SetDVRMessageCallBack_V30`, through raw `hcnetsdk_sys` calls: the safe alarm
//! layer is separate work), `NET_DVR_SetupAlarmChan_V41` after an ISAPI login, and what the
//! SDK hands the callback for the emulator's motion alert: `lCommand`, `dwBufLen`, the
//! `NET_DVR_ALARMER` and the struct. Measured with SDK 6.1.9.48 (emulator/README.md):
//! `COMM_ISAPI_ALARM` (0x6009) with `NET_DVR_ALARM_ISAPI_INFO` (56 bytes) whose `pAlarmData`
//! is the `EventNotificationAlert` XML as the stream sent it, followed by the CRLF before the
//! next boundary line (`dwAlarmDataLen` counts it).
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as the real-SDK
//! tier does (`.ci/real-sdk.d/emulator-alarms.sh`):
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test alarms_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test alarms_real_sdk -- --nocapture --test-threads=1'
//! ```

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use std::ffi::{c_char, c_void};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hcnetsdk::sys::{self, *};
use hcnetsdk::{LoginMode, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;

const SCENARIO: &str = r#"
[[device]]
label = "dome"
address = "192.0.2.10"
time_zone = "+08:00"
alert_heartbeat_seconds = 2
  [[device.alarm]]
  kind = "motion"
  channel = 1
  every_seconds = 1
  [[device.user]]
  name = "admin"
  password = "Admin12345"
  role = "admin"
"#;

/// What the callback saw of one message.
#[derive(Debug, Clone)]
struct Seen {
    command: u32,
    len: u32,
    user_id: i32,
    user_id_valid: u8,
    device_ip: String,
    /// For `COMM_ISAPI_ALARM`: `byDataType`, `byPicturesNumber`, `dwAlarmDataLen`, the text.
    isapi: Option<(u8, u8, u32, String)>,
}

static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

unsafe extern "system" fn on_message(
    command: LONG,
    alarmer: *mut NET_DVR_ALARMER,
    info: *mut c_char,
    len: DWORD,
    _user: *mut c_void,
) {
    // SAFETY: the SDK's contract: a valid alarmer and a buffer of `len` bytes holding the
    // struct the command names (checked by size before it is read).
    let seen = unsafe {
        let a = alarmer.read_unaligned();
        let isapi = (command as u32 == COMM_ISAPI_ALARM
            && len as usize == size_of::<NET_DVR_ALARM_ISAPI_INFO>())
        .then(|| {
            let v = info.cast::<NET_DVR_ALARM_ISAPI_INFO>().read_unaligned();
            let text = if v.pAlarmData.is_null() {
                String::new()
            } else {
                let b = std::slice::from_raw_parts(
                    v.pAlarmData.cast::<u8>(),
                    v.dwAlarmDataLen as usize,
                );
                String::from_utf8_lossy(b).into_owned()
            };
            (v.byDataType, v.byPicturesNumber, v.dwAlarmDataLen, text)
        });
        Seen {
            command: command as u32,
            len,
            user_id: a.lUserID,
            user_id_valid: a.byUserIDValid,
            device_ip: String::from_utf8_lossy(text::c_until_nul(&a.sDeviceIP)).into_owned(),
            isapi,
        }
    };
    SEEN.lock().unwrap().push(seen);
}

fn wait_for(what: &str, within: Duration, cond: impl Fn() -> bool) {
    let end = Instant::now() + within;
    while !cond() {
        assert!(Instant::now() < end, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn real_sdk_arms_in_isapi_mode_and_gets_the_motion_alert() {
    let Some(dir) = real_sdk_dir("alarms_real_sdk") else {
        return;
    };
    let sdk = Sdk::load_from(&dir).expect("load the real SDK");
    assert!(!sdk.is_mock(), "HCNETSDK_LIB_DIR points at the mock");
    sdk.init().expect("init the real SDK");
    if let Some(log) = std::env::var_os("EMULATOR_SDK_LOG") {
        sdk.set_log_to_file(hcnetsdk::LogLevel::Info, Some(log.as_ref()), false)
            .expect("SDK log");
    }
    // The same loaded library (dlopen of the same file), for the calls the safe layer does
    // not have yet.
    let raw = sys::Library::load_file(sdk.library_path()).expect("the same library");
    let cb: MSGCallBack = Some(on_message);
    // SAFETY: a valid callback that outlives the SDK's use of it (a plain fn).
    let ok =
        unsafe { sym!(raw, NET_DVR_SetDVRMessageCallBack_V30).unwrap()(cb, std::ptr::null_mut()) };
    assert_eq!(ok, TRUE);

    let emu = Emulator::start(&Scenario::parse(SCENARIO).unwrap()).unwrap();
    let dome = emu.device("dome").unwrap();
    let session = Session::builder(&sdk)
        .address("127.0.0.1")
        .port(dome.http_port())
        .user("admin")
        .password("Admin12345")
        .mode(LoginMode::Isapi)
        .login()
        .unwrap_or_else(|e| panic!("{e:#}"));
    let id = session.user_id();

    let mut param = NET_DVR_SETUPALARM_PARAM {
        dwSize: size_of::<NET_DVR_SETUPALARM_PARAM>() as u32,
        byLevel: 1,
        byRetAlarmTypeV40: 1,
        ..Default::default()
    };
    // SAFETY: a logged-in user ID and a valid setup struct.
    let handle = unsafe { sym!(raw, NET_DVR_SetupAlarmChan_V41).unwrap()(id, &mut param) };
    // SAFETY: no arguments.
    let code = unsafe { sym!(raw, NET_DVR_GetLastError).unwrap()() };
    for r in dome.http().unwrap().requests() {
        println!("  {} {} -> {} ({:?})", r.method, r.path, r.status, r.route);
    }
    assert!(handle >= 0, "SetupAlarmChan_V41 failed with {code}");
    assert_eq!(dome.model().armings(), 1, "the SDK holds one alert stream");

    wait_for(
        "a motion alert in the callback",
        Duration::from_secs(10),
        || {
            SEEN.lock().unwrap().iter().any(|s| {
                s.isapi
                    .as_ref()
                    .is_some_and(|i| i.3.contains("<eventType>VMD</eventType>"))
            })
        },
    );
    let seen = SEEN.lock().unwrap().clone();
    for s in &seen {
        println!(
            "MEASURED lCommand {:#x} dwBufLen {} lUserID {} byUserIDValid {} sDeviceIP {:?}",
            s.command, s.len, s.user_id, s.user_id_valid, s.device_ip
        );
        if let Some((ty, pics, n, text)) = &s.isapi {
            println!("  byDataType {ty} byPicturesNumber {pics} dwAlarmDataLen {n}\n{text}");
        }
    }
    let motion = seen
        .iter()
        .find(|s| s.isapi.as_ref().is_some_and(|i| i.3.contains(">VMD<")))
        .unwrap();
    assert_eq!(motion.command, COMM_ISAPI_ALARM);
    assert_eq!(motion.len as usize, size_of::<NET_DVR_ALARM_ISAPI_INFO>());
    assert_eq!(motion.user_id, id);
    let (data_type, pictures, len, text) = motion.isapi.clone().unwrap();
    assert_eq!((data_type, pictures), (1, 0), "XML, no pictures");
    assert_eq!(len as usize, text.len());
    // Measured: the data runs up to the next boundary line, so it is the part's document
    // and the CRLF before that line, and `dwAlarmDataLen` counts both.
    assert!(
        text.ends_with("</EventNotificationAlert>\n\r\n"),
        "{:?}",
        &text[text.len().saturating_sub(40)..]
    );
    assert!(text.contains("<channelID>1</channelID>"), "{text}");
    assert!(text.contains("<eventState>active</eventState>"), "{text}");

    // SAFETY: the handle SetupAlarmChan_V41 returned.
    let closed = unsafe { sym!(raw, NET_DVR_CloseAlarmChan_V30).unwrap()(handle) };
    assert_eq!(closed, TRUE);
    wait_for(
        "the SDK closes the alert stream",
        Duration::from_secs(5),
        || dome.model().armings() == 0,
    );
    drop(session);
    emu.stop();
}
