//! Alarms: what devices report about the scene and themselves (motion, line crossing,
//! intrusion, video loss, tamper, alarm inputs, disk errors), typed as [`Alarm`].
//!
//! Alarms are not [`Event`](crate::Event)s: events are the SDK's exceptions about links
//! (disconnects, reconnects) and stay in `events`; alarms come through the SDK's message
//! callback.
//!
//! # Two ways to receive alarms
//!
//! * **Arming mode** ([`Session::alarms`]): the client logs in and asks the device to send
//!   its alarms over the login's link (`NET_DVR_SetupAlarmChan_V50`, or `_V41` where V50
//!   is refused). Works through NAT and firewalls (the client connects), needs a login per
//!   device, and a device has only a few arming slots (a second arming by the same
//!   process is shared here, never a second slot). This is what an NVR client wants.
//! * **Listening mode** ([`Sdk::listen`](crate::Sdk::listen)): the client opens a TCP port
//!   (`NET_DVR_StartListen_V30`) and devices configured to push to it ("alarm host" on the
//!   device's web page) connect and send. No login is needed and one port serves any
//!   number of devices, but the devices must reach the client and must be told its
//!   address; alarms carry no user ID ([`AlarmSource::user_id`] is `None`).
//!
//! Either way, a device sends alarms only for events whose linkage includes "notify
//! surveillance center" (web page: Event > the event > Linkage Method).
//!
//! # Delivery
//!
//! The SDK calls one process-wide message callback (registered by [`Sdk`](crate::Sdk) at
//! Init with `NET_DVR_SetDVRMessageCallBack_V50`, index 0: V50 keeps its own callback
//! slots, so this crate's registration neither replaces nor is replaced by one another
//! component of the process makes with V30/V31 or another index; where V50 is missing,
//! `_V31`). The callback finds the session by `lUserID` in a table indexed by user ID (no
//! lock, no allocation, no lookup by address), copies the message and the blocks its
//! pointers name into a pooled slot of each subscribed handle's queue, and returns: it
//! never runs user code and never waits. A full queue drops the newest message and counts
//! it ([`AlarmReceiver::lost`], [`Alarm::lost_before`]). Decoding happens on the
//! consumer's side. Three ways to consume: a closure ([`AlarmsBuilder::start`], on a
//! thread of this crate), the queue ([`AlarmsBuilder::start_queue`]), and, with feature
//! `tokio`, the queue as a `Stream`.
//!
//! # Kept alive
//!
//! Each arming follows the SDK's exception callback: the link lost and back, the alarm
//! channel broken, reconnected, given up. These arrive in order with the alarms as
//! [`AlarmKind::Channel`]. When the SDK gave up on the channel, or the link came back
//! while the channel was broken, the arming is made again and an
//! [`AlarmChannelEvent::RearmedAfterReconnect`] says so. [`AlarmsBuilder::watchdog`] arms
//! again after a silence longer than its limit (alarm channels are known to go quiet after
//! a day or two with no error).

mod arming;
mod capture;
mod decode;
mod isapi;
mod listen;
mod queue;
mod route;
mod state;
mod types;

#[cfg(test)]
mod tests;

use std::ffi::{c_char, c_void};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_sys as sys;

pub use listen::AlarmListener;
pub use queue::AlarmReceiver;
pub(crate) use state::on_exception;
pub use types::{
    Alarm, AlarmChannelEvent, AlarmKind, AlarmPicture, AlarmSource, IsapiAlert, Rect, RuleAlarm,
};

use self::arming::{ArmOptions, ArmingInner, SetupVersion};
use self::capture::Capture;
use self::route::{Router, Sub};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::time::TimeBasis;

