//! [`Session`]: a login to one device, and what the device said about itself.
//!
//! The handles made from a session ([`Preview`](crate::Preview), [`Ptz`](crate::Ptz),
//! [`Snapshot`](crate::Snapshot)) add their constructors to `Session` in their own
//! modules, so this one depends on none of them.

mod device_info;
mod login;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_sys as sys;

pub use device_info::{ChannelRange, DeviceConfig, DeviceInfo, LoginMode};
pub use login::{LoginBuilder, PendingLogin};

use crate::endpoint::Endpoint;
use crate::error::{Context, Error, Result};
use crate::events::{Event, EventQueue, Route};
use crate::ffi::{channel_long, resolve};
use crate::sdk::Sdk;
use crate::text;

/// A logged-in session with one device.
///
/// Logs out when dropped (ignoring errors); [`logout`](Self::logout) does it explicitly
/// and reports them. It holds the [`Sdk`] alive, so `NET_DVR_Cleanup` cannot run before
/// it is gone. [`Preview`](crate::Preview), [`Ptz`](crate::Ptz) and
/// [`Snapshot`](crate::Snapshot) borrow it, so it
/// cannot be dropped while they exist:
///
/// ```compile_fail,E0505
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
/// let preview = session.preview(1).start(|_packet| {})?;
/// drop(session); // error[E0505]: cannot move out of `session` because it is borrowed
/// drop(preview);
/// # Ok(()) }
/// ```
///
/// ```compile_fail,E0505
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
/// let ptz = session.ptz(1)?;
/// session.logout()?; // error[E0505]: cannot move out of `session` because it is borrowed
/// drop(ptz);
/// # Ok(()) }
/// ```
///
/// ```compile_fail,E0505
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
/// let mut snapshot = session.snapshot(1)?;
/// drop(session); // error[E0505]
/// snapshot.capture()?;
/// # Ok(()) }
/// ```
///
/// The same code with the handles released first compiles:
///
/// ```no_run
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
/// let preview = session.preview(1).start(|_packet| {})?;
/// let ptz = session.ptz(1)?;
/// let mut snapshot = session.snapshot(1)?;
/// snapshot.capture()?;
/// drop((preview, ptz, snapshot));
/// session.logout()?;
/// # Ok(()) }
/// ```
pub struct Session {
    sdk: Sdk,
    user_id: i32,
    /// Shared with every error's context (copying it allocates nothing).
    address: Arc<str>,
    port: u16,
    info: DeviceInfo,
    events: Arc<EventQueue>,
    route: Option<Route>,
    logged_out: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("address", &self.address)
            .field("port", &self.port)
            .field("user_id", &self.user_id)
            .field("serial", &self.info.serial)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The device port HCNetSDK devices listen on by default.
    pub const DEFAULT_PORT: u16 = 8000;

    /// Start describing a login to a device.
    ///
    /// ```no_run
    /// # fn main() -> hcnetsdk::Result<()> {
    /// use hcnetsdk::{Password, Sdk, Session};
    /// let sdk = Sdk::load()?;
    /// let session = Session::builder(&sdk)
    ///     .address("192.0.2.10")
    ///     .port(8000)
    ///     .user("admin")
    ///     .password(Password::from_env("HCNET_PASSWORD").unwrap_or_default())
    ///     .login()?;
    /// println!("{} channels", session.device_info().channels().count());
    /// # Ok(()) }
    /// ```
    pub fn builder(sdk: &Sdk) -> LoginBuilder {
        LoginBuilder::new(sdk)
    }

    fn new(sdk: Sdk, user_id: i32, address: String, port: u16, info: DeviceInfo) -> Self {
        tracing::info!(device = %Endpoint::new(&address, port), user_id, serial = %info.serial, "logged in");
        let events = EventQueue::new();
        let route = Some(Route::session(user_id, &events));
        Self {
            sdk,
            user_id,
            address: address.into(),
            port,
            info,
            events,
            route,
            logged_out: false,
        }
    }

    /// The SDK this session belongs to.
    pub fn sdk(&self) -> &Sdk {
        &self.sdk
    }

    /// The SDK's user ID for this login.
    pub fn user_id(&self) -> i32 {
        self.user_id
    }

    /// The address logged in to.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The port logged in to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the device reported at login.
    pub fn device_info(&self) -> &DeviceInfo {
        &self.info
    }

    pub(crate) fn context(&self) -> Context {
        Context {
            address: Some(Arc::clone(&self.address)),
            port: Some(self.port),
            user_id: Some(self.user_id),
            ..Context::default()
        }
    }

