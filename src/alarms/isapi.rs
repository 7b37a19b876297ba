//! The ISAPI `EventNotificationAlert` of `COMM_ISAPI_ALARM`, as XML (`roxmltree`) or JSON
//! (`serde_json`).

use super::types::IsapiAlert;

/// Parse the document; `None` if it is neither an XML `EventNotificationAlert` nor a JSON
/// object with an `eventType`. `json_hint`: the SDK said JSON (`byDataType` 2); the first
/// byte decides otherwise.
pub(crate) fn parse_alert(doc: &[u8], json_hint: bool) -> Option<IsapiAlert> {
    let text = String::from_utf8_lossy(doc);
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if json_hint || text.starts_with('{') {
        parse_json(text)
    } else {
        parse_xml(text)
    }
}

fn parse_xml(text: &str) -> Option<IsapiAlert> {
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "EventNotificationAlert" {
        return None;
    }
    let child = |name: &str| {
        root.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned())
    };
    let channel = child("channelID")
        .or_else(|| child("dynChannelID"))
        .and_then(|c| c.parse().ok());
    Some(IsapiAlert {
        event_type: child("eventType")?,
        event_state: child("eventState"),
        description: child("eventDescription"),
        channel,
        date_time: child("dateTime"),
        json: false,
        document: text.to_owned(),
    })
}

fn parse_json(text: &str) -> Option<IsapiAlert> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    // Some devices wrap the alert: {"EventNotificationAlert": {...}}.
    let o = v.get("EventNotificationAlert").unwrap_or(&v);
    let s = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let channel = ["channelID", "dynChannelID"].iter().find_map(|k| {
        let x = o.get(*k)?;
        x.as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
    });
    Some(IsapiAlert {
        event_type: s("eventType")?,
        event_state: s("eventState"),
        description: s("eventDescription"),
        channel,
        date_time: s("dateTime"),
        json: true,
        document: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_alert_with_namespace() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<ipAddress>192.0.2.10</ipAddress><channelID>1</channelID>
<dateTime>2026-12-06T08:00:00+08:00</dateTime><activePostCount>1</activePostCount>
<eventType>VMD</eventType><eventState>active</eventState>
<eventDescription>Motion alarm</eventDescription></EventNotificationAlert>"#;
        let a = parse_alert(doc, false).unwrap();
        assert_eq!(a.event_type, "VMD");
        assert_eq!(a.channel, Some(1));
        assert_eq!(a.event_state.as_deref(), Some("active"));
        assert_eq!(a.date_time.as_deref(), Some("2026-12-06T08:00:00+08:00"));
        assert!(!a.json);
    }

    #[test]
    fn json_alert_plain_and_wrapped() {
        let a = parse_alert(
            br#"{"eventType":"linedetection","channelID":"2","eventState":"active"}"#,
            false,
        )
        .unwrap();
        assert_eq!(
            (a.event_type.as_str(), a.channel, a.json),
            ("linedetection", Some(2), true)
        );
        let b = parse_alert(
            br#"{"EventNotificationAlert":{"eventType":"VMD","channelID":3}}"#,
            true,
        )
        .unwrap();
        assert_eq!((b.event_type.as_str(), b.channel), ("VMD", Some(3)));
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse_alert(b"<ResponseStatus/>", false).is_none());
        assert!(parse_alert(b"not xml", false).is_none());
        assert!(parse_alert(b"{\"x\":1}", true).is_none());
        assert!(parse_alert(&[0xff, 0xfe, 0], false).is_none());
    }
}
