//! The search state machine over `NET_DVR_FindFile_V40`, `NET_DVR_FindNextFile_V40` and
//! `NET_DVR_FindClose_V30`, generic over the three calls ([`FindCalls`]) so that its
//! logic is unit-tested with a fake.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::{Recording, handle_context, status};
use crate::error::{Context, Error, Result};
use crate::ffi::resolve;
use crate::session::Session;
use crate::time::TimeBasis;

/// The three find calls. `find_next` returns the SDK's status (1000..=1005) or the
/// error of a failed call (-1).
pub(crate) trait FindCalls {
    /// `NET_DVR_FindFile_V40`: a find handle.
    fn find_file(&mut self, cond: &sys::NET_DVR_FILECOND_V40) -> Result<i32>;
    /// `NET_DVR_FindNextFile_V40`: a status, `data` filled for 1000.
    fn find_next(&mut self, handle: i32, data: &mut sys::NET_DVR_FINDDATA_V40) -> Result<i32>;
    /// `NET_DVR_FindClose_V30`.
    fn find_close(&mut self, handle: i32) -> Result<()>;
    /// Wait before polling again after 1002.
    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// The calls on a real (or mock) SDK, each holding the session's login for its duration.
pub(crate) struct SdkFind {
    session: Session,
    ctx: Context,
}

impl SdkFind {
    pub(crate) fn new(session: Session, ctx: Context) -> Self {
        Self { session, ctx }
    }
}

impl FindCalls for SdkFind {
    fn find_file(&mut self, cond: &sys::NET_DVR_FILECOND_V40) -> Result<i32> {
        let f = resolve!(self.session.sdk().lib(), NET_DVR_FindFile_V40);
        let live = self.session.live()?;
        let user = live.user_id();
        let mut cond = *cond;
        // SAFETY: `cond` is a live, initialised NET_DVR_FILECOND_V40 the SDK only reads.
        f.handle(&self.ctx, |f| unsafe { f(user, &raw mut cond) })
    }

    fn find_next(&mut self, handle: i32, data: &mut sys::NET_DVR_FINDDATA_V40) -> Result<i32> {
        let f = resolve!(self.session.sdk().lib(), NET_DVR_FindNextFile_V40);
        let _live = self.session.live()?;
        let ctx = || handle_context(&self.ctx, handle);
        // SAFETY: `data` is a live NET_DVR_FINDDATA_V40 the SDK fills.
        f.call(&ctx, |r| *r < 0, |f| unsafe { f(handle, data) })
    }

    fn find_close(&mut self, handle: i32) -> Result<()> {
        let f = resolve!(self.session.sdk().lib(), NET_DVR_FindClose_V30);
        // After a logout the SDK has dropped the handle (and may have given its number to
        // another search): never close it then.
        let _live = self.session.live()?;
        let ctx = || handle_context(&self.ctx, handle);
        // SAFETY: plain value argument.
        f.bool(&ctx, |f| unsafe { f(handle) })
    }
}

/// What to search for.
pub(crate) struct Plan {
    /// The condition; `dwFileType` is replaced per pass.
    pub(crate) cond: sys::NET_DVR_FILECOND_V40,
    /// The file types to search in turn.
    pub(crate) passes: Vec<u8>,
    pub(crate) channel: u32,
    pub(crate) basis: TimeBasis,
    pub(crate) poll_interval: Duration,
    pub(crate) max_wait: Duration,
}

/// The search over [`FindCalls`]: passes one after the other, each with its own handle.
pub(crate) struct Search<C: FindCalls> {
    calls: C,
    cond: sys::NET_DVR_FILECOND_V40,
    passes: VecDeque<u8>,
    channel: u32,
    basis: TimeBasis,
    poll_interval: Duration,
    max_wait: Duration,
    ctx: Context,
    /// The open find handle.
    handle: Option<i32>,
    /// Names already returned (a file is returned once even when two passes find it).
    seen: HashSet<String>,
    /// After an error or the last pass.
    done: bool,
    /// More than one pass: names are remembered to drop repeats.
    dedupe: bool,
}

impl<C: FindCalls> Search<C> {
    pub(crate) fn new(calls: C, plan: Plan, ctx: Context) -> Self {
        let dedupe = plan.passes.len() > 1;
        Self {
            calls,
            cond: plan.cond,
            passes: plan.passes.into(),
            channel: plan.channel,
            basis: plan.basis,
            poll_interval: plan.poll_interval,
            max_wait: plan.max_wait,
            ctx,
            handle: None,
            seen: HashSet::new(),
            done: false,
            dedupe,
        }
    }

    /// Whether a find handle is open (for tests).
    #[cfg(test)]
    pub(crate) fn is_open(&self) -> bool {
        self.handle.is_some()
    }

