//! Typed ISAPI requests: device information, PTZ (continuous, absolute, presets, status)
//! and the picture. [`Ptz`](crate::Ptz) and [`Snapshot`](crate::Snapshot) use these for
//! sessions that logged in with [`LoginMode::Isapi`](crate::LoginMode::Isapi).

use super::status::xml_text;
use super::{Isapi, Response};
use crate::error::{Error, Result};
use crate::ptz::{Motion, PtzPosition};

/// What `GET /ISAPI/System/deviceInfo` says about the device (empty where the device
/// leaves an element out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct IsapiDeviceInfo {
    /// `deviceName`, as the owner set it.
    pub device_name: String,
    /// `deviceID`.
    pub device_id: String,
    /// `model`.
    pub model: String,
    /// `serialNumber`.
    pub serial_number: String,
    /// `macAddress`.
    pub mac_address: String,
    /// `firmwareVersion` (e.g. `V5.7.3`).
    pub firmware_version: String,
    /// `firmwareReleasedDate` (e.g. `build 220112`).
    pub firmware_released_date: String,
    /// `deviceType` (e.g. `IPCamera`, `NVR`).
    pub device_type: String,
}

impl IsapiDeviceInfo {
    /// Read a `DeviceInfo` document.
    #[must_use]
    pub fn parse(xml: &str) -> Self {
        let get = |tag| xml_text(xml, tag).unwrap_or_default();
        Self {
            device_name: get("deviceName"),
            device_id: get("deviceID"),
            model: get("model"),
            serial_number: get("serialNumber"),
            mac_address: get("macAddress"),
            firmware_version: get("firmwareVersion"),
            firmware_released_date: get("firmwareReleasedDate"),
            device_type: get("deviceType"),
        }
    }
}

/// A PTZ status as ISAPI reports it (`PTZStatus/AbsoluteHigh`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct PtzStatus {
    /// The absolute position, in the units of [`PtzPosition`].
    pub position: PtzPosition,
}

/// ISAPI's continuous speeds (-100..=100) for a motion at a classic speed (1..=7): `None`
/// for focus and iris, which `continuous` does not move.
pub(crate) fn continuous_speeds(motion: Motion, speed: u32) -> Option<(i32, i32, i32)> {
    let v = ((speed.clamp(1, 7) * 100 + 3) / 7) as i32;
    let (pan, tilt, zoom) = match motion {
        Motion::Up => (0, v, 0),
        Motion::Down => (0, -v, 0),
        Motion::Left => (-v, 0, 0),
        Motion::Right => (v, 0, 0),
        Motion::UpLeft => (-v, v, 0),
        Motion::UpRight => (v, v, 0),
        Motion::DownLeft => (-v, -v, 0),
        Motion::DownRight => (v, -v, 0),
        Motion::ZoomIn => (0, 0, v),
        Motion::ZoomOut => (0, 0, -v),
        _ => return None,
    };
    Some((pan, tilt, zoom))
}

/// ISAPI `elevation` (tenths of a degree, negative above the horizon) from a tilt of
/// 0..360 degrees (345..360 above the horizon).
fn elevation(tilt: f32) -> i32 {
    let t = if tilt > 270.0 { tilt - 360.0 } else { tilt };
    (t * 10.0).round() as i32
}

fn tenths(xml: &str, tag: &str) -> Result<f32> {
    xml_text(xml, tag)
        .and_then(|v| v.trim().parse::<f32>().ok())
        .map(|v| v / 10.0)
        .ok_or_else(|| {
            Error::invalid_input(
                "PTZStatus",
                format!("without <{tag}>"),
                "the device's PTZ status lacks an absolute position; check the channel has a PTZ head",
            )
        })
}

impl Isapi {
    fn ptz_path(channel: u32, what: &str) -> String {
        format!("/ISAPI/PTZCtrl/channels/{channel}/{what}")
    }

