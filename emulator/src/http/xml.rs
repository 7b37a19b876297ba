//! The XML the face reads and writes: the login documents, `userCheck` and
//! `ResponseStatus`, shaped as devices send them.

use std::time::Duration;

/// The `Content-Type` devices send with XML.
pub const XML_CONTENT_TYPE: &str = "application/xml; charset=\"UTF-8\"";

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\"";

/// The text of the first `<name>` element (namespace prefixes and attributes allowed),
/// trimmed; `None` when there is none.
pub fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = xml;
    loop {
        let lt = rest.find('<')?;
        rest = &rest[lt + 1..];
        let tag_end = rest.find('>')?;
        let tag = &rest[..tag_end];
        let tag_name = tag.split_whitespace().next().unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or("");
        if local == name && !tag.ends_with('/') {
            let body = &rest[tag_end + 1..];
            let close = body.find("</")?;
            return Some(body[..close].trim());
        }
        rest = &rest[tag_end..];
    }
}

/// Escape text for an element.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What `GET /ISAPI/Security/sessionLogin/capabilities` answers.
#[derive(Debug, Clone, Copy)]
pub struct Cap<'a> {
    /// `sessionID` (64 hex), the later `WebSession` cookie.
    pub session_id: &'a str,
    /// `challenge` (32 hex).
    pub challenge: &'a str,
    /// `iterations`.
    pub iterations: u32,
    /// `isIrreversible`.
    pub irreversible: bool,
    /// `salt` (64 hex).
    pub salt: &'a str,
}

/// `SessionLoginCap`.
pub fn session_login_cap(cap: &Cap<'_>) -> String {
    format!(
        "{HEAD}<SessionLoginCap {NS}>\n<sessionID>{}</sessionID>\n<challenge>{}</challenge>\n\
         <iterations>{}</iterations>\n<isSupportRTSPWithSession>true</isSupportRTSPWithSession>\n\
         <isIrreversible>{}</isIrreversible>\n<salt>{}</salt>\n</SessionLoginCap>\n",
        cap.session_id, cap.challenge, cap.iterations, cap.irreversible, cap.salt
    )
}

/// `SessionLogin` with statusValue 200, the answer to a right password.
pub fn session_login_ok(session_id: &str) -> String {
    format!(
        "{HEAD}<SessionLogin {NS}>\n<statusValue>200</statusValue>\n<statusString>OK</statusString>\n\
         <isDefaultPassword>false</isDefaultPassword>\n<isRiskPassword>false</isRiskPassword>\n\
         <isActivated>true</isActivated>\n<sessionID>{session_id}</sessionID>\n\
         <sessionIDVersion>2</sessionIDVersion>\n</SessionLogin>\n"
    )
}

/// The account's state in a `userCheck` 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Not locked: attempts left before the lock (`retryLoginTime`; omitted when `None`).
    Unlocked(Option<u32>),
    /// Locked for this much longer (`unlockTime`, seconds).
    Locked(Duration),
}

/// `userCheck` with statusValue 401, as devices answer a wrong password, a locked
/// account, or a request without a valid session.
pub fn user_check_401(lock: Lock) -> String {
    let (status, unlock, retry) = match lock {
        Lock::Unlocked(retry) => ("unlock", 0, retry),
        Lock::Locked(d) => ("lock", d.as_secs().max(1), Some(0)),
    };
    let retry = retry
        .map(|n| format!("<retryLoginTime>{n}</retryLoginTime>\n"))
        .unwrap_or_default();
    format!(
        "{HEAD}<userCheck {NS}>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n\
         <isDefaultPassword>false</isDefaultPassword>\n<isRiskPassword>false</isRiskPassword>\n\
         <isActivated>true</isActivated>\n<lockStatus>{status}</lockStatus>\n<unlockTime>{unlock}</unlockTime>\n\
         {retry}</userCheck>\n"
    )
}

/// A `ResponseStatus`: `code` 1 is OK; otherwise the device's statusCode and subStatusCode.
pub fn response_status(url: &str, code: u32, sub: &str) -> String {
    let text = match code {
        1 => "OK",
        2 => "Device Busy",
        3 => "Device Error",
        4 => "Invalid Operation",
        5 => "Invalid XML Format",
        6 => "Invalid XML Content",
        7 => "Reboot Required",
        _ => "Additional Error",
    };
    format!(
        "{HEAD}<ResponseStatus {NS}>\n<requestURL>{}</requestURL>\n<statusCode>{code}</statusCode>\n\
         <statusString>{text}</statusString>\n<subStatusCode>{}</subStatusCode>\n</ResponseStatus>\n",
        escape(url),
        escape(sub)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_reads_plain_and_prefixed_tags() {
        let x = "<?xml version=\"1.0\"?><SessionLogin xmlns=\"x\"><userName> admin </userName>\
                 <hik:password a=\"1\">abc</hik:password><empty/><sessionID>s</sessionID></SessionLogin>";
        assert_eq!(element(x, "userName"), Some("admin"));
        assert_eq!(element(x, "password"), Some("abc"));
        assert_eq!(element(x, "sessionID"), Some("s"));
        assert_eq!(element(x, "empty"), None);
        assert_eq!(element(x, "missing"), None);
    }

    #[test]
    fn user_check_shapes() {
        let wrong = user_check_401(Lock::Unlocked(Some(4)));
        assert_eq!(element(&wrong, "lockStatus"), Some("unlock"));
        assert_eq!(element(&wrong, "retryLoginTime"), Some("4"));
        let locked = user_check_401(Lock::Locked(Duration::from_secs(1795)));
        assert_eq!(element(&locked, "lockStatus"), Some("lock"));
        assert_eq!(element(&locked, "unlockTime"), Some("1795"));
        assert_eq!(element(&locked, "retryLoginTime"), Some("0"));
    }
}
