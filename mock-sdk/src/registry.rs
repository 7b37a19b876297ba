//! Process-wide tables: simulated devices and logged-in sessions (user IDs). A data store:
//! what happens to a session's previews when it ends or its device goes offline is the
//! lifecycle module's business, and previews have their own table.
//!
//! Lock order: the tables lock, then a device's `rt` or its model state (never both), then
//! a preview's or PTZ state. No lock is held while a client callback runs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::errors::{MAX_NUM, NETWORK_FAIL_CONNECT, PARAMETER_ERROR, USERNOTEXIST};
use crate::ffi::{Fail, Res};
use crate::scenario::{DeviceSpec, Pacing, Role, Scenario};
use crate::sync::{lock, wait};
use crate::{faults, ffi};

/// User IDs run from 0 to this (the real SDK's `NET_DVR_SDKABL.dwMaxLoginNum`); IDs outside
/// the range give 17, free IDs inside it 47, as measured.
pub(crate) const MAX_USERS: i32 = 2048;

/// A simulated device: the shared model (`hcnetsdk_device::Device`, reached through
/// `Deref`: its scenario entry, online flag, login counters, sessions, links, name and PTZ
/// heads) and what only the mock keeps about it.
#[derive(Debug)]
pub(crate) struct Device {
    pub model: hcnetsdk_device::Device,
    pub rt: Mutex<DeviceRt>,
}

/// What the mock alone keeps about a device.
#[derive(Debug, Default)]
pub(crate) struct DeviceRt {
    /// The device was removed or replaced at run time: it answers nothing any more.
    pub removed: bool,
    /// What the latest login request aimed at this device sent (`MOCK_GetDeviceValue`).
    pub last_login: Option<LoginRecord>,
    /// `NET_DVR_JPEGPARA` of the latest snapshot call on a session of this device:
    /// (`wPicQuality`, `wPicSize`), as sent.
    pub last_jpeg: Option<(u16, u16)>,
    /// Previews, playbacks, downloads and armings that a session of this device still had
    /// open at its `NET_DVR_Logout`, which the mock then closed itself: a client that stops
    /// its handles before logging out leaves this at 0.
    pub closed_at_logout: u64,
}

/// The fields of a login request that tests check, exactly as the client sent them
/// (`NET_DVR_Login_V30` has none of them: it records mode 0, https 0, async 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoginRecord {
    /// `byLoginMode`.
    pub mode: u8,
    /// `byHttps`.
    pub https: u8,
    /// `wPort`.
    pub port: u16,
    /// `bUseAsynLogin`.
    pub asyn: i32,
}

impl std::ops::Deref for Device {
    type Target = hcnetsdk_device::Device;
    fn deref(&self) -> &hcnetsdk_device::Device {
        &self.model
    }
}

impl Device {
    fn new(spec: DeviceSpec, default_pacing: Pacing) -> Arc<Device> {
        Arc::new(Device {
            model: hcnetsdk_device::Device::new(spec, default_pacing),
            rt: Mutex::new(DeviceRt::default()),
        })
    }

    pub(crate) fn rt(&self) -> MutexGuard<'_, DeviceRt> {
        lock(&self.rt)
    }

    /// Online and not removed.
    pub(crate) fn is_up(&self) -> bool {
        self.online() && !self.rt().removed
    }

    /// Scoped faults for the current export, then the device must be reachable (else 7).
    /// Counts the call on this device if resolving its user ID or handle did not already.
    pub(crate) fn reach(&self) -> Res<()> {
        ffi::note_device(&self.spec().address);
        faults::apply(ffi::current_function(), Some(&self.spec().address))?;
        if self.is_up() {
            Ok(())
        } else {
            Err(Fail::Code(NETWORK_FAIL_CONNECT))
        }
    }
}

/// A logged-in user.
#[derive(Debug)]
pub(crate) struct Session {
    pub id: i32,
    pub device: Arc<Device>,
    pub user: String,
    pub role: Role,
    /// Logged in with ISAPI (`byLoginMode` 1; see `login::Granted::isapi`).
    pub isapi: bool,
    /// Set while an injected or offline disconnect is being reconnected.
    pub disconnected: AtomicBool,
}

/// An async login that has not finished yet.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    done: Mutex<bool>,
    cv: Condvar,
}

impl Pending {
    pub(crate) fn finish(&self) {
        *lock(&self.done) = true;
        self.cv.notify_all();
    }
    pub(crate) fn wait(&self) {
        let mut d = lock(&self.done);
        while !*d {
            d = wait(&self.cv, d);
        }
    }
}

/// What a user ID holds.
#[derive(Debug, Clone)]
pub(crate) enum Slot {
    Pending(Arc<Pending>),
    Active(Arc<Session>),
    /// An async login that failed: the ID stays taken until Logout, as in the real SDK.
    Failed,
}

#[derive(Debug, Default)]
struct Tables {
    users: BTreeMap<i32, Slot>,
}

