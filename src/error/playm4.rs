//! PlayM4 (PlayCtrl), Hikvision's decoding and playback library: the codes
//! `PlayM4_GetLastError` returns, as the C headers and the web player (JSPlayCtrl) define
//! them.
//!
//! HCNetSDK reports a player failure as its own code 500 + n (`NET_PLAYM4_*`, see
//! [`ErrorCode`](super::ErrorCode)); this table holds the raw PlayM4 values, which overlap
//! HCNetSDK's 0–119.
//!
//! ```
//! use hcnetsdk::error::{Category, playm4};
//!
//! let e = playm4::lookup(1).unwrap();
//! assert_eq!(e.name, Some("PLAYM4_PARA_OVER"));
//! assert_eq!(e.category, Category::Parameter);
//! // The web player numbers the first two codes the other way round: a variant says so.
//! assert!(e.variants.iter().any(|v| v.when.contains("web player")));
//! assert!(playm4::lookup(9_999).is_none());
//! ```

#[allow(unused_imports)] // the generated tables use whichever row types their data needs
use super::table::{Alternative, CodeTable, Entry, EntryKind, NumberFormat, Range, Variant};
use super::{Category, RemediationSource, Retry};

include!("generated/playm4.rs");

/// The whole PlayM4 table.
#[must_use]
pub const fn table() -> &'static CodeTable {
    &TABLE
}

/// The entry for a `PlayM4_GetLastError` value, `None` if the table lacks it.
#[must_use]
pub fn lookup(value: u32) -> Option<&'static Entry> {
    TABLE.entries_with_value(value).next()
}
