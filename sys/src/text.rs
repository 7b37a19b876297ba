//! Text into and out of the SDK: fixed-size `char` fields and path arguments.
//!
//! The one set of helpers the whole workspace uses to put a string into a NUL-terminated
//! `[c_char; N]` field (`sDeviceAddress`, `sUserName`, `sPassword`, `sPath`, ...), to read
//! a field back up to its first NUL, and to turn a path into a C string.
//!
//! Paths keep the operating system's own bytes: on Unix a path is bytes and need not be
//! UTF-8, and a lossy rendering would name a file that does not exist. Elsewhere (Windows,
//! where the SDK takes narrow strings) a path must be valid Unicode and is passed as UTF-8;
//! a path that is not is rejected with [`TextError::NotUnicode`].

use std::borrow::Cow;
use std::ffi::{CString, c_char};
use std::fmt;
use std::path::Path;

/// Why a value cannot go to the SDK as a C string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// The value (`len` bytes) does not fit: the field holds at most `max` bytes plus the
    /// terminating NUL.
    TooLong {
        /// The value's length in bytes.
        len: usize,
        /// The most bytes the field holds before its terminating NUL.
        max: usize,
    },
    /// The value contains a NUL byte, which would cut the C string short.
    InteriorNul,
    /// A path that is not valid Unicode, on a platform where paths go to the SDK as UTF-8.
    NotUnicode,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::TooLong { len, max } => write!(
                f,
                "it is {len} bytes; the SDK's field holds at most {max} bytes plus the terminating NUL"
            ),
            TextError::InteriorNul => {
                f.write_str("it contains a NUL byte (the SDK reads C strings)")
            }
            TextError::NotUnicode => f.write_str("the path is not valid Unicode"),
        }
    }
}

impl std::error::Error for TextError {}

/// Check that `bytes` fit a C string of `capacity_with_nul` bytes including its NUL (a
/// `[c_char; N]` field has `N`), without copying them anywhere.
///
/// # Errors
/// [`TextError::InteriorNul`]; [`TextError::TooLong`] for `capacity_with_nul` bytes or more.
pub fn check(bytes: &[u8], capacity_with_nul: usize) -> Result<(), TextError> {
    if bytes.contains(&0) {
        return Err(TextError::InteriorNul);
    }
    if bytes.len() >= capacity_with_nul {
        return Err(TextError::TooLong {
            len: bytes.len(),
            max: capacity_with_nul.saturating_sub(1),
        });
    }
    Ok(())
}

/// Copy `bytes` into the NUL-terminated field `dst` in place (a secret is never copied
/// through a temporary array), clearing the rest of the field. `dst` is left untouched on
/// error.
///
/// # Errors
/// [`TextError::InteriorNul`]; [`TextError::TooLong`] for more than `N - 1` bytes.
pub fn copy_into<const N: usize>(dst: &mut [c_char; N], bytes: &[u8]) -> Result<(), TextError> {
    check(bytes, N)?;
    dst.fill(0);
    for (o, b) in dst.iter_mut().zip(bytes) {
        *o = *b as c_char;
    }
    Ok(())
}

/// `bytes` as a new NUL-terminated, NUL-padded `[c_char; N]` field.
///
/// # Errors
/// As for [`copy_into`].
pub fn field<const N: usize>(bytes: &[u8]) -> Result<[c_char; N], TextError> {
    let mut out = [0 as c_char; N];
    copy_into(&mut out, bytes)?;
    Ok(out)
}

/// The bytes of a fixed-size byte field up to its first NUL (the whole field if it has
/// none).
pub fn until_nul(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
    &field[..end]
}

/// The bytes of a fixed-size `char` field up to its first NUL (the whole field if it has
/// none).
pub fn c_until_nul(field: &[c_char]) -> &[u8] {
    // SAFETY: c_char and u8 have the same size and alignment, and every bit pattern is a
    // valid u8; the slice covers exactly the same memory, borrowed for the same lifetime.
    let bytes = unsafe { std::slice::from_raw_parts(field.as_ptr().cast::<u8>(), field.len()) };
    until_nul(bytes)
}

/// The bytes of a fixed-size `char` field up to its first NUL, or `None` when the field has
/// no NUL at all (an unterminated string, which a C reader would run past).
pub fn c_terminated(field: &[c_char]) -> Option<&[u8]> {
    let bytes = c_until_nul(field);
    (bytes.len() < field.len()).then_some(bytes)
}

/// Copy `src` into a fixed-size byte field the way a device fills one: NUL-padded, and cut
/// short to leave room for a final NUL. For text this side produces (the mock SDK's answers),
/// where losing the tail is what the real SDK does; text a user gives goes through
/// [`copy_into`], which refuses instead.
pub fn copy_truncating(dst: &mut [u8], src: &[u8]) {
    dst.fill(0);
    let n = src.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&src[..n]);
}

