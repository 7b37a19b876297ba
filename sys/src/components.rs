//! The Linux SDK's components: `HCNetSDKCom/` and the OpenSSL libraries.
//!
//! `libhcnetsdk.so` loads its preview, alarm, playback and other components from an
//! `HCNetSDKCom/` folder, and OpenSSL from `libcrypto`/`libssl`, but on Linux it finds them
//! only when told where they are, through `NET_DVR_SetSDKInitCfg` before `NET_DVR_Init`.
//! Without that, Init succeeds and later calls fail with misleading codes (29, 41, 107...).
//! [`ComponentPaths::locate`] checks the files before Init and says which one is missing.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::text;

/// The component folder's name.
pub const COMPONENT_DIR: &str = "HCNetSDKCom";
/// OpenSSL crypto library names, in order of preference.
pub const LIBCRYPTO_NAMES: &[&str] = &["libcrypto.so.1.1", "libcrypto.so.3", "libcrypto.so"];
/// OpenSSL SSL library names, in order of preference.
pub const LIBSSL_NAMES: &[&str] = &["libssl.so.1.1", "libssl.so.3", "libssl.so"];

/// Paths to hand to `NET_DVR_SetSDKInitCfg` before `NET_DVR_Init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentPaths {
    /// The folder that holds `libhcnetsdk.so` and `HCNetSDKCom/`
    /// (`NET_SDK_INIT_CFG_SDK_PATH`).
    pub sdk_dir: PathBuf,
    /// Full path of libcrypto (`NET_SDK_INIT_CFG_LIBEAY_PATH`).
    pub libcrypto: PathBuf,
    /// Full path of libssl (`NET_SDK_INIT_CFG_SSLEAY_PATH`).
    pub libssl: PathBuf,
}

/// A component the SDK needs is not where it must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingComponent {
    /// What is missing, e.g. `HCNetSDKCom/` or `libcrypto`.
    pub what: &'static str,
    /// Every path that was checked.
    pub looked_for: Vec<PathBuf>,
}

impl fmt::Display for MissingComponent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the SDK component {} is missing; looked for:", self.what)?;
        for p in &self.looked_for {
            write!(f, "\n  - {}", p.display())?;
        }
        write!(
            f,
            "\nfix: keep the SDK's lib folder whole: libhcnetsdk.so, libHCCore.so, libhpr.so, \
             libcrypto/libssl and the HCNetSDKCom/ folder side by side, as shipped \
             (without them, later calls fail with misleading codes such as 29, 41 or 107)"
        )
    }
}

impl std::error::Error for MissingComponent {}

impl ComponentPaths {
    /// Check `sdk_dir` for `HCNetSDKCom/`, libcrypto and libssl.
    ///
    /// # Errors
    /// [`MissingComponent`] naming the first missing piece and every path checked for it.
    pub fn locate(sdk_dir: &Path) -> Result<Self, MissingComponent> {
        let com = sdk_dir.join(COMPONENT_DIR);
        if !com.is_dir() {
            return Err(MissingComponent {
                what: "HCNetSDKCom/ (component folder)",
                looked_for: vec![com],
            });
        }
        let find = |what: &'static str, names: &[&str]| {
            let looked: Vec<PathBuf> = names.iter().map(|n| sdk_dir.join(n)).collect();
            looked
                .iter()
                .find(|p| p.is_file())
                .cloned()
                .ok_or(MissingComponent {
                    what,
                    looked_for: looked,
                })
        };
        Ok(Self {
            sdk_dir: sdk_dir.to_path_buf(),
            libcrypto: find("libcrypto (OpenSSL)", LIBCRYPTO_NAMES)?,
            libssl: find("libssl (OpenSSL)", LIBSSL_NAMES)?,
        })
    }

    /// `sdk_dir` as the SDK wants it in `NET_DVR_LOCAL_SDK_PATH.sPath`: with a trailing slash,
    /// NUL-padded to the field's 256 bytes.
    ///
    /// Returns `None` if the path (plus slash and NUL) does not fit or holds a NUL byte.
    /// The path's own bytes are used (see [`crate::text::path_bytes`]), never a lossy
    /// rendering of them.
    pub fn sdk_path_field(&self) -> Option<[core::ffi::c_char; 256]> {
        let mut bytes = text::path_bytes(&self.sdk_dir).ok()?.into_owned();
        if bytes.last() != Some(&b'/') {
            bytes.push(b'/');
        }
        text::field(&bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("hcnetsdk-sys-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn missing_component_folder_is_named_with_its_path() {
        let d = tmp("nocom");
        let err = ComponentPaths::locate(&d).unwrap_err();
        assert!(err.what.starts_with("HCNetSDKCom/"));
        assert_eq!(err.looked_for, vec![d.join("HCNetSDKCom")]);
        assert!(
            err.to_string()
                .contains(&d.join("HCNetSDKCom").display().to_string())
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_libcrypto_lists_every_name_tried() {
        let d = tmp("nocrypto");
        std::fs::create_dir(d.join("HCNetSDKCom")).unwrap();
        std::fs::write(d.join("libssl.so.1.1"), b"").unwrap();
        let err = ComponentPaths::locate(&d).unwrap_err();
        assert!(err.what.starts_with("libcrypto"), "{err}");
        assert_eq!(err.looked_for.len(), LIBCRYPTO_NAMES.len());
        assert!(err.to_string().contains("libcrypto.so.1.1"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_libssl_is_named_with_every_path_tried() {
        let d = tmp("nossl");
        std::fs::create_dir(d.join("HCNetSDKCom")).unwrap();
        std::fs::write(d.join("libcrypto.so.1.1"), b"").unwrap();
        let err = ComponentPaths::locate(&d).unwrap_err();
        assert!(err.what.starts_with("libssl"), "{err}");
        let want: Vec<PathBuf> = LIBSSL_NAMES.iter().map(|n| d.join(n)).collect();
        assert_eq!(err.looked_for, want);
        let text = err.to_string();
        assert!(
            text.contains(&d.join("libssl.so.1.1").display().to_string()) && text.contains("fix:"),
            "{text}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn complete_folder_is_located() {
        let d = tmp("complete");
        std::fs::create_dir(d.join("HCNetSDKCom")).unwrap();
        std::fs::write(d.join("libcrypto.so.3"), b"").unwrap();
        std::fs::write(d.join("libssl.so.1.1"), b"").unwrap();
        let c = ComponentPaths::locate(&d).unwrap();
        assert_eq!(c.libcrypto, d.join("libcrypto.so.3"));
        assert_eq!(c.libssl, d.join("libssl.so.1.1"));
        let field = c.sdk_path_field().unwrap();
        let text: Vec<u8> = field
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            format!("{}/", d.display())
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Linux paths are bytes: a folder name that is not UTF-8 must reach the SDK unchanged,
    /// not as U+FFFD replacement characters that name a folder that does not exist.
    #[cfg(unix)]
    #[test]
    fn sdk_path_field_keeps_non_utf8_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let base = tmp("nonutf8");
        let d = base.join(std::ffi::OsStr::from_bytes(b"sdk-\xff\xfe"));
        std::fs::create_dir_all(d.join("HCNetSDKCom")).unwrap();
        std::fs::write(d.join("libcrypto.so.1.1"), b"").unwrap();
        std::fs::write(d.join("libssl.so.1.1"), b"").unwrap();
        let field = ComponentPaths::locate(&d)
            .unwrap()
            .sdk_path_field()
            .unwrap();
        let got: Vec<u8> = field
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        let mut want = d.as_os_str().as_bytes().to_vec();
        want.push(b'/');
        assert_eq!(got, want);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
