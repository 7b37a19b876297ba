//! The quirk corpus: each test builds a camera-shaped stream with the crate's muxer,
//! bends it the way some camera or network does, and checks the demuxer copes.

mod common;

use common::*;
use hcnetsdk_media::mux::{MuxConfig, Muxer};
use hcnetsdk_media::{Codec, Demuxer, MediaInfo};

const STEP: u64 = 3600;

/// Muxes `aus`; `between(i, out)` may append bytes after frame `i`.
fn mux_with(
    cfg: MuxConfig,
    aus: &[Vec<u8>],
    pts0: u64,
    mut between: impl FnMut(usize, &mut Vec<u8>),
) -> Vec<u8> {
    let mut m = Muxer::new(cfg);
    let mut out = m.media_info().to_bytes().to_vec();
    for (i, au) in aus.iter().enumerate() {
        m.write_video(au, pts0 + i as u64 * STEP, |p| out.extend_from_slice(p));
        between(i, &mut out);
    }
    out
}

fn h264_cfg() -> MuxConfig {
    MuxConfig::new(Codec::H264, 640, 368)
}

/// The frames match the access units given, in order, with PTS and keyframes.
fn assert_frames(frames: &[&Owned], aus: &[Vec<u8>], pts0: i64, codec: Codec) {
    assert_eq!(frames.len(), aus.len(), "frame count");
    for (i, (f, au)) in frames.iter().zip(aus).enumerate() {
        assert_eq!(f.data, *au, "frame {i} bytes");
        assert_eq!(f.pts, Some(pts0 + i as i64 * STEP as i64), "frame {i} pts");
        assert_eq!(f.codec, codec, "frame {i} codec");
    }
}

#[test]
fn camera_shaped_h264_round_trips_in_any_chunking() {
    let aus = gop(30, 10, 3000, h264_au);
    let ps = mux_with(h264_cfg(), &aus, 0, |_, _| {});
    let whole = demux(&ps);
    assert_frames(&video(&whole), &aus, 0, Codec::H264);
    assert!(whole[0].key && !whole[1].key && whole[10].key);
    assert_eq!(whole[5].sps.as_deref(), Some(H264_SPS));
    assert_eq!(whole[5].pps.as_deref(), Some(H264_PPS));
    for chunk in [1, 2, 3, 7, 188, 5000] {
        assert_eq!(
            demux_chunked(&mut Demuxer::new(), &ps, chunk),
            whole,
            "chunk {chunk}"
        );
    }
    let mut d = Demuxer::new();
    let _ = demux_chunked(&mut d, &ps, 1);
    assert_eq!(d.media_info().map(|m| m.video), Some(Codec::H264));
    assert_eq!(d.stats().video_frames, 30);
}

#[test]
fn private_stream_with_start_codes_inside_is_skipped_by_length() {
    let aus = gop(12, 6, 2000, h264_au);
    let ps = mux_with(h264_cfg(), &aus, 0, |_, out| {
        // A 0xBD packet whose payload looks like a pack header and a video PES.
        let body = [
            0, 0, 1, 0xba, 0x44, 0, 0, 0, 0, 0, 0, 0, 1, 0xe0, 0, 8, 0x8c, 0, 0, 0x65, 0x88, 1, 2,
            3,
        ];
        out.extend_from_slice(&[0, 0, 1, 0xbd, 0, body.len() as u8]);
        out.extend_from_slice(&body);
    });
    let frames = demux(&ps);
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
    assert!(frames.iter().all(|f| !f.disc));
    for chunk in [1, 5] {
        assert_eq!(demux_chunked(&mut Demuxer::new(), &ps, chunk), frames);
    }
}

/// A bare MPEG-2 pack header (no stuffing) followed straight by a video PES.
fn bare_pack(out: &mut Vec<u8>) {
    out.extend_from_slice(&[0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1, 0, 0x5f, 0x93, 0xf8]);
}

