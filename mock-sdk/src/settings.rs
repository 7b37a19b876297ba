//! SDK-wide settings and the Init/Cleanup reference count.

use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::errors::{self, NOINIT};
use crate::ffi::{Fail, Res, UserPtr};
use crate::{log, registry};

/// The settings the client can change, with the real SDK's defaults.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// `NET_DVR_SetConnectTime` dwWaitTime (ms) and dwTryTimes (stored; like the real SDK,
    /// only dwWaitTime has an effect).
    pub connect_timeout_ms: u32,
    pub connect_tries: u32,
    /// `NET_DVR_SetRecvTimeOut` (ms).
    pub recv_timeout_ms: u32,
    /// `NET_DVR_SetReconnect`.
    pub reconnect_interval_ms: u32,
    pub reconnect_enabled: bool,
    /// `NET_DVR_SetExceptionCallBack_V30`.
    pub exception_cb: hcnetsdk_sys::EXCEPTIONCALLBACK,
    pub exception_user: UserPtr,
    /// `NET_DVR_SetSDKInitCfg` values (read back through `MOCK_GetString`).
    pub sdk_path: Option<String>,
    pub libeay_path: Option<String>,
    pub ssleay_path: Option<String>,
    pub check_module_com: Option<bool>,
    pub max_login_users: Option<u32>,
    /// `NET_DVR_SetSDKLocalCfg(NET_DVR_LOCAL_CFG_TYPE_GENERAL)` and the older
    /// `NET_DVR_SetSDKLocalConfig` blobs, returned by the matching getters.
    pub local_general: Option<Vec<u8>>,
    pub local_config: Option<Vec<u8>>,
    /// `NET_DVR_SetValidIP` index and bind flag.
    pub valid_ip: (u32, bool),
}

impl Settings {
    const fn defaults() -> Self {
        Settings {
            connect_timeout_ms: 3500, // measured: a never-answered SYN fails after 3.5 s
            connect_tries: 3,
            recv_timeout_ms: 5000,
            reconnect_interval_ms: 5000,
            reconnect_enabled: true,
            exception_cb: None,
            exception_user: UserPtr(std::ptr::null_mut()),
            sdk_path: None,
            libeay_path: None,
            ssleay_path: None,
            check_module_com: None,
            max_login_users: None,
            local_general: None,
            local_config: None,
            valid_ip: (0, false),
        }
    }
}

static SETTINGS: Mutex<Settings> = Mutex::new(Settings::defaults());
static INIT_COUNT: Mutex<u32> = Mutex::new(0);
static INIT_COUNT_READ: AtomicU32 = AtomicU32::new(0);

/// Read or change the settings.
pub(crate) fn with<R>(f: impl FnOnce(&mut Settings) -> R) -> R {
    f(&mut SETTINGS.lock().unwrap_or_else(|p| p.into_inner()))
}

/// A copy of the settings.
pub(crate) fn get() -> Settings {
    with(|s| s.clone())
}

/// The Init reference count.
pub(crate) fn init_count() -> u32 {
    INIT_COUNT_READ.load(Ordering::SeqCst)
}

/// `NET_DVR_Init`: count up; the first one starts a new last-error epoch and loads the
/// scenario (a broken scenario file makes Init fail with 17 and a message on stderr).
pub(crate) fn init() -> Res<()> {
    let mut n = INIT_COUNT.lock().unwrap_or_else(|p| p.into_inner());
    if *n == 0 {
        if let Err(e) = registry::ensure_devices() {
            // Not `eprintln!`: it panics when stderr cannot be written.
            let _ = writeln!(std::io::stderr(), "hcnetsdk-mock: {e}");
            return Err(Fail::Code(errors::PARAMETER_ERROR));
        }
        errors::begin_epoch();
        log::line(
            "INF",
            &format!("hcnetsdk-mock {} initialised", env!("CARGO_PKG_VERSION")),
        );
    }
    *n += 1;
    INIT_COUNT_READ.store(*n, Ordering::SeqCst);
    Ok(())
}

/// `NET_DVR_Cleanup`: count down; the last one stops every preview, logs every session out
/// and returns the last error to the process-wide slot (reading 0). A Cleanup without Init
/// fails with 3.
pub(crate) fn cleanup() -> Res<()> {
    let mut n = INIT_COUNT.lock().unwrap_or_else(|p| p.into_inner());
    if *n == 0 {
        return Err(Fail::Code(NOINIT));
    }
    if *n == 1 {
        registry::teardown();
        log::line("INF", "hcnetsdk-mock cleaned up");
        log::close();
        *n = 0;
        INIT_COUNT_READ.store(0, Ordering::SeqCst);
        errors::end_epoch();
        // Success must not touch the (now process-wide) slot: the caller wraps with ANYTIME,
        // which clears it; end_epoch already left 0 there.
        return Ok(());
    }
    *n -= 1;
    INIT_COUNT_READ.store(*n, Ordering::SeqCst);
    Ok(())
}
