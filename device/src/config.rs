//! Configuration values of a device, shared by both faces: what a set stores, the next get
//! returns, whichever face (the mock's `GetDVRConfig`/`SetDVRConfig`, ISAPI through
//! `NET_DVR_STDXMLConfig` or the emulator's HTTP) asked.
//!
//! * [`Identity`]: the device ID and recycle-record flag of `NET_DVR_DEVICECFG_V40` (the
//!   name lives in [`crate::DeviceState::name`]);
//! * [`Ntp`]: NTP server, port, interval, on/off (the zone offset that shares the classic
//!   `NET_DVR_NTPPARA` is the clock's, not kept here);
//! * [`Network`]: the first interface's address, mask, gateway, ports, DNS;
//! * [`Compression`]: per channel and stream (main, sub): codec, picture size, bitrate, frame
//!   rate.
//!
//! Values start from the scenario (address, port, codecs) and fixed defaults; the model
//! checks what every face would refuse (`DeviceError::BadParameter`), the faces check their
//! own encodings.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use crate::media::VideoCodec;
use crate::scenario::{DeviceSpec, Role};
use crate::{Device, DeviceError};

/// How long a simulated device takes to reboot.
pub const REBOOT_TIME: Duration = Duration::from_secs(2);

/// `NET_DVR_DEVICECFG_V40` values that are settings (not facts of the hardware).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// `dwDVRID`, the ID a remote control uses (255 by default).
    pub device_id: u32,
    /// `dwRecycleRecord`: overwrite the oldest recording when the disks are full.
    pub recycle_record: bool,
}

/// NTP client settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ntp {
    /// Synchronise with the server.
    pub enabled: bool,
    /// Host name or address (at most 63 bytes, the classic field's room).
    pub server: String,
    /// UDP port (1..=65535).
    pub port: u16,
    /// Minutes between synchronisations (1..=10080).
    pub interval_minutes: u16,
}

/// The first network interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    /// The device's address.
    pub ip: Ipv4Addr,
    /// Subnet mask.
    pub mask: Ipv4Addr,
    /// Default gateway.
    pub gateway: Ipv4Addr,
    /// Primary DNS server.
    pub dns1: Ipv4Addr,
    /// Secondary DNS server (0.0.0.0: none).
    pub dns2: Ipv4Addr,
    /// The SDK's port (8000).
    pub sdk_port: u16,
    /// HTTP port (80).
    pub http_port: u16,
    /// Address from DHCP.
    pub dhcp: bool,
}

/// One stream's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    /// Video codec.
    pub codec: VideoCodec,
    /// Picture width in pixels.
    pub width: u32,
    /// Picture height in pixels.
    pub height: u32,
    /// Bitrate in kbit/s (32..=16384).
    pub bitrate_kbps: u32,
    /// Frames per second (1..=60).
    pub fps: u32,
}

/// Picture sizes a simulated device accepts: the classic `byResolution` table's sizes
/// (`hcnetsdk_sys::values::RESOLUTIONS`: code, width, height).
pub use hcnetsdk_sys::values::RESOLUTIONS;

/// The stored configuration of a device.
#[derive(Debug, Clone)]
pub struct ConfigState {
    pub(crate) identity: Identity,
    pub(crate) ntp: Ntp,
    pub(crate) network: Network,
    /// (channel, sub stream) -> encoding; absent: the default for the stream.
    pub(crate) compression: BTreeMap<(i32, bool), Compression>,
    /// Offline until then (a reboot), or for good (`Some(None)`: a shutdown).
    pub(crate) down: Option<Option<Instant>>,
}

impl ConfigState {
    pub(crate) fn new(spec: &DeviceSpec) -> ConfigState {
        let ip: Ipv4Addr = spec.address.parse().unwrap_or(Ipv4Addr::new(192, 0, 2, 1));
        let [a, b, c, _] = ip.octets();
        ConfigState {
            identity: Identity {
                device_id: 255,
                recycle_record: true,
            },
            ntp: Ntp {
                enabled: false,
                server: "pool.ntp.org".into(),
                port: 123,
                interval_minutes: 60,
            },
            network: Network {
                ip,
                mask: Ipv4Addr::new(255, 255, 255, 0),
                gateway: Ipv4Addr::new(a, b, c, 1),
                dns1: Ipv4Addr::new(a, b, c, 53),
                dns2: Ipv4Addr::UNSPECIFIED,
                sdk_port: spec.port,
                http_port: 80,
                dhcp: false,
            },
            compression: BTreeMap::new(),
            down: None,
        }
    }
}

fn default_compression(spec: &DeviceSpec, sub: bool) -> Compression {
    let kind = spec.stream_kind(sub);
    if sub {
        Compression {
            codec: kind.video,
            width: 640,
            height: 480,
            bitrate_kbps: 512,
            fps: 25,
        }
    } else {
        Compression {
            codec: kind.video,
            width: 1920,
            height: 1080,
            bitrate_kbps: 4096,
            fps: 25,
        }
    }
}

fn admin(role: Role) -> Result<(), DeviceError> {
    if role.can_configure() {
        Ok(())
    } else {
        Err(DeviceError::NoRight)
    }
}

impl Device {
    /// The identity settings.
    pub fn identity(&self) -> Identity {
        self.config().identity
    }

    /// Store identity settings (admin only: [`DeviceError::NoRight`]).
    pub fn set_identity(&self, role: Role, v: Identity) -> Result<(), DeviceError> {
        admin(role)?;
        self.config().identity = v;
        Ok(())
    }

