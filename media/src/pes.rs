//! Byte-level parsing of PS headers: how long a header is, and PES timestamps.

/// What a partly collected header needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// At least this many bytes in total before its length is known or it is complete.
    Need(usize),
    /// The header is complete and has this many bytes.
    Complete(usize),
    /// Not a valid header: resynchronise.
    Invalid,
}

pub(crate) const PACK: u8 = 0xba;
pub(crate) const END: u8 = 0xb9;
pub(crate) const PSM: u8 = 0xbc;

/// Whether a stream id carries audio (0xC0-0xDF) or video (0xE0-0xEF).
pub(crate) fn is_av(id: u8) -> bool {
    (0xc0..=0xef).contains(&id)
}

pub(crate) fn is_video(id: u8) -> bool {
    (0xe0..=0xef).contains(&id)
}

fn need_or_complete(have: usize, n: usize) -> Status {
    if have < n {
        Status::Need(n)
    } else {
        Status::Complete(n)
    }
}

/// The 16-bit length field of a packet (bytes 4-5).
pub(crate) fn packet_len(h: &[u8]) -> usize {
    usize::from(u16::from_be_bytes([h[4], h[5]]))
}

/// How long the header starting at `h[0]` (a start code) is, given the bytes so far.
/// For a PSM the whole packet is the "header"; for A/V PES the PES header; for any other
/// packet the 6 bytes up to its length.
pub(crate) fn header_status(h: &[u8]) -> Status {
    if h.len() < 4 {
        return Status::Need(4);
    }
    if h[..3] != [0, 0, 1] || h[3] < END {
        return Status::Invalid;
    }
    let id = h[3];
    if id == END {
        return Status::Complete(4);
    }
    if id == PACK {
        if h.len() < 5 {
            return Status::Need(5);
        }
        if h[4] & 0xc0 == 0x40 {
            if h.len() < 14 {
                return Status::Need(14);
            }
            return need_or_complete(h.len(), 14 + usize::from(h[13] & 7));
        }
        if h[4] & 0xf0 == 0x20 {
            return need_or_complete(h.len(), 12);
        }
        return Status::Invalid;
    }
    if h.len() < 6 {
        return Status::Need(6);
    }
    if id == PSM {
        return need_or_complete(h.len(), 6 + packet_len(h));
    }
    if !is_av(id) {
        return Status::Complete(6);
    }
    if h.len() < 7 {
        return Status::Need(7);
    }
    if h[6] & 0xc0 == 0x80 {
        if h.len() < 9 {
            return Status::Need(9);
        }
        return need_or_complete(h.len(), 9 + usize::from(h[8]));
    }
    mpeg1_status(h)
}

/// MPEG-1 PES header: stuffing 0xFF, optional STD buffer, then the timestamp flags.
fn mpeg1_status(h: &[u8]) -> Status {
    let mut i = 6;
    let mut stuffing = 0;
    loop {
        let Some(&b) = h.get(i) else {
            return Status::Need(i + 1);
        };
        if b == 0xff && stuffing < 16 {
            stuffing += 1;
            i += 1;
            continue;
        }
        if b & 0xc0 == 0x40 {
            i += 2;
            continue;
        }
        return match b & 0xf0 {
            0x20 => need_or_complete(h.len(), i + 5),
            0x30 => need_or_complete(h.len(), i + 10),
            _ if b == 0x0f => Status::Complete(i + 1),
            _ => Status::Invalid,
        };
    }
}

/// A 33-bit timestamp from its 5 coded bytes.
pub(crate) fn read_ts(b: &[u8]) -> u64 {
    (u64::from(b[0] >> 1) & 7) << 30
        | u64::from(b[1]) << 22
        | u64::from(b[2] >> 1) << 15
        | u64::from(b[3]) << 7
        | u64::from(b[4] >> 1)
}

/// The raw (PTS, DTS) of a complete A/V PES header.
pub(crate) fn timestamps(h: &[u8]) -> (Option<u64>, Option<u64>) {
    if h[6] & 0xc0 == 0x80 {
        let flags = h[7] >> 6;
        let end = 9 + usize::from(h[8]);
        let pts = (flags & 2 != 0 && end >= 14).then(|| read_ts(&h[9..14]));
        let dts = (flags == 3 && end >= 19).then(|| read_ts(&h[14..19]));
        return (pts, dts);
    }
    // MPEG-1: the timestamps are the last 5 or 10 bytes of the header.
    let mut i = 6;
    while i < h.len() && h[i] == 0xff {
        i += 1;
    }
    if i < h.len() && h[i] & 0xc0 == 0x40 {
        i += 2;
    }
    match h.get(i).map(|b| b & 0xf0) {
        Some(0x20) if h.len() >= i + 5 => (Some(read_ts(&h[i..i + 5])), None),
        Some(0x30) if h.len() >= i + 10 => (
            Some(read_ts(&h[i..i + 5])),
            Some(read_ts(&h[i + 5..i + 10])),
        ),
        _ => (None, None),
    }
}

/// Writes a 33-bit timestamp with the 4-bit prefix `tag` (0x2, 0x3 or 0x1).
#[cfg(feature = "mux")]
pub(crate) fn write_ts(out: &mut Vec<u8>, tag: u8, ts: u64) {
    out.extend_from_slice(&[
        (tag << 4) | (((ts >> 30) as u8 & 7) << 1) | 1,
        (ts >> 22) as u8,
        ((ts >> 14) as u8 & 0xfe) | 1,
        (ts >> 7) as u8,
        ((ts << 1) as u8) | 1,
    ]);
}

#[cfg(all(test, feature = "mux"))]
mod tests {
    use super::*;

    #[test]
    fn timestamp_round_trip() {
        for ts in [0u64, 1, 3600, (1 << 33) - 1, 0x1_2345_6789] {
            let mut v = Vec::new();
            write_ts(&mut v, 2, ts);
            assert_eq!(read_ts(&v), ts);
        }
    }

    #[test]
    fn header_lengths() {
        assert_eq!(header_status(&[0, 0, 1]), Status::Need(4));
        assert_eq!(header_status(&[0, 0, 2, 0xba]), Status::Invalid);
        assert_eq!(header_status(&[0, 0, 1, 0xb9]), Status::Complete(4));
        let mut pes = vec![0, 0, 1, 0xe0, 0, 10, 0x80, 0x80, 5];
        assert_eq!(header_status(&pes), Status::Need(14));
        pes.extend_from_slice(&[0x21, 0, 1, 0, 1]);
        assert_eq!(header_status(&pes), Status::Complete(14));
        assert_eq!(timestamps(&pes), (Some(0), None));
    }
}
