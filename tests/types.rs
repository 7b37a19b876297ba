//! Type-level guarantees of the public API: which handles cross threads, and that every
//! handle owns what it needs (`'static`), so it moves into `std::thread::spawn` or
//! `tokio::spawn`. (That a handle cannot outlive its parent now holds at run time: each
//! keeps its session, and the session its SDK, alive; tests/owned.rs checks it.)

use hcnetsdk::{
    Error, Event, OwnedPacket, Packet, PacketReceiver, Password, PendingLogin, Preview,
    PreviewBuilder, Ptz, PtzMove, Sdk, Session, Snapshot,
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
// Handles that own one SDK handle (a real-play handle, a moving PTZ) are unique: never
// Clone or Copy. A `Session` is a shared login: Clone, never Copy.
assert_not_impl_any!(Session: Copy);
assert_not_impl_any!(Preview: Clone, Copy);
assert_not_impl_any!(PtzMove: Clone, Copy);
assert_not_impl_any!(Ptz: Copy);

#[cfg(feature = "tokio")]
assert_impl_all!(hcnetsdk::EventStream: Send, Sync, Unpin, futures_core::Stream<Item = Event>);
#[cfg(feature = "tokio")]
assert_impl_all!(hcnetsdk::LoginFuture: Send, Sync, Unpin, std::future::Future<Output = hcnetsdk::Result<Session>>);

#[test]
fn handles_are_static() {
    assert_static::<Session>();
    assert_static::<Preview>();
    assert_static::<PreviewBuilder>();
    assert_static::<Ptz>();
    assert_static::<PtzMove>();
    assert_static::<Snapshot>();
    assert_static::<PendingLogin>();
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
