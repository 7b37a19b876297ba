//! [`probe_port`]: ask a TCP port what it speaks (HTTP, RTSP, TLS, silence), so that a
//! failed login can be diagnosed from what answered instead of from the code alone.
//!
//! The probe is bounded (one connect, a few hundred bytes, short timeouts) and sends
//! nothing secret: an RTSP `OPTIONS *` request (which HTTP servers answer with an HTTP
//! status and RTSP servers with an RTSP one) and, if nothing answered, a TLS ClientHello
//! on a second connection. It does not try to recognise Hikvision's private protocol.

use std::io::{ErrorKind as IoKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// What a port answered to [`probe_port`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortAnswer {
    /// An HTTP server (a device's web port, 80 by default): its status line.
    Http {
        /// E.g. `HTTP/1.1 400 Bad Request`.
        status_line: String,
    },
    /// An RTSP server (a device's streaming port, 554 by default): its status line.
    Rtsp {
        /// E.g. `RTSP/1.0 200 OK`.
        status_line: String,
    },
    /// A TLS server (HTTPS, 443 by default): it answered a ClientHello, or spoke TLS first.
    Tls,
    /// It accepted the connection and closed it without a byte.
    Closed,
    /// It accepted the connection and sent nothing within the timeout: not an HTTP, RTSP
    /// or TLS service, or an overloaded one. (An SDK port may also stay silent to this
    /// probe.)
    Silent,
    /// Something else: the first bytes, as printable text (`.` for other bytes).
    Other {
        /// At most 32 bytes, made printable.
        preview: String,
    },
    /// The connection itself failed (refused, timeout, no route).
    Unreachable {
        /// The OS error.
        why: String,
    },
}

impl PortAnswer {
    /// A short machine-readable word: `http`, `rtsp`, `tls`, `closed`, `silent`, `other`,
    /// `unreachable`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            PortAnswer::Http { .. } => "http",
            PortAnswer::Rtsp { .. } => "rtsp",
            PortAnswer::Tls => "tls",
            PortAnswer::Closed => "closed",
            PortAnswer::Silent => "silent",
            PortAnswer::Other { .. } => "other",
            PortAnswer::Unreachable { .. } => "unreachable",
        }
    }

    /// Whether the answer names a service other than the one a login of this mode needs
    /// (`isapi`: `LoginMode::Isapi`, for which HTTP is right): then retrying the same login
    /// cannot help. Silence, a bare close or an odd answer name no service (an overloaded
    /// device does the same), so they are `false`.
    #[must_use]
    pub fn is_other_service(&self, isapi: bool) -> bool {
        match self {
            PortAnswer::Http { .. } => !isapi,
            PortAnswer::Rtsp { .. } | PortAnswer::Tls => true,
            _ => false,
        }
    }

    /// One sentence for people about what the port is and, for a private-protocol login,
    /// what to do; `isapi` says the caller logs in with `LoginMode::Isapi`, for which an
    /// HTTP port is right. `None` when the answer says nothing useful (unreachable).
    #[must_use]
    pub fn diagnosis(&self, port: u16, isapi: bool) -> Option<String> {
        let sdk = "the SDK port is 8000 unless it was changed (web page: Network > Port, \"Server Port\")";
        Some(match self {
            PortAnswer::Http { status_line } if isapi => format!(
                "port {port} speaks HTTP ({status_line}): the right port for an ISAPI login"
            ),
            PortAnswer::Http { status_line } => format!(
                "port {port} speaks HTTP ({status_line}): it is the device's web port, not its SDK port; \
                 {sdk}, or log in on this port with the ISAPI login mode (LoginMode::Isapi)"
            ),
            PortAnswer::Rtsp { status_line } => format!(
                "port {port} speaks RTSP ({status_line}): it is the device's streaming port (554 by default), \
                 not its SDK port; {sdk}"
            ),
            PortAnswer::Tls if isapi => format!(
                "port {port} speaks TLS: an HTTPS port; for an ISAPI login there, turn on HTTPS (LoginBuilder::https(true))"
            ),
            PortAnswer::Tls => format!(
                "port {port} speaks TLS (HTTPS, 443 by default), not the SDK protocol; {sdk}, \
                 or use the ISAPI login mode with HTTPS on this port"
            ),
            PortAnswer::Closed => format!(
                "port {port} accepted the connection and closed it without answering: an IP address filter, \
                 a device out of connections, or not the SDK port ({sdk})"
            ),
            PortAnswer::Silent => format!(
                "port {port} accepted the connection but answered nothing to an HTTP/RTSP/TLS probe: \
                 not a web or streaming service, or an overloaded one; if logins time out here, {sdk}"
            ),
            PortAnswer::Other { preview } => {
                format!("port {port} answered {preview:?}, which is not HTTP, RTSP or TLS")
            }
            PortAnswer::Unreachable { .. } => return None,
        })
    }
}

/// The first request: RTSP `OPTIONS *` (HTTP servers answer it with an HTTP status line).
const OPTIONS: &[u8] = b"OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: hcnetsdk-probe\r\n\r\n";

/// Ask `addr` what it speaks: at most `timeout` to connect and `timeout` per read, at
/// most 512 bytes read, two connections. Never sends credentials.
///
/// Connect only to addresses you mean to reach; the probe itself chooses none.
#[must_use]
pub fn probe_port(addr: SocketAddr, timeout: Duration) -> PortAnswer {
    let first = match exchange(addr, timeout, OPTIONS) {
        Ok(bytes) => bytes,
        Err(why) => return PortAnswer::Unreachable { why },
    };
    match first {
        Some(bytes) if !bytes.is_empty() => classify(&bytes),
        quiet => {
            // Nothing (or a close): a TLS server waits for a ClientHello.
            match exchange(addr, timeout, &client_hello()) {
                Ok(Some(b)) if is_tls(&b) => PortAnswer::Tls,
                _ if quiet.is_none() => PortAnswer::Silent,
                _ => PortAnswer::Closed,
            }
        }
    }
}

