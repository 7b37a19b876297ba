//! Scenario files: the simulated devices, from TOML.
//!
//! The built-in scenario is `scenarios/default.toml` ([`DEFAULT_SCENARIO`],
//! [`Scenario::default`]). The mock reads another file from `HCNETSDK_MOCK_SCENARIO` and adds
//! one `[[device]]` table (same fields, [`DeviceSpec::parse`]) at run time with
//! `MOCK_AddDevice`; the emulator takes `--scenario FILE`. The format is documented in
//! `mock-sdk/README.md`.

use std::net::IpAddr;

use serde::Deserialize;

use crate::alarms::AlarmSpec;
use crate::media::{self, AudioCodec, Shape, StreamKind, VideoCodec};
use crate::recordings::{Clock, RecordingSpec, Recordings};

/// The built-in scenario.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.toml");

/// How fast preview data flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Pacing {
    /// At the clip's bitrate (real time).
    #[default]
    Realtime,
    /// As fast as the data callback returns.
    Fast,
}

/// Device family: decides defaults and which configs exist (IPPARACFG is NVR only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Ipc,
    Nvr,
}

/// A user's rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Preview, PTZ, snapshot, reading configuration.
    Operator,
    /// Preview, snapshot and reading configuration only (PTZ gives 2, NET_DVR_NOENOUGHPRI).
    Viewer,
}

impl Role {
    pub fn can_ptz(self) -> bool {
        matches!(self, Role::Admin | Role::Operator)
    }
    pub fn can_configure(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// How the device name is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Charset {
    #[default]
    Gbk,
    /// Written `"utf-8"` (as documented) or `"utf8"`.
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
}

impl Charset {
    /// `NET_DVR_DEVICEINFO_V40.byCharEncodeType` (0 none, 1 GB2312, 2 GBK, ..., 6 UTF-8).
    pub fn code(self) -> u8 {
        match self {
            Charset::Gbk => 2,
            Charset::Utf8 => 6,
        }
    }
    pub fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Charset::Gbk => encoding_rs::GBK.encode(s).0.into_owned(),
            Charset::Utf8 => s.as_bytes().to_vec(),
        }
    }
}

/// One `[[device.user]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub name: String,
    pub password: String,
    pub role: Role,
}

/// One `[[device]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSpec {
    pub address: String,
    #[serde(default = "d_port")]
    pub port: u16,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default = "d_model")]
    pub model: String,
    #[serde(default)]
    pub serial: Option<String>,
    #[serde(default = "d_firmware")]
    pub firmware: String,
    #[serde(default)]
    pub dvr_type: Option<u8>,
    #[serde(default)]
    pub device_type: Option<u16>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub charset: Charset,
    #[serde(default)]
    pub analog_channels: Option<u8>,
    #[serde(default = "d_one")]
    pub start_channel: u8,
    #[serde(default)]
    pub ip_channels: u8,
    #[serde(default)]
    pub start_ip_channel: Option<u8>,
    #[serde(default)]
    pub ptz: bool,
    #[serde(default = "d_zoom")]
    pub max_zoom: f64,
    #[serde(default = "d_sessions")]
    pub max_sessions: u32,
    #[serde(default = "d_links")]
    pub max_links: u32,
    #[serde(default = "d_retry")]
    pub login_retry_limit: u8,
    #[serde(default = "d_lock")]
    pub lock_seconds: u32,
    #[serde(default)]
    pub alarm_in: u8,
    #[serde(default)]
    pub alarm_out: u8,
    #[serde(default)]
    pub disks: u8,
    /// Zero channels (an NVR's mosaic of its cameras): `byZeroChanNum`, and the entries of
    /// ISAPI `ZeroVideo/channels` (none: that path is a 404).
    #[serde(default)]
    pub zero_channels: u8,
    #[serde(default)]
    pub audio_channels: u8,
    #[serde(default = "d_true")]
    pub online: bool,
    #[serde(default)]
    pub pacing: Option<Pacing>,
    /// Main stream codecs (and the sub stream's unless `sub_*` says otherwise).
    #[serde(default)]
    pub video_codec: VideoCodec,
    #[serde(default)]
    pub audio_codec: AudioCodec,
    #[serde(default)]
    pub sub_video_codec: Option<VideoCodec>,
    #[serde(default)]
    pub sub_audio_codec: Option<AudioCodec>,
    /// Native-camera stream shape: a system header at keyframes.
    #[serde(default)]
    pub system_header: bool,
    /// Native-camera stream shape: private 0xBD packets holding start-code-like bytes.
    #[serde(default)]
    pub private_packets: bool,
    /// Native-camera stream shape: NAL units are split into PES of at most this payload.
    #[serde(default = "d_max_pes")]
    pub max_pes_payload: u16,
    #[serde(default, rename = "user")]
    pub users: Vec<UserSpec>,
    /// The device's time zone: an IANA name, `UTC` or `+08:00` (default UTC). Recording
    /// times are device-local in it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// `[[device.recording]]`: the recording timeline ([`crate::recordings`]).
    #[serde(default, rename = "recording")]
    pub recordings: Vec<RecordingSpec>,
    /// Armings open at a time (`SetupAlarmChan_*`, alert streams); one more gives 46.
    /// Devices count them per client, and every client of the mock and of the emulator
    /// has the same address.
    #[serde(default = "d_armings")]
    pub max_armings: u32,
    /// How often a quiet ISAPI alert stream sends its heartbeat (`videoloss` `inactive`).
    #[serde(default = "d_heartbeat")]
    pub alert_heartbeat_seconds: f64,
    /// `[[device.alarm]]`: the alarm schedule ([`crate::alarms`]).
    #[serde(default, rename = "alarm")]
    pub alarms: Vec<AlarmSpec>,
}

