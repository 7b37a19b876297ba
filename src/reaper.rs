//! The reaper: a thread of ours that runs teardown handed over from SDK callbacks.
//!
//! Dropping the last handle of a preview, a session or the SDK from inside a callback (a
//! packet handler that drops its own preview and the last `Session` clone, an abandoned
//! asynchronous login whose result arrives late) would call `NET_DVR_StopRealPlay`,
//! `NET_DVR_Logout` or `NET_DVR_Cleanup` on the SDK's own thread, where the real SDK may
//! wait for the callback that is asking. [`teardown`] runs the job at once outside
//! callbacks and hands it to this thread inside them. The thread starts on first use and
//! lives as long as the process; it runs one job at a time, in order.

use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};

use crate::ffi::call::catch_panic;
use crate::ffi::in_sdk_callback;

type Job = Box<dyn FnOnce() + Send>;

/// The name of the reaper thread (visible in logs and debuggers).
pub(crate) const THREAD_NAME: &str = "hcnetsdk-reaper";

/// Run `job` now, or, on an SDK callback thread, on the reaper thread.
pub(crate) fn teardown(job: impl FnOnce() + Send + 'static) {
    if in_sdk_callback() {
        defer(Box::new(job));
    } else {
        job();
    }
}

/// Run `job` on the reaper thread.
pub(crate) fn defer(job: Job) {
    static REAPER: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    let sender = REAPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name(THREAD_NAME.to_owned())
            .spawn(move || {
                for job in rx {
                    let _ = catch_panic("teardown", job);
                }
            });
        match spawned {
            Ok(_) => Some(tx),
            Err(e) => {
                tracing::error!(error = %e, "cannot start the reaper thread; teardown runs where it is asked");
                None
            }
        }
    });
    let job = match sender {
        Some(tx) => match tx.send(job) {
            Ok(()) => return,
            Err(mpsc::SendError(job)) => job,
        },
        None => job,
    };
    job();
}
