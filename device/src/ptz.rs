//! Pan/tilt/zoom simulation.
//!
//! Position: pan 0..360° (wraps), tilt 0..90°, zoom 1.0..`max_zoom`. A start command
//! (`dwStop` 0) moves the position at a rate set by the speed (1-7; PTZControl without a
//! speed uses 4) until the matching stop (`dwStop` 1) or any other PTZ action: pan 10°/s per
//! speed step, tilt 5°/s per step, zoom 0.5x/s per step. The position is computed when read,
//! so it moves "while the command runs" without a thread.
//!
//! Presets 1..=255 store a position (SET), forget it (CLE), move to it (GOTO; an unset
//! preset gives 29). Cruise routes 1..=32 hold up to 32 points (preset, dwell s, speed); RUN
//! visits the points in turn, dwelling at each; an empty route gives 29. NET_DVR_GET_PTZPOS /
//! SET_PTZPOS use the SDK's encoding: each hex digit is a decimal digit of tenths of a
//! degree (123.4° = 0x1234; zoom 2.5x = 0x25).

use std::time::Instant;

use crate::DeviceError;

/// Result of a PTZ rule.
type Res<T> = Result<T, DeviceError>;

/// The HCNetSDK's PTZ command codes (`dwPTZCommand` of PTZControl, PTZPreset, PTZCruise and
/// PTZTrack), with the SDK's names and values; the mock checks them against hcnetsdk-sys.
#[allow(missing_docs)]
pub mod cmd {
    pub const LIGHT_PWRON: u32 = 2;
    pub const WIPER_PWRON: u32 = 3;
    pub const FAN_PWRON: u32 = 4;
    pub const HEATER_PWRON: u32 = 5;
    pub const AUX_PWRON1: u32 = 6;
    pub const AUX_PWRON2: u32 = 7;
    pub const ZOOM_IN: u32 = 11;
    pub const ZOOM_OUT: u32 = 12;
    pub const FOCUS_NEAR: u32 = 13;
    pub const FOCUS_FAR: u32 = 14;
    pub const IRIS_OPEN: u32 = 15;
    pub const IRIS_CLOSE: u32 = 16;
    pub const TILT_UP: u32 = 21;
    pub const TILT_DOWN: u32 = 22;
    pub const PAN_LEFT: u32 = 23;
    pub const PAN_RIGHT: u32 = 24;
    pub const UP_LEFT: u32 = 25;
    pub const UP_RIGHT: u32 = 26;
    pub const DOWN_LEFT: u32 = 27;
    pub const DOWN_RIGHT: u32 = 28;
    pub const PAN_AUTO: u32 = 29;
    pub const PAN_CIRCLE: u32 = 50;
    pub const DRAG_PTZ: u32 = 51;
    pub const LINEAR_SCAN: u32 = 52;
    pub const POPUP_MENU: u32 = 56;
    pub const TILT_DOWN_ZOOM_IN: u32 = 58;
    pub const TILT_DOWN_ZOOM_OUT: u32 = 59;
    pub const PAN_LEFT_ZOOM_IN: u32 = 60;
    pub const PAN_LEFT_ZOOM_OUT: u32 = 61;
    pub const PAN_RIGHT_ZOOM_IN: u32 = 62;
    pub const PAN_RIGHT_ZOOM_OUT: u32 = 63;
    pub const UP_LEFT_ZOOM_IN: u32 = 64;
    pub const UP_LEFT_ZOOM_OUT: u32 = 65;
    pub const UP_RIGHT_ZOOM_IN: u32 = 66;
    pub const UP_RIGHT_ZOOM_OUT: u32 = 67;
    pub const DOWN_LEFT_ZOOM_IN: u32 = 68;
    pub const DOWN_LEFT_ZOOM_OUT: u32 = 69;
    pub const DOWN_RIGHT_ZOOM_IN: u32 = 70;
    pub const DOWN_RIGHT_ZOOM_OUT: u32 = 71;
    pub const TILT_UP_ZOOM_IN: u32 = 72;
    pub const TILT_UP_ZOOM_OUT: u32 = 73;
    pub const SET_PRESET: u32 = 8;
    pub const CLE_PRESET: u32 = 9;
    pub const GOTO_PRESET: u32 = 39;
    pub const CLE_ALL_PRESET: u32 = 53;
    pub const FILL_PRE_SEQ: u32 = 30;
    pub const SET_SEQ_DWELL: u32 = 31;
    pub const SET_SEQ_SPEED: u32 = 32;
    pub const CLE_PRE_SEQ: u32 = 33;
    pub const RUN_SEQ: u32 = 37;
    pub const STOP_SEQ: u32 = 38;
    pub const SET_SEQ_START: u32 = 41;
    pub const SET_SEQ_END: u32 = 42;
    pub const DEL_SEQ: u32 = 43;
    pub const CLE_ALL_SEQ: u32 = 54;
    pub const STA_MEM_CRUISE: u32 = 34;
    pub const STO_MEM_CRUISE: u32 = 35;
    pub const RUN_CRUISE: u32 = 36;
    pub const STOP_CRUISE: u32 = 44;
    pub const DELETE_CRUISE: u32 = 45;
    pub const DELETE_ALL_CRUISE: u32 = 46;
    pub const CLE_ALL_CRUISE: u32 = 55;
}

