//! Building a [`Clip`] at load time: the elementary streams muxed by `hcnetsdk_media::mux`
//! into the table of callbacks the real SDK would make, audio interleaved by time, plus
//! the optional native-camera extras of [`Shape`].

use hcnetsdk_media::Codec;
use hcnetsdk_media::mux::{self, MuxConfig, Muxer};

use super::{AudioCodec, Clip, Entry, FRAME_TICKS, PTS0, StreamKind, VideoCodec};

const MAIN_H264: &[u8] = include_bytes!("main.h264");
const SUB_H264: &[u8] = include_bytes!("sub.h264");
const MAIN_H265: &[u8] = include_bytes!("main.h265");
const SUB_H265: &[u8] = include_bytes!("sub.h265");
const AUDIO_ULAW: &[u8] = include_bytes!("audio.ulaw");
const AUDIO_ALAW: &[u8] = include_bytes!("audio.alaw");
const AUDIO_AAC: &[u8] = include_bytes!("audio.aac");

/// G.711 bytes per audio PES: 40 ms at 8 kHz, one per video frame, as cameras send.
const G711_FRAME: usize = 320;
/// AAC: 1024 samples per frame at 16 kHz, in 90 kHz ticks.
const AAC_FRAME_TICKS: u64 = 1024 * 90_000 / 16_000;

/// The payload of the private 0xBD packets: bytes that look like PS start codes (a pack
/// header, a PES, a PSM), so a demuxer that scans instead of skipping by length trips.
const PRIVATE_PAYLOAD: [u8; 28] = [
    0x48, 0x4b, 0x50, 0x56, 0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1, 0, 0, 1, 0xe0, 0, 8, 0, 0, 1, 0xbc,
    0, 0, 1, 0xc0,
];