    /// The fake or SDK calls (for tests).
    #[cfg(test)]
    pub(crate) fn calls(&self) -> &C {
        &self.calls
    }

    /// The open handle, or the next pass's; `None` when every pass is done.
    fn handle(&mut self) -> Option<Result<i32>> {
        if let Some(h) = self.handle {
            return Some(Ok(h));
        }
        let file_type = self.passes.pop_front()?;
        let cond = sys::NET_DVR_FILECOND_V40 {
            dwFileType: u32::from(file_type),
            ..self.cond
        };
        Some(
            self.calls
                .find_file(&cond)
                .inspect(|h| self.handle = Some(*h)),
        )
    }

    /// Close the open handle, if any. A failed close is logged, never returned: the
    /// search's own outcome matters more, and the SDK frees the handle at logout anyway.
    fn close(&mut self) {
        let Some(h) = self.handle.take() else { return };
        if let Err(e) = self.calls.find_close(h) {
            tracing::debug!(handle = h, error = %e, "NET_DVR_FindClose_V30 failed");
        }
    }

    /// End the search with `e`.
    fn fail(&mut self, e: Error) -> Option<Result<Recording>> {
        self.close();
        self.done = true;
        Some(Err(e))
    }

    /// Poll the open handle until it has a file, is done (`None`: next pass), or fails.
    fn poll(&mut self, handle: i32) -> Option<Result<Recording>> {
        let mut waited = Duration::ZERO;
        loop {
            let mut data = sys::NET_DVR_FINDDATA_V40::default();
            let st = match self.calls.find_next(handle, &mut data) {
                Ok(st) => st,
                Err(e) => return self.fail(e),
            };
            match st {
                status::FOUND => {
                    return Some(Recording::from_sdk(&data, self.channel, &self.basis));
                }
                status::NONE | status::NO_MORE => {
                    self.close();
                    return None;
                }
                status::SEARCHING if waited < self.max_wait => {
                    self.calls.sleep(self.poll_interval);
                    waited += self.poll_interval.max(Duration::from_millis(1));
                }
                other => {
                    let ctx = handle_context(&self.ctx, handle);
                    return self.fail(Error::search_failed(other, "NET_DVR_FindNextFile_V40", ctx));
                }
            }
        }
    }
}

impl<C: FindCalls> Iterator for Search<C> {
    type Item = Result<Recording>;

    fn next(&mut self) -> Option<Result<Recording>> {
        while !self.done {
            let handle = match self.handle() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => return self.fail(e),
                Some(Ok(h)) => h,
            };
            match self.poll(handle) {
                Some(Ok(r)) if self.dedupe && !self.seen.insert(r.name.clone()) => continue,
                Some(item) => return Some(item),
                None => continue,
            }
        }
        None
    }
}

impl<C: FindCalls> Drop for Search<C> {
    fn drop(&mut self) {
        self.close();
    }
}

/// The results of a search ([`RecordingSearch::search`](super::RecordingSearch::search)):
/// an iterator of `Result<Recording>`, in the device's order.
///
/// * Status 1002 ("still searching") is waited out, polling every
///   [`poll_interval`](super::RecordingSearch::poll_interval) up to
///   [`max_wait`](super::RecordingSearch::max_wait) in a row.
/// * 1001 (none) and 1003 (no more) end the search (or its pass); 1004 (exception), 1005
///   (timeout) and any other status end it with
///   [`ErrorKind::SearchFailed`](crate::error::ErrorKind::SearchFailed); a failed call
///   ends it with the SDK's code. After an error the iterator returns `None`.
/// * `NET_DVR_FindClose_V30` runs when a pass ends, and on drop, also after an early
///   `break`. After the session's logout the handle is not closed (the SDK dropped it).
/// * [`FileType::All`](super::FileType::All) in ISAPI login mode searches each type in
///   turn, so results come grouped by type; a file found twice is returned once.
///
/// It holds a clone of the session and asks the device lazily, one page at a time as the
/// SDK delivers them. It blocks the calling thread while the SDK searches.
pub struct Recordings {
    inner: Search<SdkFind>,
}

impl Recordings {
    pub(super) fn new(inner: Search<SdkFind>) -> Self {
        Self { inner }
    }
}

impl Iterator for Recordings {
    type Item = Result<Recording>;

    fn next(&mut self) -> Option<Result<Recording>> {
        self.inner.next()
    }
}

impl fmt::Debug for Recordings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recordings")
            .field("channel", &self.inner.channel)
            .field("handle", &self.inner.handle)
            .field("done", &self.inner.done)
            .finish_non_exhaustive()
    }
}
