//! Codes of struct fields whose meanings the vendor documents only in prose (its manual's
//! tables), as facts shared by the safe layer, the mock and the device model. Written from
//! the meanings, not copied; only the values the project uses are listed.

/// `NET_DVR_COMPRESSION_INFO_V30::byResolution` codes of common picture sizes:
/// `(code, width, height)`.
pub const RESOLUTIONS: [(u8, u32, u32); 6] = [
    (6, 320, 240),
    (16, 640, 480),
    (19, 1280, 720),
    (27, 1920, 1080),
    (64, 2560, 1440),
    (70, 2688, 1520),
];

/// `NET_DVR_COMPRESSION_INFO_V30::dwVideoFrameRate` codes of whole frame rates:
/// `(code, frames per second)`. Code 0 is "full rate" (the sensor's own, usually 25 or 30).
pub const FRAME_RATES: [(u32, u32); 14] = [
    (5, 1),
    (6, 2),
    (7, 4),
    (8, 6),
    (9, 8),
    (10, 10),
    (11, 12),
    (12, 16),
    (13, 20),
    (14, 15),
    (15, 18),
    (16, 22),
    (17, 25),
    (18, 30),
];

/// `NET_DVR_COMPRESSION_INFO_V30::dwVideoBitrate`: with this bit set, the low 31 bits are a
/// custom bitrate in kbit/s; without it, the value is an index into the vendor's table.
pub const CUSTOM_BITRATE: u32 = 0x8000_0000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_values_are_unique() {
        let mut codes: Vec<u8> = RESOLUTIONS.iter().map(|r| r.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RESOLUTIONS.len());
        let mut fps: Vec<u32> = FRAME_RATES.iter().map(|f| f.1).collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), FRAME_RATES.len());
        assert!(FRAME_RATES.iter().all(|f| f.0 != 0), "0 means full rate");
    }
}