/// A position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pos {
    pub pan: f64,
    pub tilt: f64,
    pub zoom: f64,
}

#[derive(Debug, Clone, Copy)]
struct Motion {
    dpan: f64,
    dtilt: f64,
    dzoom: f64,
    since: Instant,
    from: Pos,
}

#[derive(Debug, Clone, Copy, Default)]
struct CruisePoint {
    preset: u16,
    dwell_s: u16,
    speed: u16,
}

/// One channel's PTZ state.
#[derive(Debug, Clone)]
pub struct PtzState {
    base: Pos,
    motion: Option<Motion>,
    presets: Vec<Option<Pos>>,
    routes: Vec<Vec<CruisePoint>>,
    cruise: Option<(usize, Instant)>,
    max_zoom: f64,
}

/// Every PTZControl command the SDK defines (constants.csv, "ptz control command").
const CONTROL_COMMANDS: &[u32] = &[
    2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 50, 51, 52, 56,
    58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73,
];

/// Whether `cmd` is a PTZControl command.
pub fn is_control_command(cmd: u32) -> bool {
    CONTROL_COMMANDS.contains(&cmd)
}

/// (pan, tilt, zoom) direction of a control command.
fn direction(cmd: u32) -> (f64, f64, f64) {
    use self::cmd as s;
    let (p, t, z) = match cmd {
        s::TILT_UP => (0, 1, 0),
        s::TILT_DOWN => (0, -1, 0),
        s::PAN_LEFT => (-1, 0, 0),
        s::PAN_RIGHT => (1, 0, 0),
        s::UP_LEFT => (-1, 1, 0),
        s::UP_RIGHT => (1, 1, 0),
        s::DOWN_LEFT => (-1, -1, 0),
        s::DOWN_RIGHT => (1, -1, 0),
        s::PAN_AUTO => (1, 0, 0),
        s::ZOOM_IN => (0, 0, 1),
        s::ZOOM_OUT => (0, 0, -1),
        s::TILT_DOWN_ZOOM_IN => (0, -1, 1),
        s::TILT_DOWN_ZOOM_OUT => (0, -1, -1),
        s::PAN_LEFT_ZOOM_IN => (-1, 0, 1),
        s::PAN_LEFT_ZOOM_OUT => (-1, 0, -1),
        s::PAN_RIGHT_ZOOM_IN => (1, 0, 1),
        s::PAN_RIGHT_ZOOM_OUT => (1, 0, -1),
        s::UP_LEFT_ZOOM_IN => (-1, 1, 1),
        s::UP_LEFT_ZOOM_OUT => (-1, 1, -1),
        s::UP_RIGHT_ZOOM_IN => (1, 1, 1),
        s::UP_RIGHT_ZOOM_OUT => (1, 1, -1),
        s::DOWN_LEFT_ZOOM_IN => (-1, -1, 1),
        s::DOWN_LEFT_ZOOM_OUT => (-1, -1, -1),
        s::DOWN_RIGHT_ZOOM_IN => (1, -1, 1),
        s::DOWN_RIGHT_ZOOM_OUT => (1, -1, -1),
        s::TILT_UP_ZOOM_IN => (0, 1, 1),
        s::TILT_UP_ZOOM_OUT => (0, 1, -1),
        _ => (0, 0, 0), // lights, wiper, focus, iris, menus: no position change
    };
    (f64::from(p), f64::from(t), f64::from(z))
}

impl PtzState {
    /// Home position: pan 0, tilt 0, zoom 1x.
    pub fn new(max_zoom: f64) -> Self {
        PtzState {
            base: Pos {
                pan: 0.0,
                tilt: 0.0,
                zoom: 1.0,
            },
            motion: None,
            presets: vec![None; 256],
            routes: vec![Vec::new(); 33],
            cruise: None,
            max_zoom,
        }
    }

