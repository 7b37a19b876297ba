//! `hcnet doctor`: eight ordered checks of the SDK setup and a device. Each prints ✓ or ✗,
//! what it found, and the fix; the exit code says whether every check passed.
//!
//! 1. the SDK library is found (where, which version) and its architecture matches;
//! 2. `HCNetSDKCom/` and libcrypto/libssl are beside it (real SDK);
//! 3. `NET_DVR_Init` succeeds;
//! 4. the device's port answers TCP (refused, timeout and no route told apart);
//! 5. login succeeds (on auth failures: attempts left or lock time);
//! 6. device info and the channel map;
//! 7. a preview on the channel delivers bytes within N seconds;
//! 8. PTZ capability.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hcnetsdk::{Error, Password, Sdk, Session};
use serde_json::json;

use crate::device::{self, PasswordSource, Target, Timeouts};
use crate::net::{self, Reach};
use crate::report::{Check, CodeRef, Report};
use crate::simulate::{self, Setup};
use crate::{DeviceArgs, DoctorArgs, EXIT_FAILED, arch};

const T_LIBRARY: &str = "SDK library";
const T_COMPONENTS: &str = "SDK components (HCNetSDKCom/, libcrypto, libssl)";
const T_INIT: &str = "SDK init";
const T_TCP: &str = "TCP reachability";
const T_LOGIN: &str = "login";
const T_INFO: &str = "device info and channel map";
const T_PREVIEW: &str = "live preview";
const T_PTZ: &str = "PTZ";

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
    let report = match diagnose(
        &opts,
        args.simulate.map(|b| {
            format!(
                "{} ({})",
                b.name(),
                setup.as_ref().map(|s| s.description.as_str()).unwrap_or("")
            )
        }),
    ) {
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
    let mut device = args.device.clone();
    let mut channel = args.channel;
    let mut password = None;
    let mut timeouts = Timeouts::default();
    let mut sdk_dir = sdk_dir.map(Path::to_path_buf);
    let mut lock_first = false;
    let mut needs_mock = None;
    if let Some(s) = setup {
        if s.needs_mock {
            needs_mock = args.simulate;
        }
        if s.sdk_dir.is_some() {
            sdk_dir.clone_from(&s.sdk_dir);
        }
        if s.host.is_some() {
            device.host.clone_from(&s.host);
        }
        if s.port.is_some() {
            device.port = s.port;
        }
        if s.user.is_some() {
            device.user.clone_from(&s.user);
        }
        if s.channel.is_some() {
            channel = s.channel;
        }
        password.clone_from(&s.password);
        lock_first = s.lock_first;
        if s.short_timeouts {
            timeouts = Timeouts {
                connect: Duration::from_secs(2),
                recv: Duration::from_secs(2),
            };
        }
    }
    Options {
        sdk_dir,
        device,
        channel,
        preview_wait: Duration::from_secs(args.preview_seconds.max(1)),
        password,
        lock_first,
        timeouts,
        needs_mock,
    }
}

/// The code of an error, for the report.
pub fn code_ref(e: &Error) -> Option<CodeRef> {
    let value = e.raw_code()?;
    let code = e.code();
    Some(CodeRef {
        value,
        name: code.map(|c| c.name().to_string()),
        category: Some(e.category().as_str().to_string()),
    })
}

fn code_ref_raw(value: u32) -> CodeRef {
    let c = hcnetsdk::ErrorCode::from_raw(value);
    CodeRef {
        value,
        name: Some(c.name().to_string()),
        category: Some(c.category().as_str().to_string()),
    }
}

/// One line for an SDK error: `NET_DVR_PASSWORD_ERROR (1): the device refused ...`.
fn error_line(e: &Error) -> String {
    e.to_string()
}

/// The fix for an error: its remediation.
fn error_fix(e: &Error) -> String {
    e.remediation().into_owned()
}

