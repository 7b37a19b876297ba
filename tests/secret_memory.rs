//! Passwords are zeroed before their memory goes back to the allocator: the `Password`
//! itself, its clones, and the copies this crate puts into the SDK's login structure
//! (synchronous and asynchronous logins, successful and failed).
//!
//! A global allocator looks at every block of this process's Rust heap as it is freed (or
//! moved by `realloc`) and counts the blocks that still hold the secret. The mock SDK has
//! its own allocator, so what it does with the password it received is not counted: this
//! tests our copies only. Its own test binary, because it installs a global allocator.

use hcnetsdk_test_support::safe as support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use hcnetsdk::{Password, Session};
use support::{Device, Kind, mock, mock_lib_path, sdk};

/// A test secret kept on the stack, so that the only heap copies are the ones made by the
/// code under test. Distinctive enough never to occur in memory by chance, and assembled
/// at run time (it never appears whole in this binary's data).
struct Secret {
    buf: [u8; 48],
    len: usize,
}

impl Secret {
    fn new(tag: &str) -> Self {
        let mut buf = [0u8; 48];
        let mut len = 0;
        for part in ["Zq7", "#x-secret-", tag] {
            buf[len..len + part.len()].copy_from_slice(part.as_bytes());
            len += part.len();
        }
        Self { buf, len }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap()
    }
}

static ARMED: AtomicBool = AtomicBool::new(false);
static LEAKS: AtomicUsize = AtomicUsize::new(0);
/// The secret being watched, byte by byte (the allocator must not take a lock).
static PATTERN_COPY: [std::sync::atomic::AtomicU8; 64] =
    [const { std::sync::atomic::AtomicU8::new(0) }; 64];
static PATTERN_LEN: AtomicUsize = AtomicUsize::new(0);

struct Scanning;

fn holds_secret(block: *const u8, size: usize) -> bool {
    let n = PATTERN_LEN.load(Ordering::Acquire);
    if n == 0 || size < n {
        return false;
    }
    let first = PATTERN_COPY[0].load(Ordering::Relaxed);
    'outer: for start in 0..=size - n {
        // SAFETY: `block` is a live allocation of `size` bytes (about to be freed or moved);
        // volatile byte reads so that bytes the program never initialised are only looked at.
        if unsafe { block.add(start).read_volatile() } != first {
            continue;
        }
        for (i, want) in PATTERN_COPY.iter().enumerate().take(n).skip(1) {
            // SAFETY: as above; start + i < size.
            if unsafe { block.add(start + i).read_volatile() } != want.load(Ordering::Relaxed) {
                continue 'outer;
            }
        }
        return true;
    }
    false
}

