//! Device configuration: typed get/set for common settings, and a sound generic path for any
//! other `NET_DVR_*` configuration struct.
//!
//! [`Session::config`] gives a [`Config`] with four typed pairs, each a small Rust struct
//! mapped onto the SDK's C struct:
//!
//! | get / set | struct | classic command | ISAPI |
//! | --- | --- | --- | --- |
//! | [`device`](Config::device) / [`set_device`](Config::set_device) | [`DeviceSettings`] | `NET_DVR_GET/SET_DEVICECFG_V40` | `/ISAPI/System/deviceInfo` |
//! | [`ntp`](Config::ntp) / [`set_ntp`](Config::set_ntp) | [`Ntp`] | `NET_DVR_GET/SET_NTPCFG` | `/ISAPI/System/time/ntpServers/1` (+ `timeMode` of `/ISAPI/System/time`) |
//! | [`network`](Config::network) / [`set_network`](Config::set_network) | [`Network`] | `NET_DVR_GET/SET_NETCFG_V50` | `/ISAPI/System/Network/interfaces/1` (+ ports from `Security/adminAccesses`) |
//! | [`compression`](Config::compression) / [`set_compression`](Config::set_compression) | [`Compression`] | `NET_DVR_GET/SET_COMPRESSCFG_V30` | `/ISAPI/Streaming/channels/N01`, `N02` |
//!
//! On a [`LoginMode::Isapi`](crate::LoginMode::Isapi) session the classic calls fail (the
//! SDK answers 23 or 189 without asking the device), so the same methods go through ISAPI:
//! user code does not change with the login mode. A set reads the current configuration
//! first and changes only the fields the Rust struct carries, so the rest (the NTP
//! struct's zone offset, the time mode, reserved fields) keeps the device's values.
//!
//! # The generic path
//!
//! [`Config::get`] and [`Config::set`] take any type implementing the `unsafe` trait
//! [`ConfigStruct`], which ties a C struct to its commands. The buffer handed to the SDK is
//! always exactly one `T`, so safe code cannot hand the SDK a wrongly sized buffer; the
//! implementer's promise is that `T` *is* the command's struct:
//!
//! ```no_run
//! # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
//! use hcnetsdk::sys;
//! let mut raw: sys::NET_DVR_NTPPARA = session.config().get(0)?;
//! raw.wInterval = 30;
//! session.config().set(0, &raw)?;
//! # Ok(()) }
//! ```
//!
//! A type without that promise does not compile:
//!
//! ```compile_fail,E0277
//! # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
//! // A 4-byte array is not a configuration struct: no `ConfigStruct` impl, no call.
//! let raw: [u8; 4] = session.config().get(1)?;
//! # Ok(()) }
//! ```
//!
//! ```compile_fail,E0200
//! // Implementing the trait needs `unsafe impl`: the contract is the implementer's.
//! #[derive(Clone, Copy, Default)]
//! struct Tiny(u8);
//! impl hcnetsdk::config::ConfigStruct for Tiny {
//!     const GET: u32 = hcnetsdk::sys::NET_DVR_GET_NTPCFG;
//!     const SET: Option<u32> = None;
//! }
//! ```
//!
//! Reboot and shutdown are on [`Session`]: [`Session::reboot`], [`Session::shutdown`].

mod classic;
mod isapi;

use hcnetsdk_sys as sys;

use crate::error::{Error, Result};
use crate::ffi::cstr;
use crate::session::Session;

/// A C configuration struct of `NET_DVR_GetDVRConfig` / `NET_DVR_SetDVRConfig`.
///
/// # Safety
///
/// The implementer promises, for `Self`:
/// * it is the very struct the SDK reads and writes for [`GET`](Self::GET) and
///   [`SET`](Self::SET) (`#[repr(C)]`, the SDK's layout and size, as in
///   [`sys`]), so `size_of::<Self>()` is the size the SDK expects;
/// * it is plain data: no pointers, references or `Drop`; every bit pattern the SDK may
///   write is a valid value (integers, byte arrays, nested structs of the same kind);
/// * [`prepare`](Self::prepare) only writes fields of `Self` (it sets `dwSize` where the
///   struct has one).
///
/// [`Config::get`] passes the SDK a pointer to one `Self` and `size_of::<Self>()`;
/// [`Config::set`] likewise. Implemented here for the structs of the typed settings.
pub unsafe trait ConfigStruct: Copy + Default + 'static {
    /// The `NET_DVR_GET_*` command.
    const GET: u32;
    /// The `NET_DVR_SET_*` command, if the struct can be written.
    const SET: Option<u32>;
    /// Fill what the SDK checks before a call (`dwSize`). The default does nothing.
    fn prepare(&mut self) {}
}

