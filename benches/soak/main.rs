//! Scale and soak against the mock SDK: many sessions, many previews at real-time pacing
//! (CPU and loss, safe layer against raw C callbacks in the same run), login/logout cycles,
//! preview start/stop cycles with callbacks in flight, and queue previews dropped while the
//! consumer holds packets. Each loop reports the process's RSS at its start and end (after a
//! warm-up iteration, so allocator caches do not count) and the run fails (exit 1) if RSS
//! grew by more than 1 MiB over a loop.
//!
//! ```sh
//! cargo bench --bench soak              # short form (CI): well under 2 minutes
//! cargo bench --bench soak -- --long    # long form (or SOAK_LONG=1): about 5 minutes
//! ```
//!
//! Short: 256 sessions, 64 previews for 10 s (and 64 raw callbacks for 10 s), 1,000 login
//! cycles, 100 preview cycles, 100 queue drops. Long: 2048 sessions (the SDK's and the mock's
//! limit of user IDs), 1024 previews for 60 s, 10,000 login cycles, 1,000 preview cycles,
//! 300 queue drops. It writes a scenario with two devices that allow 2048 sessions and 4096
//! previews each (one "realtime", one "fast"), uses the release mock like the preview bench
//! (`HCNETSDK_MOCK_LIB` overrides), and reads /proc (Linux only).

mod procfs;
mod realtime;
mod soak;

use hcnetsdk::Sdk;
use hcnetsdk_test_support::bench::{mock_lib, queue_api};

/// How big each loop is.
#[derive(Debug)]
pub struct Plan {
    pub sessions: usize,
    pub previews: usize,
    pub preview_secs: u64,
    pub logins: usize,
    pub cycles: usize,
    pub drops: usize,
}

impl Plan {
    fn new(long: bool) -> Plan {
        if long {
            Plan {
                sessions: 2048,
                previews: 1024,
                preview_secs: 60,
                logins: 10_000,
                cycles: 1_000,
                drops: 300,
            }
        } else {
            Plan {
                sessions: 256,
                previews: 64,
                preview_secs: 10,
                logins: 1_000,
                cycles: 100,
                drops: 100,
            }
        }
    }
}

fn main() {
    let long = std::env::args().any(|a| a == "--long")
        || std::env::var_os("SOAK_LONG").is_some_and(|v| !v.is_empty() && v != "0");
    // `cargo bench` passes `--bench`; under `cargo test --benches` do a tiny smoke run.
    let full = long || std::env::args().any(|a| a == "--bench");
    let plan = if full {
        Plan::new(long)
    } else {
        Plan {
            sessions: 8,
            previews: 4,
            preview_secs: 1,
            logins: 20,
            cycles: 5,
            drops: 5,
        }
    };
    let t0 = std::time::Instant::now();
    let scenario = soak::write_scenario();
    // SAFETY: set before any other thread exists and before the SDK is loaded, which is
    // when the mock reads it (at NET_DVR_Init).
    unsafe { std::env::set_var("HCNETSDK_MOCK_SCENARIO", &scenario) };
    let lib_path = mock_lib::mock_lib(full);
    let sdk = Sdk::load_from(&lib_path).expect("load the mock SDK");
    assert!(sdk.is_mock(), "{} is not the mock SDK", lib_path.display());
    sdk.init().expect("NET_DVR_Init with the soak scenario");
    let _ = std::fs::remove_file(&scenario);
    println!(
        "hcnetsdk soak ({} form): mock {} ({})",
        if long {
            "long"
        } else if full {
            "short"
        } else {
            "smoke"
        },
        lib_path.display(),
        mock_lib::build_kind(&lib_path)
    );
    let reports = soak::run_all(&sdk, &plan);
    drop(sdk);
    let failed: Vec<&soak::LoopReport> = reports.iter().filter(|r| !r.ok()).collect();
    println!(
        "soak: {} loops in {:.1} s",
        reports.len(),
        t0.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        for r in failed {
            eprintln!(
                "FAIL: {}: RSS grew by {:.2} MiB (at most 1 MiB)",
                r.name,
                r.growth_mib()
            );
        }
        std::process::exit(1);
    }
    println!("ok: no loop grew RSS by more than 1 MiB");
}
