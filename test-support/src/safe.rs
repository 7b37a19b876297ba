//! Helpers for the integration tests and benches of the safe crate `hcnetsdk` (feature
//! `safe`): the mock SDK loaded once per test process, its `MOCK_*` control API opened on the
//! same file, and private simulated devices so that tests running in parallel threads never
//! fault each other's device.
//!
//! ```no_run
//! use hcnetsdk_test_support::safe as support;
//! use support::{Device, Kind, assert_sdk_error};
//! let dev = Device::new(Kind::Dome);
//! dev.fail_next("NET_DVR_Login_V40", 7, 1);
//! ```

use std::sync::OnceLock;

use hcnetsdk::error::ErrorKind;
use hcnetsdk::{Error, Password, Sdk, Session};

pub use crate::mock::{mock_lib_dir, mock_lib_path};
use crate::mock_control::MockControl;

/// The mock SDK, loaded once for the whole test process.
pub fn sdk() -> &'static Sdk {
    static SDK: OnceLock<Sdk> = OnceLock::new();
    SDK.get_or_init(|| Sdk::load_from(mock_lib_path()).expect("load the mock SDK"))
}

/// The mock's `MOCK_*` control API ([`MockControl`]), opened on the same
/// library file the SDK loaded, so both see one simulation.
pub fn mock() -> &'static MockControl {
    static MOCK: OnceLock<MockControl> = OnceLock::new();
    MOCK.get_or_init(|| {
        let _ = sdk();
        MockControl::open(&mock_lib_path())
    })
}

/// What kind of private device to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A PTZ dome: one analog channel from 1.
    Dome,
    /// A fixed bullet: one channel, no PTZ (PTZ calls give 23).
    Bullet,
    /// A 16-channel NVR: IP channels 33..=48, two disks.
    Nvr,
}

/// The password of every private device's `admin` (`viewer` has View12345).
pub const PASSWORD: &str = "Admin12345";

/// A simulated device of this test alone, at an address no other test uses, so fault rules
/// scoped to it affect nobody else.
#[derive(Debug)]
pub struct Device {
    pub address: String,
    pub port: u16,
    pub kind: Kind,
}

impl Device {
    /// Add a fresh device of `kind`.
    pub fn new(kind: Kind) -> Self {
        Self::with_extra(kind, "")
    }

    /// Add a fresh device of `kind` with extra TOML keys (e.g. `login_retry_limit = 3`).
    pub fn with_extra(kind: Kind, extra: &str) -> Self {
        let body = match kind {
            Kind::Dome => {
                "kind = \"ipc\"\nmodel = \"DS-2DE4425IW-DE\"\nname = \"大门球机\"\nptz = true\nanalog_channels = 1\nalarm_in = 1\nalarm_out = 1"
            }
            Kind::Bullet => {
                "kind = \"ipc\"\nmodel = \"DS-2CD2T47G2-L\"\nname = \"停车场枪机\"\nptz = false\nanalog_channels = 1"
            }
            Kind::Nvr => {
                "kind = \"nvr\"\nmodel = \"DS-7616NI-K2\"\nname = \"机房录像机\"\nanalog_channels = 0\nip_channels = 16\nstart_ip_channel = 33\ndisks = 2\nalarm_in = 4\nalarm_out = 1"
            }
        };
        let dev = mock().add_test_device(&format!("pacing = \"fast\"\n{body}\n{extra}"));
        Self {
            address: dev.address,
            port: dev.port,
            kind,
        }
    }

    /// Log in as admin.
    pub fn login(&self) -> Session {
        self.login_as("admin", PASSWORD)
            .expect("login to a private mock device")
    }

    /// Log in as `user`.
    pub fn login_as(&self, user: &str, password: &str) -> hcnetsdk::Result<Session> {
        Session::builder(sdk())
            .address(self.address.clone())
            .port(self.port)
            .user(user)
            .password(Password::new(password))
            .login()
    }

    /// Fail the next `count` calls of `function` on this device with `code`.
    pub fn fail_next(&self, function: &str, code: u32, count: u32) {
        mock().fail_next(function, code, count, Some(&self.address));
    }

    /// Calls of `function` that named this device: a login aimed at it, or one of its
    /// sessions or previews, counted before the mock checks the other arguments.
    pub fn calls(&self, function: &str) -> u64 {
        mock().call_count(function, Some(&self.address))
    }

    /// A number about this device.
    pub fn value(&self, name: &str) -> u64 {
        mock()
            .device_value(&self.address, self.port, name)
            .unwrap_or_else(|| panic!("MOCK_GetDeviceValue({}, {name})", self.address))
    }
}

/// Assert that `err` is the SDK's `code` from `call`, with a non-empty remediation.
#[track_caller]
pub fn assert_sdk_error(err: &Error, code: u32, call: &str) {
    assert_eq!(err.raw_code(), Some(code), "wrong code in {err:#}");
    assert_eq!(err.call(), Some(call), "wrong call in {err:#}");
    assert!(
        matches!(err.kind(), ErrorKind::Sdk { .. }),
        "not an SDK error: {err:#}"
    );
    assert!(
        !err.remediation().trim().is_empty(),
        "empty remediation: {err:#}"
    );
    assert!(
        err.code().is_some_and(|c| c.is_known()),
        "code {code} missing from the catalogue"
    );
}

/// Assert that `err` rejected `field` before any SDK call.
#[track_caller]
pub fn assert_invalid_input(err: &Error, field: &str) {
    match err.kind() {
        ErrorKind::InvalidInput { field: f, fix, .. } => {
            assert_eq!(*f, field, "wrong field in {err:#}");
            assert!(!fix.is_empty());
        }
        other => panic!("expected invalid input for {field}, got {other:?}: {err:#}"),
    }
    assert_eq!(err.raw_code(), None);
    assert!(!err.remediation().trim().is_empty());
}
