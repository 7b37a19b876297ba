//! Demux the input in chunks whose sizes come from its first bytes, and check the frames
//! are exactly those of a one-push demux (output must not depend on chunking).
#![no_main]

use hcnetsdk_media::{Codec, Demuxer, Frame};
use libfuzzer_sys::fuzz_target;

type Owned = (u8, Codec, Option<i64>, Option<i64>, bool, Vec<u8>);

fn own(out: &mut Vec<Owned>) -> impl FnMut(&Frame<'_>) + '_ {
    |f| out.push((f.stream, f.codec, f.pts, f.dts, f.key, f.data.to_vec()))
}

fuzz_target!(|input: &[u8]| {
    if input.len() < 4 {
        return;
    }
    let (sizes, data) = input.split_at(4);
    let mut whole = Vec::new();
    let mut d = Demuxer::new();
    d.push(data, own(&mut whole));
    d.finish(own(&mut whole));

    let mut chunked = Vec::new();
    let mut d = Demuxer::new();
    let mut rest = data;
    let mut i = 0;
    while !rest.is_empty() {
        let n = (usize::from(sizes[i % 4]) % 67 + 1).min(rest.len());
        d.push(&rest[..n], own(&mut chunked));
        rest = &rest[n..];
        i += 1;
    }
    d.finish(own(&mut chunked));
    assert_eq!(whole, chunked);
});
