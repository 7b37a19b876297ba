//! Arming on the mock through the C ABI: a message callback, `SetupAlarmChan_V30/V41/V50`,
//! the messages the callback gets (command, struct size, fields, the alarmer), the
//! per-device arming limit, `MOCK_RaiseAlarm`, and disarming by `CloseAlarmChan_V30` and
//! Logout. One process-wide callback (slot 0) records every message; each test reads the
//! messages of its own user ID.

#[macro_use]
mod support;

use std::ffi::{CString, c_char, c_void};
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use hcnetsdk_sys::*;
use support::*;

/// What the callback copied out of one message.
#[derive(Clone)]
struct Msg {
    command: u32,
    len: u32,
    alarmer: NET_DVR_ALARMER,
    body: Body,
}

#[derive(Clone)]
enum Body {
    V30(NET_DVR_ALARMINFO_V30),
    V40(NET_DVR_ALARMINFO_V40, Vec<u32>),
    Rule(Box<NET_VCA_RULE_ALARM>),
    Isapi(NET_DVR_ALARM_ISAPI_INFO, String),
    Other,
}

// SAFETY: the pointers copied inside the structs are never dereferenced after the callback
// returns (the data they reached is copied out in the callback).
unsafe impl Send for Msg {}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "message {:#x} of {} bytes", self.command, self.len)
    }
}

static MESSAGES: Mutex<Vec<Msg>> = Mutex::new(Vec::new());

/// Copy `T` out of the message buffer when it has exactly `T`'s size.
///
/// # Safety
/// `info` points to `len` readable bytes.
unsafe fn read<T>(info: *const c_char, len: u32) -> Option<T> {
    // SAFETY: `len` bytes are readable, and we read `size_of::<T>()` of them.
    (len as usize == size_of::<T>()).then(|| unsafe { info.cast::<T>().read_unaligned() })
}

/// # Safety
/// `info` points to the struct the command says, of `len` bytes.
unsafe fn body(command: u32, info: *const c_char, len: u32) -> Body {
    // SAFETY: per the function contract; the pointers inside are valid during the call.
    unsafe {
        match command {
            COMM_ALARM_V30 => read(info, len).map_or(Body::Other, Body::V30),
            COMM_ALARM_V40 => read::<NET_DVR_ALARMINFO_V40>(info, len).map_or(Body::Other, |v| {
                let u = v.struAlarmFixedHeader.uStruAlarm;
                let n = match v.struAlarmFixedHeader.dwAlarmType {
                    0 => 0,
                    1 | 4 | 5 => u.struAlarmHardDisk.dwAlarmHardDiskNum,
                    _ => u.struAlarmChannel.dwAlarmChanNum,
                };
                let data = if v.pAlarmData.is_null() {
                    Vec::new()
                } else {
                    std::slice::from_raw_parts(v.pAlarmData, n as usize).to_vec()
                };
                Body::V40(v, data)
            }),
            COMM_ALARM_RULE => read(info, len).map_or(Body::Other, |v| Body::Rule(Box::new(v))),
            COMM_ISAPI_ALARM => {
                read::<NET_DVR_ALARM_ISAPI_INFO>(info, len).map_or(Body::Other, |v| {
                    let bytes = std::slice::from_raw_parts(
                        v.pAlarmData.cast::<u8>(),
                        v.dwAlarmDataLen as usize,
                    );
                    Body::Isapi(v, String::from_utf8_lossy(bytes).into_owned())
                })
            }
            _ => Body::Other,
        }
    }
}

unsafe extern "system" fn on_message(
    command: LONG,
    alarmer: *mut NET_DVR_ALARMER,
    info: *mut c_char,
    len: DWORD,
    _user: *mut c_void,
) {
    // SAFETY: the SDK's contract for the message callback: valid alarmer and buffer.
    let msg = unsafe {
        Msg {
            command: command as u32,
            len,
            alarmer: alarmer.read_unaligned(),
            body: body(command as u32, info, len),
        }
    };
    MESSAGES.lock().unwrap().push(msg);
}

