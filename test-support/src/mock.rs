//! The path of the mock SDK (`libhcnetsdk.so` built from `mock-sdk/`) for integration tests
//! anywhere in the workspace.
//!
//! It runs `cargo build -p hcnetsdk-mock --message-format=json` once per test process, with
//! the same cargo that runs the tests, and picks the cdylib artifact from cargo's own report.
//! It never runs from a build script (that deadlocks on the target-directory lock).
//! `HCNETSDK_MOCK_LIB=/path/to/libhcnetsdk.so` skips the build and uses that file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the folder of the top-level Cargo.toml).
///
/// Found above the calling crate's manifest folder (`CARGO_MANIFEST_DIR`, which cargo sets
/// when it runs a test or bench), else above this crate's own (for a test binary run
/// directly, e.g. under valgrind).
///
/// # Panics
/// If neither folder has a workspace `Cargo.toml` above it.
pub fn workspace_root() -> PathBuf {
    let own = Path::new(env!("CARGO_MANIFEST_DIR"));
    let caller = std::env::var_os("CARGO_MANIFEST_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    caller
        .as_deref()
        .and_then(workspace_above)
        .or_else(|| workspace_above(own))
        .unwrap_or_else(|| {
            panic!(
                "no workspace Cargo.toml above {} or {}",
                caller.as_deref().unwrap_or(own).display(),
                own.display()
            )
        })
}

/// The nearest folder at or above `start` whose `Cargo.toml` has a `[workspace]` table.
fn workspace_above(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|t| t.contains("[workspace]"))
            .then(|| dir.to_path_buf())
    })
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