macro_rules! config_struct {
    ($t:ident, $get:ident, $set:ident, sized) => {
        config_struct!($t, $get, $set, |c: &mut sys::$t| {
            c.dwSize = size_of::<sys::$t>() as u32;
        });
    };
    ($t:ident, $get:ident, $set:ident, $prep:expr) => {
        // SAFETY: the sys struct is the command's own (generated from the layout facts and
        // checked against them by the sys crate's layout tests); bindgen structs of integers
        // and arrays are plain data; `prepare` writes `dwSize` only.
        unsafe impl ConfigStruct for sys::$t {
            const GET: u32 = sys::$get;
            const SET: Option<u32> = Some(sys::$set);
            fn prepare(&mut self) {
                let f: fn(&mut Self) = $prep;
                f(self)
            }
        }
    };
}

config_struct!(
    NET_DVR_DEVICECFG_V40,
    NET_DVR_GET_DEVICECFG_V40,
    NET_DVR_SET_DEVICECFG_V40,
    sized
);
config_struct!(
    NET_DVR_NTPPARA,
    NET_DVR_GET_NTPCFG,
    NET_DVR_SET_NTPCFG,
    |_| {}
);
config_struct!(
    NET_DVR_NETCFG_V50,
    NET_DVR_GET_NETCFG_V50,
    NET_DVR_SET_NETCFG_V50,
    sized
);
config_struct!(
    NET_DVR_COMPRESSIONCFG_V30,
    NET_DVR_GET_COMPRESSCFG_V30,
    NET_DVR_SET_COMPRESSCFG_V30,
    sized
);

/// The device's own settings from `NET_DVR_DEVICECFG_V40` (read-only facts such as the
/// model and serial are in [`Session::device_config`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeviceSettings {
    /// The device name (`sDVRName`; ISAPI `deviceName`).
    pub name: String,
    /// The ID a remote control addresses (`dwDVRID`; ISAPI `telecontrolID`).
    pub device_id: u32,
}

impl DeviceSettings {
    /// Settings with this name and ID.
    #[must_use]
    pub fn new(name: impl Into<String>, device_id: u32) -> Self {
        Self {
            name: name.into(),
            device_id,
        }
    }
}

/// The NTP client (`NET_DVR_NTPPARA` without the zone offset, which belongs to the clock:
/// see [`Session::time`](crate::Session)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ntp {
    /// Synchronise with the server (`byEnableNTP`; ISAPI `timeMode` `NTP`).
    pub enabled: bool,
    /// Host name or IPv4 address (at most 63 bytes).
    pub server: String,
    /// UDP port.
    pub port: u16,
    /// Minutes between synchronisations.
    pub interval_minutes: u16,
}

impl Ntp {
    /// NTP on, with this server on port 123 every hour.
    #[must_use]
    pub fn new(server: impl Into<String>) -> Self {
        Self {
            enabled: true,
            server: server.into(),
            port: 123,
            interval_minutes: 60,
        }
    }
}

/// The first network interface (`NET_DVR_NETCFG_V50`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Network {
    /// The device's IPv4 address.
    pub ip: std::net::Ipv4Addr,
    /// Subnet mask.
    pub mask: std::net::Ipv4Addr,
    /// Default gateway.
    pub gateway: std::net::Ipv4Addr,
    /// Primary DNS server.
    pub dns1: std::net::Ipv4Addr,
    /// Secondary DNS server (`0.0.0.0`: none).
    pub dns2: std::net::Ipv4Addr,
    /// The SDK (device management) port. Over ISAPI it is read, not written.
    pub sdk_port: u16,
    /// The HTTP port. Over ISAPI it is read, not written.
    pub http_port: u16,
    /// Address from DHCP.
    pub dhcp: bool,
}

