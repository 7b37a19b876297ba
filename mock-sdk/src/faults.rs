//! Fault injection, added latency and call counts (driven by the `MOCK_*` exports).
//!
//! A rule names one SDK function (or `*` for every function) and optionally a device
//! address. Unscoped rules apply when the call enters the mock; scoped rules apply where the
//! call resolves its device (the login target, or the device behind a user ID or preview
//! handle), so tests that run in parallel threads can each fault their own device.
//!
//! Calls are counted per function at entry, and per device where the call names that
//! device: the login target, or the device behind a user ID or preview handle, as soon as
//! the ID or handle resolves (before any parameter check that follows), once per call.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::ffi::{Fail, Res};
use crate::sync::lock;

#[derive(Debug, Clone)]
struct Rule {
    function: String,
    address: Option<String>,
    code: u32,
    /// Calls left to fail; `None` = until cleared.
    remaining: Option<u32>,
    /// Chance that a matching call fails (1.0 = always).
    probability: f64,
}

#[derive(Debug, Clone)]
struct Latency {
    function: String,
    address: Option<String>,
    ms: u32,
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<Rule>,
    latency: Vec<Latency>,
    calls: HashMap<String, u64>,
    device_calls: HashMap<(String, String), u64>,
    rng: u64,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// A fault "code" that makes the call panic inside the mock instead, to test that no panic
/// crosses the C boundary (the caller sees a failure with 76, NET_DVR_PROGRAM_EXCEPTION).
pub(crate) const PANIC_CODE: u32 = u32::MAX;

fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    let mut g = lock(&STATE);
    f(g.get_or_insert_with(|| State {
        rng: rng_start(),
        ..State::default()
    }))
}

/// A start state for the random generator: the clock, never 0.
fn rng_start() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    t | 1
}

fn next_unit(rng: &mut u64) -> f64 {
    // xorshift64*
    let mut x = *rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *rng = x;
    (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

fn matches(
    rule_fn: &str,
    rule_addr: &Option<String>,
    function: &str,
    address: Option<&str>,
) -> bool {
    (rule_fn == "*" || rule_fn == function) && rule_addr.as_deref() == address
}

/// Count one call of `function` (every export calls this at entry).
pub(crate) fn count_call(function: &'static str) {
    with(|s| *s.calls.entry(function.to_owned()).or_insert(0) += 1);
}

/// Count one call of `function` on the device at `address` (the call resolved that device:
/// the login target, or the device behind the user ID or preview handle it named). Callers
/// go through [`crate::ffi::count_device_call`], which counts each export call once per
/// device.
pub(crate) fn count_device_call(function: &str, address: &str) {
    with(|s| {
        *s.device_calls
            .entry((function.to_owned(), address.to_owned()))
            .or_insert(0) += 1
    });
}

/// Calls of `function` so far (`address`: only calls that named that device).
pub(crate) fn call_count(function: &str, address: Option<&str>) -> u64 {
    with(|s| match address {
        None => s.calls.get(function).copied().unwrap_or(0),
        Some(a) => s
            .device_calls
            .get(&(function.to_owned(), a.to_owned()))
            .copied()
            .unwrap_or(0),
    })
}

/// Apply latency and fault rules for one call: unscoped ones (`address` None, at entry) or
/// the ones scoped to the device at `address`.
pub(crate) fn apply(function: &str, address: Option<&str>) -> Res<()> {
    let (delay, verdict) = with(|s| {
        let delay: u64 = s
            .latency
            .iter()
            .filter(|l| matches(&l.function, &l.address, function, address))
            .map(|l| u64::from(l.ms))
            .sum();
        let mut verdict = None;
        let mut rng = s.rng;
        for rule in s.rules.iter_mut() {
            if !matches(&rule.function, &rule.address, function, address) {
                continue;
            }
            if rule.remaining == Some(0) {
                continue;
            }
            let fires = rule.probability >= 1.0 || next_unit(&mut rng) < rule.probability;
            if fires {
                if let Some(n) = rule.remaining.as_mut() {
                    *n -= 1;
                }
                verdict = Some(rule.code);
                break;
            }
        }
        s.rng = rng;
        s.rules.retain(|r| r.remaining != Some(0));
        (delay, verdict)
    });
    if delay > 0 {
        std::thread::sleep(Duration::from_millis(delay));
    }
    match verdict {
        Some(PANIC_CODE) => panic!("hcnetsdk-mock: injected panic in {function}"),
        Some(code) => Err(Fail::Code(code)),
        None => Ok(()),
    }
}

/// Fail the next `count` calls (0 = every call until cleared) with `code`.
pub(crate) fn fail_next(function: &str, code: u32, count: u32, address: Option<&str>) {
    with(|s| {
        s.rules.push(Rule {
            function: function.to_owned(),
            address: address.map(str::to_owned),
            code,
            remaining: (count > 0).then_some(count),
            probability: 1.0,
        })
    });
}

/// Fail each call with probability `p` (0..=1) until cleared.
pub(crate) fn fail_random(function: &str, code: u32, p: f64, address: Option<&str>) {
    with(|s| {
        s.rules.push(Rule {
            function: function.to_owned(),
            address: address.map(str::to_owned),
            code,
            remaining: None,
            probability: p.clamp(0.0, 1.0),
        })
    });
}

/// Add `ms` of latency to `function` (replaces an earlier setting; 0 removes it).
pub(crate) fn set_latency(function: &str, ms: u32, address: Option<&str>) {
    with(|s| {
        s.latency
            .retain(|l| !(l.function == function && l.address.as_deref() == address));
        if ms > 0 {
            s.latency.push(Latency {
                function: function.to_owned(),
                address: address.map(str::to_owned),
                ms,
            });
        }
    });
}

/// Remove fault and latency rules: all of them (`function` None), or those for `function`;
/// `address` Some limits the removal to rules scoped to that device.
pub(crate) fn clear(function: Option<&str>, address: Option<&str>) {
    with(|s| {
        let keep = |f: &str, a: &Option<String>| {
            let fn_match = function.is_none_or(|x| x == f);
            let addr_match = address.is_none_or(|x| a.as_deref() == Some(x));
            !(fn_match && addr_match)
        };
        s.rules.retain(|r| keep(&r.function, &r.address));
        s.latency.retain(|l| keep(&l.function, &l.address));
    });
}

/// Forget every rule and every count.
pub(crate) fn reset() {
    with(|s| {
        s.rules.clear();
        s.latency.clear();
        s.calls.clear();
        s.device_calls.clear();
    });
}
