//! Loading the SDK, choosing the device and its credentials, logging in: shared by every
//! command that talks to a device. Uses only the `hcnetsdk` public API.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hcnetsdk::{ChannelRange, DeviceInfo, LoginMode, Password, Sdk, Session};

use crate::DeviceArgs;
use crate::net;

/// The mock's healthy default device: the PTZ dome of its built-in scenario
/// (device/scenarios/default.toml, documented in mock-sdk/README.md).
pub const MOCK_DEFAULT_HOST: &str = "192.0.2.10";
/// The mock devices' SDK port.
pub const MOCK_DEFAULT_PORT: u16 = 8000;
/// A device's HTTP port, the default with `--isapi --host H`.
pub const DEFAULT_HTTP_PORT: u16 = 80;
/// The device's HTTPS port (`--isapi --https` without `--port`).
pub const DEFAULT_HTTPS_PORT: u16 = 443;
/// The default user.
pub const DEFAULT_USER: &str = "admin";
/// The mock's documented users and passwords (the same on every built-in device).
pub const MOCK_USERS: &[(&str, &str)] = &[
    ("admin", "Admin12345"),
    ("operator", "Oper12345"),
    ("viewer", "View12345"),
];
/// Environment variable that holds the device password.
pub const PASSWORD_ENV: &str = "HCNET_PASSWORD";

/// Load the SDK: `--sdk-dir`, else `HCNETSDK_LIB` / `HCNETSDK_LIB_DIR`, else the mock beside
/// this executable. The error text says what was tried and how to fix it.
pub fn load_sdk(sdk_dir: Option<&Path>) -> Result<Sdk, String> {
    let result = match sdk_dir {
        Some(dir) => Sdk::load_from(dir),
        None => Sdk::load(),
    };
    result.map_err(|e| load_failure_text(sdk_dir, &e))
}

/// Where the mock would be: beside this executable.
pub fn mock_candidate() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(hcnetsdk::sys::library_file_name()))
}

fn env_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// Which source selected the SDK, for messages.
pub fn sdk_source(sdk_dir: Option<&Path>) -> String {
    if let Some(d) = sdk_dir {
        format!("--sdk-dir {}", d.display())
    } else if env_set("HCNETSDK_LIB") {
        format!(
            "HCNETSDK_LIB={}",
            std::env::var("HCNETSDK_LIB").unwrap_or_default()
        )
    } else if env_set("HCNETSDK_LIB_DIR") {
        format!(
            "HCNETSDK_LIB_DIR={}",
            std::env::var("HCNETSDK_LIB_DIR").unwrap_or_default()
        )
    } else {
        "default search (the mock SDK beside hcnet)".to_string()
    }
}

fn load_failure_text(sdk_dir: Option<&Path>, e: &hcnetsdk::Error) -> String {
    let configured = sdk_dir.is_some() || env_set("HCNETSDK_LIB") || env_set("HCNETSDK_LIB_DIR");
    let mut text = format!("{e:#}");
    if !configured {
        let where_ = mock_candidate()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "beside hcnet".to_string());
        text = format!(
            "the mock SDK was not found: hcnet looks for it at {where_} (where `cargo build` puts it).\n\
             fix: build it with `cargo build -p hcnetsdk-mock` (or `cargo build`, which builds every default member), \
             then run hcnet again; or use a real SDK with --sdk-dir DIR / HCNETSDK_LIB_DIR=DIR.\n\n{text}"
        );
    }
    text
}

/// A device to log in to, with the user (the password is resolved separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Address.
    pub host: String,
    /// SDK port.
    pub port: u16,
    /// User name.
    pub user: String,
    /// True when this is the mock's default device chosen because no --host was given.
    pub is_default: bool,
    /// Log in with ISAPI (`--isapi`); `port` is then the HTTP port.
    pub isapi: bool,
    /// With `isapi`: over HTTPS (`--https`); `port` is then the HTTPS port.
    pub https: bool,
}

