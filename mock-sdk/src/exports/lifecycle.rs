//! Init and Cleanup, the last error and its message, the version numbers.

use std::ffi::c_char;
use std::ptr::null_mut;

use hcnetsdk_sys::*;

use super::put_opt;
use crate::errors;
use crate::ffi::{ANYTIME, KEEP, Opts, Res, call};
use crate::lifecycle;

/// GetLastError itself: works before Init, never fails, leaves the last error alone.
const PASSIVE: Opts = Opts {
    needs_init: false,
    clear_on_success: false,
    faults: false,
};
/// GetErrorMsg: NULL and 3 before Init, leaves the code alone after.
const READER: Opts = Opts {
    needs_init: true,
    clear_on_success: false,
    faults: false,
};

/// `NET_DVR_GetSDKVersion`: same as the real 6.1.9.48 (major 6 in the high word, minor 1).
pub(crate) const SDK_VERSION: u32 = 0x0006_0001;
/// `NET_DVR_GetSDKBuildVersion`: 6.1 like the real SDK, then the bytes 0x4D 0x4B ("MK",
/// for MocK) where the real SDK has revision 9 and build 48 (0x06010930). It only keeps the
/// number from looking like a real build; clients recognise the mock by its `MOCK_IsMock`
/// export (`hcnetsdk_sys::Library::is_mock`), not by this value.
pub(crate) const SDK_BUILD_VERSION: u32 = 0x0601_4D4B;

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Init() -> BOOL {
    call("NET_DVR_Init", FALSE, ANYTIME, || -> Res<BOOL> {
        lifecycle::init().map(|()| TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_Cleanup() -> BOOL {
    call("NET_DVR_Cleanup", FALSE, ANYTIME, || -> Res<BOOL> {
        lifecycle::cleanup().map(|()| TRUE)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetLastError() -> DWORD {
    call("NET_DVR_GetLastError", 0, PASSIVE, || -> Res<DWORD> {
        Ok(errors::last_error())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetErrorMsg(pErrorNo: *mut LONG) -> *mut c_char {
    call(
        "NET_DVR_GetErrorMsg",
        null_mut(),
        READER,
        || -> Res<*mut c_char> {
            let code = errors::last_error();
            // SAFETY: NULL or a LONG the caller owns.
            unsafe { put_opt(pErrorNo, code as LONG) };
            Ok(errors::message(code).as_ptr().cast_mut())
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetLastErrorModelCode(
    pModelCode: *mut DWORD,
    pMErrDevSelfEx: *mut DWORD,
) {
    call(
        "NET_DVR_GetLastErrorModelCode",
        (),
        PASSIVE,
        || -> Res<()> {
            // SAFETY: NULL or DWORDs the caller owns.
            unsafe {
                put_opt(pModelCode, 0);
                put_opt(pMErrDevSelfEx, 0);
            }
            Ok(())
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKVersion() -> DWORD {
    call("NET_DVR_GetSDKVersion", 0, KEEP, || -> Res<DWORD> {
        Ok(SDK_VERSION)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn NET_DVR_GetSDKBuildVersion() -> DWORD {
    call("NET_DVR_GetSDKBuildVersion", 0, KEEP, || -> Res<DWORD> {
        Ok(SDK_BUILD_VERSION)
    })
}
