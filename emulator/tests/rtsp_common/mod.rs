//! Shared by the rtsp* tests: the clips (the one place that knows where they live) and
//! bounded runs of ffmpeg/ffprobe.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hcnetsdk_emulator::rtsp::{
    AudioTrack, Credentials, MediaSource, RtspConfig, RtspServer, StreamMedia, VideoCodec,
};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "Cam12345";

/// The media clips of the shared device model (device/src/media). The emulator proper takes
/// them from `hcnetsdk_device::media`; these tests read the files in this one place.
pub fn clip_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../device/src/media")
}

/// The clips' bytes.
#[derive(Debug)]
pub struct Clips {
    pub main_h264: Vec<u8>,
    pub sub_h264: Vec<u8>,
    pub main_h265: Vec<u8>,
    pub sub_h265: Vec<u8>,
    pub alaw: Vec<u8>,
    pub ulaw: Vec<u8>,
    pub aac: Vec<u8>,
}

/// Loads every clip (the one helper that reads them).
pub fn load_clips() -> Clips {
    let dir = clip_dir();
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    Clips {
        main_h264: read("main.h264"),
        sub_h264: read("sub.h264"),
        main_h265: read("main.h265"),
        sub_h265: read("sub.h265"),
        alaw: read("audio.alaw"),
        ulaw: read("audio.ulaw"),
        aac: read("audio.aac"),
    }
}

/// Which audio a test source carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audio {
    None,
    Alaw,
    Ulaw,
    Aac,
}

/// Channel 1: main 640x360 and sub 320x180 at 25 fps, H.264 or H.265, with `audio` on both.
pub fn source(h265: bool, audio: Audio) -> MediaSource {
    let c = load_clips();
    let track = || match audio {
        Audio::None => None,
        Audio::Alaw => Some(AudioTrack::g711(true, &c.alaw)),
        Audio::Ulaw => Some(AudioTrack::g711(false, &c.ulaw)),
        Audio::Aac => Some(AudioTrack::aac_adts(&c.aac).expect("ADTS")),
    };
    let (codec, main, sub) = if h265 {
        (VideoCodec::H265, &c.main_h265, &c.sub_h265)
    } else {
        (VideoCodec::H264, &c.main_h264, &c.sub_h264)
    };
    let main = StreamMedia::from_annexb(codec, 640, 360, 25, main).with_audio(track());
    let sub = StreamMedia::from_annexb(codec, 320, 180, 25, sub).with_audio(track());
    MediaSource::new().with_channel(1, main, sub)
}

/// A server for `source` with admin/PASSWORD.
pub async fn server(source: MediaSource) -> RtspServer {
    let cfg = RtspConfig::new(source, Credentials::user(USER, PASSWORD));
    RtspServer::start(cfg).await.expect("bind 127.0.0.1")
}

/// Whether ffmpeg and ffprobe run. Without them: `false` with a printed reason, or a
/// panic when CI is set to anything non-empty (CI installs them).
pub fn have_ffmpeg() -> bool {
    let ok = ["ffmpeg", "ffprobe"].iter().all(|tool| {
        Command::new(tool)
            .arg("-version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if !ok {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "ffmpeg/ffprobe missing in CI (CI is set)"
        );
        eprintln!("skipped: ffmpeg/ffprobe not installed (CI unset)");
    }
    ok
}

/// The outcome of a bounded tool run.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `tool args` with a deadline (killed after `limit`), off the async runtime.
pub async fn run(tool: &str, args: Vec<String>, limit: Duration) -> Run {
    let tool = tool.to_owned();
    tokio::task::spawn_blocking(move || run_blocking(&tool, &args, limit))
        .await
        .expect("join")
}

fn run_blocking(tool: &str, args: &[String], limit: Duration) -> Run {
    let dir = std::env::temp_dir();
    let tag =
        format!("{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], "");
    let (out_path, err_path) = (
        dir.join(format!("rtsp-{tag}.out")),
        dir.join(format!("rtsp-{tag}.err")),
    );
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    let run = Run {
        success: status.is_some_and(|s| s.success()),
        stdout: read(&out_path),
        stderr: read(&err_path)
            + if status.is_none() {
                "\n(killed at the time limit)"
            } else {
                ""
            },
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    run
}

/// `rtsp://USER:password@127.0.0.1:PORT/ISAPI/Streaming/channels/<id>`.
pub fn url_with(server: &RtspServer, password: &str, id: u32) -> String {
    format!(
        "rtsp://{USER}:{password}@{}/ISAPI/Streaming/channels/{id}",
        server.addr()
    )
}
