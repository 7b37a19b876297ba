//! Live preview: `NET_DVR_RealPlay_V40` and friends, and the table of real-play handles.
//!
//! Each preview has one mock-owned worker thread ([`worker`]) that calls the data callback:
//! first the 40-byte IMKH header (`NET_DVR_SYSHEAD`, type 1), then the device's clip
//! ([`media::Clip`]) as `NET_DVR_STREAMDATA` (type 2) packets, one PES packet each, looped,
//! each when its time stamp is due (or as fast as possible with `pacing = "fast"`). The callback gets a private writable copy of each packet.
//! On request ([`inject_empty_packets`]) the worker also delivers empty stream packets.
//!
//! Stopping: `NET_DVR_StopRealPlay` marks the preview stopped under its lock, then waits until
//! the worker has left any callback in progress and exited. The worker checks the mark under
//! the same lock before every callback, so no callback for the handle starts after
//! StopRealPlay returns. Called from inside that preview's own data callback, StopRealPlay
//! cannot wait for itself: it returns TRUE at once, the running callback is the last one, and
//! the worker exits as soon as it returns. (Two callbacks that stop each other's previews
//! would wait for each other, as with the real SDK.)

mod info;
mod worker;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::{JoinHandle, ThreadId};

pub(crate) use info::{PreviewInfo, last_info};

use crate::errors::{
    CREATEFILE_ERROR, MAX_NUM, NOSUPPORT, ORDER_ERROR, PARAMETER_ERROR, PROGRAM_EXCEPTION,
};
use crate::events::{self, EXCEPTION_PREVIEW};
use crate::ffi::{self, Fail, Res, UserPtr};
use crate::media;
use crate::registry::{self, Session};
use crate::sync::{lock, wait};

/// Real-play handles run from 0 to this (`dwMaxRealPlayNum`).
pub(crate) const MAX_PREVIEWS: i32 = 4096;

/// A data callback as registered.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DataCb {
    None,
    /// REALDATACALLBACK (RealPlay_V40, SetRealDataCallBackEx).
    Ptr(hcnetsdk_sys::REALDATACALLBACK, UserPtr),
    /// REALDATACALLBACK_DWUSER (SetRealDataCallBack).
    Dw(hcnetsdk_sys::REALDATACALLBACK_DWUSER, u32),
}

impl DataCb {
    /// No function to call (also a NULL function pointer passed to RealPlay_V40).
    fn is_none(self) -> bool {
        matches!(
            self,
            DataCb::None | DataCb::Ptr(None, _) | DataCb::Dw(None, _)
        )
    }
}

/// Empty stream packets still to deliver ([`inject_empty_packets`]).
#[derive(Debug, Default, Clone, Copy)]
struct EmptyPackets {
    /// With a valid pointer to a zero-length buffer.
    with_buffer: u32,
    /// With a NULL pointer.
    null: u32,
}

#[derive(Debug)]
struct Ctl {
    stop: bool,
    exited: bool,
    cb: DataCb,
    header_pending: bool,
    /// Send [`worker`]'s type-0 reconnect mark before the next header.
    reconnected_mark: bool,
    connected: bool,
    save: Option<File>,
    empty: EmptyPackets,
}

/// One live preview (real-play handle).
#[derive(Debug)]
pub(crate) struct Preview {
    pub handle: i32,
    pub user_id: i32,
    pub session: Arc<Session>,
    pub channel: i32,
    /// What it streams: the device's clip for this stream (header and callbacks).
    pub clip: &'static media::Clip,
    ctl: Mutex<Ctl>,
    cv: Condvar,
    worker: Mutex<Option<JoinHandle<()>>>,
    worker_id: OnceLock<ThreadId>,
    released: AtomicBool,
}

impl Preview {
    fn new(
        handle: i32,
        session: Arc<Session>,
        info: &PreviewInfo,
        cb: DataCb,
        clip: &'static media::Clip,
    ) -> Preview {
        Preview {
            handle,
            user_id: session.id,
            session,
            channel: info.channel(),
            clip,
            ctl: Mutex::new(Ctl {
                stop: false,
                exited: false,
                cb,
                header_pending: true,
                reconnected_mark: false,
                connected: true,
                save: None,
                empty: EmptyPackets::default(),
            }),
            cv: Condvar::new(),
            worker: Mutex::new(None),
            worker_id: OnceLock::new(),
            released: AtomicBool::new(false),
        }
    }

    fn ctl(&self) -> MutexGuard<'_, Ctl> {
        lock(&self.ctl)
    }
}

// ---- the table of handles --------------------------------------------------------------

static PREVIEWS: Mutex<BTreeMap<i32, Arc<Preview>>> = Mutex::new(BTreeMap::new());

/// The preview behind a handle, if it is running. A found preview counts the running
/// export's call on its device.
pub(crate) fn find(handle: i32) -> Option<Arc<Preview>> {
    let p = lock(&PREVIEWS).get(&handle).cloned()?;
    ffi::note_device(&p.session.device.spec().address);
    Some(p)
}

/// The preview behind a handle; 12 (hard) when there is none.
pub(crate) fn get(handle: i32) -> Res<Arc<Preview>> {
    find(handle).ok_or(Fail::Code(ORDER_ERROR))
}

