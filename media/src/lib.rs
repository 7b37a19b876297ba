//! A pure-Rust, push-based demuxer of the MPEG program stream that Hikvision's HCNetSDK
//! hands to its real-data callback (and that `NET_DVR_SaveRealData` writes to files):
//! a 40-byte `IMKH` header ([`MediaInfo`]), then MPEG-2 PS packs.
//!
//! Feed bytes in any chunking to [`Demuxer::push`]; it calls you back with one [`Frame`]
//! per access unit (a whole picture of H.264/H.265, or one audio PES), borrowing its bytes
//! from the demuxer's buffer (no copy to you, no allocation per frame in steady state).
//! The output does not depend on how the input was chunked.
//!
//! ```
//! use hcnetsdk_media::{Demuxer, Frame};
//! let mut demuxer = Demuxer::new();
//! let mut frames = 0;
//! let data: &[u8] = &[]; // bytes from the SDK callback or a file
//! demuxer.push(data, |f: &Frame<'_>| { frames += 1; let _ = (f.pts, f.key, f.data); });
//! demuxer.finish(|_f: &Frame<'_>| frames += 1);
//! assert_eq!(frames, 0);
//! ```
//!
//! # Memory bounds
//! - The header buffer holds at most one PS header or program stream map:
//!   [`MAX_HEADER`] bytes (allocated once).
//! - The video buffer holds the access unit being assembled plus at most one input piece
//!   of [`PIECE`] bytes; an access unit over [`Demuxer::max_frame`] (default
//!   [`DEFAULT_MAX_FRAME`]) is dropped and counted in [`Stats::dropped_frames`], and the
//!   next frame is flagged [`Frame::discontinuity`].
//! - The audio buffer holds one PES payload (at most 65 535 bytes).
//!
//! # Quirks handled
//! Pack headers with stuffing (MPEG-1 packs too), system headers and padding skipped by
//! length, a lenient PSM ([`StreamMap`]), PES of any length including 0 (video: runs to
//! the next PS start code), private streams (0xBD) skipped by length even when they
//! contain start codes, resync at the next pack header after garbage, 33-bit PTS/DTS
//! extended across wrap-around, a codec sniffed from the NAL units overriding a PSM or
//! IMKH header that lies.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod clock;
mod demux;
mod imkh;
#[cfg(feature = "mux")]
pub mod mux;
mod pes;
mod psm;
mod video;

pub use demux::{DEFAULT_MAX_FRAME, Demuxer, MAX_HEADER, PIECE, Stats};
pub use imkh::{
    IMKH_AUDIO_AAC, IMKH_AUDIO_G711A, IMKH_AUDIO_G711U, IMKH_LEN, IMKH_VIDEO_H264, IMKH_VIDEO_H265,
    MediaInfo, SystemFormat,
};
pub use psm::{MAX_STREAMS, StreamEntry, StreamMap};

/// A codec, as announced (PSM stream type, IMKH) or sniffed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// H.264 / AVC (PSM 0x1B, IMKH 0x0100).
    H264,
    /// H.265 / HEVC (PSM 0x24, IMKH 0x0005).
    H265,
    /// MPEG-4 part 2 video (PSM 0x10).
    Mpeg4,
    /// MPEG-1/2 video (PSM 0x01, 0x02).
    Mpeg2Video,
    /// G.711 µ-law (PSM 0x91, IMKH 0x7110).
    G711U,
    /// G.711 A-law (PSM 0x90, IMKH 0x7111).
    G711A,
    /// AAC (PSM 0x0F, IMKH 0x2001).
    Aac,
    /// MPEG-1/2 audio (PSM 0x03, 0x04).
    MpegAudio,
    /// Anything else.
    Unknown,
}

impl Codec {
    /// The codec of an MPEG `stream_type`.
    #[must_use]
    pub fn from_stream_type(t: u8) -> Self {
        match t {
            0x1b => Self::H264,
            0x24 => Self::H265,
            0x10 => Self::Mpeg4,
            0x01 | 0x02 => Self::Mpeg2Video,
            0x91 => Self::G711U,
            0x90 => Self::G711A,
            0x0f => Self::Aac,
            0x03 | 0x04 => Self::MpegAudio,
            _ => Self::Unknown,
        }
    }

    /// The MPEG `stream_type` a PSM uses for this codec (0 for [`Codec::Unknown`]).
    #[must_use]
    pub fn stream_type(self) -> u8 {
        match self {
            Self::H264 => 0x1b,
            Self::H265 => 0x24,
            Self::Mpeg4 => 0x10,
            Self::Mpeg2Video => 0x02,
            Self::G711U => 0x91,
            Self::G711A => 0x90,
            Self::Aac => 0x0f,
            Self::MpegAudio => 0x04,
            Self::Unknown => 0,
        }
    }

    /// Whether the payload is a NAL-unit stream (H.264, H.265).
    #[must_use]
    pub fn is_nal(self) -> bool {
        matches!(self, Self::H264 | Self::H265)
    }
}

/// The parameter sets in force for a video frame (NAL units without start codes), the
/// latest seen of each kind up to and including this frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParamSets<'a> {
    /// H.265 video parameter set.
    pub vps: Option<&'a [u8]>,
    /// Sequence parameter set.
    pub sps: Option<&'a [u8]>,
    /// Picture parameter set.
    pub pps: Option<&'a [u8]>,
}

/// One access unit: a whole coded picture (Annex B bytes, start codes included, exactly
/// as they were in the stream), or one audio PES payload.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// PES stream id (0xE0-0xEF video, 0xC0-0xDF audio).
    pub stream: u8,
    /// Codec (for video: sniffed from the NAL units, else the PSM's or IMKH's claim).
    pub codec: Codec,
    /// Presentation time in 90 kHz ticks, extended past the 33-bit wrap; `None` when the
    /// PES that started this unit carried none.
    pub pts: Option<i64>,
    /// Decoding time (the PES's DTS, or its PTS when it has no DTS), extended likewise.
    pub dts: Option<i64>,
    /// A keyframe: an H.264 IDR or an H.265 IRAP picture (always true for audio).
    pub key: bool,
    /// Input was lost ([`Demuxer::lost`]), skipped as garbage or dropped (frame cap) while
    /// this frame was being assembled or since the previous one.
    pub discontinuity: bool,
    /// The access unit's bytes, borrowed from the demuxer.
    pub data: &'a [u8],
    /// Current parameter sets (empty for audio).
    pub params: ParamSets<'a>,
}

impl Frame<'_> {
    /// Whether this is a video frame.
    #[must_use]
    pub fn is_video(&self) -> bool {
        (0xe0..=0xef).contains(&self.stream)
    }
}
