//! Shared by the emulator's real-SDK test files that keep one SDK for all their tests
//! (`http_real_sdk.rs`, `https_real_sdk.rs`, `preview_real_sdk.rs`).

use std::path::Path;
use std::sync::OnceLock;

use hcnetsdk::{LogLevel, Sdk};

/// One real SDK for every test of the binary, loaded from `dir` and initialised once
/// (Cleanup at exit is left to the process). With `EMULATOR_SDK_LOG` set, the SDK logs
/// there at `log_level`.
pub fn shared(dir: &Path, log_level: LogLevel) -> &'static Sdk {
    static SDK: OnceLock<Sdk> = OnceLock::new();
    SDK.get_or_init(|| {
        let sdk = Sdk::load_from(dir).expect("load the real SDK");
        assert!(
            !sdk.is_mock(),
            "HCNETSDK_LIB_DIR points at the mock, not the real SDK"
        );
        sdk.init().expect("init the real SDK");
        if let Some(log) = std::env::var_os("EMULATOR_SDK_LOG") {
            sdk.set_log_to_file(log_level, Some(log.as_ref()), false)
                .expect("SDK log");
        }
        sdk
    })
}
