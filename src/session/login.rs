//! Logging in: [`LoginBuilder`] and the asynchronous [`PendingLogin`].

mod address;
pub use address::check_address;
mod port_check;

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::{DeviceInfo, LoginMode, Session};
use crate::error::{Context, Error, LoginState, Result};
use crate::ffi::cstr;
use crate::ffi::login::{
    LoginInfo, LoginResultSink, login_result_trampoline, register_login, unregister_login,
};
use crate::ffi::{self, ErrorReader, resolve};
use crate::sdk::Sdk;
use crate::secret::Password;
use crate::sync::{lock, wait, wait_timeout_while};

/// Options for logging in; see [`Session::builder`].
///
/// `Debug` shows every field except the password, which prints as `***`.
///
/// # Addresses and host names
///
/// [`address`](Self::address) takes an IP address or a host name. A name is resolved by
/// this crate with the standard library's resolver (`ToSocketAddrs`: `/etc/hosts`, DNS)
/// every time [`login`](Self::login) or [`login_async`](Self::login_async) runs, and with
/// tokio's `lookup_host` (never blocking a runtime thread) when `login_nonblocking` runs
/// (feature `tokio`); the first IPv4 address is used, else the first address (logged at
/// `debug` level), and the SDK only ever gets that IP literal.
///
/// The SDK's own automatic reconnect (see [`Sdk::set_reconnect`]) reconnects to the IP it
/// was given, so a device whose address changes (DDNS) is only found again by a new login,
/// which resolves the name again:
///
/// ```no_run
/// # fn main() -> hcnetsdk::Result<()> {
/// use hcnetsdk::{Sdk, Session};
///
/// let sdk = Sdk::load()?;
/// let builder = Session::builder(&sdk)
///     .address("camera.example.com")
///     .user("admin")
///     .password("secret");
/// let mut session = builder.clone().login()?;
/// // ... later, when the device went offline and came back under a new IP:
/// drop(session);
/// session = builder.clone().login()?; // resolves camera.example.com again
/// # drop(session);
/// # Ok(())
/// # }
/// ```
///
/// Neither this crate nor the builder keeps an earlier answer (the system's resolver may:
/// a DNS answer lives for its TTL, and nscd or systemd-resolved cache).
/// `tests/relogin_resolves.rs` checks it end to end for `login` and `login_nonblocking`:
/// between two logins with the same builder, the name moves from one simulated device to
/// another in a private `/etc/hosts`, and the second login reaches the other device.
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
    check_port: bool,
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
            .field("check_port", &self.check_port)
            .finish()
    }
}

impl LoginBuilder {
    pub(super) fn new(sdk: &Sdk) -> Self {
        Self {
            sdk: sdk.clone(),
            address: String::new(),
            port: Session::DEFAULT_PORT,
            user: String::new(),
            password: Password::default(),
            mode: LoginMode::default(),
            https: false,
            check_port: false,
        }
    }

    /// Device address: an IPv4 or IPv6 address, or a host name (resolved by this crate at
    /// each login; see [Addresses and host names](Self#addresses-and-host-names)). Give the
    /// address alone: a URL (`http://...`), a port glued on (`192.0.2.10:8000`: use
    /// [`port`](Self::port)), spaces or an impossible IPv4 address (`999.1.1.1`) are
    /// rejected before any SDK call, saying why.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// Device port (default [`Session::DEFAULT_PORT`], 8000).
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

    /// When a login fails in a way that suggests the wrong port (9, 10, 11, 43 or 73:
    /// something accepted the connection but did not answer as a device), ask the port
    /// what it speaks with [`probe_port`](crate::probe_port) and put the answer in the
    /// error ([`Error::finding`], shown by `{err:#}`), e.g. "port 80 speaks HTTP: it is the
    /// device's web port, not its SDK port". Default off. The probe makes two more TCP
    /// connections to the same address and port, sends an RTSP `OPTIONS *` request and a
    /// TLS ClientHello, never credentials, and waits at most about 3 s per connection.
    /// Only [`login`](Self::login) probes. With the mock SDK, only loopback addresses are
    /// probed: its simulated devices answer in-process and have no port to ask.
    ///
    /// Without it, a failed login still names a well-known port (80, 443, 554, 8080) as
    /// what it usually is.
    pub fn check_port(mut self, check: bool) -> Self {
        self.check_port = check;
        self
    }

    fn context(&self) -> Context {
        ffi::device_context(&self.address, self.port)
    }

