//! `NET_DVR_SetLogToFile`: a real log file in the folder the client names.
//!
//! Levels as the SDK documents them: 0 off, 1 errors, 2 errors and information, 3 all
//! (every call). The file is `<dir>/SdkLog_mock.log` (the real SDK writes `SdkLog_*.log`
//! files there too); with no folder the SDK's default `./sdkLog/` is used. Lines look like
//! the real SDK's: `[2026-11-22 14:08:13.751][ERR] NET_DVR_Login_V40 failed: 7`, and, as
//! with the real SDK, every line is also printed on stderr while logging is on.

use std::fs::File;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::errors::CREATEDIR_ERROR;
use crate::ffi::{Fail, Res};
use crate::sync::lock;

/// The file name the mock writes inside the log folder.
pub(crate) const FILE_NAME: &str = "SdkLog_mock.log";

static LEVEL: AtomicU32 = AtomicU32::new(0);
static FILE: Mutex<Option<(PathBuf, File)>> = Mutex::new(None);
/// `nLogLevel` and `bAutoDel` of the latest `NET_DVR_SetLogToFile` call, as sent.
static RECEIVED: Mutex<Option<(u32, i32)>> = Mutex::new(None);

/// Record the arguments of a `NET_DVR_SetLogToFile` call as received (whether or not the
/// call then succeeds); `MOCK_GetValue` reads them back as "log_level" / "log_auto_delete".
pub(crate) fn note_request(level: u32, auto_delete: i32) {
    *lock(&RECEIVED) = Some((level, auto_delete));
}

/// The latest [`note_request`], if any.
pub(crate) fn received() -> Option<(u32, i32)> {
    *lock(&RECEIVED)
}

/// Open (or switch) the log. `level` 0 closes it.
pub(crate) fn open(level: u32, dir: Option<&str>, auto_delete: bool) -> Res<()> {
    let mut g = lock(&FILE);
    if level == 0 {
        LEVEL.store(0, Ordering::SeqCst);
        *g = None;
        return Ok(());
    }
    let dir = PathBuf::from(dir.filter(|d| !d.is_empty()).unwrap_or("./sdkLog/"));
    std::fs::create_dir_all(&dir).map_err(|_| Fail::Code(CREATEDIR_ERROR))?;
    let path = dir.join(FILE_NAME);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|_| Fail::Code(CREATEDIR_ERROR))?;
    *g = Some((path, file));
    LEVEL.store(level.min(3), Ordering::SeqCst);
    drop(g);
    line(
        "INF",
        &format!(
            "hcnetsdk-mock {} log opened, level {level}, auto delete {auto_delete}",
            env!("CARGO_PKG_VERSION")
        ),
    );
    Ok(())
}

/// Close the log (last Cleanup).
pub(crate) fn close() {
    LEVEL.store(0, Ordering::SeqCst);
    *lock(&FILE) = None;
}

/// The log file's path, when one is open.
pub(crate) fn path() -> Option<String> {
    lock(&FILE).as_ref().map(|(p, _)| p.display().to_string())
}

/// One call: failures at level >= 1, successes at level 3.
pub(crate) fn trace(function: &str, failure: Option<u32>) {
    let level = LEVEL.load(Ordering::Relaxed);
    match failure {
        Some(code) if level >= 1 => write("ERR", &format!("{function} failed: {code}")),
        None if level >= 3 => write("DBG", &format!("{function} ok")),
        _ => {}
    }
}

/// An information line (level >= 2).
pub(crate) fn line(tag: &str, text: &str) {
    if LEVEL.load(Ordering::Relaxed) >= 2 {
        write(tag, text);
    }
}

fn write(tag: &str, text: &str) {
    let mut g = lock(&FILE);
    if let Some((_, f)) = g.as_mut() {
        let line = format!("[{}][{tag}] {text}", timestamp());
        let _ = writeln!(f, "{line}");
        // The real SDK also prints every log line on stderr once logging is on. Write errors
        // are ignored: `eprintln!` would panic on one (EPIPE when the client's stderr is a
        // closed pipe), and this runs outside the exports' panic guard.
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// UTC "YYYY-MM-DD hh:mm:ss.mmm" without a date library.
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        now.subsec_millis()
    )
}
