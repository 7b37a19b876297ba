//! The TCP pre-check that runs before the SDK tries to log in, and the loopback listeners
//! that stand in for broken devices in `hcnet doctor --simulate ...`.
//!
//! Everything here uses `std::net` only. No socket is ever opened to an address in
//! 192.0.2.0/24 (TEST-NET-1): that range belongs to documentation and to the mock SDK's
//! simulated devices, and nothing real answers there.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a plain TCP connect to the device's port found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The port accepted a connection.
    Open { addr: SocketAddr, elapsed: Duration },
    /// The host answered with a reset: it is up, but nothing listens on the port.
    Refused { addr: SocketAddr },
    /// No answer at all within the timeout: the host is off, or a firewall drops packets.
    Timeout { addr: SocketAddr, after: Duration },
    /// The network says there is no way to the host (no route, host or network unreachable).
    NoRoute {
        addr: Option<SocketAddr>,
        why: String,
    },
    /// The host name did not resolve.
    Unresolved { why: String },
    /// Something else went wrong locally.
    Other {
        addr: Option<SocketAddr>,
        why: String,
    },
}

impl Reach {
    /// A short machine-readable word for JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Reach::Open { .. } => "open",
            Reach::Refused { .. } => "refused",
            Reach::Timeout { .. } => "timeout",
            Reach::NoRoute { .. } => "no_route",
            Reach::Unresolved { .. } => "unresolved",
            Reach::Other { .. } => "error",
        }
    }

    /// One line: what was found.
    pub fn describe(&self) -> String {
        match self {
            Reach::Open { addr, elapsed } => {
                format!(
                    "TCP {addr} accepted a connection in {} ms",
                    elapsed.as_millis()
                )
            }
            Reach::Refused { addr } => format!(
                "TCP {addr}: connection refused (the host answered, but nothing listens on port {})",
                addr.port()
            ),
            Reach::Timeout { addr, after } => format!(
                "TCP {addr}: no answer within {:.1} s (timeout: host down, wrong address, or a firewall drops the packets)",
                after.as_secs_f64()
            ),
            Reach::NoRoute { addr: Some(a), why } => format!("TCP {a}: no route to host ({why})"),
            Reach::NoRoute { addr: None, why } => format!("no route to host ({why})"),
            Reach::Unresolved { why } => format!("the host name does not resolve ({why})"),
            Reach::Other { addr: Some(a), why } => format!("TCP {a}: {why}"),
            Reach::Other { addr: None, why } => why.clone(),
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> Option<String> {
        match self {
            Reach::Open { .. } => None,
            Reach::Refused { addr } => Some(format!(
                "Check the port: Hikvision devices serve the SDK on port 8000 by default (web UI: Configuration > Network > Advanced > Other/Port, \"Server Port\"); \
                 the HTTP port (80) and RTSP port (554) are not the SDK port. Nothing listens on {} now.",
                addr.port()
            )),
            Reach::Timeout { .. } => Some(
                "Check that the device is powered and cabled, that the address is right (ping it), and that no firewall between here and the device drops TCP to the SDK port."
                    .to_string(),
            ),
            Reach::NoRoute { .. } => Some(
                "This machine has no route to that address: check the address and this machine's IP/subnet/gateway (`ip route get <addr>`), or the VPN."
                    .to_string(),
            ),
            Reach::Unresolved { .. } => {
                Some("Use the device's IP address, or fix DNS for its name.".to_string())
            }
            Reach::Other { .. } => None,
        }
    }
}

/// True for 192.0.2.0/24 (TEST-NET-1), where the mock SDK's simulated devices live.
pub fn is_test_net(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            o[0] == 192 && o[1] == 0 && o[2] == 2
        }
        IpAddr::V6(_) => false,
    }
}

/// True when `host` is a literal address in 192.0.2.0/24.
pub fn host_is_test_net(host: &str) -> bool {
    host.parse::<IpAddr>().is_ok_and(is_test_net)
}

