//! An NVR/VMS client in miniature (feature `tokio`): log in to every device at once, start
//! a live preview on each channel, count video frames per camera for N seconds (or until
//! Ctrl-C), shut down cleanly, and print a table.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --features tokio --example nvr -- --seconds 5
//! HCNET_PASSWORD=... cargo run --features tokio --example nvr -- --sdk-dir "$HCNETSDK_LIB_DIR" \
//!     --host 192.168.1.64,192.168.1.65 --port 8000 --user admin
//! ```
//!
//! With the mock and no `--host`, it uses every device of the scenario the mock serves
//! (`HCNETSDK_MOCK_SCENARIO`, else its built-in one), each at its own port;
//! `--host a,b,c` names devices (the same user, password and login mode for all), each at
//! `--port` unless it names its own (`127.0.0.1:8081`). `--login-mode isapi` logs in on the
//! devices' HTTP ports; `.ci/real-sdk.d/nvr-emulator.sh` runs it that way through the real
//! SDK against `hcnet emulate`.
//!
//! The sessions, previews and their event streams are owned values: they live in this
//! program's own structs and move into tasks. Each preview's frames (demuxed from the SDK's
//! PS stream) come through a bounded queue read as a `Stream` by a task of its own, which
//! counts them (and the frames the queue dropped, if it falls behind) until the logout
//! stops the preview and ends the stream.

mod common;

use std::future::{Future as _, poll_fn};
use std::pin::Pin;
use std::process::ExitCode;
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream as _;
use hcnetsdk::{FrameReceiver, Password, Preview, Session};

/// Frames a queue may hold while its task is not scheduled.
const QUEUE: usize = 256;

/// One live stream and the task that counts its frames.
struct Stream {
    preview: Preview,
    counter: tokio::task::JoinHandle<Counts>,
}

/// What a stream's task counted.
#[derive(Default)]
struct Counts {
    /// Video frames (access units), and how many of them were key frames.
    frames: u64,
    key_frames: u64,
    bytes: u64,
    /// Frames the full queue dropped (reported on the next frame, and in all).
    lost: u64,
}

/// A table row: device, channel, and what its task counted.
type Row = (String, u32, Counts);

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
    // Ctrl-C is ours from here on (one poll installs the handler), so an interrupt while
    // logging in or streaming is a clean shutdown, never the default kill.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    poll_fn(|cx| {
        let _ = interrupted.as_mut().poll(cx);
        Poll::Ready(())
    })
    .await;
    let seconds: u64 = args.extra_num("seconds", 10);
    let sdk = common::load_sdk(args)?;
    let hosts: Vec<(String, u16)> = match &args.host {
        Some(list) => list.split(',').map(|h| host_port(h, args.port)).collect(),
        None if sdk.is_mock() => mock_devices()?,
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
        .map(|(host, port)| {
            // A host name is resolved with tokio's lookup_host: no runtime thread waits.
            let login = Session::builder(&sdk)
                .address(host.clone())
                .port(*port)
                .mode(args.mode)
                .user(args.user.clone())
                .password(password.clone())
                .login_nonblocking();
            tokio::spawn(login)
        })
        .collect();
    let mut cameras = Vec::new();
    for ((host, _), login) in hosts.iter().zip(logins) {
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
        _ = interrupted => println!("interrupted"),
    }

    let rows = shut_down(cameras).await?;
    print_table(&rows);
    println!("done (SDK {})", sdk.version()?);
    Ok(())
}

/// Start a preview on every channel of the device, and a task that reads its events.
fn start_camera(session: Session) -> hcnetsdk::Result<Camera> {
    let mut streams = Vec::new();
    let channels: Vec<u32> = session.device_info().channels().collect();
    for channel in channels {
        let (preview, frames) = session.preview(channel).start_frame_queue(QUEUE)?;
        streams.push(Stream {
            preview,
            counter: tokio::spawn(count(frames)),
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

/// One `--host` entry: an address with its own port (`127.0.0.1:8081`, `[::1]:80`), or a
/// host (name or IP) at `port`.
fn host_port(entry: &str, port: u16) -> (String, u16) {
    match entry.parse::<std::net::SocketAddr>() {
        Ok(addr) => (addr.ip().to_string(), addr.port()),
        Err(_) => (entry.to_owned(), port),
    }
}

/// With the mock and no `--host`: every device of the scenario the mock serves, as the
/// mock reads it (`HCNETSDK_MOCK_SCENARIO`, else its built-in scenario).
fn mock_devices() -> Result<Vec<(String, u16)>, Box<dyn std::error::Error>> {
    let scenario = match std::env::var_os("HCNETSDK_MOCK_SCENARIO").filter(|v| !v.is_empty()) {
        Some(path) => hcnetsdk_device::Scenario::load_file(std::path::Path::new(&path))?,
        None => hcnetsdk_device::Scenario::default(),
    };
    Ok(scenario
        .devices
        .into_iter()
        .map(|d| (d.address, d.port))
        .collect())
}

/// Count a preview's video frames until its stream ends (the preview stopped).
async fn count(mut frames: FrameReceiver) -> Counts {
    let mut c = Counts::default();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut frames).poll_next(cx)).await {
        c.lost += frame.lost_before();
        if frame.is_video() {
            c.frames += 1;
            c.key_frames += u64::from(frame.key());
            c.bytes += frame.data().len() as u64;
        }
    }
    // Also the frames dropped after the last one delivered.
    c.lost = c.lost.max(frames.lost());
    c
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<16} {:>7} {:>8} {:>5} {:>12} {:>6}",
        "device", "channel", "frames", "key", "bytes", "lost"
    );
    for (address, channel, c) in rows {
        println!(
            "{:<16} {:>7} {:>8} {:>5} {:>12} {:>6}",
            address, channel, c.frames, c.key_frames, c.bytes, c.lost
        );
    }
}

/// Log every device out at once: each logout stops that device's previews first, which
/// ends their packet streams and event streams.
async fn shut_down(cameras: Vec<Camera>) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
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
            let mut rows = Vec::new();
            let mut stopped = 0;
            for s in streams {
                stopped += usize::from(s.preview.is_stopped_by_logout());
                let counts = s.counter.await.unwrap_or_default();
                rows.push((address.clone(), s.preview.channel(), counts));
            }
            let events = events.await.unwrap_or(0);
            (address, result, stopped, events, rows)
        }));
    }
    let mut all = Vec::new();
    for logout in logouts {
        let (address, result, stopped, events, rows) = logout.await?;
        result?;
        println!("{address}: logged out ({stopped} streams stopped, {events} events)");
        all.extend(rows);
    }
    Ok(all)
}
