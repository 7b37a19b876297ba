//! Frames from a preview against the mock (its 25 fps H.264 clip, GOP 25, paced in real
//! time): the closure and queue paths, a reconnect flagged as a discontinuity, the
//! latency of a frame (measured and printed; the number quoted in
//! `PreviewBuilder::start_frames`), and (feature `tokio`) the frame `Stream`.

use hcnetsdk_test_support::safe as support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk::DataType;
use hcnetsdk::media::Demuxer;
use hcnetsdk::media::{Codec, Frame};
use support::{Device, Kind, mock};

const WAIT: Duration = Duration::from_secs(10);

/// A PTZ dome of this test alone whose stream is paced in real time (the support module's
/// devices stream as fast as the callback takes it).
fn realtime_dome() -> Device {
    let dev = mock().add_test_device(
        "pacing = \"realtime\"\nkind = \"ipc\"\nmodel = \"DS-2DE4425IW-DE\"\nptz = true\nanalog_channels = 1",
    );
    Device {
        address: dev.address,
        port: dev.port,
        kind: Kind::Dome,
    }
}

#[derive(Debug, Clone)]
struct Seen {
    codec: Codec,
    pts: Option<i64>,
    key: bool,
    disc: bool,
    annexb: bool,
    params: bool,
}

fn seen(f: &Frame<'_>) -> Seen {
    Seen {
        codec: f.codec,
        pts: f.pts,
        key: f.key,
        disc: f.discontinuity,
        annexb: f.data.starts_with(&[0, 0, 1]) || f.data.starts_with(&[0, 0, 0, 1]),
        params: f.params.sps.is_some() && f.params.pps.is_some(),
    }
}

fn wait_for(frames: &Mutex<Vec<Seen>>, n: usize) -> Vec<Seen> {
    let deadline = Instant::now() + WAIT;
    while frames.lock().unwrap().len() < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    frames.lock().unwrap().clone()
}

/// The clip's frames are whole H.264 access units, 3600 ticks apart (ffmpeg's PS muxer gives
/// only some frames a PTS), a keyframe every 25.
fn check_clip_frames(v: &[Seen]) {
    assert!(
        v.iter()
            .all(|f| f.codec == Codec::H264 && f.annexb && f.params),
        "{v:?}"
    );
    assert!(v[0].key, "the stream starts at a keyframe");
    let timed: Vec<(i64, i64)> = (0i64..)
        .zip(v)
        .filter_map(|(i, f)| f.pts.map(|p| (i, p)))
        .collect();
    assert!(timed.len() >= v.len() / 3, "{v:?}");
    for w in timed.windows(2) {
        assert_eq!(w[1].1 - w[0].1, (w[1].0 - w[0].0) * 3600, "{w:?}");
    }
    let keys: Vec<usize> = v
        .iter()
        .enumerate()
        .filter(|(_, f)| f.key)
        .map(|(i, _)| i)
        .collect();
    assert!(
        keys.windows(2).all(|w| w[1] - w[0] == 25),
        "keyframes at {keys:?}"
    );
    assert!(v.iter().all(|f| !f.disc));
}

#[test]
fn start_frames_delivers_whole_access_units() {
    let dev = realtime_dome();
    let session = dev.login();
    let frames = Arc::new(Mutex::new(Vec::new()));
    let f = Arc::clone(&frames);
    let preview = session
        .preview(1)
        .start_frames(move |frame| f.lock().unwrap().push(seen(frame)))
        .unwrap();
    let v = wait_for(&frames, 30);
    preview.stop().unwrap();
    assert!(v.len() >= 30, "only {} frames", v.len());
    check_clip_frames(&v[..30]);
}

#[test]
fn start_frame_queue_delivers_then_ends() {
    let dev = realtime_dome();
    let session = dev.login();
    assert!(session.preview(1).start_frame_queue(0).is_err());
    let (preview, mut rx) = session.preview(1).start_frame_queue(8).unwrap();
    assert_eq!(rx.capacity(), 8);
    let mut v = Vec::new();
    while v.len() < 30 {
        let f = rx.recv_timeout(WAIT).expect("a frame");
        assert_eq!(f.lost_before(), 0);
        assert!(f.is_video());
        assert_eq!(f.frame().data, f.data());
        v.push(seen(&f.frame()));
    }
    check_clip_frames(&v);
    preview.stop().unwrap();
    while rx.recv().is_some() {}
    assert!(rx.is_stopped());
    assert_eq!(rx.lost(), 0);
}