    /// `GET /ISAPI/System/deviceInfo`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn device_info(&self) -> Result<IsapiDeviceInfo> {
        let r = self.get("/ISAPI/System/deviceInfo")?;
        Ok(IsapiDeviceInfo::parse(&r.text()))
    }

    /// `PUT /ISAPI/PTZCtrl/channels/N/continuous`: move at `pan`, `tilt`, `zoom` speeds
    /// (each -100..=100; all 0 stops).
    ///
    /// # Errors
    /// A speed outside -100..=100 (before any SDK call); as for
    /// [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_continuous(&self, channel: u32, pan: i32, tilt: i32, zoom: i32) -> Result<()> {
        for (field, v) in [("pan", pan), ("tilt", tilt), ("zoom", zoom)] {
            if !(-100..=100).contains(&v) {
                return Err(Error::invalid_input(
                    field,
                    v,
                    "continuous speeds are -100 to 100",
                ));
            }
        }
        let body =
            format!("<PTZData><pan>{pan}</pan><tilt>{tilt}</tilt><zoom>{zoom}</zoom></PTZData>");
        self.put(&Self::ptz_path(channel, "continuous"), body)
            .map(drop)
    }

    /// `PUT /ISAPI/PTZCtrl/channels/N/absolute`: move to `position`.
    ///
    /// # Errors
    /// A position out of range (see [`PtzPosition`]; before any SDK call); as for
    /// [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_absolute(&self, channel: u32, position: PtzPosition) -> Result<()> {
        position.to_raw()?; // the same range checks as the classic call
        let body = format!(
            "<PTZData><AbsoluteHigh><elevation>{}</elevation><azimuth>{}</azimuth>\
             <absoluteZoom>{}</absoluteZoom></AbsoluteHigh></PTZData>",
            elevation(position.tilt),
            (position.pan * 10.0).round() as i32 % 3600,
            (position.zoom * 10.0).round() as i32,
        );
        self.put(&Self::ptz_path(channel, "absolute"), body)
            .map(drop)
    }

    /// `GET /ISAPI/PTZCtrl/channels/N/status`: the absolute position.
    ///
    /// # Errors
    /// As for [`request`](Self::request); an answer without an absolute position.
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_status(&self, channel: u32) -> Result<PtzStatus> {
        let r = self.get(&Self::ptz_path(channel, "status"))?;
        let xml = r.text();
        let elevation = tenths(&xml, "elevation")?;
        let position = PtzPosition {
            pan: tenths(&xml, "azimuth")?,
            tilt: if elevation < 0.0 {
                elevation + 360.0
            } else {
                elevation
            },
            zoom: tenths(&xml, "absoluteZoom")?,
        };
        Ok(PtzStatus { position })
    }

    /// `PUT /ISAPI/PTZCtrl/channels/N/presets/P`: save the current position as preset `P`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_set_preset(&self, channel: u32, preset: u16) -> Result<()> {
        let body = format!(
            "<PTZPreset><id>{preset}</id><presetName>preset {preset}</presetName></PTZPreset>"
        );
        let path = Self::ptz_path(channel, &format!("presets/{preset}"));
        self.put(&path, body).map(drop)
    }

    /// `PUT /ISAPI/PTZCtrl/channels/N/presets/P/goto`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_goto_preset(&self, channel: u32, preset: u16) -> Result<()> {
        let path = Self::ptz_path(channel, &format!("presets/{preset}/goto"));
        self.put(&path, "").map(drop)
    }

    /// `DELETE /ISAPI/PTZCtrl/channels/N/presets/P`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn ptz_clear_preset(&self, channel: u32, preset: u16) -> Result<()> {
        let path = Self::ptz_path(channel, &format!("presets/{preset}"));
        self.delete(&path).map(drop)
    }

    /// `GET /ISAPI/Streaming/channels/N01/picture`: a JPEG of the channel's main stream.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn picture(&self, channel: u32) -> Result<Vec<u8>> {
        self.picture_response(channel).map(Response::into_body)
    }

    pub(crate) fn picture_response(&self, channel: u32) -> Result<Response> {
        let stream = u64::from(channel) * 100 + 1;
        self.get(&format!("/ISAPI/Streaming/channels/{stream}/picture"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_map_onto_isapi_ranges() {
        assert_eq!(continuous_speeds(Motion::Left, 7), Some((-100, 0, 0)));
        assert_eq!(continuous_speeds(Motion::UpRight, 1), Some((14, 14, 0)));
        assert_eq!(continuous_speeds(Motion::ZoomOut, 4), Some((0, 0, -57)));
        assert_eq!(continuous_speeds(Motion::FocusFar, 4), None);
    }

    #[test]
    fn elevation_above_the_horizon_is_negative() {
        assert_eq!(elevation(45.0), 450);
        assert_eq!(elevation(350.0), -100);
    }

    #[test]
    fn device_info_reads_elements() {
        let xml = "<?xml version=\"1.0\"?><DeviceInfo xmlns=\"x\"><deviceName>Gate</deviceName>\
                   <model>DS-2DE</model><serialNumber>S1</serialNumber></DeviceInfo>";
        let d = IsapiDeviceInfo::parse(xml);
        assert_eq!(d.device_name, "Gate");
        assert_eq!(d.model, "DS-2DE");
        assert_eq!(d.serial_number, "S1");
        assert_eq!(d.firmware_version, "");
    }
}
