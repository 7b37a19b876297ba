//! Where the ABI tests find the reference facts (`../shared/reference/hcnetsdk/` beside the
//! workspace, or `HCNETSDK_REFERENCE_DIR`), and what happens when they are missing.
//!
//! The reference is not part of the package, so outside CI a missing folder skips the
//! comparison with a message. Under CI (`CI` set to anything non-empty) it is a failure:
//! there a skipped comparison would only check our declarations against themselves.

use std::path::{Path, PathBuf};

/// True when the `CI` environment variable is set and not empty.
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The reference folder if it holds `file`; `None` (after a `SKIPPED` line) when it does not.
///
/// # Panics
/// When the file is missing and [`under_ci`] is true.
pub fn reference_file(file: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("HCNETSDK_REFERENCE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/hcnetsdk")
        });
    let path = dir.join(file);
    if path.is_file() {
        return Some(path);
    }
    let msg = format!(
        "reference {} not found (put shared/ beside the workspace or set HCNETSDK_REFERENCE_DIR)",
        path.display()
    );
    assert!(!under_ci(), "{msg}; CI is set, so this is a failure");
    eprintln!("SKIPPED: {msg}");
    None
}
