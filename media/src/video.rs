//! Access-unit assembly over an Annex B elementary stream (H.264/H.265), with codec
//! sniffing, keyframe detection and the current parameter sets.

use crate::{Codec, Frame, ParamSets};

/// Timestamps of PES packets waiting for the access unit that starts in them.
const TS_SLOTS: usize = 8;

#[derive(Debug, Clone, Copy, Default)]
struct TsEntry {
    at: u64,
    pts: i64,
    dts: i64,
}

/// What a NAL unit means for access-unit boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Access unit delimiter: always starts a unit.
    Aud,
    /// Parameter set, SEI or another prefix NAL: starts a unit after a slice.
    Prefix(Param),
    /// A slice; `first` if it is the first of its picture.
    Vcl { first: bool, key: bool },
    /// Anything else (suffix SEI, filler, end of sequence).
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    None,
    Vps,
    Sps,
    Pps,
}

fn classify(codec: Codec, h: &[u8]) -> Class {
    let at = |i: usize| h.get(i).copied().unwrap_or(0);
    if codec == Codec::H265 {
        let t = (at(0) >> 1) & 0x3f;
        return match t {
            35 => Class::Aud,
            32 => Class::Prefix(Param::Vps),
            33 => Class::Prefix(Param::Sps),
            34 => Class::Prefix(Param::Pps),
            39 | 41..=44 | 48..=55 => Class::Prefix(Param::None),
            0..=31 => Class::Vcl {
                first: at(2) & 0x80 != 0,
                key: (16..=23).contains(&t),
            },
            _ => Class::Other,
        };
    }
    match at(0) & 0x1f {
        9 => Class::Aud,
        7 => Class::Prefix(Param::Sps),
        8 => Class::Prefix(Param::Pps),
        6 | 14..=18 => Class::Prefix(Param::None),
        t @ 1..=5 => Class::Vcl {
            first: at(1) & 0x80 != 0,
            key: t == 5,
        },
        _ => Class::Other,
    }
}

/// The codec a parameter-set NAL header clearly belongs to.
fn sniff(h: &[u8]) -> Option<Codec> {
    let (&b0, &b1) = (h.first()?, h.get(1)?);
    if matches!(b0, 0x40 | 0x42 | 0x44) && b1 == 0x01 {
        return Some(Codec::H265);
    }
    let profiles = [
        66, 77, 88, 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135,
    ];
    if b0 & 0x9f == 7 && b0 & 0x60 != 0 && profiles.contains(&b1) {
        return Some(Codec::H264);
    }
    None
}

/// Position of the next `00 00 01` at or after `from`.
///
/// A `memmem` search: its SIMD prefilter tests two bytes of the needle at once, so in
/// coded video (where a lone `01` byte comes every 256 bytes or so) it stops only at real
/// candidates; a `memchr` for `01` stopped at each of those (a third of the demuxer's
/// time on a 1080p capture).
fn find_start(buf: &[u8], from: usize) -> Option<usize> {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(&[0, 0, 1]));
    finder.find(buf.get(from..)?).map(|i| from + i)
}

#[derive(Debug, Default)]
struct Params {
    vps: Vec<u8>,
    sps: Vec<u8>,
    pps: Vec<u8>,
}

fn opt(v: &[u8]) -> Option<&[u8]> {
    (!v.is_empty()).then_some(v)
}

/// Assembles one video stream's PES payloads into access units.
#[derive(Debug)]
pub(crate) struct VideoAssembler {
    buf: Vec<u8>,
    base: u64,
    scan: usize,
    pub(crate) max_frame: usize,
    started: bool,
    vcl: bool,
    key: bool,
    pts: Option<i64>,
    dts: Option<i64>,
    stream: u8,
    codec: Codec,
    nal: Option<(usize, Param)>,
    hint: Codec,
    sniffed: Option<Codec>,
    ts: [TsEntry; TS_SLOTS],
    ts_len: usize,
    params: Params,
    dropping: bool,
    pub(crate) discontinuity: bool,
    pub(crate) dropped: u64,
    pub(crate) frames: u64,
}

impl VideoAssembler {
    pub(crate) fn new(max_frame: usize) -> Self {
        Self {
            buf: Vec::new(),
            base: 0,
            scan: 0,
            max_frame,
            started: false,
            vcl: false,
            key: false,
            pts: None,
            dts: None,
            stream: 0xe0,
            codec: Codec::H264,
            nal: None,
            hint: Codec::H264,
            sniffed: None,
            ts: [TsEntry::default(); TS_SLOTS],
            ts_len: 0,
            params: Params::default(),
            dropping: false,
            discontinuity: false,
            dropped: 0,
            frames: 0,
        }
    }

