//! Live preview: data order, stop guarantees, pacing, save to file, exceptions.

#[macro_use]
mod support;

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hcnetsdk_sys::*;
use support::*;

/// What one preview's callback saw.
#[derive(Default)]
struct Sink {
    packets: Mutex<Vec<(u32, Vec<u8>)>>,
    calls: AtomicUsize,
    in_cb: AtomicBool,
    stopped: AtomicBool,
    after_stop: AtomicUsize,
    threads: Mutex<Vec<std::thread::ThreadId>>,
    /// Sleep this long in the first data callback (ms).
    slow_ms: AtomicU32,
    /// Call StopRealPlay(handle) from inside the first data callback; result stored here.
    stop_inside: AtomicBool,
    stop_inside_result: AtomicU32,
    /// How long that StopRealPlay took (µs).
    stop_inside_us: AtomicU64,
}

unsafe extern "system" fn on_data(
    handle: LONG,
    kind: DWORD,
    buf: *mut BYTE,
    len: DWORD,
    p: *mut c_void,
) {
    // SAFETY: the tests pass a `Sink` through `user_ptr`, which keeps it alive for the process.
    let sink = unsafe { &*(p as *const Sink) };
    if sink.stopped.load(Ordering::SeqCst) {
        sink.after_stop.fetch_add(1, Ordering::SeqCst);
    }
    sink.in_cb.store(true, Ordering::SeqCst);
    // SAFETY: the mock passes `len` readable bytes.
    let data = unsafe { std::slice::from_raw_parts(buf, len as usize) }.to_vec();
    let n = sink.calls.fetch_add(1, Ordering::SeqCst);
    sink.packets.lock().unwrap().push((kind, data));
    sink.threads
        .lock()
        .unwrap()
        .push(std::thread::current().id());
    if n == 1 {
        let ms = sink.slow_ms.load(Ordering::SeqCst);
        if ms > 0 {
            std::thread::sleep(Duration::from_millis(u64::from(ms)));
        }
        if sink.stop_inside.load(Ordering::SeqCst) {
            let t = Instant::now();
            // SAFETY: plain value.
            let r = unsafe { f!(NET_DVR_StopRealPlay)(handle) };
            let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
            sink.stop_inside_us.store(us, Ordering::SeqCst);
            sink.stop_inside_result.store(r as u32, Ordering::SeqCst);
            sink.stopped.store(true, Ordering::SeqCst);
        }
    }
    sink.in_cb.store(false, Ordering::SeqCst);
}

fn start(user: i32, channel: i32, stream: u32, sink: &Arc<Sink>) -> i32 {
    realplay(user, channel, stream, Some(on_data), user_ptr(sink)).expect("RealPlay_V40")
}

fn fast_device() -> TestDevice {
    env()
        .ctl
        .add_test_device("pacing = \"fast\"\nmax_links = 4")
}

#[test]
fn header_first_then_mpeg_ps_on_a_mock_thread() {
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = start(id, 1, 0, &sink);
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        > 50));
    assert!(stop(h));
    let packets = sink.packets.lock().unwrap();
    assert_eq!(packets[0].0, NET_DVR_SYSHEAD);
    assert_eq!(packets[0].1.len(), 40);
    assert_eq!(&packets[0].1[..4], b"IMKH");
    assert!(packets[1..].iter().all(|p| p.0 == NET_DVR_STREAMDATA));
    assert_eq!(&packets[1].1[..4], &[0, 0, 1, 0xBA], "PS pack header");
    assert!(
        sink.threads
            .lock()
            .unwrap()
            .iter()
            .all(|t| *t != std::thread::current().id())
    );
    drop(packets);
    assert!(logout(id));
}

#[test]
fn sub_stream_differs_from_main() {
    let dev = fast_device();
    let id = admin(&dev);
    let (main, sub) = (Arc::new(Sink::default()), Arc::new(Sink::default()));
    let hm = start(id, 1, 0, &main);
    let hs = start(id, 1, 1, &sub);
    assert!(wait_for(Duration::from_secs(5), || main
        .calls
        .load(Ordering::SeqCst)
        > 3
        && sub.calls.load(Ordering::SeqCst) > 3));
    assert!(stop(hm) && stop(hs));
    let total = |s: &Sink| -> Vec<u8> {
        s.packets.lock().unwrap()[1..3]
            .iter()
            .flat_map(|p| p.1.clone())
            .collect()
    };
    assert_ne!(total(&main), total(&sub));
    // Third stream and bad channel.
    assert_eq!(realplay(id, 1, 2, None, std::ptr::null_mut()), Err(23));
    assert_eq!(realplay(id, 2, 0, None, std::ptr::null_mut()), Err(4));
    assert!(logout(id));
}

