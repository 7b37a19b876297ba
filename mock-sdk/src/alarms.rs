//! Arming mode: the process-wide message callbacks (`SetDVRMessageCallBack_V30/V31/V50`),
//! the armings (`SetupAlarmChan_V30/V41/V50`, `CloseAlarmChan_V30`) and their delivery
//! threads.
//!
//! Each arming holds one arming of the shared device model (`hcnetsdk_device::Arming`: the
//! device's `max_armings` limit, its scenario schedule, alarms raised with
//! `MOCK_RaiseAlarm`) and one mock thread that waits for its alarms and calls every
//! registered message callback with the message the real SDK would send ([`message`]):
//!
//! | arming                                   | motion, video loss, tamper, input, disk | line crossing, intrusion |
//! |------------------------------------------|-----------------------------------------|--------------------------|
//! | V30, or V41/V50 with `byRetAlarmTypeV40` 0 | `COMM_ALARM_V30` (`NET_DVR_ALARMINFO_V30`) | `COMM_ALARM_RULE` (`NET_VCA_RULE_ALARM`) |
//! | V41/V50 with `byRetAlarmTypeV40` 1       | `COMM_ALARM_V40` (`NET_DVR_ALARMINFO_V40`) | `COMM_ALARM_RULE`        |
//! | any, on an ISAPI login (`byLoginMode` 1) | `COMM_ISAPI_ALARM` (`NET_DVR_ALARM_ISAPI_INFO`, XML) | the same     |
//!
//! `CloseAlarmChan_V30`, Logout and the last Cleanup disarm; once they return, the arming's
//! thread has ended and no callback of it runs (a callback that closes its own arming is not
//! waited for). Alarms are not delivered while the session is disconnected or the device
//! down; they are not kept for later.

mod message;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{JoinHandle, ThreadId};
use std::time::Duration;

use hcnetsdk_sys::{MSGCallBack, MSGCallBack_V31};

use crate::ffi::{Fail, Res, UserPtr};
use crate::registry::Session;
use crate::sync::lock;
use crate::{log, registry};

pub(crate) use message::Mode;

/// Slots of `SetDVRMessageCallBack_V50` (`iIndex` 0 to 15). V30 and V31 set slot 0.
pub(crate) const CALLBACK_SLOTS: usize = 16;
/// Alarm handles run from 0 to this.
const MAX_ARMINGS: i32 = 2048;
/// How long a delivery thread waits between looks at its stop flag.
const POLL: Duration = Duration::from_millis(50);

/// A registered message callback.
#[derive(Clone, Copy)]
enum Callback {
    V30(MSGCallBack),
    V31(MSGCallBack_V31),
}

static CALLBACKS: Mutex<[(Option<Callback>, UserPtr); CALLBACK_SLOTS]> =
    Mutex::new([const { (None, UserPtr(std::ptr::null_mut())) }; CALLBACK_SLOTS]);

/// `SetDVRMessageCallBack_V30` (slot 0).
pub(crate) fn set_callback_v30(slot: usize, cb: MSGCallBack, user: UserPtr) {
    lock(&CALLBACKS)[slot] = (cb.map(|_| Callback::V30(cb)), user);
}

/// `SetDVRMessageCallBack_V31` (slot 0).
pub(crate) fn set_callback_v31(cb: MSGCallBack_V31, user: UserPtr) {
    lock(&CALLBACKS)[0] = (cb.map(|_| Callback::V31(cb)), user);
}

