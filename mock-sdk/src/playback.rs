//! Playback: `NET_DVR_PlayBackByTime_V40` / `NET_DVR_PlayBackByName`, the table of playback
//! handles, their controls (`NET_DVR_PlayBackControl_V40`), position and stop.
//!
//! A playback streams the device model's recording ([`Recordings::download_by_time`] /
//! [`Recordings::download_by_name`]: the camera-shaped PS of the live clip, time-stamped at
//! the recording's times) to the data callback of `NET_DVR_SetPlayDataCallBack_V40`: first
//! the 40-byte IMKH header (`NET_DVR_SYSHEAD`, type 1), then one `NET_DVR_STREAMDATA` (type
//! 2) callback per PES packet, as live preview does. Nothing flows before
//! `NET_DVR_PLAYSTART`, while paused, or while no data callback is set.
//!
//! Pacing (the [`worker`]): each chunk is due when its media time is, from an anchor taken
//! at the start, after a resume, a seek or a speed change, divided by the speed (`PLAYFAST`
//! doubles it, up to 16x; `PLAYSLOW` halves it, down to 1/16x). A device with
//! `pacing = "fast"` sends as fast as the callback returns, whatever the speed.
//!
//! The end (see README "Playback"): the position turns 100 and one last data callback
//! comes with `NET_DVR_PLAYBACK_ALLFILEEND` (type 12), a NULL buffer and size 0. A dropped
//! link (the session or the device drops) turns the position 200 and emits
//! `EXCEPTION_PLAYBACK`, with no last data callback.
//!
//! Stopping follows the preview's rules (`crate::preview`): after `NET_DVR_StopPlayBack`
//! returns no callback starts; called from the playback's own data callback it returns at
//! once and the running callback is the last one.
//!
//! Handles: the mock numbers playbacks from [`FIRST_HANDLE`], so that they never collide
//! with the download handles (`NET_DVR_GetFileByTime_V40`), which share
//! `NET_DVR_PlayBackControl_V40` (our choice; the real SDK's numbering was not measured).

mod worker;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::{JoinHandle, ThreadId};
use std::time::Instant;

use hcnetsdk_device::recordings::spec::local_secs;
use hcnetsdk_device::recordings::{Chunk, MediaStream, RecError, Transfer};
use hcnetsdk_sys as sys;
use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::errors::{CHANNEL_ERROR, MAX_NUM, NOSUPPORT, PARAMETER_ERROR, PROGRAM_EXCEPTION};
use crate::events::{self, EXCEPTION_PLAYBACK};
use crate::ffi::{self, Fail, Res};
use crate::preview::DataCb;
use crate::registry::Session;
use crate::scenario::Pacing;
use crate::sync::{lock, wait};

/// The first playback handle.
pub(crate) const FIRST_HANDLE: i32 = 1 << 16;
/// Playbacks at once (`dwMaxPlayBackNum`).
const MAX_PLAYBACKS: i32 = 4096;
/// `NET_DVR_NOSPECFILE`: no recording where the playback asks.
const NOSPECFILE: u32 = 33;
/// Speed steps each way from normal (2^4 = 16x).
const MAX_STEPS: i32 = 4;

/// How a playback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Running,
    /// Every chunk delivered: position 100.
    Complete,
    /// The link dropped: position 200.
    Dropped,
}

#[derive(Debug)]
struct Ctl {
    stop: bool,
    exited: bool,
    cb: DataCb,
    started: bool,
    paused: bool,
    /// Speed steps: 2^speed.
    speed: i32,
    audio: bool,
    stream: MediaStream,
    /// The next chunk, taken from the stream and waiting for its time.
    pending: Option<Chunk>,
    /// The header went out (a seek does not send it again).
    header_sent: bool,
    end: End,
    /// The end marker (type 12) is still to be delivered.
    final_pending: bool,
    /// Media time of the last chunk delivered.
    at: Option<Timestamp>,
    /// Pacing anchor: this instant plays this media time.
    anchor: Option<(Instant, Timestamp)>,
}

/// One playback handle.
#[derive(Debug)]
pub(crate) struct Playback {
    pub handle: i32,
    pub user_id: i32,
    pub session: Arc<Session>,
    channel: i32,
    /// The range played (device-local), and as unix seconds.
    from: DateTime,
    to: DateTime,
    secs: (i64, i64),
    fast: bool,
    ctl: Mutex<Ctl>,
    cv: Condvar,
    worker: Mutex<Option<JoinHandle<()>>>,
    worker_id: OnceLock<ThreadId>,
    released: AtomicBool,
}

