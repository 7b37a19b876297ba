//! The one helper that gives integration tests anywhere in the workspace the path of the
//! mock SDK (`libhcnetsdk.so` built from `mock-sdk/`).
//!
//! It runs `cargo build -p hcnetsdk-mock --message-format=json` once per test process, with
//! the same cargo that runs the tests, and picks the cdylib artifact from cargo's own report.
//! It never runs from a build script (that deadlocks on the target-directory lock).
//! `HCNETSDK_MOCK_LIB=/path/to/libhcnetsdk.so` skips the build and uses that file.
//!
//! Include it with `#[path = "<relative>/tests/common/mock.rs"] mod mock;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the folder of the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let manifest = dir.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).is_ok_and(|t| t.contains("[workspace]")) {
            return dir;
        }
        assert!(
            dir.pop(),
            "no workspace Cargo.toml above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
}

/// Path of the mock `libhcnetsdk.so`, built on first use.
///
/// # Panics
/// If the build fails (the panic carries cargo's output) or reports no cdylib.
pub fn mock_lib_path() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Some(p) = std::env::var_os("HCNETSDK_MOCK_LIB").filter(|p| !p.is_empty()) {
            let p = PathBuf::from(p);
            assert!(
                p.is_file(),
                "HCNETSDK_MOCK_LIB={} is not a file",
                p.display()
            );
            return p;
        }
        build_mock()
    })
    .clone()
}

/// The folder holding the mock library (what `HCNETSDK_LIB_DIR` would name).
pub fn mock_lib_dir() -> PathBuf {
    mock_lib_path()
        .parent()
        .expect("library path has a parent")
        .to_path_buf()
}

fn build_mock() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let root = workspace_root();
    let out = Command::new(cargo)
        .args([
            "build",
            "-p",
            "hcnetsdk-mock",
            "--message-format=json-render-diagnostics",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .output()
        .expect("failed to run cargo to build the mock SDK");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "building the mock SDK failed:\n{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let lib_name = if cfg!(windows) {
        "hcnetsdk.dll"
    } else {
        "libhcnetsdk.so"
    };
    for line in stdout.lines() {
        if !line.contains("\"reason\":\"compiler-artifact\"") || !line.contains("\"cdylib\"") {
            continue;
        }
        // The artifact line lists "filenames":["/abs/path/libhcnetsdk.so", ...].
        if let Some(start) = line.find("\"filenames\":[") {
            let rest = &line[start + 13..];
            let list = &rest[..rest.find(']').unwrap_or(rest.len())];
            for f in list.split(',') {
                let f = f.trim().trim_matches('"');
                if f.ends_with(lib_name) {
                    return PathBuf::from(f.replace("\\\\", "\\"));
                }
            }
        }
    }
    panic!("cargo built hcnetsdk-mock but reported no {lib_name} artifact:\n{stdout}");
}
