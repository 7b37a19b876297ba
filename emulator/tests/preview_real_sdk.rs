//! The real HCNetSDK previews from the emulator: it logs into the HTTP face (ISAPI login
//! mode) through the safe layer, reads `adminAccesses` for the RTSP port, and streams from
//! the RTSP face, which serves the mock's clips. The assertions are on what users see: the
//! type-1 IMKH header, the type-2 PS packets in the camera's shape, and, after
//! `hcnetsdk-media`'s demuxer, the frame count and picture size. Then the link modes, the
//! credentials the SDK sends in clear, and its reconnect after a drop (findings in
//! emulator/README.md, "The real SDK previews").
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as the real-SDK
//! tier does (`.ci/real-sdk.d/emulator-preview.sh`):
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test preview_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test preview_real_sdk -- --nocapture --test-threads=1'
//! ```

mod http_fixture;
mod rtsp_common;

mod real_sdk_common;
use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use real_sdk_common::shared;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk::{EventKind, LinkMode, LoginMode, Sdk, Session};
use hcnetsdk_emulator::http::HttpFace;
use hcnetsdk_emulator::rtsp::{AuthMode, Credentials, RtspConfig, RtspServer};
use hcnetsdk_media::{Codec, MediaInfo, StreamMap, SystemFormat};
use http_fixture::{Fixture, PASSWORD, USER};
use rtsp_common::Audio;

/// How long the frame count runs.
const WINDOW: Duration = Duration::from_secs(4);
/// The clips' frame rate and GOP (keyint 25).
const FPS: f64 = 25.0;
const GOP: usize = 25;

/// One emulated camera: the RTSP face on its own runtime, the HTTP face announcing its
/// port in `adminAccesses`.
struct Device {
    rtsp: RtspServer,
    face: HttpFace,
    rt: tokio::runtime::Runtime,
}

impl Device {
    fn start(h265: bool, audio: Audio, tune: impl FnOnce(RtspConfig) -> RtspConfig) -> Self {
        Self::start_with(h265, audio, tune, |_| None)
    }

    /// As [`Device::start`], with `admin(rtsp_port)` as the `adminAccesses` body if `Some`.
    fn start_with(
        h265: bool,
        audio: Audio,
        tune: impl FnOnce(RtspConfig) -> RtspConfig,
        admin: impl FnOnce(u16) -> Option<String>,
    ) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let media = rtsp_common::source(h265, audio);
        let config = tune(RtspConfig::new(media, Credentials::user(USER, PASSWORD)));
        let rtsp = rt.block_on(RtspServer::start(config)).expect("bind RTSP");
        let mut fixture = Fixture::default().with_rtsp_port(rtsp.port());
        if let Some(body) = admin(rtsp.port()) {
            fixture = fixture.with_admin_accesses(body);
        }
        let face = HttpFace::bind(Arc::new(fixture)).expect("bind HTTP");
        Self { rtsp, face, rt }
    }

    fn login(&self, sdk: &Sdk) -> Session {
        Session::builder(sdk)
            .address("127.0.0.1")
            .port(self.face.port())
            .user(USER)
            .password(PASSWORD)
            .mode(LoginMode::Isapi)
            .login()
            .unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// The RTSP requests as `METHOD uri -> status`.
    fn rtsp_log(&self) -> Vec<String> {
        self.rtsp
            .requests()
            .iter()
            .map(|r| {
                let mut line = format!("{} {} -> {}", r.method, r.uri, r.status);
                if let Some(a) = &r.authorization {
                    line += &format!(" [Authorization: {}]", a.get(..16).unwrap_or(a));
                }
                if let Some(t) = &r.transport {
                    line += &format!(" [Transport: {t}]");
                }
                line
            })
            .collect()
    }

    fn http_count(&self, path: &str) -> usize {
        self.face
            .requests()
            .iter()
            .filter(|r| r.path.starts_with(path))
            .count()
    }

    fn print(&self, what: &str) {
        println!("{what}: RTSP");
        for line in self.rtsp_log() {
            println!("  {line}");
        }
    }
}