    /// The codec in force: sniffed from the payload, else the announced one.
    pub(crate) fn codec(&self) -> Codec {
        self.sniffed.unwrap_or(self.hint)
    }

    /// A new announced codec (PSM or IMKH). A changed claim forgets what was sniffed.
    pub(crate) fn set_hint(&mut self, codec: Codec) {
        if codec != self.hint {
            self.hint = codec;
            self.sniffed = None;
        }
    }

    /// A PES of this stream starts; its timestamps apply to the unit that starts in it.
    pub(crate) fn pes_start<F: FnMut(&Frame<'_>)>(
        &mut self,
        stream: u8,
        pts: Option<i64>,
        dts: Option<i64>,
        emit: &mut F,
    ) {
        self.stream = stream;
        let Some(pts) = pts else { return };
        if !self.codec().is_nal() && self.started {
            // No NAL units to split on: each timestamped PES starts a unit.
            let end = self.buf.len();
            self.emit(end, emit);
            self.started = false;
        }
        if self.ts_len == TS_SLOTS {
            self.ts.copy_within(1.., 0);
            self.ts_len -= 1;
        }
        self.ts[self.ts_len] = TsEntry {
            at: self.base + self.buf.len() as u64,
            pts,
            dts: dts.unwrap_or(pts),
        };
        self.ts_len += 1;
    }

    /// Appends payload bytes and emits every access unit they complete.
    pub(crate) fn push<F: FnMut(&Frame<'_>)>(&mut self, data: &[u8], emit: &mut F) {
        if self.buf.len() + data.len() > self.max_frame {
            self.overflow();
        }
        self.buf.extend_from_slice(data);
        if !self.codec().is_nal() {
            self.started = true;
            return;
        }
        self.scan_nals(false, emit);
    }

    /// The buffered unit grew past the cap: drop it and skip to the next unit start.
    fn overflow(&mut self) {
        if !self.dropping {
            self.dropped += 1;
        }
        let keep = self.buf.len().min(3);
        let cut = self.buf.len() - keep;
        self.buf.drain(..cut);
        self.base += cut as u64;
        self.scan = 0;
        self.nal = None;
        self.started = false;
        self.vcl = false;
        self.dropping = true;
        self.discontinuity = true;
    }

    /// Removes the last `n` bytes pushed (a PS start code that ended an unbounded PES).
    pub(crate) fn retract(&mut self, n: usize) {
        let len = self.buf.len().saturating_sub(n);
        self.buf.truncate(len);
        self.scan = self.scan.min(len);
    }

    /// Input was lost: drop the unit in progress and wait for the next unit start.
    pub(crate) fn lose(&mut self) {
        self.base += self.buf.len() as u64;
        self.buf.clear();
        self.scan = 0;
        self.nal = None;
        self.started = false;
        self.vcl = false;
        self.ts_len = 0;
        self.dropping = true;
        self.discontinuity = true;
    }

    /// Emits the last unit (end of input).
    pub(crate) fn finish<F: FnMut(&Frame<'_>)>(&mut self, emit: &mut F) {
        if self.codec().is_nal() {
            self.scan_nals(true, emit);
            self.close_nal(self.buf.len());
        }
        if self.started && !self.dropping && !self.buf.is_empty() {
            let end = self.buf.len();
            self.emit(end, emit);
        }
        self.lose();
        self.discontinuity = false;
        self.dropping = false;
    }

    fn scan_nals<F: FnMut(&Frame<'_>)>(&mut self, last: bool, emit: &mut F) {
        loop {
            let Some(p) = find_start(&self.buf, self.scan) else {
                self.scan = self.scan.max(self.buf.len().saturating_sub(2));
                return;
            };
            if p + 6 > self.buf.len() && !last {
                self.scan = p;
                return;
            }
            let shift = self.on_nal(p, emit);
            self.scan = p - shift + 3;
        }
    }

    /// Saves the NAL unit that ends at `end` if it is a parameter set.
    fn close_nal(&mut self, mut end: usize) {
        let Some((start, kind)) = self.nal.take() else {
            return;
        };
        while end > start && self.buf[end - 1] == 0 {
            end -= 1;
        }
        let slot = match kind {
            Param::None => return,
            Param::Vps => &mut self.params.vps,
            Param::Sps => &mut self.params.sps,
            Param::Pps => &mut self.params.pps,
        };
        slot.clear();
        slot.extend_from_slice(&self.buf[start..end]);
    }

