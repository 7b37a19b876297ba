//! The real HCNetSDK searches and plays back the emulator's recordings in ISAPI login mode,
//! through raw `hcnetsdk_sys` calls (to see the SDK's own statuses, fields, callbacks and
//! positions, not the safe layer's reading of them): `NET_DVR_FindFile_V40` /
//! `NET_DVR_FindNextFile_V40` on the NVR (lChannel 1: the SDK numbers an ISAPI NVR's IP
//! channels from 1, track 101 = channel 33 of the model) and the dome, then
//! `NET_DVR_PlayBackByTime_V40` of a few seconds with `NET_DVR_SetPlayDataCallBack_V40`
//! and `NET_DVR_GetPlayBackPos` until the end. The findings are in emulator/README.md
//! ("Recordings through the real SDK"); `MEASURED` lines print them again.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test recordings_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test recordings_real_sdk -- --nocapture --test-threads=1'
//! ```

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use std::ffi::c_void;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hcnetsdk::sys::{self, *};
use hcnetsdk::{LoginMode, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;

const CLOCK: &str = "2026-12-01T12:00:00Z";

fn t(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NET_DVR_TIME {
    NET_DVR_TIME {
        dwYear: y,
        dwMonth: mo,
        dwDay: d,
        dwHour: h,
        dwMinute: mi,
        dwSecond: s,
    }
}

fn show(t: &NET_DVR_TIME) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond
    )
}

fn login(sdk: &Sdk, port: u16) -> Session {
    Session::builder(sdk)
        .address("127.0.0.1")
        .port(port)
        .user("admin")
        .password("Admin12345")
        .mode(LoginMode::Isapi)
        .login()
        .unwrap_or_else(|e| panic!("{e:#}"))
}

/// A search's statuses (runs of one status folded: status, count) and its files.
type Found = (Vec<(i32, usize)>, Vec<NET_DVR_FINDDATA_V40>);

/// One search: the statuses in order (runs of the same status folded) and the files.
fn search(
    raw: &sys::Library,
    user: i32,
    channel: i32,
    file_type: u32,
    range: (NET_DVR_TIME, NET_DVR_TIME),
) -> Result<Found, u32> {
    let mut cond = NET_DVR_FILECOND_V40 {
        lChannel: channel,
        dwFileType: file_type,
        dwIsLocked: 0,
        struStartTime: range.0,
        struStopTime: range.1,
        ..Default::default()
    };
    // SAFETY: a logged-in user and a valid condition struct.
    let h = unsafe { sym!(raw, NET_DVR_FindFile_V40).unwrap()(user, &mut cond) };
    // SAFETY: no arguments.
    let code = unsafe { sym!(raw, NET_DVR_GetLastError).unwrap()() };
    if h < 0 {
        return Err(code);
    }
    let mut statuses: Vec<(i32, usize)> = Vec::new();
    let mut files = Vec::new();
    let started = Instant::now();
    loop {
        let mut data = NET_DVR_FINDDATA_V40::default();
        // SAFETY: a live find handle and a valid out struct.
        let st = unsafe { sym!(raw, NET_DVR_FindNextFile_V40).unwrap()(h, &mut data) };
        match statuses.last_mut() {
            Some((s, n)) if *s == st => *n += 1,
            _ => statuses.push((st, 1)),
        }
        match st {
            1000 => files.push(data),
            1002 if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => break,
        }
    }
    // SAFETY: the find handle, closed once.
    unsafe { sym!(raw, NET_DVR_FindClose_V30).unwrap()(h) };
    Ok((statuses, files))
}

fn print_files(what: &str, files: &[NET_DVR_FINDDATA_V40]) {
    println!("MEASURED {what}: {} files", files.len());
    for f in files.iter().take(6).chain(files.iter().rev().take(2)) {
        println!(
            "  {:?} {} .. {} size {} type {} locked {} quick {} index {} card {:?}",
            String::from_utf8_lossy(text::c_until_nul(&f.sFileName)),
            show(&f.struStartTime),
            show(&f.struStopTime),
            f.dwFileSize,
            f.byFileType,
            f.byLocked,
            f.byQuickSearch,
            f.dwFileIndex,
            String::from_utf8_lossy(text::c_until_nul(&f.sCardNum)),
        );
    }
}

