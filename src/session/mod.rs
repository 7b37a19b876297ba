//! [`Session`]: a login to one device, and what the device said about itself.
//!
//! The handles made from a session ([`Preview`](crate::Preview), [`Ptz`](crate::Ptz),
//! [`Snapshot`](crate::Snapshot)) add their constructors to `Session` in their own
//! modules, so this one depends on none of them.

mod device_info;
mod handles;
mod login;
mod time;

use std::fmt;
use std::sync::{Arc, Mutex, RwLock, TryLockError, Weak};
use std::time::Duration;

use hcnetsdk_sys as sys;

pub use device_info::{ChannelRange, DeviceConfig, DeviceInfo, LoginMode};
#[cfg(feature = "tokio")]
pub use login::LoginFuture;
pub use login::{LoginBuilder, PendingLogin, check_address};
pub use time::DeviceClock;

use crate::endpoint::Endpoint;
use crate::error::{Context, Error, Result};
use crate::events::{Event, EventQueue, Route};
use crate::ffi::{self, channel_long, resolve};
use crate::reaper;
use crate::sdk::Sdk;
use crate::sync::{get_mut, get_mut_rw, lock, read, write};
use crate::text;
use handles::Registry;
pub(crate) use handles::{Live, SessionHandle};

/// A logged-in session with one device: a cheap, shareable handle to one login.
///
/// Clones share the login. Every handle made from it ([`Preview`](crate::Preview),
/// [`Ptz`](crate::Ptz), [`Snapshot`](crate::Snapshot)) holds a clone, so it is `'static`,
/// can move into a thread or a task, and keeps the login alive: the SDK logs out once,
/// when the last clone and the last handle are gone, or at an explicit
/// [`logout`](Self::logout). The session holds the [`Sdk`], so `NET_DVR_Cleanup` runs
/// after the last session.
///
/// An explicit logout ends the login for every clone and handle: running previews,
/// playbacks, downloads and alarm armings are stopped first, and each learns why (a
/// preview [`EventKind::StoppedByLogout`](crate::EventKind::StoppedByLogout), a playback
/// [`PlaybackEvent::StoppedByLogout`](crate::PlaybackEvent::StoppedByLogout), an alarm
/// queue [`AlarmChannelEvent::StoppedByLogout`](crate::alarms::AlarmChannelEvent::StoppedByLogout),
/// a download its next call's error); later calls on any of them fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut) without reaching the SDK.
///
/// Dropping the last handle inside an SDK callback (a packet handler, say) never runs the
/// teardown there: it goes to a thread of this crate, since the real SDK may wait for that
/// very callback.
///
/// ```no_run
/// # fn f(sdk: &hcnetsdk::Sdk) -> hcnetsdk::Result<()> {
/// let session = hcnetsdk::Session::builder(sdk).address("192.0.2.10").user("admin").password("x").login()?;
/// let preview = session.preview(1).start(|_packet| {})?;
/// drop(session); // the preview keeps the login alive and keeps streaming
/// let worker = std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_secs(1));
///     drop(preview); // stops the stream, then logs out
/// });
/// worker.join().unwrap();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

