//! Output files for frames: the format by extension, and the writers behind
//! `hcnet demux -o FILE` and `hcnet preview -o FILE`.
//!
//! * `.h264`/`.264`, `.h265`/`.265`/`.hevc`: the video elementary stream (Annex B), the
//!   access units exactly as they were in the PS;
//! * `.aac` (ADTS), `.g711a`, `.g711u` (raw): the audio stream;
//! * `.mp4`: H.264/H.265 with AAC audio, written by the `muxide` crate (it handles H.265
//!   and AAC). G.711 is not a standard MP4 audio codec, so G.711 audio is left out (and
//!   said so). `hcnet demux` collects the frames and writes the file at the end;
//!   `hcnet preview` writes a fragmented MP4 as the frames come ([`fmp4`]: video only,
//!   playable however the preview ends, bounded memory);
//! * `.ps` (preview only): the raw stream, as before.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use hcnetsdk::media::{Codec, Frame};
use muxide::api::{AacProfile, AudioCodec, MuxerBuilder, VideoCodec};

use crate::sps;

#[path = "media_out_fmp4.rs"]
pub mod fmp4;

/// What an output file holds, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The raw MPEG-PS (preview only).
    Ps,
    /// H.264 Annex B.
    H264,
    /// H.265 Annex B.
    H265,
    /// MP4 (video, and AAC audio).
    Mp4,
    /// AAC, ADTS.
    Aac,
    /// Raw G.711 A-law.
    G711a,
    /// Raw G.711 µ-law.
    G711u,
}

const EXTENSIONS: &[(&str, Format)] = &[
    ("h264", Format::H264),
    ("264", Format::H264),
    ("h265", Format::H265),
    ("265", Format::H265),
    ("hevc", Format::H265),
    ("mp4", Format::Mp4),
    ("aac", Format::Aac),
    ("g711a", Format::G711a),
    ("g711u", Format::G711u),
];

/// The format for `out` by its extension (`.ps` only where `ps` allows it). The error
/// lists the valid extensions.
pub fn format_for(out: &Path, ps: bool) -> Result<Format, String> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ps && ext == "ps" {
        return Ok(Format::Ps);
    }
    if let Some(&(_, f)) = EXTENSIONS.iter().find(|(e, _)| *e == ext) {
        return Ok(f);
    }
    let mut valid: Vec<String> = EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect();
    if ps {
        valid.insert(0, ".ps (raw MPEG-PS)".into());
    }
    Err(format!(
        "--out {}: the extension picks the format; use one of {}",
        out.display(),
        valid.join(", ")
    ))
}

/// What the format's codec is called.
pub fn codec_name(c: Codec) -> &'static str {
    match c {
        Codec::H264 => "h264",
        Codec::H265 => "h265",
        Codec::Mpeg4 => "mpeg4",
        Codec::Mpeg2Video => "mpeg2video",
        Codec::G711U => "g711u",
        Codec::G711A => "g711a",
        Codec::Aac => "aac",
        Codec::MpegAudio => "mp2",
        _ => "unknown",
    }
}

/// The picture size from a frame's SPS.
pub fn frame_size(f: &Frame<'_>) -> Option<(u32, u32)> {
    let sps = f.params.sps?;
    match f.codec {
        Codec::H264 => sps::h264_size(sps),
        Codec::H265 => sps::h265_size(sps),
        _ => None,
    }
}

/// One frame kept for the MP4 file: video or audio, time in 90 kHz ticks.
struct Kept {
    video: bool,
    key: bool,
    pts: i64,
    data: Vec<u8>,
}

/// Writes frames to a file in one [`Format`] (not `Ps`).
pub struct FrameSink {
    format: Format,
    out: BufWriter<File>,
    path: String,
    /// Opened over an existing file without truncating it: cut it to length at the end.
    reuse: bool,
    /// Frames written (video for the video formats and MP4, audio for the audio ones).
    pub written: u64,
    /// Frames of the other kind, or of another codec, left out.
    pub skipped: u64,
    /// The first codec that did not fit the format, to say so at the end.
    pub mismatch: Option<Codec>,
    mp4: Mp4Frames,
    /// Streaming (fragmented) MP4, for a preview.
    fmp4: Option<fmp4::Fmp4>,
}

/// The MP4 path's state: frames collected, the clock of frames without a PTS.
#[derive(Default)]
struct Mp4Frames {
    kept: Vec<Kept>,
    codec: Option<Codec>,
    size: Option<(u32, u32)>,
    last_pts: Option<i64>,
    step: i64,
    audio_left_out: Option<Codec>,
}