impl Target {
    /// `admin@192.0.2.10:8000`.
    pub fn label(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

/// The device from the arguments, or the mock's default device when none is given and the
/// SDK is the mock.
pub fn resolve_target(args: &DeviceArgs, sdk_is_mock: bool) -> Result<Target, String> {
    let user = args
        .user
        .clone()
        .unwrap_or_else(|| DEFAULT_USER.to_string());
    match &args.host {
        Some(h) => Ok(Target {
            host: h.clone(),
            port: args.port.unwrap_or(if args.isapi && args.https {
                DEFAULT_HTTPS_PORT
            } else if args.isapi {
                DEFAULT_HTTP_PORT
            } else {
                hcnetsdk::Session::DEFAULT_PORT
            }),
            user,
            is_default: false,
            isapi: args.isapi,
            https: args.https,
        }),
        // The mock's devices answer ISAPI logins on their one port.
        None if sdk_is_mock => Ok(Target {
            host: MOCK_DEFAULT_HOST.to_string(),
            port: args.port.unwrap_or(MOCK_DEFAULT_PORT),
            user,
            is_default: true,
            isapi: args.isapi,
            https: args.https,
        }),
        None => Err(
            "no device given: with a real SDK, name the device with --host H [--port P] [--user U] \
             (password from HCNET_PASSWORD or a prompt)"
                .to_string(),
        ),
    }
}

/// Refuse to let a real SDK connect to 192.0.2.0/24: only the mock answers there, and no
/// traffic may go to it.
pub fn guard_test_net(target: &Target, sdk_is_mock: bool) -> Result<(), String> {
    if !sdk_is_mock && net::host_is_test_net(&target.host) {
        return Err(format!(
            "{} is in 192.0.2.0/24 (TEST-NET-1, reserved for documentation): only the mock SDK simulates devices there, \
             and hcnet sends no traffic to it with a real SDK. Give the real device's address with --host.",
            target.host
        ));
    }
    Ok(())
}

/// Where the password came from (for messages; never the password itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    /// `HCNET_PASSWORD`.
    Env,
    /// The mock's documented password for this user.
    MockDefault,
    /// Typed at the prompt.
    Prompt,
    /// Chosen by a simulated broken setup.
    Simulated,
}

/// The password: `HCNET_PASSWORD`, else the mock's documented one for a simulated device,
/// else a prompt on a terminal.
pub fn resolve_password(
    target: &Target,
    sdk_is_mock: bool,
) -> Result<(Password, PasswordSource), String> {
    if let Some(p) = Password::from_env(PASSWORD_ENV) {
        return Ok((p, PasswordSource::Env));
    }
    if sdk_is_mock
        && net::host_is_test_net(&target.host)
        && let Some((_, pw)) = MOCK_USERS.iter().find(|(u, _)| *u == target.user)
    {
        return Ok((Password::new(*pw), PasswordSource::MockDefault));
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let typed = rpassword::prompt_password(format!("Password for {}: ", target.label()))
            .map_err(|e| format!("could not read the password: {e}"))?;
        return Ok((Password::new(typed), PasswordSource::Prompt));
    }
    Err(format!(
        "no password for {}: set {PASSWORD_ENV} (hcnet never takes a password on the command line), or run on a terminal to be prompted",
        target.label()
    ))
}

/// Whether [`resolve_password`] would find a password without prompting: `HCNET_PASSWORD`
/// is set, or the device is one of the mock's with a documented password.
pub fn password_without_prompt(target: &Target, sdk_is_mock: bool) -> bool {
    std::env::var(PASSWORD_ENV).is_ok()
        || (sdk_is_mock
            && net::host_is_test_net(&target.host)
            && MOCK_USERS.iter().any(|(u, _)| *u == target.user))
}

/// Timeouts the SDK uses for a login.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Connect timeout per attempt.
    pub connect: Duration,
    /// Receive timeout.
    pub recv: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(3),
            recv: Duration::from_secs(5),
        }
    }
}