fn check(block: *const u8, size: usize) {
    if ARMED.load(Ordering::Acquire) && holds_secret(block, size) {
        LEAKS.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards every call to the system allocator unchanged; it only reads blocks that
// are still allocated.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        check(ptr, layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The old block may be freed with its content.
        check(ptr, layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Scanning = Scanning;

/// Watches one secret until dropped; [`Watch::leaks`] counts freed blocks that held it.
struct Watch {
    _serial: MutexGuard<'static, ()>,
}

static SERIAL: Mutex<()> = Mutex::new(());

fn watch(secret: &str) -> Watch {
    let serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let bytes = secret.as_bytes();
    assert!(bytes.len() <= 64);
    for (i, b) in bytes.iter().enumerate() {
        PATTERN_COPY[i].store(*b, Ordering::Relaxed);
    }
    PATTERN_LEN.store(bytes.len(), Ordering::Release);
    LEAKS.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::Release);
    Watch { _serial: serial }
}

impl Watch {
    fn leaks(&self) -> usize {
        LEAKS.load(Ordering::SeqCst)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        ARMED.store(false, Ordering::Release);
        PATTERN_LEN.store(0, Ordering::Release);
    }
}

#[test]
fn the_scanner_sees_a_plain_string_freed_with_the_secret() {
    // The check itself can fail: an ordinary String is freed with its bytes.
    let s = Secret::new("plain");
    let w = watch(s.as_str());
    let copy = s.as_str().to_owned();
    drop(copy);
    assert!(
        w.leaks() >= 1,
        "the scanner missed a freed copy of the secret"
    );
}

#[test]
fn a_password_and_its_clones_are_zeroed_when_dropped() {
    let s = Secret::new("password");
    let w = watch(s.as_str());
    let p = Password::new(s.as_str());
    let q = p.clone();
    let from_string: Password = String::from(s.as_str()).into();
    drop((p, q, from_string));
    assert_eq!(w.leaks(), 0, "a Password was freed without being zeroed");
}

/// A private dome whose admin password is `password` (so the login succeeds).
fn device_with_admin_password(password: &str) -> Device {
    Device::with_extra(
        Kind::Dome,
        &format!("[[user]]\nname = \"keeper\"\npassword = \"{password}\"\nrole = \"admin\""),
    )
}

#[test]
fn sync_logins_zero_every_copy_of_the_password() {
    let right = Secret::new("sync-ok");
    let dev = device_with_admin_password(right.as_str());
    let w = watch(right.as_str());
    let session = Session::builder(sdk())
        .address(dev.address.clone())
        .user("keeper")
        .password(Password::new(Secret::new("sync-ok").as_str()))
        .login()
        .expect("login with the right password");
    session.logout().unwrap();
    assert_eq!(
        w.leaks(),
        0,
        "a successful login freed the password unzeroed"
    );
    drop(w);

    let wrong = Secret::new("sync-wrong");
    let w = watch(wrong.as_str());
    let err = Session::builder(sdk())
        .address(dev.address.clone())
        .user("keeper")
        .password(Password::new(Secret::new("sync-wrong").as_str()))
        .login()
        .unwrap_err();
    assert_eq!(err.raw_code(), Some(1));
    drop(err);
    assert_eq!(w.leaks(), 0, "a failed login freed the password unzeroed");
}

#[test]
fn async_logins_zero_every_copy_of_the_password() {
    let right = Secret::new("async-ok");
    let dev = device_with_admin_password(right.as_str());
    let w = watch(right.as_str());
    let pending = Session::builder(sdk())
        .address(dev.address.clone())
        .user("keeper")
        .password(Password::new(Secret::new("async-ok").as_str()))
        .login_async()
        .unwrap();
    let session = pending.wait().expect("async login with the right password");
    session.logout().unwrap();
    // The SDK's thread drops its reference to the login state after the callback.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(w.leaks(), 0, "an async login freed the password unzeroed");
    drop(w);

    let wrong = Secret::new("async-wrong");
    let w = watch(wrong.as_str());
    let err = Session::builder(sdk())
        .address(dev.address.clone())
        .user("keeper")
        .password(Password::new(Secret::new("async-wrong").as_str()))
        .login_async()
        .unwrap()
        .wait()
        .unwrap_err();
    assert_eq!(err.raw_code(), Some(1));
    drop(err);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        w.leaks(),
        0,
        "a failed async login freed the password unzeroed"
    );
}

/// `NET_DVR_Init` runs on the first login of a fresh `Sdk`; when it fails, the login must
/// not leave the password behind in freed memory (the login structure is filled only after
/// Init succeeded, and zeroes itself whenever it is freed).
#[test]
fn a_login_whose_init_fails_leaves_no_password_in_freed_memory() {
    // The shared SDK is initialised before the fault is set, so only the fresh one below
    // can consume it.
    sdk().init().unwrap();
    let dev = device_with_admin_password(Secret::new("init-fails").as_str());
    for asynchronous in [false, true] {
        let secret = Secret::new("init-fails");
        let fresh = hcnetsdk::Sdk::load_from(mock_lib_path()).expect("load the mock again");
        assert!(!fresh.is_initialized());
        let w = watch(secret.as_str());
        mock().fail_next("NET_DVR_Init", 41, 1, None);
        let builder = Session::builder(&fresh)
            .address(dev.address.clone())
            .user("keeper")
            .password(Password::new(Secret::new("init-fails").as_str()));
        let err = if asynchronous {
            builder.login_async().map(drop).unwrap_err()
        } else {
            builder.login().map(drop).unwrap_err()
        };
        assert_eq!(err.raw_code(), Some(41), "{err:#}");
        assert_eq!(err.call(), Some("NET_DVR_Init"));
        drop(err);
        assert!(!fresh.is_initialized());
        drop(fresh);
        assert_eq!(
            w.leaks(),
            0,
            "a login whose Init failed freed the password unzeroed (async: {asynchronous})"
        );
        drop(w);
        mock().clear_faults(Some("NET_DVR_Init"), None);
    }
}
