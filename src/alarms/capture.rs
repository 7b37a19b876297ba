//! What the message callback copies, on the SDK's thread, into a queue slot: the alarmer
//! struct, the message struct (at most `dwBufLen` bytes) and the blocks its pointers name
//! (each at most the length the struct gives, and at most a fixed cap). Decoding into an
//! [`Alarm`](super::Alarm) happens later, on the consumer's side.
//!
//! A slot's bytes: `alarmer | info | (tag u32, len u32, bytes)*`, lengths in the meta.
//! Pointers are followed only when the struct is complete (`dwBufLen` at least its size),
//! the pointer is not NULL and its length is not zero; nothing is read past a length.

use std::ffi::c_char;
use std::mem::{offset_of, size_of};
use std::time::SystemTime;

use hcnetsdk_sys as sys;

use super::AlarmChannelEvent;

/// The largest message struct copied (bigger ones are cut and marked `truncated`).
pub(crate) const MAX_INFO: usize = 64 * 1024;
/// The largest block behind one pointer (a picture, an ISAPI document).
pub(crate) const MAX_BLOCK: usize = 16 * 1024 * 1024;
/// The most blocks one message brings (ISAPI pictures beyond it are left out, marked).
const MAX_EXTRAS: usize = 16;
/// The most DWORDs read from `NET_DVR_ALARMINFO_V40.pAlarmData`.
const MAX_V40_WORDS: usize = 4096;

/// Block tags.
pub(crate) const TAG_V40_DATA: u32 = 1;
pub(crate) const TAG_V40_PICTURE: u32 = 2;
pub(crate) const TAG_RULE_IMAGE: u32 = 3;
pub(crate) const TAG_ISAPI_DATA: u32 = 4;
/// Payload: the `NET_DVR_ALARM_ISAPI_PICDATA` struct, then the picture.
pub(crate) const TAG_ISAPI_PICTURE: u32 = 5;

/// Size of `NET_DVR_ALARMINFO_V40` in headers from 2020 on (x86_64): 160 bytes.
pub(crate) const V40_SIZE: usize = size_of::<sys::NET_DVR_ALARMINFO_V40>();
/// Size of `NET_DVR_ALARMINFO_V40` in the 2019 header, whose alarm union holds no pointer
/// (the union sits at offset 12, `pAlarmData` at 144): see the reference README.
pub(crate) const V40_SIZE_2019: usize = 152;

/// What a slot carries besides its bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    pub(crate) command: i32,
    pub(crate) received: SystemTime,
    pub(crate) alarmer_len: u32,
    pub(crate) info_len: u32,
    /// Something was cut or left out (a struct over [`MAX_INFO`], a block over
    /// [`MAX_BLOCK`], more than [`MAX_EXTRAS`] blocks).
    pub(crate) truncated: bool,
    /// Not a message: a change of the alarm channel this crate reports.
    pub(crate) channel_event: Option<AlarmChannelEvent>,
}

impl Meta {
    pub(crate) const INIT: Meta = Meta {
        command: 0,
        received: SystemTime::UNIX_EPOCH,
        alarmer_len: 0,
        info_len: 0,
        truncated: false,
        channel_event: None,
    };
}

#[derive(Clone, Copy)]
struct Extra<'a> {
    tag: u32,
    head: &'a [u8],
    body: &'a [u8],
}

const NO_EXTRA: Extra<'static> = Extra {
    tag: 0,
    head: &[],
    body: &[],
};

