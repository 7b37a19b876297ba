//! `Preview` against the mock SDK: closure and queue delivery, stop on drop, save to file,
//! key frames, events, callback panics, and each failure the mock can produce or inject.
//!
//! The `start_stop_*` tests are the ones `.ci/valgrind.sh` runs under memcheck.

use hcnetsdk_test_support::safe as support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::error::{Category, ErrorKind};
use hcnetsdk::{DataType, EventKind, LinkMode, RecvTimeoutError, StreamType};
use support::{Device, Kind, assert_invalid_input, assert_sdk_error, mock};

/// Generous: polling loops end as soon as the condition holds, and under valgrind (CI step 5)
/// everything, the mock muxing its clips at the first preview included, runs tens of times slower.
const WAIT: Duration = Duration::from_secs(60);

#[test]
fn start_stop_closure_receives_header_then_stream() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let seen = Arc::new(std::sync::Mutex::new(Vec::<(DataType, usize)>::new()));
    let s = Arc::clone(&seen);
    let preview = session
        .preview(1)
        .start(move |p| {
            let mut v = s.lock().unwrap();
            if v.len() < 64 {
                v.push((p.kind(), p.data().len()));
            }
        })
        .unwrap();
    assert!(preview.handle() >= 0);
    assert_eq!(preview.channel(), 1);
    assert_eq!(preview.stream(), StreamType::Main);
    assert_eq!(preview.session().user_id(), session.user_id());
    assert!(preview.try_next_event().is_none());
    assert_eq!(dev.value("links"), 1);
    let deadline = Instant::now() + WAIT;
    while seen.lock().unwrap().len() < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 5, "only {} packets", seen.len());
    assert_eq!(
        seen[0].0,
        DataType::SysHead,
        "the system header comes first"
    );
    assert!(
        seen[1..]
            .iter()
            .all(|(k, n)| *k == DataType::Stream && *n > 0)
    );
    let stats = preview.stats();
    assert!(stats.packets >= 5 && stats.bytes > 0);
    preview.stop().unwrap();
    assert_eq!(dev.value("links"), 0);
}

#[test]
fn start_stop_queue_delivers_then_reports_stopped() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let (preview, mut packets) = session
        .preview(33)
        .stream(StreamType::Sub)
        .start_queue(16)
        .unwrap();
    assert_sent_preview_info(preview.handle(), 33, 1, 0, 1);
    assert_eq!(packets.capacity(), 16);
    let first = packets.recv_timeout(WAIT).unwrap();
    assert_eq!(first.kind(), DataType::SysHead);
    assert_eq!(first.lost_before(), 0);
    drop(first);
    let mut n = 0;
    while n < 20 {
        let p = packets.recv_timeout(WAIT).unwrap();
        assert!(!p.is_empty());
        n += 1;
    }
    assert!(!packets.is_stopped());
    drop(preview);
    assert!(packets.is_stopped());
    // Whatever was queued is still delivered, then the receiver reports the end.
    while packets.try_recv().is_some() {}
    assert!(packets.recv().is_none());
    assert_eq!(
        packets.recv_timeout(Duration::from_millis(10)).unwrap_err(),
        RecvTimeoutError::Stopped
    );
    assert_eq!(dev.value("links"), 0);
}

#[test]
fn start_stop_many_times() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    for i in 0..20 {
        let count = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&count);
        let preview = session
            .preview(1)
            .stream(if i % 2 == 0 {
                StreamType::Main
            } else {
                StreamType::Sub
            })
            .start(move |_| {
                c.fetch_add(1, Ordering::Relaxed);
            })
            .unwrap();
        assert_sent_preview_info(preview.handle(), 1, i % 2, 0, 1);
        let deadline = Instant::now() + WAIT;
        while count.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(count.load(Ordering::Relaxed) > 0);
        drop(preview);
        // After StopRealPlay returned no callback may run: the count must not move.
        let after = count.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(
            count.load(Ordering::Relaxed),
            after,
            "a callback ran after stop"
        );
    }
    assert_eq!(dev.value("links"), 0);
}

