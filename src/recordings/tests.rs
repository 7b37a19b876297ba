//! The search state machine against a fake of the three find calls (no SDK).

use std::collections::VecDeque;
use std::time::Duration;

use hcnetsdk_sys as sys;

use super::search::{FindCalls, Plan, Search};
use super::{FileType, status};
use crate::error::{Context, Error, ErrorKind, Result};
use crate::time::{DeviceTime, TimeBasis};

/// One scripted answer of `find_next`.
#[derive(Clone)]
enum Next {
    Status(i32),
    File(&'static str, u8),
    Fail(u32),
}

#[derive(Default)]
struct Fake {
    /// `find_file`'s answers, one per pass: a handle or an error code.
    opens: VecDeque<std::result::Result<i32, u32>>,
    /// `find_next`'s answers, in order, whatever the handle.
    nexts: VecDeque<Next>,
    /// Every call, in order.
    log: Vec<String>,
    slept: Duration,
}

impl Fake {
    fn new(opens: &[std::result::Result<i32, u32>], nexts: &[Next]) -> Self {
        Self {
            opens: opens.iter().copied().collect(),
            nexts: nexts.iter().cloned().collect(),
            ..Self::default()
        }
    }
}

fn sdk_error(code: u32, call: &'static str) -> Error {
    Error::sdk(code, call, Context::default(), None)
}

impl FindCalls for Fake {
    fn find_file(&mut self, cond: &sys::NET_DVR_FILECOND_V40) -> Result<i32> {
        self.log.push(format!("open type {}", cond.dwFileType));
        match self.opens.pop_front().expect("unexpected FindFile") {
            Ok(h) => Ok(h),
            Err(code) => Err(sdk_error(code, "NET_DVR_FindFile_V40")),
        }
    }

    fn find_next(&mut self, handle: i32, data: &mut sys::NET_DVR_FINDDATA_V40) -> Result<i32> {
        self.log.push(format!("next {handle}"));
        match self.nexts.pop_front().expect("unexpected FindNextFile") {
            Next::Status(s) => Ok(s),
            Next::Fail(code) => Err(sdk_error(code, "NET_DVR_FindNextFile_V40")),
            Next::File(name, file_type) => {
                sys::text::c_copy_truncating(&mut data.sFileName, name.as_bytes());
                data.struStartTime = time(8, 0, 0);
                data.struStopTime = time(8, 30, 0);
                data.dwFileSize = 1_048_576;
                data.byFileType = file_type;
                data.byLocked = u8::from(name.ends_with('L'));
                Ok(status::FOUND)
            }
        }
    }

    fn find_close(&mut self, handle: i32) -> Result<()> {
        self.log.push(format!("close {handle}"));
        Ok(())
    }

    fn sleep(&mut self, d: Duration) {
        self.slept += d;
    }
}

fn time(h: u32, m: u32, s: u32) -> sys::NET_DVR_TIME {
    sys::NET_DVR_TIME {
        dwYear: 2026,
        dwMonth: 12,
        dwDay: 1,
        dwHour: h,
        dwMinute: m,
        dwSecond: s,
    }
}

fn search(fake: Fake, passes: &[u8], max_wait_ms: u64) -> Search<Fake> {
    let plan = Plan {
        cond: sys::NET_DVR_FILECOND_V40::default(),
        passes: passes.to_vec(),
        channel: 33,
        basis: TimeBasis::default(),
        poll_interval: Duration::from_millis(10),
        max_wait: Duration::from_millis(max_wait_ms),
    };
    Search::new(fake, plan, Context::default())
}

fn names(items: Vec<Result<super::Recording>>) -> Vec<String> {
    items.into_iter().map(|r| r.unwrap().name).collect()
}

#[test]
fn found_files_then_no_more_closes_once() {
    let fake = Fake::new(
        &[Ok(5)],
        &[
            Next::File("ch33_a", 0),
            Next::File("ch33_bL", 1),
            Next::Status(status::NO_MORE),
        ],
    );
    let mut s = search(fake, &[0xFF], 1000);
    let items: Vec<_> = s.by_ref().collect();
    let recs: Vec<_> = items.iter().map(|r| r.as_ref().unwrap().clone()).collect();
    assert_eq!(names(items), ["ch33_a", "ch33_bL"]);
    assert_eq!(recs[1].file_type, FileType::Motion);
    assert!(recs[1].locked && !recs[0].locked);
    assert_eq!(recs[0].size, 1_048_576);
    assert_eq!(recs[0].channel, 33);
    assert!(matches!(recs[0].start, DeviceTime::LocalUnknownZone(_)));
    assert_eq!(
        recs[0].end.wall_clock(),
        jiff::civil::date(2026, 12, 1).at(8, 30, 0, 0)
    );
    assert!(s.next().is_none(), "stays done");
    assert_eq!(
        s.calls().log,
        ["open type 255", "next 5", "next 5", "next 5", "close 5"]
    );
    drop(s);
}

#[test]
fn none_found_is_an_empty_search() {
    let fake = Fake::new(&[Ok(0)], &[Next::Status(status::NONE)]);
    let mut s = search(fake, &[0], 1000);
    assert!(s.next().is_none());
    assert_eq!(s.calls().log, ["open type 0", "next 0", "close 0"]);
}

#[test]
fn still_searching_is_polled_with_a_wait() {
    let fake = Fake::new(
        &[Ok(1)],
        &[
            Next::Status(status::SEARCHING),
            Next::Status(status::SEARCHING),
            Next::File("x", 0),
            Next::Status(status::NO_MORE),
        ],
    );
    let mut s = search(fake, &[0], 1000);
    assert_eq!(names(s.by_ref().collect()), ["x"]);
    assert_eq!(s.calls().slept, Duration::from_millis(20));
}

#[test]
fn still_searching_past_the_bound_fails_and_closes() {
    let nexts = vec![Next::Status(status::SEARCHING); 10];
    let mut s = search(Fake::new(&[Ok(2)], &nexts), &[0], 30);
    let e = s.next().unwrap().unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::SearchFailed { status: 1002 }),
        "{e}"
    );
    assert!(s.next().is_none());
    assert!(!s.is_open());
    assert_eq!(s.calls().log.last().unwrap(), "close 2");
    // 3 waits of 10 ms reach the 30 ms bound; the 4th 1002 fails.
    assert_eq!(s.calls().log.len(), 1 + 4 + 1);
}