    /// Check every field. No SDK call, no lookup.
    fn validate(&self) -> Result<()> {
        address::check(&self.address)?;
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
        let fields = sys::NET_DVR_USER_LOGIN_INFO::default();
        let user = &self.user;
        cstr::check_field("user", user, &user.escape_debug(), fields.sUserName.len())?;
        cstr::check_field(
            "password",
            self.password.expose(),
            &self.password_shown(),
            fields.sPassword.len(),
        )
    }

    fn password_shown(&self) -> String {
        format!("<{} bytes, hidden>", self.password.len())
    }

    /// Fill the SDK's login structure (after [`validate`](Self::validate) and Init) for the
    /// resolved `ip`. The password is written in place into the [`LoginInfo`], which zeroes
    /// it when freed.
    fn login_info(&self, ip: IpAddr) -> Result<LoginInfo> {
        let mut info = LoginInfo::new();
        let f = info.fields();
        let ip = ip.to_string();
        cstr::c_field_into(&mut f.sDeviceAddress, "address", &ip, &ip)?;
        cstr::c_field_into(
            &mut f.sUserName,
            "user",
            &self.user,
            &self.user.escape_debug(),
        )?;
        cstr::c_field_into(
            &mut f.sPassword,
            "password",
            self.password.expose(),
            &self.password_shown(),
        )?;
        f.wPort = self.port;
        f.byLoginMode = self.mode.raw();
        f.byHttps = u8::from(self.https);
        Ok(info)
    }

