//! Write N seconds of a channel's live stream to a file, as the SDK delivers it (a PS
//! stream that ffprobe/ffplay and Hikvision's player open).
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example preview -- --seconds 3 --out live.ps
//! ```

mod common;

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hcnetsdk::{DataType, RecvTimeoutError, StreamType};

fn main() -> ExitCode {
    let args = common::parse(
        "preview",
        &[
            ("seconds", "how long to record (default 5)"),
            ("out", "output file (default preview.ps)"),
            ("stream", "main, sub or third (default main)"),
        ],
    );
    common::run(|| {
        let seconds: u64 = args.extra_num("seconds", 5);
        let out = args.extra("out").unwrap_or("preview.ps").to_owned();
        let stream = match args.extra("stream").unwrap_or("main") {
            "main" => StreamType::Main,
            "sub" => StreamType::Sub,
            "third" => StreamType::Third,
            other => {
                eprintln!("--stream {other}: use main, sub or third");
                std::process::exit(2);
            }
        };
        let sdk = common::load_sdk(&args)?;
        let session = common::login(&sdk, &args)?;
        let mut file = std::fs::File::create(&out).map_err(|e| format!("{out}: {e}"))?;
        let (preview, mut packets) = session
            .preview(args.channel)
            .stream(stream)
            .start_queue(256)?;
        println!(
            "recording channel {} of {} for {seconds} s into {out}",
            args.channel,
            session.address()
        );
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (mut written, mut count) = (0u64, 0u64);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match packets.recv_timeout(left) {
                Ok(packet) => {
                    if packet.lost_before() > 0 {
                        eprintln!(
                            "warning: {} packets lost (writer too slow)",
                            packet.lost_before()
                        );
                    }
                    if matches!(packet.kind(), DataType::SysHead | DataType::Stream) {
                        file.write_all(&packet).map_err(|e| format!("{out}: {e}"))?;
                        written += packet.len() as u64;
                        count += 1;
                    }
                }
                // Timeout: the deadline passed; Stopped: the SDK ended the stream.
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Stopped) => break,
                Err(e) => return Err(e.into()),
            }
            while let Some(event) = preview.try_next_event() {
                println!("event: {event}");
            }
        }
        let stats = preview.stats();
        preview.stop()?;
        session.logout()?;
        println!(
            "wrote {written} bytes in {count} packets ({} received, {} lost)",
            stats.packets,
            packets.lost()
        );
        Ok(())
    })
}