#[test]
fn exception_and_timeout_are_errors() {
    for st in [status::EXCEPTION, status::TIMEOUT, 7] {
        let fake = Fake::new(&[Ok(3)], &[Next::File("a", 0), Next::Status(st)]);
        let mut s = search(fake, &[0], 1000);
        assert_eq!(s.next().unwrap().unwrap().name, "a");
        let e = s.next().unwrap().unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::SearchFailed { status } if *status == st),
            "{e}"
        );
        assert_eq!(e.call(), Some("NET_DVR_FindNextFile_V40"));
        assert!(s.next().is_none());
        assert_eq!(s.calls().log.last().unwrap(), "close 3");
    }
}

#[test]
fn a_failed_next_call_is_its_code_and_closes() {
    let fake = Fake::new(&[Ok(4)], &[Next::Fail(10)]);
    let mut s = search(fake, &[0], 1000);
    let e = s.next().unwrap().unwrap_err();
    assert_eq!(e.raw_code(), Some(10));
    assert!(s.next().is_none());
    assert_eq!(s.calls().log, ["open type 0", "next 4", "close 4"]);
}

#[test]
fn a_failed_open_closes_nothing() {
    let fake = Fake::new(&[Err(23)], &[]);
    let mut s = search(fake, &[0xFF], 1000);
    assert_eq!(s.next().unwrap().unwrap_err().raw_code(), Some(23));
    assert!(s.next().is_none());
    assert_eq!(s.calls().log, ["open type 255"]);
}

#[test]
fn an_early_break_closes_on_drop() {
    // The close is observed through a log the fake shares with the test.
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    struct Logged(Fake, std::rc::Rc<std::cell::RefCell<Vec<String>>>);
    impl FindCalls for Logged {
        fn find_file(&mut self, c: &sys::NET_DVR_FILECOND_V40) -> Result<i32> {
            self.0.find_file(c)
        }
        fn find_next(&mut self, h: i32, d: &mut sys::NET_DVR_FINDDATA_V40) -> Result<i32> {
            self.0.find_next(h, d)
        }
        fn find_close(&mut self, h: i32) -> Result<()> {
            self.1.borrow_mut().push(format!("close {h}"));
            Ok(())
        }
    }
    let fake = Logged(
        Fake::new(&[Ok(9)], &[Next::File("a", 0), Next::File("b", 0)]),
        log.clone(),
    );
    let plan = Plan {
        cond: sys::NET_DVR_FILECOND_V40::default(),
        passes: vec![0],
        channel: 1,
        basis: TimeBasis::default(),
        poll_interval: Duration::ZERO,
        max_wait: Duration::ZERO,
    };
    let mut s = Search::new(fake, plan, Context::default());
    for r in s.by_ref() {
        if r.unwrap().name == "a" {
            break;
        }
    }
    assert!(s.is_open());
    assert!(log.borrow().is_empty());
    drop(s);
    assert_eq!(*log.borrow(), ["close 9"]);
}

#[test]
fn each_type_in_turn_with_repeats_dropped() {
    let fake = Fake::new(
        &[Ok(1), Ok(2), Ok(3)],
        &[
            Next::File("a", 0),
            Next::Status(status::NO_MORE),
            Next::Status(status::NONE),
            Next::File("a", 1),
            Next::File("b", 1),
            Next::Status(status::NO_MORE),
        ],
    );
    let mut s = search(fake, &[0, 1, 2], 1000);
    assert_eq!(names(s.by_ref().collect()), ["a", "b"]);
    assert_eq!(
        s.calls().log,
        [
            "open type 0",
            "next 1",
            "next 1",
            "close 1",
            "open type 1",
            "next 2",
            "close 2",
            "open type 2",
            "next 3",
            "next 3",
            "next 3",
            "close 3",
        ]
    );
}

#[test]
fn file_types_round_trip() {
    for raw in 0..=255u8 {
        assert_eq!(FileType::from_raw(raw).raw(), raw);
    }
    assert_eq!(FileType::All.raw(), 0xFF);
    assert!(!FileType::EACH.contains(&FileType::All));
    assert_eq!(FileType::Other(10).to_string(), "other (10)");
}