#[derive(Debug, Default)]
struct DeviceSet {
    loaded: bool,
    pacing: Pacing,
    allow_external: bool,
    list: Vec<Arc<Device>>,
    error: Option<String>,
}

/// User IDs that some login attempt has occupied (the real SDK takes the lowest free ID for
/// every attempt that gets past its parameter checks, even one that then fails). As
/// measured, Logout of a free ID that was never occupied blocks for 5 s and fails without
/// setting any error; of one occupied before, it fails at once with 47.
static EVER_USED: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());
/// How long Logout of a never-used ID blocks.
const LOGOUT_UNUSED_WAIT: Duration = Duration::from_millis(5000);

/// Record that a login got past its parameter checks (it occupies the lowest free ID).
pub(crate) fn note_login_attempt() {
    let id = lowest_free(&tables().users, MAX_USERS);
    if let Some(id) = id {
        mark_used(id);
    }
}

fn mark_used(id: i32) {
    lock(&EVER_USED).insert(id);
}

fn ever_used(id: i32) -> bool {
    lock(&EVER_USED).contains(&id)
}

static TABLES: Mutex<Tables> = Mutex::new(Tables {
    users: BTreeMap::new(),
});
static DEVICES: Mutex<DeviceSet> = Mutex::new(DeviceSet {
    loaded: false,
    pacing: Pacing::Realtime,
    allow_external: false,
    list: Vec::new(),
    error: None,
});

fn tables() -> MutexGuard<'static, Tables> {
    lock(&TABLES)
}
fn devices() -> MutexGuard<'static, DeviceSet> {
    lock(&DEVICES)
}

/// The lowest key from 0 that `map` does not hold, if it is below `max`.
pub(crate) fn lowest_free<V>(map: &BTreeMap<i32, V>, max: i32) -> Option<i32> {
    let mut want = 0;
    for k in map.keys() {
        if *k != want {
            break;
        }
        want += 1;
    }
    (want < max).then_some(want)
}

// ---- devices ------------------------------------------------------------------------

/// Load the scenario once (at the first Init, or the first MOCK_ call that needs devices).
pub(crate) fn ensure_devices() -> Result<(), String> {
    let mut d = devices();
    if d.loaded {
        return Ok(());
    }
    match load_scenario() {
        Ok(s) => {
            d.pacing = s.pacing;
            d.allow_external = s.allow_external;
            // The scenario's clock pins every device's recording timeline (parse checked it).
            let clock = s
                .clock()
                .unwrap_or(hcnetsdk_device::recordings::Clock::Wall);
            d.list = s
                .devices
                .into_iter()
                .map(|spec| {
                    let dev = Device::new(spec, s.pacing);
                    dev.recordings().set_clock(clock);
                    dev
                })
                .collect();
            d.loaded = true;
            d.error = None;
            Ok(())
        }
        Err(e) => {
            d.error = Some(e.clone());
            Err(e)
        }
    }
}

/// The scenario named by `HCNETSDK_MOCK_SCENARIO`, or the built-in one.
fn load_scenario() -> Result<Scenario, String> {
    match std::env::var_os("HCNETSDK_MOCK_SCENARIO").filter(|v| !v.is_empty()) {
        Some(path) => {
            let shown = path.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("HCNETSDK_MOCK_SCENARIO={shown}: {e}"))?;
            Scenario::parse(&text).map_err(|e| format!("HCNETSDK_MOCK_SCENARIO={shown}: {e}"))
        }
        None => Scenario::parse(hcnetsdk_device::DEFAULT_SCENARIO)
            .map_err(|e| format!("built-in scenario: {e}")),
    }
}

/// The scenario's load error, if it failed.
pub(crate) fn scenario_error() -> Option<String> {
    devices().error.clone()
}

/// Whether unknown non-loopback addresses may get real connections.
pub(crate) fn allow_external() -> bool {
    devices().allow_external
}

/// The device at `address:port`.
pub(crate) fn find_device(address: &str, port: u16) -> Option<Arc<Device>> {
    let _ = ensure_devices();
    devices()
        .list
        .iter()
        .find(|d| d.spec().address == address && d.spec().port == port)
        .cloned()
}

/// Devices at `address` (any port when `port` is 0); `address` may also be a device's
/// scenario `label`.
pub(crate) fn devices_at(address: &str, port: u16) -> Vec<Arc<Device>> {
    let _ = ensure_devices();
    devices()
        .list
        .iter()
        .filter(|d| {
            (d.spec().address == address
                || (!d.spec().label.is_empty() && d.spec().label == address))
                && (port == 0 || d.spec().port == port)
        })
        .cloned()
        .collect()
}

/// Add a device at run time; an existing device at the same address and port is replaced
/// (its sessions keep the old one until they log out).
pub(crate) fn add_device(spec: DeviceSpec) -> Result<(), String> {
    ensure_devices()?;
    let mut d = devices();
    let pacing = d.pacing;
    let old: Vec<Arc<Device>> = d
        .list
        .iter()
        .filter(|x| x.spec().address == spec.address && x.spec().port == spec.port)
        .cloned()
        .collect();
    for o in &old {
        o.rt().removed = true;
    }
    d.list
        .retain(|x| !(x.spec().address == spec.address && x.spec().port == spec.port));
    d.list.push(Device::new(spec, pacing));
    Ok(())
}

