//! With `--isapi`: what the device's RTSP port asks for. The real SDK previews over RTSP in
//! the ISAPI login mode, and it sends `admin:<password>` in clear (Basic, base64) on every
//! RTSP request to a port that asks for Basic (measured: `emulator/README.md`, "Credentials
//! in clear"). So the doctor sends one `DESCRIBE` without credentials to the RTSP port
//! (`--rtsp-port`, else the `RTSP` entry of the device's `Security/adminAccesses`, else
//! 554) and reads the `WWW-Authenticate` headers of the answer. Basic, or no
//! authentication at all, is a warning on the preview check; it does not fail the run.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use hcnetsdk::{Endpoint, Session};
use serde_json::json;

use crate::report::Check;

/// How long the probe waits for the connection and for the answer.
const TIMEOUT: Duration = Duration::from_secs(3);
/// The port the real SDK uses when `adminAccesses` names none.
const DEFAULT_RTSP_PORT: u16 = 554;

/// What the RTSP port asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RtspAuth {
    /// A `Basic` challenge (alone or beside Digest): the password would go in clear.
    Basic,
    /// Only `Digest`.
    Digest,
    /// The SDP without any credentials.
    Open,
    /// Another answer (the status line).
    Other(String),
    /// No answer (why).
    Unreachable(String),
}

impl RtspAuth {
    fn key(&self) -> &'static str {
        match self {
            RtspAuth::Basic => "basic",
            RtspAuth::Digest => "digest",
            RtspAuth::Open => "none",
            RtspAuth::Other(_) => "unknown",
            RtspAuth::Unreachable(_) => "unreachable",
        }
    }

    fn warns(&self) -> bool {
        matches!(self, RtspAuth::Basic | RtspAuth::Open)
    }

    /// The line the check shows.
    fn line(&self, port: u16) -> String {
        match self {
            RtspAuth::Basic => format!(
                "warning: RTSP port {port} asks for Basic authentication: the SDK then sends the user \
                 and password in clear (base64) with every RTSP request. Set the device's RTSP \
                 authentication to digest (Configuration > System > Security > Authentication)."
            ),
            RtspAuth::Digest => format!(
                "RTSP port {port} asks for Digest authentication: the password is not sent in clear"
            ),
            RtspAuth::Open => format!(
                "warning: RTSP port {port} streams without credentials: anyone who reaches it can \
                 watch, and the SDK sends the password as Basic in a second DESCRIBE when the \
                 SDP lacks the IMKH line. Turn RTSP authentication on (digest)."
            ),
            RtspAuth::Other(status) => {
                format!("RTSP port {port}: DESCRIBE without credentials got \"{status}\"")
            }
            RtspAuth::Unreachable(why) => {
                format!("RTSP authentication not checked: port {port}: {why}")
            }
        }
    }
}

/// The `portNo` of the `RTSP` entry (any case) of an `AdminAccessProtocolList`.
pub fn admin_accesses_rtsp_port(xml: &str) -> Option<u16> {
    xml.split("<AdminAccessProtocol")
        .skip(1)
        .find(|entry| element(entry, "protocol").is_some_and(|p| p.eq_ignore_ascii_case("rtsp")))
        .and_then(|entry| element(entry, "portNo")?.parse().ok())
}

fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find("</")?;
    Some(xml[start..start + end].trim())
}

/// Send one `DESCRIBE` without credentials to `host:port` and classify the answer.
pub fn probe(host: &str, port: u16, channel: u32) -> RtspAuth {
    let addr = match (host, port).to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(a)) => a,
        Ok(None) => return RtspAuth::Unreachable(format!("{host} has no address")),
        Err(e) => return RtspAuth::Unreachable(format!("{host}: {e}")),
    };
    let mut stream = match TcpStream::connect_timeout(&addr, TIMEOUT) {
        Ok(s) => s,
        Err(e) => return RtspAuth::Unreachable(format!("no TCP connection ({e})")),
    };
    let url = format!(
        "rtsp://{}/ISAPI/Streaming/channels/{channel}01",
        Endpoint::new(host, port)
    );
    let request = format!(
        "DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\
         User-Agent: hcnet doctor\r\n\r\n"
    );
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    if let Err(e) = stream.write_all(request.as_bytes()) {
        return RtspAuth::Unreachable(format!("sending DESCRIBE failed ({e})"));
    }
    match read_head(&mut stream) {
        Ok(head) => classify(&head),
        Err(why) => RtspAuth::Unreachable(why),
    }
}

