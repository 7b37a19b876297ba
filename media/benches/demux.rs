//! `cargo bench -p hcnetsdk-media --bench demux`: demuxes a ~300 MB camera-shaped capture
//! (a synthetic 1080p H.264 clip at ~4 Mbit/s looped with continuous timestamps, plus
//! G.711A audio) with the library alone, then with
//! `ffmpeg -f mpeg -i X -map 0:v -c copy -f h264 -y out.h264`, and prints both and their
//! ratio. The capture is made once under target/bench-demux/ (outside git).
//! `HCNETSDK_MEDIA_BENCH_MB` changes its size.

use hcnetsdk_media::mux::{MuxConfig, Muxer, access_units};
use hcnetsdk_media::{Codec, Demuxer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn have_ffmpeg() -> bool {
    let ok = Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").unwrap_or_default().is_empty(),
            "ffmpeg missing under CI"
        );
        println!("ffmpeg not found: install it (apt-get install ffmpeg) to make the capture");
    }
    ok
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run ffmpeg");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes (or reuses) the capture of about `mb` MB in `dir`.
fn capture(dir: &Path, mb: usize) -> PathBuf {
    let path = dir.join(format!("capture-{mb}mb.ps"));
    if path.exists() {
        return path;
    }
    let clip = dir.join("clip-1080p.h264");
    run(Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"])
        .args(["-i", "testsrc2=size=1920x1080:rate=25:duration=4"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "4M",
            "-maxrate",
            "4M",
        ])
        .args([
            "-bufsize", "2M", "-g", "50", "-bf", "0", "-pix_fmt", "yuv420p", "-f", "h264",
        ])
        .arg(&clip));
    let es = std::fs::read(&clip).unwrap();
    let mut aus = Vec::new();
    access_units(Codec::H264, &es, |au, _| aus.push(au.to_vec()));
    let mut cfg = MuxConfig::new(Codec::H264, 1920, 1080);
    cfg.audio = Some(Codec::G711A);
    let mut m = Muxer::new(cfg);
    let mut out = m.media_info().to_bytes().to_vec();
    let (mut pts, g711) = (0u64, [0xd5u8; 320]);
    while out.len() < mb << 20 {
        for au in &aus {
            m.write_video(au, pts, |p| out.extend_from_slice(p));
            m.write_audio(&g711, pts, |p| out.extend_from_slice(p));
            pts += 3600;
        }
    }
    std::fs::write(&path, &out).unwrap();
    path
}

fn main() {
    if !have_ffmpeg() {
        return;
    }
    let mb: usize = std::env::var("HCNETSDK_MEDIA_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-demux");
    std::fs::create_dir_all(&dir).unwrap();
    let path = capture(&dir, mb);
    let data = std::fs::read(&path).unwrap();
    println!(
        "capture: {} ({:.1} MB)",
        path.display(),
        data.len() as f64 / 1e6
    );

    let mut best = f64::MAX;
    let (mut frames, mut video, mut allocs) = (0u64, 0u64, 0u64);
    for _ in 0..3 {
        let mut d = Demuxer::new();
        let (mut n, mut v, mut sum) = (0u64, 0u64, 0usize);
        let a0 = ALLOCS.load(Ordering::Relaxed);
        let t = Instant::now();
        for chunk in data.chunks(64 << 10) {
            d.push(chunk, |f| {
                n += 1;
                v += u64::from(f.is_video());
                sum += f.data.len();
            });
        }
        d.finish(|_| n += 1);
        best = best.min(t.elapsed().as_secs_f64());
        (frames, video, allocs) = (n, v, ALLOCS.load(Ordering::Relaxed) - a0);
        assert!(sum > 0);
    }
    let lib_rate = data.len() as f64 / best;
    println!(
        "library: {best:.3} s, {:.0} MB/s, {frames} frames ({video} video), {:.4} allocations/frame",
        lib_rate / 1e6,
        allocs as f64 / frames as f64
    );

    let out = dir.join("out.h264");
    let t = Instant::now();
    run(Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-f", "mpeg", "-i"])
        .arg(&path)
        .args(["-map", "0:v", "-c", "copy", "-f", "h264", "-y"])
        .arg(&out));
    let ff = t.elapsed().as_secs_f64();
    println!(
        "ffmpeg -c copy: {ff:.3} s, {:.0} MB/s",
        data.len() as f64 / ff / 1e6
    );
    println!("ratio: library is {:.1}x ffmpeg's speed", ff / best);
    let _ = std::fs::remove_file(out);
}
