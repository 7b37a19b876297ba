//! A library that lacks one export still loads; only the call that needs the missing
//! symbol fails, with an error naming it. The library is a tiny C shared object built here
//! with `cc` that exports every declared function except `NET_DVR_MakeKeyFrameSub`.

use std::path::PathBuf;
use std::process::Command;

use hcnetsdk_sys::{DECLARED_FUNCTIONS, Library, sym};

const LEFT_OUT: &str = "NET_DVR_MakeKeyFrameSub";

fn build_partial_sdk() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hcnetsdk-sys-partial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Every stub returns 0x2A so the test can tell it really called into this library.
    let mut src = String::new();
    for name in DECLARED_FUNCTIONS.iter().filter(|n| **n != LEFT_OUT) {
        src.push_str(&format!("int {name}(void) {{ return 0x2A; }}\n"));
    }
    let c = dir.join("partial.c");
    std::fs::write(&c, src).unwrap();
    let so = dir.join(hcnetsdk_sys::library_file_name());
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&c)
        .output()
        .unwrap_or_else(|e| panic!("this test needs a C compiler ({cc}): {e}"));
    assert!(
        out.status.success(),
        "cc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    so
}

#[test]
fn one_missing_export_fails_only_that_call_and_names_it() {
    let so = build_partial_sdk();
    let lib = Library::load(Some(so.parent().unwrap())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lib.missing_functions(), &[LEFT_OUT]);
    assert!(!lib.is_mock());

    let err = sym!(lib, NET_DVR_MakeKeyFrameSub).unwrap_err();
    assert_eq!(err.symbol, LEFT_OUT);
    let text = err.to_string();
    assert!(
        text.contains(LEFT_OUT) && text.contains(&so.display().to_string()),
        "{text}"
    );

    // Everything else still works.
    let init = sym!(lib, NET_DVR_Init).expect("present symbols resolve");
    // SAFETY: the stub takes no arguments and returns an int, matching NET_DVR_Init's ABI.
    assert_eq!(unsafe { init() }, 0x2A);
    std::fs::remove_dir_all(so.parent().unwrap()).unwrap();
}
