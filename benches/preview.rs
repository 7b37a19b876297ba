//! Preview throughput, steady-state allocations and error-path cost: the safe API against
//! the raw C callback, in one run, against the mock SDK with `pacing = "fast"`.
//!
//! Run (about 30 s; also a check: exits 1 if a path's steady-state window carries fewer than
//! `MIN_WINDOW_PACKETS` packets in some round, or if the closure or queue path allocates per
//! packet in steady state):
//!
//! ```sh
//! cargo bench --bench preview
//! ```
//!
//! It builds the mock with `--release` into `target/release/` first (about 20 s the first
//! time), so that the mock's own per-packet cost dilutes the ratios as little as possible;
//! `HCNETSDK_MOCK_LIB=/path/to/libhcnetsdk.so` uses that library instead. It writes a
//! temporary scenario with one device and `pacing = "fast"` (preview data as fast as the
//! callback takes it) and points `HCNETSDK_MOCK_SCENARIO` at it.
//!
//! Knobs: `PREVIEW_BENCH_WINDOW_MS` (measured window per path and round, default 700),
//! `PREVIEW_BENCH_ROUNDS` (default 7; the three paths are interleaved, and ratios are given
//! for the fastest and the median rounds), `PREVIEW_BENCH_QUEUE` (queue capacity, default
//! 64), `PREVIEW_BENCH_ONLY=raw|closure|queue` (one path, one window, no table: for
//! `perf record` or callgrind).
//!
//! Noise-free instruction counts: run the bench binary (`target/release/deps/preview-*`)
//! under `valgrind --tool=callgrind` with `PREVIEW_BENCH_ONLY=raw` and then `=closure`, and
//! divide the inclusive Ir of `raw_count_callback` / `real_data_trampoline` (and of the mock's
//! `preview::worker`, for the whole packet path) by the "delivered in total" it prints.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{CStr, c_void};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::{Motion, Sdk, Session};
use hcnetsdk_sys as sys;

use hcnetsdk_test_support::{mock, mock_control};

// ---- counting allocator ------------------------------------------------------------------

/// Every allocation (alloc, alloc_zeroed, realloc) made by Rust code in this binary, on any
/// thread. The mock is a separate shared library with its own allocator, so its allocations
/// are not counted: only the safe layer's and the bench's.
static ALLOCS: AtomicU64 = AtomicU64::new(0);

struct Counting;

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; `ptr` came from this allocator, i.e. from System.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

// ---- settings ----------------------------------------------------------------------------

const ADDRESS: &str = "192.0.2.77";
const PASSWORD: &str = "Admin12345";
const CHANNEL: i32 = 1;
/// Fewest packets every path must carry in each round's steady-state window. A path that
/// delivers (next to) nothing would pass the allocation check trivially. The mock in
/// "fast" pacing delivers hundreds of thousands per second even in a debug build.
const MIN_WINDOW_PACKETS: u64 = 1_000;

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={v:?} is not a whole number; using {default}");
            default
        }),
        Err(_) => default,
    }
}

struct Config {
    warmup: Duration,
    window: Duration,
    rounds: usize,
    queue: usize,
}

// ---- preview throughput ------------------------------------------------------------------

/// What the packet sink counts: the same two relaxed adds in every path.
#[derive(Default)]
struct Counters {
    packets: AtomicU64,
    bytes: AtomicU64,
}

