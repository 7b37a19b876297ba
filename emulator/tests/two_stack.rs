//! The two-stack tier: the same scenario (the built-in one, pinned) through
//! 1. the safe layer on the **mock** SDK, logged in in ISAPI mode, and
//! 2. the safe layer on the **real** SDK, logged into [`Emulator::start`] (ISAPI mode).
//!
//! One routine ([`observe`]) runs on both stacks and writes down what a user sees as
//! `key = value` lines: the login result and `DeviceInfo` of every device; the error and
//! `LoginState` for wrong passwords up to the lock and after it; a preview's callback
//! sequence (types, the IMKH header, the PS shape: pack header, PSM, PES ids), the frames
//! after `hcnetsdk-media`'s demuxer (count over the same seconds +/- a GOP, keyframe
//! spacing, sizes); PTZ continuous move and preset set/goto through ISAPI (positions from
//! the status endpoint); the snapshot's bytes; ISAPI pass-through answers (deviceInfo, and
//! the ResponseStatus error of `GET /ISAPI/Nope`); the exceptions and the data after a
//! dropped connection (the real side: the emulator's `drop_connections`, about 13 s until
//! the SDK reconnects; the mock side: `MOCK_DisconnectPreview`). The slow path (the
//! reconnect) runs once, on the one preview.
//!
//! Every key must agree, unless [`INTENDED`] names it with its reason; a named difference
//! that went away fails too (update the table). The mock's side runs in a child process
//! (this test binary again, with `TWOSTACK_MOCK_CHILD=1`), at the same time as the real
//! side: both are `libhcnetsdk.so`, and one process loads only one of them.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as `.ci/run`
//! does with `.ci/real-sdk.d/two-stack.sh`:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test two_stack --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test two_stack -- --nocapture --test-threads=1'
//! ```

mod two_stack_common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk::{DeviceInfo, LoginMode, Motion, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;
use hcnetsdk_media::{Codec, MediaInfo, StreamMap};
use hcnetsdk_test_support::mock_control::MockControl;

use two_stack_common::{Seen, compare, mock_side, print_mock_side, put, start_both};

const USER: &str = "admin";
const PASSWORD: &str = "Admin12345";
const CHILD_ENV: &str = "TWOSTACK_MOCK_CHILD";
/// Lines the child prints: `TWOSTACK <key> = <value>`.
/// How long the frames are counted.
const WINDOW: Duration = Duration::from_secs(4);
/// The clips' frame rate and GOP.
const FPS: f64 = 25.0;
const GOP: usize = 25;
/// The device that previews, moves and takes the snapshot; the one that gets locked.
const CAMERA: &str = "dome";
const LOCKED: &str = "bullet";

/// (key prefix, why the two stacks differ there). A key differs "intendedly" when it
/// starts with a prefix here. Measured with the real SDK 6.1.9.48.
const INTENDED: &[(&str, &str)] = &[(
    "info.nvr.ip_channels",
    "the real SDK numbers an ISAPI NVR's IP channels from 1 (InputProxy ids 1..16); the mock \
     keeps the private protocol's 33..48 on ISAPI logins too, because its channel checks \
     (preview, recordings, PTZ) accept only those: renumbering needs the model to map ISAPI \
     channel ids first",
)];

/// One stack: where each device answers, and how its preview connection is dropped.
enum Side<'a> {
    Mock(MockControl),
    Real(&'a Emulator),
}

impl Side<'_> {
    fn target(&self, label: &str) -> (String, u16) {
        match self {
            Side::Mock(_) => {
                let s = Scenario::default();
                let d = s.devices.iter().find(|d| d.label == label).unwrap();
                (d.address.clone(), d.port)
            }
            Side::Real(e) => ("127.0.0.1".into(), e.device(label).unwrap().http_port()),
        }
    }

    fn login(&self, sdk: &Sdk, label: &str, password: &str) -> hcnetsdk::Result<Session> {
        let (host, port) = self.target(label);
        Session::builder(sdk)
            .address(host)
            .port(port)
            .user(USER)
            .password(password)
            .mode(LoginMode::Isapi)
            .login()
    }

