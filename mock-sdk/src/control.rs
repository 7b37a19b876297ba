//! The `MOCK_*` control API: C exports that tests (in any language) use to drive the
//! simulation. Documented in `mock-sdk/README.md`; `hcnetsdk_test_support::mock_control`
//! (test-support/) wraps them for Rust tests.
//!
//! These calls never change the SDK's last error and are not counted. `address` arguments
//! may be NULL (no scope) unless stated otherwise. Strings are UTF-8.
#![allow(clippy::missing_safety_doc, non_snake_case)]

use std::ffi::{c_char, c_double};
use std::panic::{AssertUnwindSafe, catch_unwind};

use hcnetsdk_sys::{BOOL, DWORD, FALSE, LONG, NET_DVR_PREVIEWINFO, TRUE, UINT64, WORD};

use crate::ffi::c_text;
use crate::registry;
use crate::{errors, faults, lifecycle, log, preview, recordings, scenario, settings};
use hcnetsdk_sys::text;

fn guard<T>(fail: T, f: impl FnOnce() -> Option<T>) -> T {
    catch_unwind(AssertUnwindSafe(f))
        .ok()
        .flatten()
        .unwrap_or(fail)
}

/// A fault scope as the rules store it: a device's scenario `label` becomes that device's
/// address (rules are matched against the address a call reaches); anything else is kept.
fn scope(address: Option<String>) -> Option<String> {
    let a = address?;
    let by_label = registry::devices_at(&a, 0)
        .into_iter()
        .find(|d| d.spec().label == a)
        .map(|d| d.spec().address.clone());
    Some(by_label.unwrap_or(a))
}

/// Copy `s` into the caller's buffer (NUL-terminated, truncated); returns `s`'s length.
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes.
unsafe fn out_str(s: &str, buf: *mut c_char, len: DWORD) -> LONG {
    if !buf.is_null() && len > 0 {
        // SAFETY: the caller's buffer of `len` bytes.
        let dst = unsafe { std::slice::from_raw_parts_mut(buf, len as usize) };
        text::c_copy_truncating(dst, s.as_bytes());
    }
    s.len() as LONG
}

/// 1: this library is hcnetsdk-rs's mock (the loader looks for this symbol).
#[unsafe(no_mangle)]
pub extern "system" fn MOCK_IsMock() -> BOOL {
    TRUE
}

/// Clear every fault, latency and call count; put every device back to its scenario state
/// (online, no failed logins or lock, PTZ at home). Sessions, previews and devices added at
/// run time are left alone.
#[unsafe(no_mangle)]
pub extern "system" fn MOCK_Reset() -> BOOL {
    guard(FALSE, || {
        faults::reset();
        recordings::reset_faults();
        registry::reset_device_state();
        Some(TRUE)
    })
}

/// Make `function` (e.g. "NET_DVR_Login_V40", or "*") fail with `code` for the next `count`
/// calls (0 = until cleared); `address` limits it to calls that reach that device.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_FailNext(
    function: *const c_char,
    code: DWORD,
    count: DWORD,
    address: *const c_char,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (f, a) = unsafe { (c_text(function)?, c_text(address)) };
        let a = scope(a);
        faults::fail_next(&f, code, count, a.as_deref());
        Some(TRUE)
    })
}

/// Make each call of `function` fail with `code` with probability `p` (0..=1) until cleared.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_FailRandom(
    function: *const c_char,
    code: DWORD,
    p: c_double,
    address: *const c_char,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (f, a) = unsafe { (c_text(function)?, c_text(address)) };
        let a = scope(a);
        faults::fail_random(&f, code, p, a.as_deref());
        Some(TRUE)
    })
}

/// Add `ms` milliseconds before `function` runs (0 removes the latency).
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_SetLatency(
    function: *const c_char,
    ms: DWORD,
    address: *const c_char,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (f, a) = unsafe { (c_text(function)?, c_text(address)) };
        let a = scope(a);
        faults::set_latency(&f, ms, a.as_deref());
        Some(TRUE)
    })
}

/// Remove fault and latency rules for `function` (NULL = every function); with `address`,
/// only the rules scoped to that device.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_ClearFaults(
    function: *const c_char,
    address: *const c_char,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (f, a) = unsafe { (c_text(function), c_text(address)) };
        let a = scope(a);
        faults::clear(f.as_deref(), a.as_deref());
        Some(TRUE)
    })
}