/// Register the callback once; the tests run one at a time (alarm handles are reused, and
/// a test checks that a closed handle is gone).
fn setup() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    let guard = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let cb: MSGCallBack = Some(on_message);
        // SAFETY: a valid callback; the user pointer is unused.
        let ok = unsafe { f!(NET_DVR_SetDVRMessageCallBack_V30)(cb, std::ptr::null_mut()) };
        assert_eq!(ok, TRUE);
    });
    guard
}

/// Messages for `user` so far.
fn messages(user: i32) -> Vec<Msg> {
    MESSAGES
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.alarmer.lUserID == user)
        .cloned()
        .collect()
}

/// Wait for the first message for `user` whose command is `command`.
fn wait_for(user: i32, command: u32, within: Duration) -> Msg {
    let end = Instant::now() + within;
    loop {
        if let Some(m) = messages(user).into_iter().find(|m| m.command == command) {
            return m;
        }
        assert!(
            Instant::now() < end,
            "no command {command:#x} for user {user}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `MOCK_RaiseAlarm` (test-support's control wrapper does not have it).
fn raise(address: &str, kind: &str, channel: i32) -> i32 {
    type Raise = unsafe extern "system" fn(*const c_char, *const c_char, LONG) -> LONG;
    static LIB: OnceLock<libloading::Library> = OnceLock::new();
    let lib = LIB.get_or_init(|| {
        // SAFETY: the mock this binary already loaded (the same file, a second reference).
        unsafe { libloading::Library::new(mock::mock_lib_path()) }.unwrap()
    });
    // SAFETY: the mock's documented MOCK_RaiseAlarm signature.
    let f = unsafe { *lib.get::<Raise>(b"MOCK_RaiseAlarm\0").unwrap() };
    let (a, k) = (CString::new(address).unwrap(), CString::new(kind).unwrap());
    // SAFETY: valid C strings.
    unsafe { f(a.as_ptr(), k.as_ptr(), channel) }
}

fn v41(user: i32, v40: bool) -> Result<i32, u32> {
    let mut p = NET_DVR_SETUPALARM_PARAM {
        dwSize: size_of::<NET_DVR_SETUPALARM_PARAM>() as u32,
        byRetAlarmTypeV40: u8::from(v40),
        ..Default::default()
    };
    // SAFETY: a valid struct.
    let h = unsafe { f!(NET_DVR_SetupAlarmChan_V41)(user, &mut p) };
    if h >= 0 { Ok(h) } else { Err(err()) }
}

fn close(handle: i32) -> bool {
    // SAFETY: plain value.
    unsafe { f!(NET_DVR_CloseAlarmChan_V30)(handle) == TRUE }
}

fn text(field: &[c_char]) -> String {
    String::from_utf8_lossy(text::c_until_nul(field)).into_owned()
}

#[test]
fn v30_arming_gets_scheduled_motion_then_the_limit_then_disarms() {
    let _serial = setup();
    let dev = env().ctl.add_test_device(
        "serial = \"ALARM30\"\n[[alarm]]\nkind = \"motion\"\nchannel = 1\nevery_seconds = 0.1",
    );
    let id = admin(&dev);
    // SAFETY: plain value.
    let h = unsafe { f!(NET_DVR_SetupAlarmChan_V30)(id) };
    assert!(h >= 0, "SetupAlarmChan_V30: {}", err());
    let m = wait_for(id, COMM_ALARM_V30, Duration::from_secs(3));
    assert_eq!(m.len, 268);
    assert_eq!(m.len as usize, size_of::<NET_DVR_ALARMINFO_V30>());
    let Body::V30(v) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(v.dwAlarmType, 3);
    assert_eq!((v.byChannel[0], v.byChannel[1]), (1, 0));
    let a = m.alarmer;
    assert_eq!(
        (a.byUserIDValid, a.byDeviceIPValid, a.byLinkPortValid),
        (1, 1, 1)
    );
    assert_eq!(text(&a.sDeviceIP), dev.address);
    assert_eq!(a.wLinkPort, 8000);
    assert_eq!(
        String::from_utf8_lossy(text::until_nul(&a.sSerialNumber)),
        "ALARM30"
    );

    // One process arms the device twice: the device's limit (max_armings = 1), 46.
    // SAFETY: plain value.
    assert_eq!(unsafe { f!(NET_DVR_SetupAlarmChan_V30)(id) }, -1);
    assert_eq!(err(), 46);
    assert_eq!(v41(id, false), Err(46));
    assert_eq!(
        env().ctl.device_value(&dev.address, 8000, "armings"),
        Some(1)
    );

    assert!(close(h));
    let after = messages(id).len();
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        messages(id).len(),
        after,
        "a message after CloseAlarmChan_V30"
    );
    assert_eq!(
        env().ctl.device_value(&dev.address, 8000, "armings"),
        Some(0)
    );
    assert!(!close(h));
    assert_eq!(err(), 12);
    assert!(logout(id));
}

#[test]
fn v41_with_v40_type_gets_alarminfo_v40() {
    let _serial = setup();
    let dev = env()
        .ctl
        .add_test_device("alarm_in = 2\ntime_zone = \"+08:00\"");
    let id = admin(&dev);
    let h = v41(id, true).unwrap();
    assert_eq!(raise(&dev.address, "motion", 1), 1);
    let m = wait_for(id, COMM_ALARM_V40, Duration::from_secs(2));
    assert_eq!(m.len, 160);
    let Body::V40(v, data) = m.body else {
        panic!("{m:?}")
    };
    let head = v.struAlarmFixedHeader;
    assert_eq!(head.dwAlarmType, 3);
    assert_eq!(data, [1]);
    assert!(head.struAlarmTime.wYear >= 2026);
    assert_eq!((head.byTimeDiffFlag, head.cTimeDifferenceH), (1, 8));

    MESSAGES.lock().unwrap().clear();
    assert_eq!(raise(&dev.address, "alarm_input", 2), 1);
    let m = wait_for(id, COMM_ALARM_V40, Duration::from_secs(2));
    let Body::V40(v, _) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(v.struAlarmFixedHeader.dwAlarmType, 0);
    assert_eq!(
        // SAFETY: the IO member for type 0, as the SDK documents.
        unsafe { v.struAlarmFixedHeader.uStruAlarm.struIOAlarm.dwAlarmInputNo },
        1
    );

    assert_eq!(raise(&dev.address, "motion", 9), -1, "no channel 9");
    assert_eq!(raise(&dev.address, "alarm_input", 3), -1, "no input 3");
    assert_eq!(raise(&dev.address, "smoke", 1), -1);
    assert_eq!(raise("192.0.2.254", "motion", 1), -1);
    assert!(close(h));
    assert_eq!(raise(&dev.address, "motion", 1), 0);
    assert!(logout(id));
}

#[test]
fn v50_line_crossing_is_a_rule_alarm() {
    let _serial = setup();
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    let mut p = NET_DVR_SETUPALARM_PARAM_V50 {
        dwSize: size_of::<NET_DVR_SETUPALARM_PARAM_V50>() as u32,
        ..Default::default()
    };
    // SAFETY: a valid struct; no subscription.
    let h = unsafe { f!(NET_DVR_SetupAlarmChan_V50)(id, &mut p, std::ptr::null_mut(), 0) };
    assert!(h >= 0, "SetupAlarmChan_V50: {}", err());
    assert_eq!(raise(&dev.address, "line_crossing", 1), 1);
    let m = wait_for(id, COMM_ALARM_RULE, Duration::from_secs(2));
    assert_eq!(m.len, 352);
    let Body::Rule(r) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(r.dwSize, 352);
    let info = r.struRuleInfo;
    assert_eq!(info.byRuleID, 1);
    assert_eq!(
        String::from_utf8_lossy(text::until_nul(&info.byRuleName)),
        "line1"
    );
    assert_eq!(info.dwEventType, VCA_TRAVERSE_PLANE);
    assert_eq!(u32::from(info.wEventTypeEx), ENUM_VCA_EVENT_TRAVERSE_PLANE);
    assert_eq!(r.struDevInfo.byChannel, 1);
    assert_eq!(text(&r.struDevInfo.struDevIP.sIpV4), dev.address);
    assert!(r.struTargetInfo.struRect.fWidth > 0.0);
    assert!(r.dwAbsTime >> 26 >= 26, "year 2026 or later, packed");
    assert!(close(h));
    assert!(logout(id));
}

#[test]
fn isapi_login_gets_isapi_alarm_xml() {
    let _serial = setup();
    let dev = env().ctl.add_test_device("");
    let mut li = login_info(&dev.address, dev.port, "admin", "Admin12345");
    li.byLoginMode = 1;
    let mut info = NET_DVR_DEVICEINFO_V40::default();
    // SAFETY: valid structs.
    let id = unsafe { f!(NET_DVR_Login_V40)(&mut li, &mut info) };
    assert!(id >= 0, "ISAPI login: {}", err());
    let h = v41(id, false).unwrap();
    assert_eq!(raise(&dev.address, "VMD", 1), 1);
    let m = wait_for(id, COMM_ISAPI_ALARM, Duration::from_secs(2));
    assert_eq!(m.len, 56);
    let Body::Isapi(v, xml) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(v.byDataType, 1);
    assert_eq!(v.dwAlarmDataLen as usize, xml.len());
    // The real SDK's alarmer for an ISAPI login (measured): user ID, serial flag (no
    // serial), link port and address; nothing else.
    let a = m.alarmer;
    let flags = [
        a.byUserIDValid,
        a.bySerialValid,
        a.byVersionValid,
        a.byDeviceNameValid,
        a.byMacAddrValid,
        a.byLinkPortValid,
        a.byDeviceIPValid,
        a.bySocketIPValid,
    ];
    assert_eq!(flags, [1, 1, 0, 0, 0, 1, 1, 0]);
    assert_eq!(text(&a.sDeviceIP), dev.address);
    assert_eq!(
        (a.wLinkPort, a.sSerialNumber[0], a.sSocketIP[0]),
        (dev.port, 0, 0)
    );
    for part in [
        "<EventNotificationAlert",
        "<eventType>VMD</eventType>",
        "<eventState>active</eventState>",
        "<channelID>1</channelID>",
    ] {
        assert!(xml.contains(part), "{part} missing in {xml}");
    }
    assert!(xml.contains(&format!("<ipAddress>{}</ipAddress>", dev.address)));
    assert!(
        xml.ends_with("</EventNotificationAlert>\n\r\n"),
        "as the real SDK hands it"
    );
    assert!(close(h));
    assert!(logout(id));
}

#[test]
fn logout_disarms_and_bad_users_fail_as_before() {
    let _serial = setup();
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    let h = v41(id, false).unwrap();
    assert_eq!(
        env().ctl.device_value(&dev.address, 8000, "armings"),
        Some(1)
    );
    assert!(logout(id));
    assert_eq!(
        env().ctl.device_value(&dev.address, 8000, "armings"),
        Some(0)
    );
    assert!(!close(h));
    let id = admin(&dev);
    let h = v41(id, false).expect("arming again after the logout");
    assert!(close(h));
    assert_eq!(
        // SAFETY: a NULL setup struct, as the conformance suite sends it.
        unsafe { f!(NET_DVR_SetupAlarmChan_V41)(id, std::ptr::null_mut()) },
        -1
    );
    assert_eq!(err(), 17);
    assert!(logout(id));
    // SAFETY: plain values.
    assert_eq!(unsafe { f!(NET_DVR_SetupAlarmChan_V30)(-1) }, -1);
    assert_eq!(err(), 17);
    assert_eq!(v41(id, false), Err(47));
}