/// Packets as the data callback handed them: (arrival, dwDataType, bytes).
type Packets = Arc<Mutex<Vec<(Instant, u32, Vec<u8>)>>>;

fn record_packets(packets: &Packets) -> impl FnMut(hcnetsdk::Packet<'_>) + Send + 'static {
    let packets = Arc::clone(packets);
    move |p| {
        let entry = (Instant::now(), p.kind().raw(), p.data().to_vec());
        packets.lock().unwrap().push(entry);
    }
}

/// Frames after the safe layer's demuxer: (arrival, codec, key, bytes; only the first 50
/// video frames keep theirs). Audio frames have codec G.711 and no bytes.
type Frames = Arc<Mutex<Vec<(Instant, Codec, bool, Vec<u8>)>>>;

fn record_frames(frames: &Frames) -> impl FnMut(&hcnetsdk_media::Frame<'_>) + Send + 'static {
    let frames = Arc::clone(frames);
    move |f| {
        let mut frames = frames.lock().unwrap();
        let data = if f.is_video() && frames.len() < 50 {
            f.data.to_vec()
        } else {
            Vec::new()
        };
        frames.push((Instant::now(), f.codec, f.key, data));
    }
}

/// The type-1 header: IMKH, system_format 2 (PS), the video codec's IMKH value.
fn check_header(header: &[u8], video_raw: u16, audio_raw: u16) {
    assert_eq!(header.len(), 40, "{header:02x?}");
    assert_eq!(&header[..4], b"IMKH");
    let info = MediaInfo::parse(header).expect("an IMKH header");
    println!("type-1 header: {header:02x?}\n  {info:?}");
    assert_eq!(info.system_format, SystemFormat::Ps, "{info:?}");
    assert_eq!(info.video_raw, video_raw, "{info:?}");
    assert_eq!(info.audio_raw, audio_raw, "{info:?}");
    if audio_raw != 0 {
        // G.711 as the SDP's header says: 1 channel, 16 bits, 8000 Hz, 64 kbit/s.
        let fields = (info.channels, info.bits_per_sample, info.sample_rate);
        assert_eq!((fields, info.audio_bitrate), ((1, 16, 8000), 64_000));
    }
}

/// What [`check_ps`] counted.
#[derive(Debug, Default)]
struct PsShape {
    packets: usize,
    packs: usize,
    psms: usize,
    audio: usize,
    largest_pes: usize,
    psm_size: Option<(u16, u16)>,
}

fn scr(pack: &[u8]) -> u64 {
    let b: Vec<u64> = pack[4..9].iter().map(|&x| u64::from(x)).collect();
    ((b[0] >> 3) & 7) << 30
        | (b[0] & 3) << 28
        | b[1] << 20
        | (b[2] >> 3) << 15
        | (b[2] & 3) << 13
        | b[3] << 5
        | b[4] >> 3
}

fn pts(pes: &[u8]) -> u64 {
    let b: Vec<u64> = pes[9..14].iter().map(|&x| u64::from(x)).collect();
    ((b[0] >> 1) & 7) << 30 | b[1] << 22 | (b[2] >> 1) << 15 | b[3] << 7 | b[4] >> 1
}

/// The coded size in the SDK's descriptor 0x42 of the 0xE0 entry: big-endian width and
/// height at bytes 4..8 of the descriptor's body (`42 0e 4d 58 27 64 02 80 01 70 ...`
/// is 640x368). Walks the PSM's ES map by hand.
fn coded_size(psm: &[u8]) -> Option<(u16, u16)> {
    let info_len = usize::from(u16::from_be_bytes([psm[8], psm[9]]));
    let mut at = 10 + info_len + 2;
    while at + 4 <= psm.len() - 4 {
        let (id, es_len) = (
            psm[at + 1],
            usize::from(u16::from_be_bytes([psm[at + 2], psm[at + 3]])),
        );
        let mut d = at + 4;
        while id == 0xe0 && d + 2 <= at + 4 + es_len {
            let (tag, len) = (psm[d], usize::from(psm[d + 1]));
            if tag == 0x42 && len >= 8 {
                let b = &psm[d + 2..];
                return Some((
                    u16::from_be_bytes([b[4], b[5]]),
                    u16::from_be_bytes([b[6], b[7]]),
                ));
            }
            d += 2 + len;
        }
        at += 4 + es_len;
    }
    None
}

/// The PES header's stuffing (after the PTS, if any): `ff` bytes, the last one `f8 | n`
/// (seen: `f8`, `fc`).
fn check_stuffing(pes: &[u8], i: usize) {
    let header = &pes[9..9 + usize::from(pes[8])];
    let stuffing = if pes[7] & 0x80 != 0 {
        &header[5..]
    } else {
        header
    };
    if let [ff @ .., last] = stuffing {
        assert!(
            ff.iter().all(|&b| b == 0xff) && *last & 0xf8 == 0xf8,
            "packet {i}: {header:02x?}"
        );
    }
}

fn start_codes(payload: &[u8]) -> usize {
    payload.windows(3).filter(|w| *w == [0, 0, 1]).count()
}

/// The camera's PS shape (shared/reference/real-sdk-isapi.md, "What the data callback
/// receives"), packet by packet. Video: an optional pack header (stuffing 6: `ff ff` and a
/// frame counter counting up from 0; SCR = the PTS), a PSM after it on keyframes (stream
/// type `video` on 0xE0, `audio` on 0xC0), then exactly one PES 0xE0 holding at most one
/// NAL start, with a PTS exactly when a pack header came first. Audio: one PES 0xC0 with a
/// PTS, alone. No system header (0xBB); every PES a multiple of 4 bytes long.
fn check_ps(stream: &[&[u8]], video: u8, audio: Option<u8>) -> PsShape {
    let mut shape = PsShape::default();
    let mut counter = 0u32;
    for (i, mut p) in stream.iter().copied().enumerate() {
        shape.packets += 1;
        let whole = p;
        let pack = p.starts_with(&[0, 0, 1, 0xba]);
        let mut scr_value = None;
        if pack {
            assert_eq!(p[13] & 7, 6, "stuffing length, packet {i}: {whole:02x?}");
            assert_eq!(&p[14..16], &[0xff, 0xff], "packet {i}");
            let n = u32::from_be_bytes(p[16..20].try_into().unwrap());
            assert_eq!(n, counter, "frame counter, packet {i}");
            counter += 1;
            scr_value = Some(scr(p));
            shape.packs += 1;
            p = &p[20..];
        }
        assert!(
            !p.starts_with(&[0, 0, 1, 0xbb]),
            "a system header, packet {i}"
        );
        if p.starts_with(&[0, 0, 1, 0xbc]) {
            assert!(pack, "a PSM without a pack header, packet {i}");
            let len = 6 + usize::from(u16::from_be_bytes([p[4], p[5]]));
            let map = StreamMap::parse(&p[..len]).expect("a PSM");
            let types = (
                map.get(0xe0).map(|e| e.stream_type),
                map.get(0xc0).map(|e| e.stream_type),
            );
            assert_eq!(types, (Some(video), audio), "{:02x?}", &p[..len]);
            shape.psm_size = coded_size(&p[..len]);
            shape.psms += 1;
            p = &p[len..];
        }
        let len = 6 + usize::from(u16::from_be_bytes([p[4], p[5]]));
        assert_eq!(len, p.len(), "one PES per packet, packet {i}");
        assert_eq!(len % 4, 0, "PES padded to 4 bytes, packet {i}");
        shape.largest_pes = shape.largest_pes.max(len);
        let has_pts = p[7] & 0x80 != 0;
        if audio.is_some() && !pack && p.starts_with(&[0, 0, 1, 0xc0]) {
            assert!(has_pts, "audio PES with a PTS, packet {i}");
            check_stuffing(p, i);
            shape.audio += 1;
            continue;
        }
        assert!(p.starts_with(&[0, 0, 1, 0xe0]), "packet {i}: {whole:02x?}");
        assert_eq!(
            has_pts, pack,
            "a PTS exactly on a frame's first PES, packet {i}"
        );
        if let Some(scr) = scr_value {
            assert_eq!(scr, pts(p), "SCR = PTS, packet {i}");
        }
        check_stuffing(p, i);
        let payload = &p[9 + usize::from(p[8])..];
        assert!(start_codes(payload) <= 1, "one NAL per PES, packet {i}");
    }
    shape
}

/// The picture size ffprobe reads from the demuxed elementary stream, as
/// `codec,width,height`; `None` (with a printed reason) without ffprobe outside CI.
fn probe_size(rt: &tokio::runtime::Runtime, es: &[u8], h265: bool) -> Option<String> {
    if !rtsp_common::have_ffmpeg() {
        return None;
    }
    let path = std::env::temp_dir().join(format!("preview-real-sdk-{}.es", std::process::id()));
    std::fs::write(&path, es).expect("write the elementary stream");
    let args = [
        "-v",
        "error",
        "-f",
        if h265 { "hevc" } else { "h264" },
        "-show_entries",
        "stream=codec_name,width,height",
        "-of",
        "csv=p=0",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([path.display().to_string()])
    .collect();
    let run = rt.block_on(rtsp_common::run("ffprobe", args, Duration::from_secs(20)));
    let _ = std::fs::remove_file(&path);
    assert!(run.success, "ffprobe: {}", run.stderr);
    Some(run.stdout.trim().to_owned())
}

/// Two previews of channel 1 at once, over `link`: one on the raw packet path, one on the
/// frames path; [`WINDOW`] of stream, then the checks.
fn preview_and_check(h265: bool, audio: Audio, link: LinkMode) {
    let sdk = shared(&real_sdk_dir("preview").unwrap(), hcnetsdk::LogLevel::Info);
    let device = Device::start(h265, audio, |c| c);
    let session = device.login(sdk);
    let packets: Packets = Arc::default();
    let frames: Frames = Arc::default();
    let started = Instant::now();
    let raw = session
        .preview(1)
        .link(link)
        .start(record_packets(&packets))
        .unwrap_or_else(|e| panic!("{e:#}"));
    let demuxed = session
        .preview(1)
        .link(link)
        .start_frames(record_frames(&frames))
        .unwrap_or_else(|e| panic!("{e:#}"));
    println!("{link:?}: both previews started in {:?}", started.elapsed());
    std::thread::sleep(WINDOW);
    // Frames keep coming while a UDP stop waits (about 5 s): count up to here. The two
    // stops run at once, so the UDP case waits once.
    let until = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| raw.stop().unwrap_or_else(|e| panic!("{e:#}")));
        s.spawn(|| demuxed.stop().unwrap_or_else(|e| panic!("{e:#}")));
    });
    println!("{link:?}: both stopped in {:?}", until.elapsed());
    device.print(&format!("{link:?} h265={h265}"));
    assert_eq!(device.http_count("/ISAPI/Security/adminAccesses"), 2);
    let transports: Vec<String> = device
        .rtsp
        .requests()
        .into_iter()
        .filter_map(|r| r.transport)
        .collect();
    let expected = match link {
        LinkMode::Udp => "RTP/AVP/UDP;unicast;client_port=",
        _ => "RTP/AVP/TCP;unicast;interleaved=",
    };
    assert!(
        transports.iter().all(|t| t.starts_with(expected)),
        "{transports:?}"
    );

    // The raw packets: one type-1 header, first; then PS in the camera's shape.
    let packets = packets.lock().unwrap();
    let kinds: Vec<u32> = packets.iter().map(|p| p.1).collect();
    assert_eq!(kinds.first(), Some(&1), "the header first");
    assert_eq!(kinds.iter().filter(|&&k| k == 1).count(), 1, "one header");
    assert!(kinds[1..].iter().all(|&k| k == 2), "{kinds:?}");
    let video_raw = if h265 { 0x0005 } else { 0x0100 };
    let audio_raw = if audio == Audio::Ulaw { 0x7110 } else { 0 };
    check_header(&packets[0].2, video_raw, audio_raw);
    let stream: Vec<&[u8]> = packets[1..].iter().map(|p| p.2.as_slice()).collect();
    let audio_type = (audio == Audio::Ulaw).then_some(0x91);
    let shape = check_ps(&stream, if h265 { 0x24 } else { 0x1b }, audio_type);
    println!("PS: {shape:?}");
    assert!(shape.psms >= 2 && shape.packs > 2 * GOP, "{shape:?}");
    // NAL units over 5095 bytes are split: PES length 5102.
    assert_eq!(shape.largest_pes, 6 + 5102, "{shape:?}");
    // The SDK's PSM gives the coded size: H.264 in whole macroblocks, H.265 as is.
    let coded = if h265 { (640, 360) } else { (640, 368) };
    assert_eq!(shape.psm_size, Some(coded), "{shape:?}");

    // The frames: 25 fps over the window, give or take a GOP; the clip's codec and size.
    let all = frames.lock().unwrap();
    let codec = if h265 { Codec::H265 } else { Codec::H264 };
    let (frames, sound): (Vec<_>, Vec<_>) = all
        .iter()
        .filter(|f| f.0 <= until)
        .partition(|f| f.1 == codec);
    if audio == Audio::Ulaw {
        // 20 ms of G.711 per RTP packet, one PES each: 50 a second.
        println!("audio frames: {}", sound.len());
        assert!(sound.iter().all(|f| f.1 == Codec::G711U));
        assert!(
            sound.len() as f64 >= (WINDOW.as_secs_f64() - 1.0) * 50.0,
            "{}",
            sound.len()
        );
    } else {
        assert!(sound.is_empty(), "{sound:?}");
    }
    let first = frames.first().expect("frames").0;
    let span = until.saturating_duration_since(first).as_secs_f64();
    let expected = span * FPS;
    println!(
        "frames: {} in {span:.2} s (expected {expected:.0} +/- {GOP}); keys {}",
        frames.len(),
        frames.iter().filter(|f| f.2).count()
    );
    assert!(
        (frames.len() as f64 - expected).abs() <= GOP as f64 + 1.0,
        "{} frames in {span:.2} s",
        frames.len()
    );
    assert!(frames[0].2, "the first frame is a keyframe");
    let es: Vec<u8> = frames.iter().flat_map(|f| f.3.iter().copied()).collect();
    if let Some(size) = probe_size(&device.rt, &es, h265) {
        println!("ffprobe: {size}");
        let name = if h265 { "hevc" } else { "h264" };
        assert_eq!(size, format!("{name},640,360"));
    }
}

