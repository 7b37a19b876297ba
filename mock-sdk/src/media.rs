//! The media the mock streams and serves: a real MPEG-PS/H.264 clip for live preview (main
//! and sub stream), the 40-byte Hikvision system header that precedes it, and a real JPEG for
//! `NET_DVR_CaptureJPEGPicture_NEW`.
//!
//! The files in `media/` are our own synthetic clips, made with ffmpeg from its `testsrc2`
//! pattern; `media/README.md` has the exact commands, so anyone can regenerate them.
//!
//! | file           | content                                                          |
//! |----------------|------------------------------------------------------------------|
//! | `main.ps`      | MPEG-2 PS, H.264 Main, 640x360, 25 fps, 8 s (200 frames), GOP 25 |
//! | `sub.ps`       | MPEG-2 PS, H.264 Constrained Baseline, 320x180, 25 fps, 8 s      |
//! | `snapshot.jpg` | baseline JPEG, 704x576                                           |
//!
//! Both clips start with a pack header, a system header and an IDR frame with SPS/PPS, and
//! repeat SPS/PPS before every keyframe, so [`ps_packets`] can be played in a loop and a
//! decoder can join at any keyframe.

use std::sync::OnceLock;

const MAIN_PS: &[u8] = include_bytes!("media/main.ps");
const SUB_PS: &[u8] = include_bytes!("media/sub.ps");
const SNAPSHOT_JPG: &[u8] = include_bytes!("media/snapshot.jpg");

/// Play time of `main.ps`: 200 frames at 25 fps. A unit test checks it against the PTS values
/// in the file, so a regenerated clip of another length cannot silently skew the bitrate.
pub const MAIN_DURATION_MS: u64 = 8_000;
/// Play time of `sub.ps`: 200 frames at 25 fps (checked like [`MAIN_DURATION_MS`]).
pub const SUB_DURATION_MS: u64 = 8_000;

/// Average bitrate of the main-stream clip in bits/s (file size / play time). Pacing the
/// packets of [`ps_packets`] at this rate plays the clip in real time.
pub const BITRATE_BPS: u32 = bitrate_bps(MAIN_PS.len(), MAIN_DURATION_MS);
/// Average bitrate of the sub-stream clip in bits/s (file size / play time).
pub const SUB_BITRATE_BPS: u32 = bitrate_bps(SUB_PS.len(), SUB_DURATION_MS);

const fn bitrate_bps(bytes: usize, duration_ms: u64) -> u32 {
    let bps = bytes as u64 * 8 * 1000 / duration_ms;
    assert!(bps <= u32::MAX as u64, "bitrate does not fit in u32");
    bps as u32
}

/// `media_fourcc` of the header: the bytes "IMKH" (0x484B4D49 read little-endian).
pub const SYSHEAD_MAGIC: [u8; 4] = *b"IMKH";
/// Header version as real devices send it (0x0101).
const SYSHEAD_VERSION: u16 = 0x0101;
/// `system_format` 0x0002: MPEG-2 program stream (0x0001 is Hikvision's old private format,
/// 0x0003 MPEG-2 TS, 0x0004 RTP).
pub const SYSHEAD_SYSTEM_FORMAT_PS: u16 = 0x0002;
/// `video_format` 0x0100: standard H.264 (0x0005 is H.265, 0x0001 Hikvision's old HIK264).
pub const SYSHEAD_VIDEO_FORMAT_H264: u16 = 0x0100;

/// The 40-byte system header (`NET_DVR_SYSHEAD` payload) that precedes the stream data.
///
/// Hikvision's media-info header is the 40-byte little-endian structure below; players use it
/// to open the right demuxer and decoder (ffmpeg also recognises the magic). The mock sets:
///
/// | offset | size | field                   | value                                       |
/// |--------|------|-------------------------|---------------------------------------------|
/// | 0      | 4    | `media_fourcc`          | `"IMKH"`                                    |
/// | 4      | 2    | `media_version`         | 0x0101                                      |
/// | 6      | 2    | `device_id`             | 0                                           |
/// | 8      | 2    | `system_format`         | 0x0002 = MPEG-2 PS                          |
/// | 10     | 2    | `video_format`          | 0x0100 = H.264                              |
/// | 12     | 2    | `audio_format`          | 0 = no audio (the clips have no audio track)|
/// | 14     | 1    | `audio_channels`        | 0                                           |
/// | 15     | 1    | `audio_bits_per_sample` | 0                                           |
/// | 16     | 4    | `audio_samplerate`      | 0                                           |
/// | 20     | 4    | `audio_bitrate`         | 0                                           |
/// | 24     | 16   | `reserved`              | 0                                           |
///
/// A camera with audio enabled fills the audio fields instead, e.g. 0x7110 (G.711 µ-law),
/// 1 channel, 16 bits, 8000 Hz, 64000 bit/s. Main and sub stream carry the same header.
pub fn system_header() -> [u8; 40] {
    SYSTEM_HEADER
}

