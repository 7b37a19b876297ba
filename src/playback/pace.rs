//! The playback's packet handler around the delivery's own: it turns the SDK's end marker
//! into the end-of-stream event ([`Ends`]) and, when asked, paces the stream by its time
//! stamps.
//!
//! Per packet: one relaxed atomic load (the epoch), a scan for the first video PES header
//! of the packet, and, when it is early, a sleep on the SDK's thread. No lock, no
//! allocation. Sleeping there is the point: the SDK stops reading the device's stream while
//! its callback waits, so the device sends no faster than the consumer plays.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use super::{PlaybackEnd, PlaybackEvent};
use crate::events::{Event, EventKind, EventQueue, EventTarget};
use crate::preview::{DataType, Packet, PacketHandler, QueueHandle};

/// Speed steps each way from normal: 2^4 = 16x, as the SDK's `PLAYFAST` / `PLAYSLOW` go.
pub(super) const MAX_STEPS: i32 = 4;
/// The 33-bit PTS, at 90 kHz.
const PTS_MASK: u64 = (1 << 33) - 1;
/// A jump of the time stamps beyond this (a seek, a gap) re-anchors the schedule.
const JUMP: Duration = Duration::from_secs(2);
/// A packet late by more than this re-anchors the schedule (a slow consumer, a stall).
const STALL: Duration = Duration::from_millis(500);

/// What the handle and the handler share.
#[derive(Debug)]
pub(super) struct PaceCtl {
    /// Pace by the time stamps.
    pub(super) real_time: bool,
    /// Speed steps: 2^speed (set by fast/slow/normal after the SDK accepted them).
    pub(super) speed: AtomicI32,
    /// Bumped by a seek, a resume or a speed change: the schedule starts again.
    pub(super) epoch: AtomicU32,
}

impl PaceCtl {
    pub(super) fn new(real_time: bool) -> Self {
        Self {
            real_time,
            speed: AtomicI32::new(0),
            epoch: AtomicU32::new(0),
        }
    }

    /// Start the schedule again from the next packet.
    pub(super) fn reanchor(&self) {
        self.epoch.fetch_add(1, Ordering::Release);
    }
}

/// How a playback ends, once: its queue of [`PlaybackEvent`]s, whose last event (the end,
/// or the logout that stopped it) closes it, and the packet or frame queue it fills, which
/// closes with it. The end comes from the SDK's data callback (its end marker), its
/// exception callback (`EXCEPTION_PLAYBACK`: the link broke), a position read
/// ([`Playback::next_event`](super::Playback::next_event)) or the stop.
pub(super) struct Ends {
    pub(super) events: Arc<EventQueue<PlaybackEvent>>,
    pub(super) queue: Option<QueueHandle>,
}

impl Ends {
    pub(super) fn new(queue: Option<QueueHandle>) -> Arc<Self> {
        Arc::new(Self {
            events: EventQueue::new(),
            queue,
        })
    }

    /// The last event; the first one wins. Both queues close.
    pub(super) fn finish(&self, event: PlaybackEvent) {
        self.events.push_last(event);
        self.close();
    }

    /// Both queues close (stopped by its owner: no event).
    pub(super) fn close(&self) {
        self.events.close();
        if let Some(q) = &self.queue {
            q.close();
        }
    }
}

impl EventTarget for Ends {
    fn take(&self, event: Event) {
        // The link broke: the SDK's position turns 200 and no more data comes.
        if event.kind == EventKind::PlaybackException {
            self.finish(PlaybackEvent::Ended(PlaybackEnd::NetworkFailure));
        }
    }
}

/// The handler the SDK's callback runs for a playback.
pub(super) struct Paced<H> {
    inner: H,
    ctl: Arc<PaceCtl>,
    ends: Arc<Ends>,
    /// This instant plays this PTS.
    anchor: Option<(Instant, u64)>,
    epoch: u32,
}

impl<H> Paced<H> {
    pub(super) fn new(inner: H, ctl: Arc<PaceCtl>, ends: Arc<Ends>) -> Self {
        Self {
            inner,
            ctl,
            ends,
            anchor: None,
            epoch: 0,
        }
    }

    /// Once per playback: one short lock (the event queue's).
    #[cold]
    fn end(&mut self) {
        self.ends
            .finish(PlaybackEvent::Ended(PlaybackEnd::Complete));
    }

    /// Wait until the packet whose first video PTS is `pts` is due.
    fn pace(&mut self, pts: u64) {
        let epoch = self.ctl.epoch.load(Ordering::Acquire);
        let now = Instant::now();
        if epoch != self.epoch {
            self.epoch = epoch;
            self.anchor = None;
        }
        let (t0, p0) = *self.anchor.get_or_insert((now, pts));
        let ticks = pts.wrapping_sub(p0) & PTS_MASK;
        if ticks > PTS_MASK / 2 {
            self.anchor = Some((now, pts)); // backwards: start again here
            return;
        }
        let speed = self.ctl.speed.load(Ordering::Relaxed);
        let media = Duration::from_nanos(ticks * 100_000 / 9);
        let real = if speed >= 0 {
            media / (1u32 << speed.min(MAX_STEPS))
        } else {
            media * (1u32 << (-speed).min(MAX_STEPS))
        };
        let due = t0 + real;
        if due > now + JUMP || now > due + STALL {
            self.anchor = Some((now, pts));
        } else if due > now {
            std::thread::sleep(due - now);
        }
    }
}

impl<H: PacketHandler> PacketHandler for Paced<H> {
    #[inline]
    fn packet(&mut self, p: Packet<'_>) {
        if p.kind().raw() == sys::NET_DVR_PLAYBACK_ALLFILEEND {
            self.end();
            return;
        }
        if self.ctl.real_time
            && p.kind() == DataType::Stream
            && let Some(pts) = first_video_pts(p.data())
        {
            self.pace(pts);
        }
        self.inner.packet(p);
    }

    fn lost(&mut self, n: u64) {
        self.inner.lost(n);
    }
}

/// The PTS of the first video PES header (stream ids 0xE0..=0xEF) in a PS chunk.
pub(super) fn first_video_pts(data: &[u8]) -> Option<u64> {
    let mut i = 0;
    while i + 14 <= data.len() {
        if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && data[i + 3] & 0xF0 == 0xE0 {
            let h = &data[i + 6..];
            // '10' marker, then PTS_DTS_flags with the PTS bit.
            if h[0] & 0xC0 == 0x80 && h[1] & 0x80 != 0 {
                let b = &h[3..8];
                let pts = (u64::from(b[0] >> 1) & 7) << 30
                    | u64::from(b[1]) << 22
                    | u64::from(b[2] >> 1) << 15
                    | u64::from(b[3]) << 7
                    | u64::from(b[4] >> 1);
                return Some(pts);
            }
            return None;
        }
        i += 1;
    }
    None
}