/// Remove devices at `address` (any port when `port` is 0); returns how many.
pub(crate) fn remove_device(address: &str, port: u16) -> usize {
    let mut d = devices();
    let before = d.list.len();
    d.list.retain(|x| {
        let hit = x.spec().address == address && (port == 0 || x.spec().port == port);
        if hit {
            x.rt().removed = true;
        }
        !hit
    });
    before - d.list.len()
}

// ---- sessions -----------------------------------------------------------------------

/// Take a user ID for an async login that is still running.
pub(crate) fn reserve_pending() -> Result<(i32, Arc<Pending>), u32> {
    let mut t = tables();
    let id = lowest_free(&t.users, MAX_USERS).ok_or(MAX_NUM)?;
    mark_used(id);
    let p = Arc::new(Pending::default());
    t.users.insert(id, Slot::Pending(p.clone()));
    Ok((id, p))
}

/// Turn a pending ID into an active session, or a failed one.
pub(crate) fn complete_pending(id: i32, session: Option<Arc<Session>>) {
    let mut t = tables();
    t.users
        .insert(id, session.map_or(Slot::Failed, Slot::Active));
}

/// Register a new session (sync login); `make` gets the ID.
pub(crate) fn insert_session(make: impl FnOnce(i32) -> Session) -> Result<Arc<Session>, u32> {
    let mut t = tables();
    let id = lowest_free(&t.users, MAX_USERS).ok_or(MAX_NUM)?;
    mark_used(id);
    let s = Arc::new(make(id));
    t.users.insert(id, Slot::Active(s.clone()));
    Ok(s)
}

fn check_user_range(id: i32) -> Res<()> {
    if (0..MAX_USERS).contains(&id) {
        Ok(())
    } else {
        Err(Fail::Code(PARAMETER_ERROR))
    }
}

/// The active session behind a user ID: 17 out of range, 47 when not logged in. A found
/// session counts the running export's call on its device.
pub(crate) fn user(id: i32) -> Res<Arc<Session>> {
    check_user_range(id)?;
    let s = match tables().users.get(&id) {
        Some(Slot::Active(s)) => s.clone(),
        _ => return Err(Fail::Code(USERNOTEXIST)),
    };
    ffi::note_device(&s.device.spec().address);
    Ok(s)
}

/// Take a user ID out of the table for Logout: the session it held (`None` for a failed
/// async login). A pending async login is waited for first (the real SDK's Logout blocks
/// until the login attempt ends). The caller ends the session.
pub(crate) fn take_user(id: i32) -> Res<Option<Arc<Session>>> {
    check_user_range(id)?;
    let slot = tables().users.get(&id).cloned();
    match slot {
        None if !ever_used(id) => {
            std::thread::sleep(LOGOUT_UNUSED_WAIT);
            return Err(Fail::Silent);
        }
        None => return Err(Fail::Code(USERNOTEXIST)),
        Some(Slot::Pending(p)) => p.wait(),
        Some(_) => {}
    }
    let slot = tables().users.remove(&id);
    match slot {
        Some(Slot::Active(s)) => {
            ffi::note_device(&s.device.spec().address);
            Ok(Some(s))
        }
        Some(Slot::Failed) => Ok(None),
        Some(Slot::Pending(_)) | None => Err(Fail::Code(USERNOTEXIST)),
    }
}

/// Take every user ID out of the table (last Cleanup), in ID order.
pub(crate) fn take_all_users() -> Vec<Slot> {
    std::mem::take(&mut tables().users).into_values().collect()
}

/// Count a session's end on its device.
pub(crate) fn release_session(s: &Session) {
    s.device.end_session();
}

/// Active sessions on `device`.
pub(crate) fn sessions_of(device: &Arc<Device>) -> Vec<Arc<Session>> {
    tables()
        .users
        .values()
        .filter_map(|s| match s {
            Slot::Active(s) if Arc::ptr_eq(&s.device, device) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Number of active sessions (for NET_DVR_GetSDKState).
pub(crate) fn session_count() -> u32 {
    let t = tables();
    t.users
        .values()
        .filter(|s| matches!(s, Slot::Active(_)))
        .count() as u32
}

// ---- whole-SDK ----------------------------------------------------------------------

/// Set a device's online flag; returns the previous one. (The lifecycle module drops its
/// sessions when it goes offline.)
pub(crate) fn set_online(device: &Device, online: bool) -> bool {
    device.model.set_online(online)
}

/// Reset device state (online, locks, PTZ, the recorded login and snapshot requests) of
/// every device to the scenario's.
pub(crate) fn reset_device_state() {
    let list = devices().list.clone();
    for d in list {
        d.model.reset();
        let mut rt = d.rt();
        rt.last_login = None;
        rt.last_jpeg = None;
        rt.closed_at_logout = 0;
    }
}
