use std::time::{Duration, Instant};

use hcnetsdk_media::Demuxer;
use jiff::civil::{DateTime, date};

use super::isapi::{parse_search, search_result};
use super::*;
use crate::Scenario;

const PIN: &str = "2026-12-01T12:00:00Z";

fn pinned() -> Clock {
    Clock::parse(PIN).unwrap()
}

fn device(label: &str) -> Recordings {
    let s = Scenario::default();
    let d = s.devices.iter().find(|d| d.label == label).unwrap();
    Recordings::new(d, pinned()).unwrap()
}

fn dt(d: u8, h: i8, m: i8, s: i8) -> DateTime {
    date(2026, if d > 1 { 11 } else { 12 }, d as i8).at(h, m, s, 0)
}

fn day(d: u8) -> (DateTime, DateTime) {
    let next = if d == 30 {
        date(2026, 12, 1)
    } else {
        date(2026, 11, d as i8 + 1)
    };
    (dt(d, 0, 0, 0), next.at(0, 0, 0, 0))
}

fn custom(extra: &str) -> Recordings {
    let text = format!(
        "address = \"192.0.2.1\"\n{extra}\n[[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n"
    );
    let spec = crate::DeviceSpec::parse(&text).unwrap();
    Recordings::new(&spec, pinned()).unwrap()
}

#[test]
fn nvr_day_lists_hourly_files_split_by_events() {
    let nvr = device("nvr");
    assert_eq!(nvr.channels().collect::<Vec<_>>(), [33, 34]);
    let (a, b) = day(30);
    let files = nvr.files(33, a, b).unwrap();
    // 24 hours; 16 motion events (00:17 + k x 90 min) and the 12:10 alarm each add their
    // own file and split their hour's continuous file in two.
    assert_eq!(files.len(), 24 + 2 * 17);
    let count = |t| files.iter().filter(|r| r.file_type == t).count();
    assert_eq!((count(FileType::MOTION), count(FileType::ALARM)), (16, 1));
    assert_eq!(files[0].start, dt(30, 0, 0, 0));
    assert_eq!(
        (files[1].start, files[1].end),
        (dt(30, 0, 17, 0), dt(30, 0, 17, 40))
    );
    assert_eq!(files[1].file_type, FileType::MOTION);
    for w in files.windows(2) {
        assert_eq!(w[0].end, w[1].start, "the day is covered without overlap");
    }
    assert_eq!(files.last().unwrap().end, b);
    // Channels 35..=48 record nothing; 49 is no channel.
    assert!(nvr.files(35, a, b).unwrap().is_empty());
    assert_eq!(nvr.files(49, a, b), Err(RecError::UnknownChannel(49)));
    assert_eq!(nvr.files(33, b, a), Err(RecError::BadRange));
}

#[test]
fn sizes_follow_the_bitrate_and_names_have_the_real_shape() {
    let nvr = device("nvr");
    let files = nvr.files(33, dt(30, 8, 0, 0), dt(30, 9, 0, 0)).unwrap();
    let hour = &files[0];
    assert_eq!((hour.start, hour.end), (dt(30, 8, 0, 0), dt(30, 9, 0, 0)));
    let rate = super::stream::table(nvr.stream_kind()).bytes_per_sec();
    assert!(rate > 10_000, "{rate} B/s");
    let expect = rate * 3600;
    assert!(
        hour.size.abs_diff(expect) < expect / 100,
        "{} vs {expect}",
        hour.size
    );
    assert_eq!(hour.name, "ch0033_00000179602560000");
    assert_eq!(nvr.find_by_name(&hour.name), Ok(hour.clone()));
    assert_eq!(
        nvr.find_by_name("ch0033_00000179602560101"),
        Err(RecError::NoSuchFile)
    );
    assert_eq!(
        device("dome")
            .files(1, dt(30, 8, 0, 0), dt(30, 9, 0, 0))
            .unwrap()[0]
            .name[..5],
        *"ch01_"
    );
}

