//! The link state of one arming, driven by the SDK's exception callback: online, alarm
//! channel broken, a re-arm wanted, and when the device was last heard from (for the
//! watchdog). All atomics: the exception and message callbacks update it without a lock.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk_sys as sys;

use super::AlarmChannelEvent;
use super::capture::Capture;
use super::route;

/// Why a re-arm is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rearm {
    Reconnect = 1,
    Watchdog = 2,
}

#[derive(Debug)]
pub(crate) struct LinkState {
    epoch: Instant,
    /// Milliseconds after `epoch` of the last message (or arming).
    last_heard: AtomicU64,
    online: AtomicBool,
    channel_broken: AtomicBool,
    /// 0, or a [`Rearm`] as u8.
    rearm: AtomicU8,
}

impl Default for LinkState {
    fn default() -> Self {
        Self {
            epoch: Instant::now(),
            last_heard: AtomicU64::new(0),
            online: AtomicBool::new(true),
            channel_broken: AtomicBool::new(false),
            rearm: AtomicU8::new(0),
        }
    }
}

impl LinkState {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// A message arrived (or the channel was just armed).
    #[inline]
    pub(crate) fn heard(&self) {
        self.last_heard.store(self.now_ms(), Ordering::Relaxed);
    }

    /// How long the device has been silent.
    pub(crate) fn silence(&self) -> Duration {
        Duration::from_millis(
            self.now_ms()
                .saturating_sub(self.last_heard.load(Ordering::Relaxed)),
        )
    }

    pub(crate) fn is_online(&self) -> bool {
        self.online.load(Ordering::Relaxed)
    }

    pub(crate) fn want_rearm(&self, why: Rearm) {
        self.rearm.store(why as u8, Ordering::Relaxed);
    }

    /// The re-arm wanted, if any, taking it.
    pub(crate) fn take_rearm(&self) -> Option<Rearm> {
        match self.rearm.swap(0, Ordering::Relaxed) {
            1 => Some(Rearm::Reconnect),
            2 => Some(Rearm::Watchdog),
            _ => None,
        }
    }

    /// The arming succeeded again.
    pub(crate) fn rearmed(&self) {
        self.channel_broken.store(false, Ordering::Relaxed);
        self.heard();
    }

    /// Apply one exception; the channel event to report, if it concerns alarms.
    pub(crate) fn on_exception(&self, dw_type: u32) -> Option<AlarmChannelEvent> {
        use AlarmChannelEvent as E;
        Some(match dw_type {
            sys::EXCEPTION_EXCHANGE => {
                self.online.store(false, Ordering::Relaxed);
                E::Offline
            }
            sys::RESUME_EXCHANGE | sys::RELOGIN_SUCCESS => {
                self.online.store(true, Ordering::Relaxed);
                if self.channel_broken.load(Ordering::Relaxed) {
                    self.want_rearm(Rearm::Reconnect);
                }
                E::Online
            }
            sys::EXCEPTION_ALARM | sys::EXCEPTION_ALARMRECONNECT => {
                self.channel_broken.store(true, Ordering::Relaxed);
                E::Broken
            }
            sys::ALARM_RECONNECTSUCCESS => {
                self.channel_broken.store(false, Ordering::Relaxed);
                self.heard();
                E::Reconnected
            }
            sys::EXCEPTION_ALARM_RECONNECT_CLOSED => {
                self.channel_broken.store(true, Ordering::Relaxed);
                if self.is_online() {
                    self.want_rearm(Rearm::Reconnect);
                }
                E::ReconnectClosed
            }
            sys::EXCEPTION_LOST_ALARM | sys::EXCEPTION_MAX_ALARM_INFO => E::SdkLostAlarms,
            _ => return None,
        })
    }
}

/// Spins a channel event may wait for a producer busy with a message on another thread.
pub(crate) const CHANNEL_EVENT_SPINS: u32 = 1000;

/// Called by the exception trampoline for every exception: updates the arming of
/// `user_id`, if any, and queues the channel event. No lock, no allocation.
pub(crate) fn on_exception(dw_type: u32, user_id: i32) {
    route::peek_router(user_id, |r| {
        if let Some(event) = r.link.on_exception(dw_type) {
            let c = Capture::channel_event(event);
            for s in r.subs.iter() {
                s.with_producer(CHANNEL_EVENT_SPINS, |p| {
                    p.push(0, crate::preview::ring::Grow::WhenShort, |buf| c.write(buf));
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_drive_the_state_and_ask_for_a_rearm_after_a_reconnect() {
        let s = LinkState::default();
        assert_eq!(
            s.on_exception(sys::EXCEPTION_EXCHANGE),
            Some(AlarmChannelEvent::Offline)
        );
        assert!(!s.is_online());
        assert_eq!(
            s.on_exception(sys::EXCEPTION_ALARM),
            Some(AlarmChannelEvent::Broken)
        );
        assert_eq!(s.take_rearm(), None);
        assert_eq!(
            s.on_exception(sys::RESUME_EXCHANGE),
            Some(AlarmChannelEvent::Online)
        );
        assert_eq!(s.take_rearm(), Some(Rearm::Reconnect));
        assert_eq!(s.take_rearm(), None);
        // The SDK reconnecting the channel itself needs no re-arm.
        s.on_exception(sys::EXCEPTION_ALARM);
        s.on_exception(sys::ALARM_RECONNECTSUCCESS);
        s.on_exception(sys::RESUME_EXCHANGE);
        assert_eq!(s.take_rearm(), None);
        // Giving up while online asks for one at once.
        s.on_exception(sys::EXCEPTION_ALARM_RECONNECT_CLOSED);
        assert_eq!(s.take_rearm(), Some(Rearm::Reconnect));
        assert_eq!(s.on_exception(sys::EXCEPTION_PREVIEW), None);
    }
}
