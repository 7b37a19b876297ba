//! ISAPI `ResponseStatus`: the `statusCode` of Hikvision's ISAPI HTTP responses and the
//! `subStatusCode` strings under it, with the hex `errorCode` where a public source gives
//! one.
//!
//! ```
//! use hcnetsdk::error::{Category, isapi};
//!
//! assert!(isapi::status(1).unwrap().success);
//! assert_eq!(isapi::status(4).unwrap().name, Some("Invalid Operation"));
//!
//! let sub = isapi::sub_status(4, "notSupport").unwrap();
//! assert_eq!(sub.value, Some(0x4000_0001)); // its errorCode
//! assert_eq!(isapi::error_code(0x4000_0001), Some(sub));
//! assert_eq!(sub.category, Category::Unsupported);
//! ```

#[allow(unused_imports)] // the generated tables use whichever row types their data needs
use super::table::{Alternative, CodeTable, Entry, EntryKind, NumberFormat, Range, Variant};
use super::{Category, RemediationSource, Retry};

include!("generated/isapi.rs");

/// The whole ISAPI table: every `statusCode`, then every `subStatusCode`.
#[must_use]
pub const fn table() -> &'static CodeTable {
    &TABLE
}

/// The entry of a `statusCode` (0–9; no public source defines 8, so its entry is a
/// placeholder that says so), `None` for any other value.
#[must_use]
pub fn status(status_code: u32) -> Option<&'static Entry> {
    TABLE
        .entries
        .iter()
        .find(|e| e.kind == EntryKind::Code && e.value == Some(status_code))
}

/// The entry of a `subStatusCode` (exact spelling) under its `statusCode`.
#[must_use]
pub fn sub_status(status_code: u32, name: &str) -> Option<&'static Entry> {
    TABLE
        .entries
        .iter()
        .find(|e| e.kind == (EntryKind::SubStatus { status_code }) && e.name == Some(name))
}

/// The `subStatusCode` entry whose hex `errorCode` is `value`.
#[must_use]
pub fn error_code(value: u32) -> Option<&'static Entry> {
    TABLE
        .entries
        .iter()
        .find(|e| matches!(e.kind, EntryKind::SubStatus { .. }) && e.value == Some(value))
}
