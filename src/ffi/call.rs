//! The one place that calls into the SDK and turns its return values into `Result`s.
//!
//! Every call site resolves its function with [`resolve!`] and calls it through one of
//! [`Func`]'s checking methods. They:
//!
//! * open a `debug` span `sdk_call` carrying the function, device, user ID, channel and
//!   handle, and record the call's duration (and the code, on failure);
//! * decide from the return value whether the call failed (FALSE, a negative handle,
//!   NULL, ...);
//! * on failure, and only then, read `NET_DVR_GetLastError` immediately, on the same
//!   thread, then `NET_DVR_GetErrorMsg`, and build [`Error::sdk`];
//! * log the failure at `warn` with the code's name.
//!
//! Callbacks that learn of a failure on an SDK thread (asynchronous login) use the same
//! [`ErrorReader`] on that thread. Nothing else in the crate reads the last error.

use std::any::Any;
use std::ffi::{CStr, c_char};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use hcnetsdk_sys::{BOOL, DWORD, LONG, Library, MissingSymbol};
use tracing::field::{Empty, display};

use crate::endpoint::Endpoint;
use crate::error::{Context, Error, ErrorCode, Result};

/// Look up an SDK function by its C name. A missing export fails only the call that
/// needs it, with a `MissingSymbol` error naming it.
macro_rules! resolve {
    ($lib:expr, $name:ident) => {
        $crate::ffi::Func::new(
            $lib,
            ::core::stringify!($name),
            ::hcnetsdk_sys::sym!($lib, $name),
        )
    };
}
pub(crate) use resolve;

/// Reads the calling thread's last SDK error. Holds copies of the two function pointers,
/// which stay valid for as long as the library is loaded (the SDK cannot call back into us
/// after it is unloaded), so it can be used from SDK callback threads too.
#[derive(Clone, Copy)]
pub(crate) struct ErrorReader {
    get_last_error: Option<unsafe extern "system" fn() -> DWORD>,
    get_error_msg: Option<unsafe extern "system" fn(*mut LONG) -> *mut c_char>,
}

impl ErrorReader {
    pub(crate) fn new(lib: &Library) -> Self {
        Self {
            get_last_error: hcnetsdk_sys::sym!(lib, NET_DVR_GetLastError).ok(),
            get_error_msg: hcnetsdk_sys::sym!(lib, NET_DVR_GetErrorMsg).ok(),
        }
    }

    /// The error for a call that has just failed on this thread.
    ///
    /// Call it right after the failing call returned, before any other SDK call on this
    /// thread, and never after a success.
    #[cold]
    pub(crate) fn read(&self, call: &'static str, ctx: &Context) -> Error {
        self.read_into(call, ctx.clone())
    }

    /// As [`read`](Self::read), taking the context by value (no copy).
    #[cold]
    pub(crate) fn read_into(&self, call: &'static str, ctx: Context) -> Error {
        let code = match self.get_last_error {
            // SAFETY: NET_DVR_GetLastError takes no arguments and only reads a
            // thread-local (or process-wide before Init) slot.
            Some(f) => unsafe { f() },
            None => {
                tracing::warn!(
                    function = call,
                    "the SDK does not export NET_DVR_GetLastError; the failure's code is unknown"
                );
                0
            }
        };
        let message = self.message(code);
        Error::sdk(code, call, ctx, message)
    }

    fn message(&self, code: u32) -> Option<String> {
        let f = self.get_error_msg?;
        let mut number: LONG = -1;
        // SAFETY: NET_DVR_GetErrorMsg writes one LONG through the pointer we pass (a live
        // local) and returns NULL or a pointer to an SDK-owned NUL-terminated string.
        let ptr = unsafe { f(&mut number) };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: non-NULL, NUL-terminated and owned by the SDK; we copy it out at once,
        // before any other SDK call on this thread could replace it.
        let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
        if bytes.is_empty() || (number >= 0 && number as u32 != code) {
            return None;
        }
        // The SDK's messages are English or GBK-encoded Chinese.
        Some(crate::text::decode_gbk(bytes))
    }
}