    /// Log in and wait for the result.
    ///
    /// # Errors
    /// * bad input, before any SDK call: an address that is neither an IP address nor a
    ///   host name (empty, spaces, a URL, a port glued on, `999.1.1.1`), a host name that
    ///   does not resolve, an over-long user or password (63 bytes), a NUL byte in either,
    ///   port 0;
    /// * initialisation errors (see [`Sdk::init`]);
    /// * the SDK's code from `NET_DVR_Login_V40`, e.g. 1 (wrong user name or password),
    ///   7 (cannot connect), 153 (account locked); for authentication failures the error
    ///   carries the [`LoginState`] the device reported (attempts left, lock time).
    ///   Never retry authentication failures automatically: that locks the account.
    #[doc(alias = "NET_DVR_Login_V40")]
    pub fn login(self) -> Result<Session> {
        self.validate()?;
        let ip = address::resolve(&self.address, self.port)?;
        self.sdk.init()?;
        let mut info = self.login_info(ip)?;
        let ctx = self.context();
        let login = resolve!(self.sdk.lib(), NET_DVR_Login_V40);
        let mut dev = sys::NET_DVR_DEVICEINFO_V40::default();
        let info_ptr = info.as_mut_ptr();
        // SAFETY: both pointers are to live, initialised structs of the declared types;
        // synchronous login (bUseAsynLogin = 0) does not keep either after returning.
        let result = login.handle(&ctx, |f| unsafe { f(info_ptr, &raw mut dev) });
        // Zeroes the password right after the call.
        drop(info);
        match result {
            Ok(user_id) => Ok(Session::new(
                self.sdk,
                user_id,
                self.address,
                self.port,
                DeviceInfo::from_v40(&dev),
            )),
            Err(e) => {
                let probe = self.check_port && port_check::may_probe(self.sdk.is_mock(), ip);
                let e = port_check::diagnose(e, ip, self.port, self.mode, probe);
                Err(match login_state(&dev) {
                    Some(state) => e.with_login_state(state),
                    None => e,
                })
            }
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
        self.validate()?;
        let ip = address::resolve(&self.address, self.port)?;
        self.start_async(ip)
    }

    /// Log in from async code without blocking a runtime thread (feature `tokio`): a host
    /// name is resolved with `tokio::net::lookup_host` (on tokio's blocking pool; the same
    /// rule as [`login`](Self::login): first IPv4, else first, logged), then the SDK's
    /// asynchronous login ([`login_async`](Self::login_async)) is awaited.
    /// `builder.login_async()?.await` gives the same result but resolves a name with std's
    /// blocking resolver on the calling thread.
    ///
    /// # Errors
    /// As for [`login`](Self::login).
    #[cfg(feature = "tokio")]
    #[doc(alias = "NET_DVR_Login_V40")]
    pub async fn login_nonblocking(self) -> Result<Session> {
        self.validate()?;
        let ip = address::resolve_async(&self.address, self.port).await?;
        self.start_async(ip)?.await
    }

    /// The SDK's asynchronous login to `ip` (already validated and resolved).
    fn start_async(self, ip: IpAddr) -> Result<PendingLogin> {
        self.sdk.init()?;
        let mut info = self.login_info(ip)?;
        let ctx = self.context();
        let login = resolve!(self.sdk.lib(), NET_DVR_Login_V40);
        info.fields().bUseAsynLogin = sys::TRUE;
        info.fields().cbLoginResult = Some(login_result_trampoline);
        let slot = Arc::new(LoginSlot {
            outcome: Mutex::new(None),
            ready: Condvar::new(),
            errors: ErrorReader::new(self.sdk.lib()),
            ctx: ctx.clone(),
            info: Mutex::new(HeldInfo {
                info: None,
                holders: 2,
            }),
            #[cfg(feature = "tokio")]
            waiter: Mutex::new(Waiter::default()),
        });
        // Registered before the call: the callback may run before Login_V40 returns.
        let user_ptr = register_login(Arc::clone(&slot) as Arc<dyn LoginResultSink>);
        info.fields().pUser = user_ptr;
        let info_ptr = info.as_mut_ptr();
        lock(&slot.info).info = Some(info);
        let mut dev = sys::NET_DVR_DEVICEINFO_V40::default();
        // SAFETY: `info_ptr` points into the boxed login info owned by `slot`, which keeps
        // it until both this call has returned and the callback has run, so the SDK may
        // read it later; the callback is a non-unwinding trampoline; `dev` is a live local.
        let result = login.handle(&ctx, |f| unsafe { f(info_ptr, &raw mut dev) });
        match result {
            Ok(user_id) => {
                slot.release_info();
                Ok(PendingLogin {
                    sdk: self.sdk,
                    slot,
                    user_id,
                    address: self.address,
                    port: self.port,
                    taken: false,
                })
            }
            Err(e) => {
                // No callback will come: the login info goes (zeroed) with the slot.
                unregister_login(user_ptr);
                lock(&slot.info).info = None;
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
    /// The login structure handed to the SDK.
    info: Mutex<HeldInfo>,
    /// The future awaiting the result (feature `tokio`); locked after `outcome`.
    #[cfg(feature = "tokio")]
    waiter: Mutex<Waiter>,
}

/// The task to wake when the result arrives, or, once the future was dropped before it,
/// the SDK to log the late result out with.
#[cfg(feature = "tokio")]
#[derive(Default)]
struct Waiter {
    waker: Option<std::task::Waker>,
    abandoned: Option<Sdk>,
}

/// The login structure of an asynchronous login, kept until both the login call has
/// returned and the callback has run (the SDK may read it until then), then dropped, which
/// zeroes the password.
struct HeldInfo {
    info: Option<LoginInfo>,
    holders: u8,
}

impl LoginSlot {
    /// The login call returned, or the callback ran: the last of the two frees the info.
    fn release_info(&self) {
        let mut held = lock(&self.info);
        held.holders = held.holders.saturating_sub(1);
        if held.holders == 0 {
            held.info = None;
        }
    }
}

impl LoginResultSink for LoginSlot {
    fn result(&self, user_id: i32, result: u32, device: Option<&sys::NET_DVR_DEVICEINFO_V30>) {
        let outcome = if result == sys::ASYN_LOGIN_SUCC {
            Ok((
                user_id,
                device.map(DeviceInfo::from_v30).unwrap_or_default(),
            ))
        } else {
            // The failure is known on this SDK thread: read its last error here, now, before
            // anything else (the lookup before this call only took a lock and moved a
            // pointer).
            let error = self.errors.read("NET_DVR_Login_V40", &self.ctx);
            let ctx = Context {
                user_id: Some(user_id),
                ..self.ctx.clone()
            };
            ffi::log_failure(&error, &ctx, None);
            Err(error.with_context(ctx))
        };
        self.release_info();
        let mut slot = lock(&self.outcome);
        #[cfg(feature = "tokio")]
        {
            let mut waiter = lock(&self.waiter);
            if let Some(sdk) = waiter.abandoned.take() {
                // Nobody waits any more: log the late result out (on the reaper thread).
                drop((waiter, slot));
                let id = outcome.as_ref().map_or(user_id, |(id, _)| *id);
                release_user_id(&sdk, id, &self.ctx);
                return;
            }
            if let Some(waker) = waiter.waker.take() {
                waker.wake();
            }
        }
        *slot = Some(outcome);
        drop(slot);
        self.ready.notify_all();
    }
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
        lock(&self.slot.outcome).is_some()
    }

    /// Wait up to `timeout` for the result; returns whether it has arrived (then
    /// [`wait`](Self::wait) returns at once).
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        let guard = lock(&self.slot.outcome);
        wait_timeout_while(&self.slot.ready, guard, timeout, |o| o.is_none()).is_some()
    }

    /// Wait for the result. The SDK always reports one, at the latest after its connect
    /// timeout (see [`Sdk::set_connect_timeout`]).
    ///
    /// # Errors
    /// The SDK's code, read on the SDK's callback thread as soon as it reported the
    /// failure (e.g. 7 when the device cannot be reached, 1 for a wrong password).
    pub fn wait(mut self) -> Result<Session> {
        let outcome = {
            let mut guard = lock(&self.slot.outcome);
            loop {
                if let Some(outcome) = guard.take() {
                    break outcome;
                }
                guard = wait(&self.slot.ready, guard);
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
        let outcome = lock(&self.slot.outcome).take();
        let id = match outcome {
            Some(Ok((id, _))) => id,
            _ => self.user_id,
        };
        release_user_id(&self.sdk, id, &self.slot.ctx);
    }
}

/// Log out a user ID the SDK handed out (on the reaper thread inside an SDK callback).
fn release_user_id(sdk: &Sdk, user_id: i32, ctx: &Context) {
    let ctx = Context {
        user_id: Some(user_id),
        ..ctx.clone()
    };
    let sdk = sdk.clone();
    crate::reaper::teardown(move || {
        // SAFETY: a LONG by value; the SDK validates the ID. A failure is logged by the
        // call layer.
        let _ = resolve!(sdk.lib(), NET_DVR_Logout).bool(&ctx, |f| unsafe { f(user_id) });
    });
}

/// `builder.login_async()?.await`: the asynchronous login as a future (feature `tokio`).
///
/// The SDK's result callback completes it; no thread waits. Dropped before the result
/// arrives, it leaves the login to finish and logs the late result out then (on a thread
/// of this crate); dropped after, it logs out at once, also off the async executor.
#[cfg(feature = "tokio")]
impl std::future::IntoFuture for PendingLogin {
    type Output = Result<Session>;
    type IntoFuture = LoginFuture;

    fn into_future(self) -> LoginFuture {
        LoginFuture {
            pending: Some(self),
        }
    }
}

/// The future of an asynchronous login: `builder.login_async()?.await` (feature `tokio`).
/// See [`PendingLogin`]'s `IntoFuture`.
#[cfg(feature = "tokio")]
#[must_use = "dropping the login future logs the login out"]
#[derive(Debug)]
pub struct LoginFuture {
    pending: Option<PendingLogin>,
}

#[cfg(feature = "tokio")]
impl std::future::Future for LoginFuture {
    type Output = Result<Session>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<Session>> {
        let pending = self
            .pending
            .as_ref()
            .expect("LoginFuture polled after it completed");
        let outcome = {
            let mut outcome = lock(&pending.slot.outcome);
            match outcome.take() {
                Some(o) => o,
                None => {
                    // Under the outcome lock, as the callback checks it: no lost wake-up.
                    lock(&pending.slot.waiter).waker = Some(cx.waker().clone());
                    return std::task::Poll::Pending;
                }
            }
        };
        let mut pending = self.pending.take().expect("checked above");
        pending.taken = true;
        std::task::Poll::Ready(match outcome {
            Ok((user_id, info)) => Ok(Session::new(
                pending.sdk.clone(),
                user_id,
                std::mem::take(&mut pending.address),
                pending.port,
                info,
            )),
            Err(e) => {
                // The SDK keeps the user ID allocated after a failed asynchronous login;
                // release it off the executor's thread.
                let (sdk, id, ctx) = (
                    pending.sdk.clone(),
                    pending.user_id,
                    pending.slot.ctx.clone(),
                );
                crate::reaper::defer(Box::new(move || release_user_id(&sdk, id, &ctx)));
                Err(e)
            }
        })
    }
}

#[cfg(feature = "tokio")]
impl Drop for LoginFuture {
    fn drop(&mut self) {
        let Some(mut pending) = self.pending.take() else {
            return;
        };
        pending.taken = true;
        let mut outcome = lock(&pending.slot.outcome);
        let id = match outcome.take() {
            Some(Ok((id, _))) => id,
            Some(Err(_)) => pending.user_id,
            None => {
                // The callback logs the late result out.
                lock(&pending.slot.waiter).abandoned = Some(pending.sdk.clone());
                return;
            }
        };
        drop(outcome);
        // Not on the executor's thread: NET_DVR_Logout blocks.
        let (sdk, ctx) = (pending.sdk.clone(), pending.slot.ctx.clone());
        crate::reaper::defer(Box::new(move || release_user_id(&sdk, id, &ctx)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
