//! The SDP a DESCRIBE answers, shaped like a Hikvision camera's: session lines, the video
//! m-line (track 1), the audio m-line (track 2, when there is audio), then the
//! `a=Media_header:MEDIAINFO=<IMKH hex>;` line without which the real SDK fails with 414.

use std::fmt::Write as _;

use hcnetsdk_media::{Codec, MediaInfo, SystemFormat};

use super::media::{AudioCodec, StreamMedia, VideoCodec};
use super::rtp::{PT_AAC, PT_PCMA, PT_PCMU, PT_VIDEO};

/// The 40-byte IMKH header a camera puts in its SDP: system_format 4 (RTP), the video codec
/// (0x0100 H.264, 0x0005 H.265) and the audio fields (G.711: 1 channel, 16 bits, 8000 Hz,
/// 64 kbit/s, as the SDK's own type-1 header shows; AAC: its rate, 16 bits, 32 kbit/s).
#[must_use]
pub fn media_header(media: &StreamMedia) -> [u8; 40] {
    let video = match media.codec {
        VideoCodec::H264 => Codec::H264,
        VideoCodec::H265 => Codec::H265,
    };
    let audio = media.audio.as_ref().map(|a| match a.codec {
        AudioCodec::Pcma => Codec::G711A,
        AudioCodec::Pcmu => Codec::G711U,
        AudioCodec::Aac { .. } => Codec::Aac,
    });
    let mut info = MediaInfo::new_ps(video, audio);
    info.system_format = SystemFormat::Rtp;
    if let Some(AudioCodec::Aac {
        sample_rate,
        channels,
        ..
    }) = media.audio.as_ref().map(|a| &a.codec)
    {
        info.sample_rate = *sample_rate;
        info.channels = *channels;
        info.audio_bitrate = 32_000;
    }
    info.to_bytes()
}

/// The SDP for `media`. `origin` is the server address in the o= and c= lines.
#[must_use]
pub fn describe(media: &StreamMedia, origin: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "v=0\r\no=- 1109162014219182 1109162014219182 IN IP4 {origin}\r\n\
         s=Media Presentation\r\ne=NONE\r\nb=AS:5100\r\nt=0 0\r\n"
    );
    let (name, params) = match media.codec {
        VideoCodec::H264 => ("H264", h264_fmtp(media)),
        VideoCodec::H265 => ("H265", h265_fmtp(media)),
    };
    let _ = write!(
        s,
        "m=video 0 RTP/AVP {PT_VIDEO}\r\nc=IN IP4 0.0.0.0\r\nb=AS:5000\r\na=recvonly\r\n\
         a=x-dimensions:{},{}\r\na=control:trackID=1\r\na=rtpmap:{PT_VIDEO} {name}/90000\r\n\
         a=fmtp:{PT_VIDEO} {params}\r\n",
        media.width, media.height
    );
    if let Some(audio) = &media.audio {
        let (pt, rtpmap, fmtp) = match &audio.codec {
            AudioCodec::Pcma => (PT_PCMA, "PCMA/8000".to_owned(), None),
            AudioCodec::Pcmu => (PT_PCMU, "PCMU/8000".to_owned(), None),
            AudioCodec::Aac {
                sample_rate,
                channels,
                config,
            } => (
                PT_AAC,
                format!("mpeg4-generic/{sample_rate}/{channels}"),
                Some(format!(
                    "streamtype=5; profile-level-id=15; mode=AAC-hbr; config={}; \
                     SizeLength=13; IndexLength=3; IndexDeltaLength=3",
                    hex::encode(config)
                )),
            ),
        };
        let _ = write!(
            s,
            "m=audio 0 RTP/AVP {pt}\r\nc=IN IP4 0.0.0.0\r\nb=AS:50\r\na=recvonly\r\n\
             a=control:trackID=2\r\na=rtpmap:{pt} {rtpmap}\r\n"
        );
        if let Some(f) = fmtp {
            let _ = write!(s, "a=fmtp:{pt} {f}\r\n");
        }
    }
    let _ = write!(
        s,
        "a=Media_header:MEDIAINFO={};\r\na=appversion:1.0\r\n",
        hex::encode_upper(media_header(media))
    );
    s
}

/// `sdp` without its `a=Media_header:` line (an SDP the real SDK refuses with 414).
#[must_use]
pub fn without_media_header(sdp: &str) -> String {
    sdp.split_inclusive("\r\n")
        .filter(|line| !line.starts_with("a=Media_header:"))
        .collect()
}

fn h264_fmtp(media: &StreamMedia) -> String {
    let hcnetsdk_media::ParamSets { sps, pps, .. } = media.param_sets();
    let profile = sps
        .filter(|s| s.len() >= 4)
        .map_or("420029".to_owned(), |s| hex::encode_upper(&s[1..4]));
    let sets: Vec<String> = [sps, pps].into_iter().flatten().map(base64).collect();
    format!(
        "profile-level-id={profile}; packetization-mode=1; sprop-parameter-sets={}",
        sets.join(",")
    )
}

fn h265_fmtp(media: &StreamMedia) -> String {
    let hcnetsdk_media::ParamSets { vps, sps, pps } = media.param_sets();
    let mut parts = Vec::new();
    for (name, set) in [("sprop-vps", vps), ("sprop-sps", sps), ("sprop-pps", pps)] {
        if let Some(set) = set {
            parts.push(format!("{name}={}", base64(set)));
        }
    }
    parts.join("; ")
}

/// Standard base64, the `base64` crate's alphabet and rules, decoding as leniently as RTSP
/// peers need: padding optional, trailing bits ignored.
const B64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Standard base64 with padding.
#[must_use]
pub fn base64(data: &[u8]) -> String {
    base64::Engine::encode(&B64, data)
}

/// Decodes standard base64 (padding optional); `None` on any other character.
#[must_use]
pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&B64, text.trim_end_matches('=')).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn without_media_header_drops_only_that_line() {
        let sdp = "v=0\r\na=control:trackID=1\r\na=Media_header:MEDIAINFO=494D4B48;\r\na=appversion:1.0\r\n";
        assert_eq!(
            super::without_media_header(sdp),
            "v=0\r\na=control:trackID=1\r\na=appversion:1.0\r\n"
        );
    }
}
