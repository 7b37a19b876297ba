//! What the soak reads about its own process from /proc (Linux only).

#[cfg(target_env = "gnu")]
unsafe extern "C" {
    /// glibc: give free heap memory back to the system.
    fn malloc_trim(pad: usize) -> std::ffi::c_int;
}

/// Resident set size in bytes (`VmRSS` of /proc/self/status), after handing the allocator's
/// free memory back to the system (glibc's `malloc_trim`), so that memory freed but cached
/// by the allocator (arenas of the mock's 1024 worker threads, say) does not count.
pub fn rss_bytes() -> u64 {
    #[cfg(target_env = "gnu")]
    // SAFETY: takes a size by value; callable at any time from any thread.
    unsafe {
        malloc_trim(0);
    }
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .expect("VmRSS in /proc/self/status")
}

/// CPU time of the whole process (all threads, user + system) in clock ticks: fields 14
/// and 15 (utime, stime) of /proc/self/stat.
pub fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("read /proc/self/stat");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    let rest = &stat[stat.rfind(')').expect("comm field") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    let n = |i: usize| fields[i].parse::<u64>().expect("numeric stat field");
    n(11) + n(12)
}

/// Clock ticks per second (`USER_HZ`): 100 on every Linux architecture this runs on.
pub const TICKS_PER_SEC: f64 = 100.0;

/// Mebibytes, for printing.
pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
