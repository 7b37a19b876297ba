//! The stream data callback (`REALDATACALLBACK`) and the boxed state its `pUser` points to:
//! one trampoline for a live preview (registered by `NET_DVR_RealPlay_V40`, ended by
//! `NET_DVR_StopRealPlay`) and a playback (registered by `NET_DVR_SetPlayDataCallBack_V40`,
//! same shape, ended by `NET_DVR_StopPlayBack`); below, "StopRealPlay" stands for either.
//!
//! The trampoline is monomorphised per state type: it turns the SDK's buffer into a slice,
//! runs the state's handler without letting a panic unwind into C, and frees the state
//! after the handler returned when that handler stopped its own preview.
//!
//! # No lock on the way to the handler
//!
//! The handler is an `FnMut`, called through `&mut`, so two calls must never overlap. What
//! the SDK promises about its threads was looked for and not found:
//!
//! * the reference facts (`../shared/reference/hcnetsdk/callbacks.csv`) say only that
//!   `REALDATACALLBACK` "is invoked on an SDK thread"; the header and the manual excerpts
//!   they were written from say nothing about serialisation;
//! * `mock-sdk/real-sdk-probe/FINDINGS.md` measured the last error's thread locality, not
//!   the data callback (no camera, so no stream, in that probe);
//! * public material (searched: vendor manuals, Q&A threads, issue trackers) describes one
//!   receiving thread per real-play link in practice, but nothing normative.
//!
//! So serialisation per handle is likely but not proven, and the design does not rely on
//! it. Every boxed state starts with a [`CallbackHeader`] whose `busy` flag the trampoline
//! takes with one compare-and-swap before it touches the state and releases with one store
//! after. Holding the flag is what grants `&mut` access to the state (the invariant of the
//! `UnsafeCell`). A call that finds the flag taken (a second SDK thread entering while the
//! first is still in the handler) does not wait and does not touch the state: it counts
//! the packet in [`CallbackHeader::overlapping`] and returns. The unit test
//! `overlapping_calls_are_dropped_and_counted` in `src/preview/tests.rs` drives that case.
//!
//! There is no thread-local access per packet either: a handler that stops its own preview
//! is recognised by the `busy` flag (after a successful StopRealPlay no callback runs but
//! the one on the stopping thread), and the state is handed to that running call through
//! `free_on_return` in the header.

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use hcnetsdk_sys as sys;

use super::call::catch_panic;

/// What a preview hands the SDK as `pUser`: the handler and its bookkeeping. Every method
/// is called by the trampoline while it holds the state's `busy` flag, so it has the
/// state to itself.
pub(crate) trait RealDataHandler: Send + 'static {
    /// Whether delivery stopped for good (a handler panicked): packets are then ignored.
    fn stopped(&self) -> bool;
    /// One packet (`size` is what the SDK reported; `data` is empty for a NULL buffer).
    /// `overlapping` is [`CallbackHeader::overlapping`] as this call starts: when it grew
    /// since the previous call, packets were dropped just before this one.
    /// Runs user code; the trampoline catches its panics.
    fn packet(&mut self, data_type: u32, data: &[u8], size: u32, overlapping: u64);
    /// The handler panicked with `message`.
    fn panicked(&mut self, message: String);
}

/// The part of every boxed state that the trampoline and [`ErasedBox`] use without knowing
/// the state's type. It is the first field of a `#[repr(C)]` box, so a `pUser` points to it.
#[derive(Debug, Default)]
pub(crate) struct CallbackHeader {
    /// Set while a call is inside the state (the handler runs); whoever set it has `&mut`
    /// access to the state.
    busy: AtomicBool,
    /// A handler stopped its own preview: the call running it frees the box on return.
    free_on_return: AtomicBool,
    /// Packets dropped because a call arrived while another was inside the state.
    overlapping: AtomicU64,
}

impl CallbackHeader {
    /// Packets dropped because the SDK entered the callback for this handle on a second
    /// thread while a first call was still running the handler (0 unless the SDK delivers
    /// one handle's packets concurrently).
    pub(crate) fn overlapping(&self) -> u64 {
        self.overlapping.load(Ordering::Relaxed)
    }
}

/// What `pUser` points to: the header, then the state behind an `UnsafeCell`.
#[repr(C)]
struct Boxed<S> {
    header: CallbackHeader,
    state: UnsafeCell<S>,
}