/// Calls of `function` so far. With `address`: calls that named that device, i.e. login
/// attempts aimed at it, and calls whose user ID or preview handle resolved to one of its
/// sessions or previews (counted then, before the call's parameter checks; once per call).
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_GetCallCount(
    function: *const c_char,
    address: *const c_char,
) -> UINT64 {
    guard(0, || {
        // SAFETY: C strings per the documented contract.
        let (f, a) = unsafe { (c_text(function)?, c_text(address)) };
        let a = scope(a);
        Some(faults::call_count(&f, a.as_deref()))
    })
}

/// Take the device(s) at `address` (or with that scenario `label`; `port` 0 = any port)
/// offline (`online` 0) or back. Offline: logins and calls fail with 7, sessions and previews
/// drop (exception callback).
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_SetDeviceOnline(
    address: *const c_char,
    port: WORD,
    online: BOOL,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C string per the documented contract.
        let a = unsafe { c_text(address)? };
        let devs = registry::devices_at(&a, port);
        for d in &devs {
            lifecycle::set_online(d, online != 0);
        }
        Some(BOOL::from(!devs.is_empty()))
    })
}

/// Drop one preview's connection (EXCEPTION_PREVIEW; reconnects when SetReconnect is on).
#[unsafe(no_mangle)]
pub extern "system" fn MOCK_DisconnectPreview(lRealHandle: LONG) -> BOOL {
    guard(FALSE, || {
        let p = preview::find(lRealHandle)?;
        preview::disconnect(&p);
        Some(TRUE)
    })
}

/// Drop one session's connection (EXCEPTION_EXCHANGE, and its previews drop too).
#[unsafe(no_mangle)]
pub extern "system" fn MOCK_DisconnectSession(lUserID: LONG) -> BOOL {
    guard(FALSE, || {
        let s = registry::user(lUserID).ok()?;
        lifecycle::disconnect_session(&s);
        Some(TRUE)
    })
}

/// Add (or replace) a device from TOML: one `[[device]]` table, or its bare keys with
/// `[[user]]` tables. On error returns FALSE and writes the reason into `err` (may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_AddDevice(
    toml: *const c_char,
    err: *mut c_char,
    err_len: DWORD,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C string per the documented contract.
        let text = unsafe { c_text(toml) }.unwrap_or_default();
        match scenario::DeviceSpec::parse(&text).and_then(registry::add_device) {
            Ok(()) => Some(TRUE),
            Err(e) => {
                // SAFETY: NULL or the caller's buffer of err_len bytes.
                unsafe { out_str(&e, err, err_len) };
                Some(FALSE)
            }
        }
    })
}

/// Remove the device(s) at `address` (`port` 0 = any). Their sessions can no longer reach them.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_RemoveDevice(address: *const c_char, port: WORD) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C string per the documented contract.
        let a = unsafe { c_text(address)? };
        Some(BOOL::from(registry::remove_device(&a, port) > 0))
    })
}

/// A text value: "sdk_path", "libeay_path", "ssleay_path" (from NET_DVR_SetSDKInitCfg),
/// "log_file" (from NET_DVR_SetLogToFile), "scenario_error", "version". Writes it into
/// `buf` (NUL-terminated, truncated to `len`) and returns its full length; -1 if unknown
/// or unset.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_GetString(
    name: *const c_char,
    buf: *mut c_char,
    len: DWORD,
) -> LONG {
    guard(-1, || {
        // SAFETY: C string per the documented contract.
        let n = unsafe { c_text(name)? };
        let s = settings::get();
        let v = match n.as_str() {
            "sdk_path" => s.sdk_path,
            "libeay_path" => s.libeay_path,
            "ssleay_path" => s.ssleay_path,
            "log_file" => log::path(),
            "scenario_error" => registry::scenario_error(),
            "version" => Some(env!("CARGO_PKG_VERSION").to_owned()),
            _ => None,
        }?;
        // SAFETY: NULL or the caller's buffer of len bytes.
        Some(unsafe { out_str(&v, buf, len) })
    })
}

