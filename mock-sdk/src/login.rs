//! Login against simulated devices (and, for unknown addresses, the network).
//!
//! The credential and lock-out rules are the shared model's
//! (`hcnetsdk_device::Device::login_attempt`); this module maps its outcome onto the SDK's
//! codes. Rules (README.md has the table):
//! * unknown user or wrong password: 1, `byRetryLoginTime` = attempts left; the attempt that
//!   reaches `login_retry_limit` locks the device for `lock_seconds` and gives 153 with
//!   `dwSurplusLockTime`; while locked every login (even a right one) gives 153 with the
//!   seconds left; the lock then expires and the count starts again; a success resets it;
//! * more than `max_sessions` logged-in users: 52 (NET_DVR_MAX_USERNUM);
//! * device offline (MOCK_SetDeviceOnline): 7.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use hcnetsdk_device::LoginOutcome;

use crate::errors::{
    MAX_USERNUM, NETWORK_FAIL_CONNECT, PARAMETER_ERROR, PASSWORD_ERROR, USER_LOCKED,
};
use crate::registry::{self, Device, LoginRecord};
use crate::scenario::Role;
use crate::{faults, ffi};
use crate::{net, settings};

/// What a login needs, copied out of the caller's memory.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub function: &'static str,
    pub address: IpAddr,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub mode: u8,
    /// `byHttps` and `bUseAsynLogin` as sent (recorded on the device, not acted on).
    pub https: u8,
    pub asyn: i32,
}

impl Request {
    fn record(&self) -> LoginRecord {
        LoginRecord {
            mode: self.mode,
            https: self.https,
            port: self.port,
            asyn: self.asyn,
        }
    }
}

/// A failed login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failure {
    pub code: u32,
    /// `byRetryLoginTime` to report (wrong password).
    pub retry_left: Option<u8>,
    /// `dwSurplusLockTime` to report (locked).
    pub lock_left: Option<u32>,
}

impl From<u32> for Failure {
    fn from(code: u32) -> Self {
        Failure {
            code,
            retry_left: None,
            lock_left: None,
        }
    }
}

/// A successful login; the caller registers the session. `release` undoes the session
/// count if registering fails.
#[derive(Debug)]
pub(crate) struct Granted {
    pub device: Arc<Device>,
    pub user: String,
    pub role: Role,
    /// Logged in with ISAPI (`byLoginMode` 1): the classic PTZ, capture and device
    /// configuration calls then fail with 189, as the real SDK's do.
    pub isapi: bool,
}

impl Granted {
    pub(crate) fn release(&self) {
        self.device.end_session();
    }
}

/// The address field's text, parsed the way the real SDK 6.1.9.48 does (measured in a
/// loopback-only network namespace; `tests/conformance.rs`, `login_address_shapes`):
/// * empty: `Ok(None)`, the SDK connects to 0.0.0.0 (this host);
/// * a dotted name starting with a letter (`example.invalid`, `http://1.2.3.4`): the real
///   SDK tries to resolve it; the mock resolves nothing, and a name that does not resolve
///   ends, as in the real SDK, on this host (`Ok(None)`);
/// * else with a `:`: an IPv6 literal (an IPv4-mapped one connects to its IPv4 address); any
///   other text with a `:` (`1.2.3.4:8000`, `[::1]`) fails with 7 without connecting;
/// * an IPv4 address as `inet_aton` reads it (`127.1`, `0x7f.0.0.1`, trailing spaces);
///   0.0.0.0 gives 17;
/// * anything else (`localhost`, `999.1.1.1`, a leading space) gives 17.
pub(crate) fn parse_address(raw: &[u8]) -> Result<Option<IpAddr>, u32> {
    if raw.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(raw).map_err(|_| PARAMETER_ERROR)?;
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) && text.contains('.') {
        return Ok(None);
    }
    if text.contains(':') {
        return match text.parse::<std::net::Ipv6Addr>() {
            Ok(ip) if !ip.is_unspecified() => Ok(Some(IpAddr::V6(ip).to_canonical())),
            Ok(_) => Err(PARAMETER_ERROR),
            Err(_) => Err(NETWORK_FAIL_CONNECT),
        };
    }
    if let Some(v4) = inet_aton(text) {
        return if v4.is_unspecified() {
            Err(PARAMETER_ERROR)
        } else {
            Ok(Some(IpAddr::V4(v4)))
        };
    }
    Err(PARAMETER_ERROR)
}