/// The answer's status line and headers (up to the blank line, at most 16 KiB).
fn read_head(stream: &mut TcpStream) -> Result<String, String> {
    let deadline = Instant::now() + TIMEOUT;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 << 10 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if head.is_empty() => return Err(format!("no answer to DESCRIBE ({e})")),
            Err(_) => break,
        }
    }
    if head.is_empty() {
        return Err("the port closed the connection without answering DESCRIBE".into());
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// Classify an RTSP answer head by its status and `WWW-Authenticate` headers.
pub fn classify(head: &str) -> RtspAuth {
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("").trim().to_owned();
    if !status.starts_with("RTSP/") {
        return RtspAuth::Other(status);
    }
    let schemes: Vec<String> = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, value)| value.trim().to_ascii_lowercase())
        .collect();
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if schemes.iter().any(|s| s.starts_with("basic")) {
        RtspAuth::Basic
    } else if schemes.iter().any(|s| s.starts_with("digest")) {
        RtspAuth::Digest
    } else if code == "200" {
        RtspAuth::Open
    } else {
        RtspAuth::Other(status)
    }
}

/// The RTSP port to probe and where it came from.
fn rtsp_port(session: &Session, flag: Option<u16>) -> (u16, &'static str) {
    if let Some(port) = flag {
        return (port, "--rtsp-port");
    }
    let answer = session.isapi().get("/ISAPI/Security/adminAccesses");
    match answer
        .ok()
        .and_then(|r| admin_accesses_rtsp_port(&r.text()))
    {
        Some(port) => (port, "adminAccesses"),
        None => (DEFAULT_RTSP_PORT, "default"),
    }
}

/// Add what the RTSP port asks for to `check` (the preview check of an ISAPI login): one
/// line (a warning for Basic or none) and `data.rtsp_auth`.
pub fn annotate(
    check: Check,
    session: &Session,
    host: &str,
    flag: Option<u16>,
    channel: u32,
) -> Check {
    let (port, from) = rtsp_port(session, flag);
    let auth = probe(host, port, channel);
    let mut check = check.detail(auth.line(port));
    check.data["rtsp_auth"] = json!({
        "port": port,
        "port_from": from,
        "scheme": auth.key(),
        "warning": auth.warns(),
    });
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified_by_their_challenges() {
        let basic =
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n";
        assert_eq!(classify(basic), RtspAuth::Basic);
        let both = "RTSP/1.0 401 Unauthorized\r\nwww-authenticate: Digest realm=\"x\", nonce=\"n\"\r\n\
                    WWW-Authenticate: Basic realm=\"x\"\r\n\r\n";
        assert_eq!(classify(both), RtspAuth::Basic);
        let digest = "RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"x\", nonce=\"n\"\r\n\r\n";
        assert_eq!(classify(digest), RtspAuth::Digest);
        assert_eq!(
            classify("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"),
            RtspAuth::Open
        );
        assert_eq!(
            classify("RTSP/1.0 404 Not Found\r\n\r\n"),
            RtspAuth::Other("RTSP/1.0 404 Not Found".into())
        );
        assert!(matches!(
            classify("HTTP/1.1 400 Bad Request\r\n\r\n"),
            RtspAuth::Other(_)
        ));
    }

    #[test]
    fn the_rtsp_entry_of_admin_accesses() {
        let xml = "<AdminAccessProtocolList>\n<AdminAccessProtocol version=\"2.0\">\n<id>1</id>\n\
                   <protocol>HTTP</protocol>\n<portNo>80</portNo>\n</AdminAccessProtocol>\n\
                   <AdminAccessProtocol>\n<protocol>rtsp</protocol>\n<portNo>10554</portNo>\n\
                   </AdminAccessProtocol>\n</AdminAccessProtocolList>";
        assert_eq!(admin_accesses_rtsp_port(xml), Some(10554));
        assert_eq!(admin_accesses_rtsp_port("<AdminAccessProtocolList/>"), None);
    }
}
