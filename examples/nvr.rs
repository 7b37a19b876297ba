//! An NVR/VMS client in miniature (feature `tokio`): log in to every device at once, start
//! a live preview on each channel, count packets per camera for N seconds (or until
//! Ctrl-C), shut down cleanly, and print a table.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --features tokio --example nvr -- --seconds 5
//! ```
//!
//! With the mock and no `--host`, it uses every device of the mock's default scenario;
//! `--host a,b,c` names devices (the same user, password and port for all).
//!
//! The sessions, previews and their event streams are owned values: they live in this
//! program's own structs and move into tasks. Each preview's packets come through a bounded
//! queue read as a `Stream` by a task of its own, which counts them (and the packets the
//! queue dropped, if it falls behind) until the logout stops the preview and ends the
//! stream.

mod common;

use std::future::poll_fn;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Duration;

use futures_core::Stream as _;
use hcnetsdk::{PacketReceiver, Password, Preview, Session};

/// The devices of the mock's default scenario (device/scenarios/default.toml).
const MOCK_DEVICES: [&str; 3] = ["192.0.2.10", "192.0.2.11", "192.0.2.20"];

/// Packets a queue may hold while its task is not scheduled.
const QUEUE: usize = 256;

/// One live stream and the task that counts its packets.
struct Stream {
    preview: Preview,
    counter: tokio::task::JoinHandle<Counts>,
}

/// What a stream's task counted.
#[derive(Default)]
struct Counts {
    packets: u64,
    bytes: u64,
    /// Packets the full queue dropped (reported on the next packet, and in all).
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
            // A host name is resolved with tokio's lookup_host: no runtime thread waits.
            let login = Session::builder(&sdk)
                .address(host.clone())
                .port(args.port)
                .user(args.user.clone())
                .password(password.clone())
                .login_nonblocking();
            tokio::spawn(login)
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
        let (preview, packets) = session.preview(channel).start_queue(QUEUE)?;
        streams.push(Stream {
            preview,
            counter: tokio::spawn(count(packets)),
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

/// Count a preview's packets until its stream ends (the preview stopped).
async fn count(mut packets: PacketReceiver) -> Counts {
    let mut c = Counts::default();
    while let Some(packet) = poll_fn(|cx| Pin::new(&mut packets).poll_next(cx)).await {
        c.packets += 1;
        c.bytes += packet.len() as u64;
        c.lost += packet.lost_before();
    }
    // Also the packets dropped after the last one delivered.
    c.lost = c.lost.max(packets.lost());
    c
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<16} {:>7} {:>10} {:>12} {:>6}",
        "device", "channel", "packets", "bytes", "lost"
    );
    for (address, channel, c) in rows {
        println!(
            "{:<16} {:>7} {:>10} {:>12} {:>6}",
            address, channel, c.packets, c.bytes, c.lost
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
