//! `hcnet demux X -o out.h264` against `ffmpeg -f mpeg -i X -map 0:v -c copy -f h264 -y
//! out.h264`, in the same run, on the ~300 MB camera-shaped capture (1080p H.264 + G.711)
//! that `cargo bench -p hcnetsdk-media --bench demux` makes under `target/bench-demux/`
//! (this bench runs that one first when the capture is missing). Prints bytes/s of each
//! (best of `HCNET_DEMUX_BENCH_ROUNDS`, default 3) and the ratio, and the library alone
//! (the capture in memory) in the same run; the target is hcnet at 4x ffmpeg's speed or
//! more.
//!
//! ```sh
//! cargo bench -p hcnet --bench demux
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

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
        println!("ffmpeg not found: install it (apt-get install ffmpeg) to run this bench");
    }
    ok
}

/// The media bench's capture, made by that bench when missing.
fn capture(dir: &Path) -> PathBuf {
    let mb = std::env::var("HCNETSDK_MEDIA_BENCH_MB").unwrap_or_else(|_| "300".into());
    let path = dir.join(format!("capture-{mb}mb.ps"));
    if !path.exists() {
        println!("making the capture with `cargo bench -p hcnetsdk-media --bench demux` ...");
        run(Command::new(env!("CARGO"))
            .args(["bench", "-p", "hcnetsdk-media", "--bench", "demux"])
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")));
    }
    path
}

/// The best wall-clock time of `rounds` runs of `cmd`.
fn best_of(rounds: usize, mut cmd: impl FnMut() -> Command) -> f64 {
    (0..rounds)
        .map(|_| {
            let mut c = cmd();
            let t = Instant::now();
            run(&mut c);
            t.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

/// The best time of `rounds` demuxes of the capture, in memory, by the library alone.
fn library_alone(input: &Path, rounds: usize) -> f64 {
    let data = std::fs::read(input).unwrap();
    (0..rounds)
        .map(|_| {
            let mut d = hcnetsdk_media::Demuxer::new();
            let mut sum = 0usize;
            let t = Instant::now();
            d.push(&data, |f| sum += f.data.len());
            d.finish(|f| sum += f.data.len());
            let s = t.elapsed().as_secs_f64();
            assert!(sum > 0);
            s
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("not started by `cargo bench`: skipped");
        return;
    }
    if !have_ffmpeg() {
        return;
    }
    let rounds: usize = std::env::var("HCNET_DEMUX_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-demux");
    std::fs::create_dir_all(&dir).unwrap();
    let input = capture(&dir);
    let bytes = std::fs::metadata(&input).unwrap().len() as f64;
    println!("capture: {} ({:.1} MB)", input.display(), bytes / 1e6);
    let (ours, theirs) = (dir.join("hcnet.h264"), dir.join("ffmpeg.h264"));
    let hcnet = best_of(rounds, || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hcnet"));
        c.arg("demux").arg(&input).arg("-o").arg(&ours);
        c
    });
    let ffmpeg = best_of(rounds, || {
        let mut c = Command::new("ffmpeg");
        c.args(["-hide_banner", "-loglevel", "error", "-f", "mpeg", "-i"])
            .arg(&input)
            .args(["-map", "0:v", "-c", "copy", "-f", "h264", "-y"])
            .arg(&theirs);
        c
    });
    let library = library_alone(&input, rounds);
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!(
        "hcnet demux -o out.h264: {hcnet:.3} s, {:.0} MB/s ({} bytes written)",
        bytes / hcnet / 1e6,
        size(&ours)
    );
    println!(
        "ffmpeg -c copy -f h264:  {ffmpeg:.3} s, {:.0} MB/s ({} bytes written)",
        bytes / ffmpeg / 1e6,
        size(&theirs)
    );
    println!(
        "library alone (in memory):  {library:.3} s, {:.0} MB/s, {:.1}x ffmpeg",
        bytes / library / 1e6,
        ffmpeg / library
    );
    let ratio = ffmpeg / hcnet;
    println!(
        "ratio: hcnet is {ratio:.1}x ffmpeg's speed (target >= 4x: {})",
        if ratio >= 4.0 { "met" } else { "NOT met" }
    );
    let _ = std::fs::remove_file(ours);
    let _ = std::fs::remove_file(theirs);
}
