//! `hcnet config get|set device|ntp|network|compression [FIELD=VALUE ...] [--json]`: the
//! library's typed configuration (`Session::config`), through the classic calls or ISAPI
//! as the login mode needs.
//!
//! `set` reads the current value, changes the fields given as `FIELD=VALUE`, writes it, and
//! prints what the device then reports. Fields:
//! * device: `name`, `id`;
//! * ntp: `enabled`, `server`, `port`, `interval` (minutes);
//! * network: `ip`, `mask`, `gateway`, `dns1`, `dns2`, `sdk_port`, `http_port`, `dhcp`;
//! * compression (`--channel`, `--stream main|sub`): `codec` (h264/h265), `resolution`
//!   (WxH), `bitrate` (kbit/s), `fps`.

use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Args, Subcommand, ValueEnum};
use hcnetsdk::StreamType;
use hcnetsdk::config::{
    Compression, Config, DeviceSettings, Network, Ntp, StreamCompression, VideoCodec,
};
use hcnetsdk::error::ErrorKind;
use serde_json::{Value, json};

use crate::jobs::usage;
use crate::{DeviceArgs, EXIT_FAILED, EXIT_ISAPI_STATUS, device};

/// `hcnet config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// Read or change.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print a configuration.
    Get(ConfigTarget),
    /// Change fields (FIELD=VALUE ...) of a configuration, then print it.
    Set(ConfigSet),
}

/// Which configuration, and how to print it.
#[derive(Debug, Args)]
pub struct ConfigTarget {
    /// device, ntp, network or compression.
    #[arg(value_enum)]
    pub what: What,
    /// The channel (compression only).
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub channel: u32,
    /// Machine-readable output (one JSON object).
    #[arg(long)]
    pub json: bool,
}

/// `hcnet config set`.
#[derive(Debug, Args)]
pub struct ConfigSet {
    #[command(flatten)]
    pub target: ConfigTarget,
    /// The stream whose fields change (compression only).
    #[arg(long, value_name = "STREAM", default_value_t = StreamType::Main,
          value_parser = crate::library_names(&COMPRESSION_STREAMS, StreamType::name))]
    pub stream: StreamType,
    /// FIELD=VALUE pairs (see `hcnet config --help`).
    #[arg(value_name = "FIELD=VALUE", required = true)]
    pub fields: Vec<String>,
}

/// A configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// Device name and ID.
    Device,
    /// NTP client.
    Ntp,
    /// First network interface.
    Network,
    /// A channel's main and sub stream encoding.
    Compression,
}

/// The streams a channel's compression settings have (`Compression::main`, `::sub`).
const COMPRESSION_STREAMS: [StreamType; 2] = [StreamType::Main, StreamType::Sub];

/// `hcnet config`.
pub fn run(sdk_dir: Option<&Path>, args: &ConfigArgs) -> ExitCode {
    let (target, fields, stream) = match &args.action {
        ConfigAction::Get(t) => (t, &[][..], StreamType::Main),
        ConfigAction::Set(s) => (&s.target, &s.fields[..], s.stream),
    };
    let pairs = match parse_pairs(fields) {
        Ok(p) => p,
        Err(t) => return usage("config", &t),
    };
    let (_sdk, session) = match device::connect(sdk_dir, &args.device) {
        Ok(x) => x,
        Err(t) => return crate::jobs::fail("config", &t),
    };
    let result = apply(&session.config(), target, &pairs, stream);
    let _ = session.logout(); // a failed logout is logged; the answer is what counts here
    match result {
        Ok(v) => {
            if target.json {
                println!("{v}");
            } else {
                print_text(&v);
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(t)) => usage("config", &t),
        Err(Failure::Library(e)) => {
            eprintln!("hcnet config: {e:#}");
            ExitCode::from(match e.kind() {
                ErrorKind::Isapi { .. } => EXIT_ISAPI_STATUS,
                _ => EXIT_FAILED,
            })
        }
    }
}

enum Failure {
    Usage(String),
    Library(hcnetsdk::Error),
}

impl From<hcnetsdk::Error> for Failure {
    fn from(e: hcnetsdk::Error) -> Self {
        Failure::Library(e)
    }
}

fn parse_pairs(fields: &[String]) -> Result<Vec<(String, String)>, String> {
    fields
        .iter()
        .map(|f| {
            f.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| format!("{f:?} is not FIELD=VALUE (e.g. server=pool.ntp.org)"))
        })
        .collect()
}

