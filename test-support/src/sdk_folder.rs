//! SDK folders with a component missing, for the diagnosis of a missing libcrypto (issue 12):
//! a copy of the real SDK's folder without it, and a stand-in folder for the mock tier.
//! Each lives in the system's temporary folder under a name of the caller's and this
//! process's id; the caller removes it.

use std::path::{Path, PathBuf};

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a temporary SDK folder");
    dir
}

/// A copy of the SDK folder `dir` without its libcrypto: `libhcnetsdk.so` hard-linked (or
/// copied; the loader canonicalises a symlink and would look beside the original), every
/// other file a symlink.
///
/// # Panics
/// When the folder cannot be read or the links made.
#[cfg(unix)]
#[must_use]
pub fn real_without_libcrypto(dir: &Path, name: &str) -> PathBuf {
    let farm = fresh(name);
    for entry in std::fs::read_dir(dir).expect("read the SDK folder") {
        let entry = entry.expect("an entry of the SDK folder");
        let file = entry.file_name();
        let file_name = file.to_string_lossy();
        if file_name == "libhcnetsdk.so" {
            if std::fs::hard_link(entry.path(), farm.join(&file)).is_err() {
                std::fs::copy(entry.path(), farm.join(&file)).expect("copy libhcnetsdk.so");
            }
        } else if !file_name.starts_with("libcrypto") {
            std::os::unix::fs::symlink(entry.path(), farm.join(&file)).expect("symlink");
        }
    }
    farm
}

/// A folder that looks like a (non-mock) SDK without libcrypto: `HCNetSDKCom/`, an empty
/// `libssl.so.1.1`, and a copy of the system's libm as `libhcnetsdk.so` (harmless to load,
/// unlike libc). `None` when no libm is at the usual paths; under CI (`CI` set and not
/// empty) that panics instead, so the test cannot pass having checked nothing.
#[must_use]
pub fn stand_in_without_libcrypto(name: &str) -> Option<PathBuf> {
    let libm = [
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/usr/lib/x86_64-linux-gnu/libm.so.6",
        "/lib64/libm.so.6",
        "/usr/lib64/libm.so.6",
        "/lib/aarch64-linux-gnu/libm.so.6",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file());
    let Some(libm) = libm else {
        let msg = "no libm.so.6 at the usual paths";
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "{msg}; CI is set, so this is a failure"
        );
        println!("skip: {msg}");
        return None;
    };
    let dir = fresh(name);
    std::fs::create_dir_all(dir.join("HCNetSDKCom")).expect("HCNetSDKCom/");
    std::fs::write(dir.join("libssl.so.1.1"), b"").expect("libssl.so.1.1");
    std::fs::copy(&libm, dir.join("libhcnetsdk.so")).expect("copy libm");
    Some(dir)
}
