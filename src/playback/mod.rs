//! [`Playback`]: a recording played back from the device, by time range
//! ([`Session::playback_by_time`]) or by file name ([`Session::playback_by_name`]).
//!
//! * this module: the builder, [`PlaybackEnd`], [`PlaybackEvent`], [`PlaybackPosition`];
//! * `handle`: the running [`Playback`] and its controls (`NET_DVR_PlayBackControl_V40`);
//! * `pace`: the handler around the delivery's own (end marker, real-time pacing).
//!
//! The data comes the same ways as a live preview's, by the same code (`crate::preview`'s
//! `Deliver`): packets to a closure or a bounded queue, or frames demuxed on the SDK's
//! thread to a closure or a queue. Only the registration differs: the callback goes to
//! `NET_DVR_SetPlayDataCallBack_V40` after `NET_DVR_PlayBackByTime_V40` /
//! `NET_DVR_PlayBackByName`, then `NET_DVR_PLAYSTART` starts the flow.

mod handle;
mod pace;

use std::sync::Arc;

use hcnetsdk_media::Frame;
use hcnetsdk_sys as sys;
use jiff::tz::TimeZone;

pub use handle::Playback;

use crate::error::{Context, Error, Result};
use crate::ffi::real_data::ErasedBox;
use crate::ffi::{channel_long, cstr, resolve};
use crate::preview::frames::{deliver_frame_queue, deliver_frames};
use crate::preview::{
    Deliver, FrameReceiver, Packet, PacketHandler, PacketReceiver, QueueHandle, callback_state,
    deliver_queue,
};
use crate::recordings::check_order;
use crate::session::Session;
use crate::time::{DeviceTime, TimeBasis};
use pace::{Ends, PaceCtl, Paced};

/// How a playback ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlaybackEnd {
    /// Everything was played (the SDK's position 100, or its end marker
    /// `NET_DVR_PLAYBACK_ALLFILEEND`).
    Complete,
    /// The network failed (the SDK's position 200): what came is all that will come.
    NetworkFailure,
}

/// Something that happened to a playback ([`Playback::next_event`], and with feature
/// `tokio` `Playback::events`). Each playback has one: the last thing that happens to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlaybackEvent {
    /// The stream ended; no more data will come.
    Ended(PlaybackEnd),
    /// Its session logged out, which stopped it.
    StoppedByLogout,
}

/// Where a playback is ([`Playback::position`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlaybackPosition {
    /// Playing: this percentage of the range (0..=99).
    Playing(u8),
    /// Ended.
    Ended(PlaybackEnd),
}

impl Session {
    /// Play `channel`'s recording from `from` to `to` back ([`PlaybackBuilder`]). The times
    /// are read as in [`RecordingSearch::range`](crate::RecordingSearch::range).
    ///
    /// # Errors
    /// A channel that is not on the device, before any SDK call.
    pub fn playback_by_time(
        &self,
        channel: u32,
        from: impl Into<DeviceTime>,
        to: impl Into<DeviceTime>,
    ) -> Result<PlaybackBuilder> {
        let channel = self.check_channel(channel)?;
        Ok(PlaybackBuilder::new(
            self.clone(),
            Source::Time {
                channel,
                from: from.into(),
                to: to.into(),
            },
        ))
    }

    /// Play the device's file `name` (a [`Recording::name`](crate::Recording::name)) back
    /// ([`PlaybackBuilder`]).
    pub fn playback_by_name(&self, name: impl Into<String>) -> PlaybackBuilder {
        PlaybackBuilder::new(self.clone(), Source::Name(name.into()))
    }
}

#[derive(Debug, Clone)]
enum Source {
    Time {
        channel: u32,
        from: DeviceTime,
        to: DeviceTime,
    },
    Name(String),
}

/// A playback being set up ([`Session::playback_by_time`], [`Session::playback_by_name`]);
/// the `start*` methods start it, each delivering as the same method of
/// [`PreviewBuilder`](crate::PreviewBuilder) does.
///
/// **Pacing.** The SDK hands playback data to its callback as fast as the device sends it,
/// which is usually faster than real time. With [`real_time`](Self::real_time) this crate
/// paces it by the stream's own time stamps (and the speed set by
/// [`Playback::fast`] / [`Playback::slow`]), sleeping in the SDK's callback, which slows the
/// device down in turn. **The default is off**: data as fast as it comes, which is what a
/// consumer writing a file wants; turn it on for a screen-like consumer (a player, a
/// relay), as `hcnet playback` does when it writes to standard output.
#[derive(Debug, Clone)]
#[must_use]
pub struct PlaybackBuilder {
    session: Session,
    source: Source,
    basis: TimeBasis,
    real_time: bool,
}