#[test]
fn too_many_previews_gives_5() {
    let dev = env().ctl.add_test_device("max_links = 1");
    let id = admin(&dev);
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    assert_eq!(realplay(id, 1, 1, None, std::ptr::null_mut()), Err(5));
    assert!(stop(h));
    let h = realplay(id, 1, 1, None, std::ptr::null_mut()).unwrap();
    assert!(stop(h));
    assert!(logout(id));
}

#[test]
fn stop_from_another_thread_waits_for_the_running_callback() {
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    sink.slow_ms.store(300, Ordering::SeqCst);
    let h = start(id, 1, 0, &sink);
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        >= 2
        && sink.in_cb.load(Ordering::SeqCst)));
    let t = Instant::now();
    // Until the freed handle is probed below, no other test may be given it.
    let _alloc = handle_alloc();
    let stopper = std::thread::spawn(move || stop(h));
    assert!(stopper.join().unwrap());
    // StopRealPlay returned only after the slow callback had returned.
    assert!(!sink.in_cb.load(Ordering::SeqCst));
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    sink.stopped.store(true, Ordering::SeqCst);
    let calls = sink.calls.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        sink.calls.load(Ordering::SeqCst),
        calls,
        "no callback after StopRealPlay"
    );
    assert_eq!(sink.after_stop.load(Ordering::SeqCst), 0);
    // The handle is gone: a second stop fails (12 on a fresh thread).
    assert!(
        std::thread::spawn(move || (!stop(h), err()))
            .join()
            .unwrap()
            == (true, 12)
    );
    assert!(logout(id));
}

#[test]
fn stop_from_inside_the_callback_returns_at_once() {
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    sink.stop_inside.store(true, Ordering::SeqCst);
    let _h = start(id, 1, 0, &sink);
    assert!(wait_for(Duration::from_secs(5), || sink
        .stopped
        .load(Ordering::SeqCst)));
    assert_eq!(sink.stop_inside_result.load(Ordering::SeqCst), 1);
    // At once: waiting for the running callback (itself) would block until a timeout
    // (5 s). Generous, since the machine may be loaded.
    let took = Duration::from_micros(sink.stop_inside_us.load(Ordering::SeqCst));
    assert!(
        took < Duration::from_millis(500),
        "StopRealPlay inside the callback took {took:?}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        sink.after_stop.load(Ordering::SeqCst),
        0,
        "the stopping callback was the last one"
    );
    assert_eq!(env().ctl.device_value(&dev.address, 8000, "links"), Some(0));
    assert!(logout(id));
}

#[test]
fn realtime_pacing_follows_the_bitrate() {
    let dev = env().ctl.add_test_device(""); // default pacing: realtime
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let t = Instant::now();
    let h = start(id, 1, 0, &sink);
    std::thread::sleep(Duration::from_millis(1000));
    assert!(stop(h));
    let secs = t.elapsed().as_secs_f64();
    let bytes: usize = sink
        .packets
        .lock()
        .unwrap()
        .iter()
        .skip(1)
        .map(|p| p.1.len())
        .sum();
    let bps = bytes as f64 * 8.0 / secs;
    // The main H.264 clip plays at 228 768 bit/s (device/src/media/README.md); "fast"
    // would deliver megabytes in a second. A third to three times the clip's rate is "paced".
    let clip = 228_768.0;
    assert!(
        bps > clip / 3.0 && bps < clip * 3.0,
        "{bps} bit/s is not paced at the clip's bitrate"
    );
    assert!(logout(id));
}

#[test]
fn fast_pacing_is_much_faster_than_the_bitrate() {
    let dev = fast_device();
    let id = admin(&dev);
    let bytes = Arc::new(AtomicUsize::new(0));
    unsafe extern "system" fn count(
        _h: LONG,
        _k: DWORD,
        _b: *mut BYTE,
        len: DWORD,
        p: *mut c_void,
    ) {
        // SAFETY: an AtomicUsize passed through `user_ptr`, alive for the process.
        unsafe { &*(p as *const AtomicUsize) }.fetch_add(len as usize, Ordering::SeqCst);
    }
    let t = Instant::now();
    let h = realplay(id, 1, 0, Some(count), user_ptr(&bytes)).unwrap();
    // 4 MB is two minutes of the clip in real time.
    let fast = wait_for(Duration::from_secs(10), || {
        bytes.load(Ordering::SeqCst) >= 4_000_000
    });
    let el = t.elapsed();
    assert!(stop(h));
    assert!(
        fast,
        "only {} bytes in {el:?}",
        bytes.load(Ordering::SeqCst)
    );
    assert!(logout(id));
}

