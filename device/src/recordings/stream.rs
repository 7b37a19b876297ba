//! A recording's bytes: the live clip's callbacks, laid on the recording's time line.
//!
//! The camera's clip loops on absolute time: the frame at unix time `t` is clip frame
//! `(t / 40 ms) mod N` of loop `t / (N x 40 ms)`, with PTS `90000 + 3600 x (t / 40 ms)`
//! (mod 2^33) as [`Clip::fill`] writes it. Files start at whole seconds, and the clips have
//! an IDR every 25 frames, so every file starts with a keyframe. A stream is the IMKH header
//! then the callbacks of its frames, so its size is known exactly before it starts.

use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use crate::lock;
use crate::media::{self, Clip, FPS, StreamKind};

/// µs per frame.
const FRAME_US: u64 = 1_000_000 / FPS as u64;

/// Per clip frame: its callbacks and their bytes.
#[derive(Debug)]
pub(super) struct FrameTable {
    clip: &'static Clip,
    /// First callback of each frame; `first[n]` = the clip's length.
    first: Vec<usize>,
    /// Bytes of the frames before each frame; `prefix[n]` = one loop.
    prefix: Vec<u64>,
    key: Vec<bool>,
}

/// The frame table of `kind`, built on first use.
pub(super) fn table(kind: StreamKind) -> &'static FrameTable {
    static TABLES: Mutex<Vec<(StreamKind, &'static FrameTable)>> = Mutex::new(Vec::new());
    let mut tables = lock(&TABLES);
    if let Some((_, t)) = tables.iter().find(|(k, _)| *k == kind) {
        return t;
    }
    let t: &'static FrameTable = Box::leak(Box::new(FrameTable::build(kind)));
    tables.push((kind, t));
    t
}

impl FrameTable {
    fn build(kind: StreamKind) -> FrameTable {
        let clip = media::clip(kind);
        let key: Vec<bool> = media::elementary(kind)
            .video
            .units
            .iter()
            .map(|u| u.key)
            .collect();
        let n = key.len();
        let mut first = vec![clip.len(); n + 1];
        let mut prefix = vec![0u64; n + 1];
        for i in (0..clip.len()).rev() {
            let f = (clip.due_us(i) / FRAME_US) as usize;
            first[f.min(n - 1)] = i;
        }
        for f in (0..n).rev() {
            first[f] = first[f].min(first[f + 1]);
        }
        for f in 0..n {
            let bytes: usize = (first[f]..first[f + 1]).map(|i| clip.packet(i).len()).sum();
            prefix[f + 1] = prefix[f] + bytes as u64;
        }
        FrameTable {
            clip,
            first,
            prefix,
            key,
        }
    }

    fn frames(&self) -> i64 {
        self.key.len() as i64
    }

    /// Bytes of the callbacks of absolute frames before `f`.
    fn count(&self, f: i64) -> u64 {
        let n = self.frames();
        (f.div_euclid(n) as u64) * self.prefix[n as usize] + self.prefix[f.rem_euclid(n) as usize]
    }

    /// Average bytes per second.
    pub(super) fn bytes_per_sec(&self) -> u64 {
        self.prefix[self.key.len()] * u64::from(FPS) / self.key.len() as u64
    }

    /// Bytes of a stream of `[s, e)` (unix seconds): the header and the frames.
    pub(super) fn file_size(&self, s: i64, e: i64) -> u64 {
        40 + self.count(e * i64::from(FPS)) - self.count(s * i64::from(FPS))
    }

    /// The keyframe at or before absolute frame `f`.
    pub(super) fn key_at_or_before(&self, f: i64) -> i64 {
        let n = self.frames();
        (0..n)
            .map(|k| f - k)
            .find(|g| self.key[g.rem_euclid(n) as usize])
            .unwrap_or(f)
    }
}

/// How a stream is delivered: its rate, and a fault to play.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfer {
    /// Bytes per second; 0: the scenario's `download_rate`.
    pub rate: u64,
    pub fault: Option<Fault>,
}

/// A fault a stream plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The network drops when this percentage has been delivered (the SDK's position 200).
    DropAt(u8),
    /// The disk the file is written to fills up at this percentage.
    DiskFullAt(u8),
}

/// How a stream stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// Data still to come.
    Running,
    /// Every byte delivered (position 100).
    Complete,
    /// The network dropped (position 200).
    NetworkDrop,
    /// The disk filled up.
    DiskFull,
}

/// One piece of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The IMKH header (first chunk), then one data callback's bytes.
    pub data: Vec<u8>,
    /// Bytes of the stream before this chunk.
    pub offset: u64,
    /// The recording's time of the frame it belongs to (`None` for the header).
    pub media_time: Option<Timestamp>,
    /// When it is due from the start of the transfer at its rate (`offset / rate`).
    pub due: Duration,
}

