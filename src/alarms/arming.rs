//! One arming per session, shared by every [`Alarms`](super::Alarms) handle of it
//! (reference counted by its subscribers): `SetupAlarmChan_V50` (or V41) when the first
//! handle starts, `CloseAlarmChan_V30` when the last one goes or the session logs out.
//! A second `session.alarms()` therefore never asks the device for a second arming (which
//! devices refuse with "exceeds max" once their few arming slots are taken).
//!
//! The supervisor thread (one per process, started with the first arming) arms again
//! after a reconnect the SDK did not repair itself and, with a watchdog, after a silence.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use super::AlarmChannelEvent;
use super::capture::Capture;
use super::route::{self, MAX_USER_IDS, Router, Sub};
use super::state::{CHANNEL_EVENT_SPINS, LinkState, Rearm};
use crate::error::{Error, ErrorKind, Result};
use crate::ffi::{self, resolve};
use crate::session::{Session, SessionHandle};
use crate::sync::lock;

/// `NET_DVR_NOSUPPORT`: what `SetupAlarmChan_V50` answers where only V41 works.
const NOSUPPORT: u32 = 23;

/// How often the supervisor looks at the armings.
const TICK: Duration = Duration::from_millis(250);
/// How long after a failed re-arm the next try waits (without a watchdog).
const RETRY: Duration = Duration::from_secs(10);

/// The options of an arming (the first handle's; later handles share it).
#[derive(Debug, Clone)]
pub(crate) struct ArmOptions {
    pub(crate) level: u8,
    pub(crate) v40_messages: bool,
    pub(crate) watchdog: Option<Duration>,
}

/// Which call armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetupVersion {
    V50,
    V41,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The last handle went.
    Owner,
    /// The session logged out.
    Logout,
}

pub(crate) struct ArmingInner {
    session: Session,
    opts: ArmOptions,
    link: Arc<LinkState>,
    state: Mutex<ArmState>,
    /// `state.stopped.is_some()`, readable without waiting for a re-arm in progress.
    stopped: AtomicBool,
}

struct ArmState {
    handle: i32,
    version: SetupVersion,
    stopped: Option<StopReason>,
    subs: Vec<Arc<Sub>>,
    registration: Option<u64>,
    retry_at: Option<Instant>,
}

/// Every arming made, to share them and for the supervisor (weak: the handles own them).
/// Held only briefly: never across an SDK call.
static ARMINGS: Mutex<Vec<Weak<ArmingInner>>> = Mutex::new(Vec::new());

/// One arming decision at a time per user ID (find, or arm), so that two handles started
/// at once on one session share one arming, while sessions arm in parallel.
static ARM_LOCKS: [Mutex<()>; MAX_USER_IDS] = [const { Mutex::new(()) }; MAX_USER_IDS];

/// Add a subscriber to the session's arming, arming the device if there is none.
pub(crate) fn subscribe(
    session: &Session,
    opts: &ArmOptions,
    sub: &Arc<Sub>,
) -> Result<Arc<ArmingInner>> {
    let _one_at_a_time = usize::try_from(session.user_id())
        .ok()
        .and_then(|i| ARM_LOCKS.get(i))
        .map(lock);
    let existing = {
        let mut armings = lock(&ARMINGS);
        armings.retain(|w| w.upgrade().is_some_and(|a| !a.is_stopped()));
        armings
            .iter()
            .filter_map(Weak::upgrade)
            .find(|a| a.session.same_login(session))
    };
    if let Some(a) = existing
        && a.add(sub)
    {
        return Ok(a);
    }
    let a = ArmingInner::arm(session, opts.clone(), sub)?;
    lock(&ARMINGS).push(Arc::downgrade(&a));
    start_supervisor();
    Ok(a)
}

/// The armings alive now (for the supervisor and tests).
fn live_armings() -> Vec<Arc<ArmingInner>> {
    lock(&ARMINGS).iter().filter_map(Weak::upgrade).collect()
}

