//! The live-preview data callback (`REALDATACALLBACK`) and the boxed state its `pUser`
//! points to.
//!
//! The trampoline is monomorphised per state type: it turns the SDK's buffer into a slice,
//! runs the state's handler without letting a panic unwind into C, and frees the state
//! after the handler returned when that handler stopped its own preview.

use std::cell::Cell;
use std::ffi::c_void;

use hcnetsdk_sys as sys;

use super::call::catch_panic;

/// What a preview hands the SDK as `pUser`: the handler and its bookkeeping.
pub(crate) trait RealDataHandler: Send + Sync + 'static {
    /// Whether delivery stopped for good (a handler panicked): packets are then ignored.
    fn stopped(&self) -> bool;
    /// One packet (`size` is what the SDK reported; `data` is empty for a NULL buffer).
    /// Runs user code; the trampoline catches its panics.
    fn packet(&self, data_type: u32, data: &[u8], size: u32);
    /// The handler panicked with `message`.
    fn panicked(&self, message: String);
}

/// The `REALDATACALLBACK` for state type `S`.
///
/// # Safety
/// `user` must be NULL or point to a live `S` boxed by [`ErasedBox::new`].
pub(crate) unsafe extern "system" fn real_data_trampoline<S: RealDataHandler>(
    _handle: sys::LONG,
    data_type: sys::DWORD,
    buffer: *mut sys::BYTE,
    size: sys::DWORD,
    user: *mut c_void,
) {
    if user.is_null() {
        return;
    }
    // SAFETY: `user` is the S passed to NET_DVR_RealPlay_V40; it is freed only after
    // NET_DVR_StopRealPlay returned, after which the SDK makes no more calls.
    let state = unsafe { &*user.cast::<S>() };
    if state.stopped() {
        return;
    }
    let data: &[u8] = if buffer.is_null() || size == 0 {
        &[]
    } else {
        // SAFETY: the SDK passes `size` readable bytes at `buffer`, valid during the call.
        unsafe { std::slice::from_raw_parts(buffer, size as usize) }
    };
    let _scope = super::CallbackScope::enter();
    let outer = RUNNING
        .try_with(|r| r.replace(user))
        .unwrap_or(std::ptr::null_mut());
    let outcome = catch_panic("real-data callback", || state.packet(data_type, data, size));
    let _ = RUNNING.try_with(|r| r.set(outer));
    if let Err(message) = outcome {
        state.panicked(message);
    }
    // The handler stopped its own preview (see `ErasedBox::free_after_callback`): the SDK
    // makes no more calls with `user`, and this call no longer uses `state`, so free it now.
    let free_now = FREE_ON_RETURN
        .try_with(|f| {
            if f.get() == user {
                f.set(std::ptr::null_mut());
                true
            } else {
                false
            }
        })
        .unwrap_or(false);
    if free_now {
        // SAFETY: `user` is the Box<S> that `free_after_callback` handed over to this
        // running callback instead of freeing it; StopRealPlay has returned, and `state` is
        // not used after this point.
        drop(unsafe { Box::from_raw(user.cast::<S>()) });
    }
}

thread_local! {
    /// The handler state whose handler this thread is running (NULL outside callbacks).
    static RUNNING: Cell<*mut c_void> = const { Cell::new(std::ptr::null_mut()) };
    /// A handler state that a stop from inside its own handler handed to the running
    /// callback, to be freed once the handler has returned.
    static FREE_ON_RETURN: Cell<*mut c_void> = const { Cell::new(std::ptr::null_mut()) };
}

/// Whether this thread is inside the handler whose state is `ptr`.
fn running_handler(ptr: *mut c_void) -> bool {
    RUNNING.try_with(|r| r.get() == ptr).unwrap_or(false)
}

/// A type-erased `Box<S: RealDataHandler>`, freed explicitly (never by `Drop`).
pub(crate) struct ErasedBox {
    ptr: *mut c_void,
    free: unsafe fn(*mut c_void),
}

// SAFETY: the box holds an S: RealDataHandler, which is Send + Sync. ErasedBox itself only
// carries the pointer; the pointee is accessed by the SDK's callback thread through a
// shared reference.
unsafe impl Send for ErasedBox {}
// SAFETY: as above; `&ErasedBox` gives no access to the pointee.
unsafe impl Sync for ErasedBox {}

impl ErasedBox {
    pub(crate) fn new<S: RealDataHandler>(state: Box<S>) -> Self {
        unsafe fn free<S>(ptr: *mut c_void) {
            // SAFETY: `ptr` came from Box::into_raw of a Box<S> (see `new`) and is freed
            // once.
            drop(unsafe { Box::from_raw(ptr.cast::<S>()) });
        }
        Self {
            ptr: Box::into_raw(state).cast(),
            free: free::<S>,
        }
    }

    /// The `pUser` to hand the SDK with [`real_data_trampoline::<S>`].
    pub(crate) fn user_ptr(&self) -> *mut c_void {
        self.ptr
    }

    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer.
    pub(crate) unsafe fn free(self) {
        // SAFETY: the caller guarantees nobody uses the pointer any more.
        unsafe { (self.free)(self.ptr) }
    }

    /// Free the state once the SDK has promised no more calls with it: now, or, when this
    /// thread is inside the state's own handler (the handler stopped its own preview), as
    /// soon as that handler returns.
    ///
    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer other than the
    /// one in progress on this thread, if any.
    pub(crate) unsafe fn free_after_callback(self) {
        if running_handler(self.ptr) {
            let ptr = self.ptr;
            if FREE_ON_RETURN.try_with(|f| f.set(ptr)).is_err() {
                tracing::warn!(
                    "cannot hand the callback state over to the running callback; it is leaked"
                );
            }
        } else {
            // SAFETY: no call is in progress on this thread, and the caller guarantees none
            // will start.
            unsafe { self.free() }
        }
    }
}