/// One audio frame: its bytes and PTS.
pub(super) type AudioFrame = (&'static [u8], u64);

/// The video elementary stream (Annex B) of the main or sub clip, and its codec.
pub(super) fn video_es(video: VideoCodec, sub: bool) -> (&'static [u8], Codec) {
    match (video, sub) {
        (VideoCodec::H264, false) => (MAIN_H264, Codec::H264),
        (VideoCodec::H264, true) => (SUB_H264, Codec::H264),
        (VideoCodec::H265, false) => (MAIN_H265, Codec::H265),
        (VideoCodec::H265, true) => (SUB_H265, Codec::H265),
    }
}

/// Display size of the main or sub clip.
pub(super) fn video_size(sub: bool) -> (u16, u16) {
    if sub { (320, 180) } else { (640, 360) }
}

/// `au` with a 4-byte start code before every NAL unit: the real SDK writes them so in
/// the PS it builds from RTP (ISAPI logins), where the clip files have some 3-byte ones
/// (measured: `emulator/tests/two_stack.rs`, `frames.first_key_nals`).
fn four_byte_start_codes(au: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(au.len() + 16);
    for nal in super::es::split_annex_b(au) {
        out.extend_from_slice(&[0, 0, 0, 1]);
        out.extend_from_slice(nal);
    }
    out
}

/// Mux the clip for `kind`.
pub(super) fn build(kind: StreamKind) -> Clip {
    let (es, codec) = video_es(kind.video, kind.sub);
    let (w, h) = video_size(kind.sub);
    // Descriptor 0x42 holds the coded size: H.264 codes whole 16x16 macroblocks (the
    // reference camera's 640x360 says 640x368).
    let coded_h = match kind.video {
        VideoCodec::H264 => h.div_ceil(16) * 16,
        VideoCodec::H265 => h,
    };
    let mut cfg = MuxConfig::new(codec, w, coded_h);
    cfg.audio = audio_codec(kind.audio);
    cfg.max_payload = usize::from(kind.shape.max_pes_payload.max(1));
    let mut m = Muxer::new(cfg);
    let mut units: Vec<(Vec<u8>, bool)> = Vec::new();
    mux::access_units(codec, es, |au, key| {
        units.push((four_byte_start_codes(au), key))
    });
    let frames = units.len() as u32;
    let audio = audio_frames(kind.audio, u64::from(frames) * FRAME_TICKS);

    let mut clip = Clip {
        header: header(&m, kind.audio),
        bytes: Vec::with_capacity(es.len() * 11 / 10 + 4096),
        entries: Vec::with_capacity(units.len() * 4),
        frames,
        duration_us: u64::from(frames) * FRAME_TICKS * 1000 / 90,
    };
    let mut next_audio = audio.iter().peekable();
    for (i, (au, key)) in units.iter().enumerate() {
        let pts = PTS0 + i as u64 * FRAME_TICKS;
        let mut first = true;
        m.write_video(au, pts, |p| {
            let sys = kind.shape.system_header && *key && first;
            push(
                &mut clip,
                p,
                pts,
                i as u32,
                sys.then(|| system_header(kind)),
            );
            first = false;
        });
        if kind.shape.private_packets && i % 5 == 0 {
            push(&mut clip, &private_packet(), pts, i as u32, None);
        }
        while let Some((a, apts)) = next_audio.next_if(|(_, t)| *t < pts + FRAME_TICKS) {
            m.write_audio(a, *apts, |p| push(&mut clip, p, *apts, i as u32, None));
        }
    }
    clip
}

/// The IMKH header: the muxer's, with the audio fields of the real formats.
fn header(m: &Muxer, audio: AudioCodec) -> [u8; 40] {
    let mut info = m.media_info();
    if audio == AudioCodec::Aac {
        info.channels = 1;
        info.bits_per_sample = 16;
        info.sample_rate = 16_000;
        info.audio_bitrate = 32_000;
    }
    info.to_bytes()
}

pub(super) fn audio_codec(a: AudioCodec) -> Option<Codec> {
    match a {
        AudioCodec::None => None,
        AudioCodec::G711u => Some(Codec::G711U),
        AudioCodec::G711a => Some(Codec::G711A),
        AudioCodec::Aac => Some(Codec::Aac),
    }
}

/// The audio frames of one loop (`ticks` long) with their PTS.
pub(super) fn audio_frames(a: AudioCodec, ticks: u64) -> Vec<AudioFrame> {
    let (frames, step): (Vec<&'static [u8]>, u64) = match a {
        AudioCodec::None => return Vec::new(),
        AudioCodec::G711u => (AUDIO_ULAW.chunks(G711_FRAME).collect(), FRAME_TICKS),
        AudioCodec::G711a => (AUDIO_ALAW.chunks(G711_FRAME).collect(), FRAME_TICKS),
        AudioCodec::Aac => (adts_frames(AUDIO_AAC), AAC_FRAME_TICKS),
    };
    frames
        .into_iter()
        .enumerate()
        .map(|(j, f)| (f, PTS0 + j as u64 * step))
        .take_while(|(_, t)| *t < PTS0 + ticks)
        .collect()
}

/// Split an ADTS stream at its frame headers (sync word 0xFFF, 13-bit frame length).
fn adts_frames(mut data: &'static [u8]) -> Vec<&'static [u8]> {
    let mut out = Vec::new();
    while data.len() >= 7 && data[0] == 0xff && data[1] & 0xf0 == 0xf0 {
        let len = (usize::from(data[3] & 3) << 11)
            | (usize::from(data[4]) << 3)
            | usize::from(data[5] >> 5);
        if len < 7 || len > data.len() {
            break;
        }
        out.push(&data[..len]);
        data = &data[len..];
    }
    assert!(data.is_empty(), "audio.aac is not whole ADTS frames");
    out
}

/// Append one callback, with a system header inserted after its pack header.
fn push(clip: &mut Clip, p: &[u8], pts: u64, frame: u32, sys: Option<Vec<u8>>) {
    let start = clip.bytes.len();
    match sys {
        Some(sys) if p.starts_with(&[0, 0, 1, 0xba]) => {
            let pack = 14 + usize::from(p[13] & 7);
            clip.bytes.extend_from_slice(&p[..pack]);
            clip.bytes.extend_from_slice(&sys);
            clip.bytes.extend_from_slice(&p[pack..]);
        }
        _ => clip.bytes.extend_from_slice(p),
    }
    let data = &clip.bytes[start..];
    let pts_at = pts_offset(data).unwrap_or(0);
    clip.entries.push(Entry {
        start: start as u32,
        len: data.len() as u32,
        at_us: ((pts - PTS0) * 1000 / 90) as u32,
        pack: data.starts_with(&[0, 0, 1, 0xba]),
        pts_at: u16::try_from(pts_at).expect("PTS within the first 64 KiB"),
        pts: pts as u32,
        frame,
    });
}

/// Offset of the PTS field of the first audio/video PES in `p` that has one (walking the
/// packets by their lengths).
fn pts_offset(p: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 9 <= p.len() && p[i..i + 3] == [0, 0, 1] {
        let id = p[i + 3];
        if id == 0xba {
            i += 14 + usize::from(p[i + 13] & 7);
            continue;
        }
        if (0xc0..=0xef).contains(&id) {
            return (p[i + 7] & 0x80 != 0).then_some(i + 9);
        }
        i += 6 + usize::from(u16::from_be_bytes([p[i + 4], p[i + 5]]));
    }
    None
}

/// A system header (0xBB) naming the clip's streams.
fn system_header(kind: StreamKind) -> Vec<u8> {
    let audio = kind.audio != AudioCodec::None;
    let rate_bound: u32 = 6106; // the pack headers' mux rate (50 byte/s units)
    let mut s = vec![0, 0, 1, 0xbb, 0, 0];
    s.extend_from_slice(&[
        0x80 | (rate_bound >> 15) as u8,
        (rate_bound >> 7) as u8,
        ((rate_bound << 1) as u8) | 1,
        (u8::from(audio) << 2) | 0x02, // audio_bound, fixed 0, CSPS 1
        0xe1,                          // audio/video lock, marker, video_bound 1
        0x7f,                          // no packet rate restriction, reserved
    ]);
    // P-STD buffer bounds: video 232 x 1024 bytes, audio 32 x 128 bytes.
    s.extend_from_slice(&[0xe0, 0xe0, 0xe8]);
    if audio {
        s.extend_from_slice(&[0xc0, 0xc0, 0x20]);
    }
    let len = (s.len() - 6) as u16;
    s[4..6].copy_from_slice(&len.to_be_bytes());
    s
}

/// A private stream 1 (0xBD) PES without time stamps, holding [`PRIVATE_PAYLOAD`].
fn private_packet() -> Vec<u8> {
    let mut p = vec![0, 0, 1, 0xbd, 0, 0, 0x80, 0, 0];
    p.extend_from_slice(&PRIVATE_PAYLOAD);
    let len = (p.len() - 6) as u16;
    p[4..6].copy_from_slice(&len.to_be_bytes());
    p
}

/// Write a pack header's 33-bit SCR base (extension 0) into its 5 bytes after the start
/// code, keeping the marker bits and the '01' prefix.
pub(super) fn write_scr(b: &mut [u8], s: u64) {
    b[0] = 0x40 | ((s >> 27) as u8 & 0x38) | 0x04 | ((s >> 28) as u8 & 0x03);
    b[1] = (s >> 20) as u8;
    b[2] = ((s >> 12) as u8 & 0xf8) | 0x04 | ((s >> 13) as u8 & 0x03);
    b[3] = (s >> 5) as u8;
    b[4] = ((s << 3) as u8 & 0xf8) | 0x04 | (b[4] & 0x03);
}

/// Write a PES PTS (prefix '0010', marker bits) into its 5 bytes.
pub(super) fn write_pts(b: &mut [u8], t: u64) {
    b[0] = 0x20 | (((t >> 30) as u8 & 0x07) << 1) | 1;
    b[1] = (t >> 22) as u8;
    b[2] = (((t >> 15) as u8 & 0x7f) << 1) | 1;
    b[3] = (t >> 7) as u8;
    b[4] = ((t as u8 & 0x7f) << 1) | 1;
}