/// Route one message (the trampoline's body).
///
/// # Safety
/// The SDK's contract for `MSGCallBack` (see `Capture::new`); `user` is NULL or a live
/// listener's router.
pub(crate) unsafe fn on_message(
    command: i32,
    alarmer: *const sys::NET_DVR_ALARMER,
    info: *const c_char,
    len: u32,
    user: *mut c_void,
) {
    // SAFETY: the caller's contract.
    let capture = || unsafe { Capture::new(command, alarmer, info, len) };
    if !user.is_null() {
        // SAFETY: a listener's router, freed only after its StopListen_V30 succeeded.
        let router = unsafe { &*user.cast::<Router>() };
        router.deliver(&capture());
        return;
    }
    // SAFETY: NULL or a NET_DVR_ALARMER for the callback's duration.
    let user_id = unsafe { alarmer.as_ref() }
        .filter(|a| a.byUserIDValid != 0)
        .map_or(-1, |a| a.lUserID);
    route::with_router(user_id, |r| r.deliver(&capture()));
}

/// Messages that came for no armed session or listener (process-wide, since start).
pub fn unrouted_alarms() -> u64 {
    route::unrouted()
}

/// The device's priority for this client's alarms (`byLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AlarmPriority {
    /// High (0).
    High,
    /// Medium (1).
    Medium,
    /// Low (2), the SDK's demos' default.
    #[default]
    Low,
}

impl AlarmPriority {
    /// The SDK's `byLevel` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u8 {
        match self {
            AlarmPriority::High => 0,
            AlarmPriority::Medium => 1,
            AlarmPriority::Low => 2,
        }
    }
}

impl Session {
    /// Arm the device for alarms (see [`AlarmsBuilder`]). Every handle made from this
    /// session shares one arming of the device.
    pub fn alarms(&self) -> AlarmsBuilder {
        AlarmsBuilder {
            session: self.clone(),
            capacity: AlarmsBuilder::DEFAULT_CAPACITY,
            opts: ArmOptions {
                level: AlarmPriority::default().raw(),
                v40_messages: true,
                watchdog: None,
            },
            basis: TimeBasis::default(),
        }
    }
}

/// Options for [`Session::alarms`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AlarmsBuilder {
    session: Session,
    capacity: usize,
    opts: ArmOptions,
    basis: TimeBasis,
}

impl AlarmsBuilder {
    /// The default queue capacity, in alarms.
    pub const DEFAULT_CAPACITY: usize = 256;

    /// Queue at most this many alarms (≥ 1) before the newest is dropped and counted.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// The device's priority for this client's alarms (first handle of a session only).
    pub fn priority(mut self, priority: AlarmPriority) -> Self {
        self.opts.level = priority.raw();
        self
    }

    /// Ask for `COMM_ALARM_V30` messages (flags, no time stamp) instead of the default
    /// `COMM_ALARM_V40` (`byRetAlarmTypeV40` 0; first handle of a session only).
    pub fn v30_messages(mut self) -> Self {
        self.opts.v40_messages = false;
        self
    }

    /// Arm again when the device has sent nothing for `silence` while online (first
    /// handle of a session only). The device does not send "nothing happened", so pick
    /// a time longer than the quietest hour, or one its heartbeat-like events cover.
    pub fn watchdog(mut self, silence: Duration) -> Self {
        self.opts.watchdog = Some(silence);
        self
    }

    /// How to read the zone-less times of the messages (default: device-local, zone
    /// unknown; a V40 message that states its offset from UTC is read with it).
    pub fn time_basis(mut self, basis: TimeBasis) -> Self {
        self.basis = basis;
        self
    }

    /// Arm (or share the session's arming) and queue alarms for the returned receiver.
    ///
    /// # Errors
    /// * a `capacity` of 0 (before any SDK call);
    /// * [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut);
    /// * the SDK's code from `NET_DVR_SetupAlarmChan_V41` (after V50 was refused with 23)
    ///   or `_V50`: e.g. 7 (device unreachable), 23 (not supported), 46 (the device's
    ///   arming slots are taken by other clients: "exceeds max").
    #[doc(alias = "NET_DVR_SetupAlarmChan_V50")]
    #[doc(alias = "NET_DVR_SetupAlarmChan_V41")]
    pub fn start_queue(self) -> Result<(Alarms, AlarmReceiver)> {
        if self.capacity == 0 {
            return Err(Error::invalid_input(
                "capacity",
                0,
                "queue at least 1 alarm",
            ));
        }
        let (sub, receiver) = queue::alarm_queue(self.capacity, self.basis);
        let arming = arming::subscribe(&self.session, &self.opts, &sub)?;
        Ok((Alarms { arming, sub }, receiver))
    }

