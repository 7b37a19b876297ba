//! [`Session`]: a login to one device, and what the device said about itself.

use std::ffi::c_void;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use hcnetsdk_sys as sys;
use zeroize::Zeroize;

use crate::call::{self, ErrorReader, resolve};
use crate::error::{Context, Error, LoginState, Result};
use crate::events::{Event, EventQueue, Route};
use crate::preview::PreviewBuilder;
use crate::ptz::Ptz;
use crate::sdk::Sdk;
use crate::secret::Password;
use crate::snapshot::Snapshot;
use crate::text;

/// The device port HCNetSDK devices listen on by default.
pub const DEFAULT_PORT: u16 = 8000;

/// Which protocol the SDK logs in with (`byLoginMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LoginMode {
    /// Hikvision's private protocol on the SDK port (usually 8000).
    #[default]
    Private,
    /// ISAPI over HTTP(S) (usually port 80 or 443).
    Isapi,
    /// Let the SDK choose.
    Auto,
}

impl LoginMode {
    fn raw(self) -> u8 {
        match self {
            LoginMode::Private => 0,
            LoginMode::Isapi => 1,
            LoginMode::Auto => 2,
        }
    }

    fn from_raw(raw: u8) -> Self {
        match raw {
            1 => LoginMode::Isapi,
            2 => LoginMode::Auto,
            _ => LoginMode::Private,
        }
    }
}

/// A range of channel numbers as the device numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ChannelRange {
    /// The first channel's number (`byStartChan`, `byStartDChan`): often 1 for analog
    /// channels and 33 for an NVR's IP channels.
    pub start: u32,
    /// How many channels there are.
    pub count: u32,
}

impl ChannelRange {
    /// Whether `channel` is in the range.
    pub fn contains(&self, channel: u32) -> bool {
        self.count > 0 && channel >= self.start && channel - self.start < self.count
    }

    /// The channel numbers.
    pub fn iter(&self) -> impl Iterator<Item = u32> + use<> {
        self.start..self.start.saturating_add(self.count)
    }

    /// Whether there are no channels.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl fmt::Display for ChannelRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.count {
            0 => f.write_str("none"),
            1 => write!(f, "{}", self.start),
            n => write!(f, "{}..={}", self.start, self.start + n - 1),
        }
    }
}

/// What the device reported at login (`NET_DVR_DEVICEINFO_V40`).
///
/// The device's name, model name and firmware are not part of the login answer: read them
/// with [`Session::device_config`] (or [`Session::device_name`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// Serial number (`sSerialNumber`).
    pub serial: String,
    /// Device type code (`wDevType`).
    pub device_type: u16,
    /// DVR type code (`byDVRType`).
    pub dvr_type: u8,
    /// Analog (local) channels.
    pub analog_channels: ChannelRange,
    /// IP (digital) channels, with their real start number.
    pub ip_channels: ChannelRange,
    /// Zero channels (`byZeroChanNum`).
    pub zero_channels: u8,
    /// Hard disks (`byDiskNum`).
    pub disk_count: u8,
    /// Alarm inputs (`byAlarmInPortNum`).
    pub alarm_inputs: u8,
    /// Alarm outputs (`byAlarmOutPortNum`).
    pub alarm_outputs: u8,
    /// Audio (talk) channels (`byAudioChanNum`).
    pub audio_channels: u8,
    /// How the device encodes text (`byCharEncodeType`; 0 = not reported, read as GBK).
    /// Always 0 after an asynchronous login: the SDK's callback carries only
    /// `NET_DVR_DEVICEINFO_V30`.
    pub char_encoding: u8,
    /// Password strength as the device judges it (`byPasswordLevel`: 0 none, 1 default
    /// password, 2 valid, 3 risky).
    pub password_level: u8,
    /// The protocol the login actually used (`byLoginMode`).
    pub login_mode: LoginMode,
}