/// One connection: send `request`, read what comes back. `Ok(None)` on silence,
/// `Ok(Some(empty))` when the peer closed, `Err` when the connection failed.
fn exchange(
    addr: SocketAddr,
    timeout: Duration,
    request: &[u8],
) -> Result<Option<Vec<u8>>, String> {
    let mut s = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    let _ = s.set_write_timeout(Some(timeout));
    let _ = s.write_all(request);
    let deadline = Instant::now() + timeout;
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while got.len() < 512 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let _ = s.set_read_timeout(Some(left));
        match s.read(&mut buf[..512 - got.len()]) {
            Ok(0) => return Ok(Some(got)),
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if got.contains(&b'\n') || is_tls(&got) {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), IoKind::WouldBlock | IoKind::TimedOut) => break,
            Err(e) if e.kind() == IoKind::Interrupted => {}
            Err(_) => return Ok(Some(got)),
        }
    }
    Ok((!got.is_empty()).then_some(got))
}

/// An HTML document's first bytes (`<!DOCTYPE html`, `<html`), any case, after white space.
fn looks_like_html(b: &[u8]) -> bool {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let head: Vec<u8> = b[start..]
        .iter()
        .take(14)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

fn is_tls(b: &[u8]) -> bool {
    // A handshake (0x16) or an alert (0x15) record of TLS/SSL 3.x.
    b.len() >= 2 && matches!(b[0], 0x15 | 0x16) && b[1] == 0x03
}

fn classify(bytes: &[u8]) -> PortAnswer {
    let line = || {
        let end = bytes
            .iter()
            .position(|&c| c == b'\r' || c == b'\n')
            .unwrap_or(bytes.len());
        printable(&bytes[..end.min(64)])
    };
    if bytes.starts_with(b"HTTP/1.") || bytes.starts_with(b"HTTP/2") {
        PortAnswer::Http {
            status_line: line(),
        }
    } else if looks_like_html(bytes) {
        // A web server that rejected the RTSP request line with a bare error page (HTTP/0.9
        // style, no status line), as Python's http.server and some embedded servers do.
        PortAnswer::Http {
            status_line: format!("an HTML page without a status line: {}", line()),
        }
    } else if bytes.starts_with(b"RTSP/1.") {
        PortAnswer::Rtsp {
            status_line: line(),
        }
    } else if is_tls(bytes) {
        PortAnswer::Tls
    } else {
        PortAnswer::Other {
            preview: printable(&bytes[..bytes.len().min(32)]),
        }
    }
}

fn printable(b: &[u8]) -> String {
    b.iter()
        .map(|&c| {
            if c.is_ascii_graphic() || c == b' ' {
                c as char
            } else {
                '.'
            }
        })
        .collect()
}

/// A minimal TLS 1.2 ClientHello (no extensions; a few common cipher suites): enough for a
/// TLS server to answer with a ServerHello or an alert.
fn client_hello() -> Vec<u8> {
    const SUITES: [u16; 6] = [0xc02f, 0xc030, 0xc02b, 0x009c, 0x002f, 0x0035];
    let mut body = vec![0x03, 0x03];
    body.extend((0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(11)));
    body.push(0); // session id
    body.extend_from_slice(&((SUITES.len() * 2) as u16).to_be_bytes());
    for s in SUITES {
        body.extend_from_slice(&s.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // compression: null
    let mut hs = vec![0x01, 0, 0, 0];
    hs[1..4].copy_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend(body);
    let mut rec = vec![0x16, 0x03, 0x01];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend(hs);
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_first_bytes() {
        assert_eq!(classify(b"HTTP/1.1 400 Bad Request\r\n").kind(), "http");
        // A bare error page (Python's http.server answers an RTSP request line so).
        assert_eq!(
            classify(b"<!DOCTYPE HTML>\n<html lang=\"en\">").kind(),
            "http"
        );
        assert_eq!(classify(b"\r\n<HTML><HEAD>").kind(), "http");
        assert_eq!(classify(b"<?xml version=").kind(), "other");
        assert_eq!(classify(b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n").kind(), "rtsp");
        assert_eq!(classify(&[0x16, 0x03, 0x03, 0x00, 0x31]).kind(), "tls");
        assert_eq!(classify(&[0x15, 0x03, 0x01, 0x00, 0x02]).kind(), "tls");
        assert_eq!(
            classify(b"SSH-2.0-x\x00\x01"),
            PortAnswer::Other {
                preview: "SSH-2.0-x..".into()
            }
        );
    }

    #[test]
    fn client_hello_lengths_are_consistent() {
        let h = client_hello();
        assert_eq!(&h[..3], &[0x16, 0x03, 0x01]);
        assert_eq!(usize::from(u16::from_be_bytes([h[3], h[4]])), h.len() - 5);
        assert_eq!(h[5], 0x01);
    }

    #[test]
    fn diagnosis_names_the_sdk_port_unless_isapi() {
        let http = PortAnswer::Http {
            status_line: "HTTP/1.1 400 Bad Request".into(),
        };
        let d = http.diagnosis(18081, false).unwrap();
        assert!(
            d.contains("web port") && d.contains("8000") && d.contains("Isapi"),
            "{d}"
        );
        let d = http.diagnosis(80, true).unwrap();
        assert!(d.contains("right port"), "{d}");
    }
}
