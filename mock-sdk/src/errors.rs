//! The last-error slot and the message texts, exactly as the real SDK keeps them.
//!
//! Measured on SDK 6.1.9.48 (`mock-sdk/real-sdk-probe/FINDINGS.md`):
//! * while the SDK is not initialised (before the first `NET_DVR_Init`, after the last
//!   `NET_DVR_Cleanup`) there is one process-wide value: a failure on any thread is read by
//!   every thread;
//! * after `NET_DVR_Init` the value is per thread, and every thread starts at 0 (also threads
//!   that read the process-wide 3 before Init);
//! * the last `NET_DVR_Cleanup` leaves 0 in the process-wide slot.
//!
//! Each `Init` from zero starts a new epoch; a thread's value counts only in the epoch that
//! wrote it, which gives "every thread reads 0 after Init" without touching other threads.

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use crate::sync::lock;

// The codes the mock produces (names and values from errors.csv).
pub(crate) const NOERROR: u32 = 0;
pub(crate) const PASSWORD_ERROR: u32 = 1;
pub(crate) const NOENOUGHPRI: u32 = 2;
pub(crate) const NOINIT: u32 = 3;
pub(crate) const CHANNEL_ERROR: u32 = 4;
pub(crate) const OVER_MAXLINK: u32 = 5;
pub(crate) const NETWORK_FAIL_CONNECT: u32 = 7;
pub(crate) const NETWORK_RECV_ERROR: u32 = 9;
pub(crate) const NETWORK_RECV_TIMEOUT: u32 = 10;
pub(crate) const NETWORK_ERRORDATA: u32 = 11;
pub(crate) const ORDER_ERROR: u32 = 12;
pub(crate) const PARAMETER_ERROR: u32 = 17;
pub(crate) const NOSUPPORT: u32 = 23;
pub(crate) const DVROPRATEFAILED: u32 = 29;
pub(crate) const CREATEFILE_ERROR: u32 = 34;
pub(crate) const NOENOUGH_BUF: u32 = 43;
pub(crate) const MAX_NUM: u32 = 46;
pub(crate) const USERNOTEXIST: u32 = 47;
pub(crate) const MAX_USERNUM: u32 = 52;
pub(crate) const CREATEDIR_ERROR: u32 = 71;
pub(crate) const SOCKETCLOSE_ERROR: u32 = 73;
pub(crate) const PROGRAM_EXCEPTION: u32 = 76;
pub(crate) const USER_LOCKED: u32 = 153;
pub(crate) const ISAPI_NOT_SUPPORT: u32 = 189;

static INITIALISED: AtomicBool = AtomicBool::new(false);
static EPOCH: AtomicU64 = AtomicU64::new(0);
static GLOBAL: AtomicU32 = AtomicU32::new(0);

thread_local! {
    /// (epoch that wrote it, code)
    static THREAD: Cell<(u64, u32)> = const { Cell::new((0, 0)) };
}

/// Whether the SDK is initialised (Init count > 0).
pub(crate) fn is_initialised() -> bool {
    INITIALISED.load(Ordering::SeqCst)
}

/// Called by `NET_DVR_Init` when the count goes from 0 to 1.
pub(crate) fn begin_epoch() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
    INITIALISED.store(true, Ordering::SeqCst);
}

/// Called by the last `NET_DVR_Cleanup`: back to the process-wide slot, which reads 0.
pub(crate) fn end_epoch() {
    INITIALISED.store(false, Ordering::SeqCst);
    GLOBAL.store(NOERROR, Ordering::SeqCst);
}

/// What `NET_DVR_GetLastError` returns on this thread now.
pub(crate) fn last_error() -> u32 {
    if !is_initialised() {
        return GLOBAL.load(Ordering::SeqCst);
    }
    let epoch = EPOCH.load(Ordering::SeqCst);
    let (e, code) = THREAD.with(Cell::get);
    if e == epoch { code } else { NOERROR }
}

/// Record `code` as the last error (process-wide before Init, per thread after).
pub(crate) fn set_last_error(code: u32) {
    if !is_initialised() {
        GLOBAL.store(code, Ordering::SeqCst);
    } else {
        let epoch = EPOCH.load(Ordering::SeqCst);
        THREAD.with(|t| t.set((epoch, code)));
    }
}

include!(concat!(env!("OUT_DIR"), "/catalog_en.rs"));

/// Our own short sentences for the codes the mock produces, used when the catalogue has none.
const BUILTIN: &[(u32, &str)] = &[
    (NOERROR, "No error."),
    (PASSWORD_ERROR, "The user name or password is wrong."),
    (NOENOUGHPRI, "The user has no right to do this."),
    (
        NOINIT,
        "The SDK is not initialised: call NET_DVR_Init first.",
    ),
    (CHANNEL_ERROR, "The device has no channel with this number."),
    (
        OVER_MAXLINK,
        "The device has reached its maximum number of connections.",
    ),
    (NETWORK_FAIL_CONNECT, "Could not connect to the device."),
    (NETWORK_RECV_ERROR, "Receiving data from the device failed."),
    (
        NETWORK_RECV_TIMEOUT,
        "The device did not answer within the receive timeout.",
    ),
    (
        NETWORK_ERRORDATA,
        "The device sent data the SDK does not understand.",
    ),
    (
        ORDER_ERROR,
        "The handle is not valid or the call came in the wrong order.",
    ),
    (
        PARAMETER_ERROR,
        "A parameter is invalid or a required pointer is NULL.",
    ),
    (NOSUPPORT, "The device does not support this function."),
    (
        DVROPRATEFAILED,
        "The device could not carry out the operation.",
    ),
    (CREATEFILE_ERROR, "The file could not be created."),
    (NOENOUGH_BUF, "The buffer is too small for the data."),
    (
        MAX_NUM,
        "The SDK has reached its maximum number of handles of this kind.",
    ),
    (
        USERNOTEXIST,
        "The user ID does not exist: it was logged out or never logged in.",
    ),
    (
        MAX_USERNUM,
        "The device has reached its maximum number of logged-in users.",
    ),
    (CREATEDIR_ERROR, "The log directory could not be created."),
    (SOCKETCLOSE_ERROR, "The connection was closed by the peer."),
    (PROGRAM_EXCEPTION, "The SDK hit an internal error."),
    (
        USER_LOCKED,
        "Too many failed logins: the account is locked for a while.",
    ),
];

/// The NUL-terminated message `NET_DVR_GetErrorMsg` returns for `code`. The text lives for
/// the rest of the process (one leaked allocation per distinct code).
pub(crate) fn message(code: u32) -> &'static CStr {
    static CACHE: Mutex<Option<HashMap<u32, &'static CStr>>> = Mutex::new(None);
    let mut cache = lock(&CACHE);
    let map = cache.get_or_insert_with(HashMap::new);
    if let Some(s) = map.get(&code) {
        return s;
    }
    let text = lookup(CATALOG_EN, code)
        .or_else(|| lookup(BUILTIN, code))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("Unknown error (code {code})."));
    let c = CString::new(text.replace('\0', " ")).unwrap_or_default();
    let leaked: &'static CStr = Box::leak(c.into_boxed_c_str());
    map.insert(code, leaked);
    leaked
}

fn lookup(table: &'static [(u32, &'static str)], code: u32) -> Option<&'static str> {
    table
        .binary_search_by_key(&code, |e| e.0)
        .ok()
        .map(|i| table[i].1)
        .filter(|s| !s.is_empty())
}