/// A video codec of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VideoCodec {
    /// H.264 (`byVideoEncType` 1; ISAPI `H.264`).
    H264,
    /// H.265 (`byVideoEncType` 10; ISAPI `H.265`).
    H265,
}

impl VideoCodec {
    /// The SDK's `byVideoEncType` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u8 {
        match self {
            VideoCodec::H264 => 1,
            VideoCodec::H265 => 10,
        }
    }
}

/// One stream's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamCompression {
    /// Video codec.
    pub codec: VideoCodec,
    /// Picture width in pixels.
    pub width: u32,
    /// Picture height in pixels.
    pub height: u32,
    /// Constant bitrate in kbit/s.
    pub bitrate_kbps: u32,
    /// Frames per second.
    pub fps: u32,
}

/// A channel's encoding (`NET_DVR_COMPRESSIONCFG_V30`): main and sub stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Compression {
    /// The main stream (`struNormHighRecordPara`; ISAPI `N01`).
    pub main: StreamCompression,
    /// The sub stream (`struNetPara`; ISAPI `N02`).
    pub sub: StreamCompression,
}

/// Configuration of one session's device: see the [module docs](self).
#[derive(Debug, Clone)]
pub struct Config {
    session: Session,
}

impl Session {
    /// The device's configuration: typed settings and the generic [`ConfigStruct`] path.
    pub fn config(&self) -> Config {
        Config {
            session: self.clone(),
        }
    }

    /// **Reboots the device.** Every session to it loses its connection (an
    /// [`EventKind`](crate::EventKind) exception) and reconnects, if reconnect is on, once
    /// the device is back. On an ISAPI login this is `PUT /ISAPI/System/reboot`.
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_RebootDVR` (2: the user may not).
    #[doc(alias = "NET_DVR_RebootDVR")]
    pub fn reboot(&self) -> Result<()> {
        if self.routes_through_isapi() {
            return self.isapi().put("/ISAPI/System/reboot", "").map(drop);
        }
        classic::power(self, false)
    }

    /// **Shuts the device down.** It stays off until someone powers it on at the device:
    /// no call brings it back. Every session to it loses its connection. Not available
    /// on an ISAPI login (an invalid-input error, before any call).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_ShutDownDVR` (2: the user may not).
    #[doc(alias = "NET_DVR_ShutDownDVR")]
    pub fn shutdown(&self) -> Result<()> {
        if self.routes_through_isapi() {
            return Err(Error::invalid_input(
                "login mode",
                "ISAPI",
                "ISAPI has no shutdown request; log in in classic (private) mode to shut down",
            )
            .with_context(self.context()));
        }
        classic::power(self, true)
    }
}

impl Config {
    /// Read a configuration struct of `channel` (0 for device-wide commands) with
    /// `NET_DVR_GetDVRConfig`, whatever the login mode (in ISAPI mode the SDK refuses).
    ///
    /// # Errors
    /// The SDK's code (23: the device does not know the command; 189 on an ISAPI login).
    #[doc(alias = "NET_DVR_GetDVRConfig")]
    pub fn get<T: ConfigStruct>(&self, channel: u32) -> Result<T> {
        classic::get(&self.session, channel)
    }

    /// Write a configuration struct of `channel` with `NET_DVR_SetDVRConfig`.
    ///
    /// # Errors
    /// An invalid-input error for a struct without a set command; the SDK's code.
    #[doc(alias = "NET_DVR_SetDVRConfig")]
    pub fn set<T: ConfigStruct>(&self, channel: u32, value: &T) -> Result<()> {
        classic::set(&self.session, channel, value)
    }

    fn isapi_mode(&self) -> bool {
        self.session.routes_through_isapi()
    }