fn video_pes(out: &mut Vec<u8>, pts: Option<u64>, len_zero: bool, payload: &[u8]) {
    let hl = if pts.is_some() { 5 } else { 0 };
    let len = if len_zero { 0 } else { 3 + hl + payload.len() };
    out.extend_from_slice(&[0, 0, 1, 0xe0, (len >> 8) as u8, len as u8, 0x80]);
    out.extend_from_slice(&[if pts.is_some() { 0x80 } else { 0 }, hl as u8]);
    if let Some(t) = pts {
        out.extend_from_slice(&[
            0x21 | ((t >> 29) as u8 & 0x0e),
            (t >> 22) as u8,
            ((t >> 14) as u8) | 1,
            (t >> 7) as u8,
            ((t << 1) as u8) | 1,
        ]);
    }
    out.extend_from_slice(payload);
}

#[test]
fn empty_pack_header_then_h265_pes_without_psm_is_sniffed() {
    let aus = gop(9, 4, 1500, h265_au);
    let mut ps = Vec::new();
    for (i, au) in aus.iter().enumerate() {
        bare_pack(&mut ps);
        video_pes(&mut ps, Some(i as u64 * STEP), false, au);
    }
    let frames = demux(&ps);
    assert_frames(&video(&frames), &aus, 0, Codec::H265);
    let keys: Vec<bool> = frames.iter().map(|f| f.key).collect();
    assert_eq!(
        keys,
        [true, false, false, false, true, false, false, false, true]
    );
    assert_eq!(frames[2].vps.as_deref(), Some(H265_VPS));
    assert_eq!(frames[2].sps.as_deref(), Some(H265_SPS));
    assert_eq!(frames[2].pps.as_deref(), Some(H265_PPS));
}

#[test]
fn psm_and_imkh_claiming_h264_over_h265_payload() {
    let aus = gop(10, 5, 2500, h265_au);
    let mut cfg = MuxConfig::new(Codec::H265, 1920, 1080);
    cfg.psm_stream_type = Some(0x1b);
    let mut ps = mux_with(cfg, &aus, 900, |_, _| {});
    ps[..40].copy_from_slice(&MediaInfo::new_ps(Codec::H264, None).to_bytes());
    let mut d = Demuxer::new();
    let frames = demux_chunked(&mut d, &ps, 1);
    assert_eq!(
        d.media_info().unwrap().video,
        Codec::H264,
        "the header lies"
    );
    assert_eq!(d.stream_map().unwrap().get(0xe0).unwrap().stream_type, 0x1b);
    assert_frames(&video(&frames), &aus, 900, Codec::H265);
    assert_eq!(frames.iter().filter(|f| f.key).count(), 2);
    assert_eq!(d.video_codec(), Codec::H265);
}

#[test]
fn psm_with_inconsistent_descriptor_lengths() {
    // PSM: info length 200 (overruns), es_map_length 3 (too small), audio entry 0x90 on
    // 0xC0, video entry with es_info_length 40 (overruns the packet).
    let mut psm = vec![0, 0, 1, 0xbc, 0, 0, 0xe0, 0xff, 0, 200, 0, 3];
    psm.extend_from_slice(&[0x90, 0xc0, 0, 0]);
    // Descriptor 0x42 in the SDK's layout: 14 bytes, the size at bytes 4..8.
    psm.extend_from_slice(&[
        0x24, 0xe0, 0, 40, 0x42, 14, 0, 0, 0, 0, 0x02, 0x80, 0x01, 0x70,
    ]);
    psm.extend_from_slice(&[0; 6]);
    psm.extend_from_slice(&[0, 0, 0, 0]); // CRC (not checked)
    let len = psm.len() - 6;
    psm[5] = len as u8;
    let aus = gop(6, 3, 800, h265_au);
    let mut ps = Vec::new();
    for (i, au) in aus.iter().enumerate() {
        bare_pack(&mut ps);
        ps.extend_from_slice(&psm);
        video_pes(&mut ps, Some(i as u64 * STEP), false, au);
        let mut m = Muxer::new(MuxConfig::new(Codec::H265, 0, 0));
        m.write_audio(&[0xd5; 160], i as u64 * STEP, |p| ps.extend_from_slice(p));
    }
    let mut d = Demuxer::new();
    let frames = demux_chunked(&mut d, &ps, 3);
    let map = d.stream_map().unwrap();
    assert_eq!(map.entries().len(), 2);
    assert_eq!(map.get(0xc0).unwrap().codec(), Codec::G711A);
    assert_eq!(map.get(0xe0).unwrap().size, Some((640, 368)));
    assert_frames(&video(&frames), &aus, 0, Codec::H265);
    let audio: Vec<_> = frames.iter().filter(|f| f.stream == 0xc0).collect();
    assert_eq!(audio.len(), 6);
    assert!(
        audio
            .iter()
            .all(|a| a.codec == Codec::G711A && a.data == [0xd5; 160])
    );
}

