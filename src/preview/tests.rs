//! Unit tests of the packet path: the trampoline with a closure and with the queue, with
//! an allocation counter to show that neither allocates per packet.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use hcnetsdk_sys as sys;

use super::queue::packet_queue;
use super::{DataType, HandlerState, Packet, Shared};
use crate::ffi::real_data::{ErasedBox, real_data_trampoline};

// Counts allocations per thread, to prove the packet path allocates nothing in steady
// state. The counter is a const thread-local Cell, which itself never allocates.
struct Counting;
thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}
// SAFETY: delegates to the system allocator; only counts.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

type Trampoline =
    unsafe extern "system" fn(sys::LONG, sys::DWORD, *mut sys::BYTE, sys::DWORD, *mut c_void);

/// Box a handler exactly as `start` does, and return the trampoline the SDK would get.
fn erased<F: FnMut(Packet<'_>) + Send + 'static>(f: F) -> (ErasedBox, Arc<Shared>, Trampoline) {
    let shared = Arc::new(Shared::default());
    let b = ErasedBox::new(HandlerState::new(f, Arc::clone(&shared)));
    (b, shared, real_data_trampoline::<HandlerState<F>>)
}

/// Call the trampoline as the SDK would.
fn deliver(t: Trampoline, state: &ErasedBox, kind: u32, data: &mut [u8]) {
    // SAFETY: `t` was instantiated for the HandlerState type behind `state.ptr`; the
    // buffer is live for the call.
    unsafe {
        t(
            5,
            kind,
            data.as_mut_ptr(),
            data.len() as u32,
            state.user_ptr(),
        )
    }
}

#[test]
fn closure_path_allocates_nothing_per_packet() {
    let total = Arc::new(AtomicU64::new(0));
    let t = Arc::clone(&total);
    let (state, shared, tramp) = erased(move |p: Packet<'_>| {
        assert_eq!(p.kind(), DataType::Stream);
        t.fetch_add(p.data().len() as u64, Ordering::Relaxed);
    });
    let mut data = vec![7u8; 4096];
    deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
    let before = allocs();
    for _ in 0..1000 {
        deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
    }
    assert_eq!(allocs() - before, 0, "the closure path allocated");
    assert_eq!(total.load(Ordering::Relaxed), 1001 * 4096);
    assert_eq!(shared.packets.load(Ordering::Relaxed), 1001);
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };
}

#[test]
fn queue_path_allocates_nothing_per_packet_in_steady_state() {
    let (mut producer, mut rx, _queue) = packet_queue(4);
    let (state, _shared, tramp) = erased(move |p: Packet<'_>| producer.push(p));
    let mut data = vec![1u8; 8192];
    let mut feed = |n: usize| {
        for i in 0..n {
            data[0] = i as u8;
            deliver(tramp, &state, sys::NET_DVR_STREAMDATA, &mut data);
            let p = rx.try_recv().expect("queued");
            assert_eq!(p.data()[0], i as u8);
            assert_eq!(p.len(), 8192);
            assert_eq!(p.kind(), DataType::Stream);
        }
    };
    // Warm-up: the pool grows its buffers to the packet size.
    feed(8);
    let before = allocs();
    feed(1000);
    assert_eq!(
        allocs() - before,
        0,
        "the queue path allocated in steady state"
    );
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };
}

#[test]
fn trampoline_catches_a_panic_and_stops_delivery() {
    let calls = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&calls);
    let (state, shared, tramp) = erased(move |_p: Packet<'_>| {
        c.fetch_add(1, Ordering::Relaxed);
        panic!("handler bug");
    });
    let mut data = [0u8; 4];
    deliver(tramp, &state, 2, &mut data);
    deliver(tramp, &state, 2, &mut data);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        1,
        "a poisoned handler must not be called again"
    );
    let err = shared.take_panic().expect("panic recorded");
    assert_eq!(err.call(), Some("REALDATACALLBACK"));
    assert!(err.to_string().contains("handler bug") || format!("{err:#}").contains("handler bug"));
    assert!(shared.take_panic().is_none(), "reported once");
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };
}