/// Apply the timeouts (one connect attempt, so a failure is quick and its code is the
/// first one).
pub fn apply_timeouts(sdk: &Sdk, t: Timeouts) -> hcnetsdk::Result<()> {
    sdk.set_connect_timeout(t.connect, 1)?;
    sdk.set_recv_timeout(t.recv)
}

/// Log in.
pub fn login(sdk: &Sdk, target: &Target, password: Password) -> hcnetsdk::Result<Session> {
    builder(sdk, target, password).login()
}

/// The login of `target`, not yet started.
fn builder(sdk: &Sdk, target: &Target, password: Password) -> hcnetsdk::LoginBuilder {
    Session::builder(sdk)
        .address(target.host.clone())
        .port(target.port)
        .user(target.user.clone())
        .password(password)
        .mode(if target.isapi {
            LoginMode::Isapi
        } else {
            LoginMode::Private
        })
        .https(target.https)
}

/// Load the SDK, pick the device and password, log in: for the everyday jobs. Errors are
/// full diagnoses, ready to print; a login that fails as if the port were not a device's
/// SDK port says what the port speaks (`LoginBuilder::check_port`).
pub fn connect(sdk_dir: Option<&Path>, args: &DeviceArgs) -> Result<(Sdk, Session), String> {
    let sdk = load_sdk(sdk_dir)?;
    let mock = sdk.is_mock();
    let target = resolve_target(args, mock)?;
    guard_test_net(&target, mock)?;
    let (password, _) = resolve_password(&target, mock)?;
    apply_timeouts(&sdk, Timeouts::default()).map_err(|e| format!("{e:#}"))?;
    // The library never probes the mock's simulated devices (TEST-NET-1): they answer
    // in-process.
    let session = builder(&sdk, &target, password)
        .check_port(true)
        .login()
        .map_err(|e| format!("{e:#}"))?;
    Ok((sdk, session))
}

/// The first channel on the device (analog first, then IP).
pub fn first_channel(session: &Session) -> Option<u32> {
    session.device_info().channels().next()
}

/// The channel asked for, if the device has it, or the device's first. The error names the
/// channel, the device's channel map and a channel to use instead.
pub fn pick_channel(session: &Session, asked: Option<u32>) -> Result<u32, String> {
    let label = session.endpoint().to_string();
    match asked {
        Some(c) => check_channel(session.device_info(), &label, c).map(|()| c),
        None => first_channel(session)
            .ok_or_else(|| format!("{label} reports no channels, so there is nothing to use")),
    }
}

/// One block of channels for people: `none`, `1 (channel 1)`, `16 (channels 33..=48)`.
pub fn range_text(r: ChannelRange) -> String {
    match r.count {
        0 => "none".to_string(),
        1 => format!("1 (channel {})", r.start),
        n => format!("{n} (channels {r})"),
    }
}

/// The channel map in one line: `analog 1 (channel 1), IP none`.
pub fn channel_map_text(info: &DeviceInfo) -> String {
    format!(
        "analog {}, IP {}",
        range_text(info.analog_channels),
        range_text(info.ip_channels)
    )
}

