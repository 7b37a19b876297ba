//! [`Ptz`]: pan, tilt, zoom, focus and iris; presets; cruises; absolute position.

use std::fmt;

use hcnetsdk_sys as sys;

use crate::error::{Context, Error, Result};
use crate::ffi::{channel_long, resolve};
use crate::isapi;
use crate::session::{Live, Session};

impl Session {
    /// PTZ control of `channel`, by user ID and channel (no preview needed).
    ///
    /// # Errors
    /// A channel that is not on the device (before any SDK call).
    pub fn ptz(&self, channel: u32) -> Result<Ptz> {
        Ptz::new(self.clone(), channel)
    }
}

/// A continuous PTZ movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Motion {
    /// Tilt up (`TILT_UP`).
    Up,
    /// Tilt down (`TILT_DOWN`).
    Down,
    /// Pan left (`PAN_LEFT`).
    Left,
    /// Pan right (`PAN_RIGHT`).
    Right,
    /// Up and left (`UP_LEFT`).
    UpLeft,
    /// Up and right (`UP_RIGHT`).
    UpRight,
    /// Down and left (`DOWN_LEFT`).
    DownLeft,
    /// Down and right (`DOWN_RIGHT`).
    DownRight,
    /// Zoom in (`ZOOM_IN`).
    ZoomIn,
    /// Zoom out (`ZOOM_OUT`).
    ZoomOut,
    /// Focus nearer (`FOCUS_NEAR`).
    FocusNear,
    /// Focus farther (`FOCUS_FAR`).
    FocusFar,
    /// Open the iris (`IRIS_OPEN`).
    IrisOpen,
    /// Close the iris (`IRIS_CLOSE`).
    IrisClose,
}

impl Motion {
    /// Every motion: the 8 directions, then zoom, focus and iris.
    pub const ALL: [Motion; 14] = [
        Motion::Up,
        Motion::Down,
        Motion::Left,
        Motion::Right,
        Motion::UpLeft,
        Motion::UpRight,
        Motion::DownLeft,
        Motion::DownRight,
        Motion::ZoomIn,
        Motion::ZoomOut,
        Motion::FocusNear,
        Motion::FocusFar,
        Motion::IrisOpen,
        Motion::IrisClose,
    ];

    /// The SDK's PTZ command (`dwPTZCommand`, for use with [`crate::sys`]).
    pub fn raw(self) -> u32 {
        match self {
            Motion::Up => sys::TILT_UP,
            Motion::Down => sys::TILT_DOWN,
            Motion::Left => sys::PAN_LEFT,
            Motion::Right => sys::PAN_RIGHT,
            Motion::UpLeft => sys::UP_LEFT,
            Motion::UpRight => sys::UP_RIGHT,
            Motion::DownLeft => sys::DOWN_LEFT,
            Motion::DownRight => sys::DOWN_RIGHT,
            Motion::ZoomIn => sys::ZOOM_IN,
            Motion::ZoomOut => sys::ZOOM_OUT,
            Motion::FocusNear => sys::FOCUS_NEAR,
            Motion::FocusFar => sys::FOCUS_FAR,
            Motion::IrisOpen => sys::IRIS_OPEN,
            Motion::IrisClose => sys::IRIS_CLOSE,
        }
    }
}

/// An absolute PTZ position in degrees and zoom ratio.
///
/// The SDK encodes each value as four hexadecimal digits that read as decimal tenths
/// (`NET_DVR_PTZPOS`): pan 123.4° travels as `0x1234`. [`from_raw`](Self::from_raw) and
/// [`to_raw`](Self::to_raw) convert.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PtzPosition {
    /// Pan, 0.0 up to (not including) 360.0 degrees.
    pub pan: f32,
    /// Tilt, 0.0 up to (not including) 360.0 degrees; most domes use 0–90, and some
    /// report angles above the horizon as 345–360.
    pub tilt: f32,
    /// Zoom ratio, 0.0–999.9 (1.0 is no zoom).
    pub zoom: f32,
}

impl fmt::Display for PtzPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pan {:.1}°, tilt {:.1}°, zoom {:.1}x",
            self.pan, self.tilt, self.zoom
        )
    }
}

