//! Where the queue path's CPU time went in a window, from Linux's scheduler statistics
//! (`/proc/self/task/<tid>/schedstat`, `/proc/stat`; elsewhere nothing): how long the
//! consumer thread waited for a CPU while it was runnable, how long the SDK's thread (the
//! mock's preview thread) ran, and the hypervisor's steal over the whole machine.
//!
//! The queue loses items for two reasons. Scheduling: its producer runs while the consumer
//! cannot (with capacity 64 and a producer at millions of items per second, a consumer that
//! waits ten microseconds for a CPU costs items), which explains at most (consumer's
//! run-queue wait + steal) / (producer's run time) of the items offered. Speed: while both
//! run, a consumer slower per item than the producer falls behind. The loss gate
//! (`report::queue_loss_limit_pct`) allows the first as measured and a fixed share for the
//! second; the table prints both per round.

use std::fs;

/// The consumer's thread name (set in `paths::run_queue`).
pub const CONSUMER_THREAD: &str = "queue-consumer";

/// The mock's preview threads are `hcnetsdk-mock-preview-<handle>` (cut to 15 bytes).
const PRODUCER_PREFIX: &str = "hcnetsdk-mock-p";

/// Cumulative counters at one instant, in ns.
#[derive(Clone, Copy, Default, Debug)]
pub struct Sched {
    /// The consumer's time runnable but waiting for a CPU.
    pub consumer_wait: u64,
    /// The producer's time on a CPU.
    pub producer_run: u64,
    /// Time stolen by the hypervisor, all CPUs.
    pub steal: u64,
}

impl Sched {
    /// The counters now, if the consumer's and the producer's threads were both found.
    /// Reads files (allocates): call it outside a window's allocation count.
    pub fn now() -> Option<Sched> {
        let mut consumer = None;
        let mut producer = None;
        for entry in fs::read_dir("/proc/self/task").ok()?.flatten() {
            let dir = entry.path();
            let Ok(comm) = fs::read_to_string(dir.join("comm")) else {
                continue;
            };
            let comm = comm.trim_end();
            let slot = if comm == CONSUMER_THREAD {
                &mut consumer
            } else if comm.starts_with(PRODUCER_PREFIX) {
                &mut producer
            } else {
                continue;
            };
            // "<ns on a CPU> <ns waiting on a run queue> <time slices>"
            let stat = fs::read_to_string(dir.join("schedstat")).ok()?;
            let mut f = stat.split_whitespace().map(|v| v.parse::<u64>().ok());
            *slot = Some((f.next()??, f.next()??));
        }
        Some(Sched {
            consumer_wait: consumer?.1,
            producer_run: producer?.0,
            steal: steal_ns().unwrap_or(0),
        })
    }

    /// What happened between `earlier` and `self`.
    pub fn since(&self, earlier: &Sched) -> Sched {
        Sched {
            consumer_wait: self.consumer_wait.saturating_sub(earlier.consumer_wait),
            producer_run: self.producer_run.saturating_sub(earlier.producer_run),
            steal: self.steal.saturating_sub(earlier.steal),
        }
    }
}

/// Steal time of all CPUs, from the `cpu` line of `/proc/stat` (in USER_HZ = 100 ticks/s).
fn steal_ns() -> Option<u64> {
    let stat = fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    // cpu user nice system idle iowait irq softirq steal ...
    let ticks: u64 = line.split_whitespace().nth(8)?.parse().ok()?;
    Some(ticks * 10_000_000)
}
