//! Log in to a device, print what it says about itself, and log out.
//!
//! ```sh
//! cargo build -p hcnetsdk-mock && cargo run --example login            # against the mock
//! cargo run --example login -- --sdk-dir /opt/hcnetsdk/lib --host 10.0.0.64 --password '...'
//! ```

mod common;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = common::parse("login", &[]);
    common::run(|| {
        let sdk = common::load_sdk(&args)?;
        println!(
            "SDK {} from {}",
            sdk.version()?,
            sdk.library_path().display()
        );
        let session = common::login(&sdk, &args)?;
        let info = session.device_info();
        println!(
            "logged in to {}:{} as user ID {}",
            session.address(),
            session.port(),
            session.user_id()
        );
        println!("  serial          {}", info.serial);
        println!(
            "  device type     {} (DVR type {})",
            info.device_type, info.dvr_type
        );
        println!("  analog channels {}", info.analog_channels);
        println!("  IP channels     {}", info.ip_channels);
        println!("  disks           {}", info.disk_count);
        println!(
            "  alarm in/out    {}/{}",
            info.alarm_inputs, info.alarm_outputs
        );
        let config = session.device_config()?;
        println!("  name            {}", config.name);
        println!("  model           {}", config.model);
        println!("  firmware        {}", config.firmware());
        session.logout()?;
        println!("logged out");
        Ok(())
    })
}