#[test]
fn null_buffer_is_an_empty_packet() {
    let seen = Arc::new(AtomicU64::new(u64::MAX));
    let s = Arc::clone(&seen);
    let (state, _shared, tramp) =
        erased(move |p: Packet<'_>| s.store(p.data().len() as u64, Ordering::Relaxed));
    // SAFETY: NULL buffer with size 0, as the SDK may send for headers-only events.
    unsafe { tramp(1, 1, std::ptr::null_mut(), 0, state.user_ptr()) };
    assert_eq!(seen.load(Ordering::Relaxed), 0);
    // SAFETY: NULL user pointer is ignored.
    unsafe { tramp(1, 1, std::ptr::null_mut(), 0, std::ptr::null_mut()) };
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };
}

#[test]
fn data_types_round_trip() {
    for raw in [1, 2, 3, 4, 5, 6, 107, 112, 999] {
        assert_eq!(DataType::from_raw(raw).raw(), raw);
    }
    assert_eq!(DataType::from_raw(1), DataType::SysHead);
}

/// The SDK entering the callback of one handle on a second thread while the first call is
/// still in the handler: the second call neither waits nor reaches the handler; it is
/// counted. The handler's `&mut` access is never shared.
#[test]
fn overlapping_calls_are_dropped_and_counted() {
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let calls = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&calls);
    let (state, shared, tramp) = erased(move |_p: Packet<'_>| {
        if c.fetch_add(1, Ordering::Relaxed) == 0 {
            entered_tx.send(()).unwrap();
            release_rx.recv().unwrap();
        }
    });
    std::thread::scope(|s| {
        let first = s.spawn(|| deliver(tramp, &state, 2, &mut [1, 2, 3]));
        entered_rx.recv().unwrap();
        // The first call is inside the handler now.
        deliver(tramp, &state, 2, &mut [4, 5]);
        deliver(tramp, &state, 2, &mut [6]);
        assert_eq!(state.header().overlapping(), 2);
        assert_eq!(
            calls.load(Ordering::Relaxed),
            1,
            "the handler ran twice at once"
        );
        release_tx.send(()).unwrap();
        first.join().unwrap();
    });
    // Once the first call returned, delivery goes on.
    deliver(tramp, &state, 2, &mut [7]);
    assert_eq!(calls.load(Ordering::Relaxed), 2);
    assert_eq!(shared.packets.load(Ordering::Relaxed), 2);
    assert_eq!(state.header().overlapping(), 2);
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };
}

/// A handler that frees its own state (as a handler that stops its own preview does, after
/// StopRealPlay succeeded): the state is freed when the handler has returned, not under it.
/// Under valgrind/miri a use after free here would be reported.
#[test]
fn state_freed_from_inside_its_handler_is_freed_on_return() {
    struct DropFlag(Arc<AtomicU64>);
    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicU64::new(0));
    let slot: Arc<std::sync::Mutex<Option<ErasedBox>>> = Arc::default();
    let (flag, d, sl) = (
        DropFlag(Arc::clone(&dropped)),
        Arc::clone(&dropped),
        Arc::clone(&slot),
    );
    let (state, _shared, tramp) = erased(move |_p: Packet<'_>| {
        let _keep = &flag;
        if let Some(b) = sl.lock().unwrap().take() {
            // SAFETY: no other call runs or will start (this test is the "SDK").
            unsafe { b.free_after_callback() };
            assert_eq!(
                d.load(Ordering::SeqCst),
                0,
                "freed under the running handler"
            );
        }
    });
    let user = state.user_ptr();
    *slot.lock().unwrap() = Some(state);
    // SAFETY: `user` is the live state; the handler frees it via the trampoline on return.
    unsafe { tramp(1, 2, [0u8; 1].as_mut_ptr(), 1, user) };
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        1,
        "freed once the handler returned"
    );
}
