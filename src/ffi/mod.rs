//! Everything that touches C, in one place to audit:
//!
//! * [`call`]: the checked call. Every SDK function is resolved with `resolve!` and called
//!   through [`Func`], which traces the call, decides failure from the return value and
//!   reads the last error on the same thread;
//! * [`cstr`]: strings into the SDK's fixed-size `char` fields and paths into C strings,
//!   over the workspace's one helper ([`hcnetsdk_sys::text`]);
//! * the callbacks the SDK calls, none of which lets a panic unwind into C:
//!   [`real_data`] (live preview data), [`login`] (the login structure and the
//!   asynchronous login result), [`exception`] (exception and reconnect events) and
//!   [`message`] (alarms).
//!
//! * [`scope`]: whether this thread is inside one of those callbacks (teardown then goes to
//!   the reaper thread instead).
//!
//! The handle modules (`session`, `preview`, `ptz`, `snapshot`, `sdk`) call into this one.

pub(crate) mod call;
pub(crate) mod cstr;
pub(crate) mod exception;
pub(crate) mod login;
pub(crate) mod message;
pub(crate) mod real_data;
pub(crate) mod scope;

pub(crate) use scope::{CallbackScope, in_sdk_callback};

pub(crate) use call::{
    DeviceDisplay, ErrorReader, Func, channel_long, device_context, log_failure, resolve,
};
