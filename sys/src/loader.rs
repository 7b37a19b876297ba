//! Finding and loading the SDK library at run time.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::bindings::HcNetSdkFns;

/// The SDK's file name on this platform: `libhcnetsdk.so` on Linux, `HCNetSDK.dll` on Windows.
pub fn library_file_name() -> &'static str {
    if cfg!(windows) {
        "HCNetSDK.dll"
    } else if cfg!(target_os = "macos") {
        "libhcnetsdk.dylib"
    } else {
        "libhcnetsdk.so"
    }
}

/// Where a candidate path came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// A path given in code (a file, or a folder holding the library).
    Explicit,
    /// The `HCNETSDK_LIB` environment variable (a file).
    EnvLib,
    /// The `HCNETSDK_LIB_DIR` environment variable (a folder).
    EnvLibDir,
    /// The folder of the running executable.
    ExeDir,
    /// The bare file name, resolved by the system loader (`LD_LIBRARY_PATH`, `PATH`, ...).
    SystemSearch,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Explicit => "explicit path",
            Source::EnvLib => "HCNETSDK_LIB",
            Source::EnvLibDir => "HCNETSDK_LIB_DIR",
            Source::ExeDir => "executable's folder",
            Source::SystemSearch => "system loader search",
        })
    }
}

/// One candidate the loader tried, and why it failed.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Where the candidate came from.
    pub source: Source,
    /// The path handed to the system loader.
    pub path: PathBuf,
    /// The loader's own message (`dlerror()` / `GetLastError()` text), or ours.
    pub message: String,
}

/// The SDK library could not be loaded from any candidate.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// Every candidate, in the order tried.
    pub attempts: Vec<Attempt>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not load the HCNetSDK library ({}); tried {} candidate(s):",
            library_file_name(),
            self.attempts.len()
        )?;
        for a in &self.attempts {
            write!(
                f,
                "\n  - [{}] {}: {}",
                a.source,
                a.path.display(),
                a.message
            )?;
        }
        write!(
            f,
            "\nfix: point HCNETSDK_LIB_DIR at the folder that holds {} (with libHCCore, libhpr and HCNetSDKCom/ beside it), \
             or HCNETSDK_LIB at the file itself, or pass the path in code",
            library_file_name()
        )
    }
}

impl std::error::Error for LoadError {}

/// A function the caller needs is not exported by the loaded library.
///
/// Only the call that needs the symbol fails; everything else keeps working, so a slightly
/// older SDK that lacks one export stays usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSymbol {
    /// The C name of the function.
    pub symbol: &'static str,
    /// The library it was looked up in.
    pub library: PathBuf,
}

impl MissingSymbol {
    /// An error for `symbol` missing from `library`.
    #[cold]
    pub fn new(symbol: &'static str, library: &Path) -> Self {
        Self {
            symbol,
            library: library.to_path_buf(),
        }
    }
}

impl fmt::Display for MissingSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the SDK at {} does not export {}; this call needs a newer HCNetSDK (other calls still work)",
            self.library.display(),
            self.symbol
        )
    }
}

impl std::error::Error for MissingSymbol {}

/// A loaded HCNetSDK (or a drop-in such as this project's mock) and its function table.
///
/// The table and the `libloading::Library` it came from live in one value, so a function
/// pointer obtained through [`sym!`](crate::sym) is valid for as long as the `Library` is
/// alive. Share it with `Arc<Library>` and keep the `Arc` beside anything that calls in.
///
/// Dropping a `Library` never unloads the file (no `dlclose`/`FreeLibrary`): the real SDK's
/// own threads still run its code for a while after `NET_DVR_Cleanup` returns, and
/// unmapping it under them crashes the process (measured: SIGSEGV in an SDK thread when a
/// tokio program dropped its last `Sdk` after 19 ISAPI previews, `examples/nvr.rs` against
/// the emulator). Loading the same file again reuses the mapping.
pub struct Library {
    fns: std::mem::ManuallyDrop<HcNetSdkFns>,
    path: PathBuf,
    is_mock: bool,
    missing: Vec<&'static str>,
}

impl fmt::Debug for Library {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Library")
            .field("path", &self.path)
            .field("is_mock", &self.is_mock)
            .finish_non_exhaustive()
    }
}

