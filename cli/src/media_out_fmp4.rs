//! Fragmented MP4 for `hcnet preview -o x.mp4`: the file is written as the frames come,
//! so a preview stopped any way (Ctrl-C, `kill -9`, a crash, a full disk) leaves a file
//! that plays up to its last complete fragment, and memory stays bounded.
//!
//! The boxes come from `muxide`'s [`FragmentedMuxer`] (the crate behind the other MP4
//! path): an init segment (`ftyp` + `moov` with `mvex`) once the first keyframe brings its
//! parameter sets, then one `moof` + `mdat` per fragment. That muxer carries video only,
//! so AAC audio is left out of a preview's MP4 (and said so).
//!
//! **Fragments and memory.** A fragment is closed at the first keyframe once it holds
//! [`FRAGMENT_TICKS`] of video (1 s), or at any frame once it holds
//! [`MAX_FRAGMENT_TICKS`] (4 s) or [`MAX_FRAGMENT_BYTES`] (16 MiB). What is held at any
//! time is the open fragment's frames, twice while a fragment is built (the samples and the
//! segment), plus one frame: at most about 2 × 16 MiB + the largest frame (8 MiB, the
//! demuxer's cap), whatever the length of the preview. At most the open fragment (about
//! 1 s, 4 s at worst) is lost when the process is killed.

use std::io::{self, Write};

use hcnetsdk::media::{Codec, Frame};
use muxide::api::{MuxerBuilder, VideoCodec};
use muxide::fragmented::FragmentedMuxer;

/// Video held before a fragment is closed at the next keyframe (90 kHz ticks).
pub const FRAGMENT_TICKS: i64 = 90_000;
/// Video held before a fragment is closed at any frame (90 kHz ticks).
pub const MAX_FRAGMENT_TICKS: i64 = 4 * 90_000;
/// Bytes held before a fragment is closed at any frame.
pub const MAX_FRAGMENT_BYTES: usize = 16 << 20;

/// The fragmented writer's state.
#[derive(Default)]
pub struct Fmp4 {
    mux: Option<FragmentedMuxer>,
    codec: Option<Codec>,
    /// A frame's NAL units with 4-byte lengths instead of start codes (reused).
    sample: Vec<u8>,
    /// PTS of the first frame written (the file's time 0).
    t0: i64,
    /// PTS of the open fragment's first frame, and its bytes.
    fragment_start: Option<i64>,
    fragment_bytes: usize,
}

impl std::fmt::Debug for Fmp4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fmp4")
            .field("codec", &self.codec)
            .field("fragment_bytes", &self.fragment_bytes)
            .finish_non_exhaustive()
    }
}

impl Fmp4 {
    /// One video frame at `pts` (90 kHz, increasing). Returns whether it was written:
    /// frames before the first keyframe that carries its parameter sets are not.
    pub fn video(
        &mut self,
        f: &Frame<'_>,
        pts: i64,
        size: (u32, u32),
        out: &mut impl Write,
    ) -> io::Result<bool> {
        if self.mux.is_none() && !self.start(f, pts, size, out)? {
            return Ok(false);
        }
        let held = self.fragment_start.map_or(0, |s| pts - s);
        let full = held >= MAX_FRAGMENT_TICKS || self.fragment_bytes >= MAX_FRAGMENT_BYTES;
        if full || (f.key && held >= FRAGMENT_TICKS) {
            self.flush(out)?;
        }
        length_prefixed(f.data, &mut self.sample);
        let t = u64::try_from(pts - self.t0).unwrap_or(0);
        let mux = self
            .mux
            .as_mut()
            .ok_or_else(|| io::Error::other("no muxer"))?;
        mux.write_video(t, t, &self.sample, f.key)
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.fragment_start.get_or_insert(pts);
        self.fragment_bytes += self.sample.len();
        Ok(true)
    }

    /// Write the open fragment (if any) and push it to the file.
    pub fn flush(&mut self, out: &mut impl Write) -> io::Result<()> {
        if let Some(segment) = self.mux.as_mut().and_then(FragmentedMuxer::flush_segment) {
            out.write_all(&segment)?;
        }
        self.fragment_start = None;
        self.fragment_bytes = 0;
        out.flush()
    }

    /// At a keyframe with SPS and PPS (and VPS for H.265): write the init segment.
    fn start(
        &mut self,
        f: &Frame<'_>,
        pts: i64,
        (w, h): (u32, u32),
        out: &mut impl Write,
    ) -> io::Result<bool> {
        let p = f.params;
        let (Some(sps), Some(pps)) = (p.sps, p.pps) else {
            return Ok(false);
        };
        let codec = match f.codec {
            Codec::H264 => VideoCodec::H264,
            Codec::H265 if p.vps.is_some() => VideoCodec::H265,
            _ => return Ok(false),
        };
        if !f.key {
            return Ok(false);
        }
        let mut b = MuxerBuilder::new(io::sink())
            .video(codec, w, h, 25.0)
            .with_sps(sps.to_vec())
            .with_pps(pps.to_vec());
        if let Some(vps) = p.vps {
            b = b.with_vps(vps.to_vec());
        }
        let mut mux = b
            .new_with_fragment()
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(&mux.init_segment())?;
        out.flush()?;
        self.mux = Some(mux);
        self.codec = Some(f.codec);
        self.t0 = pts;
        Ok(true)
    }
}

/// `annex_b`'s NAL units, each with a 4-byte big-endian length instead of its start code
/// (trailing zero bytes of a NAL unit, before the next start code, are dropped).
pub fn length_prefixed(annex_b: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut nal: Option<usize> = None;
    let mut i = 0;
    let push = |out: &mut Vec<u8>, s: usize, mut e: usize| {
        while e > s && annex_b[e - 1] == 0 {
            e -= 1;
        }
        if e > s {
            out.extend_from_slice(&u32::try_from(e - s).unwrap_or(0).to_be_bytes());
            out.extend_from_slice(&annex_b[s..e]);
        }
    };
    while let Some(off) = memchr::memmem::find(&annex_b[i..], &[0, 0, 1]) {
        let p = i + off;
        if let Some(s) = nal {
            push(out, s, p);
        }
        nal = Some(p + 3);
        i = p + 3;
    }
    if let Some(s) = nal {
        push(out, s, annex_b.len());
    }
}

#[cfg(test)]
mod tests {
    use super::length_prefixed;

    #[test]
    fn start_codes_become_lengths() {
        let mut out = Vec::new();
        length_prefixed(
            &[0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65],
            &mut out,
        );
        assert_eq!(
            out,
            [
                0, 0, 0, 3, 0x67, 1, 2, 0, 0, 0, 2, 0x68, 3, 0, 0, 0, 1, 0x65
            ]
        );
    }
}