#[test]
fn h264_over_tcp_packets_and_frames() {
    if real_sdk_dir("h264_over_tcp_packets_and_frames").is_some() {
        preview_and_check(false, Audio::None, LinkMode::Tcp);
    }
}

#[test]
fn h265_over_tcp_packets_and_frames() {
    if real_sdk_dir("h265_over_tcp_packets_and_frames").is_some() {
        preview_and_check(true, Audio::Ulaw, LinkMode::Tcp);
    }
}

#[test]
fn h264_over_udp_packets_and_frames() {
    if real_sdk_dir("h264_over_udp_packets_and_frames").is_some() {
        preview_and_check(false, Audio::None, LinkMode::Udp);
    }
}

fn basic(password: &str) -> String {
    format!(
        "Basic {}",
        hcnetsdk_emulator::rtsp::sdp::base64(format!("{USER}:{password}").as_bytes())
    )
}

#[test]
fn basic_challenge_gets_the_password_in_clear() {
    let Some(dir) = real_sdk_dir("basic_challenge_gets_the_password_in_clear") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let device = Device::start(false, Audio::None, |c| c.with_auth(AuthMode::Basic));
    let session = device.login(sdk);
    let packets: Packets = Arc::default();
    let preview = session
        .preview(1)
        .start(record_packets(&packets))
        .unwrap_or_else(|e| panic!("{e:#}"));
    std::thread::sleep(Duration::from_millis(500));
    preview.stop().unwrap_or_else(|e| panic!("{e:#}"));
    device.print("Basic");
    let log = device.rtsp.requests();
    let auth: Vec<Option<&str>> = log.iter().map(|r| r.authorization.as_deref()).collect();
    println!("Authorization: {auth:?}");
    // Measured: no Authorization header at all on the first DESCRIBE (not an empty Basic).
    assert_eq!(
        (log[0].authorization.as_deref(), log[0].status),
        (None, 401)
    );
    let methods: Vec<&str> = log.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods[..4], ["DESCRIBE", "DESCRIBE", "SETUP", "PLAY"]);
    let clear = basic(PASSWORD);
    assert!(
        log.iter()
            .any(|r| r.authorization.as_deref() == Some(clear.as_str())),
        "{auth:?}"
    );
    assert!(packets.lock().unwrap().len() > 1, "data flowed");
}