/// The `REALDATACALLBACK` for state type `S`.
///
/// # Safety
/// `user` must be NULL or point to a live `Boxed<S>` made by [`ErasedBox::new`].
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
    // SAFETY: `user` is the Boxed<S> passed to NET_DVR_RealPlay_V40; it is freed only
    // after NET_DVR_StopRealPlay returned, after which the SDK makes no more calls (or, for
    // a handler that stopped its own preview, by this very call below). Only the header's
    // atomics are used through this shared reference.
    let boxed = unsafe { &*user.cast::<Boxed<S>>() };
    let header = &boxed.header;
    if header
        .busy
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        overlapped(header);
        return;
    }
    // SAFETY: this call holds `busy`, which is what grants exclusive access to the state
    // (see the module docs); the reference ends before `busy` is released below.
    let state = unsafe { &mut *boxed.state.get() };
    if !state.stopped() {
        // Marks this thread as inside an SDK callback (teardown asked for here goes to the
        // reaper thread): one thread-local counter, no lock, no allocation.
        let _scope = super::CallbackScope::enter();
        let data: &[u8] = if buffer.is_null() || size == 0 {
            &[]
        } else {
            // SAFETY: the SDK passes `size` readable bytes at `buffer`, valid during the
            // call.
            unsafe { std::slice::from_raw_parts(buffer, size as usize) }
        };
        let overlapping = header.overlapping();
        let outcome = catch_panic("real-data callback", || {
            state.packet(data_type, data, size, overlapping);
        });
        if let Err(message) = outcome {
            state.panicked(message);
        }
    }
    header.busy.store(false, Ordering::Release);
    // The handler stopped its own preview (see `ErasedBox::free_after_callback`): the SDK
    // makes no more calls with `user`, and this call no longer uses the state, so free it.
    if header.free_on_return.load(Ordering::Acquire) {
        // SAFETY: `user` is the Box<Boxed<S>> that `free_after_callback` handed over to this
        // running call instead of freeing it; StopRealPlay has returned, and nothing here
        // uses `boxed` after this point.
        drop(unsafe { Box::from_raw(user.cast::<Boxed<S>>()) });
    }
}

/// A call that found the state busy: count it (and say so once).
#[cold]
fn overlapped(header: &CallbackHeader) {
    if header.overlapping.fetch_add(1, Ordering::Relaxed) == 0 {
        tracing::warn!(
            "the SDK called the real-data callback of one preview on two threads at once; the overlapping packet is dropped and counted (PreviewStats::overlapping)"
        );
    }
}

/// A type-erased `Box<Boxed<S: RealDataHandler>>`, freed explicitly (never by `Drop`).
pub(crate) struct ErasedBox {
    ptr: *mut c_void,
    free: unsafe fn(*mut c_void),
}

// SAFETY: the box holds a CallbackHeader (atomics) and an S: Send that is only reached
// through the header's `busy` flag. ErasedBox itself only gives access to the header.
unsafe impl Send for ErasedBox {}
// SAFETY: as above; `&ErasedBox` gives access to the header's atomics only.
unsafe impl Sync for ErasedBox {}

impl ErasedBox {
    pub(crate) fn new<S: RealDataHandler>(state: S) -> Self {
        unsafe fn free<S>(ptr: *mut c_void) {
            // SAFETY: `ptr` came from Box::into_raw of a Box<Boxed<S>> (see `new`) and is
            // freed once.
            drop(unsafe { Box::from_raw(ptr.cast::<Boxed<S>>()) });
        }
        let boxed = Box::new(Boxed {
            header: CallbackHeader::default(),
            state: UnsafeCell::new(state),
        });
        Self {
            ptr: Box::into_raw(boxed).cast(),
            free: free::<S>,
        }
    }

    /// The `pUser` to hand the SDK with [`real_data_trampoline::<S>`].
    pub(crate) fn user_ptr(&self) -> *mut c_void {
        self.ptr
    }

    /// The header shared with the running callbacks.
    pub(crate) fn header(&self) -> &CallbackHeader {
        // SAFETY: `ptr` points to a live Boxed<S> (freed only by consuming `self`), whose
        // first field, at offset 0 (`repr(C)`), is the header.
        unsafe { &*self.ptr.cast::<CallbackHeader>() }
    }

    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer, and none may be
    /// running.
    pub(crate) unsafe fn free(self) {
        // SAFETY: the caller guarantees nobody uses the pointer any more.
        unsafe { (self.free)(self.ptr) }
    }

    /// Free the state once the SDK has promised no more calls with it: now, or, when a
    /// call is inside the state's handler (the handler stopped its own preview), as soon as
    /// that handler returns.
    ///
    /// # Safety
    /// The SDK must have promised to make no more calls with this pointer, and no call may
    /// be running other than one on this thread, if any (NET_DVR_StopRealPlay returned
    /// successfully: it does not return while another thread runs the callback).
    pub(crate) unsafe fn free_after_callback(self) {
        // By the caller's promise, a set `busy` flag can only belong to a call on this
        // thread: the handler that is stopping its own preview. That call reads
        // `free_on_return` after it released `busy`, and frees the box.
        let header = self.header();
        if header.busy.load(Ordering::Acquire) {
            header.free_on_return.store(true, Ordering::Release);
        } else {
            // SAFETY: no call is in progress, and the caller guarantees none will start.
            unsafe { self.free() }
        }
    }
}