impl DeviceInfo {
    fn from_v30(d: &sys::NET_DVR_DEVICEINFO_V30) -> Self {
        Self {
            serial: text::decode_gbk(&d.sSerialNumber),
            device_type: d.wDevType,
            dvr_type: d.byDVRType,
            analog_channels: ChannelRange {
                start: u32::from(d.byStartChan),
                count: u32::from(d.byChanNum),
            },
            ip_channels: ChannelRange {
                start: u32::from(d.byStartDChan),
                count: u32::from(d.byIPChanNum) + 256 * u32::from(d.byHighDChanNum),
            },
            zero_channels: d.byZeroChanNum,
            disk_count: d.byDiskNum,
            alarm_inputs: d.byAlarmInPortNum,
            alarm_outputs: d.byAlarmOutPortNum,
            audio_channels: d.byAudioChanNum,
            ..Self::default()
        }
    }

    fn from_v40(d: &sys::NET_DVR_DEVICEINFO_V40) -> Self {
        Self {
            char_encoding: d.byCharEncodeType,
            password_level: d.byPasswordLevel,
            login_mode: LoginMode::from_raw(d.byLoginMode),
            ..Self::from_v30(&d.struDeviceV30)
        }
    }

    /// Whether `channel` exists on the device (analog or IP).
    pub fn has_channel(&self, channel: u32) -> bool {
        self.analog_channels.contains(channel) || self.ip_channels.contains(channel)
    }

    /// Every channel number: analog first, then IP.
    pub fn channels(&self) -> impl Iterator<Item = u32> + use<> {
        self.analog_channels.iter().chain(self.ip_channels.iter())
    }
}

/// The device's configuration (`NET_DVR_GET_DEVICECFG_V40`), with its texts decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeviceConfig {
    /// The device's name as set by its owner (`sDVRName`), decoded from the device's
    /// encoding (GBK unless it says otherwise).
    pub name: String,
    /// Model name (`byDevTypeName`), e.g. `DS-2DE4425IW-DE`.
    pub model: String,
    /// Serial number (`sSerialNumber`).
    pub serial: String,
    /// Device ID used by remote controls (`dwDVRID`).
    pub device_id: u32,
    /// Firmware version as the SDK encodes it (`dwSoftwareVersion`); see
    /// [`firmware`](Self::firmware).
    pub software_version: u32,
    /// Firmware build date as the SDK encodes it (`dwSoftwareBuildDate`: 0xYYMMDD).
    pub software_build_date: u32,
    /// Hardware version (`dwHardwareVersion`).
    pub hardware_version: u32,
    /// Device type code (`wDevType`).
    pub device_type: u16,
    /// Hard disks (`byDiskNum`).
    pub disk_count: u8,
}

impl DeviceConfig {
    /// The firmware as devices show it, e.g. `V5.7.3 build 230615`.
    pub fn firmware(&self) -> String {
        let v = self.software_version;
        let d = self.software_build_date;
        format!(
            "V{}.{}.{} build {:02}{:02}{:02}",
            v >> 24,
            (v >> 16) & 0xFF,
            v & 0xFFFF,
            (d >> 16) & 0xFF,
            (d >> 8) & 0xFF,
            d & 0xFF
        )
    }
}

/// Options for logging in; see [`Session::builder`].
///
/// `Debug` shows every field except the password, which prints as `***`.
#[must_use]
#[derive(Clone)]
pub struct LoginBuilder {
    sdk: Sdk,
    address: String,
    port: u16,
    user: String,
    password: Password,
    mode: LoginMode,
    https: bool,
}

impl fmt::Debug for LoginBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginBuilder")
            .field("address", &self.address)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("mode", &self.mode)
            .field("https", &self.https)
            .finish()
    }
}

