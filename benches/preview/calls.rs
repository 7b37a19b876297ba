//! Single calls: the error path (a failed PTZ call, a failed snapshot) and successful calls
//! (PTZ, `Sdk::version`), each through the safe layer against the raw symbols.

use std::ffi::CStr;
use std::hint::black_box;
use std::time::Instant;

use hcnetsdk::{Motion, Snapshot};
use hcnetsdk_sys as sys;

use crate::alloc::allocs;
use crate::setup::{ADDRESS, Bench, CHANNEL};

const NOSUPPORT: u32 = 23;
const PTZ: &str = "NET_DVR_PTZControlWithSpeed_Other";
const JPEG: &str = "NET_DVR_CaptureJPEGPicture_NEW";

/// One single-call variant: its name, the row it is compared with (index in its group),
/// and the call.
pub struct Variant<'a> {
    pub name: &'static str,
    pub vs: Option<usize>,
    pub call: Box<dyn FnMut() + 'a>,
}

fn variant<'a>(name: &'static str, vs: Option<usize>, call: impl FnMut() + 'a) -> Variant<'a> {
    Variant {
        name,
        vs,
        call: Box::new(call),
    }
}

/// A timed variant: nanoseconds per call (best and median round) and allocations per call.
pub struct CallRow {
    pub name: &'static str,
    pub ns: f64,
    pub median_ns: f64,
    pub allocs: f64,
    /// Index of the row this one is compared with.
    pub vs: Option<usize>,
}

/// Time a group of variants, interleaved: every round runs each variant for `calls` calls,
/// so machine noise hits them alike.
fn time_group(rows: &mut Vec<CallRow>, rounds: usize, calls: u32, mut group: Vec<Variant<'_>>) {
    let base = rows.len();
    let mut times = vec![Vec::with_capacity(rounds); group.len()];
    for v in &mut group {
        for _ in 0..calls / 10 {
            (v.call)(); // warm-up
        }
    }
    let mut alloc_counts = vec![0u64; group.len()];
    for _ in 0..rounds {
        for (i, v) in group.iter_mut().enumerate() {
            let a0 = allocs();
            let t0 = Instant::now();
            for _ in 0..calls {
                (v.call)();
            }
            times[i].push(t0.elapsed().as_nanos() as f64 / f64::from(calls));
            alloc_counts[i] += allocs() - a0;
        }
    }
    for (i, v) in group.iter().enumerate() {
        let t = &mut times[i];
        t.sort_by(f64::total_cmp);
        rows.push(CallRow {
            name: v.name,
            ns: t[0],
            median_ns: t[t.len() / 2],
            allocs: alloc_counts[i] as f64 / (f64::from(calls) * rounds as f64),
            vs: v.vs.map(|j| base + j),
        });
    }
}

/// Every group, timed.
pub fn run(bench: &Bench, rounds: usize, calls: u32) -> Vec<CallRow> {
    let mut rows = Vec::new();
    ptz_fail(bench, &mut rows, rounds, calls);
    snapshot_fail(bench, &mut rows, rounds, calls);
    successes(bench, &mut rows, rounds, calls);
    rows
}

/// The raw PTZ call (fails while the fault is armed) and the raw last-error read.
fn raw_ptz(bench: &Bench) -> (impl Fn() -> sys::BOOL, impl Fn() -> sys::DWORD) {
    let ptz_fn = sys::sym!(bench.raw, NET_DVR_PTZControlWithSpeed_Other).expect(PTZ);
    let last_error = sys::sym!(bench.raw, NET_DVR_GetLastError).expect("GetLastError");
    let uid = bench.uid();
    // SAFETY: five integers by value, as the header declares.
    let ptz = move || unsafe { ptz_fn(uid, CHANNEL, sys::PAN_LEFT, 1, 1) };
    // SAFETY: no arguments; reads this thread's last error.
    let code = move || unsafe { last_error() };
    (ptz, code)
}

/// PTZ that the mock fails with 23 (MOCK_FailNext until cleared, this device only).
fn ptz_fail(bench: &Bench, rows: &mut Vec<CallRow>, rounds: usize, calls: u32) {
    let error_msg = sys::sym!(bench.raw, NET_DVR_GetErrorMsg).expect("GetErrorMsg");
    let (raw_ptz, raw_code) = raw_ptz(bench);
    let raw_msg = move || {
        let mut n: sys::LONG = -1;
        // SAFETY: writes one LONG through a live local; returns NULL or an SDK-owned string.
        let p = unsafe { error_msg(&mut n) };
        // SAFETY: non-NULL and NUL-terminated, read before any other SDK call.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes().len())
    };
    let ptz = bench.session.ptz(CHANNEL as u32).expect("ptz");
    bench.ctl.fail_next(PTZ, NOSUPPORT, 0, Some(ADDRESS));
    assert_eq!(
        raw_ptz(),
        sys::FALSE,
        "the injected PTZ fault did not apply"
    );
    assert_eq!(raw_code(), NOSUPPORT);
    let e = ptz
        .stop(Motion::Left)
        .expect_err("the injected PTZ fault did not apply");
    assert_eq!(e.raw_code(), Some(NOSUPPORT));
    let group = vec![
        variant("PTZ fail: raw sys + GetLastError", None, || {
            if raw_ptz() == sys::FALSE {
                black_box(raw_code());
            }
        }),
        variant(
            "PTZ fail: raw + GetLastError + GetErrorMsg",
            Some(0),
            || {
                if raw_ptz() == sys::FALSE {
                    black_box(raw_code());
                    black_box(raw_msg());
                }
            },
        ),
        variant("PTZ fail: Ptz::stop -> Err (safe)", Some(0), || {
            black_box(ptz.stop(Motion::Left).expect_err("fault").raw_code());
        }),
    ];
    time_group(rows, rounds, calls, group);
    bench.ctl.clear_faults(Some(PTZ), Some(ADDRESS));
}