impl Mp4Frames {
    /// The time of the next video frame: its PTS if it moves forward, else the last one
    /// plus the smallest step seen (so the times always increase). Learns the step.
    fn next_pts(&mut self, pts: Option<i64>) -> i64 {
        let next = match (pts, self.last_pts) {
            (Some(p), Some(last)) if p > last => p,
            (_, Some(last)) => last + self.step,
            (Some(p), None) => p,
            (None, None) => 0,
        };
        if let (Some(p), Some(last)) = (pts, self.last_pts)
            && p > last
            && p - last < 90_000
        {
            self.step = self.step.min(p - last);
        }
        next
    }
}

impl FrameSink {
    /// Create `out` for `format` (an existing file is truncated first).
    pub fn create(out: &Path, format: Format) -> Result<Self, String> {
        let file = File::create(out).map_err(|e| create_error(out, &e))?;
        Ok(Self::with_file(out, format, file, false))
    }

    /// Like [`create`](Self::create), but an existing regular file is overwritten in place
    /// and cut to the bytes written by [`finish`](Self::finish), instead of being truncated
    /// to 0 when opened. On ext4 this is several times faster for a large file rewritten
    /// (`hcnet demux` run again): the file's cached pages and blocks are reused, where a
    /// truncation frees them, waits for their writeback and (ext4's `auto_da_alloc`)
    /// starts writing the new data back on close. A run that fails half-way leaves the
    /// old bytes after the new ones; the command says it failed.
    pub fn create_reusing(out: &Path, format: Format) -> Result<Self, String> {
        let existing = std::fs::metadata(out).is_ok_and(|m| m.is_file() && m.len() > 0);
        if !existing {
            return Self::create(out, format);
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(|e| create_error(out, &e))?;
        Ok(Self::with_file(out, format, file, true))
    }

    fn with_file(out: &Path, format: Format, file: File, reuse: bool) -> Self {
        Self {
            format,
            out: BufWriter::with_capacity(1 << 20, file),
            path: out.display().to_string(),
            reuse,
            written: 0,
            skipped: 0,
            mismatch: None,
            mp4: Mp4Frames {
                step: 3600,
                ..Mp4Frames::default()
            },
            fmp4: None,
        }
    }

    /// Like [`create`](Self::create), for a live source: an MP4 is written as the frames
    /// come (fragmented, see [`fmp4`]), so that it plays however the recording ends, with
    /// bounded memory.
    pub fn create_streaming(out: &Path, format: Format) -> Result<Self, String> {
        let mut sink = Self::create(out, format)?;
        if format == Format::Mp4 {
            sink.fmp4 = Some(fmp4::Fmp4::default());
        }
        Ok(sink)
    }

    fn wants(&self, f: &Frame<'_>) -> bool {
        match self.format {
            Format::H264 => f.codec == Codec::H264,
            Format::H265 => f.codec == Codec::H265,
            Format::Aac => f.codec == Codec::Aac,
            Format::G711a => f.codec == Codec::G711A,
            Format::G711u => f.codec == Codec::G711U,
            Format::Mp4 | Format::Ps => true,
        }
    }

    /// One frame.
    pub fn frame(&mut self, f: &Frame<'_>) -> Result<(), String> {
        let video_format = matches!(self.format, Format::H264 | Format::H265 | Format::Mp4);
        if f.is_video() != video_format && self.format != Format::Mp4 {
            self.skipped += 1;
            return Ok(());
        }
        if !self.wants(f) {
            self.skipped += 1;
            self.mismatch.get_or_insert(f.codec);
            return Ok(());
        }
        if self.format == Format::Mp4 {
            return self.keep(f);
        }
        self.written += 1;
        self.out
            .write_all(f.data)
            .map_err(|e| format!("could not write {}: {e}", self.path))
    }

    /// Keep a frame for the MP4 file (written at the end), or write it to the open
    /// fragment (streaming MP4).
    fn keep(&mut self, f: &Frame<'_>) -> Result<(), String> {
        if !f.is_video() {
            let m = &mut self.mp4;
            if f.codec == Codec::Aac && m.codec.is_some() && self.fmp4.is_none() {
                let pts = f.pts.or(m.last_pts).unwrap_or(0);
                m.kept.push(Kept {
                    video: false,
                    key: true,
                    pts,
                    data: f.data.to_vec(),
                });
            } else if f.codec != Codec::Aac || self.fmp4.is_some() {
                m.audio_left_out.get_or_insert(f.codec);
            }
            return Ok(());
        }
        let m = &mut self.mp4;
        if !f.codec.is_nal() || m.codec.is_some_and(|c| c != f.codec) {
            self.skipped += 1;
            self.mismatch.get_or_insert(f.codec);
            return Ok(());
        }
        if m.codec.is_none() && !f.key {
            self.skipped += 1;
            return Ok(()); // an MP4 starts at a keyframe
        }
        if m.size.is_none() {
            m.size = frame_size(f);
        }
        let pts = m.next_pts(f.pts);
        if let Some(fmp4) = &mut self.fmp4 {
            let size = m.size.unwrap_or((0, 0));
            let wrote = fmp4
                .video(f, pts, size, &mut self.out)
                .map_err(|e| format!("could not write {}: {e}", self.path))?;
            if !wrote {
                self.skipped += 1;
                return Ok(()); // no parameter sets yet
            }
        } else {
            m.kept.push(Kept {
                video: true,
                key: f.key,
                pts,
                data: f.data.to_vec(),
            });
        }
        m.codec = Some(f.codec);
        m.last_pts = Some(pts);
        self.written += 1;
        Ok(())
    }

    /// Finish the file; for MP4, a note about audio left out (G.711).
    pub fn finish(mut self) -> Result<Option<String>, String> {
        let note = if let Some(fmp4) = &mut self.fmp4 {
            fmp4.flush(&mut self.out)
                .map_err(|e| format!("could not write {}: {e}", self.path))?;
            self.audio_note()
        } else if self.format == Format::Mp4 {
            self.write_mp4()?
        } else {
            None
        };
        let error = |e: std::io::Error| format!("could not write {}: {e}", self.path);
        self.out.flush().map_err(error)?;
        if self.reuse {
            let file = self.out.get_mut();
            let len = file.stream_position().map_err(error)?;
            file.set_len(len).map_err(error)?;
        }
        Ok(note)
    }

    fn write_mp4(&mut self) -> Result<Option<String>, String> {
        let m = std::mem::take(&mut self.mp4);
        let codec = match m.codec {
            Some(Codec::H265) => VideoCodec::H265,
            Some(_) => VideoCodec::H264,
            None => {
                return Err(
                    "no H.264/H.265 keyframe in the input: nothing to write to an MP4".into(),
                );
            }
        };
        let (w, h) = m.size.unwrap_or((0, 0));
        let fps = 90_000.0 / m.step.max(1) as f64;
        let mut b = MuxerBuilder::new(&mut self.out).video(codec, w, h, fps);
        let aac = m
            .kept
            .iter()
            .find(|k| !k.video)
            .and_then(|k| adts_config(&k.data));
        if let Some((rate, channels)) = aac {
            b = b.audio(AudioCodec::Aac(AacProfile::Lc), rate, channels);
        }
        let mut mux = b.build().map_err(|e| format!("MP4: {e}"))?;
        let t0 = m.kept.iter().find(|k| k.video).map_or(0, |k| k.pts);
        for k in &m.kept {
            let t = (k.pts - t0) as f64 / 90_000.0;
            let r = if k.video {
                mux.write_video(t, &k.data, k.key)
            } else if aac.is_some() && t >= 0.0 {
                mux.write_audio(t, &k.data)
            } else {
                Ok(())
            };
            r.map_err(|e| format!("MP4 {}: {e}", self.path))?;
        }
        mux.finish()
            .map_err(|e| format!("MP4 {}: {e}", self.path))?;
        self.mp4.audio_left_out = m.audio_left_out;
        Ok(self.audio_note())
    }

    /// What to say about audio left out of an MP4.
    fn audio_note(&self) -> Option<String> {
        let c = self.mp4.audio_left_out?;
        let why = if c == Codec::Aac {
            "a preview's MP4 is written as it goes (fragmented), and its muxer carries video only"
        } else {
            "G.711 is not a standard MP4 audio codec"
        };
        Some(format!(
            "the {} audio was left out: {why} (write it apart with -o FILE.{})",
            codec_name(c),
            codec_name(c)
        ))
    }
}

fn create_error(out: &Path, e: &std::io::Error) -> String {
    format!(
        "could not create {}: {e}; choose another --out",
        out.display()
    )
}

/// Sample rate and channels from an ADTS header.
fn adts_config(d: &[u8]) -> Option<(u32, u16)> {
    const RATES: [u32; 13] = [
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    ];
    if d.len() < 7 || d[0] != 0xff || d[1] & 0xf0 != 0xf0 {
        return None;
    }
    let rate = *RATES.get(usize::from((d[2] >> 2) & 0x0f))?;
    let channels = (u16::from(d[2] & 1) << 2) | u16::from(d[3] >> 6);
    Some((rate, channels.max(1)))
}

/// `summary` and the notes after it: frames a full queue dropped (`lost`), then the
/// sink's own note from [`FrameSink::finish`].
pub fn with_notes(mut summary: String, lost: u64, note: Option<String>) -> String {
    if lost > 0 {
        summary.push_str(&format!(
            "\nnote: {lost} frames were dropped because the writer fell behind"
        ));
    }
    if let Some(n) = note {
        summary.push_str(&format!("\nnote: {n}"));
    }
    summary
}
