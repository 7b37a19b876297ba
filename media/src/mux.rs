//! A small muxer of camera-shaped Hikvision PS, as the real SDK's data callback delivers
//! it (see `shared/reference/real-sdk-isapi.md`, "What the data callback receives"):
//!
//! - a 40-byte IMKH header ([`Muxer::media_info`]);
//! - each video frame's first PES behind a pack header whose SCR equals the PTS and whose
//!   6 stuffing bytes are `ff ff` and a 32-bit frame counter; a program stream map after
//!   it at each keyframe (Hikvision descriptors 0x40 and 0x41, the video entry with
//!   descriptor 0x42 carrying the coded size, a `bd bd` entry, the CRC);
//! - stream 0xE0, one NAL unit per PES, NAL units longer than [`MuxConfig::max_payload`]
//!   split over several PES, the PTS only on a frame's first PES (flags `8c 80`, others
//!   `8c 00`), `ff` header stuffing padding each PES to a multiple of 4 bytes;
//! - audio as one PES on 0xC0 per frame, with its PTS.
//!
//! The bodies of descriptors 0x40 and 0x41 were not measured: they are zero-filled here.
//! Each output callback receives what one SDK data callback (type 2) would.

use crate::pes::write_ts;
use crate::video::{VideoAssembler, is_key_nal, next_nal};
use crate::{Codec, Frame, MediaInfo};

/// What the muxer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MuxConfig {
    /// Video codec of the access units given (H.264 or H.265).
    pub video: Codec,
    /// Audio codec, if audio frames will be written (G.711µ/A, AAC).
    pub audio: Option<Codec>,
    /// Coded width for the PSM's descriptor 0x42.
    pub width: u16,
    /// Coded height for the PSM's descriptor 0x42.
    pub height: u16,
    /// The stream type the PSM announces for video; `None`: the true one. (Some H.265
    /// cameras announce H.264.)
    pub psm_stream_type: Option<u8>,
    /// Write a PSM at each keyframe.
    pub psm: bool,
    /// Largest PES payload (the SDK splits NAL units over 5095 bytes).
    pub max_payload: usize,
    /// Video stream id (0xE0 on cameras).
    pub video_stream_id: u8,
}

impl MuxConfig {
    /// Camera defaults for `video` at `width` x `height`, no audio.
    #[must_use]
    pub fn new(video: Codec, width: u16, height: u16) -> Self {
        Self {
            video,
            audio: None,
            width,
            height,
            psm_stream_type: None,
            psm: true,
            max_payload: 5096,
            video_stream_id: 0xe0,
        }
    }
}

/// The muxer. Buffers are reused: writing allocates nothing in steady state.
#[derive(Debug)]
pub struct Muxer {
    cfg: MuxConfig,
    counter: u32,
    psm_version: u8,
    buf: Vec<u8>,
}