    fn drop_preview(&self, label: &str, handle: i32) {
        match self {
            Side::Mock(m) => assert!(m.disconnect_preview(handle), "MOCK_DisconnectPreview"),
            Side::Real(e) => e.device(label).unwrap().rtsp().unwrap().drop_connections(),
        }
    }
}

fn observe(sdk: &Sdk, side: &Side<'_>) -> Seen {
    let mut seen = Seen::new();
    let started = Instant::now();
    device_infos(sdk, side, &mut seen);
    wrong_password_and_lock(sdk, side, &mut seen);
    let camera = side
        .login(sdk, CAMERA, PASSWORD)
        .unwrap_or_else(|e| panic!("login to {CAMERA}: {e:#}"));
    isapi_pass_through(sdk, side, &camera, &mut seen);
    snapshot(&camera, &mut seen);
    ptz(&camera, &mut seen);
    preview_and_drop(&camera, side, &mut seen);
    println!("observed in {:?}", started.elapsed());
    seen
}

fn device_infos(sdk: &Sdk, side: &Side<'_>, seen: &mut Seen) {
    for spec in Scenario::default().devices {
        let label = &spec.label;
        match side.login(sdk, label, PASSWORD) {
            Ok(session) => {
                put(seen, format!("login.{label}"), "ok");
                for (field, value) in info_fields(session.device_info()) {
                    put(seen, format!("info.{label}.{field}"), value);
                }
            }
            Err(e) => put(seen, format!("login.{label}"), error_text(&e)),
        }
    }
}

fn info_fields(info: &DeviceInfo) -> Vec<(&'static str, String)> {
    let range = |r: &hcnetsdk::ChannelRange| format!("start {} count {}", r.start, r.count);
    vec![
        ("serial", info.serial.clone()),
        ("device_type", info.device_type.to_string()),
        ("dvr_type", info.dvr_type.to_string()),
        ("analog_channels", range(&info.analog_channels)),
        ("ip_channels", range(&info.ip_channels)),
        ("zero_channels", info.zero_channels.to_string()),
        ("disk_count", info.disk_count.to_string()),
        ("alarm_inputs", info.alarm_inputs.to_string()),
        ("alarm_outputs", info.alarm_outputs.to_string()),
        ("audio_channels", info.audio_channels.to_string()),
        ("char_encoding", info.char_encoding.to_string()),
        ("password_level", info.password_level.to_string()),
        ("login_mode", format!("{:?}", info.login_mode)),
    ]
}

/// A failed call as users see it: the code, the login state, the ISAPI status.
fn error_text(e: &hcnetsdk::Error) -> String {
    let mut text = format!("code {:?}", e.raw_code());
    if let Some(state) = e.login_state() {
        // The lock's time as "about 1800 s": the two stacks read it a moment apart.
        let lock = state
            .lock_remaining
            .map(|d| format!("{}0 s", (d.as_secs() + 5) / 10));
        text += &format!(" attempts_left {:?} lock {lock:?}", state.attempts_left);
    }
    if let Some(s) = e.isapi_status() {
        text += &format!(
            " status {} {:?} sub {:?} url {:?} error_code {:?}",
            s.status_code, s.status_string, s.sub_status_code, s.request_url, s.error_code
        );
    }
    text
}

/// Wrong passwords until the lock (the scenario's `login_retry_limit`), then the right one
/// while locked.
fn wrong_password_and_lock(sdk: &Sdk, side: &Side<'_>, seen: &mut Seen) {
    let limit = Scenario::default()
        .devices
        .iter()
        .find(|d| d.label == LOCKED)
        .unwrap()
        .login_retry_limit;
    for attempt in 1..=limit {
        let e = side
            .login(sdk, LOCKED, "Wrong12345")
            .expect_err("a wrong password");
        put(seen, format!("lock.wrong_{attempt}"), error_text(&e));
    }
    let e = side
        .login(sdk, LOCKED, PASSWORD)
        .expect_err("locked: even the right password fails");
    put(seen, "lock.right_while_locked", error_text(&e));
}