#[test]
fn save_real_data_writes_header_and_stream() {
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = start(id, 1, 0, &sink);
    let path = std::env::temp_dir().join(format!("hcnetsdk-mock-save-{}.ps", std::process::id()));
    let p = cstring(&path.display().to_string());
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SaveRealData)(h, p.as_ptr().cast_mut()) }).unwrap();
    let n = sink.calls.load(Ordering::SeqCst);
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        > n + 20));
    // SAFETY: plain value.
    ok(unsafe { f!(NET_DVR_StopSaveRealData)(h) }).unwrap();
    // SAFETY: plain value.
    assert_eq!(ok(unsafe { f!(NET_DVR_StopSaveRealData)(h) }), Err(12));
    assert!(stop(h));
    let data = std::fs::read(&path).unwrap();
    assert_eq!(&data[..4], b"IMKH");
    assert_eq!(&data[40..44], &[0, 0, 1, 0xBA]);
    assert!(data.len() > 40 + 1000);
    match std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name:format=format_name",
            "-of",
            "default=nw=1",
        ])
        .arg(&path)
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "ffprobe failed ({}): {text}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains("codec_name=h264") && text.contains("format_name=mpeg"),
                "ffprobe: {text}"
            );
        }
        Err(e) => {
            let msg = format!("ffprobe could not run ({e}): install it (apt-get install ffmpeg)");
            assert!(
                std::env::var_os("CI").is_none_or(|v| v.is_empty()),
                "{msg}; CI is set, so this is a failure"
            );
            eprintln!("skipped the ffprobe check: {msg}");
        }
    }
    let _ = std::fs::remove_file(&path);
    assert!(logout(id));
}

#[test]
fn set_real_data_callback_later_gets_the_header_first() {
    let dev = fast_device();
    let id = admin(&dev);
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    let sink = Arc::new(Sink::default());
    // SAFETY: `user_ptr` keeps the sink alive for the process.
    ok(unsafe { f!(NET_DVR_SetRealDataCallBackEx)(h, Some(on_data), user_ptr(&sink)) }).unwrap();
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        > 2));
    assert!(stop(h));
    assert_eq!(sink.packets.lock().unwrap()[0].0, NET_DVR_SYSHEAD);
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Ok(()));
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrameSub)(id, 9) }), Err(4));
    assert!(logout(id));
}

#[test]
fn injected_preview_disconnect_fires_exceptions_and_reconnects() {
    let e = env();
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = start(id, 1, 0, &sink);
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        > 2));
    assert!(e.ctl.disconnect_preview(h));
    assert!(wait_for(Duration::from_secs(5), || events_for(id)
        .contains(&(PREVIEW_RECONNECTSUCCESS, h))));
    let ev = events_for(id);
    assert_eq!(ev[0], (EXCEPTION_PREVIEW, h));
    assert!(ev.contains(&(EXCEPTION_RECONNECT, h)));
    // After reconnecting, the system header comes again.
    let n = sink.packets.lock().unwrap().len();
    assert!(wait_for(Duration::from_secs(5), || sink
        .packets
        .lock()
        .unwrap()
        .len()
        > n + 2));
    assert!(
        sink.packets.lock().unwrap()[1..]
            .iter()
            .any(|p| p.0 == NET_DVR_SYSHEAD)
    );
    assert!(stop(h));
    assert!(logout(id));
}

#[test]
fn device_offline_drops_session_and_preview_until_it_returns() {
    let e = env();
    let dev = fast_device();
    let id = admin(&dev);
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    assert!(e.ctl.set_device_online(&dev.address, 0, false));
    assert!(wait_for(Duration::from_secs(5), || {
        let ev = events_for(id);
        ev.contains(&(EXCEPTION_EXCHANGE, -1))
            && ev.contains(&(EXCEPTION_PREVIEW, h))
            && ev.contains(&(EXCEPTION_RECONNECT, h))
    }));
    // While offline, calls on the session fail with 7.
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_MakeKeyFrame)(id, 1) }), Err(7));
    assert!(!events_for(id).contains(&(PREVIEW_RECONNECTSUCCESS, h)));
    assert!(e.ctl.set_device_online(&dev.address, 0, true));
    assert!(wait_for(Duration::from_secs(5), || {
        let ev = events_for(id);
        ev.contains(&(RESUME_EXCHANGE, -1)) && ev.contains(&(PREVIEW_RECONNECTSUCCESS, h))
    }));
    assert!(stop(h));
    assert!(logout(id));
}