/// Log a failed call at `warn` with the code's name (after the error has been read).
pub(crate) fn log_failure(error: &Error, ctx: &Context, duration_us: Option<u64>) {
    let code = error.raw_code().unwrap_or(0);
    tracing::warn!(
        function = error.call().unwrap_or("-"),
        code,
        name = code_name(code),
        device = %DeviceDisplay(ctx),
        user_id = ctx.user_id,
        channel = ctx.channel,
        handle = ctx.handle,
        duration_us,
        "HCNetSDK call failed"
    );
}

/// The C name of a code, for logs.
fn code_name(code: u32) -> &'static str {
    if code == 0 {
        "NET_DVR_NOERROR (failed without a code)"
    } else {
        ErrorCode::from_raw(code).name()
    }
}

/// `address:port` of a context, formatted only when a log line is actually written.
pub(crate) struct DeviceDisplay<'a>(pub(crate) &'a Context);

impl fmt::Display for DeviceDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.address.as_deref(), self.0.port) {
            (Some(a), Some(p)) => Endpoint::new(a, p).fmt(f),
            (Some(a), None) => f.write_str(a),
            (None, _) => f.write_str("-"),
        }
    }
}

/// Where a call is aimed. The call layer turns it into a [`Context`] only when it needs
/// one (a failure, an enabled debug span), so a handle can pass a closure that builds its
/// context on demand and a successful call allocates nothing.
pub(crate) trait CallContext {
    /// The context, built now.
    fn context(&self) -> Context;
}

impl CallContext for Context {
    fn context(&self) -> Context {
        self.clone()
    }
}

impl<F: Fn() -> Context> CallContext for F {
    fn context(&self) -> Context {
        self()
    }
}

/// Put a context's known fields on an enabled `sdk_call` span.
fn record_context(span: &tracing::Span, ctx: &Context) {
    if ctx.address.is_some() {
        span.record("device", display(DeviceDisplay(ctx)));
    }
    if let Some(u) = ctx.user_id {
        span.record("user_id", u);
    }
    if let Some(c) = ctx.channel {
        span.record("channel", c);
    }
    if let Some(h) = ctx.handle {
        span.record("handle", h);
    }
}

/// An SDK function looked up by name; a missing export surfaces as an error when it is
/// called, with that call's context.
pub(crate) struct Func<'l, F> {
    lib: &'l Library,
    name: &'static str,
    f: std::result::Result<F, MissingSymbol>,
}

impl<'l, F: Copy> Func<'l, F> {
    /// Wrap a symbol lookup. Use [`resolve!`] rather than calling this directly.
    pub(crate) fn new(
        lib: &'l Library,
        name: &'static str,
        f: std::result::Result<F, MissingSymbol>,
    ) -> Self {
        Self { lib, name, f }
    }

    /// Call; `failed` says from the return value whether the call failed.
    ///
    /// A successful call allocates nothing and, unless a subscriber listens, reads no
    /// clock: the context is built from `ctx` only for a failure or an enabled debug span,
    /// and the call is timed only when its span or the failure's `warn` line can be
    /// written.
    pub(crate) fn call<R>(
        &self,
        ctx: &impl CallContext,
        failed: impl FnOnce(&R) -> bool,
        body: impl FnOnce(F) -> R,
    ) -> Result<R> {
        let f = match &self.f {
            Ok(f) => *f,
            Err(missing) => return Err(self.missing(missing, ctx.context())),
        };
        let span = tracing::debug_span!(
            "sdk_call",
            function = self.name,
            device = Empty,
            user_id = Empty,
            channel = Empty,
            handle = Empty,
            duration_us = Empty,
            code = Empty,
        );
        if !span.is_disabled() {
            record_context(&span, &ctx.context());
        }
        let _entered = span.enter();
        let start =
            (!span.is_disabled() || tracing::enabled!(tracing::Level::WARN)).then(Instant::now);
        let ret = body(f);
        if failed(&ret) {
            // Read the last error before anything else can run on this thread (the
            // duration therefore includes the few microseconds of the read).
            return Err(self.failed(&span, start, ctx.context()));
        }
        if let Some(start) = start {
            let duration_us = start.elapsed().as_micros() as u64;
            span.record("duration_us", duration_us);
            tracing::debug!(duration_us, "HCNetSDK call returned");
        }
        Ok(ret)
    }

