//! Every stream the mock can send, read back by `hcnetsdk_media::Demuxer` through the C ABI:
//! each codec pair on the main and the sub stream, and the native-camera shape options
//! (system headers, private 0xBD packets holding start codes, large PES). Checks the
//! codecs, the frame counts, the keyframes (every 25th frame), that time stamps run on
//! across the clip's loops, and that `NET_DVR_SaveRealData` writes the very same stream.

#[macro_use]
mod support;

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hcnetsdk_media::{Codec, Demuxer, Frame, MediaInfo};
use hcnetsdk_sys::*;
use support::*;

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
    // SAFETY: the mock passes `len` readable bytes (the tests inject no NULL packets).
    let data = unsafe { std::slice::from_raw_parts(buf, len as usize) }.to_vec();
    if data.starts_with(&[0, 0, 1, 0xba]) {
        sink.frames.fetch_add(1, Ordering::SeqCst);
    }
    sink.packets.lock().unwrap().push((kind, data));
}

/// Video frames to collect: three loops of the 50-frame clip.
const FRAMES: usize = 150;

/// Preview a fresh device with `options` until more than FRAMES frames began; the
/// callbacks (the first is the header), cut before frame FRAMES + 1.
fn collect(options: &str, sub: bool) -> Vec<(u32, Vec<u8>)> {
    let dev = env()
        .ctl
        .add_test_device(&format!("pacing = \"fast\"\n{options}"));
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = realplay(id, 1, u32::from(sub), Some(on_data), user_ptr(&sink)).unwrap();
    assert!(wait_for(Duration::from_secs(20), || sink
        .frames
        .load(Ordering::SeqCst)
        > FRAMES + 1));
    assert!(stop(h));
    assert!(logout(id));
    let mut packets = std::mem::take(&mut *sink.packets.lock().unwrap());
    let mut frames = 0;
    packets.retain(|p| {
        frames += usize::from(p.1.starts_with(&[0, 0, 1, 0xba]));
        frames <= FRAMES
    });
    packets
}

/// What a demuxer reads: (codec, pts, key) of each video frame, (codec, pts) of each audio.
type Read = (Vec<(Codec, i64, bool)>, Vec<(Codec, i64)>);

fn demux(bytes: &[&[u8]]) -> Read {
    let (mut video, mut audio) = (Vec::new(), Vec::new());
    let mut on = |f: &Frame<'_>| {
        if f.is_video() {
            video.push((f.codec, f.pts.unwrap(), f.key));
        } else {
            audio.push((f.codec, f.pts.unwrap()));
        }
    };
    let mut d = Demuxer::new();
    for b in bytes {
        d.push(b, &mut on);
    }
    d.finish(&mut on);
    (video, audio)
}

fn check(options: &str, sub: bool, video: Codec, audio: Option<(Codec, u32)>) {
    let what = format!("{options:?} sub={sub}");
    let packets = collect(options, sub);
    assert_eq!(packets[0].0, NET_DVR_SYSHEAD, "{what}");
    let info = MediaInfo::parse(&packets[0].1).expect("IMKH header");
    assert_eq!(info.video, video, "{what}: header video");
    assert_eq!(info.audio, audio.map(|a| a.0), "{what}: header audio");
    let bytes: Vec<&[u8]> = packets.iter().map(|p| &p.1[..]).collect();
    let (v, a) = demux(&bytes);
    assert_eq!(v.len(), FRAMES, "{what}: video frames");
    let pts0 = v[0].1;
    for (n, (codec, pts, key)) in v.iter().enumerate() {
        assert_eq!(*codec, video, "{what}: frame {n}");
        assert_eq!(*key, n % 25 == 0, "{what}: frame {n} key");
        assert_eq!(*pts, pts0 + n as i64 * 3600, "{what}: frame {n} pts");
    }
    match audio {
        None => assert!(a.is_empty(), "{what}: {} audio frames", a.len()),
        Some((codec, per_loop)) => {
            // Three loops of audio, less what comes after the last video frame collected.
            let want = 3 * per_loop as usize;
            assert!(
                (want - 2..=want).contains(&a.len()),
                "{what}: {} audio frames",
                a.len()
            );
            assert!(a.iter().all(|f| f.0 == codec), "{what}: audio codec");
            assert!(a.windows(2).all(|w| w[1].1 > w[0].1), "{what}: audio pts");
        }
    }
}