/// A `PTZData` body for a continuous move.
const PAN: &str = "<PTZData><pan>10</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";
const STOP: &str = "<PTZData><pan>0</pan><tilt>0</tilt><zoom>0</zoom></PTZData>";

fn answer(seen: &mut Seen, key: &str, r: hcnetsdk::Result<hcnetsdk::isapi::Response>) {
    match r {
        Ok(r) => put(seen, key, format!("ok: {}", r.text())),
        Err(e) => put(seen, key, error_text(&e)),
    }
}

/// Pass-through answers and `ResponseStatus` errors of each HTTP status the model sends
/// (404, 405, 400, 403), through the session's `isapi()`.
fn isapi_pass_through(sdk: &Sdk, side: &Side<'_>, session: &Session, seen: &mut Seen) {
    let isapi = session.isapi();
    answer(
        seen,
        "isapi.device_info",
        isapi.get("/ISAPI/System/deviceInfo"),
    );
    answer(seen, "isapi.nope", isapi.get("/ISAPI/Nope"));
    answer(
        seen,
        "isapi.wrong_method",
        isapi.put("/ISAPI/System/time", "<Time/>"),
    );
    let absolute = "/ISAPI/PTZCtrl/channels/1/absolute";
    answer(seen, "isapi.bad_xml", isapi.put(absolute, "not xml"));
    answer(seen, "isapi.bad_content", isapi.put(absolute, "<PTZData/>"));
    let bad_channel = "/ISAPI/PTZCtrl/channels/9/continuous";
    answer(seen, "isapi.bad_channel", isapi.put(bad_channel, PAN));
    let continuous = "/ISAPI/PTZCtrl/channels/1/continuous";
    let fixed = side
        .login(sdk, "h265", PASSWORD)
        .unwrap_or_else(|e| panic!("{e:#}"));
    answer(seen, "isapi.no_ptz", fixed.isapi().put(continuous, PAN));
    let (host, port) = side.target(CAMERA);
    let viewer = Session::builder(sdk)
        .address(host)
        .port(port)
        .user("viewer")
        .password("View12345")
        .mode(LoginMode::Isapi)
        .login()
        .unwrap_or_else(|e| panic!("{e:#}"));
    answer(
        seen,
        "isapi.low_privilege",
        viewer.isapi().put(continuous, PAN),
    );
    answer(seen, "isapi.stop_ok", isapi.put(continuous, STOP));
}

fn fingerprint(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{} bytes, hash {:016x}", bytes.len(), h.finish())
}

fn snapshot(session: &Session, seen: &mut Seen) {
    let jpeg = session.snapshot(1).and_then(|mut s| s.capture());
    match jpeg {
        Ok(jpeg) => {
            put(seen, "snapshot.jpeg", fingerprint(&jpeg));
            put(seen, "snapshot.soi", jpeg.starts_with(&[0xff, 0xd8]));
        }
        Err(e) => put(seen, "snapshot.jpeg", error_text(&e)),
    }
}