impl PlaybackBuilder {
    fn new(session: Session, source: Source) -> Self {
        Self {
            session,
            source,
            basis: TimeBasis::default(),
            real_time: false,
        }
    }

    /// The zone the device's clock is in, so that the range may be given as instants.
    pub fn device_zone(mut self, zone: TimeZone) -> Self {
        self.basis = self.basis.with_device_zone(zone);
        self
    }

    /// How the SDK's times are written and read (default: device-local, zone unknown).
    pub fn time_basis(mut self, basis: TimeBasis) -> Self {
        self.basis = basis;
        self
    }

    /// Pace delivery by the recording's time stamps (default `false`: as fast as the SDK
    /// delivers; see the type's docs).
    pub fn real_time(mut self, on: bool) -> Self {
        self.real_time = on;
        self
    }

    /// Start, calling `handler` for every packet on the SDK's thread (see
    /// [`PreviewBuilder::start`](crate::PreviewBuilder::start) for the rules).
    ///
    /// # Errors
    /// Before any SDK call: a range that ends before it starts or needs a zone nobody
    /// stated, a name with a NUL byte. Then the SDK's code from
    /// `NET_DVR_PlayBackByTime_V40` / `NET_DVR_PlayBackByName` (4 for a channel the device
    /// does not record, 33 when it has no recording there), `NET_DVR_SetPlayDataCallBack_V40`
    /// or `NET_DVR_PlayBackControl_V40` (`NET_DVR_PLAYSTART`).
    #[doc(alias = "NET_DVR_PlayBackByTime_V40")]
    #[doc(alias = "NET_DVR_PlayBackByName")]
    #[doc(alias = "NET_DVR_SetPlayDataCallBack_V40")]
    pub fn start<F>(self, handler: F) -> Result<Playback>
    where
        F: FnMut(Packet<'_>) + Send + 'static,
    {
        self.deliver(handler, None)
    }

    /// Start and receive the packets through a bounded queue of `capacity` (see
    /// [`PreviewBuilder::start_queue`](crate::PreviewBuilder::start_queue)). The queue
    /// closes at the end of the stream, after its last packet.
    ///
    /// # Errors
    /// As for [`start`](Self::start); also a `capacity` of 0.
    pub fn start_queue(self, capacity: usize) -> Result<(Playback, PacketReceiver)> {
        deliver_queue(self, capacity)
    }

    /// Start, demux on the SDK's thread, and call `handler` with every frame (see
    /// [`PreviewBuilder::start_frames`](crate::PreviewBuilder::start_frames)). A frame's
    /// PTS is the recording's.
    ///
    /// # Errors
    /// As for [`start`](Self::start).
    pub fn start_frames<F>(self, handler: F) -> Result<Playback>
    where
        F: FnMut(&Frame<'_>) + Send + 'static,
    {
        deliver_frames(self, handler)
    }

    /// Start, demux on the SDK's thread, and receive frames through a bounded queue (see
    /// [`PreviewBuilder::start_frame_queue`](crate::PreviewBuilder::start_frame_queue)).
    /// The queue closes at the end of the stream.
    ///
    /// # Errors
    /// As for [`start`](Self::start); also a `capacity` of 0.
    pub fn start_frame_queue(self, capacity: usize) -> Result<(Playback, FrameReceiver)> {
        deliver_frame_queue(self, capacity)
    }

    /// `NET_DVR_PlayBackByTime_V40` / `NET_DVR_PlayBackByName`: the handle and the context
    /// of its calls.
    fn open(&self, user: i32) -> Result<(i32, Context, Option<u32>)> {
        match &self.source {
            Source::Time { channel, from, to } => {
                let ctx = self.session.channel_context(*channel);
                let with = |e: Error| e.with_context(ctx.clone());
                let start = self.basis.to_sdk(from).map_err(with)?;
                let stop = self.basis.to_sdk(to).map_err(with)?;
                check_order(&start, &stop, from, to).map_err(with)?;
                let mut vod = sys::NET_DVR_VOD_PARA {
                    dwSize: std::mem::size_of::<sys::NET_DVR_VOD_PARA>() as u32,
                    struBeginTime: start,
                    struEndTime: stop,
                    ..Default::default()
                };
                vod.struIDInfo.dwSize = std::mem::size_of::<sys::NET_DVR_STREAM_INFO>() as u32;
                vod.struIDInfo.dwChannel = channel_long(*channel)?.unsigned_abs();
                let f = resolve!(self.session.sdk().lib(), NET_DVR_PlayBackByTime_V40);
                // SAFETY: `vod` is a live NET_DVR_VOD_PARA the SDK reads during the call.
                let h = f.handle(&ctx, |f| unsafe { f(user, &raw const vod) })?;
                Ok((h, ctx, Some(*channel)))
            }
            Source::Name(name) => {
                let ctx = self.session.context();
                // The real SDK refuses these with 17 before it looks at anything else
                // (measured: conformance `playback_start_user_ids`).
                if name.is_empty() || name.len() >= 100 {
                    return Err(Error::invalid_input(
                        "file name",
                        format!("{name:?} ({} bytes)", name.len()),
                        "give a recording's name as a search lists it (1 to 99 bytes)",
                    )
                    .with_context(ctx));
                }
                let c_name =
                    cstr::c_string("file name", name).map_err(|e| e.with_context(ctx.clone()))?;
                let no_window = sys::NET_DVR_VOD_PARA::default().hWnd;
                let f = resolve!(self.session.sdk().lib(), NET_DVR_PlayBackByName);
                let n = c_name.as_ptr().cast_mut();
                // SAFETY: a NUL-terminated name the SDK reads during the call; no window.
                let h = f.handle(&ctx, |f| unsafe { f(user, n, no_window) })?;
                Ok((h, ctx, None))
            }
        }
    }
}

/// Register the data callback of a playback handle; on failure the handle is stopped
/// (the SDK never took the pointer) and the state freed.
fn set_callback(
    session: &Session,
    handle: i32,
    ctx: &Context,
    boxed: &ErasedBox,
    trampoline: sys::REALDATACALLBACK,
) -> Result<()> {
    let user = boxed.user_ptr();
    // SAFETY: the trampoline matches the callback's shape for the state `user` points to
    // (see `callback_state`), which lives until StopPlayBack has returned.
    resolve!(session.sdk().lib(), NET_DVR_SetPlayDataCallBack_V40)
        .bool(ctx, |f| unsafe { f(handle, trampoline, user) })
}

impl Deliver for PlaybackBuilder {
    type Handle = Playback;

    fn deliver<F: PacketHandler>(self, handler: F, queue: Option<QueueHandle>) -> Result<Playback> {
        let pace = Arc::new(PaceCtl::new(self.real_time));
        let session = self.session.clone();
        // Held from the SDK call until the handle is registered, so that a logout either
        // stops it or finds nothing to stop (see ARCHITECTURE.md).
        let live = session.live()?;
        let (handle, ctx, channel) = self.open(live.user_id())?;
        let ctx = ctx.with_handle(handle);
        let ends = Ends::new(queue);
        let paced = Paced::new(handler, Arc::clone(&pace), Arc::clone(&ends));
        let (shared, boxed, trampoline) = callback_state(paced);
        if let Err(e) = set_callback(&session, handle, &ctx, &boxed, trampoline) {
            handle::stop_unregistered(&session, handle, &ctx);
            // SAFETY: the SDK refused the callback, so it holds no pointer to the state.
            unsafe { boxed.free() };
            return Err(e);
        }
        tracing::info!(
            handle,
            ?channel,
            real_time = self.real_time,
            "playback opened"
        );
        let playback = Playback::register(handle::Started {
            session: self.session,
            handle,
            channel,
            ctx,
            basis: self.basis,
            shared,
            handler: boxed,
            ends,
            pace,
        });
        drop(live);
        let playback = playback?;
        playback.play_start()?; // a failure drops `playback`, which stops it
        Ok(playback)
    }
}

#[cfg(test)]
mod tests {
    use super::pace::first_video_pts;

    #[test]
    fn the_first_video_pts_is_read_from_a_pes_header() {
        // A pack header's start, then a video PES with PTS 0x1_2345_6789 (33 bits).
        let pts: u64 = 0x1_2345_6789;
        let mut p = vec![0, 0, 1, 0xBA, 0x44, 0, 0, 0, 1, 0xE0, 0, 20, 0x80, 0x80, 5];
        p.push(0x21 | (((pts >> 30) as u8 & 7) << 1));
        p.push((pts >> 22) as u8);
        p.push(((pts >> 15) as u8) << 1 | 1);
        p.push((pts >> 7) as u8);
        p.push(((pts as u8) << 1) | 1);
        p.extend_from_slice(&[0, 0, 0, 1, 0x65]);
        assert_eq!(first_video_pts(&p), Some(pts));
        assert_eq!(first_video_pts(&p[..12]), None, "cut short");
        assert_eq!(
            first_video_pts(&[0, 0, 1, 0xC0, 0, 8, 0x80, 0x80, 5, 0, 0, 0, 0, 0]),
            None
        );
    }
}
