//! hcnetsdk-device: the simulated Hikvision devices, shared by both faces that serve them.
//!
//! * the mock `libhcnetsdk.so` (`mock-sdk/`, the C ABI face): the safe crate, the CLI or any
//!   C program calls `NET_DVR_*` and the mock answers from these devices in-process;
//! * the emulator (`emulator/`, the network face): ISAPI over HTTP and RTSP/RTP on loopback,
//!   so the vendor's own SDK can log in to the same devices.
//!
//! Every rule of a device lives here once, and both faces call it:
//! * [`scenario`]: the TOML scenario file (devices, users and roles, channels, codecs,
//!   limits), [`Scenario::parse`], [`Scenario::default`] (the built-in
//!   `scenarios/default.toml`, [`DEFAULT_SCENARIO`]);
//! * [`Device`]: one device's run-time state behind an interior mutex (online flag, login
//!   failure counter and lock, sessions and preview links, device name, PTZ heads) and the
//!   rules on it: [`Device::login_attempt`] (with a closure that checks the stored password,
//!   so the emulator can check a salted hash), [`Device::ptz`], [`Device::picture`],
//!   [`Device::open_link`];
//! * [`ptz`]: pan/tilt/zoom kinematics, presets, cruise routes, the SDK's position encoding;
//! * [`media`]: the clips: camera-shaped PS as the SDK's data callback receives it
//!   ([`media::Clip`]), the same media as access units for RTP ([`media::elementary`]), the
//!   snapshot JPEG;
//! * [`recordings`]: the recording timeline per channel (`[[device.recording]]`), anchored
//!   to a clock: file lists, searches with the SDK's find statuses, download/playback
//!   streams cut at keyframes, and the ISAPI `CMSearchResult`;
//! * [`alarms`]: what the device reports and when (`[[device.alarm]]`, [`Device::raise`]),
//!   its armings ([`Device::arm`], `max_armings`) and the ISAPI `EventNotificationAlert`;
//! * [`isapi`]: [`Device::isapi`] answers ISAPI requests (device info, channels, PTZ,
//!   picture, the read-only endpoints the real SDK reads after an ISAPI login) with an
//!   [`IsapiAnswer`]: HTTP status, body, content type.
//!
//! Refusals are [`DeviceError`]s: the mock maps them onto the SDK's codes
//! ([`DeviceError::sdk_code`]), the emulator onto HTTP and `ResponseStatus`. There is no
//! unsafe code and no C type here.

#![forbid(unsafe_code)]

pub mod alarms;
pub mod config;
mod device;
mod error;
pub mod isapi;
pub mod media;
pub mod ptz;
pub mod recordings;
pub mod scenario;
pub mod time;

pub use alarms::{Alarm, AlarmKind, AlarmSpec, Arming};
pub use device::{Device, DeviceState, LoginOutcome};
pub use error::DeviceError;
pub use isapi::IsapiAnswer;
pub use scenario::{DEFAULT_SCENARIO, DeviceSpec, Kind, Pacing, Role, Scenario};

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Lock `m`, ignoring poisoning: a face that catches panics (the mock turns them into error
/// 76) keeps serving, so a lock a panicking thread held must stay usable. The emulator
/// locks its own state with it too.
pub fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
