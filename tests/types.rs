//! Type-level guarantees of the public API: which handles cross threads. (That handles
//! cannot outlive their parent is proven by compile_fail doc tests on `Session` and
//! `Preview`.)

use hcnetsdk::{
    Error, Event, OwnedPacket, Packet, PacketReceiver, Password, PendingLogin, Preview, Ptz,
    PtzMove, Sdk, Session, Snapshot,
};
use static_assertions::{assert_impl_all, assert_not_impl_any};

// HCNetSDK may be called from any thread.
assert_impl_all!(Sdk: Send, Sync, Clone);
assert_impl_all!(Session: Send, Sync);
assert_impl_all!(Preview<'static>: Send, Sync);
assert_impl_all!(Ptz<'static>: Send, Sync, Copy);
assert_impl_all!(PtzMove<'static>: Send, Sync);
assert_impl_all!(Snapshot<'static>: Send, Sync);
assert_impl_all!(PendingLogin: Send, Sync);
assert_impl_all!(PacketReceiver: Send, Sync);
assert_impl_all!(OwnedPacket: Send, Sync);
assert_impl_all!(Packet<'static>: Send, Sync, Copy);
assert_impl_all!(Event: Send, Sync, Copy);
assert_impl_all!(Password: Send, Sync);
assert_impl_all!(Error: Send, Sync, std::error::Error);
// Handles are unique owners of an SDK handle: never Clone or Copy.
assert_not_impl_any!(Session: Clone, Copy);
assert_not_impl_any!(Preview<'static>: Clone, Copy);
assert_not_impl_any!(PtzMove<'static>: Clone, Copy);

#[test]
fn password_never_prints() {
    let p = Password::new("hunter2");
    assert_eq!(format!("{p} {p:?} {p:#?}"), "*** *** ***");
}