impl ArmingInner {
    fn arm(session: &Session, opts: ArmOptions, sub: &Arc<Sub>) -> Result<Arc<Self>> {
        let live = session.live()?;
        let user_id = live.user_id();
        let inner = Arc::new(Self {
            session: session.clone(),
            opts,
            link: Arc::new(LinkState::default()),
            state: Mutex::new(ArmState {
                handle: -1,
                version: SetupVersion::V50,
                stopped: None,
                subs: vec![Arc::clone(sub)],
                registration: None,
                retry_at: None,
            }),
            stopped: AtomicBool::new(false),
        });
        // Route before arming, so that the first alarms find their queue.
        route::publish(user_id, Some(inner.router(&[Arc::clone(sub)])));
        match setup(session, user_id, &inner.opts) {
            Ok((handle, version)) => {
                let mut st = lock(&inner.state);
                st.handle = handle;
                st.version = version;
            }
            Err(e) => {
                route::publish(user_id, None);
                return Err(e);
            }
        }
        inner.link.heard();
        let weak: Weak<dyn SessionHandle> = Arc::downgrade(&inner) as Weak<ArmingInner>;
        match session.register(weak) {
            Some(id) => {
                let mut st = lock(&inner.state);
                if st.stopped.is_none() {
                    st.registration = Some(id);
                }
            }
            None => {
                drop(live);
                let _ = inner.stop(StopReason::Logout);
                return Err(Error::logged_out("the alarm arming", session.context()));
            }
        }
        Ok(inner)
    }

