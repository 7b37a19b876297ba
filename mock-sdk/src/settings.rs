//! SDK-wide settings (a data store; Init and Cleanup are in [`crate::lifecycle`]).

use std::sync::Mutex;

use crate::sync::lock;

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

/// Read or change the settings.
pub(crate) fn with<R>(f: impl FnOnce(&mut Settings) -> R) -> R {
    f(&mut lock(&SETTINGS))
}

/// A copy of the settings.
pub(crate) fn get() -> Settings {
    with(|s| s.clone())
}
