//! Cross-checks against ffmpeg: the video elementary stream this crate demuxes is byte
//! for byte what `ffmpeg -f mpeg -i PS -map 0:v -c copy -f h264|hevc` writes, and the
//! frame count and PTS match `ffprobe -show_packets`. Skips without ffmpeg, fails under CI.

mod common;

use common::*;
use hcnetsdk_media::Codec;
use hcnetsdk_media::mux::{MuxConfig, Muxer, access_units};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hcnetsdk-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("run ffmpeg/ffprobe");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Encodes a few small frames of testsrc2 with `encoder` into a raw elementary stream.
fn encode(encoder: &str, format: &str, name: &str) -> Vec<u8> {
    let path = tmp(name);
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"])
        .args(["-i", "testsrc2=size=192x108:rate=25:duration=1.2"])
        .args(["-c:v", encoder, "-g", "10", "-bf", "0", "-threads", "1"]);
    if encoder == "libx265" {
        cmd.args([
            "-x265-params",
            "log-level=none:bframes=0:pools=1:frame-threads=1",
        ]);
    }
    run(cmd.args(["-f", format]).arg(&path));
    std::fs::read(path).unwrap()
}

/// What ffmpeg copies out of `ps` as a raw `format` stream.
fn ffmpeg_copy(ps: &Path, format: &str) -> Vec<u8> {
    let out = ps.with_extension(format!("copy.{format}"));
    run(Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "mpeg",
            "-i",
        ])
        .arg(ps)
        .args(["-map", "0:v", "-c", "copy", "-copyinkf", "-f", format])
        .arg(&out));
    std::fs::read(out).unwrap()
}

/// The PTS of every video packet ffprobe reads from `ps` ("N/A" as None).
fn ffprobe_pts(ps: &Path) -> Vec<Option<i64>> {
    let out = run(Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-f",
            "mpeg",
            "-select_streams",
            "v:0",
            "-show_entries",
        ])
        .args(["packet=pts", "-of", "csv=p=0"])
        .arg(ps));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().trim_end_matches(',').parse().ok())
        .collect()
}

/// Demuxes `ps` (1-byte and whole pushes agree) and checks it against ffmpeg/ffprobe.
fn check_against_ffmpeg(ps_bytes: &[u8], ffmpeg_input: &[u8], format: &str, codec: Codec) -> usize {
    let frames = demux(ps_bytes);
    let ours: Vec<&Owned> = video(&frames);
    assert_eq!(
        demux_chunked(&mut hcnetsdk_media::Demuxer::new(), ps_bytes, 1),
        frames,
        "1-byte chunks"
    );
    assert!(ours.iter().all(|f| f.codec == codec));
    let path = tmp(&format!("input-{format}-{}.ps", ps_bytes.len()));
    std::fs::write(&path, ffmpeg_input).unwrap();
    let es: Vec<u8> = ours.iter().flat_map(|f| f.data.iter().copied()).collect();
    let theirs = ffmpeg_copy(&path, format);
    assert!(
        es == theirs,
        "elementary stream differs from ffmpeg's ({} vs {} bytes)",
        es.len(),
        theirs.len()
    );
    let pts: Vec<Option<i64>> = ours.iter().map(|f| f.pts).collect();
    let probed = ffprobe_pts(&path);
    assert_eq!(pts.len(), probed.len(), "frame count as ffprobe sees it");
    for (i, (a, b)) in pts.iter().zip(&probed).enumerate() {
        // ffmpeg's parser sometimes gives a frame that starts in a PES without a PTS the
        // PTS of the next PES (which belongs to the next frame): it then repeats it. The
        // stream coded no PTS for that frame, and we report none.
        let ffmpeg_reuse = a.is_none() && probed.get(i + 1) == Some(b);
        assert!(
            a == b || ffmpeg_reuse,
            "frame {i}: pts {a:?}, ffprobe {b:?}"
        );
    }
    ours.len()
}

/// Camera-shaped PS of `es`, its frame counter starting at 2 (see
/// [`Muxer::set_frame_counter`]: ffmpeg drops the frame whose counter is 1).
fn mux_for_ffmpeg(cfg: MuxConfig, es: &[u8], pts0: u64) -> Vec<u8> {
    let mut m = Muxer::new(cfg);
    m.set_frame_counter(2);
    let mut out = m.media_info().to_bytes().to_vec();
    let mut pts = pts0;
    access_units(cfg.video, es, |au, _| {
        m.write_video(au, pts, |p| out.extend_from_slice(p));
        pts += 3600;
    });
    out
}

#[test]
fn camera_shaped_h264_matches_ffmpeg() {
    if !have_tool("ffmpeg") || !have_tool("ffprobe") {
        return;
    }
    let es = encode("libx264", "h264", "in.h264");
    let ps = mux_for_ffmpeg(MuxConfig::new(Codec::H264, 192, 108), &es, 90_000);
    let n = check_against_ffmpeg(&ps, &ps[40..], "h264", Codec::H264);
    assert_eq!(n, 30);
    let frames = demux(&ps);
    let es_back: Vec<u8> = frames.iter().flat_map(|f| f.data.clone()).collect();
    assert_eq!(es_back, es, "round trip through the muxer");
    assert_eq!(frames.iter().filter(|f| f.key).count(), 3);
}

#[test]
fn camera_shaped_h265_matches_ffmpeg() {
    if !have_tool("ffmpeg") || !have_tool("ffprobe") {
        return;
    }
    let es = encode("libx265", "hevc", "in.hevc");
    let ps = mux_for_ffmpeg(MuxConfig::new(Codec::H265, 192, 108), &es, 0);
    let n = check_against_ffmpeg(&ps, &ps[40..], "hevc", Codec::H265);
    assert_eq!(n, 30);
    let frames = demux(&ps);
    assert_eq!(frames.iter().filter(|f| f.key).count(), 3);
    assert!(
        frames
            .iter()
            .all(|f| f.vps.is_some() && f.sps.is_some() && f.pps.is_some())
    );
}

#[test]
fn ffmpeg_vob_of_the_mock_clips_matches_ffmpeg() {
    if !have_tool("ffmpeg") || !have_tool("ffprobe") {
        return;
    }
    // ffmpeg's own PS shape (`-f vob`: 2048-byte packs, H.264 on 0xE2, no PSM), made from
    // the mock's H.264 clips (2 s at 25 fps, GOP 25).
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../device/src/media");
    for name in ["main.h264", "sub.h264"] {
        let vob = tmp(&format!("{name}.vob"));
        run(Command::new("ffmpeg")
            .args([
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-r",
                "25",
                "-f",
                "h264",
                "-i",
            ])
            .arg(dir.join(name))
            .args(["-c", "copy", "-f", "vob"])
            .arg(&vob));
        let ps = std::fs::read(&vob).unwrap();
        let n = check_against_ffmpeg(&ps, &ps, "h264", Codec::H264);
        assert_eq!(n, 50, "{name}: 2 s at 25 fps");
        let frames = demux(&ps);
        assert!(frames.iter().all(|f| f.stream == 0xe2));
        assert_eq!(frames.iter().filter(|f| f.key).count(), 2, "{name}: GOP 25");
    }
}