impl Library {
    /// Load the SDK.
    ///
    /// Search order:
    /// 1. `explicit`, when given: a file, or a folder that holds [`library_file_name`];
    /// 2. `HCNETSDK_LIB` (a file) or `HCNETSDK_LIB_DIR` (a folder);
    /// 3. the running executable's folder;
    /// 4. the system loader's own search (bare file name).
    ///
    /// The first source that is configured is the only one tried: a path given in code or
    /// in the environment that does not work is an error, never a silent fallback to some
    /// other SDK on the machine. With nothing configured, 3 then 4 are tried. Paths from
    /// 1 and 2 are files or folders (relative ones to the current folder); only step 4
    /// hands a bare name to the system loader.
    ///
    /// # Errors
    /// [`LoadError`] listing every candidate and the loader's message for each.
    pub fn load(explicit: Option<&Path>) -> Result<Self, LoadError> {
        let env_lib = std::env::var_os("HCNETSDK_LIB").filter(|v| !v.is_empty());
        let env_dir = std::env::var_os("HCNETSDK_LIB_DIR").filter(|v| !v.is_empty());
        let candidates = candidates(
            explicit,
            env_lib.as_deref().map(Path::new),
            env_dir.as_deref().map(Path::new),
            std::env::current_exe()
                .ok()
                .as_deref()
                .and_then(Path::parent),
        );
        let mut attempts = Vec::new();
        for (source, path) in candidates {
            match Self::open(&path, source == Source::SystemSearch) {
                Ok(lib) => return Ok(lib),
                Err(message) => attempts.push(Attempt {
                    source,
                    path,
                    message,
                }),
            }
        }
        Err(LoadError { attempts })
    }

    /// Load the library at exactly `path` (a file; a relative path is relative to the current
    /// folder), with no search.
    ///
    /// # Errors
    /// [`LoadError`] with the single attempt.
    pub fn load_file(path: &Path) -> Result<Self, LoadError> {
        Self::open(path, false).map_err(|message| LoadError {
            attempts: vec![Attempt {
                source: Source::Explicit,
                path: path.to_path_buf(),
                message,
            }],
        })
    }

    /// Open one candidate. `search`: hand a bare name to the system loader's search (only for
    /// [`Source::SystemSearch`]); otherwise `path` is a file, relative to the current folder
    /// when it is relative.
    fn open(path: &Path, search: bool) -> Result<Self, String> {
        if !search {
            if !path.exists() {
                return Err("no such file".to_string());
            }
            if path.is_dir() {
                return Err("is a folder, not a library file".to_string());
            }
        }
        // The system loader searches its path for a name without a separator; a file the
        // user named must be opened as that file, never swapped for another library.
        let target = if !search && path.components().count() == 1 {
            Path::new(".").join(path)
        } else {
            path.to_path_buf()
        };
        // SAFETY: loading a library runs its initialisers. The candidates are the SDK (or a
        // drop-in with the same ABI) that the user pointed us at; that trust is inherent in
        // using a vendor SDK at all.
        let lib = unsafe { libloading::Library::new(&target) }.map_err(|e| loader_message(&e))?;
        // SAFETY: `MOCK_IsMock` is looked up only to learn whether it exists; it is never called.
        let is_mock =
            unsafe { lib.get::<unsafe extern "system" fn() -> i32>(b"MOCK_IsMock\0") }.is_ok();
        let missing = crate::DECLARED_FUNCTIONS
            .iter()
            .copied()
            .filter(|name| {
                let c = [name.as_bytes(), b"\0"].concat();
                // SAFETY: the symbol is only checked for presence; the pointer is never used.
                unsafe { lib.get::<*const core::ffi::c_void>(&c[..]) }.is_err()
            })
            .collect();
        // SAFETY: from_library only looks up symbols with the signatures our header declares;
        // missing ones are kept as errors (dynamic_link_require_all(false)), never called.
        let fns = unsafe { HcNetSdkFns::from_library(lib) }.map_err(|e| loader_message(&e))?;
        let path = if search {
            path.to_path_buf()
        } else {
            std::fs::canonicalize(path).unwrap_or(target)
        };
        Ok(Self {
            fns: std::mem::ManuallyDrop::new(fns),
            path,
            is_mock,
            missing,
        })
    }

    /// The function table. Prefer [`sym!`](crate::sym), which turns a missing export into a
    /// [`MissingSymbol`] error instead of the generated methods' panic.
    #[doc(hidden)]
    pub fn fns(&self) -> &HcNetSdkFns {
        &self.fns
    }

    /// The path the library was loaded from (canonical where it could be resolved; the bare
    /// file name when the system loader found it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the library was loaded from, when known.
    pub fn dir(&self) -> Option<&Path> {
        self.path.parent().filter(|p| !p.as_os_str().is_empty())
    }

    /// Whether this is hcnetsdk-rs's mock SDK (it exports `MOCK_IsMock`).
    pub fn is_mock(&self) -> bool {
        self.is_mock
    }

    /// Which of [`DECLARED_FUNCTIONS`](crate::DECLARED_FUNCTIONS) this library does not export.
    pub fn missing_functions(&self) -> &[&'static str] {
        &self.missing
    }
}