fn fail_from(step: u8, key: &'static str, title: &'static str, e: &Error) -> Check {
    let mut c = Check::fail(step, key, title, error_line(e), error_fix(e)).with_code(code_ref(e));
    c.retry = Some(e.retry_advice().to_string());
    c
}

/// Put a sentence for the person running doctor (which flag or setting to change) before
/// the catalogue's remediation, which is written for the program calling the SDK.
fn lead_fix(mut c: Check, lead: String) -> Check {
    c.fix = Some(match c.fix.take() {
        Some(f) if !f.is_empty() => format!("{lead} SDK advice: {f}"),
        _ => lead,
    });
    c
}

/// The doctor's own fix for a failed login, if it has one for the code.
fn login_lead(code: Option<u32>, target: &Target) -> Option<String> {
    match code? {
        1 => Some(format!(
            "Check the user ({}; --user) and the password (HCNET_PASSWORD, or the prompt) against the device's web UI. \
             Do not rerun doctor with the same wrong password: each failed login counts toward the account lock.",
            target.user
        )),
        153 => Some(format!(
            "Wait until the lock ends (time above) and stop every client that logs in to {} as {} with a wrong password; \
             then run doctor once with the right password.",
            target.host, target.user
        )),
        _ => None,
    }
}

fn skip_rest(checks: &mut Vec<Check>, why: &str) {
    let all: [(u8, &'static str, &'static str); 8] = [
        (1, "library", T_LIBRARY),
        (2, "components", T_COMPONENTS),
        (3, "init", T_INIT),
        (4, "tcp", T_TCP),
        (5, "login", T_LOGIN),
        (6, "device_info", T_INFO),
        (7, "preview", T_PREVIEW),
        (8, "ptz", T_PTZ),
    ];
    let done = checks.len();
    for (step, key, title) in all.into_iter().skip(done) {
        checks.push(Check::skip(step, key, title, why));
    }
}

