//! End to end through the mock's C ABI: log into the default scenario's PTZ dome, preview the
//! main and the sub stream with a data callback, and check what arrives:
//!
//! - the first callback is `NET_DVR_SYSHEAD` with the 40-byte "IMKH" header;
//! - then `NET_DVR_STREAMDATA` packets, the clip embedded in the mock, in order;
//! - `ffprobe` identifies the concatenated payload as MPEG-PS with H.264 of the right size;
//! - and `NET_DVR_CaptureJPEGPicture_NEW` returns a JPEG that ffprobe decodes as 704x576.
//!
//! Without `ffprobe` the ffprobe step is skipped with a message, unless `CI` is set (CI
//! installs ffmpeg), where that is a failure.
//!
//! One test function on purpose: Init/Cleanup are process-wide.

use hcnetsdk_test_support::mock;

use std::ffi::c_void;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use hcnetsdk_sys::text;
use hcnetsdk_sys::*;

/// The default scenario's PTZ dome (mock-sdk/README.md).
const DOME_ADDR: &str = "192.0.2.10";
const DOME_PORT: u16 = 8000;
const DOME_USER: &str = "admin";
const DOME_PASSWORD: &str = "Admin12345";

/// The clips the mock streams (mock-sdk/src/media/README.md).
const MAIN_PS: &[u8] = include_bytes!("../src/media/main.ps");
const SUB_PS: &[u8] = include_bytes!("../src/media/sub.ps");

/// How much stream to collect: about 2 s of each clip at its average bitrate (8 s per clip).
const MAIN_WANT: usize = MAIN_PS.len() / 4;
const SUB_WANT: usize = SUB_PS.len() / 4;
/// Upper bound on the wait, so a mock that stalls fails instead of hanging.
const DEADLINE: Duration = Duration::from_secs(20);

/// What one preview's callback saw. A `static`, so a callback that (wrongly) ran after
/// `NET_DVR_StopRealPlay` could never touch freed memory.
struct Collector {
    packets: Mutex<Vec<(i32, u32, Vec<u8>)>>,
    threads: Mutex<Vec<ThreadId>>,
}

impl Collector {
    const fn new() -> Self {
        Collector {
            packets: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
        }
    }

    fn payload_bytes(&self) -> usize {
        let packets = self.packets.lock().unwrap_or_else(|e| e.into_inner());
        packets
            .iter()
            .filter(|p| p.1 == NET_DVR_STREAMDATA)
            .map(|p| p.2.len())
            .sum()
    }
}

static MAIN: Collector = Collector::new();
static SUB: Collector = Collector::new();

/// REALDATACALLBACK. Must not panic (it runs on a mock thread across the C ABI).
unsafe extern "system" fn on_data(
    handle: LONG,
    kind: DWORD,
    buf: *mut BYTE,
    len: DWORD,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `&'static Collector` passed to NET_DVR_RealPlay_V40 below.
    let collector = unsafe { &*(user as *const Collector) };
    let data = if buf.is_null() || len == 0 {
        Vec::new()
    } else {
        // SAFETY: the SDK contract: `buf` points to `len` readable bytes for the duration of
        // the callback.
        unsafe { std::slice::from_raw_parts(buf, len as usize) }.to_vec()
    };
    if let Ok(mut p) = collector.packets.lock() {
        p.push((handle, kind, data));
    }
    if let Ok(mut t) = collector.threads.lock() {
        let me = std::thread::current().id();
        if !t.contains(&me) {
            t.push(me);
        }
    }
}

