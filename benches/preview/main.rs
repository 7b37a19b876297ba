//! Preview throughput, steady-state allocations and single-call cost: the safe API against
//! raw C callbacks and raw calls, in one run, against the mock SDK with `pacing = "fast"`.
//!
//! Run (about 40 s; also a check: exits 1 if a path's steady-state window carries fewer than
//! `MIN_WINDOW_PACKETS` packets in some round, if the closure or queue path allocates per
//! packet in steady state, or if the queue (capacity 64, a consumer that only counts) loses
//! more of the packets offered than `report::queue_loss_limit_pct`: the loss that
//! scheduling explains, measured from the scheduler's statistics (`sched.rs`), plus a fixed
//! share for a consumer slower than the mock's fast pacing; the goal of 0.1% is printed as
//! met or not):
//!
//! ```sh
//! cargo bench --bench preview
//! ```
//!
//! Rows: the counting raw C callback (`raw`), a raw C callback that copies each packet into
//! a preallocated ring of fixed-size slots (`ring`: the floor any queue can reach), the
//! closure path (compared with `raw`), the queue path (compared with `ring`) and the
//! frames path (`start_frames`: the demuxer on the SDK's thread, counting frames; compared
//! with `raw`, about one frame per packet in the mock's clip); then
//! single calls: a failed PTZ call, a failed snapshot, a successful PTZ call and
//! `Sdk::version`, each against the raw symbols. Every row gives allocations per packet or
//! per call; the wall-clock table shows the best and the median rounds.
//!
//! It builds the mock with `--release` into `target/release/` first (about 20 s the first
//! time), so that the mock's own per-packet cost dilutes the ratios as little as possible;
//! `HCNETSDK_MOCK_LIB=/path/to/libhcnetsdk.so` uses that library instead. It writes a
//! temporary scenario with one device and `pacing = "fast"` (preview data as fast as the
//! callback takes it) and points `HCNETSDK_MOCK_SCENARIO` at it.
//!
//! Knobs: `PREVIEW_BENCH_WINDOW_MS` (measured window per path and round, default 700),
//! `PREVIEW_BENCH_ROUNDS` (default 7; the paths are interleaved), `PREVIEW_BENCH_QUEUE`
//! (queue capacity, default 64), `PREVIEW_BENCH_ONLY=raw|ring|closure|queue|frames` (one path,
//! one window, no table: for `perf record`). With `PREVIEW_BENCH_COUNT=N` as well, exactly N
//! packets and no timing, for callgrind: see `count.rs` and `.ci/callgrind.sh`, which turns
//! that into instructions per packet and per call and gates CI on their ratios.

mod alloc;
mod calls;
mod count;
mod paths;
mod report;
mod sched;
mod setup;
mod timing;

use hcnetsdk_test_support::bench::mock_lib::build_kind;
use paths::Path;
use setup::{Bench, Config};

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` / `--all-targets` does not, and
    // then a short smoke run (debug mock, one short round) keeps test runs quick.
    let full = std::env::args().any(|a| a == "--bench");
    let cfg = Config::from_env(full);
    let counting = count::from_env();
    let bench = Bench::open(full && counting.is_none());
    if let Some((what, n)) = counting {
        count::run(&bench, &what, n, cfg.queue);
        bench.close();
        return;
    }
    if !full {
        println!("smoke run (not started by `cargo bench`): numbers are not meaningful");
    }
    println!(
        "hcnetsdk preview bench: mock {} ({})",
        bench.lib_path.display(),
        build_kind(&bench.lib_path)
    );
    println!(
        "pacing fast, main stream, {} interleaved rounds x {} ms window (after {} ms warm-up) per path, queue capacity {}",
        cfg.rounds,
        cfg.window.as_millis(),
        cfg.warmup.as_millis(),
        cfg.queue
    );
    if let Ok(only) = std::env::var("PREVIEW_BENCH_ONLY") {
        // Profiling aid (perf): one path, one window, no table, no check.
        let path = Path::parse(&only).unwrap_or_else(|| {
            panic!("PREVIEW_BENCH_ONLY={only:?}: use raw, ring, closure, queue or frames")
        });
        let (s, total) = timing::one_round(&bench, &cfg, path);
        println!(
            "{only}: {:.0} packets/s, {:.1} MB/s, {} allocs and {} lost ({:.3}%) in the window; {total} delivered in total",
            s.pps(),
            s.mbps(),
            s.allocs,
            s.lost,
            100.0 * s.lost as f64 / (s.packets + s.lost).max(1) as f64
        );
        if let Some(d) = s.sched {
            println!(
                "  consumer waited for a CPU {:.3} ms, steal {:.3} ms, producer ran {:.3} ms: {:.3}% explained",
                d.consumer_wait as f64 / 1e6,
                d.steal as f64 / 1e6,
                d.producer_run as f64 / 1e6,
                100.0 * (d.consumer_wait + d.steal) as f64 / d.producer_run.max(1) as f64
            );
        }
        return;
    }
    let all = timing::all_rounds(&bench, &cfg);
    report::throughput_table(&all);
    let call_rows = calls::run(&bench, cfg.call_rounds, cfg.calls);
    report::call_table(&call_rows, cfg.call_rounds, cfg.calls);
    bench.close();

    let failures = report::failures(&all, full);
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("FAIL: {f}");
        }
        std::process::exit(1);
    }
    let queue = all
        .iter()
        .find(|p| p.path == Path::Queue)
        .expect("every path ran");
    let loss = 100.0 * queue.loss_ratio();
    let goal = report::QUEUE_LOSS_GOAL_PCT;
    let (limit, why) = report::queue_loss_limit_pct(queue, full);
    println!(
        "\nok: at least {} packets per path and round; no allocation per packet in steady state (closure, queue and frames paths); queue loss {loss:.3}% <= limit {limit:.3}% ({why}; goal {goal}%: {})",
        report::MIN_WINDOW_PACKETS,
        if loss <= goal { "met" } else { "NOT met" }
    );
}
