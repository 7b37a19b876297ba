//! ffmpeg/ffprobe as an independent RTSP client of the emulator: what they read must be
//! the clip's codec and size, and the frames they record must decode without an error.

mod rtsp_common;

use std::time::Duration;

use hcnetsdk_emulator::rtsp::{AuthMode, Credentials, RtspConfig, RtspServer};
use rtsp_common::{Audio, PASSWORD, have_ffmpeg, run, server, source, url_with};

const LIMIT: Duration = Duration::from_secs(30);

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

/// `ffprobe` of the stream: one `codec,width,height` line per stream.
async fn probe(url: &str, transport: &str) -> rtsp_common::Run {
    let args = s(&[
        "-v",
        "error",
        "-rtsp_transport",
        transport,
        "-show_entries",
        "stream=codec_name,width,height",
        "-of",
        "csv=p=0",
        url,
    ]);
    run("ffprobe", args, LIMIT).await
}

/// Records 2 s with `-c copy`, then checks the file decodes silently and counts its frames.
async fn record_and_decode(url: &str, transport: &str, format: &str) -> u32 {
    let dir = std::env::temp_dir().join(format!(
        "emu-rtsp-{}-{transport}-{format}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir
        .join(format!("out.{format}"))
        .to_string_lossy()
        .into_owned();
    let rec = s(&[
        "-v",
        "error",
        "-y",
        "-rtsp_transport",
        transport,
        "-i",
        url,
        "-t",
        "2",
        "-an",
        "-c",
        "copy",
        "-f",
        format,
        &out,
    ]);
    let r = run("ffmpeg", rec, LIMIT).await;
    assert!(r.success, "ffmpeg record failed: {}", r.stderr);
    let dec = run(
        "ffmpeg",
        s(&["-v", "error", "-i", &out, "-f", "null", "-"]),
        LIMIT,
    )
    .await;
    assert!(
        dec.success && dec.stderr.trim().is_empty(),
        "decode errors: {}",
        dec.stderr
    );
    let count = s(&[
        "-v",
        "error",
        "-count_frames",
        "-show_entries",
        "stream=nb_read_frames",
        "-of",
        "csv=p=0",
        &out,
    ]);
    let c = run("ffprobe", count, LIMIT).await;
    let _ = std::fs::remove_dir_all(&dir);
    c.stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("frame count: {c:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ffprobe_reads_h264_main_and_sub_over_tcp() {
    if !have_ffmpeg() {
        return;
    }
    let srv = server(source(false, Audio::Alaw)).await;
    let main = probe(&url_with(&srv, PASSWORD, 101), "tcp").await;
    assert!(main.success, "{}", main.stderr);
    assert!(
        main.stdout.lines().any(|l| l.trim() == "h264,640,360"),
        "{}",
        main.stdout
    );
    assert!(
        main.stdout
            .lines()
            .any(|l| l.trim().starts_with("pcm_alaw")),
        "{}",
        main.stdout
    );
    let sub = probe(&url_with(&srv, PASSWORD, 102), "tcp").await;
    assert!(
        sub.stdout.lines().any(|l| l.trim() == "h264,320,180"),
        "{sub:?}"
    );
    let missing = probe(&url_with(&srv, PASSWORD, 301), "tcp").await;
    assert!(!missing.success);
    assert!(
        srv.requests()
            .iter()
            .any(|r| r.method == "DESCRIBE" && r.status == 404)
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ffmpeg_records_h264_that_decodes_over_tcp() {
    if !have_ffmpeg() {
        return;
    }
    let srv = server(source(false, Audio::Ulaw)).await;
    let frames = record_and_decode(&url_with(&srv, PASSWORD, 101), "tcp", "h264").await;
    assert!(
        (40..=60).contains(&frames),
        "{frames} frames in 2 s at 25 fps"
    );
    let reqs = srv.requests();
    assert!(
        reqs.iter().any(|r| r.method == "PLAY" && r.status == 200),
        "{reqs:?}"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ffmpeg_records_h264_over_udp() {
    if !have_ffmpeg() {
        return;
    }
    let srv = server(source(false, Audio::Aac)).await;
    let p = probe(&url_with(&srv, PASSWORD, 101), "udp").await;
    assert!(
        p.stdout.lines().any(|l| l.trim() == "h264,640,360"),
        "{p:?}"
    );
    assert!(
        p.stdout.lines().any(|l| l.trim().starts_with("aac")),
        "{p:?}"
    );
    let frames = record_and_decode(&url_with(&srv, PASSWORD, 101), "udp", "h264").await;
    assert!(
        (40..=60).contains(&frames),
        "{frames} frames in 2 s at 25 fps"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ffmpeg_reads_and_records_h265() {
    if !have_ffmpeg() {
        return;
    }
    let srv = server(source(true, Audio::None)).await;
    let p = probe(&url_with(&srv, PASSWORD, 101), "tcp").await;
    assert!(
        p.stdout.lines().any(|l| l.trim() == "hevc,640,360"),
        "{p:?}"
    );
    let frames = record_and_decode(&url_with(&srv, PASSWORD, 101), "tcp", "hevc").await;
    assert!(
        (40..=60).contains(&frames),
        "{frames} frames in 2 s at 25 fps"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_gets_401() {
    if !have_ffmpeg() {
        return;
    }
    let srv = server(source(false, Audio::None)).await;
    let p = probe(&url_with(&srv, "wrong", 101), "tcp").await;
    assert!(!p.success, "{p:?}");
    assert!(p.stderr.contains("401"), "{}", p.stderr);
    let reqs = srv.requests();
    assert!(
        reqs.iter()
            .filter(|r| r.method == "DESCRIBE")
            .all(|r| r.status == 401),
        "{reqs:?}"
    );
    assert!(reqs.iter().any(|r| {
        r.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("Digest "))
    }));
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_mode_gets_the_password_in_clear() {
    if !have_ffmpeg() {
        return;
    }
    let cfg = RtspConfig::new(
        source(false, Audio::None),
        Credentials::user("admin", PASSWORD),
    )
    .with_auth(AuthMode::Basic);
    let srv = RtspServer::start(cfg).await.unwrap();
    let p = probe(&url_with(&srv, PASSWORD, 101), "tcp").await;
    assert!(
        p.stdout.lines().any(|l| l.trim() == "h264,640,360"),
        "{p:?}"
    );
    let clear = format!(
        "Basic {}",
        hcnetsdk_emulator::rtsp::sdp::base64(format!("admin:{PASSWORD}").as_bytes())
    );
    let reqs = srv.requests();
    assert!(
        reqs.iter()
            .any(|r| r.authorization.as_deref() == Some(clear.as_str()) && r.status == 200),
        "{reqs:?}"
    );
    let bad = probe(&url_with(&srv, "wrong", 101), "tcp").await;
    assert!(!bad.success && bad.stderr.contains("401"), "{bad:?}");
    srv.stop().await;
}
