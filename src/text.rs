//! Text in and out of the SDK's fixed-size `char` fields.

use std::ffi::c_char;

use encoding_rs::Encoding;

use crate::error::{Error, Result};

/// Copy `value` into the NUL-terminated `[c_char; N]` field `dst` in place (so a secret
/// is never copied through a temporary array on the stack), or explain why it cannot go
/// there. `dst` is left untouched on error.
///
/// `shown` is what the error prints for the value (pass a placeholder for secrets).
pub(crate) fn c_field_into<const N: usize>(
    dst: &mut [c_char; N],
    field: &'static str,
    value: &str,
    shown: &dyn std::fmt::Display,
) -> Result<()> {
    if value.as_bytes().contains(&0) {
        return Err(Error::invalid_input(
            field,
            shown,
            format!("{field} contains a NUL byte; remove it (the SDK reads C strings)"),
        ));
    }
    if value.len() >= N {
        return Err(Error::invalid_input(
            field,
            shown,
            format!(
                "{field} is {} bytes; the SDK's field holds at most {} bytes plus the terminating NUL; shorten it",
                value.len(),
                N - 1
            ),
        ));
    }
    dst.fill(0);
    for (o, b) in dst.iter_mut().zip(value.as_bytes()) {
        *o = *b as c_char;
    }
    Ok(())
}

/// The bytes of a fixed-size field up to its first NUL.
pub(crate) fn field_bytes(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
    &field[..end]
}

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
    let (text, _, _) = encoding.decode(field_bytes(field));
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
    fn c_field_fits_exactly_n_minus_one() {
        let mut f = [7 as c_char; 4];
        c_field_into(&mut f, "f", "abc", &"abc").unwrap();
        assert_eq!(f, [b'a' as c_char, b'b' as c_char, b'c' as c_char, 0]);
        c_field_into(&mut f, "f", "a", &"a").unwrap();
        assert_eq!(f, [b'a' as c_char, 0, 0, 0], "the rest is cleared");
        let e = c_field_into(&mut f, "f", "abcd", &"abcd").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid f (abcd): f is 4 bytes; the SDK's field holds at most 3 bytes plus the terminating NUL; shorten it"
        );
        assert_eq!(f, [b'a' as c_char, 0, 0, 0], "untouched on error");
        let mut g = [0 as c_char; 8];
        assert!(c_field_into(&mut g, "f", "a\0b", &"a\\0b").is_err());
    }

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