#[test]
fn a_gap_lists_nothing_and_cuts_the_files_around_it() {
    let nvr = device("nvr");
    assert!(
        nvr.files(33, dt(29, 2, 0, 0), dt(29, 4, 30, 0))
            .unwrap()
            .is_empty()
    );
    let around = nvr.files(33, dt(29, 1, 0, 0), dt(29, 5, 0, 0)).unwrap();
    assert!(around.iter().any(|r| r.end == dt(29, 2, 0, 0)));
    assert_eq!(
        around
            .iter()
            .find(|r| r.start >= dt(29, 2, 0, 0))
            .unwrap()
            .start,
        dt(29, 4, 30, 0)
    );
    // The 03:17 motion event fell in the gap.
    assert!(!around.iter().any(|r| r.start == dt(29, 3, 17, 0)));
}

#[test]
fn the_timeline_starts_days_ago_and_ends_now() {
    let nvr = device("nvr");
    let early = nvr.files(33, dt(20, 0, 0, 0), dt(24, 1, 0, 0)).unwrap();
    assert_eq!(
        early[0].start,
        dt(24, 0, 0, 0),
        "7 days before 12-01: from 11-24 00:00"
    );
    let late = nvr.files(33, dt(1, 11, 0, 0), dt(1, 23, 0, 0)).unwrap();
    assert_eq!(
        late.last().unwrap().end,
        dt(1, 12, 0, 0),
        "the file being written ends now"
    );
    // The wall clock moves the timeline: today has files up to now.
    let mut wall = device("nvr");
    wall.set_clock(Clock::Wall);
    let now = wall.local_now();
    let today = wall.files(33, now.date().at(0, 0, 0, 0), now).unwrap();
    assert!(today.last().is_none_or(|r| r.end <= now));
    assert!(now.hour() == 0 || !today.is_empty());
}

#[test]
fn search_filters_by_type_and_lock() {
    let nvr = device("nvr");
    let (a, b) = day(30);
    let t0 = Instant::now();
    let all = |filter, lock| {
        let mut s = nvr.search(33, a, b, filter, lock, t0).unwrap();
        let mut out = Vec::new();
        while let FindStatus::Found(r) = s.next_status(t0) {
            out.push(r);
        }
        out
    };
    assert_eq!(all(FileType::ALL, LockFilter::Any).len(), 58);
    let motion = all(FileType::MOTION, LockFilter::Any);
    assert_eq!(motion.len(), 16);
    assert!(motion.iter().all(|r| r.file_type == FileType::MOTION));
    assert_eq!(all(FileType::ALARM_OR_MOTION, LockFilter::Any).len(), 17);
    assert_eq!(all(FileType::CONTINUOUS, LockFilter::Any).len(), 41);
    let locked = all(FileType::ALL, LockFilter::Locked);
    assert_eq!(locked.len(), 1);
    assert_eq!(
        (locked[0].start, locked[0].end),
        (dt(30, 8, 0, 0), dt(30, 9, 0, 0))
    );
    assert_eq!(all(FileType::ALL, LockFilter::Unlocked).len(), 57);
    assert_eq!(LockFilter::from_sdk(0xff), Some(LockFilter::Any));
}

