//! The exact-count mode for `valgrind --tool=callgrind` (`.ci/callgrind.sh`): with
//! `PREVIEW_BENCH_COUNT=N` and `PREVIEW_BENCH_ONLY=<what>`, run exactly N packets of one path
//! (`raw`, `ring`, `closure`, `queue`; pacing "fast", no timing, no window) or N successful
//! calls (`call-raw`: `NET_DVR_GetSDKVersion` + `NET_DVR_GetSDKBuildVersion` through the raw
//! symbols; `call-safe`: `Sdk::version`), then print one line for the script:
//!
//! `count what=<what> n=<N> delivered=<packets the path counted> lost=<queue drops>`
//!
//! The script runs each once with N and once with 0 and divides the difference in
//! instructions by the difference in `delivered` (+ `lost`): start-up, login and the
//! preview's start and stop cancel out. A path may deliver a few packets past N before its
//! stop takes effect; they are counted in `delivered`.

use std::hint::black_box;

use crate::calls::raw_version;
use crate::paths::{self, Counters, Path};
use crate::setup::{Bench, env_num};

/// What to count, from the environment; `None` outside the count mode.
pub fn from_env() -> Option<(String, u64)> {
    std::env::var_os("PREVIEW_BENCH_COUNT")?;
    let what = std::env::var("PREVIEW_BENCH_ONLY").unwrap_or_else(|_| {
        panic!(
            "PREVIEW_BENCH_COUNT needs PREVIEW_BENCH_ONLY=raw|ring|closure|queue|call-raw|call-safe"
        )
    });
    Some((what, env_num("PREVIEW_BENCH_COUNT", 0)))
}

pub fn run(bench: &Bench, what: &str, n: u64, queue: usize) {
    let (delivered, lost) = match what {
        "call-raw" => {
            let call = raw_version(bench);
            for _ in 0..=n {
                black_box(call());
            }
            (n, 0)
        }
        "call-safe" => {
            for _ in 0..=n {
                black_box(bench.sdk.version().expect("Sdk::version"));
            }
            (n, 0)
        }
        _ => {
            let path = Path::parse(what).unwrap_or_else(|| {
                panic!("PREVIEW_BENCH_ONLY={what:?}: use raw, ring, closure, queue, call-raw or call-safe")
            });
            paths::run(bench, path, Counters::with_target(n), queue, &mut |c, _| {
                c.wait_target()
            })
        }
    };
    println!("count what={what} n={n} delivered={delivered} lost={lost}");
}
