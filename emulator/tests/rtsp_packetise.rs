//! The RTP packetisers, the media splitting and the SDP, without a network.

mod rtsp_common;

use hcnetsdk_emulator::rtsp::media::split_annexb;
use hcnetsdk_emulator::rtsp::rtp::{RtpWriter, aac_payload, h264_payloads, h265_payloads};
use hcnetsdk_emulator::rtsp::{AudioCodec, AudioTrack, StreamMedia, VideoCodec, sdp};
use hcnetsdk_media::{Codec, MediaInfo, SystemFormat};
use rtsp_common::load_clips;

fn nal(head: &[u8], len: usize) -> Vec<u8> {
    let mut v = head.to_vec();
    v.extend((0..len - head.len()).map(|i| (i * 7 % 251) as u8 + 1));
    v
}

/// Our own RFC 6184 depacketiser (single NAL and FU-A only).
fn h264_reassemble(payloads: &[Vec<u8>]) -> Vec<u8> {
    let first = &payloads[0];
    if first[0] & 0x1f != 28 {
        assert_eq!(payloads.len(), 1);
        return first.clone();
    }
    let mut out = vec![(first[0] & 0xe0) | (first[1] & 0x1f)];
    for p in payloads {
        out.extend_from_slice(&p[2..]);
    }
    out
}

/// Our own RFC 7798 depacketiser (single NAL and FU only).
fn h265_reassemble(payloads: &[Vec<u8>]) -> Vec<u8> {
    let first = &payloads[0];
    if (first[0] >> 1) & 0x3f != 49 {
        assert_eq!(payloads.len(), 1);
        return first.clone();
    }
    let mut out = vec![(first[0] & 0x81) | ((first[2] & 0x3f) << 1), first[1]];
    for p in payloads {
        out.extend_from_slice(&p[3..]);
    }
    out
}

#[test]
fn h264_small_nal_is_one_packet() {
    let n = nal(&[0x67, 0x4d], 30);
    assert_eq!(h264_payloads(&n, 1400), vec![n.clone()]);
    assert_eq!(h264_payloads(&nal(&[0x65], 1400), 1400).len(), 1);
    assert!(h264_payloads(&[], 1400).is_empty());
}

#[test]
fn h264_fu_a_splits_marks_and_reassembles() {
    for len in [1401, 2798, 2799, 5000, 40_000] {
        let n = nal(&[0x65], len);
        let p = h264_payloads(&n, 1400);
        assert_eq!(p.len(), (len - 1).div_ceil(1398), "len {len}");
        for (i, pkt) in p.iter().enumerate() {
            assert!(pkt.len() <= 1400);
            assert_eq!(pkt[0], 0x60 | 28, "F=0, NRI of the NAL, type 28");
            assert_eq!(pkt[1] & 0x1f, 5, "original type");
            assert_eq!(pkt[1] & 0x80 != 0, i == 0, "S bit");
            assert_eq!(pkt[1] & 0x40 != 0, i + 1 == p.len(), "E bit");
            assert_eq!(pkt[1] & 0x20, 0, "R bit");
        }
        assert_eq!(h264_reassemble(&p), n, "len {len}");
    }
}

#[test]
fn h265_fu_splits_marks_and_reassembles() {
    let small = nal(&[0x40, 0x01], 24);
    assert_eq!(h265_payloads(&small, 1400), vec![small.clone()]);
    // IDR_W_RADL (19), layer 0, TID 1.
    for len in [1401, 3000, 20_000] {
        let n = nal(&[19 << 1, 0x01], len);
        let p = h265_payloads(&n, 1400);
        assert_eq!(p.len(), (len - 2).div_ceil(1397), "len {len}");
        for (i, pkt) in p.iter().enumerate() {
            assert!(pkt.len() <= 1400);
            assert_eq!((pkt[0] >> 1) & 0x3f, 49);
            assert_eq!(pkt[1], 0x01, "layer id and TID kept");
            assert_eq!(pkt[2] & 0x3f, 19);
            assert_eq!(pkt[2] & 0x80 != 0, i == 0);
            assert_eq!(pkt[2] & 0x40 != 0, i + 1 == p.len());
        }
        assert_eq!(h265_reassemble(&p), n);
    }
}

#[test]
fn rtp_header_sequence_and_marker() {
    let mut w = RtpWriter::new(96, 0xdead_beef, 0xfffe);
    let nals = vec![nal(&[0x67], 20), nal(&[0x68], 4), nal(&[0x65], 3000)];
    let pkts = w.video_frame(false, &nals, 123_456, 1400);
    assert_eq!(pkts.len(), 2 + 3);
    for (i, p) in pkts.iter().enumerate() {
        assert_eq!(p[0], 0x80, "V=2");
        assert_eq!(p[1] & 0x7f, 96);
        assert_eq!(
            p[1] & 0x80 != 0,
            i + 1 == pkts.len(),
            "marker on the last packet only"
        );
        assert_eq!(
            u16::from_be_bytes([p[2], p[3]]),
            0xfffe_u16.wrapping_add(i as u16)
        );
        assert_eq!(u32::from_be_bytes([p[4], p[5], p[6], p[7]]), 123_456);
        assert_eq!(u32::from_be_bytes([p[8], p[9], p[10], p[11]]), 0xdead_beef);
    }
    assert_eq!(&pkts[0][12..], &nals[0][..]);
    assert_eq!(w.seq, 3);
}

#[test]
fn aac_payload_has_one_au_header() {
    let au = vec![0x21; 300];
    let p = aac_payload(&au);
    assert_eq!(&p[..2], &[0, 16], "AU-headers-length 16 bits");
    assert_eq!(u16::from_be_bytes([p[2], p[3]]) >> 3, 300);
    assert_eq!(p[3] & 7, 0, "index 0");
    assert_eq!(&p[4..], &au[..]);
}

