//! The HTTP face's session login, driven by a hand-made HTTP/1.1 client over a raw
//! `TcpStream`: capabilities, the hash (computed here independently of the library),
//! the cookie, the 401s, the lock, logout, the device's 404 and the request log.

mod http_fixture;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_emulator::http::{HttpConfig, HttpFace, Route};
use http_fixture::{Fixture, MAX_ATTEMPTS, PASSWORD, SERIAL, USER};
use sha2::{Digest, Sha256};

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn element(&self, name: &str) -> Option<&str> {
        let open = format!("<{name}>");
        let start = self.body.find(&open)? + open.len();
        let end = self.body[start..].find("</")?;
        Some(&self.body[start..start + end])
    }
}

fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    cookie: Option<&str>,
    body: &str,
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{cookie}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn sha(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The web client's derivation, written out here on its own.
fn client_hash(cap: &Answer, user: &str, password: &str) -> String {
    let challenge = cap.element("challenge").unwrap();
    let iterations: u32 = cap.element("iterations").unwrap().parse().unwrap();
    if cap.element("isIrreversible") == Some("true") {
        let salt = cap.element("salt").unwrap();
        let mut h = sha(&(sha(&format!("{user}{salt}{password}")) + challenge));
        for _ in 2..iterations {
            h = sha(&h);
        }
        h
    } else {
        let mut h = sha(password) + challenge;
        for _ in 1..iterations {
            h = sha(&h);
        }
        h
    }
}

fn capabilities(addr: SocketAddr, user: &str) -> Answer {
    let cap = request(
        addr,
        "GET",
        &format!("/ISAPI/Security/sessionLogin/capabilities?username={user}&random=18529588"),
        None,
        "",
    );
    assert_eq!(cap.status, 200, "{}", cap.body);
    assert!(cap.body.contains("<SessionLoginCap "), "{}", cap.body);
    cap
}

fn login_body(user: &str, hash: &str, session_id: &str) -> String {
    format!(
        "<SessionLogin><userName>{user}</userName><password>{hash}</password>\
         <sessionID>{session_id}</sessionID><isSessionIDValidLongTerm>true</isSessionIDValidLongTerm>\
         <sessionIDVersion>2</sessionIDVersion></SessionLogin>"
    )
}

/// Capabilities then SessionLogin with `password`.
fn login(addr: SocketAddr, password: &str) -> (Answer, String) {
    let cap = capabilities(addr, USER);
    let id = cap.element("sessionID").unwrap().to_owned();
    let body = login_body(USER, &client_hash(&cap, USER, password), &id);
    (
        request(
            addr,
            "POST",
            "/ISAPI/Security/sessionLogin?timeStamp=1",
            None,
            &body,
        ),
        id,
    )
}

fn face() -> HttpFace {
    HttpFace::bind(Arc::new(Fixture::default())).unwrap()
}

#[test]
fn binds_loopback_only_and_shuts_down() {
    let face = face();
    let addr = face.addr();
    assert!(addr.ip().is_loopback(), "{addr}");
    assert_ne!(addr.port(), 0);
    assert_eq!(face.port(), addr.port());
    face.shutdown();
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens after shutdown"
    );
}

#[test]
fn capabilities_have_the_device_shape() {
    let face = face();
    let cap = capabilities(face.addr(), USER);
    assert_eq!(cap.element("sessionID").unwrap().len(), 64);
    assert_eq!(cap.element("challenge").unwrap().len(), 32);
    assert_eq!(cap.element("iterations"), Some("100"));
    assert_eq!(cap.element("isIrreversible"), Some("true"));
    let salt = cap.element("salt").unwrap();
    assert_eq!(salt.len(), 64);
    // A user keeps the salt; each request gets a new session and challenge.
    let again = capabilities(face.addr(), USER);
    assert_eq!(again.element("salt"), Some(salt));
    assert_ne!(again.element("sessionID"), cap.element("sessionID"));
    assert_ne!(again.element("challenge"), cap.element("challenge"));
}