struct SessionInner {
    sdk: Sdk,
    user_id: i32,
    /// Shared with every error's context (copying it allocates nothing).
    address: Arc<str>,
    port: u16,
    info: DeviceInfo,
    events: Arc<EventQueue>,
    route: Mutex<Option<Route>>,
    /// Whether the login has ended; read-held across every call that uses the user ID.
    logged_out: RwLock<bool>,
    /// Serialises explicit logouts (the second waits for the first to finish).
    logging_out: Mutex<()>,
    handles: Registry,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("address", &self.inner.address)
            .field("port", &self.inner.port)
            .field("user_id", &self.inner.user_id)
            .field("serial", &self.inner.info.serial)
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
        let route = Mutex::new(Some(Route::session(user_id, &events)));
        Self {
            inner: Arc::new(SessionInner {
                sdk,
                user_id,
                address: address.into(),
                port,
                info,
                events,
                route,
                logged_out: RwLock::new(false),
                logging_out: Mutex::new(()),
                handles: Registry::default(),
            }),
        }
    }

    /// The SDK this session belongs to.
    pub fn sdk(&self) -> &Sdk {
        &self.inner.sdk
    }

    /// The SDK's user ID for this login.
    pub fn user_id(&self) -> i32 {
        self.inner.user_id
    }

    /// The address logged in to.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    /// The port logged in to.
    pub fn port(&self) -> u16 {
        self.inner.port
    }

    /// What the device reported at login.
    pub fn device_info(&self) -> &DeviceInfo {
        &self.inner.info
    }

    pub(crate) fn context(&self) -> Context {
        self.inner.context()
    }

    /// The address and port logged in to, displayed as `address:port` (IPv6 in
    /// brackets).
    pub fn endpoint(&self) -> Endpoint<'_> {
        Endpoint::new(&self.inner.address, self.inner.port)
    }

    pub(crate) fn channel_context(&self, channel: u32) -> Context {
        Context {
            channel: Some(channel),
            ..self.context()
        }
    }

    /// Check that `channel` is on the device and can go to the SDK as a LONG.
    pub(crate) fn check_channel(&self, channel: u32) -> Result<u32> {
        let info = &self.inner.info;
        if !info.has_channel(channel) {
            return Err(Error::invalid_input(
                "channel",
                channel,
                format!(
                    "{} has analog channels {} and IP channels {}; use one of those",
                    self.endpoint(),
                    info.analog_channels,
                    info.ip_channels
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
        let live = self.live()?;
        let user_id = live.user_id();
        let get = resolve!(self.inner.sdk.lib(), NET_DVR_GetDVRConfig);
        let mut cfg = sys::NET_DVR_DEVICECFG_V40 {
            dwSize: size_of::<sys::NET_DVR_DEVICECFG_V40>() as u32,
            ..Default::default()
        };
        let mut returned: sys::DWORD = 0;
        // SAFETY: the output buffer is a live NET_DVR_DEVICECFG_V40 and its exact size is
        // passed; `returned` is a live DWORD.
        get.bool(&ctx, |f| unsafe {
            f(
                user_id,
                sys::NET_DVR_GET_DEVICECFG_V40,
                0,
                (&raw mut cfg).cast(),
                size_of::<sys::NET_DVR_DEVICECFG_V40>() as u32,
                &raw mut returned,
            )
        })?;
        drop(live);
        let encoding = text::device_encoding(self.inner.info.char_encoding);
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
        self.inner.events.next_timeout(timeout)
    }

    /// The next event, if one is waiting.
    pub fn try_next_event(&self) -> Option<Event> {
        self.inner.events.try_next()
    }

    #[cfg(feature = "tokio")]
    pub(crate) fn event_queue(&self) -> &Arc<EventQueue> {
        &self.inner.events
    }

    /// Events dropped because nobody read them (the queue keeps the newest
    /// [`Event::QUEUE_CAPACITY`]).
    pub fn dropped_events(&self) -> u64 {
        self.inner.events.dropped()
    }

    /// Whether the login has ended (an explicit [`logout`](Self::logout) on any clone).
    pub fn is_logged_out(&self) -> bool {
        *read(&self.inner.logged_out)
    }

    /// End the login for every clone and handle of this session, and report the result.
    /// Dropping the last clone and handle logs out too, ignoring errors.
    ///
    /// Running previews, playbacks, downloads and armings are stopped first (see the type's
    /// docs for how each learns why); a handle whose stop fails keeps its callback state
    /// (leaked) and never fails the logout. After
    /// it, calls on any clone or handle fail with
    /// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut). A second logout does
    /// nothing and returns `Ok`. Called inside an SDK callback, the logout is handed to a
    /// thread of this crate and this returns `Ok(())` at once (its failure is logged).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_Logout` (e.g. 47 if the SDK no longer knows the user ID).
    #[doc(alias = "NET_DVR_Logout")]
    pub fn logout(self) -> Result<()> {
        if ffi::in_sdk_callback() {
            let inner = Arc::clone(&self.inner);
            reaper::defer(Box::new(move || {
                let _ = inner.log_out();
            }));
            return Ok(());
        }
        self.inner.log_out()
    }

    /// Hold the login across a call that uses the user ID; fails once a logout has begun. Inside
    /// an SDK callback, a logout in progress fails it at once rather than waiting for the
    /// logout (which may be waiting for this very callback).
    pub(crate) fn live(&self) -> Result<Live<'_>> {
        let lock = &self.inner.logged_out;
        let guard = match lock.try_read() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) if ffi::in_sdk_callback() => {
                return Err(Error::logged_out("the session", self.context()));
            }
            Err(TryLockError::WouldBlock) => read(lock),
        };
        // A logout that has begun (its handles are being stopped) refuses new calls too,
        // so that nothing is started under the login while it ends.
        if *guard || self.inner.handles.is_closing() {
            return Err(Error::logged_out("the session", self.context()));
        }
        Ok(Live {
            _guard: guard,
            user_id: self.inner.user_id,
        })
    }

    /// Whether `other` is a clone of this session (the same login).
    pub(crate) fn same_login(&self, other: &Session) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Register a handle to stop before logout; `None` once a logout has begun.
    pub(crate) fn register(&self, handle: Weak<dyn SessionHandle>) -> Option<u64> {
        self.inner.handles.register(handle)
    }

    /// Forget a handle that stopped on its own.
    pub(crate) fn unregister(&self, id: u64) {
        self.inner.handles.unregister(id);
    }
}

impl SessionInner {
    fn context(&self) -> Context {
        Context {
            address: Some(Arc::clone(&self.address)),
            port: Some(self.port),
            user_id: Some(self.user_id),
            ..Context::default()
        }
    }

    /// Stop every handle, then log out once.
    fn log_out(&self) -> Result<()> {
        let _one_at_a_time = lock(&self.logging_out);
        let handles = self.handles.close();
        for handle in &handles {
            handle.session_closing();
        }
        drop(handles);
        let mut logged_out = write(&self.logged_out);
        if *logged_out {
            return Ok(());
        }
        *logged_out = true;
        lock(&self.route).take();
        self.events.close();
        logout_call(&self.sdk, self.user_id, &self.context())
    }
}

/// `NET_DVR_Logout` of `user_id`, once.
fn logout_call(sdk: &Sdk, user_id: i32, ctx: &Context) -> Result<()> {
    // SAFETY: a LONG by value; the ID came from a successful login and is logged out once
    // (guarded by `logged_out`).
    resolve!(sdk.lib(), NET_DVR_Logout).bool(ctx, |f| unsafe { f(user_id) })?;
    tracing::info!(device = %ffi::DeviceDisplay(ctx), user_id, "logged out");
    Ok(())
}

impl Drop for SessionInner {
    fn drop(&mut self) {
        if *get_mut_rw(&mut self.logged_out) {
            return;
        }
        // No handle is left (each holds a clone). Inside an SDK callback, the logout (and
        // Cleanup, if this holds the last Sdk) runs on the reaper thread.
        get_mut(&mut self.route).take();
        self.events.close();
        let (sdk, user_id, ctx) = (self.sdk.clone(), self.user_id, self.context());
        reaper::teardown(move || {
            // The failure is logged by the call layer.
            let _ = logout_call(&sdk, user_id, &ctx);
        });
    }
}
