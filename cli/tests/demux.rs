//! `hcnet demux` and `hcnet preview -o` with the extension rule, cross-checked with
//! ffmpeg/ffprobe: the `.h264`/`.h265` output is byte for byte what `ffmpeg -f mpeg -i PS
//! -map 0:v -c copy -copyinkf -f h264|hevc` writes; the `.mp4` output has the right codec,
//! size, frame count and duration; `--info --json` has its shape; a preview stopped by
//! Ctrl-C leaves a playable MP4. Skips without ffmpeg (a message), fails under CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{hcnet, run, text};
use hcnetsdk_media::Codec;
use hcnetsdk_media::mux::{MuxConfig, Muxer, access_units};
use serde_json::Value;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hcnet-demux-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Whether ffmpeg and ffprobe can run; under CI their absence is a failure.
fn have_ffmpeg() -> bool {
    let ok = ["ffmpeg", "ffprobe"].iter().all(|t| {
        Command::new(t)
            .arg("-version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if !ok {
        assert!(
            std::env::var("CI").unwrap_or_default().is_empty(),
            "ffmpeg/ffprobe are missing and CI is set: install ffmpeg"
        );
        eprintln!("skipped: ffmpeg/ffprobe not found (install ffmpeg to run this test)");
    }
    ok
}

fn tool(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("run ffmpeg/ffprobe");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn ffmpeg() -> Command {
    let mut c = Command::new("ffmpeg");
    c.args(["-hide_banner", "-loglevel", "error", "-y"]);
    c
}

/// 1.2 s of testsrc2 (192x108, 25 fps, GOP 10, no B-frames) as a raw `format` stream.
fn encode_video(dir: &Path, encoder: &str, format: &str) -> Vec<u8> {
    let path = dir.join(format!("in.{format}"));
    let mut cmd = ffmpeg();
    cmd.args([
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=192x108:rate=25:duration=1.2",
    ])
    .args(["-c:v", encoder, "-g", "10", "-bf", "0", "-threads", "1"]);
    if encoder == "libx265" {
        cmd.args([
            "-x265-params",
            "log-level=none:bframes=0:pools=1:frame-threads=1",
        ]);
    }
    tool(cmd.args(["-f", format]).arg(&path));
    std::fs::read(path).unwrap()
}

/// 1.2 s of a 440 Hz tone as AAC-LC ADTS frames (16 kHz mono).
fn encode_aac(dir: &Path) -> Vec<Vec<u8>> {
    let path = dir.join("in.aac");
    tool(
        ffmpeg()
            .args([
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=16000:duration=1.2",
            ])
            .args(["-c:a", "aac", "-ac", "1", "-f", "adts"])
            .arg(&path),
    );
    let adts = std::fs::read(path).unwrap();
    let mut frames = Vec::new();
    let mut i = 0;
    while i + 7 <= adts.len() {
        let len = (usize::from(adts[i + 3] & 3) << 11)
            | (usize::from(adts[i + 4]) << 3)
            | usize::from(adts[i + 5] >> 5);
        frames.push(adts[i..i + len].to_vec());
        i += len;
    }
    frames
}

/// Camera-shaped PS (IMKH header first) of `es` at 25 fps, with `audio` frames of
/// `audio_ticks` each interleaved; the frame counter starts at 2 (ffmpeg loses the frame
/// whose counter bytes hold `00 00 01`).
fn camera_ps(cfg: MuxConfig, es: &[u8], audio: &[Vec<u8>], audio_ticks: u64) -> Vec<u8> {
    let mut m = Muxer::new(cfg);
    m.set_frame_counter(2);
    let mut out = m.media_info().to_bytes().to_vec();
    let (mut pts, mut a) = (90_000u64, 0usize);
    access_units(cfg.video, es, |au, _| {
        m.write_video(au, pts, |p| out.extend_from_slice(p));
        while a < audio.len() && 90_000 + a as u64 * audio_ticks <= pts {
            m.write_audio(&audio[a], 90_000 + a as u64 * audio_ticks, |p| {
                out.extend_from_slice(p)
            });
            a += 1;
        }
        pts += 3600;
    });
    out
}

/// What ffmpeg copies out of `ps` as a raw `format` video stream.
fn ffmpeg_copy(ps: &Path, format: &str) -> Vec<u8> {
    let out = ps.with_extension(format!("ffmpeg.{format}"));
    tool(
        ffmpeg()
            .args(["-f", "mpeg", "-i"])
            .arg(ps)
            .args(["-map", "0:v", "-c", "copy", "-copyinkf", "-f", format])
            .arg(&out),
    );
    std::fs::read(out).unwrap()
}

/// ffprobe's view of `file`'s streams (frames counted by reading them).
fn probe(file: &Path) -> Vec<Value> {
    let out = tool(
        Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-count_frames",
                "-show_streams",
                "-of",
                "json",
            ])
            .arg(file),
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    v["streams"].as_array().unwrap().clone()
}

fn demux(input: &Path, out: &Path) -> String {
    let o = run(hcnet().arg("demux").arg(input).arg("-o").arg(out));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    t
}

#[test]
fn elementary_streams_match_ffmpeg_byte_for_byte() {
    if !have_ffmpeg() {
        return;
    }
    let dir = temp_dir("es");
    for (encoder, format, codec, exts) in [
        ("libx264", "h264", Codec::H264, ["h264", "264", ""]),
        ("libx265", "hevc", Codec::H265, ["h265", "265", "hevc"]),
    ] {
        let es = encode_video(&dir, encoder, format);
        let ps = camera_ps(MuxConfig::new(codec, 192, 108), &es, &[], 0);
        let with_header = dir.join(format!("{format}.ps"));
        let without = dir.join(format!("{format}-bare.ps"));
        std::fs::write(&with_header, &ps).unwrap();
        std::fs::write(&without, &ps[40..]).unwrap();
        let theirs = ffmpeg_copy(&without, format);
        assert!(!theirs.is_empty());
        for ext in exts.iter().filter(|e| !e.is_empty()) {
            for input in [&with_header, &without] {
                let out = dir.join(format!("out.{ext}"));
                let t = demux(input, &out);
                assert!(t.contains("wrote 30 frames"), "{t}");
                let ours = std::fs::read(&out).unwrap();
                assert!(
                    ours == theirs,
                    "{} -> .{ext}: {} bytes, ffmpeg {} bytes",
                    input.display(),
                    ours.len(),
                    theirs.len()
                );
            }
        }
        // The other codec's extension is refused with what the file holds.
        let wrong = if codec == Codec::H264 {
            "x.h265"
        } else {
            "x.h264"
        };
        let o = run(hcnet()
            .arg("demux")
            .arg(&with_header)
            .arg("-o")
            .arg(dir.join(wrong)));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{t}");
        assert!(t.contains("30 ") && t.contains("use -o FILE."), "{t}");
    }
}

#[test]
fn mp4_has_the_right_codec_size_frames_and_duration() {
    if !have_ffmpeg() {
        return;
    }
    let dir = temp_dir("mp4");
    let aac = encode_aac(&dir);
    // 1024 samples at 16 kHz = 5760 ticks of 90 kHz.
    for (encoder, format, codec, name) in [
        ("libx264", "h264", Codec::H264, "h264"),
        ("libx265", "hevc", Codec::H265, "hevc"),
    ] {
        let es = encode_video(&dir, encoder, format);
        let mut cfg = MuxConfig::new(codec, 192, 108);
        cfg.audio = Some(Codec::Aac);
        let ps = camera_ps(cfg, &es, &aac, 5760);
        let input = dir.join(format!("{format}-aac.ps"));
        std::fs::write(&input, &ps).unwrap();
        let out = dir.join(format!("{format}.mp4"));
        demux(&input, &out);
        let streams = probe(&out);
        let v = streams
            .iter()
            .find(|s| s["codec_type"] == "video")
            .expect("video");
        assert_eq!(v["codec_name"], name, "{v}");
        assert_eq!(
            (v["width"].as_u64(), v["height"].as_u64()),
            (Some(192), Some(108))
        );
        assert_eq!(v["nb_read_frames"], "30", "{v}");
        let d: f64 = v["duration"].as_str().unwrap().parse().unwrap();
        assert!((d - 1.2).abs() < 0.001, "duration {d}");
        let a = streams
            .iter()
            .find(|s| s["codec_type"] == "audio")
            .expect("audio");
        assert_eq!(a["codec_name"], "aac", "{a}");
        assert_eq!(a["sample_rate"], "16000", "{a}");
    }
}

#[test]
fn g711_audio_is_left_out_of_an_mp4_and_written_raw() {
    if !have_ffmpeg() {
        return;
    }
    let dir = temp_dir("g711");
    let es = encode_video(&dir, "libx264", "h264");
    let g711: Vec<Vec<u8>> = (0..30u8).map(|i| vec![0xd5 ^ i; 320]).collect();
    let mut cfg = MuxConfig::new(Codec::H264, 192, 108);
    cfg.audio = Some(Codec::G711A);
    let input = dir.join("g711.ps");
    std::fs::write(&input, camera_ps(cfg, &es, &g711, 3600)).unwrap();
    let t = demux(&input, &dir.join("v.mp4"));
    assert!(t.contains("g711a audio was left out"), "{t}");
    let streams = probe(&dir.join("v.mp4"));
    assert_eq!(streams.len(), 1, "video only");
    assert_eq!(streams[0]["nb_read_frames"], "30");
    let t = demux(&input, &dir.join("a.g711a"));
    assert!(t.contains("wrote 30 frames"), "{t}");
    assert_eq!(std::fs::read(dir.join("a.g711a")).unwrap(), g711.concat());
}

/// The mock's main clip (640x360 H.264, 25 fps, 2 s = 50 frames, an IDR every 25: see
/// device/src/media/README.md), muxed camera-shaped into a file.
fn mock_main_clip_ps(name: &str) -> PathBuf {
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../device/src/media/main.h264");
    let es = std::fs::read(&clip).unwrap_or_else(|e| panic!("{}: {e}", clip.display()));
    let ps = camera_ps(MuxConfig::new(Codec::H264, 640, 360), &es, &[], 0);
    let path = temp_dir(name).join("main.ps");
    std::fs::write(&path, &ps).unwrap();
    path
}

#[test]
fn info_json_has_the_streams_and_frame_counts() {
    let main = mock_main_clip_ps("info");
    let bytes = std::fs::metadata(&main).unwrap().len();
    let o = run(hcnet().arg("demux").arg(&main).args(["--info", "--json"]));
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["imkh_header"].is_object(),
        "the IMKH header is described: {v}"
    );
    assert_eq!(v["bytes"], bytes);
    let s = &v["streams"][0];
    assert_eq!(s["id"], "0xe0");
    assert_eq!(s["kind"], "video");
    assert_eq!(s["codec"], "h264");
    assert_eq!(
        (s["width"].as_u64(), s["height"].as_u64()),
        (Some(640), Some(360))
    );
    assert_eq!(s["frames"], 50);
    assert_eq!(s["keyframes"], 2);
    assert_eq!(v["streams"].as_array().unwrap().len(), 1);
    let o = run(hcnet().arg("demux").arg(&main).arg("--info"));
    let t = text(&o);
    assert!(
        o.status.success() && t.contains("h264 640x360, 50 frames (2 keyframes)"),
        "{t}"
    );
}

#[test]
fn a_wrong_extension_is_a_usage_error_listing_the_valid_ones() {
    let main = mock_main_clip_ps("ext-input");
    let dir = temp_dir("ext");
    for (cmd, out) in [("demux", "x.avi"), ("demux", "x.ps"), ("preview", "x.mkv")] {
        let mut c = hcnet();
        c.arg(cmd);
        if cmd == "demux" {
            c.arg(&main);
        }
        let o = run(c.arg("-o").arg(dir.join(out)));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{t}");
        assert!(
            t.contains(".h264")
                && t.contains(".hevc")
                && t.contains(".mp4")
                && t.contains(".g711u"),
            "{t}"
        );
        assert_eq!(t.contains(".ps (raw MPEG-PS)"), cmd == "preview", "{t}");
    }
}

#[test]
fn preview_writes_an_elementary_stream() {
    let dir = temp_dir("preview-es");
    let out = dir.join("p.264");
    let o = run(hcnet().args(["preview", "--seconds", "1", "-o"]).arg(&out));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let es = std::fs::read(&out).unwrap();
    assert!(
        es.starts_with(&[0, 0, 0, 1]) || es.starts_with(&[0, 0, 1]),
        "{t}"
    );
}

/// `hcnet preview -o x.mp4` in a child process, stopped by SIGINT: the file is finished
/// and ffprobe reads it.
#[test]
fn preview_mp4_stopped_by_ctrl_c_is_playable() {
    if !have_ffmpeg() {
        return;
    }
    let dir = temp_dir("preview-mp4");
    let out = dir.join("p.mp4");
    let child = hcnet()
        .args(["preview", "--seconds", "60", "-o"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("frames to"), "{t}");
    let streams = probe(&out);
    assert_eq!(streams[0]["codec_name"], "h264");
    assert_eq!(
        (streams[0]["width"].as_u64(), streams[0]["height"].as_u64()),
        (Some(640), Some(360))
    );
    let frames: u64 = streams[0]["nb_read_frames"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((25..1500).contains(&frames), "{frames} frames");
}

/// `hcnet preview -o x.mp4` killed with SIGKILL (no chance to finish anything): the MP4
/// is written as it goes (fragmented), so ffprobe still reads the fragments written
/// before the kill, with their frames.
#[test]
fn preview_mp4_killed_outright_is_still_playable() {
    if !have_ffmpeg() {
        return;
    }
    let dir = temp_dir("preview-mp4-kill");
    let out = dir.join("p.mp4");
    let mut child = hcnet()
        .args(["preview", "--seconds", "120", "-o"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the second fragment to start, so that one is complete (about 1 s of video).
    let t0 = std::time::Instant::now();
    let fragments = |p: &Path| {
        let d = std::fs::read(p).unwrap_or_default();
        d.windows(4).filter(|w| w == b"moof").count()
    };
    while fragments(&out) < 2 && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(fragments(&out) >= 2, "no fragment written in 60 s");
    let streams = probe(&out);
    assert_eq!(streams[0]["codec_name"], "h264");
    assert_eq!(
        (streams[0]["width"].as_u64(), streams[0]["height"].as_u64()),
        (Some(640), Some(360))
    );
    let frames: u64 = streams[0]["nb_read_frames"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(frames >= 25, "{frames} frames");
}

/// An existing output is overwritten in place (`hcnet demux` reuses its pages) and cut to
/// the new length: the result is the same as into a new file. An output that is the input
/// itself (here a hard link) is refused before anything is written.
#[test]
fn demux_over_an_existing_file_and_onto_its_input() {
    let main = mock_main_clip_ps("reuse-input");
    let dir = temp_dir("reuse");
    let fresh = dir.join("fresh.h264");
    demux(&main, &fresh);
    let fresh = std::fs::read(&fresh).unwrap();
    assert!(fresh.len() > 1000);
    let old = dir.join("old.h264");
    std::fs::write(&old, vec![0x5a; fresh.len() * 3]).unwrap();
    demux(&main, &old);
    assert!(
        std::fs::read(&old).unwrap() == fresh,
        "differs from a fresh output"
    );
    let link = dir.join("link.h264");
    std::fs::hard_link(&main, &link).unwrap();
    let before = std::fs::read(&main).unwrap();
    let o = run(hcnet().arg("demux").arg(&main).arg("-o").arg(&link));
    let t = text(&o);
    assert!(
        !o.status.success() && t.contains("is the input itself"),
        "{t}"
    );
    assert!(
        std::fs::read(&main).unwrap() == before,
        "the input was changed"
    );
}