/// A download or playback: the chunks of some spans of recording.
#[derive(Debug)]
pub struct MediaStream {
    table: &'static FrameTable,
    /// Absolute frame ranges `[f0, f1)`.
    spans: Vec<(i64, i64)>,
    total: u64,
    offset: u64,
    span: usize,
    frame: i64,
    entry: usize,
    header_done: bool,
    /// Bytes at which the fault strikes, and how the stream then ends.
    limit: Option<(u64, StreamEnd)>,
    end: StreamEnd,
    rate: u64,
}

impl MediaStream {
    /// Spans `(file start, from, to)` in unix seconds: each starts at the keyframe at or
    /// before `from`, never before its file's start.
    pub(super) fn new(kind: StreamKind, spans: Vec<(i64, i64, i64)>, transfer: Transfer) -> Self {
        let table = table(kind);
        let fps = i64::from(FPS);
        let spans: Vec<(i64, i64)> = spans
            .into_iter()
            .map(|(file, from, to)| (table.key_at_or_before(from * fps).max(file * fps), to * fps))
            .filter(|(f0, f1)| f0 < f1)
            .collect();
        let total = 40
            + spans
                .iter()
                .map(|&(a, b)| table.count(b) - table.count(a))
                .sum::<u64>();
        let limit = transfer.fault.map(|f| match f {
            Fault::DropAt(p) => (total * u64::from(p.min(100)) / 100, StreamEnd::NetworkDrop),
            Fault::DiskFullAt(p) => (total * u64::from(p.min(100)) / 100, StreamEnd::DiskFull),
        });
        let frame = spans.first().map_or(0, |s| s.0);
        MediaStream {
            table,
            spans,
            total,
            offset: 0,
            span: 0,
            frame,
            entry: 0,
            header_done: false,
            limit,
            end: StreamEnd::Running,
            rate: transfer.rate.max(1),
        }
    }

    /// Bytes the whole stream has (header included), known before it starts.
    pub fn total(&self) -> u64 {
        self.total
    }
    /// Bytes delivered so far.
    pub fn delivered(&self) -> u64 {
        self.offset
    }
    pub fn end(&self) -> StreamEnd {
        self.end
    }
    /// The SDK's position: 0..=99 while running, 100 when complete, 200 after a drop.
    pub fn position(&self) -> u32 {
        match self.end {
            StreamEnd::Complete => 100,
            StreamEnd::NetworkDrop => 200,
            _ => (self.offset * 100 / self.total.max(1)).min(99) as u32,
        }
    }
    /// Frames the stream covers: `[first, end)` as instants.
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        let (a, _) = *self.spans.first()?;
        let (_, b) = *self.spans.last()?;
        Some((frame_time(a), frame_time(b)))
    }

    fn emit(&mut self, data: Vec<u8>, media_time: Option<Timestamp>) -> Option<Chunk> {
        let len = data.len() as u64;
        if let Some((limit, end)) = self.limit
            && self.offset + len > limit
        {
            self.end = end;
            return None;
        }
        let offset = self.offset;
        self.offset += len;
        let due = Duration::from_nanos(
            (u128::from(offset) * 1_000_000_000 / u128::from(self.rate)) as u64,
        );
        Some(Chunk {
            data,
            offset,
            media_time,
            due,
        })
    }
}

fn frame_time(f: i64) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(f) * i128::from(FRAME_US) * 1000)
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Iterator for MediaStream {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        if self.end != StreamEnd::Running {
            return None;
        }
        if !self.header_done {
            self.header_done = true;
            return self.emit(self.table.clip.header().to_vec(), None);
        }
        let t = self.table;
        let n = t.frames();
        loop {
            let &(_, f1) = self.spans.get(self.span)?;
            if self.frame >= f1 {
                self.span += 1;
                match self.spans.get(self.span) {
                    Some(&(f0, _)) => (self.frame, self.entry) = (f0, 0),
                    None => {
                        self.end = StreamEnd::Complete;
                        return None;
                    }
                }
                continue;
            }
            let in_clip = self.frame.rem_euclid(n) as usize;
            let i = t.first[in_clip] + self.entry;
            if i >= t.first[in_clip + 1] {
                (self.frame, self.entry) = (self.frame + 1, 0);
                continue;
            }
            self.entry += 1;
            let mut buf = Vec::new();
            t.clip.fill(i, self.frame.div_euclid(n) as u64, &mut buf);
            return self.emit(buf, Some(frame_time(self.frame)));
        }
    }
}
