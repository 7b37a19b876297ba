//! Recordings on the mock: file searches (`NET_DVR_FindFile_V40` handles) and downloads
//! (`NET_DVR_GetFileByTime_V40` / `GetFileByName` handles) over the shared model's timeline
//! (`hcnetsdk_device::recordings`). Every rule (which files, their names and sizes, the
//! find statuses, the bytes of a download, its position) is the model's; this module keeps
//! the handles, the writer threads and the faults a test injects.
//!
//! * A search is the model's [`Search`] behind a find handle (lowest free from 0); each
//!   `FindNextFile_V40` asks it for the next status at that instant.
//! * A download is the model's [`MediaStream`] behind a download handle. Download handles
//!   are playback handles in the SDK; this table hands them out from the top of the range
//!   (4095 down) so that they never collide with the playback handles of the playback
//!   module (our choice until both share one allocator). `PlayBackControl_V40(PLAYSTART)`
//!   starts its writer thread, which writes each chunk to the file when it is due at the
//!   transfer's rate. The position is the stream's, held below 100 until the last byte is
//!   written and flushed (and 200 after a drop once the saved bytes are flushed).
//! * Faults: [`set_fault`] (`MOCK_SetDownloadFault`) for the next downloads on a device, or
//!   the environment variable `HCNETSDK_MOCK_DOWNLOAD_FAULT` (`drop:50`, `diskfull:80`) for
//!   every download of the process (a test's child process, such as the CLI, cannot be
//!   reached by a `MOCK_` call).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use hcnetsdk_device::recordings::{
    Fault, FileType, FindStatus, LockFilter, MediaStream, RecError, Recording, Search, Transfer,
};
use hcnetsdk_sys::{NET_DVR_FILECOND_V40, NET_DVR_FINDDATA_V40, NET_DVR_TIME};
use jiff::civil::DateTime;

use crate::errors::{
    CHANNEL_ERROR, CREATEFILE_ERROR, MAX_NUM, NOSUPPORT, ORDER_ERROR, PARAMETER_ERROR,
    PROGRAM_EXCEPTION,
};
use crate::ffi::{self, Fail, Res};
use crate::registry::{self, Session};
use crate::sync::{lock, wait, wait_timeout};

/// Find handles run from 0 to this.
const MAX_FINDS: i32 = 4096;
/// Playback (and so download) handles run from 0 to this (`dwMaxPlayBackNum`).
const MAX_PLAYBACK: i32 = 4096;
/// `NET_DVR_NOSPECFILE`: no recording matches the file name or range (our choice for a
/// device's answer; the real SDK's code for "no such file" on playback).
const NOSPECFILE: u32 = 33;

// ---- times --------------------------------------------------------------------------

/// A `NET_DVR_TIME` as a device-local civil time; 17 when it is not a real time.
pub(crate) fn civil(t: &NET_DVR_TIME) -> Res<DateTime> {
    let f = |v: u32| i8::try_from(v).map_err(|_| Fail::Code(PARAMETER_ERROR));
    let year = i16::try_from(t.dwYear).map_err(|_| Fail::Code(PARAMETER_ERROR))?;
    DateTime::new(
        year,
        f(t.dwMonth)?,
        f(t.dwDay)?,
        f(t.dwHour)?,
        f(t.dwMinute)?,
        f(t.dwSecond)?,
        0,
    )
    .map_err(|_| Fail::Code(PARAMETER_ERROR))
}

fn sdk_time(t: DateTime) -> NET_DVR_TIME {
    let u = |v: i8| u32::try_from(v).unwrap_or(0);
    NET_DVR_TIME {
        dwYear: u32::try_from(t.year()).unwrap_or(0),
        dwMonth: u(t.month()),
        dwDay: u(t.day()),
        dwHour: u(t.hour()),
        dwMinute: u(t.minute()),
        dwSecond: u(t.second()),
    }
}

/// The code the mock gives for a refusal of the timeline.
fn rec_fail(e: RecError) -> Fail {
    Fail::Code(match e {
        RecError::UnknownChannel(_) => CHANNEL_ERROR,
        RecError::BadRange => PARAMETER_ERROR,
        RecError::NoSuchFile | RecError::FileMissing => NOSPECFILE,
    })
}

