//! The 40-byte "IMKH" media header that the SDK hands out first (data type 1,
//! `NET_DVR_SYSHEAD`) and that a `SaveRealData` file starts with.
//!
//! Layout (all little-endian): magic `IMKH`, u16 version, u16 device id, u16 system
//! format, u16 video codec, u16 audio codec, u8 audio channels, u8 bits per sample,
//! u32 sample rate, u32 audio bit rate, 16 reserved bytes.

use crate::Codec;

/// Length of the IMKH header in bytes.
pub const IMKH_LEN: usize = 40;

/// The container the SDK delivers after the header (`system_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SystemFormat {
    /// 1: Hikvision's own private format.
    Hik,
    /// 2: MPEG-2 program stream (what live preview and SaveRealData carry).
    Ps,
    /// 3: MPEG-2 transport stream.
    Ts,
    /// 4: RTP (what a camera's SDP announces).
    Rtp,
    /// Any other value.
    Other(u16),
}

impl SystemFormat {
    /// The format for a raw `system_format` value.
    #[must_use]
    pub fn from_raw(raw: u16) -> Self {
        match raw {
            1 => Self::Hik,
            2 => Self::Ps,
            3 => Self::Ts,
            4 => Self::Rtp,
            other => Self::Other(other),
        }
    }

    /// The raw `system_format` value.
    #[must_use]
    pub fn raw(self) -> u16 {
        match self {
            Self::Hik => 1,
            Self::Ps => 2,
            Self::Ts => 3,
            Self::Rtp => 4,
            Self::Other(v) => v,
        }
    }
}

/// The typed content of an IMKH header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaInfo {
    /// Header version field.
    pub version: u16,
    /// Device type field (0 on the streams measured).
    pub device_id: u16,
    /// What follows the header.
    pub system_format: SystemFormat,
    /// Video codec: 0x0100 H.264, 0x0005 H.265; [`Codec::Unknown`] otherwise.
    pub video: Codec,
    /// The raw video codec value.
    pub video_raw: u16,
    /// Audio codec: 0x7110 G.711µ, 0x7111 G.711A, 0x2001 AAC; `None` for 0 (no audio).
    pub audio: Option<Codec>,
    /// The raw audio codec value.
    pub audio_raw: u16,
    /// Audio channels.
    pub channels: u8,
    /// Audio bits per sample.
    pub bits_per_sample: u8,
    /// Audio sample rate in Hz.
    pub sample_rate: u32,
    /// Audio bit rate in bit/s.
    pub audio_bitrate: u32,
}

/// Raw IMKH video codec value of H.264.
pub const IMKH_VIDEO_H264: u16 = 0x0100;
/// Raw IMKH video codec value of H.265.
pub const IMKH_VIDEO_H265: u16 = 0x0005;
/// Raw IMKH audio codec value of G.711 µ-law.
pub const IMKH_AUDIO_G711U: u16 = 0x7110;
/// Raw IMKH audio codec value of G.711 A-law.
pub const IMKH_AUDIO_G711A: u16 = 0x7111;
/// Raw IMKH audio codec value of AAC.
pub const IMKH_AUDIO_AAC: u16 = 0x2001;

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl MediaInfo {
    /// Whether `bytes` starts with the IMKH magic.
    #[must_use]
    pub fn is_imkh(bytes: &[u8]) -> bool {
        bytes.starts_with(b"IMKH")
    }

    /// Parses the first 40 bytes of `bytes`; `None` if they are fewer or the magic differs.
    #[must_use]
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < IMKH_LEN || !Self::is_imkh(bytes) {
            return None;
        }
        let video_raw = le16(bytes, 10);
        let audio_raw = le16(bytes, 12);
        Some(Self {
            version: le16(bytes, 4),
            device_id: le16(bytes, 6),
            system_format: SystemFormat::from_raw(le16(bytes, 8)),
            video: match video_raw {
                IMKH_VIDEO_H264 => Codec::H264,
                IMKH_VIDEO_H265 => Codec::H265,
                _ => Codec::Unknown,
            },
            video_raw,
            audio: match audio_raw {
                0 => None,
                IMKH_AUDIO_G711U => Some(Codec::G711U),
                IMKH_AUDIO_G711A => Some(Codec::G711A),
                IMKH_AUDIO_AAC => Some(Codec::Aac),
                _ => Some(Codec::Unknown),
            },
            audio_raw,
            channels: bytes[14],
            bits_per_sample: bytes[15],
            sample_rate: le32(bytes, 16),
            audio_bitrate: le32(bytes, 20),
        })
    }

    /// A PS header for `video` (H.264 or H.265) and optional audio (G.711µ/A, AAC; 8 kHz
    /// mono 16-bit 64 kbit/s for G.711, the values a camera announces).
    #[must_use]
    pub fn new_ps(video: Codec, audio: Option<Codec>) -> Self {
        let video_raw = match video {
            Codec::H265 => IMKH_VIDEO_H265,
            _ => IMKH_VIDEO_H264,
        };
        let audio_raw = match audio {
            Some(Codec::G711U) => IMKH_AUDIO_G711U,
            Some(Codec::G711A) => IMKH_AUDIO_G711A,
            Some(Codec::Aac) => IMKH_AUDIO_AAC,
            _ => 0,
        };
        let has_audio = audio_raw != 0;
        Self {
            version: 0,
            device_id: 0,
            system_format: SystemFormat::Ps,
            video,
            video_raw,
            audio: audio.filter(|_| has_audio),
            audio_raw,
            channels: u8::from(has_audio),
            bits_per_sample: if has_audio { 16 } else { 0 },
            sample_rate: if has_audio { 8000 } else { 0 },
            audio_bitrate: if has_audio { 64_000 } else { 0 },
        }
    }

    /// The 40 header bytes.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; IMKH_LEN] {
        let mut b = [0u8; IMKH_LEN];
        b[..4].copy_from_slice(b"IMKH");
        b[4..6].copy_from_slice(&self.version.to_le_bytes());
        b[6..8].copy_from_slice(&self.device_id.to_le_bytes());
        b[8..10].copy_from_slice(&self.system_format.raw().to_le_bytes());
        b[10..12].copy_from_slice(&self.video_raw.to_le_bytes());
        b[12..14].copy_from_slice(&self.audio_raw.to_le_bytes());
        b[14] = self.channels;
        b[15] = self.bits_per_sample;
        b[16..20].copy_from_slice(&self.sample_rate.to_le_bytes());
        b[20..24].copy_from_slice(&self.audio_bitrate.to_le_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_measured_g711a_header() {
        let mut h = [0u8; 40];
        h[..13].copy_from_slice(&[0x49, 0x4d, 0x4b, 0x48, 0, 0, 0, 0, 2, 0, 0, 1, 0x11]);
        h[13..24].copy_from_slice(&[0x71, 1, 0x10, 0x40, 0x1f, 0, 0, 0, 0xfa, 0, 0]);
        let m = MediaInfo::parse(&h).unwrap();
        assert_eq!(m.system_format, SystemFormat::Ps);
        assert_eq!(m.video, Codec::H264);
        assert_eq!(m.audio, Some(Codec::G711A));
        assert_eq!((m.channels, m.bits_per_sample), (1, 16));
        assert_eq!((m.sample_rate, m.audio_bitrate), (8000, 64_000));
        assert_eq!(m.to_bytes(), h);
        assert!(MediaInfo::parse(&h[..39]).is_none());
    }
}
