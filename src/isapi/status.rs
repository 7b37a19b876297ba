//! [`ResponseStatus`]: the status document an ISAPI device answers a request with, read
//! from XML or JSON, and looked up in the ISAPI catalogue ([`crate::error::isapi`]).

use std::fmt;

use crate::error::isapi;
use crate::error::table::Entry;
use crate::error::{Category, Retry};

/// An ISAPI `ResponseStatus`: `statusCode` (1 is OK), `statusString`, `subStatusCode`
/// and, where the device sends one, the hex `errorCode` and `errorMsg`.
///
/// ```
/// use hcnetsdk::isapi::ResponseStatus;
///
/// let xml = "<ResponseStatus><requestURL>/ISAPI/Nope</requestURL><statusCode>4</statusCode>\
///            <statusString>Invalid Operation</statusString>\
///            <subStatusCode>notSupport</subStatusCode></ResponseStatus>";
/// let status = ResponseStatus::parse(xml.as_bytes()).unwrap();
/// assert_eq!(status.status_code, 4);
/// assert!(!status.is_ok());
/// assert_eq!(status.sub_status_code, "notSupport");
/// assert_eq!(status.error_code, None);
/// assert!(status.remediation().contains("capability"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ResponseStatus {
    /// `requestURL`, when the device echoes it.
    pub request_url: String,
    /// `statusCode`: 0 or 1 OK, 2 busy, 3 device error, 4 invalid operation, 5 bad format,
    /// 6 bad content, 7 reboot required, 9 additional error.
    pub status_code: u32,
    /// `statusString` as the device sent it.
    pub status_string: String,
    /// `subStatusCode` as the device sent it (e.g. `notSupport`, `badXmlContent`).
    pub sub_status_code: String,
    /// `errorCode` (e.g. `0x40000001`), when the device sends one.
    pub error_code: Option<u32>,
    /// `errorMsg`, when the device sends one.
    pub error_msg: String,
}

impl ResponseStatus {
    /// Read a `ResponseStatus` document (XML, or the JSON form of `?format=json`); `None`
    /// when `body` is not one (no `statusCode`).
    #[must_use]
    pub fn parse(body: &[u8]) -> Option<Self> {
        let text = std::str::from_utf8(trim_nul(body)).ok()?;
        let t = text.trim_start();
        if t.starts_with('{') {
            return Self::parse_json(t);
        }
        if !text.contains("ResponseStatus") {
            return None;
        }
        Some(Self {
            request_url: xml_text(text, "requestURL").unwrap_or_default(),
            status_code: xml_text(text, "statusCode")?.trim().parse().ok()?,
            status_string: xml_text(text, "statusString").unwrap_or_default(),
            sub_status_code: xml_text(text, "subStatusCode").unwrap_or_default(),
            error_code: xml_text(text, "errorCode").and_then(|v| parse_number(&v)),
            error_msg: xml_text(text, "errorMsg").unwrap_or_default(),
        })
    }

    fn parse_json(text: &str) -> Option<Self> {
        Some(Self {
            request_url: json_string(text, "requestURL").unwrap_or_default(),
            status_code: json_number(text, "statusCode")?,
            status_string: json_string(text, "statusString").unwrap_or_default(),
            sub_status_code: json_string(text, "subStatusCode").unwrap_or_default(),
            error_code: json_number(text, "errorCode"),
            error_msg: json_string(text, "errorMsg").unwrap_or_default(),
        })
    }

    /// Whether the device reported success (`statusCode` 0 or 1).
    #[must_use]
    pub fn is_ok(&self) -> bool {
        matches!(self.status_code, 0 | 1)
    }

    /// The catalogue's entry for the `subStatusCode` (by name under its `statusCode`, else
    /// by `errorCode`), if it has one.
    #[must_use]
    pub fn sub_status_entry(&self) -> Option<&'static Entry> {
        isapi::sub_status(self.status_code, &self.sub_status_code)
            .or_else(|| self.error_code.and_then(isapi::error_code))
    }

    /// The catalogue's entry for the `statusCode`.
    #[must_use]
    pub fn status_entry(&self) -> Option<&'static Entry> {
        isapi::status(self.status_code)
    }

    fn entry(&self) -> Option<&'static Entry> {
        self.sub_status_entry().or_else(|| self.status_entry())
    }

    /// What kind of failure it is (from the sub-status, else the status).
    #[must_use]
    pub fn category(&self) -> Category {
        self.entry().map_or(Category::Internal, |e| e.category)
    }

    /// Whether retrying can help (from the sub-status, else the status).
    #[must_use]
    pub fn retry(&self) -> Retry {
        self.entry().map_or(Retry::AfterFix, |e| e.retry)
    }

    /// What to do: the sub-status's remediation, else the status's. Never empty.
    #[must_use]
    pub fn remediation(&self) -> &'static str {
        self.entry().map_or(
            "Read the statusString and subStatusCode the device sent; check the URL, the \
             method and the body against the device's capabilities.",
            |e| e.remediation,
        )
    }

    /// The English meaning from the catalogue (sub-status first), else `statusString`.
    #[must_use]
    pub fn meaning(&self) -> &str {
        self.entry().map_or(&self.status_string, |e| e.message_en)
    }
}