/// The DESCRIBEs of a preview that must fail with 414 (an SDP without the IMKH line),
/// as (Authorization, status).
fn describes_without_imkh(sdk: &Sdk, auth: AuthMode) -> Vec<(Option<String>, u16)> {
    let device = Device::start(false, Audio::None, |c| {
        c.without_media_header().with_auth(auth)
    });
    let session = device.login(sdk);
    let e = session
        .preview(1)
        .start(|_| {})
        .expect_err("an SDP without the IMKH line must fail");
    device.print(&format!("no IMKH, {auth:?}"));
    assert_eq!(e.raw_code(), Some(414), "{e:#}");
    let log = device.rtsp.requests();
    log.iter()
        .filter(|r| r.method == "DESCRIBE")
        .map(|r| (r.authorization.clone(), r.status))
        .collect()
}

#[test]
fn sdp_without_imkh_fails_414_after_a_basic_describe() {
    let Some(dir) = real_sdk_dir("sdp_without_imkh_fails_414_after_a_basic_describe") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    // A server that asks for nothing: the SDK describes again, with the password in clear.
    let open = describes_without_imkh(sdk, AuthMode::None);
    println!("no auth: {open:?}");
    assert_eq!(open, [(None, 200), (Some(basic(PASSWORD)), 200)]);
    // Behind Digest it gives up after the first SDP: no second DESCRIBE.
    let digest = describes_without_imkh(sdk, AuthMode::Digest);
    println!("Digest: {digest:?}");
    assert_eq!(digest.len(), 2, "{digest:?}");
    assert_eq!((&digest[0].0, digest[0].1), (&None, 401));
    assert!(
        digest[1]
            .0
            .as_deref()
            .is_some_and(|a| a.starts_with("Digest "))
    );
    assert_eq!(digest[1].1, 200);
}

