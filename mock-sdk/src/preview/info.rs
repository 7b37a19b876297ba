//! The `NET_DVR_PREVIEWINFO` each `NET_DVR_RealPlay_V40` call received, kept per handle so
//! that tests can check what a client sent (`MOCK_GetPreviewInfo`).
//!
//! The record of a handle is the info of the latest successful RealPlay_V40 that returned
//! it. It stays after StopRealPlay, Logout and Cleanup, and is replaced when the handle is
//! given out again (handles are reused lowest first).

use std::collections::BTreeMap;
use std::sync::Mutex;

use hcnetsdk_sys::{BYTE, DWORD, HWND, LONG, NET_DVR_PREVIEWINFO};

use crate::sync::lock;

/// A field-by-field copy of a `NET_DVR_PREVIEWINFO` (the C struct holds a window handle,
/// a pointer on Windows, so it is neither `Copy` nor `Send`; this copy is both).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PreviewInfo {
    channel: LONG,
    stream_type: DWORD,
    link_mode: DWORD,
    /// `hPlayWnd` as an integer; the mock never uses it.
    play_wnd: usize,
    blocked: DWORD,
    passback_record: DWORD,
    preview_mode: BYTE,
    stream_id: [BYTE; 32],
    proto_type: BYTE,
    res1: BYTE,
    video_coding_type: BYTE,
    display_buf_num: DWORD,
    npq_mode: BYTE,
    recv_meta_data: BYTE,
    data_type: BYTE,
    res: [BYTE; 213],
}

impl PreviewInfo {
    /// Copy every field of `c` (a struct pattern without `..`, so a field added to the
    /// header fails to compile here until it is copied too).
    pub(crate) fn from_c(c: NET_DVR_PREVIEWINFO) -> Self {
        let NET_DVR_PREVIEWINFO {
            lChannel,
            dwStreamType,
            dwLinkMode,
            hPlayWnd,
            bBlocked,
            bPassbackRecord,
            byPreviewMode,
            byStreamID,
            byProtoType,
            byRes1,
            byVideoCodingType,
            dwDisplayBufNum,
            byNPQMode,
            byRecvMetaData,
            byDataType,
            byRes,
        } = c;
        PreviewInfo {
            channel: lChannel,
            stream_type: dwStreamType,
            link_mode: dwLinkMode,
            #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
            play_wnd: hPlayWnd as usize,
            blocked: bBlocked,
            passback_record: bPassbackRecord,
            preview_mode: byPreviewMode,
            stream_id: byStreamID,
            proto_type: byProtoType,
            res1: byRes1,
            video_coding_type: byVideoCodingType,
            display_buf_num: dwDisplayBufNum,
            npq_mode: byNPQMode,
            recv_meta_data: byRecvMetaData,
            data_type: byDataType,
            res: byRes,
        }
    }

    /// The C struct again, every field as received.
    pub(crate) fn to_c(self) -> NET_DVR_PREVIEWINFO {
        NET_DVR_PREVIEWINFO {
            lChannel: self.channel,
            dwStreamType: self.stream_type,
            dwLinkMode: self.link_mode,
            #[allow(clippy::unnecessary_cast)]
            hPlayWnd: self.play_wnd as HWND,
            bBlocked: self.blocked,
            bPassbackRecord: self.passback_record,
            byPreviewMode: self.preview_mode,
            byStreamID: self.stream_id,
            byProtoType: self.proto_type,
            byRes1: self.res1,
            byVideoCodingType: self.video_coding_type,
            dwDisplayBufNum: self.display_buf_num,
            byNPQMode: self.npq_mode,
            byRecvMetaData: self.recv_meta_data,
            byDataType: self.data_type,
            byRes: self.res,
        }
    }

    /// `lChannel`.
    pub(crate) fn channel(&self) -> i32 {
        self.channel
    }

    /// `dwStreamType`.
    pub(crate) fn stream_type(&self) -> u32 {
        self.stream_type
    }
}

static LAST: Mutex<BTreeMap<i32, PreviewInfo>> = Mutex::new(BTreeMap::new());

/// Remember `info` as the handle's latest.
pub(super) fn record(handle: i32, info: PreviewInfo) {
    lock(&LAST).insert(handle, info);
}

/// The info of the latest RealPlay_V40 that returned `handle` (see the module docs), or
/// `None` if no call has returned it yet.
pub(crate) fn last_info(handle: i32) -> Option<PreviewInfo> {
    lock(&LAST).get(&handle).copied()
}