/// One message as the callback sees it: borrowed views of the SDK's memory, valid for the
/// callback's duration.
pub(crate) struct Capture<'a> {
    meta: Meta,
    alarmer: &'a [u8],
    info: &'a [u8],
    extras: [Extra<'a>; MAX_EXTRAS],
    n_extras: usize,
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

fn ptr_at(b: &[u8], off: usize) -> usize {
    const N: usize = size_of::<usize>();
    b.get(off..off + N).map_or(0, |s| {
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        usize::from_ne_bytes(a)
    })
}

impl<'a> Capture<'a> {
    /// A change of the alarm channel, as an item of its own.
    pub(crate) fn channel_event(event: AlarmChannelEvent) -> Capture<'static> {
        Capture {
            meta: Meta {
                received: SystemTime::now(),
                channel_event: Some(event),
                ..Meta::INIT
            },
            alarmer: &[],
            info: &[],
            extras: [NO_EXTRA; MAX_EXTRAS],
            n_extras: 0,
        }
    }

    /// View one message.
    ///
    /// # Safety
    /// `alarmer` is NULL or points to a `NET_DVR_ALARMER`; `info` is NULL or points to
    /// `len` readable bytes; the pointers inside the struct for `command` point to as many
    /// bytes as the struct's length fields say (the SDK's contract for the callback). All
    /// of it stays valid while the capture lives.
    pub(crate) unsafe fn new(
        command: i32,
        alarmer: *const sys::NET_DVR_ALARMER,
        info: *const c_char,
        len: u32,
    ) -> Self {
        let alarmer: &[u8] = if alarmer.is_null() {
            &[]
        } else {
            // SAFETY: the caller's contract.
            unsafe {
                std::slice::from_raw_parts(alarmer.cast::<u8>(), size_of::<sys::NET_DVR_ALARMER>())
            }
        };
        let full = len as usize;
        let info: &[u8] = if info.is_null() || full == 0 {
            &[]
        } else {
            // SAFETY: the caller's contract: `len` readable bytes.
            unsafe { std::slice::from_raw_parts(info.cast::<u8>(), full.min(MAX_INFO)) }
        };
        let mut c = Capture {
            meta: Meta {
                command,
                received: SystemTime::now(),
                alarmer_len: alarmer.len() as u32,
                info_len: info.len() as u32,
                truncated: full > MAX_INFO,
                channel_event: None,
            },
            alarmer,
            info,
            extras: [NO_EXTRA; MAX_EXTRAS],
            n_extras: 0,
        };
        // SAFETY: the caller's contract covers the struct's pointers.
        unsafe { c.follow_pointers() };
        c
    }

    /// # Safety
    /// As for [`Capture::new`].
    unsafe fn follow_pointers(&mut self) {
        let command = self.meta.command as u32;
        // SAFETY: forwarded.
        unsafe {
            match command {
                sys::COMM_ALARM_V40 => self.v40(),
                sys::COMM_ALARM_RULE => self.rule(),
                sys::COMM_ISAPI_ALARM => self.isapi(),
                _ => {}
            }
        }
    }

    /// A block of `len` bytes at address `ptr`, capped.
    ///
    /// # Safety
    /// `ptr` (when not 0) points to `len` readable bytes valid for `'a`.
    unsafe fn block(&mut self, ptr: usize, len: usize) -> &'a [u8] {
        if ptr == 0 || len == 0 {
            return &[];
        }
        if len > MAX_BLOCK {
            self.meta.truncated = true;
        }
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts(ptr as *const u8, len.min(MAX_BLOCK)) }
    }

    fn add(&mut self, tag: u32, head: &'a [u8], body: &'a [u8]) {
        if head.is_empty() && body.is_empty() {
            return;
        }
        if self.n_extras == MAX_EXTRAS {
            self.meta.truncated = true;
            return;
        }
        self.extras[self.n_extras] = Extra { tag, head, body };
        self.n_extras += 1;
    }

    /// # Safety
    /// As for [`Capture::new`].
    unsafe fn v40(&mut self) {
        let info = self.info;
        let Some(layout) = V40Layout::for_len(info.len()) else {
            return;
        };
        let words = layout.word_count(info).min(MAX_V40_WORDS);
        let ptr = ptr_at(info, layout.data_ptr);
        // SAFETY: pAlarmData holds `words` DWORDs (the SDK's contract).
        let data = unsafe { self.block(ptr, words * 4) };
        self.add(TAG_V40_DATA, &[], data);
        if let Some((ptr_off, len_off)) = layout.picture() {
            let kind = u32_at(info, 0);
            if is_channel_type(kind) {
                let len = u32_at(info, len_off) as usize;
                // SAFETY: pDataBuff holds dwPicLen bytes.
                let pic = unsafe { self.block(ptr_at(info, ptr_off), len) };
                self.add(TAG_V40_PICTURE, &[], pic);
            }
        }
    }

    /// # Safety
    /// As for [`Capture::new`].
    unsafe fn rule(&mut self) {
        type R = sys::NET_VCA_RULE_ALARM;
        if self.info.len() < size_of::<R>() {
            return;
        }
        let len = u32_at(self.info, offset_of!(R, dwPicDataLen)) as usize;
        let ptr = ptr_at(self.info, offset_of!(R, pImage));
        // SAFETY: pImage holds dwPicDataLen bytes.
        let image = unsafe { self.block(ptr, len) };
        self.add(TAG_RULE_IMAGE, &[], image);
    }

    /// # Safety
    /// As for [`Capture::new`].
    unsafe fn isapi(&mut self) {
        type I = sys::NET_DVR_ALARM_ISAPI_INFO;
        type P = sys::NET_DVR_ALARM_ISAPI_PICDATA;
        let info = self.info;
        if info.len() < size_of::<I>() {
            return;
        }
        let len = u32_at(info, offset_of!(I, dwAlarmDataLen)) as usize;
        // SAFETY: pAlarmData holds dwAlarmDataLen bytes.
        let doc = unsafe { self.block(ptr_at(info, offset_of!(I, pAlarmData)), len) };
        self.add(TAG_ISAPI_DATA, &[], doc);
        let count = usize::from(info[offset_of!(I, byPicturesNumber)]);
        let pics = ptr_at(info, offset_of!(I, pPicPackData));
        // SAFETY: pPicPackData is an array of byPicturesNumber PICDATA structs.
        let table = unsafe { self.block(pics, count * size_of::<P>()) };
        for head in table.chunks_exact(size_of::<P>()) {
            let len = u32_at(head, offset_of!(P, dwPicLen)) as usize;
            // SAFETY: each pPicData holds its dwPicLen bytes.
            let body = unsafe { self.block(ptr_at(head, offset_of!(P, pPicData)), len) };
            self.add(TAG_ISAPI_PICTURE, head, body);
        }
    }

    /// Bytes this message takes in a slot.
    pub(crate) fn len(&self) -> usize {
        self.alarmer.len()
            + self.info.len()
            + self.extras[..self.n_extras]
                .iter()
                .map(|e| 8 + e.head.len() + e.body.len())
                .sum::<usize>()
    }

    /// Append the message to an empty slot buffer whose capacity is at least
    /// [`len`](Self::len): no allocation.
    pub(crate) fn write(&self, buf: &mut Vec<u8>) -> Meta {
        buf.extend_from_slice(self.alarmer);
        buf.extend_from_slice(self.info);
        for e in &self.extras[..self.n_extras] {
            buf.extend_from_slice(&e.tag.to_ne_bytes());
            buf.extend_from_slice(&((e.head.len() + e.body.len()) as u32).to_ne_bytes());
            buf.extend_from_slice(e.head);
            buf.extend_from_slice(e.body);
        }
        self.meta
    }
}

