//! The clips: shape of every callback, what a demuxer reads from them, looping.

use hcnetsdk_media::{Codec, Demuxer, MediaInfo};

use super::*;

fn every_kind() -> Vec<StreamKind> {
    let mut kinds = Vec::new();
    for sub in [false, true] {
        for video in [VideoCodec::H264, VideoCodec::H265] {
            for audio in [
                AudioCodec::None,
                AudioCodec::G711u,
                AudioCodec::G711a,
                AudioCodec::Aac,
            ] {
                kinds.push(StreamKind {
                    sub,
                    video,
                    audio,
                    shape: Shape::default(),
                });
            }
        }
    }
    kinds
}

/// Demux `laps` loops of the clip as the worker sends them; (video frames as (pts, key,
/// codec), audio frames as (pts, codec)).
#[allow(clippy::type_complexity)]
fn demux(c: &Clip, laps: u64) -> (Vec<(i64, bool, Codec)>, Vec<(i64, Codec)>) {
    let (mut video, mut audio) = (Vec::new(), Vec::new());
    let mut d = Demuxer::new();
    let mut on = |f: &hcnetsdk_media::Frame<'_>| {
        if f.is_video() {
            video.push((f.pts.unwrap(), f.key, f.codec));
        } else {
            audio.push((f.pts.unwrap(), f.codec));
        }
    };
    d.push(&c.header(), &mut on);
    let mut buf = Vec::new();
    for lap in 0..laps {
        for i in 0..c.len() {
            c.fill(i, lap, &mut buf);
            d.push(&buf, &mut on);
        }
    }
    d.finish(&mut on);
    (video, audio)
}

#[test]
fn every_callback_is_one_pes_with_the_pack_header_on_a_frames_first() {
    for kind in every_kind() {
        let c = clip(kind);
        let mut psms = 0;
        for i in 0..c.len() {
            let p = c.packet(i);
            let mut at = 0;
            if p.starts_with(&[0, 0, 1, 0xba]) {
                assert_eq!(p[13] & 7, 6, "{kind:?} {i}: stuffing length");
                at = 20;
                if p[at..].starts_with(&[0, 0, 1, 0xbc]) {
                    psms += 1;
                    at += 6 + usize::from(u16::from_be_bytes([p[at + 4], p[at + 5]]));
                }
            }
            let id = p[at + 3];
            assert!(
                p[at..at + 3] == [0, 0, 1] && (id == 0xe0 || id == 0xc0),
                "{kind:?} {i}: {:02x?}",
                &p[..at + 4]
            );
            let len = 6 + usize::from(u16::from_be_bytes([p[at + 4], p[at + 5]]));
            assert_eq!(at + len, p.len(), "{kind:?} {i}: one PES per callback");
            assert_eq!(len % 4, 0, "{kind:?} {i}: PES padded to 4 bytes");
            assert!(len <= 5096 + 20, "{kind:?} {i}: {len} bytes");
        }
        assert_eq!(psms, 2, "{kind:?}: one PSM per keyframe");
    }
}

#[test]
fn headers_state_the_real_formats() {
    for kind in every_kind() {
        let h = clip(kind).header();
        let m = MediaInfo::parse(&h).unwrap();
        assert_eq!(m.system_format.raw(), 2);
        let (video, rate, bps) = match kind.audio {
            AudioCodec::None => (0, 0, 0),
            AudioCodec::G711u => (0x7110, 8000, 64_000),
            AudioCodec::G711a => (0x7111, 8000, 64_000),
            AudioCodec::Aac => (0x2001, 16_000, 32_000),
        };
        assert_eq!(m.audio_raw, video, "{kind:?}");
        assert_eq!((m.sample_rate, m.audio_bitrate), (rate, bps), "{kind:?}");
        let has = u8::from(rate != 0);
        assert_eq!((m.channels, m.bits_per_sample), (has, 16 * has), "{kind:?}");
        let vraw = match kind.video {
            VideoCodec::H264 => 0x0100,
            VideoCodec::H265 => 0x0005,
        };
        assert_eq!(m.video_raw, vraw, "{kind:?}");
    }
}

