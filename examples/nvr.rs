//! An NVR/VMS client in miniature (feature `tokio`): log in to every device at once, start
//! a live preview on each channel, count packets per camera for N seconds (or until
//! Ctrl-C), print a table, and shut down cleanly.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --features tokio --example nvr -- --seconds 5
//! ```
//!
//! With the mock and no `--host`, it uses every device of the mock's default scenario;
//! `--host a,b,c` names devices (the same user, password and port for all).
//!
//! The sessions, previews and their event streams are owned values: they live in this
//! program's own structs and move into tasks. Packets reach a closure on the SDK's thread
//! that only counts into atomics (a packet `Stream` will come later).

mod common;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hcnetsdk::{Password, Preview, Sdk, Session};

/// The devices of the mock's default scenario (mock-sdk/scenarios/default.toml).
const MOCK_DEVICES: [&str; 3] = ["192.0.2.10", "192.0.2.11", "192.0.2.20"];

/// One live stream and its counters.
struct Stream {
    preview: Preview,
    packets: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
}

/// One camera or recorder: its login and its streams.
struct Camera {
    session: Session,
    streams: Vec<Stream>,
    events: tokio::task::JoinHandle<u64>,
}

fn main() -> ExitCode {
    let args = common::parse(
        "nvr",
        &[("seconds", "how long to count packets (default 10)")],
    );
    common::run(|| {
        let runtime = tokio::runtime::Runtime::new()?;
        runtime.block_on(run(&args))
    })
}

async fn run(args: &common::Args) -> common::Outcome {
    let seconds: u64 = args.extra_num("seconds", 10);
    let sdk = common::load_sdk(args)?;
    let hosts: Vec<String> = match &args.host {
        Some(list) => list.split(',').map(str::to_owned).collect(),
        None if sdk.is_mock() => MOCK_DEVICES.iter().map(|h| (*h).to_owned()).collect(),
        None => return Err("--host is required with a real SDK".into()),
    };
    let password = match (&args.password, sdk.is_mock()) {
        (Some(p), _) => p.clone(),
        (None, true) => Password::new(common::MOCK_PASSWORD),
        (None, false) => {
            return Err("--password or HCNET_PASSWORD is required with a real SDK".into());
        }
    };

    // Every login at once: the SDK's asynchronous login completes each future.
    let logins: Vec<_> = hosts
        .iter()
        .map(|host| {
            let pending = Session::builder(&sdk)
                .address(host.clone())
                .port(args.port)
                .user(args.user.clone())
                .password(password.clone())
                .login_async();
            tokio::spawn(async move { pending?.await })
        })
        .collect();
    let mut cameras = Vec::new();
    for (host, login) in hosts.iter().zip(logins) {
        match login.await? {
            Ok(session) => cameras.push(start_camera(session)?),
            Err(e) => eprintln!("{host}: login failed: {e}"),
        }
    }
    if cameras.is_empty() {
        return Err("no device could be logged in to".into());
    }
    let streams: usize = cameras.iter().map(|c| c.streams.len()).sum();
    println!(
        "{} devices, {streams} streams; counting for {seconds} s (Ctrl-C stops)",
        cameras.len()
    );

    tokio::select! {
        () = tokio::time::sleep(Duration::from_secs(seconds)) => {}
        _ = tokio::signal::ctrl_c() => println!("interrupted"),
    }

    print_table(&cameras);
    shut_down(cameras, &sdk).await
}

/// Start a preview on every channel of the device, and a task that reads its events.
fn start_camera(session: Session) -> hcnetsdk::Result<Camera> {
    let mut streams = Vec::new();
    let channels: Vec<u32> = session.device_info().channels().collect();
    for channel in channels {
        let (packets, bytes) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (p, b) = (Arc::clone(&packets), Arc::clone(&bytes));
        let preview = session.preview(channel).start(move |packet| {
            p.fetch_add(1, Ordering::Relaxed);
            b.fetch_add(packet.len() as u64, Ordering::Relaxed);
        })?;
        streams.push(Stream {
            preview,
            packets,
            bytes,
        });
    }
    // The stream ends when the session logs out.
    let mut events = session.events();
    let address = session.address().to_owned();
    let events = tokio::spawn(async move {
        let mut n = 0;
        while let Some(event) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut events), cx)
        })
        .await
        {
            println!("{address}: {event}");
            n += 1;
        }
        n
    });
    Ok(Camera {
        session,
        streams,
        events,
    })
}

fn print_table(cameras: &[Camera]) {
    println!(
        "{:<16} {:>7} {:>10} {:>12}",
        "device", "channel", "packets", "bytes"
    );
    for camera in cameras {
        for s in &camera.streams {
            println!(
                "{:<16} {:>7} {:>10} {:>12}",
                camera.session.address(),
                s.preview.channel(),
                s.packets.load(Ordering::Relaxed),
                s.bytes.load(Ordering::Relaxed)
            );
        }
    }
}

/// Log every device out at once: each logout stops that device's previews first.
async fn shut_down(cameras: Vec<Camera>, sdk: &Sdk) -> common::Outcome {
    let mut logouts = Vec::new();
    for camera in cameras {
        let Camera {
            session,
            streams,
            events,
        } = camera;
        logouts.push(tokio::spawn(async move {
            let address = session.address().to_owned();
            let result = session.logout_async().await;
            let stopped = streams
                .iter()
                .filter(|s| s.preview.is_stopped_by_logout())
                .count();
            drop(streams);
            let events = events.await.unwrap_or(0);
            (address, result, stopped, events)
        }));
    }
    for logout in logouts {
        let (address, result, stopped, events) = logout.await?;
        result?;
        println!("{address}: logged out ({stopped} streams stopped, {events} events)");
    }
    println!("done (SDK {})", sdk.version()?);
    Ok(())
}