    fn router(&self, subs: &[Arc<Sub>]) -> Router {
        Router {
            subs: subs.iter().cloned().collect(),
            link: Arc::clone(&self.link),
        }
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    pub(crate) fn session(&self) -> &Session {
        &self.session
    }

    /// The SDK's alarm handle and the call that made it (`None` once stopped).
    pub(crate) fn handle(&self) -> Option<(i32, SetupVersion)> {
        let st = lock(&self.state);
        st.stopped.is_none().then_some((st.handle, st.version))
    }

    pub(crate) fn is_online(&self) -> bool {
        self.link.is_online()
    }

    pub(crate) fn subscribers(&self) -> usize {
        lock(&self.state).subs.len()
    }

    /// Add a subscriber; `false` if the arming stopped meanwhile.
    fn add(&self, sub: &Arc<Sub>) -> bool {
        let mut st = lock(&self.state);
        if st.stopped.is_some() {
            return false;
        }
        st.subs.push(Arc::clone(sub));
        route::publish(self.session.user_id(), Some(self.router(&st.subs)));
        true
    }

    /// A handle went: drop its subscriber, and disarm with the last one.
    pub(crate) fn remove(&self, sub: &Arc<Sub>) -> Result<()> {
        let mut st = lock(&self.state);
        let before = st.subs.len();
        st.subs.retain(|s| !Arc::ptr_eq(s, sub));
        sub.close();
        if st.subs.len() == before {
            return Ok(());
        }
        if st.stopped.is_some() {
            return Ok(());
        }
        if st.subs.is_empty() {
            return self.stop_locked(&mut st, StopReason::Owner);
        }
        route::publish(self.session.user_id(), Some(self.router(&st.subs)));
        Ok(())
    }

    fn stop(&self, reason: StopReason) -> Result<()> {
        let mut st = lock(&self.state);
        if st.stopped.is_some() {
            return Ok(());
        }
        self.stop_locked(&mut st, reason)
    }

    /// `CloseAlarmChan_V30`, once; then unroute, close every queue, leave the session.
    fn stop_locked(&self, st: &mut ArmState, reason: StopReason) -> Result<()> {
        st.stopped = Some(reason);
        self.stopped.store(true, Ordering::Release);
        let result = close(&self.session, st.handle);
        if reason == StopReason::Logout {
            push_event(&st.subs, AlarmChannelEvent::StoppedByLogout);
        }
        route::publish(self.session.user_id(), None);
        for s in &st.subs {
            s.close();
        }
        if let Some(id) = st.registration.take() {
            self.session.unregister(id);
        }
        tracing::info!(
            user_id = self.session.user_id(),
            handle = st.handle,
            ?reason,
            "alarms disarmed"
        );
        result
    }

    /// One supervisor look: arm again if the link or the watchdog asks.
    fn tick(&self) {
        let why = match self.link.take_rearm() {
            Some(why) => Some(why),
            None => self
                .opts
                .watchdog
                .filter(|w| self.link.is_online() && self.link.silence() >= *w)
                .map(|_| Rearm::Watchdog),
        };
        if let Some(why) = why {
            self.rearm(why);
        }
    }

    fn rearm(&self, why: Rearm) {
        let mut st = lock(&self.state);
        if st.stopped.is_some() || st.retry_at.is_some_and(|t| Instant::now() < t) {
            if st.stopped.is_none() && why == Rearm::Reconnect {
                self.link.want_rearm(why);
            }
            return;
        }
        let Ok(live) = self.session.live() else {
            return;
        };
        let _ = close(&self.session, st.handle);
        let event = match setup(&self.session, live.user_id(), &self.opts) {
            Ok((handle, version)) => {
                (st.handle, st.version, st.retry_at) = (handle, version, None);
                self.link.rearmed();
                match why {
                    Rearm::Reconnect => AlarmChannelEvent::RearmedAfterReconnect,
                    Rearm::Watchdog => AlarmChannelEvent::RearmedByWatchdog,
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, ?why, "arming again failed");
                // The watchdog waits another period; a reconnect re-arm retries later.
                self.link.heard();
                st.handle = -1;
                st.retry_at = Some(Instant::now() + RETRY);
                if why == Rearm::Reconnect {
                    self.link.want_rearm(why);
                }
                AlarmChannelEvent::RearmFailed
            }
        };
        push_event(&st.subs, event);
    }
}

impl SessionHandle for ArmingInner {
    fn session_closing(&self) {
        // Failures are logged by the call layer.
        let _ = self.stop(StopReason::Logout);
    }
}

/// Queue a channel event in every subscriber (off the SDK's thread: may spin briefly for
/// a producer busy with a message).
fn push_event(subs: &[Arc<Sub>], event: AlarmChannelEvent) {
    let c = Capture::channel_event(event);
    for s in subs {
        s.with_producer(CHANNEL_EVENT_SPINS, |p| {
            p.push(0, crate::preview::ring::Grow::WhenShort, |buf| c.write(buf));
        });
    }
}

/// Arm: `SetupAlarmChan_V50`, or V41 where V50 is missing or refused with 23.
fn setup(session: &Session, user_id: i32, opts: &ArmOptions) -> Result<(i32, SetupVersion)> {
    let lib = session.sdk().lib();
    let ctx = session.context();
    // SAFETY: plain C data; all zeros is a valid value of every field.
    let mut p50: sys::NET_DVR_SETUPALARM_PARAM_V50 = unsafe { std::mem::zeroed() };
    p50.dwSize = size_of::<sys::NET_DVR_SETUPALARM_PARAM_V50>() as u32;
    p50.byLevel = opts.level;
    p50.byRetAlarmTypeV40 = u8::from(opts.v40_messages);
    // SAFETY: a valid struct that lives across the call; no subscription XML (NULL, 0).
    let v50 = resolve!(lib, NET_DVR_SetupAlarmChan_V50).handle(&ctx, |f| unsafe {
        f(user_id, &raw mut p50, std::ptr::null_mut(), 0)
    });
    match v50 {
        Ok(h) => return Ok((h, SetupVersion::V50)),
        Err(e) if refused_v50(&e) => {
            tracing::debug!(error = %e, "SetupAlarmChan_V50 refused; trying V41");
        }
        Err(e) => return Err(e),
    }
    // SAFETY: as above.
    let mut p41: sys::NET_DVR_SETUPALARM_PARAM = unsafe { std::mem::zeroed() };
    p41.dwSize = size_of::<sys::NET_DVR_SETUPALARM_PARAM>() as u32;
    p41.byLevel = opts.level;
    p41.byRetAlarmTypeV40 = u8::from(opts.v40_messages);
    // SAFETY: a valid struct that lives across the call.
    resolve!(lib, NET_DVR_SetupAlarmChan_V41)
        .handle(&ctx, |f| unsafe { f(user_id, &raw mut p41) })
        .map(|h| (h, SetupVersion::V41))
}

/// V50 is not there (an old SDK) or the device does not support it (23).
fn refused_v50(e: &Error) -> bool {
    e.raw_code() == Some(NOSUPPORT) || matches!(e.kind(), ErrorKind::MissingSymbol(_))
}

/// `CloseAlarmChan_V30` of a handle (nothing for -1).
fn close(session: &Session, handle: i32) -> Result<()> {
    if handle < 0 {
        return Ok(());
    }
    let ctx = session.context().with_handle(handle);
    // SAFETY: a LONG by value; the handle came from a successful setup and is closed once
    // (callers hold the state lock and replace or retire it).
    resolve!(session.sdk().lib(), NET_DVR_CloseAlarmChan_V30)
        .bool(&ctx, |f| unsafe { f(handle) })
        .inspect_err(|e| tracing::debug!(error = %e, device = %ffi::DeviceDisplay(&ctx), "CloseAlarmChan_V30 failed"))
}

/// Start the supervisor thread once.
fn start_supervisor() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("hcnetsdk-alarms".to_owned())
            .spawn(|| {
                loop {
                    std::thread::sleep(TICK);
                    for a in live_armings() {
                        let _ = crate::ffi::call::catch_panic("alarm supervisor", || a.tick());
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the alarm supervisor; no re-arming after reconnects or silences");
        }
    });
}
