//! The two-stack tier for alarms and configuration: the default scenario with its clock
//! pinned to `two_stack_common::CLOCK`, through
//! 1. the safe layer on the **mock** SDK, logged in in ISAPI mode, and
//! 2. the safe layer on the **real** SDK, logged into [`Emulator::start`] (ISAPI mode),
//!
//! the same cases: arm the dome (and arm it again from the same session: one shared
//! arming), take its first motion alarm (channel 1 every 3 s); arm the NVR and take its
//! line crossing (channel 33 every 10 s); NTP on the dome meanwhile: read, set (server,
//! port, interval), read back on the same session and on a new one; disarm both (the
//! device's armings count goes back to 0, and no alarm comes after). One routine ([`observe`])
//! writes what a user sees as `key = value` lines: the arming call, the alarm's command,
//! kind, channels, time and its zone state, the source fields (`AlarmSource`), the ISAPI
//! fields and document, the rule and target as the document carries them, the armings
//! counts, and the NTP values.
//!
//! Every key must agree, unless [`INTENDED`] names it with its reason; a named difference
//! that went away fails too. As in `two_stack.rs`, the mock's side runs in a child process
//! (this test binary again, with `TWOSTACK_ALARM_MOCK_CHILD=1` and `HCNETSDK_MOCK_SCENARIO`
//! naming the pinned scenario) at the same time as the real side. About 15 s.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as `.ci/run`
//! does with `.ci/real-sdk.d/two-stack.sh`:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test two_stack_alarms --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test two_stack_alarms -- --nocapture --test-threads=1'
//! ```

