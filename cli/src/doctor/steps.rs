//! The doctor's steps, in order, and the state they hand on to each other ([`Run`]).
//!
//! Each step reads what the earlier ones left in the [`Run`] (the SDK, the device, the
//! session, the channel), adds its own, and returns its [`Check`]. A step that cannot give
//! the later ones what they need calls [`Run::stop`] with the reason they are skipped.

use hcnetsdk::{Error, ErrorCode, Sdk, Session};
use serde_json::json;

use super::{Options, device_checks, rtsp_auth, sdk_checks};
use crate::device::{self, Target};
use crate::net;
use crate::report::{Check, CodeRef, Report, Status};
use crate::simulate;

/// One step of the doctor: its number, stable key, title, and the function that runs it.
#[derive(Debug)]
pub struct Step {
    /// 1-based position (the same as its place in [`STEPS`]).
    pub n: u8,
    /// Stable key in the JSON report.
    pub key: &'static str,
    /// Title shown to people.
    pub title: &'static str,
    /// Runs the check; it may stop the run (see [`Run::stop`]).
    pub run: fn(&mut Run<'_>, &Step) -> Check,
}

/// Step 1.
pub const LIBRARY: Step = Step {
    n: 1,
    key: "library",
    title: "SDK library",
    run: library,
};

/// Every step, in the order they run.
pub const STEPS: &[Step] = &[
    LIBRARY,
    Step {
        n: 2,
        key: "components",
        title: "SDK components (HCNetSDKCom/, libcrypto, libssl)",
        run: components,
    },
    Step {
        n: 3,
        key: "init",
        title: "SDK init",
        run: init,
    },
    Step {
        n: 4,
        key: "tcp",
        title: "TCP reachability",
        run: tcp,
    },
    Step {
        n: 5,
        key: "login",
        title: "login",
        run: login,
    },
    Step {
        n: 6,
        key: "device_info",
        title: "device info and channel map",
        run: device_info,
    },
    Step {
        n: 7,
        key: "preview",
        title: "live preview",
        run: preview,
    },
    Step {
        n: 8,
        key: "ptz",
        title: "PTZ",
        run: ptz,
    },
];

const NO_SDK: &str = "skipped: no SDK library";
const NOT_INITIALISED: &str = "skipped: the SDK is not initialised";
const NOT_LOGGED_IN: &str = "skipped: not logged in";
const NO_CHANNELS: &str = "skipped: the device reports no channels";
const PORT_CLOSED_NO_PASSWORD: &str = "skipped: the device's port did not accept a TCP connection (check 4), so a login cannot succeed; \
     fix that first (with HCNET_PASSWORD set, doctor also shows the SDK's own error code)";

impl Step {
    /// Passed.
    pub fn pass(&self, found: impl Into<String>) -> Check {
        Check::pass(self.n, self.key, self.title, found)
    }

    /// Failed, with a fix.
    pub fn fail(&self, found: impl Into<String>, fix: impl Into<String>) -> Check {
        Check::fail(self.n, self.key, self.title, found, fix)
    }

    /// Skipped, saying why.
    pub fn skip(&self, why: impl Into<String>) -> Check {
        Check::skip(self.n, self.key, self.title, why)
    }

    /// Skipped because it does not apply to this device (does not fail the run).
    pub fn not_applicable(&self, note: impl Into<String>) -> Check {
        Check::not_applicable(self.n, self.key, self.title, note)
    }

    /// Failed with an SDK error: its line, remediation, code and retry advice.
    pub fn fail_from(&self, e: &Error) -> Check {
        let mut c = self
            .fail(e.to_string(), e.remediation().into_owned())
            .with_code(code_ref(e));
        c.retry = Some(e.retry_advice().to_string());
        c
    }
}

/// The code of an error, for the report.
pub fn code_ref(e: &Error) -> Option<CodeRef> {
    let value = e.raw_code()?;
    Some(CodeRef {
        value,
        name: e.code().map(|c| c.name().to_string()),
        category: Some(e.category().as_str().to_string()),
    })
}

/// A code the doctor names without an SDK call having returned it.
pub fn code_ref_raw(value: u32) -> CodeRef {
    let c = ErrorCode::from_raw(value);
    CodeRef {
        value,
        name: Some(c.name().to_string()),
        category: Some(c.category().as_str().to_string()),
    }
}

/// What the steps hand on to each other, and the checks so far.
#[derive(Debug)]
pub struct Run<'a> {
    /// The doctor's options.
    pub opts: &'a Options,
    /// The checks of the steps run so far.
    pub checks: Vec<Check>,
    /// What is examined (SDK, device, channel), one line; each step adds what it learns.
    pub target_line: String,
    /// A usage error that ends the doctor without a report.
    pub usage_error: Option<String>,
    stopped: Option<String>,
    sdk: Option<Sdk>,
    lib_fits: bool,
    components_ok: bool,
    target: Option<Target>,
    tcp_ok: bool,
    login_blocked: Option<&'static str>,
    port_answer: Option<hcnetsdk::PortAnswer>,
    session: Option<Session>,
    channel: Option<u32>,
}