/// Run every check in order and build the report.
///
/// # Errors
/// A usage error: a simulation that needs the mock SDK met a real one.
pub fn diagnose(opts: &Options, simulate: Option<String>) -> Result<Report, String> {
    let mut checks = Vec::new();
    let sdk_dir = opts.sdk_dir.as_deref();

    // 1. The library.
    let sdk = match device::load_sdk(sdk_dir) {
        Ok(sdk) => sdk,
        Err(text) => {
            // A library for another architecture is the likely cause: say so first.
            let arch_note = arch_note_for_failed_load(sdk_dir);
            let fix = match &arch_note {
                Some(_) => format!(
                    "Use the SDK build for {} (the vendor ships separate 32/64-bit and ARM packages) and point \
                     --sdk-dir at its lib folder.",
                    arch::host_arch()
                ),
                None => library_fix(sdk_dir),
            };
            let mut c = Check::fail(
                1,
                "library",
                T_LIBRARY,
                format!("not loaded ({})", device::sdk_source(sdk_dir)),
                fix,
            );
            if let Some(note) = arch_note {
                c = c.detail(note);
            }
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                c = c.detail(line.trim_end().to_string());
            }
            checks.push(c);
            skip_rest(&mut checks, "skipped: no SDK library");
            return Ok(Report::new(
                format!("SDK from {}", device::sdk_source(sdk_dir)),
                simulate,
                checks,
            ));
        }
    };
    if let Some(b) = opts.needs_mock
        && !sdk.is_mock()
    {
        return Err(simulate::needs_mock_text(b));
    }
    let lib_path = sdk.library_path().to_path_buf();
    let kind = if sdk.is_mock() {
        "mock SDK"
    } else {
        "HCNetSDK"
    };
    let mut lib_check = library_check(&sdk, &lib_path, kind, sdk_dir);
    let lib_ok = lib_check.status == crate::report::Status::Pass;

    // 2. Components.
    let comp_check = components_check(&sdk, &lib_path);
    let comp_ok = comp_check.status == crate::report::Status::Pass;

    // 3. Init (and the version, which the SDK reports only after Init).
    let init_check = if !lib_ok {
        Check::skip(
            3,
            "init",
            T_INIT,
            "skipped: the library does not fit this program",
        )
    } else {
        match sdk.init().and_then(|()| sdk.version()) {
            Ok(v) => {
                lib_check.found = format!("{}, version {v}", lib_check.found);
                lib_check.data["version"] = json!(v.to_string());
                Check::pass(
                    3,
                    "init",
                    T_INIT,
                    format!("NET_DVR_Init succeeded; SDK version {v}"),
                )
                .with_data(json!({"version": v.to_string(), "is_mock": v.is_mock}))
            }
            Err(e) => {
                let mut c = fail_from(3, "init", T_INIT, &e);
                if !comp_ok {
                    c = c.detail("the missing components (check 2) are the likely cause");
                }
                c
            }
        }
    };
    let init_ok = init_check.status == crate::report::Status::Pass;
    checks.push(lib_check);
    checks.push(comp_check);
    checks.push(init_check);
    let mut target_line = format!("{kind} at {}", lib_path.display());
    if !init_ok {
        skip_rest(&mut checks, "skipped: the SDK is not initialised");
        return Ok(Report::new(target_line, simulate, checks));
    }
    if let Err(e) = device::apply_timeouts(&sdk, opts.timeouts) {
        // Not fatal: the SDK's defaults apply.
        checks[2] = checks[2]
            .clone()
            .detail(format!("could not set timeouts: {e}"));
    }

    // 4. TCP.
    let target = match device::resolve_target(&opts.device, sdk.is_mock()) {
        Ok(t) => t,
        Err(why) => {
            checks.push(Check::fail(
                4,
                "tcp",
                T_TCP,
                "no device to check",
                why.clone(),
            ));
            skip_rest(&mut checks, "skipped: no device given");
            return Ok(Report::new(target_line, simulate, checks));
        }
    };
    target_line = format!("{target_line}; device {}", target.label());
    let simulated = sdk.is_mock() && net::host_is_test_net(&target.host);
    let (tcp_check, no_login) = tcp_step(&sdk, &target, simulated, opts.timeouts.connect);
    let tcp_ok = tcp_check.status == crate::report::Status::Pass;
    checks.push(tcp_check);
    if let Some(why) = no_login {
        checks.push(Check::skip(5, "login", T_LOGIN, why));
        skip_rest(&mut checks, "skipped: not logged in");
        return Ok(Report::new(target_line, simulate, checks));
    }
    if !tcp_ok
        && opts.password.is_none()
        && !device::password_without_prompt(&target, sdk.is_mock())
    {
        // Asking for a password that cannot be used is pointless: the port is closed.
        checks.push(Check::skip(
            5,
            "login",
            T_LOGIN,
            "skipped: the device's port did not accept a TCP connection (check 4), so a login cannot succeed; \
             fix that first (with HCNET_PASSWORD set, doctor also shows the SDK's own error code)",
        ));
        skip_rest(&mut checks, "skipped: not logged in");
        return Ok(Report::new(target_line, simulate, checks));
    }

    // 5. Login.
    let session = match login_step(&sdk, &target, opts, tcp_ok) {
        Ok((s, c)) => {
            checks.push(c);
            s
        }
        Err(c) => {
            checks.push(*c);
            skip_rest(&mut checks, "skipped: not logged in");
            return Ok(Report::new(target_line, simulate, checks));
        }
    };

    // 6. Device info and channel map.
    let channel = opts.channel.or_else(|| device::first_channel(&session));
    checks.push(info_step(&session, channel));
    target_line = format!(
        "{target_line}, channel {}",
        channel
            .map(|c| c.to_string())
            .unwrap_or_else(|| "none".into())
    );

    // 7. Preview, 8. PTZ.
    match channel {
        Some(ch) if session.device_info().has_channel(ch) => {
            checks.push(preview_step(&session, ch, opts.preview_wait));
            checks.push(ptz_step(&session, ch, &target.user));
        }
        Some(ch) => {
            let fix = match device::check_channel(session.device_info(), &target.label(), ch) {
                Err(why) => format!(
                    "{why} The SDK answers other numbers with 4 (NET_DVR_CHANNEL_ERROR); hcnetsdk rejects them before the call."
                ),
                Ok(()) => String::new(),
            };
            checks.push(
                Check::fail(
                    7,
                    "preview",
                    T_PREVIEW,
                    format!("channel {ch} is not on this device"),
                    fix.clone(),
                )
                .with_code(Some(code_ref_raw(4))),
            );
            checks.push(
                Check::fail(
                    8,
                    "ptz",
                    T_PTZ,
                    format!("channel {ch} is not on this device"),
                    fix,
                )
                .with_code(Some(code_ref_raw(4))),
            );
        }
        None => {
            skip_rest(&mut checks, "skipped: the device reports no channels");
        }
    }
    if let Err(e) = session.logout() {
        if let Some(last) = checks.last_mut() {
            last.details.push(format!("logout failed: {e}"));
        }
    }
    Ok(Report::new(target_line, simulate, checks))
}