fn d_port() -> u16 {
    8000
}
fn d_model() -> String {
    "DS-MOCK".to_owned()
}
fn d_firmware() -> String {
    "V5.7.0 build 230101".to_owned()
}
fn d_one() -> u8 {
    1
}
fn d_zoom() -> f64 {
    25.0
}
fn d_sessions() -> u32 {
    32
}
fn d_links() -> u32 {
    16
}
fn d_retry() -> u8 {
    7
}
fn d_lock() -> u32 {
    1800
}
fn d_armings() -> u32 {
    1
}
fn d_heartbeat() -> f64 {
    10.0
}
fn d_true() -> bool {
    true
}
fn d_max_pes() -> u16 {
    media::SDK_MAX_PES_PAYLOAD
}

/// Largest `max_pes_payload`: a PES packet's 16-bit length also covers its header.
const MAX_PES_PAYLOAD: u16 = 65_000;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub pacing: Pacing,
    /// Let logins to unknown non-loopback addresses open real TCP connections.
    #[serde(default)]
    pub allow_external: bool,
    #[serde(default, rename = "device")]
    pub devices: Vec<DeviceSpec>,
    /// What "now" is for the recording timelines: `"wall"` (default) or a pinned RFC 3339
    /// instant (`"2026-12-01T12:00:00Z"`).
    #[serde(default)]
    pub clock: Option<String>,
}