    /// The device name and ID.
    ///
    /// # Errors
    /// The SDK's code, or the device's `ResponseStatus` over ISAPI.
    pub fn device(&self) -> Result<DeviceSettings> {
        if self.isapi_mode() {
            return isapi::device(&self.session);
        }
        classic::device(&self.session)
    }

    /// Change the device name and ID (admin only).
    ///
    /// # Errors
    /// A name over 31 bytes (before any call); the SDK's code or `ResponseStatus`.
    pub fn set_device(&self, v: &DeviceSettings) -> Result<()> {
        if v.name.len() > 31 {
            return Err(
                Error::invalid_input("name", &v.name, "use at most 31 bytes")
                    .with_context(self.session.context()),
            );
        }
        cstr::check_field("name", &v.name, &v.name, 32)
            .map_err(|e| e.with_context(self.session.context()))?;
        if self.isapi_mode() {
            return isapi::set_device(&self.session, v);
        }
        classic::set_device(&self.session, v)
    }

    /// The NTP client settings.
    ///
    /// # Errors
    /// The SDK's code, or the device's `ResponseStatus` over ISAPI.
    pub fn ntp(&self) -> Result<Ntp> {
        if self.isapi_mode() {
            return isapi::ntp(&self.session);
        }
        classic::ntp(&self.session)
    }

    /// Change the NTP client settings (admin only). The zone offset stays.
    ///
    /// # Errors
    /// An empty or over-long server, port 0 or interval 0 (before any call); the SDK's code
    /// or `ResponseStatus`.
    pub fn set_ntp(&self, v: &Ntp) -> Result<()> {
        let bad = |field, value: &dyn std::fmt::Display, fix: &str| {
            Err(Error::invalid_input(field, value, fix).with_context(self.session.context()))
        };
        if v.server.is_empty() || v.server.len() > 63 {
            return bad(
                "server",
                &v.server,
                "give a host name or address of 1 to 63 bytes",
            );
        }
        cstr::check_field("server", &v.server, &v.server, 64)
            .map_err(|e| e.with_context(self.session.context()))?;
        if v.port == 0 {
            return bad(
                "port",
                &v.port,
                "use the server's UDP port (123 by default)",
            );
        }
        if v.interval_minutes == 0 {
            return bad("interval_minutes", &0, "use at least 1 minute");
        }
        if self.isapi_mode() {
            return isapi::set_ntp(&self.session, v);
        }
        classic::set_ntp(&self.session, v)
    }

    /// The first network interface.
    ///
    /// # Errors
    /// The SDK's code, or the device's `ResponseStatus` over ISAPI.
    pub fn network(&self) -> Result<Network> {
        if self.isapi_mode() {
            return isapi::network(&self.session);
        }
        classic::network(&self.session)
    }

    /// Change the first network interface (admin only). The device may move to the new
    /// address: this session then loses it. Over ISAPI the ports are not written: a change
    /// of port is an invalid-input error there.
    ///
    /// # Errors
    /// The SDK's code or `ResponseStatus`.
    pub fn set_network(&self, v: &Network) -> Result<()> {
        if self.isapi_mode() {
            return isapi::set_network(&self.session, v);
        }
        classic::set_network(&self.session, v)
    }

    /// The encoding of `channel`'s main and sub stream.
    ///
    /// # Errors
    /// A channel the device lacks (before any call); the SDK's code or `ResponseStatus`.
    pub fn compression(&self, channel: u32) -> Result<Compression> {
        let channel = self.session.check_channel(channel)?;
        if self.isapi_mode() {
            return isapi::compression(&self.session, channel);
        }
        classic::compression(&self.session, channel)
    }

    /// Change the encoding of `channel`'s streams (admin only).
    ///
    /// # Errors
    /// A channel the device lacks, a picture size or frame rate the classic struct cannot
    /// say (before any call); the SDK's code or `ResponseStatus`.
    pub fn set_compression(&self, channel: u32, v: &Compression) -> Result<()> {
        let channel = self.session.check_channel(channel)?;
        if self.isapi_mode() {
            return isapi::set_compression(&self.session, channel, v);
        }
        classic::set_compression(&self.session, channel, v)
    }
}
