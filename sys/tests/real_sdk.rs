//! The real-SDK tier of hcnetsdk-sys. Runs only when `HCNETSDK_LIB_DIR` names a folder with
//! the real `libhcnetsdk.so` (`cargo run -p xtask -- fetch-real-sdk` prints one); otherwise it
//! prints why it is skipped. `.ci/run` always runs it against the real SDK.
//!
//! One test function on purpose: Init/Cleanup are process-wide.

use std::ffi::CString;
use std::path::PathBuf;

use hcnetsdk_sys::components::ComponentPaths;
use hcnetsdk_sys::*;

fn real_sdk_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("HCNETSDK_LIB_DIR").filter(|d| !d.is_empty())?);
    Some(dir)
}

/// `NET_DVR_GetSDKBuildVersion` packs major.minor.build.revision one byte each, high first.
fn decode_build_version(v: u32) -> (u8, u8, u8, u8) {
    ((v >> 24) as u8, (v >> 16) as u8, (v >> 8) as u8, v as u8)
}

#[test]
fn real_sdk_loads_inits_reports_version_and_resolves_every_declared_function() {
    let Some(dir) = real_sdk_dir() else {
        eprintln!(
            "skipped: HCNETSDK_LIB_DIR is not set (run `cargo run -p xtask -- fetch-real-sdk`)"
        );
        return;
    };
    let lib = Library::load(Some(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !lib.is_mock(),
        "HCNETSDK_LIB_DIR={} holds the mock, not the real SDK",
        dir.display()
    );

    // Every declared function, resolved or not; checked after the version is printed, so
    // a slightly older SDK still reports what it is.
    let missing = lib.missing_functions();
    let resolved: Vec<&str> = DECLARED_FUNCTIONS
        .iter()
        .copied()
        .filter(|f| !missing.contains(f))
        .collect();
    println!(
        "resolved {}/{} declared functions: {}",
        resolved.len(),
        DECLARED_FUNCTIONS.len(),
        resolved.join(" ")
    );
    println!(
        "unresolved {}/{}: {}",
        missing.len(),
        DECLARED_FUNCTIONS.len(),
        if missing.is_empty() {
            "none".to_string()
        } else {
            missing.join(" ")
        }
    );

    let comps = ComponentPaths::locate(&dir).unwrap_or_else(|e| panic!("{e}"));
    let set_cfg = sym!(lib, NET_DVR_SetSDKInitCfg).unwrap();
    let mut sdk_path = NET_DVR_LOCAL_SDK_PATH {
        sPath: comps
            .sdk_path_field()
            .expect("SDK path fits the 256-byte field"),
        byRes: [0; 128],
    };
    let crypto = CString::new(comps.libcrypto.to_str().unwrap()).unwrap();
    let ssl = CString::new(comps.libssl.to_str().unwrap()).unwrap();
    // SAFETY: each pointer is to a live value of the type the enum value documents
    // (NET_DVR_LOCAL_SDK_PATH for SDK_PATH, a NUL-terminated path for LIBEAY/SSLEAY).
    unsafe {
        assert_eq!(
            set_cfg(NET_SDK_INIT_CFG_SDK_PATH, (&raw mut sdk_path).cast()),
            TRUE
        );
        assert_eq!(
            set_cfg(NET_SDK_INIT_CFG_LIBEAY_PATH, crypto.as_ptr() as *mut _),
            TRUE
        );
        assert_eq!(
            set_cfg(NET_SDK_INIT_CFG_SSLEAY_PATH, ssl.as_ptr() as *mut _),
            TRUE
        );
    }

    let init = sym!(lib, NET_DVR_Init).unwrap();
    let cleanup = sym!(lib, NET_DVR_Cleanup).unwrap();
    let version = sym!(lib, NET_DVR_GetSDKVersion).unwrap();
    let build = sym!(lib, NET_DVR_GetSDKBuildVersion).unwrap();
    let last_error = sym!(lib, NET_DVR_GetLastError).unwrap();
    // SAFETY: argument-less SDK calls, in the documented order (Init before use, Cleanup last).
    unsafe {
        assert_eq!(init(), TRUE, "NET_DVR_Init failed with {}", last_error());
        let (v, b) = (version(), build());
        let (major, minor, bld, rev) = decode_build_version(b);
        println!(
            "real SDK at {}: NET_DVR_GetSDKVersion=0x{v:08x} (V{}.{}), NET_DVR_GetSDKBuildVersion=0x{b:08x} = {major}.{minor}.{bld}.{rev}",
            lib.path().display(),
            v >> 16,
            v & 0xffff
        );
        assert_eq!(
            v >> 16,
            u32::from(major),
            "the two version calls disagree on the major version"
        );
        assert!(
            major >= 5,
            "implausible SDK version {major}.{minor}.{bld}.{rev}"
        );
        assert_eq!(
            cleanup(),
            TRUE,
            "NET_DVR_Cleanup failed with {}",
            last_error()
        );
    }
    assert!(
        missing.is_empty(),
        "the real SDK lacks declared functions: {missing:?}"
    );

    // Dropping the Library after Cleanup must not unmap the SDK: its threads may still be
    // running its code (a tokio program crashed in one when it was unloaded).
    let file = lib.path().to_path_buf();
    drop(lib);
    let maps = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
    assert!(
        maps.lines().any(|l| l.ends_with(&*file.to_string_lossy())),
        "{} was unmapped when its Library was dropped",
        file.display()
    );
}