fn library_fix(sdk_dir: Option<&Path>) -> String {
    let configured = sdk_dir.is_some()
        || std::env::var_os("HCNETSDK_LIB").is_some_and(|v| !v.is_empty())
        || std::env::var_os("HCNETSDK_LIB_DIR").is_some_and(|v| !v.is_empty());
    if configured {
        format!(
            "Point --sdk-dir (or HCNETSDK_LIB_DIR) at the SDK's lib folder, the one that holds {} with libHCCore, libhpr, \
             libcrypto/libssl and HCNetSDKCom/ beside it (in the vendor's archive: lib/ or Libs/linux/).",
            lib_name()
        )
    } else {
        "Build the mock SDK with `cargo build -p hcnetsdk-mock` (or `cargo build`), which puts it beside hcnet; \
         or use a real SDK with --sdk-dir DIR / HCNETSDK_LIB_DIR=DIR."
            .to_string()
    }
}

fn lib_name() -> &'static str {
    if cfg!(windows) {
        "HCNetSDK.dll"
    } else {
        "libhcnetsdk.so"
    }
}

fn arch_note_for_failed_load(sdk_dir: Option<&Path>) -> Option<String> {
    let dir = sdk_dir?;
    let file = if dir.is_dir() {
        dir.join(lib_name())
    } else {
        dir.to_path_buf()
    };
    let fa = arch::file_arch(&file)?;
    (!arch::matches_host(&fa)).then(|| {
        format!(
            "{} is a {}-bit {} {} library, but hcnet runs as {}: get the SDK build for {}",
            file.display(),
            fa.bits,
            fa.arch,
            fa.format,
            arch::host_arch(),
            arch::host_arch()
        )
    })
}

fn library_check(sdk: &Sdk, path: &Path, kind: &str, sdk_dir: Option<&Path>) -> Check {
    let source = device::sdk_source(sdk_dir);
    let arch_text;
    let mut ok = true;
    match arch::file_arch(path) {
        Some(fa) if arch::matches_host(&fa) => {
            arch_text = format!("{}-bit {} {}, matches hcnet", fa.bits, fa.arch, fa.format);
        }
        Some(fa) => {
            ok = false;
            arch_text = format!(
                "{}-bit {} {}, but hcnet is {}",
                fa.bits,
                fa.arch,
                fa.format,
                arch::host_arch()
            );
        }
        None => arch_text = "architecture not readable from the file header".to_string(),
    }
    let found = format!("{kind} {} (from {source}; {arch_text})", path.display());
    let mut c = if ok {
        Check::pass(1, "library", T_LIBRARY, found)
    } else {
        Check::fail(
            1,
            "library",
            T_LIBRARY,
            found,
            format!(
                "Use the SDK build for {} (the vendor ships separate 32/64-bit and ARM packages).",
                arch::host_arch()
            ),
        )
    };
    let missing = sdk.missing_functions();
    if !missing.is_empty() {
        c = c.detail(format!(
            "{} declared function(s) not exported (calls that need them fail; the rest works): {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    c.with_data(json!({
        "path": path.display().to_string(),
        "is_mock": sdk.is_mock(),
        "source": source,
        "missing_functions": missing,
    }))
}