#[test]
fn start_stop_with_a_slow_consumer_drops_and_counts() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (preview, mut packets) = session.preview(1).start_queue(2).unwrap();
    // Nobody reads for a while: the SDK thread must not block; packets are dropped.
    let deadline = Instant::now() + WAIT;
    while packets.lost() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(packets.lost() > 0, "a full queue must drop, not block");
    let a = packets.recv_timeout(WAIT).unwrap();
    let b = packets.recv_timeout(WAIT).unwrap();
    drop((a, b));
    let c = packets.recv_timeout(WAIT).unwrap();
    assert!(
        c.lost_before() > 0,
        "the first packet after a gap reports it"
    );
    drop(c);
    preview.stop().unwrap();
}

/// Assert every field of the `NET_DVR_PREVIEWINFO` that `NET_DVR_RealPlay_V40` received for
/// `handle` (the mock keeps it): the four the builder sets, and zero in every other field
/// (no window, no passback recording, normal preview mode, no stream ID, private protocol,
/// any codec, the SDK's default display buffers, no NPQ, no metadata, stream data).
#[track_caller]
#[allow(non_snake_case)]
fn assert_sent_preview_info(handle: i32, channel: i32, stream_type: u32, link: u32, blocked: u32) {
    let info = mock()
        .preview_info(handle)
        .expect("RealPlay_V40 returned this handle");
    // Every field, without `..`: a field added to the header must be checked here too.
    let hcnetsdk_sys::NET_DVR_PREVIEWINFO {
        lChannel,
        dwStreamType,
        dwLinkMode,
        hPlayWnd,
        bBlocked,
        bPassbackRecord,
        byPreviewMode,
        byStreamID,
        byProtoType,
        byRes1,
        byVideoCodingType,
        dwDisplayBufNum,
        byNPQMode,
        byRecvMetaData,
        byDataType,
        byRes,
    } = info;
    assert_eq!(
        (lChannel, dwStreamType, dwLinkMode, bBlocked),
        (channel, stream_type, link, blocked),
        "lChannel, dwStreamType, dwLinkMode, bBlocked"
    );
    let zero = hcnetsdk_sys::NET_DVR_PREVIEWINFO::default();
    assert_eq!(hPlayWnd, zero.hPlayWnd, "hPlayWnd: no window");
    assert_eq!(
        (
            bPassbackRecord,
            byPreviewMode,
            byProtoType,
            byRes1,
            byVideoCodingType,
            dwDisplayBufNum,
            byNPQMode,
            byRecvMetaData,
            byDataType
        ),
        (0, 0, 0, 0, 0, 0, 0, 0, 0),
        "bPassbackRecord, byPreviewMode, byProtoType, byRes1, byVideoCodingType, \
         dwDisplayBufNum, byNPQMode, byRecvMetaData, byDataType"
    );
    assert_eq!(byStreamID, [0; 32], "byStreamID");
    assert!(byRes.iter().all(|b| *b == 0), "byRes: {byRes:?}");
}

#[test]
fn link_modes_start() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    for (link, raw) in [
        (LinkMode::Tcp, 0),
        (LinkMode::Udp, 1),
        (LinkMode::Multicast, 2),
        (LinkMode::Rtp, 3),
        (LinkMode::RtpOverRtsp, 4),
        (LinkMode::RtpOverHttp, 5),
    ] {
        for blocking in [false, true] {
            let p = session
                .preview(1)
                .link(link)
                .blocking(blocking)
                .start(|_| {})
                .unwrap();
            assert_sent_preview_info(p.handle(), 1, 0, raw, u32::from(blocking));
            p.stop().unwrap();
        }
    }
    // The defaults: main stream over TCP, blocking.
    let p = session.preview(1).start(|_| {}).unwrap();
    assert_sent_preview_info(p.handle(), 1, 0, 0, 1);
    p.stop().unwrap();
    let p = session
        .preview(1)
        .stream(StreamType::Sub)
        .link(LinkMode::Udp)
        .start(|_| {})
        .unwrap();
    assert_sent_preview_info(p.handle(), 1, 1, 1, 1);
    p.stop().unwrap();
}

