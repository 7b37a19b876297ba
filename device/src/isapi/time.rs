//! `/ISAPI/System/time`: the device's clock and zone ([`crate::time`]).
//!
//! `GET` answers a `Time` document as devices send it:
//!
//! ```xml
//! <Time version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
//! <timeMode>manual</timeMode>
//! <localTime>2026-12-01T08:00:00+08:00</localTime>
//! <timeZone>CST-8:00:00</timeZone>
//! </Time>
//! ```
//!
//! `PUT` (admin only, else 4 `lowPrivilege`) takes the same document: `timeZone` (optional)
//! changes the zone first, then `localTime` (required with `timeMode` `manual`) sets the
//! clock: an RFC 3339 time with an offset is that instant; one without is a wall-clock time
//! in the (new) zone. `timeMode` `NTP` keeps the clock (the model has no NTP) and may change
//! the zone. `timeMode` is the NTP settings' on/off switch ([`Device::ntp`]'s `enabled`, the
//! classic NTPCFG's `byEnableNTP`): a GET reports `NTP` while it is on. Anything unreadable is 6 `badParameters`; no `Time` element 6 `badXmlContent`.

use jiff::Timestamp;
use jiff::civil::DateTime;

use super::{
    BAD_CONTENT, BAD_METHOD, BAD_PARAMETERS, NS, Routed, XML, XML_HEAD, element, st, xml_body,
};
use crate::Device;
use crate::scenario::Role;
use crate::time::ZoneRule;

pub(super) fn route(d: &Device, role: Role, method: &str, body: &[u8]) -> Routed {
    match method {
        "GET" => Ok(Some((document(d).into_bytes(), XML))),
        "PUT" => {
            if !role.can_configure() {
                return Err(st(4, "lowPrivilege", 403));
            }
            put(d, xml_body(body)?)?;
            Ok(None)
        }
        _ => Err(BAD_METHOD),
    }
}

fn document(d: &Device) -> String {
    let (local, offset) = d.local_time();
    // NTP on or off is the NTP settings' `enabled` (the classic NTPCFG's byEnableNTP).
    let mode = if d.ntp().enabled { "NTP" } else { "manual" };
    format!(
        "{XML_HEAD}<Time {NS}>\n<timeMode>{mode}</timeMode>\n<localTime>{}{}</localTime>\n\
         <timeZone>{}</timeZone>\n</Time>\n",
        local.strftime("%Y-%m-%dT%H:%M:%S"),
        {
            let secs = offset.seconds();
            let a = secs.unsigned_abs();
            format!(
                "{}{:02}:{:02}",
                if secs < 0 { '-' } else { '+' },
                a / 3600,
                a / 60 % 60
            )
        },
        d.clock_zone().to_text()
    )
}

fn put(d: &Device, xml: &str) -> Result<(), super::Status> {
    if !xml.contains("<Time") {
        return Err(BAD_CONTENT);
    }
    let manual = match element(xml, "timeMode") {
        None | Some("manual") => true,
        Some("NTP") => false,
        Some(_) => return Err(BAD_PARAMETERS),
    };
    let zone = element(xml, "timeZone")
        .map(|z| ZoneRule::parse(z).map_err(|_| BAD_PARAMETERS))
        .transpose()?;
    let local = element(xml, "localTime");
    if manual && local.is_none() {
        return Err(BAD_CONTENT);
    }
    // Check the time before changing anything.
    let time = local.filter(|_| manual).map(parse_time).transpose()?;
    if let Some(zone) = zone {
        d.set_clock_zone(zone);
    }
    d.config().ntp.enabled = !manual;
    match time {
        Some(LocalTime::Instant(t)) => d.set_clock_instant(t),
        Some(LocalTime::Wall(t)) => d.set_local_time(t).map_err(|_| BAD_PARAMETERS)?,
        None => {}
    }
    Ok(())
}

enum LocalTime {
    Instant(Timestamp),
    Wall(DateTime),
}

fn parse_time(s: &str) -> Result<LocalTime, super::Status> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(LocalTime::Instant(t));
    }
    s.parse::<DateTime>()
        .map(LocalTime::Wall)
        .map_err(|_| BAD_PARAMETERS)
}