fn components_check(sdk: &Sdk, lib_path: &Path) -> Check {
    if sdk.is_mock() {
        return Check::pass(
            2,
            "components",
            T_COMPONENTS,
            "not needed: the mock SDK has no components (a real SDK needs HCNetSDKCom/, libcrypto and libssl beside libhcnetsdk.so)",
        );
    }
    if cfg!(windows) {
        return Check::pass(
            2,
            "components",
            T_COMPONENTS,
            "Windows: the SDK finds HCNetSDKCom\\ beside HCNetSDK.dll itself",
        );
    }
    let dir = lib_path.parent().unwrap_or(Path::new("."));
    match hcnetsdk::sys::components::ComponentPaths::locate(dir) {
        Ok(p) => Check::pass(
            2,
            "components",
            T_COMPONENTS,
            format!(
                "{}/ present; {}; {}",
                dir.join(hcnetsdk::sys::components::COMPONENT_DIR).display(),
                p.libcrypto.display(),
                p.libssl.display()
            ),
        ),
        Err(m) => {
            let mut c = Check::fail(
                2,
                "components",
                T_COMPONENTS,
                format!("{} is missing", m.what),
                "Keep the SDK's lib folder whole: libhcnetsdk.so, libHCCore.so, libhpr.so, libcrypto/libssl and the \
                 HCNetSDKCom/ folder side by side, as shipped. Without them Init succeeds but later calls fail with \
                 misleading codes (29, 41, 107).",
            );
            for p in &m.looked_for {
                c = c.detail(format!("looked for {}", p.display()));
            }
            c
        }
    }
}

/// The TCP check, and why the login must be skipped (if it must).
fn tcp_step(
    sdk: &Sdk,
    target: &Target,
    simulated: bool,
    timeout: Duration,
) -> (Check, Option<&'static str>) {
    if simulated {
        return (
            Check::pass(
                4,
                "tcp",
                T_TCP,
                format!(
                    "{}:{} is a device simulated by the mock SDK (TEST-NET-1): it answers without a socket, so there is no TCP to test",
                    target.host, target.port
                ),
            )
            .with_data(json!({"reach": "simulated"})),
            None,
        );
    }
    if let Err(why) = device::guard_test_net(target, sdk.is_mock()) {
        let reach = net::tcp_check(&target.host, target.port, timeout);
        return (
            Check::fail(4, "tcp", T_TCP, reach.describe(), why)
                .with_data(json!({"reach": reach.kind()})),
            Some("skipped: hcnet sends no traffic to that address"),
        );
    }
    let reach = net::tcp_check(&target.host, target.port, timeout);
    let data = json!({"reach": reach.kind()});
    let c = if reach.is_open() {
        Check::pass(4, "tcp", T_TCP, reach.describe())
    } else {
        Check::fail(
            4,
            "tcp",
            T_TCP,
            reach.describe(),
            reach.fix().unwrap_or_default(),
        )
    };
    let no_login = matches!(reach, Reach::Unresolved { .. })
        .then_some("skipped: the host name does not resolve (check 4)");
    (c.with_data(data), no_login)
}

type LoginOutcome = Result<(Session, Check), Box<Check>>;

