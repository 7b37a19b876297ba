//! Real-SDK tier: the vendor's own player judges the mock's streams.
//!
//! Each stream the mock hands its data callback (H.264 and H.265, main and sub, without
//! audio and with G.711µ, G.711A and AAC) is collected through `NET_DVR_RealPlay_V40`
//! and fed, callback by callback, into `libPlayCtrl.so` from the real SDK's wheel (found
//! in or near `HCNETSDK_LIB_DIR`), opened with the stream's IMKH header. The player must
//! decode video frames of the stream's size, and audio frames where there is audio.
//! See `shared/reference/real-sdk-isapi.md` ("The vendor player").
//!
//! Runs only when `HCNETSDK_LIB_DIR` is set (`.ci/real-sdk.d/playctrl.sh`), like the
//! other real-SDK tests; it needs no network, and CI runs it in a loopback-only namespace.

#[macro_use]
mod support;

use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk_sys::*;
use support::*;

// ---- our own declarations of the few PlayM4 functions used (LONG is 32-bit on Linux) ----

/// The decode callback's frame description.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
struct FrameInfo {
    width: i32,
    height: i32,
    stamp: i32,
    kind: i32,
    frame_rate: i32,
    frame_num: u32,
}

/// `FrameInfo::kind` of a YV12 video frame.
const T_YV12: i32 = 3;
/// `FrameInfo::kind` of a 16-bit PCM audio frame.
const T_AUDIO16: i32 = 101;

type DecodeCb = unsafe extern "C" fn(
    port: i32,
    buf: *mut c_char,
    size: i32,
    info: *mut FrameInfo,
    user: *mut c_void,
    reserved: i32,
);

struct PlayM4 {
    _lib: libloading::Library,
    get_port: unsafe extern "C" fn(*mut i32) -> i32,
    free_port: unsafe extern "C" fn(i32) -> i32,
    set_stream_open_mode: unsafe extern "C" fn(i32, u32) -> i32,
    open_stream: unsafe extern "C" fn(i32, *mut u8, u32, u32) -> i32,
    close_stream: unsafe extern "C" fn(i32) -> i32,
    set_dec_callback:
        unsafe extern "C" fn(i32, Option<DecodeCb>, *mut c_char, i32, *mut c_void) -> i32,
    play: unsafe extern "C" fn(i32, usize) -> i32,
    stop: unsafe extern "C" fn(i32) -> i32,
    play_sound: unsafe extern "C" fn(i32) -> i32,
    input_data: unsafe extern "C" fn(i32, *mut u8, u32) -> i32,
    last_error: unsafe extern "C" fn(i32) -> u32,
}

impl PlayM4 {
    fn load(path: &Path) -> PlayM4 {
        // SAFETY: loading the vendor player runs its initialisers; it is the library under
        // test, from the wheel the real-SDK tier uses.
        let lib = unsafe { libloading::Library::new(path) }
            .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
        macro_rules! sym {
            ($name:literal) => {
                // SAFETY: the type is our declaration of that export.
                *unsafe { lib.get(concat!($name, "\0").as_bytes()) }
                    .unwrap_or_else(|e| panic!("{}: {e}", $name))
            };
        }
        PlayM4 {
            get_port: sym!("PlayM4_GetPort"),
            free_port: sym!("PlayM4_FreePort"),
            set_stream_open_mode: sym!("PlayM4_SetStreamOpenMode"),
            open_stream: sym!("PlayM4_OpenStream"),
            close_stream: sym!("PlayM4_CloseStream"),
            set_dec_callback: sym!("PlayM4_SetDecCallBackExMend"),
            play: sym!("PlayM4_Play"),
            stop: sym!("PlayM4_Stop"),
            play_sound: sym!("PlayM4_PlaySound"),
            input_data: sym!("PlayM4_InputData"),
            last_error: sym!("PlayM4_GetLastError"),
            _lib: lib,
        }
    }
}

/// What the player decoded, per port.
#[derive(Debug, Default, Clone)]
struct Decoded {
    video: usize,
    audio: usize,
    other: usize,
    sizes: Vec<(i32, i32)>,
}

static DECODED: Mutex<Option<HashMap<i32, Decoded>>> = Mutex::new(None);

unsafe extern "C" fn on_decoded(
    port: i32,
    _buf: *mut c_char,
    _size: i32,
    info: *mut FrameInfo,
    _user: *mut c_void,
    _reserved: i32,
) {
    if info.is_null() {
        return;
    }
    // SAFETY: the player passes a valid FRAME_INFO for the duration of the call.
    let info = unsafe { *info };
    let Ok(mut map) = DECODED.lock() else { return };
    let d = map
        .get_or_insert_with(HashMap::new)
        .entry(port)
        .or_default();
    match info.kind {
        T_YV12 => {
            d.video += 1;
            if !d.sizes.contains(&(info.width, info.height)) {
                d.sizes.push((info.width, info.height));
            }
        }
        T_AUDIO16 => d.audio += 1,
        _ => d.other += 1,
    }
}