/// Continuous pan right for a second; a preset there; pan on; back to the preset.
fn ptz(session: &Session, seen: &mut Seen) {
    let ptz = session.ptz(1).unwrap_or_else(|e| panic!("{e:#}"));
    let position = || ptz.position().unwrap_or_else(|e| panic!("position: {e:#}"));
    let home = position();
    put(seen, "ptz.home", format!("{home:?}"));
    let step = |seen: &mut Seen, name: &str| {
        let moving = ptz
            .start(Motion::Right, 4)
            .unwrap_or_else(|e| panic!("{e:#}"));
        std::thread::sleep(Duration::from_millis(700));
        let result = moving
            .stop()
            .map_or_else(|e| error_text(&e), |()| "ok".into());
        put(seen, format!("ptz.{name}.stop"), result);
        std::thread::sleep(Duration::from_millis(200));
        position()
    };
    let a = step(seen, "move1");
    put(seen, "ptz.move1.panned_right", a.pan > home.pan + 1.0);
    put(
        seen,
        "ptz.move1.tilt_zoom_kept",
        (a.tilt, a.zoom) == (home.tilt, home.zoom),
    );
    let set = ptz
        .set_preset(7)
        .map_or_else(|e| error_text(&e), |()| "ok".into());
    put(seen, "ptz.set_preset", set);
    let b = step(seen, "move2");
    put(seen, "ptz.move2.panned_on", b.pan > a.pan + 1.0);
    let goto = ptz
        .goto_preset(7)
        .map_or_else(|e| error_text(&e), |()| "ok".into());
    put(seen, "ptz.goto_preset", goto);
    // The head travels back at the model's preset speed.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut back = position();
    while (back.pan - a.pan).abs() > 0.2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        back = position();
    }
    put(
        seen,
        "ptz.goto_preset.back_at_preset",
        (back.pan - a.pan).abs() <= 0.2,
    );
    let unset = ptz
        .goto_preset(200)
        .map_or_else(|e| error_text(&e), |()| "ok".into());
    put(seen, "ptz.goto_unset_preset", unset);
}

/// Packets as the data callback handed them: (arrival, type, bytes).
type Packets = Arc<Mutex<Vec<(Instant, u32, Vec<u8>)>>>;
/// Frames after the demuxer: (arrival, codec, key, size).
type Frames = Arc<Mutex<Vec<(Instant, Codec, bool, bool, usize)>>>;

/// One preview on the packet path and one on the frames path, [`WINDOW`] of stream, then
/// the packet preview's connection dropped and the reconnect awaited.
fn preview_and_drop(session: &Session, side: &Side<'_>, seen: &mut Seen) {
    let packets: Packets = Arc::default();
    let frames: Frames = Arc::default();
    let sink = Arc::clone(&packets);
    let raw = session
        .preview(1)
        .start(move |p| {
            let entry = (Instant::now(), p.kind().raw(), p.data().to_vec());
            sink.lock().unwrap().push(entry);
        })
        .unwrap_or_else(|e| panic!("preview: {e:#}"));
    let sink = Arc::clone(&frames);
    let first_key: Arc<Mutex<Vec<u8>>> = Arc::default();
    let key_sink = Arc::clone(&first_key);
    let demuxed = session
        .preview(1)
        .start_frames(move |f| {
            let entry = (Instant::now(), f.codec, f.is_video(), f.key, f.data.len());
            sink.lock().unwrap().push(entry);
            let mut key = key_sink.lock().unwrap();
            if f.key && key.is_empty() {
                key.extend_from_slice(f.data);
            }
        })
        .unwrap_or_else(|e| panic!("preview frames: {e:#}"));
    std::thread::sleep(WINDOW);
    let until = Instant::now();
    demuxed.stop().unwrap_or_else(|e| panic!("{e:#}"));
    frames_seen(&frames.lock().unwrap(), until, seen);
    put(
        seen,
        "frames.first_key_nals",
        nal_layout(&first_key.lock().unwrap()),
    );
    let before = packets.lock().unwrap().len();
    packets_seen(&packets.lock().unwrap()[..before], seen);

    let dropped = Instant::now();
    side.drop_preview(CAMERA, raw.handle());
    let mut events = Vec::new();
    let deadline = dropped + Duration::from_secs(25);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Some(e) = raw.next_event(left) else { break };
        println!(
            "event {:#x} {:?} {:?} after the drop",
            e.raw_type,
            e.kind,
            e.received - dropped
        );
        events.push(format!("{:#x} {:?}", e.raw_type, e.kind));
        if e.raw_type == 0x8015 {
            break;
        }
    }
    // The real SDK's 0x8005 did not always reach the preview's queue (1 run in 5 under
    // load: only 0x8015, 16 s after the drop); what is compared is what is stable: the
    // reconnect ends with 0x8015, and no exception comes before it.
    println!("preview events after the drop: {events:?}");
    put(
        seen,
        "drop.ends_reconnected",
        events.last().is_some_and(|e| e.starts_with("0x8015")),
    );
    let exception = events.iter().any(|e| e.starts_with("0x8003"));
    put(seen, "drop.exception_0x8003", exception);
    let reconnecting = events.iter().filter(|e| !e.starts_with("0x8005")).count();
    put(seen, "drop.events_besides_0x8005", reconnecting);
    let mut session_events = Vec::new();
    while let Some(e) = session.next_event(Duration::ZERO) {
        session_events.push(format!(
            "{:#x} {:?} handle {:?}",
            e.raw_type, e.kind, e.handle
        ));
    }
    println!("session events after the drop: {session_events:?}");
    std::thread::sleep(Duration::from_secs(2));
    raw.stop().unwrap_or_else(|e| panic!("{e:#}"));
    let packets = packets.lock().unwrap();
    let odd: Vec<String> = packets[before..]
        .iter()
        .filter(|p| p.1 != 2)
        .map(|p| format!("type {} {} bytes", p.1, p.2.len()))
        .collect();
    put(seen, "drop.non_stream_callbacks", odd.join(", "));
    let resumed = packets[before..].iter().filter(|p| p.1 == 2).count();
    put(seen, "drop.data_resumed", resumed > GOP);
    let header = packets[before..].iter().find(|p| p.1 == 1);
    put(
        seen,
        "drop.new_header",
        header.map_or("none".into(), |h| imkh(&h.2)),
    );
}

