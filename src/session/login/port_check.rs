//! What a failed login's port is, from the port number alone or, with
//! [`LoginBuilder::check_port`](super::LoginBuilder::check_port), by asking it
//! ([`probe_port`]).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::error::Error;
use crate::probe::probe_port;
use crate::session::LoginMode;

/// How long the probe may wait to connect and for each answer.
const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// Codes with which a login fails when something accepted the connection but did not
/// answer as a device: receive error, timeout, bad data, short buffer, socket closed.
const PEER_ANSWERED_WRONG: [u32; 5] = [9, 10, 11, 43, 73];

/// Add what is known about the port to a failed login's error.
pub(super) fn diagnose(err: Error, ip: IpAddr, port: u16, mode: LoginMode, probe: bool) -> Error {
    if !err
        .raw_code()
        .is_some_and(|c| PEER_ANSWERED_WRONG.contains(&c))
    {
        return err;
    }
    let isapi = mode == LoginMode::Isapi;
    if probe {
        let answer = probe_port(SocketAddr::new(ip, port), PROBE_TIMEOUT);
        tracing::debug!(%ip, port, answer = answer.kind(), "probed the login port");
        if let Some(d) = answer.diagnosis(port, isapi) {
            // A port identified as another service stays wrong however often the login is
            // retried; silence or an odd answer may still be an overloaded device.
            return if answer.is_other_service(isapi) {
                err.with_wrong_service(d)
            } else {
                err.with_finding(d)
            };
        }
    }
    match well_known(port) {
        Some(what) if !isapi || port == 554 => err.with_finding(format!(
            "port {port} is usually a device's {what} port, not its SDK port (8000 unless changed){}",
            if port == 554 {
                ""
            } else {
                "; use the SDK port, or log in on this port with the ISAPI login mode (LoginMode::Isapi)"
            }
        )),
        _ => err,
    }
}

/// Whether a login's port may be probed. The mock answers its simulated devices
/// (192.0.2.x) in-process: a probe there would send traffic off the machine, so with the
/// mock only loopback addresses are asked.
pub(super) fn may_probe(mock: bool, ip: IpAddr) -> bool {
    !mock || ip.is_loopback()
}

fn well_known(port: u16) -> Option<&'static str> {
    match port {
        80 | 8080 => Some("web (HTTP)"),
        443 => Some("web (HTTPS)"),
        554 => Some("RTSP streaming"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_known_port_is_named_without_a_probe() {
        let ip = IpAddr::from([127, 0, 0, 1]);
        let e = |code| Error::sdk(code, "NET_DVR_Login_V40", crate::Context::default(), None);
        let found = diagnose(e(10), ip, 80, LoginMode::Private, false);
        let f = found.finding().unwrap();
        assert!(
            f.contains("web (HTTP)") && f.contains("8000") && f.contains("Isapi"),
            "{f}"
        );
        // The HTTP port is right for ISAPI; a password error says nothing about the port.
        assert!(
            diagnose(e(10), ip, 80, LoginMode::Isapi, false)
                .finding()
                .is_none()
        );
        assert!(
            diagnose(e(1), ip, 80, LoginMode::Private, false)
                .finding()
                .is_none()
        );
        assert!(
            diagnose(e(10), ip, 8000, LoginMode::Private, false)
                .finding()
                .is_none()
        );
    }

    #[test]
    fn with_the_mock_only_loopback_is_probed() {
        let simulated = IpAddr::from([192, 0, 2, 10]);
        assert!(
            !may_probe(true, simulated),
            "a simulated device has no port to ask"
        );
        assert!(may_probe(true, IpAddr::from([127, 0, 0, 1])));
        assert!(may_probe(true, "::1".parse().unwrap()));
        assert!(
            may_probe(false, simulated),
            "a real SDK reaches real addresses"
        );
    }

    /// A loopback server on an ephemeral port that answers every connection with `reply`
    /// (or, with `None`, accepts and says nothing until the test ends).
    fn serve(reply: Option<&'static [u8]>) -> u16 {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for mut conn in listener.incoming().flatten() {
                if let Some(reply) = reply {
                    let mut buf = [0u8; 512];
                    let _ = conn.read(&mut buf);
                    let _ = conn.write_all(reply);
                } else {
                    held.push(conn);
                }
            }
        });
        port
    }

    #[test]
    fn a_port_identified_as_another_service_is_not_worth_retrying() {
        let ip = IpAddr::from([127, 0, 0, 1]);
        let e = |code| Error::sdk(code, "NET_DVR_Login_V40", crate::Context::default(), None);
        assert!(
            e(10).is_retryable(),
            "the test needs a code that is retryable by itself"
        );

        let http = serve(Some(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
        ));
        let found = diagnose(e(10), ip, http, LoginMode::Private, true);
        assert!(
            found.finding().unwrap().contains("speaks HTTP"),
            "{found:#}"
        );
        assert_eq!(found.retry(), crate::error::Retry::AfterFix, "{found:#}");
        assert!(!found.is_retryable());

        // HTTP is the right answer for an ISAPI login: the code's own advice stands.
        let isapi = diagnose(e(10), ip, http, LoginMode::Isapi, true);
        assert_eq!(isapi.retry(), e(10).retry(), "{isapi:#}");

        // Silence may be an overloaded device: the code's own advice stands.
        let silent = serve(None);
        let quiet = diagnose(e(10), ip, silent, LoginMode::Private, true);
        assert!(
            quiet.finding().unwrap().contains("answered nothing"),
            "{quiet:#}"
        );
        assert_eq!(quiet.retry(), e(10).retry(), "{quiet:#}");
    }
}
