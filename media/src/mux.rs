//! A small muxer of camera-shaped Hikvision PS, as the real SDK's data callback delivers
//! it (see `shared/reference/real-sdk-isapi.md`, "What the data callback receives", and
//! `emulator/README.md`, "The real SDK previews from the RTSP face", which measured it):
//!
//! - a 40-byte IMKH header ([`Muxer::media_info`]);
//! - each video frame's first PES behind a pack header whose SCR equals the PTS and whose
//!   6 stuffing bytes are `ff ff` and a 32-bit frame counter; a program stream map after
//!   it at each keyframe, its version counting up by one per map written, laid out as the
//!   SDK's: Hikvision descriptors 0x40 (14 bytes) and 0x41 (18 bytes) in the program info,
//!   the video entry with descriptor 0x42 (14 bytes, the coded size at bytes 4..8 of its
//!   body), a `bd bd` entry, the CRC (see [`Muxer`]'s private `psm` for each field);
//! - stream 0xE0, one NAL unit per PES, NAL units longer than [`MuxConfig::max_payload`]
//!   split over several PES, the PTS only on a frame's first PES (flags `8c 80`, others
//!   `8c 00`; a piece continuing a split NAL unit has no data alignment: `88 00`);
//! - PES header stuffing of 2 to 5 bytes padding each PES to a multiple of 4 bytes: `ff`
//!   bytes and a last byte `f8 | kind` (the kind of piece, see the private `stuffing_kind`),
//!   as the SDK writes it;
//! - audio as one PES on 0xC0 per frame, with its PTS.
//!
//! Bytes the SDK writes whose meaning is not known are written as zeros here (named in
//! the field comments). Each output callback receives what one SDK data callback
//! (type 2) would.

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
    /// The date and time descriptor 0x40 carries; `None` writes zeros there.
    pub psm_time: Option<PsmTime>,
}

/// A wall-clock time as descriptor 0x40 of the PSM carries it (the SDK writes the time
/// at which it muxed the map, to the second; measured on a machine whose zone is UTC, so
/// whether it is local time or UTC is not known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PsmTime {
    /// Year, 2000 to 2255 (stored as year - 2000 in 8 bits).
    pub year: u16,
    /// Month, 1 to 12 (4 bits).
    pub month: u8,
    /// Day of the month, 1 to 31 (5 bits).
    pub day: u8,
    /// Hour, 0 to 23 (5 bits).
    pub hour: u8,
    /// Minute, 0 to 59 (6 bits).
    pub minute: u8,
    /// Second, 0 to 59 (6 bits).
    pub second: u8,
}

impl PsmTime {
    /// The 34 bits of the packed time, left-aligned in a `u64`'s top bits 63..30:
    /// year - 2000 (8), month (4), day (5), hour (5), minute (6), second (6). Each field
    /// is masked to its width.
    fn packed(self) -> u64 {
        let fields = [
            (u64::from(self.year.saturating_sub(2000)), 8),
            (u64::from(self.month), 4),
            (u64::from(self.day), 5),
            (u64::from(self.hour), 5),
            (u64::from(self.minute), 6),
            (u64::from(self.second), 6),
        ];
        let mut v = 0u64;
        for (x, bits) in fields {
            v = (v << bits) | (x & ((1 << bits) - 1));
        }
        v << 30
    }
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
            psm_time: None,
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