// ---- searches -----------------------------------------------------------------------

#[derive(Debug)]
struct Find {
    session: Arc<Session>,
    search: Search,
}

static FINDS: Mutex<BTreeMap<i32, Arc<Mutex<Find>>>> = Mutex::new(BTreeMap::new());

/// The search behind a find handle, counting the call on its device; 12 when none.
fn find(handle: i32) -> Res<Arc<Mutex<Find>>> {
    let f = lock(&FINDS)
        .get(&handle)
        .cloned()
        .ok_or(Fail::Code(ORDER_ERROR))?;
    ffi::note_device(&lock(&f).session.device.spec().address);
    Ok(f)
}

/// `NET_DVR_FindFile_V40` once its user and pointer are checked: the model's search of
/// the channel and range, with the type and lock filters (17 for values it has none for).
pub(crate) fn find_file(session: Arc<Session>, cond: &NET_DVR_FILECOND_V40) -> Res<i32> {
    // After an ISAPI login, type 0 (the only one the real SDK accepts) lists every type.
    let filter = u8::try_from(cond.dwFileType)
        .map(|t| match (session.isapi, t) {
            (true, 0) => FileType::ALL,
            _ => FileType(t),
        })
        .map_err(|_| Fail::Code(PARAMETER_ERROR))?;
    // After an ISAPI login, dwIsLocked 0 lists locked files too (measured: the real SDK
    // against the emulator lists the locked file).
    let locked = match (session.isapi, cond.dwIsLocked) {
        (true, 0) => LockFilter::Any,
        (_, v) => LockFilter::from_sdk(v).ok_or(Fail::Code(PARAMETER_ERROR))?,
    };
    let (from, to) = (civil(&cond.struStartTime)?, civil(&cond.struStopTime)?);
    let search = session
        .device
        .recordings()
        .search(cond.lChannel, from, to, filter, locked, Instant::now())
        .map_err(rec_fail)?;
    let mut t = lock(&FINDS);
    let handle = registry::lowest_free(&t, MAX_FINDS).ok_or(Fail::Code(MAX_NUM))?;
    t.insert(handle, Arc::new(Mutex::new(Find { session, search })));
    Ok(handle)
}

/// `NET_DVR_FindNextFile_V40`: the next status (1000..=1004); `out` is filled for 1000.
pub(crate) fn find_next(handle: i32, out: &mut NET_DVR_FINDDATA_V40) -> Res<i32> {
    let f = find(handle)?;
    let status = lock(&f).search.next_status(Instant::now());
    if let FindStatus::Found(r) = &status {
        fill(out, r);
    }
    Ok(status.code())
}

fn fill(out: &mut NET_DVR_FINDDATA_V40, r: &Recording) {
    *out = NET_DVR_FINDDATA_V40::default();
    hcnetsdk_sys::text::c_copy_truncating(&mut out.sFileName, r.name.as_bytes());
    out.struStartTime = sdk_time(r.start);
    out.struStopTime = sdk_time(r.end);
    out.dwFileSize = u32::try_from(r.size).unwrap_or(u32::MAX);
    out.byLocked = u8::from(r.locked);
    out.byFileType = r.file_type.0;
}

/// `NET_DVR_FindClose_V30`: 12 (soft) when the handle is not open.
pub(crate) fn find_close(handle: i32) -> Res<()> {
    find(handle).map_err(|_| Fail::Soft(ORDER_ERROR))?;
    lock(&FINDS).remove(&handle);
    Ok(())
}

// ---- downloads ----------------------------------------------------------------------

#[derive(Debug)]
struct DlState {
    stream: MediaStream,
    file: Option<File>,
    started: bool,
    paused: bool,
    stop: bool,
    /// The writer has written and flushed everything it will.
    finished: bool,
}

#[derive(Debug)]
struct Download {
    session: Arc<Session>,
    state: Mutex<DlState>,
    cv: Condvar,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl Download {
    fn state(&self) -> MutexGuard<'_, DlState> {
        lock(&self.state)
    }
}

static DOWNLOADS: Mutex<BTreeMap<i32, Arc<Download>>> = Mutex::new(BTreeMap::new());

