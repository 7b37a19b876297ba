//! Live preview: RealPlay_V40, its callbacks, saving, key frames.

use std::ffi::{c_char, c_void};

use hcnetsdk_sys::*;

use super::{bool_ret, get, p17, text};
use crate::errors::{NOSUPPORT, ORDER_ERROR};
use crate::ffi::{Fail, Res, STD, UserPtr, call};
use crate::preview::{self, DataCb, PreviewInfo};
use crate::{config, registry};

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_RealPlay_V40(
    lUserID: LONG,
    lpPreviewInfo: LPNET_DVR_PREVIEWINFO,
    fRealDataCallBack_V30: REALDATACALLBACK,
    pUser: *mut c_void,
) -> LONG {
    call("NET_DVR_RealPlay_V40", -1, STD, || -> Res<LONG> {
        if lpPreviewInfo.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        // SAFETY: the caller's NET_DVR_PREVIEWINFO (checked non-NULL), copied whole with an
        // unaligned read.
        let info = PreviewInfo::from_c(unsafe { get(lpPreviewInfo.cast_const()) }?);
        let cb = DataCb::Ptr(fRealDataCallBack_V30, UserPtr(pUser));
        preview::start(s, info, cb)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopRealPlay(lRealHandle: LONG) -> BOOL {
    call("NET_DVR_StopRealPlay", FALSE, STD, || -> Res<BOOL> {
        let p = preview::find(lRealHandle).ok_or(Fail::Soft(ORDER_ERROR))?;
        preview::stop_and_remove(&p);
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetRealDataCallBack(
    lRealHandle: LONG,
    fRealDataCallBack: REALDATACALLBACK_DWUSER,
    dwUser: DWORD,
) -> BOOL {
    call(
        "NET_DVR_SetRealDataCallBack",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let p = preview::get(lRealHandle)?;
            let cb = if fRealDataCallBack.is_some() {
                DataCb::Dw(fRealDataCallBack, dwUser)
            } else {
                DataCb::None
            };
            preview::set_callback(&p, cb);
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetRealDataCallBackEx(
    lRealHandle: LONG,
    fRealDataCallBack: REALDATACALLBACK,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetRealDataCallBackEx",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let p = preview::get(lRealHandle)?;
            let cb = if fRealDataCallBack.is_some() {
                DataCb::Ptr(fRealDataCallBack, UserPtr(pUser))
            } else {
                DataCb::None
            };
            preview::set_callback(&p, cb);
            Ok(TRUE)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetStandardDataCallBack(
    lRealHandle: LONG,
    fStdDataCallBack: REALDATACALLBACK_DWUSER,
    dwUser: DWORD,
) -> BOOL {
    call(
        "NET_DVR_SetStandardDataCallBack",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (fStdDataCallBack, dwUser);
            preview::get(lRealHandle)?;
            Err(Fail::Code(NOSUPPORT))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetStandardDataCallBackEx(
    lRealHandle: LONG,
    fStdDataCallBack: REALDATACALLBACK,
    pUser: *mut c_void,
) -> BOOL {
    call(
        "NET_DVR_SetStandardDataCallBackEx",
        FALSE,
        STD,
        || -> Res<BOOL> {
            let _ = (fStdDataCallBack, pUser);
            preview::get(lRealHandle)?;
            Err(Fail::Code(NOSUPPORT))
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SaveRealData(
    lRealHandle: LONG,
    sFileName: *mut c_char,
) -> BOOL {
    call("NET_DVR_SaveRealData", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sFileName) }?;
        bool_ret(preview::save(&p, &path))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SaveRealData_V30(
    lRealHandle: LONG,
    dwTransType: DWORD,
    sFileName: *mut c_char,
) -> BOOL {
    call("NET_DVR_SaveRealData_V30", FALSE, STD, || -> Res<BOOL> {
        let _ = dwTransType;
        let p = preview::get(lRealHandle)?;
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sFileName) }?;
        bool_ret(preview::save(&p, &path))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_StopSaveRealData(lRealHandle: LONG) -> BOOL {
    call("NET_DVR_StopSaveRealData", FALSE, STD, || -> Res<BOOL> {
        let p = preview::get(lRealHandle)?;
        bool_ret(preview::stop_save(&p))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_MakeKeyFrame(lUserID: LONG, lChannel: LONG) -> BOOL {
    call("NET_DVR_MakeKeyFrame", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        config::snapshot(&s, lChannel).map(|_| TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_MakeKeyFrameSub(lUserID: LONG, lChannel: LONG) -> BOOL {
    call("NET_DVR_MakeKeyFrameSub", FALSE, STD, || -> Res<BOOL> {
        let s = registry::user(lUserID)?;
        config::snapshot(&s, lChannel).map(|_| TRUE)
    })
}
