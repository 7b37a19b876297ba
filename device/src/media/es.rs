//! The clips as elementary streams: what an RTP server packetises (RFC 6184 / RFC 7798 for
//! the video's NAL units, RFC 3551 / RFC 3640 for G.711 and AAC), from the same files and
//! with the same time stamps as the PS clips.

use std::sync::Mutex;

use hcnetsdk_media::mux;

use super::build::{self, audio_codec, video_es, video_size};
use super::{AudioCodec, FRAME_TICKS, PTS0, StreamKind, VideoCodec};
use crate::lock;

/// One video frame.
#[derive(Debug, Clone)]
pub struct AccessUnit {
    /// The frame's NAL units in Annex B form (each after a start code).
    pub data: Vec<u8>,
    /// 90 kHz time stamp in the first loop (the PS clip's PTS of the same frame).
    pub pts: u64,
    /// An IDR frame (with its parameter sets in front).
    pub key: bool,
}

impl AccessUnit {
    /// The NAL units without their start codes (trailing zero bytes of a 4-byte start code
    /// removed), in order.
    pub fn nal_units(&self) -> impl Iterator<Item = &[u8]> {
        split_annex_b(&self.data)
    }
}

/// The video of one loop.
#[derive(Debug, Clone)]
pub struct VideoTrack {
    /// H.264 or H.265.
    pub codec: VideoCodec,
    /// Display size in pixels.
    pub width: u16,
    /// Display height in pixels.
    pub height: u16,
    /// Frames per second ([`super::FPS`]).
    pub fps: u32,
    /// Every frame of one loop, PTS rising by [`FRAME_TICKS`] from [`PTS0`].
    pub units: Vec<AccessUnit>,
}

impl VideoTrack {
    /// Length of one loop in 90 kHz ticks.
    pub fn loop_ticks(&self) -> u64 {
        self.units.len() as u64 * FRAME_TICKS
    }
}

/// One audio frame: 320 bytes (40 ms) of G.711, or one ADTS frame (1024 samples) of AAC.
#[derive(Debug, Clone, Copy)]
pub struct AudioFrame {
    /// The bytes as stored (AAC with its 7-byte ADTS header).
    pub data: &'static [u8],
    /// 90 kHz time stamp in the first loop.
    pub pts: u64,
}

/// The audio of one loop (as long as the video's).
#[derive(Debug, Clone)]
pub struct AudioTrack {
    /// G.711µ, G.711A or AAC.
    pub codec: AudioCodec,
    /// 8000 (G.711) or 16000 (AAC).
    pub sample_rate: u32,
    /// Channels: always 1.
    pub channels: u8,
    /// The frames, in time order.
    pub frames: Vec<AudioFrame>,
}

/// A stream's elementary content: video and, when the stream has audio, audio.
#[derive(Debug, Clone)]
pub struct Elementary {
    /// The video frames.
    pub video: VideoTrack,
    /// The audio frames, if the stream carries audio.
    pub audio: Option<AudioTrack>,
}

/// The elementary streams of `kind` (its PS `shape` does not matter), built on first use
/// and kept for the life of the process.
pub fn elementary(kind: StreamKind) -> &'static Elementary {
    /// What decides the elementary streams: sub or main, and the codecs.
    type Key = (bool, VideoCodec, AudioCodec);
    static CACHE: Mutex<Vec<(Key, &'static Elementary)>> = Mutex::new(Vec::new());
    let key = (kind.sub, kind.video, kind.audio);
    let mut cache = lock(&CACHE);
    if let Some((_, e)) = cache.iter().find(|(k, _)| *k == key) {
        return e;
    }
    let e: &'static Elementary = Box::leak(Box::new(make(kind)));
    cache.push((key, e));
    e
}

fn make(kind: StreamKind) -> Elementary {
    let (es, codec) = video_es(kind.video, kind.sub);
    let (width, height) = video_size(kind.sub);
    let mut units = Vec::new();
    mux::access_units(codec, es, |au, key| {
        let pts = PTS0 + units.len() as u64 * FRAME_TICKS;
        units.push(AccessUnit {
            data: au.to_vec(),
            pts,
            key,
        });
    });
    let video = VideoTrack {
        codec: kind.video,
        width,
        height,
        fps: super::FPS,
        units,
    };
    let audio = audio_codec(kind.audio).map(|_| AudioTrack {
        codec: kind.audio,
        sample_rate: if kind.audio == AudioCodec::Aac {
            16_000
        } else {
            8_000
        },
        channels: 1,
        frames: build::audio_frames(kind.audio, video.loop_ticks())
            .into_iter()
            .map(|(data, pts)| AudioFrame { data, pts })
            .collect(),
    });
    Elementary { video, audio }
}

/// Split Annex B bytes at their start codes (`00 00 01`, `00 00 00 01`).
pub(super) fn split_annex_b(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|s| s - 3)
        .chain([data.len()])
        .collect();
    starts.into_iter().zip(ends).filter_map(move |(s, e)| {
        let mut nal = &data[s..e];
        while let [rest @ .., 0] = nal {
            nal = rest;
        }
        (!nal.is_empty()).then_some(nal)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_units_match_the_clip() {
        for video in [VideoCodec::H264, VideoCodec::H265] {
            let kind = StreamKind {
                video,
                audio: AudioCodec::G711u,
                ..StreamKind::default()
            };
            let e = elementary(kind);
            assert_eq!(e.video.units.len(), 50);
            assert_eq!(e.video.units.iter().filter(|u| u.key).count(), 2);
            assert!(e.video.units[0].key && e.video.units[0].pts == PTS0);
            assert_eq!(e.video.units[1].pts, PTS0 + FRAME_TICKS);
            let nals: Vec<&[u8]> = e.video.units[0].nal_units().collect();
            assert!(nals.len() >= 3, "parameter sets and the IDR slice");
            assert!(nals.iter().all(|n| !n.is_empty() && n[0] & 0x80 == 0));
            let audio = e.audio.as_ref().expect("audio");
            assert_eq!(audio.frames.len(), 50);
            assert!(audio.frames.iter().all(|f| f.data.len() == 320));
        }
    }

    #[test]
    fn annex_b_split() {
        let d = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0,
        ];
        let v: Vec<&[u8]> = split_annex_b(&d).collect();
        assert_eq!(v, vec![&[0x67, 1, 2][..], &[0x68, 3][..], &[0x65][..]]);
    }
}