/// Previews matching `f`.
pub(crate) fn previews_where(f: impl Fn(&Preview) -> bool) -> Vec<Arc<Preview>> {
    lock(&PREVIEWS).values().filter(|p| f(p)).cloned().collect()
}

/// Number of running previews (for NET_DVR_GetSDKState).
pub(crate) fn count() -> u32 {
    lock(&PREVIEWS).len() as u32
}

// ---- start and stop ------------------------------------------------------------------

/// `NET_DVR_RealPlay_V40` after the pointer checks: the channel must exist (4), the device
/// must have a free link (5); `dwStreamType` 0 main, 1 sub, 2/3 (third/virtual) 23. The
/// whole `info` is kept as the handle's last preview info ([`last_info`]).
pub(crate) fn start(session: Arc<Session>, info: PreviewInfo, cb: DataCb) -> Res<i32> {
    let (channel, stream_type) = (info.channel(), info.stream_type());
    if stream_type > 3 {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    let dev = session.device.clone();
    dev.reach()?;
    dev.check_channel(channel)?;
    if stream_type > 1 {
        return Err(Fail::Code(NOSUPPORT));
    }
    dev.open_link()?;
    // Built on the first preview of its kind, outside the table's lock.
    let clip = media::clip(dev.spec().stream_kind(stream_type == 1));
    let made = {
        let mut t = lock(&PREVIEWS);
        registry::lowest_free(&t, MAX_PREVIEWS).map(|handle| {
            let p = Arc::new(Preview::new(handle, session, &info, cb, clip));
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
        .name(format!("hcnetsdk-mock-preview-{}", p.handle))
        .spawn(move || worker::run(w));
    match spawned {
        Ok(j) => {
            *lock(&p.worker) = Some(j);
            info::record(p.handle, info);
            Ok(p.handle)
        }
        Err(_) => {
            stop_and_remove(&p);
            Err(Fail::Code(PROGRAM_EXCEPTION))
        }
    }
}

/// Stop a preview (see the module docs for the guarantees) and free its handle.
pub(crate) fn stop_and_remove(p: &Arc<Preview>) {
    lock(&PREVIEWS).remove(&p.handle);
    {
        let mut c = p.ctl();
        c.stop = true;
        c.save = None;
    }
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

// ---- while running ----------------------------------------------------------------------

/// Replace the data callback; the new one gets the system header first.
pub(crate) fn set_callback(p: &Preview, cb: DataCb) {
    let mut c = p.ctl();
    c.cb = cb;
    c.header_pending = true;
    drop(c);
    p.cv.notify_all();
}

/// `NET_DVR_SaveRealData`: write the preview's IMKH header, then every stream packet
/// (the bytes its data callback gets), to `path`.
pub(crate) fn save(p: &Preview, path: &str) -> Res<()> {
    let mut f = File::create(path).map_err(|_| Fail::Code(CREATEFILE_ERROR))?;
    f.write_all(&p.clip.header())
        .map_err(|_| Fail::Code(CREATEFILE_ERROR))?;
    p.ctl().save = Some(f);
    Ok(())
}

/// `NET_DVR_StopSaveRealData`: 12 when not saving.
pub(crate) fn stop_save(p: &Preview) -> Res<()> {
    match p.ctl().save.take() {
        Some(mut f) => {
            let _ = f.flush();
            Ok(())
        }
        None => Err(Fail::Code(ORDER_ERROR)),
    }
}

/// Wake every preview worker: a setting that a dropped preview waits on changed
/// (`SetReconnect`). Taking each preview's lock first means a worker that has just read the
/// old setting is already waiting when the notification comes, so none is missed.
pub(crate) fn wake_all() {
    for p in previews_where(|_| true) {
        let _c = p.ctl();
        p.cv.notify_all();
    }
}

/// Drop the preview's link (EXCEPTION_PREVIEW); its worker reconnects when allowed.
pub(crate) fn disconnect(p: &Preview) {
    let was = std::mem::replace(&mut p.ctl().connected, false);
    // The real SDK raises no EXCEPTION_PREVIEW when an ISAPI login's RTSP connection drops
    // and it will reconnect (measured: 0x8005, then 0x8015, nothing before).
    let silent = p.session.isapi && crate::settings::get().reconnect_enabled;
    if was && !silent {
        events::emit(EXCEPTION_PREVIEW, p.user_id, p.handle);
    }
    p.cv.notify_all();
}

/// Queue `count` empty stream packets (data type 2, `dwBufSize` 0) for the preview's data
/// callback: with `null_buffer` false the buffer pointer is valid (a zero-length buffer),
/// with true it is NULL. The worker sends them one at a time, each right after a normal
/// stream packet, so they are interleaved with the stream; while no callback is set they
/// wait. Counts add up; packets with a buffer go before NULL ones.
pub(crate) fn inject_empty_packets(p: &Preview, count: u32, null_buffer: bool) {
    let mut c = p.ctl();
    let slot = if null_buffer {
        &mut c.empty.null
    } else {
        &mut c.empty.with_buffer
    };
    *slot = slot.saturating_add(count);
    drop(c);
    p.cv.notify_all();
}
