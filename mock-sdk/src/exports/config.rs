//! Device configuration (GetDVRConfig, SetDVRConfig) and snapshots.

use std::ffi::c_char;

use hcnetsdk_sys::*;

use super::{bool_ret, get, p17, put, put_opt, text};
use crate::errors::{NOENOUGH_BUF, NOSUPPORT};
use crate::ffi::{Fail, Res, STD, call};
use crate::{config, registry};

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetDVRConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    lChannel: LONG,
    lpOutBuffer: LPVOID,
    dwOutBufferSize: DWORD,
    lpBytesReturned: LPDWORD,
) -> BOOL {
    call("NET_DVR_GetDVRConfig", FALSE, STD, || -> Res<BOOL> {
        if lpOutBuffer.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        let size = dwOutBufferSize as usize;
        let written = match dwCommand {
            NET_DVR_GET_DEVICECFG_V40 => {
                config::classic_only(&s)?;
                s.device.reach()?;
                if size < size_of::<NET_DVR_DEVICECFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                unsafe { put(lpOutBuffer.cast(), config::device_cfg_v40(&s.device)) }?;
                size_of::<NET_DVR_DEVICECFG_V40>()
            }
            NET_DVR_GET_IPPARACFG_V40 => {
                s.device.reach()?;
                let cfg = config::ip_para_cfg_v40(&s.device)?;
                if size < size_of::<NET_DVR_IPPARACFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size; `cfg` is a whole struct.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        (&*cfg as *const NET_DVR_IPPARACFG_V40).cast::<u8>(),
                        lpOutBuffer.cast::<u8>(),
                        size_of::<NET_DVR_IPPARACFG_V40>(),
                    )
                };
                size_of::<NET_DVR_IPPARACFG_V40>()
            }
            NET_DVR_GET_TIMECFG => {
                let t = config::get_time_cfg(&s)?;
                // SAFETY: the caller's buffer of `size` bytes.
                unsafe { answer(lpOutBuffer, size, t) }?
            }
            NET_DVR_GET_ZONEANDDST => {
                let z = config::get_zone_and_dst(&s)?;
                // SAFETY: the caller's buffer of `size` bytes.
                unsafe { answer(lpOutBuffer, size, z) }?
            }
            NET_DVR_GET_NTPCFG | NET_DVR_GET_NETCFG_V50 | NET_DVR_GET_COMPRESSCFG_V30 => {
                // SAFETY: the caller's buffer of `size` bytes.
                unsafe { get_settings(&s, dwCommand, lChannel, lpOutBuffer, size) }?
            }
            NET_DVR_GET_PTZPOS => {
                if size < size_of::<NET_DVR_PTZPOS>() {
                    return Err(p17());
                }
                let pos = config::get_ptz_pos(&s, lChannel)?;
                // SAFETY: the caller's buffer of at least this size.
                unsafe { put(lpOutBuffer.cast(), pos) }?;
                size_of::<NET_DVR_PTZPOS>()
            }
            _ => {
                s.device.reach()?;
                return Err(Fail::Code(NOSUPPORT));
            }
        };
        // SAFETY: NULL or the caller's DWORD.
        unsafe { put_opt(lpBytesReturned, written as DWORD) };
        Ok(TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_SetDVRConfig(
    lUserID: LONG,
    dwCommand: DWORD,
    lChannel: LONG,
    lpInBuffer: LPVOID,
    dwInBufferSize: DWORD,
) -> BOOL {
    call("NET_DVR_SetDVRConfig", FALSE, STD, || -> Res<BOOL> {
        if lpInBuffer.is_null() {
            return Err(p17());
        }
        let s = registry::user(lUserID)?;
        let size = dwInBufferSize as usize;
        match dwCommand {
            NET_DVR_SET_PTZPOS => {
                if size < size_of::<NET_DVR_PTZPOS>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                let pos: NET_DVR_PTZPOS = unsafe { get(lpInBuffer.cast_const().cast()) }?;
                bool_ret(config::set_ptz_pos(&s, lChannel, &pos))
            }
            NET_DVR_SET_TIMECFG => {
                // SAFETY: the caller's buffer of `size` bytes.
                let t = unsafe { taken(lpInBuffer, size) }?;
                bool_ret(config::set_time_cfg(&s, &t))
            }
            NET_DVR_SET_ZONEANDDST => {
                // SAFETY: the caller's buffer of `size` bytes.
                let z = unsafe { taken(lpInBuffer, size) }?;
                bool_ret(config::set_zone_and_dst(&s, &z))
            }
            NET_DVR_SET_NTPCFG | NET_DVR_SET_NETCFG_V50 | NET_DVR_SET_COMPRESSCFG_V30 => {
                // SAFETY: the caller's buffer of `size` bytes.
                bool_ret(unsafe { set_settings(&s, dwCommand, lChannel, lpInBuffer, size) })
            }
            NET_DVR_SET_DEVICECFG_V40 => {
                s.device.reach()?;
                if size < size_of::<NET_DVR_DEVICECFG_V40>() {
                    return Err(p17());
                }
                // SAFETY: the caller's buffer of at least this size.
                let cfg: NET_DVR_DEVICECFG_V40 = unsafe { get(lpInBuffer.cast_const().cast()) }?;
                bool_ret(config::set_device_cfg_v40(&s, &cfg))
            }
            _ => {
                s.device.reach()?;
                Err(Fail::Code(NOSUPPORT))
            }
        }
    })
}

/// `GetDVRConfig` of the model's settings (NTP, network, compression): the bytes written.
///
/// # Safety
/// `buf` is valid for writing `size` bytes.
unsafe fn get_settings(
    s: &registry::Session,
    command: DWORD,
    channel: LONG,
    buf: LPVOID,
    size: usize,
) -> Res<usize> {
    match command {
        NET_DVR_GET_NTPCFG => {
            let p = config::get_ntp_cfg(s)?;
            // SAFETY: the caller's buffer of `size` bytes.
            unsafe { answer(buf, size, p) }
        }
        NET_DVR_GET_NETCFG_V50 => {
            let c = config::get_net_cfg_v50(s)?;
            // SAFETY: the caller's buffer of `size` bytes.
            unsafe { answer(buf, size, *c) }
        }
        _ => {
            let c = config::get_compress_cfg_v30(s, channel)?;
            // SAFETY: the caller's buffer of `size` bytes.
            unsafe { answer(buf, size, c) }
        }
    }
}

/// `SetDVRConfig` of the model's settings.
///
/// # Safety
/// `buf` is valid for reading `size` bytes.
unsafe fn set_settings(
    s: &registry::Session,
    command: DWORD,
    channel: LONG,
    buf: LPVOID,
    size: usize,
) -> Res<()> {
    match command {
        NET_DVR_SET_NTPCFG => {
            // SAFETY: the caller's buffer of `size` bytes.
            let p: NET_DVR_NTPPARA = unsafe { taken(buf, size) }?;
            config::set_ntp_cfg(s, &p)
        }
        NET_DVR_SET_NETCFG_V50 => {
            // SAFETY: the caller's buffer of `size` bytes.
            let c: Box<NET_DVR_NETCFG_V50> = Box::new(unsafe { taken(buf, size) }?);
            config::set_net_cfg_v50(s, &c)
        }
        _ => {
            // SAFETY: the caller's buffer of `size` bytes.
            let c: NET_DVR_COMPRESSIONCFG_V30 = unsafe { taken(buf, size) }?;
            config::set_compress_cfg_v30(s, channel, &c)
        }
    }
}

/// Write a whole `T` answer into the caller's buffer of `size` bytes (17 when smaller);
/// returns the bytes written.
///
/// # Safety
/// `buf` is NULL or valid for writing `size` bytes.
unsafe fn answer<T>(buf: LPVOID, size: usize, v: T) -> Res<usize> {
    if size < size_of::<T>() {
        return Err(p17());
    }
    // SAFETY: the caller's buffer holds at least a T.
    unsafe { put(buf.cast::<T>(), v) }?;
    Ok(size_of::<T>())
}

/// Read a whole `T` from the caller's buffer of `size` bytes (17 when smaller).
///
/// # Safety
/// `buf` is NULL or valid for reading `size` bytes.
unsafe fn taken<T>(buf: LPVOID, size: usize) -> Res<T> {
    if size < size_of::<T>() {
        return Err(p17());
    }
    // SAFETY: the caller's buffer holds at least a T.
    unsafe { get(buf.cast_const().cast::<T>()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_CaptureJPEGPicture(
    lUserID: LONG,
    lChannel: LONG,
    lpJpegPara: LPNET_DVR_JPEGPARA,
    sPicFileName: *mut c_char,
) -> BOOL {
    call("NET_DVR_CaptureJPEGPicture", FALSE, STD, || -> Res<BOOL> {
        if lpJpegPara.is_null() {
            return Err(p17());
        }
        // SAFETY: NULL or a NUL-terminated path.
        let path = unsafe { text(sPicFileName) }?;
        let s = registry::user(lUserID)?;
        // SAFETY: the caller's NET_DVR_JPEGPARA (checked non-NULL).
        config::note_jpeg_para(&s, &unsafe { get(lpJpegPara.cast_const()) }?);
        bool_ret(config::snapshot_to_file(&s, lChannel, &path))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_CaptureJPEGPicture_NEW(
    lUserID: LONG,
    lChannel: LONG,
    lpJpegPara: LPNET_DVR_JPEGPARA,
    sJpegPicBuffer: *mut c_char,
    dwPicSize: DWORD,
    lpSizeReturned: LPDWORD,
) -> BOOL {
    call(
        "NET_DVR_CaptureJPEGPicture_NEW",
        FALSE,
        STD,
        || -> Res<BOOL> {
            if lpJpegPara.is_null() || sJpegPicBuffer.is_null() || lpSizeReturned.is_null() {
                return Err(p17());
            }
            let s = registry::user(lUserID)?;
            // SAFETY: the caller's NET_DVR_JPEGPARA (checked non-NULL).
            config::note_jpeg_para(&s, &unsafe { get(lpJpegPara.cast_const()) }?);
            let jpeg = config::snapshot(&s, lChannel)?;
            if (dwPicSize as usize) < jpeg.len() {
                // *lpSizeReturned is left untouched (see README: the real SDK's value here
                // cannot be observed without a camera, so callers must not rely on it).
                return Err(Fail::Code(NOENOUGH_BUF));
            }
            // SAFETY: the caller's buffer holds dwPicSize >= jpeg.len() bytes; lpSizeReturned is
            // a DWORD (both checked non-NULL).
            unsafe {
                std::ptr::copy_nonoverlapping(
                    jpeg.as_ptr(),
                    sJpegPicBuffer.cast::<u8>(),
                    jpeg.len(),
                );
                put(lpSizeReturned, jpeg.len() as DWORD)?;
            }
            Ok(TRUE)
        },
    )
}