/// Try a plain TCP connection to `host:port`, waiting at most `timeout` per address.
///
/// Refused, timeout and no route are told apart. Addresses in 192.0.2.0/24 are never
/// contacted: they are reported as having no route.
pub fn tcp_check(host: &str, port: u16, timeout: Duration) -> Reach {
    let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(e) => return Reach::Unresolved { why: e.to_string() },
    };
    let Some(first) = addrs.first().copied() else {
        return Reach::Unresolved {
            why: "no address".to_string(),
        };
    };
    if is_test_net(first.ip()) {
        return Reach::NoRoute {
            addr: Some(first),
            why:
                "192.0.2.0/24 is TEST-NET-1, reserved for documentation; no real device lives there"
                    .to_string(),
        };
    }
    let started = Instant::now();
    match TcpStream::connect_timeout(&first, timeout) {
        Ok(s) => {
            let elapsed = started.elapsed();
            drop(s);
            Reach::Open {
                addr: first,
                elapsed,
            }
        }
        Err(e) => classify(first, &e, started.elapsed()),
    }
}

fn classify(addr: SocketAddr, e: &io::Error, after: Duration) -> Reach {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Reach::Refused { addr },
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Reach::Timeout { addr, after },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => Reach::NoRoute {
            addr: Some(addr),
            why: e.to_string(),
        },
        _ => match e.raw_os_error() {
            // EHOSTUNREACH / ENETUNREACH on Linux, WSAEHOSTUNREACH / WSAENETUNREACH on Windows.
            Some(101 | 113 | 10051 | 10065) => Reach::NoRoute {
                addr: Some(addr),
                why: e.to_string(),
            },
            _ => Reach::Other {
                addr: Some(addr),
                why: e.to_string(),
            },
        },
    }
}

/// A loopback port with nothing listening on it (bound, then closed at once), so a connect
/// is refused.
pub fn closed_loopback_port() -> io::Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = l.local_addr()?.port();
    drop(l);
    Ok(port)
}

/// How a [`FakePeer`] treats the connections it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerBehaviour {
    /// Accept, read what the client sends, never answer (a firewall proxy, a hung service).
    Silent,
    /// Accept and close at once (a service that drops unknown clients).
    AcceptClose,
    /// Answer with bytes that are not the SDK's protocol (an HTTP server on the SDK port).
    Garbage,
    /// Answer like an RTSP server (a device's streaming port, 554).
    Rtsp,
    /// Answer with the start of a TLS handshake record (an HTTPS port).
    Tls,
}

/// A loopback TCP listener that stands in for a broken device. It serves on 127.0.0.1 only,
/// accepts a bounded number of connections, and stops by itself when dropped or after its
/// lifetime.
#[derive(Debug)]
pub struct FakePeer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

const PEER_MAX_CONNECTIONS: usize = 16;
const PEER_LIFETIME: Duration = Duration::from_secs(120);

impl FakePeer {
    /// Start a listener on an ephemeral loopback port.
    ///
    /// # Errors
    /// If the loopback port cannot be bound.
    pub fn start(behaviour: PeerBehaviour) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("hcnet-fake-peer".into())
            .spawn(move || serve(listener, behaviour, &stop2))?;
        Ok(Self {
            port,
            stop,
            thread: Some(thread),
        })
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for FakePeer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What a speaking peer sends as soon as it accepts a connection.
fn greeting(behaviour: PeerBehaviour) -> &'static [u8] {
    match behaviour {
        PeerBehaviour::Rtsp => b"RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n",
        // A TLS 1.2 handshake record header and the start of a ServerHello.
        PeerBehaviour::Tls => &[
            0x16, 0x03, 0x03, 0x00, 0x31, 0x02, 0x00, 0x00, 0x2d, 0x03, 0x03,
        ],
        _ => b"HTTP/1.1 400 Bad Request\r\nServer: not-an-sdk-port\r\nContent-Length: 0\r\n\r\n",
    }
}

