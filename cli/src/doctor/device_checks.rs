//! Checks 4 to 8 in detail: TCP, login, device info, preview and PTZ.

use std::time::{Duration, Instant};

use hcnetsdk::error::Retry;
use hcnetsdk::{Error, ErrorCode, Password, PortAnswer, Sdk, Session};
use serde_json::json;

use super::Options;
use super::steps::{Step, code_ref};
use crate::device::{self, PasswordSource, Target};
use crate::net::{self, Reach};
use crate::report::Check;
use crate::{jobs, simulate};

/// What a device answers PTZ commands with on a channel without PTZ (an NVR, a fixed
/// camera): NET_DVR_NOSUPPORT.
const NO_PTZ: u32 = 23;

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

/// How long the port probe waits to connect and for each answer.
const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// Login codes that mean "something accepted the connection but did not answer as a
/// device": receive error, timeout, bad data, short buffer, socket closed.
const PEER_ANSWERED_WRONG: [u32; 5] = [9, 10, 11, 43, 73];

/// The TCP check, why the login must be skipped (if it must), and what the port answered
/// to the probe (when it accepted the connection).
pub fn tcp_check(
    step: &Step,
    sdk: &Sdk,
    target: &Target,
    simulated: bool,
    timeout: Duration,
) -> (Check, Option<&'static str>, Option<PortAnswer>) {
    if simulated {
        return (
            step.pass(format!(
                "{}:{} is a device simulated by the mock SDK (TEST-NET-1): it answers without a socket, so there is no TCP to test",
                target.host, target.port
            ))
            .with_data(json!({"reach": "simulated"})),
            None,
            None,
        );
    }
    if let Err(why) = device::guard_test_net(target, sdk.is_mock()) {
        let reach = net::tcp_check(&target.host, target.port, timeout);
        return (
            step.fail(reach.describe(), why)
                .with_data(json!({"reach": reach.kind()})),
            Some("skipped: hcnet sends no traffic to that address"),
            None,
        );
    }
    let reach = net::tcp_check(&target.host, target.port, timeout);
    let mut data = json!({"reach": reach.kind()});
    let mut answer = None;
    let c = if let Reach::Open { addr, .. } = &reach {
        // "TCP accepted" says nothing about what accepted: ask the port.
        let a = hcnetsdk::probe_port(*addr, PROBE_TIMEOUT);
        data["answer"] = json!(a.kind());
        let mut c = step.pass(reach.describe());
        if let Some(d) = a.diagnosis(target.port, target.isapi) {
            c = c.detail(d);
        }
        answer = Some(a);
        c
    } else {
        step.fail(reach.describe(), reach.fix().unwrap_or_default())
    };
    let no_login = matches!(reach, Reach::Unresolved { .. })
        .then_some("skipped: the host name does not resolve (check 4)");
    (c.with_data(data), no_login, answer)
}

/// The fix for a failed login from what the port answered to the probe, when the code
/// says something accepted the connection but did not answer as a device.
/// With `isapi` (the ISAPI login mode) an HTTP answer is the right one: the port is then
/// not the problem, and the lead says so instead of sending the user to the SDK port.
fn port_lead(
    code: Option<u32>,
    answer: Option<&PortAnswer>,
    port: u16,
    isapi: bool,
) -> Option<String> {
    if !code.is_some_and(|c| PEER_ANSWERED_WRONG.contains(&c)) {
        return None;
    }
    let answer = answer?;
    let d = answer.diagnosis(port, isapi)?;
    if isapi && matches!(answer, PortAnswer::Http { .. }) {
        return Some(format!(
            "{d}, but the HTTP server there did not take the ISAPI login: check that it is the \
             device's own web server (open http://HOST:{port}/ISAPI/System/deviceInfo in a browser: \
             a device answers with DeviceInfo XML after asking for the password), not a proxy or \
             another service."
        ));
    }
    let rerun = if isapi {
        "Rerun with --port P (the device's HTTP port, 80 unless changed)"
    } else {
        "Rerun with --port P (the SDK port)"
    };
    if matches!(answer, PortAnswer::Silent | PortAnswer::Closed) {
        // Silence or a bare close names no other service: a wrong port is likely, but an
        // overloaded device (or an IP filter) does the same.
        return Some(format!(
            "Most likely the wrong port: {d}. {rerun}; if it is the right port, the device may be \
             overloaded or filtering this client: retry later, and check its IP address filter."
        ));
    }
    Some(format!(
        "The port is the problem, not the network or a timeout: {d}. {rerun}."
    ))
}

type LoginOutcome = Result<(Session, Check), Box<Check>>;

/// The login check: the session and its check, or the failed check.
pub fn login_check(
    step: &Step,
    sdk: &Sdk,
    target: &Target,
    opts: &Options,
    tcp_ok: bool,
    answer: Option<&PortAnswer>,
) -> LoginOutcome {
    let (password, source) = match &opts.password {
        Some(p) => (Password::new(p.clone()), PasswordSource::Simulated),
        None => match device::resolve_password(target, sdk.is_mock()) {
            Ok(x) => x,
            Err(why) => return Err(Box::new(step.fail("no password", why))),
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
            let c = step.pass(format!(
                "logged in as {} (user ID {}, {how}) in {} ms",
                target.user,
                s.user_id(),
                started.elapsed().as_millis()
            ));
            Ok((s, c))
        }
        Err(e) => Err(Box::new(login_failed(
            step, &e, target, tcp_ok, started, answer,
        ))),
    }
}