#[test]
fn search_pages_with_the_sdk_statuses() {
    let nvr = device("nvr");
    let t0 = Instant::now();
    let mut s = nvr
        .search(
            33,
            dt(30, 8, 0, 0),
            dt(30, 10, 0, 0),
            FileType::ALL,
            LockFilter::Any,
            t0,
        )
        .unwrap();
    assert_eq!(s.remaining(), 4, "08:00, 09:00, 09:17 motion, 09:17:40");
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(s.next_status(t0).code());
    }
    assert_eq!(codes, [1000, 1000, 1000, 1000, 1003, 1003]);
    // Nothing: 1001.
    let mut none = nvr
        .search(
            33,
            dt(29, 2, 0, 0),
            dt(29, 4, 0, 0),
            FileType::ALL,
            LockFilter::Any,
            t0,
        )
        .unwrap();
    assert_eq!(none.next_status(t0), FindStatus::NoFile);
    // A week: "still searching" for the scenario's while, then the files.
    let mut week = nvr
        .search(
            33,
            dt(24, 0, 0, 0),
            dt(1, 12, 0, 0),
            FileType::ALL,
            LockFilter::Any,
            t0,
        )
        .unwrap();
    assert_eq!(week.ready_at(), t0 + Duration::from_millis(200));
    assert_eq!(week.next_status(t0).code(), 1002);
    assert_eq!(
        week.next_status(t0 + Duration::from_millis(199)).code(),
        1002
    );
    assert_eq!(
        week.next_status(t0 + Duration::from_millis(200)).code(),
        1000
    );
    // The fault: an exception after two files.
    week.fail_after(2);
    let later = t0 + Duration::from_secs(1);
    assert_eq!(week.next_status(later).code(), 1000);
    assert_eq!(week.next_status(later), FindStatus::Exception);
    assert_eq!(
        nvr.search(
            50,
            dt(30, 8, 0, 0),
            dt(30, 9, 0, 0),
            FileType::ALL,
            LockFilter::Any,
            t0
        )
        .err(),
        Some(RecError::UnknownChannel(50))
    );
}

/// Demux a stream: (video frames, first is key, first PTS, last PTS, bytes).
fn demux(stream: MediaStream) -> (usize, bool, i64, i64, u64) {
    let mut d = Demuxer::new();
    let (mut n, mut key, mut first, mut last, mut bytes) = (0, false, None, 0, 0u64);
    let mut on = |f: &hcnetsdk_media::Frame<'_>| {
        if f.is_video() {
            if n == 0 {
                key = f.key;
                first = f.pts;
            }
            n += 1;
            last = f.pts.unwrap();
        }
    };
    for c in stream {
        assert_eq!(c.offset, bytes);
        bytes += c.data.len() as u64;
        d.push(&c.data, &mut on);
    }
    d.finish(&mut on);
    (n, key, first.unwrap(), last, bytes)
}

