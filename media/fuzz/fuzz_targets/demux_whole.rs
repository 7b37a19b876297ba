//! Demux the whole input in one push: no panic, bounded output, sane counters.
#![no_main]

use hcnetsdk_media::Demuxer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut d = Demuxer::with_max_frame(256 << 10);
    let mut total = 0usize;
    let mut check = |f: &hcnetsdk_media::Frame<'_>| {
        assert!(f.data.len() <= 256 << 10 || !f.is_video());
        total += f.data.len();
    };
    d.push(data, &mut check);
    d.finish(&mut check);
    assert!(total <= data.len());
});