/// Waits for the next event of `kind` on `preview` until `deadline`.
fn wait_event(preview: &hcnetsdk::Preview, raw: u32, deadline: Instant) -> Option<Instant> {
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Some(e) = preview.next_event(left) {
            println!("event {:#x} {:?} after drop", e.raw_type, e.kind);
            if e.raw_type == raw {
                return Some(e.received);
            }
        }
    }
    None
}

#[test]
fn drop_mid_stream_reconnects() {
    let Some(dir) = real_sdk_dir("drop_mid_stream_reconnects") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let device = Device::start(false, Audio::None, |c| c);
    let session = device.login(sdk);
    let packets: Packets = Arc::default();
    let preview = session
        .preview(1)
        .start(record_packets(&packets))
        .unwrap_or_else(|e| panic!("{e:#}"));
    std::thread::sleep(Duration::from_secs(2));
    let dropped = Instant::now();
    let before = packets.lock().unwrap().len();
    device.rtsp.drop_connections();
    let deadline = dropped + Duration::from_secs(25);
    let reconnecting = wait_event(&preview, 0x8005, deadline).expect("exception 0x8005");
    // Measured: about 13 s after the drop.
    assert!(reconnecting - dropped >= Duration::from_secs(10));
    let reconnected = wait_event(&preview, 0x8015, deadline).expect("exception 0x8015");
    println!(
        "0x8005 after {:?}, 0x8015 after {:?}",
        reconnecting - dropped,
        reconnected - dropped
    );
    assert!(
        EventKind::from_raw(0x8015) == EventKind::PreviewReconnected,
        "the safe layer's name"
    );
    std::thread::sleep(Duration::from_secs(2));
    preview.stop().unwrap_or_else(|e| panic!("{e:#}"));
    device.print("reconnect");
    assert_eq!(device.http_count("/ISAPI/Security/adminAccesses"), 2);
    let log = device.rtsp.requests();
    let described = log
        .iter()
        .filter(|r| r.method == "DESCRIBE" && r.status == 200)
        .count();
    assert_eq!(described, 2, "one DESCRIBE per connection");
    let packets = packets.lock().unwrap();
    let kinds: Vec<(u32, usize)> = packets.iter().map(|p| (p.1, p.2.len())).collect();
    let odd: Vec<_> = kinds.iter().filter(|k| k.0 != 2).collect();
    println!("packets other than type 2, in order: {odd:?}");
    // The header, then at the reconnect one empty type-0 callback and a new header.
    assert_eq!(odd, [&(1, 40), &(0, 0), &(1, 40)]);
    // After the reconnect: a new type-1 header, then the PS from a frame counter of 0.
    let header = before
        + packets[before..]
            .iter()
            .position(|p| p.1 == 1)
            .expect("a new header");
    assert!(packets[header].0 >= reconnected - Duration::from_millis(100));
    check_header(&packets[header].2, 0x0100, 0);
    let resumed: Vec<&[u8]> = packets[header + 1..]
        .iter()
        .filter(|p| p.1 == 2)
        .map(|p| p.2.as_slice())
        .collect();
    let shape = check_ps(&resumed, 0x1b, None);
    println!("after the reconnect: {shape:?}");
    let data = shape.packs;
    assert!(data > 25, "data resumed: {data} frames");
}