#[test]
fn a_ten_minute_download_is_cut_at_keyframes() {
    let nvr = device("nvr");
    // 10:40..10:50 crosses the 10:47 motion file: three files, one stream.
    let s = nvr
        .download_by_time(
            33,
            dt(30, 10, 40, 0),
            dt(30, 10, 50, 0),
            Transfer::default(),
        )
        .unwrap();
    let total = s.total();
    let (t0, t1) = s.time_range().unwrap();
    assert_eq!(nvr.time_zone().to_datetime(t0), dt(30, 10, 40, 0));
    assert_eq!(nvr.time_zone().to_datetime(t1), dt(30, 10, 50, 0));
    let (frames, key, first, last, bytes) = demux(s);
    assert!(key, "starts at a keyframe");
    assert_eq!(bytes, total, "the declared total");
    assert_eq!(frames, 600 * 25);
    let secs = (last - first + 3600) as f64 / 90_000.0;
    assert!((secs - 600.0).abs() <= 1.0, "{secs} s");
    // PTS carry the recording's time (mod 2^33).
    let want = (90_000
        + 3600
            * dt(30, 10, 40, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
                .as_second()
            * 25)
        & ((1 << 33) - 1);
    assert_eq!(first & ((1 << 33) - 1), want);
}

#[test]
fn a_download_starts_at_the_keyframe_before_the_start() {
    let nvr = custom("kind = \"ipc\"\n[[recording]]\ndays = 1\nfile_minutes = 60");
    // The clip's IDRs are at frames 0 and 25 of each 2 s loop: whole seconds, so a start
    // at a whole second is a keyframe. Any start rounds down at most one GOP.
    let s = nvr
        .download_by_time(
            1,
            dt(30, 10, 20, 13),
            dt(30, 10, 30, 13),
            Transfer::default(),
        )
        .unwrap();
    let (frames, key, ..) = demux(s);
    assert!(key);
    assert!((600 * 25..=601 * 25).contains(&frames), "{frames}");
}

#[test]
fn download_by_name_delivers_the_listed_size() {
    let nvr = device("nvr");
    let f = nvr.files(33, dt(30, 10, 0, 0), dt(30, 11, 0, 0)).unwrap();
    let motion = f.iter().find(|r| r.file_type == FileType::MOTION).unwrap();
    let s = nvr
        .download_by_name(&motion.name, Transfer::default())
        .unwrap();
    assert_eq!(s.total(), motion.size);
    let (frames, key, _, _, bytes) = demux(s);
    assert_eq!((frames, key, bytes), (40 * 25, true, motion.size));
}

#[test]
fn faults_are_data() {
    let nvr = device("nvr");
    let t = Transfer {
        rate: 1 << 20,
        fault: Some(Fault::DropAt(50)),
    };
    let mut s = nvr
        .download_by_time(33, dt(30, 10, 0, 0), dt(30, 10, 10, 0), t)
        .unwrap();
    let total = s.total();
    let mut last_due = Duration::ZERO;
    for c in s.by_ref() {
        last_due = c.due;
    }
    assert_eq!(s.end(), StreamEnd::NetworkDrop);
    assert_eq!(s.position(), 200);
    assert!(s.delivered() <= total / 2 && s.delivered() > total / 2 - 100_000);
    let expect = s.delivered() as f64 / f64::from(1 << 20);
    assert!(
        (last_due.as_secs_f64() - expect).abs() < 0.1,
        "due follows the rate"
    );
    let full = Transfer {
        rate: 0,
        fault: Some(Fault::DiskFullAt(10)),
    };
    let mut s = nvr
        .download_by_time(33, dt(30, 10, 0, 0), dt(30, 10, 10, 0), full)
        .unwrap();
    s.by_ref().for_each(drop);
    assert_eq!(s.end(), StreamEnd::DiskFull);
    let mut ok = nvr
        .download_by_time(33, dt(30, 10, 0, 0), dt(30, 10, 0, 10), Transfer::default())
        .unwrap();
    assert_eq!(ok.position(), 0);
    ok.by_ref().for_each(drop);
    assert_eq!((ok.end(), ok.position()), (StreamEnd::Complete, 100));
    // Missing data, and a range with no recording.
    let gone = custom("[[recording]]\ndays = 1\nmissing = [\"-1d 10:30\"]");
    let f = gone.files(1, dt(30, 10, 0, 0), dt(30, 11, 0, 0)).unwrap();
    assert!(f[0].missing);
    assert_eq!(
        gone.download_by_name(&f[0].name, Transfer::default()).err(),
        Some(RecError::FileMissing)
    );
    assert_eq!(
        gone.download_by_time(1, dt(30, 10, 0, 0), dt(30, 10, 1, 0), Transfer::default())
            .err(),
        Some(RecError::FileMissing)
    );
    assert_eq!(
        nvr.download_by_time(33, dt(29, 2, 0, 0), dt(29, 3, 0, 0), Transfer::default())
            .err(),
        Some(RecError::NoSuchFile)
    );
}

#[test]
fn the_default_rate_downloads_ten_minutes_in_seconds() {
    let nvr = device("nvr");
    let s = nvr
        .download_by_time(33, dt(30, 10, 0, 0), dt(30, 10, 10, 0), Transfer::default())
        .unwrap();
    let secs = s.total() as f64 / spec::DEFAULT_RATE as f64;
    assert!(secs < 5.0, "{secs} s");
}

#[test]
fn time_zones_and_the_other_devices() {
    // +08:00: local midnight is 16:00 UTC; the clock's 12:00Z is 20:00 local.
    let east = custom("time_zone = \"+08:00\"\n[[recording]]\ndays = 1");
    assert_eq!(east.local_now(), dt(1, 20, 0, 0));
    let f = east.files(1, dt(1, 0, 0, 0), dt(1, 2, 0, 0)).unwrap();
    assert_eq!((f[0].start, f[0].end), (dt(1, 0, 0, 0), dt(1, 1, 0, 0)));
    assert_eq!(
        f[0].start_secs,
        dt(30, 16, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp()
            .as_second()
    );
    assert!(spec::parse_time_zone("Mars/Olympus").is_err());
    // The bullet records motion only; the h265 camera cuts every 30 minutes.
    let bullet = device("bullet")
        .files(1, dt(30, 0, 0, 0), dt(30, 1, 0, 0))
        .unwrap();
    assert_eq!(
        bullet.iter().map(|r| r.start).collect::<Vec<_>>(),
        [dt(30, 0, 7, 0), dt(30, 0, 37, 0)]
    );
    let h265 = device("h265")
        .files(1, dt(30, 0, 0, 0), dt(30, 1, 0, 0))
        .unwrap();
    assert_eq!(h265.len(), 2);
    let dome = device("dome").files(1, day(30).0, day(30).1).unwrap();
    assert_eq!(dome.len(), 24 * 3);
}

#[test]
fn max_file_size_cuts_continuous_files() {
    let r = custom("[[recording]]\ndays = 1\nmax_file_mib = 10");
    let f = r.files(1, dt(30, 8, 0, 0), dt(30, 9, 0, 0)).unwrap();
    assert!(f.len() > 1);
    assert!(
        f.iter().all(|r| r.size <= (10 << 20) + 200_000),
        "{:?}",
        f.iter().map(|r| r.size).collect::<Vec<_>>()
    );
    assert_eq!(f.last().unwrap().end, dt(30, 9, 0, 0));
}

#[test]
fn scenario_checks_recording_fields() {
    let base = "address = \"192.0.2.1\"\n[[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n";
    for bad in [
        "[[recording]]\nchannels = [2]",
        "[[recording]]\nfile_minutes = 0",
        "[[recording]]\nlocked = [\"yesterday\"]",
        "[[recording]]\n[[recording.event]]\nat = \"-1d 08:00\"\ntype = \"bogus\"",
        "[[recording]]\n[[recording.gap]]\nfrom = \"1d 08:00\"\nto = \"0d 09:00\"",
        "time_zone = \"+99:00\"",
    ] {
        assert!(
            crate::DeviceSpec::parse(&format!("{bad}\n{base}")).is_err(),
            "{bad} was accepted"
        );
    }
    assert!(Scenario::parse("clock = \"noon\"").is_err());
    let s = Scenario::parse(&format!("clock = \"{PIN}\"\n")).unwrap();
    assert_eq!(s.clock(), Ok(pinned()));
    assert_eq!(Scenario::default().clock(), Ok(Clock::Wall));
}

#[test]
fn isapi_search_answers_a_cm_search_result() {
    let nvr = device("nvr");
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><CMSearchDescription>\
        <searchID>C9C6D4E2-0000-0001-0000-000000000000</searchID>\
        <trackIDList><trackID>101</trackID></trackIDList>\
        <timeSpanList><timeSpan><startTime>2026-11-30T08:00:00Z</startTime>\
        <endTime>20261130T100000Z</endTime></timeSpan></timeSpanList>\
        <maxResults>3</maxResults><searchResultPostion>0</searchResultPostion>\
        <metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor></metadataList>\
        </CMSearchDescription>";
    let req = parse_search(body).unwrap();
    assert_eq!(
        (req.track_ids.clone(), req.start, req.end),
        (vec![101], dt(30, 8, 0, 0), dt(30, 10, 0, 0))
    );
    assert_eq!(nvr.channel_of_track(101), Some(33));
    assert_eq!(nvr.track_of(34), 201);
    let page = search_result(&nvr, &req, "192.0.2.20:554").unwrap();
    assert!(page.contains("<responseStatusStrg>MORE</responseStatusStrg>"));
    assert!(page.contains("<numOfMatches>3</numOfMatches>"));
    assert_eq!(page.matches("<searchMatchItem>").count(), 3);
    assert!(page.contains("<startTime>2026-11-30T08:00:00Z</startTime>"));
    assert!(page.contains("<lockStatus>Lock</lockStatus>"));
    assert!(page.contains("<codecType>H.264</codecType>"));
    assert!(page.contains(
        "<playbackURI>rtsp://192.0.2.20:554/Streaming/tracks/101/?starttime=20261130T080000Z&amp;\
         endtime=20261130T090000Z&amp;name=ch0033_00000179602560000&amp;size="
    ));
    let rest =
        parse_search(&body.replace("<searchResultPostion>0", "<searchResultPostion>3")).unwrap();
    let last = search_result(&nvr, &rest, "h").unwrap();
    assert!(last.contains("<responseStatusStrg>OK</responseStatusStrg>"));
    assert!(last.contains("<numOfMatches>1</numOfMatches>"));
    let motion = parse_search(&body.replace("std-cgi.com<", "std-cgi.com/VideoMotion<")).unwrap();
    let m = search_result(&nvr, &motion, "h").unwrap();
    assert_eq!(m.matches("<searchMatchItem>").count(), 1);
    assert!(m.contains("recordType.meta.std-cgi.com/VideoMotion"));
    let gap = parse_search(
        &body
            .replace("2026-11-30T08", "2026-11-29T02")
            .replace("20261130T10", "20261129T04"),
    )
    .unwrap();
    assert!(
        search_result(&nvr, &gap, "h")
            .unwrap()
            .contains("NO MATCHES")
    );
    assert!(parse_search("<CMSearchDescription><trackIDList/></CMSearchDescription>").is_err());
    let bad_track = parse_search(&body.replace(">101<", ">1701<")).unwrap();
    assert!(search_result(&nvr, &bad_track, "h").is_err());
}

#[test]
fn keyframe_lookup_rounds_down_to_the_gop() {
    let t = super::stream::table(crate::media::StreamKind::default());
    let f = 1_796_025_600 * 25;
    assert_eq!(t.key_at_or_before(f), f);
    assert_eq!(t.key_at_or_before(f + 10), f);
    assert_eq!(t.key_at_or_before(f + 24), f);
    assert_eq!(t.key_at_or_before(f + 26), f + 25);
}

#[test]
fn a_file_is_the_same_whatever_range_finds_it() {
    let nvr = device("nvr");
    let (a, b) = day(29);
    let files = nvr.files(33, a, b).unwrap();
    assert!(files.len() > 40);
    for r in &files {
        let one = nvr
            .files(
                33,
                r.start,
                r.start
                    .checked_add(jiff::SignedDuration::from_secs(1))
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(one, vec![r.clone()]);
    }
}

#[test]
fn a_plain_day_and_a_dst_day() {
    let nvr = device("nvr");
    let (a, b) = day(27);
    assert_eq!(nvr.files(34, a, b).unwrap().len(), 24 + 2 * 16);
    // Europe/Berlin skips 02:00..03:00 on 2026-03-29: 23 hourly files (this needs the
    // system's zoneinfo, which jiff reads on Unix).
    if jiff::tz::TimeZone::get("Europe/Berlin").is_err() {
        return;
    }
    let text = "address = \"192.0.2.1\"\ntime_zone = \"Europe/Berlin\"\n[[recording]]\ndays = 3\n\
                [[user]]\nname=\"a\"\npassword=\"b\"\nrole=\"admin\"\n";
    let spec = crate::DeviceSpec::parse(text).unwrap();
    let r = Recordings::new(&spec, Clock::parse("2026-03-31T12:00:00Z").unwrap()).unwrap();
    let f = r
        .files(
            1,
            date(2026, 3, 29).at(0, 0, 0, 0),
            date(2026, 3, 30).at(0, 0, 0, 0),
        )
        .unwrap();
    assert_eq!(
        f.len(),
        23,
        "{:?}",
        f.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>()
    );
    assert!(f.iter().all(|r| r.end_secs - r.start_secs == 3600));
}