impl DeviceSpec {
    /// Fill kind-dependent defaults and check the values.
    pub fn validate(mut self) -> Result<Self, String> {
        let ip: IpAddr = self
            .address
            .parse()
            .map_err(|_| format!("device address {:?} is not an IP address", self.address))?;
        self.address = ip.to_string();
        if self.analog_channels.is_none() {
            self.analog_channels = Some(match self.kind {
                Kind::Ipc => 1,
                Kind::Nvr => 0,
            });
        }
        if self.start_ip_channel.is_none() {
            self.start_ip_channel = Some(if self.ip_channels > 0 { 33 } else { 0 });
        }
        if self.dvr_type.is_none() {
            self.dvr_type = Some(match self.kind {
                Kind::Ipc => 30,
                Kind::Nvr => 110,
            });
        }
        if self.device_type.is_none() {
            self.device_type = self.dvr_type.map(u16::from);
        }
        if self.serial.is_none() {
            self.serial = Some(format!(
                "{}MOCK{}",
                self.model,
                self.address.replace(['.', ':'], "")
            ));
        }
        if self.analog() == 0 && self.ip_channels == 0 {
            return Err(format!("device {} has no channels", self.address));
        }
        if self.ip_channels > 0 && self.start_ip() == 0 {
            return Err(format!(
                "device {}: start_ip_channel must be > 0",
                self.address
            ));
        }
        if self.ptz && self.max_zoom < 1.0 {
            return Err(format!("device {}: max_zoom must be >= 1", self.address));
        }
        if !(64..=MAX_PES_PAYLOAD).contains(&self.max_pes_payload) {
            return Err(format!(
                "device {}: max_pes_payload must be 64..={MAX_PES_PAYLOAD}",
                self.address
            ));
        }
        if self.users.is_empty() {
            return Err(format!("device {} has no [[device.user]]", self.address));
        }
        Recordings::new(&self, Clock::Wall).map_err(|e| format!("device {}: {e}", self.address))?;
        if !(self.alert_heartbeat_seconds.is_finite() && self.alert_heartbeat_seconds >= 0.05) {
            return Err(format!(
                "device {}: alert_heartbeat_seconds must be at least 0.05",
                self.address
            ));
        }
        for a in &self.alarms {
            a.validate(&self)
                .map_err(|e| format!("device {}: {e}", self.address))?;
        }
        Ok(self)
    }

    pub fn analog(&self) -> u8 {
        self.analog_channels.unwrap_or(0)
    }
    pub fn start_ip(&self) -> u8 {
        self.start_ip_channel.unwrap_or(0)
    }

    /// Whether `ch` is one of the device's channel numbers.
    pub fn has_channel(&self, ch: i32) -> bool {
        let a0 = i32::from(self.start_channel);
        let a1 = a0 + i32::from(self.analog());
        let d0 = i32::from(self.start_ip());
        let d1 = d0 + i32::from(self.ip_channels);
        (a0..a1).contains(&ch) || (self.ip_channels > 0 && (d0..d1).contains(&ch))
    }

    /// What a preview of the main (`sub` false) or sub stream carries.
    pub fn stream_kind(&self, sub: bool) -> StreamKind {
        let (video, audio) = if sub {
            (
                self.sub_video_codec.unwrap_or(self.video_codec),
                self.sub_audio_codec.unwrap_or(self.audio_codec),
            )
        } else {
            (self.video_codec, self.audio_codec)
        };
        StreamKind {
            sub,
            video,
            audio,
            shape: Shape {
                system_header: self.system_header,
                private_packets: self.private_packets,
                max_pes_payload: self.max_pes_payload,
            },
        }
    }

    /// `dwSoftwareVersion` (major << 24 | minor << 16 | build) and `dwSoftwareBuildDate`
    /// (yy << 16 | mm << 8 | dd) from a firmware string like "V5.7.3 build 230615".
    pub fn firmware_words(&self) -> (u32, u32) {
        let mut parts = self.firmware.split_whitespace();
        let ver = parts.next().unwrap_or("").trim_start_matches(['V', 'v']);
        let nums: Vec<u32> = ver.split('.').map(|n| n.parse().unwrap_or(0)).collect();
        let at = |i: usize| nums.get(i).copied().unwrap_or(0);
        let version = (at(0) & 0xFF) << 24 | (at(1) & 0xFF) << 16 | (at(2) & 0xFFFF);
        let date = parts
            .skip_while(|p| !p.eq_ignore_ascii_case("build"))
            .nth(1)
            .filter(|d| d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()))
            .map(|d| {
                let n = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
                n(0..2) << 16 | n(2..4) << 8 | n(4..6)
            })
            .unwrap_or(0);
        (version, date)
    }
}

