//! A file search as `NET_DVR_FindNextFile_V40` pages through it.

use std::collections::VecDeque;
use std::time::Instant;

use super::Recording;

/// Which files a search wants by their lock (`dwIsLocked`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockFilter {
    /// 0xff: every file.
    #[default]
    Any,
    /// 1: locked files only.
    Locked,
    /// 0: unlocked files only (as the SDK documents 0).
    Unlocked,
}

impl LockFilter {
    /// From `dwIsLocked`: 0, 1 or 0xff (anything else: `None`).
    pub fn from_sdk(v: u32) -> Option<LockFilter> {
        match v {
            0 => Some(LockFilter::Unlocked),
            1 => Some(LockFilter::Locked),
            0xff => Some(LockFilter::Any),
            _ => None,
        }
    }

    pub fn matches(self, locked: bool) -> bool {
        match self {
            LockFilter::Any => true,
            LockFilter::Locked => locked,
            LockFilter::Unlocked => !locked,
        }
    }
}

/// What one `FindNextFile` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindStatus {
    /// 1000: the next file.
    Found(Recording),
    /// 1001: the search found nothing.
    NoFile,
    /// 1002: still searching; ask again.
    Searching,
    /// 1003: every file has been given.
    NoMoreFile,
    /// 1004: the search failed.
    Exception,
}

impl FindStatus {
    /// The SDK's status code.
    pub fn code(&self) -> i32 {
        match self {
            FindStatus::Found(_) => 1000,
            FindStatus::NoFile => 1001,
            FindStatus::Searching => 1002,
            FindStatus::NoMoreFile => 1003,
            FindStatus::Exception => 1004,
        }
    }
}

/// A search in progress ([`super::Recordings::search`]).
#[derive(Debug, Clone)]
pub struct Search {
    files: VecDeque<Recording>,
    found_any: bool,
    ready_at: Instant,
    fail_after: Option<usize>,
    given: usize,
}

impl Search {
    pub(super) fn new(files: Vec<Recording>, ready_at: Instant) -> Search {
        Search {
            found_any: !files.is_empty(),
            files: files.into(),
            ready_at,
            fail_after: None,
            given: 0,
        }
    }

    /// Fault: answer [`FindStatus::Exception`] once `n` files have been given.
    pub fn fail_after(&mut self, n: usize) {
        self.fail_after = Some(n);
    }

    /// Files still to give.
    pub fn remaining(&self) -> usize {
        self.files.len()
    }

    /// Until when it answers "still searching".
    pub fn ready_at(&self) -> Instant {
        self.ready_at
    }

    /// The next status, asked at `now`.
    pub fn next_status(&mut self, now: Instant) -> FindStatus {
        if now < self.ready_at {
            return FindStatus::Searching;
        }
        if self.fail_after.is_some_and(|n| self.given >= n) {
            return FindStatus::Exception;
        }
        match self.files.pop_front() {
            Some(r) => {
                self.given += 1;
                FindStatus::Found(r)
            }
            None if self.found_any => FindStatus::NoMoreFile,
            None => FindStatus::NoFile,
        }
    }
}
