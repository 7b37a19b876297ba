//! Live preview: `NET_DVR_RealPlay_V40` and friends.
//!
//! Each preview has one mock-owned worker thread that calls the data callback: first the
//! 40-byte system header (`NET_DVR_SYSHEAD`, type 1), then the MPEG-PS clip in
//! `NET_DVR_STREAMDATA` (type 2) packets, looped, at the clip's bitrate (or as fast as
//! possible with `pacing = "fast"`). The callback gets a private writable copy of each packet.
//!
//! Stopping: `NET_DVR_StopRealPlay` marks the preview stopped under its lock, then waits until
//! the worker has left any callback in progress and exited. The worker checks the mark under
//! the same lock before every callback, so no callback for the handle starts after
//! StopRealPlay returns. Called from inside that preview's own data callback, StopRealPlay
//! cannot wait for itself: it returns TRUE at once, the running callback is the last one, and
//! the worker exits as soon as it returns. (Two callbacks that stop each other's previews
//! would wait for each other, as with the real SDK.)

use std::fs::File;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use crate::errors::{
    CHANNEL_ERROR, CREATEFILE_ERROR, NOSUPPORT, ORDER_ERROR, OVER_MAXLINK, PARAMETER_ERROR,
};
use crate::events::{self, EXCEPTION_PREVIEW, EXCEPTION_RECONNECT, PREVIEW_RECONNECTSUCCESS};
use crate::ffi::{Fail, Res, UserPtr};
use crate::registry::{self, Session};
use crate::scenario::Pacing;
use crate::{media, settings};

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

#[derive(Debug)]
struct Ctl {
    stop: bool,
    exited: bool,
    cb: DataCb,
    header_pending: bool,
    connected: bool,
    save: Option<File>,
}

/// One live preview (real-play handle).
#[derive(Debug)]
pub(crate) struct Preview {
    pub handle: i32,
    pub user_id: i32,
    pub session: Arc<Session>,
    pub channel: i32,
    pub sub_stream: bool,
    ctl: Mutex<Ctl>,
    cv: Condvar,
    worker: Mutex<Option<JoinHandle<()>>>,
    worker_id: OnceLock<ThreadId>,
    released: AtomicBool,
}

impl Preview {
    fn ctl(&self) -> MutexGuard<'_, Ctl> {
        self.ctl.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `NET_DVR_RealPlay_V40` after the pointer checks: the channel must exist (4), the device
/// must have a free link (5); `stream_type` 0 main, 1 sub, 2/3 (third/virtual) 23.
pub(crate) fn start(session: Arc<Session>, channel: i32, stream_type: u32, cb: DataCb) -> Res<i32> {
    if stream_type > 3 {
        return Err(Fail::Code(PARAMETER_ERROR));
    }
    let dev = session.device.clone();
    dev.reach()?;
    if !dev.spec.has_channel(channel) {
        return Err(Fail::Code(CHANNEL_ERROR));
    }
    if stream_type > 1 {
        return Err(Fail::Code(NOSUPPORT));
    }
    {
        let mut rt = dev.rt();
        if rt.links >= dev.spec.max_links {
            return Err(Fail::Code(OVER_MAXLINK));
        }
        rt.links += 1;
    }
    let user_id = session.id;
    let made = registry::insert_preview(|handle| {
        Arc::new(Preview {
            handle,
            user_id,
            session,
            channel,
            sub_stream: stream_type == 1,
            ctl: Mutex::new(Ctl {
                stop: false,
                exited: false,
                cb,
                header_pending: true,
                connected: true,
                save: None,
            }),
            cv: Condvar::new(),
            worker: Mutex::new(None),
            worker_id: OnceLock::new(),
            released: AtomicBool::new(false),
        })
    });
    let p = match made {
        Ok(p) => p,
        Err(code) => {
            let mut rt = dev.rt();
            rt.links = rt.links.saturating_sub(1);
            return Err(Fail::Code(code));
        }
    };
    let w = p.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("hcnetsdk-mock-preview-{}", p.handle))
        .spawn(move || worker(w));
    match spawned {
        Ok(j) => {
            *p.worker.lock().unwrap_or_else(|x| x.into_inner()) = Some(j);
            Ok(p.handle)
        }
        Err(_) => {
            stop_and_remove(&p);
            Err(Fail::Code(crate::errors::PROGRAM_EXCEPTION))
        }
    }
}

/// The preview behind a handle; 12 (hard) when there is none.
pub(crate) fn get(handle: i32) -> Res<Arc<Preview>> {
    registry::preview(handle).ok_or(Fail::Code(ORDER_ERROR))
}

/// Stop a preview (see the module docs for the guarantees) and free its handle.
pub(crate) fn stop_and_remove(p: &Arc<Preview>) {
    registry::remove_preview(p.handle);
    {
        let mut c = p.ctl();
        c.stop = true;
        c.save = None;
    }
    p.cv.notify_all();
    if !p.released.swap(true, Ordering::SeqCst) {
        let mut rt = p.session.device.rt();
        rt.links = rt.links.saturating_sub(1);
    }
    if p.worker_id.get() == Some(&std::thread::current().id()) {
        return; // called from our own data callback: it is the last one
    }
    let mut c = p.ctl();
    while !c.exited {
        c = p.cv.wait(c).unwrap_or_else(|x| x.into_inner());
    }
    drop(c);
    if let Some(j) = p.worker.lock().unwrap_or_else(|x| x.into_inner()).take() {
        let _ = j.join();
    }
}