impl Scenario {
    /// Parse and check a scenario file's text (defaults filled, addresses normalised, no two
    /// devices at one address and port).
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let mut s: Scenario = toml::from_str(text).map_err(|e| e.to_string())?;
        s.clock()?;
        let devices = std::mem::take(&mut s.devices);
        for d in devices {
            s.devices.push(d.validate()?);
        }
        let mut seen = std::collections::HashSet::new();
        for d in &s.devices {
            if !seen.insert((d.address.clone(), d.port)) {
                return Err(format!("two devices at {}:{}", d.address, d.port));
            }
        }
        Ok(s)
    }

    /// The scenario's `clock` ([`Clock::Wall`] when unset).
    pub fn clock(&self) -> Result<Clock, String> {
        self.clock.as_deref().map_or(Ok(Clock::Wall), Clock::parse)
    }

    /// Every device of the scenario in its starting state (each with the scenario's pacing
    /// unless it sets its own), in file order.
    pub fn into_devices(self) -> Vec<crate::Device> {
        let pacing = self.pacing;
        // A parsed scenario's clock is valid (parse checks it); an unset one is the wall.
        let clock = self.clock().unwrap_or(crate::recordings::Clock::Wall);
        self.devices
            .into_iter()
            .map(|spec| {
                let d = crate::Device::new(spec, pacing);
                d.recordings().set_clock(clock);
                d
            })
            .collect()
    }

    /// Read and parse a scenario file; the error names the file.
    pub fn load_file(path: &std::path::Path) -> Result<Scenario, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Scenario::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Default for Scenario {
    /// The built-in scenario ([`DEFAULT_SCENARIO`]: dome, bullet, nvr, h265).
    fn default() -> Self {
        Scenario::parse(DEFAULT_SCENARIO).expect("the built-in scenario parses (unit-tested)")
    }
}

impl DeviceSpec {
    /// Parse one device given as a `[[device]]` table, or as the bare keys of one.
    pub fn parse(text: &str) -> Result<DeviceSpec, String> {
        if let Ok(s) = toml::from_str::<Scenario>(text)
            && s.devices.len() == 1
        {
            return s
                .devices
                .into_iter()
                .next()
                .map(DeviceSpec::validate)
                .unwrap_or_else(|| Err("no device".into()));
        }
        toml::from_str::<DeviceSpec>(text)
            .map_err(|e| e.to_string())
            .and_then(DeviceSpec::validate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_has_the_four_devices() {
        let s = Scenario::parse(DEFAULT_SCENARIO).unwrap();
        assert_eq!(s.devices.len(), 4);
        let nvr = &s.devices[2];
        assert!(nvr.has_channel(33) && nvr.has_channel(48));
        assert!(!nvr.has_channel(1) && !nvr.has_channel(49));
        assert!(s.devices[0].ptz && !s.devices[1].ptz);
        for d in &s.devices[..3] {
            assert_eq!(d.stream_kind(false), StreamKind::default());
        }
        let h265 = &s.devices[3];
        let main = h265.stream_kind(false);
        assert_eq!(
            (main.video, main.audio),
            (VideoCodec::H265, AudioCodec::G711u)
        );
        assert!(h265.stream_kind(true).sub);
    }

    #[test]
    fn stream_options_per_device_and_stream() {
        let users = "[[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n";
        let d = DeviceSpec::parse(&format!(
            "address = \"192.0.2.1\"\nvideo_codec = \"h265\"\naudio_codec = \"aac\"\n\
             sub_video_codec = \"h264\"\nsub_audio_codec = \"none\"\nsystem_header = true\n\
             private_packets = true\nmax_pes_payload = 65000\n{users}"
        ))
        .unwrap();
        let (main, sub) = (d.stream_kind(false), d.stream_kind(true));
        assert_eq!(
            (main.video, main.audio),
            (VideoCodec::H265, AudioCodec::Aac)
        );
        assert_eq!((sub.video, sub.audio), (VideoCodec::H264, AudioCodec::None));
        assert!(main.shape.system_header && main.shape.private_packets);
        assert_eq!(sub.shape.max_pes_payload, 65_000);
        for bad in [
            "video_codec = \"mpeg4\"",
            "audio_codec = \"g722\"",
            "max_pes_payload = 65001",
            "max_pes_payload = 10",
        ] {
            let text = format!("address = \"192.0.2.1\"\n{bad}\n{users}");
            assert!(DeviceSpec::parse(&text).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn firmware_words() {
        let d = DeviceSpec::parse(
            "address = \"192.0.2.1\"\nfirmware = \"V5.7.3 build 230615\"\n\
             [[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n",
        )
        .unwrap();
        assert_eq!(d.firmware_words(), (0x0507_0003, 0x0017_060F));
    }
}
