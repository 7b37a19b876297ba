//! Safe, diagnosable Rust bindings to Hikvision's device network SDK (HCNetSDK), testable
//! end to end without a camera.
//!
//! * [`Sdk`] loads `libhcnetsdk.so` / `HCNetSDK.dll` at run time (an explicit path,
//!   `HCNETSDK_LIB_DIR` / `HCNETSDK_LIB`, or the defaults), tells the Linux SDK where its
//!   components are, runs `NET_DVR_Init` on first use and `NET_DVR_Cleanup` when the last
//!   handle is gone, and holds the global settings.
//! * [`Session`] is a login ([`Session::builder`]), a cheap `Clone` of one shared login;
//!   it logs out when the last clone and handle are gone, or at [`Session::logout`].
//! * [`Preview`] is a live stream delivered to a closure or a bounded queue; [`Ptz`] moves
//!   the camera; [`Snapshot`] takes JPEGs into memory. Each holds a clone of its session,
//!   so it is `'static`, moves into threads and tasks, and keeps the login alive; a logout
//!   stops the session's previews first and makes later calls fail with
//!   [`error::ErrorKind::LoggedOut`].
//! * Every failure is an [`Error`] that names the SDK function, the device, user ID,
//!   channel and handle, the typed [`ErrorCode`] read from `NET_DVR_GetLastError` right
//!   after the failing call on the same thread, the SDK's own message, and what to do
//!   (`{err:#}` prints the full diagnosis). Bad arguments are rejected before any SDK call.
//!
//! ```no_run
//! use std::time::Duration;
//! use hcnetsdk::{Password, Sdk, Session};
//!
//! fn main() -> hcnetsdk::Result<()> {
//!     let sdk = Sdk::load()?;
//!     let session = Session::builder(&sdk)
//!         .address("192.0.2.10")
//!         .user("admin")
//!         .password(Password::from_env("HCNET_PASSWORD").unwrap_or_default())
//!         .login()?;
//!     let info = session.device_info();
//!     println!("{} with channels {:?}", info.serial, info.channels().collect::<Vec<_>>());
//!
//!     let (preview, mut packets) = session.preview(1).start_queue(64)?;
//!     if let Ok(packet) = packets.recv_timeout(Duration::from_secs(5)) {
//!         println!("{:?}: {} bytes", packet.kind(), packet.len());
//!     }
//!     preview.stop()?;
//!     session.logout()
//! }
//! ```
//!
//! # Threads
//!
//! HCNetSDK may be called from any thread, so [`Sdk`], [`Session`], [`Preview`], [`Ptz`]
//! and [`Snapshot`] are `Send` and `Sync`. Packet handlers run on the SDK's own threads;
//! they must be `Send + 'static`, should return quickly, and may not unwind into C: a panic
//! is caught, logged with `tracing`, and returned by the next call on that preview.
//!
//! Teardown asked for inside an SDK callback (a handler dropping its preview or the last
//! session clone) runs on a thread of this crate, never on the SDK's own thread.
//!
//! # Feature `tokio`
//!
//! Off by default. Adds the asynchronous login as a future
//! (`builder.login_nonblocking().await`: a host name resolved with `tokio::net::lookup_host`,
//! then the SDK's asynchronous login, completed by its callback), events as streams
//! (`Session::events`, `Preview::events`: an `EventStream`), and `*_async` versions of
//! the blocking calls run on tokio's blocking pool (`Session::device_config_async`,
//! `Session::logout_async`, `Ptz::call_async`, `Snapshot::capture_async`, ...).
//! `examples/nvr.rs` shows them together.
//!
//! # Logging
//!
//! Every SDK call is a `tracing` span `sdk_call` at debug level with the function, device,
//! user ID, channel, handle and duration; failures are logged at warn with the code's
//! name. Passwords never appear in logs or `Debug` output ([`Password`]).
//!
//! # Testing without a camera
//!
//! The workspace's `hcnetsdk-mock` crate builds a drop-in `libhcnetsdk.so` that simulates
//! cameras and recorders; load it like the real SDK (`Sdk::load_from`). [`Sdk::version`]
//! says when the mock is loaded.
//!
//! # Paths
//!
//! Every public item has one path. The handles and their types are at the crate root
//! (`hcnetsdk::Session`, `hcnetsdk::Ptz`, ...); limits and defaults are associated
//! constants of the type they belong to ([`Session::DEFAULT_PORT`], [`Ptz::MAX_SPEED`],
//! [`Snapshot::DEFAULT_BUFFER`], [`Event::QUEUE_CAPACITY`], ...).
//!
//! Errors follow one rule: the types every fallible call involves are at the root
//! ([`Error`], [`Result`], [`ErrorCode`], [`Context`], [`LoginState`]); everything for
//! classifying and explaining them is in [`error`] only ([`error::ErrorKind`],
//! [`error::Category`], [`error::Retry`], [`error::Report`], the catalogue:
//! [`error::codes`], [`error::operations`], ...).
//!
//! Enums that map to SDK values ([`StreamType`], [`LinkMode`], [`DataType`], [`Motion`],
//! [`LogLevel`], [`LoginMode`], [`JpegQuality`], [`PictureSize`]) all have a public
//! `raw()` giving the SDK's value, for use with the raw declarations in [`sys`].
#![warn(missing_docs)]

pub mod alarms;
#[cfg(feature = "tokio")]
mod asynchronous;
pub mod config;
mod endpoint;
pub mod error;
mod events;
mod ffi;
pub mod isapi;
mod names;
mod playback;
mod preview;
mod probe;
mod ptz;
mod reaper;
mod recordings;
mod sdk;
mod secret;
mod session;
mod snapshot;
mod sync;
mod text;
mod time;

pub use endpoint::Endpoint;
pub use error::catalog::ErrorCode;
pub use error::context::{Context, LoginState, TimeRange};
pub use error::error::{Error, Result};
pub use events::{Event, EventKind};
/// The PS demuxer (crate `hcnetsdk-media`): [`media::Frame`] and [`media::Codec`] are what
/// the frames API delivers.
pub use hcnetsdk_media as media;
pub use playback::{Playback, PlaybackBuilder, PlaybackEnd, PlaybackEvent, PlaybackPosition};
pub use preview::{
    DataType, FrameReceiver, LinkMode, OwnedFrame, OwnedPacket, Packet, PacketReceiver, Preview,
    PreviewBuilder, PreviewStats, RecvTimeoutError, StreamType,
};
pub use probe::{PortAnswer, probe_port};
pub use ptz::{Motion, Ptz, PtzMove, PtzPosition};
pub use recordings::{
    Download, DownloadBuilder, DownloadProgress, FileType, Progress, Recording, RecordingSearch,
    Recordings,
};
pub use sdk::{Components, LogLevel, Sdk, SdkBuilder, Version};
pub use secret::Password;
pub use session::{
    ChannelRange, DeviceClock, DeviceConfig, DeviceInfo, LoginBuilder, LoginMode, PendingLogin,
    Session, check_address,
};
pub use snapshot::{JpegQuality, PictureSize, Snapshot};
pub use time::{DeviceTime, SdkTimeMode, TimeBasis};

/// The datetime crate of [`DeviceTime`] and the recording APIs (see `time`'s docs for why).
pub use jiff;

#[cfg(feature = "tokio")]
pub use asynchronous::{EventStream, RecordingStream};
#[cfg(feature = "tokio")]
pub use session::LoginFuture;

/// The raw declarations and loader (`sys::Library`, `sys::LoadError`,
/// `sys::components::ComponentPaths`), for what the safe API does not cover.
pub use hcnetsdk_sys as sys;