// ---- collecting the mock's streams ------------------------------------------------------

/// One preview's callbacks: (type, bytes).
#[derive(Default)]
struct Sink {
    packets: Mutex<Vec<(u32, Vec<u8>)>>,
    frames: AtomicUsize,
}

unsafe extern "system" fn on_data(
    _h: LONG,
    kind: DWORD,
    buf: *mut BYTE,
    len: DWORD,
    p: *mut c_void,
) {
    // SAFETY: a `Sink` kept alive by `user_ptr`.
    let sink = unsafe { &*(p as *const Sink) };
    let data = if buf.is_null() {
        Vec::new()
    } else {
        // SAFETY: the mock passes `len` readable bytes.
        unsafe { std::slice::from_raw_parts(buf, len as usize) }.to_vec()
    };
    if data.starts_with(&[0, 0, 1, 0xba]) {
        sink.frames.fetch_add(1, Ordering::SeqCst);
    }
    if let Ok(mut v) = sink.packets.lock() {
        v.push((kind, data));
    }
}

/// A stream to judge.
struct Case {
    name: String,
    sub: bool,
    audio: bool,
    packets: Vec<(u32, Vec<u8>)>,
}

/// Frames collected per stream: two loops of the 50-frame clip.
const FRAMES: usize = 100;

fn collect(video: &str, audio: &str, sub: bool) -> Case {
    let dev = env().ctl.add_test_device(&format!(
        "pacing = \"fast\"\nvideo_codec = \"{video}\"\naudio_codec = \"{audio}\""
    ));
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = realplay(id, 1, u32::from(sub), Some(on_data), user_ptr(&sink)).expect("RealPlay");
    assert!(wait_for(Duration::from_secs(10), || sink
        .frames
        .load(Ordering::SeqCst)
        > FRAMES));
    assert!(stop(h));
    assert!(logout(id));
    let mut packets = std::mem::take(&mut *sink.packets.lock().unwrap());
    // Up to the first pack header after FRAMES frames.
    let mut frames = 0;
    packets.retain(|p| {
        frames += usize::from(p.1.starts_with(&[0, 0, 1, 0xba]));
        frames <= FRAMES
    });
    let stream = if sub { "sub" } else { "main" };
    Case {
        name: format!("{video}+{audio} {stream}"),
        sub,
        audio: audio != "none",
        packets,
    }
}

/// The folder holding `libPlayCtrl.so`: `dir`, or a folder at most two levels above or
/// below it.
fn find_playctrl(dir: &Path) -> Option<PathBuf> {
    let mut roots = vec![dir.to_path_buf()];
    roots.extend(dir.ancestors().skip(1).take(2).map(Path::to_path_buf));
    for root in roots {
        let mut stack = vec![(root, 0)];
        while let Some((d, depth)) = stack.pop() {
            if d.join("libPlayCtrl.so").is_file() {
                return Some(d);
            }
            if depth < 2
                && let Ok(rd) = std::fs::read_dir(&d)
            {
                stack.extend(
                    rd.flatten()
                        .map(|e| (e.path(), depth + 1))
                        .filter(|p| p.0.is_dir()),
                );
            }
        }
    }
    None
}

// ---- the test ----------------------------------------------------------------------------