impl Playback {
    fn ctl(&self) -> MutexGuard<'_, Ctl> {
        lock(&self.ctl)
    }

    /// The SDK's position: 0..=99 by media time while running, 100 at the end, 200 after a
    /// drop.
    pub(crate) fn position(&self) -> u32 {
        let c = self.ctl();
        match c.end {
            End::Complete => 100,
            End::Dropped => 200,
            End::Running => {
                let (a, b) = self.secs;
                let t = c.at.map_or(a, |t| t.as_second());
                (((t - a).max(0) * 100) / (b - a).max(1)).clamp(0, 99) as u32
            }
        }
    }
}

/// Where a playback comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Time {
        channel: i32,
        from: DateTime,
        to: DateTime,
    },
    Name(String),
}

/// An SDK time as a device-local civil time; 17 when it is not a time. 24:00:00 is the
/// next day's midnight (the real SDK accepts it: [`check_range`]).
pub(crate) fn civil(t: &sys::NET_DVR_TIME) -> Res<DateTime> {
    let bad = || Fail::Code(PARAMETER_ERROR);
    let f = |v: u32| i8::try_from(v).map_err(|_| bad());
    let year = i16::try_from(t.dwYear).map_err(|_| bad())?;
    let midnight_after = (t.dwHour, t.dwMinute, t.dwSecond) == (24, 0, 0);
    let hour = if midnight_after { 0 } else { f(t.dwHour)? };
    let dt = DateTime::new(
        year,
        f(t.dwMonth)?,
        f(t.dwDay)?,
        hour,
        f(t.dwMinute)?,
        f(t.dwSecond)?,
        0,
    )
    .map_err(|_| bad())?;
    if midnight_after {
        dt.tomorrow().map_err(|_| bad())
    } else {
        Ok(dt)
    }
}

