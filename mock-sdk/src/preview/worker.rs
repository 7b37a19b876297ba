//! The thread behind one preview: it decides what to send next (system header, stream
//! packet, injected empty packet), paces the stream, reconnects a dropped link, and calls the
//! client's data callback without holding any lock.

use std::io::Write as _;
use std::ptr::null_mut;
use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

use hcnetsdk_sys::{NET_DVR_STREAMDATA, NET_DVR_SYSHEAD};

use super::{Ctl, DataCb, EmptyPackets, Preview};
use crate::events::{self, EXCEPTION_RECONNECT, PREVIEW_RECONNECTSUCCESS};
use crate::media::Clip;
use crate::scenario::Pacing;
use crate::settings;
use crate::sync::{wait, wait_timeout};

/// The worker's own state: where it is in the clip and when the next packet is due.
struct Stream {
    clip: &'static Clip,
    fast: bool,
    /// The next callback of the clip's table.
    idx: usize,
    /// Loops played since the start or the last reconnect (time stamps run on).
    lap: u64,
    /// When the current loop started (real-time pacing).
    loop_start: Instant,
    reconnect_at: Option<Instant>,
    /// The last packet chosen was a stream packet with data (an empty one may follow).
    after_data: bool,
}

/// What to send next.
#[derive(Clone, Copy)]
enum Packet {
    Header,
    /// The empty type-0 callback the real SDK makes when an ISAPI preview has reconnected,
    /// before the new header.
    Reconnected,
    /// A stream packet, already in the worker's buffer.
    Data,
    /// An empty stream packet; `null`: with a NULL buffer pointer.
    Empty {
        null: bool,
    },
}

impl EmptyPackets {
    /// Take one pending empty packet: `Some(null_buffer)`.
    fn take(&mut self) -> Option<bool> {
        if self.with_buffer > 0 {
            self.with_buffer -= 1;
            Some(false)
        } else if self.null > 0 {
            self.null -= 1;
            Some(true)
        } else {
            None
        }
    }
}

impl Stream {
    fn new(p: &Preview) -> Stream {
        Stream {
            clip: p.clip,
            fast: p.session.device.pacing() == Pacing::Fast,
            idx: 0,
            lap: 0,
            loop_start: Instant::now(),
            reconnect_at: None,
            after_data: false,
        }
    }

    /// Back to the clip's start, time stamps and frame counter too (after a reconnect).
    fn restart(&mut self) {
        self.idx = 0;
        self.lap = 0;
        self.loop_start = Instant::now();
    }

    /// In real time: `Err(wait)` until the next packet is due. After a long stall (a slow
    /// callback), the schedule starts again from now.
    fn due(&mut self) -> Result<(), Duration> {
        let now = Instant::now();
        let offset = Duration::from_micros(self.clip.due_us(self.idx));
        let due = self.loop_start + offset;
        if now < due {
            return Err(due - now);
        }
        if now > due + Duration::from_millis(500) {
            self.loop_start = now.checked_sub(offset).unwrap_or(now);
        }
        Ok(())
    }

    /// Take the next callback of the table: (index, loop).
    fn take(&mut self) -> (usize, u64) {
        let taken = (self.idx, self.lap);
        self.idx += 1;
        if self.idx == self.clip.len() {
            self.idx = 0;
            self.lap += 1;
            self.loop_start += Duration::from_micros(self.clip.duration_us());
        }
        taken
    }
}

/// The worker thread's body.
pub(super) fn run(p: Arc<Preview>) {
    let _ = p.worker_id.set(std::thread::current().id());
    let mut s = Stream::new(&p);
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut c = p.ctl();
    while !c.stop {
        if !c.connected {
            c = reconnect(&p, c, &mut s);
            continue;
        }
        let packet = match next(&mut c, &mut s, &mut buf) {
            Ok(packet) => packet,
            Err(not_yet) => {
                c = wait_timeout(&p.cv, c, not_yet);
                continue;
            }
        };
        let cb = c.cb;
        if cb.is_none() {
            if s.fast {
                // Nobody listens: do not spin.
                c = wait_timeout(&p.cv, c, Duration::from_millis(1));
            }
            continue;
        }
        drop(c);
        deliver(&p, cb, packet, &s.clip.header(), &mut buf);
        c = p.ctl();
    }
    c.exited = true;
    drop(c);
    p.cv.notify_all();
}

