//! Where a saved download by time can be resumed: the last keyframe of the file, as a time
//! after the range's start and as the byte offset of the PS pack it starts in.
//!
//! A download by time starts at the keyframe at or before the range's start, so the file's
//! first video frame is (on devices whose keyframes fall on whole seconds, as the SDK's
//! times do) at `from`. The last keyframe `K` of the file is then at `from + (pts(K) -
//! pts(first)) / 90 kHz`. The file is cut just before the pack that starts `K` (dropping
//! `K`'s GOP, which may be incomplete), and a new download from that time is appended
//! without its IMKH header: the device starts it with the same keyframe, so the result is
//! one continuous stream. A keyframe whose time is not a whole number of seconds after the
//! first frame cannot be asked for exactly; the last one that is is used.

use hcnetsdk_media::Demuxer;
use jiff::ToSpan;

use crate::error::{Error, Result};
use crate::time::DeviceTime;

/// 90 kHz ticks per second.
const TICKS: i64 = 90_000;
/// PTS values are 33 bits.
const PTS_MASK: i64 = (1 << 33) - 1;

/// Where to resume a saved file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResumePoint {
    /// Keep the file's first `cut` bytes.
    pub(crate) cut: u64,
    /// Ask the device from the range's start plus this many seconds.
    pub(crate) elapsed_secs: i64,
}

/// The resume point of a saved PS, `None` when it has no keyframe after its first frame
/// (nothing worth keeping: download it again from the start).
pub(crate) fn resume_point(ps: &[u8]) -> Option<ResumePoint> {
    let mut demux = Demuxer::new();
    let mut first: Option<i64> = None;
    let mut keys: Vec<i64> = Vec::new();
    let mut on_frame = |f: &hcnetsdk_media::Frame<'_>| {
        if !f.is_video() {
            return;
        }
        let Some(pts) = f.pts else { return };
        first.get_or_insert(pts);
        if f.key {
            keys.push(pts);
        }
    };
    demux.push(ps, &mut on_frame);
    demux.finish(&mut on_frame);
    let first = first?;
    let key = keys
        .iter()
        .rev()
        .find(|k| **k > first && (**k - first) % TICKS == 0)?;
    let cut = pack_of_video_pts(ps, *key & PTS_MASK)?;
    Some(ResumePoint {
        cut: cut as u64,
        elapsed_secs: (key - first) / TICKS,
    })
}

/// The offset of the pack header before the first video PES whose PTS is `pts`.
fn pack_of_video_pts(ps: &[u8], pts: i64) -> Option<usize> {
    let mut pack = None;
    let mut i = 0;
    while i + 4 <= ps.len() {
        if ps[i..i + 3] != [0, 0, 1] {
            i += 1;
            continue;
        }
        let sid = ps[i + 3];
        if sid == 0xBA {
            pack = Some(i);
            i += 4;
            continue;
        }
        if (0xE0..=0xEF).contains(&sid) && pes_pts(&ps[i..]) == Some(pts) {
            return pack;
        }
        i += 4;
    }
    None
}

/// The PTS of the PES packet at the start of `pes`, if it has one.
fn pes_pts(pes: &[u8]) -> Option<i64> {
    let h = pes.get(6..14)?;
    if h[0] & 0xC0 != 0x80 || h[1] & 0x80 == 0 {
        return None;
    }
    let b = pes.get(9..14)?;
    let v = (i64::from(b[0] >> 1) & 7) << 30
        | i64::from(b[1]) << 22
        | i64::from(b[2] >> 1) << 15
        | i64::from(b[3]) << 7
        | i64::from(b[4] >> 1);
    Some(v)
}

/// `t` plus `secs` seconds, in the same kind of time.
pub(crate) fn plus_seconds(t: &DeviceTime, secs: i64) -> Result<DeviceTime> {
    let bad = || Error::invalid_input("resume", format_args!("{t} + {secs} s"), "out of range");
    Ok(match t {
        DeviceTime::Utc(ts) => DeviceTime::Utc(ts.checked_add(secs.seconds()).map_err(|_| bad())?),
        DeviceTime::Local(z) => {
            DeviceTime::Local(z.checked_add(secs.seconds()).map_err(|_| bad())?)
        }
        DeviceTime::LocalUnknownZone(d) => {
            DeviceTime::LocalUnknownZone(d.checked_add(secs.seconds()).map_err(|_| bad())?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pes(pts: i64) -> Vec<u8> {
        let mut v = vec![0, 0, 1, 0xE0, 0, 8, 0x80, 0x80, 5];
        v.push(0x21 | (((pts >> 30) & 7) as u8) << 1);
        v.push((pts >> 22) as u8);
        v.push(0x01 | ((pts >> 15) as u8) << 1);
        v.push((pts >> 7) as u8);
        v.push(0x01 | (pts as u8) << 1);
        v
    }

    #[test]
    fn pts_round_trips_and_finds_its_pack() {
        let pts = 0x1_2345_6789 & PTS_MASK;
        assert_eq!(pes_pts(&pes(pts)), Some(pts));
        let mut ps = vec![0u8; 3];
        ps.extend_from_slice(&[0, 0, 1, 0xBA, 0x44]);
        ps.extend(pes(1000));
        let second = ps.len();
        ps.extend_from_slice(&[0, 0, 1, 0xBA, 0x44]);
        ps.extend(pes(pts));
        assert_eq!(pack_of_video_pts(&ps, pts), Some(second));
        assert_eq!(pack_of_video_pts(&ps, 1000), Some(3));
        assert_eq!(pack_of_video_pts(&ps, 5), None);
    }

    #[test]
    fn plus_seconds_keeps_the_kind() {
        let d = jiff::civil::date(2026, 12, 1).at(23, 59, 30, 0);
        let t = plus_seconds(&DeviceTime::from(d), 45).unwrap();
        assert_eq!(
            t,
            DeviceTime::from(jiff::civil::date(2026, 12, 2).at(0, 0, 15, 0))
        );
    }
}