#[test]
fn channel_not_on_the_device_is_rejected_before_any_sdk_call() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let before = dev.calls("NET_DVR_RealPlay_V40");
    for channel in [0, 1, 32, 49, u32::MAX] {
        let err = session.preview(channel).start(|_| {}).unwrap_err();
        assert_invalid_input(&err, "channel");
        assert!(err.remediation().contains("33..=48"), "{err:#}");
    }
    let err = session.preview(33).start_queue(0).unwrap_err();
    assert_invalid_input(&err, "capacity");
    assert_eq!(dev.calls("NET_DVR_RealPlay_V40"), before);
}

#[test]
fn realplay_failures_are_typed_with_channel_context() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    for code in [4, 23, 416, 7, 10] {
        dev.fail_next("NET_DVR_RealPlay_V40", code, 1);
        let err = session.preview(1).start(|_| {}).unwrap_err();
        assert_sdk_error(&err, code, "NET_DVR_RealPlay_V40");
        assert_eq!(err.context().channel, Some(1));
        assert_eq!(err.context().user_id, Some(session.user_id()));
        assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    }
    assert_eq!(dev.value("links"), 0);
    session.preview(1).start(|_| {}).unwrap().stop().unwrap();
}

#[test]
fn third_stream_is_unsupported_on_the_mock() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let err = session
        .preview(1)
        .stream(StreamType::Third)
        .start(|_| {})
        .unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_RealPlay_V40");
    assert_eq!(err.category(), Category::Unsupported);
}

#[test]
fn too_many_links_is_the_devices_limit() {
    let dev = Device::with_extra(Kind::Dome, "max_links = 1");
    let session = dev.login();
    let _first = session.preview(1).start(|_| {}).unwrap();
    let err = session.preview(1).start(|_| {}).unwrap_err();
    assert!(err.raw_code().is_some(), "{err:#}");
    assert_eq!(err.call(), Some("NET_DVR_RealPlay_V40"));
    assert_eq!(err.category(), Category::Resource);
}

#[test]
fn save_to_file_writes_the_stream() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let dir = std::env::temp_dir().join(format!("hcnetsdk-preview-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("live.ps");
    let preview = session.preview(1).start(|_| {}).unwrap();
    preview.save_to_file(&file).unwrap();
    let deadline = Instant::now() + WAIT;
    while std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) < 1000 && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    preview.stop_saving().unwrap();
    let len = std::fs::metadata(&file).unwrap().len();
    assert!(len >= 1000, "only {len} bytes saved");
    preview.stop().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn save_to_file_rejects_bad_paths_and_reports_sdk_failures() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    let err = preview.save_to_file("a".repeat(300)).unwrap_err();
    assert_invalid_input(&err, "path");
    // A folder that does not exist: the SDK cannot create the file.
    let err = preview
        .save_to_file("/nonexistent-hcnetsdk-dir/x.ps")
        .unwrap_err();
    assert_eq!(err.call(), Some("NET_DVR_SaveRealData"));
    assert!(err.raw_code().is_some_and(|c| c != 0), "{err:#}");
    assert_eq!(err.context().handle, Some(preview.handle()));
    assert_eq!(err.context().channel, Some(1));
    assert!(!err.remediation().is_empty());
    preview.stop().unwrap();
}

#[test]
fn key_frames_main_and_sub_and_injected_failure() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let main = session.preview(1).start(|_| {}).unwrap();
    main.request_key_frame().unwrap();
    dev.fail_next("NET_DVR_MakeKeyFrame", 23, 1);
    let err = main.request_key_frame().unwrap_err();
    assert_sdk_error(&err, 23, "NET_DVR_MakeKeyFrame");
    assert_eq!(err.context().handle, Some(main.handle()));
    drop(main);
    let sub = session
        .preview(1)
        .stream(StreamType::Sub)
        .start(|_| {})
        .unwrap();
    sub.request_key_frame().unwrap();
    dev.fail_next("NET_DVR_MakeKeyFrameSub", 7, 1);
    assert_sdk_error(
        &sub.request_key_frame().unwrap_err(),
        7,
        "NET_DVR_MakeKeyFrameSub",
    );
}