/// Choose the next packet, or `Err(how long until the next one is due)`. A stream packet is
/// put into `buf` (when a callback or `SaveRealData` will use it) and written to the file
/// `SaveRealData` opened.
fn next(c: &mut Ctl, s: &mut Stream, buf: &mut Vec<u8>) -> Result<Packet, Duration> {
    if c.reconnected_mark {
        c.reconnected_mark = false;
        return Ok(Packet::Reconnected);
    }
    if c.header_pending {
        c.header_pending = false;
        s.after_data = false;
        return Ok(Packet::Header);
    }
    if s.after_data
        && !c.cb.is_none()
        && let Some(null) = c.empty.take()
    {
        s.after_data = false;
        return Ok(Packet::Empty { null });
    }
    // Fast pacing reads no clock: a packet is always due.
    if !s.fast {
        s.due()?;
    }
    let (i, lap) = s.take();
    if !c.cb.is_none() || c.save.is_some() {
        s.clip.fill(i, lap, buf);
    }
    if let Some(f) = c.save.as_mut()
        && f.write_all(buf).is_err()
    {
        c.save = None;
    }
    s.after_data = true;
    Ok(Packet::Data)
}

/// One step of a dropped link: wait while reconnect is off or the next attempt is not due;
/// else attempt (EXCEPTION_RECONNECT) and, if the device answers, reconnect
/// (PREVIEW_RECONNECTSUCCESS; the header goes out again and the clip restarts).
fn reconnect<'a>(p: &'a Preview, c: MutexGuard<'a, Ctl>, s: &mut Stream) -> MutexGuard<'a, Ctl> {
    let now = Instant::now();
    let cfg = settings::get();
    if !cfg.reconnect_enabled {
        return wait(&p.cv, c);
    }
    let interval = Duration::from_millis(u64::from(cfg.reconnect_interval_ms.max(10)));
    let at = *s.reconnect_at.get_or_insert(now + interval);
    if now < at {
        return wait_timeout(&p.cv, c, at - now);
    }
    drop(c);
    events::emit(EXCEPTION_RECONNECT, p.user_id, p.handle);
    let up = p.session.device.is_up() && !p.session.disconnected.load(Ordering::SeqCst);
    let mut c = p.ctl();
    if up && !c.stop {
        c.connected = true;
        c.header_pending = true;
        // Measured on the real SDK's RTSP reconnect (ISAPI logins): one type-0 callback of
        // 0 bytes, then the header.
        c.reconnected_mark = p.session.isapi;
        s.reconnect_at = None;
        s.restart();
        events::emit(PREVIEW_RECONNECTSUCCESS, p.user_id, p.handle);
    } else {
        s.reconnect_at = Some(Instant::now() + interval);
    }
    c
}

/// Call the client's data callback with a private writable copy of the packet (a stream
/// packet is in `buf` already).
fn deliver(p: &Preview, cb: DataCb, packet: Packet, header: &[u8], buf: &mut Vec<u8>) {
    let (kind, null) = match packet {
        Packet::Header => {
            buf.clear();
            buf.extend_from_slice(header);
            (NET_DVR_SYSHEAD, false)
        }
        Packet::Data => (NET_DVR_STREAMDATA, false),
        Packet::Reconnected => {
            buf.clear();
            (0, false)
        }
        Packet::Empty { null } => {
            buf.clear();
            (NET_DVR_STREAMDATA, null)
        }
    };
    let len = buf.len() as u32;
    // An empty packet with a buffer still gets a valid pointer (to `buf`'s allocation).
    let ptr = if null { null_mut() } else { buf.as_mut_ptr() };
    match cb {
        DataCb::Ptr(Some(f), user) => {
            // SAFETY: the client registered `f` for this handle with these argument types;
            // `ptr` is NULL only with `len` 0, else valid and writable for `len` bytes
            // during the call.
            unsafe { f(p.handle, kind, ptr, len, user.0) }
        }
        DataCb::Dw(Some(f), user) => {
            // SAFETY: as above, for the DWORD-user-value callback shape.
            unsafe { f(p.handle, kind, ptr, len, user) }
        }
        _ => {}
    }
}
