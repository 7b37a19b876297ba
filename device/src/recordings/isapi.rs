//! The ISAPI shapes of the timeline: `POST /ISAPI/ContentMgmt/search` takes a
//! `CMSearchDescription` and answers a `CMSearchResult`, as pure functions.
//!
//! Times: the SDK writes a search's device-local `NET_DVR_TIME` with a `Z` suffix
//! (`shared/reference/real-sdk-isapi.md`: 08:00 asked, `T080000Z` sent), so a `Z` time here
//! is a device-local civil time, not UTC; the answer writes local times the same way.
//! `timeSpan` uses `2026-12-01T08:00:00Z`, the `playbackURI` query `20261201T080000Z`.

use jiff::civil::DateTime;

use super::{FileType, RecError, Recording, Recordings};

/// A parsed `CMSearchDescription`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmSearch {
    pub search_id: String,
    pub track_ids: Vec<u32>,
    pub start: DateTime,
    pub end: DateTime,
    pub max_results: usize,
    /// `searchResultPostion` (the real spelling) or `searchResultPosition`.
    pub position: usize,
    /// From `metadataDescriptor` `//recordType.meta.std-cgi.com/<type>`.
    pub filter: FileType,
}

/// The text of every `<tag>` element (without attributes).
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        match rest.find('<') {
            Some(end) => out.push(rest[..end].trim()),
            None => break,
        }
    }
    out
}

fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    elements(xml, tag).into_iter().next()
}

/// `2026-12-01T08:00:00Z`, `20261201T080000Z` or without the `Z`, as a local time.
pub fn parse_time(s: &str) -> Option<DateTime> {
    let s = s.trim().trim_end_matches('Z');
    if let Ok(dt) = s.parse::<DateTime>() {
        return Some(dt);
    }
    let (d, t) = s.split_once('T')?;
    if d.len() != 8 || t.len() != 6 {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}",
        &d[..4],
        &d[4..6],
        &d[6..],
        &t[..2],
        &t[2..4],
        &t[4..]
    );
    iso.parse().ok()
}

/// `2026-12-01T08:00:00Z`
pub fn time_span_text(t: DateTime) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `20261201T080000Z`
pub fn uri_time_text(t: DateTime) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The record type names of `metadataDescriptor` and `metadataMatches`.
fn record_type(name: &str) -> FileType {
    match name.to_ascii_lowercase().as_str() {
        "cmr" | "timing" | "continuous" => FileType::CONTINUOUS,
        "videomotion" | "motion" | "vmd" => FileType::MOTION,
        "alarminput" | "alarm" => FileType::ALARM,
        "manual" => FileType::MANUAL,
        "command" => FileType::COMMAND,
        "smart" | "allevent" => FileType::ANY_ALARM,
        _ => FileType::ALL,
    }
}

fn record_type_name(t: FileType) -> &'static str {
    match t {
        FileType::CONTINUOUS => "timing",
        FileType::MOTION => "VideoMotion",
        FileType::ALARM => "AlarmInput",
        FileType::MANUAL => "manual",
        FileType::COMMAND => "command",
        _ => "smart",
    }
}

/// Parse a `CMSearchDescription` body. An unknown or empty record type lists every type.
pub fn parse_search(xml: &str) -> Result<CmSearch, String> {
    if !xml.contains("<CMSearchDescription") {
        return Err("not a CMSearchDescription".into());
    }
    let num = |tag: &str, default: usize| -> Result<usize, String> {
        element(xml, tag).map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("bad <{tag}>"))
        })
    };
    let track_ids = elements(xml, "trackID")
        .into_iter()
        .map(|t| t.parse::<u32>().map_err(|_| format!("bad trackID {t:?}")))
        .collect::<Result<Vec<_>, _>>()?;
    if track_ids.is_empty() {
        return Err("no trackID".into());
    }
    let time = |tag| {
        element(xml, tag)
            .and_then(parse_time)
            .ok_or(format!("bad <{tag}>"))
    };
    let filter = element(xml, "metadataDescriptor")
        .map(|d| record_type(d.rsplit('/').next().unwrap_or("")))
        .unwrap_or(FileType::ALL);
    Ok(CmSearch {
        search_id: element(xml, "searchID").unwrap_or("").to_owned(),
        track_ids,
        start: time("startTime")?,
        end: time("endTime")?,
        max_results: num("maxResults", 40)?.max(1),
        position: num("searchResultPostion", num("searchResultPosition", 0)?)?,
        filter,
    })
}

