//! Argument parsing and SDK discovery shared by the examples (no clap needed).
//!
//! Every example takes:
//!
//! ```text
//! --sdk-dir DIR     folder holding libhcnetsdk.so (or set HCNETSDK_LIB_DIR / HCNETSDK_LIB)
//! --host ADDR       device address          (mock default: 192.0.2.10, the PTZ dome)
//! --port N          device port             (default 8000)
//! --user NAME       user name               (default admin)
//! --password PW     password                (or HCNET_PASSWORD; mock default: Admin12345)
//! --channel N       channel                 (default 1)
//! --login-mode M    private (the SDK port) or isapi (the HTTP port)   (default private)
//! --log LEVEL       print this crate's tracing output (error, warn, info, debug, trace)
//! ```
//!
//! With no SDK given they load the mock SDK that `cargo build -p hcnetsdk-mock` puts in
//! `target/<profile>/libhcnetsdk.so`, next to the `examples/` folder the example runs from.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use hcnetsdk::{LoginMode, Password, Sdk, Session};

/// The mock's default scenario: a PTZ dome at 192.0.2.10:8000 (see mock-sdk/README.md).
pub const MOCK_HOST: &str = "192.0.2.10";
/// The mock scenario's admin password.
pub const MOCK_PASSWORD: &str = "Admin12345";

/// Parsed command line.
pub struct Args {
    /// `--sdk-dir`.
    pub sdk_dir: Option<PathBuf>,
    /// `--host`.
    pub host: Option<String>,
    /// `--port`.
    pub port: u16,
    /// `--user`.
    pub user: String,
    /// `--password` or `HCNET_PASSWORD`.
    pub password: Option<Password>,
    /// `--channel`.
    pub channel: u32,
    /// `--login-mode`.
    pub mode: LoginMode,
    /// Example-specific options, by name without the dashes.
    pub extra: Vec<(String, String)>,
}

impl Args {
    /// The value of an example-specific option.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An example-specific option parsed as a number, or `default`.
    pub fn extra_num<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        match self.extra(name) {
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| usage_error(&format!("--{name} {v}: not a number"))),
            None => default,
        }
    }
}

fn usage(example: &str, extra_help: &str) -> String {
    format!(
        "usage: cargo run --example {example} -- [options]\n\n\
         --sdk-dir DIR     folder holding libhcnetsdk.so (or HCNETSDK_LIB_DIR / HCNETSDK_LIB)\n\
         --host ADDR       device address (default with the mock: {MOCK_HOST})\n\
         --port N          device port (default 8000)\n\
         --user NAME       user name (default admin)\n\
         --password PW     password (or HCNET_PASSWORD; default with the mock: {MOCK_PASSWORD})\n\
         --channel N       channel (default 1)\n\
         --login-mode M    private (the SDK port, default) or isapi (the device's HTTP port)\n\
         --log LEVEL       print tracing output: error, warn, info, debug (every SDK call), trace\n{extra_help}\n\
         With no SDK given, the mock SDK is used: build it first with\n\
         `cargo build -p hcnetsdk-mock` (the example looks in target/<profile>/)."
    )
}

fn usage_error(msg: &str) -> ! {
    eprintln!("error: {msg} (try --help)");
    std::process::exit(2)
}

