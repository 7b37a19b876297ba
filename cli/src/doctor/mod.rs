//! `hcnet doctor`: eight ordered checks of the SDK setup and a device, run as a list of
//! steps ([`steps::STEPS`]). Each prints ✓, ✗ or - (skipped), what it found, and the fix;
//! the exit code says whether the run passed.
//!
//! 1. the SDK library is found (where, which version) and its architecture matches;
//! 2. `HCNetSDKCom/` and libcrypto/libssl are beside it (real SDK);
//! 3. `NET_DVR_Init` succeeds;
//! 4. the device's port answers TCP (refused, timeout and no route told apart);
//! 5. login succeeds (on auth failures: attempts left or lock time);
//! 6. device info and the channel map;
//! 7. a preview on the channel delivers bytes within N seconds; with `--isapi` also what
//!    the device's RTSP port asks for (one DESCRIBE without credentials: a warning for
//!    Basic, which makes the SDK send the password in clear, or for none; `rtsp_auth.rs`);
//! 8. PTZ control works. A device that answers PTZ with 23 (NET_DVR_NOSUPPORT: an NVR, a
//!    fixed camera) has no PTZ there: the check is skipped with a note and does not fail
//!    the run. Any other PTZ failure does.
//!
//! What a failure means for the later steps is one rule, applied in [`diagnose`]: a step
//! that cannot give the later ones what they need (an SDK, an initialised SDK, a device, a
//! login, a channel) stops the run, and every later step is skipped with the reason it
//! gave. The run passes when no check failed and every skipped check does not apply.

mod device_checks;
mod rtsp_auth;
mod sdk_checks;
mod steps;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::device::Timeouts;
use crate::report::Report;
use crate::simulate::{self, Setup};
use crate::{DeviceArgs, DoctorArgs, EXIT_FAILED};

use steps::{Run, STEPS};

/// Everything the doctor needs to run, after the simulation (if any) has been applied.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--sdk-dir`.
    pub sdk_dir: Option<PathBuf>,
    /// The device.
    pub device: DeviceArgs,
    /// Channel.
    pub channel: Option<u32>,
    /// How long the preview check waits for bytes.
    pub preview_wait: Duration,
    /// `--rtsp-port`: the RTSP port to check with `--isapi` (default: the device's
    /// `adminAccesses`, else 554).
    pub rtsp_port: Option<u16>,
    /// Password override (simulations).
    pub password: Option<String>,
    /// Lock the account before logging in (simulation `locked`).
    pub lock_first: bool,
    /// SDK timeouts.
    pub timeouts: Timeouts,
    /// The simulation that needs the mock SDK, if any.
    pub needs_mock: Option<simulate::Broken>,
}

/// Run `hcnet doctor`.
pub fn run(sdk_dir: Option<&Path>, args: &DoctorArgs) -> ExitCode {
    // The simulation goes first: it may set HCNETSDK_MOCK_SCENARIO, which must happen
    // before any other thread starts and before the SDK loads.
    let setup = match args.simulate.map(simulate::prepare) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            eprintln!("hcnet doctor: {e}");
            return ExitCode::from(2);
        }
        None => None,
    };
    let opts = options(sdk_dir, args, setup.as_ref());
    let simulated = args.simulate.map(|b| {
        format!(
            "{} ({})",
            b.name(),
            setup.as_ref().map(|s| s.description.as_str()).unwrap_or("")
        )
    });
    let report = match diagnose(&opts, simulated) {
        Ok(r) => r,
        Err(usage) => {
            eprintln!("hcnet doctor: {usage}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        let v = serde_json::to_value(&report).unwrap_or_default();
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        out!("{}", report.render());
    }
    drop(setup);
    if report.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

fn options(sdk_dir: Option<&Path>, args: &DoctorArgs, setup: Option<&Setup>) -> Options {
    let mut opts = Options {
        sdk_dir: sdk_dir.map(Path::to_path_buf),
        device: args.device.clone(),
        channel: args.channel,
        preview_wait: Duration::from_secs(args.preview_seconds.max(1)),
        rtsp_port: args.rtsp_port,
        password: None,
        lock_first: false,
        timeouts: Timeouts::default(),
        needs_mock: None,
    };
    let Some(s) = setup else {
        return opts;
    };
    if s.needs_mock {
        opts.needs_mock = args.simulate;
    }
    if s.sdk_dir.is_some() {
        opts.sdk_dir.clone_from(&s.sdk_dir);
    }
    if s.host.is_some() {
        opts.device.host.clone_from(&s.host);
    }
    if s.port.is_some() {
        opts.device.port = s.port;
    }
    if s.user.is_some() {
        opts.device.user.clone_from(&s.user);
    }
    if s.channel.is_some() {
        opts.channel = s.channel;
    }
    opts.password.clone_from(&s.password);
    opts.lock_first = s.lock_first;
    if s.short_timeouts {
        opts.timeouts = Timeouts {
            connect: Duration::from_secs(2),
            recv: Duration::from_secs(2),
        };
    }
    opts
}

/// Run every step in order and build the report.
///
/// # Errors
/// A usage error: a simulation that needs the mock SDK met a real one.
pub fn diagnose(opts: &Options, simulate: Option<String>) -> Result<Report, String> {
    let mut run = Run::new(opts);
    for step in STEPS {
        // The one rule for failures: once a step has stopped the run, every later step is
        // skipped with the reason it gave.
        let check = match run.stopped() {
            Some(why) => step.skip(why.to_string()),
            None => (step.run)(&mut run, step),
        };
        if let Some(usage) = run.usage_error.take() {
            return Err(usage);
        }
        run.checks.push(check);
    }
    Ok(run.finish(simulate))
}

/// The doctor run the demo ends with: against the same SDK and default device, with no
/// simulation. Returns the report.
pub fn summary(sdk_dir: Option<&Path>) -> Report {
    let opts = Options {
        sdk_dir: sdk_dir.map(Path::to_path_buf),
        device: DeviceArgs {
            host: None,
            port: None,
            user: None,
            isapi: false,
            https: false,
        },
        channel: None,
        preview_wait: Duration::from_secs(3),
        rtsp_port: None,
        password: None,
        lock_first: false,
        timeouts: Timeouts::default(),
        needs_mock: None,
    };
    diagnose(&opts, None).unwrap_or_else(|e| {
        let failed = steps::LIBRARY.fail(e.clone(), "run the demo on the mock SDK");
        Report::new(e, None, vec![failed])
    })
}
