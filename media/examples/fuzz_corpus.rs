//! Writes the small seed corpus of the fuzz targets (media/fuzz/corpus/*):
//! `cargo run -p hcnetsdk-media --example fuzz_corpus -- media/fuzz/corpus/demux_whole`.
//! Camera-shaped H.264/H.265 with audio, a lying PSM, PTS near the wrap, and the first
//! packs of the mock's sub-stream clip.

use hcnetsdk_media::Codec;
use hcnetsdk_media::mux::{MuxConfig, Muxer, mux_annexb};
use std::path::Path;

fn au(codec: Codec, i: usize, key: bool) -> Vec<u8> {
    let mut v = Vec::new();
    let nal = |v: &mut Vec<u8>, b: &[u8]| {
        v.extend_from_slice(&[0, 0, 0, 1]);
        v.extend_from_slice(b);
    };
    match (codec, key) {
        (Codec::H265, true) => {
            nal(&mut v, &[0x40, 0x01, 0x0c, 0x01]);
            nal(&mut v, &[0x42, 0x01, 0x01, 0x01]);
            nal(&mut v, &[0x44, 0x01, 0xc1, 0x72]);
            nal(&mut v, &[0x26, 0x01, 0xaf]);
        }
        (Codec::H265, false) => nal(&mut v, &[0x02, 0x01, 0xd0]),
        (_, true) => {
            nal(&mut v, &[0x67, 0x42, 0xc0, 0x1e]);
            nal(&mut v, &[0x68, 0xce, 0x3c, 0x80]);
            nal(&mut v, &[0x65, 0x88]);
        }
        (_, false) => nal(&mut v, &[0x41, 0x9a]),
    }
    v.extend((0..40 + i * 3).map(|j| (j * 11 % 250 + 1) as u8));
    v
}

fn stream(cfg: MuxConfig, pts0: u64, frames: usize) -> Vec<u8> {
    let mut m = Muxer::new(cfg);
    let mut out = m.media_info().to_bytes().to_vec();
    for i in 0..frames {
        let pts = pts0 + i as u64 * 3600;
        m.write_video(&au(cfg.video, i, i % 4 == 0), pts, |p| {
            out.extend_from_slice(p)
        });
        if cfg.audio.is_some() {
            m.write_audio(&[0xd5; 80], pts, |p| out.extend_from_slice(p));
        }
    }
    out
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).expect("usage: fuzz_corpus DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    let mut h264 = MuxConfig::new(Codec::H264, 640, 368);
    h264.audio = Some(Codec::G711A);
    let mut lying = MuxConfig::new(Codec::H265, 1920, 1080);
    lying.psm_stream_type = Some(0x1b);
    let mut split = MuxConfig::new(Codec::H264, 320, 180);
    split.max_payload = 16;
    let base = stream(MuxConfig::new(Codec::H264, 64, 64), 0, 4);
    let mid = base
        .windows(4)
        .rposition(|w| w == [0, 0, 1, 0xba])
        .unwrap_or(40);
    let with = |extra: &[u8]| [&base[..mid], extra, &base[mid..]].concat();
    let bd = with(&[0, 0, 1, 0xbd, 0, 8, 0, 0, 1, 0xba, 0, 0, 1, 0xe0]);
    let garbage = with(&[0x13, 0, 0, 1, 0x42, 0, 0, 1, 0xe0, 0xff]);
    let mut len0 = vec![0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1, 0, 0x5f, 0x93, 0xf8];
    len0.extend_from_slice(&[0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1]);
    len0.extend_from_slice(&au(Codec::H265, 0, true));
    len0.extend_from_slice(&[0, 0, 1, 0xb9]);
    let seeds = [
        ("bd_with_start_codes", bd),
        ("garbage_between_packs", garbage),
        ("h265_pes_len0_no_psm", len0),
        ("h264_g711a", stream(h264, 0, 9)),
        ("h265_psm_says_h264", stream(lying, 90_000, 9)),
        (
            "pts_wrap",
            stream(MuxConfig::new(Codec::H264, 64, 64), (1 << 33) - 7200, 5),
        ),
        ("split_pes", stream(split, 0, 5)),
    ];
    for (name, data) in seeds {
        std::fs::write(dir.join(name), data)?;
    }
    // The first packs of the mock's sub stream, muxed as the mock muxes it.
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../device/src/media/sub.h264");
    let es = std::fs::read(&clip)?;
    let bytes = mux_annexb(MuxConfig::new(Codec::H264, 320, 180), &es, 0, 3600);
    std::fs::write(
        dir.join("mock_sub_first_packs"),
        &bytes[..6144.min(bytes.len())],
    )?;
    Ok(())
}
