//! Type-level guarantees of the public API: which handles cross threads, and that every
//! handle owns what it needs (`'static`), so it moves into `std::thread::spawn` or
//! `tokio::spawn`. (That a handle cannot outlive its parent now holds at run time: each
//! keeps its session, and the session its SDK, alive; tests/owned.rs checks it.)

use hcnetsdk::alarms::{AlarmListener, AlarmReceiver, Alarms, AlarmsBuilder};
use hcnetsdk::config::Config;
use hcnetsdk::isapi::Isapi;
use hcnetsdk::{
    Download, DownloadBuilder, Error, Event, FrameReceiver, OwnedFrame, OwnedPacket, Packet,
    PacketReceiver, Password, PendingLogin, Playback, PlaybackBuilder, Preview, PreviewBuilder,
    Ptz, PtzMove, RecordingSearch, Recordings, Sdk, Session, Snapshot,
};
use static_assertions::{assert_impl_all, assert_not_impl_any};

/// `T` owns everything it uses: no borrowed lifetime.
fn assert_static<T: 'static>() {}

// HCNetSDK may be called from any thread.
assert_impl_all!(Sdk: Send, Sync, Clone);
assert_impl_all!(Session: Send, Sync, Clone);
assert_impl_all!(Preview: Send, Sync);
assert_impl_all!(PreviewBuilder: Send, Sync);
assert_impl_all!(Ptz: Send, Sync, Clone);
assert_impl_all!(PtzMove: Send, Sync);
assert_impl_all!(Snapshot: Send, Sync, Clone);
assert_impl_all!(PendingLogin: Send, Sync);
assert_impl_all!(PacketReceiver: Send, Sync);
assert_impl_all!(OwnedPacket: Send, Sync);
assert_impl_all!(Packet<'static>: Send, Sync, Copy);
assert_impl_all!(Event: Send, Sync, Copy);
assert_impl_all!(Password: Send, Sync);
assert_impl_all!(Error: Send, Sync, std::error::Error);
// The handles that came after the owned-handles issue (playback, recordings, alarms,
// frames, configuration, ISAPI): each holds its session, so they move the same way.
assert_impl_all!(FrameReceiver: Send, Sync);
assert_impl_all!(OwnedFrame: Send, Sync);
assert_impl_all!(Playback: Send, Sync);
assert_impl_all!(PlaybackBuilder: Send, Sync);
assert_impl_all!(Download: Send, Sync);
assert_impl_all!(DownloadBuilder: Send, Sync);
assert_impl_all!(RecordingSearch: Send, Sync);
assert_impl_all!(Recordings: Send, Sync);
assert_impl_all!(Alarms: Send, Sync);
assert_impl_all!(AlarmsBuilder: Send, Sync);
assert_impl_all!(AlarmListener: Send, Sync);
assert_impl_all!(Config: Send, Sync);
assert_impl_all!(Isapi: Send, Sync);
// One consumer: receiving takes `&mut self`, so it moves between threads (Send) but is not
// shared; the handle that feeds it (`Alarms`) is Sync.
assert_impl_all!(AlarmReceiver: Send);
// Handles that own one SDK handle (a real-play handle, a moving PTZ) are unique: never
// Clone or Copy. A `Session` is a shared login: Clone, never Copy.
assert_not_impl_any!(Session: Copy);
assert_not_impl_any!(Preview: Clone, Copy);
assert_not_impl_any!(PtzMove: Clone, Copy);
assert_not_impl_any!(Ptz: Copy);
assert_not_impl_any!(Playback: Clone, Copy);
assert_not_impl_any!(Download: Clone, Copy);

#[cfg(feature = "tokio")]
assert_impl_all!(hcnetsdk::EventStream: Send, Sync, Unpin, futures_core::Stream<Item = Event>);
#[cfg(feature = "tokio")]
assert_impl_all!(hcnetsdk::LoginFuture: Send, Sync, Unpin, std::future::Future<Output = hcnetsdk::Result<Session>>);
#[cfg(feature = "tokio")]
assert_impl_all!(PacketReceiver: Unpin, futures_core::Stream<Item = OwnedPacket>);
#[cfg(feature = "tokio")]
assert_impl_all!(FrameReceiver: Unpin, futures_core::Stream<Item = OwnedFrame>);
#[cfg(feature = "tokio")]
assert_impl_all!(AlarmReceiver: Unpin, futures_core::Stream<Item = hcnetsdk::alarms::Alarm>);
#[cfg(feature = "tokio")]
assert_impl_all!(hcnetsdk::RecordingStream: Send, Unpin, futures_core::Stream<Item = hcnetsdk::Result<hcnetsdk::Recording>>);

#[test]
fn handles_are_static() {
    assert_static::<Session>();
    assert_static::<Preview>();
    assert_static::<PreviewBuilder>();
    assert_static::<Ptz>();
    assert_static::<PtzMove>();
    assert_static::<Snapshot>();
    assert_static::<PendingLogin>();
    assert_static::<PacketReceiver>();
    assert_static::<OwnedPacket>();
    assert_static::<FrameReceiver>();
    assert_static::<OwnedFrame>();
    assert_static::<Playback>();
    assert_static::<PlaybackBuilder>();
    assert_static::<Download>();
    assert_static::<DownloadBuilder>();
    assert_static::<RecordingSearch>();
    assert_static::<Recordings>();
    assert_static::<Alarms>();
    assert_static::<AlarmsBuilder>();
    assert_static::<AlarmReceiver>();
    assert_static::<AlarmListener>();
    assert_static::<Config>();
    assert_static::<Isapi>();
    #[cfg(feature = "tokio")]
    {
        assert_static::<hcnetsdk::EventStream>();
        assert_static::<hcnetsdk::LoginFuture>();
        assert_static::<hcnetsdk::RecordingStream>();
    }
}

#[test]
fn password_never_prints() {
    let p = Password::new("hunter2");
    assert_eq!(format!("{p} {p:?} {p:#?}"), "*** *** ***");
}

#[test]
fn enums_give_their_sdk_values() {
    use hcnetsdk::alarms::AlarmPriority;
    use hcnetsdk::config::VideoCodec;
    assert_eq!(VideoCodec::H264.raw(), 1, "byVideoEncType");
    assert_eq!(VideoCodec::H265.raw(), 10, "byVideoEncType");
    let levels = [
        AlarmPriority::High,
        AlarmPriority::Medium,
        AlarmPriority::Low,
    ];
    assert_eq!(levels.map(AlarmPriority::raw), [0, 1, 2], "byLevel");
    assert_eq!(
        AlarmPriority::default().raw(),
        2,
        "the SDK's demos' default"
    );
}
