//! Safe Rust wrappers around the mock SDK's `MOCK_*` control exports (see
//! `mock-sdk/README.md`), for integration tests anywhere in the workspace.
//!
//! ```no_run
//! use hcnetsdk_test_support::{mock, mock_control};
//! let ctl = mock_control::MockControl::open(&mock::mock_lib_path());
//! let dev = ctl.add_test_device("ptz = true");
//! ctl.fail_next("NET_DVR_Login_V40", 7, 1, Some(&dev.address));
//! ```
//!
//! `MockControl` opens the same library file the code under test loads, so both see one
//! copy of the mock's state (the dynamic loader shares a library opened twice). Tests in one
//! binary run in parallel threads and share that state: give each test its own device
//! ([`MockControl::add_test_device`]) and scope faults to its address.

use std::ffi::{CString, c_char, c_double};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

// The recording controls (MOCK_SetClock, MOCK_SetDownloadFault).
mod recordings;
// The alarm control (MOCK_RaiseAlarm).
mod alarms;

type Bool = i32;

/// The `MOCK_*` functions of a loaded mock SDK.
pub struct MockControl {
    lib: libloading::Library,
}

impl std::fmt::Debug for MockControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockControl").finish_non_exhaustive()
    }
}

/// A device added for one test: its address (unique in this process), port and users.
#[derive(Debug, Clone)]
pub struct TestDevice {
    pub address: String,
    pub port: u16,
}

fn c(s: &str) -> CString {
    CString::new(s).expect("no NUL in control strings")
}

