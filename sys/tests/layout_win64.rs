//! Windows x64: the four structs holding an `HWND` (a pointer there) get the Win64 layout
//! given in the reference README; everything else is identical to Linux x86_64.
#![cfg(all(windows, target_pointer_width = "64"))]

use core::mem::{offset_of, size_of};
use hcnetsdk_sys::*;

#[test]
fn hwnd_structs_have_the_win64_layout() {
    assert_eq!(size_of::<HWND>(), 8);
    assert_eq!(
        (
            size_of::<NET_DVR_PREVIEWINFO>(),
            offset_of!(NET_DVR_PREVIEWINFO, hPlayWnd)
        ),
        (288, 16)
    );
    assert_eq!(size_of::<NET_DVR_CLIENTINFO>(), 32);
    assert_eq!(
        (
            size_of::<NET_DVR_VOD_PARA>(),
            offset_of!(NET_DVR_VOD_PARA, hWnd)
        ),
        (168, 128)
    );
    assert_eq!(
        (
            size_of::<NET_DVR_VOD_PARA_V50>(),
            offset_of!(NET_DVR_VOD_PARA_V50, hWnd)
        ),
        (392, 104)
    );
}
