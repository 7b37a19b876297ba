//! `hcnet demo`: the tour on the mock SDK. Logs in to the mock's PTZ dome, prints its
//! information, moves the PTZ head, takes a snapshot, records a few seconds of preview and
//! ends with a doctor summary. Needs no SDK and no camera.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use hcnetsdk::{Motion, StreamType};

use crate::jobs::{self, fail};
use crate::progress::human_bytes;
use crate::{DemoArgs, DeviceArgs, device, doctor};

/// Run the demo.
pub fn run(sdk_dir: Option<&Path>, args: &DemoArgs) -> ExitCode {
    outln!("hcnet demo: a tour of hcnetsdk on the mock SDK (no SDK download, no camera)\n");

    // 1. The SDK.
    let sdk = match device::load_sdk(sdk_dir) {
        Ok(s) => s,
        Err(t) => return fail("demo", &t),
    };
    if !sdk.is_mock() {
        return fail(
            "demo",
            &format!(
                "the SDK at {} is not the mock: the demo runs on the mock's simulated devices. \
                 Run it without --sdk-dir and with HCNETSDK_LIB_DIR/HCNETSDK_LIB unset; use `hcnet doctor --sdk-dir ... --host ...` for a real setup.",
                sdk.library_path().display()
            ),
        );
    }
    let version = match sdk.version() {
        Ok(v) => v,
        Err(e) => return fail("demo", &format!("{e:#}")),
    };
    outln!(
        "[1/6] SDK: {}, version {version}",
        sdk.library_path().display()
    );

    // 2. Login.
    let no_device = DeviceArgs {
        host: None,
        port: None,
        user: None,
    };
    let (sdk, session) = match device::connect(sdk_dir, &no_device) {
        Ok(x) => x,
        Err(t) => return fail("demo", &t),
    };
    outln!(
        "[2/6] logged in to {}:{} as {} (user ID {})",
        session.address(),
        session.port(),
        device::DEFAULT_USER,
        session.user_id()
    );

    // 3. Device info.
    outln!("[3/6] device info:");
    for line in jobs::info_text(&session).lines() {
        outln!("      {line}");
    }
    let Some(channel) = device::first_channel(&session) else {
        return fail("demo", "the device reports no channels");
    };

    // 4. PTZ.
    let ptz = match session.ptz(channel) {
        Ok(p) => p,
        Err(e) => return fail("demo", &format!("{e:#}")),
    };
    let before = ptz.position().ok();
    let step = jobs::move_for(&ptz, Motion::Right, 5, Duration::from_millis(600))
        .and_then(|()| jobs::move_for(&ptz, Motion::ZoomIn, 3, Duration::from_millis(300)))
        .and_then(|()| ptz.set_preset(1))
        .and_then(|()| ptz.goto_preset(1));
    if let Err(e) = step {
        return fail("demo", &format!("{e:#}"));
    }
    let after = ptz.position().ok();
    let show = |p: Option<hcnetsdk::PtzPosition>| {
        p.map(|p| p.to_string()).unwrap_or_else(|| "unknown".into())
    };
    outln!(
        "[4/6] PTZ: panned right 0.6 s and zoomed in 0.3 s, saved preset 1 and went to it\n      position {} -> {}",
        show(before),
        show(after)
    );

    // 5. Snapshot.
    let dir = match out_dir(args.out_dir.as_deref()) {
        Ok(d) => d,
        Err(t) => return fail("demo", &t),
    };
    let jpeg = dir.join("snapshot.jpg");
    match jobs::take_snapshot(&session, channel, &jpeg) {
        Ok(n) => outln!(
            "[5/6] snapshot: {} JPEG -> {}",
            human_bytes(n as u64),
            jpeg.display()
        ),
        Err(t) => return fail("demo", &t),
    }

    // 6. Preview.
    let ps = dir.join("preview.ps");
    let secs = args.seconds;
    outln!("[6/6] recording {secs} s of live preview on channel {channel} ...");
    match jobs::record(
        &session,
        channel,
        StreamType::Main,
        Duration::from_secs(secs),
        &ps,
    ) {
        Ok(r) => outln!(
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
        ),
        Err(t) => return fail("demo", &t),
    }
    if let Err(e) = session.logout() {
        return fail("demo", &format!("{e:#}"));
    }
    drop(sdk);

    // Doctor summary.
    outln!("\ndoctor summary (`hcnet doctor` for the details):");
    let report = doctor::summary(sdk_dir);
    out!("{}", report.render_short());
    if !report.passed {
        eprint!("{}", report.render());
        return fail("demo", "a doctor check failed (details above)");
    }
    outln!(
        "\nAll done. Next: `hcnet doctor --simulate wrong-password`, `hcnet explain 153`, \
         `hcnet doctor --sdk-dir <real SDK> --host <camera>`."
    );
    ExitCode::SUCCESS
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