/// Feed one stream into an open port, retrying while the player's buffer is full.
fn feed(pm: &PlayM4, port: i32, packets: &[(u32, Vec<u8>)]) {
    for (_, data) in packets.iter().filter(|p| p.0 == NET_DVR_STREAMDATA) {
        let mut data = data.clone();
        let t = Instant::now();
        // SAFETY: `data` is a live buffer of the stated length.
        while unsafe { (pm.input_data)(port, data.as_mut_ptr(), data.len() as u32) } == 0 {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "InputData stays full"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Open a port for `case` and play it; returns the port.
fn open(pm: &PlayM4, case: &Case) -> i32 {
    let (kind, header) = &case.packets[0];
    assert_eq!(*kind, NET_DVR_SYSHEAD, "{}: first callback", case.name);
    let mut header = header.clone();
    let mut port = -1;
    // SAFETY: our declarations of the player's calls, with live arguments.
    unsafe {
        assert_eq!((pm.get_port)(&mut port), 1, "PlayM4_GetPort");
        // Ports are reused once freed: start this one's count afresh.
        if let Some(m) = DECODED.lock().unwrap().as_mut() {
            m.remove(&port);
        }
        assert_eq!((pm.set_stream_open_mode)(port, 0), 1, "SetStreamOpenMode");
        let opened = (pm.open_stream)(port, header.as_mut_ptr(), 40, 2 << 20);
        assert_eq!(
            opened,
            1,
            "{}: OpenStream: error {}",
            case.name,
            (pm.last_error)(port)
        );
        let cb = (pm.set_dec_callback)(
            port,
            Some(on_decoded),
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
        );
        assert_eq!(cb, 1, "SetDecCallBackExMend");
        assert_eq!(
            (pm.play)(port, 0),
            1,
            "{}: Play: error {}",
            case.name,
            (pm.last_error)(port)
        );
        if case.audio {
            let s = (pm.play_sound)(port);
            println!("{}: PlaySound -> {s}", case.name);
        }
    }
    port
}

fn decoded(port: i32) -> Decoded {
    DECODED
        .lock()
        .unwrap()
        .as_ref()
        .and_then(|m| m.get(&port).cloned())
        .unwrap_or_default()
}

/// Play `cases` at once (each on its own port, fed from its own thread) until every port
/// decoded `enough`, or 20 s; what each port decoded.
fn judge(pm: &PlayM4, cases: &[&Case], enough: impl Fn(&Decoded) -> bool) -> Vec<Decoded> {
    let ports: Vec<i32> = cases.iter().map(|c| open(pm, c)).collect();
    std::thread::scope(|s| {
        for (case, &port) in cases.iter().zip(&ports) {
            s.spawn(move || feed(pm, port, &case.packets));
        }
        // The player decodes at the stream's pace (25 fps).
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) && !ports.iter().all(|&p| enough(&decoded(p))) {
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let results = ports.iter().map(|&p| decoded(p)).collect();
    for &port in &ports {
        // SAFETY: ports opened above, closed once.
        unsafe {
            (pm.stop)(port);
            (pm.close_stream)(port);
            (pm.free_port)(port);
        }
    }
    results
}

#[test]
fn the_vendor_player_decodes_every_mock_stream() {
    let Some(dir) = std::env::var_os("HCNETSDK_LIB_DIR").filter(|d| !d.is_empty()) else {
        eprintln!(
            "skipped: HCNETSDK_LIB_DIR is not set (run `cargo run -p xtask -- fetch-real-sdk`)"
        );
        return;
    };
    let dir = PathBuf::from(dir);
    let player_dir = find_playctrl(&dir)
        .unwrap_or_else(|| panic!("no libPlayCtrl.so in or near {}", dir.display()));

    let mut cases = Vec::new();
    for video in ["h264", "h265"] {
        for sub in [false, true] {
            for audio in ["none", "g711u", "g711a", "aac"] {
                cases.push(collect(video, audio, sub));
            }
        }
    }

    // The player finds its own libraries through its RPATH "./": load it from its folder.
    let cwd = std::env::current_dir().unwrap();
    std::env::set_current_dir(&player_dir).unwrap();
    let pm = PlayM4::load(&player_dir.join("libPlayCtrl.so"));
    // Without audio, all at once, until 90% of the frames are out. The sound output plays
    // one port at a time (the latest PlaySound), so streams with audio go one by one, until
    // half the video and some audio are out.
    let silent: Vec<&Case> = cases.iter().filter(|c| !c.audio).collect();
    let mut results: Vec<(&Case, Decoded)> = silent
        .iter()
        .copied()
        .zip(judge(&pm, &silent, |d| d.video >= FRAMES * 9 / 10))
        .collect();
    for case in cases.iter().filter(|c| c.audio) {
        let d = judge(&pm, &[case], |d| d.video >= FRAMES / 2 && d.audio >= 10);
        results.push((case, d.into_iter().next().unwrap()));
    }
    std::env::set_current_dir(cwd).unwrap();

    let mut failures = Vec::new();
    for (case, d) in &results {
        println!(
            "{:<18} {} callbacks fed: {} video frames {:?}, {} audio frames, {} other",
            case.name,
            case.packets.len() - 1,
            d.video,
            d.sizes,
            d.audio,
            d.other
        );
        let size = if case.sub { (320, 180) } else { (640, 360) };
        if d.video < FRAMES / 2 {
            failures.push(format!("{}: only {} video frames", case.name, d.video));
        }
        if d.sizes != [size] {
            failures.push(format!(
                "{}: frame sizes {:?}, not {size:?}",
                case.name, d.sizes
            ));
        }
        if case.audio != (d.audio > 0) {
            failures.push(format!("{}: {} audio frames", case.name, d.audio));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
