//! PTZ control, presets, cruise and pattern, by preview handle or by user and channel.

use hcnetsdk_sys::*;

use super::{bool_ret, p17};
use crate::ffi::{Fail, Res, STD, call};
use crate::registry::{self, Session};
use crate::{config, preview, ptz};

fn ptz_control(s: &Session, channel: i32, cmd: u32, stop: u32, speed: u32) -> Res<()> {
    if !ptz::is_control_command(cmd) || stop > 1 || !(1..=7).contains(&speed) {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| {
        st.control(cmd, stop == 1, speed);
        Ok::<_, Fail>(())
    })
}

fn ptz_preset(s: &Session, channel: i32, cmd: u32, index: u32) -> Res<()> {
    let known = matches!(cmd, SET_PRESET | CLE_PRESET | GOTO_PRESET | CLE_ALL_PRESET);
    if !known || (cmd != CLE_ALL_PRESET && !(1..=255).contains(&index)) {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.preset(cmd, index))
}

fn ptz_cruise(s: &Session, channel: i32, cmd: u32, route: u8, point: u8, input: u16) -> Res<()> {
    let known = matches!(
        cmd,
        FILL_PRE_SEQ
            | SET_SEQ_DWELL
            | SET_SEQ_SPEED
            | CLE_PRE_SEQ
            | RUN_SEQ
            | STOP_SEQ
            | SET_SEQ_START
            | SET_SEQ_END
            | DEL_SEQ
            | CLE_ALL_SEQ
    );
    if !known {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.cruise(cmd, route, point, input))
}

