//! Timed windows: every path, interleaved rounds, packets, bytes, allocations and loss.

use std::time::{Duration, Instant};

use crate::alloc::allocs;
use crate::paths::{self, Counters, Lost, Path};
use crate::sched::Sched;
use crate::setup::{Bench, Config};

/// One measured window.
#[derive(Clone, Copy, Default)]
pub struct Sample {
    pub secs: f64,
    pub packets: u64,
    pub bytes: u64,
    pub allocs: u64,
    /// Packets the queue dropped in the window (queue path only).
    pub lost: u64,
    /// Where the queue's threads' CPU time went in the window (queue path on Linux only).
    pub sched: Option<Sched>,
}

impl Sample {
    pub fn pps(&self) -> f64 {
        self.packets as f64 / self.secs
    }
    pub fn mbps(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.secs
    }
}

/// Every round's sample of one path, and its packets in all (warm-up included).
pub struct PathSamples {
    pub path: Path,
    pub samples: Vec<Sample>,
    pub total: u64,
}

impl PathSamples {
    /// The fastest round: interference from other processes only ever slows a round down.
    pub fn best(&self) -> Sample {
        self.samples
            .iter()
            .copied()
            .max_by(|a, b| a.pps().total_cmp(&b.pps()))
            .unwrap_or_default()
    }

    pub fn median_pps(&self) -> f64 {
        let mut v: Vec<f64> = self.samples.iter().map(Sample::pps).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }

    pub fn sum(&self, f: fn(&Sample) -> u64) -> u64 {
        self.samples.iter().map(f).sum()
    }

    /// Steady-state allocations per packet, over all rounds' windows.
    pub fn allocs_per_packet(&self) -> f64 {
        self.sum(|s| s.allocs) as f64 / self.sum(|s| s.packets).max(1) as f64
    }

    /// Each round's packets lost over packets offered, in %.
    pub fn round_loss_pcts(&self) -> Vec<f64> {
        self.samples
            .iter()
            .map(|s| 100.0 * s.lost as f64 / (s.packets + s.lost).max(1) as f64)
            .collect()
    }

    /// The loss that scheduling alone explains, in % of the packets offered over all rounds'
    /// windows: in each round, the share of the producer's run time during which the
    /// consumer waited for a CPU (or a CPU was stolen), at most all, weighted by the round's
    /// packets offered (see `sched.rs`). `None` without scheduler statistics.
    pub fn sched_explained_pct(&self) -> Option<f64> {
        let mut explained = 0.0;
        let mut offered = 0u64;
        for s in &self.samples {
            let d = s.sched?;
            let share = (d.consumer_wait + d.steal) as f64 / d.producer_run.max(1) as f64;
            explained += share.min(1.0) * (s.packets + s.lost) as f64;
            offered += s.packets + s.lost;
        }
        Some(100.0 * explained / offered.max(1) as f64)
    }

    /// Packets lost over packets offered (received + lost), over all rounds' windows.
    pub fn loss_ratio(&self) -> f64 {
        let lost = self.sum(|s| s.lost);
        lost as f64 / (self.sum(|s| s.packets) + lost).max(1) as f64
    }
}

/// Warm up, then count packets, bytes and allocations over one window. Nothing here
/// allocates.
///
/// Warm-up lasts `cfg.warmup` and, for the queue, until a full queue has dropped a packet:
/// its pool allocates a buffer each time the consumer falls further behind than ever before
/// (at most `capacity` buffers per preview, see `start_queue`'s docs), and the first loss
/// proves every buffer exists. Those allocations are start-up, not steady state.
fn window(cfg: &Config, counters: &Counters, lost: Lost<'_>, is_queue: bool) -> Sample {
    std::thread::sleep(cfg.warmup);
    let deadline = Instant::now() + Duration::from_secs(5);
    while is_queue && lost() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    // Read outside the allocation count (it reads files).
    let s0 = if is_queue { Sched::now() } else { None };
    let (a0, l0) = (allocs(), lost());
    let (p0, b0) = counters.read();
    let t0 = Instant::now();
    std::thread::sleep(cfg.window);
    let (p1, b1) = counters.read();
    let secs = t0.elapsed().as_secs_f64();
    let (a1, l1) = (allocs(), lost());
    let sched = s0.and_then(|s0| Some(Sched::now()?.since(&s0)));
    Sample {
        secs,
        packets: p1 - p0,
        bytes: b1 - b0,
        allocs: a1 - a0,
        lost: l1 - l0,
        sched,
    }
}

/// One window of one path.
pub fn one_round(bench: &Bench, cfg: &Config, path: Path) -> (Sample, u64) {
    let mut sample = Sample::default();
    let (total, _) = paths::run(
        bench,
        path,
        Counters::default(),
        cfg.queue,
        &mut |c, lost| sample = window(cfg, c, lost, path == Path::Queue),
    );
    (sample, total)
}

/// `cfg.rounds` rounds of every path, interleaved so that machine noise hits them alike.
pub fn all_rounds(bench: &Bench, cfg: &Config) -> Vec<PathSamples> {
    let mut out: Vec<PathSamples> = Path::ALL
        .into_iter()
        .map(|path| PathSamples {
            path,
            samples: Vec::new(),
            total: 0,
        })
        .collect();
    for _ in 0..cfg.rounds {
        for ps in &mut out {
            let (sample, total) = one_round(bench, cfg, ps.path);
            ps.samples.push(sample);
            ps.total += total;
        }
    }
    out
}