/// A failed login: the SDK's code, the doctor's own fix, attempts left or the lock time.
fn login_failed(
    step: &Step,
    e: &Error,
    target: &Target,
    tcp_ok: bool,
    started: Instant,
    answer: Option<&PortAnswer>,
) -> Check {
    let mut c = step.fail_from(e);
    if let Some(lead) = login_lead(e.raw_code(), target)
        .or_else(|| port_lead(e.raw_code(), answer, target.port, target.isapi))
    {
        c = lead_fix(c, lead);
        // A port that answered as another service stays wrong on every retry.
        if e.raw_code()
            .is_some_and(|c| PEER_ANSWERED_WRONG.contains(&c))
            && answer.is_some_and(|a| a.is_other_service(target.isapi))
        {
            c.retry = Some(Retry::AfterFix.advice().to_string());
        }
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
        c = c.detail(
            "the SDK agrees with the TCP check above: the network is the problem, not the credentials",
        );
    }
    c.detail(format!("took {} ms", started.elapsed().as_millis()))
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

/// The device info check: model, name, serial, firmware, the channel map.
pub fn info_check(step: &Step, session: &Session, channel: Option<u32>) -> Check {
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
    let mut c = step
        .pass(found)
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

/// What the preview check received.
#[derive(Debug, Default)]
struct Received {
    bytes: u64,
    packets: u64,
    first: Option<Duration>,
    header: bool,
}

/// Read the preview queue until `wait` ends or enough has come to prove the stream flows
/// (the header and at least 64 KiB).
fn receive(rx: &mut hcnetsdk::PacketReceiver, started: Instant, wait: Duration) -> Received {
    let mut r = Received::default();
    while started.elapsed() < wait && r.bytes < 64 * 1024 {
        let left = wait.saturating_sub(started.elapsed());
        match rx.recv_timeout(left.min(Duration::from_millis(250))) {
            Ok(p) => {
                if r.first.is_none() {
                    r.first = Some(started.elapsed());
                }
                if p.kind() == hcnetsdk::DataType::SysHead && p.data().starts_with(b"IMKH") {
                    r.header = true;
                }
                r.bytes += p.data().len() as u64;
                r.packets += 1;
            }
            Err(hcnetsdk::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    r
}

/// The preview check: the channel's stream delivers bytes within `wait`.
pub fn preview_check(step: &Step, session: &Session, channel: u32, wait: Duration) -> Check {
    let started = Instant::now();
    let (preview, mut rx) = match session.preview(channel).start_queue(64) {
        Ok(x) => x,
        Err(e) => return step.fail_from(&e),
    };
    let r = receive(&mut rx, started, wait);
    let stop = preview.stop();
    drop(rx);
    let c = if r.bytes == 0 {
        step.fail(
            format!(
                "the preview of channel {channel} opened but delivered no bytes in {} s",
                wait.as_secs()
            ),
            "Check the channel's encoder on the device (it may be off or the camera behind an NVR channel offline), \
             and that nothing between here and the device blocks the stream port.",
        )
    } else {
        let first_ms = r.first.unwrap_or_default().as_millis();
        step.pass(format!(
            "channel {channel}: {} in {} packets; first data after {first_ms} ms{}",
            crate::progress::human_bytes(r.bytes),
            r.packets,
            if r.header { ", system header IMKH" } else { "" }
        ))
        .with_data(json!({"bytes": r.bytes, "packets": r.packets, "first_ms": first_ms as u64, "header": r.header}))
    };
    match stop {
        Ok(()) => c,
        Err(e) => c.detail(format!("stopping the preview failed: {e}")),
    }
}

/// The PTZ check. A device that answers 23 (NET_DVR_NOSUPPORT) has no PTZ on the channel:
/// the check does not apply and is skipped with a note. Any other failure (2 no PTZ right,
/// a network code, ...) fails it.
pub fn ptz_check(step: &Step, session: &Session, channel: u32, user: &str) -> Check {
    let failed = |e: &Error| {
        // Classic: 23. Through ISAPI (an ISAPI login) the device's `notSupport` status, whose
        // code is 23 or 29 depending on its HTTP status (404 or 403).
        let isapi_no_ptz = e
            .isapi_status()
            .is_some_and(|s| s.sub_status_code == "notSupport");
        if e.raw_code() == Some(NO_PTZ) || isapi_no_ptz {
            let why = if isapi_no_ptz {
                "ISAPI notSupport".to_owned()
            } else {
                format!("{}, {NO_PTZ}", ErrorCode::from_raw(NO_PTZ).name())
            };
            return step
                .not_applicable(format!(
                    "device reports no PTZ on channel {channel} ({why}): skipped"
                ))
                .with_code(code_ref(e));
        }
        let c = step.fail_from(e);
        match jobs::ptz_hint(e.raw_code(), channel, user) {
            Some(lead) => lead_fix(c, lead),
            None => c,
        }
    };
    let ptz = match session.ptz(channel) {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    // A stop command moves nothing, but the device still checks PTZ support and the
    // user's PTZ right: 23 on a fixed camera or an NVR, 2 for a user without the right.
    if let Err(e) = jobs::ptz_probe(&ptz) {
        return failed(&e);
    }
    match jobs::ptz_position(&ptz) {
        Ok(pos) => step.pass(format!(
            "PTZ control works on channel {channel}; position {pos}"
        )),
        Err(e) => step
            .pass(format!("PTZ control works on channel {channel}"))
            .detail(format!("absolute position not readable: {e}")),
    }
}