impl LoginBuilder {
    /// Device address: an IPv4 or IPv6 address (at most 128 bytes). The Linux SDK 6.1.9.48
    /// does not resolve host names: `localhost` fails with 17 (parameter error).
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// Device port (default [`DEFAULT_PORT`], 8000).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// User name (at most 63 bytes).
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }

    /// Password (at most 63 bytes). Kept in a [`Password`], which zeroes its memory and
    /// never prints.
    pub fn password(mut self, password: impl Into<Password>) -> Self {
        self.password = password.into();
        self
    }

    /// Login protocol (default [`LoginMode::Private`]).
    pub fn mode(mut self, mode: LoginMode) -> Self {
        self.mode = mode;
        self
    }

    /// Use HTTPS for ISAPI logins (default off).
    pub fn https(mut self, https: bool) -> Self {
        self.https = https;
        self
    }

    fn context(&self) -> Context {
        call::device_context(&self.address, self.port)
    }

    /// Check every field and fill the SDK's login structure. No SDK call.
    fn login_info(&self) -> Result<Box<sys::NET_DVR_USER_LOGIN_INFO>> {
        if self.address.trim().is_empty() {
            return Err(Error::invalid_input(
                "address",
                "\"\"",
                "give the device's IPv4 or IPv6 address (the Linux SDK does not resolve host names)",
            ));
        }
        if self.port == 0 {
            return Err(Error::invalid_input(
                "port",
                0,
                "give the device's SDK port (8000 by default; 80/443 for ISAPI logins)",
            ));
        }
        if self.user.is_empty() {
            return Err(Error::invalid_input(
                "user",
                "\"\"",
                "give a user name (e.g. admin)",
            ));
        }
        let mut info = Box::new(sys::NET_DVR_USER_LOGIN_INFO::default());
        text::c_field_into(
            &mut info.sDeviceAddress,
            "address",
            &self.address,
            &self.address.escape_debug(),
        )?;
        text::c_field_into(
            &mut info.sUserName,
            "user",
            &self.user,
            &self.user.escape_debug(),
        )?;
        let shown = format!("<{} bytes, hidden>", self.password.len());
        // Written in place: the only copy of the password outside `Password` is this boxed
        // field, which is zeroed right after the login call.
        text::c_field_into(
            &mut info.sPassword,
            "password",
            self.password.expose(),
            &shown,
        )?;
        info.wPort = self.port;
        info.byLoginMode = self.mode.raw();
        info.byHttps = u8::from(self.https);
        Ok(info)
    }

    /// Log in and wait for the result.
    ///
    /// # Errors
    /// * bad input, before any SDK call: empty or over-long address (128 bytes), user or
    ///   password (63 bytes), a NUL byte in any of them, port 0;
    /// * initialisation errors (see [`Sdk::init`]);
    /// * the SDK's code from `NET_DVR_Login_V40`, e.g. 1 (wrong user name or password),
    ///   7 (cannot connect), 153 (account locked); for authentication failures the error
    ///   carries the [`LoginState`] the device reported (attempts left, lock time).
    ///   Never retry authentication failures automatically: that locks the account.
    #[doc(alias = "NET_DVR_Login_V40")]
    pub fn login(self) -> Result<Session> {
        let mut info = self.login_info()?;
        self.sdk.init()?;
        let ctx = self.context();
        let login = resolve!(self.sdk.lib(), NET_DVR_Login_V40);
        let mut dev = sys::NET_DVR_DEVICEINFO_V40::default();
        // SAFETY: both pointers are to live, initialised structs of the declared types;
        // synchronous login (bUseAsynLogin = 0) does not keep either after returning.
        let result = login.handle(&ctx, |f| unsafe { f(&raw mut *info, &raw mut dev) });
        info.sPassword.zeroize();
        match result {
            Ok(user_id) => Ok(Session::new(
                self.sdk,
                user_id,
                self.address,
                self.port,
                DeviceInfo::from_v40(&dev),
            )),
            Err(e) => Err(match login_state(&dev) {
                Some(state) => e.with_login_state(state),
                None => e,
            }),
        }
    }

    /// Start an asynchronous login (`bUseAsynLogin`): the SDK connects on its own thread
    /// and reports through a callback; [`PendingLogin::wait`] gives the result.
    ///
    /// # Errors
    /// As for [`login`](Self::login), for failures the SDK reports at once. Failures it
    /// reports later come from [`PendingLogin::wait`].
    #[doc(alias = "NET_DVR_Login_V40")]
    #[doc(alias = "fLoginResultCallBack")]
    pub fn login_async(self) -> Result<PendingLogin> {
        let mut info = self.login_info()?;
        self.sdk.init()?;
        let ctx = self.context();
        let login = resolve!(self.sdk.lib(), NET_DVR_Login_V40);
        info.bUseAsynLogin = sys::TRUE;
        info.cbLoginResult = Some(login_result_trampoline);
        let slot = Arc::new(LoginSlot {
            outcome: Mutex::new(None),
            ready: Condvar::new(),
            errors: ErrorReader::new(self.sdk.lib()),
            ctx: ctx.clone(),
            info: Mutex::new(LoginInfoBox(info)),
        });
        let user_ptr = Arc::as_ptr(&slot).cast_mut().cast::<c_void>();
        let info_ptr: *mut sys::NET_DVR_USER_LOGIN_INFO = {
            let mut guard = slot.info.lock().unwrap_or_else(PoisonError::into_inner);
            guard.0.pUser = user_ptr;
            &raw mut *guard.0
        };
        // Registered before the call: the callback may run before Login_V40 returns.
        inflight().push(Arc::clone(&slot));
        let mut dev = sys::NET_DVR_DEVICEINFO_V40::default();
        // SAFETY: `info_ptr` points into the boxed login info owned by `slot`, which stays
        // alive in INFLIGHT until the callback has run, so the SDK may read it later; the
        // callback is a non-unwinding trampoline; `dev` is a live local.
        let result = login.handle(&ctx, |f| unsafe { f(info_ptr, &raw mut dev) });
        match result {
            Ok(user_id) => Ok(PendingLogin {
                sdk: self.sdk,
                slot,
                user_id,
                address: self.address,
                port: self.port,
                taken: false,
            }),
            Err(e) => {
                inflight().retain(|s| !Arc::ptr_eq(s, &slot));
                slot.zeroize_password();
                Err(e)
            }
        }
    }
}