#[test]
fn a_panicking_callback_is_caught_and_reported_by_the_next_call() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let calls = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&calls);
    let preview = session
        .preview(1)
        .start(move |_| {
            c.fetch_add(1, Ordering::Relaxed);
            panic!("bug in my handler");
        })
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while calls.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    // The panic is recorded once the unwinding (and the panic hook's report) is done.
    let deadline = Instant::now() + WAIT;
    let err = loop {
        match preview.request_key_frame() {
            Err(e) => break e,
            Ok(()) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(()) => panic!("the caught panic was never reported"),
        }
    };
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        calls.load(Ordering::Relaxed),
        1,
        "the handler is not called again after a panic"
    );
    match err.kind() {
        ErrorKind::CallbackPanicked { message, .. } => {
            assert!(message.contains("bug in my handler"))
        }
        other => panic!("expected CallbackPanicked, got {other:?}"),
    }
    assert_eq!(err.context().handle, Some(preview.handle()));
    assert!(!err.remediation().is_empty());
    // Reported once; the preview itself still works.
    preview.request_key_frame().unwrap();
    preview.stop().unwrap();
}

#[test]
fn a_panic_not_yet_reported_is_returned_by_stop() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let calls = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&calls);
    let preview = session
        .preview(1)
        .start(move |_| {
            c.fetch_add(1, Ordering::Relaxed);
            panic!("late panic");
        })
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while calls.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let err = preview.stop().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::CallbackPanicked { .. }),
        "{err:#}"
    );
    assert_eq!(dev.value("links"), 0, "the preview stopped all the same");
}

#[test]
fn preview_events_reach_the_preview() {
    // Reconnect quickly (process-wide; no other test here depends on the interval).
    support::sdk()
        .set_reconnect(Some(Duration::from_millis(200)))
        .unwrap();
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    assert!(mock().disconnect_preview(preview.handle()));
    let event = preview.next_event(WAIT).expect("a preview event");
    assert_eq!(event.kind, EventKind::PreviewException);
    assert_eq!(event.handle, Some(preview.handle()));
    assert_eq!(event.user_id, session.user_id());
    // With reconnect on (the default) the mock reconnects and says so: one
    // PreviewReconnecting per attempt (at least one), then PreviewReconnected.
    let mut kinds = Vec::new();
    while kinds.last() != Some(&EventKind::PreviewReconnected) {
        let event = preview
            .next_event(WAIT)
            .unwrap_or_else(|| panic!("no PreviewReconnected within {WAIT:?}; got {kinds:?}"));
        assert_eq!(event.handle, Some(preview.handle()), "{event:?}");
        assert_eq!(event.user_id, session.user_id(), "{event:?}");
        kinds.push(event.kind);
    }
    let (reconnected, attempts) = kinds.split_last().unwrap();
    assert_eq!(*reconnected, EventKind::PreviewReconnected);
    assert!(
        !attempts.is_empty()
            && attempts
                .iter()
                .all(|k| *k == EventKind::PreviewReconnecting),
        "{kinds:?}"
    );
    // The session got none of them.
    assert!(session.try_next_event().is_none());
}

#[test]
fn session_disconnect_reaches_session_and_preview() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    assert!(mock().disconnect_session(session.user_id()));
    assert_eq!(
        session.next_event(WAIT).unwrap().kind,
        EventKind::ConnectionLost
    );
    assert_eq!(
        preview.next_event(WAIT).unwrap().kind,
        EventKind::PreviewException
    );
}

#[test]
fn receiver_outlives_the_session() {
    let dev = Device::new(Kind::Bullet);
    let session = dev.login();
    let (preview, packets) = session.preview(1).start_queue(8).unwrap();
    let consumer = std::thread::spawn(move || {
        let mut n = 0u64;
        // `PacketReceiver` iterates until the preview stops and the queue is drained.
        for p in packets {
            assert!(!p.data().is_empty());
            n += 1;
        }
        n
    });
    std::thread::sleep(Duration::from_millis(100));
    drop(preview);
    session.logout().unwrap();
    let n = consumer.join().unwrap();
    assert!(n > 0);
}