/// The download behind a handle, counting the call on its device.
fn download(handle: i32) -> Option<Arc<Download>> {
    let d = lock(&DOWNLOADS).get(&handle).cloned()?;
    ffi::note_device(&d.session.device.spec().address);
    Some(d)
}

/// What a download is of.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Time {
        channel: i32,
        from: DateTime,
        to: DateTime,
    },
    Name(String),
}

/// `NET_DVR_GetFileByTime_V40` / `NET_DVR_GetFileByName` once the user is checked: the
/// model's stream (4 for a channel the device lacks, 17 for a bad range, 33 when no file
/// matches or its data is gone), then the file is created (34 when it cannot be).
pub(crate) fn start_download(session: Arc<Session>, source: Source, path: &str) -> Res<i32> {
    let transfer = Transfer {
        rate: 0,
        fault: take_fault(&session.device.spec().address),
    };
    let stream = {
        let rec = session.device.recordings();
        match &source {
            Source::Time { channel, from, to } => {
                rec.download_by_time(*channel, *from, *to, transfer)
            }
            Source::Name(name) => rec.download_by_name(name, transfer),
        }
    }
    .map_err(rec_fail)?;
    let file = File::create(path).map_err(|_| Fail::Code(CREATEFILE_ERROR))?;
    let d = Arc::new(Download {
        session,
        state: Mutex::new(DlState {
            stream,
            file: Some(file),
            started: false,
            paused: false,
            stop: false,
            finished: false,
        }),
        cv: Condvar::new(),
        worker: Mutex::new(None),
    });
    let mut t = lock(&DOWNLOADS);
    let handle = (0..MAX_PLAYBACK)
        .rev()
        .find(|h| !t.contains_key(h))
        .ok_or(Fail::Code(MAX_NUM))?;
    t.insert(handle, d);
    Ok(handle)
}

/// `NET_DVR_PlayBackControl_V40` on a download handle: `None` when `handle` is not one
/// (the caller falls back to playback handles). PLAYSTART starts the writer (again: no
/// effect), PLAYPAUSE / PLAYRESTART pause and resume it; other codes give 23.
pub(crate) fn control(handle: i32, code: u32) -> Option<Res<()>> {
    let d = download(handle)?;
    Some(match code {
        hcnetsdk_sys::NET_DVR_PLAYSTART => start_writer(&d),
        hcnetsdk_sys::NET_DVR_PLAYPAUSE | hcnetsdk_sys::NET_DVR_PLAYRESTART => {
            d.state().paused = code == hcnetsdk_sys::NET_DVR_PLAYPAUSE;
            d.cv.notify_all();
            Ok(())
        }
        _ => Err(Fail::Code(NOSUPPORT)),
    })
}

fn start_writer(d: &Arc<Download>) -> Res<()> {
    let file = {
        let mut s = d.state();
        if s.started {
            return Ok(());
        }
        s.started = true;
        s.file.take()
    };
    let Some(file) = file else { return Ok(()) };
    let w = d.clone();
    let j = std::thread::Builder::new()
        .name("hcnetsdk-mock-download".into())
        .spawn(move || write_loop(&w, file))
        .map_err(|_| Fail::Code(PROGRAM_EXCEPTION))?;
    *lock(&d.worker) = Some(j);
    Ok(())
}

/// The writer: each chunk when it is due (paused time does not count), until the stream
/// ends or the download is stopped; then flush and mark it finished.
fn write_loop(d: &Download, file: File) {
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let mut t0 = Instant::now();
    loop {
        let mut s = d.state();
        let chunk = loop {
            if s.stop {
                break None;
            }
            if s.paused {
                let p = Instant::now();
                s = wait(&d.cv, s);
                t0 += p.elapsed();
                continue;
            }
            break s.stream.next();
        };
        let Some(chunk) = chunk else { break };
        let due = t0 + chunk.due;
        while !s.stop && Instant::now() < due {
            if !out.buffer().is_empty() {
                drop(s);
                let _ = out.flush();
                s = d.state();
                continue;
            }
            s = wait_timeout(&d.cv, s, due.saturating_duration_since(Instant::now()));
        }
        drop(s);
        if out.write_all(&chunk.data).is_err() {
            break;
        }
    }
    let _ = out.flush();
    d.state().finished = true;
    d.cv.notify_all();
}