/// [`copy_truncating`] for a `char` field.
pub fn c_copy_truncating(dst: &mut [c_char], src: &[u8]) {
    dst.fill(0);
    let n = src.len().min(dst.len().saturating_sub(1));
    for (d, s) in dst.iter_mut().zip(&src[..n]) {
        *d = *s as c_char;
    }
}

/// The bytes the SDK gets for `path`: the OS's own bytes on Unix, UTF-8 elsewhere.
///
/// # Errors
/// [`TextError::NotUnicode`] off Unix for a path that is not valid Unicode.
pub fn path_bytes(path: &Path) -> Result<Cow<'_, [u8]>, TextError> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(Cow::Borrowed(path.as_os_str().as_bytes()))
    }
    #[cfg(not(unix))]
    {
        path.to_str()
            .map(|s| Cow::Borrowed(s.as_bytes()))
            .ok_or(TextError::NotUnicode)
    }
}

/// `path` as a C string of at most `max_with_nul` bytes including its NUL, with the bytes
/// of [`path_bytes`].
///
/// # Errors
/// As for [`path_bytes`]; [`TextError::InteriorNul`]; [`TextError::TooLong`].
pub fn path_cstring(path: &Path, max_with_nul: usize) -> Result<CString, TextError> {
    cstring(&path_bytes(path)?, max_with_nul)
}

/// `bytes` as a C string of at most `max_with_nul` bytes including its NUL (for a `char*`
/// argument such as a file name; a fixed-size field takes [`copy_into`]).
///
/// # Errors
/// As for [`check`].
pub fn cstring(bytes: &[u8], max_with_nul: usize) -> Result<CString, TextError> {
    check(bytes, max_with_nul)?;
    CString::new(bytes).map_err(|_| TextError::InteriorNul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_fit_exactly_n_minus_one_bytes() {
        let mut f = [7 as c_char; 4];
        copy_into(&mut f, b"abc").unwrap();
        assert_eq!(f, [b'a' as c_char, b'b' as c_char, b'c' as c_char, 0]);
        copy_into(&mut f, b"a").unwrap();
        assert_eq!(f, [b'a' as c_char, 0, 0, 0], "the rest is cleared");
        assert_eq!(
            copy_into(&mut f, b"abcd"),
            Err(TextError::TooLong { len: 4, max: 3 })
        );
        assert_eq!(f, [b'a' as c_char, 0, 0, 0], "untouched on error");
        assert_eq!(field::<8>(b"a\0b"), Err(TextError::InteriorNul));
        assert!(field::<4>(b"abc").is_ok());
    }

    #[test]
    fn fields_read_back_up_to_the_first_nul() {
        let f = field::<8>(b"abc").unwrap();
        assert_eq!(c_until_nul(&f), b"abc");
        assert_eq!(until_nul(b"ab\0cd"), b"ab");
        assert_eq!(until_nul(b"ABCD"), b"ABCD");
    }

    #[test]
    fn unterminated_fields_are_told_apart() {
        let f = field::<4>(b"abc").unwrap();
        assert_eq!(c_terminated(&f), Some(&b"abc"[..]));
        let full = [b'x' as c_char; 4];
        assert_eq!(
            c_terminated(&full),
            None,
            "no NUL: None, not the whole field"
        );
    }

    #[test]
    fn device_text_is_cut_short_and_padded() {
        let mut b = [9u8; 4];
        copy_truncating(&mut b, b"abcdef");
        assert_eq!(b, *b"abc\0", "cut to leave the final NUL");
        copy_truncating(&mut b, b"a");
        assert_eq!(b, *b"a\0\0\0", "the rest is cleared");
        let mut c = [9 as c_char; 3];
        c_copy_truncating(&mut c, b"xyz");
        assert_eq!(c, [b'x' as c_char, b'y' as c_char, 0]);
        copy_truncating(&mut [], b"abc"); // an empty field takes nothing
    }

    #[test]
    fn paths_are_checked() {
        assert!(path_cstring(Path::new("/tmp/x"), 256).is_ok());
        assert_eq!(
            path_cstring(Path::new("/tmp/\0x"), 256),
            Err(TextError::InteriorNul)
        );
        assert_eq!(
            path_cstring(Path::new(&"a".repeat(256)), 256),
            Err(TextError::TooLong { len: 256, max: 255 })
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_keep_non_utf8_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(
            b"/tmp/sdk-\xff\xfe/libcrypto.so.1.1",
        ));
        let c = path_cstring(p, 256).unwrap();
        assert_eq!(c.as_bytes(), b"/tmp/sdk-\xff\xfe/libcrypto.so.1.1");
    }
}