#[test]
fn a_reconnect_flags_the_next_frame() {
    support::sdk()
        .set_reconnect(Some(Duration::from_millis(100)))
        .unwrap();
    let dev = realtime_dome();
    let session = dev.login();
    let frames = Arc::new(Mutex::new(Vec::new()));
    let f = Arc::clone(&frames);
    let preview = session
        .preview(1)
        .start_frames(move |frame| f.lock().unwrap().push(seen(frame)))
        .unwrap();
    let before = wait_for(&frames, 5).len();
    assert!(before >= 5);
    assert!(mock().disconnect_preview(preview.handle()));
    let deadline = Instant::now() + WAIT;
    let disc = loop {
        let v = frames.lock().unwrap().clone();
        if let Some(i) = v.iter().position(|f| f.disc) {
            break (i, v[i].clone());
        }
        assert!(
            Instant::now() < deadline,
            "no discontinuity after the reconnect"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    preview.stop().unwrap();
    assert!(disc.0 >= before, "flagged at {} of {before}", disc.0);
    assert!(disc.1.key, "the clip restarts at a keyframe: {:?}", disc.1);
}

/// Time from a frame's last packet callback to its delivery: the raw packets of a preview
/// through the same demuxer `start_frames` uses, each packet timed on arrival. A video
/// frame is emitted while the packet that starts the next frame is pushed; its last bytes
/// came with the packet before. So the latency is the gap to the next packet (the demuxer
/// adds no wait of its own), which a camera bounds by one frame interval. The mock paces
/// its ffmpeg-made clip pack by pack at the clip's average bitrate, so there the gap is one
/// pack's transmission time.
#[test]
fn frame_latency() {
    let dev = realtime_dome();
    let session = dev.login();
    let lat = Arc::new(Mutex::new((Vec::<Duration>::new(), Vec::<Duration>::new())));
    let l = Arc::clone(&lat);
    let mut demuxer = Demuxer::new();
    let mut prev: Option<Instant> = None;
    let preview = session
        .preview(1)
        .start(move |p| {
            let now = Instant::now();
            if p.kind() == DataType::Stream {
                let mut v = l.lock().unwrap();
                let (frames, gaps) = &mut *v;
                if let Some(t) = prev {
                    gaps.push(now - t);
                }
                demuxer.push(p.data(), |f| {
                    if let (true, Some(t)) = (f.is_video(), prev) {
                        frames.push(Instant::now() - t);
                    }
                });
                prev = Some(now);
            }
        })
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while lat.lock().unwrap().0.len() < 50 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    preview.stop().unwrap();
    let (mut v, mut gaps) = lat.lock().unwrap().clone();
    assert!(v.len() >= 50, "only {} frames", v.len());
    v.sort();
    gaps.sort();
    let (median, max) = (v[v.len() / 2], v[v.len() - 1]);
    let gap = gaps[gaps.len() / 2];
    println!(
        "frame latency over {} frames: median {median:?}, max {max:?}; median gap between packets {gap:?}",
        v.len()
    );
    assert!(
        median <= gap + Duration::from_millis(5),
        "a frame waits longer than the next packet: median {median:?}, packet gap {gap:?}"
    );
}

#[cfg(feature = "tokio")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_as_a_stream() {
    use futures_core::Stream;
    use std::pin::Pin;
    let dev = realtime_dome();
    let session = dev.login();
    let (preview, mut rx) = session.preview(1).start_frame_queue(8).unwrap();
    let mut v = Vec::new();
    while v.len() < 30 {
        let next = std::future::poll_fn(|cx| Pin::new(&mut rx).poll_next(cx));
        let f = tokio::time::timeout(WAIT, next)
            .await
            .expect("in time")
            .expect("a frame");
        v.push(seen(&f.frame()));
    }
    check_clip_frames(&v);
    preview.stop().unwrap();
    loop {
        let next = std::future::poll_fn(|cx| Pin::new(&mut rx).poll_next(cx));
        if tokio::time::timeout(WAIT, next)
            .await
            .expect("ends in time")
            .is_none()
        {
            break;
        }
    }
}