/// Four hex digits read as decimal tenths. Digits above 9 (which a conforming device never
/// sends) count with their face value, so the result is still defined.
fn from_bcd_tenths(raw: u16) -> f32 {
    let mut value = 0u32;
    for shift in [12, 8, 4, 0] {
        value = value * 10 + u32::from((raw >> shift) & 0xF);
    }
    value as f32 / 10.0
}

/// Decimal tenths as four hex digits. `tenths` must be ≤ 9999.
fn to_bcd_tenths(tenths: u16) -> u16 {
    let mut out = 0u16;
    let mut v = tenths;
    for shift in [0, 4, 8, 12] {
        out |= (v % 10) << shift;
        v /= 10;
    }
    out
}

/// What to do with a value that rounds up to `max_exclusive` (359.96° -> 360.0°).
#[derive(Clone, Copy)]
enum AtMax {
    /// Angles: 360.0° is 0.0°.
    Wrap,
    /// Zoom: 999.96x is 999.9x.
    Clamp,
}

fn tenths(
    field: &'static str,
    value: f32,
    max_exclusive: f32,
    range: &str,
    at_max: AtMax,
) -> Result<u16> {
    if !value.is_finite() || value < 0.0 || value >= max_exclusive {
        return Err(Error::invalid_input(
            field,
            value,
            format!("{field} must be in {range}"),
        ));
    }
    let t = (value * 10.0).round();
    let max_tenths = max_exclusive * 10.0;
    Ok(match at_max {
        _ if t < max_tenths => t as u16,
        AtMax::Wrap => 0,
        AtMax::Clamp => (max_tenths - 1.0) as u16,
    })
}

impl PtzPosition {
    /// Decode `NET_DVR_PTZPOS`'s fields.
    pub fn from_raw(pan: u16, tilt: u16, zoom: u16) -> Self {
        Self {
            pan: from_bcd_tenths(pan),
            tilt: from_bcd_tenths(tilt),
            zoom: from_bcd_tenths(zoom),
        }
    }

    /// Encode as `NET_DVR_PTZPOS`'s `(wPanPos, wTiltPos, wZoomPos)`.
    ///
    /// # Errors
    /// A value out of range or not finite (see the fields).
    pub fn to_raw(&self) -> Result<(u16, u16, u16)> {
        let pan = tenths("pan", self.pan, 360.0, "0.0..360.0 degrees", AtMax::Wrap)?;
        let tilt = tenths("tilt", self.tilt, 360.0, "0.0..360.0 degrees", AtMax::Wrap)?;
        let zoom = tenths("zoom", self.zoom, 1000.0, "0.0..=999.9", AtMax::Clamp)?;
        Ok((to_bcd_tenths(pan), to_bcd_tenths(tilt), to_bcd_tenths(zoom)))
    }
}

fn check_speed(speed: u8) -> Result<u32> {
    if !(Ptz::MIN_SPEED..=Ptz::MAX_SPEED).contains(&speed) {
        return Err(Error::invalid_input(
            "speed",
            speed,
            format!(
                "PTZ speed must be {} (slowest) to {} (fastest)",
                Ptz::MIN_SPEED,
                Ptz::MAX_SPEED
            ),
        ));
    }
    Ok(u32::from(speed))
}

fn check_preset(preset: u16) -> Result<u32> {
    if !(1..=Ptz::MAX_PRESET).contains(&preset) {
        return Err(Error::invalid_input(
            "preset",
            preset,
            format!("preset numbers are 1 to {}", Ptz::MAX_PRESET),
        ));
    }
    Ok(u32::from(preset))
}

fn check_route(route: u8) -> Result<u8> {
    if !(1..=Ptz::MAX_CRUISE_ROUTE).contains(&route) {
        return Err(Error::invalid_input(
            "route",
            route,
            format!("cruise routes are numbered 1 to {}", Ptz::MAX_CRUISE_ROUTE),
        ));
    }
    Ok(route)
}