/// What a failed login says about the account, when the device said anything.
fn login_state(dev: &sys::NET_DVR_DEVICEINFO_V40) -> Option<LoginState> {
    let supports_lock = dev.bySupportLock != 0;
    if !supports_lock && dev.byRetryLoginTime == 0 && dev.dwSurplusLockTime == 0 {
        return None;
    }
    Some(LoginState {
        attempts_left: (supports_lock || dev.byRetryLoginTime != 0).then_some(dev.byRetryLoginTime),
        lock_remaining: (dev.dwSurplusLockTime != 0)
            .then(|| Duration::from_secs(u64::from(dev.dwSurplusLockTime))),
    })
}

type Outcome = Result<(i32, DeviceInfo)>;

struct LoginSlot {
    outcome: Mutex<Option<Outcome>>,
    ready: Condvar,
    errors: ErrorReader,
    ctx: Context,
    /// The login structure handed to the SDK; kept until the callback ran.
    info: Mutex<LoginInfoBox>,
}

/// The boxed login structure of an asynchronous login.
struct LoginInfoBox(Box<sys::NET_DVR_USER_LOGIN_INFO>);

// SAFETY: the struct's only pointers are `pUser` (an opaque token that the SDK hands back
// to our callback, never dereferenced through this struct) and the callback function
// pointer; the rest is plain bytes. Access goes through the Mutex in LoginSlot.
unsafe impl Send for LoginInfoBox {}

impl LoginSlot {
    fn zeroize_password(&self) {
        self.info
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .sPassword
            .zeroize();
    }
}

impl Drop for LoginSlot {
    fn drop(&mut self) {
        self.zeroize_password();
    }
}

/// Asynchronous logins whose callback has not run yet. The SDK's `pUser` is the address
/// of one of these; the callback looks it up here instead of dereferencing it blindly, so
/// a late or repeated callback can never touch freed memory.
static INFLIGHT: Mutex<Vec<Arc<LoginSlot>>> = Mutex::new(Vec::new());

fn inflight() -> std::sync::MutexGuard<'static, Vec<Arc<LoginSlot>>> {
    INFLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

unsafe extern "system" fn login_result_trampoline(
    user_id: sys::LONG,
    result: sys::DWORD,
    dev: sys::LPNET_DVR_DEVICEINFO_V30,
    user: *mut c_void,
) {
    let _ = call::catch_panic("login result callback", || {
        let slot = {
            let mut v = inflight();
            let Some(i) = v
                .iter()
                .position(|s| std::ptr::eq(Arc::as_ptr(s).cast::<c_void>(), user))
            else {
                tracing::warn!(
                    user_id,
                    result,
                    "login result for no pending login; ignored"
                );
                return;
            };
            v.swap_remove(i)
        };
        let outcome = if result == sys::ASYN_LOGIN_SUCC {
            // SAFETY: on success the SDK passes NULL or a valid NET_DVR_DEVICEINFO_V30 for
            // the duration of the callback; we copy what we need now.
            let info = unsafe { dev.as_ref() }
                .map(DeviceInfo::from_v30)
                .unwrap_or_default();
            Ok((user_id, info))
        } else {
            // The failure is known on this SDK thread: read its last error here, now, before
            // anything else (the lookup above only took a lock and moved a pointer).
            let error = slot.errors.read("NET_DVR_Login_V40", &slot.ctx);
            let ctx = Context {
                user_id: Some(user_id),
                ..slot.ctx.clone()
            };
            call::log_failure(&error, &ctx, None);
            Err(error.with_context(ctx))
        };
        slot.zeroize_password();
        *slot.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
        slot.ready.notify_all();
    });
}