const SYSTEM_HEADER: [u8; 40] = {
    let mut h = [0u8; 40];
    let v = SYSHEAD_VERSION.to_le_bytes();
    let s = SYSHEAD_SYSTEM_FORMAT_PS.to_le_bytes();
    let c = SYSHEAD_VIDEO_FORMAT_H264.to_le_bytes();
    h[0] = SYSHEAD_MAGIC[0];
    h[1] = SYSHEAD_MAGIC[1];
    h[2] = SYSHEAD_MAGIC[2];
    h[3] = SYSHEAD_MAGIC[3];
    h[4] = v[0];
    h[5] = v[1];
    // 6..8 device_id = 0
    h[8] = s[0];
    h[9] = s[1];
    h[10] = c[0];
    h[11] = c[1];
    // 12..40: no audio, reserved = 0
    h
};

/// The main-stream clip split at its MPEG-PS pack headers (`00 00 01 BA`), in order.
///
/// Every packet is one pack: the pack header and the system header / PES packets that follow
/// it. Concatenated they are exactly `main.ps`; after the last packet, start again at the
/// first to loop.
pub fn ps_packets() -> &'static [&'static [u8]] {
    static PACKETS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    PACKETS.get_or_init(|| split_packs(MAIN_PS).expect("embedded main.ps is a well-formed MPEG-PS"))
}

/// The sub-stream clip split like [`ps_packets`].
pub fn sub_stream_packets() -> &'static [&'static [u8]] {
    static PACKETS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    PACKETS.get_or_init(|| split_packs(SUB_PS).expect("embedded sub.ps is a well-formed MPEG-PS"))
}

/// A real 704x576 baseline JPEG (starts `FF D8`, ends `FF D9`).
pub fn snapshot_jpeg() -> &'static [u8] {
    SNAPSHOT_JPG
}

const PACK_START: [u8; 4] = [0x00, 0x00, 0x01, 0xBA];
const PROGRAM_END: u8 = 0xB9;