#[test]
fn logout_stops_the_sessions_previews() {
    let e = env();
    let dev = fast_device();
    let id = admin(&dev);
    let sink = Arc::new(Sink::default());
    let h = start(id, 1, 0, &sink);
    assert!(wait_for(Duration::from_secs(5), || sink
        .calls
        .load(Ordering::SeqCst)
        > 2));
    // Until the freed handle is probed below, no other test may be given it.
    let _alloc = handle_alloc();
    assert!(logout(id));
    sink.stopped.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(sink.after_stop.load(Ordering::SeqCst), 0);
    assert_eq!(e.ctl.device_value(&dev.address, 8000, "links"), Some(0));
    assert!(
        std::thread::spawn(move || (!stop(h), err()))
            .join()
            .unwrap()
            == (true, 12)
    );
}

#[test]
fn without_a_callback_a_fast_preview_does_not_spin() {
    // "fast" pacing sends as fast as the callback takes the data; with no callback there is
    // nobody to keep up with, so the worker must not race through the clip (it would burn a
    // core and, while saving, write the clip to disk as fast as the disk takes it).
    let dev = fast_device();
    let id = admin(&dev);
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    let path = std::env::temp_dir().join(format!("hcnetsdk-mock-nocb-{}.ps", std::process::id()));
    let p = cstring(&path.display().to_string());
    // SAFETY: valid C string.
    ok(unsafe { f!(NET_DVR_SaveRealData)(h, p.as_ptr().cast_mut()) }).unwrap();
    let t = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: plain value.
    ok(unsafe { f!(NET_DVR_StopSaveRealData)(h) }).unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert!(stop(h));
    let bytes = std::fs::metadata(&path).unwrap().len();
    let _ = std::fs::remove_file(&path);
    // Idle pacing is one packet (one PES, at most ~5 KiB, ~1.2 KiB on average) per
    // millisecond at most: ~1.2 MB/s.
    let rate = bytes as f64 / secs;
    assert!(
        rate < 4_000_000.0,
        "{bytes} bytes in {secs:.2} s without a callback"
    );
    assert!(bytes > 40, "the stream is still saved");
    assert!(logout(id));
}

/// Every field of a NET_DVR_PREVIEWINFO, in order, as numbers (arrays byte by byte).
fn preview_info_fields(i: &NET_DVR_PREVIEWINFO) -> Vec<u64> {
    let mut v = vec![
        i.lChannel as u64,
        u64::from(i.dwStreamType),
        u64::from(i.dwLinkMode),
        i.hPlayWnd as u64,
        u64::from(i.bBlocked),
        u64::from(i.bPassbackRecord),
        u64::from(i.byPreviewMode),
    ];
    v.extend(i.byStreamID.iter().map(|b| u64::from(*b)));
    v.extend([
        u64::from(i.byProtoType),
        u64::from(i.byRes1),
        u64::from(i.byVideoCodingType),
        u64::from(i.dwDisplayBufNum),
        u64::from(i.byNPQMode),
        u64::from(i.byRecvMetaData),
        u64::from(i.byDataType),
    ]);
    v.extend(i.byRes.iter().map(|b| u64::from(*b)));
    v
}

/// A NET_DVR_PREVIEWINFO whose every field depends on `v` (channel 1..=3, stream 0/1).
fn preview_info_for(v: u8) -> NET_DVR_PREVIEWINFO {
    let mut i = NET_DVR_PREVIEWINFO {
        lChannel: 1 + i32::from(v % 3),
        dwStreamType: u32::from(v % 2),
        dwLinkMode: 0x0101_0000 + u32::from(v),
        hPlayWnd: (0x5000 + u32::from(v)) as HWND,
        bBlocked: 0x0202_0000 + u32::from(v),
        bPassbackRecord: 0x0303_0000 + u32::from(v),
        byPreviewMode: 0x10 + v,
        byProtoType: 0x20 + v,
        byRes1: 0x30 + v,
        byVideoCodingType: 0x40 + v,
        dwDisplayBufNum: 0x0404_0000 + u32::from(v),
        byNPQMode: 0x50 + v,
        byRecvMetaData: 0x60 + v,
        byDataType: 0x70 + v,
        ..Default::default()
    };
    for (n, b) in i.byStreamID.iter_mut().enumerate() {
        *b = (n as u8).wrapping_mul(3).wrapping_add(v);
    }
    for (n, b) in i.byRes.iter_mut().enumerate() {
        *b = (n as u8).wrapping_mul(7).wrapping_add(v).wrapping_add(1);
    }
    i
}

