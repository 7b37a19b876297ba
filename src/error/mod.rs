//! Typed errors with a diagnosis: what happened, where, the likely causes, what to do and
//! whether retrying can help.
//!
//! Every failed SDK call becomes an [`Error`]. Its [`ErrorKind`] says what failed; for SDK
//! failures the [`ErrorCode`] (one variant per HCNetSDK code, by C name) leads to the
//! catalogue: [`Category`], [`Retry`], English and Chinese messages, causes and remediation.
//! The catalogue is data (`src/catalog/hcnetsdk/*.toml`) that `cargo run -p xtask -- catalog`
//! turns into the checked-in code under `src/error/generated/`.
//!
//! Besides HCNetSDK's codes, the module carries the two other Hikvision error systems a
//! client meets: [`playm4`] (the player library) and [`isapi`] (ISAPI `ResponseStatus`),
//! as [`table::CodeTable`]s.
//!
//! `{}` on an [`Error`] prints one line; `{:#}` (or [`Error::report`]) prints the whole
//! diagnosis:
//!
//! ```
//! use hcnetsdk::error::{Category, Retry};
//! use hcnetsdk::{Context, Error, ErrorCode, LoginState};
//!
//! let err = Error::sdk(1, "NET_DVR_Login_V40", Context::device("192.0.2.10", 8000), None)
//!     .with_login_state(LoginState::new(Some(2), None));
//! assert_eq!(err.code(), Some(ErrorCode::NET_DVR_PASSWORD_ERROR));
//! assert_eq!(err.category(), Category::Auth);
//! assert_eq!(err.retry(), Retry::NeverAuto);
//! assert_eq!(
//!     err.to_string(),
//!     "NET_DVR_Login_V40 to 192.0.2.10:8000 failed: NET_DVR_PASSWORD_ERROR (1, auth): \
//!      the device refused the user name or password (2 attempts left)"
//! );
//! let report = format!("{err:#}");
//! assert!(report.contains("what to do:"));
//! assert!(report.contains("Do not retry automatically"));
//! ```

pub(crate) mod catalog;
mod category;
pub(crate) mod context;
mod convert;
#[allow(clippy::module_inception)] // error/error.rs: the `Error` type itself
pub(crate) mod error;
pub mod isapi;
pub mod playm4;
mod recording;
mod report;
pub mod table;

pub use catalog::{
    CallAdvice, CallFamily, CodeInfo, GroupInfo, Operation, OperationEntry, RemediationSource, Tip,
    call_advice, call_advices, call_families, call_family, codes, group, groups, operation,
    operations, tips,
};
pub use category::{Category, ParseIdError, Retry};
pub use error::ErrorKind;
pub use report::Report;

// The five types every fallible call involves have one public path each, at the crate root
// (`hcnetsdk::Error`, ...); inside the crate they are also reachable here.
pub(crate) use catalog::ErrorCode;
pub(crate) use context::{Context, LoginState};
pub(crate) use error::{Error, Result};

#[cfg(test)]
mod tests;