/// Walks the program stream structure (pack headers by their own length, every other
/// start code by its 16-bit length field) and cuts before each pack header. Walking the
/// structure rather than searching for `00 00 01 BA` means payload bytes can never be
/// mistaken for a boundary.
fn split_packs(data: &[u8]) -> Result<Vec<&[u8]>, String> {
    if !data.starts_with(&PACK_START) {
        return Err("stream does not start with a pack header".into());
    }
    let mut packs = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < data.len() {
        let rest = &data[i..];
        if rest.len() < 4 || rest[..3] != [0, 0, 1] {
            return Err(format!("no start code at offset {i}"));
        }
        let len = match rest[3] {
            0xBA => {
                if i != start {
                    packs.push(&data[start..i]);
                    start = i;
                }
                match rest.get(4) {
                    // MPEG-2 pack header: 14 bytes plus 0-7 stuffing bytes.
                    Some(b) if b & 0xC0 == 0x40 => {
                        let stuffing = rest.get(13).ok_or("truncated pack header")? & 0x07;
                        14 + usize::from(stuffing)
                    }
                    // MPEG-1 pack header: 12 bytes.
                    Some(b) if b & 0xF0 == 0x20 => 12,
                    _ => return Err(format!("bad pack header at offset {i}")),
                }
            }
            PROGRAM_END => 4,
            id if id >= 0xBB => {
                let n = rest.get(4..6).ok_or("truncated packet length")?;
                6 + usize::from(u16::from_be_bytes([n[0], n[1]]))
            }
            id => return Err(format!("unexpected start code 0x{id:02X} at offset {i}")),
        };
        if len > rest.len() {
            return Err(format!("packet at offset {i} runs past the end"));
        }
        i += len;
    }
    packs.push(&data[start..]);
    Ok(packs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The H.264 elementary stream: the payloads of the video PES packets, in order.
    fn video_es(data: &[u8]) -> Vec<u8> {
        let mut es = Vec::new();
        for pack in split_packs(data).unwrap() {
            let mut i = 14 + usize::from(pack[13] & 7);
            while i < pack.len() {
                let id = pack[i + 3];
                let len = 6 + usize::from(u16::from_be_bytes([pack[i + 4], pack[i + 5]]));
                if (0xE0..=0xEF).contains(&id) {
                    // MPEG-2 PES header: 9 bytes plus PES_header_data_length (byte 8).
                    let payload = 9 + usize::from(pack[i + 8]);
                    es.extend_from_slice(&pack[i + payload..i + len]);
                }
                i += len;
            }
        }
        es
    }

    fn check_clip(packets: &[&[u8]], file: &[u8]) {
        assert!(packets.len() > 10, "only {} packets", packets.len());
        for (n, p) in packets.iter().enumerate() {
            assert!(p.len() > 14, "packet {n} is only {} bytes", p.len());
            assert!(
                p.starts_with(&PACK_START),
                "packet {n} starts with {:02X?}",
                &p[..4]
            );
        }
        assert_eq!(
            packets.concat(),
            file,
            "concatenated packets differ from the file"
        );
        // Loopable: the first pack carries the system header (00 00 01 BB) and the clip
        // starts with an SPS (NAL type 7), so every loop restarts at a decodable keyframe.
        let first = packets[0];
        assert!(
            first.windows(4).any(|w| w == [0, 0, 1, 0xBB]),
            "no system header in pack 0"
        );
        assert!(
            first
                .windows(4)
                .any(|w| w[..3] == [0, 0, 1] && w[3] & 0x1F == 7),
            "the clip does not start with an SPS"
        );
    }

    fn check_duration(file: &[u8], duration_ms: u64) {
        // x264 made one slice per frame (-threads 1), so frames = coded slices (NAL types 1
        // and 5); emulation prevention keeps 00 00 01 out of NAL payloads.
        let es = video_es(file);
        let frames = es
            .windows(4)
            .filter(|w| w[..3] == [0, 0, 1] && matches!(w[3] & 0x1F, 1 | 5))
            .count() as u64;
        let keyframes = es
            .windows(4)
            .filter(|w| w[..3] == [0, 0, 1] && w[3] & 0x1F == 5)
            .count();
        assert_eq!(
            keyframes as u64,
            frames.div_ceil(25),
            "one IDR every 25 frames"
        );
        assert_eq!(frames * 40, duration_ms, "{frames} frames at 25 fps");
    }

    #[test]
    fn header_is_40_bytes_of_imkh_ps_h264() {
        let h = system_header();
        assert_eq!(h.len(), 40);
        assert_eq!(&h[..4], b"IMKH");
        assert_eq!(u16::from_le_bytes([h[4], h[5]]), 0x0101);
        assert_eq!(u16::from_le_bytes([h[8], h[9]]), SYSHEAD_SYSTEM_FORMAT_PS);
        assert_eq!(
            u16::from_le_bytes([h[10], h[11]]),
            SYSHEAD_VIDEO_FORMAT_H264
        );
        assert!(
            h[12..].iter().all(|&b| b == 0),
            "audio/reserved fields not zero"
        );
    }

    #[test]
    fn main_packets_split_at_pack_headers() {
        check_clip(ps_packets(), MAIN_PS);
    }

    #[test]
    fn sub_packets_split_at_pack_headers() {
        check_clip(sub_stream_packets(), SUB_PS);
        assert!(SUB_PS.len() < MAIN_PS.len());
    }

    #[test]
    fn split_is_lazy_once() {
        assert!(std::ptr::eq(ps_packets(), ps_packets()));
    }

    #[test]
    fn durations_match_the_clips() {
        check_duration(MAIN_PS, MAIN_DURATION_MS);
        check_duration(SUB_PS, SUB_DURATION_MS);
    }

    #[test]
    fn bitrates_are_size_over_duration() {
        assert_eq!(
            u64::from(BITRATE_BPS),
            MAIN_PS.len() as u64 * 8 * 1000 / MAIN_DURATION_MS
        );
        assert_eq!(
            u64::from(SUB_BITRATE_BPS),
            SUB_PS.len() as u64 * 8 * 1000 / SUB_DURATION_MS
        );
        assert!((100_000..=400_000).contains(&BITRATE_BPS), "{BITRATE_BPS}");
        assert!(
            (20_000..BITRATE_BPS).contains(&SUB_BITRATE_BPS),
            "{SUB_BITRATE_BPS}"
        );
    }

    #[test]
    fn snapshot_is_a_jpeg() {
        let j = snapshot_jpeg();
        assert!(j.len() > 1000 && j.len() <= 60 * 1024, "{} bytes", j.len());
        assert_eq!(&j[..2], [0xFF, 0xD8]);
        assert_eq!(&j[j.len() - 2..], [0xFF, 0xD9]);
        // SOF0 (baseline) marker with height 576, width 704.
        let sof = j
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("no SOF0 marker");
        let dims = &j[sof + 5..sof + 9];
        assert_eq!(u16::from_be_bytes([dims[0], dims[1]]), 576);
        assert_eq!(u16::from_be_bytes([dims[2], dims[3]]), 704);
    }

    #[test]
    fn split_rejects_malformed_streams() {
        assert!(split_packs(b"").is_err());
        assert!(split_packs(&MAIN_PS[1..]).is_err());
        assert!(split_packs(&MAIN_PS[..MAIN_PS.len() - 1]).is_err());
        let mut garbage = MAIN_PS[..100].to_vec();
        garbage.extend_from_slice(&[0xAB; 50]);
        assert!(split_packs(&garbage).is_err());
    }

    #[test]
    fn split_handles_program_end_and_mpeg1_packs() {
        // An MPEG-1 pack header (12 bytes) with one padding packet, then the end code.
        let mut s = vec![0, 0, 1, 0xBA, 0x21, 0, 1, 0, 1, 0x80, 0, 1];
        s.extend_from_slice(&[0, 0, 1, 0xBE, 0, 2, 0xFF, 0xFF]);
        let second = s.len();
        s.extend_from_slice(&[0, 0, 1, 0xBA, 0x21, 0, 1, 0, 1, 0x80, 0, 1]);
        s.extend_from_slice(&[0, 0, 1, 0xB9]);
        let packs = split_packs(&s).unwrap();
        assert_eq!(packs, vec![&s[..second], &s[second..]]);
    }
}
