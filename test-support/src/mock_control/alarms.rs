//! The mock's alarm control: raise an alarm now on every arming of a device.

use std::ffi::c_char;

use super::{MockControl, c};

impl MockControl {
    /// `MOCK_RaiseAlarm`: raise an alarm of `kind` (a scenario kind: "motion",
    /// "alarm_input", "line_crossing", ...; or its ISAPI `eventType`) now on every arming of
    /// the device(s) at `address`. `channel` is the video channel, the alarm input (from 1)
    /// for "alarm_input", the disk (from 1) for the disk kinds. Returns how many armings got
    /// it; `None` for an unknown device or kind, or a channel the device lacks (-1).
    pub fn raise_alarm(&self, address: &str, kind: &str, channel: i32) -> Option<u32> {
        let f: unsafe extern "system" fn(*const c_char, *const c_char, i32) -> i32 =
            self.f("MOCK_RaiseAlarm");
        let (a, k) = (c(address), c(kind));
        // SAFETY: two NUL-terminated strings that outlive the call.
        let n = unsafe { f(a.as_ptr(), k.as_ptr(), channel) };
        u32::try_from(n).ok()
    }
}