#[test]
fn preview_info_round_trips_every_field() {
    let e = env();
    let dev = e
        .ctl
        .add_test_device("analog_channels = 3\nmax_links = 8\npacing = \"fast\"");
    let id = admin(&dev);
    let mut seen: Vec<Vec<u64>> = Vec::new();
    // No other test of this process may be given a handle between this test's StopRealPlay
    // and its read of the stopped handle (the mock reuses the lowest free handle).
    let _alloc = handle_alloc();
    for v in [1u8, 2, 3, 0x80] {
        let mut sent = preview_info_for(v);
        let want = preview_info_fields(&sent);
        // SAFETY: a valid struct; no callback.
        let h = unsafe { f!(NET_DVR_RealPlay_V40)(id, &mut sent, None, std::ptr::null_mut()) };
        assert!(h >= 0, "RealPlay_V40 with variant {v}: error {}", err());
        let got = e
            .ctl
            .preview_info(h)
            .expect("MOCK_GetPreviewInfo of a running preview");
        assert_eq!(preview_info_fields(&got), want, "variant {v}");
        assert!(stop(h));
        // Still the same after StopRealPlay (until the handle is given out again).
        let after = e
            .ctl
            .preview_info(h)
            .expect("MOCK_GetPreviewInfo after StopRealPlay");
        assert_eq!(preview_info_fields(&after), want, "variant {v}, stopped");
        assert!(
            !seen.contains(&want),
            "the variants must give distinct structs"
        );
        seen.push(want);
    }
    assert!(e.ctl.preview_info(-1).is_none());
    assert!(
        e.ctl.preview_info(4095).is_none(),
        "a handle no RealPlay_V40 returned"
    );
    assert!(logout(id));
}

/// What a preview's callback got, in order: (data type, length, buffer was NULL).
#[derive(Default)]
struct Deliveries(Mutex<Vec<(u32, u32, bool)>>);

impl Deliveries {
    fn count(&self, f: impl Fn(&(u32, u32, bool)) -> bool) -> usize {
        self.0.lock().unwrap().iter().filter(|d| f(d)).count()
    }
}

unsafe extern "system" fn record_delivery(
    _handle: LONG,
    kind: DWORD,
    buf: *mut BYTE,
    len: DWORD,
    p: *mut c_void,
) {
    // SAFETY: the test passes a `Deliveries` through `user_ptr`, kept alive for the process.
    let d = unsafe { &*(p as *const Deliveries) };
    d.0.lock().unwrap().push((kind, len, buf.is_null()));
}

#[test]
fn injected_empty_packets_arrive_between_stream_packets() {
    let e = env();
    let dev = fast_device();
    let id = admin(&dev);
    let d = Arc::new(Deliveries::default());
    let h = realplay(id, 1, 0, Some(record_delivery), user_ptr(&d)).expect("RealPlay_V40");
    let data = |d: &Deliveries| d.count(|x| x.0 == NET_DVR_STREAMDATA && x.1 > 0);
    assert!(wait_for(Duration::from_secs(5), || data(&d) > 3));
    assert!(e.ctl.inject_empty_packets(h, 5));
    let empty = |d: &Deliveries, null: bool| d.count(|x| x.1 == 0 && x.2 == null);
    assert!(
        wait_for(Duration::from_secs(5), || empty(&d, false) >= 5),
        "5 empty packets with a buffer"
    );
    assert!(e.ctl.inject_null_packets(h, 3));
    assert!(
        wait_for(Duration::from_secs(5), || empty(&d, true) >= 3),
        "3 empty packets with NULL"
    );
    // Let more stream go by: no further empty packet may come.
    let later = data(&d) + 20;
    assert!(wait_for(Duration::from_secs(5), || data(&d) > later));
    assert!(stop(h));
    let all = d.0.lock().unwrap().clone();
    assert_eq!(all[0].0, NET_DVR_SYSHEAD);
    let empties: Vec<usize> = (0..all.len()).filter(|i| all[*i].1 == 0).collect();
    assert_eq!(empties.len(), 8, "exactly the injected packets: {all:?}");
    for i in &empties {
        assert_eq!(
            all[*i].0, NET_DVR_STREAMDATA,
            "an empty packet is stream data"
        );
        let before = all[i - 1];
        assert!(
            before.0 == NET_DVR_STREAMDATA && before.1 > 0,
            "each empty packet follows a stream packet with data: {all:?}"
        );
    }
    let nulls: Vec<bool> = empties.iter().map(|i| all[*i].2).collect();
    assert_eq!(nulls, [false, false, false, false, false, true, true, true]);
    assert!(!e.ctl.inject_empty_packets(h, 1), "a stopped handle");
    assert!(logout(id));
}
