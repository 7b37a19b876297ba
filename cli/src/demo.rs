//! `hcnet demo`: the tour on the mock SDK. Logs in to the mock's PTZ dome, prints its
//! information, moves the PTZ head, takes a snapshot, records a few seconds of preview and
//! ends with a doctor summary. Needs no SDK and no camera.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use hcnetsdk::{Motion, Sdk, Session, StreamType};

use crate::jobs::{self, fail};
use crate::progress::human_bytes;
use crate::{DemoArgs, DeviceArgs, device, doctor};

/// Run the demo.
pub fn run(sdk_dir: Option<&Path>, args: &DemoArgs) -> ExitCode {
    match tour(sdk_dir, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(text) => fail("demo", &text),
    }
}

/// The tour, step by step; the error is the text of the first failure.
fn tour(sdk_dir: Option<&Path>, args: &DemoArgs) -> Result<(), String> {
    outln!("hcnet demo: a tour of hcnetsdk on the mock SDK (no SDK download, no camera)\n");
    // Held to the end, as the SDK stays loaded and initialised for the whole tour.
    let _mock = show_mock_sdk(sdk_dir)?;
    let (sdk, session) = log_in(sdk_dir)?;
    outln!("[3/6] device info:");
    for line in jobs::info_text(&session).lines() {
        outln!("      {line}");
    }
    let channel =
        device::first_channel(&session).ok_or("the device reports no channels".to_string())?;
    move_ptz(&session, channel)?;
    let dir = out_dir(args.out_dir.as_deref())?;
    snapshot(&session, channel, &dir)?;
    record(&session, channel, &dir, args.seconds)?;
    session.logout().map_err(|e| format!("{e:#}"))?;
    drop(sdk);
    doctor_summary(sdk_dir)
}

/// 1. Load the SDK, refuse anything but the mock, and show its version.
fn show_mock_sdk(sdk_dir: Option<&Path>) -> Result<Sdk, String> {
    let sdk = device::load_sdk(sdk_dir)?;
    if !sdk.is_mock() {
        return Err(format!(
            "the SDK at {} is not the mock: the demo runs on the mock's simulated devices. \
             Run it without --sdk-dir and with HCNETSDK_LIB_DIR/HCNETSDK_LIB unset; use `hcnet doctor --sdk-dir ... --host ...` for a real setup.",
            sdk.library_path().display()
        ));
    }
    let version = sdk.version().map_err(|e| format!("{e:#}"))?;
    outln!(
        "[1/6] SDK: {}, version {version}",
        sdk.library_path().display()
    );
    Ok(sdk)
}

/// 2. Log in to the mock's default device.
fn log_in(sdk_dir: Option<&Path>) -> Result<(Sdk, Session), String> {
    let no_device = DeviceArgs {
        host: None,
        port: None,
        user: None,
        isapi: false,
        https: false,
    };
    let (sdk, session) = device::connect(sdk_dir, &no_device)?;
    outln!(
        "[2/6] logged in to {}:{} as {} (user ID {})",
        session.address(),
        session.port(),
        device::DEFAULT_USER,
        session.user_id()
    );
    Ok((sdk, session))
}

/// 4. Pan, zoom, set preset 1 and go to it; show the position before and after.
fn move_ptz(session: &Session, channel: u32) -> Result<(), String> {
    let ptz = session.ptz(channel).map_err(|e| format!("{e:#}"))?;
    let before = ptz.position().ok();
    jobs::move_for(&ptz, Motion::Right, 5, Duration::from_millis(600))
        .and_then(|()| jobs::move_for(&ptz, Motion::ZoomIn, 3, Duration::from_millis(300)))
        .and_then(|()| ptz.set_preset(1))
        .and_then(|()| ptz.goto_preset(1))
        .map_err(|e| format!("{e:#}"))?;
    let after = ptz.position().ok();
    let show = |p: Option<hcnetsdk::PtzPosition>| {
        p.map(|p| p.to_string()).unwrap_or_else(|| "unknown".into())
    };
    outln!(
        "[4/6] PTZ: panned right 0.6 s and zoomed in 0.3 s, saved preset 1 and went to it\n      position {} -> {}",
        show(before),
        show(after)
    );
    Ok(())
}

/// 5. A JPEG of the channel into `dir`.
fn snapshot(session: &Session, channel: u32, dir: &Path) -> Result<(), String> {
    let jpeg = dir.join("snapshot.jpg");
    let n = jobs::take_snapshot(session, channel, &jpeg)?;
    outln!(
        "[5/6] snapshot: {} JPEG -> {}",
        human_bytes(n as u64),
        jpeg.display()
    );
    Ok(())
}

/// 6. `secs` seconds of the main stream into `dir`.
fn record(session: &Session, channel: u32, dir: &Path, secs: u64) -> Result<(), String> {
    let ps = dir.join("preview.ps");
    outln!("[6/6] recording {secs} s of live preview on channel {channel} ...");
    let r = jobs::record(
        session,
        channel,
        StreamType::Main,
        Duration::from_secs(secs),
        &ps,
    )?;
    outln!(
        "      {} in {} packets{} -> {} (MPEG-PS: `ffplay {}`)",
        human_bytes(r.bytes),
        r.packets,
        if r.header {
            " after the 40-byte IMKH system header"
        } else {
            ""
        },
        ps.display(),
        ps.display()
    );
    Ok(())
}

/// The closing doctor summary; its full report on stderr when a check failed.
fn doctor_summary(sdk_dir: Option<&Path>) -> Result<(), String> {
    outln!("\ndoctor summary (`hcnet doctor` for the details):");
    let report = doctor::summary(sdk_dir);
    out!("{}", report.render_short());
    if !report.passed {
        eprint!("{}", report.render());
        return Err("a doctor check failed (details above)".into());
    }
    outln!(
        "\nAll done. Next: `hcnet doctor --simulate wrong-password`, `hcnet explain 153`, \
         `hcnet doctor --sdk-dir <real SDK> --host <camera>`."
    );
    Ok(())
}

fn out_dir(asked: Option<&Path>) -> Result<PathBuf, String> {
    let dir = match asked {
        Some(d) => d.to_path_buf(),
        None => std::env::temp_dir().join(format!("hcnet-demo-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        format!(
            "could not create {}: {e}; choose another --out-dir",
            dir.display()
        )
    })?;
    Ok(dir)
}