impl fmt::Display for ResponseStatus {
    /// `statusCode 4 (Invalid Operation), subStatusCode notSupport (0x40000001)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "statusCode {}", self.status_code)?;
        if !self.status_string.is_empty() {
            write!(f, " ({})", self.status_string)?;
        }
        if !self.sub_status_code.is_empty() {
            write!(f, ", subStatusCode {}", self.sub_status_code)?;
        }
        if let Some(c) = self.error_code {
            write!(f, " (errorCode {c:#010x})")?;
        }
        Ok(())
    }
}

/// `body` up to its first NUL (the SDK's buffers are C strings).
pub(crate) fn trim_nul(body: &[u8]) -> &[u8] {
    let end = body.iter().position(|b| *b == 0).unwrap_or(body.len());
    &body[..end]
}

/// The text of the first `<tag>` element (any namespace prefix), entities decoded.
pub(crate) fn xml_text(doc: &str, tag: &str) -> Option<String> {
    let mut rest = doc;
    loop {
        let open = rest.find('<')?;
        rest = &rest[open + 1..];
        let name_end = rest.find(|c: char| c == '>' || c == '/' || c.is_whitespace())?;
        let name = &rest[..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        if local != tag {
            continue;
        }
        let gt = rest.find('>')?;
        if rest[..gt].ends_with('/') {
            return Some(String::new());
        }
        let body = &rest[gt + 1..];
        let end = body.find("</")?;
        return Some(unescape(body[..end].trim()));
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `0x40000001` or `1073741825`.
fn parse_number(v: &str) -> Option<u32> {
    let v = v.trim();
    match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// The raw value after `"key":` in a flat JSON object.
fn json_value<'a>(doc: &'a str, key: &str) -> Option<&'a str> {
    let quoted = format!("\"{key}\"");
    let at = doc.find(&quoted)?;
    let rest = doc[at + quoted.len()..].trim_start();
    Some(rest.strip_prefix(':')?.trim_start())
}

fn json_number(doc: &str, key: &str) -> Option<u32> {
    let v = json_value(doc, key)?;
    if let Some(s) = v.strip_prefix('"') {
        return parse_number(&s[..s.find('"')?]);
    }
    let end = v
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(v.len());
    parse_number(&v[..end])
}

fn json_string(doc: &str, key: &str) -> Option<String> {
    let v = json_value(doc, key)?.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_with_namespace_and_error_code() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<requestURL>/ISAPI/PTZCtrl/channels/1/continuous</requestURL>
<statusCode>6</statusCode>
<statusString>Invalid XML Content</statusString>
<subStatusCode>badXmlContent</subStatusCode>
<errorCode>0x60000003</errorCode>
<errorMsg>pan &amp; tilt</errorMsg>
</ResponseStatus>"#;
        let s = ResponseStatus::parse(xml).unwrap();
        assert_eq!(s.status_code, 6);
        assert_eq!(s.request_url, "/ISAPI/PTZCtrl/channels/1/continuous");
        assert_eq!(s.error_code, Some(0x6000_0003));
        assert_eq!(s.error_msg, "pan & tilt");
        assert_eq!(s.category(), Category::Parameter);
        assert_eq!(
            s.to_string(),
            "statusCode 6 (Invalid XML Content), subStatusCode badXmlContent (errorCode 0x60000003)"
        );
    }

    #[test]
    fn json_form() {
        let json = br#"{"requestURL":"/ISAPI/Nope","statusCode":4,"statusString":"Invalid Operation","subStatusCode":"notSupport","errorCode":1073741825,"errorMsg":"not \"here\""}"#;
        let s = ResponseStatus::parse(json).unwrap();
        assert_eq!(s.status_code, 4);
        assert_eq!(s.sub_status_code, "notSupport");
        assert_eq!(s.error_code, Some(0x4000_0001));
        assert_eq!(s.error_msg, "not \"here\"");
        assert_eq!(s.category(), Category::Unsupported);
    }

    #[test]
    fn other_documents_are_not_statuses() {
        assert_eq!(
            ResponseStatus::parse(b"<DeviceInfo><model>x</model></DeviceInfo>"),
            None
        );
        assert_eq!(ResponseStatus::parse(b"\xff\xd8\xff\xe0"), None);
        assert_eq!(ResponseStatus::parse(b""), None);
        let ok = ResponseStatus::parse(
            b"<ResponseStatus><statusCode>1</statusCode></ResponseStatus>\0junk",
        )
        .unwrap();
        assert!(ok.is_ok());
    }

    #[test]
    fn unknown_sub_status_falls_back_to_the_status() {
        let s = ResponseStatus {
            status_code: 4,
            sub_status_code: "somethingNew".into(),
            ..Default::default()
        };
        assert_eq!(s.remediation(), isapi::status(4).unwrap().remediation);
    }
}
