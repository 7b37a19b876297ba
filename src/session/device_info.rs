//! What the device says about itself: [`DeviceInfo`] at login, [`DeviceConfig`] on request.

use std::fmt;

use hcnetsdk_sys as sys;

use crate::text;

/// Which protocol the SDK logs in with (`byLoginMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LoginMode {
    /// Hikvision's private protocol on the SDK port (usually 8000).
    #[default]
    Private,
    /// ISAPI over HTTP(S) (usually port 80 or 443).
    Isapi,
    /// Let the SDK choose.
    Auto,
}

impl LoginMode {
    /// The SDK's `byLoginMode` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u8 {
        match self {
            LoginMode::Private => 0,
            LoginMode::Isapi => 1,
            LoginMode::Auto => 2,
        }
    }

    pub(crate) fn from_raw(raw: u8) -> Self {
        match raw {
            1 => LoginMode::Isapi,
            2 => LoginMode::Auto,
            _ => LoginMode::Private,
        }
    }
}

/// A range of channel numbers as the device numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ChannelRange {
    /// The first channel's number (`byStartChan`, `byStartDChan`): often 1 for analog
    /// channels and 33 for an NVR's IP channels.
    pub start: u32,
    /// How many channels there are.
    pub count: u32,
}

impl ChannelRange {
    /// Whether `channel` is in the range.
    pub fn contains(&self, channel: u32) -> bool {
        self.count > 0 && channel >= self.start && channel - self.start < self.count
    }

    /// The channel numbers.
    pub fn iter(&self) -> impl Iterator<Item = u32> + use<> {
        self.start..self.start.saturating_add(self.count)
    }

    /// Whether there are no channels.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl fmt::Display for ChannelRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.count {
            0 => f.write_str("none"),
            1 => write!(f, "{}", self.start),
            n => write!(f, "{}..={}", self.start, self.start + n - 1),
        }
    }
}

/// What the device reported at login (`NET_DVR_DEVICEINFO_V40`).
///
/// The device's name, model name and firmware are not part of the login answer: read them
/// with [`Session::device_config`](crate::Session::device_config) (or
/// [`Session::device_name`](crate::Session::device_name)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// Serial number (`sSerialNumber`).
    pub serial: String,
    /// Device type code (`wDevType`).
    pub device_type: u16,
    /// DVR type code (`byDVRType`).
    pub dvr_type: u8,
    /// Analog (local) channels.
    pub analog_channels: ChannelRange,
    /// IP (digital) channels, with their real start number.
    pub ip_channels: ChannelRange,
    /// Zero channels (`byZeroChanNum`).
    pub zero_channels: u8,
    /// Hard disks (`byDiskNum`).
    pub disk_count: u8,
    /// Alarm inputs (`byAlarmInPortNum`).
    pub alarm_inputs: u8,
    /// Alarm outputs (`byAlarmOutPortNum`).
    pub alarm_outputs: u8,
    /// Audio (talk) channels (`byAudioChanNum`).
    pub audio_channels: u8,
    /// How the device encodes text (`byCharEncodeType`; 0 = not reported, read as GBK).
    /// Always 0 after an asynchronous login: the SDK's callback carries only
    /// `NET_DVR_DEVICEINFO_V30`.
    pub char_encoding: u8,
    /// Password strength as the device judges it (`byPasswordLevel`: 0 none, 1 default
    /// password, 2 valid, 3 risky).
    pub password_level: u8,
    /// The protocol the login actually used (`byLoginMode`).
    pub login_mode: LoginMode,
}

impl DeviceInfo {
    pub(crate) fn from_v30(d: &sys::NET_DVR_DEVICEINFO_V30) -> Self {
        Self {
            serial: text::decode_gbk(&d.sSerialNumber),
            device_type: d.wDevType,
            dvr_type: d.byDVRType,
            analog_channels: ChannelRange {
                start: u32::from(d.byStartChan),
                count: u32::from(d.byChanNum),
            },
            ip_channels: ChannelRange {
                start: u32::from(d.byStartDChan),
                count: u32::from(d.byIPChanNum) + 256 * u32::from(d.byHighDChanNum),
            },
            zero_channels: d.byZeroChanNum,
            disk_count: d.byDiskNum,
            alarm_inputs: d.byAlarmInPortNum,
            alarm_outputs: d.byAlarmOutPortNum,
            audio_channels: d.byAudioChanNum,
            ..Self::default()
        }
    }