#[test]
fn frames_over_64_kib_are_whole() {
    let aus: Vec<Vec<u8>> = (0..4)
        .map(|i| h264_au(i, i == 0, 200_000 + i * 999))
        .collect();
    let ps = mux_with(h264_cfg(), &aus, 0, |_, _| {});
    let frames = demux(&ps);
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
    assert_eq!(demux_chunked(&mut Demuxer::new(), &ps, 1), frames);
}

#[test]
fn frames_over_the_cap_are_dropped_and_counted() {
    let aus: Vec<Vec<u8>> = (0..5)
        .map(|i| h264_au(i, true, if i == 2 { 300_000 } else { 5000 }))
        .collect();
    let ps = mux_with(h264_cfg(), &aus, 0, |_, _| {});
    let mut d = Demuxer::with_max_frame(128 << 10);
    let frames = demux_chunked(&mut d, &ps, 4096);
    assert_eq!(d.stats().dropped_frames, 1);
    let sizes: Vec<usize> = frames.iter().map(|f| f.data.len()).collect();
    assert_eq!(
        sizes,
        [aus[0].len(), aus[1].len(), aus[3].len(), aus[4].len()]
    );
    assert_eq!(
        frames.iter().map(|f| f.disc).collect::<Vec<_>>(),
        [false, false, true, false]
    );
}

#[test]
fn pes_with_length_zero_runs_to_the_next_start_code() {
    let aus = gop(8, 4, 7000, h264_au);
    let mut ps = Vec::new();
    for (i, au) in aus.iter().enumerate() {
        bare_pack(&mut ps);
        video_pes(&mut ps, Some(i as u64 * STEP), true, au);
    }
    ps.extend_from_slice(&[0, 0, 1, 0xb9]);
    let frames = demux(&ps);
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
    for chunk in [1, 2, 3] {
        assert_eq!(
            demux_chunked(&mut Demuxer::new(), &ps, chunk),
            frames,
            "chunk {chunk}"
        );
    }
}

#[test]
fn garbage_between_packs_resyncs_at_the_next_pack() {
    let aus = gop(10, 5, 1200, h264_au);
    let junk = [
        0x13, 0, 0, 1, 0x42, 0x77, 0, 0, 1, 0xe0, 0, 0, 0, 9, 0xff, 0xba,
    ];
    let ps = mux_with(h264_cfg(), &aus, 0, |i, out| {
        if i == 3 {
            out.extend_from_slice(&junk);
        }
    });
    let mut d = Demuxer::new();
    let frames = demux_chunked(&mut d, &ps, 1);
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
    assert_eq!(d.stats().garbage_bytes, junk.len() as u64);
    assert!(d.stats().resyncs >= 1);
    assert!(frames[3].disc, "the frame the garbage followed is flagged");
}

