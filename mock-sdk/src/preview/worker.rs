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
use crate::scenario::Pacing;
use crate::sync::{wait, wait_timeout};
use crate::{media, settings};

/// The worker's own state: where it is in the clip and when the next packet is due.
struct Stream {
    packets: &'static [&'static [u8]],
    bps: u64,
    fast: bool,
    header: [u8; 40],
    idx: usize,
    next_send: Instant,
    reconnect_at: Option<Instant>,
    /// The last packet chosen was a stream packet with data (an empty one may follow).
    after_data: bool,
}

/// What to send next.
#[derive(Clone, Copy)]
enum Packet {
    Header,
    Data(&'static [u8]),
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
        let (packets, bps) = if p.sub_stream {
            (media::sub_stream_packets(), media::SUB_BITRATE_BPS)
        } else {
            (media::ps_packets(), media::BITRATE_BPS)
        };
        Stream {
            packets,
            bps: u64::from(bps.max(1)),
            fast: p.session.device.pacing == Pacing::Fast,
            header: media::system_header(),
            idx: 0,
            next_send: Instant::now(),
            reconnect_at: None,
            after_data: false,
        }
    }

    /// The next packet of the clip (looped); in real time (`now` given), also when the one
    /// after is due.
    fn take_packet(&mut self, now: Option<Instant>) -> &'static [u8] {
        let pkt = self.packets[self.idx];
        self.idx = (self.idx + 1) % self.packets.len();
        if let Some(now) = now {
            let dur = Duration::from_micros(pkt.len() as u64 * 8 * 1_000_000 / self.bps);
            // After a long stall (a slow callback), start the schedule again from now.
            let base = if now > self.next_send + Duration::from_millis(500) {
                now
            } else {
                self.next_send
            };
            self.next_send = base + dur;
        }
        pkt
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
        let packet = match next(&mut c, &mut s) {
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
        deliver(&p, cb, packet, &s.header, &mut buf);
        c = p.ctl();
    }
    c.exited = true;
    drop(c);
    p.cv.notify_all();
}

/// Choose the next packet, or `Err(how long until the next one is due)`. A stream packet is
/// also written to the file `SaveRealData` opened.
fn next(c: &mut Ctl, s: &mut Stream) -> Result<Packet, Duration> {
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
    let pkt = if s.fast {
        s.take_packet(None)
    } else {
        let now = Instant::now();
        if now < s.next_send {
            return Err(s.next_send - now);
        }
        s.take_packet(Some(now))
    };
    if let Some(f) = c.save.as_mut()
        && f.write_all(pkt).is_err()
    {
        c.save = None;
    }
    s.after_data = true;
    Ok(Packet::Data(pkt))
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
    let up = {
        let rt = p.session.device.rt();
        rt.online && !rt.removed
    } && !p.session.disconnected.load(Ordering::SeqCst);
    let mut c = p.ctl();
    if up && !c.stop {
        c.connected = true;
        c.header_pending = true;
        s.reconnect_at = None;
        s.idx = 0;
        s.next_send = Instant::now();
        events::emit(PREVIEW_RECONNECTSUCCESS, p.user_id, p.handle);
    } else {
        s.reconnect_at = Some(Instant::now() + interval);
    }
    c
}

/// Call the client's data callback with a private writable copy of the packet.
fn deliver(p: &Preview, cb: DataCb, packet: Packet, header: &[u8], buf: &mut Vec<u8>) {
    let (kind, data, null) = match packet {
        Packet::Header => (NET_DVR_SYSHEAD, header, false),
        Packet::Data(d) => (NET_DVR_STREAMDATA, d, false),
        Packet::Empty { null } => (NET_DVR_STREAMDATA, &[][..], null),
    };
    buf.clear();
    buf.extend_from_slice(data);
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
