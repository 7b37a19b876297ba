//! Logins to addresses that no simulated device has: a real TCP connection, failing the way
//! the real SDK 6.1.9.48 fails (measured on 127.0.0.1, see README.md):
//!
//! | peer                 | private protocol (byLoginMode 0/2) | ISAPI (byLoginMode 1)      |
//! |----------------------|------------------------------------|----------------------------|
//! | port refused         | 7 at once                          | 7 at once                  |
//! | accepts, then closes | 9                                  | 9, or 73 if it read the    |
//! |                      |                                    | request (one retry on a    |
//! |                      |                                    | new connection)            |
//! | answers garbage      | 11 (43 if the first 4 bytes are 0) | 9 if it closes, else 10    |
//! |                      |                                    | after 5 s                  |
//! | silent               | 10 after SetRecvTimeOut (5 s       | 10 after 5 s               |
//! |                      | default)                           | (SetRecvTimeOut ignored)   |
//!
//! Connect timeout (a peer that never answers the SYN), as measured: SetConnectTime's
//! dwWaitTime with a floor of 300 ms (dwTryTimes has no effect), 3500 ms when never set;
//! ISAPI always 5000 ms. Receive timeout: SetRecvTimeOut with a floor of 1000 ms. Only
//! loopback addresses get a socket unless the scenario sets `allow_external = true`; any
//! other unknown address waits one connect timeout and fails with 7, like an unreachable
//! host, without sending a packet. Unknown addresses in 192.0.2.0/24 fail with 7 at once.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::Duration;

use crate::errors::{
    NETWORK_ERRORDATA, NETWORK_FAIL_CONNECT, NETWORK_RECV_ERROR, NETWORK_RECV_TIMEOUT,
    NOENOUGH_BUF, SOCKETCLOSE_ERROR,
};
use crate::settings::Settings;

/// The ISAPI login's connect and receive timeout (fixed in the real SDK).
const ISAPI_TIMEOUT_MS: u64 = 5000;
/// Floors the real SDK applies to SetConnectTime / SetRecvTimeOut values.
const MIN_CONNECT_MS: u32 = 300;
const MIN_RECV_MS: u32 = 1000;

/// Try to log in to `ip:port` over the network; always fails, with the code the real SDK
/// gives for what the peer does.
pub(crate) fn attempt(
    ip: IpAddr,
    port: u16,
    mode: u8,
    user: &str,
    cfg: &Settings,
    allow_external: bool,
) -> u32 {
    if port == 0 {
        return NETWORK_FAIL_CONNECT;
    }
    if is_test_net(ip) {
        return NETWORK_FAIL_CONNECT;
    }
    let isapi = mode == 1;
    let connect_timeout = Duration::from_millis(if isapi {
        ISAPI_TIMEOUT_MS
    } else {
        u64::from(cfg.connect_timeout_ms.max(MIN_CONNECT_MS))
    });
    // An empty address field means 0.0.0.0, which the kernel routes to this host.
    if !ip.is_loopback() && !ip.is_unspecified() && !allow_external {
        std::thread::sleep(connect_timeout);
        return NETWORK_FAIL_CONNECT;
    }
    let addr = SocketAddr::new(ip, port);
    if !isapi {
        return exchange(
            &addr,
            connect_timeout,
            &private_request(user),
            u64::from(cfg.recv_timeout_ms.max(MIN_RECV_MS)),
            false,
        );
    }
    // ISAPI: a peer that closes before answering gets one more try on a new connection.
    let request = isapi_request(ip, port, user);
    let first = exchange(&addr, connect_timeout, &request, ISAPI_TIMEOUT_MS, true);
    if first == NETWORK_RECV_ERROR || first == SOCKETCLOSE_ERROR {
        return exchange(&addr, connect_timeout, &request, ISAPI_TIMEOUT_MS, true);
    }
    first
}

/// One connection: connect, send `request`, read the answer; the code for what happened.
fn exchange(
    addr: &SocketAddr,
    connect_timeout: Duration,
    request: &[u8],
    recv_timeout_ms: u64,
    isapi: bool,
) -> u32 {
    let Ok(mut s) = TcpStream::connect_timeout(addr, connect_timeout) else {
        return NETWORK_FAIL_CONNECT;
    };
    if s.write_all(request).is_err() {
        return NETWORK_RECV_ERROR;
    }
    let deadline = std::time::Instant::now() + Duration::from_millis(recv_timeout_ms);
    let mut got: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let now = std::time::Instant::now();
        if now >= deadline {
            return NETWORK_RECV_TIMEOUT;
        }
        let _ = s.set_read_timeout(Some(deadline - now));
        match s.read(&mut buf) {
            // The peer closed. ISAPI: 73 when it read our request and closed cleanly, 9 when
            // it reset the connection or sent something that is not HTTP first (the real
            // SDK's split between the two is racy too). Private: 9, or 11 for a short answer.
            Ok(0) if isapi && got.is_empty() => return SOCKETCLOSE_ERROR,
            Ok(0) => {
                return if !isapi && !got.is_empty() {
                    NETWORK_ERRORDATA
                } else {
                    NETWORK_RECV_ERROR
                };
            }
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if isapi {
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        // A complete HTTP answer that is not a Hikvision login.
                        return NETWORK_ERRORDATA;
                    }
                } else if got.len() >= 4 {
                    // The private protocol's reply starts with a big-endian length: 0 makes
                    // the real SDK report 43 (buffer too small), anything else that is not a
                    // device's login answer 11.
                    let len = u32::from_be_bytes([got[0], got[1], got[2], got[3]]);
                    return if len == 0 {
                        NOENOUGH_BUF
                    } else {
                        NETWORK_ERRORDATA
                    };
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                return NETWORK_RECV_TIMEOUT;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return NETWORK_RECV_ERROR,
        }
    }
}

/// 192.0.2.0/24, the simulated devices' range.
pub(crate) fn is_test_net(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(v4) if v4.octets()[..3] == [192, 0, 2])
}

/// A 224-byte login request of the mock's own making, laid out where the real SDK's first
/// message has the same fields (measured): the big-endian total length at 0, the command
/// 0x10000 at 0x0C, the user name at 0x24 (NUL-padded, at most 32 bytes). No password, as
/// in the real first message; the rest is a marker and zeros, not the SDK's RSA key.
fn private_request(user: &str) -> Vec<u8> {
    let mut r = vec![0u8; 224];
    r[..4].copy_from_slice(&224u32.to_be_bytes());
    r[4..12].copy_from_slice(b"MOCKSDK\0");
    r[0x0C..0x10].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    let u = user.as_bytes();
    let n = u.len().min(32);
    r[0x24..0x24 + n].copy_from_slice(&u[..n]);
    r
}

fn isapi_request(ip: IpAddr, port: u16, user: &str) -> Vec<u8> {
    let user: String = user
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    // Like the real SDK's (measured): an 8-digit `random` that differs per request, then
    // only these two headers in this order.
    let random = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() % 100_000_000)
        .unwrap_or(0);
    format!(
        "GET /ISAPI/Security/sessionLogin/capabilities\
         ?username={user}&random={random:08} HTTP/1.1\r\n\
         Connection: Keep-Alive\r\nHost: {}\r\n\r\n",
        SocketAddr::new(ip, port)
    )
    .into_bytes()
}