/// A number: "init_count", "connect_timeout_ms", "connect_tries", "recv_timeout_ms",
/// "reconnect_interval_ms", "reconnect_enabled", "sessions", "previews", "last_error"
/// (this thread's, without going through NET_DVR_GetLastError), "log_level" and
/// "log_auto_delete" (`nLogLevel` and `bAutoDel` of the latest NET_DVR_SetLogToFile call, as
/// sent; FALSE before the first). FALSE if unknown.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_GetValue(name: *const c_char, out: *mut UINT64) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C string per the documented contract.
        let n = unsafe { c_text(name)? };
        let s = settings::get();
        let (users, previews) = (registry::session_count(), preview::count());
        let v: u64 = match n.as_str() {
            "init_count" => lifecycle::init_count().into(),
            "connect_timeout_ms" => s.connect_timeout_ms.into(),
            "connect_tries" => s.connect_tries.into(),
            "recv_timeout_ms" => s.recv_timeout_ms.into(),
            "reconnect_interval_ms" => s.reconnect_interval_ms.into(),
            "reconnect_enabled" => s.reconnect_enabled.into(),
            "sessions" => users.into(),
            "previews" => previews.into(),
            "last_error" => errors::last_error().into(),
            "log_level" => log::received()?.0.into(),
            "log_auto_delete" => u64::from(log::received()?.1 as u32),
            _ => return None,
        };
        if out.is_null() {
            return None;
        }
        // SAFETY: non-NULL pointer to the caller's UINT64.
        unsafe { out.write_unaligned(v) };
        Some(TRUE)
    })
}

/// One named number of a device (see [`MOCK_GetDeviceValue`]); `None` if unknown or not
/// recorded yet.
fn device_value(d: &registry::Device, name: &str) -> Option<u64> {
    let st = d.state().clone();
    let rt = d.rt();
    let login = rt.last_login;
    Some(match name {
        "online" => st.online.into(),
        "sessions" => st.sessions.into(),
        "links" => st.links.into(),
        "failed_logins" => st.failed_logins.into(),
        "locked_ms" => st
            .locked_until
            .map(|t| {
                t.saturating_duration_since(std::time::Instant::now())
                    .as_millis() as u64
            })
            .unwrap_or(0),
        "last_login_mode" => login?.mode.into(),
        "last_login_https" => login?.https.into(),
        "last_login_port" => login?.port.into(),
        "last_login_async" => u64::from(login?.asyn as u32),
        "last_jpeg_quality" => rt.last_jpeg?.0.into(),
        "last_jpeg_size" => rt.last_jpeg?.1.into(),
        "armings" => d.armings() as u64,
        "closed_at_logout" => rt.closed_at_logout,
        _ => return None,
    })
}

/// A number about the device at `address:port`: "online", "sessions" (logged-in users),
/// "links" (previews), "failed_logins", "locked_ms" (lock time left); what the latest
/// login request aimed at the device sent: "last_login_mode" (`byLoginMode`),
/// "last_login_https" (`byHttps`), "last_login_port" (`wPort`), "last_login_async"
/// (`bUseAsynLogin`); what the latest snapshot call on one of its sessions sent in
/// `NET_DVR_JPEGPARA`: "last_jpeg_quality" (`wPicQuality`), "last_jpeg_size" (`wPicSize`);
/// "armings" (open `SetupAlarmChan_*` armings); "closed_at_logout" (previews, playbacks,
/// downloads and armings its sessions still had open when they ended, which the mock then
/// closed itself: 0 for a client that stops its handles before logging out).
/// FALSE if unknown, or for a `last_*` value nothing has sent yet.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_GetDeviceValue(
    address: *const c_char,
    port: WORD,
    name: *const c_char,
    out: *mut UINT64,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (a, n) = unsafe { (c_text(address)?, c_text(name)?) };
        let d = registry::devices_at(&a, port).into_iter().next()?;
        let v = device_value(&d, &n)?;
        if out.is_null() {
            return None;
        }
        // SAFETY: non-NULL pointer to the caller's UINT64.
        unsafe { out.write_unaligned(v) };
        Some(TRUE)
    })
}

/// Copy into `*out` the `NET_DVR_PREVIEWINFO` that `NET_DVR_RealPlay_V40` received for
/// `lRealHandle`, every field as the client sent it. The record is the latest successful
/// RealPlay_V40 that returned the handle; it stays after StopRealPlay, Logout and Cleanup
/// until the handle is given out again. FALSE (and `*out` untouched) when no RealPlay_V40
/// has returned the handle yet, or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_GetPreviewInfo(
    lRealHandle: LONG,
    out: *mut NET_DVR_PREVIEWINFO,
) -> BOOL {
    guard(FALSE, || {
        let info = preview::last_info(lRealHandle)?;
        if out.is_null() {
            return None;
        }
        // SAFETY: non-NULL pointer to the caller's NET_DVR_PREVIEWINFO (unaligned write).
        unsafe { out.write_unaligned(info.to_c()) };
        Some(TRUE)
    })
}

