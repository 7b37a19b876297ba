//! The push-based PS demuxer: a byte-at-a-time-safe state machine over packs, PSM and
//! PES, feeding the video assembler and the audio buffer.

use crate::clock::Clock;
use crate::pes::{self, Status};
use crate::video::VideoAssembler;
use crate::{Codec, Frame, MediaInfo, ParamSets, StreamMap, imkh::IMKH_LEN};

/// Largest header the demuxer buffers: a whole PSM packet (6 + 65 535 bytes).
pub const MAX_HEADER: usize = 6 + 65_535;
/// Default cap of one video access unit, in bytes.
pub const DEFAULT_MAX_FRAME: usize = 8 << 20;
/// Input is handed to the video assembler in pieces of at most this many bytes.
pub const PIECE: usize = 64 << 10;
/// Smallest accepted frame cap.
const MIN_MAX_FRAME: usize = 2 * PIECE;

/// Counters since the demuxer was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Bytes pushed.
    pub bytes: u64,
    /// Pack headers read.
    pub packs: u64,
    /// Program stream maps read.
    pub psms: u64,
    /// PES packets of audio or video read.
    pub pes: u64,
    /// Packets skipped by their length (system header, padding, private streams ...).
    pub skipped_packets: u64,
    /// Bytes skipped while resynchronising on garbage.
    pub garbage_bytes: u64,
    /// Times the demuxer lost sync and searched for the next pack header.
    pub resyncs: u64,
    /// Bytes the caller reported lost with [`Demuxer::lost`].
    pub lost_bytes: u64,
    /// Video access units dropped for exceeding the frame cap.
    pub dropped_frames: u64,
    /// Video frames emitted.
    pub video_frames: u64,
    /// Audio frames emitted.
    pub audio_frames: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Video,
    Audio,
    Discard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first byte: an IMKH header or a start code.
    Start,
    /// Collecting a header into `hdr`.
    Header,
    /// Searching for `00 00 01 BA` after garbage or lost input.
    Sync,
    /// Inside a packet with `left` payload bytes.
    Payload { left: usize, sink: Sink },
    /// Inside a video PES of length 0: runs to the next PS start code.
    Unbounded { sink: Sink },
}

/// The demuxer. See the [crate docs](crate) for the guarantees.
#[derive(Debug)]
pub struct Demuxer {
    state: State,
    hdr: Vec<u8>,
    window: u32,
    video: VideoAssembler,
    video_id: Option<u8>,
    audio: Vec<u8>,
    audio_id: u8,
    audio_pts: Option<i64>,
    audio_dts: Option<i64>,
    audio_disc: bool,
    map: Option<StreamMap>,
    info: Option<MediaInfo>,
    clock: Clock,
    stats: Stats,
}

impl Default for Demuxer {
    fn default() -> Self {
        Self::new()
    }
}

impl Demuxer {
    /// A demuxer with the default frame cap ([`DEFAULT_MAX_FRAME`]).
    #[must_use]
    pub fn new() -> Self {
        Self::with_max_frame(DEFAULT_MAX_FRAME)
    }

    /// A demuxer whose video access units may grow to `max_frame` bytes (at least 128 KiB).
    #[must_use]
    pub fn with_max_frame(max_frame: usize) -> Self {
        Self {
            state: State::Start,
            hdr: Vec::with_capacity(MAX_HEADER),
            window: u32::MAX,
            video: VideoAssembler::new(max_frame.max(MIN_MAX_FRAME)),
            video_id: None,
            audio: Vec::with_capacity(65_536),
            audio_id: 0xc0,
            audio_pts: None,
            audio_dts: None,
            audio_disc: false,
            map: None,
            info: None,
            clock: Clock::default(),
            stats: Stats::default(),
        }
    }

    /// The frame cap in bytes.
    #[must_use]
    pub fn max_frame(&self) -> usize {
        self.video.max_frame
    }

    /// The IMKH header, if the input started with one or [`Demuxer::set_media_info`] gave it.
    #[must_use]
    pub fn media_info(&self) -> Option<&MediaInfo> {
        self.info.as_ref()
    }

    /// Gives the IMKH header received apart from the stream (SDK data type 1). Its video
    /// codec becomes the claim that sniffing may override.
    pub fn set_media_info(&mut self, info: MediaInfo) {
        if info.video.is_nal() {
            self.video.set_hint(info.video);
        }
        self.info = Some(info);
    }

    /// The latest program stream map, if any.
    #[must_use]
    pub fn stream_map(&self) -> Option<&StreamMap> {
        self.map.as_ref()
    }

