//! `hcnet alarms [--seconds N] [--json]`: arm the device, print its alarms as they come
//! (one JSON object per line with `--json`), disarm on exit or Ctrl-C.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::RecvTimeoutError;
use hcnetsdk::alarms::{Alarm, AlarmKind};
use serde_json::{Value, json};

use crate::jobs::fail;
use crate::{AlarmsArgs, device};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How often the loop looks at the clock and at Ctrl-C while no alarm comes.
const POLL: Duration = Duration::from_millis(200);

/// `hcnet alarms`.
pub fn run(sdk_dir: Option<&Path>, args: &AlarmsArgs) -> ExitCode {
    let (_sdk, session) = match device::connect(sdk_dir, &args.device) {
        Ok(x) => x,
        Err(t) => return fail("alarms", &t),
    };
    let (alarms, mut receiver) = match session.alarms().start_queue() {
        Ok(x) => x,
        Err(e) => {
            let _ = session.logout();
            return fail("alarms", &format!("{e:#}"));
        }
    };
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    eprintln!(
        "hcnet alarms: armed {} ({}); {}",
        session.endpoint(),
        alarms.setup_call().unwrap_or("?"),
        match args.seconds {
            Some(n) => format!("listening for {n} s (Ctrl-C stops)"),
            None => "Ctrl-C stops".to_owned(),
        }
    );
    let deadline = args
        .seconds
        .and_then(|s| Instant::now().checked_add(Duration::from_secs(s)));
    let mut count = 0u64;
    while !INTERRUPTED.load(Ordering::Relaxed) {
        let wait = match deadline {
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left.min(POLL),
                _ => break,
            },
            None => POLL,
        };
        match receiver.recv_timeout(wait) {
            Ok(alarm) => {
                count += 1;
                if args.json {
                    outln!("{}", to_json(&alarm));
                } else {
                    outln!("{}", to_line(&alarm));
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(_) => break, // stopped: the session logged out
        }
    }
    let lost = receiver.lost();
    let disarmed = alarms.stop();
    let _ = session.logout();
    eprintln!("hcnet alarms: {count} alarm(s), {lost} lost; disarmed");
    match disarmed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("alarms", &format!("disarming failed: {e:#}")),
    }
}

/// One line for people.
fn to_line(a: &Alarm) -> String {
    let mut s = a.to_string();
    if let Some(serial) = &a.source.serial {
        s.push_str(&format!(" from {serial}"));
    }
    if !a.pictures.is_empty() {
        s.push_str(&format!(" ({} picture(s))", a.pictures.len()));
    }
    if a.lost_before > 0 {
        s.push_str(&format!(" [{} lost before]", a.lost_before));
    }
    s
}

/// One JSON object.
fn to_json(a: &Alarm) -> Value {
    let mut v = json!({
        "kind": a.kind.name(),
        "command": a.command,
        "channels": a.kind.channels(),
        "time": a.time.as_ref().map(|t| t.wall_clock().to_string()),
        "instant": a.time.as_ref().and_then(|t| t.timestamp()).map(|t| t.to_string()),
        "zone_known": a.time.as_ref().map(|t| !t.is_zone_unknown()),
        "received_unix_ms": a.received.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64),
        "source": {
            "user_id": a.source.user_id,
            "serial": a.source.serial,
            "device_name": a.source.device_name,
            "device_ip": a.source.device_ip,
        },
        "pictures": a.pictures.iter().map(|p| json!({"file_name": p.file_name, "len": p.data.len()})).collect::<Vec<_>>(),
        "lost_before": a.lost_before,
        "truncated": a.truncated,
    });
    if let Some(detail) = detail(&a.kind) {
        v["detail"] = detail;
    }
    if let Some(i) = &a.isapi {
        v["isapi"] = json!({"event_type": i.event_type, "event_state": i.event_state, "description": i.description});
    }
    v
}

/// What a kind carries beyond its channels.
fn detail(kind: &AlarmKind) -> Option<Value> {
    Some(match kind {
        AlarmKind::AlarmInput { input, outputs, .. } => json!({"input": input, "outputs": outputs}),
        AlarmKind::DiskFull { disks }
        | AlarmKind::DiskUnformatted { disks }
        | AlarmKind::DiskError { disks } => json!({"disks": disks}),
        AlarmKind::Other { alarm_type, .. } => json!({"alarm_type": alarm_type}),
        AlarmKind::LineCrossing(r) | AlarmKind::Intrusion(r) | AlarmKind::Rule(r) => json!({
            "rule_id": r.rule_id,
            "rule_name": r.rule_name,
            "event_type": r.event_type,
            "target_id": r.target_id,
            "target": [r.target.x, r.target.y, r.target.width, r.target.height],
        }),
        AlarmKind::Isapi { event_type, .. } => json!({"event_type": event_type}),
        AlarmKind::Channel(e) => json!({"event": format!("{e:?}"), "text": e.to_string()}),
        AlarmKind::Raw { bytes, .. } => json!({"len": bytes.len()}),
        _ => return None,
    })
}