#[test]
fn every_codec_pair_on_main_and_sub() {
    let audios = [
        ("none", None),
        ("g711u", Some((Codec::G711U, 50))),
        ("g711a", Some((Codec::G711A, 50))),
        ("aac", Some((Codec::Aac, 32))),
    ];
    for (vname, video) in [("h264", Codec::H264), ("h265", Codec::H265)] {
        for (aname, audio) in audios {
            for sub in [false, true] {
                let o = format!("video_codec = \"{vname}\"\naudio_codec = \"{aname}\"");
                check(&o, sub, video, audio);
            }
        }
    }
}

#[test]
fn sub_stream_codecs_of_their_own() {
    let o = "video_codec = \"h265\"\naudio_codec = \"aac\"\n\
             sub_video_codec = \"h264\"\nsub_audio_codec = \"none\"";
    check(o, false, Codec::H265, Some((Codec::Aac, 32)));
    check(o, true, Codec::H264, None);
}

#[test]
fn native_camera_shapes() {
    let o = "video_codec = \"h265\"\naudio_codec = \"g711a\"\nsystem_header = true\n\
             private_packets = true\nmax_pes_payload = 65000";
    check(o, false, Codec::H265, Some((Codec::G711A, 50)));
    let packets = collect(o, false);
    let with = |pat: [u8; 4]| {
        packets
            .iter()
            .filter(|p| p.1.windows(4).any(|w| w == pat))
            .count()
    };
    assert!(with([0, 0, 1, 0xbb]) >= 6, "system headers at keyframes");
    assert!(with([0, 0, 1, 0xbd]) >= 30, "private packets");
    assert!(packets.iter().any(|p| p.1.len() > 6000), "large PES");
    check("system_header = true", true, Codec::H264, None);
    check("private_packets = true", true, Codec::H264, None);
}

#[test]
fn save_real_data_writes_the_callback_stream() {
    let dev = env()
        .ctl
        .add_test_device("video_codec = \"h265\"\naudio_codec = \"g711u\"");
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = realplay(id, 1, 0, Some(on_data), user_ptr(&sink)).unwrap();
    assert!(wait_for(Duration::from_secs(5), || sink
        .frames
        .load(Ordering::SeqCst)
        > 2));
    let path = std::env::temp_dir().join(format!("hcnetsdk-mock-demux-{}.ps", std::process::id()));
    let p = cstring(&path.display().to_string());
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SaveRealData)(h, p.as_ptr().cast_mut()) }).unwrap();
    let n = sink.frames.load(Ordering::SeqCst);
    assert!(wait_for(Duration::from_secs(10), || sink
        .frames
        .load(Ordering::SeqCst)
        > n + 30));
    // SAFETY: plain value.
    ok(unsafe { f!(NET_DVR_StopSaveRealData)(h) }).unwrap();
    assert!(stop(h));
    assert!(logout(id));
    let file = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let packets = sink.packets.lock().unwrap();
    // The header the callback got, then a run of the very callbacks' bytes.
    assert_eq!(
        file[..40],
        packets[0].1[..],
        "the file starts with the IMKH header"
    );
    let body = &file[40..];
    let first = packets
        .iter()
        .position(|p| p.0 == NET_DVR_STREAMDATA && body.starts_with(&p.1))
        .expect("the file's data starts with a callback's bytes");
    let mut at = 0;
    for p in &packets[first..] {
        if at == body.len() {
            break;
        }
        assert!(
            body[at..].starts_with(&p.1),
            "the file differs at byte {}",
            40 + at
        );
        at += p.1.len();
    }
    assert_eq!(at, body.len(), "the file has bytes no callback had");
    let (v, a) = demux(&[&file]);
    assert!(v.len() >= 30 && v.iter().all(|f| f.0 == Codec::H265));
    assert!(!a.is_empty() && a.iter().all(|f| f.0 == Codec::G711U));
}