#[test]
fn right_password_logs_in_with_a_cookie_and_logout_ends_it() {
    let face = face();
    let addr = face.addr();
    let no_cookie = request(addr, "GET", "/ISAPI/System/deviceInfo", None, "");
    assert_eq!(no_cookie.status, 401);
    assert_eq!(no_cookie.element("statusValue"), Some("401"));

    let (ok, id) = login(addr, PASSWORD);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.element("statusValue"), Some("200"));
    let set_cookie = ok.header("Set-Cookie").unwrap();
    assert!(
        set_cookie.starts_with(&format!("WebSession={id};")),
        "{set_cookie}"
    );
    let cookie = format!("WebSession={id}");
    assert_eq!(face.open_sessions(), 1);

    let info = request(addr, "GET", "/ISAPI/System/deviceInfo", Some(&cookie), "");
    assert_eq!(info.status, 200);
    assert_eq!(info.element("serialNumber"), Some(SERIAL));
    let forged = request(
        addr,
        "GET",
        "/ISAPI/System/deviceInfo",
        Some("WebSession=00"),
        "",
    );
    assert_eq!(forged.status, 401);

    // A challenge is answered once.
    let replay = request(
        addr,
        "POST",
        "/ISAPI/Security/sessionLogin",
        None,
        &login_body(USER, "0", &id),
    );
    assert_eq!(replay.status, 401);

    let out = request(
        addr,
        "PUT",
        "/ISAPI/Security/sessionLogout",
        Some(&cookie),
        "",
    );
    assert_eq!(out.status, 200);
    assert_eq!(out.element("statusCode"), Some("1"));
    assert_eq!(face.open_sessions(), 0);
    let after = request(addr, "GET", "/ISAPI/System/deviceInfo", Some(&cookie), "");
    assert_eq!(after.status, 401);
}

#[test]
fn reversible_hash_when_the_device_says_so() {
    let config = HttpConfig {
        iterations: 7,
        irreversible: false,
    };
    let face = HttpFace::bind_with(Arc::new(Fixture::default()), config).unwrap();
    let (ok, _) = login(face.addr(), PASSWORD);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let (bad, _) = login(face.addr(), "wrong");
    assert_eq!(bad.status, 401);
}

#[test]
fn wrong_passwords_count_down_then_lock() {
    let face = face();
    let addr = face.addr();
    for left in (1..MAX_ATTEMPTS).rev() {
        let (bad, _) = login(addr, "wrong");
        assert_eq!(bad.status, 401, "{}", bad.body);
        assert!(bad.body.contains("<userCheck "), "{}", bad.body);
        assert_eq!(bad.element("lockStatus"), Some("unlock"));
        assert_eq!(bad.element("unlockTime"), Some("0"));
        assert_eq!(
            bad.element("retryLoginTime"),
            Some(left.to_string().as_str())
        );
    }
    let (locked, _) = login(addr, "wrong");
    assert_eq!(locked.status, 401);
    assert_eq!(locked.element("lockStatus"), Some("lock"));
    assert_eq!(locked.element("unlockTime"), Some("1800"));
    assert_eq!(locked.element("retryLoginTime"), Some("0"));
    // Locked: the right password does not get in either.
    let (still, _) = login(addr, PASSWORD);
    assert_eq!(still.status, 401);
    assert_eq!(still.element("lockStatus"), Some("lock"));
    assert_eq!(face.open_sessions(), 0);
}

#[test]
fn unknown_paths_get_a_device_404_and_are_logged() {
    let face = face();
    let addr = face.addr();
    let (_, id) = login(addr, PASSWORD);
    let cookie = format!("WebSession={id}");
    let nope = request(addr, "GET", "/ISAPI/Nothing/here?x=1", Some(&cookie), "");
    assert_eq!(nope.status, 404);
    assert_eq!(nope.element("requestURL"), Some("/ISAPI/Nothing/here?x=1"));
    assert_eq!(nope.element("statusCode"), Some("4"));
    assert_eq!(nope.element("subStatusCode"), Some("notSupport"));
    let log = face.requests();
    let last = log.last().unwrap();
    assert_eq!(
        (
            last.method.as_str(),
            last.path.as_str(),
            last.status,
            last.route
        ),
        ("GET", "/ISAPI/Nothing/here?x=1", 404, Route::NotFound)
    );
    assert_eq!(log[0].route, Route::Handshake);
    assert!(
        log[0]
            .path
            .starts_with("/ISAPI/Security/sessionLogin/capabilities?")
    );
}
