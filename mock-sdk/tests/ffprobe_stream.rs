//! End to end through the mock's C ABI: log into the default scenario's PTZ dome (H.264, no
//! audio) and its H.265 camera (H.265 with G.711µ), preview the main and the sub stream with
//! a data callback, and check what arrives:
//!
//! - the first callback is `NET_DVR_SYSHEAD` with the 40-byte "IMKH" header naming the
//!   device's codecs;
//! - then `NET_DVR_STREAMDATA` packets, camera-shaped: each one PES packet, a frame's first
//!   with the pack header in front;
//! - `ffprobe` identifies the concatenated payload as MPEG-PS with the video on stream 0x1e0
//!   (h264 or hevc, of the right size) and the audio stream;
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

/// The default scenario's H.265 camera with G.711µ audio.
const H265_ADDR: &str = "192.0.2.12";

/// How much stream to collect: more than one GOP (1 s) of each clip
/// (device/src/media/README.md gives their rates).
const MAIN_WANT: usize = 40_000;
const SUB_WANT: usize = 14_000;
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
static MAIN_265: Collector = Collector::new();
static SUB_265: Collector = Collector::new();

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
fn preview_stream_is_imkh_header_then_camera_shaped_ps() {
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
    info.sDeviceAddress = text::field(H265_ADDR.as_bytes()).unwrap();
    // SAFETY: as above.
    let user_265 = unsafe { login(&raw mut info, &raw mut device) };
    assert!(user_265 >= 0, "Login_V40 failed with {}", err(last_error));

    let h264 = (0x0100, 0);
    let h265 = (0x0005, 0x7110);
    let p = |user, stream, c, want, codecs| {
        preview(real_play, stop, last_error, user, stream, c, want, codecs)
    };
    let main = p(user, 0, &MAIN, MAIN_WANT, h264);
    let sub = p(user, 1, &SUB, SUB_WANT, h264);
    let main_265 = p(user_265, 0, &MAIN_265, MAIN_WANT, h265);
    let sub_265 = p(user_265, 1, &SUB_265, SUB_WANT, h265);

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
        assert_eq!(logout(user_265), TRUE);
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

    ffprobe_check(&main, "main", "h264", false, (640, 360));
    ffprobe_check(&sub, "sub", "h264", false, (320, 180));
    ffprobe_check(&main_265, "main-265", "hevc", true, (640, 360));
    ffprobe_check(&sub_265, "sub-265", "hevc", true, (320, 180));
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
/// stops, checks the packet sequence and the header's (video, audio) formats, and returns
/// the concatenated stream payload.
#[allow(clippy::too_many_arguments)]
fn preview(
    real_play: RealPlayFn,
    stop: StopFn,
    last_error: LastErrorFn,
    user: LONG,
    stream_type: DWORD,
    collector: &'static Collector,
    want: usize,
    (video, audio): (u16, u16),
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
        video,
        "system header: video format"
    );
    assert_eq!(
        u16::from_le_bytes([first[12], first[13]]),
        audio,
        "system header: audio format"
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
            check_one_pes(data, n);
        }
    }
    assert!(
        !threads.contains(&std::thread::current().id()),
        "the data callback ran on the caller's thread, not a mock thread"
    );
    payload
}

/// A type-2 callback is one PES packet (0xE0 video, 0xC0 audio), behind a pack header
/// (and the PSM at keyframes) when it starts a video frame.
fn check_one_pes(data: &[u8], n: usize) {
    let mut at = 0;
    if data.starts_with(&[0, 0, 1, 0xBA]) {
        at = 14 + usize::from(data[13] & 7);
        if data[at..].starts_with(&[0, 0, 1, 0xBC]) {
            at += 6 + usize::from(u16::from_be_bytes([data[at + 4], data[at + 5]]));
        }
    }
    let pes = &data[at..];
    assert!(
        pes.len() >= 9 && pes[..3] == [0, 0, 1] && matches!(pes[3], 0xE0 | 0xC0),
        "callback {n}: {:02x?}",
        &data[..data.len().min(32)]
    );
    let len = 6 + usize::from(u16::from_be_bytes([pes[4], pes[5]]));
    assert_eq!(len, pes.len(), "callback {n} is not exactly one PES packet");
}

fn ffprobe_check(
    payload: &[u8],
    what: &str,
    video: &str,
    audio: bool,
    (width, height): (u32, u32),
) {
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
    // One entry per stream: (id, type, codec). ffmpeg's PS demuxer (5.1) does not map the
    // PSM's G.711 stream types and names 0xC0 "mp2" whatever it holds, so the audio stream
    // is checked by its id and type only.
    let ids = field("id");
    let types = field("codec_type");
    let codecs = field("codec_name");
    let mut streams: Vec<(&str, &str, &str)> = (0..ids.len().min(types.len()).min(codecs.len()))
        .map(|i| {
            let codec = if types[i] == "audio" { "*" } else { codecs[i] };
            (ids[i], types[i], codec)
        })
        .collect();
    streams.sort();
    let mut want = vec![("0x1e0", "video", video)];
    if audio {
        want.push(("0x1c0", "audio", "*"));
    }
    want.sort();
    assert_eq!(streams, want, "{what}: streams (id, type, codec)");
    assert_eq!(field("width"), [width.to_string()], "{what}: width");
    assert_eq!(field("height"), [height.to_string()], "{what}: height");
}

fn ffprobe(file: &Path) -> String {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=format_name:stream=id,codec_type,codec_name,width,height",
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