impl Muxer {
    /// A muxer writing `cfg`.
    #[must_use]
    pub fn new(cfg: MuxConfig) -> Self {
        Self {
            cfg,
            counter: 0,
            psm_version: 0,
            buf: Vec::with_capacity(8192),
        }
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &MuxConfig {
        &self.cfg
    }

    /// Changes what is written from the next frame on (a new PSM version at the next
    /// keyframe): a mid-stream codec or resolution change.
    pub fn set_config(&mut self, cfg: MuxConfig) {
        self.cfg = cfg;
        self.psm_version = (self.psm_version + 1) & 0x1f;
    }

    /// Restarts the pack-header frame counter at 0 (as after a reconnect).
    pub fn restart(&mut self) {
        self.counter = 0;
    }

    /// Sets the pack-header frame counter of the next frame.
    ///
    /// ffmpeg's PS demuxer finds start codes by scanning rather than by the pack's
    /// stuffing length, so counter values whose bytes hold `00 00 01` (1, 256, 65 536 ...)
    /// make it lose that frame; starting at 2 keeps short test clips clear of them.
    pub fn set_frame_counter(&mut self, n: u32) {
        self.counter = n;
    }

    /// The IMKH header for this stream (system format PS).
    #[must_use]
    pub fn media_info(&self) -> MediaInfo {
        MediaInfo::new_ps(self.cfg.video, self.cfg.audio)
    }

    /// Writes one video access unit (Annex B) with presentation time `pts` (90 kHz; the
    /// low 33 bits are written). `out` receives each SDK-callback-sized packet.
    pub fn write_video(&mut self, au: &[u8], pts: u64, mut out: impl FnMut(&[u8])) {
        let codec = self.cfg.video;
        let mut key = false;
        let mut at = 0;
        while let Some((_, h)) = next_nal(au, at) {
            key |= is_key_nal(codec, &au[h..(h + 3).min(au.len())]);
            at = h;
        }
        self.buf.clear();
        self.pack_header(pts);
        if key && self.cfg.psm {
            self.psm();
        }
        // One NAL unit (with its start code) per PES; bytes before the first start code
        // go with the first.
        let (mut first, mut start, mut at) = (true, 0, 0);
        while let Some((s, h)) = next_nal(au, at) {
            if s > start {
                self.nal_pes(&au[start..s], pts, &mut first, &mut out);
                start = s;
            }
            at = h;
        }
        self.nal_pes(&au[start..], pts, &mut first, &mut out);
        self.counter = self.counter.wrapping_add(1);
    }

    /// One NAL unit as PES packets of at most `max_payload` bytes.
    fn nal_pes(&mut self, nal: &[u8], pts: u64, first: &mut bool, out: &mut impl FnMut(&[u8])) {
        for chunk in nal.chunks(self.cfg.max_payload.max(1)) {
            let ts = first.then_some(pts);
            *first = false;
            pes(&mut self.buf, self.cfg.video_stream_id, ts, chunk);
            out(&self.buf);
            self.buf.clear();
        }
    }

    /// Writes one audio frame as a PES on 0xC0 with presentation time `pts`.
    pub fn write_audio(&mut self, data: &[u8], pts: u64, mut out: impl FnMut(&[u8])) {
        self.buf.clear();
        for chunk in data.chunks(65_000) {
            pes(&mut self.buf, 0xc0, Some(pts), chunk);
        }
        out(&self.buf);
        self.buf.clear();
    }

    fn pack_header(&mut self, scr: u64) {
        let s = scr & ((1 << 33) - 1);
        let mux_rate: u32 = 6106;
        self.buf.extend_from_slice(&[
            0,
            0,
            1,
            0xba,
            0x40 | ((s >> 27) as u8 & 0x38) | 0x04 | ((s >> 28) as u8 & 0x03),
            (s >> 20) as u8,
            ((s >> 12) as u8 & 0xf8) | 0x04 | ((s >> 13) as u8 & 0x03),
            (s >> 5) as u8,
            ((s << 3) as u8 & 0xf8) | 0x04,
            0x01,
            (mux_rate >> 14) as u8,
            (mux_rate >> 6) as u8,
            ((mux_rate << 2) as u8) | 3,
            0xf8 | 6,
            0xff,
            0xff,
        ]);
        self.buf.extend_from_slice(&self.counter.to_be_bytes());
    }

    fn psm(&mut self) {
        let at = self.buf.len();
        let vtype = self
            .cfg
            .psm_stream_type
            .unwrap_or(self.cfg.video.stream_type());
        let (w, h) = (self.cfg.width.to_be_bytes(), self.cfg.height.to_be_bytes());
        let mut body = [0u8; 96];
        let mut n = 0;
        let mut put = |bytes: &[u8]| {
            body[n..n + bytes.len()].copy_from_slice(bytes);
            n += bytes.len();
        };
        put(&[0x80 | 0x20 | self.psm_version, 0xff, 0, 16]);
        put(&[0x40, 6, 0, 0, 0, 0, 0, 0, 0x41, 6, 0, 0, 0, 0, 0, 0]);
        let es_len: u8 = 4 + 10 + 4 + if self.cfg.audio.is_some() { 4 } else { 0 };
        put(&[0, es_len, vtype, self.cfg.video_stream_id, 0, 10]);
        put(&[0x42, 8, w[0], w[1], h[0], h[1], 0, 0, 0, 0]);
        if let Some(a) = self.cfg.audio {
            put(&[a.stream_type(), 0xc0, 0, 0]);
        }
        put(&[0xbd, 0xbd, 0, 0]);
        let len = (n + 4) as u16;
        self.buf.extend_from_slice(&[0, 0, 1, 0xbc]);
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(&body[..n]);
        let crc = crc32_mpeg(&self.buf[at..]);
        self.buf.extend_from_slice(&crc.to_be_bytes());
    }
}

/// Appends one PES packet (flags `8c 80` with a PTS, `8c 00` without), its header
/// stuffed with `ff` so the packet is a multiple of 4 bytes.
fn pes(out: &mut Vec<u8>, id: u8, pts: Option<u64>, payload: &[u8]) {
    let ts_len = if pts.is_some() { 5 } else { 0 };
    let stuff = (4 - (9 + ts_len + payload.len()) % 4) % 4;
    let len = (3 + ts_len + stuff + payload.len()) as u16;
    out.extend_from_slice(&[0, 0, 1, id]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&[
        0x8c,
        if pts.is_some() { 0x80 } else { 0 },
        (ts_len + stuff) as u8,
    ]);
    if let Some(t) = pts {
        write_ts(out, 2, t & ((1 << 33) - 1));
    }
    out.extend(std::iter::repeat_n(0xff, stuff));
    out.extend_from_slice(payload);
}

/// CRC-32/MPEG-2 (the PSM's CRC).
#[must_use]
pub fn crc32_mpeg(data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &b in data {
        crc ^= u32::from(b) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// Splits an Annex B elementary stream into access units (the demuxer's own rules) and
/// calls `each` with every unit's bytes and whether it is a keyframe.
pub fn access_units(codec: Codec, es: &[u8], mut each: impl FnMut(&[u8], bool)) {
    let mut asm = VideoAssembler::new(usize::MAX / 2);
    asm.set_hint(codec);
    let mut f = |fr: &Frame<'_>| each(fr.data, fr.key);
    for piece in es.chunks(64 << 10) {
        asm.push(piece, &mut f);
    }
    asm.finish(&mut f);
}

/// Muxes a whole Annex B elementary stream into a camera-shaped PS byte string: the IMKH
/// header, then every access unit at `pts0 + i * step`.
#[must_use]
pub fn mux_annexb(cfg: MuxConfig, es: &[u8], pts0: u64, step: u64) -> Vec<u8> {
    let mut m = Muxer::new(cfg);
    let mut out = m.media_info().to_bytes().to_vec();
    let mut pts = pts0;
    access_units(cfg.video, es, |au, _| {
        m.write_video(au, pts, |p| out.extend_from_slice(p));
        pts += step;
    });
    out
}