#[test]
fn preview_stream_is_imkh_header_then_mpeg_ps_h264() {
    let lib = Library::load_file(&mock::mock_lib_path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(lib.is_mock(), "{} is not the mock", lib.path().display());

    let init = sym!(lib, NET_DVR_Init).unwrap();
    let cleanup = sym!(lib, NET_DVR_Cleanup).unwrap();
    let last_error = sym!(lib, NET_DVR_GetLastError).unwrap();
    let login = sym!(lib, NET_DVR_Login_V40).unwrap();
    let logout = sym!(lib, NET_DVR_Logout).unwrap();
    let real_play = sym!(lib, NET_DVR_RealPlay_V40).unwrap();
    let stop = sym!(lib, NET_DVR_StopRealPlay).unwrap();

    // SAFETY: argument-less call; Init comes first.
    assert_eq!(unsafe { init() }, TRUE, "NET_DVR_Init failed");

    let mut info = NET_DVR_USER_LOGIN_INFO {
        sDeviceAddress: text::field(DOME_ADDR.as_bytes()).unwrap(),
        wPort: DOME_PORT,
        sUserName: text::field(DOME_USER.as_bytes()).unwrap(),
        sPassword: text::field(DOME_PASSWORD.as_bytes()).unwrap(),
        bUseAsynLogin: FALSE,
        ..Default::default()
    };
    let mut device = NET_DVR_DEVICEINFO_V40::default();
    // SAFETY: both pointers are to live, initialised structs of the declared types; a
    // synchronous login (bUseAsynLogin = 0) does not keep them.
    let user = unsafe { login(&raw mut info, &raw mut device) };
    assert!(
        user >= 0,
        "Login_V40 to the dome failed with {}",
        err(last_error)
    );

    let main = preview(real_play, stop, last_error, user, 0, &MAIN, MAIN_WANT);
    let sub = preview(real_play, stop, last_error, user, 1, &SUB, SUB_WANT);

    let capture = sym!(lib, NET_DVR_CaptureJPEGPicture_NEW).unwrap();
    let mut para = NET_DVR_JPEGPARA {
        wPicSize: 0xFF,
        wPicQuality: 0,
    };
    let mut jpeg = vec![0u8; 1 << 20];
    let mut size: DWORD = 0;
    // SAFETY: a buffer of the stated size and a DWORD for the size.
    let r = unsafe {
        capture(
            user,
            1,
            &raw mut para,
            jpeg.as_mut_ptr().cast(),
            jpeg.len() as DWORD,
            &raw mut size,
        )
    };
    assert_eq!(
        r,
        TRUE,
        "CaptureJPEGPicture_NEW failed with {}",
        err(last_error)
    );
    jpeg.truncate(size as usize);

    // SAFETY: `user` came from Login_V40; Cleanup is last.
    unsafe {
        assert_eq!(
            logout(user),
            TRUE,
            "NET_DVR_Logout failed with {}",
            last_error()
        );
        assert_eq!(
            cleanup(),
            TRUE,
            "NET_DVR_Cleanup failed with {}",
            last_error()
        );
    }

    check_is_the_clip(&main, MAIN_PS, "main");
    check_is_the_clip(&sub, SUB_PS, "sub");
    ffprobe_check(&main, "main", (640, 360));
    ffprobe_check(&sub, "sub", (320, 180));
    if let Some(report) = ffprobe_file(&jpeg, "snapshot.jpg") {
        for line in ["codec_name=mjpeg", "width=704", "height=576"] {
            assert!(
                report.lines().any(|l| l == line),
                "snapshot: no {line} in\n{report}"
            );
        }
    }
}

/// ffprobe's report on `bytes` written to a file called `name`; None (with a message) when
/// ffprobe is not installed and `CI` is not set.
fn ffprobe_file(bytes: &[u8], name: &str) -> Option<String> {
    if Command::new("ffprobe").arg("-version").output().is_err() {
        let msg = "ffprobe is not installed (apt-get install ffmpeg)";
        assert!(
            std::env::var_os("CI").is_none(),
            "{msg}; CI is set, so this is a failure"
        );
        eprintln!("skipped the ffprobe check of {name}: {msg}");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-ffprobe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let report = ffprobe(&file);
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir(&dir);
    Some(report)
}

type RealPlayFn =
    unsafe extern "system" fn(LONG, LPNET_DVR_PREVIEWINFO, REALDATACALLBACK, *mut c_void) -> LONG;
type StopFn = unsafe extern "system" fn(LONG) -> BOOL;
type LastErrorFn = unsafe extern "system" fn() -> DWORD;

/// NET_DVR_GetLastError of this thread.
fn err(last_error: LastErrorFn) -> DWORD {
    // SAFETY: argument-less call; the mock is initialised while the test uses it.
    unsafe { last_error() }
}

/// Previews channel 1 with `stream_type` (0 main, 1 sub) until `want` payload bytes arrived,
/// stops, checks the packet sequence and returns the concatenated stream payload.
fn preview(
    real_play: RealPlayFn,
    stop: StopFn,
    last_error: LastErrorFn,
    user: LONG,
    stream_type: DWORD,
    collector: &'static Collector,
    want: usize,
) -> Vec<u8> {
    let mut preview = NET_DVR_PREVIEWINFO {
        lChannel: 1,
        dwStreamType: stream_type,
        dwLinkMode: 0,
        bBlocked: 1,
        ..Default::default()
    };
    let started = Instant::now();
    // SAFETY: `preview` is a live NET_DVR_PREVIEWINFO; `on_data` matches REALDATACALLBACK and
    // `collector` is 'static, so it outlives every callback.
    let handle = unsafe {
        real_play(
            user,
            &raw mut preview,
            Some(on_data),
            (collector as *const Collector).cast_mut().cast(),
        )
    };
    assert!(
        handle >= 0,
        "RealPlay_V40 (stream type {stream_type}) failed with {}",
        err(last_error)
    );

    while collector.payload_bytes() < want && started.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    // SAFETY: `handle` came from RealPlay_V40 and is stopped once.
    let stopped = unsafe { stop(handle) };
    assert_eq!(
        stopped,
        TRUE,
        "StopRealPlay failed with {}",
        err(last_error)
    );

    let packets = std::mem::take(&mut *collector.packets.lock().unwrap());
    let threads = collector.threads.lock().unwrap().clone();
    let payload: Vec<u8> = packets
        .iter()
        .filter(|p| p.1 == NET_DVR_STREAMDATA)
        .flat_map(|p| p.2.iter().copied())
        .collect();
    println!(
        "stream type {stream_type}: {} callbacks, {} payload bytes in {elapsed:.2?}",
        packets.len(),
        payload.len()
    );
    assert!(
        payload.len() >= want,
        "only {} of {want} payload bytes within {DEADLINE:?}",
        payload.len()
    );

    let (_, first_kind, first) = &packets[0];
    assert_eq!(
        *first_kind, NET_DVR_SYSHEAD,
        "the first callback is not the system header"
    );
    assert_eq!(first.len(), 40, "system header length");
    assert_eq!(&first[..4], b"IMKH", "system header magic");
    assert_eq!(
        u16::from_le_bytes([first[8], first[9]]),
        2,
        "system header: system format is not PS"
    );
    assert_eq!(
        u16::from_le_bytes([first[10], first[11]]),
        0x0100,
        "system header: video is not H.264"
    );
    for (n, (h, kind, data)) in packets.iter().enumerate() {
        assert_eq!(
            *h, handle,
            "callback {n} does not carry the RealPlay handle"
        );
        if n > 0 {
            assert_eq!(
                *kind, NET_DVR_STREAMDATA,
                "callback {n} has data type {kind}"
            );
            assert!(!data.is_empty(), "callback {n} is empty");
        }
    }
    assert!(
        !threads.contains(&std::thread::current().id()),
        "the data callback ran on the caller's thread, not a mock thread"
    );
    payload
}

/// The payload is the embedded clip, played in a loop from one of its pack boundaries.
fn check_is_the_clip(payload: &[u8], clip: &[u8], what: &str) {
    assert!(
        payload.starts_with(&[0, 0, 1, 0xBA]),
        "{what}: payload does not start with a pack header"
    );
    let probe = &payload[..payload.len().min(64)];
    let start = clip
        .windows(probe.len())
        .position(|w| w == probe)
        .unwrap_or_else(|| panic!("{what}: the payload's first bytes are not from the clip"));
    let looped = clip[start..].iter().chain(clip.iter().cycle());
    let same = payload
        .iter()
        .zip(looped)
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        same,
        payload.len(),
        "{what}: payload differs from the looped clip at byte {same}"
    );
}

fn ffprobe_check(payload: &[u8], what: &str, (width, height): (u32, u32)) {
    if Command::new("ffprobe").arg("-version").output().is_err() {
        let msg = "ffprobe is not installed (apt-get install ffmpeg)";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}; CI is set, so this is a failure");
        }
        eprintln!("skipped the ffprobe check of the {what} stream: {msg}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("hcnetsdk-mock-ffprobe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{what}.ps"));
    std::fs::write(&file, payload).unwrap();
    let report = ffprobe(&file);
    println!("ffprobe {what} ({} bytes):\n{report}", payload.len());
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir(&dir);

    let field = |name: &str| -> Vec<&str> {
        report
            .lines()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix('='))
            .collect()
    };
    let formats = field("format_name");
    assert!(
        formats.iter().any(|f| f.split(',').any(|f| f == "mpeg")),
        "{what}: format is {formats:?}"
    );
    assert_eq!(field("codec_name"), ["h264"], "{what}: streams");
    assert_eq!(field("width"), [width.to_string()], "{what}: width");
    assert_eq!(field("height"), [height.to_string()], "{what}: height");
}

fn ffprobe(file: &Path) -> String {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=format_name:stream=codec_type,codec_name,width,height",
        ])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(file)
        .output()
        .expect("failed to run ffprobe");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ffprobe failed on {}: {stderr}",
        file.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
