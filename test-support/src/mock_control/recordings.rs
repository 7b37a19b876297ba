//! The mock's recording controls: the timeline's clock and download faults.

use std::ffi::c_char;

use super::{Bool, MockControl, c, opt, ptr};

impl MockControl {
    /// `MOCK_SetClock`: pin the recording timeline of the device(s) at `address` (or with
    /// that label) to `clock` (RFC 3339, or `"wall"`). False if no device matched.
    pub fn set_clock(&self, address: &str, clock: &str) -> bool {
        let f: unsafe extern "system" fn(*const c_char, *const c_char) -> Bool =
            self.f("MOCK_SetClock");
        let (a, k) = (c(address), c(clock));
        // SAFETY: two NUL-terminated strings that outlive the call.
        (unsafe { f(a.as_ptr(), k.as_ptr()) }) == 1
    }

    /// `MOCK_SetDownloadFault`: fault the next `count` downloads (0: all until cleared) on
    /// `address` (`None`: any device) with `fault` (`"drop:50"`, `"diskfull:80"`; `None`
    /// clears).
    pub fn set_download_fault(&self, address: Option<&str>, fault: Option<&str>, count: u32) {
        let f: unsafe extern "system" fn(*const c_char, *const c_char, u32) -> Bool =
            self.f("MOCK_SetDownloadFault");
        let (a, k) = (opt(address), opt(fault));
        // SAFETY: NULL or NUL-terminated strings that outlive the call.
        let set = unsafe { f(ptr(&a), ptr(&k), count) };
        assert_eq!(set, 1, "MOCK_SetDownloadFault");
    }
}
