//! `hcnet demux INPUT -o OUTPUT` and `hcnet demux INPUT --info [--json]`: a PS file (with or
//! without the 40-byte IMKH header, as `NET_DVR_SaveRealData` or `hcnet preview -o x.ps`
//! writes it) demuxed by `hcnetsdk-media` into an elementary stream or an MP4, or described.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use hcnetsdk::media::Demuxer;
use hcnetsdk::media::{Codec, Frame};
use serde_json::json;

use crate::DemuxArgs;
use crate::jobs::{check_out_file, fail, usage};
use crate::media_out::{FrameSink, codec_name, format_for, frame_size};

/// What `--info` reports about one stream.
#[derive(Debug, Default)]
struct StreamInfo {
    codec: Option<Codec>,
    frames: u64,
    keyframes: u64,
    bytes: u64,
    first_pts: Option<i64>,
    last_pts: Option<i64>,
    size: Option<(u32, u32)>,
}

impl StreamInfo {
    fn add(&mut self, f: &Frame<'_>) {
        self.codec = Some(f.codec);
        self.frames += 1;
        self.keyframes += u64::from(f.key);
        self.bytes += f.data.len() as u64;
        if let Some(p) = f.pts {
            self.first_pts.get_or_insert(p);
            self.last_pts = Some(self.last_pts.map_or(p, |l| l.max(p)));
        }
        if self.size.is_none() && f.is_video() {
            self.size = frame_size(f);
        }
    }

    /// Seconds from the first to the last PTS, plus one frame's share.
    fn duration(&self) -> Option<f64> {
        let (a, b) = (self.first_pts?, self.last_pts?);
        let per = if self.frames > 1 {
            (b - a) as f64 / (self.frames - 1) as f64
        } else {
            0.0
        };
        Some(((b - a) as f64 + per) / 90_000.0)
    }
}

/// Push the whole of `input` through a demuxer, calling `each` for every frame. A regular
/// file is mapped into memory and pushed in one piece (no read copy); anything else, or a
/// file that cannot be mapped, is read in 1 MiB chunks.
fn demux_file(
    input: &Path,
    mut each: impl FnMut(&Frame<'_>),
) -> Result<hcnetsdk::media::Stats, String> {
    let mut file =
        File::open(input).map_err(|e| format!("could not open {}: {e}", input.display()))?;
    let mut demuxer = Demuxer::new();
    if let Some(map) = map_file(&file) {
        demuxer.push(&map, &mut each);
    } else {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| format!("could not read {}: {e}", input.display()))?;
            if n == 0 {
                break;
            }
            demuxer.push(&buf[..n], &mut each);
        }
    }
    demuxer.finish(&mut each);
    Ok(demuxer.stats())
}

/// The whole of a non-empty regular file, mapped read-only and populated up front (one
/// call instead of a page fault per 64 KiB), advised for sequential reading.
fn map_file(file: &File) -> Option<memmap2::Mmap> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    // SAFETY: the map is read-only and private to this process, and lives only for the
    // demux call. Another process truncating the file meanwhile could make a read of the
    // map fault (SIGBUS), as with any tool that maps its input (ripgrep, for example);
    // modifying it would only change the bytes demuxed. `write` refuses an output that
    // is the input itself, the one writer this command controls.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// `hcnet demux`.