#[test]
fn owned_packet_into_vec_keeps_the_bytes() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let (_preview, mut packets) = session.preview(1).start_queue(4).unwrap();
    let header = packets.recv_timeout(WAIT).unwrap();
    assert_eq!(header.kind(), DataType::SysHead);
    let seen = header.data().to_vec();
    let bytes = header.into_vec();
    // The mock's 40-byte system header.
    assert!(
        bytes.len() == 40 && bytes.starts_with(b"IMKH"),
        "not the 40-byte IMKH header: {} bytes, {:02x?}",
        bytes.len(),
        &bytes[..bytes.len().min(8)]
    );
    assert_eq!(bytes, seen, "into_vec gave other bytes than data()");
    // The pool replaces the buffer it gave away: stream packets keep coming, and none of
    // them is written into the vector that was taken out.
    for _ in 0..10 {
        let p = packets.recv_timeout(WAIT).unwrap();
        assert_eq!(p.kind(), DataType::Stream);
        assert!(!p.is_empty());
    }
    assert_eq!(bytes, seen, "the taken vector changed");
    // The preview still runs: the next packet arrives (no Stopped, no Timeout).
    let next = packets.recv_timeout(WAIT).unwrap();
    assert!(
        next.kind() == DataType::Stream && !next.is_empty(),
        "{next:?}"
    );
}

/// Every `dwDataType` the SDK documents (values from the reference header) maps to its
/// variant and back; anything else is `Other` with the value kept.
#[test]
fn data_types_map_to_and_from_the_sdk_values() {
    let table = [
        (1, DataType::SysHead),
        (2, DataType::Stream),
        (3, DataType::Audio),
        (4, DataType::StdVideo),
        (5, DataType::StdAudio),
        (6, DataType::Sdp),
        (107, DataType::Metadata),
        (112, DataType::Private),
    ];
    for (raw, kind) in table {
        assert_eq!(DataType::from_raw(raw), kind, "from_raw({raw})");
        assert_eq!(kind.raw(), raw, "{kind:?}.raw()");
    }
    for raw in [0, 7, 106, 108, 999, u32::MAX] {
        assert_eq!(
            DataType::from_raw(raw),
            DataType::Other(raw),
            "from_raw({raw})"
        );
        assert_eq!(DataType::Other(raw).raw(), raw);
    }
}