    /// The address and port logged in to, displayed as `address:port` (IPv6 in
    /// brackets).
    pub fn endpoint(&self) -> Endpoint<'_> {
        Endpoint::new(&self.address, self.port)
    }

    pub(crate) fn channel_context(&self, channel: u32) -> Context {
        Context {
            channel: channel_long(channel).ok(),
            ..self.context()
        }
    }

    /// Check that `channel` is on the device and can go to the SDK as a LONG.
    pub(crate) fn check_channel(&self, channel: u32) -> Result<u32> {
        if !self.info.has_channel(channel) {
            return Err(Error::invalid_input(
                "channel",
                channel,
                format!(
                    "{} has analog channels {} and IP channels {}; use one of those",
                    self.endpoint(),
                    self.info.analog_channels,
                    self.info.ip_channels
                ),
            )
            .with_context(self.context()));
        }
        channel_long(channel).map_err(|e| e.with_context(self.context()))?;
        Ok(channel)
    }

    /// Read the device's configuration: its name (decoded from GBK or the encoding the
    /// device declared), model, serial and firmware.
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_GetDVRConfig` (e.g. 23 when the device does not
    /// support the command, 47 when the session is gone).
    #[doc(alias = "NET_DVR_GetDVRConfig")]
    #[doc(alias = "NET_DVR_GET_DEVICECFG_V40")]
    pub fn device_config(&self) -> Result<DeviceConfig> {
        let ctx = self.context();
        let get = resolve!(self.sdk.lib(), NET_DVR_GetDVRConfig);
        let mut cfg = sys::NET_DVR_DEVICECFG_V40 {
            dwSize: size_of::<sys::NET_DVR_DEVICECFG_V40>() as u32,
            ..Default::default()
        };
        let mut returned: sys::DWORD = 0;
        // SAFETY: the output buffer is a live NET_DVR_DEVICECFG_V40 and its exact size is
        // passed; `returned` is a live DWORD.
        get.bool(&ctx, |f| unsafe {
            f(
                self.user_id,
                sys::NET_DVR_GET_DEVICECFG_V40,
                0,
                (&raw mut cfg).cast(),
                size_of::<sys::NET_DVR_DEVICECFG_V40>() as u32,
                &raw mut returned,
            )
        })?;
        let encoding = text::device_encoding(self.info.char_encoding);
        Ok(DeviceConfig {
            name: text::decode_field(&cfg.sDVRName, encoding),
            model: text::decode_field(&cfg.byDevTypeName, encoding),
            serial: text::decode_gbk(&cfg.sSerialNumber),
            device_id: cfg.dwDVRID,
            software_version: cfg.dwSoftwareVersion,
            software_build_date: cfg.dwSoftwareBuildDate,
            hardware_version: cfg.dwHardwareVersion,
            device_type: cfg.wDevType,
            disk_count: cfg.byDiskNum,
        })
    }

    /// The device's name as its owner set it, decoded from GBK (or the encoding the device
    /// declared); a shortcut for `device_config()?.name`.
    ///
    /// # Errors
    /// As for [`device_config`](Self::device_config).
    #[doc(alias = "sDVRName")]
    pub fn device_name(&self) -> Result<String> {
        self.device_config().map(|c| c.name)
    }

    /// The next exception or reconnect event for this session (connection lost,
    /// re-login, ...), waiting up to `timeout`. Preview events go to their
    /// [`Preview`](crate::Preview) instead.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.events.next_timeout(timeout)
    }

    /// The next event, if one is waiting.
    pub fn try_next_event(&self) -> Option<Event> {
        self.events.try_next()
    }

    /// Events dropped because nobody read them (the queue keeps the newest
    /// [`Event::QUEUE_CAPACITY`]).
    pub fn dropped_events(&self) -> u64 {
        self.events.dropped()
    }

    /// Log out and report the result (dropping the session logs out too, ignoring errors).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_Logout` (e.g. 47 if the SDK no longer knows the user ID).
    #[doc(alias = "NET_DVR_Logout")]
    pub fn logout(mut self) -> Result<()> {
        self.do_logout()
    }

    fn do_logout(&mut self) -> Result<()> {
        if self.logged_out {
            return Ok(());
        }
        self.logged_out = true;
        self.route = None;
        let ctx = self.context();
        let user_id = self.user_id;
        // SAFETY: a LONG by value; the ID came from a successful login and is logged out
        // once (guarded by `logged_out`).
        resolve!(self.sdk.lib(), NET_DVR_Logout).bool(&ctx, |f| unsafe { f(user_id) })?;
        tracing::info!(device = %self.endpoint(), user_id, "logged out");
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The failure is logged by the call layer.
        let _ = self.do_logout();
    }
}
