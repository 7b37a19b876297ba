//! Take a JPEG snapshot of a channel into memory and write it to a file.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example snapshot -- --out snap.jpg
//! ```

mod common;

use std::process::ExitCode;

use hcnetsdk::JpegQuality;

fn main() -> ExitCode {
    let args = common::parse("snapshot", &[("out", "output file (default snapshot.jpg)")]);
    common::run(|| {
        let out = args.extra("out").unwrap_or("snapshot.jpg").to_owned();
        let sdk = common::load_sdk(&args)?;
        let session = common::login(&sdk, &args)?;
        let mut snapshot = session.snapshot(args.channel)?.quality(JpegQuality::Best);
        let jpeg = snapshot.capture()?;
        std::fs::write(&out, &jpeg).map_err(|e| format!("{out}: {e}"))?;
        println!(
            "wrote {} bytes of JPEG from channel {} to {out}",
            jpeg.len(),
            args.channel
        );
        session.logout()?;
        Ok(())
    })
}
