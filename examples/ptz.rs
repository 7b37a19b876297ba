//! Move a PTZ camera: pan, tilt and zoom for a moment each, save and recall a preset, and
//! read and set the absolute position.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example ptz
//! ```

mod common;

use std::process::ExitCode;
use std::thread::sleep;
use std::time::Duration;

use hcnetsdk::{Motion, PtzPosition};

fn main() -> ExitCode {
    let args = common::parse(
        "ptz",
        &[
            ("speed", "speed 1-7 (default 4)"),
            ("millis", "how long each movement lasts (default 400)"),
        ],
    );
    common::run(|| {
        let speed: u8 = args.extra_num("speed", 4);
        let millis: u64 = args.extra_num("millis", 400);
        let sdk = common::load_sdk(&args)?;
        let session = common::login(&sdk, &args)?;
        let ptz = session.ptz(args.channel)?;
        println!("start:   {}", ptz.position()?);
        for motion in [Motion::Left, Motion::Up, Motion::ZoomIn] {
            let moving = ptz.start(motion, speed)?;
            sleep(Duration::from_millis(millis));
            moving.stop()?;
            println!("{motion:?}: {}", ptz.position()?);
        }
        ptz.set_preset(1)?;
        ptz.set_position(PtzPosition {
            pan: 180.0,
            tilt: 30.0,
            zoom: 2.0,
        })?;
        println!("set:     {}", ptz.position()?);
        ptz.goto_preset(1)?;
        println!("preset1: {}", ptz.position()?);
        ptz.clear_preset(1)?;
        session.logout()?;
        Ok(())
    })
}