    /// The error of a call that just failed on this thread, logged.
    #[cold]
    #[inline(never)]
    fn failed(&self, span: &tracing::Span, start: Option<Instant>, ctx: Context) -> Error {
        let error = ErrorReader::new(self.lib).read_into(self.name, ctx);
        let duration_us = start.map(|s| s.elapsed().as_micros() as u64);
        if let Some(d) = duration_us {
            span.record("duration_us", d);
        }
        span.record("code", error.raw_code().unwrap_or(0));
        log_failure(&error, error.context(), duration_us);
        error
    }

    #[cold]
    fn missing(&self, missing: &MissingSymbol, ctx: Context) -> Error {
        tracing::warn!(
            function = self.name,
            library = %self.lib.path().display(),
            device = %DeviceDisplay(&ctx),
            "HCNetSDK export missing; only this call fails"
        );
        Error::from(missing.clone()).with_context(ctx)
    }

    /// Call a `BOOL` function: `FALSE` is a failure.
    pub(crate) fn bool(&self, ctx: &impl CallContext, body: impl FnOnce(F) -> BOOL) -> Result<()> {
        self.call(ctx, |r| *r == hcnetsdk_sys::FALSE, body)
            .map(|_| ())
    }

    /// Call a function returning a handle or user ID: negative is a failure.
    pub(crate) fn handle(
        &self,
        ctx: &impl CallContext,
        body: impl FnOnce(F) -> LONG,
    ) -> Result<LONG> {
        self.call(ctx, |r| *r < 0, body)
    }

    /// Call a function that has no failure value (only a missing export can fail it).
    pub(crate) fn value<R>(&self, ctx: &impl CallContext, body: impl FnOnce(F) -> R) -> Result<R> {
        self.call(ctx, |_| false, body)
    }
}

/// Run user code on an SDK callback thread without letting a panic unwind into C.
///
/// Returns the panic's message when it panicked; the caller reports it and hands it to
/// the next call on the handle concerned.
#[inline]
pub(crate) fn catch_panic<R>(
    what: &'static str,
    f: impl FnOnce() -> R,
) -> std::result::Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| caught(what, payload.as_ref()))
}

#[cold]
#[inline(never)]
fn caught(what: &'static str, payload: &(dyn Any + Send)) -> String {
    let message = panic_message(payload);
    tracing::error!(callback = what, panic = %message, "user callback panicked; the panic was caught at the FFI boundary");
    message
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// A channel number as the SDK's LONG: the one place a channel is converted.
///
/// # Errors
/// An invalid-input error naming the channel when it is over `i32::MAX`.
pub(crate) fn channel_long(channel: u32) -> Result<LONG> {
    LONG::try_from(channel).map_err(|_| {
        Error::invalid_input(
            "channel",
            channel,
            format!("the SDK takes channel numbers up to {}", LONG::MAX),
        )
    })
}

/// Context for a call aimed at a device.
pub(crate) fn device_context(address: &str, port: u16) -> Context {
    Context::device(address, port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_display_brackets_ipv6() {
        let mut c = device_context("192.0.2.1", 8000);
        assert_eq!(DeviceDisplay(&c).to_string(), "192.0.2.1:8000");
        c.address = Some("2001:db8::1".into());
        assert_eq!(DeviceDisplay(&c).to_string(), "[2001:db8::1]:8000");
        assert_eq!(DeviceDisplay(&Context::default()).to_string(), "-");
    }

    #[test]
    fn channels_over_i32_max_are_rejected() {
        assert_eq!(channel_long(33).unwrap(), 33);
        let e = channel_long(u32::MAX).unwrap_err();
        assert!(e.to_string().contains("4294967295"), "{e}");
    }

    #[test]
    fn panic_messages_are_extracted() {
        let r: std::result::Result<(), String> = catch_panic("test", || panic!("boom {}", 7));
        assert_eq!(r.unwrap_err(), "boom 7");
        let r: std::result::Result<(), String> = catch_panic("test", || std::panic::panic_any(5u8));
        assert_eq!(r.unwrap_err(), "non-string panic payload");
        assert_eq!(catch_panic("test", || 3).unwrap(), 3);
    }
}
