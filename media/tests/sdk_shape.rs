//! The real SDK's PS shape, as measured by running HCNetSDK 6.1.9.48 against the emulator
//! (`emulator/README.md`, "The real SDK previews from the RTSP face"): its program stream
//! map (descriptors 0x40, 0x41 and 0x42 and where the coded size sits) and its PES header
//! stuffing. The demuxer reads the SDK's map; the muxer writes the SDK's layout.

mod common;

use common::*;
use hcnetsdk_media::mux::{MuxConfig, Muxer, PsmTime, crc32_mpeg};
use hcnetsdk_media::{Codec, Demuxer, StreamMap};

/// The time in the measured H.264 map's descriptor 0x40 (the SDK's clock, UTC there).
const MEASURED_TIME: PsmTime = PsmTime {
    year: 2026,
    month: 12,
    day: 6,
    hour: 7,
    minute: 21,
    second: 36,
};

/// A program stream map as the SDK writes it before a keyframe, field by field. `video`
/// is the video stream type; `audio` adds the SDK's G.711µ entry. Bytes marked "not
/// understood" are what the SDK wrote; the muxer writes zeros there (`mask`).
fn sdk_psm(video: u8, height: u16, audio: bool, mask: bool) -> Vec<u8> {
    let unknown = |b: &[u8]| if mask { vec![0; b.len()] } else { b.to_vec() };
    // current_next 1, reserved 11, version 0; reserved bits and marker; info length 36.
    let mut p = vec![0, 0, 1, 0xbc, 0, 0, 0xe0, 0xff, 0, 36];
    // 0x40: "HK", 2 bytes not understood, the time (year - 2000, month, day, hour,
    // minute, second in 34 bits; then a set bit not understood, zeros), 3 bytes not
    // understood.
    p.extend_from_slice(&[0x40, 14, b'H', b'K']);
    p.extend(unknown(&[0x01, 0x00]));
    p.extend_from_slice(&[0x1a, 0xc3, 0x1d, 0x59]);
    p.push(if mask { 0x00 } else { 0x20 });
    p.extend_from_slice(&[0, 0]);
    p.extend(unknown(&[0xff, 0xff, 0xff]));
    // 0x41: "HK" and 16 zero bytes.
    p.extend_from_slice(&[0x41, 18, b'H', b'K']);
    p.extend_from_slice(&[0; 16]);
    // ES map: video entry (0x42), the audio entry (0x43, 10 bytes), `bd bd`.
    let es_len = 20 + if audio { 16 } else { 0 } + 4;
    p.extend_from_slice(&[0, es_len, video, 0xe0, 0, 16]);
    // 0x42: 4 bytes not understood, width and height, 6 bytes not understood.
    p.extend_from_slice(&[0x42, 14]);
    p.extend(unknown(&[0x4d, 0x58, 0x27, 0x64]));
    p.extend_from_slice(&640u16.to_be_bytes());
    p.extend_from_slice(&height.to_be_bytes());
    p.extend(unknown(&[0x12, 0x00, 0x3f, 0x00, 0x1c, 0x21]));
    if audio {
        p.extend_from_slice(&[0x91, 0xc0, 0, 12, 0x43, 10]);
        p.extend_from_slice(&[0x00, 0x00, 0x02, 0x00, 0x7d, 0x03, 0x03, 0xe8, 0x03, 0xff]);
    }
    p.extend_from_slice(&[0xbd, 0xbd, 0, 0]);
    let len = (p.len() - 6 + 4) as u16;
    p[4..6].copy_from_slice(&len.to_be_bytes());
    // CRC-32/MPEG-2 over the packet, least significant byte first (as the SDK writes it).
    let crc = crc32_mpeg(&p);
    p.extend_from_slice(&crc.to_le_bytes());
    p
}

#[test]
fn the_fixture_is_the_measured_map() {
    // The CRC the SDK wrote over its H.264 map (`fa 1c 24 ea`): the fixture is byte for
    // byte that map.
    let psm = sdk_psm(0x1b, 368, false, false);
    assert_eq!(psm.len(), 6 + 0x46);
    assert_eq!(&psm[psm.len() - 4..], [0xfa, 0x1c, 0x24, 0xea]);
}

