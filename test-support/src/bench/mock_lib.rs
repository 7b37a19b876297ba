//! Which mock library a bench uses: the release build next to the bench binary, built here
//! on first use. Used by `benches/preview` and `benches/soak`.

use std::path::{Path, PathBuf};

use crate::mock;
use hcnetsdk_sys as sys;

/// The mock to load: `HCNETSDK_MOCK_LIB` if set; else, with `release`, the mock built with
/// `--release` into `target/release/` beside the bench binary (so that the mock's own
/// per-packet cost dilutes the numbers as little as possible); else (or if that build
/// fails) the debug mock of `hcnetsdk_test_support::mock`.
pub fn mock_lib(release: bool) -> PathBuf {
    if release { release_mock() } else { None }.unwrap_or_else(mock::mock_lib_path)
}

fn release_mock() -> Option<PathBuf> {
    if std::env::var_os("HCNETSDK_MOCK_LIB").is_some_and(|p| !p.is_empty()) {
        return None;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = mock::workspace_root().join("Cargo.toml");
    let built = std::process::Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "hcnetsdk-mock",
            "--manifest-path",
        ])
        .arg(&manifest)
        .status()
        .is_ok_and(|s| s.success());
    let dir = std::env::current_exe()
        .ok()?
        .parent()?
        .parent()?
        .to_path_buf();
    let lib = dir.join(sys::library_file_name());
    if built && lib.is_file() {
        Some(lib)
    } else {
        eprintln!(
            "could not build the release mock into {}; using the debug mock",
            dir.display()
        );
        None
    }
}

pub fn build_kind(path: &Path) -> &'static str {
    let s = path.to_string_lossy();
    if s.contains("/release/") {
        "release build"
    } else if s.contains("/debug/") {
        "DEBUG build: its own per-packet cost dilutes the ratios"
    } else {
        "build unknown"
    }
}