/// A preview dropped by its own packet handler (named `start_stop_*` so that
/// `.ci/valgrind.sh` runs it under memcheck): the stop is handed to the crate's reaper
/// thread, whose `NET_DVR_StopRealPlay` waits for the running callback. The handler's boxed
/// state must outlive that running callback (it is still executing the handler's code) and
/// be freed as soon as the callback returns.
#[test]
fn start_stop_inside_its_own_callback_frees_the_state_after_the_callback() {
    use std::sync::Mutex;
    use std::sync::atomic::AtomicBool;

    static SLOT: Mutex<Option<hcnetsdk::Preview>> = Mutex::new(None);
    static STATE_FREED: AtomicBool = AtomicBool::new(false);
    static FREED_DURING_CALLBACK: AtomicBool = AtomicBool::new(false);
    static DONE: AtomicBool = AtomicBool::new(false);

    /// Captured by the handler: dropped exactly when the handler's boxed state is freed.
    struct Witness;
    impl Drop for Witness {
        fn drop(&mut self) {
            STATE_FREED.store(true, Ordering::SeqCst);
        }
    }

    // A `'static` session (kept reachable, so valgrind sees no leak).
    static SESSION: std::sync::OnceLock<hcnetsdk::Session> = std::sync::OnceLock::new();
    let dev = Device::new(Kind::Dome);
    let session: &'static hcnetsdk::Session = SESSION.get_or_init(|| dev.login());
    let witness = Witness;
    let preview = session
        .preview(1)
        .start(move |_| {
            let _keep = &witness;
            let taken = SLOT.lock().unwrap().take();
            if let Some(preview) = taken {
                drop(preview); // NET_DVR_StopRealPlay from inside this very callback
                // Only statics from here on: if the state had been freed, the captures are gone.
                FREED_DURING_CALLBACK.store(STATE_FREED.load(Ordering::SeqCst), Ordering::SeqCst);
                DONE.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();
    *SLOT.lock().unwrap() = Some(preview);
    let deadline = Instant::now() + WAIT;
    while !DONE.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        DONE.load(Ordering::SeqCst),
        "the handler never dropped the preview"
    );
    assert!(
        !FREED_DURING_CALLBACK.load(Ordering::SeqCst),
        "the handler's state was freed while the handler was still running"
    );
    let deadline = Instant::now() + WAIT;
    while !STATE_FREED.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        STATE_FREED.load(Ordering::SeqCst),
        "the handler's state was never freed after the callback returned"
    );
    assert_eq!(dev.value("links"), 0, "the preview stopped");
}

/// Empty stream packets (data type 2 with 0 bytes, which the SDK may send) must not use up
/// the queue's buffer pool: with more of them than the queue's capacity, normal packets keep
/// arriving and none is counted lost for lack of a free slot.
///
/// The device paces its stream in real time (a packet every ~60 ms), so a consumer that
/// keeps up never fills the queue: any loss here is a slot that was never given back. The
/// consumer keeps the latest data packet until the next one arrives (as a parser working
/// across packet boundaries does), so each empty packet, which comes right after a data
/// packet, lands in a slot whose buffer may never have held data. Then, with the consumer
/// away, the full queue must hold `CAPACITY` packets: every slot came back.
#[test]
fn empty_packets_do_not_use_up_the_queue_slots() {
    const CAPACITY: usize = 16;
    const EMPTY: u32 = 2 * CAPACITY as u32;
    let t = mock().add_test_device("pacing = \"realtime\"\nptz = false");
    let dev = Device {
        address: t.address,
        port: t.port,
        kind: Kind::Bullet,
    };
    let session = dev.login();
    let (preview, mut packets) = session.preview(1).start_queue(CAPACITY).unwrap();
    let header = packets.recv_timeout(WAIT).unwrap();
    assert_eq!(header.kind(), DataType::SysHead);
    let mut held = Some(header);
    assert!(mock().inject_empty_packets(preview.handle(), EMPTY));
    let (mut empty, mut data) = (0u32, 0u32);
    // EMPTY packets at ~60 ms each take about 2 s.
    let deadline = Instant::now() + 2 * WAIT;
    while empty < EMPTY && packets.lost() == 0 && Instant::now() < deadline {
        match packets.recv_timeout(Duration::from_millis(100)) {
            Ok(p) if p.is_empty() => {
                assert_eq!(p.kind(), DataType::Stream);
                assert_eq!(p.lost_before(), 0);
                empty += 1;
            }
            Ok(p) => {
                assert_eq!(p.kind(), DataType::Stream);
                data += 1;
                held = Some(p);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(
        packets.lost(),
        0,
        "packets lost for lack of a free slot after {empty} empty and {data} data packets: \
         each 0-byte packet must give its slot back"
    );
    assert_eq!(
        empty, EMPTY,
        "every empty packet arrives ({data} data packets)"
    );
    // Normal packets keep arriving, with nothing lost before them.
    let mut more = 0;
    while more < 10 {
        let p = packets.recv_timeout(WAIT).expect("data keeps arriving");
        assert_eq!(p.lost_before(), 0);
        if !p.is_empty() {
            more += 1;
            held = Some(p);
        }
    }
    assert_eq!(packets.lost(), 0);
    assert!(preview.stats().packets >= u64::from(1 + data + EMPTY + 10));
    // The pool is still whole: with the consumer away, the SDK's thread fills every slot
    // before it drops a packet. A slot that an empty packet never gave back is missing here
    // even when too few are missing for a consumer that keeps up to lose anything (in the
    // ring, a slot is reused in rotation, so only some slots ever hold an empty packet).
    drop(held);
    let deadline = Instant::now() + WAIT;
    while packets.lost() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(packets.lost() > 0, "the queue never filled up");
    let mut queued = 0;
    while packets.try_recv().is_some() {
        queued += 1;
    }
    assert!(
        queued >= CAPACITY,
        "only {queued} of the queue's {CAPACITY} slots held packets when it was full: \
         the others were never given back after an empty packet"
    );
    preview.stop().unwrap();
}