mod two_stack_common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use hcnetsdk::alarms::{Alarm, AlarmKind, AlarmReceiver, Alarms};
use hcnetsdk::config::Ntp;
use hcnetsdk::{DeviceTime, LoginMode, RecvTimeoutError, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::Emulator;
use hcnetsdk_test_support::mock_control::MockControl;

use two_stack_common::{Seen, compare, mock_side, pinned, print_mock_side, put, start_both};

const USER: &str = "admin";
const PASSWORD: &str = "Admin12345";
const CHILD_ENV: &str = "TWOSTACK_ALARM_MOCK_CHILD";
/// The scenario's pinned clock: every alarm is stamped with it.
/// The dome's motion comes 3 s after arming, the NVR's line crossing 10 s after.
const MOTION_WITHIN: Duration = Duration::from_secs(6);
const LINE_WITHIN: Duration = Duration::from_secs(14);
/// After disarming: longer than the dome's 3 s period.
const QUIET: Duration = Duration::from_millis(3500);

/// (key prefix, why the two stacks differ there). Measured with the real SDK 6.1.9.48.
const INTENDED: &[(&str, &str)] = &[];

/// One stack: where each device answers, and how its armings are counted.
enum Side<'a> {
    Mock(MockControl),
    Real(&'a Emulator),
}

impl Side<'_> {
    fn target(&self, label: &str) -> (String, u16) {
        match self {
            Side::Mock(_) => {
                let s = Scenario::default();
                let d = s.devices.iter().find(|d| d.label == label).unwrap();
                (d.address.clone(), d.port)
            }
            Side::Real(e) => ("127.0.0.1".into(), e.device(label).unwrap().http_port()),
        }
    }

    fn login(&self, sdk: &Sdk, label: &str) -> Session {
        let (host, port) = self.target(label);
        Session::builder(sdk)
            .address(host)
            .port(port)
            .user(USER)
            .password(PASSWORD)
            .mode(LoginMode::Isapi)
            .login()
            .unwrap_or_else(|e| panic!("login to {label}: {e:#}"))
    }

    /// The device's open armings (the model behind the emulator, or the mock's).
    fn armings(&self, label: &str) -> u64 {
        match self {
            Side::Mock(m) => {
                let (host, port) = self.target(label);
                m.device_value(&host, port, "armings").expect("armings")
            }
            Side::Real(e) => e.device(label).unwrap().model().armings() as u64,
        }
    }

    /// Wait up to 3 s for the armings count to become `want`; the count then.
    fn armings_become(&self, label: &str, want: u64) -> u64 {
        let end = Instant::now() + Duration::from_secs(3);
        loop {
            let n = self.armings(label);
            if n == want || Instant::now() >= end {
                return n;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn observe(sdk: &Sdk, side: &Side<'_>) -> Seen {
    let mut seen = Seen::new();
    let started = Instant::now();
    let dome = side.login(sdk, "dome");
    let nvr = side.login(sdk, "nvr");
    put(&mut seen, "armings.dome.before", side.armings("dome"));
    put(&mut seen, "armings.nvr.before", side.armings("nvr"));

    let (dome_alarms, mut dome_rx) = dome
        .alarms()
        .start_queue()
        .unwrap_or_else(|e| panic!("arm the dome: {e:#}"));
    let armed = Instant::now();
    put(
        &mut seen,
        "arm.dome.call",
        dome_alarms.setup_call().unwrap_or("-"),
    );
    put(
        &mut seen,
        "armings.dome.armed",
        side.armings_become("dome", 1),
    );
    // The same session again: one shared arming, not a second one ("exceeds max").
    let second = dome.alarms().start_queue();
    match &second {
        Ok((a, _)) => put(&mut seen, "arm.dome.again.shared_by", a.shared_by()),
        Err(e) => put(&mut seen, "arm.dome.again.error", format!("{:?}", e.kind())),
    }
    put(&mut seen, "armings.dome.armed_twice", side.armings("dome"));
    drop(second);
    put(
        &mut seen,
        "armings.dome.one_handle_left",
        side.armings("dome"),
    );

    let (nvr_alarms, mut nvr_rx) = nvr
        .alarms()
        .start_queue()
        .unwrap_or_else(|e| panic!("arm the NVR: {e:#}"));
    put(
        &mut seen,
        "arm.nvr.call",
        nvr_alarms.setup_call().unwrap_or("-"),
    );
    put(
        &mut seen,
        "armings.nvr.armed",
        side.armings_become("nvr", 1),
    );

    let motion = first(&mut dome_rx, MOTION_WITHIN, is_motion, &mut seen, "dome");
    println!("motion after {:?}", armed.elapsed());
    if let Some(a) = &motion {
        alarm_seen(a, &dome, side, "dome", &mut seen);
    }
    // NTP while the NVR's line crossing is on its way.
    ntp(sdk, &dome, side, &mut seen);
    let line = first(&mut nvr_rx, LINE_WITHIN, is_line, &mut seen, "nvr");
    println!("line crossing after {:?}", armed.elapsed());
    if let Some(a) = &line {
        alarm_seen(a, &nvr, side, "nvr", &mut seen);
        rule_seen(a, &mut seen);
    }

    disarm(
        side,
        (dome_alarms, dome_rx),
        (nvr_alarms, nvr_rx),
        &mut seen,
    );
    dome.logout().unwrap_or_else(|e| panic!("logout: {e:#}"));
    nvr.logout().unwrap_or_else(|e| panic!("logout: {e:#}"));
    println!("observed in {:?}", started.elapsed());
    seen
}

/// Take alarms until the first that `wanted` accepts, up to `within`; the kinds that came
/// before it are written down too.
fn first(
    rx: &mut AlarmReceiver,
    within: Duration,
    wanted: fn(&Alarm) -> bool,
    seen: &mut Seen,
    what: &str,
) -> Option<Alarm> {
    let end = Instant::now() + within;
    let mut before = Vec::new();
    let found = loop {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(a) if wanted(&a) => break Some(a),
            Ok(a) => before.push(describe_kind(&a.kind)),
            Err(e) => {
                put(seen, format!("alarm.{what}.error"), format!("{e:?}"));
                break None;
            }
        }
    };
    put(
        seen,
        format!("alarm.{what}.before_it"),
        format!("{before:?}"),
    );
    found
}

fn is_motion(a: &Alarm) -> bool {
    matches!(a.kind, AlarmKind::Motion { .. })
}

/// A line crossing: `LineCrossing` from the private protocol, ISAPI `linedetection`.
fn is_line(a: &Alarm) -> bool {
    match &a.kind {
        AlarmKind::LineCrossing(_) => true,
        AlarmKind::Isapi { event_type, .. } => event_type.eq_ignore_ascii_case("linedetection"),
        _ => false,
    }
}

fn describe_kind(k: &AlarmKind) -> String {
    match k {
        AlarmKind::Isapi {
            event_type,
            channel,
        } => format!("isapi {event_type} {channel:?}"),
        AlarmKind::Channel(e) => format!("channel {e:?}"),
        other => format!("{} {:?}", other.name(), other.channels()),
    }
}

/// What a user sees of one alarm. Addresses and ports that are the login's own are
/// written as `login` (the mock's devices answer at their scenario address, the
/// emulator's at 127.0.0.1 and a port of its own).
fn alarm_seen(a: &Alarm, session: &Session, side: &Side<'_>, what: &str, seen: &mut Seen) {
    let (host, port) = side.target(what);
    let k = |s: &str| format!("alarm.{what}.{s}");
    put(seen, k("command"), format!("{:#x}", a.command));
    put(seen, k("kind"), describe_kind(&a.kind));
    put(seen, k("channels"), format!("{:?}", a.kind.channels()));
    let time = match &a.time {
        None => "none".to_owned(),
        Some(t @ DeviceTime::Utc(_)) => format!("utc {}", t.wall_clock()),
        Some(t @ DeviceTime::Local(z)) => format!("local {} {}", t.wall_clock(), z.offset()),
        Some(t @ DeviceTime::LocalUnknownZone(_)) => format!("zone unknown {}", t.wall_clock()),
        Some(t) => format!("{t:?}"),
    };
    put(seen, k("time"), time);
    let s = &a.source;
    let addr = |v: &Option<String>| match v {
        Some(v) if *v == host => "login".to_owned(),
        v => format!("{v:?}"),
    };
    put(
        seen,
        k("source.user_id"),
        match s.user_id {
            Some(id) if id == session.user_id() => "the session's".to_owned(),
            v => format!("{v:?}"),
        },
    );
    put(seen, k("source.serial"), format!("{:?}", s.serial));
    put(
        seen,
        k("source.device_name"),
        format!("{:?}", s.device_name),
    );
    put(seen, k("source.device_ip"), addr(&s.device_ip));
    put(seen, k("source.socket_ip"), addr(&s.socket_ip));
    let port_seen = match s.port {
        Some(p) if p == port => "login".to_owned(),
        v => format!("{v:?}"),
    };
    put(seen, k("source.port"), port_seen);
    put(seen, k("pictures"), a.pictures.len());
    put(seen, k("truncated"), a.truncated);
    put(seen, k("lost_before"), a.lost_before);
    match &a.isapi {
        None => put(seen, k("isapi"), "none"),
        Some(i) => {
            put(seen, k("isapi.event_type"), &i.event_type);
            put(seen, k("isapi.event_state"), format!("{:?}", i.event_state));
            put(seen, k("isapi.description"), format!("{:?}", i.description));
            put(seen, k("isapi.channel"), format!("{:?}", i.channel));
            put(seen, k("isapi.date_time"), format!("{:?}", i.date_time));
            put(seen, k("isapi.json"), i.json);
            put(seen, k("isapi.document"), &i.document);
        }
    }
}

/// The text of the first `<tag>` in `doc`.
fn tag<'d>(doc: &'d str, tag: &str) -> Option<&'d str> {
    let open = format!("<{tag}>");
    let start = doc.find(&open)? + open.len();
    let len = doc[start..].find(&format!("</{tag}>"))?;
    Some(doc[start..start + len].trim())
}

/// The rule and the target box, as far as the ISAPI document carries them (the safe layer
/// types ISAPI line crossings as `AlarmKind::Isapi`; `RuleAlarm` is the private protocol's).
fn rule_seen(a: &Alarm, seen: &mut Seen) {
    let Some(doc) = a.isapi.as_ref().map(|i| i.document.as_str()) else {
        put(seen, "alarm.nvr.rule", "no ISAPI document");
        return;
    };
    for t in ["regionID", "ruleName", "activePostCount"] {
        put(
            seen,
            format!("alarm.nvr.rule.{t}"),
            format!("{:?}", tag(doc, t)),
        );
    }
    let rect = tag(doc, "TargetRect").map(|r| {
        ["X", "Y", "width", "height"]
            .map(|t| tag(r, t).unwrap_or("-"))
            .join(" ")
    });
    put(seen, "alarm.nvr.rule.target", format!("{rect:?}"));
    let points = doc.matches("<RegionCoordinates>").count();
    put(seen, "alarm.nvr.rule.region_points", points);
}

/// NTP on `session`: read, set, read back, and read on a new login.
fn ntp(sdk: &Sdk, session: &Session, side: &Side<'_>, seen: &mut Seen) {
    let show = |n: &Ntp| {
        format!(
            "enabled {} server {} port {} every {} min",
            n.enabled, n.server, n.port, n.interval_minutes
        )
    };
    let config = session.config();
    let before = match config.ntp() {
        Ok(n) => n,
        Err(e) => {
            put(seen, "ntp.get.error", format!("{:?} {e}", e.kind()));
            return;
        }
    };
    put(seen, "ntp.before", show(&before));
    let mut want = Ntp::new("time.example.net");
    want.enabled = before.enabled; // the time mode belongs to the time module's document
    want.port = 1123;
    want.interval_minutes = 30;
    if let Err(e) = config.set_ntp(&want) {
        put(seen, "ntp.set.error", format!("{:?} {e}", e.kind()));
    }
    let after = config
        .ntp()
        .map_or_else(|e| format!("error {e}"), |n| show(&n));
    put(seen, "ntp.after", after);
    put(
        seen,
        "ntp.after_is_what_was_set",
        config.ntp().ok() == Some(want),
    );
    let other = side.login(sdk, "dome");
    let fresh = other.config().ntp();
    put(
        seen,
        "ntp.new_login",
        fresh.map_or_else(|e| format!("error {e}"), |n| show(&n)),
    );
    other.logout().unwrap_or_else(|e| panic!("logout: {e:#}"));
}

/// Disarm both; the armings count, the queues' ends, and that nothing comes after.
fn disarm(
    side: &Side<'_>,
    dome: (Alarms, AlarmReceiver),
    nvr: (Alarms, AlarmReceiver),
    seen: &mut Seen,
) {
    let unrouted = hcnetsdk::alarms::unrouted_alarms();
    let (dome_alarms, mut dome_rx) = dome;
    let (nvr_alarms, mut nvr_rx) = nvr;
    let stopped = dome_alarms.stop().map_err(|e| format!("{:?}", e.kind()));
    put(seen, "disarm.dome.stop", format!("{stopped:?}"));
    let stopped = nvr_alarms.stop().map_err(|e| format!("{:?}", e.kind()));
    put(seen, "disarm.nvr.stop", format!("{stopped:?}"));
    put(seen, "armings.dome.after", side.armings_become("dome", 0));
    put(seen, "armings.nvr.after", side.armings_become("nvr", 0));
    // What was queued before the disarm drains; then the queue ends.
    for (what, rx) in [("dome", &mut dome_rx), ("nvr", &mut nvr_rx)] {
        let mut kinds = BTreeSet::new();
        let end = loop {
            match rx.recv_timeout(QUIET) {
                Ok(a) => {
                    kinds.insert(describe_kind(&a.kind));
                }
                Err(e) => break e,
            }
        };
        put(
            seen,
            format!("disarm.{what}.drained_kinds"),
            format!("{kinds:?}"),
        );
        put(
            seen,
            format!("disarm.{what}.queue_end"),
            format!("{end:?} (stopped: {})", end == RecvTimeoutError::Stopped),
        );
    }
    std::thread::sleep(QUIET);
    put(
        seen,
        "disarm.unrouted_after",
        hcnetsdk::alarms::unrouted_alarms() - unrouted,
    );
    put(seen, "armings.dome.later", side.armings("dome"));
}

/// The mock's side. Does nothing unless run as the child.
#[test]
fn mock_side_child() {
    let Some((sdk, path)) = mock_side(CHILD_ENV) else {
        return;
    };
    let control = MockControl::open(&path);
    print_mock_side(observe(&sdk, &Side::Mock(control)));
}

#[test]
fn two_stacks_agree_on_alarms_and_config() {
    let started = Instant::now();
    let Some((sdk, child)) = start_both("two_stacks_agree_on_alarms_and_config", CHILD_ENV, true)
    else {
        return;
    };
    let emulator = Emulator::start(&pinned()).unwrap();
    let real = observe(&sdk, &Side::Real(&emulator));
    let mock = child.observed();
    println!("both stacks observed in {:?}", started.elapsed());
    compare(&real, &mock, INTENDED, |_| true);
}
