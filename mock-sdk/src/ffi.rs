//! The one wrapper every export goes through, and small helpers for C data (`char` fields go
//! through the workspace's one text helper, [`hcnetsdk_sys::text`]).
//!
//! [`call`] counts the call (per device too, through [`count_device_call`]), applies fault
//! injection and latency, runs the body inside `catch_unwind` (a panic never unwinds into C: it becomes a failure with code 76,
//! NET_DVR_PROGRAM_EXCEPTION) and keeps the last-error slot as the real SDK does:
//! * a failure sets the code ([`Fail::Code`]);
//! * [`Fail::Soft`] sets the code only when the thread's last error is 0. The real SDK's
//!   "stop/close" calls (StopRealPlay, FindClose_V30, StopPlayBack, ...) behave like that with
//!   a handle that does not exist: a fresh thread reads 12, a thread that read 7 before
//!   still reads 7;
//! * [`Fail::Silent`] leaves the last error as it is (Logout of a free ID before any login
//!   was attempted);
//! * success sets 0 for most calls; the version calls and `GetErrorMsg` leave it alone.

use std::cell::{Cell, RefCell};
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::errors::{self, NOINIT, PROGRAM_EXCEPTION};
use crate::{faults, log};

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    /// Set this code as the last error.
    Code(u32),
    /// Set this code only if the thread's last error is 0 (see module docs).
    Soft(u32),
    /// Fail without touching the last error.
    Silent,
}

impl From<u32> for Fail {
    fn from(code: u32) -> Self {
        Fail::Code(code)
    }
}

/// A device rule's refusal as the SDK code the mock has always returned for it.
impl From<hcnetsdk_device::DeviceError> for Fail {
    fn from(e: hcnetsdk_device::DeviceError) -> Self {
        Fail::Code(e.sdk_code())
    }
}

/// Result of an export's body.
pub(crate) type Res<T> = Result<T, Fail>;

/// How [`call`] treats one export.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Opts {
    /// Fail with 3 (NET_DVR_NOINIT) while the SDK is not initialised.
    pub needs_init: bool,
    /// Set the last error to 0 on success.
    pub clear_on_success: bool,
    /// Apply unscoped fault rules and latency at entry (device-scoped rules are applied
    /// where the body resolves the device).
    pub faults: bool,
}

/// The usual export: needs Init, clears the error on success, faults apply.
pub(crate) const STD: Opts = Opts {
    needs_init: true,
    clear_on_success: true,
    faults: true,
};
/// Needs Init, leaves the last error alone on success (version calls, GetErrorMsg).
pub(crate) const KEEP: Opts = Opts {
    needs_init: true,
    clear_on_success: false,
    faults: true,
};
/// Works before Init (SetSDKInitCfg, Init, Cleanup); clears on success.
pub(crate) const ANYTIME: Opts = Opts {
    needs_init: false,
    clear_on_success: true,
    faults: true,
};
/// Login: needs Init, clears on success; no faults at entry, as login applies its own (on
/// the async login thread too).
pub(crate) const LOGIN: Opts = Opts {
    needs_init: true,
    clear_on_success: true,
    faults: false,
};

thread_local! {
    static CURRENT: Cell<&'static str> = const { Cell::new("") };
    /// (function, device address) pairs already counted during the running export call.
    static COUNTED: RefCell<Vec<(&'static str, String)>> = const { RefCell::new(Vec::new()) };
}

/// The export running on this thread (for device-scoped fault rules).
pub(crate) fn current_function() -> &'static str {
    CURRENT.with(Cell::get)
}

/// Count a call of `function` on the device at `address` (`MOCK_GetCallCount` with an
/// address), at most once per export call however often the call resolves the device.
/// Nothing is counted for an empty `function`: code outside an export (mock threads, the
/// `MOCK_*` calls) resolves devices uncounted.
pub(crate) fn count_device_call(function: &'static str, address: &str) {
    if function.is_empty() {
        return;
    }
    let first = COUNTED.with(|c| {
        let mut c = c.borrow_mut();
        if c.iter().any(|(f, a)| *f == function && a == address) {
            return false;
        }
        c.push((function, address.to_owned()));
        true
    });
    if first {
        faults::count_device_call(function, address);
    }
}

/// The running export named (resolved) the device at `address`: count it there.
pub(crate) fn note_device(address: &str) {
    count_device_call(current_function(), address);
}

/// Run one export's body. `name` is the export's C name (for call counts, fault rules and
/// the log), `fail` is what the C caller gets on failure (FALSE, -1, NULL, 0).
///
/// ```ignore
/// #[unsafe(no_mangle)]
/// pub unsafe extern "system" fn NET_DVR_Foo(a: LONG) -> BOOL {
///     call("NET_DVR_Foo", FALSE, STD, || -> Res<BOOL> { ... })
/// }
/// ```
pub(crate) fn call<T: Copy>(
    name: &'static str,
    fail: T,
    opts: Opts,
    body: impl FnOnce() -> Res<T>,
) -> T {
    faults::count_call(name);
    let prev = CURRENT.with(|c| c.replace(name));
    let prev_counted = COUNTED.with(|c| c.take());
    let out = run(name, fail, opts, body);
    COUNTED.with(|c| c.replace(prev_counted));
    CURRENT.with(|c| c.set(prev));
    out
}

fn run<T: Copy>(name: &'static str, fail: T, opts: Opts, body: impl FnOnce() -> Res<T>) -> T {
    if opts.needs_init && !errors::is_initialised() {
        errors::set_last_error(NOINIT);
        return fail;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        if opts.faults {
            faults::apply(name, None)?;
        }
        body()
    }));
    match result {
        Ok(Ok(v)) => {
            if opts.clear_on_success {
                errors::set_last_error(errors::NOERROR);
            }
            log::trace(name, None);
            v
        }
        Ok(Err(Fail::Code(code))) => {
            errors::set_last_error(code);
            log::trace(name, Some(code));
            fail
        }
        Ok(Err(Fail::Soft(code))) => {
            if errors::last_error() == errors::NOERROR {
                errors::set_last_error(code);
            }
            log::trace(name, Some(code));
            fail
        }
        Ok(Err(Fail::Silent)) => {
            log::trace(name, Some(errors::last_error()));
            fail
        }
        Err(_) => {
            // The panic message was printed by the panic hook; C only sees a failure.
            errors::set_last_error(PROGRAM_EXCEPTION);
            log::trace(name, Some(PROGRAM_EXCEPTION));
            fail
        }
    }
}

/// The text of a C string argument, or `None` for NULL.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn c_str<'a>(p: *const c_char) -> Option<&'a CStr> {
    if p.is_null() {
        None
    } else {
        // SAFETY: non-NULL and NUL-terminated per this function's contract.
        Some(unsafe { CStr::from_ptr(p) })
    }
}

/// The text of a C string argument (invalid UTF-8 replaced), or `None` for NULL.
///
/// # Safety
/// As for [`c_str`].
pub(crate) unsafe fn c_text(p: *const c_char) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe { c_str(p) }.map(|s| s.to_string_lossy().into_owned())
}

/// A C `void*` user value that the caller passed for its callbacks. The SDK contract is that
/// the client keeps it valid for as long as the callback is registered and may receive it on
/// any SDK thread; the mock only hands it back, never dereferences it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserPtr(pub *mut std::ffi::c_void);

// SAFETY: the pointer is never dereferenced by the mock, only passed back to the client's own
// callback, which the client registered knowing it is called from SDK threads.
unsafe impl Send for UserPtr {}
// SAFETY: as above; it is an opaque value to us.
unsafe impl Sync for UserPtr {}
