//! Decoding the text devices send (names, models, serials, SDK messages).
//!
//! Copying text into the SDK's fields is [`crate::ffi::cstr`]'s job.

use encoding_rs::Encoding;
use hcnetsdk_sys::text::until_nul;

/// The encoding a device declares in `NET_DVR_DEVICEINFO_V40.byCharEncodeType`.
///
/// 0 (not reported, older devices), 1 (GB2312) and 2 (GBK) all decode as GBK, which is
/// what Hikvision firmware uses when it says nothing.
pub(crate) fn device_encoding(char_encode_type: u8) -> &'static Encoding {
    match char_encode_type {
        3 => encoding_rs::BIG5,
        4 => encoding_rs::SHIFT_JIS,
        5 => encoding_rs::EUC_KR,
        6 => encoding_rs::UTF_8,
        7 => encoding_rs::WINDOWS_1252,
        8 => encoding_rs::ISO_8859_2,
        9 => encoding_rs::ISO_8859_3,
        10 => encoding_rs::ISO_8859_4,
        11 => encoding_rs::ISO_8859_5,
        12 => encoding_rs::ISO_8859_6,
        13 => encoding_rs::ISO_8859_7,
        14 => encoding_rs::ISO_8859_8,
        15 => encoding_rs::WINDOWS_1254,
        16 => encoding_rs::ISO_8859_10,
        17 => encoding_rs::WINDOWS_874,
        19 => encoding_rs::ISO_8859_13,
        20 => encoding_rs::ISO_8859_14,
        21 => encoding_rs::ISO_8859_15,
        22 => encoding_rs::ISO_8859_16,
        _ => encoding_rs::GBK,
    }
}

/// Decode a NUL-padded device string field (device names, model names, serials).
///
/// Malformed sequences become U+FFFD rather than failing: a name is for display.
pub(crate) fn decode_field(field: &[u8], encoding: &'static Encoding) -> String {
    let (text, _, _) = encoding.decode(until_nul(field));
    text.trim_end().to_owned()
}

/// Decode a field as GBK (the SDK's default for device text and its own messages).
pub(crate) fn decode_gbk(field: &[u8]) -> String {
    decode_field(field, encoding_rs::GBK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_device_name_decodes() {
        // "大门" (front gate) in GBK, NUL padded as the SDK returns it.
        let mut field = [0u8; 32];
        field[..4].copy_from_slice(&[0xB4, 0xF3, 0xC3, 0xC5]);
        assert_eq!(decode_gbk(&field), "大门");
        assert_eq!(decode_field(&field, device_encoding(0)), "大门");
        assert_eq!(decode_field("大门".as_bytes(), device_encoding(6)), "大门");
    }

    #[test]
    fn field_without_nul_uses_the_whole_field() {
        assert_eq!(decode_gbk(b"ABCD"), "ABCD");
    }
}
