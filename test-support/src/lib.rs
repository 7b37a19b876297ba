//! Test helpers shared by every crate of the hcnetsdk-rs workspace (a `publish = false`
//! dev-dependency of `hcnetsdk`, its benches, `hcnetsdk-mock` and `hcnet`):
//!
//! - [`mock`]: the path of the mock SDK (`libhcnetsdk.so` built from `mock-sdk/`), built
//!   once per test process at run time (`HCNETSDK_MOCK_LIB` overrides), and the workspace
//!   root;
//! - [`loopback`]: loopback servers standing in for the wrong services a login may reach
//!   (web, RTSP, TLS, silent, closing, closed ports);
//! - [`real_sdk`]: the real-SDK tier's skip rule (`HCNETSDK_LIB_DIR`);
//! - [`mock_control`]: safe wrappers over the mock's `MOCK_*` control exports
//!   ([`MockControl`]), and fresh per-test devices ([`TestDevice`]);
//! - `safe` (feature `safe`): for tests of the safe crate `hcnetsdk`: the SDK loaded once,
//!   private simulated devices of a given kind, and error assertions.
//!
//! ```no_run
//! use hcnetsdk_test_support::{mock, mock_control};
//! let ctl = mock_control::MockControl::open(&mock::mock_lib_path());
//! let dev = ctl.add_test_device("ptz = true");
//! ctl.fail_next("NET_DVR_Login_V40", 7, 1, Some(&dev.address));
//! ```
//!
//! The mock is never built from a build script (that deadlocks on the target-directory
//! lock): [`mock::mock_lib_path`] runs cargo when a test first asks for it.

pub mod alloc;
#[cfg(feature = "safe")]
pub mod bench;
pub mod loopback;
pub mod mock;
pub mod mock_control;
pub mod real_sdk;
#[cfg(feature = "safe")]
pub mod safe;
pub mod sdk_folder;

pub use mock::{mock_lib_dir, mock_lib_path, workspace_root};
pub use mock_control::{MockControl, TestDevice};

#[cfg(test)]
mod tests {
    #[test]
    fn workspace_root_is_the_top_level_manifest_folder() {
        let root = super::workspace_root();
        assert!(
            root.join("mock-sdk/Cargo.toml").is_file(),
            "{}",
            root.display()
        );
        assert!(
            root.join("test-support/Cargo.toml").is_file(),
            "{}",
            root.display()
        );
    }
}