    /// The newest waiting timestamp of a PES that started at or before `abs`.
    fn peek_ts(&self, abs: u64) -> Option<TsEntry> {
        self.ts[..self.ts_len]
            .iter()
            .rev()
            .find(|e| e.at <= abs)
            .copied()
    }

    fn take_ts(&mut self, abs: u64) -> Option<TsEntry> {
        let n = self.ts[..self.ts_len]
            .iter()
            .take_while(|e| e.at <= abs)
            .count();
        let found = n.checked_sub(1).map(|i| self.ts[i]);
        self.ts.copy_within(n..self.ts_len, 0);
        self.ts_len -= n;
        found
    }

    fn on_nal<F: FnMut(&Frame<'_>)>(&mut self, p: usize, emit: &mut F) -> usize {
        self.close_nal(p);
        let h = p + 3;
        if self.buf.get(h).is_none_or(|b| b & 0x80 != 0) {
            return 0;
        }
        let end = (h + 3).min(self.buf.len());
        if let Some(c) = sniff(&self.buf[h..end]) {
            self.sniffed = Some(c);
        }
        let class = classify(self.codec(), &self.buf[h..end]);
        let abs = self.base + p as u64 + 2;
        let starts = match class {
            Class::Aud => true,
            Class::Prefix(_) => self.vcl,
            Class::Vcl { first, .. } => {
                let moved = self.peek_ts(abs).is_some_and(|e| Some(e.pts) != self.pts);
                self.vcl && (first || moved)
            }
            Class::Other => false,
        };
        let mut start = p;
        while start > 0 && self.buf[start - 1] == 0 {
            start -= 1;
        }
        let mut shift = 0;
        let may_start =
            starts || matches!(class, Class::Prefix(_) | Class::Vcl { first: true, .. });
        if self.dropping && may_start {
            self.buf.drain(..start);
            self.base += start as u64;
            self.dropping = false;
            self.started = false;
            shift = start;
        } else if starts && self.started && !self.dropping {
            self.emit(start, emit);
            self.started = false;
            shift = start;
        }
        if !self.started && !self.dropping {
            self.started = true;
            self.vcl = false;
            self.key = false;
            let t = self.take_ts(abs);
            self.pts = t.map(|e| e.pts);
            self.dts = t.map(|e| e.dts);
        }
        self.codec = self.codec();
        if let Class::Vcl { key, .. } = class {
            self.vcl = true;
            self.key |= key;
        }
        let param = match class {
            Class::Prefix(k) => k,
            _ => Param::None,
        };
        self.nal = Some((h - shift, param));
        shift
    }

    /// Emits `buf[..end]` as one access unit and removes it.
    fn emit<F: FnMut(&Frame<'_>)>(&mut self, end: usize, emit: &mut F) {
        let frame = Frame {
            stream: self.stream,
            codec: self.codec,
            pts: self.pts,
            dts: self.dts,
            key: self.key,
            discontinuity: self.discontinuity,
            data: &self.buf[..end],
            params: ParamSets {
                vps: opt(&self.params.vps),
                sps: opt(&self.params.sps),
                pps: opt(&self.params.pps),
            },
        };
        emit(&frame);
        self.frames += 1;
        self.discontinuity = false;
        self.buf.drain(..end);
        self.base += end as u64;
        self.scan = self.scan.saturating_sub(end);
        if let Some((s, k)) = self.nal {
            self.nal = Some((s.saturating_sub(end), k));
        }
    }
}

/// Whether a NAL header (bytes after the start code) is an H.264 IDR or H.265 IRAP slice.
#[cfg(feature = "mux")]
pub(crate) fn is_key_nal(codec: Codec, h: &[u8]) -> bool {
    matches!(classify(codec, h), Class::Vcl { key: true, .. })
}

/// The next NAL unit start at or after `from`: (its first byte including leading zeros,
/// its header byte).
#[cfg(feature = "mux")]
pub(crate) fn next_nal(au: &[u8], from: usize) -> Option<(usize, usize)> {
    let p = find_start(au, from)?;
    let mut s = p;
    while s > from && au[s - 1] == 0 {
        s -= 1;
    }
    Some((s, p + 3))
}