/// Whether an SDK time is a date and time as the real SDK checks it: month 1 to 12, a day
/// of that month (Gregorian leap years), 00:00:00 to 23:59:59 or exactly 24:00:00; any
/// year.
fn valid_time(t: &sys::NET_DVR_TIME) -> bool {
    let y = t.dwYear;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match t.dwMonth {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    let clock = (t.dwHour, t.dwMinute, t.dwSecond);
    (1..=days).contains(&t.dwDay)
        && ((clock.0 < 24 && clock.1 < 60 && clock.2 < 60) || clock == (24, 0, 0))
}

/// `NET_DVR_PlayBackByTime_V40`'s range check, which the real SDK makes before it looks
/// at the user ID (measured in the conformance suite's `playback_start_user_ids`): 17 when
/// either time is not a date and time ([`valid_time`]) or the range ends before it
/// starts (field by field); an empty range passes.
pub(crate) fn check_range(begin: &sys::NET_DVR_TIME, end: &sys::NET_DVR_TIME) -> Res<()> {
    let key = |t: &sys::NET_DVR_TIME| {
        (
            t.dwYear, t.dwMonth, t.dwDay, t.dwHour, t.dwMinute, t.dwSecond,
        )
    };
    if valid_time(begin) && valid_time(end) && key(begin) <= key(end) {
        Ok(())
    } else {
        Err(Fail::Code(PARAMETER_ERROR))
    }
}

/// The longest file name `NET_DVR_PlayBackByName` takes, in bytes (the real SDK refuses
/// 100 and more with 17).
const MAX_NAME: usize = 99;

/// `NET_DVR_PlayBackByName`'s name check, made before the user ID as the real SDK does: 17
/// for an empty name or one over [`MAX_NAME`] bytes.
pub(crate) fn check_name(name: &[u8]) -> Res<()> {
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    Ok(())
}

/// A device-local civil time as the SDK's struct.
pub(crate) fn sdk_time(t: DateTime) -> sys::NET_DVR_TIME {
    let u = |v: i8| u32::try_from(v).unwrap_or(0);
    sys::NET_DVR_TIME {
        dwYear: u32::try_from(t.year()).unwrap_or(0),
        dwMonth: u(t.month()),
        dwDay: u(t.day()),
        dwHour: u(t.hour()),
        dwMinute: u(t.minute()),
        dwSecond: u(t.second()),
    }
}

fn rec_error(e: RecError) -> Fail {
    Fail::Code(match e {
        RecError::UnknownChannel(_) => CHANNEL_ERROR,
        RecError::BadRange => PARAMETER_ERROR,
        RecError::NoSuchFile | RecError::FileMissing => NOSPECFILE,
    })
}

// ---- the table of handles --------------------------------------------------------------

static PLAYBACKS: Mutex<BTreeMap<i32, Arc<Playback>>> = Mutex::new(BTreeMap::new());

/// The playback behind a handle, if one runs. A found playback counts the running export's
/// call on its device.
pub(crate) fn find(handle: i32) -> Option<Arc<Playback>> {
    let p = lock(&PLAYBACKS).get(&handle).cloned()?;
    ffi::note_device(&p.session.device.spec().address);
    Some(p)
}

/// Playbacks matching `f`.
pub(crate) fn playbacks_where(f: impl Fn(&Playback) -> bool) -> Vec<Arc<Playback>> {
    lock(&PLAYBACKS)
        .values()
        .filter(|p| f(p))
        .cloned()
        .collect()
}

fn lowest_free(t: &BTreeMap<i32, Arc<Playback>>) -> Option<i32> {
    (FIRST_HANDLE..FIRST_HANDLE + MAX_PLAYBACKS).find(|h| !t.contains_key(h))
}

// ---- start and stop ------------------------------------------------------------------

/// The stream and range of `source` on the session's device.
fn open(s: &Session, source: &Source) -> Res<(i32, DateTime, DateTime, MediaStream)> {
    let rec = s.device.recordings();
    match source {
        Source::Time { channel, from, to } => {
            s.device.check_channel(*channel)?;
            let stream = rec
                .download_by_time(*channel, *from, *to, Transfer::default())
                .map_err(rec_error)?;
            Ok((*channel, *from, *to, stream))
        }
        Source::Name(name) => {
            let r = rec.find_by_name(name).map_err(rec_error)?;
            let stream = rec
                .download_by_name(name, Transfer::default())
                .map_err(rec_error)?;
            Ok((r.channel, r.start, r.end, stream))
        }
    }
}

/// `NET_DVR_PlayBackByTime_V40` / `NET_DVR_PlayBackByName` after the pointer checks: the
/// device must answer (7), have the channel (4) and a recording there (33), and a free link
/// (5). The worker waits for `NET_DVR_PLAYSTART`.
pub(crate) fn start(session: Arc<Session>, source: Source) -> Res<i32> {
    let dev = session.device.clone();
    dev.reach()?;
    let (channel, from, to, stream) = open(&session, &source)?;
    let tz = dev.recordings().time_zone().clone();
    let secs = (local_secs(from, &tz), local_secs(to, &tz));
    dev.open_link()?;
    let made = {
        let mut t = lock(&PLAYBACKS);
        lowest_free(&t).map(|handle| {
            let p = Arc::new(new_playback(
                handle, session, channel, from, to, secs, stream,
            ));
            t.insert(handle, p.clone());
            p
        })
    };
    let Some(p) = made else {
        dev.close_link();
        return Err(Fail::Code(MAX_NUM));
    };
    let w = p.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("hcnetsdk-mock-playback-{}", p.handle))
        .spawn(move || worker::run(w));
    match spawned {
        Ok(j) => {
            *lock(&p.worker) = Some(j);
            Ok(p.handle)
        }
        Err(_) => {
            stop_and_remove(&p);
            Err(Fail::Code(PROGRAM_EXCEPTION))
        }
    }
}

fn new_playback(
    handle: i32,
    session: Arc<Session>,
    channel: i32,
    from: DateTime,
    to: DateTime,
    secs: (i64, i64),
    stream: MediaStream,
) -> Playback {
    Playback {
        handle,
        user_id: session.id,
        fast: session.device.pacing() == Pacing::Fast,
        session,
        channel,
        from,
        to,
        secs,
        ctl: Mutex::new(Ctl {
            stop: false,
            exited: false,
            cb: DataCb::None,
            started: false,
            paused: false,
            speed: 0,
            audio: false,
            stream,
            pending: None,
            header_sent: false,
            end: End::Running,
            final_pending: false,
            at: None,
            anchor: None,
        }),
        cv: Condvar::new(),
        worker: Mutex::new(None),
        worker_id: OnceLock::new(),
        released: AtomicBool::new(false),
    }
}

/// `NET_DVR_StopPlayBack`: stop (see the module docs for the guarantees) and free the
/// handle.
pub(crate) fn stop_and_remove(p: &Arc<Playback>) {
    lock(&PLAYBACKS).remove(&p.handle);
    p.ctl().stop = true;
    p.cv.notify_all();
    if !p.released.swap(true, Ordering::SeqCst) {
        p.session.device.close_link();
    }
    if p.worker_id.get() == Some(&std::thread::current().id()) {
        return; // called from our own data callback: it is the last one
    }
    let mut c = p.ctl();
    while !c.exited {
        c = wait(&p.cv, c);
    }
    drop(c);
    if let Some(j) = lock(&p.worker).take() {
        let _ = j.join();
    }
}

