//! Cutting a channel's recorded time into files.
//!
//! Recording runs from local midnight `days` before the clock's date until the clock's
//! instant (the last file is the one being written), minus the gaps. Events (periodic
//! motion and the listed ones) are files of their own type; the continuous recording
//! between them is cut at every `file_minutes` from local midnight, at `max_file_mib`, and
//! where an event or a gap starts or ends. An event that overlaps an earlier one starts
//! where that one ends. The result is the same whatever range asked for it: only the
//! local days around the range are worked out (events last at most an hour and files are
//! cut at least at every midnight).

use jiff::ToSpan;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::FileType;
use super::spec::{Plan, local, local_secs};

/// One file: `[start, end)` in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub start: i64,
    pub end: i64,
    pub kind: FileType,
}

fn midnight(d: Date, tz: &TimeZone) -> i64 {
    local_secs(d.to_datetime(Time::midnight()), tz)
}

fn next_day(d: Date) -> Date {
    d.checked_add(1.day()).unwrap_or(d)
}

/// `[a, b)` minus the sorted, merged `cuts`.
fn subtract(a: i64, b: i64, holes: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut at = a;
    for &(h0, h1) in holes {
        if h1 <= at || h0 >= b {
            continue;
        }
        if h0 > at {
            out.push((at, h0));
        }
        at = at.max(h1);
    }
    if at < b {
        out.push((at, b));
    }
    out
}

/// The files of `plan` overlapping `[a, b)`, at clock instant `now`.
pub(super) fn pieces(
    plan: &Plan,
    tz: &TimeZone,
    now: i64,
    a: i64,
    b: i64,
    byte_rate: u64,
) -> Vec<Piece> {
    let today = local(now, tz).date();
    let first_day = today
        .checked_sub(i64::from(plan.days).days())
        .unwrap_or(today);
    let rec_start = midnight(first_day, tz);
    if a >= now || b <= rec_start {
        return Vec::new();
    }
    let day_a = local(a.max(rec_start), tz)
        .date()
        .checked_sub(1.day())
        .unwrap_or(first_day);
    let day_b = next_day(local(b.min(now), tz).date());
    let w0 = midnight(day_a, tz).max(rec_start);
    let w1 = midnight(next_day(day_b), tz).min(now);
    let mut gaps: Vec<(i64, i64)> = plan
        .gaps
        .iter()
        .map(|(f, t)| (f.resolve(today, tz), t.resolve(today, tz)))
        .filter(|(f, t)| f < t)
        .collect();
    gaps.sort_unstable();
    let coverage = subtract(w0, w1, &gaps);
    let events = events(plan, tz, today, day_a, day_b, w0, w1);

    let mut out = Vec::new();
    for &(s, e, kind) in &events {
        for (s, e) in subtract(s, e, &gaps) {
            out.push(Piece {
                start: s,
                end: e,
                kind,
            });
        }
    }
    if plan.continuous {
        let holes: Vec<(i64, i64)> = events.iter().map(|&(s, e, _)| (s, e)).collect();
        let cuts = cuts(plan, tz, day_a, day_b);
        let max_secs = plan
            .max_file_bytes
            .map(|m| (m / byte_rate.max(1)).max(1) as i64);
        for &(c0, c1) in &coverage {
            for (s, e) in subtract(c0, c1, &holes) {
                continuous(s, e, &cuts, max_secs, &mut out);
            }
        }
    }
    out.retain(|p| p.end > a && p.start < b);
    out.sort_unstable_by_key(|p| p.start);
    out
}

/// The events within `[w0, w1)`, sorted, overlaps removed: `(start, end, type)`.
fn events(
    plan: &Plan,
    tz: &TimeZone,
    today: Date,
    day_a: Date,
    day_b: Date,
    w0: i64,
    w1: i64,
) -> Vec<(i64, i64, FileType)> {
    let mut ev: Vec<(i64, i64, FileType)> = plan
        .events
        .iter()
        .map(|&(at, kind, secs)| {
            let s = at.resolve(today, tz);
            (s, s + secs, kind)
        })
        .collect();
    if let Some(every) = plan.motion_every_secs {
        let mut d = day_a;
        while d <= day_b {
            let m = midnight(d, tz);
            let next = midnight(next_day(d), tz);
            let mut t = m + plan.motion_offset_secs;
            while t < next {
                ev.push((t, t + plan.event_secs, FileType::MOTION));
                t += every;
            }
            d = next_day(d);
        }
    }
    ev.sort_unstable_by_key(|e| e.0);
    let mut out: Vec<(i64, i64, FileType)> = Vec::with_capacity(ev.len());
    for (mut s, e, k) in ev {
        if let Some(last) = out.last() {
            s = s.max(last.1);
        }
        let (s, e) = (s.max(w0), e.min(w1));
        if s < e {
            out.push((s, e, k));
        }
    }
    out
}

/// Where continuous files are cut: every `file_secs` from each local midnight.
fn cuts(plan: &Plan, tz: &TimeZone, day_a: Date, day_b: Date) -> Vec<i64> {
    let mut out = Vec::new();
    let mut d = day_a;
    while d <= next_day(day_b) {
        let m = midnight(d, tz);
        let next = midnight(next_day(d), tz);
        let mut t = m;
        while t < next {
            out.push(t);
            t += plan.file_secs;
        }
        d = next_day(d);
    }
    out
}

/// Continuous files over `[s, e)`: cut at `cuts`, and every `max_secs` after each start.
fn continuous(s: i64, e: i64, cuts: &[i64], max_secs: Option<i64>, out: &mut Vec<Piece>) {
    let mut at = s;
    while at < e {
        let i = cuts.partition_point(|c| *c <= at);
        let mut end = cuts.get(i).copied().unwrap_or(e).min(e);
        if let Some(m) = max_secs {
            end = end.min(at + m);
        }
        out.push(Piece {
            start: at,
            end,
            kind: FileType::CONTINUOUS,
        });
        at = end;
    }
}
