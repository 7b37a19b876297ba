//! `hcnet emulate [--scenario FILE] [--json]`: serve every device of a scenario on
//! 127.0.0.1 (ISAPI over HTTP and RTSP, from the same device model as the mock SDK), print
//! each device's ports before serving, and run until Ctrl-C or SIGTERM.
//!
//! The real SDK then logs in with `--isapi --host 127.0.0.1 --port HTTP_PORT`.

use std::process::ExitCode;

use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::{EmulatedDevice, Emulator};

use crate::EmulateArgs;
use crate::jobs::fail;

/// `hcnet emulate`.
pub fn run(args: &EmulateArgs) -> ExitCode {
    let scenario = match &args.scenario {
        Some(path) => match Scenario::load_file(path) {
            Ok(s) => s,
            Err(e) => return fail("emulate", &format!("the scenario: {e}")),
        },
        None => Scenario::default(),
    };
    if scenario.devices.is_empty() {
        return fail("emulate", "the scenario has no [[device]]");
    }
    // Every ISAPI request is logged (a 404 as a warning): how we learn what a client asks.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_target(false)
        .try_init();
    let signals = match Signals::catch() {
        Ok(s) => s,
        Err(e) => return fail("emulate", &format!("could not catch Ctrl-C: {e}")),
    };
    let emulator = match Emulator::start(&scenario) {
        Ok(e) => e,
        Err(e) => return fail("emulate", &format!("could not start the emulator: {e}")),
    };
    if args.json {
        for d in emulator.devices() {
            outln!("{}", json_line(d));
        }
    } else {
        print_table(emulator.devices());
    }
    eprintln!(
        "hcnet emulate: serving {} device(s) on 127.0.0.1 until Ctrl-C; log in with \
         --isapi --host 127.0.0.1 --port HTTP_PORT and a user of the scenario",
        emulator.devices().len()
    );
    let waited = signals.wait();
    emulator.stop();
    match waited {
        Ok(name) => {
            eprintln!("hcnet emulate: {name}: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail("emulate", &format!("waiting for Ctrl-C: {e}")),
    }
}

/// One device as a JSON object on one line.
fn json_line(d: &EmulatedDevice) -> String {
    let spec = d.model().spec();
    serde_json::json!({
        "label": d.label(),
        "address": d.address(),
        "host": "127.0.0.1",
        "http_port": d.http_port(),
        "https_port": d.https_port(),
        "rtsp_port": d.rtsp_port(),
        "model": spec.model,
        "serial": spec.serial,
        "served": d.is_served(),
    })
    .to_string()
}

fn print_table(devices: &[EmulatedDevice]) {
    let w = devices
        .iter()
        .map(|d| d.label().len())
        .max()
        .unwrap_or(0)
        .max(5);
    outln!(
        "{:<w$}  {:<15}  {:>9}  {:>9}  model",
        "label",
        "address",
        "http_port",
        "rtsp_port"
    );
    for d in devices {
        let note = if d.is_served() {
            ""
        } else {
            "  (offline: refuses connections)"
        };
        outln!(
            "{:<w$}  {:<15}  {:>9}  {:>9}  {}{note}",
            d.label(),
            d.address(),
            d.http_port(),
            d.rtsp_port(),
            d.model().spec().model
        );
    }
}

/// SIGINT (Ctrl-C) and SIGTERM, caught from now on (before the ports are printed, so a
/// client that reads them and stops the emulator at once finds the handlers in place).
struct Signals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    streams: [tokio::signal::unix::Signal; 2],
}

impl Signals {
    fn catch() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        #[cfg(unix)]
        let streams = {
            use tokio::signal::unix::{SignalKind, signal};
            let _in_runtime = runtime.enter();
            [
                signal(SignalKind::interrupt())?,
                signal(SignalKind::terminate())?,
            ]
        };
        Ok(Self {
            runtime,
            #[cfg(unix)]
            streams,
        })
    }

    /// Block until one comes; which one.
    #[cfg(unix)]
    fn wait(self) -> std::io::Result<&'static str> {
        let [mut int, mut term] = self.streams;
        self.runtime.block_on(async {
            tokio::select! {
                _ = int.recv() => Ok("Ctrl-C"),
                _ = term.recv() => Ok("SIGTERM"),
            }
        })
    }

    /// Block until Ctrl-C.
    #[cfg(not(unix))]
    fn wait(self) -> std::io::Result<&'static str> {
        self.runtime
            .block_on(tokio::signal::ctrl_c())
            .map(|()| "Ctrl-C")
    }
}
