//! Checks 1 and 2 in detail: the SDK library (where, which architecture, which exports)
//! and the components a real SDK needs beside it.

use std::path::Path;

use hcnetsdk::Sdk;
use serde_json::json;

use super::steps::Step;
use crate::report::Check;
use crate::{arch, device};

/// "mock SDK" or "HCNetSDK", for the report.
pub fn kind(sdk: &Sdk) -> &'static str {
    if sdk.is_mock() {
        "mock SDK"
    } else {
        "HCNetSDK"
    }
}

/// Check 1 when the library did not load: `text` is the loader's account.
pub fn load_failed(step: &Step, sdk_dir: Option<&Path>, text: &str) -> Check {
    // A library for another architecture is the likely cause: say so first.
    let arch_note = arch_note_for_failed_load(sdk_dir);
    let fix = match &arch_note {
        Some(_) => format!(
            "Use the SDK build for {} (the vendor ships separate 32/64-bit and ARM packages) and point \
             --sdk-dir at its lib folder.",
            arch::host_arch()
        ),
        None => library_fix(sdk_dir),
    };
    let mut c = step.fail(format!("not loaded ({})", device::sdk_source(sdk_dir)), fix);
    if let Some(note) = arch_note {
        c = c.detail(note);
    }
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        c = c.detail(line.trim_end().to_string());
    }
    c
}

fn library_fix(sdk_dir: Option<&Path>) -> String {
    let configured = sdk_dir.is_some()
        || std::env::var_os("HCNETSDK_LIB").is_some_and(|v| !v.is_empty())
        || std::env::var_os("HCNETSDK_LIB_DIR").is_some_and(|v| !v.is_empty());
    if configured {
        format!(
            "Point --sdk-dir (or HCNETSDK_LIB_DIR) at the SDK's lib folder, the one that holds {} with libHCCore, libhpr, \
             libcrypto/libssl and HCNetSDKCom/ beside it (in the vendor's archive: lib/ or Libs/linux/).",
            lib_name()
        )
    } else {
        "Build the mock SDK with `cargo build -p hcnetsdk-mock` (or `cargo build`), which puts it beside hcnet; \
         or use a real SDK with --sdk-dir DIR / HCNETSDK_LIB_DIR=DIR."
            .to_string()
    }
}

fn lib_name() -> &'static str {
    if cfg!(windows) {
        "HCNetSDK.dll"
    } else {
        "libhcnetsdk.so"
    }
}

fn arch_note_for_failed_load(sdk_dir: Option<&Path>) -> Option<String> {
    let dir = sdk_dir?;
    let file = if dir.is_dir() {
        dir.join(lib_name())
    } else {
        dir.to_path_buf()
    };
    let fa = arch::file_arch(&file)?;
    (!arch::matches_host(&fa)).then(|| {
        format!(
            "{} is a {}-bit {} {} library, but hcnet runs as {}: get the SDK build for {}",
            file.display(),
            fa.bits,
            fa.arch,
            fa.format,
            arch::host_arch(),
            arch::host_arch()
        )
    })
}

/// Check 1 for a loaded library: where it came from, whether its architecture fits, and
/// the declared functions it does not export.
pub fn library_check(step: &Step, sdk: &Sdk, sdk_dir: Option<&Path>) -> Check {
    let path = sdk.library_path();
    let source = device::sdk_source(sdk_dir);
    let (fits, arch_text) = match arch::file_arch(path) {
        Some(fa) if arch::matches_host(&fa) => (
            true,
            format!("{}-bit {} {}, matches hcnet", fa.bits, fa.arch, fa.format),
        ),
        Some(fa) => (
            false,
            format!(
                "{}-bit {} {}, but hcnet is {}",
                fa.bits,
                fa.arch,
                fa.format,
                arch::host_arch()
            ),
        ),
        None => (
            true,
            "architecture not readable from the file header".to_string(),
        ),
    };
    let found = format!(
        "{} {} (from {source}; {arch_text})",
        kind(sdk),
        path.display()
    );
    let mut c = if fits {
        step.pass(found)
    } else {
        step.fail(
            found,
            format!(
                "Use the SDK build for {} (the vendor ships separate 32/64-bit and ARM packages).",
                arch::host_arch()
            ),
        )
    };
    let missing = sdk.missing_functions();
    if !missing.is_empty() {
        c = c.detail(format!(
            "{} declared function(s) not exported (calls that need them fail; the rest works): {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    c.with_data(json!({
        "path": path.display().to_string(),
        "is_mock": sdk.is_mock(),
        "source": source,
        "missing_functions": missing,
    }))
}

/// Check 2: `HCNetSDKCom/`, libcrypto and libssl beside a real SDK's library.
pub fn components_check(step: &Step, sdk: &Sdk) -> Check {
    if sdk.is_mock() {
        return step.pass(
            "not needed: the mock SDK has no components (a real SDK needs HCNetSDKCom/, libcrypto and libssl beside libhcnetsdk.so)",
        );
    }
    if cfg!(windows) {
        return step.pass("Windows: the SDK finds HCNetSDKCom\\ beside HCNetSDK.dll itself");
    }
    let dir = sdk.library_path().parent().unwrap_or(Path::new("."));
    match hcnetsdk::sys::components::ComponentPaths::locate(dir) {
        Ok(p) => step.pass(format!(
            "{}/ present; {}; {}",
            dir.join(hcnetsdk::sys::components::COMPONENT_DIR).display(),
            p.libcrypto.display(),
            p.libssl.display()
        )),
        Err(m) => {
            let mut c = step.fail(
                format!("{} is missing", m.what),
                "Keep the SDK's lib folder whole: libhcnetsdk.so, libHCCore.so, libhpr.so, libcrypto/libssl and the \
                 HCNetSDKCom/ folder side by side, as shipped. Without them Init succeeds but later calls fail with \
                 misleading codes (29, 41, 107).",
            );
            for p in &m.looked_for {
                c = c.detail(format!("looked for {}", p.display()));
            }
            c
        }
    }
}
