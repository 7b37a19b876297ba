//! hcnetsdk-mock: a drop-in `libhcnetsdk.so` that simulates Hikvision cameras and recorders.
//!
//! It exports every function of the project's C declarations (`sys/include/hcnetsdk.h`,
//! `hcnetsdk_sys::DECLARED_FUNCTIONS`) with the same C ABI, so the safe `hcnetsdk` crate, the
//! `hcnet` CLI, or an unmodified C, Java or Python client can load it in place of the vendor
//! library. Devices come from a TOML scenario (`HCNETSDK_MOCK_SCENARIO`, or the built-in
//! default in `device/scenarios/default.toml`); addresses that no simulated device has get a
//! real TCP connection, so network failures behave as the real SDK's do.
//!
//! The devices themselves (scenario, login and lock-out rules, PTZ, media, ISAPI answers)
//! are the shared model crate `hcnetsdk-device` (`device/`), which the emulator serves over
//! the network too; this crate is their C face.
//!
//! Behaviour that the real SDK shows without a camera (lifecycle, thread-local last error,
//! network failure codes and timings, invalid handles) was measured on SDK 6.1.9.48 and is
//! copied exactly; `README.md` lists every rule and every known difference. Tests drive the
//! simulation through the `MOCK_*` exports ([`control`]).
//!
//! Layout, from the C boundary down:
//! * [`exports`] (the `NET_DVR_*` functions, one file per area) and [`control`] (the
//!   `MOCK_*` functions) are the only C-facing code: all raw-pointer handling lives there.
//!   [`ffi::call`] wraps every `NET_DVR_*` export (call counting, fault injection, panics
//!   never unwind into C, last-error bookkeeping).
//! * [`lifecycle`] holds the cascades: Init and Cleanup, Logout, a device going offline, a
//!   session dropping and resuming.
//! * [`registry`] (devices, sessions), [`preview`] (previews and their worker threads),
//!   [`alarms`] (message callbacks, armings and their delivery threads),
//!   [`events`] (the exception callback) and [`settings`] keep their own state and do not
//!   call into each other, except that preview workers emit events and read settings.
//! * [`login`], [`net`] and [`config`] do the work of single calls, on the shared model
//!   (`hcnetsdk_device`: [`scenario`], [`media`], [`ptz`], and its ISAPI answers); [`faults`],
//!   [`errors`], [`log`] and [`sync`] are plain data and helpers.

mod alarms;
mod config;
mod control;
mod errors;
mod events;
mod exports;
mod faults;
mod ffi;
mod lifecycle;
mod log;
mod login;
mod net;
mod playback;
mod preview;
mod recordings;
mod registry;
mod settings;
mod sync;

// The shared device model, under the names the mock's modules have always used.
use hcnetsdk_device::{media, ptz, scenario};

/// Compile-time proof that every export has exactly the signature that hcnetsdk-sys's
/// bindgen output (generated from `sys/include/hcnetsdk.h`) declares: each export is stored
/// into the loader's function table, whose field types are the declared pointer types. The
/// names come from hcnetsdk-sys's one list (`for_each_declared_function!`), so a function
/// added to the header and not to the mock fails to compile here.
#[allow(dead_code)]
fn signature_check(mut f: hcnetsdk_sys::HcNetSdkFns) -> hcnetsdk_sys::HcNetSdkFns {
    macro_rules! check {
        ($($name:ident),* $(,)?) => { $( f.$name = Ok(exports::$name); )* };
    }
    hcnetsdk_sys::for_each_declared_function!(check);
    f
}
