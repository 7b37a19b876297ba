//! Loopback stand-ins for the wrong services a login may reach (a web port, an RTSP port, a
//! TLS port, a silent or closing port, a closed port). Each listens on 127.0.0.1 at a port
//! the system picks, serves every connection on a thread of its own, and lives until the
//! test process ends. Nothing here sends traffic anywhere but loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// How long a server holds a connection open after answering (longer than any login or
/// probe timeout the tests use).
const HOLD: Duration = Duration::from_secs(8);

/// A reply an HTTP server gives to a request it cannot serve.
pub const HTTP_400: &[u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

fn listener() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = l.local_addr().expect("the bound port").port();
    (l, port)
}

/// A port nothing listens on (bound, noted, closed): a login there gets "connection
/// refused".
#[must_use]
pub fn closed_port() -> u16 {
    listener().1
}

/// A port whose server answers each connection with `reply` once the client has sent
/// something (or after `wait_for_request`), then holds it open; with an empty `reply` it
/// says nothing at all (a silent port).
#[must_use]
pub fn answering(reply: &'static [u8], wait_for_request: Duration) -> u16 {
    let (l, port) = listener();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(wait_for_request));
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                if !reply.is_empty() {
                    let _ = s.write_all(reply);
                }
                std::thread::sleep(HOLD);
            });
        }
    });
    port
}

/// A web server that answers [`HTTP_400`] to whatever arrives first (most web servers do,
/// to the SDK's private login).
#[must_use]
pub fn web_server() -> u16 {
    answering(HTTP_400, Duration::from_millis(500))
}

/// A web server that, like many, answers only a whole HTTP request (one that ends with an
/// empty line): the SDK's private login is not one, so it waits in silence and the login
/// times out (10); an HTTP probe gets a 400.
#[must_use]
pub fn patient_web_server() -> u16 {
    let (l, port) = listener();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(HOLD));
                let mut got = Vec::new();
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = s.read(&mut buf) {
                    got.extend_from_slice(&buf[..n]);
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        let _ = s.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
                        return;
                    }
                }
            });
        }
    });
    port
}

/// A port whose server accepts every connection and closes it at once (the SDK's private
/// login then fails with 9).
#[must_use]
pub fn accept_and_close() -> u16 {
    let (l, port) = listener();
    std::thread::spawn(move || {
        for s in l.incoming() {
            drop(s);
        }
    });
    port
}
