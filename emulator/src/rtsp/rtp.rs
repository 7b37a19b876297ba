//! RTP packetisers: H.264 (RFC 6184: single NAL unit packets, FU-A), H.265 (RFC 7798:
//! single NAL unit packets, FU type 49), G.711 (RFC 3551, PT 8/0) and AAC (RFC 3640
//! AAC-hbr, one access unit per packet with its AU header).
//!
//! The payload functions return the payloads of one NAL unit or frame; [`RtpWriter`]
//! puts the 12-byte RTP header in front and counts sequence numbers.

/// Default largest RTP payload (keeps packets under a 1500-byte Ethernet MTU with room for
/// IP/UDP and the 4-byte interleave header).
pub const MAX_PAYLOAD: usize = 1400;

/// Dynamic payload type of the video track.
pub const PT_VIDEO: u8 = 96;
/// Dynamic payload type of an AAC track.
pub const PT_AAC: u8 = 97;
/// Static payload type of G.711 A-law.
pub const PT_PCMA: u8 = 8;
/// Static payload type of G.711 µ-law.
pub const PT_PCMU: u8 = 0;

/// RTP payloads for one H.264 NAL unit: the NAL unit itself when it fits in `max_payload`
/// bytes, else FU-A fragments (indicator type 28 with the NAL's NRI, S bit on the first,
/// E bit on the last). Empty input gives no payload.
#[must_use]
pub fn h264_payloads(nal: &[u8], max_payload: usize) -> Vec<Vec<u8>> {
    let Some(&head) = nal.first() else {
        return Vec::new();
    };
    if nal.len() <= max_payload {
        return vec![nal.to_vec()];
    }
    let indicator = (head & 0xe0) | 28;
    fragments(&nal[1..], max_payload - 2, |first, last| {
        let se = if first { 0x80 } else { 0 } | if last { 0x40 } else { 0 };
        vec![indicator, se | (head & 0x1f)]
    })
}

/// RTP payloads for one H.265 NAL unit: the NAL unit itself when it fits, else
/// fragmentation units (payload header type 49 keeping F, layer id and TID, then the FU
/// header with S/E and the NAL type).
#[must_use]
pub fn h265_payloads(nal: &[u8], max_payload: usize) -> Vec<Vec<u8>> {
    if nal.len() < 2 {
        return Vec::new();
    }
    if nal.len() <= max_payload {
        return vec![nal.to_vec()];
    }
    let kind = (nal[0] >> 1) & 0x3f;
    let hdr = [(nal[0] & 0x81) | (49 << 1), nal[1]];
    fragments(&nal[2..], max_payload - 3, |first, last| {
        let se = if first { 0x80 } else { 0 } | if last { 0x40 } else { 0 };
        vec![hdr[0], hdr[1], se | kind]
    })
}

fn fragments(body: &[u8], room: usize, header: impl Fn(bool, bool) -> Vec<u8>) -> Vec<Vec<u8>> {
    let room = room.max(1);
    let count = body.len().div_ceil(room);
    body.chunks(room)
        .enumerate()
        .map(|(i, chunk)| {
            let mut p = header(i == 0, i + 1 == count);
            p.extend_from_slice(chunk);
            p
        })
        .collect()
}

/// The RFC 3640 AAC-hbr payload of one raw AAC access unit: AU-headers-length 16 bits,
/// then one AU header (13-bit size, 3-bit index 0), then the unit.
#[must_use]
pub fn aac_payload(au: &[u8]) -> Vec<u8> {
    let size = (au.len().min(0x1fff) as u16) << 3;
    let mut p = Vec::with_capacity(au.len() + 4);
    p.extend_from_slice(&16u16.to_be_bytes());
    p.extend_from_slice(&size.to_be_bytes());
    p.extend_from_slice(au);
    p
}

/// Writes RTP packets of one track: version 2, no padding/extension/CSRC, the track's
/// payload type and SSRC, a sequence number that grows by one per packet.
#[derive(Debug, Clone)]
pub struct RtpWriter {
    /// Payload type.
    pub pt: u8,
    /// Synchronisation source.
    pub ssrc: u32,
    /// The next packet's sequence number.
    pub seq: u16,
}

impl RtpWriter {
    /// A writer starting at sequence number `seq`.
    #[must_use]
    pub fn new(pt: u8, ssrc: u32, seq: u16) -> Self {
        Self { pt, ssrc, seq }
    }

    /// One packet: header + payload; the sequence number moves on.
    pub fn packet(&mut self, payload: &[u8], timestamp: u32, marker: bool) -> Vec<u8> {
        let mut p = Vec::with_capacity(12 + payload.len());
        p.push(0x80);
        p.push(self.pt & 0x7f | if marker { 0x80 } else { 0 });
        p.extend_from_slice(&self.seq.to_be_bytes());
        p.extend_from_slice(&timestamp.to_be_bytes());
        p.extend_from_slice(&self.ssrc.to_be_bytes());
        p.extend_from_slice(payload);
        self.seq = self.seq.wrapping_add(1);
        p
    }

    /// The packets of one video access unit: every NAL unit's payloads in order, the
    /// marker bit on the last packet.
    pub fn video_frame(
        &mut self,
        h265: bool,
        nals: &[Vec<u8>],
        ts: u32,
        max: usize,
    ) -> Vec<Vec<u8>> {
        let payloads: Vec<Vec<u8>> = nals
            .iter()
            .flat_map(|n| {
                if h265 {
                    h265_payloads(n, max)
                } else {
                    h264_payloads(n, max)
                }
            })
            .collect();
        let last = payloads.len().saturating_sub(1);
        payloads
            .iter()
            .enumerate()
            .map(|(i, p)| self.packet(p, ts, i == last))
            .collect()
    }
}
