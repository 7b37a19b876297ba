//! Listening mode: [`Sdk::listen`] (`NET_DVR_StartListen_V30`), devices pushing alarms to
//! a port of this host. See the module docs of `alarms` for arming mode against it.

use std::ffi::CString;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use super::queue::{AlarmReceiver, alarm_queue};
use super::route::Router;
use super::state::LinkState;
use crate::error::{Context, Error, Result};
use crate::ffi::message::message_trampoline;
use crate::ffi::resolve;
use crate::sdk::Sdk;
use crate::sync::lock;
use crate::time::TimeBasis;

impl Sdk {
    /// Listen for devices that push alarms to `addr`:`port` (`NET_DVR_StartListen_V30`):
    /// listening mode, for devices configured with this host as their alarm host. No
    /// login is involved; the alarms' [`AlarmSource`](super::AlarmSource) says which
    /// device sent each. For devices you log in to, arm instead
    /// ([`Session::alarms`](crate::Session::alarms)).
    ///
    /// Initialises the SDK if needed. Listens until the returned [`AlarmListener`] is
    /// dropped (`NET_DVR_StopListen_V30`).
    ///
    /// # Errors
    /// * a `capacity` of 0 (before any SDK call);
    /// * the SDK's code: 17 (address not an IP literal, or this address and port already
    ///   listened on), 46 (too many listeners), 72 (the port cannot be bound: taken, or
    ///   the address is not this host's).
    #[doc(alias = "NET_DVR_StartListen_V30")]
    pub fn listen(
        &self,
        addr: IpAddr,
        port: u16,
        capacity: usize,
    ) -> Result<(AlarmListener, AlarmReceiver)> {
        if capacity == 0 {
            return Err(Error::invalid_input(
                "capacity",
                0,
                "queue at least 1 alarm",
            ));
        }
        self.init()?;
        let (sub, receiver) = alarm_queue(capacity, TimeBasis::default());
        let router = Box::into_raw(Box::new(Router {
            subs: vec![Arc::clone(&sub)].into_boxed_slice(),
            link: Arc::new(LinkState::default()),
        }));
        let ip = CString::new(addr.to_string()).expect("an IP address has no NUL byte");
        let ctx = Context::device(addr.to_string(), port);
        // SAFETY: `ip` is NUL-terminated and lives across the call (the SDK copies it); the
        // trampoline has the MSGCallBack signature and never unwinds; `router` stays valid
        // until StopListen_V30 has succeeded (see `AlarmListener`'s drop).
        let started = resolve!(self.lib(), NET_DVR_StartListen_V30).handle(&ctx, |f| unsafe {
            f(
                ip.as_ptr().cast_mut(),
                port,
                Some(message_trampoline),
                router.cast(),
            )
        });
        let handle = match started {
            Ok(h) => h,
            Err(e) => {
                // SAFETY: the SDK refused, so it holds no copy of the pointer.
                drop(unsafe { Box::from_raw(router) });
                return Err(e);
            }
        };
        tracing::info!(%addr, port, handle, "listening for alarms");
        let listener = AlarmListener {
            inner: Arc::new(ListenerInner {
                sdk: self.clone(),
                handle,
                addr,
                port,
                router: Mutex::new(Some(RouterPtr(router))),
            }),
        };
        Ok((listener, receiver))
    }
}

/// The router handed to the SDK as the user pointer.
struct RouterPtr(*mut Router);

// SAFETY: the router is `Sync` data (atomics, immutable subscriber list); the pointer is
// freed once, by the stop, under the mutex.
unsafe impl Send for RouterPtr {}

/// A listening port ([`Sdk::listen`]). Stops listening (`NET_DVR_StopListen_V30`) when
/// dropped; the receiver then ends once drained.
pub struct AlarmListener {
    inner: Arc<ListenerInner>,
}

struct ListenerInner {
    sdk: Sdk,
    handle: i32,
    addr: IpAddr,
    port: u16,
    router: Mutex<Option<RouterPtr>>,
}

impl fmt::Debug for AlarmListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlarmListener")
            .field("addr", &self.inner.addr)
            .field("port", &self.inner.port)
            .field("handle", &self.inner.handle)
            .finish()
    }
}

impl AlarmListener {
    /// The SDK's listen handle.
    pub fn handle(&self) -> i32 {
        self.inner.handle
    }

    /// Stop listening and report the result (dropping does the same, ignoring errors).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_StopListen_V30`.
    #[doc(alias = "NET_DVR_StopListen_V30")]
    pub fn stop(self) -> Result<()> {
        if crate::ffi::in_sdk_callback() {
            drop(self);
            return Ok(());
        }
        self.inner.stop()
    }
}

impl ListenerInner {
    fn stop(&self) -> Result<()> {
        let mut slot = lock(&self.router);
        let Some(RouterPtr(router)) = slot.take() else {
            return Ok(());
        };
        let handle = self.handle;
        let ctx = Context::device(self.addr.to_string(), self.port).with_handle(handle);
        // SAFETY: a LONG by value; the handle is stopped once (the router is taken once).
        let result =
            resolve!(self.sdk.lib(), NET_DVR_StopListen_V30).bool(&ctx, |f| unsafe { f(handle) });
        // SAFETY: `router` came from Box::into_raw in `listen`.
        let r = unsafe { &*router };
        for s in r.subs.iter() {
            s.close();
        }
        match result {
            // SAFETY: StopListen_V30 succeeded: no more callbacks with this pointer, and
            // this runs outside SDK callbacks (the drop goes through the reaper).
            Ok(()) => drop(unsafe { Box::from_raw(router) }),
            Err(_) => tracing::warn!(
                handle,
                "NET_DVR_StopListen_V30 failed; the listener's state is leaked so that a late callback cannot touch freed memory"
            ),
        }
        result
    }
}

impl Drop for AlarmListener {
    fn drop(&mut self) {
        let inner = Arc::clone(&self.inner);
        crate::reaper::teardown(move || {
            let _ = inner.stop();
        });
    }
}