#[derive(Debug, Clone)]
struct Data {
    at: Duration,
    kind: u32,
    len: u32,
    head: Vec<u8>,
}

static DATA: Mutex<Vec<Data>> = Mutex::new(Vec::new());
static T0: Mutex<Option<Instant>> = Mutex::new(None);

unsafe extern "system" fn on_data(
    _handle: LONG,
    kind: DWORD,
    buf: *mut BYTE,
    len: DWORD,
    _user: *mut c_void,
) {
    let head = if buf.is_null() {
        Vec::new()
    } else {
        // SAFETY: the SDK hands `len` readable bytes.
        unsafe { std::slice::from_raw_parts(buf, len as usize) }
            .iter()
            .take(40)
            .copied()
            .collect()
    };
    let at = T0.lock().unwrap().map_or(Duration::ZERO, |t| t.elapsed());
    DATA.lock().unwrap().push(Data {
        at,
        kind,
        len,
        head,
    });
}

/// Plays lChannel `channel` over `range` and reports the callbacks and positions.
fn playback(raw: &sys::Library, user: i32, channel: u32, range: (NET_DVR_TIME, NET_DVR_TIME)) {
    let mut para = NET_DVR_VOD_PARA {
        dwSize: size_of::<NET_DVR_VOD_PARA>() as u32,
        struBeginTime: range.0,
        struEndTime: range.1,
        ..Default::default()
    };
    para.struIDInfo.dwSize = size_of::<NET_DVR_STREAM_INFO>() as u32;
    para.struIDInfo.dwChannel = channel;
    // SAFETY: a logged-in user and a valid struct.
    let h = unsafe { sym!(raw, NET_DVR_PlayBackByTime_V40).unwrap()(user, &para) };
    // SAFETY: no arguments.
    let code = unsafe { sym!(raw, NET_DVR_GetLastError).unwrap()() };
    assert!(h >= 0, "PlayBackByTime_V40: {code}");
    let cb: REALDATACALLBACK = Some(on_data);
    // SAFETY: a live handle and a plain fn callback.
    let ok =
        unsafe { sym!(raw, NET_DVR_SetPlayDataCallBack_V40).unwrap()(h, cb, std::ptr::null_mut()) };
    assert_eq!(ok, TRUE);
    *T0.lock().unwrap() = Some(Instant::now());
    let mut out = 0u32;
    // SAFETY: a live handle; PLAYSTART takes no buffers.
    let ok = unsafe {
        sym!(raw, NET_DVR_PlayBackControl_V40).unwrap()(
            h,
            NET_DVR_PLAYSTART,
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
            &mut out,
        )
    };
    assert_eq!(ok, TRUE, "PLAYSTART");
    let t0 = Instant::now();
    let mut positions: Vec<(Duration, i32)> = Vec::new();
    while t0.elapsed() < Duration::from_secs(14) {
        // SAFETY: a live handle.
        let pos = unsafe { sym!(raw, NET_DVR_GetPlayBackPos).unwrap()(h) };
        if positions.last().is_none_or(|(_, p)| *p != pos) {
            positions.push((t0.elapsed(), pos));
        }
        if pos == 100 || pos == 200 {
            std::thread::sleep(Duration::from_millis(500));
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("MEASURED GetPlayBackPos changes (time since PLAYSTART, position): {positions:?}");
    // SAFETY: the handle, stopped once.
    unsafe { sym!(raw, NET_DVR_StopPlayBack).unwrap()(h) };
    let data = DATA.lock().unwrap().clone();
    let mut kinds: Vec<(u32, usize, u64)> = Vec::new();
    for d in &data {
        match kinds.last_mut() {
            Some((k, n, b)) if *k == d.kind => {
                *n += 1;
                *b += u64::from(d.len);
            }
            _ => kinds.push((d.kind, 1, u64::from(d.len))),
        }
    }
    println!("MEASURED callbacks (type, count, bytes) in order: {kinds:?}");
    if let Some(h) = data.iter().find(|d| d.kind == 1) {
        println!("MEASURED header ({} bytes): {:02x?}", h.len, h.head);
    }
    for d in data.iter().filter(|d| d.kind == 2).take(3) {
        println!(
            "  data at {:?}: {} bytes {:02x?}",
            d.at,
            d.len,
            &d.head[..d.head.len().min(24)]
        );
    }
    if let (Some(a), Some(b)) = (
        data.iter().find(|d| d.kind == 2),
        data.iter().rev().find(|d| d.kind == 2),
    ) {
        println!(
            "MEASURED data from {:?} to {:?} after PLAYSTART",
            a.at, b.at
        );
    }
    for d in data.iter().filter(|d| d.kind != 1 && d.kind != 2) {
        println!(
            "  other callback at {:?}: type {} {} bytes",
            d.at, d.kind, d.len
        );
    }
    assert!(data.iter().any(|d| d.kind == 2), "no playback data");
}

#[test]
fn real_sdk_searches_and_plays_back_recordings() {
    let Some(dir) = real_sdk_dir("recordings_real_sdk") else {
        return;
    };
    let sdk = Sdk::load_from(&dir).expect("load the real SDK");
    assert!(!sdk.is_mock(), "HCNETSDK_LIB_DIR points at the mock");
    sdk.init().expect("init the real SDK");
    let raw = sys::Library::load_file(sdk.library_path()).expect("the same library");
    let scenario = Scenario {
        clock: Some(CLOCK.into()),
        ..Scenario::default()
    };
    let emu = Emulator::start(&scenario).unwrap();
    let nvr = emu.device("nvr").unwrap();
    let session = login(&sdk, nvr.http_port());
    let user = session.user_id();
    let day = (t(2026, 11, 30, 0, 0, 0), t(2026, 11, 30, 23, 59, 59));
    let (st, files) = search(&raw, user, 1, 0, day).expect("type 0");
    println!("MEASURED nvr ch 1 type 0 one day: statuses {st:?}");
    print_files("nvr ch 1 type 0", &files);
    let types: Vec<(u32, u32)> = [1u32, 2, 3, 4, 5, 6, 7, 13, 0xff]
        .into_iter()
        .filter_map(|ty| search(&raw, user, 1, ty, day).err().map(|e| (ty, e)))
        .collect();
    println!("MEASURED nvr ch 1 file types refused (type, code): {types:?}");
    let week = (t(2026, 11, 24, 0, 0, 0), t(2026, 12, 1, 12, 0, 0));
    let (st, files) = search(&raw, user, 1, 0, week).expect("week");
    println!(
        "MEASURED nvr ch 1 type 0 week: statuses {st:?}, {} files",
        files.len()
    );
    let none = (t(2026, 10, 1, 0, 0, 0), t(2026, 10, 2, 0, 0, 0));
    println!(
        "MEASURED nvr ch 1 no files: {:?}",
        search(&raw, user, 1, 0, none).map(|r| r.0)
    );
    println!(
        "MEASURED nvr ch 33: {:?}",
        search(&raw, user, 33, 0, day).map(|r| r.0)
    );
    println!(
        "MEASURED nvr ch 2: {:?}",
        search(&raw, user, 2, 0, day).map(|r| r.0)
    );
    println!(
        "MEASURED nvr ch 3: {:?}",
        search(&raw, user, 3, 0, day).map(|r| r.0)
    );
    let posts = nvr
        .http()
        .unwrap()
        .requests()
        .iter()
        .filter(|r| r.path.contains("ContentMgmt/search"))
        .map(|r| r.status.to_string())
        .collect::<Vec<_>>();
    println!("MEASURED search POSTs (statuses): {posts:?}");

    let dome = emu.device("dome").unwrap();
    let dome_session = login(&sdk, dome.http_port());
    let (st, files) = search(&raw, dome_session.user_id(), 1, 0, day).expect("dome");
    println!("MEASURED dome ch 1 type 0: statuses {st:?}");
    print_files("dome ch 1 type 0", &files);

    playback(
        &raw,
        user,
        1,
        (t(2026, 11, 30, 8, 0, 0), t(2026, 11, 30, 8, 0, 4)),
    );
    for r in nvr.rtsp().unwrap().requests() {
        println!(
            "MEASURED RTSP {} {} -> {} range {:?} scale {:?} transport {:?}",
            r.method, r.uri, r.status, r.range, r.scale, r.transport
        );
    }
}
