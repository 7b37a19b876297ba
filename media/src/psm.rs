//! The program stream map (stream id 0xBC), parsed leniently: the packet's own length
//! bounds everything, and inner lengths that disagree with it are clamped, never trusted.

use crate::Codec;

/// Most elementary streams a [`StreamMap`] keeps (more entries are ignored).
pub const MAX_STREAMS: usize = 8;

/// Hikvision's PSM descriptor carrying the coded picture size.
pub(crate) const HIK_SIZE_DESCRIPTOR: u8 = 0x42;

/// One elementary stream announced by a PSM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamEntry {
    /// PES stream id (0xE0 video, 0xC0 audio, 0xBD private ...).
    pub stream_id: u8,
    /// MPEG stream type (0x1B H.264, 0x24 H.265, 0x90 G.711A, 0x91 G.711µ, 0x0F AAC ...).
    pub stream_type: u8,
    /// Coded size from Hikvision descriptor 0x42: big-endian width and height at bytes
    /// 4..8 of its body (14 bytes from the real SDK), if present and at least 8 bytes long.
    pub size: Option<(u16, u16)>,
}

impl StreamEntry {
    /// The codec the PSM claims for this stream (a video claim can be overridden by sniffing).
    #[must_use]
    pub fn codec(&self) -> Codec {
        Codec::from_stream_type(self.stream_type)
    }
}

/// The latest program stream map seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamMap {
    entries: [StreamEntry; MAX_STREAMS],
    len: usize,
    /// `program_stream_map_version` (5 bits).
    pub version: u8,
}

impl StreamMap {
    /// The announced streams, in map order.
    #[must_use]
    pub fn entries(&self) -> &[StreamEntry] {
        &self.entries[..self.len]
    }

    /// The entry for `stream_id`, if announced.
    #[must_use]
    pub fn get(&self, stream_id: u8) -> Option<&StreamEntry> {
        self.entries().iter().find(|e| e.stream_id == stream_id)
    }

    /// Parses a whole PSM packet (`00 00 01 BC len ...`). `None` when it is shorter than
    /// the fixed part. The CRC is not checked (cameras are known to get it wrong).
    #[must_use]
    pub fn parse(packet: &[u8]) -> Option<Self> {
        if packet.len() < 16 {
            return None;
        }
        // Outer length wins: the CRC takes the last 4 bytes.
        let end = packet.len() - 4;
        let mut map = Self {
            version: packet[6] & 0x1f,
            ..Self::default()
        };
        let info_len = usize::from(u16::from_be_bytes([packet[8], packet[9]]));
        // A program_stream_info_length that overruns the packet is treated as 0.
        let mut at = if 10 + info_len + 2 <= end {
            10 + info_len
        } else {
            10
        };
        at += 2; // elementary_stream_map_length: ignored, the outer length bounds the loop
        while at + 4 <= end {
            let stream_type = packet[at];
            let stream_id = packet[at + 1];
            let es_len = usize::from(u16::from_be_bytes([packet[at + 2], packet[at + 3]]));
            let desc_end = (at + 4 + es_len).min(end);
            let size = hik_size(&packet[at + 4..desc_end]);
            if map.len < MAX_STREAMS {
                map.entries[map.len] = StreamEntry {
                    stream_id,
                    stream_type,
                    size,
                };
                map.len += 1;
            }
            at = desc_end;
        }
        Some(map)
    }
}

/// Walks descriptors (clamped to `d`) for tag 0x42 and reads its size: big-endian width
/// and height at bytes 4..8 of the body, where the real SDK puts them (its body is 14
/// bytes: `4d 58 27 64 02 80 01 70 ...` is 640x368). A shorter body gives no size: no
/// other layout is known from cameras (the 8-byte one with the size first was this
/// crate's own muxer's, before it was measured against the SDK).
fn hik_size(d: &[u8]) -> Option<(u16, u16)> {
    let mut i = 0;
    while i + 2 <= d.len() {
        let (tag, len) = (d[i], usize::from(d[i + 1]));
        let body = &d[i + 2..(i + 2 + len).min(d.len())];
        if tag == HIK_SIZE_DESCRIPTOR && body.len() >= 8 {
            let w = u16::from_be_bytes([body[4], body[5]]);
            let h = u16::from_be_bytes([body[6], body[7]]);
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}