#[test]
fn the_sdks_map_gives_the_coded_size() {
    // The size descriptor's first 4 bytes read as a size would be 19800x10084.
    let map = StreamMap::parse(&sdk_psm(0x1b, 368, false, false)).unwrap();
    let video = map.get(0xe0).unwrap();
    assert_eq!((video.codec(), video.size), (Codec::H264, Some((640, 368))));
    assert!(map.get(0xbd).is_some());
    let map = StreamMap::parse(&sdk_psm(0x24, 360, true, false)).unwrap();
    let video = map.get(0xe0).unwrap();
    assert_eq!((video.codec(), video.size), (Codec::H265, Some((640, 360))));
    assert_eq!(map.get(0xc0).unwrap().codec(), Codec::G711U);
    assert_eq!(map.get(0xc0).unwrap().size, None);
}

#[test]
fn the_demuxer_reads_the_sdks_map_from_a_stream() {
    let mut m = Muxer::new(MuxConfig::new(Codec::H264, 640, 368));
    let mut ps = Vec::new();
    m.write_video(&h264_au(0, true, 3000), 0, |p| ps.extend_from_slice(p));
    // Swap the muxer's map (after the 20-byte pack header) for the SDK's.
    let len = 6 + usize::from(u16::from_be_bytes([ps[24], ps[25]]));
    ps.splice(20..20 + len, sdk_psm(0x1b, 368, false, false));
    let mut d = Demuxer::new();
    let frames = demux_chunked(&mut d, &ps, 1);
    assert_eq!(frames.len(), 1);
    let video = *d.stream_map().unwrap().get(0xe0).unwrap();
    assert_eq!(video.size, Some((640, 368)));
}

/// The map following the pack header of a keyframe's first packet.
fn psm_of(packet: &[u8]) -> &[u8] {
    assert_eq!(&packet[20..24], [0, 0, 1, 0xbc]);
    &packet[20..26 + usize::from(u16::from_be_bytes([packet[24], packet[25]]))]
}

#[test]
fn the_muxers_map_has_the_sdks_layout() {
    let mut cfg = MuxConfig::new(Codec::H264, 640, 368);
    cfg.psm_time = Some(MEASURED_TIME);
    let mut m = Muxer::new(cfg);
    let mut packets: Vec<Vec<u8>> = Vec::new();
    for i in 0..3 {
        m.write_video(&h264_au(i, i != 1, 900), 0, |p| packets.push(p.to_vec()));
    }
    let first = psm_of(&packets[0]);
    assert_eq!(first, sdk_psm(0x1b, 368, false, true));
    // Each map written has the next version (the SDK's `e0`, then `e1`).
    let second = psm_of(
        packets
            .iter()
            .rev()
            .find(|p| p.get(20..24) == Some(&[0, 0, 1, 0xbc]))
            .unwrap(),
    );
    assert_eq!(second[6], 0xe1);
    assert_eq!(StreamMap::parse(second).unwrap().version, 1);
    // Without a time the time bits are zero.
    let mut m = Muxer::new(MuxConfig::new(Codec::H264, 640, 368));
    let mut p = Vec::new();
    m.write_video(&h264_au(0, true, 900), 0, |b| p.extend_from_slice(b));
    assert_eq!(&psm_of(&p)[16..23], [0; 7]);
}

/// Each PES in the packets (after any pack header and map): (flags, header stuffing,
/// payload length).
fn pes_list(packets: &[Vec<u8>]) -> Vec<([u8; 2], Vec<u8>, usize)> {
    let mut out = Vec::new();
    for p in packets {
        let mut at = if p.starts_with(&[0, 0, 1, 0xba]) {
            20
        } else {
            0
        };
        while at < p.len() {
            let q = &p[at..];
            let len = 6 + usize::from(u16::from_be_bytes([q[4], q[5]]));
            if q[3] != 0xbc {
                let ts = if q[7] & 0x80 != 0 { 5 } else { 0 };
                let stuffing = q[9 + ts..9 + usize::from(q[8])].to_vec();
                out.push(([q[6], q[7]], stuffing, len - 9 - usize::from(q[8])));
                assert_eq!(len % 4, 0, "a multiple of 4 bytes: {:02x?}", &q[..9]);
            }
            at += len;
        }
    }
    out
}