#[test]
fn a_demuxer_reads_every_frame_and_time_stamps_run_on_across_loops() {
    for kind in every_kind() {
        let c = clip(kind);
        let (video, audio) = demux(c, 3);
        let want = match kind.video {
            VideoCodec::H264 => Codec::H264,
            VideoCodec::H265 => Codec::H265,
        };
        assert_eq!(video.len(), 150, "{kind:?}: 50 frames a loop");
        for (n, (pts, key, codec)) in video.iter().enumerate() {
            assert_eq!(*codec, want, "{kind:?} frame {n}");
            assert_eq!(*key, n % 25 == 0, "{kind:?} frame {n}: keyframes every 25");
            assert_eq!(*pts, (PTS0 + n as u64 * FRAME_TICKS) as i64, "{kind:?} {n}");
        }
        let (per_loop, step, codec) = match kind.audio {
            AudioCodec::None => (0, 0, Codec::Unknown),
            AudioCodec::G711u => (50, 3600, Codec::G711U),
            AudioCodec::G711a => (50, 3600, Codec::G711A),
            AudioCodec::Aac => (32, 5760, Codec::Aac),
        };
        assert_eq!(audio.len(), 3 * per_loop, "{kind:?}: audio frames");
        for (n, (pts, c)) in audio.iter().enumerate() {
            let (lap, j) = (n / per_loop, n % per_loop);
            let want = PTS0 + lap as u64 * 50 * FRAME_TICKS + j as u64 * step;
            assert_eq!((*pts, *c), (want as i64, codec), "{kind:?} audio {n}");
        }
    }
}

#[test]
fn frame_counter_runs_on_across_loops() {
    let c = clip(StreamKind::default());
    let mut buf = Vec::new();
    let mut counters = Vec::new();
    for lap in 0..2 {
        for i in 0..c.len() {
            c.fill(i, lap, &mut buf);
            if buf.starts_with(&[0, 0, 1, 0xba]) {
                assert_eq!(&buf[14..16], [0xff, 0xff]);
                counters.push(u32::from_be_bytes([buf[16], buf[17], buf[18], buf[19]]));
            }
        }
    }
    assert_eq!(counters, (0..100).collect::<Vec<u32>>());
}

#[test]
fn native_shape_options() {
    let kind = StreamKind {
        sub: false,
        video: VideoCodec::H265,
        audio: AudioCodec::G711a,
        shape: Shape {
            system_header: true,
            private_packets: true,
            max_pes_payload: 65_000,
        },
    };
    let c = clip(kind);
    let count = |pat: [u8; 4]| {
        (0..c.len())
            .filter(|&i| c.packet(i).windows(4).any(|w| w == pat))
            .count()
    };
    assert_eq!(count([0, 0, 1, 0xbb]), 2, "a system header per keyframe");
    assert!(count([0, 0, 1, 0xbd]) >= 10, "private packets");
    let biggest = (0..c.len()).map(|i| c.packet(i).len()).max().unwrap();
    assert!(biggest > 5200, "larger PES: {biggest}");
    let (video, audio) = demux(c, 2);
    assert_eq!(video.len(), 100);
    assert_eq!(audio.len(), 100);
    assert!(video.iter().all(|v| v.2 == Codec::H265));
}

#[test]
fn loops_are_paced_by_time_stamp() {
    let c = clip(StreamKind::default());
    assert_eq!(c.duration_us(), 2_000_000);
    assert_eq!(c.due_us(0), 0);
    assert!((1..c.len()).all(|i| c.due_us(i) >= c.due_us(i - 1)));
    assert_eq!(c.due_us(c.len() - 1), 49 * 40_000);
    let bps = c.bitrate_bps();
    assert!((150_000..=400_000).contains(&bps), "{bps}");
}

#[test]
fn clips_are_built_once() {
    assert!(std::ptr::eq(
        clip(StreamKind::default()),
        clip(StreamKind::default())
    ));
}

#[test]
fn snapshot_is_a_jpeg() {
    let j = snapshot_jpeg();
    assert!(j.len() > 1000 && j.len() <= 60 * 1024, "{} bytes", j.len());
    assert_eq!(&j[..2], [0xFF, 0xD8]);
    assert_eq!(&j[j.len() - 2..], [0xFF, 0xD9]);
    // SOF0 (baseline) marker with height 576, width 704.
    let sof = j
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("no SOF0 marker");
    let dims = &j[sof + 5..sof + 9];
    assert_eq!(u16::from_be_bytes([dims[0], dims[1]]), 576);
    assert_eq!(u16::from_be_bytes([dims[2], dims[3]]), 704);
}
