//! The errors of recordings that carry no last-error code: a search's failure status and
//! a download's network failure (position 200). Their texts and constructors live here,
//! beside the kinds in [`ErrorKind`].

use std::path::Path;

use super::context::Context;
use super::error::{Error, ErrorKind};

/// What to do about [`ErrorKind::SearchFailed`].
pub(super) const SEARCH_FAILED: &str = "Search again, over a shorter time range (a day rather \
     than a week) and for one file type; check on the device's web page (Storage) that its \
     disks are healthy. For 1002 past the bound, raise RecordingSearch::max_wait.";

/// What to do about [`ErrorKind::DownloadInterrupted`].
pub(super) const INTERRUPTED: &str = "Check the network path to the device, then download the \
     rest by time from where the saved file ends (the file is kept); a range of minutes rather \
     than hours survives a flaky link better.";

impl Error {
    /// A recording search ended with `status` from `call` (see [`ErrorKind::SearchFailed`]).
    #[cold]
    pub(crate) fn search_failed(status: i32, call: &'static str, context: Context) -> Self {
        Self::new(ErrorKind::SearchFailed { status }, Some(call), context)
    }

    /// A download into `path` reported a network failure (position 200) after `percent`.
    #[cold]
    pub(crate) fn download_interrupted(
        path: impl AsRef<Path>,
        bytes_saved: u64,
        percent: u8,
        context: Context,
    ) -> Self {
        let kind = ErrorKind::DownloadInterrupted {
            path: path.as_ref().to_path_buf(),
            bytes_saved,
            percent,
        };
        Self::new(kind, Some("NET_DVR_GetDownloadPos"), context)
    }
}