fn check_point(point: u8) -> Result<u8> {
    if !(1..=Ptz::MAX_CRUISE_POINT).contains(&point) {
        return Err(Error::invalid_input(
            "point",
            point,
            format!("cruise points are numbered 1 to {}", Ptz::MAX_CRUISE_POINT),
        ));
    }
    Ok(point)
}

/// PTZ control of one channel, by user ID and channel (the `*_Other` SDK functions: no
/// preview needed). On a session that logged in with
/// [`LoginMode::Isapi`](crate::LoginMode::Isapi), where the SDK refuses those calls with
/// 189, movements (pan, tilt, zoom), presets and the absolute position go through ISAPI
/// (`/ISAPI/PTZCtrl/channels/N/...`, see [`Isapi`](crate::isapi::Isapi)) instead, with the same
/// methods; focus, iris and cruises have no ISAPI counterpart here and still fail with 189. Made by [`Session::ptz`]; holds a clone of the session (a cheap
/// `Clone`, `'static`: it can move to another thread or task). After the session's
/// [`logout`](Session::logout), calls fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut).
///
/// ```no_run
/// # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
/// use hcnetsdk::Motion;
/// let ptz = session.ptz(1)?;
/// {
///     let _moving = ptz.start(Motion::Left, 4)?; // stops when dropped
///     std::thread::sleep(std::time::Duration::from_millis(500));
/// }
/// ptz.set_preset(1)?;
/// println!("{}", ptz.position()?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Ptz {
    session: Session,
    channel: u32,
}

impl Ptz {
    /// Slowest PTZ speed.
    pub const MIN_SPEED: u8 = 1;
    /// Fastest PTZ speed.
    pub const MAX_SPEED: u8 = 7;
    /// Highest preset number this crate accepts (presets are numbered from 1).
    pub const MAX_PRESET: u16 = 255;
    /// Highest cruise route number.
    pub const MAX_CRUISE_ROUTE: u8 = 32;
    /// Highest point number within a cruise route.
    pub const MAX_CRUISE_POINT: u8 = 32;
    /// Highest speed of a cruise point.
    pub const MAX_CRUISE_SPEED: u16 = 40;

    fn new(session: Session, channel: u32) -> Result<Self> {
        let channel = session.check_channel(channel)?;
        Ok(Self { session, channel })
    }

    /// The channel.
    pub fn channel(&self) -> u32 {
        self.channel
    }

    /// The session it belongs to.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The user ID and channel as the SDK's `*_Other` functions take them, with the login
    /// held for the call.
    fn target(&self) -> Result<(Live<'_>, i32, i32)> {
        let channel = channel_long(self.channel)?;
        let live = self.session.live()?;
        let user_id = live.user_id();
        Ok((live, user_id, channel))
    }

