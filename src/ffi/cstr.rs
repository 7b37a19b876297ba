//! The safe layer's thin wrapper over [`hcnetsdk_sys::text`]: the same checks, with the
//! failure turned into a typed invalid-input [`Error`] naming the field.

use std::ffi::{CString, c_char};
use std::fmt::Display;
use std::path::Path;

use hcnetsdk_sys::text::{self, TextError};

use crate::error::{Error, Result};

fn field_error(field: &'static str, shown: &dyn Display, e: TextError) -> Error {
    let fix = match e {
        TextError::TooLong { len, max } => format!(
            "{field} is {len} bytes; the SDK's field holds at most {max} bytes plus the terminating NUL; shorten it"
        ),
        TextError::InteriorNul => {
            format!("{field} contains a NUL byte; remove it (the SDK reads C strings)")
        }
        TextError::NotUnicode => format!("{field} is not valid Unicode"),
    };
    Error::invalid_input(field, shown, fix)
}

/// Check that `value` fits a field of `capacity_with_nul` bytes, without copying it.
///
/// `shown` is what the error prints for the value (pass a placeholder for secrets).
pub(crate) fn check_field(
    field: &'static str,
    value: &str,
    shown: &dyn Display,
    capacity_with_nul: usize,
) -> Result<()> {
    text::check(value.as_bytes(), capacity_with_nul).map_err(|e| field_error(field, shown, e))
}

/// Copy `value` into the NUL-terminated field `dst` in place (so a secret is never copied
/// through a temporary array on the stack), or explain why it cannot go there. `dst` is
/// left untouched on error.
///
/// `shown` is what the error prints for the value (pass a placeholder for secrets).
pub(crate) fn c_field_into<const N: usize>(
    dst: &mut [c_char; N],
    field: &'static str,
    value: &str,
    shown: &dyn Display,
) -> Result<()> {
    text::copy_into(dst, value.as_bytes()).map_err(|e| field_error(field, shown, e))
}

/// [`c_field_into`] for a field the SDK declares as bytes (`BYTE name[N]`) rather than
/// `char`: the same checks, the rest of the field cleared, `dst` untouched on error.
pub(crate) fn byte_field_into<const N: usize>(
    dst: &mut [u8; N],
    field: &'static str,
    value: &[u8],
    shown: &dyn Display,
) -> Result<()> {
    text::check(value, N).map_err(|e| field_error(field, shown, e))?;
    text::copy_truncating(dst, value);
    Ok(())
}

/// `value` as a C string for a `char*` argument (a file name), of any length the SDK
/// checks itself; only a NUL byte is refused.
pub(crate) fn c_string(field: &'static str, value: &str) -> Result<CString> {
    text::cstring(value.as_bytes(), usize::MAX).map_err(|e| field_error(field, &value, e))
}

/// `path` as a C string of at most `max_with_nul` bytes including the NUL, with the
/// path's own bytes (see [`hcnetsdk_sys::text::path_bytes`]).
pub(crate) fn path_cstring(
    field: &'static str,
    path: &Path,
    max_with_nul: usize,
) -> Result<CString> {
    text::path_cstring(path, max_with_nul).map_err(|e| {
        let fix = match e {
            TextError::TooLong { max, .. } => {
                format!("the SDK takes paths of at most {max} bytes; use a shorter path")
            }
            TextError::InteriorNul => "the path contains a NUL byte".to_owned(),
            TextError::NotUnicode => {
                "on this platform the SDK takes paths as UTF-8; use a path that is valid Unicode"
                    .to_owned()
            }
        };
        Error::invalid_input(field, path.display(), fix)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_field() {
        let mut f = [7 as c_char; 4];
        c_field_into(&mut f, "f", "abc", &"abc").unwrap();
        assert_eq!(f, [b'a' as c_char, b'b' as c_char, b'c' as c_char, 0]);
        let e = c_field_into(&mut f, "f", "abcd", &"abcd").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid f (abcd): f is 4 bytes; the SDK's field holds at most 3 bytes plus the terminating NUL; shorten it"
        );
        assert!(check_field("f", "a\0b", &"a\\0b", 8).is_err());
        assert!(check_field("f", "abc", &"abc", 4).is_ok());
    }

    #[test]
    fn path_errors_name_the_field() {
        assert!(path_cstring("p", Path::new("/tmp/x"), 256).is_ok());
        assert!(path_cstring("p", Path::new("/tmp/\0x"), 256).is_err());
        let e = path_cstring("dir", Path::new(&"a".repeat(256)), 256).unwrap_err();
        assert!(e.to_string().starts_with("invalid dir ("), "{e}");
    }
}
