//! The real-SDK tier's skip rule, in one place: a test that needs the real HCNetSDK runs
//! when `HCNETSDK_LIB_DIR` names its lib folder (`.ci/run`'s tier 2 sets it, and fails when
//! a real-SDK test target is run by no tier script), and otherwise prints why it skipped.

use std::path::PathBuf;

/// The real SDK's lib folder from `HCNETSDK_LIB_DIR`, or `None` after a skip line naming
/// `test`.
#[must_use]
pub fn real_sdk_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("HCNETSDK_LIB_DIR").filter(|v| !v.is_empty());
    if dir.is_none() {
        println!(
            "skip {test}: HCNETSDK_LIB_DIR is not set (the real-SDK tier of .ci/run sets it; \
             `cargo run -p xtask -- fetch-real-sdk` prints one)"
        );
    }
    dir.map(PathBuf::from)
}