    /// Arm and call `handler` with each alarm, on a thread of this crate (never on the
    /// SDK's). A panic in `handler` is logged and the next alarm still comes.
    ///
    /// # Errors
    /// As for [`start_queue`](Self::start_queue); also a failure to start the thread.
    pub fn start<F>(self, mut handler: F) -> Result<Alarms>
    where
        F: FnMut(Alarm) + Send + 'static,
    {
        let (alarms, receiver) = self.start_queue()?;
        std::thread::Builder::new()
            .name("hcnetsdk-alarm-handler".to_owned())
            .spawn(move || {
                for alarm in receiver {
                    let _ = crate::ffi::call::catch_panic("alarm handler", || handler(alarm));
                }
            })
            .map_err(|e| {
                Error::invalid_input("handler", "thread", format!("cannot start a thread: {e}"))
            })?;
        Ok(alarms)
    }
}

/// One subscription to a session's arming. The device is armed while at least one
/// `Alarms` of the session lives; dropping the last one disarms
/// (`NET_DVR_CloseAlarmChan_V30`, on a thread of this crate when dropped inside an SDK
/// callback). An explicit [`Session::logout`] stops it first: its queue then ends with
/// [`AlarmChannelEvent::StoppedByLogout`].
pub struct Alarms {
    arming: Arc<ArmingInner>,
    sub: Arc<Sub>,
}

impl fmt::Debug for Alarms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alarms")
            .field("session", self.arming.session())
            .field("handle", &self.handle())
            .finish_non_exhaustive()
    }
}

impl Alarms {
    /// The session it belongs to.
    pub fn session(&self) -> &Session {
        self.arming.session()
    }

    /// The SDK's alarm handle (it changes when the arming is made again); `None` once
    /// stopped.
    pub fn handle(&self) -> Option<i32> {
        self.arming.handle().map(|(h, _)| h)
    }

    /// The call that armed: `"NET_DVR_SetupAlarmChan_V50"` or `"..._V41"`.
    pub fn setup_call(&self) -> Option<&'static str> {
        self.arming.handle().map(|(_, v)| match v {
            SetupVersion::V50 => "NET_DVR_SetupAlarmChan_V50",
            SetupVersion::V41 => "NET_DVR_SetupAlarmChan_V41",
        })
    }

    /// How many handles share this arming.
    pub fn shared_by(&self) -> usize {
        self.arming.subscribers()
    }

    /// Whether the device is online as far as the exception callback knows.
    pub fn is_online(&self) -> bool {
        self.arming.is_online()
    }

    /// Whether the arming has stopped (its session logged out).
    pub fn is_stopped(&self) -> bool {
        self.arming.is_stopped()
    }

    /// Leave the arming, disarming the device if this was the last handle, and report
    /// the result (dropping does the same, ignoring errors).
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_CloseAlarmChan_V30`, when this was the last handle.
    #[doc(alias = "NET_DVR_CloseAlarmChan_V30")]
    pub fn stop(self) -> Result<()> {
        if crate::ffi::in_sdk_callback() {
            drop(self); // the disarm goes to the reaper thread
            return Ok(());
        }
        // The drop that follows finds the subscriber gone and does nothing.
        self.arming.remove(&self.sub)
    }
}

impl Drop for Alarms {
    fn drop(&mut self) {
        let arming = Arc::clone(&self.arming);
        let sub = Arc::clone(&self.sub);
        crate::reaper::teardown(move || {
            // Failures are logged by the call layer.
            let _ = arming.remove(&sub);
        });
    }
}