/// A NAL unit of `len` bytes with its 4-byte start code.
fn nal(header: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0, 0, 0, 1, header];
    v.resize(len, 0x55);
    v
}

#[test]
fn pes_stuffing_is_the_sdks() {
    // Payload lengths the SDK wrote, with and without a PTS, and its stuffing for them.
    let mut cfg = MuxConfig::new(Codec::H264, 640, 368);
    cfg.max_payload = 6000;
    let mut m = Muxer::new(cfg);
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let key: Vec<u8> = [
        (0x67, 30),
        (0x68, 9),
        (0x06, 698),
        (0x65, 5097),
        (0x65, 184),
    ]
    .iter()
    .flat_map(|&(h, n)| nal(h, n))
    .collect();
    m.write_video(&key, 0, |p| packets.push(p.to_vec()));
    for (i, n) in [780, 499, 685, 762].into_iter().enumerate() {
        m.write_video(&nal(0x41, n), 3600 * (i as u64 + 1), |p| {
            packets.push(p.to_vec());
        });
    }
    m.write_audio(&[0xd5; 160], 0, |p| packets.push(p.to_vec()));
    let got: Vec<(usize, usize)> = pes_list(&packets)
        .iter()
        .map(|(_, s, n)| (*n, s.len()))
        .collect();
    let sdk = [
        (30, 4),
        (9, 2),
        (698, 5),
        (5097, 2),
        (184, 3),
        (780, 2),
        (499, 3),
        (685, 5),
        (762, 4),
        (160, 2),
    ];
    assert_eq!(got, sdk);
}

#[test]
fn the_last_stuffing_byte_tells_the_piece() {
    // A keyframe (SPS, PPS, SEI, an IDR slice split in 3), a P frame split in 2, audio.
    let mut m = Muxer::new(MuxConfig::new(Codec::H264, 640, 368));
    let mut packets: Vec<Vec<u8>> = Vec::new();
    m.write_video(&h264_au(0, true, 12_000), 0, |p| packets.push(p.to_vec()));
    m.write_video(&nal(0x41, 6000), 3600, |p| packets.push(p.to_vec()));
    m.write_audio(&[0xd5; 160], 0, |p| packets.push(p.to_vec()));
    let list = pes_list(&packets);
    for (flags, stuffing, _) in &list {
        let (last, ff) = stuffing.split_last().unwrap();
        assert!(
            ff.iter().all(|&b| b == 0xff) && last & 0xf8 == 0xf8,
            "{stuffing:02x?}"
        );
        assert!((2..=5).contains(&stuffing.len()), "{stuffing:02x?}");
        // No data alignment exactly on a piece that continues a NAL unit.
        assert_eq!(
            flags[0] == 0x88,
            last & 2 != 0,
            "{flags:02x?} {stuffing:02x?}"
        );
    }
    let kinds: Vec<u8> = list.iter().map(|(_, s, _)| s[s.len() - 1] & 7).collect();
    // Measured: 4 (whole NAL units of a keyframe), 5 then 2 (a split keyframe NAL unit),
    // 0 (a P frame's, audio). The middle piece (3) and the split P slice (1, 2) follow
    // the bits those give.
    assert_eq!(kinds, [4, 4, 4, 5, 3, 2, 1, 2, 0]);
    let flags: Vec<[u8; 2]> = list.iter().map(|(f, _, _)| *f).collect();
    assert_eq!(
        flags,
        [
            [0x8c, 0x80],
            [0x8c, 0],
            [0x8c, 0],
            [0x8c, 0],
            [0x88, 0],
            [0x88, 0],
            [0x8c, 0x80],
            [0x88, 0],
            [0x8c, 0x80]
        ]
    );
}