/// Replace the data callback; the new one gets the system header first.
pub(crate) fn set_callback(p: &Preview, cb: DataCb) {
    let mut c = p.ctl();
    c.cb = cb;
    c.header_pending = true;
    drop(c);
    p.cv.notify_all();
}

/// `NET_DVR_SaveRealData`: write the system header, then every stream packet, to `path`.
pub(crate) fn save(p: &Preview, path: &str) -> Res<()> {
    let mut f = File::create(path).map_err(|_| Fail::Code(CREATEFILE_ERROR))?;
    f.write_all(&media::system_header())
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
    for p in registry::previews_where(|_| true) {
        let _c = p.ctl();
        p.cv.notify_all();
    }
}

/// Drop the preview's link (EXCEPTION_PREVIEW); its worker reconnects when allowed.
pub(crate) fn disconnect(p: &Preview) {
    let was = std::mem::replace(&mut p.ctl().connected, false);
    if was {
        events::emit(EXCEPTION_PREVIEW, p.user_id, p.handle);
    }
    p.cv.notify_all();
}

fn worker(p: Arc<Preview>) {
    let _ = p.worker_id.set(std::thread::current().id());
    let packets = if p.sub_stream {
        media::sub_stream_packets()
    } else {
        media::ps_packets()
    };
    let bps = u64::from(
        if p.sub_stream {
            media::SUB_BITRATE_BPS
        } else {
            media::BITRATE_BPS
        }
        .max(1),
    );
    let fast = p.session.device.pacing == Pacing::Fast;
    let header = media::system_header();
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut idx = 0usize;
    let mut next_send = Instant::now();
    let mut reconnect_at: Option<Instant> = None;
    let mut c = p.ctl();
    loop {
        if c.stop {
            break;
        }
        let now = Instant::now();
        if !c.connected {
            let cfg = settings::get();
            if !cfg.reconnect_enabled {
                c = p.cv.wait(c).unwrap_or_else(|x| x.into_inner());
                continue;
            }
            let interval = Duration::from_millis(u64::from(cfg.reconnect_interval_ms.max(10)));
            let at = *reconnect_at.get_or_insert(now + interval);
            if now < at {
                c =
                    p.cv.wait_timeout(c, at - now)
                        .unwrap_or_else(|x| x.into_inner())
                        .0;
                continue;
            }
            drop(c);
            events::emit(EXCEPTION_RECONNECT, p.user_id, p.handle);
            let up = {
                let rt = p.session.device.rt();
                rt.online && !rt.removed
            } && !p.session.disconnected.load(Ordering::SeqCst);
            c = p.ctl();
            if up && !c.stop {
                c.connected = true;
                c.header_pending = true;
                reconnect_at = None;
                idx = 0;
                next_send = Instant::now();
                events::emit(PREVIEW_RECONNECTSUCCESS, p.user_id, p.handle);
            } else {
                reconnect_at = Some(Instant::now() + interval);
            }
            continue;
        }
        let (kind, data): (u32, &[u8]) = if c.header_pending {
            c.header_pending = false;
            (hcnetsdk_sys::NET_DVR_SYSHEAD, &header[..])
        } else {
            if !fast && now < next_send {
                c =
                    p.cv.wait_timeout(c, next_send - now)
                        .unwrap_or_else(|x| x.into_inner())
                        .0;
                continue;
            }
            let pkt = packets[idx];
            idx = (idx + 1) % packets.len();
            if !fast {
                let dur = Duration::from_micros(pkt.len() as u64 * 8 * 1_000_000 / bps);
                next_send = if now > next_send + Duration::from_millis(500) {
                    now
                } else {
                    next_send
                } + dur;
            }
            if let Some(f) = c.save.as_mut()
                && f.write_all(pkt).is_err()
            {
                c.save = None;
            }
            (hcnetsdk_sys::NET_DVR_STREAMDATA, pkt)
        };
        let cb = c.cb;
        if cb.is_none() {
            if fast {
                // Nobody listens: do not spin.
                c =
                    p.cv.wait_timeout(c, Duration::from_millis(1))
                        .unwrap_or_else(|x| x.into_inner())
                        .0;
            }
            continue;
        }
        drop(c);
        buf.clear();
        buf.extend_from_slice(data);
        let len = buf.len() as u32;
        match cb {
            DataCb::Ptr(Some(f), user) => {
                // SAFETY: the client registered `f` for this handle with these argument types;
                // `buf` is valid and writable for `len` bytes during the call.
                unsafe { f(p.handle, kind, buf.as_mut_ptr(), len, user.0) }
            }
            DataCb::Dw(Some(f), user) => {
                // SAFETY: as above, for the DWORD-user-value callback shape.
                unsafe { f(p.handle, kind, buf.as_mut_ptr(), len, user) }
            }
            _ => {}
        }
        c = p.ctl();
    }
    c.exited = true;
    drop(c);
    p.cv.notify_all();
}