/// One arming: the session it belongs to, its stop flag and delivery thread.
struct Entry {
    user_id: i32,
    /// The device's address (CloseAlarmChan_V30 counts the call there).
    address: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

static ARMINGS: Mutex<BTreeMap<i32, Entry>> = Mutex::new(BTreeMap::new());

/// Arm the session's device in `mode`: a new alarm handle, and its delivery thread.
pub(crate) fn arm(session: &Arc<Session>, mode: Mode) -> Res<i32> {
    session.device.reach()?;
    let arming = session.device.arm()?;
    let mut table = lock(&ARMINGS);
    let handle = registry::lowest_free(&table, MAX_ARMINGS).ok_or(Fail::Code(46))?;
    let stop = Arc::new(AtomicBool::new(false));
    let (s, flag) = (Arc::clone(session), Arc::clone(&stop));
    let thread = std::thread::Builder::new()
        .name(format!("hcnetsdk-mock-alarm-{handle}"))
        .spawn(move || deliver(&s, arming, mode, handle, &flag))
        .map_err(|_| Fail::Code(41))?;
    table.insert(
        handle,
        Entry {
            user_id: session.id,
            address: session.device.spec().address.clone(),
            stop,
            thread: Some(thread),
        },
    );
    log::line(
        "INF",
        &format!(
            "armed {} (user ID {}) as alarm handle {handle}, {mode:?}",
            session.device.spec().address,
            session.id
        ),
    );
    Ok(handle)
}

/// The body of an arming's delivery thread.
fn deliver(
    s: &Session,
    mut arming: hcnetsdk_device::Arming,
    mode: Mode,
    handle: i32,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::SeqCst) {
        let Some(alarm) = s.device.next_alarm(&mut arming, POLL) else {
            continue;
        };
        if stop.load(Ordering::SeqCst) || s.disconnected.load(Ordering::SeqCst) || !s.device.is_up()
        {
            continue;
        }
        let mut msg = message::build(s, &alarm, mode);
        let callbacks = *lock(&CALLBACKS);
        for (cb, user) in callbacks {
            match cb {
                Some(cb) => msg.call(cb, user),
                None => continue,
            }
        }
        log::line(
            "DBG",
            &format!(
                "alarm handle {handle}: {} on channel {} as command {:#x}",
                alarm.kind.name(),
                alarm.channel,
                msg.command
            ),
        );
    }
}

/// Stop entries (their threads end; joined unless it is the calling thread).
fn finish(entries: Vec<Entry>) {
    let me: ThreadId = std::thread::current().id();
    for e in &entries {
        e.stop.store(true, Ordering::SeqCst);
    }
    for mut e in entries {
        if let Some(t) = e.thread.take()
            && t.thread().id() != me
        {
            let _ = t.join();
        }
    }
}

/// `CloseAlarmChan_V30`: disarm `handle`; 12 (on a clear error) when it is not armed. The
/// call counts on the arming's device, and that device's scoped faults apply to it.
pub(crate) fn close(handle: i32) -> Res<()> {
    let address = lock(&ARMINGS)
        .get(&handle)
        .map(|e| e.address.clone())
        .ok_or(Fail::Soft(crate::errors::ORDER_ERROR))?;
    crate::ffi::note_device(&address);
    crate::faults::apply(crate::ffi::current_function(), Some(&address))?;
    let e = lock(&ARMINGS)
        .remove(&handle)
        .ok_or(Fail::Soft(crate::errors::ORDER_ERROR))?;
    finish(vec![e]);
    Ok(())
}

/// Logout: disarm every arming of the session.
pub(crate) fn disarm_user(user_id: i32) -> usize {
    let taken: Vec<Entry> = {
        let mut t = lock(&ARMINGS);
        let keys: Vec<i32> = t
            .iter()
            .filter(|(_, e)| e.user_id == user_id)
            .map(|(k, _)| *k)
            .collect();
        keys.iter().filter_map(|k| t.remove(k)).collect()
    };
    let n = taken.len();
    finish(taken);
    n
}

/// The last Cleanup: disarm everything and forget the message callbacks.
pub(crate) fn disarm_all() {
    let taken: Vec<Entry> = std::mem::take(&mut *lock(&ARMINGS)).into_values().collect();
    finish(taken);
    for slot in lock(&CALLBACKS).iter_mut() {
        *slot = (None, UserPtr(std::ptr::null_mut()));
    }
}
