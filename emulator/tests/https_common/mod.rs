//! A hand-made ISAPI client for the emulator's tests: one request per connection, plain or
//! over TLS (rustls, trusting one certificate and checking it as a browser would), and the
//! session login hashed on its own.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_emulator::http::hash::{HashParams, session_login_hash};
use hcnetsdk_emulator::http::xml;
use rustls::pki_types::ServerName;

pub const ADMIN: (&str, &str) = ("admin", "Admin12345");

/// How to connect.
#[derive(Clone, Copy)]
pub enum Link<'a> {
    Plain,
    /// TLS to 127.0.0.1, trusting only this certificate (DER).
    Tls(&'a [u8]),
}

pub struct Answer {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Answer {
    pub fn element(&self, name: &str) -> Option<&str> {
        xml::element(&self.body, name)
    }
}

fn tls_client(trusted: &[u8]) -> io::Result<rustls::ClientConnection> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(trusted.to_vec().into())
        .map_err(io::Error::other)?;
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").map_err(io::Error::other)?;
    rustls::ClientConnection::new(Arc::new(config), name).map_err(io::Error::other)
}

/// One request; `Err` when the connection (or the TLS handshake) fails.
pub fn request(
    port: u16,
    link: Link<'_>,
    method: &str,
    target: &str,
    cookie: Option<&str>,
    body: &str,
) -> io::Result<Answer> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut tcp = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    tcp.set_read_timeout(Some(Duration::from_secs(20)))?;
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let text = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{cookie}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut raw = Vec::new();
    match link {
        Link::Plain => {
            tcp.write_all(text.as_bytes())?;
            tcp.read_to_end(&mut raw)?;
        }
        Link::Tls(trusted) => {
            let mut conn = tls_client(trusted)?;
            let mut s = rustls::Stream::new(&mut conn, &mut tcp);
            s.write_all(text.as_bytes())?;
            match s.read_to_end(&mut raw) {
                Ok(_) => {}
                // The face closes without close_notify after `Connection: close`.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
                Err(e) => return Err(e),
            }
        }
    }
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| io::Error::other(format!("no HTTP answer: {raw:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Answer {
        status,
        headers: head.to_owned(),
        body: body.to_owned(),
    })
}

/// The handshake: capabilities, then SessionLogin with the hash of `password`. The
/// answer, and the cookie on success.
pub fn login(
    port: u16,
    link: Link<'_>,
    (user, password): (&str, &str),
) -> io::Result<(Answer, Option<String>)> {
    let target = format!("/ISAPI/Security/sessionLogin/capabilities?username={user}&random=1");
    let cap = request(port, link, "GET", &target, None, "")?;
    assert_eq!(cap.status, 200, "{}", cap.body);
    let id = cap.element("sessionID").unwrap().to_owned();
    let params = HashParams {
        user,
        salt: cap.element("salt").unwrap(),
        challenge: cap.element("challenge").unwrap(),
        iterations: cap.element("iterations").unwrap().parse().unwrap(),
        irreversible: cap.element("isIrreversible") == Some("true"),
    };
    let hash = session_login_hash(&params, password);
    let body = format!(
        "<SessionLogin><userName>{user}</userName><password>{hash}</password>\
         <sessionID>{id}</sessionID></SessionLogin>"
    );
    let answer = request(
        port,
        link,
        "POST",
        "/ISAPI/Security/sessionLogin",
        None,
        &body,
    )?;
    let cookie = (answer.status == 200).then(|| format!("WebSession={id}"));
    Ok((answer, cookie))
}