fn login_step(sdk: &Sdk, target: &Target, opts: &Options, tcp_ok: bool) -> LoginOutcome {
    let (password, source) = match &opts.password {
        Some(p) => (Password::new(p.clone()), PasswordSource::Simulated),
        None => match device::resolve_password(target, sdk.is_mock()) {
            Ok(x) => x,
            Err(why) => {
                return Err(Box::new(Check::fail(
                    5,
                    "login",
                    T_LOGIN,
                    "no password",
                    why,
                )));
            }
        },
    };
    if opts.lock_first {
        lock_account(sdk, target);
    }
    let started = Instant::now();
    match device::login(sdk, target, password) {
        Ok(s) => {
            let how = match source {
                PasswordSource::Env => "password from HCNET_PASSWORD",
                PasswordSource::MockDefault => "the mock's documented password",
                PasswordSource::Prompt => "password typed at the prompt",
                PasswordSource::Simulated => "the simulation's password",
            };
            let c = Check::pass(
                5,
                "login",
                T_LOGIN,
                format!(
                    "logged in as {} (user ID {}, {how}) in {} ms",
                    target.user,
                    s.user_id(),
                    started.elapsed().as_millis()
                ),
            );
            Ok((s, c))
        }
        Err(e) => {
            let mut c = fail_from(5, "login", T_LOGIN, &e);
            if let Some(lead) = login_lead(e.raw_code(), target) {
                c = lead_fix(c, lead);
            }
            if let Some(state) = e.login_state() {
                let mut data = json!({});
                if let Some(n) = state.attempts_left {
                    data["attempts_left"] = json!(n);
                    if state.lock_remaining.is_none() {
                        c = c.detail(format!(
                            "{n} login attempt(s) left before the account locks (NET_DVR_USER_LOCKED, 153)"
                        ));
                    }
                }
                if let Some(d) = state.lock_remaining {
                    c = c.detail(format!(
                        "the account is locked for another {} s ({} min); logins fail until then, even with the right password",
                        d.as_secs(),
                        d.as_secs().div_ceil(60)
                    ));
                    data["lock_remaining_secs"] = json!(d.as_secs());
                }
                c = c.with_data(data);
            }
            if !tcp_ok {
                c = c.detail("the SDK agrees with the TCP check above: the network is the problem, not the credentials");
            }
            c = c.detail(format!("took {} ms", started.elapsed().as_millis()));
            Err(Box::new(c))
        }
    }
}

/// Simulation `locked`: spend the scenario's login attempts with a wrong password, as a
/// misconfigured client would, until the device locks the account.
fn lock_account(sdk: &Sdk, target: &Target) {
    for _ in 0..simulate::LOCK_ATTEMPTS {
        match device::login(sdk, target, Password::new(simulate::WRONG_PASSWORD)) {
            Ok(s) => {
                drop(s);
                return;
            }
            Err(e) if e.raw_code() == Some(153) => return,
            Err(_) => {}
        }
    }
}

fn info_step(session: &Session, channel: Option<u32>) -> Check {
    let info = session.device_info();
    let config = session.device_config();
    let (model, name, firmware) = match &config {
        Ok(c) => (c.model.clone(), c.name.clone(), c.firmware()),
        Err(_) => (String::new(), String::new(), String::new()),
    };
    let mut found = String::new();
    if !model.is_empty() {
        found.push_str(&model);
        found.push(' ');
    }
    if !name.is_empty() {
        found.push_str(&format!("\"{name}\" "));
    }
    found.push_str(&format!("serial {}", info.serial));
    if !firmware.is_empty() {
        found.push_str(&format!(", firmware {firmware}"));
    }
    let all: Vec<u32> = info.channels().collect();
    let mut c = Check::pass(6, "device_info", T_INFO, found)
        .detail(format!(
            "channels: {}{}",
            device::channel_map_text(info),
            if info.ip_channels.count > 0 {
                format!("; IP channels start at {}", info.ip_channels.start)
            } else {
                String::new()
            }
        ))
        .detail(format!(
            "disks: {}, alarm in/out: {}/{}, device type {} (DVR type {})",
            info.disk_count, info.alarm_inputs, info.alarm_outputs, info.device_type, info.dvr_type
        ));
    if let Err(e) = &config {
        c = c.detail(format!("device configuration not readable: {e}"));
    }
    if let Some(ch) = channel
        && !info.has_channel(ch)
    {
        c = c.detail(format!("channel {ch} (asked for) is NOT on this device"));
    }
    c.with_data(json!({
        "serial": info.serial,
        "model": model,
        "name": name,
        "firmware": firmware,
        "analog_channels": {"start": info.analog_channels.start, "count": info.analog_channels.count},
        "ip_channels": {"start": info.ip_channels.start, "count": info.ip_channels.count},
        "channels": all,
        "disks": info.disk_count,
    }))
}