    fn clamp(&self, p: Pos) -> Pos {
        Pos {
            pan: p.pan.rem_euclid(360.0),
            tilt: p.tilt.clamp(0.0, 90.0),
            zoom: p.zoom.clamp(1.0, self.max_zoom),
        }
    }

    /// Where the head is now.
    pub fn position(&self) -> Pos {
        if let Some(m) = &self.motion {
            let t = m.since.elapsed().as_secs_f64();
            return self.clamp(Pos {
                pan: m.from.pan + m.dpan * t,
                tilt: m.from.tilt + m.dtilt * t,
                zoom: m.from.zoom + m.dzoom * t,
            });
        }
        if let Some((route, since)) = self.cruise {
            let points = &self.routes[route];
            let dwell: Vec<f64> = points.iter().map(|p| f64::from(p.dwell_s.max(1))).collect();
            let cycle: f64 = dwell.iter().sum();
            let mut t = since.elapsed().as_secs_f64() % cycle;
            for (p, d) in points.iter().zip(&dwell) {
                if t < *d {
                    return self.presets[usize::from(p.preset)].unwrap_or(self.base);
                }
                t -= d;
            }
        }
        self.base
    }

    fn freeze(&mut self) {
        self.base = self.position();
        self.motion = None;
        self.cruise = None;
    }

    /// A control command with a speed (already checked to be 1..=7).
    pub fn control(&mut self, cmd: u32, stop: bool, speed: u32) {
        self.freeze();
        if stop {
            return;
        }
        let (p, t, z) = direction(cmd);
        let s = f64::from(speed);
        if p != 0.0 || t != 0.0 || z != 0.0 {
            self.motion = Some(Motion {
                dpan: p * 10.0 * s,
                dtilt: t * 5.0 * s,
                dzoom: z * 0.5 * s,
                since: Instant::now(),
                from: self.base,
            });
        }
    }

    /// ISAPI `continuous`: pan, tilt and zoom speeds of -100..=100 each (all 0 stops);
    /// 100 moves as fast as the classic speed 7.
    pub fn continuous(&mut self, pan: i32, tilt: i32, zoom: i32) {
        self.freeze();
        if (pan, tilt, zoom) == (0, 0, 0) {
            return;
        }
        let step = |v: i32| f64::from(v) * 7.0 / 100.0;
        self.motion = Some(Motion {
            dpan: step(pan) * 10.0,
            dtilt: step(tilt) * 5.0,
            dzoom: step(zoom) * 0.5,
            since: Instant::now(),
            from: self.base,
        });
    }

    /// SET_PRESET / CLE_PRESET / GOTO_PRESET / CLE_ALL_PRESET with index 1..=255.
    pub fn preset(&mut self, cmd: u32, index: u32) -> Res<()> {
        let i = index as usize;
        match cmd {
            cmd::SET_PRESET => {
                self.presets[i] = Some(self.position());
            }
            cmd::CLE_PRESET => {
                self.presets[i] = None;
            }
            cmd::GOTO_PRESET => {
                let target = self.presets[i].ok_or(DeviceError::OperationFailed)?;
                self.motion = None;
                self.cruise = None;
                self.base = target;
            }
            cmd::CLE_ALL_PRESET => {
                self.presets.iter_mut().for_each(|p| *p = None);
            }
            _ => return Err(DeviceError::BadParameter),
        }
        Ok(())
    }

