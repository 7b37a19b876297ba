//! Shared helpers for the mock's integration tests: one loaded mock per test binary, Init'ed
//! once and never cleaned up (tests run in parallel threads; lifecycle is tested in the
//! conformance suite, one process per case), plus typed wrappers for the calls tests make.
#![allow(dead_code)]

pub use hcnetsdk_test_support::{mock, mock_control};

use std::ffi::{CString, c_void};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use hcnetsdk_sys::*;
pub use mock_control::{MockControl, TestDevice};

/// The loaded mock and its control API.
pub struct Env {
    pub lib: Library,
    pub ctl: MockControl,
}

/// Exception callback events seen so far: (dwType, lUserID, lHandle).
pub static EVENTS: Mutex<Vec<(u32, i32, i32)>> = Mutex::new(Vec::new());
/// The thread each exception callback ran on, in the order of [`EVENTS`].
pub static EVENT_THREADS: Mutex<Vec<std::thread::ThreadId>> = Mutex::new(Vec::new());

/// The exception callback the tests register (`SetExceptionCallBack_V30`).
pub unsafe extern "system" fn on_exception(kind: DWORD, user: LONG, handle: LONG, _p: *mut c_void) {
    EVENTS.lock().unwrap().push((kind, user, handle));
    EVENT_THREADS
        .lock()
        .unwrap()
        .push(std::thread::current().id());
}

/// Reconnect interval the tests set (ms).
pub const RECONNECT_MS: u32 = 150;

/// The mock, initialised once for this test binary.
pub fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let path = mock::mock_lib_path();
        let lib = Library::load_file(&path).expect("load mock");
        assert!(lib.is_mock());
        let ctl = MockControl::open(&path);
        // SAFETY: plain SDK calls with valid arguments.
        unsafe {
            assert_eq!(sym!(lib, NET_DVR_Init).unwrap()(), TRUE);
            assert_eq!(
                sym!(lib, NET_DVR_SetReconnect).unwrap()(RECONNECT_MS, TRUE),
                TRUE
            );
            let cb: EXCEPTIONCALLBACK = Some(on_exception);
            assert_eq!(
                sym!(lib, NET_DVR_SetExceptionCallBack_V30).unwrap()(
                    0,
                    std::ptr::null_mut(),
                    cb,
                    std::ptr::null_mut()
                ),
                TRUE
            );
        }
        Env { lib, ctl }
    })
}

/// Shorthand: a function pointer from the mock.
#[macro_export]
macro_rules! f {
    ($name:ident) => {
        hcnetsdk_sys::sym!($crate::support::env().lib, $name).unwrap()
    };
}

/// This thread's last error.
pub fn err() -> u32 {
    // SAFETY: no arguments.
    unsafe { f!(NET_DVR_GetLastError)() }
}

/// Login result: Ok(user ID, info) or Err(code, info as written on failure).
#[allow(clippy::result_large_err)]
pub fn login(
    address: &str,
    port: u16,
    user: &str,
    password: &str,
) -> Result<(i32, NET_DVR_DEVICEINFO_V40), (u32, NET_DVR_DEVICEINFO_V40)> {
    let mut li = login_info(address, port, user, password);
    let mut info = NET_DVR_DEVICEINFO_V40::default();
    // SAFETY: valid structs.
    let id = unsafe { f!(NET_DVR_Login_V40)(&mut li, &mut info) };
    if id >= 0 {
        Ok((id, info))
    } else {
        Err((err(), info))
    }
}

/// A filled NET_DVR_USER_LOGIN_INFO (sync).
pub fn login_info(address: &str, port: u16, user: &str, password: &str) -> NET_DVR_USER_LOGIN_INFO {
    NET_DVR_USER_LOGIN_INFO {
        sDeviceAddress: text::field(address.as_bytes()).unwrap(),
        wPort: port,
        sUserName: text::field(user.as_bytes()).unwrap(),
        sPassword: text::field(password.as_bytes()).unwrap(),
        ..Default::default()
    }
}

/// Log in as admin on a test device.
pub fn admin(dev: &TestDevice) -> i32 {
    login(&dev.address, dev.port, "admin", "Admin12345")
        .map(|x| x.0)
        .expect("admin login")
}

pub fn logout(id: i32) -> bool {
    // SAFETY: plain value.
    unsafe { f!(NET_DVR_Logout)(id) == TRUE }
}

/// Start a preview with a callback and user pointer.
/// Held around every `NET_DVR_RealPlay_V40` of this test process. The mock hands out the
/// lowest free real-play handle, so a test that reads a stopped handle's recorded state
/// holds this to keep other tests from being given that handle meanwhile.
pub static HANDLE_ALLOC: Mutex<()> = Mutex::new(());

/// [`HANDLE_ALLOC`], surviving a test that panicked while holding it.
pub fn handle_alloc() -> std::sync::MutexGuard<'static, ()> {
    HANDLE_ALLOC.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn realplay(
    user: i32,
    channel: i32,
    stream: u32,
    cb: REALDATACALLBACK,
    p: *mut c_void,
) -> Result<i32, u32> {
    let mut pi = NET_DVR_PREVIEWINFO {
        lChannel: channel,
        dwStreamType: stream,
        bBlocked: 1,
        ..Default::default()
    };
    let _alloc = handle_alloc();
    // SAFETY: valid struct; the callback and pointer outlive the preview (tests stop it).
    let h = unsafe { f!(NET_DVR_RealPlay_V40)(user, &mut pi, cb, p) };
    if h >= 0 { Ok(h) } else { Err(err()) }
}

pub fn stop(handle: i32) -> bool {
    // SAFETY: plain value.
    unsafe { f!(NET_DVR_StopRealPlay)(handle) == TRUE }
}

/// Ok(()) or Err(last error) from a BOOL.
pub fn ok(b: BOOL) -> Result<(), u32> {
    if b == TRUE { Ok(()) } else { Err(err()) }
}

/// Poll `f` until true or `timeout`; returns whether it became true.
pub fn wait_for(timeout: Duration, f: impl Fn() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    f()
}

/// Events for one user ID so far.
pub fn events_for(user: i32) -> Vec<(u32, i32)> {
    EVENTS
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.1 == user)
        .map(|e| (e.0, e.2))
        .collect()
}

pub fn cstring(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// `a` as a callback's user pointer. It keeps one reference for the rest of the process, so
/// a preview that is still running when a failed assertion unwinds the test never calls
/// back into freed memory (the test then fails with its message, not a SIGSEGV).
pub fn user_ptr<T>(a: &std::sync::Arc<T>) -> *mut c_void {
    std::sync::Arc::into_raw(a.clone()) as *mut c_void
}