/// IPv4 text as C's `inet_aton` reads it: one to four parts, each decimal, octal (`0..`)
/// or hex (`0x..`), the last filling the remaining bytes; whitespace may end the text.
fn inet_aton(text: &str) -> Option<std::net::Ipv4Addr> {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let parts: Vec<&str> = text[..end].split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or(p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if p.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        nums.push(if digits.is_empty() {
            0
        } else {
            u32::from_str_radix(digits, radix).ok()?
        });
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) || u64::from(*last) >= 1u64 << (8 * (4 - head.len())) {
        return None;
    }
    let mut v = *last;
    for (i, n) in head.iter().enumerate() {
        v |= n << (24 - 8 * i);
    }
    Some(std::net::Ipv4Addr::from(v))
}

/// Run one login attempt (on the caller's thread, or the async login thread).
pub(crate) fn attempt(req: &Request) -> Result<Granted, Failure> {
    faults::apply(req.function, None).map_err(fail_code)?;
    let addr = req.address.to_string();
    ffi::count_device_call(req.function, &addr);
    let device = registry::find_device(&addr, req.port);
    if let Some(d) = &device {
        d.rt().last_login = Some(req.record());
    }
    faults::apply(req.function, Some(&addr)).map_err(fail_code)?;
    let Some(device) = device else {
        let cfg = settings::get();
        return Err(net::attempt(
            req.address,
            req.port,
            req.mode,
            &req.user,
            &cfg,
            registry::allow_external(),
        )
        .into());
    };
    if device.rt().removed {
        return Err(NETWORK_FAIL_CONNECT.into());
    }
    let outcome = device.login_attempt(&req.user, |p| p == req.password, Instant::now());
    let role = match outcome {
        LoginOutcome::Ok { role, .. } => role,
        LoginOutcome::WrongPassword { attempts_left } => {
            return Err(Failure {
                code: PASSWORD_ERROR,
                retry_left: Some(attempts_left),
                lock_left: None,
            });
        }
        LoginOutcome::Locked { seconds_left } => {
            return Err(Failure {
                code: USER_LOCKED,
                retry_left: Some(0),
                lock_left: Some(seconds_left),
            });
        }
        LoginOutcome::Offline => return Err(NETWORK_FAIL_CONNECT.into()),
        LoginOutcome::TooManySessions => return Err(MAX_USERNUM.into()),
    };
    Ok(Granted {
        device: device.clone(),
        user: req.user.clone(),
        role,
        isapi: req.mode == 1,
    })
}

fn fail_code(f: crate::ffi::Fail) -> Failure {
    match f {
        crate::ffi::Fail::Code(c) | crate::ffi::Fail::Soft(c) => c.into(),
        crate::ffi::Fail::Silent => crate::errors::PROGRAM_EXCEPTION.into(),
    }
}

#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn address_shapes_follow_the_real_sdk() {
        let ip = |s: &str| parse_address(s.as_bytes());
        let v4 = |s: &str| Ok(Some(s.parse::<IpAddr>().unwrap()));
        assert_eq!(ip("127.1"), v4("127.0.0.1"));
        assert_eq!(ip("0x7f.0.0.1"), v4("127.0.0.1"));
        assert_eq!(ip("127.0.0.01"), v4("127.0.0.1"));
        assert_eq!(ip("127.0.0.1 "), v4("127.0.0.1"));
        assert_eq!(ip("::ffff:127.0.0.1"), v4("127.0.0.1"));
        assert_eq!(ip(""), Ok(None));
        assert_eq!(ip("example.invalid"), Ok(None));
        assert_eq!(ip("http://127.0.0.1"), Ok(None));
        for bad in [
            "localhost",
            "999.1.1.1",
            " 127.0.0.1",
            "0.0.0.0",
            "127.0.0.1.",
            "1.2.3.4.5",
        ] {
            assert_eq!(ip(bad), Err(PARAMETER_ERROR), "{bad:?}");
        }
        for colon in ["1.2.3.4:8000", "[::1]", "localhost:80"] {
            assert_eq!(ip(colon), Err(NETWORK_FAIL_CONNECT), "{colon:?}");
        }
    }
}