/// A login started with [`LoginBuilder::login_async`].
///
/// The SDK hands out the user ID at once and keeps it allocated whatever the outcome, so
/// dropping this without [`wait`](Self::wait), or a failed `wait`, logs the ID out
/// (`NET_DVR_Logout`, which waits for an attempt still in progress to end).
#[must_use = "dropping a pending login logs it out"]
pub struct PendingLogin {
    sdk: Sdk,
    slot: Arc<LoginSlot>,
    user_id: i32,
    address: String,
    port: u16,
    taken: bool,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("address", &self.address)
            .field("port", &self.port)
            .field("user_id", &self.user_id)
            .field("ready", &self.is_ready())
            .finish()
    }
}

impl PendingLogin {
    /// Whether the SDK has reported the result.
    pub fn is_ready(&self) -> bool {
        self.slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Wait up to `timeout` for the result; returns whether it has arrived (then
    /// [`wait`](Self::wait) returns at once).
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        let guard = self
            .slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (guard, _) = self
            .slot
            .ready
            .wait_timeout_while(guard, timeout, |o| o.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        guard.is_some()
    }

    /// Wait for the result. The SDK always reports one, at the latest after its connect
    /// timeout (see [`Sdk::set_connect_timeout`]).
    ///
    /// # Errors
    /// The SDK's code, read on the SDK's callback thread as soon as it reported the
    /// failure (e.g. 7 when the device cannot be reached, 1 for a wrong password).
    pub fn wait(mut self) -> Result<Session> {
        let outcome = {
            let mut guard = self
                .slot
                .outcome
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            loop {
                if let Some(outcome) = guard.take() {
                    break outcome;
                }
                guard = self
                    .slot
                    .ready
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        self.taken = true;
        match outcome {
            Ok((user_id, info)) => Ok(Session::new(
                self.sdk.clone(),
                user_id,
                std::mem::take(&mut self.address),
                self.port,
                info,
            )),
            Err(e) => {
                // The SDK keeps the user ID allocated after a failed asynchronous login.
                release_user_id(&self.sdk, self.user_id, &self.slot.ctx);
                Err(e)
            }
        }
    }
}

impl Drop for PendingLogin {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        let outcome = self
            .slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let id = match outcome {
            Some(Ok((id, _))) => id,
            _ => self.user_id,
        };
        release_user_id(&self.sdk, id, &self.slot.ctx);
    }
}

fn release_user_id(sdk: &Sdk, user_id: i32, ctx: &Context) {
    let ctx = Context {
        user_id: Some(user_id),
        ..ctx.clone()
    };
    // SAFETY: a LONG by value; the SDK validates the ID. A failure is logged by the call layer.
    let _ = resolve!(sdk.lib(), NET_DVR_Logout).bool(&ctx, |f| unsafe { f(user_id) });
}

/// A logged-in session with one device.
///
/// Logs out when dropped (ignoring errors); [`logout`](Self::logout) does it explicitly
/// and reports them. It holds the [`Sdk`] alive, so `NET_DVR_Cleanup` cannot run before
/// it is gone. [`Preview`](crate::Preview), [`Ptz`] and [`Snapshot`] borrow it, so it
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
    address: String,
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
        LoginBuilder {
            sdk: sdk.clone(),
            address: String::new(),
            port: DEFAULT_PORT,
            user: String::new(),
            password: Password::default(),
            mode: LoginMode::default(),
            https: false,
        }
    }

    fn new(sdk: Sdk, user_id: i32, address: String, port: u16, info: DeviceInfo) -> Self {
        tracing::info!(device = %format_args!("{address}:{port}"), user_id, serial = %info.serial, "logged in");
        let events = EventQueue::new();
        let route = Some(Route::session(user_id, &events));
        Self {
            sdk,
            user_id,
            address,
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
            user_id: Some(self.user_id),
            ..call::device_context(&self.address, self.port)
        }
    }

    pub(crate) fn channel_context(&self, channel: i32) -> Context {
        Context {
            channel: Some(channel),
            ..self.context()
        }
    }

    /// Check that `channel` is on the device; its value as the SDK's LONG.
    pub(crate) fn check_channel(&self, channel: u32) -> Result<i32> {
        if !self.info.has_channel(channel) {
            return Err(Error::invalid_input(
                "channel",
                channel,
                format!(
                    "{}:{} has analog channels {} and IP channels {}; use one of those",
                    self.address, self.port, self.info.analog_channels, self.info.ip_channels
                ),
            )
            .with_context(self.context()));
        }
        i32::try_from(channel).map_err(|_| {
            Error::invalid_input("channel", channel, "channel numbers fit in an i32")
                .with_context(self.context())
        })
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

    /// Start describing a live preview of `channel`; see [`PreviewBuilder`].
    ///
    /// The channel is checked against the device when the preview starts.
    pub fn preview(&self, channel: u32) -> PreviewBuilder<'_> {
        PreviewBuilder::new(self, channel)
    }

    /// PTZ control of `channel`, by user ID and channel (no preview needed).
    ///
    /// # Errors
    /// A channel that is not on the device (before any SDK call).
    pub fn ptz(&self, channel: u32) -> Result<Ptz<'_>> {
        Ptz::new(self, channel)
    }