#[test]
fn mid_stream_psm_change_of_codec_and_resolution() {
    let mut aus = gop(6, 3, 1000, h264_au);
    aus.extend(gop(6, 3, 1000, h265_au));
    let mut m = Muxer::new(h264_cfg());
    let mut ps = m.media_info().to_bytes().to_vec();
    let mut d = Demuxer::new();
    let mut frames = Vec::new();
    let mut sizes = Vec::new();
    for (i, au) in aus.iter().enumerate() {
        if i == 6 {
            m.set_config(MuxConfig::new(Codec::H265, 1920, 1080));
        }
        ps.clear();
        m.write_video(au, i as u64 * STEP, |p| ps.extend_from_slice(p));
        d.push(&ps, |f| frames.push(Owned::of(f)));
        sizes.push(
            d.stream_map()
                .and_then(|s| s.get(0xe0))
                .and_then(|e| e.size),
        );
    }
    d.finish(|f| frames.push(Owned::of(f)));
    assert_eq!(frames.len(), 12);
    for (i, f) in frames.iter().enumerate() {
        let codec = if i < 6 { Codec::H264 } else { Codec::H265 };
        assert_eq!((f.codec, &f.data), (codec, &aus[i]), "frame {i}");
    }
    assert_eq!(sizes[5], Some((640, 368)));
    assert_eq!(sizes[6], Some((1920, 1080)));
    assert_eq!(frames[7].sps.as_deref(), Some(H265_SPS));
}

#[test]
fn pts_is_extended_across_the_33_bit_wrap() {
    let aus = gop(10, 5, 500, h264_au);
    let pts0 = (1u64 << 33) - 4 * STEP;
    let ps = mux_with(h264_cfg(), &aus, pts0, |_, _| {});
    let frames = demux(&ps);
    assert_frames(&video(&frames), &aus, pts0 as i64, Codec::H264);
    assert!(frames[9].pts.unwrap() > 1 << 33);
}

#[test]
fn lost_input_drops_the_frame_in_progress_and_flags_the_next() {
    let aus = gop(10, 5, 3000, h264_au);
    let ps = mux_with(h264_cfg(), &aus, 0, |_, _| {});
    let mut d = Demuxer::new();
    let mut frames = Vec::new();
    let cut = ps.len() / 2;
    d.push(&ps[..cut], |f| frames.push(Owned::of(f)));
    d.lost(1000);
    d.push(&ps[cut + 1000..], |f| frames.push(Owned::of(f)));
    d.finish(|f| frames.push(Owned::of(f)));
    assert_eq!(d.stats().lost_bytes, 1000);
    let first_after = frames.iter().position(|f| f.disc).expect("a flagged frame");
    assert!(frames[first_after..].iter().skip(1).all(|f| !f.disc));
    for f in &frames {
        let i = (f.pts.unwrap() / STEP as i64) as usize;
        assert_eq!(f.data, aus[i], "frame {i} intact");
    }
    assert!(frames.len() < aus.len());
}

#[test]
fn audio_frames_carry_their_codec_and_pts() {
    let mut cfg = h264_cfg();
    cfg.audio = Some(Codec::G711U);
    let mut m = Muxer::new(cfg);
    let mut ps = m.media_info().to_bytes().to_vec();
    let aus = gop(4, 2, 900, h264_au);
    for (i, au) in aus.iter().enumerate() {
        m.write_video(au, i as u64 * STEP, |p| ps.extend_from_slice(p));
        m.write_audio(&filler(i, 320), i as u64 * STEP + 10, |p| {
            ps.extend_from_slice(p)
        });
    }
    let frames = demux_chunked(&mut Demuxer::new(), &ps, 1);
    let audio: Vec<_> = frames.iter().filter(|f| f.stream == 0xc0).collect();
    assert_eq!(audio.len(), 4);
    assert!(
        audio
            .iter()
            .all(|a| a.codec == Codec::G711U && a.key && a.data.len() == 320)
    );
    assert_eq!(audio[3].pts, Some(3 * STEP as i64 + 10));
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
}