    /// NET_DVR_PTZCruise commands (route 1..=32, point 1..=32 checked by the caller for the
    /// commands that use them).
    pub fn cruise(&mut self, cmd: u32, route: u8, point: u8, input: u16) -> Res<()> {
        use self::cmd as s;
        let r = usize::from(route);
        let pt = usize::from(point);
        let bad = || DeviceError::BadParameter;
        let needs_point = matches!(
            cmd,
            s::FILL_PRE_SEQ | s::SET_SEQ_DWELL | s::SET_SEQ_SPEED | s::CLE_PRE_SEQ
        );
        if cmd != s::CLE_ALL_SEQ && !(1..=32).contains(&r) {
            return Err(bad());
        }
        if needs_point && !(1..=32).contains(&pt) {
            return Err(bad());
        }
        let ensure = |v: &mut Vec<CruisePoint>, pt: usize| {
            if v.len() < pt {
                v.resize(
                    pt,
                    CruisePoint {
                        preset: 0,
                        dwell_s: 2,
                        speed: 20,
                    },
                );
            }
        };
        match cmd {
            s::FILL_PRE_SEQ => {
                if !(1..=255).contains(&input) {
                    return Err(bad());
                }
                ensure(&mut self.routes[r], pt);
                self.routes[r][pt - 1].preset = input;
            }
            s::SET_SEQ_DWELL => {
                if !(1..=255).contains(&input) {
                    return Err(bad());
                }
                ensure(&mut self.routes[r], pt);
                self.routes[r][pt - 1].dwell_s = input;
            }
            s::SET_SEQ_SPEED => {
                if !(1..=40).contains(&input) {
                    return Err(bad());
                }
                ensure(&mut self.routes[r], pt);
                self.routes[r][pt - 1].speed = input;
            }
            s::CLE_PRE_SEQ => {
                if pt <= self.routes[r].len() {
                    self.routes[r].remove(pt - 1);
                }
            }
            s::RUN_SEQ => {
                let usable = self.routes[r]
                    .iter()
                    .any(|p| p.preset > 0 && self.presets[usize::from(p.preset)].is_some());
                if !usable {
                    return Err(DeviceError::OperationFailed);
                }
                self.routes[r].retain(|p| p.preset > 0);
                self.freeze();
                self.cruise = Some((r, Instant::now()));
            }
            s::STOP_SEQ => {
                self.freeze();
            }
            s::SET_SEQ_START | s::SET_SEQ_END => {}
            s::DEL_SEQ => self.routes[r].clear(),
            s::CLE_ALL_SEQ => self.routes.iter_mut().for_each(Vec::clear),
            _ => return Err(bad()),
        }
        Ok(())
    }

    /// Whether a cruise is running (for tests through GET_PTZPOS changes).
    pub fn track(&mut self, cmd: u32) -> Res<()> {
        use self::cmd as s;
        match cmd {
            s::STA_MEM_CRUISE
            | s::STO_MEM_CRUISE
            | s::DELETE_CRUISE
            | s::DELETE_ALL_CRUISE
            | s::CLE_ALL_CRUISE => Ok(()),
            s::RUN_CRUISE | s::STOP_CRUISE => {
                self.freeze();
                Ok(())
            }
            _ => Err(DeviceError::BadParameter),
        }
    }

    /// Move straight to a position (SET_PTZPOS); `which` = wAction 1..=5.
    pub fn set_position(&mut self, which: u16, target: Pos) {
        self.freeze();
        let mut p = self.base;
        match which {
            1 => p = target,
            2 => {
                p.pan = target.pan;
                p.tilt = target.tilt;
            }
            3 => p.zoom = target.zoom,
            4 => p.pan = target.pan,
            5 => p.tilt = target.tilt,
            _ => {}
        }
        self.base = self.clamp(p);
    }

    pub fn max_zoom(&self) -> f64 {
        self.max_zoom
    }
}

/// Tenths of a unit as hex digits (123.4 -> 0x1234); values are clamped to 0..=999.9.
pub fn encode(value: f64) -> u16 {
    let tenths = (value * 10.0).round().clamp(0.0, 9999.0) as u16;
    let mut out = 0u16;
    let mut t = tenths;
    for shift in 0..4 {
        out |= (t % 10) << (4 * shift);
        t /= 10;
    }
    out
}

/// The inverse of [`encode`]; `None` if a digit is not 0-9.
pub fn decode(word: u16) -> Option<f64> {
    let mut tenths = 0u32;
    for shift in (0..4).rev() {
        let d = u32::from((word >> (4 * shift)) & 0xF);
        if d > 9 {
            return None;
        }
        tenths = tenths * 10 + d;
    }
    Some(f64::from(tenths) / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digit_tenths() {
        assert_eq!(encode(123.4), 0x1234);
        assert_eq!(encode(2.5), 0x25);
        assert_eq!(decode(0x1234), Some(123.4));
        assert_eq!(decode(0x12A4), None);
    }

    #[test]
    fn motion_and_presets() {
        let mut s = PtzState::new(25.0);
        s.control(cmd::PAN_RIGHT, false, 7);
        std::thread::sleep(std::time::Duration::from_millis(100));
        s.control(cmd::PAN_RIGHT, true, 7);
        let p = s.position();
        assert!(p.pan > 3.0 && p.pan < 40.0, "{p:?}");
        s.preset(cmd::SET_PRESET, 3).unwrap();
        s.set_position(
            1,
            Pos {
                pan: 10.0,
                tilt: 10.0,
                zoom: 2.0,
            },
        );
        s.preset(cmd::GOTO_PRESET, 3).unwrap();
        assert_eq!(s.position(), p);
        assert_eq!(
            s.preset(cmd::GOTO_PRESET, 4),
            Err(DeviceError::OperationFailed)
        );
    }
}