impl<'a> Run<'a> {
    /// Nothing run yet.
    pub fn new(opts: &'a Options) -> Self {
        Self {
            opts,
            checks: Vec::new(),
            target_line: String::new(),
            usage_error: None,
            stopped: None,
            sdk: None,
            lib_fits: false,
            components_ok: false,
            target: None,
            tcp_ok: false,
            login_blocked: None,
            port_answer: None,
            session: None,
            channel: None,
        }
    }

    /// Stop the run: every later step is skipped, saying `why`.
    pub fn stop(&mut self, why: &str) {
        self.stopped = Some(why.to_string());
    }

    /// Why the run stopped, if it did.
    pub fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }

    /// Log out (a failure is noted on the last check) and build the report.
    pub fn finish(mut self, simulate: Option<String>) -> Report {
        if let Some(session) = self.session.take()
            && let Err(e) = session.logout()
            && let Some(last) = self.checks.last_mut()
        {
            last.details.push(format!("logout failed: {e}"));
        }
        Report::new(self.target_line, simulate, self.checks)
    }
}

fn library(run: &mut Run<'_>, step: &Step) -> Check {
    let sdk_dir = run.opts.sdk_dir.as_deref();
    let sdk = match device::load_sdk(sdk_dir) {
        Ok(sdk) => sdk,
        Err(text) => {
            run.target_line = format!("SDK from {}", device::sdk_source(sdk_dir));
            run.stop(NO_SDK);
            return sdk_checks::load_failed(step, sdk_dir, &text);
        }
    };
    if let Some(b) = run.opts.needs_mock
        && !sdk.is_mock()
    {
        run.usage_error = Some(simulate::needs_mock_text(b));
        run.stop(NO_SDK);
        return step.skip("not run: this simulation needs the mock SDK");
    }
    let c = sdk_checks::library_check(step, &sdk, sdk_dir);
    run.lib_fits = c.status == Status::Pass;
    run.target_line = format!(
        "{} at {}",
        sdk_checks::kind(&sdk),
        sdk.library_path().display()
    );
    run.sdk = Some(sdk);
    c
}

fn components(run: &mut Run<'_>, step: &Step) -> Check {
    let Some(sdk) = &run.sdk else {
        return step.skip(NO_SDK);
    };
    let c = sdk_checks::components_check(step, sdk);
    run.components_ok = c.status == Status::Pass;
    c
}

/// Init, and the version (which the SDK reports only after Init) added to check 1.
fn init(run: &mut Run<'_>, step: &Step) -> Check {
    if !run.lib_fits {
        run.stop(NOT_INITIALISED);
        return step.skip("skipped: the library does not fit this program");
    }
    let Some(sdk) = &run.sdk else {
        return step.skip(NO_SDK);
    };
    match sdk.init().and_then(|()| sdk.version()) {
        Ok(v) => {
            if let Some(lib) = run.checks.iter_mut().find(|c| c.key == LIBRARY.key) {
                lib.found = format!("{}, version {v}", lib.found);
                lib.data["version"] = json!(v.to_string());
            }
            let mut c = step
                .pass(format!("NET_DVR_Init succeeded; SDK version {v}"))
                .with_data(json!({"version": v.to_string(), "is_mock": v.is_mock}));
            if let Err(e) = device::apply_timeouts(sdk, run.opts.timeouts) {
                // Not fatal: the SDK's defaults apply.
                c = c.detail(format!("could not set timeouts: {e}"));
            }
            c
        }
        Err(e) => {
            run.stop(NOT_INITIALISED);
            let c = step.fail_from(&e);
            if run.components_ok {
                c
            } else {
                c.detail("the missing components (check 2) are the likely cause")
            }
        }
    }
}