impl Counters {
    fn add(&self, len: usize) {
        self.packets.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
    }
    fn read(&self) -> (u64, u64) {
        (
            self.packets.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// The minimal REALDATACALLBACK: counts, nothing else.
///
/// # Safety
/// `user` points to a `Counters` that outlives the preview.
#[inline(never)]
unsafe extern "system" fn raw_count_callback(
    _handle: sys::LONG,
    _data_type: sys::DWORD,
    _buffer: *mut sys::BYTE,
    size: sys::DWORD,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Counters` passed to NET_DVR_RealPlay_V40, alive until after
    // NET_DVR_StopRealPlay returned (see `raw_round`).
    let counters = unsafe { &*user.cast::<Counters>() };
    counters.add(size as usize);
}

/// One measured window.
#[derive(Clone, Copy, Default)]
struct Sample {
    secs: f64,
    packets: u64,
    bytes: u64,
    allocs: u64,
    /// Packets the queue dropped in the window (queue path only).
    lost: u64,
}

impl Sample {
    fn pps(&self) -> f64 {
        self.packets as f64 / self.secs
    }
    fn mbps(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.secs
    }
}

/// Warm up, then count packets, bytes and allocations over one window. `lost` reads the
/// queue's loss counter (always 0 for the other paths). Nothing here allocates.
///
/// Warm-up lasts `cfg.warmup` and, for the queue, until a full queue has dropped a packet:
/// its pool allocates a buffer each time the consumer falls further behind than ever before
/// (at most `capacity` buffers per preview, see `start_queue`'s docs), and the first loss
/// proves every buffer exists. Those allocations are start-up, not steady state.
fn window(cfg: &Config, counters: &Counters, lost: &dyn Fn() -> u64, is_queue: bool) -> Sample {
    std::thread::sleep(cfg.warmup);
    let deadline = Instant::now() + Duration::from_secs(5);
    while is_queue && lost() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let (a0, l0) = (allocs(), lost());
    let (p0, b0) = counters.read();
    let t0 = Instant::now();
    std::thread::sleep(cfg.window);
    let (p1, b1) = counters.read();
    let secs = t0.elapsed().as_secs_f64();
    let (a1, l1) = (allocs(), lost());
    Sample {
        secs,
        packets: p1 - p0,
        bytes: b1 - b0,
        allocs: a1 - a0,
        lost: l1 - l0,
    }
}

struct Raw {
    lib: sys::Library,
}

impl Raw {
    fn round(&self, cfg: &Config, user_id: i32, totals: &mut u64) -> Sample {
        let real_play = sys::sym!(self.lib, NET_DVR_RealPlay_V40).expect("RealPlay_V40");
        let stop = sys::sym!(self.lib, NET_DVR_StopRealPlay).expect("StopRealPlay");
        let counters = Counters::default();
        let mut info = sys::NET_DVR_PREVIEWINFO {
            lChannel: CHANNEL,
            dwStreamType: 0,
            dwLinkMode: 0,
            bBlocked: 1,
            ..Default::default()
        };
        let user = (&raw const counters).cast_mut().cast::<c_void>();
        // SAFETY: `info` is a live NET_DVR_PREVIEWINFO; the callback matches REALDATACALLBACK
        // and `user` points to `counters`, which lives until after StopRealPlay below.
        let handle = unsafe { real_play(user_id, &raw mut info, Some(raw_count_callback), user) };
        assert!(handle >= 0, "raw NET_DVR_RealPlay_V40 failed");
        let sample = window(cfg, &counters, &|| 0, false);
        // SAFETY: a live handle, stopped once; afterwards the SDK makes no more callbacks.
        assert_eq!(unsafe { stop(handle) }, sys::TRUE, "NET_DVR_StopRealPlay");
        *totals += counters.read().0;
        sample
    }
}

fn closure_round(cfg: &Config, session: &Session, totals: &mut u64) -> Sample {
    let counters = Arc::new(Counters::default());
    let c = Arc::clone(&counters);
    let preview = session
        .preview(CHANNEL as u32)
        .start(move |p| c.add(p.data().len()))
        .expect("Preview::start");
    let sample = window(cfg, &counters, &|| 0, false);
    preview.stop().expect("Preview::stop");
    *totals += counters.read().0;
    sample
}

fn queue_round(cfg: &Config, session: &Session, totals: &mut u64) -> Sample {
    let counters = Counters::default();
    let (preview, rx) = session
        .preview(CHANNEL as u32)
        .start_queue(cfg.queue)
        .expect("Preview::start_queue");
    let sample = std::thread::scope(|s| {
        let counters = &counters;
        s.spawn(move || {
            for packet in rx {
                counters.add(packet.len());
            }
        });
        let sample = window(cfg, counters, &|| preview.stats().lost, true);
        preview.stop().expect("Preview::stop");
        sample
    });
    *totals += counters.read().0;
    sample
}

/// The fastest round: interference from other processes only ever slows a round down.
fn best(samples: &[Sample]) -> Sample {
    samples
        .iter()
        .copied()
        .max_by(|a, b| a.pps().total_cmp(&b.pps()))
        .unwrap_or_default()
}

fn median_pps(samples: &[Sample]) -> f64 {
    let mut v: Vec<f64> = samples.iter().map(Sample::pps).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

// ---- error path --------------------------------------------------------------------------

/// One single-call variant: its name, the row it is compared with, and the call.
struct Variant<'a> {
    name: &'static str,
    vs: Option<usize>,
    call: Box<dyn FnMut() + 'a>,
}

/// A timed variant: nanoseconds per call (best round) and allocations per call.
struct CallRow {
    name: &'static str,
    ns: f64,
    allocs: f64,
    /// Index of the row this one is compared with.
    vs: Option<usize>,
}

/// Time a group of variants, interleaved: every round runs each variant for `calls` calls,
/// so machine noise hits them alike; each keeps its best round.
fn time_group(rows: &mut Vec<CallRow>, rounds: usize, calls: u32, mut group: Vec<Variant<'_>>) {
    let base = rows.len();
    for v in &mut group {
        for _ in 0..calls / 10 {
            (v.call)(); // warm-up
        }
        rows.push(CallRow {
            name: v.name,
            ns: f64::INFINITY,
            allocs: 0.0,
            vs: v.vs.map(|i| base + i),
        });
    }
    for _ in 0..rounds {
        for (i, v) in group.iter_mut().enumerate() {
            let a0 = allocs();
            let t0 = Instant::now();
            for _ in 0..calls {
                (v.call)();
            }
            let ns = t0.elapsed().as_nanos() as f64 / f64::from(calls);
            let row = &mut rows[base + i];
            row.allocs = (allocs() - a0) as f64 / f64::from(calls);
            row.ns = row.ns.min(ns);
        }
    }
}

fn error_path(
    raw: &Raw,
    session: &Session,
    ctl: &mock_control::MockControl,
    rounds: usize,
    calls: u32,
) -> Vec<CallRow> {
    const NOSUPPORT: u32 = 23;
    const PTZ: &str = "NET_DVR_PTZControlWithSpeed_Other";
    const JPEG: &str = "NET_DVR_CaptureJPEGPicture_NEW";
    let lib = &raw.lib;
    let ptz_fn = sys::sym!(lib, NET_DVR_PTZControlWithSpeed_Other).expect(PTZ);
    let jpeg_fn = sys::sym!(lib, NET_DVR_CaptureJPEGPicture_NEW).expect(JPEG);
    let last_error = sys::sym!(lib, NET_DVR_GetLastError).expect("GetLastError");
    let error_msg = sys::sym!(lib, NET_DVR_GetErrorMsg).expect("GetErrorMsg");
    let uid = session.user_id();
    let ptz = session.ptz(CHANNEL as u32).expect("ptz");
    let mut rows = Vec::new();

    // SAFETY: five integers by value, as the header declares.
    let raw_ptz = move || unsafe { ptz_fn(uid, CHANNEL, sys::PAN_LEFT, 1, 1) };
    // SAFETY: no arguments; reads this thread's last error.
    let raw_code = move || unsafe { last_error() };
    let raw_msg = move || {
        let mut n: sys::LONG = -1;
        // SAFETY: writes one LONG through a live local; returns NULL or an SDK-owned string.
        let p = unsafe { error_msg(&mut n) };
        // SAFETY: non-NULL and NUL-terminated, read before any other SDK call.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes().len())
    };

    // PTZ that the mock fails with 23 (MOCK_FailNext until cleared, this device only).
    ctl.fail_next(PTZ, NOSUPPORT, 0, Some(ADDRESS));
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
    time_group(
        &mut rows,
        rounds,
        calls,
        vec![
            Variant {
                name: "PTZ fail: raw sys + GetLastError",
                vs: None,
                call: Box::new(|| {
                    if raw_ptz() == sys::FALSE {
                        black_box(raw_code());
                    }
                }),
            },
            Variant {
                name: "PTZ fail: raw + GetLastError + GetErrorMsg",
                vs: Some(0),
                call: Box::new(|| {
                    if raw_ptz() == sys::FALSE {
                        black_box(raw_code());
                        black_box(raw_msg());
                    }
                }),
            },
            Variant {
                name: "PTZ fail: Ptz::stop -> Err (safe)",
                vs: Some(0),
                call: Box::new(|| {
                    black_box(ptz.stop(Motion::Left).expect_err("fault").raw_code());
                }),
            },
        ],
    );
    ctl.clear_faults(Some(PTZ), Some(ADDRESS));

    // Snapshot that the mock fails with 23, with the safe layer's default 512 KiB buffer.
    ctl.fail_next(JPEG, NOSUPPORT, 0, Some(ADDRESS));
    let mut buf = vec![0u8; hcnetsdk::Snapshot::DEFAULT_BUFFER];
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
    let mut snapshot = session.snapshot(CHANNEL as u32).expect("snapshot");
    let mut small = session
        .snapshot(CHANNEL as u32)
        .expect("snapshot")
        .initial_buffer(64 * 1024);
    let (mut out, mut out_small) = (Vec::new(), Vec::new());
    time_group(
        &mut rows,
        rounds,
        calls,
        vec![
            Variant {
                name: "Snapshot fail: raw sys + GetLastError",
                vs: None,
                call: Box::new(move || {
                    if raw_jpeg() == sys::FALSE {
                        black_box(raw_code());
                    }
                }),
            },
            Variant {
                name: "Snapshot fail: capture_into -> Err (safe)",
                vs: Some(0),
                call: Box::new(|| {
                    let e = snapshot.capture_into(&mut out).expect_err("fault");
                    black_box(e.raw_code());
                }),
            },
            Variant {
                name: "  same, initial_buffer(64 KiB)",
                vs: Some(0),
                call: Box::new(|| {
                    let e = small.capture_into(&mut out_small).expect_err("fault");
                    black_box(e.raw_code());
                }),
            },
        ],
    );
    ctl.clear_faults(Some(JPEG), Some(ADDRESS));

    // For scale: the same PTZ call succeeding.
    assert_eq!(
        raw_ptz(),
        sys::TRUE,
        "PTZ stop should succeed without the fault"
    );
    time_group(
        &mut rows,
        rounds,
        calls,
        vec![
            Variant {
                name: "PTZ ok: raw sys",
                vs: None,
                call: Box::new(|| {
                    black_box(raw_ptz());
                }),
            },
            Variant {
                name: "PTZ ok: Ptz::stop (safe)",
                vs: Some(0),
                call: Box::new(|| ptz.stop(Motion::Left).expect("PTZ stop")),
            },
        ],
    );
    rows
}

// ---- main --------------------------------------------------------------------------------

fn write_scenario() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "hcnetsdk-bench-preview-{}.toml",
        std::process::id()
    ));
    let toml = format!(
        "pacing = \"fast\"\n\
         [[device]]\n\
         address = \"{ADDRESS}\"\nport = 8000\nlabel = \"bench\"\nkind = \"ipc\"\n\
         analog_channels = 1\nstart_channel = 1\nptz = true\nmax_links = 8\n\
         login_retry_limit = 0\n\
         [[device.user]]\nname = \"admin\"\npassword = \"{PASSWORD}\"\nrole = \"admin\"\n"
    );
    std::fs::write(&path, toml).expect("write the bench scenario");
    path
}

/// The mock built with `--release` next to this bench binary (both in `target/release/`),
/// so that the mock's own per-packet cost dilutes the ratios as little as possible. `None`
/// (use the debug mock of `hcnetsdk_test_support::mock`) when `HCNETSDK_MOCK_LIB` names a library or
/// the release build fails.
fn release_mock() -> Option<std::path::PathBuf> {
    if std::env::var_os("HCNETSDK_MOCK_LIB").is_some_and(|p| !p.is_empty()) {
        return None;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = mock::workspace_root().join("Cargo.toml");
    let built = std::process::Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "hcnetsdk-mock",
            "--manifest-path",
        ])
        .arg(&manifest)
        .status()
        .is_ok_and(|s| s.success());
    let dir = std::env::current_exe()
        .ok()?
        .parent()?
        .parent()?
        .to_path_buf();
    let lib = dir.join(sys::library_file_name());
    if built && lib.is_file() {
        Some(lib)
    } else {
        eprintln!(
            "could not build the release mock into {}; using the debug mock",
            dir.display()
        );
        None
    }
}

fn build_kind(path: &Path) -> &'static str {
    let s = path.to_string_lossy();
    if s.contains("/release/") {
        "release build"
    } else if s.contains("/debug/") {
        "DEBUG build: its per-packet cost dilutes the ratios; see the comment at the top"
    } else {
        "build unknown"
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` / `--all-targets` does not, and
    // then a short smoke run (debug mock, one short round) keeps test runs quick.
    let full = std::env::args().any(|a| a == "--bench");
    let cfg = Config {
        warmup: Duration::from_millis(if full { 200 } else { 100 }),
        window: Duration::from_millis(
            env_num("PREVIEW_BENCH_WINDOW_MS", if full { 700 } else { 100 }).max(10),
        ),
        rounds: env_num("PREVIEW_BENCH_ROUNDS", if full { 7 } else { 1 }).max(1) as usize,
        queue: env_num("PREVIEW_BENCH_QUEUE", 64).max(1) as usize,
    };
    let (call_rounds, calls) = if full { (5, 5000) } else { (1, 200) };

    let scenario = write_scenario();
    // SAFETY: set before any other thread exists and before the SDK is loaded, which is
    // when the mock reads it (at NET_DVR_Init).
    unsafe { std::env::set_var("HCNETSDK_MOCK_SCENARIO", &scenario) };
    let lib_path = if full { release_mock() } else { None }.unwrap_or_else(mock::mock_lib_path);
    if !full {
        println!("smoke run (not started by `cargo bench`): numbers are not meaningful");
    }
    let sdk = Sdk::load_from(&lib_path).expect("load the mock SDK");
    assert!(sdk.is_mock(), "{} is not the mock SDK", lib_path.display());
    sdk.init().expect("NET_DVR_Init with the bench scenario");
    let _ = std::fs::remove_file(&scenario);
    let session = Session::builder(&sdk)
        .address(ADDRESS)
        .user("admin")
        .password(PASSWORD)
        .login()
        .expect("log in to the bench device");
    let raw = Raw {
        lib: sys::Library::load_file(&lib_path).expect("load the mock again for raw calls"),
    };
    let ctl = mock_control::MockControl::open(&lib_path);

    println!(
        "hcnetsdk preview bench: mock {} ({})",
        lib_path.display(),
        build_kind(&lib_path)
    );
    println!(
        "pacing fast, main stream, {} interleaved rounds x {} ms window (after {} ms warm-up) per path, queue capacity {}",
        cfg.rounds,
        cfg.window.as_millis(),
        cfg.warmup.as_millis(),
        cfg.queue
    );

    let uid = session.user_id();
    if let Ok(path) = std::env::var("PREVIEW_BENCH_ONLY") {
        // Profiling aid (perf, callgrind): one path, one window, no table, no check.
        let mut total = 0;
        let s = match path.as_str() {
            "raw" => raw.round(&cfg, uid, &mut total),
            "closure" => closure_round(&cfg, &session, &mut total),
            "queue" => queue_round(&cfg, &session, &mut total),
            other => panic!("PREVIEW_BENCH_ONLY={other:?}: use raw, closure or queue"),
        };
        println!(
            "{path}: {:.0} packets/s, {:.1} MB/s, {} allocs and {} lost in the window; {total} delivered in total",
            s.pps(),
            s.mbps(),
            s.allocs,
            s.lost
        );
        return;
    }
    let (mut raw_s, mut clo_s, mut que_s) = (Vec::new(), Vec::new(), Vec::new());
    let (mut raw_t, mut clo_t, mut que_t) = (0u64, 0u64, 0u64);
    for _ in 0..cfg.rounds {
        raw_s.push(raw.round(&cfg, uid, &mut raw_t));
        clo_s.push(closure_round(&cfg, &session, &mut clo_t));
        que_s.push(queue_round(&cfg, &session, &mut que_t));
    }
    let sum = |v: &[Sample], f: fn(&Sample) -> u64| v.iter().map(f).sum::<u64>();
    let per_packet =
        |v: &[Sample]| sum(v, |s| s.allocs) as f64 / sum(v, |s| s.packets).max(1) as f64;
    let rows = [
        ("raw C callback (sys)", &raw_s),
        ("Preview::start(closure)", &clo_s),
        ("Preview::start_queue + consumer", &que_s),
    ];
    let (raw_best, raw_median) = (best(&raw_s), median_pps(&raw_s));

    println!();
    println!(
        "{:<32} {:>11} {:>9} {:>9} {:>9} {:>11} {:>9} {:>9} {:>9}",
        "path (best round)",
        "packets/s",
        "MB/s",
        "ns/pkt",
        "lost",
        "allocs/pkt",
        "safe/raw",
        "median",
        "safe/raw"
    );
    for (name, samples) in rows {
        let b = best(samples);
        let m = median_pps(samples);
        println!(
            "{:<32} {:>11.0} {:>9.1} {:>9.1} {:>9} {:>11.6} {:>9.3} {:>9.0} {:>9.3}",
            name,
            b.pps(),
            b.mbps(),
            1e9 / b.pps(),
            b.lost,
            per_packet(samples),
            b.pps() / raw_best.pps(),
            m,
            m / raw_median
        );
    }
    println!(
        "  packets/s, MB/s (10^6 B/s), ns/pkt (1/packets/s) and lost (packets the full queue \
         dropped) are from each path's fastest round; safe/raw = packets/s over the raw path's \
         (1.000 = no overhead), for the best and the median rounds; allocs/pkt = allocations \
         in all rounds' steady-state windows over their packets (the queue's window starts once \
         its buffer pool has grown to capacity, i.e. after its first dropped packet)."
    );
    println!(
        "  per-round packets/s  raw: {}  closure: {}  queue: {}",
        fmt_rounds(&raw_s),
        fmt_rounds(&clo_s),
        fmt_rounds(&que_s)
    );

    let call_rows = error_path(&raw, &session, &ctl, call_rounds, calls);
    println!();
    println!(
        "{:<46} {:>10} {:>12} {:>10}",
        format!("single calls (best of {call_rounds} x {calls})"),
        "ns/call",
        "allocs/call",
        "vs raw"
    );
    for row in &call_rows {
        let ratio = row.vs.map_or_else(
            || "1.00".to_owned(),
            |i| format!("{:.2}", row.ns / call_rows[i].ns),
        );
        println!(
            "{:<46} {:>10.0} {:>12.2} {:>10}",
            row.name, row.ns, row.allocs, ratio
        );
    }
    println!("  (vs raw: time per call over the raw sys row above it, 1.00 = no overhead)");
    println!();
    println!(
        "delivered in total (warm-up included, for callgrind): raw {raw_t}, closure {clo_t}, queue {que_t}"
    );

    session.logout().expect("logout");
    drop(raw);
    drop(sdk);

    let starved = starved_paths(&[
        ("raw C callback (sys)", &raw_s),
        ("Preview::start(closure)", &clo_s),
        ("Preview::start_queue", &que_s),
    ]);
    if !starved.is_empty() {
        eprintln!(
            "FAIL: too few packets in the steady-state window (at least {MIN_WINDOW_PACKETS} per path and round): {}; the allocation check would mean nothing",
            starved.join(", ")
        );
        std::process::exit(1);
    }
    let failing: Vec<&str> = [
        ("Preview::start(closure)", &clo_s),
        ("Preview::start_queue", &que_s),
    ]
    .iter()
    .filter(|(_, s)| sum(s, |x| x.allocs) > 0)
    .map(|(n, _)| *n)
    .collect();
    if !failing.is_empty() {
        eprintln!(
            "FAIL: steady-state allocations per packet above 0 in: {} (issue 4: no allocation per packet in steady state)",
            failing.join(", ")
        );
        std::process::exit(1);
    }
    println!(
        "ok: at least {MIN_WINDOW_PACKETS} packets per path and round; no allocation per packet in steady state (closure and queue paths)"
    );
}

/// The paths with a round whose window carried fewer than [`MIN_WINDOW_PACKETS`] packets,
/// each with its per-round packet counts.
fn starved_paths(paths: &[(&str, &Vec<Sample>)]) -> Vec<String> {
    paths
        .iter()
        .filter(|(_, v)| v.iter().any(|s| s.packets < MIN_WINDOW_PACKETS))
        .map(|(name, v)| {
            let counts: Vec<String> = v.iter().map(|s| s.packets.to_string()).collect();
            format!("{name} (packets per round: {})", counts.join(" / "))
        })
        .collect()
}

fn fmt_rounds(v: &[Sample]) -> String {
    v.iter()
        .map(|s| format!("{:.0}", s.pps()))
        .collect::<Vec<_>>()
        .join(" / ")
}