#[cfg(test)]
mod tests {
    use crate::recordings::Clock;
    use crate::{Device, Pacing, Role, Scenario};

    fn dome(extra: &str) -> Device {
        let s = Scenario::parse(&format!(
            "[[device]]\nlabel = \"d\"\naddress = \"192.0.2.9\"\nkind = \"ipc\"\n{extra}\n\
             [[device.user]]\nname = \"admin\"\npassword = \"x\"\nrole = \"admin\"\n"
        ))
        .unwrap();
        let spec = s.devices.into_iter().next().unwrap();
        let d = Device::new(spec, Pacing::Realtime);
        d.recordings()
            .set_clock(Clock::Pinned("2026-12-01T00:00:00Z".parse().unwrap()));
        d
    }

    fn text(d: &Device, role: Role, method: &str, body: &str) -> (u16, String) {
        let a = d.isapi(role, method, "/ISAPI/System/time", body.as_bytes());
        (a.http_status, String::from_utf8(a.body).unwrap())
    }

    #[test]
    fn get_states_the_scenario_zone_and_put_sets_both() {
        let d = dome("time_zone = \"+08:00\"");
        let (code, doc) = text(&d, Role::Viewer, "GET", "");
        assert_eq!(code, 200);
        assert!(
            doc.contains("<localTime>2026-12-01T08:00:00+08:00</localTime>"),
            "{doc}"
        );
        assert!(doc.contains("<timeZone>CST-8:00:00</timeZone>"), "{doc}");
        let put = "<Time><timeMode>manual</timeMode><localTime>2027-01-02T03:04:05</localTime>\
                   <timeZone>CST+5:00:00</timeZone></Time>";
        assert_eq!(text(&d, Role::Viewer, "PUT", put).0, 403);
        assert_eq!(text(&d, Role::Admin, "PUT", put).0, 200);
        let (_, doc) = text(&d, Role::Viewer, "GET", "");
        assert!(
            doc.contains("<localTime>2027-01-02T03:04:05-05:00</localTime>"),
            "{doc}"
        );
        assert!(doc.contains("<timeZone>CST+5:00:00</timeZone>"), "{doc}");
        assert_eq!(d.clock_now().to_string(), "2027-01-02T08:04:05Z");
    }

    #[test]
    fn an_instant_is_kept_and_bad_documents_change_nothing() {
        let d = dome("");
        let put = "<Time><timeMode>manual</timeMode><localTime>2026-12-05T10:00:00+01:00</localTime></Time>";
        assert_eq!(text(&d, Role::Admin, "PUT", put).0, 200);
        assert_eq!(d.clock_now().to_string(), "2026-12-05T09:00:00Z");
        for bad in [
            "<Time><timeMode>manual</timeMode><localTime>yesterday</localTime></Time>",
            "<Time><timeMode>manual</timeMode><localTime>2026-12-05T10:00:00</localTime><timeZone>CST-99</timeZone></Time>",
            "<Time><timeMode>manual</timeMode></Time>",
            "<Other/>",
        ] {
            assert_eq!(text(&d, Role::Admin, "PUT", bad).0, 400, "{bad}");
        }
        assert_eq!(d.clock_now().to_string(), "2026-12-05T09:00:00Z");
        assert_eq!(d.clock_zone().to_text(), "CST+0:00:00");
    }

    #[test]
    fn time_mode_ntp_is_the_ntp_settings_switch_through_either_face() {
        let d = dome("");
        assert!(!d.ntp().enabled);
        let ntp = "<Time><timeMode>NTP</timeMode></Time>";
        assert_eq!(text(&d, Role::Admin, "PUT", ntp).0, 200);
        assert!(d.ntp().enabled, "the classic NTPCFG's byEnableNTP follows");
        let (_, doc) = text(&d, Role::Viewer, "GET", "");
        assert!(doc.contains("<timeMode>NTP</timeMode>"), "{doc}");
        let manual =
            "<Time><timeMode>manual</timeMode><localTime>2026-12-05T10:00:00</localTime></Time>";
        assert_eq!(text(&d, Role::Admin, "PUT", manual).0, 200);
        assert!(!d.ntp().enabled);
        let (_, doc) = text(&d, Role::Viewer, "GET", "");
        assert!(doc.contains("<timeMode>manual</timeMode>"), "{doc}");
    }
}