/// Snapshot that the mock fails with 23, with the safe layer's default 512 KiB buffer.
fn snapshot_fail(bench: &Bench, rows: &mut Vec<CallRow>, rounds: usize, calls: u32) {
    let jpeg_fn = sys::sym!(bench.raw, NET_DVR_CaptureJPEGPicture_NEW).expect(JPEG);
    let (_, raw_code) = raw_ptz(bench);
    let uid = bench.uid();
    bench.ctl.fail_next(JPEG, NOSUPPORT, 0, Some(ADDRESS));
    let mut buf = vec![0u8; Snapshot::DEFAULT_BUFFER];
    let mut raw_jpeg = move || {
        let mut para = sys::NET_DVR_JPEGPARA {
            wPicSize: 0xFF,
            wPicQuality: 0,
        };
        let mut returned: sys::DWORD = 0;
        // SAFETY: `buf` has `len` writable bytes; `para` and `returned` are live locals.
        unsafe {
            jpeg_fn(
                uid,
                CHANNEL,
                &raw mut para,
                buf.as_mut_ptr().cast(),
                buf.len() as sys::DWORD,
                &raw mut returned,
            )
        }
    };
    assert_eq!(
        raw_jpeg(),
        sys::FALSE,
        "the injected snapshot fault did not apply"
    );
    assert_eq!(raw_code(), NOSUPPORT);
    let mut snapshot = bench.session.snapshot(CHANNEL as u32).expect("snapshot");
    let mut small = bench
        .session
        .snapshot(CHANNEL as u32)
        .expect("snapshot")
        .initial_buffer(64 * 1024);
    let (mut out, mut out_small) = (Vec::new(), Vec::new());
    let group = vec![
        variant("Snapshot fail: raw sys + GetLastError", None, move || {
            if raw_jpeg() == sys::FALSE {
                black_box(raw_code());
            }
        }),
        variant("Snapshot fail: capture_into -> Err (safe)", Some(0), || {
            let e = snapshot.capture_into(&mut out).expect_err("fault");
            black_box(e.raw_code());
        }),
        variant("  same, initial_buffer(64 KiB)", Some(0), || {
            let e = small.capture_into(&mut out_small).expect_err("fault");
            black_box(e.raw_code());
        }),
    ];
    time_group(rows, rounds, calls, group);
    bench.ctl.clear_faults(Some(JPEG), Some(ADDRESS));
}

/// The raw pair of calls `Sdk::version` makes: `NET_DVR_GetSDKVersion` and
/// `NET_DVR_GetSDKBuildVersion`.
pub fn raw_version(bench: &Bench) -> impl Fn() -> (sys::DWORD, sys::DWORD) {
    let version = sys::sym!(bench.raw, NET_DVR_GetSDKVersion).expect("GetSDKVersion");
    let build = sys::sym!(bench.raw, NET_DVR_GetSDKBuildVersion).expect("GetSDKBuildVersion");
    // SAFETY: both take no arguments and return a DWORD.
    move || unsafe { (version(), build()) }
}

/// Successful calls: the same PTZ call, and the trivial wrapped call `Sdk::version`.
fn successes(bench: &Bench, rows: &mut Vec<CallRow>, rounds: usize, calls: u32) {
    let (raw_ptz, _) = raw_ptz(bench);
    let ptz = bench.session.ptz(CHANNEL as u32).expect("ptz");
    let raw_version = raw_version(bench);
    assert_eq!(
        raw_ptz(),
        sys::TRUE,
        "PTZ stop should succeed without the fault"
    );
    assert_ne!(raw_version().0, 0, "NET_DVR_GetSDKVersion after Init");
    bench.sdk.version().expect("Sdk::version");
    let group = vec![
        variant("PTZ ok: raw sys", None, || {
            black_box(raw_ptz());
        }),
        variant("PTZ ok: Ptz::stop (safe)", Some(0), || {
            ptz.stop(Motion::Left).expect("PTZ stop")
        }),
        variant(
            "version: raw GetSDKVersion+GetSDKBuildVersion",
            None,
            || {
                black_box(raw_version());
            },
        ),
        variant("version: Sdk::version (safe)", Some(2), || {
            black_box(bench.sdk.version().expect("Sdk::version"));
        }),
    ];
    time_group(rows, rounds, calls, group);
}