/// libloading's error with its cause: its own text is only "dlopen failed"; the system
/// loader's message (`dlerror()`: which file, which missing dependency) is the source.
fn loader_message(e: &libloading::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The ordered candidate list (pure, so it can be tested without touching the environment).
fn candidates(
    explicit: Option<&Path>,
    env_lib: Option<&Path>,
    env_dir: Option<&Path>,
    exe_dir: Option<&Path>,
) -> Vec<(Source, PathBuf)> {
    let name = library_file_name();
    let file_or_dir = |p: &Path| {
        if p.is_dir() {
            p.join(name)
        } else {
            p.to_path_buf()
        }
    };
    if let Some(p) = explicit {
        return vec![(Source::Explicit, file_or_dir(p))];
    }
    let mut out = Vec::new();
    if let Some(p) = env_lib {
        out.push((Source::EnvLib, p.to_path_buf()));
    }
    if let Some(d) = env_dir {
        out.push((Source::EnvLibDir, d.join(name)));
    }
    if !out.is_empty() {
        return out;
    }
    if let Some(d) = exe_dir {
        out.push((Source::ExeDir, d.join(name)));
    }
    out.push((Source::SystemSearch, PathBuf::from(name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_path_is_the_only_candidate() {
        let c = candidates(
            Some(Path::new("/opt/sdk/libhcnetsdk.so")),
            Some(Path::new("/env/lib.so")),
            Some(Path::new("/env")),
            Some(Path::new("/exe")),
        );
        assert_eq!(
            c,
            vec![(Source::Explicit, PathBuf::from("/opt/sdk/libhcnetsdk.so"))]
        );
    }

    #[test]
    fn env_vars_come_before_defaults_and_replace_them() {
        let c = candidates(
            None,
            Some(Path::new("/env/x.so")),
            Some(Path::new("/envdir")),
            Some(Path::new("/exe")),
        );
        assert_eq!(
            c,
            vec![
                (Source::EnvLib, PathBuf::from("/env/x.so")),
                (
                    Source::EnvLibDir,
                    Path::new("/envdir").join(library_file_name())
                ),
            ]
        );
    }

    #[test]
    fn defaults_are_exe_dir_then_system_search() {
        let c = candidates(None, None, None, Some(Path::new("/exe")));
        assert_eq!(
            c,
            vec![
                (Source::ExeDir, Path::new("/exe").join(library_file_name())),
                (Source::SystemSearch, PathBuf::from(library_file_name())),
            ]
        );
    }

    #[test]
    fn nonexistent_path_error_names_the_path_and_the_fix() {
        let err = Library::load(Some(Path::new(
            "/nonexistent/hcnetsdk-rs-test/libhcnetsdk.so",
        )))
        .unwrap_err();
        assert_eq!(err.attempts.len(), 1);
        let text = err.to_string();
        assert!(
            text.contains("/nonexistent/hcnetsdk-rs-test/libhcnetsdk.so: no such file"),
            "{text}"
        );
        assert!(text.contains("fix: point HCNETSDK_LIB_DIR"), "{text}");
    }

    #[test]
    fn folder_without_the_sdk_is_reported_with_the_file_looked_for() {
        let dir = std::env::temp_dir().join(format!("hcnetsdk-sys-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = Library::load(Some(&dir)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&dir.join(library_file_name()).display().to_string()),
            "{text}"
        );
        assert!(text.contains("no such file"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_is_not_a_library_reports_the_loader_message() {
        let dir = std::env::temp_dir().join(format!("hcnetsdk-sys-bogus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join(library_file_name());
        std::fs::write(&f, b"not an ELF file").unwrap();
        let err = Library::load(Some(&dir)).unwrap_err();
        let msg = &err.attempts[0].message;
        assert!(!msg.is_empty() && msg != "no such file", "{msg}");
        // The system loader's own words, not just libloading's "dlopen failed": glibc's
        // dlerror() names the file and says what is wrong with it.
        #[cfg(target_os = "linux")]
        assert!(
            msg.contains(&f.display().to_string())
                && msg.len() > f.display().to_string().len() + 20,
            "{msg}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A bare file name given in code names a file in the current folder; it must not turn
    /// into a system-wide search that could load some other library.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_bare_name_given_in_code_is_not_searched_for_system_wide() {
        // libc.so.6 is on the system loader's path but not in the package folder, which is
        // the current folder of a test.
        assert!(!Path::new("libc.so.6").exists());
        let err = Library::load(Some(Path::new("libc.so.6"))).unwrap_err();
        assert_eq!(err.attempts[0].message, "no such file");
        let err = Library::load_file(Path::new("libc.so.6")).unwrap_err();
        assert_eq!(err.attempts[0].message, "no such file");
    }
}
