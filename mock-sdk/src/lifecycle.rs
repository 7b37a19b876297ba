//! What happens across modules when something starts or ends: Init and Cleanup, Logout, a
//! device going offline, a session dropping and coming back.
//!
//! The data stores ([`registry`] for devices and sessions, [`preview`] for previews,
//! [`settings`]) do not call each other; the cascades live here: ending a session stops its
//! previews, the last Cleanup ends every session, a device going offline drops its sessions,
//! a dropped session drops its previews and is brought back by a mock thread.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::errors::{self, NOINIT};
use crate::events::{self, EXCEPTION_EXCHANGE, RESUME_EXCHANGE};
use crate::ffi::{Fail, Res};
use crate::registry::{self, Device, Session, Slot};
use crate::sync::lock;
use crate::{log, playback, preview, settings};

static INIT_COUNT: Mutex<u32> = Mutex::new(0);
static INIT_COUNT_READ: AtomicU32 = AtomicU32::new(0);

/// The Init reference count.
pub(crate) fn init_count() -> u32 {
    INIT_COUNT_READ.load(Ordering::SeqCst)
}

/// `NET_DVR_Init`: count up; the first one starts a new last-error epoch and loads the
/// scenario (a broken scenario file makes Init fail with 17 and a message on stderr).
pub(crate) fn init() -> Res<()> {
    let mut n = lock(&INIT_COUNT);
    if *n == 0 {
        if let Err(e) = registry::ensure_devices() {
            // Not `eprintln!`: it panics when stderr cannot be written.
            let _ = writeln!(std::io::stderr(), "hcnetsdk-mock: {e}");
            return Err(Fail::Code(errors::PARAMETER_ERROR));
        }
        errors::begin_epoch();
        log::line(
            "INF",
            &format!("hcnetsdk-mock {} initialised", env!("CARGO_PKG_VERSION")),
        );
    }
    *n += 1;
    INIT_COUNT_READ.store(*n, Ordering::SeqCst);
    Ok(())
}

/// `NET_DVR_Cleanup`: count down; the last one stops every preview, logs every session out
/// and returns the last error to the process-wide slot (reading 0). A Cleanup without Init
/// fails with 3.
pub(crate) fn cleanup() -> Res<()> {
    let mut n = lock(&INIT_COUNT);
    if *n == 0 {
        return Err(Fail::Code(NOINIT));
    }
    if *n == 1 {
        teardown();
        log::line("INF", "hcnetsdk-mock cleaned up");
        log::close();
        *n = 0;
        INIT_COUNT_READ.store(0, Ordering::SeqCst);
        errors::end_epoch();
        // Success must not touch the (now process-wide) slot: the caller wraps with ANYTIME,
        // which clears it; end_epoch already left 0 there.
        return Ok(());
    }
    *n -= 1;
    INIT_COUNT_READ.store(*n, Ordering::SeqCst);
    Ok(())
}

/// Last Cleanup: stop every preview, disarm and forget the message callbacks, log every
/// session out, close every listener.
fn teardown() {
    crate::exports::stop_all_listeners();
    crate::alarms::disarm_all();
    for p in preview::previews_where(|_| true) {
        preview::stop_and_remove(&p);
    }
    playback::stop_for(None);
    for s in registry::take_all_users() {
        match s {
            Slot::Active(s) => end_session(&s),
            Slot::Pending(p) => p.wait(),
            Slot::Failed => {}
        }
    }
    // An async login that finished while we waited re-inserted its slot: drop those too.
    for s in registry::take_all_users() {
        if let Slot::Active(s) = s {
            end_session(&s);
        }
    }
}

/// `NET_DVR_Logout`: free the user ID and stop the session's previews (see
/// [`registry::take_user`] for IDs that are free or still logging in).
pub(crate) fn logout(id: i32) -> Res<()> {
    if let Some(s) = registry::take_user(id)? {
        end_session(&s);
    }
    Ok(())
}

/// A session ended (Logout or the last Cleanup): stop its previews, searches, downloads and
/// playbacks, disarm it, count what was still open (`closed_at_logout`) and count it off
/// its device.
fn end_session(s: &Arc<Session>) {
    log::line(
        "INF",
        &format!(
            "logout {} (user ID {}) from {}",
            s.user,
            s.id,
            s.device.spec().address
        ),
    );
    let previews = preview::previews_where(|p| p.user_id == s.id);
    for p in &previews {
        preview::stop_and_remove(p);
    }
    let downloads = crate::recordings::end_session(s.id);
    let playbacks = playback::stop_for(Some(s.id));
    let armings = crate::alarms::disarm_user(s.id);
    s.device.rt().closed_at_logout += (previews.len() + downloads + playbacks + armings) as u64;
    registry::release_session(s);
}

/// Set a device's online flag; going offline disconnects its sessions and previews.
pub(crate) fn set_online(device: &Arc<Device>, online: bool) {
    let was = registry::set_online(device, online);
    if was && !online {
        for s in registry::sessions_of(device) {
            disconnect_session(&s);
        }
    }
}

/// Drop a session's link to its device: EXCEPTION_EXCHANGE, and its previews drop too. A mock
/// thread then brings it back (RESUME_EXCHANGE) once the device is online, while reconnect is
/// on (`SetReconnect`; turning it on later resumes a session dropped while it was off). The
/// thread ends when the session is logged out.
pub(crate) fn disconnect_session(s: &Arc<Session>) {
    if s.disconnected.swap(true, Ordering::SeqCst) {
        return;
    }
    events::emit(EXCEPTION_EXCHANGE, s.id, -1);
    for p in preview::previews_where(|p| p.user_id == s.id) {
        preview::disconnect(&p);
    }
    playback::drop_links(s.id);
    let s = s.clone();
    let _ = std::thread::Builder::new()
        .name("hcnetsdk-mock-relogin".into())
        .spawn(move || resume_session(&s));
}

/// The body of a dropped session's reconnect thread.
fn resume_session(s: &Arc<Session>) {
    let alive = || registry::user(s.id).is_ok_and(|x| Arc::ptr_eq(&x, s));
    loop {
        let cfg = settings::get();
        let interval = Duration::from_millis(u64::from(cfg.reconnect_interval_ms.max(10)));
        if !sleep_while(interval, alive) {
            return;
        }
        if !settings::get().reconnect_enabled {
            continue;
        }
        if s.device.is_up() {
            s.disconnected.store(false, Ordering::SeqCst);
            events::emit(RESUME_EXCHANGE, s.id, -1);
            return;
        }
    }
}

/// Sleep up to `total`, waking early (false) when `still_wanted` turns false.
fn sleep_while(total: Duration, still_wanted: impl Fn() -> bool) -> bool {
    let end = Instant::now() + total;
    loop {
        if !still_wanted() {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}