fn preview_step(session: &Session, channel: u32, wait: Duration) -> Check {
    let started = Instant::now();
    let (preview, rx) = match session.preview(channel).start_queue(64) {
        Ok(x) => x,
        Err(e) => return fail_from(7, "preview", T_PREVIEW, &e),
    };
    let mut bytes = 0u64;
    let mut packets = 0u64;
    let mut first: Option<Duration> = None;
    let mut header = false;
    // Enough to prove the stream flows: the header and at least 64 KiB, or the wait ends.
    while started.elapsed() < wait && bytes < 64 * 1024 {
        let left = wait.saturating_sub(started.elapsed());
        match rx.recv_timeout(left.min(Duration::from_millis(250))) {
            Ok(p) => {
                if first.is_none() {
                    first = Some(started.elapsed());
                }
                if p.kind() == hcnetsdk::DataType::SysHead && p.data().starts_with(b"IMKH") {
                    header = true;
                }
                bytes += p.data().len() as u64;
                packets += 1;
            }
            Err(hcnetsdk::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    let stop = preview.stop();
    drop(rx);
    if bytes == 0 {
        let mut c = Check::fail(
            7,
            "preview",
            T_PREVIEW,
            format!(
                "the preview of channel {channel} opened but delivered no bytes in {} s",
                wait.as_secs()
            ),
            "Check the channel's encoder on the device (it may be off or the camera behind an NVR channel offline), \
             and that nothing between here and the device blocks the stream port.",
        );
        if let Err(e) = stop {
            c = c.detail(format!("stopping the preview failed: {e}"));
        }
        return c;
    }
    let mut c = Check::pass(
        7,
        "preview",
        T_PREVIEW,
        format!(
            "channel {channel}: {} in {packets} packets; first data after {} ms{}",
            crate::progress::human_bytes(bytes),
            first.unwrap_or_default().as_millis(),
            if header { ", system header IMKH" } else { "" }
        ),
    )
    .with_data(json!({"bytes": bytes, "packets": packets, "first_ms": first.unwrap_or_default().as_millis() as u64, "header": header}));
    if let Err(e) = stop {
        c = c.detail(format!("stopping the preview failed: {e}"));
    }
    c
}

fn ptz_step(session: &Session, channel: u32, user: &str) -> Check {
    let failed = |e: &Error| {
        let c = fail_from(8, "ptz", T_PTZ, e);
        match crate::jobs::ptz_hint(e.raw_code(), channel, user) {
            Some(lead) => lead_fix(c, lead),
            None => c,
        }
    };
    let ptz = match session.ptz(channel) {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    // A stop command moves nothing, but the device still checks PTZ support and the
    // user's PTZ right: 23 on a fixed camera, 2 for a user without the right.
    if let Err(e) = crate::jobs::ptz_probe(&ptz) {
        return failed(&e);
    }
    match crate::jobs::ptz_position(&ptz) {
        Ok(pos) => Check::pass(
            8,
            "ptz",
            T_PTZ,
            format!("PTZ control works on channel {channel}; position {pos}"),
        ),
        Err(e) => Check::pass(
            8,
            "ptz",
            T_PTZ,
            format!("PTZ control works on channel {channel}"),
        )
        .detail(format!("absolute position not readable: {e}")),
    }
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
        },
        channel: None,
        preview_wait: Duration::from_secs(3),
        password: None,
        lock_first: false,
        timeouts: Timeouts::default(),
        needs_mock: None,
    };
    diagnose(&opts, None).unwrap_or_else(|e| {
        let failed = Check::fail(
            1,
            "library",
            T_LIBRARY,
            e.clone(),
            "run the demo on the mock SDK",
        );
        Report::new(e, None, vec![failed])
    })
}