/// Whether the device has `channel`; if not, what to use instead.
pub fn check_channel(info: &DeviceInfo, label: &str, channel: u32) -> Result<(), String> {
    if info.has_channel(channel) {
        return Ok(());
    }
    let mut text = format!(
        "channel {channel} is not on {label}, whose channels are: {}.",
        channel_map_text(info)
    );
    match info.channels().next() {
        Some(first) => text.push_str(&format!(" Use one of those, e.g. --channel {first}")),
        None => text.push_str(" The device reports no channels at all"),
    }
    if !info.ip_channels.is_empty() && info.analog_channels.is_empty() {
        text.push_str(&format!(
            " (an NVR numbers its IP cameras from its first IP channel, here {})",
            info.ip_channels.start
        ));
    }
    text.push('.');
    Err(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults here must stay those of the mock's built-in scenario.
    #[test]
    fn defaults_match_the_mock_scenario() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../device/scenarios/default.toml"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            panic!("{path} is missing: the CLI's default device comes from it");
        };
        let dome = text.split("[[device]]").nth(1).expect("a first device");
        assert!(
            dome.contains(&format!("address = \"{MOCK_DEFAULT_HOST}\"")),
            "{dome}"
        );
        assert!(
            dome.contains(&format!("port = {MOCK_DEFAULT_PORT}")),
            "{dome}"
        );
        assert!(
            dome.contains("ptz = true"),
            "the default device is the PTZ dome"
        );
        for (user, pw) in MOCK_USERS {
            assert!(
                dome.contains(&format!("name = \"{user}\""))
                    && dome.contains(&format!("password = \"{pw}\"")),
                "{user}/{pw} not in the dome's users"
            );
        }
    }

    #[test]
    fn no_host_means_the_mock_default_only_with_the_mock() {
        let none = DeviceArgs {
            host: None,
            port: None,
            user: None,
            isapi: false,
            https: false,
        };
        let t = resolve_target(&none, true).unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str(), t.is_default),
            (MOCK_DEFAULT_HOST, 8000, "admin", true)
        );
        assert!(resolve_target(&none, false).unwrap_err().contains("--host"));
    }

    #[test]
    fn https_defaults_to_port_443_and_reaches_the_target() {
        let args = DeviceArgs {
            host: Some("127.0.0.1".into()),
            port: None,
            user: None,
            isapi: true,
            https: true,
        };
        let t = resolve_target(&args, false).unwrap();
        assert_eq!((t.port, t.isapi, t.https), (DEFAULT_HTTPS_PORT, true, true));
        let plain = DeviceArgs {
            https: false,
            ..args
        };
        let t = resolve_target(&plain, false).unwrap();
        assert_eq!((t.port, t.https), (DEFAULT_HTTP_PORT, false));
    }

    fn nvr() -> DeviceInfo {
        let mut info = DeviceInfo::default();
        info.ip_channels = ChannelRange {
            start: 33,
            count: 16,
        };
        info
    }

    #[test]
    fn channel_map_reads_well() {
        let info = nvr();
        assert_eq!(
            channel_map_text(&info),
            "analog none, IP 16 (channels 33..=48)"
        );
        let mut one = DeviceInfo::default();
        one.analog_channels = ChannelRange { start: 1, count: 1 };
        assert_eq!(channel_map_text(&one), "analog 1 (channel 1), IP none");
    }

    #[test]
    fn a_missing_channel_names_one_to_use() {
        let info = nvr();
        assert!(check_channel(&info, "nvr", 33).is_ok());
        assert!(check_channel(&info, "nvr", 48).is_ok());
        let e = check_channel(&info, "nvr", 49).unwrap_err();
        assert!(e.starts_with("channel 49 is not on nvr"), "{e}");
        assert!(e.contains("e.g. --channel 33"), "{e}");
        let e = check_channel(&DeviceInfo::default(), "empty", 1).unwrap_err();
        assert!(e.contains("reports no channels at all"), "{e}");
    }

    #[test]
    fn a_real_sdk_never_goes_to_test_net() {
        let t = Target {
            host: "192.0.2.10".into(),
            port: 8000,
            user: "admin".into(),
            is_default: false,
            isapi: false,
            https: false,
        };
        assert!(guard_test_net(&t, false).is_err());
        assert!(guard_test_net(&t, true).is_ok());
        let lo = Target {
            host: "127.0.0.1".into(),
            ..t
        };
        assert!(guard_test_net(&lo, false).is_ok());
    }
}