/// Whether a V30/V40 alarm type names channels (rather than an input or disks).
pub(crate) fn is_channel_type(kind: u32) -> bool {
    !matches!(kind, 0 | 1 | 4 | 5 | 7 | 8)
}

/// Where `NET_DVR_ALARMINFO_V40`'s fields are, by header generation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct V40Layout {
    /// Offset of the `uStruAlarm` union.
    pub(crate) union_at: usize,
    /// Offset of `pAlarmData`.
    pub(crate) data_ptr: usize,
    /// Offset of `byTimeDiffFlag` (the 2019 header's is not known here: `None`).
    pub(crate) time_diff: Option<usize>,
    /// The union holds `pDataBuff` and `dwPicLen` (2020 on).
    pub(crate) has_picture: bool,
}

impl V40Layout {
    pub(crate) const CURRENT: V40Layout = V40Layout {
        union_at: offset_of!(sys::NET_DVR_ALRAM_FIXED_HEADER, uStruAlarm),
        data_ptr: offset_of!(sys::NET_DVR_ALARMINFO_V40, pAlarmData),
        time_diff: Some(offset_of!(sys::NET_DVR_ALRAM_FIXED_HEADER, byTimeDiffFlag)),
        has_picture: true,
    };
    pub(crate) const Y2019: V40Layout = V40Layout {
        union_at: 12,
        data_ptr: 144,
        time_diff: None,
        has_picture: false,
    };

    /// The layout for a struct of `len` bytes, if it is complete.
    pub(crate) fn for_len(len: usize) -> Option<V40Layout> {
        match len {
            n if n >= V40_SIZE => Some(Self::CURRENT),
            n if n >= V40_SIZE_2019 => Some(Self::Y2019),
            _ => None,
        }
    }

    /// The `n`th DWORD of the union.
    pub(crate) fn union_word(&self, info: &[u8], n: usize) -> u32 {
        u32_at(info, self.union_at + 4 * n)
    }

    /// How many DWORDs `pAlarmData` holds for this alarm's type.
    pub(crate) fn word_count(&self, info: &[u8]) -> usize {
        let w = |n| self.union_word(info, n) as usize;
        match u32_at(info, 0) {
            // Alarm input: the outputs it triggered, then the channels it records.
            0 => w(1).saturating_add(w(2)),
            // Disks: dwAlarmHardDiskNum; channels: dwAlarmChanNum.
            _ => w(0),
        }
    }

    /// Offsets of `pDataBuff` and `dwPicLen` (2020 on).
    fn picture(&self) -> Option<(usize, usize)> {
        type C = sys::NET_DVR_ALRAM_FIXED_HEADER_uStruAlarm_struAlarmChannel;
        self.has_picture.then(|| {
            (
                self.union_at + offset_of!(C, pDataBuff),
                self.union_at + offset_of!(C, dwPicLen),
            )
        })
    }
}

/// A slot's bytes split back into their parts.
pub(crate) struct Parts<'a> {
    pub(crate) alarmer: &'a [u8],
    pub(crate) info: &'a [u8],
    pub(crate) extras: Vec<(u32, &'a [u8])>,
}

/// Split a slot's bytes (`None` if they do not add up, which would be a bug here).
pub(crate) fn split<'a>(meta: &Meta, bytes: &'a [u8]) -> Option<Parts<'a>> {
    let a = meta.alarmer_len as usize;
    let i = meta.info_len as usize;
    let alarmer = bytes.get(..a)?;
    let info = bytes.get(a..a + i)?;
    let mut rest = &bytes[a + i..];
    let mut extras = Vec::new();
    while !rest.is_empty() {
        let tag = u32_at(rest, 0);
        let len = u32_at(rest, 4) as usize;
        let body = rest.get(8..8 + len)?;
        extras.push((tag, body));
        rest = &rest[8 + len..];
    }
    Some(Parts {
        alarmer,
        info,
        extras,
    })
}
