//! Does the SDK library's architecture match this program's? Read from the file's header
//! (ELF on Linux, PE on Windows), so a 32-bit or ARM SDK in an x86-64 setup is named as
//! such instead of failing with the loader's "wrong ELF class" text.

use std::io::Read;
use std::path::Path;

/// The architecture a library file was built for, as read from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileArch {
    /// Rust's name for it (`x86_64`, `aarch64`, `x86`, `arm`, ...) or `machine 0x..`.
    pub arch: String,
    /// 32 or 64.
    pub bits: u8,
    /// `ELF` or `PE`.
    pub format: &'static str,
}

/// This program's architecture, as Rust names it.
pub fn host_arch() -> &'static str {
    std::env::consts::ARCH
}

/// Read the header of `path`. `None` when the file cannot be read or is neither ELF nor PE.
pub fn file_arch(path: &Path) -> Option<FileArch> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut head = [0u8; 512];
    let n = f.read(&mut head).ok()?;
    let head = &head[..n];
    if head.len() >= 20 && head.starts_with(b"\x7fELF") {
        let bits = if head[4] == 2 { 64 } else { 32 };
        let machine = if head[5] == 2 {
            u16::from_be_bytes([head[18], head[19]])
        } else {
            u16::from_le_bytes([head[18], head[19]])
        };
        let arch = match machine {
            0x03 => "x86".to_string(),
            0x28 => "arm".to_string(),
            0x3E => "x86_64".to_string(),
            0xB7 => "aarch64".to_string(),
            0x08 => if bits == 64 { "mips64" } else { "mips" }.to_string(),
            0xF3 => "riscv64".to_string(),
            m => format!("machine 0x{m:x}"),
        };
        return Some(FileArch {
            arch,
            bits,
            format: "ELF",
        });
    }
    if head.len() >= 0x40 && head.starts_with(b"MZ") {
        let pe = u32::from_le_bytes([head[0x3c], head[0x3d], head[0x3e], head[0x3f]]) as usize;
        if pe + 6 <= head.len() && &head[pe..pe + 4] == b"PE\0\0" {
            let machine = u16::from_le_bytes([head[pe + 4], head[pe + 5]]);
            let (arch, bits) = match machine {
                0x14c => ("x86", 32),
                0x8664 => ("x86_64", 64),
                0xaa64 => ("aarch64", 64),
                _ => ("unknown", 0),
            };
            return Some(FileArch {
                arch: arch.to_string(),
                bits,
                format: "PE",
            });
        }
    }
    None
}

/// True when the file's architecture is the one this program runs as.
pub fn matches_host(fa: &FileArch) -> bool {
    fa.arch == host_arch()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_executable() {
        let exe = std::env::current_exe().unwrap();
        let fa = file_arch(&exe).expect("test binary has an ELF/PE header");
        assert!(matches_host(&fa), "{fa:?} vs {}", host_arch());
    }

    #[test]
    fn other_machine_is_named() {
        let dir = std::env::temp_dir().join(format!("hcnet-arch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("lib32arm.so");
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 1;
        h[5] = 1;
        h[18] = 0x28;
        std::fs::write(&p, &h).unwrap();
        let fa = file_arch(&p).unwrap();
        assert_eq!((fa.arch.as_str(), fa.bits), ("arm", 32));
        assert!(!matches_host(&fa) || host_arch() == "arm");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn not_a_library() {
        let dir = std::env::temp_dir().join(format!("hcnet-arch2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.so");
        std::fs::write(&p, b"not a library").unwrap();
        assert_eq!(file_arch(&p), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