/// Stop every playback of user ID `user` (a logout), or every one (`None`: the last
/// Cleanup); returns how many were running.
pub(crate) fn stop_for(user: Option<i32>) -> usize {
    let running = playbacks_where(|p| user.is_none_or(|u| p.user_id == u));
    for p in &running {
        stop_and_remove(p);
    }
    running.len()
}

/// The link of every playback of user ID `user` dropped: position 200, `EXCEPTION_PLAYBACK`.
pub(crate) fn drop_links(user: i32) {
    for p in playbacks_where(|p| p.user_id == user) {
        let mut c = p.ctl();
        if c.end == End::Running {
            c.end = End::Dropped;
            c.pending = None;
            drop(c);
            events::emit(EXCEPTION_PLAYBACK, p.user_id, p.handle);
            p.cv.notify_all();
        }
    }
}

// ---- while running ----------------------------------------------------------------------

/// `NET_DVR_SetPlayDataCallBack_V40`: the data callback (`None`: no more data).
pub(crate) fn set_callback(p: &Playback, cb: DataCb) {
    p.ctl().cb = cb;
    p.cv.notify_all();
}

/// What a control code carries in and out.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Control {
    Start,
    Pause,
    Resume,
    Fast,
    Slow,
    Normal,
    Audio(bool),
    /// `NET_DVR_PLAYSETPOS`: a percentage of the range.
    SetPos(u32),
    /// `NET_DVR_PLAYSETTIME`: a device-local time in the range.
    SetTime(DateTime),
    /// `NET_DVR_PLAYGETPOS`.
    GetPos,
    /// `NET_DVR_PLAYGETTIME`.
    GetTime,
    /// A code the mock does not simulate.
    Other,
}

/// What a control answers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Answer {
    Done,
    Pos(u32),
    Time(DateTime),
}

/// `NET_DVR_PlayBackControl_V40` on a playback handle.
pub(crate) fn control(p: &Playback, control: Control) -> Res<Answer> {
    if let Control::GetPos = control {
        return Ok(Answer::Pos(p.position()));
    }
    let mut c = p.ctl();
    match control {
        Control::Start => c.started = true,
        Control::Pause => c.paused = true,
        Control::Resume => c.paused = false,
        Control::Fast => c.speed = (c.speed + 1).min(MAX_STEPS),
        Control::Slow => c.speed = (c.speed - 1).max(-MAX_STEPS),
        Control::Normal => c.speed = 0,
        Control::Audio(on) => c.audio = on,
        Control::SetPos(pct) if pct > 100 => return Err(Fail::Code(PARAMETER_ERROR)),
        Control::SetPos(pct) => {
            let (a, b) = p.secs;
            let t = a + (b - a) * i64::from(pct) / 100;
            let tz = p.session.device.recordings().time_zone().clone();
            let when = tz.to_datetime(Timestamp::from_second(t).unwrap_or_default());
            seek(p, &mut c, when)?;
        }
        Control::SetTime(t) => seek(p, &mut c, t)?,
        Control::GetTime => {
            let tz = p.session.device.recordings().time_zone().clone();
            let at = c.at.map_or(p.from, |t| tz.to_datetime(t));
            return Ok(Answer::Time(at));
        }
        Control::GetPos => unreachable!("answered above"),
        Control::Other => return Err(Fail::Code(NOSUPPORT)),
    }
    c.anchor = None;
    drop(c);
    p.cv.notify_all();
    Ok(Answer::Done)
}

/// Jump to `when` (in the range, else 17): a new stream from the keyframe at or before it
/// to the end of the range; the header is not sent again.
fn seek(p: &Playback, c: &mut Ctl, when: DateTime) -> Res<()> {
    if when < p.from || when >= p.to {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    if c.end == End::Dropped {
        return Err(Fail::Code(crate::errors::NETWORK_FAIL_CONNECT));
    }
    let stream = p
        .session
        .device
        .recordings()
        .download_by_time(p.channel, when, p.to, Transfer::default())
        .map_err(rec_error)?;
    c.stream = stream;
    c.pending = None;
    c.end = End::Running;
    c.final_pending = false;
    let tz = p.session.device.recordings().time_zone().clone();
    c.at = tz.to_timestamp(when).ok();
    Ok(())
}