    /// The video codec currently in force (sniffed, else announced, else H.264).
    #[must_use]
    pub fn video_codec(&self) -> Codec {
        self.video.codec()
    }

    /// Counters.
    #[must_use]
    pub fn stats(&self) -> Stats {
        let mut s = self.stats;
        s.dropped_frames = self.video.dropped;
        s.video_frames = self.video.frames;
        s
    }

    /// Feeds bytes; `on_frame` is called for every access unit they complete.
    pub fn push<F: FnMut(&Frame<'_>)>(&mut self, data: &[u8], mut on_frame: F) {
        self.stats.bytes += data.len() as u64;
        let mut rest = data;
        while !rest.is_empty() {
            let used = match self.state {
                State::Start => self.step_start(rest),
                State::Header => self.step_header(rest, &mut on_frame),
                State::Sync => self.step_sync(rest),
                State::Payload { left, sink } => self.step_payload(rest, left, sink, &mut on_frame),
                State::Unbounded { sink } => self.step_unbounded(rest, sink, &mut on_frame),
            };
            rest = &rest[used..];
        }
    }

    /// The caller lost `bytes` of input (0 if unknown) right here: the frame in progress is
    /// dropped, the demuxer resynchronises at the next pack header, and the next frame is
    /// flagged as a discontinuity.
    pub fn lost(&mut self, bytes: u64) {
        self.stats.lost_bytes += bytes;
        self.video.lose();
        self.audio.clear();
        self.audio_disc = true;
        self.enter_sync();
    }

    /// End of input: emits the last access unit and resets for a new stream (the counters,
    /// the IMKH header and the stream map are kept).
    pub fn finish<F: FnMut(&Frame<'_>)>(&mut self, mut on_frame: F) {
        self.video.finish(&mut on_frame);
        self.audio.clear();
        self.hdr.clear();
        self.state = State::Start;
        self.clock = Clock::default();
    }

    fn enter_sync(&mut self) {
        self.stats.resyncs += 1;
        self.window = u32::MAX;
        for &b in &self.hdr[self.hdr.len().min(1)..] {
            self.window = (self.window << 8) | u32::from(b);
        }
        self.stats.garbage_bytes += self.hdr.len() as u64;
        self.hdr.clear();
        self.video.discontinuity = true;
        self.audio_disc = true;
        self.state = State::Sync;
    }

    fn step_start(&mut self, rest: &[u8]) -> usize {
        let need = if self.hdr.len() >= 4 && MediaInfo::is_imkh(&self.hdr) {
            IMKH_LEN
        } else {
            4
        };
        let n = (need - self.hdr.len()).min(rest.len());
        self.hdr.extend_from_slice(&rest[..n]);
        if self.hdr.len() < need {
            return n;
        }
        if need == IMKH_LEN {
            if let Some(info) = MediaInfo::parse(&self.hdr) {
                self.set_media_info(info);
            }
            self.hdr.clear();
            self.state = State::Header;
        } else if !MediaInfo::is_imkh(&self.hdr) {
            self.state = State::Header;
        }
        n
    }

    fn step_sync(&mut self, rest: &[u8]) -> usize {
        for (i, &b) in rest.iter().enumerate() {
            self.window = (self.window << 8) | u32::from(b);
            if self.window == 0x0000_01ba {
                self.stats.garbage_bytes = self.stats.garbage_bytes.saturating_sub(3);
                self.hdr.clear();
                self.hdr.extend_from_slice(&[0, 0, 1, pes::PACK]);
                self.state = State::Header;
                return i + 1;
            }
            self.stats.garbage_bytes += 1;
        }
        rest.len()
    }

    fn step_header<F: FnMut(&Frame<'_>)>(&mut self, rest: &[u8], emit: &mut F) -> usize {
        let mut used = 0;
        loop {
            match pes::header_status(&self.hdr) {
                Status::Need(n) => {
                    let take = (n - self.hdr.len()).min(rest.len() - used);
                    self.hdr.extend_from_slice(&rest[used..used + take]);
                    used += take;
                    if self.hdr.len() < n {
                        return used;
                    }
                }
                Status::Invalid if MediaInfo::is_imkh(&self.hdr) => {
                    // A new IMKH header mid-stream: the SDK reconnected.
                    self.video.discontinuity = true;
                    self.state = State::Start;
                    return used;
                }
                Status::Invalid => {
                    self.enter_sync();
                    return used;
                }
                Status::Complete(_) => {
                    self.on_header(emit);
                    return used;
                }
            }
        }
    }

