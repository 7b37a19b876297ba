//! Look up error codes of every system `hcnet explain` knows: Hikvision's HCNetSDK, the
//! PlayM4 player library and ISAPI (their tables come from [`hcnetsdk::error`]), and the
//! error codes of other video vendors' SDKs and APIs: the Viewtron HTTP API, the Tencent
//! IoT Video SDK, the Tencent IoT Video Industry API and the Alibaba ApsaraVideo Player
//! SDK. This is the engine behind `hcnet explain`.
//!
//! Each system is a table of [`Entry`] rows. HCNetSDK's is the same one
//! [`hcnetsdk::ErrorCode`] uses; the other vendors' tables are generated into this crate
//! (`explain/src/generated/`) from the data under `explain/catalog/` by
//! `cargo run -p xtask -- catalog`. Adding a system means adding a file there.
//!
//! A query is a number (decimal, `0x` hex, bare hex for systems that write codes in hex,
//! negative), a symbolic name (exact or prefix, any case) or words from the messages
//! (English or Chinese):
//!
//! ```
//! use hcnet_explain::{self as explain, MatchKind};
//!
//! // A number several systems use: every match, HCNetSDK first.
//! let found = explain::query("7", None).unwrap();
//! assert_eq!(found[0].system.id, "hcnetsdk");
//! assert_eq!(found[0].entry.as_ref().unwrap().name, Some("NET_DVR_NETWORK_FAIL_CONNECT"));
//! assert!(found.iter().any(|m| m.system.id == "playm4"));
//!
//! // Narrowed to one system.
//! let found = explain::query("7", Some("viewtron")).unwrap();
//! assert!(found.iter().all(|m| m.system.id == "viewtron"));
//!
//! // A number in no table falls back to its module.
//! let found = explain::query("21999", Some("tencent_iot_video")).unwrap();
//! assert_eq!(found[0].kind, MatchKind::Range);
//!
//! // Unknown systems list the valid ones.
//! let err = explain::query("7", Some("nope")).unwrap_err();
//! assert!(err.to_string().contains("hcnetsdk"));
//! ```
//!
//! The library stays free of serde; the CLI renders [`Match`] and [`Entry`] as it likes.

mod search;
mod system;

pub use hcnetsdk::error::table::{
    Alternative, CodeTable, Entry, EntryKind, NumberFormat, Range, Variant,
};
pub use search::{Match, MatchKind, NumberReading, Reading, query, readings};
pub use system::{System, UnknownSystem, list, system, systems};
