//! The media a simulated device streams and serves: camera-shaped MPEG-PS for the mock's live
//! preview, muxed at first use from our own elementary-stream clips; the same clips as
//! access units for an RTP server ([`elementary`]); and a real JPEG for snapshots.
//!
//! The files in `media/` are synthetic clips made with ffmpeg (`testsrc2` and a sine tone);
//! `media/README.md` has the exact commands, so anyone can regenerate them.
//!
//! | file         | content                                                      |
//! |--------------|--------------------------------------------------------------|
//! | `main.h264`  | H.264 Main, 640x360, 25 fps, 2 s (50 frames), IDR every 25   |
//! | `sub.h264`   | H.264 Constrained Baseline, 320x180, 25 fps, 2 s             |
//! | `main.h265`  | H.265 Main, 640x360, 25 fps, 2 s, IDR every 25               |
//! | `sub.h265`   | H.265 Main, 320x180, 25 fps, 2 s                             |
//! | `audio.ulaw` | G.711 µ-law, 8 kHz mono, 2 s                                 |
//! | `audio.alaw` | G.711 A-law, 8 kHz mono, 2 s                                 |
//! | `audio.aac`  | AAC-LC in ADTS, 16 kHz mono, 32 kbit/s, 2 s                  |
//! | `snapshot.jpg` | baseline JPEG, 704x576                                     |
//!
//! A preview's stream is a [`Clip`]: what the real SDK hands its data callback, as a table
//! of callbacks built once per [`StreamKind`] with `hcnetsdk_media::mux` (see
//! `shared/reference/real-sdk-isapi.md`, "What the data callback receives"): the 40-byte
//! IMKH header (type 1), then one type-2 callback per PES packet. The worker copies one
//! entry per callback and, from the second loop on, rewrites its time stamps and frame
//! counter ([`Clip::fill`]), so the looped stream runs on like a camera's.
//!
//! The emulator's RTSP face streams the same clips unmuxed: [`elementary`] gives, per
//! [`StreamKind`], the video access units (Annex B, with PTS and key flag;
//! [`AccessUnit::nal_units`] for packetising) and the audio frames of one loop.

mod build;
mod es;

pub use es::{AccessUnit, AudioFrame, AudioTrack, Elementary, VideoTrack, elementary};

use std::sync::Mutex;

use serde::Deserialize;

use crate::lock;

const SNAPSHOT_JPG: &[u8] = include_bytes!("media/snapshot.jpg");

/// Video codec of a stream (scenario `video_codec`, `sub_video_codec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum VideoCodec {
    /// H.264 (PSM stream type 0x1B, IMKH 0x0100).
    #[default]
    H264,
    /// H.265 (PSM stream type 0x24, IMKH 0x0005).
    H265,
}

/// Audio codec of a stream (scenario `audio_codec`, `sub_audio_codec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AudioCodec {
    /// No audio.
    #[default]
    None,
    /// G.711 µ-law, 8 kHz mono (PSM 0x91, IMKH 0x7110).
    G711u,
    /// G.711 A-law, 8 kHz mono (PSM 0x90, IMKH 0x7111).
    G711a,
    /// AAC-LC in ADTS, 16 kHz mono (PSM 0x0F, IMKH 0x2001).
    Aac,
}

/// How the program stream is laid out beyond what the real SDK does (scenario options of a
/// device, for cameras that stream natively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    /// A system header (0xBB) after the pack header at every keyframe.
    pub system_header: bool,
    /// A private 0xBD packet, whose payload holds start-code-like bytes, after every 5th
    /// frame (its own callback).
    pub private_packets: bool,
    /// Largest PES payload: NAL units over this are split (the SDK: 5096).
    pub max_pes_payload: u16,
}

/// The SDK's split size for NAL units.
pub const SDK_MAX_PES_PAYLOAD: u16 = 5096;

impl Default for Shape {
    fn default() -> Self {
        Shape {
            system_header: false,
            private_packets: false,
            max_pes_payload: SDK_MAX_PES_PAYLOAD,
        }
    }
}