    /// The NTP settings.
    pub fn ntp(&self) -> Ntp {
        self.config().ntp.clone()
    }

    /// Store NTP settings (admin only; an empty or over-long server, port 0 or an interval
    /// outside 1..=10080 minutes: [`DeviceError::BadParameter`]).
    pub fn set_ntp(&self, role: Role, v: Ntp) -> Result<(), DeviceError> {
        admin(role)?;
        let ok = !v.server.is_empty()
            && v.server.len() < 64
            && !v
                .server
                .contains(|c: char| c.is_whitespace() || c.is_control())
            && v.port != 0
            && (1..=10080).contains(&v.interval_minutes);
        if !ok {
            return Err(DeviceError::BadParameter);
        }
        self.config().ntp = v;
        Ok(())
    }

    /// The network settings.
    pub fn network(&self) -> Network {
        self.config().network
    }

    /// Store network settings (admin only; a mask that is not a prefix, a zero address or
    /// port: [`DeviceError::BadParameter`]). The simulated device keeps answering where
    /// it is: a real one would move.
    pub fn set_network(&self, role: Role, v: Network) -> Result<(), DeviceError> {
        admin(role)?;
        let mask = u32::from(v.mask);
        let ok = mask.leading_ones() + mask.trailing_zeros() == 32
            && !v.ip.is_unspecified()
            && v.sdk_port != 0
            && v.http_port != 0;
        if !ok {
            return Err(DeviceError::BadParameter);
        }
        self.config().network = v;
        Ok(())
    }

    /// A stream's encoding ([`DeviceError::NoChannel`] for a channel the device lacks).
    pub fn compression(&self, channel: i32, sub: bool) -> Result<Compression, DeviceError> {
        self.check_channel(channel)?;
        let stored = self.config().compression.get(&(channel, sub)).copied();
        Ok(stored.unwrap_or_else(|| default_compression(self.spec(), sub)))
    }

    /// Store a stream's encoding (admin only; a size not in [`RESOLUTIONS`], a bitrate
    /// outside 32..=16384 kbit/s or a frame rate outside 1..=60: `BadParameter`).
    pub fn set_compression(
        &self,
        role: Role,
        channel: i32,
        sub: bool,
        v: Compression,
    ) -> Result<(), DeviceError> {
        self.check_channel(channel)?;
        admin(role)?;
        let size_ok = RESOLUTIONS
            .iter()
            .any(|&(_, w, h)| (w, h) == (v.width, v.height));
        if !size_ok || !(32..=16384).contains(&v.bitrate_kbps) || !(1..=60).contains(&v.fps) {
            return Err(DeviceError::BadParameter);
        }
        self.config().compression.insert((channel, sub), v);
        Ok(())
    }

    /// Reboot (admin only): the device goes offline now and answers again `after` from
    /// `now` (the next [`Device::online`] after that turns it on); a face reports the lost
    /// connection to its sessions.
    pub fn reboot(&self, role: Role, now: Instant, after: Duration) -> Result<(), DeviceError> {
        admin(role)?;
        self.config().down = Some(Some(now + after));
        self.set_online(false);
        Ok(())
    }

    /// Shut down (admin only): offline until the scenario is reset or a face turns it on.
    pub fn shutdown(&self, role: Role) -> Result<(), DeviceError> {
        admin(role)?;
        self.config().down = Some(None);
        self.set_online(false);
        Ok(())
    }

    /// Bring a rebooting device back when its time has come ([`Device::online`] calls
    /// this); returns whether it came back now.
    pub fn up_at(&self, now: Instant) -> bool {
        let mut c = self.config();
        match c.down {
            Some(Some(t)) if now >= t => {
                c.down = None;
                drop(c);
                self.set_online(true);
                true
            }
            _ => false,
        }
    }

    /// Whether a reboot or shutdown keeps the device offline.
    pub fn is_down(&self) -> bool {
        self.config().down.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pacing, Scenario};

    fn dome() -> Device {
        let s = Scenario::default();
        let spec = s.devices.into_iter().next().unwrap();
        Device::new(spec, Pacing::Realtime)
    }

    #[test]
    fn set_then_get_and_checks() {
        let d = dome();
        let mut n = d.ntp();
        n.server = "time.example".into();
        n.enabled = true;
        d.set_ntp(Role::Admin, n.clone()).unwrap();
        assert_eq!(d.ntp(), n);
        n.port = 0;
        assert_eq!(d.set_ntp(Role::Admin, n), Err(DeviceError::BadParameter));
        let mut net = d.network();
        net.mask = Ipv4Addr::new(255, 0, 255, 0);
        assert_eq!(
            d.set_network(Role::Admin, net),
            Err(DeviceError::BadParameter)
        );
        let ch = i32::from(d.spec().start_channel);
        let mut c = d.compression(ch, false).unwrap();
        c.width = 1280;
        c.height = 720;
        d.set_compression(Role::Admin, ch, false, c).unwrap();
        assert_eq!(d.compression(ch, false).unwrap(), c);
        assert_ne!(d.compression(ch, true).unwrap(), c);
        assert_eq!(d.compression(999, false), Err(DeviceError::NoChannel));
    }

    #[test]
    fn reboot_comes_back() {
        let d = dome();
        let t = Instant::now();
        d.reboot(Role::Admin, t, Duration::from_secs(5)).unwrap();
        assert!(!d.online());
        assert!(!d.up_at(t + Duration::from_secs(4)));
        assert!(d.up_at(t + Duration::from_secs(5)));
        assert!(d.online() && !d.is_down());
    }
}