/// `NET_DVR_GetDownloadPos`: 12 when `handle` is not a download; else the stream's
/// position (0..=99 while running, 100 when complete, 200 after a drop), below 100 until
/// the writer has flushed the file.
pub(crate) fn position(handle: i32) -> Res<i32> {
    let d = download(handle).ok_or(Fail::Code(ORDER_ERROR))?;
    let s = d.state();
    let pos = s.stream.position();
    Ok(if s.finished {
        pos as i32
    } else {
        pos.min(99) as i32
    })
}

/// `NET_DVR_StopGetFile`: stop the writer, wait for it, close the file and free the
/// handle; 12 (soft) when `handle` is not a download.
pub(crate) fn stop(handle: i32) -> Res<()> {
    let d = download(handle).ok_or(Fail::Soft(ORDER_ERROR))?;
    lock(&DOWNLOADS).remove(&handle);
    halt(&d);
    Ok(())
}

fn halt(d: &Download) {
    {
        let mut s = d.state();
        s.stop = true;
        s.file = None;
    }
    d.cv.notify_all();
    if let Some(j) = lock(&d.worker).take() {
        let _ = j.join();
    }
}

/// Searches and downloads of the session `user` end with it (Logout, the last Cleanup);
/// returns how many downloads were running (searches are not counted: the SDK frees them
/// at logout, and clients rely on it).
pub(crate) fn end_session(user: i32) -> usize {
    lock(&FINDS).retain(|_, f| lock(f).session.id != user);
    let ended: Vec<Arc<Download>> = {
        let mut t = lock(&DOWNLOADS);
        let hs: Vec<i32> = t
            .iter()
            .filter(|(_, d)| d.session.id == user)
            .map(|(h, _)| *h)
            .collect();
        hs.iter().filter_map(|h| t.remove(h)).collect()
    };
    for d in &ended {
        halt(d);
    }
    ended.len()
}

// ---- faults -------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct FaultRule {
    /// Device address; `None`: every device.
    address: Option<String>,
    fault: Fault,
    /// Downloads still to fault; 0: until cleared.
    count: u32,
}

static FAULTS: Mutex<Vec<FaultRule>> = Mutex::new(Vec::new());

/// Parse `drop:50` / `diskfull:80` (a percentage of the stream's bytes).
pub(crate) fn parse_fault(s: &str) -> Option<Fault> {
    let (kind, pct) = s.trim().split_once(':')?;
    let pct: u8 = pct.trim().parse().ok().filter(|p| *p <= 100)?;
    match kind.trim().to_ascii_lowercase().as_str() {
        "drop" => Some(Fault::DropAt(pct)),
        "diskfull" | "disk_full" => Some(Fault::DiskFullAt(pct)),
        _ => None,
    }
}

/// Fault the next `count` downloads (0: every one until cleared) on the device at
/// `address` (`None`: any); `fault` `None` clears the rules for that scope.
pub(crate) fn set_fault(address: Option<String>, fault: Option<Fault>, count: u32) {
    let mut t = lock(&FAULTS);
    t.retain(|r| r.address != address);
    if let Some(fault) = fault {
        t.push(FaultRule {
            address,
            fault,
            count,
        });
    }
}

/// Clear every download fault rule (MOCK_Reset).
pub(crate) fn reset_faults() {
    lock(&FAULTS).clear();
}

/// The fault for a download starting now on `address`: a rule's (used up once its count
/// is), else `HCNETSDK_MOCK_DOWNLOAD_FAULT`'s.
fn take_fault(address: &str) -> Option<Fault> {
    let mut t = lock(&FAULTS);
    let i = t
        .iter()
        .position(|r| r.address.as_deref().is_none_or(|a| a == address));
    if let Some(i) = i {
        let fault = t[i].fault;
        match t[i].count {
            0 => {}
            1 => {
                t.remove(i);
            }
            _ => t[i].count -= 1,
        }
        return Some(fault);
    }
    drop(t);
    std::env::var("HCNETSDK_MOCK_DOWNLOAD_FAULT")
        .ok()
        .as_deref()
        .and_then(parse_fault)
}
