//! Settings, the bench scenario, the release mock, and the logged-in bench device.

use std::path::PathBuf;
use std::time::Duration;

use hcnetsdk::{Sdk, Session};
use hcnetsdk_sys as sys;
use hcnetsdk_test_support::mock_control::MockControl;

use hcnetsdk_test_support::bench::mock_lib::mock_lib;

pub const ADDRESS: &str = "192.0.2.77";
pub const PASSWORD: &str = "Admin12345";
pub const CHANNEL: i32 = 1;

pub fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={v:?} is not a whole number; using {default}");
            default
        }),
        Err(_) => default,
    }
}

pub struct Config {
    pub warmup: Duration,
    pub window: Duration,
    pub rounds: usize,
    pub queue: usize,
    /// Single calls: rounds and calls per round.
    pub call_rounds: usize,
    pub calls: u32,
}

impl Config {
    /// `full`: started by `cargo bench`; otherwise a short smoke run.
    pub fn from_env(full: bool) -> Self {
        Config {
            warmup: Duration::from_millis(if full { 200 } else { 100 }),
            window: Duration::from_millis(
                env_num("PREVIEW_BENCH_WINDOW_MS", if full { 700 } else { 100 }).max(10),
            ),
            rounds: env_num("PREVIEW_BENCH_ROUNDS", if full { 7 } else { 1 }).max(1) as usize,
            queue: env_num("PREVIEW_BENCH_QUEUE", 64).max(1) as usize,
            call_rounds: if full { 5 } else { 1 },
            calls: if full { 5000 } else { 200 },
        }
    }
}

/// The SDK, logged in to the bench device, plus a second handle on the same library for the
/// raw rows and the mock's control API. Fields drop in order: the session before the SDK.
pub struct Bench {
    pub session: Session,
    pub raw: sys::Library,
    pub ctl: MockControl,
    pub sdk: Sdk,
    pub lib_path: PathBuf,
}

impl Bench {
    /// `release`: build and use the release mock (see [`mock_lib`]).
    pub fn open(release: bool) -> Self {
        let scenario = write_scenario();
        // SAFETY: set before any other thread exists and before the SDK is loaded, which is
        // when the mock reads it (at NET_DVR_Init).
        unsafe { std::env::set_var("HCNETSDK_MOCK_SCENARIO", &scenario) };
        let lib_path = mock_lib(release);
        let sdk = Sdk::load_from(&lib_path).expect("load the mock SDK");
        assert!(sdk.is_mock(), "{} is not the mock SDK", lib_path.display());
        sdk.init().expect("NET_DVR_Init with the bench scenario");
        let _ = std::fs::remove_file(&scenario);
        let session = Session::builder(&sdk)
            .address(ADDRESS)
            .user("admin")
            .password(PASSWORD)
            .login()
            .expect("log in to the bench device");
        let raw = sys::Library::load_file(&lib_path).expect("load the mock again for raw calls");
        let ctl = MockControl::open(&lib_path);
        Bench {
            session,
            raw,
            ctl,
            sdk,
            lib_path,
        }
    }

    pub fn uid(&self) -> i32 {
        self.session.user_id()
    }

    pub fn close(self) {
        let Bench {
            session, raw, sdk, ..
        } = self;
        session.logout().expect("logout");
        drop(raw);
        drop(sdk);
    }
}

fn write_scenario() -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "hcnetsdk-bench-preview-{}.toml",
        std::process::id()
    ));
    let toml = format!(
        "pacing = \"fast\"\n\
         [[device]]\n\
         address = \"{ADDRESS}\"\nport = 8000\nlabel = \"bench\"\nkind = \"ipc\"\n\
         analog_channels = 1\nstart_channel = 1\nptz = true\nmax_links = 8\n\
         login_retry_limit = 0\n\
         [[device.user]]\nname = \"admin\"\npassword = \"{PASSWORD}\"\nrole = \"admin\"\n"
    );
    std::fs::write(&path, toml).expect("write the bench scenario");
    path
}
