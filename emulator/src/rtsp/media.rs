//! What a simulated device streams: per stream id (101 main, 102 sub, N01/N02 for channel
//! N) the video access units and optional audio frames, with their timestamps.
//!
//! The emulator does not read files: the caller hands over bytes (today the mock's clips,
//! later the shared device model's). [`StreamMedia::from_annexb`] splits an Annex B
//! elementary stream into access units with `hcnetsdk_media::mux::access_units` and then
//! into NAL units with a small start-code splitter of our own (`hcnetsdk-media` keeps its
//! NAL parser private).

use std::collections::BTreeMap;
use std::sync::Arc;

/// The RTP clock of video (90 kHz).
pub const VIDEO_CLOCK: u32 = 90_000;

/// The video codec of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoCodec {
    /// H.264 / AVC (RFC 6184).
    H264,
    /// H.265 / HEVC (RFC 7798).
    H265,
}

/// One video access unit (a picture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoFrame {
    /// Its NAL units, without start codes.
    pub nals: Vec<Vec<u8>>,
    /// Presentation time in 90 kHz units from the start of the clip.
    pub pts: u64,
    /// Whether it is a keyframe (IDR/IRAP, with its parameter sets).
    pub key: bool,
}

/// The audio codec of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioCodec {
    /// G.711 A-law, 8 kHz mono (RTP payload type 8, PCMA).
    Pcma,
    /// G.711 µ-law, 8 kHz mono (RTP payload type 0, PCMU).
    Pcmu,
    /// AAC-LC (RFC 3640 AAC-hbr, dynamic payload type).
    Aac {
        /// Sample rate in Hz.
        sample_rate: u32,
        /// Channel count.
        channels: u8,
        /// The two-byte AudioSpecificConfig (the SDP's `config=`).
        config: [u8; 2],
    },
}

impl AudioCodec {
    /// The RTP clock rate (the sample rate).
    #[must_use]
    pub fn clock_rate(&self) -> u32 {
        match self {
            Self::Pcma | Self::Pcmu => 8000,
            Self::Aac { sample_rate, .. } => *sample_rate,
        }
    }
}

/// One audio frame: G.711 samples, or one raw AAC access unit (ADTS header removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFrame {
    /// The payload bytes.
    pub data: Vec<u8>,
    /// Presentation time in units of the codec's clock rate.
    pub pts: u64,
}

/// The audio track of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioTrack {
    /// Codec and its parameters.
    pub codec: AudioCodec,
    /// The frames, in order.
    pub frames: Vec<AudioFrame>,
}

/// G.711 bytes per RTP packet (20 ms at 8 kHz).
pub const G711_FRAME: usize = 160;

impl AudioTrack {
    /// G.711 A-law (`alaw = true`) or µ-law samples, cut into 20 ms frames.
    #[must_use]
    pub fn g711(alaw: bool, samples: &[u8]) -> Self {
        let frames = samples
            .chunks(G711_FRAME)
            .enumerate()
            .map(|(i, c)| AudioFrame {
                data: c.to_vec(),
                pts: (i * G711_FRAME) as u64,
            })
            .collect();
        let codec = if alaw {
            AudioCodec::Pcma
        } else {
            AudioCodec::Pcmu
        };
        Self { codec, frames }
    }

    /// AAC-LC in ADTS: one frame per ADTS frame, 1024 samples each. `None` if the bytes do
    /// not start with an ADTS header.
    #[must_use]
    pub fn aac_adts(adts: &[u8]) -> Option<Self> {
        const RATES: [u32; 13] = [
            96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
        ];
        let mut frames = Vec::new();
        let mut codec = None;
        let mut at = 0;
        while adts.len() >= at + 7 && adts[at] == 0xff && adts[at + 1] & 0xf0 == 0xf0 {
            let h = &adts[at..at + 7];
            let len =
                (usize::from(h[3] & 3) << 11) | (usize::from(h[4]) << 3) | usize::from(h[5] >> 5);
            let header = if h[1] & 1 == 0 { 9 } else { 7 };
            if len < header || at + len > adts.len() {
                break;
            }
            if codec.is_none() {
                let object = (h[2] >> 6) + 1;
                let freq = (h[2] >> 2) & 0x0f;
                let channels = ((h[2] & 1) << 2) | (h[3] >> 6);
                let config = [
                    (object << 3) | (freq >> 1),
                    ((freq & 1) << 7) | (channels << 3),
                ];
                let sample_rate = *RATES.get(usize::from(freq))?;
                codec = Some(AudioCodec::Aac {
                    sample_rate,
                    channels,
                    config,
                });
            }
            let pts = frames.len() as u64 * 1024;
            frames.push(AudioFrame {
                data: adts[at + header..at + len].to_vec(),
                pts,
            });
            at += len;
        }
        Some(Self {
            codec: codec?,
            frames,
        })
    }
}

/// Everything one stream (say channel 1's main stream, 101) sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamMedia {
    /// Video codec.
    pub codec: VideoCodec,
    /// Coded width in pixels.
    pub width: u16,
    /// Coded height in pixels.
    pub height: u16,
    /// Frames per second.
    pub fps: u32,
    /// The access units; the first is a keyframe.
    pub frames: Vec<VideoFrame>,
    /// Optional audio.
    pub audio: Option<AudioTrack>,
}