fn opt(s: Option<&str>) -> Option<CString> {
    s.map(c)
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

impl MockControl {
    /// Open the mock at `path` (normally [`crate::mock::mock_lib_path`]).
    ///
    /// # Panics
    /// If the file cannot be loaded or is not the mock (no `MOCK_IsMock`).
    pub fn open(path: &Path) -> Self {
        // SAFETY: loading the project's own mock library, which has no unusual initialisers.
        let lib = unsafe { libloading::Library::new(path) }
            .unwrap_or_else(|e| panic!("cannot load the mock SDK at {}: {e}", path.display()));
        let ctl = MockControl { lib };
        assert!(
            ctl.is_mock(),
            "{} is not the hcnetsdk-rs mock (no MOCK_IsMock)",
            path.display()
        );
        ctl
    }

    fn f<T: Copy>(&self, name: &str) -> T {
        let sym = format!("{name}\0");
        // SAFETY: the caller names a MOCK_ export and gives its exact C type as `T`.
        unsafe {
            *self
                .lib
                .get::<T>(sym.as_bytes())
                .unwrap_or_else(|e| panic!("mock lacks {name}: {e}"))
        }
    }

    /// Whether the library says it is the mock.
    pub fn is_mock(&self) -> bool {
        // SAFETY: only looks the symbol up; calling it is side-effect free.
        match unsafe {
            self.lib
                .get::<unsafe extern "system" fn() -> Bool>(b"MOCK_IsMock\0")
        } {
            // SAFETY: MOCK_IsMock takes no arguments.
            Ok(f) => (unsafe { f() }) == 1,
            Err(_) => false,
        }
    }

    /// Clear faults, latency and call counts; devices back to their scenario state.
    pub fn reset(&self) {
        let f: unsafe extern "system" fn() -> Bool = self.f("MOCK_Reset");
        // SAFETY: no arguments.
        assert_eq!(unsafe { f() }, 1);
    }

    /// Fail the next `count` calls of `function` (0 = until cleared) with `code`.
    pub fn fail_next(&self, function: &str, code: u32, count: u32, address: Option<&str>) {
        let f: unsafe extern "system" fn(*const c_char, u32, u32, *const c_char) -> Bool =
            self.f("MOCK_FailNext");
        let (func, addr) = (c(function), opt(address));
        // SAFETY: valid C strings for the call's duration.
        assert_eq!(unsafe { f(func.as_ptr(), code, count, ptr(&addr)) }, 1);
    }

    /// Fail each call of `function` with probability `p` until cleared.
    pub fn fail_random(&self, function: &str, code: u32, p: f64, address: Option<&str>) {
        let f: unsafe extern "system" fn(*const c_char, u32, c_double, *const c_char) -> Bool =
            self.f("MOCK_FailRandom");
        let (func, addr) = (c(function), opt(address));
        // SAFETY: valid C strings for the call's duration.
        assert_eq!(unsafe { f(func.as_ptr(), code, p, ptr(&addr)) }, 1);
    }

    /// Add `ms` of latency to `function` (0 removes it).
    pub fn set_latency(&self, function: &str, ms: u32, address: Option<&str>) {
        let f: unsafe extern "system" fn(*const c_char, u32, *const c_char) -> Bool =
            self.f("MOCK_SetLatency");
        let (func, addr) = (c(function), opt(address));
        // SAFETY: valid C strings for the call's duration.
        assert_eq!(unsafe { f(func.as_ptr(), ms, ptr(&addr)) }, 1);
    }

    /// Remove fault and latency rules (all, or for one function / one device).
    pub fn clear_faults(&self, function: Option<&str>, address: Option<&str>) {
        let f: unsafe extern "system" fn(*const c_char, *const c_char) -> Bool =
            self.f("MOCK_ClearFaults");
        let (func, addr) = (opt(function), opt(address));
        // SAFETY: NULL or valid C strings.
        assert_eq!(unsafe { f(ptr(&func), ptr(&addr)) }, 1);
    }

    /// Calls of `function` so far; with `address`, those that named that device (a login
    /// aimed at it, or a user ID or preview handle of it, counted as soon as it resolves,
    /// before the mock checks the other arguments; once per call).
    pub fn call_count(&self, function: &str, address: Option<&str>) -> u64 {
        let f: unsafe extern "system" fn(*const c_char, *const c_char) -> u64 =
            self.f("MOCK_GetCallCount");
        let (func, addr) = (c(function), opt(address));
        // SAFETY: valid C strings for the call's duration.
        unsafe { f(func.as_ptr(), ptr(&addr)) }
    }

    /// Take a device offline or bring it back (`port` 0 = any). False if no such device.
    pub fn set_device_online(&self, address: &str, port: u16, online: bool) -> bool {
        let f: unsafe extern "system" fn(*const c_char, u16, Bool) -> Bool =
            self.f("MOCK_SetDeviceOnline");
        let a = c(address);
        // SAFETY: valid C string.
        unsafe { f(a.as_ptr(), port, Bool::from(online)) == 1 }
    }

    /// Drop a preview's connection (fires the exception callback).
    pub fn disconnect_preview(&self, handle: i32) -> bool {
        let f: unsafe extern "system" fn(i32) -> Bool = self.f("MOCK_DisconnectPreview");
        // SAFETY: plain value.
        unsafe { f(handle) == 1 }
    }

    /// Drop a session's connection (fires the exception callback).
    pub fn disconnect_session(&self, user_id: i32) -> bool {
        let f: unsafe extern "system" fn(i32) -> Bool = self.f("MOCK_DisconnectSession");
        // SAFETY: plain value.
        unsafe { f(user_id) == 1 }
    }

    /// Add (or replace) a device from a TOML `[[device]]` table or its bare keys.
    pub fn add_device(&self, toml: &str) -> Result<(), String> {
        let f: unsafe extern "system" fn(*const c_char, *mut c_char, u32) -> Bool =
            self.f("MOCK_AddDevice");
        let t = c(toml);
        let mut err = vec![0 as c_char; 1024];
        // SAFETY: valid C string and a buffer of the stated size.
        if unsafe { f(t.as_ptr(), err.as_mut_ptr(), err.len() as u32) } == 1 {
            return Ok(());
        }
        let bytes: Vec<u8> = err
            .iter()
            .take_while(|b| **b != 0)
            .map(|b| *b as u8)
            .collect();
        Err(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Remove a device (`port` 0 = any).
    pub fn remove_device(&self, address: &str, port: u16) -> bool {
        let f: unsafe extern "system" fn(*const c_char, u16) -> Bool = self.f("MOCK_RemoveDevice");
        let a = c(address);
        // SAFETY: valid C string.
        unsafe { f(a.as_ptr(), port) == 1 }
    }

    /// A text value ("sdk_path", "libeay_path", "ssleay_path", "log_file", ...).
    pub fn get_string(&self, name: &str) -> Option<String> {
        let f: unsafe extern "system" fn(*const c_char, *mut c_char, u32) -> i32 =
            self.f("MOCK_GetString");
        let n = c(name);
        let mut buf = vec![0 as c_char; 4096];
        // SAFETY: valid C string and a buffer of the stated size.
        let len = unsafe { f(n.as_ptr(), buf.as_mut_ptr(), buf.len() as u32) };
        if len < 0 {
            return None;
        }
        let bytes: Vec<u8> = buf
            .iter()
            .take_while(|b| **b != 0)
            .map(|b| *b as u8)
            .collect();
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A number ("init_count", "recv_timeout_ms", "sessions", ...; "log_level" and
    /// "log_auto_delete" are the arguments of the latest `NET_DVR_SetLogToFile`, as sent).
    /// None if unknown or not recorded yet.
    pub fn get_value(&self, name: &str) -> Option<u64> {
        let f: unsafe extern "system" fn(*const c_char, *mut u64) -> Bool = self.f("MOCK_GetValue");
        let n = c(name);
        let mut v = 0u64;
        // SAFETY: valid C string and out pointer.
        (unsafe { f(n.as_ptr(), &mut v) } == 1).then_some(v)
    }

    /// A number about one device ("online", "sessions", "links", "failed_logins",
    /// "locked_ms"), or what the latest request to it sent: "last_login_mode",
    /// "last_login_https", "last_login_port", "last_login_async" (`NET_DVR_USER_LOGIN_INFO`),
    /// "last_jpeg_quality", "last_jpeg_size" (`NET_DVR_JPEGPARA` of a snapshot). None if
    /// unknown or not recorded yet.
    pub fn device_value(&self, address: &str, port: u16, name: &str) -> Option<u64> {
        let f: unsafe extern "system" fn(*const c_char, u16, *const c_char, *mut u64) -> Bool =
            self.f("MOCK_GetDeviceValue");
        let (a, n) = (c(address), c(name));
        let mut v = 0u64;
        // SAFETY: valid C strings and out pointer.
        (unsafe { f(a.as_ptr(), port, n.as_ptr(), &mut v) } == 1).then_some(v)
    }

    /// The `NET_DVR_PREVIEWINFO` that `NET_DVR_RealPlay_V40` received for `handle`, every
    /// field as sent (the latest call that returned this handle; still there after
    /// StopRealPlay). None if no RealPlay_V40 has returned the handle.
    pub fn preview_info(&self, handle: i32) -> Option<hcnetsdk_sys::NET_DVR_PREVIEWINFO> {
        let f: unsafe extern "system" fn(i32, *mut hcnetsdk_sys::NET_DVR_PREVIEWINFO) -> Bool =
            self.f("MOCK_GetPreviewInfo");
        let mut info = hcnetsdk_sys::NET_DVR_PREVIEWINFO::default();
        // SAFETY: a plain value and a valid out pointer.
        (unsafe { f(handle, &mut info) } == 1).then_some(info)
    }

    /// Make the running preview `handle` deliver `count` empty stream packets (data type 2,
    /// size 0, a valid non-NULL buffer pointer), one after each normal stream packet. False
    /// if no preview runs with that handle.
    pub fn inject_empty_packets(&self, handle: i32, count: u32) -> bool {
        self.inject_empty(handle, count, false)
    }

    /// As [`MockControl::inject_empty_packets`], with a NULL buffer pointer.
    pub fn inject_null_packets(&self, handle: i32, count: u32) -> bool {
        self.inject_empty(handle, count, true)
    }

    fn inject_empty(&self, handle: i32, count: u32, null_buffer: bool) -> bool {
        let f: unsafe extern "system" fn(i32, u32, Bool) -> Bool =
            self.f("MOCK_InjectEmptyPackets");
        // SAFETY: plain values.
        unsafe { f(handle, count, Bool::from(null_buffer)) == 1 }
    }

    /// Add a device at a fresh 192.0.2.x address (unique in this process), port 8000, with
    /// users admin/Admin12345 (admin), operator/Oper12345 (operator), viewer/View12345
    /// (viewer). `extra` is more TOML keys (e.g. `"ptz = true\nlogin_retry_limit = 3"`).
    ///
    /// # Panics
    /// If the addresses run out (150 per process) or the TOML is rejected.
    pub fn add_test_device(&self, extra: &str) -> TestDevice {
        static NEXT: AtomicU32 = AtomicU32::new(100);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        assert!(n <= 250, "out of test device addresses");
        let address = format!("192.0.2.{n}");
        let toml = format!(
            "address = \"{address}\"\nport = 8000\nlabel = \"test-{n}\"\n{extra}\n\
             [[user]]\nname = \"admin\"\npassword = \"Admin12345\"\nrole = \"admin\"\n\
             [[user]]\nname = \"operator\"\npassword = \"Oper12345\"\nrole = \"operator\"\n\
             [[user]]\nname = \"viewer\"\npassword = \"View12345\"\nrole = \"viewer\"\n"
        );
        self.add_device(&toml)
            .unwrap_or_else(|e| panic!("MOCK_AddDevice rejected the test device: {e}\n{toml}"));
        TestDevice {
            address,
            port: 8000,
        }
    }
}