fn ptz_track(s: &Session, channel: i32, cmd: u32) -> Res<()> {
    let known = matches!(
        cmd,
        STA_MEM_CRUISE
            | STO_MEM_CRUISE
            | RUN_CRUISE
            | STOP_CRUISE
            | DELETE_CRUISE
            | DELETE_ALL_CRUISE
            | CLE_ALL_CRUISE
    );
    if !known {
        return Err(p17());
    }
    config::with_ptz(s, channel, |st| st.track(cmd))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZControl(
    lRealHandle: LONG,
    dwPTZCommand: DWORD,
    dwStop: DWORD,
) -> BOOL {
    call("NET_DVR_PTZControl", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_control(&p.session, p.channel, dwPTZCommand, dwStop, 4))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZControl_Other(
    lUserID: LONG,
    lChannel: LONG,
    dwPTZCommand: DWORD,
    dwStop: DWORD,
) -> BOOL {
    call("NET_DVR_PTZControl_Other", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_control(&s, lChannel, dwPTZCommand, dwStop, 4))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZControlWithSpeed(
    lRealHandle: LONG,
    dwPTZCommand: DWORD,
    dwStop: DWORD,
    dwSpeed: DWORD,
) -> BOOL {
    call(
        "NET_DVR_PTZControlWithSpeed",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let p = preview::get(lRealHandle)?;
            bool_ret(ptz_control(
                &p.session,
                p.channel,
                dwPTZCommand,
                dwStop,
                dwSpeed,
            ))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZControlWithSpeed_Other(
    lUserID: LONG,
    lChannel: LONG,
    dwPTZCommand: DWORD,
    dwStop: DWORD,
    dwSpeed: DWORD,
) -> BOOL {
    call(
        "NET_DVR_PTZControlWithSpeed_Other",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let s = registry::user(lUserID)?;
            bool_ret(ptz_control(&s, lChannel, dwPTZCommand, dwStop, dwSpeed))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZPreset(
    lRealHandle: LONG,
    dwPTZPresetCmd: DWORD,
    dwPresetIndex: DWORD,
) -> BOOL {
    call("NET_DVR_PTZPreset", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_preset(
            &p.session,
            p.channel,
            dwPTZPresetCmd,
            dwPresetIndex,
        ))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZPreset_Other(
    lUserID: LONG,
    lChannel: LONG,
    dwPTZPresetCmd: DWORD,
    dwPresetIndex: DWORD,
) -> BOOL {
    call("NET_DVR_PTZPreset_Other", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_preset(&s, lChannel, dwPTZPresetCmd, dwPresetIndex))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZCruise(
    lRealHandle: LONG,
    dwPTZCruiseCmd: DWORD,
    byCruiseRoute: BYTE,
    byCruisePoint: BYTE,
    wInput: WORD,
) -> BOOL {
    call("NET_DVR_PTZCruise", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_cruise(
            &p.session,
            p.channel,
            dwPTZCruiseCmd,
            byCruiseRoute,
            byCruisePoint,
            wInput,
        ))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZCruise_Other(
    lUserID: LONG,
    lChannel: LONG,
    dwPTZCruiseCmd: DWORD,
    byCruiseRoute: BYTE,
    byCruisePoint: BYTE,
    wInput: WORD,
) -> BOOL {
    call("NET_DVR_PTZCruise_Other", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_cruise(
            &s,
            lChannel,
            dwPTZCruiseCmd,
            byCruiseRoute,
            byCruisePoint,
            wInput,
        ))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZTrack(lRealHandle: LONG, dwPTZTrackCmd: DWORD) -> BOOL {
    call("NET_DVR_PTZTrack", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        bool_ret(ptz_track(&p.session, p.channel, dwPTZTrackCmd))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PTZTrack_Other(
    lUserID: LONG,
    lChannel: LONG,
    dwPTZTrackCmd: DWORD,
) -> BOOL {
    call("NET_DVR_PTZTrack_Other", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        bool_ret(ptz_track(&s, lChannel, dwPTZTrackCmd))
    })
}

#[cfg(test)]
mod tests {
    /// The device model's PTZ command codes are the SDK's (hcnetsdk-sys, from the header).
    #[test]
    fn model_command_codes_are_the_sdks() {
        use hcnetsdk_device::ptz::cmd as m;
        use hcnetsdk_sys as s;
        macro_rules! same {
            ($($n:ident),* $(,)?) => { $( assert_eq!(m::$n, s::$n, stringify!($n)); )* };
        }
        same!(
            LIGHT_PWRON,
            WIPER_PWRON,
            FAN_PWRON,
            HEATER_PWRON,
            AUX_PWRON1,
            AUX_PWRON2,
            ZOOM_IN,
            ZOOM_OUT,
            FOCUS_NEAR,
            FOCUS_FAR,
            IRIS_OPEN,
            IRIS_CLOSE,
            TILT_UP,
            TILT_DOWN,
            PAN_LEFT,
            PAN_RIGHT,
            UP_LEFT,
            UP_RIGHT,
            DOWN_LEFT,
            DOWN_RIGHT,
            PAN_AUTO,
            PAN_CIRCLE,
            DRAG_PTZ,
            LINEAR_SCAN,
            POPUP_MENU,
            TILT_DOWN_ZOOM_IN,
            TILT_DOWN_ZOOM_OUT,
            PAN_LEFT_ZOOM_IN,
            PAN_LEFT_ZOOM_OUT,
            PAN_RIGHT_ZOOM_IN,
            PAN_RIGHT_ZOOM_OUT,
            UP_LEFT_ZOOM_IN,
            UP_LEFT_ZOOM_OUT,
            UP_RIGHT_ZOOM_IN,
            UP_RIGHT_ZOOM_OUT,
            DOWN_LEFT_ZOOM_IN,
            DOWN_LEFT_ZOOM_OUT,
            DOWN_RIGHT_ZOOM_IN,
            DOWN_RIGHT_ZOOM_OUT,
            TILT_UP_ZOOM_IN,
            TILT_UP_ZOOM_OUT,
            SET_PRESET,
            CLE_PRESET,
            GOTO_PRESET,
            CLE_ALL_PRESET,
            FILL_PRE_SEQ,
            SET_SEQ_DWELL,
            SET_SEQ_SPEED,
            CLE_PRE_SEQ,
            RUN_SEQ,
            STOP_SEQ,
            SET_SEQ_START,
            SET_SEQ_END,
            DEL_SEQ,
            CLE_ALL_SEQ,
            STA_MEM_CRUISE,
            STO_MEM_CRUISE,
            RUN_CRUISE,
            STOP_CRUISE,
            DELETE_CRUISE,
            DELETE_ALL_CRUISE,
            CLE_ALL_CRUISE,
        );
    }
}