fn tcp(run: &mut Run<'_>, step: &Step) -> Check {
    let Some(sdk) = &run.sdk else {
        return step.skip(NO_SDK);
    };
    let target = match device::resolve_target(&run.opts.device, sdk.is_mock()) {
        Ok(t) => t,
        Err(why) => {
            run.stop("skipped: no device given");
            return step.fail("no device to check", why);
        }
    };
    run.target_line = format!("{}; device {}", run.target_line, target.label());
    // A malformed address is an input error, found before any lookup or packet.
    if let Err(e) = hcnetsdk::check_address(&target.host) {
        run.stop("skipped: the address is not valid (check 4)");
        return step.fail(e.to_string(), e.remediation().into_owned());
    }
    let simulated = sdk.is_mock() && net::host_is_test_net(&target.host);
    let (c, no_login, answer) =
        device_checks::tcp_check(step, sdk, &target, simulated, run.opts.timeouts.connect);
    run.port_answer = answer;
    run.tcp_ok = c.status == Status::Pass;
    // Asking for a password that cannot be used is pointless when the port is closed.
    let no_password = !run.tcp_ok
        && run.opts.password.is_none()
        && !device::password_without_prompt(&target, sdk.is_mock());
    run.login_blocked = no_login.or(no_password.then_some(PORT_CLOSED_NO_PASSWORD));
    run.target = Some(target);
    c
}

fn login(run: &mut Run<'_>, step: &Step) -> Check {
    let (Some(sdk), Some(target)) = (&run.sdk, &run.target) else {
        return step.skip(NOT_LOGGED_IN);
    };
    if let Some(why) = run.login_blocked {
        run.stop(NOT_LOGGED_IN);
        return step.skip(why);
    }
    let answer = run.port_answer.as_ref();
    match device_checks::login_check(step, sdk, target, run.opts, run.tcp_ok, answer) {
        Ok((session, c)) => {
            run.session = Some(session);
            c
        }
        Err(c) => {
            run.stop(NOT_LOGGED_IN);
            *c
        }
    }
}

fn device_info(run: &mut Run<'_>, step: &Step) -> Check {
    let Some(session) = &run.session else {
        return step.skip(NOT_LOGGED_IN);
    };
    let channel = run.opts.channel.or_else(|| device::first_channel(session));
    let c = device_checks::info_check(step, session, channel);
    run.target_line = format!(
        "{}, channel {}",
        run.target_line,
        channel
            .map(|c| c.to_string())
            .unwrap_or_else(|| "none".into())
    );
    run.channel = channel;
    if channel.is_none() {
        run.stop(NO_CHANNELS);
    }
    c
}

/// The session and channel for steps 7 and 8, or the check when the channel is not on the
/// device (the SDK would answer 4).
fn channel_step<'r>(
    run: &'r Run<'_>,
    step: &Step,
) -> Result<(&'r Session, u32, &'r Target), Box<Check>> {
    let (Some(session), Some(channel), Some(target)) = (&run.session, run.channel, &run.target)
    else {
        return Err(Box::new(step.skip(NO_CHANNELS)));
    };
    if session.device_info().has_channel(channel) {
        return Ok((session, channel, target));
    }
    let fix = match device::check_channel(session.device_info(), &target.label(), channel) {
        Err(why) => format!(
            "{why} The SDK answers other numbers with 4 (NET_DVR_CHANNEL_ERROR); hcnetsdk rejects them before the call."
        ),
        Ok(()) => String::new(),
    };
    Err(Box::new(
        step.fail(format!("channel {channel} is not on this device"), fix)
            .with_code(Some(code_ref_raw(4))),
    ))
}

fn preview(run: &mut Run<'_>, step: &Step) -> Check {
    match channel_step(run, step) {
        Ok((session, channel, target)) => {
            let c = device_checks::preview_check(step, session, channel, run.opts.preview_wait);
            // An ISAPI login previews over RTSP: say what the RTSP port asks for (never
            // for a device the mock simulates in TEST-NET-1: no traffic goes there).
            if run.opts.device.isapi && !net::host_is_test_net(&target.host) {
                let flag = run.opts.rtsp_port;
                rtsp_auth::annotate(c, session, &target.host, flag, channel)
            } else {
                c
            }
        }
        Err(c) => *c,
    }
}

fn ptz(run: &mut Run<'_>, step: &Step) -> Check {
    match channel_step(run, step) {
        Ok((session, channel, target)) => {
            device_checks::ptz_check(step, session, channel, &target.user)
        }
        Err(c) => *c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_in_order_with_unique_keys() {
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(s.n), i + 1, "{}", s.key);
        }
        let mut keys: Vec<&str> = STEPS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 8);
    }
}