    /// The calls' context, built only if a call fails (see `ffi::CallContext`).
    fn context(&self) -> impl Fn() -> Context + use<'_> {
        move || self.session.channel_context(self.channel)
    }

    fn control(&self, motion: Motion, stop: bool, speed: u32) -> Result<()> {
        if self.session.routes_through_isapi() {
            if let Some((pan, tilt, zoom)) = isapi::typed::continuous_speeds(motion, speed) {
                let isapi = self.session.isapi();
                return match stop {
                    true => isapi.ptz_continuous(self.channel, 0, 0, 0),
                    false => isapi.ptz_continuous(self.channel, pan, tilt, zoom),
                };
            }
        }
        let (_live, user_id, channel) = self.target()?;
        // SAFETY: five integers by value.
        resolve!(self.session.sdk().lib(), NET_DVR_PTZControlWithSpeed_Other)
            .bool(&self.context(), |f| unsafe {
                f(user_id, channel, motion.raw(), u32::from(stop), speed)
            })
    }

    /// Start moving at `speed` (1–7). The movement stops when the returned guard is dropped
    /// or [`PtzMove::stop`]ped.
    ///
    /// # Errors
    /// A speed outside 1–7 (before any SDK call); the SDK's code, e.g. 23 when the camera
    /// has no PTZ.
    #[doc(alias = "NET_DVR_PTZControlWithSpeed_Other")]
    pub fn start(&self, motion: Motion, speed: u8) -> Result<PtzMove> {
        let speed = check_speed(speed)?;
        self.control(motion, false, speed)?;
        Ok(PtzMove {
            ptz: self.clone(),
            motion,
            speed,
            stopped: false,
        })
    }

    /// Stop a movement started elsewhere (another program, or a leaked guard).
    ///
    /// # Errors
    /// The SDK's code.
    #[doc(alias = "NET_DVR_PTZControlWithSpeed_Other")]
    pub fn stop(&self, motion: Motion) -> Result<()> {
        self.control(motion, true, u32::from(Self::MIN_SPEED))
    }

    fn preset(&self, command: u32, preset: u16) -> Result<()> {
        let preset = check_preset(preset)?;
        if self.session.routes_through_isapi() {
            let (isapi, p) = (self.session.isapi(), preset as u16);
            return match command {
                sys::SET_PRESET => isapi.ptz_set_preset(self.channel, p),
                sys::CLE_PRESET => isapi.ptz_clear_preset(self.channel, p),
                _ => isapi.ptz_goto_preset(self.channel, p),
            };
        }
        let (_live, user_id, channel) = self.target()?;
        // SAFETY: four integers by value.
        resolve!(self.session.sdk().lib(), NET_DVR_PTZPreset_Other)
            .bool(&self.context(), |f| unsafe {
                f(user_id, channel, command, preset)
            })
    }

    /// Save the current position as preset `preset` (1–255).
    ///
    /// # Errors
    /// A preset outside 1–255 (before any SDK call); the SDK's code.
    #[doc(alias = "NET_DVR_PTZPreset_Other")]
    #[doc(alias = "SET_PRESET")]
    pub fn set_preset(&self, preset: u16) -> Result<()> {
        self.preset(sys::SET_PRESET, preset)
    }

    /// Delete preset `preset` (1–255).
    ///
    /// # Errors
    /// A preset outside 1–255 (before any SDK call); the SDK's code.
    #[doc(alias = "NET_DVR_PTZPreset_Other")]
    #[doc(alias = "CLE_PRESET")]
    pub fn clear_preset(&self, preset: u16) -> Result<()> {
        self.preset(sys::CLE_PRESET, preset)
    }

    /// Move to preset `preset` (1–255).
    ///
    /// # Errors
    /// A preset outside 1–255 (before any SDK call); the SDK's code, e.g. when the preset
    /// was never set.
    #[doc(alias = "NET_DVR_PTZPreset_Other")]
    #[doc(alias = "GOTO_PRESET")]
    pub fn goto_preset(&self, preset: u16) -> Result<()> {
        self.preset(sys::GOTO_PRESET, preset)
    }

    fn cruise(&self, command: u32, route: u8, point: u8, input: u16) -> Result<()> {
        let (_live, user_id, channel) = self.target()?;
        // SAFETY: integers by value.
        resolve!(self.session.sdk().lib(), NET_DVR_PTZCruise_Other)
            .bool(&self.context(), |f| unsafe {
                f(user_id, channel, command, route, point, input)
            })
    }

    /// Add preset `preset` as point `point` of cruise `route`.
    ///
    /// # Errors
    /// A route or point outside 1–32 or a preset outside 1–255 (before any SDK call); the
    /// SDK's code.
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "FILL_PRE_SEQ")]
    pub fn add_cruise_point(&self, route: u8, point: u8, preset: u16) -> Result<()> {
        let (route, point) = (check_route(route)?, check_point(point)?);
        let preset = check_preset(preset)? as u16;
        self.cruise(sys::FILL_PRE_SEQ, route, point, preset)
    }

    /// Remove preset `preset` from point `point` of cruise `route`.
    ///
    /// # Errors
    /// As for [`add_cruise_point`](Self::add_cruise_point).
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "CLE_PRE_SEQ")]
    pub fn remove_cruise_point(&self, route: u8, point: u8, preset: u16) -> Result<()> {
        let (route, point) = (check_route(route)?, check_point(point)?);
        let preset = check_preset(preset)? as u16;
        self.cruise(sys::CLE_PRE_SEQ, route, point, preset)
    }

    /// How long the camera stays at point `point` of cruise `route`, in seconds (1–255).
    ///
    /// # Errors
    /// A route or point outside 1–32 or a dwell outside 1–255 (before any SDK call); the
    /// SDK's code.
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "SET_SEQ_DWELL")]
    pub fn set_cruise_dwell(&self, route: u8, point: u8, seconds: u16) -> Result<()> {
        let (route, point) = (check_route(route)?, check_point(point)?);
        if !(1..=255).contains(&seconds) {
            return Err(Error::invalid_input(
                "seconds",
                seconds,
                "dwell time must be 1 to 255 seconds",
            ));
        }
        self.cruise(sys::SET_SEQ_DWELL, route, point, seconds)
    }

    /// How fast the camera moves to point `point` of cruise `route` (1–40).
    ///
    /// # Errors
    /// A route or point outside 1–32 or a speed outside 1–40 (before any SDK call); the
    /// SDK's code.
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "SET_SEQ_SPEED")]
    pub fn set_cruise_speed(&self, route: u8, point: u8, speed: u16) -> Result<()> {
        let (route, point) = (check_route(route)?, check_point(point)?);
        if !(1..=Self::MAX_CRUISE_SPEED).contains(&speed) {
            return Err(Error::invalid_input(
                "speed",
                speed,
                format!("cruise speed must be 1 to {}", Self::MAX_CRUISE_SPEED),
            ));
        }
        self.cruise(sys::SET_SEQ_SPEED, route, point, speed)
    }

    /// Run cruise `route`.
    ///
    /// # Errors
    /// A route outside 1–32 (before any SDK call); the SDK's code.
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "RUN_SEQ")]
    pub fn run_cruise(&self, route: u8) -> Result<()> {
        self.cruise(sys::RUN_SEQ, check_route(route)?, 0, 0)
    }

    /// Stop cruise `route`.
    ///
    /// # Errors
    /// A route outside 1–32 (before any SDK call); the SDK's code.
    #[doc(alias = "NET_DVR_PTZCruise_Other")]
    #[doc(alias = "STOP_SEQ")]
    pub fn stop_cruise(&self, route: u8) -> Result<()> {
        self.cruise(sys::STOP_SEQ, check_route(route)?, 0, 0)
    }

    /// The current absolute position.
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_GetDVRConfig` (`NET_DVR_GET_PTZPOS`), e.g. 23 on a
    /// camera without PTZ.
    #[doc(alias = "NET_DVR_GetDVRConfig")]
    #[doc(alias = "NET_DVR_GET_PTZPOS")]
    pub fn position(&self) -> Result<PtzPosition> {
        if self.session.routes_through_isapi() {
            return Ok(self.session.isapi().ptz_status(self.channel)?.position);
        }
        let (_live, user_id, channel) = self.target()?;
        let mut pos = sys::NET_DVR_PTZPOS::default();
        let mut returned: sys::DWORD = 0;
        let get = resolve!(self.session.sdk().lib(), NET_DVR_GetDVRConfig);
        // SAFETY: the output buffer is a live NET_DVR_PTZPOS and its exact size is passed.
        get.bool(&self.context(), |f| unsafe {
            f(
                user_id,
                sys::NET_DVR_GET_PTZPOS,
                channel,
                (&raw mut pos).cast(),
                size_of::<sys::NET_DVR_PTZPOS>() as u32,
                &raw mut returned,
            )
        })?;
        Ok(PtzPosition::from_raw(
            pos.wPanPos,
            pos.wTiltPos,
            pos.wZoomPos,
        ))
    }

    /// Move to an absolute position.
    ///
    /// # Errors
    /// A value out of range (see [`PtzPosition`]; before any SDK call); the SDK's code from
    /// `NET_DVR_SetDVRConfig` (`NET_DVR_SET_PTZPOS`).
    #[doc(alias = "NET_DVR_SetDVRConfig")]
    #[doc(alias = "NET_DVR_SET_PTZPOS")]
    pub fn set_position(&self, position: PtzPosition) -> Result<()> {
        let (pan, tilt, zoom) = position.to_raw()?;
        if self.session.routes_through_isapi() {
            return self.session.isapi().ptz_absolute(self.channel, position);
        }
        let (_live, user_id, channel) = self.target()?;
        let mut pos = sys::NET_DVR_PTZPOS {
            wAction: 1,
            wPanPos: pan,
            wTiltPos: tilt,
            wZoomPos: zoom,
        };
        // SAFETY: the input buffer is a live NET_DVR_PTZPOS and its exact size is passed.
        resolve!(self.session.sdk().lib(), NET_DVR_SetDVRConfig).bool(&self.context(), |f| unsafe {
            f(
                user_id,
                sys::NET_DVR_SET_PTZPOS,
                channel,
                (&raw mut pos).cast(),
                size_of::<sys::NET_DVR_PTZPOS>() as u32,
            )
        })
    }
}

/// A PTZ movement in progress; stops the movement when dropped.
#[must_use = "the movement stops as soon as this guard is dropped"]
#[derive(Debug)]
pub struct PtzMove {
    ptz: Ptz,
    motion: Motion,
    speed: u32,
    stopped: bool,
}

impl PtzMove {
    /// The motion.
    pub fn motion(&self) -> Motion {
        self.motion
    }

    /// Stop the movement and report the result (dropping the guard stops it too, ignoring
    /// errors).
    ///
    /// # Errors
    /// The SDK's code.
    #[doc(alias = "NET_DVR_PTZControlWithSpeed_Other")]
    pub fn stop(mut self) -> Result<()> {
        self.stopped = true;
        self.ptz.control(self.motion, true, self.speed)
    }
}

impl Drop for PtzMove {
    fn drop(&mut self) {
        if !self.stopped {
            // The failure is logged by the call layer.
            let _ = self.ptz.control(self.motion, true, self.speed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_tenths_round_trip() {
        assert_eq!(to_bcd_tenths(1234), 0x1234);
        assert_eq!(from_bcd_tenths(0x1234), 123.4);
        assert_eq!(from_bcd_tenths(0x3599), 359.9);
        let p = PtzPosition {
            pan: 123.4,
            tilt: 45.0,
            zoom: 2.5,
        };
        assert_eq!(p.to_raw().unwrap(), (0x1234, 0x0450, 0x0025));
        assert_eq!(PtzPosition::from_raw(0x1234, 0x0450, 0x0025), p);
    }

    #[test]
    fn out_of_range_positions_are_rejected() {
        for bad in [
            PtzPosition {
                pan: 360.0,
                tilt: 0.0,
                zoom: 1.0,
            },
            PtzPosition {
                pan: -0.1,
                tilt: 0.0,
                zoom: 1.0,
            },
            PtzPosition {
                pan: f32::NAN,
                tilt: 0.0,
                zoom: 1.0,
            },
            PtzPosition {
                pan: 0.0,
                tilt: 0.0,
                zoom: 1000.0,
            },
        ] {
            let e = bad.to_raw().unwrap_err();
            assert_eq!(e.raw_code(), None);
            assert!(!e.remediation().is_empty());
        }
        // 999.96x rounds to 1000.0x, beyond the field: the largest zoom, never 0.
        assert_eq!(
            PtzPosition {
                pan: 0.0,
                tilt: 359.96,
                zoom: 999.96
            }
            .to_raw()
            .unwrap(),
            (0, 0, 0x9999)
        );
        // 359.96 rounds to 360.0, which wraps to 0.
        assert_eq!(
            PtzPosition {
                pan: 359.96,
                tilt: 0.0,
                zoom: 1.0
            }
            .to_raw()
            .unwrap()
            .0,
            0
        );
    }

    #[test]
    fn argument_checks() {
        assert!(check_speed(0).is_err() && check_speed(8).is_err());
        assert_eq!(check_speed(7).unwrap(), 7);
        assert!(check_preset(0).is_err() && check_preset(256).is_err());
        assert_eq!(check_preset(255).unwrap(), 255);
        assert!(check_route(0).is_err() && check_route(33).is_err());
        assert!(check_point(0).is_err() && check_point(33).is_err());
    }
}