/// Everything that decides a preview's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StreamKind {
    /// Sub stream (320x180) rather than main (640x360).
    pub sub: bool,
    pub video: VideoCodec,
    pub audio: AudioCodec,
    pub shape: Shape,
}

/// Video frames per second of every clip.
pub const FPS: u32 = 25;
/// 90 kHz ticks per video frame.
pub const FRAME_TICKS: u64 = 90_000 / FPS as u64;
/// PTS of the first frame of the first loop.
pub const PTS0: u64 = 90_000;

/// One callback of the table.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Byte range in [`Clip::bytes`].
    start: u32,
    len: u32,
    /// When it is due, from the start of the loop (µs).
    at_us: u32,
    /// Starts with a pack header (SCR and frame counter to rewrite).
    pack: bool,
    /// Offset of the PES's 5-byte PTS field, 0 if it has none.
    pts_at: u16,
    /// The PTS (and SCR) written in the first loop.
    pts: u32,
    /// The frame counter written in the first loop.
    frame: u32,
}

/// A preview's stream: the IMKH header and the table of type-2 callbacks of one loop.
#[derive(Debug)]
pub struct Clip {
    header: [u8; 40],
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    /// Video frames per loop.
    frames: u32,
    /// Play time of one loop (µs).
    duration_us: u64,
}

impl Clip {
    /// The 40-byte IMKH header (type 1, `NET_DVR_SYSHEAD`), also the start of a
    /// `SaveRealData` file.
    pub fn header(&self) -> [u8; 40] {
        self.header
    }

    /// Type-2 callbacks per loop.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty (never, for a built clip).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Play time of one loop, in µs.
    pub fn duration_us(&self) -> u64 {
        self.duration_us
    }

    /// When callback `i` is due, from the start of its loop (µs).
    pub fn due_us(&self, i: usize) -> u64 {
        u64::from(self.entries[i].at_us)
    }

    /// Callback `i` of the first loop, as stored.
    pub fn packet(&self, i: usize) -> &[u8] {
        let e = &self.entries[i];
        &self.bytes[e.start as usize..(e.start + e.len) as usize]
    }

    /// Average bitrate of the type-2 data (bit/s).
    pub fn bitrate_bps(&self) -> u64 {
        self.bytes.len() as u64 * 8 * 1_000_000 / self.duration_us.max(1)
    }

    /// Put callback `i` of loop `lap` (0 = the first) into `buf`: the stored bytes with the
    /// SCR, PTS and frame counter moved on by `lap` loops, as a camera's stream runs on.
    pub fn fill(&self, i: usize, lap: u64, buf: &mut Vec<u8>) {
        let e = self.entries[i];
        buf.clear();
        buf.extend_from_slice(self.packet(i));
        if lap == 0 {
            return;
        }
        let shift = lap.wrapping_mul(u64::from(self.frames) * FRAME_TICKS);
        let ts = (u64::from(e.pts) + shift) & ((1 << 33) - 1);
        if e.pack {
            build::write_scr(&mut buf[4..9], ts);
            let n = (u64::from(e.frame) + lap * u64::from(self.frames)) as u32;
            buf[16..20].copy_from_slice(&n.to_be_bytes());
        }
        if e.pts_at != 0 {
            let at = usize::from(e.pts_at);
            build::write_pts(&mut buf[at..at + 5], ts);
        }
    }
}

/// The clip for `kind`, built on first use and kept for the life of the process.
pub fn clip(kind: StreamKind) -> &'static Clip {
    static CLIPS: Mutex<Vec<(StreamKind, &'static Clip)>> = Mutex::new(Vec::new());
    let mut clips = lock(&CLIPS);
    if let Some((_, c)) = clips.iter().find(|(k, _)| *k == kind) {
        return c;
    }
    let c: &'static Clip = Box::leak(Box::new(build::build(kind)));
    clips.push((kind, c));
    c
}

/// A real 704x576 baseline JPEG (starts `FF D8`, ends `FF D9`).
pub fn snapshot_jpeg() -> &'static [u8] {
    SNAPSHOT_JPG
}

#[cfg(test)]
mod tests;