fn imkh(header: &[u8]) -> String {
    match MediaInfo::parse(header) {
        Some(i) => format!(
            "{} bytes {:?} video {:#06x} audio {:#06x} {}ch {} bit {} Hz {} bit/s",
            header.len(),
            i.system_format,
            i.video_raw,
            i.audio_raw,
            i.channels,
            i.bits_per_sample,
            i.sample_rate,
            i.audio_bitrate
        ),
        None => format!("not IMKH: {:02x?}", &header[..header.len().min(8)]),
    }
}

/// The PS units of one callback: (stream id, bytes), walking pack headers by their
/// stuffing length and everything else by its 16-bit length.
fn units(mut p: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while p.len() >= 6 && p[..3] == [0, 0, 1] {
        let len = if p[3] == 0xba {
            if p.len() < 14 {
                break;
            }
            14 + usize::from(p[13] & 7)
        } else {
            6 + usize::from(u16::from_be_bytes([p[4], p[5]]))
        };
        let len = len.min(p.len());
        out.push((p[3], &p[..len]));
        p = &p[len..];
    }
    if !p.is_empty() {
        out.push((0, p));
    }
    out
}

fn packets_seen(packets: &[(Instant, u32, Vec<u8>)], seen: &mut Seen) {
    let kinds: Vec<u32> = packets.iter().map(|p| p.1).collect();
    let headers = kinds.iter().filter(|&&k| k == 1).count();
    put(
        seen,
        "preview.first_callback_type",
        format!("{:?}", kinds.first()),
    );
    put(seen, "preview.header_callbacks", headers);
    put(
        seen,
        "preview.other_than_header_or_stream",
        kinds.iter().any(|&k| k != 1 && k != 2),
    );
    put(seen, "preview.header", imkh(&packets[0].2));
    let stream: Vec<&[u8]> = packets
        .iter()
        .filter(|p| p.1 == 2)
        .map(|p| p.2.as_slice())
        .collect();
    let mut ids = BTreeMap::<u8, usize>::new();
    let (mut pes_per_callback, mut psm_streams) = (BTreeMap::<usize, usize>::new(), None);
    let mut after_pack = BTreeMap::<String, usize>::new();
    for p in &stream {
        let u = units(p);
        for (id, bytes) in &u {
            *ids.entry(*id).or_default() += 1;
            if *id == 0xbc && psm_streams.is_none() {
                psm_streams = StreamMap::parse(bytes).map(|m| {
                    let e: Vec<String> = m
                        .entries()
                        .iter()
                        .map(|e| format!("{:02x}:{:#04x}", e.stream_id, e.stream_type))
                        .collect();
                    e.join(" ")
                });
            }
        }
        let pes = u
            .iter()
            .filter(|(id, _)| *id == 0xe0 || *id == 0xc0)
            .count();
        *pes_per_callback.entry(pes).or_default() += 1;
        if u.first().is_some_and(|(id, _)| *id == 0xba) {
            let next: Vec<String> = u
                .iter()
                .skip(1)
                .take(2)
                .map(|(id, _)| format!("{id:02x}"))
                .collect();
            *after_pack.entry(next.join(" ")).or_default() += 1;
        }
    }
    let ids: Vec<String> = ids.keys().map(|id| format!("{id:02x}")).collect();
    put(seen, "ps.stream_ids", ids.join(" "));
    put(seen, "ps.psm_streams", format!("{psm_streams:?}"));
    put(seen, "ps.first_callback", {
        let u = units(stream.first().copied().unwrap_or_default());
        u.iter()
            .map(|(id, _)| format!("{id:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    });
    put(
        seen,
        "ps.pes_per_callback",
        format!("{:?}", pes_per_callback.keys().collect::<Vec<_>>()),
    );
    put(
        seen,
        "ps.after_pack_header",
        format!("{:?}", after_pack.keys().collect::<Vec<_>>()),
    );
}

/// A frame's NAL units as `start-code-length:type:length`, H.264 types.
fn nal_layout(frame: &[u8]) -> String {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= frame.len() {
        if frame[i..i + 3] == [0, 0, 1] {
            let four = i > 0 && frame[i - 1] == 0;
            starts.push((if four { i - 1 } else { i }, i + 3));
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::new();
    for (n, &(at, body)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(frame.len(), |s| s.0);
        let kind = frame.get(body).map_or(0, |b| b & 0x1f);
        out.push(format!("{}:{kind}:{}", body - at, end - body));
    }
    out.join(" ")
}

fn frames_seen(all: &[(Instant, Codec, bool, bool, usize)], until: Instant, seen: &mut Seen) {
    let video: Vec<_> = all.iter().filter(|f| f.0 <= until && f.2).collect();
    let audio = all.iter().filter(|f| f.0 <= until && !f.2).count();
    put(seen, "frames.audio", audio);
    let Some(first) = video.first() else {
        put(seen, "frames.video", "none");
        return;
    };
    put(seen, "frames.codec", format!("{:?}", first.1));
    put(seen, "frames.first_is_key", first.3);
    let span = until.saturating_duration_since(first.0).as_secs_f64();
    let expected = span * FPS;
    println!(
        "frames: {} in {span:.2} s (expected {expected:.0} +/- {GOP})",
        video.len()
    );
    put(
        seen,
        "frames.count_at_25fps_within_a_gop",
        (video.len() as f64 - expected).abs() <= GOP as f64 + 1.0,
    );
    let keys: Vec<usize> = video
        .iter()
        .enumerate()
        .filter(|(_, f)| f.3)
        .map(|(i, _)| i)
        .collect();
    let spacing: Vec<usize> = keys.windows(2).map(|w| w[1] - w[0]).collect();
    put(seen, "frames.key_spacing", format!("{:?}", spacing.first()));
    // The first GOP's sizes: the same clip on both stacks.
    let sizes: Vec<usize> = video.iter().take(GOP).map(|f| f.4).collect();
    put(seen, "frames.first_gop_sizes", format!("{sizes:?}"));
}

/// The mock's side. Does nothing unless run as the child.
#[test]
fn mock_side_child() {
    let Some((sdk, path)) = mock_side(CHILD_ENV) else {
        return;
    };
    let control = MockControl::open(&path);
    print_mock_side(observe(&sdk, &Side::Mock(control)));
}

#[test]
fn two_stacks_agree() {
    let started = Instant::now();
    let Some((sdk, child)) = start_both("two_stacks_agree", CHILD_ENV, false) else {
        return;
    };
    let emulator = Emulator::start(&Scenario::default()).unwrap();
    let real = observe(&sdk, &Side::Real(&emulator));
    let mock = child.observed();
    println!("both stacks observed in {:?}", started.elapsed());
    compare(&real, &mock, INTENDED, |_| true);
}