    fn on_header<F: FnMut(&Frame<'_>)>(&mut self, emit: &mut F) {
        let id = self.hdr[3];
        match id {
            pes::PACK => self.stats.packs += 1,
            pes::END => {}
            pes::PSM => self.on_psm(),
            _ if pes::is_av(id) => return self.on_pes(emit),
            _ => {
                self.stats.skipped_packets += 1;
                let left = pes::packet_len(&self.hdr);
                self.hdr.clear();
                self.state = State::Payload {
                    left,
                    sink: Sink::Discard,
                };
                return;
            }
        }
        self.hdr.clear();
        self.state = State::Header;
    }

    fn on_psm(&mut self) {
        self.stats.psms += 1;
        let Some(map) = StreamMap::parse(&self.hdr) else {
            return;
        };
        if let Some(v) = map.entries().iter().find(|e| pes::is_video(e.stream_id)) {
            let codec = v.codec();
            let old = self
                .map
                .and_then(|m| m.get(v.stream_id).map(|e| e.stream_type));
            if old != Some(v.stream_type) && codec != Codec::Unknown {
                self.video.set_hint(codec);
            }
        }
        self.map = Some(map);
    }

    fn on_pes<F: FnMut(&Frame<'_>)>(&mut self, emit: &mut F) {
        self.stats.pes += 1;
        let id = self.hdr[3];
        let len = pes::packet_len(&self.hdr);
        let hdr_len = self.hdr.len();
        if len != 0 && hdr_len > 6 + len {
            return self.enter_sync();
        }
        let (pts, dts) = pes::timestamps(&self.hdr);
        let pts = pts.map(|t| self.clock.extend(t));
        let dts = dts.map(|t| self.clock.extend(t));
        self.hdr.clear();
        let left = (6 + len).saturating_sub(hdr_len);
        let sink = if pes::is_video(id) {
            if *self.video_id.get_or_insert(id) == id {
                self.video.pes_start(id, pts, dts, emit);
                Sink::Video
            } else {
                Sink::Discard
            }
        } else {
            self.audio.clear();
            self.audio_id = id;
            self.audio_pts = pts;
            self.audio_dts = dts.or(pts);
            Sink::Audio
        };
        self.state = if len == 0 && sink != Sink::Audio {
            self.window = u32::MAX;
            State::Unbounded { sink }
        } else {
            State::Payload { left, sink }
        };
        if left == 0 && len != 0 || len == 0 && sink == Sink::Audio {
            self.end_payload(sink, emit);
        }
    }

    fn step_payload<F: FnMut(&Frame<'_>)>(
        &mut self,
        rest: &[u8],
        left: usize,
        sink: Sink,
        emit: &mut F,
    ) -> usize {
        let n = left.min(rest.len()).min(PIECE);
        match sink {
            Sink::Video => self.video.push(&rest[..n], emit),
            Sink::Audio => self.audio.extend_from_slice(&rest[..n]),
            Sink::Discard => {}
        }
        if left == n {
            self.end_payload(sink, emit);
        } else {
            self.state = State::Payload {
                left: left - n,
                sink,
            };
        }
        n
    }

    fn end_payload<F: FnMut(&Frame<'_>)>(&mut self, sink: Sink, emit: &mut F) {
        if sink == Sink::Audio && !self.audio.is_empty() {
            let codec = self
                .map
                .and_then(|m| m.get(self.audio_id).map(|e| e.codec()))
                .or_else(|| self.info.and_then(|i| i.audio))
                .unwrap_or(Codec::Unknown);
            emit(&Frame {
                stream: self.audio_id,
                codec,
                pts: self.audio_pts,
                dts: self.audio_dts,
                key: true,
                discontinuity: self.audio_disc,
                data: &self.audio,
                params: ParamSets::default(),
            });
            self.audio_disc = false;
            self.stats.audio_frames += 1;
            self.audio.clear();
        }
        self.state = State::Header;
    }

    fn step_unbounded<F: FnMut(&Frame<'_>)>(
        &mut self,
        rest: &[u8],
        sink: Sink,
        emit: &mut F,
    ) -> usize {
        let limit = rest.len().min(PIECE);
        let mut found = None;
        for (i, &b) in rest[..limit].iter().enumerate() {
            self.window = (self.window << 8) | u32::from(b);
            if self.window >> 8 == 1 && b >= pes::END {
                found = Some(i + 1);
                break;
            }
        }
        let used = found.unwrap_or(limit);
        if sink == Sink::Video {
            self.video.push(&rest[..used], emit);
        }
        if found.is_some() {
            if sink == Sink::Video {
                self.video.retract(4);
            }
            self.hdr.clear();
            self.hdr.extend_from_slice(&self.window.to_be_bytes());
            self.state = State::Header;
        }
        used
    }
}
