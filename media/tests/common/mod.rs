//! Shared helpers: synthetic access units and a frame collector.
#![allow(dead_code)]

use hcnetsdk_media::{Codec, Demuxer, Frame};

/// An owned copy of a [`Frame`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owned {
    pub stream: u8,
    pub codec: Codec,
    pub pts: Option<i64>,
    pub dts: Option<i64>,
    pub key: bool,
    pub disc: bool,
    pub data: Vec<u8>,
    pub sps: Option<Vec<u8>>,
    pub pps: Option<Vec<u8>>,
    pub vps: Option<Vec<u8>>,
}

impl Owned {
    pub fn of(f: &Frame<'_>) -> Self {
        Self {
            stream: f.stream,
            codec: f.codec,
            pts: f.pts,
            dts: f.dts,
            key: f.key,
            disc: f.discontinuity,
            data: f.data.to_vec(),
            sps: f.params.sps.map(<[u8]>::to_vec),
            pps: f.params.pps.map(<[u8]>::to_vec),
            vps: f.params.vps.map(<[u8]>::to_vec),
        }
    }
}

/// Demuxes `data` in chunks of `chunk` bytes.
pub fn demux_chunked(d: &mut Demuxer, data: &[u8], chunk: usize) -> Vec<Owned> {
    let mut out = Vec::new();
    for c in data.chunks(chunk.max(1)) {
        d.push(c, |f| out.push(Owned::of(f)));
    }
    d.finish(|f| out.push(Owned::of(f)));
    out
}

pub fn demux(data: &[u8]) -> Vec<Owned> {
    demux_chunked(&mut Demuxer::new(), data, data.len().max(1))
}

pub fn video(frames: &[Owned]) -> Vec<&Owned> {
    frames
        .iter()
        .filter(|f| (0xe0..=0xef).contains(&f.stream))
        .collect()
}

/// Payload bytes that contain no zero byte (so no start code can appear).
pub fn filler(seed: usize, n: usize) -> Vec<u8> {
    (0..n)
        .map(|j| ((seed * 7 + j * 13) % 251 + 1) as u8)
        .collect()
}

pub const H264_SPS: &[u8] = &[0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x01, 0x40, 0x7b, 0x20];
pub const H264_PPS: &[u8] = &[0x68, 0xce, 0x3c, 0x80];
pub const H265_VPS: &[u8] = &[0x40, 0x01, 0x0c, 0x01, 0xff, 0xff, 0x01, 0x60];
pub const H265_SPS: &[u8] = &[0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x03, 0xb0];
pub const H265_PPS: &[u8] = &[0x44, 0x01, 0xc1, 0x72, 0xb4, 0x62, 0x40];

fn nal(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(&[0, 0, 0, 1]);
    out.extend_from_slice(body);
}

/// One synthetic H.264 access unit: SPS, PPS, SEI, IDR for a keyframe; one P slice
/// otherwise. `size` bytes of slice data.
pub fn h264_au(i: usize, key: bool, size: usize) -> Vec<u8> {
    let mut v = Vec::new();
    if key {
        nal(&mut v, H264_SPS);
        nal(&mut v, H264_PPS);
        nal(&mut v, &[0x06, 0x05, 0x02, 0x11, 0x22, 0x80]);
        v.extend_from_slice(&[0, 0, 0, 1, 0x65, 0x88]);
    } else {
        v.extend_from_slice(&[0, 0, 0, 1, 0x41, 0x9a]);
    }
    v.extend_from_slice(&filler(i, size));
    v
}

/// One synthetic H.265 access unit (VPS, SPS, PPS, IDR_W_RADL or TRAIL_R).
pub fn h265_au(i: usize, key: bool, size: usize) -> Vec<u8> {
    let mut v = Vec::new();
    if key {
        nal(&mut v, H265_VPS);
        nal(&mut v, H265_SPS);
        nal(&mut v, H265_PPS);
        v.extend_from_slice(&[0, 0, 0, 1, 0x26, 0x01, 0xaf]);
    } else {
        v.extend_from_slice(&[0, 0, 0, 1, 0x02, 0x01, 0xd0]);
    }
    v.extend_from_slice(&filler(i, size));
    v
}

/// `n` frames with a GOP of `gop`, made by `au`.
pub fn gop(
    n: usize,
    gop: usize,
    size: usize,
    au: fn(usize, bool, usize) -> Vec<u8>,
) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| au(i, i % gop == 0, size + (i * 37) % 300))
        .collect()
}

/// Whether `ffmpeg`/`ffprobe` can run; under CI its absence is a failure.
pub fn have_tool(name: &str) -> bool {
    let ok = std::process::Command::new(name)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").unwrap_or_default().is_empty(),
            "{name} is missing and CI is set: install ffmpeg"
        );
        eprintln!("skipping: {name} not found (install ffmpeg to run this test)");
    }
    ok
}
