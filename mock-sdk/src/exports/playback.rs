//! Playback: PlayBackByTime_V40 / PlayBackByName, the data callback, controls on playback
//! handles, position and stop (`crate::playback`). Handles that are not playbacks fail as
//! before: 12, or 12 only on a fresh last error for StopPlayBack.
//!
//! The argument checks and their order are the real SDK's as measured by the conformance
//! suite (`playback_*` cases): a NULL condition or name 17, then a malformed range or name
//! 17, then the user ID (17 out of range, 47 unused), all before the device is asked.

use std::ffi::{c_char, c_int, c_void};

use hcnetsdk_sys::*;

use super::{get, p17, put};
use crate::errors::ORDER_ERROR;
use crate::ffi::{Fail, Res, STD, UserPtr, c_str, call};
use crate::playback::{self, Answer, Control, Source};
use crate::preview::DataCb;
use crate::registry;

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByTime_V40(
    lUserID: LONG,
    pVodPara: *const NET_DVR_VOD_PARA,
) -> LONG {
    call("NET_DVR_PlayBackByTime_V40", -1, STD, || -> Res<LONG> {
        if pVodPara.is_null() {
            return Err(p17());
        }
        // SAFETY: the caller's NET_DVR_VOD_PARA (checked non-NULL); only plain fields are
        // read, without copying the struct (it holds a window handle).
        let (channel, begin, end) = unsafe {
            let v = &raw const *pVodPara;
            (
                (&raw const (*v).struIDInfo.dwChannel).read_unaligned(),
                (&raw const (*v).struBeginTime).read_unaligned(),
                (&raw const (*v).struEndTime).read_unaligned(),
            )
        };
        // The real SDK checks the range before the user ID (17 even for an unused ID).
        playback::check_range(&begin, &end)?;
        let s = registry::user(lUserID)?;
        let source = Source::Time {
            channel: i32::try_from(channel).map_err(|_| p17())?,
            from: playback::civil(&begin)?,
            to: playback::civil(&end)?,
        };
        playback::start(s, source)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_PlayBackByName(
    lUserID: LONG,
    sPlayBackFileName: *mut c_char,
    _hWnd: HWND,
) -> LONG {
    call("NET_DVR_PlayBackByName", -1, STD, || -> Res<LONG> {
        // SAFETY: NULL or a NUL-terminated file name.
        let name = unsafe { c_str(sPlayBackFileName) }.ok_or_else(p17)?;
        // The real SDK checks the name before the user ID (17 even for an unused ID).
        playback::check_name(name.to_bytes())?;
        let name = name.to_string_lossy().into_owned();
        let s = registry::user(lUserID)?;
        playback::start(s, Source::Name(name))
    })
}

/// `NET_DVR_PlayBackControl_V40` on a playback handle; `None` when `handle` is not one (the
/// export then treats it as before).
///
/// # Safety
/// The buffers are NULL or valid for the sizes the control code implies (a DWORD for
/// SETPOS/GETPOS, a NET_DVR_TIME for SETTIME/GETTIME), as the SDK's contract requires.
pub(super) unsafe fn control(
    handle: LONG,
    code: DWORD,
    input: LPVOID,
    output: LPVOID,
    out_len: *mut DWORD,
) -> Option<Res<BOOL>> {
    let p = playback::find(handle)?;
    let run = || -> Res<BOOL> {
        let control = match code {
            NET_DVR_PLAYSTART => Control::Start,
            NET_DVR_PLAYPAUSE => Control::Pause,
            NET_DVR_PLAYRESTART => Control::Resume,
            NET_DVR_PLAYFAST => Control::Fast,
            NET_DVR_PLAYSLOW => Control::Slow,
            NET_DVR_PLAYNORMAL => Control::Normal,
            NET_DVR_PLAYSTARTAUDIO => Control::Audio(true),
            NET_DVR_PLAYSTOPAUDIO => Control::Audio(false),
            // SAFETY: NULL or a DWORD, per the caller's contract.
            NET_DVR_PLAYSETPOS => Control::SetPos(unsafe { get(input.cast::<DWORD>()) }?),
            NET_DVR_PLAYSETTIME => {
                // SAFETY: NULL or a NET_DVR_TIME, per the caller's contract.
                let t = unsafe { get(input.cast::<NET_DVR_TIME>()) }?;
                Control::SetTime(playback::civil(&t)?)
            }
            NET_DVR_PLAYGETPOS => Control::GetPos,
            NET_DVR_PLAYGETTIME => Control::GetTime,
            _ => Control::Other,
        };
        match playback::control(&p, control)? {
            Answer::Done => {}
            Answer::Pos(pos) => {
                // SAFETY: NULL or a DWORD to write, per the caller's contract.
                unsafe { put(output.cast::<DWORD>(), pos) }?;
                // SAFETY: NULL or a DWORD to write.
                unsafe { super::put_opt(out_len, 4) };
            }
            Answer::Time(t) => {
                let size = std::mem::size_of::<NET_DVR_TIME>() as DWORD;
                // SAFETY: NULL or a NET_DVR_TIME to write, per the caller's contract.
                unsafe { put(output.cast::<NET_DVR_TIME>(), playback::sdk_time(t)) }?;
                // SAFETY: NULL or a DWORD to write.
                unsafe { super::put_opt(out_len, size) };
            }
        }
        Ok(TRUE)
    };
    Some(run())
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetPlayBackPos(lPlayHandle: LONG) -> c_int {
    call("NET_DVR_GetPlayBackPos", -1, STD, || -> Res<c_int> {
        let p = playback::find(lPlayHandle).ok_or(Fail::Code(ORDER_ERROR))?;
        Ok(p.position() as c_int)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetPlayDataCallBack_V40(
    lPlayHandle: LONG,
    fPlayDataCallBack_V40: REALDATACALLBACK,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetPlayDataCallBack_V40",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let p = playback::find(lPlayHandle).ok_or(Fail::Code(ORDER_ERROR))?;
            let cb = if fPlayDataCallBack_V40.is_some() {
                DataCb::Ptr(fPlayDataCallBack_V40, UserPtr(pUser))
            } else {
                DataCb::None
            };
            playback::set_callback(&p, cb);
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopPlayBack(lPlayHandle: LONG) -> BOOL {
    call("NET_DVR_StopPlayBack", FALSE, STD, || -> Res<BOOL> {
        let p = playback::find(lPlayHandle).ok_or(Fail::Soft(ORDER_ERROR))?;
        playback::stop_and_remove(&p);
        Ok(TRUE)
    })
}