/// The `playbackURI` of a file, on `host` (`192.0.2.20:554`); `&` not yet escaped.
pub fn playback_uri(host: &str, track: u32, r: &Recording) -> String {
    format!(
        "rtsp://{host}/Streaming/tracks/{track}/?starttime={}&endtime={}&name={}&size={}",
        uri_time_text(r.start),
        uri_time_text(r.end),
        r.name,
        r.size
    )
}

/// The `CMSearchResult` answering `req`, the files in time order per track, one page of
/// `maxResults` from `searchResultPostion` (`MORE` while more remain).
pub fn search_result(rec: &Recordings, req: &CmSearch, host: &str) -> Result<String, RecError> {
    let mut all: Vec<(u32, Recording)> = Vec::new();
    for &track in &req.track_ids {
        let ch = rec
            .channel_of_track(track)
            .ok_or(RecError::UnknownChannel(track as i32))?;
        let files = rec.files(ch, req.start, req.end)?;
        all.extend(
            files
                .into_iter()
                .filter(|r| req.filter.matches(r.file_type))
                .map(|r| (track, r)),
        );
    }
    let page: Vec<&(u32, Recording)> = all
        .iter()
        .skip(req.position)
        .take(req.max_results)
        .collect();
    let status = if all.is_empty() {
        "NO MATCHES"
    } else if req.position + page.len() < all.len() {
        "MORE"
    } else {
        "OK"
    };
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x += "<CMSearchResult version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\n";
    x += &format!(
        "<searchID>{}</searchID>\n<responseStatus>true</responseStatus>\n",
        escape(&req.search_id)
    );
    x += &format!(
        "<responseStatusStrg>{status}</responseStatusStrg>\n<numOfMatches>{}</numOfMatches>\n",
        page.len()
    );
    x += "<matchList>\n";
    let codec = match rec.stream_kind().video {
        crate::media::VideoCodec::H264 => "H.264",
        crate::media::VideoCodec::H265 => "H.265",
    };
    for (track, r) in page {
        x += &match_item(*track, r, host, codec);
    }
    x += "</matchList>\n</CMSearchResult>\n";
    Ok(x)
}