    /// JPEG snapshots of `channel`.
    ///
    /// # Errors
    /// A channel that is not on the device (before any SDK call).
    pub fn snapshot(&self, channel: u32) -> Result<Snapshot<'_>> {
        Snapshot::new(self, channel)
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
    /// [`EVENT_QUEUE_CAPACITY`](crate::EVENT_QUEUE_CAPACITY)).
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
        tracing::info!(device = %format_args!("{}:{}", self.address, self.port), user_id, "logged out");
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The failure is logged by the call layer.
        let _ = self.do_logout();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_ranges() {
        let r = ChannelRange {
            start: 33,
            count: 16,
        };
        assert!(r.contains(33) && r.contains(48));
        assert!(!r.contains(32) && !r.contains(49));
        assert_eq!(r.to_string(), "33..=48");
        assert_eq!(r.iter().count(), 16);
        let empty = ChannelRange { start: 1, count: 0 };
        assert!(!empty.contains(1) && empty.is_empty());
        assert_eq!(empty.to_string(), "none");
    }

    #[test]
    fn ip_channel_count_includes_the_high_byte() {
        let d = sys::NET_DVR_DEVICEINFO_V30 {
            byIPChanNum: 4,
            byHighDChanNum: 1,
            byStartDChan: 33,
            ..Default::default()
        };
        let info = DeviceInfo::from_v30(&d);
        assert_eq!(
            info.ip_channels,
            ChannelRange {
                start: 33,
                count: 260
            }
        );
        assert!(info.has_channel(292) && !info.has_channel(293));
    }

    #[test]
    fn login_state_from_device_info() {
        let mut d = sys::NET_DVR_DEVICEINFO_V40::default();
        assert_eq!(login_state(&d), None);
        d.bySupportLock = 1;
        d.byRetryLoginTime = 3;
        assert_eq!(
            login_state(&d),
            Some(LoginState {
                attempts_left: Some(3),
                lock_remaining: None
            })
        );
        d.byRetryLoginTime = 0;
        d.dwSurplusLockTime = 1800;
        assert_eq!(
            login_state(&d),
            Some(LoginState {
                attempts_left: Some(0),
                lock_remaining: Some(Duration::from_secs(1800))
            })
        );
    }

    #[test]
    fn firmware_formats_like_the_device() {
        let c = DeviceConfig {
            software_version: (5 << 24) | (7 << 16) | 3,
            software_build_date: (23 << 16) | (6 << 8) | 15,
            ..Default::default()
        };
        assert_eq!(c.firmware(), "V5.7.3 build 230615");
    }
}