#[test]
fn muxer_writes_the_camera_shape() {
    let mut cfg = h264_cfg();
    cfg.audio = Some(Codec::G711A);
    let mut m = Muxer::new(cfg);
    let key = h264_au(0, true, 12_000); // SPS, PPS, SEI, IDR of 12 002 bytes
    let mut packets: Vec<Vec<u8>> = Vec::new();
    m.write_video(&key, 3600, |p| packets.push(p.to_vec()));
    m.write_video(&h264_au(1, false, 100), 7200, |p| packets.push(p.to_vec()));
    // [BA + BC + E0(SPS, PTS)], [E0 PPS], [E0 SEI], 3 x [E0 IDR part], [BA + E0(P, PTS)]
    assert_eq!(packets.len(), 7);
    let first = &packets[0];
    assert_eq!(&first[..4], [0, 0, 1, 0xba]);
    assert_eq!(first[13] & 7, 6, "6 stuffing bytes");
    assert_eq!(
        &first[14..20],
        [0xff, 0xff, 0, 0, 0, 0],
        "ff ff + frame counter 0"
    );
    assert_eq!(&first[20..24], [0, 0, 1, 0xbc]);
    let psm_len = usize::from(u16::from_be_bytes([first[24], first[25]]));
    let pes = &first[26 + psm_len..];
    assert_eq!(&pes[..4], [0, 0, 1, 0xe0]);
    assert_eq!(&pes[6..8], [0x8c, 0x80], "PTS on the frame's first PES");
    assert_eq!(pes.len() % 4, 0);
    let map = hcnetsdk_media::StreamMap::parse(&first[20..26 + psm_len]).unwrap();
    assert_eq!(map.get(0xe0).unwrap().stream_type, 0x1b);
    assert_eq!(map.get(0xc0).unwrap().stream_type, 0x90);
    assert!(map.get(0xbd).is_some());
    for (i, p) in packets[1..6].iter().enumerate() {
        // The IDR's second and third pieces continue a NAL unit: no data alignment.
        let flags = if i < 3 { [0x8c, 0] } else { [0x88, 0] };
        assert_eq!((&p[..4], &p[6..8]), (&[0, 0, 1, 0xe0][..], &flags[..]));
        assert_eq!(p.len() % 4, 0, "stuffed to a multiple of 4");
        assert!(
            p.len() - 9 - usize::from(p[8]) <= 5096,
            "NAL split at 5096 bytes"
        );
    }
    assert_eq!(
        &packets[6][14..20],
        [0xff, 0xff, 0, 0, 0, 1],
        "frame counter 1"
    );
    assert_eq!(&packets[6][20..24], [0, 0, 1, 0xe0], "no PSM on a P frame");
}

#[test]
fn a_new_imkh_header_mid_stream_is_read_as_a_reconnect() {
    let aus = gop(6, 3, 700, h264_au);
    let first = mux_with(h264_cfg(), &aus[..3], 0, |_, _| {});
    let second = mux_with(MuxConfig::new(Codec::H265, 64, 64), &[], 0, |_, _| {});
    let mut m = Muxer::new(h264_cfg());
    let mut ps = first.clone();
    ps.extend_from_slice(&second[..40]);
    for (i, au) in aus[3..].iter().enumerate() {
        m.write_video(au, (3 + i as u64) * STEP, |p| ps.extend_from_slice(p));
    }
    let mut d = Demuxer::new();
    let frames = demux_chunked(&mut d, &ps, 1);
    assert_frames(&video(&frames), &aus, 0, Codec::H264);
    assert_eq!(d.stats().garbage_bytes, 0);
    assert_eq!(
        d.media_info().unwrap().video,
        Codec::H265,
        "the second header is read"
    );
    assert_eq!(
        frames.iter().map(|f| f.disc).collect::<Vec<_>>(),
        [false, false, true, false, false, false]
    );
}
