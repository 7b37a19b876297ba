//! The loops, each measured the same way: a warm-up iteration, RSS, the loop, RSS.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hcnetsdk::{Sdk, Session};

use crate::procfs::{mib, rss_bytes};
use crate::{Plan, queue_api, realtime};

pub const RT_ADDRESS: &str = "192.0.2.81";
pub const FAST_ADDRESS: &str = "192.0.2.82";
const PASSWORD: &str = "Admin12345";
const MAX_GROWTH: u64 = 1024 * 1024;

pub fn write_scenario() -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("hcnetsdk-bench-soak-{}.toml", std::process::id()));
    let device = |address: &str, label: &str, pacing: &str| {
        format!(
            "[[device]]\naddress = \"{address}\"\nlabel = \"{label}\"\npacing = \"{pacing}\"\n\
             max_sessions = 2048\nmax_links = 4096\nlogin_retry_limit = 0\n\
             [[device.user]]\nname = \"admin\"\npassword = \"{PASSWORD}\"\nrole = \"admin\"\n"
        )
    };
    let toml = format!(
        "pacing = \"realtime\"\n{}{}",
        device(RT_ADDRESS, "soak-realtime", "realtime"),
        device(FAST_ADDRESS, "soak-fast", "fast")
    );
    std::fs::write(&path, toml).expect("write the soak scenario");
    path
}

pub fn login(sdk: &Sdk, address: &str) -> Session {
    Session::builder(sdk)
        .address(address)
        .user("admin")
        .password(PASSWORD)
        .login()
        .unwrap_or_else(|e| panic!("log in to {address}: {e}"))
}

#[derive(Debug)]
pub struct LoopReport {
    pub name: String,
    pub rss_start: u64,
    pub rss_end: u64,
}

impl LoopReport {
    pub fn ok(&self) -> bool {
        self.rss_end <= self.rss_start + MAX_GROWTH
    }
    pub fn growth_mib(&self) -> f64 {
        (self.rss_end as f64 - self.rss_start as f64) / (1024.0 * 1024.0)
    }
}

/// Warm up, read RSS, run the loop, read RSS, print one line.
pub fn measured(name: String, warm_up: impl FnOnce(), body: impl FnOnce() -> String) -> LoopReport {
    warm_up();
    let rss_start = rss_bytes();
    let t0 = Instant::now();
    let detail = body();
    let r = LoopReport {
        name,
        rss_start,
        rss_end: rss_bytes(),
    };
    println!(
        "{:<48} {:>6.1} s  RSS {:>7.2} -> {:>7.2} MiB ({:+.2})  {}  {detail}",
        r.name,
        t0.elapsed().as_secs_f64(),
        mib(r.rss_start),
        mib(r.rss_end),
        r.growth_mib(),
        if r.ok() { "ok" } else { "FAIL" }
    );
    r
}

pub fn run_all(sdk: &Sdk, plan: &Plan) -> Vec<LoopReport> {
    let n = plan.sessions;
    let mut out = vec![measured(
        format!("{n} concurrent sessions (x2 after warm-up)"),
        || concurrent_sessions(sdk, n),
        || {
            concurrent_sessions(sdk, n);
            concurrent_sessions(sdk, n);
            format!("{} logged in at once", n)
        },
    )];
    let rt = login(sdk, RT_ADDRESS);
    out.push(realtime::run(&rt, plan.previews, plan.preview_secs));
    drop(rt);
    let n = plan.logins;
    out.push(measured(
        format!("{n} login/logout cycles"),
        || login_cycles(sdk, (n / 20).max(5)),
        || {
            let t0 = Instant::now();
            login_cycles(sdk, n);
            format!("{:.0} cycles/s", n as f64 / t0.elapsed().as_secs_f64())
        },
    ));
    let fast = login(sdk, FAST_ADDRESS);
    let n = plan.cycles;
    out.push(measured(
        format!("{n} preview start/stop, callbacks in flight"),
        || {
            preview_cycles(&fast, (n / 10).max(5));
        },
        || format!("{} packets", preview_cycles(&fast, n)),
    ));
    let n = plan.drops;
    out.push(measured(
        format!("{n} queue previews dropped, packets held"),
        || {
            queue_drops(&fast, (n / 10).max(5));
        },
        || format!("{} packets held across the drops", queue_drops(&fast, n)),
    ));
    fast.logout().expect("logout");
    out
}

/// Log in `n` sessions at once, then log them all out.
fn concurrent_sessions(sdk: &Sdk, n: usize) {
    let sessions: Vec<Session> = (0..n).map(|_| login(sdk, RT_ADDRESS)).collect();
    for s in sessions {
        s.logout().expect("logout");
    }
}

fn login_cycles(sdk: &Sdk, n: usize) {
    for _ in 0..n {
        login(sdk, RT_ADDRESS).logout().expect("logout");
    }
}

/// Start a closure preview on the "fast" device, wait until its callback is running, stop
/// it while callbacks keep coming; `n` times. Returns the packets counted.
fn preview_cycles(session: &Session, n: usize) -> u64 {
    let mut total = 0;
    for _ in 0..n {
        let count = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&count);
        let preview = session
            .preview(1)
            .start(move |p| {
                c.fetch_add(1, Ordering::Relaxed);
                std::hint::black_box(p.data());
            })
            .expect("Preview::start");
        let deadline = Instant::now() + Duration::from_secs(5);
        while count.load(Ordering::Relaxed) < 2 && Instant::now() < deadline {
            std::thread::yield_now();
        }
        assert!(count.load(Ordering::Relaxed) >= 2, "no callback within 5 s");
        preview.stop().expect("Preview::stop");
        total += count.load(Ordering::Relaxed);
    }
    total
}

/// Start a queue preview, take 4 packets and keep them, drop the preview and the receiver,
/// then the packets; `n` times. Returns the packets held.
fn queue_drops(session: &Session, n: usize) -> usize {
    let mut held_total = 0;
    for _ in 0..n {
        let (preview, mut rx) = session.preview(1).start_queue(8).expect("start_queue");
        let held = queue_api::hold(&mut rx, 4);
        assert_eq!(held.len(), 4, "the queue preview delivered too few packets");
        drop(preview);
        drop(rx);
        held_total += held.len();
        drop(held);
    }
    held_total
}