    /// Changes what is written from the next frame on (the PSM at the next keyframe
    /// carries it, with the next version): a mid-stream codec or resolution change.
    pub fn set_config(&mut self, cfg: MuxConfig) {
        self.cfg = cfg;
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
                self.nal_pes(&au[start..s], pts, key, &mut first, &mut out);
                start = s;
            }
            at = h;
        }
        self.nal_pes(&au[start..], pts, key, &mut first, &mut out);
        self.counter = self.counter.wrapping_add(1);
    }

    /// One NAL unit as PES packets of at most `max_payload` bytes.
    fn nal_pes(
        &mut self,
        nal: &[u8],
        pts: u64,
        key: bool,
        first: &mut bool,
        out: &mut impl FnMut(&[u8]),
    ) {
        let pieces = nal.len().div_ceil(self.cfg.max_payload.max(1)).max(1);
        for (i, chunk) in nal.chunks(self.cfg.max_payload.max(1)).enumerate() {
            let ts = first.then_some(pts);
            *first = false;
            let piece = Piece {
                continues: i > 0,
                more: i + 1 < pieces,
            };
            let kind = stuffing_kind(key, piece);
            pes(
                &mut self.buf,
                self.cfg.video_stream_id,
                ts,
                piece,
                kind,
                chunk,
            );
            out(&self.buf);
            self.buf.clear();
        }
    }

    /// Writes one audio frame as a PES on 0xC0 with presentation time `pts`.
    pub fn write_audio(&mut self, data: &[u8], pts: u64, mut out: impl FnMut(&[u8])) {
        self.buf.clear();
        for chunk in data.chunks(65_000) {
            pes(&mut self.buf, 0xc0, Some(pts), Piece::WHOLE, 0, chunk);
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

    /// The program stream map, in the SDK's layout:
    ///
    /// - `00 00 01 bc`, length; `current_next_indicator` 1, two reserved 1 bits and the
    ///   5-bit version (one more per map written); reserved 1 bits and the marker (`ff`);
    /// - program info (36 bytes): descriptors 0x40 and 0x41 ([`hik_descriptors`]);
    /// - the ES map: the video entry with descriptor 0x42 ([`size_descriptor`]), the audio
    ///   entry if any (no descriptor; the SDK writes a 10-byte 0x43 there, not modelled),
    ///   the `bd bd` entry with none;
    /// - CRC-32/MPEG-2 over the whole packet, least significant byte first as the SDK
    ///   writes it (MPEG has it most significant first; demuxers skip it).
    fn psm(&mut self) {
        let at = self.buf.len();
        let vtype = self
            .cfg
            .psm_stream_type
            .unwrap_or(self.cfg.video.stream_type());
        let mut body = [0u8; 96];
        let mut n = 0;
        let mut put = |bytes: &[u8]| {
            body[n..n + bytes.len()].copy_from_slice(bytes);
            n += bytes.len();
        };
        let info = hik_descriptors(self.cfg.psm_time);
        put(&[0x80 | 0x60 | self.psm_version, 0xff, 0, info.len() as u8]);
        put(&info);
        let size = size_descriptor(self.cfg.width, self.cfg.height);
        let video_len = 4 + size.len() as u8;
        let es_len = video_len + 4 + if self.cfg.audio.is_some() { 4 } else { 0 };
        put(&[0, es_len]);
        put(&[vtype, self.cfg.video_stream_id, 0, size.len() as u8]);
        put(&size);
        if let Some(a) = self.cfg.audio {
            put(&[a.stream_type(), 0xc0, 0, 0]);
        }
        put(&[0xbd, 0xbd, 0, 0]);
        let len = (n + 4) as u16;
        self.buf.extend_from_slice(&[0, 0, 1, 0xbc]);
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(&body[..n]);
        let crc = crc32_mpeg(&self.buf[at..]);
        self.buf.extend_from_slice(&crc.to_le_bytes());
        self.psm_version = (self.psm_version + 1) & 0x1f;
    }
}

/// The PSM's program info: Hikvision descriptors 0x40 (14-byte body) and 0x41 (18-byte
/// body), each starting with the ASCII tag `HK` (`48 4b`).
///
/// 0x40's body: `HK`; 2 bytes not understood (the SDK writes `01 00`), zero here; 7 bytes
/// whose first 34 bits are the time ([`PsmTime`]; the SDK's next 22 bits, a one and then
/// zeros, are not understood and zero here); 3 bytes not understood (the SDK writes
/// `ff ff ff`), zero here. 0x41's body: `HK` and 16 zero bytes, as the SDK writes it.
fn hik_descriptors(time: Option<PsmTime>) -> [u8; 36] {
    let mut d = [0u8; 36];
    d[..4].copy_from_slice(&[0x40, 14, b'H', b'K']);
    let t = time.map_or(0, PsmTime::packed).to_be_bytes();
    d[6..13].copy_from_slice(&t[..7]);
    d[16..20].copy_from_slice(&[0x41, 18, b'H', b'K']);
    d
}

/// Descriptor 0x42 of the video entry (14-byte body): 4 bytes not understood (the SDK
/// writes `4d 58 27 64` for H.264 and H.265 alike), zero here; the coded width and
/// height, big-endian, at bytes 4..8; 6 bytes not understood (the SDK writes
/// `12 00 3f 00 1c 21`), zero here.
fn size_descriptor(width: u16, height: u16) -> [u8; 16] {
    let mut d = [0u8; 16];
    d[..2].copy_from_slice(&[crate::psm::HIK_SIZE_DESCRIPTOR, 14]);
    d[6..8].copy_from_slice(&width.to_be_bytes());
    d[8..10].copy_from_slice(&height.to_be_bytes());
    d
}

/// Where a PES sits in its NAL unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Not the NAL unit's first piece (the PES does not start with a start code).
    continues: bool,
    /// More pieces of the NAL unit follow.
    more: bool,
}

impl Piece {
    /// A whole NAL unit (or an audio frame) in one PES.
    const WHOLE: Self = Self {
        continues: false,
        more: false,
    };
}

/// The low 3 bits of the last PES header stuffing byte (`f8 | kind`), as the SDK writes
/// them. Measured: 0 on a non-key frame's PES and on audio, 4 on each PES of a keyframe
/// holding a whole NAL unit (parameter sets, SEI, slice), 5 on the first piece of a
/// keyframe's split NAL unit, 2 on its last piece. Read as bits: 4 "starts a keyframe's
/// NAL unit", 1 "more pieces follow", 2 "continues a NAL unit". The values that reading
/// gives for cases not measured (a middle piece: 3; a split non-key NAL unit: 1, then 2)
/// are what this writes for them.
fn stuffing_kind(key: bool, piece: Piece) -> u8 {
    let start_of_key = key && !piece.continues;
    u8::from(start_of_key) << 2 | u8::from(piece.continues) << 1 | u8::from(piece.more)
}

/// Appends one PES packet: flags `8c` (`88`, no data alignment, on a piece continuing a
/// NAL unit), then `80` with a PTS or `00` without; the header stuffed with 2 to 5 bytes
/// so the packet is a multiple of 4 bytes: `ff` bytes and a last byte `f8 | kind`.
fn pes(out: &mut Vec<u8>, id: u8, pts: Option<u64>, piece: Piece, kind: u8, payload: &[u8]) {
    let ts_len = if pts.is_some() { 5 } else { 0 };
    let stuff = 2 + (4 - (9 + ts_len + 2 + payload.len()) % 4) % 4;
    let len = (3 + ts_len + stuff + payload.len()) as u16;
    out.extend_from_slice(&[0, 0, 1, id]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&[
        if piece.continues { 0x88 } else { 0x8c },
        if pts.is_some() { 0x80 } else { 0 },
        (ts_len + stuff) as u8,
    ]);
    if let Some(t) = pts {
        write_ts(out, 2, t & ((1 << 33) - 1));
    }
    out.extend(std::iter::repeat_n(0xff, stuff - 1));
    out.push(0xf8 | (kind & 7));
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