#[test]
fn admin_accesses_what_the_sdk_reads() {
    let Some(dir) = real_sdk_dir("admin_accesses_what_the_sdk_reads") else {
        return;
    };
    let sdk = shared(&dir, hcnetsdk::LogLevel::Info);
    let list = |entry: String| {
        format!(
            "<AdminAccessProtocolList version=\"2.0\" \
             xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">{entry}</AdminAccessProtocolList>"
        )
    };
    // One entry, lower-case protocol, `enabled` false, no id: the SDK still takes the port.
    let bare = |port: u16| {
        let entry = format!(
            "<AdminAccessProtocol><enabled>false</enabled><protocol>rtsp</protocol>\
             <portNo>{port}</portNo></AdminAccessProtocol>"
        );
        Some(list(entry))
    };
    let device = Device::start_with(false, Audio::None, |c| c, bare);
    let session = device.login(sdk);
    let preview = session.preview(1).start(|_| {});
    device.print("bare adminAccesses");
    preview.unwrap_or_else(|e| panic!("{e:#}")).stop().unwrap();
    // No RTSP entry: the SDK tries another port (554, where nothing listens here): 7.
    let http_only = |_| {
        let entry = "<AdminAccessProtocol><id>1</id><enabled>true</enabled><protocol>HTTP</protocol>\
                     <portNo>80</portNo></AdminAccessProtocol>";
        Some(list(entry.to_owned()))
    };
    let device = Device::start_with(false, Audio::None, |c| c, http_only);
    let session = device.login(sdk);
    let e = session.preview(1).start(|_| {}).expect_err("no RTSP port");
    assert_eq!(e.raw_code(), Some(7), "{e:#}");
    assert!(device.rtsp.requests().is_empty());
}