/// Parse `std::env::args`. `extra` names the example's own options (`("seconds", "help")`).
pub fn parse(example: &str, extra: &[(&str, &str)]) -> Args {
    let extra_help: String = extra
        .iter()
        .map(|(k, h)| format!("--{k:<16} {h}\n"))
        .collect();
    let mut args = Args {
        sdk_dir: None,
        host: None,
        port: hcnetsdk::Session::DEFAULT_PORT,
        user: "admin".to_owned(),
        password: Password::from_env("HCNET_PASSWORD"),
        channel: 1,
        mode: LoginMode::Private,
        extra: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            println!("{}", usage(example, &extra_help));
            std::process::exit(0);
        }
        let Some(name) = flag.strip_prefix("--") else {
            usage_error(&format!("unexpected argument {flag}"));
        };
        let value = it
            .next()
            .unwrap_or_else(|| usage_error(&format!("{flag} needs a value")));
        match name {
            "sdk-dir" => args.sdk_dir = Some(PathBuf::from(value)),
            "host" => args.host = Some(value),
            "port" => {
                args.port = value
                    .parse()
                    .unwrap_or_else(|_| usage_error(&format!("--port {value}: not a port")))
            }
            "user" => args.user = value,
            "password" => args.password = Some(Password::new(value)),
            "log" => init_logging(&value),
            "login-mode" => {
                args.mode = match value.as_str() {
                    "private" => LoginMode::Private,
                    "isapi" => LoginMode::Isapi,
                    _ => usage_error(&format!("--login-mode {value}: use private or isapi")),
                }
            }
            "channel" => {
                args.channel = value
                    .parse()
                    .unwrap_or_else(|_| usage_error(&format!("--channel {value}: not a number")))
            }
            other if extra.iter().any(|(k, _)| *k == other) => {
                args.extra.push((other.to_owned(), value))
            }
            other => usage_error(&format!("unknown option --{other}")),
        }
    }
    args
}

/// Print this crate's tracing output at `level` on stderr.
fn init_logging(level: &str) {
    let level: tracing::Level = level.parse().unwrap_or_else(|_| {
        usage_error(&format!(
            "--log {level}: use error, warn, info, debug or trace"
        ))
    });
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .init();
}

/// Load the SDK: `--sdk-dir`, else `HCNETSDK_LIB` / `HCNETSDK_LIB_DIR`, else the mock built
/// next to this example (`target/<profile>/libhcnetsdk.so`).
pub fn load_sdk(args: &Args) -> hcnetsdk::Result<Sdk> {
    if let Some(dir) = &args.sdk_dir {
        return Sdk::load_from(dir);
    }
    let env_set = ["HCNETSDK_LIB", "HCNETSDK_LIB_DIR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if !env_set {
        // target/<profile>/examples/<name> -> target/<profile>/libhcnetsdk.so
        let built_mock = std::env::current_exe().ok().and_then(|exe| {
            exe.parent()?
                .parent()
                .map(|d| d.join(hcnetsdk::sys::library_file_name()))
        });
        if let Some(path) = built_mock.filter(|p| p.is_file()) {
            return Sdk::load_from(path);
        }
        eprintln!(
            "note: no SDK given (--sdk-dir, HCNETSDK_LIB_DIR) and no mock next to this example; \
             build the mock with `cargo build -p hcnetsdk-mock`"
        );
    }
    Sdk::load()
}

/// Log in with the arguments; against the mock, defaults to its PTZ dome and password.
pub fn login(sdk: &Sdk, args: &Args) -> hcnetsdk::Result<Session> {
    let host = args.host.clone().unwrap_or_else(|| {
        if sdk.is_mock() {
            MOCK_HOST.to_owned()
        } else {
            usage_error("--host is required with a real SDK")
        }
    });
    let password = match (&args.password, sdk.is_mock()) {
        (Some(p), _) => p.clone(),
        (None, true) => Password::new(MOCK_PASSWORD),
        (None, false) => usage_error("--password or HCNET_PASSWORD is required with a real SDK"),
    };
    Session::builder(sdk)
        .address(host)
        .port(args.port)
        .mode(args.mode)
        .user(args.user.clone())
        .password(password)
        .login()
}

/// What an example's body returns: SDK errors and file errors alike.
pub type Outcome = Result<(), Box<dyn std::error::Error>>;

/// Run the example; on failure print the error's full diagnosis (`{:#}`) and exit non-zero.
pub fn run(body: impl FnOnce() -> Outcome) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<hcnetsdk::Error>() {
                Some(sdk_error) => eprintln!("{sdk_error:#}"),
                None => eprintln!("error: {e}"),
            }
            ExitCode::FAILURE
        }
    }
}