pub fn run(args: &DemuxArgs) -> ExitCode {
    if args.info {
        return info(&args.input, args.json);
    }
    let Some(out) = &args.out else {
        return fail(
            "demux",
            "give -o FILE (its extension picks the format) or --info",
        );
    };
    if let Err(t) = check_out_file(out, "out.h264") {
        return fail("demux", &t);
    }
    let format = match format_for(out, false) {
        Ok(f) => f,
        Err(t) => return usage("demux", &t),
    };
    match write(&args.input, out, format) {
        Ok(text) => {
            outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(t) => fail("demux", &t),
    }
}

fn write(input: &Path, out: &Path, format: crate::media_out::Format) -> Result<String, String> {
    if same_file(input, out) {
        return Err(format!(
            "{} is the input itself: choose another -o",
            out.display()
        ));
    }
    let mut sink = FrameSink::create_reusing(out, format)?;
    let mut error = None;
    let mut codecs = BTreeMap::new();
    demux_file(input, |f| {
        *codecs.entry(codec_name(f.codec)).or_insert(0u64) += 1;
        if error.is_none()
            && let Err(e) = sink.frame(f)
        {
            error = Some(e);
        }
    })?;
    if let Some(e) = error {
        return Err(e);
    }
    let (written, mismatch) = (sink.written, sink.mismatch);
    if written == 0 {
        let _ = std::fs::remove_file(out);
        let held: Vec<String> = codecs.iter().map(|(c, n)| format!("{n} {c}")).collect();
        return Err(format!(
            "{} has no frames for {}: it holds {}{}",
            input.display(),
            out.display(),
            if held.is_empty() {
                "no frames".into()
            } else {
                held.join(", ") + " frames"
            },
            mismatch.map_or(String::new(), |c| format!(
                "; use -o FILE.{} for its {} stream",
                codec_name(c),
                codec_name(c)
            ))
        ));
    }
    let note = sink.finish()?;
    let mut text = format!("wrote {written} frames to {}", out.display());
    if let Some(n) = note {
        text.push_str(&format!("\nnote: {n}"));
    }
    Ok(text)
}

/// Whether `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// `hcnet demux INPUT --info [--json]`.
fn info(input: &Path, json_out: bool) -> ExitCode {
    let mut streams: BTreeMap<u8, StreamInfo> = BTreeMap::new();
    let mut header = None;
    let stats = match demux_file(input, |f| streams.entry(f.stream).or_default().add(f)) {
        Ok(s) => s,
        Err(t) => return fail("demux", &t),
    };
    if let Ok(mut f) = File::open(input) {
        let mut head = [0u8; 40];
        if f.read_exact(&mut head).is_ok() {
            header = hcnetsdk::media::MediaInfo::parse(&head);
        }
    }
    if json_out {
        let list: Vec<_> = streams
            .iter()
            .map(|(id, s)| {
                json!({
                    "id": format!("0x{id:02x}"),
                    "kind": if (0xe0..=0xef).contains(id) { "video" } else { "audio" },
                    "codec": s.codec.map(codec_name),
                    "width": s.size.map(|x| x.0),
                    "height": s.size.map(|x| x.1),
                    "frames": s.frames,
                    "keyframes": s.keyframes,
                    "bytes": s.bytes,
                    "first_pts": s.first_pts,
                    "last_pts": s.last_pts,
                    "duration_s": s.duration(),
                })
            })
            .collect();
        let v = json!({
            "input": input.display().to_string(),
            "imkh_header": header.map(|h| json!({"video": codec_name(h.video), "audio": h.audio.map(codec_name)})),
            "streams": list,
            "bytes": stats.bytes,
            "resyncs": stats.resyncs,
            "garbage_bytes": stats.garbage_bytes,
            "dropped_frames": stats.dropped_frames,
        });
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        outln!(
            "{}: {} bytes, {}",
            input.display(),
            stats.bytes,
            header.map_or("no IMKH header".into(), |h| format!(
                "IMKH header (video {}, audio {})",
                codec_name(h.video),
                h.audio.map_or("none", codec_name)
            ))
        );
        for (id, s) in &streams {
            outln!(
                "  stream 0x{id:02x}: {}{}, {} frames ({} keyframes), {} bytes{}",
                s.codec.map_or("unknown", codec_name),
                s.size.map_or(String::new(), |(w, h)| format!(" {w}x{h}")),
                s.frames,
                s.keyframes,
                s.bytes,
                s.duration()
                    .map_or(String::new(), |d| format!(", {d:.3} s"))
            );
        }
        if streams.is_empty() {
            outln!("  no frames: is this an MPEG-PS file?");
        }
    }
    ExitCode::SUCCESS
}
