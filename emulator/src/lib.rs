//! hcnetsdk-emulator: simulated Hikvision devices on loopback that the real HCNetSDK logs
//! into in its ISAPI login mode (`byLoginMode = 1`).
//!
//! Each device of a scenario gets its own HTTP port (ISAPI: the login handshake, the
//! endpoints the SDK reads after it, the pass-through requests) and its own RTSP port (live
//! preview as RTP, which the SDK turns into Hikvision PS). The facts it follows are in
//! `shared/reference/real-sdk-isapi.md`. It binds 127.0.0.1 only.
//!
//! [`Emulator::start`] serves every device of a `hcnetsdk_device::Scenario` this way, from
//! the device model the mock `libhcnetsdk.so` answers from too.
//!
//! Layout:
//! * [`emulator`]: [`Emulator`], the devices of a scenario with their ports;
//! * [`faults`]: offline, a drop mid-stream, slow answers, the lock, per device;
//! * [`device`]: the shared device model behind both faces ([`device::DeviceModel`], the
//!   RTSP media and users);
//! * [`http`]: the ISAPI face (hyper; HTTPS with rustls), the session-login handshake and its hash;
//! * [`rtsp`]: the RTSP face (DESCRIBE/SETUP/PLAY/HEARTBEAT/TEARDOWN, digest auth), the SDP
//!   with the IMKH `Media_header`, and the RTP packetisers.

pub mod device;
pub mod emulator;
pub mod faults;
pub mod http;
pub mod rtsp;

pub use emulator::{EmulatedDevice, Emulator, RtspRef};