fn serve(listener: TcpListener, behaviour: PeerBehaviour, stop: &AtomicBool) {
    let deadline = Instant::now() + PEER_LIFETIME;
    let mut held: Vec<TcpStream> = Vec::new();
    let mut accepted = 0usize;
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        match listener.accept() {
            Ok((mut s, _)) if accepted < PEER_MAX_CONNECTIONS => {
                accepted += 1;
                match behaviour {
                    PeerBehaviour::AcceptClose => drop(s),
                    PeerBehaviour::Silent => {
                        let _ = s.set_nonblocking(true);
                        held.push(s);
                    }
                    PeerBehaviour::Garbage | PeerBehaviour::Rtsp | PeerBehaviour::Tls => {
                        let _ = s.write_all(greeting(behaviour));
                        let _ = s.set_nonblocking(true);
                        held.push(s);
                    }
                }
            }
            Ok((s, _)) => drop(s),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(_) => break,
        }
        // Drain what held clients send, so their writes never block; drop closed ones.
        held.retain_mut(|s| match s.read(&mut buf) {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) => e.kind() == io::ErrorKind::WouldBlock,
        });
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_is_told_apart() {
        let port = closed_loopback_port().unwrap();
        let r = tcp_check("127.0.0.1", port, Duration::from_secs(2));
        assert_eq!(r.kind(), "refused", "{r:?}");
        assert!(r.fix().unwrap().contains("8000"));
    }

    #[test]
    fn refused_timeout_and_no_route_are_told_apart() {
        // The OS answers a connect with one of these; each gets its own finding and fix.
        let addr: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let after = Duration::from_secs(3);
        let kind = |e: io::Error| classify(addr, &e, after);
        let refused = kind(io::Error::from(io::ErrorKind::ConnectionRefused));
        let timeout = kind(io::Error::from(io::ErrorKind::TimedOut));
        let no_route = kind(io::Error::from_raw_os_error(113)); // EHOSTUNREACH
        let no_net = kind(io::Error::from_raw_os_error(101)); // ENETUNREACH
        assert_eq!(
            [
                refused.kind(),
                timeout.kind(),
                no_route.kind(),
                no_net.kind()
            ],
            ["refused", "timeout", "no_route", "no_route"]
        );
        assert!(
            timeout.describe().contains("no answer within 3.0 s"),
            "{timeout:?}"
        );
        assert!(timeout.fix().unwrap().contains("firewall"));
        assert!(no_route.fix().unwrap().contains("ip route get"));
        assert!(refused.fix().unwrap().contains("Server Port"));
        let other = kind(io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(other.kind(), "error");
    }

    #[test]
    fn open_port_is_open() {
        let peer = FakePeer::start(PeerBehaviour::Silent).unwrap();
        let r = tcp_check("127.0.0.1", peer.port(), Duration::from_secs(2));
        assert_eq!(r.kind(), "open", "{r:?}");
    }

    #[test]
    fn test_net_is_never_contacted() {
        // A real connect could also say "no route" (a host without a default route), so
        // check that this one is the TEST-NET-1 answer, given without trying.
        let started = Instant::now();
        let r = tcp_check("192.0.2.10", 8000, Duration::from_secs(2));
        let took = started.elapsed();
        assert_eq!(r.kind(), "no_route", "{r:?}");
        assert!(
            r.describe().contains("192.0.2.0/24 is TEST-NET-1"),
            "not the TEST-NET-1 answer: {}",
            r.describe()
        );
        assert!(
            took < Duration::from_millis(500),
            "took {took:?}: it tried to connect"
        );
    }

    #[test]
    fn garbage_peer_answers_non_sdk_bytes() {
        let peer = FakePeer::start(PeerBehaviour::Garbage).unwrap();
        let mut s = TcpStream::connect(("127.0.0.1", peer.port())).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = [0u8; 8];
        s.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"HTTP/1.1");
    }
}
