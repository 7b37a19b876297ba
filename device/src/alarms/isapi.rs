//! The ISAPI shape of an alarm: the `EventNotificationAlert` document a device sends, one
//! per part, on `GET /ISAPI/Event/notification/alertStream` (and pushes in listening mode).
//!
//! The shape follows what Hikvision cameras send (ISAPI event schema 2.0): the device's
//! address, port and MAC, `channelID`, a device-local `dateTime` with its offset,
//! `activePostCount`, `eventType` (`VMD`, `videoloss`, `shelteralarm`, `IO`,
//! `linedetection`, `fielddetection`, `diskfull`, `diskerror`), `eventState` (`active`) and
//! `eventDescription`; `inputIOPortID` for alarm inputs; a `DetectionRegionList` with the
//! rule's region and the target box (coordinates 0 to 1000) for the VCA kinds. While no
//! alarm is active, devices send a heartbeat on the same stream: `videoloss` in the
//! `inactive` state.

use std::fmt::Write as _;

use jiff::civil::DateTime;

use super::{Alarm, AlarmKind};
use crate::Device;

/// The MAC address the simulated devices report (documentation range, RFC 7042).
const MAC: &str = "00:00:5e:00:53:01";

/// `2026-12-06T08:00:00+08:00`.
pub fn date_time_text(t: DateTime, offset_seconds: i32) -> String {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let o = offset_seconds.unsigned_abs();
    format!(
        "{}{sign}{:02}:{:02}",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        o / 3600,
        o % 3600 / 60
    )
}

fn description(kind: AlarmKind) -> &'static str {
    match kind {
        AlarmKind::Motion => "Motion alarm",
        AlarmKind::VideoLoss => "videoloss alarm",
        AlarmKind::Tamper => "Shelter Alarm",
        AlarmKind::AlarmInput => "IO alarm",
        AlarmKind::LineCrossing => "Line crossing alarm",
        AlarmKind::Intrusion => "Intrusion alarm",
        AlarmKind::DiskFull => "HDD full",
        AlarmKind::DiskError => "HDD error",
    }
}

/// The head every document shares.
fn head(d: &Device, port: u16, channel: i32, time: &str, post: u32, kind: &str) -> String {
    let spec = d.spec();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <EventNotificationAlert version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\n\
         <ipAddress>{}</ipAddress>\n<portNo>{port}</portNo>\n<protocol>HTTP</protocol>\n\
         <macAddress>{MAC}</macAddress>\n<channelID>{channel}</channelID>\n\
         <dateTime>{time}</dateTime>\n<activePostCount>{post}</activePostCount>\n\
         <eventType>{kind}</eventType>\n",
        spec.address
    )
}

/// The `EventNotificationAlert` of `alarm` from device `d`, which serves ISAPI on `port`.
pub fn event_xml(d: &Device, port: u16, alarm: &Alarm) -> String {
    let time = date_time_text(alarm.time, alarm.utc_offset_seconds);
    let mut x = head(
        d,
        port,
        alarm.channel,
        &time,
        alarm.post_count,
        alarm.kind.event_type(),
    );
    let _ = write!(
        x,
        "<eventState>active</eventState>\n<eventDescription>{}</eventDescription>\n",
        description(alarm.kind)
    );
    match alarm.kind {
        AlarmKind::AlarmInput => {
            let _ = writeln!(x, "<inputIOPortID>{}</inputIOPortID>", alarm.input);
        }
        AlarmKind::DiskFull | AlarmKind::DiskError => {
            let _ = writeln!(x, "<hdNo>{}</hdNo>", alarm.disk);
        }
        AlarmKind::LineCrossing | AlarmKind::Intrusion => region_list(&mut x, alarm),
        AlarmKind::Motion | AlarmKind::VideoLoss | AlarmKind::Tamper => {}
    }
    let _ = write!(
        x,
        "<channelName>{}</channelName>\n</EventNotificationAlert>\n",
        xml_escape(&d.name_text())
    );
    x
}

/// The VCA rule's region and the target box, in the 0..1000 coordinates of ISAPI.
fn region_list(x: &mut String, a: &Alarm) {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 1000.0).round() as i32;
    let r = a.target;
    let (x0, y0, x1, y1) = (c(r.x), c(r.y), c(r.x + r.width), c(r.y + r.height));
    let _ = write!(
        x,
        "<DetectionRegionList>\n<DetectionRegionEntry>\n<regionID>{}</regionID>\n\
         <ruleName>{}</ruleName>\n<sensitivityLevel>50</sensitivityLevel>\n\
         <RegionCoordinatesList>\n",
        a.rule_id,
        xml_escape(&a.rule_name)
    );
    for (px, py) in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)] {
        let _ = write!(
            x,
            "<RegionCoordinates>\n<positionX>{px}</positionX>\n<positionY>{py}</positionY>\n\
             </RegionCoordinates>\n"
        );
    }
    let _ = write!(
        x,
        "</RegionCoordinatesList>\n<TargetRect>\n<X>{x0}</X>\n<Y>{y0}</Y>\n\
         <width>{}</width>\n<height>{}</height>\n</TargetRect>\n\
         </DetectionRegionEntry>\n</DetectionRegionList>\n",
        x1 - x0,
        y1 - y0
    );
}

/// The heartbeat a device sends on the alert stream while nothing is active: `videoloss`,
/// `inactive`, on channel 1, stamped with the device's time now.
pub fn heartbeat_xml(d: &Device, port: u16) -> String {
    let (now, offset) = d.alarm_clock();
    let mut x = head(d, port, 1, &date_time_text(now, offset), 0, "videoloss");
    x.push_str(
        "<eventState>inactive</eventState>\n<eventDescription>videoloss alarm</eventDescription>\n\
         </EventNotificationAlert>\n",
    );
    x
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
