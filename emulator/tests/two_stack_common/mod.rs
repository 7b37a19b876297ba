//! Shared by the two-stack files (`two_stack.rs`, `two_stack_alarms.rs`,
//! `two_stack_recordings.rs`): the `key = value` observations, the mock's side run as a
//! child process of the same test binary, the skip rule without the real SDK, and the one
//! comparison (every key agrees unless an `INTENDED` entry names it with its reason; an
//! entry whose difference went away fails too).
#![allow(dead_code)]

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use hcnetsdk::Sdk;
use hcnetsdk_device::Scenario;

/// What one stack showed: `key = value`, in key order.
pub type Seen = BTreeMap<String, String>;

/// Marks the child's observation lines on its standard output.
pub const TAG: &str = "TWOSTACK";

/// The test, in every two-stack binary, that plays the mock's side when run as the child.
pub const CHILD_TEST: &str = "mock_side_child";

/// The pinned clock of the recordings and alarms files.
pub const CLOCK: &str = "2026-12-01T12:00:00Z";

/// Record one observation (new lines escaped, so that one value is one line).
pub fn put(seen: &mut Seen, key: impl Into<String>, value: impl std::fmt::Display) {
    seen.insert(key.into(), value.to_string().replace('\n', "\\n"));
}

/// The default scenario with its clock pinned to [`CLOCK`].
pub fn pinned() -> Scenario {
    Scenario {
        clock: Some(CLOCK.into()),
        ..Scenario::default()
    }
}

/// As the child (`child_env` set): the mock SDK and its path, for the mock's side. `None`
/// in the parent, where the test does nothing.
pub fn mock_side(child_env: &str) -> Option<(Sdk, PathBuf)> {
    std::env::var_os(child_env)?;
    let path = hcnetsdk_test_support::mock::mock_lib_path();
    let sdk = Sdk::load_from(&path).expect("the mock");
    assert!(sdk.is_mock());
    Some((sdk, path))
}

/// In the parent, with the real SDK: the mock's side started as a child process (on the
/// [`pinned`] scenario when `pinned`), and the real SDK loaded and initialised. `None` as
/// the child, and (after a skip line naming `test`) without `HCNETSDK_LIB_DIR`.
pub fn start_both(test: &str, child_env: &str, pinned: bool) -> Option<(Sdk, MockChild)> {
    if std::env::var_os(child_env).is_some() {
        return None;
    }
    let dir = real_sdk_dir(test)?;
    // The mock's side runs meanwhile, in its own process.
    let child = MockChild::spawn(child_env, pinned);
    let sdk = Sdk::load_from(&dir).expect("load the real SDK");
    assert!(!sdk.is_mock(), "HCNETSDK_LIB_DIR points at the mock");
    sdk.init().expect("init the real SDK");
    Some((sdk, child))
}

/// The child's side: print what the mock showed, for [`MockChild::observed`].
pub fn print_mock_side(seen: Seen) {
    for (key, value) in seen {
        println!("{TAG} {key} = {value}");
    }
}

/// The mock's side, running in its own process while the real side runs here.
pub struct MockChild {
    child: Child,
    scenario_file: Option<PathBuf>,
}

impl MockChild {
    /// Run [`CHILD_TEST`] of this binary with `child_env` set; `pinned` gives the mock the
    /// default scenario with [`CLOCK`] (through `HCNETSDK_MOCK_SCENARIO`).
    pub fn spawn(child_env: &str, pinned: bool) -> MockChild {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(child_env, "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let scenario_file = pinned.then(|| {
            let file = std::env::temp_dir().join(format!(
                "{}_{}.toml",
                child_env.to_lowercase(),
                std::process::id()
            ));
            let text = format!(
                "clock = \"{CLOCK}\"\n{}",
                hcnetsdk_device::scenario::DEFAULT_SCENARIO
            );
            std::fs::write(&file, text).unwrap();
            cmd.env("HCNETSDK_MOCK_SCENARIO", &file);
            file
        });
        let child = cmd.spawn().expect("run the mock child");
        MockChild {
            child,
            scenario_file,
        }
    }

    /// Wait for the child; what it observed (it must have passed).
    pub fn observed(self) -> Seen {
        let out = self.child.wait_with_output().expect("the mock child");
        if let Some(file) = &self.scenario_file {
            let _ = std::fs::remove_file(file);
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "mock child: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_child(&stdout)
    }
}

fn parse_child(stdout: &str) -> Seen {
    stdout
        .lines()
        // The harness writes `test … ... ` before the first line on the same line.
        .filter_map(|l| l.find(TAG).map(|at| &l[at + TAG.len()..]))
        .filter_map(|l| {
            let (key, value) = l.trim_start().split_once(" = ")?;
            Some((key.to_owned(), value.to_owned()))
        })
        .collect()
}

/// Print every key that `show` accepts (and every difference), then fail on a difference
/// that `intended` does not name, or on an `intended` entry whose difference went away.
pub fn compare(real: &Seen, mock: &Seen, intended: &[(&str, &str)], show: impl Fn(&str) -> bool) {
    let why = |key: &str| {
        intended
            .iter()
            .find(|(prefix, _)| key.starts_with(prefix))
            .map(|(_, why)| *why)
    };
    let keys: BTreeSet<&String> = real.keys().chain(mock.keys()).collect();
    let mut unexplained = Vec::new();
    let mut differing = Vec::new();
    for key in keys {
        let (r, m) = (real.get(key), mock.get(key));
        let same = r == m;
        let mark = match (same, why(key)) {
            (true, _) => "  ",
            (false, Some(_)) => "~ ",
            (false, None) => "X ",
        };
        if !same || show(key) {
            println!("{mark}{key}\n     real {r:?}\n     mock {m:?}");
        }
        if !same {
            differing.push(key.as_str());
            if why(key).is_none() {
                unexplained.push((key.as_str(), r, m));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "differences without a reason in INTENDED (key, real, mock): {unexplained:#?}"
    );
    for (prefix, why) in intended {
        assert!(
            differing.iter().any(|k| k.starts_with(prefix)),
            "INTENDED names {prefix:?} ({why}), but the stacks now agree: remove it"
        );
    }
}