fn match_item(track: u32, r: &Recording, host: &str, codec: &str) -> String {
    format!(
        "<searchMatchItem>\n<sourceID>{{00000000-0000-0000-0000-000000000000}}</sourceID>\n\
         <trackID>{track}</trackID>\n<timeSpan>\n<startTime>{}</startTime>\n<endTime>{}</endTime>\n\
         </timeSpan>\n<mediaSegmentDescriptor>\n<contentType>video</contentType>\n\
         <codecType>{}</codecType>\n<playbackURI>{}</playbackURI>\n<lockStatus>{}</lockStatus>\n\
         <name>{}</name>\n</mediaSegmentDescriptor>\n<metadataMatches>\n\
         <metadataDescriptor>recordType.meta.std-cgi.com/{}</metadataDescriptor>\n\
         </metadataMatches>\n</searchMatchItem>\n",
        time_span_text(r.start),
        time_span_text(r.end),
        codec,
        escape(&playback_uri(host, track, r)),
        if r.locked { "Lock" } else { "Unlock" },
        r.name,
        record_type_name(r.file_type),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Why a search gets no `CMSearchResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// Not a `CMSearchDescription`, or one without the needed elements (`badXmlContent`).
    BadXml(String),
    /// A track that is no channel, or an empty range (`badParameters`).
    Refused(RecError),
}

/// `POST /ISAPI/ContentMgmt/search`: the body parsed, then one page of `rec`'s files;
/// `host` (`127.0.0.1:554`) goes into the `playbackURI`s.
pub fn answer(rec: &Recordings, body: &str, host: &str) -> Result<String, SearchError> {
    let req = parse_search(body).map_err(SearchError::BadXml)?;
    search_result(rec, &req, host).map_err(SearchError::Refused)
}

/// What RTSP playback of `track` over `[start, end)` (device-local) streams: absolute
/// frame ranges `[f0, f1)` (frame `f` is at unix time `f x 40 ms`), one per file in the
/// range, each from the keyframe at or before `start` (never before its file's start), as
/// a download by time cuts them. Empty when no file covers the range.
pub fn playback_frames(
    rec: &Recordings,
    track: u32,
    start: DateTime,
    end: DateTime,
) -> Result<Vec<(i64, i64)>, RecError> {
    let ch = rec
        .channel_of_track(track)
        .ok_or(RecError::UnknownChannel(track as i32))?;
    let files = rec.files(ch, start, end)?;
    if files.iter().any(|r| r.missing) {
        return Err(RecError::FileMissing);
    }
    let tz = rec.time_zone();
    let (a, b) = (
        super::spec::local_secs(start, tz),
        super::spec::local_secs(end, tz),
    );
    let table = super::stream::table(rec.stream_kind());
    let fps = i64::from(crate::media::FPS);
    Ok(files
        .iter()
        .map(|r| {
            let from = r.start_secs.max(a) * fps;
            let f0 = table.key_at_or_before(from).max(r.start_secs * fps);
            (f0, r.end_secs.min(b) * fps)
        })
        .filter(|(f0, f1)| f0 < f1)
        .collect())
}

#[cfg(test)]
mod route_tests {
    use crate::Scenario;
    use crate::recordings::Clock;
    use crate::scenario::Role;

    fn nvr() -> crate::Device {
        let s = Scenario {
            clock: Some("2026-12-01T12:00:00Z".into()),
            ..Scenario::default()
        };
        let d = s
            .into_devices()
            .into_iter()
            .find(|d| d.spec().label == "nvr");
        d.unwrap()
    }

    fn body(position: usize) -> String {
        format!(
            "<CMSearchDescription><searchID>X</searchID><trackIDList><trackID>101</trackID>\
             </trackIDList><timeSpanList><timeSpan><startTime>2026-11-30T00:00:00Z</startTime>\
             <endTime>2026-11-30T23:59:59Z</endTime></timeSpan></timeSpanList>\
             <maxResults>40</maxResults><searchResultPostion>{position}</searchResultPostion>\
             <metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor>\
             </metadataList></CMSearchDescription>"
        )
    }

    #[test]
    fn the_device_answers_search_posts_page_by_page() {
        let d = nvr();
        assert!(matches!(d.recordings().clock(), Clock::Pinned(_)));
        let post = |b: &str| {
            d.isapi(
                Role::Viewer,
                "POST",
                "/ISAPI/ContentMgmt/search",
                b.as_bytes(),
            )
        };
        let first = post(&body(0));
        let text = String::from_utf8(first.body).unwrap();
        assert_eq!(first.http_status, 200);
        assert!(
            text.contains("<responseStatusStrg>MORE</responseStatusStrg>"),
            "{text}"
        );
        assert_eq!(text.matches("<searchMatchItem>").count(), 40);
        let rest = String::from_utf8(post(&body(40)).body).unwrap();
        assert!(rest.contains("<responseStatusStrg>OK</responseStatusStrg>"));
        assert_eq!(rest.matches("<searchMatchItem>").count(), 18);
        let none = String::from_utf8(post(&body(0).replace("2026-11-30", "2026-10-01")).body);
        assert!(none.unwrap().contains("NO MATCHES"));
        // A track that is no channel, a body that is no search, the wrong method.
        assert_eq!(post(&body(0).replace(">101<", ">3301<")).http_status, 400);
        assert_eq!(post("<Nope/>").http_status, 400);
        let get = d.isapi(Role::Viewer, "GET", "/ISAPI/ContentMgmt/search", b"");
        assert_eq!(get.http_status, 405);
    }

    #[test]
    fn playback_frames_start_at_a_keyframe_and_skip_gaps() {
        let d = nvr();
        let rec = d.recordings();
        let t = |s: &str| super::parse_time(s).unwrap();
        let spans = super::playback_frames(&rec, 101, t("20261130T080000Z"), t("20261130T080010Z"))
            .unwrap();
        let start = 1_796_025_600_i64 * 25;
        assert_eq!(spans, vec![(start, start + 250)]);
        // Across the gap (two days ago 02:00..04:30): the files on either side only.
        let gap = super::playback_frames(&rec, 101, t("20261129T015950Z"), t("20261129T043010Z"))
            .unwrap();
        assert_eq!(gap.len(), 2, "{gap:?}");
        assert_eq!(gap.iter().map(|(a, b)| b - a).sum::<i64>(), 500);
        assert!(
            super::playback_frames(&rec, 3301, t("20261130T080000Z"), t("20261130T080010Z"))
                .is_err()
        );
    }
}