/// Make the running preview `lRealHandle` deliver `count` more empty stream packets to its
/// data callback: data type 2 (NET_DVR_STREAMDATA) with `dwBufSize` 0, one after each normal
/// stream packet until they are used up. `bNullBuffer` FALSE passes a valid, non-NULL buffer
/// pointer; TRUE passes NULL. (The real SDK does not document either; a client must accept
/// both.) Packets wait while the preview has no callback. FALSE if no preview runs with that
/// handle.
#[unsafe(no_mangle)]
pub extern "system" fn MOCK_InjectEmptyPackets(
    lRealHandle: LONG,
    count: DWORD,
    bNullBuffer: BOOL,
) -> BOOL {
    guard(FALSE, || {
        let p = preview::find(lRealHandle)?;
        preview::inject_empty_packets(&p, count, bNullBuffer != 0);
        Some(TRUE)
    })
}

/// Fault the next `count` downloads (0: every one until cleared) on the device at `address`
/// (or with that scenario `label`; NULL: any device): `fault` is `"drop:P"` (the network
/// drops once P% of the stream is delivered: `NET_DVR_GetDownloadPos` then gives 200) or
/// `"diskfull:P"`; NULL or `""` clears the rules of that scope. FALSE if `fault` is not
/// understood. (A child process takes `HCNETSDK_MOCK_DOWNLOAD_FAULT=drop:P` instead.)
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_SetDownloadFault(
    address: *const c_char,
    fault: *const c_char,
    count: DWORD,
) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (a, f) = unsafe { (c_text(address), c_text(fault)) };
        let fault = match f.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(f) => Some(recordings::parse_fault(f)?),
        };
        recordings::set_fault(scope(a), fault, count);
        Some(TRUE)
    })
}

/// Set the recording timeline's clock of the device(s) at `address` (or with that
/// scenario `label`; any port): `"wall"` or an RFC 3339 instant (`2026-12-01T12:00:00Z`)
/// that pins it. FALSE if no device matches or the clock is not understood.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_SetClock(address: *const c_char, clock: *const c_char) -> BOOL {
    guard(FALSE, || {
        // SAFETY: C strings per the documented contract.
        let (a, c) = unsafe { (c_text(address)?, c_text(clock)?) };
        let clock = hcnetsdk_device::recordings::Clock::parse(&c).ok()?;
        let devices = registry::devices_at(&a, 0);
        for d in &devices {
            d.recordings().set_clock(clock);
        }
        (!devices.is_empty()).then_some(TRUE)
    })
}

/// Raise an alarm now on the device(s) at `address` (or with that scenario `label`; every
/// port): `kind` is a scenario alarm kind ("motion", "video_loss", "tamper", "alarm_input",
/// "line_crossing", "intrusion", "disk_full", "disk_error") or its ISAPI `eventType`
/// ("VMD", "linedetection", ...). `channel` is the video channel for the channel kinds, the
/// alarm input number (from 1) for "alarm_input", the disk number (from 1) for the disk
/// kinds. Every arming of the device gets it (through the message callback), stamped with
/// the device's time. Returns how many armings got it; -1 for an unknown device or kind, a
/// channel or input the device does not have.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn MOCK_RaiseAlarm(
    address: *const c_char,
    kind: *const c_char,
    channel: LONG,
) -> LONG {
    use hcnetsdk_device::alarms::{Alarm, AlarmKind, first_channel};
    guard(-1, || {
        // SAFETY: C strings per the documented contract.
        let (a, k) = unsafe { (c_text(address)?, c_text(kind)?) };
        let kind = AlarmKind::parse(&k)?;
        let devs = registry::devices_at(&a, 0);
        let mut reached = 0;
        for d in devs.iter() {
            let mut alarm = if kind.has_channel() {
                Alarm::new(kind, channel)
            } else {
                Alarm::new(kind, first_channel(d.spec()))
            };
            let n = u32::try_from(channel).ok()?;
            (alarm.input, alarm.disk) = (n, n);
            reached += d.raise(alarm).ok()?;
        }
        (!devs.is_empty()).then(|| LONG::try_from(reached).unwrap_or(LONG::MAX))
    })
}
