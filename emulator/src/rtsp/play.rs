//! The RTP task of a PLAY: waits the play delay, then sends every video frame and audio
//! frame when it is due (real-time pace), looping the clip with continuous timestamps and
//! sequence numbers, until aborted or the client goes away.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::UdpSocket;
use tokio::time::Instant;

use super::media::{StreamMedia, VIDEO_CLOCK, VideoCodec};
use super::rtp::{RtpWriter, aac_payload};
use super::session::Writer;

/// Where a track's packets go.
#[derive(Debug, Clone)]
pub(super) enum Sink {
    /// `$`-framed on the RTSP connection, on this channel.
    Tcp { channel: u8 },
    /// UDP datagrams to the client's RTP port.
    Udp {
        socket: Arc<UdpSocket>,
        /// The RTCP socket, held so its port stays ours for the session.
        _rtcp: Option<Arc<UdpSocket>>,
        dest: SocketAddr,
    },
}

/// One set-up track: its sink, its RTP writer, its first timestamp.
#[derive(Debug)]
pub(super) struct Track {
    pub(super) sink: Sink,
    pub(super) rtp: RtpWriter,
    pub(super) ts0: u32,
}

/// Everything the task needs.
#[derive(Debug)]
pub(super) struct PlayPlan {
    pub(super) media: Arc<StreamMedia>,
    pub(super) writer: Writer,
    pub(super) video: Option<Track>,
    pub(super) audio: Option<Track>,
    pub(super) delay: Duration,
    pub(super) max_payload: usize,
}

#[derive(Clone, Copy)]
enum Event {
    Video(usize),
    Audio(usize),
}

/// The clip's events in time order (90 kHz), audio frames past the loop period left out.
fn schedule(media: &StreamMedia) -> Vec<(u64, Event)> {
    let period = media.period();
    let mut events: Vec<(u64, Event)> = media
        .frames
        .iter()
        .enumerate()
        .map(|(i, f)| (f.pts, Event::Video(i)))
        .collect();
    if let Some(audio) = &media.audio {
        let rate = u64::from(audio.codec.clock_rate().max(1));
        for (i, f) in audio.frames.iter().enumerate() {
            let t = f.pts * u64::from(VIDEO_CLOCK) / rate;
            if t < period {
                events.push((t, Event::Audio(i)));
            }
        }
    }
    events.sort_by_key(|(t, _)| *t);
    events
}

/// Runs the stream; returns when the client is gone (TCP write error).
pub(super) async fn run(mut plan: PlayPlan) {
    let media = Arc::clone(&plan.media);
    let period = media.period();
    if period == 0 {
        return;
    }
    tokio::time::sleep(plan.delay).await;
    let start = Instant::now();
    let events = schedule(&media);
    let audio_rate = media
        .audio
        .as_ref()
        .map_or(8000, |a| u64::from(a.codec.clock_rate()));
    for lap in 0u64.. {
        for &(t, ev) in &events {
            let due = lap * period + t;
            tokio::time::sleep_until(start + Duration::from_micros(due * 1_000_000 / 90_000)).await;
            let sent = match ev {
                Event::Video(i) => {
                    let Some(track) = plan.video.as_mut() else {
                        continue;
                    };
                    let frame = &media.frames[i];
                    let ts = track.ts0.wrapping_add((lap * period + frame.pts) as u32);
                    let h265 = media.codec == VideoCodec::H265;
                    let packets = track
                        .rtp
                        .video_frame(h265, &frame.nals, ts, plan.max_payload);
                    send(&plan.writer, &track.sink, &packets).await
                }
                Event::Audio(i) => {
                    let (Some(track), Some(audio)) = (plan.audio.as_mut(), media.audio.as_ref())
                    else {
                        continue;
                    };
                    let frame = &audio.frames[i];
                    let lap_ts = lap * period * audio_rate / u64::from(VIDEO_CLOCK);
                    let ts = track.ts0.wrapping_add((lap_ts + frame.pts) as u32);
                    let payload = match audio.codec {
                        super::AudioCodec::Aac { .. } => aac_payload(&frame.data),
                        _ => frame.data.clone(),
                    };
                    let packet = track.rtp.packet(&payload, ts, true);
                    send(&plan.writer, &track.sink, &[packet]).await
                }
            };
            if sent.is_err() {
                return;
            }
        }
    }
}

/// Runs a playback: the recording's frames once, each due at its media time from the
/// first (gaps between files skipped), RTP timestamps continuous at the frame rate. At the
/// end it waits [`END_LINGER`] and closes its side of the connection (a TCP playback's
/// end of stream as the client sees it).
pub(super) async fn run_recording(mut plan: PlayPlan, spans: Vec<(i64, i64)>) {
    let media = Arc::clone(&plan.media);
    let n = media.frames.len() as i64;
    if n == 0 {
        return;
    }
    let step = u64::from(VIDEO_CLOCK / media.fps.max(1));
    let h265 = media.codec == VideoCodec::H265;
    tokio::time::sleep(plan.delay).await;
    let start = Instant::now();
    let mut k = 0u64;
    for f in spans.iter().flat_map(|&(a, b)| a..b) {
        tokio::time::sleep_until(start + Duration::from_micros(k * step * 1_000_000 / 90_000))
            .await;
        if let Some(track) = plan.video.as_mut() {
            let frame = &media.frames[f.rem_euclid(n) as usize];
            let ts = track.ts0.wrapping_add((k * step) as u32);
            let packets = track
                .rtp
                .video_frame(h265, &frame.nals, ts, plan.max_payload);
            if send(&plan.writer, &track.sink, &packets).await.is_err() {
                return;
            }
        }
        k += 1;
    }
    tracing::info!(frames = k, "RTSP playback: end of the recording");
    tokio::time::sleep(END_LINGER).await;
    let _ = plan.writer.lock().await.shutdown().await;
}

/// How long a playback's connection stays open after its last frame.
pub(super) const END_LINGER: Duration = Duration::from_millis(500);

/// Sends packets: one write of all `$`-framed packets over TCP, or one datagram each
/// over UDP (UDP errors, such as a closed client port, are ignored as a camera would).
async fn send(writer: &Writer, sink: &Sink, packets: &[Vec<u8>]) -> std::io::Result<()> {
    match sink {
        Sink::Tcp { channel } => {
            let mut buf = Vec::with_capacity(packets.iter().map(|p| p.len() + 4).sum());
            for p in packets {
                buf.push(b'$');
                buf.push(*channel);
                buf.extend_from_slice(&(p.len() as u16).to_be_bytes());
                buf.extend_from_slice(p);
            }
            writer.lock().await.write_all(&buf).await
        }
        Sink::Udp { socket, dest, .. } => {
            for p in packets {
                let _ = socket.send_to(p, *dest).await;
            }
            Ok(())
        }
    }
}
