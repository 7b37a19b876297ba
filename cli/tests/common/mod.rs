//! Shared by the CLI tests that run `hcnet` against the mock SDK.
#![allow(dead_code)]

pub use hcnetsdk_test_support::mock;

use std::process::{Command, Output};

/// `hcnet` with the mock SDK (built once by the shared helper) handed over as
/// `HCNETSDK_LIB`, and none of the caller's SDK, scenario or password settings.
pub fn hcnet() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hcnet"));
    c.env("HCNETSDK_LIB", mock::mock_lib_path())
        .env_remove("HCNETSDK_LIB_DIR")
        .env_remove("HCNETSDK_MOCK_SCENARIO")
        .env_remove("HCNET_PASSWORD");
    c
}

/// Run to completion.
pub fn run(c: &mut Command) -> Output {
    c.output().expect("run hcnet")
}

/// stdout then stderr, as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
