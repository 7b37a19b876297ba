//! A library that is there but cannot load: the error carries the system loader's own
//! message (which dependency is missing), not just "dlopen failed". The libraries are tiny C
//! shared objects built here with `cc`.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use hcnetsdk_sys::{Library, Source, library_file_name};

fn cc(args: &[&std::ffi::OsStr]) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("this test needs a C compiler ({cc}): {e}"));
    assert!(
        out.status.success(),
        "cc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `sdk/libhcnetsdk.so` linked against `dep/libHCCore.so`, with no rpath: at run time the
/// loader cannot find libHCCore.so, as when the SDK's folder is copied incompletely.
fn build_sdk_with_missing_dependency(base: &Path) -> PathBuf {
    let (dep, sdk) = (base.join("dep"), base.join("sdk"));
    std::fs::create_dir_all(&dep).unwrap();
    std::fs::create_dir_all(&sdk).unwrap();
    let core_c = base.join("core.c");
    std::fs::write(&core_c, "int core_fn(void) { return 1; }\n").unwrap();
    cc(&[
        "-shared".as_ref(),
        "-fPIC".as_ref(),
        "-o".as_ref(),
        dep.join("libHCCore.so").as_os_str(),
        core_c.as_os_str(),
    ]);
    let sdk_c = base.join("sdk.c");
    std::fs::write(
        &sdk_c,
        "int core_fn(void);\nint NET_DVR_Init(void) { return core_fn(); }\n",
    )
    .unwrap();
    let so = sdk.join(library_file_name());
    let dep_flag = format!("-L{}", dep.display());
    cc(&[
        "-shared".as_ref(),
        "-fPIC".as_ref(),
        "-o".as_ref(),
        so.as_os_str(),
        sdk_c.as_os_str(),
        dep_flag.as_ref(),
        "-lHCCore".as_ref(),
    ]);
    so
}

#[test]
fn a_missing_dependency_is_named_in_the_error() {
    let base = std::env::temp_dir().join(format!("hcnetsdk-sys-nodep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let so = build_sdk_with_missing_dependency(&base);

    let err = Library::load(Some(so.parent().unwrap())).unwrap_err();
    assert_eq!(err.attempts.len(), 1);
    assert_eq!(err.attempts[0].source, Source::Explicit);
    assert_eq!(err.attempts[0].path, so);
    let msg = &err.attempts[0].message;
    assert!(
        msg.contains("libHCCore.so") && msg.contains("cannot open shared object file"),
        "the loader's message is lost: {msg}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&so.display().to_string()) && text.contains("libHCCore.so"),
        "{text}"
    );
    assert!(text.contains("\nfix: "), "{text}");
    std::fs::remove_dir_all(&base).unwrap();
}