impl StreamMedia {
    /// Splits an Annex B elementary stream into access units at `fps` frames per second.
    /// Units before the first keyframe are dropped, so the stream starts at a keyframe.
    #[must_use]
    pub fn from_annexb(codec: VideoCodec, width: u16, height: u16, fps: u32, es: &[u8]) -> Self {
        let media_codec = match codec {
            VideoCodec::H264 => hcnetsdk_media::Codec::H264,
            VideoCodec::H265 => hcnetsdk_media::Codec::H265,
        };
        let step = u64::from(VIDEO_CLOCK / fps.max(1));
        let mut frames = Vec::new();
        hcnetsdk_media::mux::access_units(media_codec, es, |au, key| {
            if key || !frames.is_empty() {
                let pts = frames.len() as u64 * step;
                let nals = split_annexb(au).into_iter().map(<[u8]>::to_vec).collect();
                frames.push(VideoFrame { nals, pts, key });
            }
        });
        Self {
            codec,
            width,
            height,
            fps: fps.max(1),
            frames,
            audio: None,
        }
    }

    /// The same stream with `audio`.
    #[must_use]
    pub fn with_audio(mut self, audio: Option<AudioTrack>) -> Self {
        self.audio = audio;
        self
    }

    /// The clip's length in 90 kHz units (frames × frame duration): the loop period.
    #[must_use]
    pub fn period(&self) -> u64 {
        self.frames.len() as u64 * u64::from(VIDEO_CLOCK / self.fps)
    }

    /// The parameter sets of the first keyframe, by NAL type; VPS only for H.265.
    #[must_use]
    pub fn param_sets(&self) -> hcnetsdk_media::ParamSets<'_> {
        let (mut vps, mut sps, mut pps) = (None, None, None);
        let key = self.frames.iter().find(|f| f.key);
        for nal in key.into_iter().flat_map(|f| &f.nals) {
            let kind = match self.codec {
                VideoCodec::H264 => nal.first().map(|b| b & 0x1f).map(|t| match t {
                    7 => 1,
                    8 => 2,
                    _ => 9,
                }),
                VideoCodec::H265 => nal.first().map(|b| (b >> 1) & 0x3f).map(|t| match t {
                    32 => 0,
                    33 => 1,
                    34 => 2,
                    _ => 9,
                }),
            };
            match kind {
                Some(0) => vps = vps.or(Some(nal.as_slice())),
                Some(1) => sps = sps.or(Some(nal.as_slice())),
                Some(2) => pps = pps.or(Some(nal.as_slice())),
                _ => {}
            }
        }
        hcnetsdk_media::ParamSets { vps, sps, pps }
    }
}

/// Splits Annex B bytes at 3- and 4-byte start codes; returns the NAL units without them.
#[must_use]
pub fn split_annexb(data: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            starts.push((i, i + 3));
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (n, &(_, body)) in starts.iter().enumerate() {
        let mut end = starts.get(n + 1).map_or(data.len(), |&(sc, _)| sc);
        // A 4-byte start code's leading zero (and trailing zero bytes) belong to no NAL.
        while end > body && data[end - 1] == 0 {
            end -= 1;
        }
        if end > body {
            out.push(&data[body..end]);
        }
    }
    out
}

/// One playback's media: a recording's frames, from a [`PlaybackSource`].
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The clip the recording is made of (video only).
    pub media: Arc<StreamMedia>,
    /// Absolute frame ranges `[f0, f1)`, played in order: frame `f` is clip frame
    /// `f mod frames.len()`, at media time `f x` one frame duration. The first of each
    /// range should be a keyframe.
    pub spans: Vec<(i64, i64)>,
}

impl Recorded {
    /// Frames in all spans.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.spans.iter().map(|(a, b)| (b - a).max(0) as u64).sum()
    }
}

/// Where playback (`/ISAPI/Streaming/tracks/<id>/?starttime=…&endtime=…`) gets its media.
pub trait PlaybackSource: Send + Sync + std::fmt::Debug {
    /// The recording of track `track` between the URL's `starttime` and `endtime` (as
    /// sent: `20261201T080000Z`); `None` answers 404.
    fn recording(&self, track: u32, start: &str, end: &str) -> Option<Recorded>;
}

/// The streams of one device, by stream id (`channel * 100 + 1` main, `+ 2` sub), and its
/// recordings.
#[derive(Debug, Clone, Default)]
pub struct MediaSource {
    streams: BTreeMap<u32, Arc<StreamMedia>>,
    playback: Option<Arc<dyn PlaybackSource>>,
}

impl MediaSource {
    /// No streams.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds channel `channel`'s main (N01) and sub (N02) streams.
    #[must_use]
    pub fn with_channel(mut self, channel: u32, main: StreamMedia, sub: StreamMedia) -> Self {
        self.streams.insert(channel * 100 + 1, Arc::new(main));
        self.streams.insert(channel * 100 + 2, Arc::new(sub));
        self
    }

    /// Adds (or replaces) one stream by id.
    #[must_use]
    pub fn with_stream(mut self, id: u32, media: StreamMedia) -> Self {
        self.streams.insert(id, Arc::new(media));
        self
    }

    /// The stream with this id (101, 102, 201, …).
    #[must_use]
    pub fn get(&self, id: u32) -> Option<&Arc<StreamMedia>> {
        self.streams.get(&id)
    }

    /// The same source with recordings to play back.
    #[must_use]
    pub fn with_playback(mut self, playback: Arc<dyn PlaybackSource>) -> Self {
        self.playback = Some(playback);
        self
    }

    /// The recording of `track` over the URL's times, if there is one.
    #[must_use]
    pub fn recording(&self, track: u32, start: &str, end: &str) -> Option<Recorded> {
        self.playback.as_ref()?.recording(track, start, end)
    }

    /// The ids served.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.streams.keys().copied()
    }
}