#[test]
fn clips_split_into_frames_that_packetise_back() {
    let c = load_clips();
    for (codec, es) in [
        (VideoCodec::H264, &c.main_h264),
        (VideoCodec::H265, &c.main_h265),
    ] {
        let m = StreamMedia::from_annexb(codec, 640, 360, 25, es);
        assert_eq!(m.frames.len(), 50);
        assert!(m.frames[0].key && m.frames[25].key && !m.frames[1].key);
        assert_eq!(m.frames[1].pts, 3600);
        assert_eq!(m.period(), 180_000);
        let all: Vec<&[u8]> = m
            .frames
            .iter()
            .flat_map(|f| f.nals.iter().map(Vec::as_slice))
            .collect();
        assert_eq!(all, split_annexb(es), "no NAL lost or changed");
        for n in m.frames.iter().flat_map(|f| &f.nals) {
            let (p, back) = if codec == VideoCodec::H264 {
                let p = h264_payloads(n, 1400);
                let back = h264_reassemble(&p);
                (p, back)
            } else {
                let p = h265_payloads(n, 1400);
                let back = h265_reassemble(&p);
                (p, back)
            };
            assert!(p.iter().all(|x| x.len() <= 1400));
            assert_eq!(&back, n);
        }
    }
}

#[test]
fn audio_clips_frame_as_expected() {
    let c = load_clips();
    let a = AudioTrack::g711(true, &c.alaw);
    assert_eq!((a.codec.clone(), a.frames.len()), (AudioCodec::Pcma, 100));
    assert_eq!(a.frames[1].pts, 160);
    let aac = AudioTrack::aac_adts(&c.aac).unwrap();
    assert_eq!(
        aac.codec,
        AudioCodec::Aac {
            sample_rate: 16_000,
            channels: 1,
            config: [0x14, 0x08]
        }
    );
    assert_eq!(aac.frames.len(), 33);
    assert_eq!(aac.frames[2].pts, 2048);
    assert!(
        aac.frames
            .iter()
            .all(|f| f.data[0] != 0xff || f.data[1] & 0xf0 != 0xf0),
        "ADTS headers removed"
    );
    assert!(AudioTrack::aac_adts(b"not adts").is_none());
}

fn media_header_of(text: &str) -> MediaInfo {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("a=Media_header:MEDIAINFO="))
        .expect("Media_header");
    let hex_part = line.strip_suffix(';').expect("ends with ;");
    assert_eq!(hex_part.len(), 80);
    MediaInfo::parse(&hex::decode(hex_part).unwrap()).unwrap()
}

#[test]
fn sdp_h264_with_g711a() {
    let c = load_clips();
    let m = StreamMedia::from_annexb(VideoCodec::H264, 640, 360, 25, &c.main_h264)
        .with_audio(Some(AudioTrack::g711(true, &c.alaw)));
    let text = sdp::describe(&m, "127.0.0.1");
    let info = media_header_of(&text);
    assert_eq!(info.system_format, SystemFormat::Rtp);
    assert_eq!((info.video, info.audio), (Codec::H264, Some(Codec::G711A)));
    assert_eq!(
        (
            info.channels,
            info.bits_per_sample,
            info.sample_rate,
            info.audio_bitrate
        ),
        (1, 16, 8000, 64_000)
    );
    assert!(text.contains("m=video 0 RTP/AVP 96\r\n"));
    assert!(text.contains("a=rtpmap:96 H264/90000\r\n"));
    assert!(text.contains("a=control:trackID=1\r\n"));
    assert!(text.contains("m=audio 0 RTP/AVP 8\r\n"));
    assert!(text.contains("a=rtpmap:8 PCMA/8000\r\n"));
    assert!(text.contains("a=control:trackID=2\r\n"));
    let sets = text
        .split("sprop-parameter-sets=")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .next()
        .unwrap();
    let (sps, pps) = sets.split_once(',').unwrap();
    let first = &m.frames[0].nals;
    assert_eq!(sdp::unbase64(sps).unwrap(), first[0], "SPS");
    assert_eq!(sdp::unbase64(pps).unwrap(), first[1], "PPS");
    assert!(text.contains(&format!(
        "profile-level-id={}",
        hex::encode_upper(&first[0][1..4])
    )));
}

#[test]
fn sdp_h265_with_aac() {
    let c = load_clips();
    let m = StreamMedia::from_annexb(VideoCodec::H265, 640, 360, 25, &c.main_h265)
        .with_audio(AudioTrack::aac_adts(&c.aac));
    let text = sdp::describe(&m, "127.0.0.1");
    let info = media_header_of(&text);
    assert_eq!((info.video_raw, info.audio), (0x0005, Some(Codec::Aac)));
    assert_eq!(info.sample_rate, 16_000);
    assert!(text.contains("a=rtpmap:96 H265/90000\r\n"));
    for key in ["sprop-vps=", "sprop-sps=", "sprop-pps="] {
        assert!(text.contains(key), "{key}");
    }
    let vps = text
        .split("sprop-vps=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    assert_eq!(sdp::unbase64(vps).unwrap(), m.frames[0].nals[0]);
    assert!(text.contains("a=rtpmap:97 mpeg4-generic/16000/1\r\n"));
    assert!(
        text.contains(
            "mode=AAC-hbr; config=1408; SizeLength=13; IndexLength=3; IndexDeltaLength=3"
        )
    );
}

#[test]
fn base64_round_trip() {
    for n in 0..20u8 {
        let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(sdp::unbase64(&sdp::base64(&data)).unwrap(), data);
    }
    assert_eq!(sdp::base64(b"admin:12345"), "YWRtaW46MTIzNDU=");
}