    pub(crate) fn from_v40(d: &sys::NET_DVR_DEVICEINFO_V40) -> Self {
        Self {
            char_encoding: d.byCharEncodeType,
            password_level: d.byPasswordLevel,
            login_mode: LoginMode::from_raw(d.byLoginMode),
            ..Self::from_v30(&d.struDeviceV30)
        }
    }

    /// Whether `channel` exists on the device (analog or IP).
    pub fn has_channel(&self, channel: u32) -> bool {
        self.analog_channels.contains(channel) || self.ip_channels.contains(channel)
    }

    /// Every channel number: analog first, then IP.
    pub fn channels(&self) -> impl Iterator<Item = u32> + use<> {
        self.analog_channels.iter().chain(self.ip_channels.iter())
    }
}

/// The device's configuration (`NET_DVR_GET_DEVICECFG_V40`), with its texts decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeviceConfig {
    /// The device's name as set by its owner (`sDVRName`), decoded from the device's
    /// encoding (GBK unless it says otherwise).
    pub name: String,
    /// Model name (`byDevTypeName`), e.g. `DS-2DE4425IW-DE`.
    pub model: String,
    /// Serial number (`sSerialNumber`).
    pub serial: String,
    /// Device ID used by remote controls (`dwDVRID`).
    pub device_id: u32,
    /// Firmware version as the SDK encodes it (`dwSoftwareVersion`); see
    /// [`firmware`](Self::firmware).
    pub software_version: u32,
    /// Firmware build date as the SDK encodes it (`dwSoftwareBuildDate`: 0xYYMMDD).
    pub software_build_date: u32,
    /// Hardware version (`dwHardwareVersion`).
    pub hardware_version: u32,
    /// Device type code (`wDevType`).
    pub device_type: u16,
    /// Hard disks (`byDiskNum`).
    pub disk_count: u8,
}

impl DeviceConfig {
    /// The firmware as devices show it, e.g. `V5.7.3 build 230615`.
    pub fn firmware(&self) -> String {
        let v = self.software_version;
        let d = self.software_build_date;
        format!(
            "V{}.{}.{} build {:02}{:02}{:02}",
            v >> 24,
            (v >> 16) & 0xFF,
            v & 0xFFFF,
            (d >> 16) & 0xFF,
            (d >> 8) & 0xFF,
            d & 0xFF
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_ranges() {
        let r = ChannelRange {
            start: 33,
            count: 16,
        };
        assert!(r.contains(33) && r.contains(48));
        assert!(!r.contains(32) && !r.contains(49));
        assert_eq!(r.to_string(), "33..=48");
        assert_eq!(r.iter().count(), 16);
        let empty = ChannelRange { start: 1, count: 0 };
        assert!(!empty.contains(1) && empty.is_empty());
        assert_eq!(empty.to_string(), "none");
    }

    #[test]
    fn ip_channel_count_includes_the_high_byte() {
        let d = sys::NET_DVR_DEVICEINFO_V30 {
            byIPChanNum: 4,
            byHighDChanNum: 1,
            byStartDChan: 33,
            ..Default::default()
        };
        let info = DeviceInfo::from_v30(&d);
        assert_eq!(
            info.ip_channels,
            ChannelRange {
                start: 33,
                count: 260
            }
        );
        assert!(info.has_channel(292) && !info.has_channel(293));
    }

    #[test]
    fn firmware_formats_like_the_device() {
        let c = DeviceConfig {
            software_version: (5 << 24) | (7 << 16) | 3,
            software_build_date: (23 << 16) | (6 << 8) | 15,
            ..Default::default()
        };
        assert_eq!(c.firmware(), "V5.7.3 build 230615");
    }
}