/// Set the fields given (if any), then read back; the result as JSON.
fn apply(
    config: &Config,
    target: &ConfigTarget,
    pairs: &[(String, String)],
    stream: StreamType,
) -> Result<Value, Failure> {
    let ch = target.channel;
    if !pairs.is_empty() {
        match target.what {
            What::Device => config.set_device(&edit(config.device()?, pairs, set_device)?)?,
            What::Ntp => config.set_ntp(&edit(config.ntp()?, pairs, set_ntp)?)?,
            What::Network => config.set_network(&edit(config.network()?, pairs, set_network)?)?,
            What::Compression => {
                let mut c: Compression = config.compression(ch)?;
                // The parser takes only COMPRESSION_STREAMS.
                let s = match stream {
                    StreamType::Sub => &mut c.sub,
                    _ => &mut c.main,
                };
                *s = edit(*s, pairs, set_stream)?;
                config.set_compression(ch, &c)?;
            }
        }
    }
    Ok(match target.what {
        What::Device => device_json(&config.device()?),
        What::Ntp => ntp_json(&config.ntp()?),
        What::Network => network_json(&config.network()?),
        What::Compression => {
            let c = config.compression(ch)?;
            json!({"channel": ch, "main": stream_json(&c.main), "sub": stream_json(&c.sub)})
        }
    })
}

type Setter<T> = fn(&mut T, &str, &str) -> Result<(), String>;

fn edit<T>(mut v: T, pairs: &[(String, String)], f: Setter<T>) -> Result<T, Failure> {
    for (k, val) in pairs {
        f(&mut v, k, val).map_err(Failure::Usage)?;
    }
    Ok(v)
}

fn parse<T: FromStr>(field: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{field}={v:?}: not a valid value for {field}"))
}

fn unknown(field: &str, known: &str) -> String {
    format!("unknown field {field:?}; use one of {known}")
}

fn set_device(d: &mut DeviceSettings, k: &str, v: &str) -> Result<(), String> {
    match k {
        "name" => d.name = v.to_owned(),
        "id" => d.device_id = parse(k, v)?,
        _ => return Err(unknown(k, "name, id")),
    }
    Ok(())
}

fn set_ntp(n: &mut Ntp, k: &str, v: &str) -> Result<(), String> {
    match k {
        "enabled" => n.enabled = parse(k, v)?,
        "server" => n.server = v.to_owned(),
        "port" => n.port = parse(k, v)?,
        "interval" => n.interval_minutes = parse(k, v)?,
        _ => return Err(unknown(k, "enabled, server, port, interval")),
    }
    Ok(())
}

fn set_network(n: &mut Network, k: &str, v: &str) -> Result<(), String> {
    match k {
        "ip" => n.ip = parse(k, v)?,
        "mask" => n.mask = parse(k, v)?,
        "gateway" => n.gateway = parse(k, v)?,
        "dns1" => n.dns1 = parse(k, v)?,
        "dns2" => n.dns2 = parse(k, v)?,
        "sdk_port" => n.sdk_port = parse(k, v)?,
        "http_port" => n.http_port = parse(k, v)?,
        "dhcp" => n.dhcp = parse(k, v)?,
        _ => {
            let known = "ip, mask, gateway, dns1, dns2, sdk_port, http_port, dhcp";
            return Err(unknown(k, known));
        }
    }
    Ok(())
}

fn set_stream(s: &mut StreamCompression, k: &str, v: &str) -> Result<(), String> {
    match k {
        "codec" => {
            s.codec = v.parse::<VideoCodec>().map_err(|_| {
                let names: Vec<&str> = VideoCodec::ALL.iter().map(|c| c.name()).collect();
                format!("codec={v:?}: use {}", names.join(" or "))
            })?;
        }
        "resolution" => {
            let (w, h) = v
                .split_once(['x', 'X'])
                .ok_or_else(|| format!("resolution={v:?}: use WIDTHxHEIGHT, e.g. 1920x1080"))?;
            s.width = parse(k, w)?;
            s.height = parse(k, h)?;
        }
        "bitrate" => s.bitrate_kbps = parse(k, v)?,
        "fps" => s.fps = parse(k, v)?,
        _ => return Err(unknown(k, "codec, resolution, bitrate, fps")),
    }
    Ok(())
}

fn device_json(d: &DeviceSettings) -> Value {
    json!({"name": d.name, "device_id": d.device_id})
}

fn ntp_json(n: &Ntp) -> Value {
    json!({
        "enabled": n.enabled,
        "server": n.server,
        "port": n.port,
        "interval_minutes": n.interval_minutes,
    })
}

fn network_json(n: &Network) -> Value {
    json!({
        "ip": n.ip.to_string(),
        "mask": n.mask.to_string(),
        "gateway": n.gateway.to_string(),
        "dns1": n.dns1.to_string(),
        "dns2": n.dns2.to_string(),
        "sdk_port": n.sdk_port,
        "http_port": n.http_port,
        "dhcp": n.dhcp,
    })
}

fn stream_json(s: &StreamCompression) -> Value {
    json!({
        "codec": s.codec.name(),
        "resolution": format!("{}x{}", s.width, s.height),
        "bitrate_kbps": s.bitrate_kbps,
        "fps": s.fps,
    })
}

/// `key: value` lines; nested objects (compression's streams) as `main.codec: h264`.
fn print_text(v: &Value) {
    fn walk(prefix: &str, v: &Value) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, v);
                }
            }
            Value::String(s) => println!("{prefix}: {s}"),
            other => println!("{prefix}: {other}"),
        }
    }
    walk("", v);
}
