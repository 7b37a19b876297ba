//! The device address of a login: checked for shape, resolved with std's resolver, and
//! handed to the SDK as an IP literal. The SDK 6.1.9.48's own handling of names depends on
//! their shape (`localhost` gives 17, `example.invalid` is looked up, `1.2.3.4:8000` gives
//! 7; `mock-sdk/src/login.rs` has the measured rules), so this crate never relies on it.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use crate::error::{Error, Result};

/// Longest host name (RFC 1035, without the trailing dot).
const MAX_NAME: usize = 253;

/// What to give instead, for every rejection.
const GIVE: &str = "give the device's IP address (192.0.2.10, 2001:db8::1) or host name \
    (camera.example.com) alone: LoginBuilder::address, hcnet --host";

fn bad(value: &str, why: &str) -> Error {
    Error::invalid_input("address", format!("{value:?}"), format!("{why}; {GIVE}"))
}

/// Reject text that is neither an IP address nor a host name, saying what is wrong with it
/// (the check [`LoginBuilder::login`](crate::LoginBuilder::login) makes first). No SDK
/// call and no lookup.
///
/// ```
/// assert!(hcnetsdk::check_address("192.0.2.10").is_ok());
/// assert!(hcnetsdk::check_address("camera.example.com").is_ok());
/// let err = hcnetsdk::check_address("999.1.1.1").unwrap_err();
/// assert!(err.to_string().contains("not an IPv4 address"));
/// ```
///
/// # Errors
/// [`ErrorKind::InvalidInput`](crate::error::ErrorKind::InvalidInput) for the field
/// `address`, naming the value and the fix.
pub fn check_address(address: &str) -> Result<()> {
    check(address)
}

pub(super) fn check(address: &str) -> Result<()> {
    if address.trim().is_empty() {
        return Err(bad(address, "the address is empty"));
    }
    if address.contains('\0') {
        return Err(bad(address, "it contains a NUL byte; remove it"));
    }
    if address.trim() != address {
        return Err(bad(address, "the address has spaces around it"));
    }
    if address.contains("://") || address.contains('/') {
        return Err(bad(
            address,
            "that is a URL, not an address: drop the scheme (http://) and any path",
        ));
    }
    if let Ok(ip) = address.parse::<IpAddr>() {
        return if ip.is_unspecified() {
            Err(bad(address, "0.0.0.0 / :: is no device's address"))
        } else {
            Ok(())
        };
    }
    if let Some(port) = glued_port(address) {
        return Err(bad(
            address,
            &format!(
                "the port is glued on: pass the address alone and the port with LoginBuilder::port({port}) (hcnet --port {port})"
            ),
        ));
    }
    if address.starts_with('[') || address.contains(':') {
        return Err(bad(
            address,
            "not an IPv6 address (give it without brackets, e.g. 2001:db8::1)",
        ));
    }
    if address.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad(
            address,
            "not an IPv4 address: it needs four numbers from 0 to 255 separated by dots",
        ));
    }
    if !is_host_name(address) {
        return Err(bad(
            address,
            "not a host name: names are letters, digits, '-' and dots (at most 253 characters)",
        ));
    }
    Ok(())
}

/// `1.2.3.4:8000`, `cam.example.com:8000`, `[::1]:8000` -> the port.
fn glued_port(address: &str) -> Option<u16> {
    let (host, port) = address.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (host.parse::<IpAddr>().is_ok() || (!host.contains(':') && is_host_name(host))).then_some(port)
}

fn is_host_name(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= MAX_NAME
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && !s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The rule for a name with several addresses: the first IPv4 one, else the first.
pub(crate) fn pick(addrs: &[SocketAddr]) -> Option<IpAddr> {
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| addrs.first())
        .map(SocketAddr::ip)
}

/// The IP the SDK is given for `address` (already [`check`]ed): the address itself, or
/// what std's resolver gives for the name ([`pick`]), logged at debug level. A name that
/// does not resolve is an error naming it, before any SDK call.
pub(super) fn resolve(address: &str, port: u16) -> Result<IpAddr> {
    resolve_with(address, port, |name, port| {
        (name, port).to_socket_addrs().map(Iterator::collect)
    })
}

/// [`resolve`] for async code (feature `tokio`): the same rule and errors, with
/// `tokio::net::lookup_host`, which resolves on tokio's blocking pool, so that no runtime
/// thread waits for DNS.
#[cfg(feature = "tokio")]
pub(super) async fn resolve_async(address: &str, port: u16) -> Result<IpAddr> {
    if let Ok(ip) = address.parse::<IpAddr>() {
        return Ok(ip);
    }
    let found = tokio::net::lookup_host((address, port))
        .await
        .map(Iterator::collect);
    chosen(address, found)
}

/// [`resolve`] with the lookup given (tests use a fake one: no DNS traffic from tests).
fn resolve_with(
    address: &str,
    port: u16,
    lookup: impl FnOnce(&str, u16) -> std::io::Result<Vec<SocketAddr>>,
) -> Result<IpAddr> {
    if let Ok(ip) = address.parse::<IpAddr>() {
        return Ok(ip);
    }
    chosen(address, lookup(address, port))
}

/// The address picked from a name's lookup ([`pick`]), logged; an error naming the name
/// when it did not resolve.
fn chosen(address: &str, lookup: std::io::Result<Vec<SocketAddr>>) -> Result<IpAddr> {
    let found: Vec<SocketAddr> = match lookup {
        Ok(a) => a,
        Err(e) => return Err(unresolved(address, &e.to_string())),
    };
    let Some(ip) = pick(&found) else {
        return Err(unresolved(address, "no address"));
    };
    tracing::debug!(
        name = address,
        ip = %ip,
        candidates = found.len(),
        "resolved the device's host name (rule: first IPv4, else first)"
    );
    Ok(ip)
}

fn unresolved(name: &str, why: &str) -> Error {
    Error::invalid_input(
        "address",
        format!("{name:?}"),
        format!(
            "the host name {name} does not resolve ({why}): check its spelling and this machine's DNS \
             (or /etc/hosts), or give the device's IP address (LoginBuilder::address, hcnet --host)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in [
            "192.0.2.10",
            "::1",
            "2001:db8::1",
            "localhost",
            "cam-1.example.com",
            "cam.",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        let why = |s: &str| check(s).unwrap_err().remediation().into_owned();
        assert!(why("999.1.1.1").contains("four numbers"));
        assert!(why("1.2.3").contains("four numbers"));
        assert!(why("").contains("empty"));
        assert!(why("   ").contains("empty"));
        assert!(why(" 127.0.0.1").contains("spaces"));
        assert!(why("http://192.0.2.10").contains("URL"));
        assert!(why("1.2.3.4:8000").contains("LoginBuilder::port(8000)"));
        assert!(why("cam.example.com:8000").contains("--port 8000"));
        assert!(why("[::1]:8000").contains("port(8000)"));
        assert!(why("[::1]").contains("brackets"));
        assert!(why("0.0.0.0").contains("no device"));
        assert!(why("my cam").contains("not a host name"));
        assert!(why("a_b.example").contains("not a host name"));
    }

    #[test]
    fn first_ipv4_else_first() {
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        let v4: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert_eq!(pick(&[v6, v4]), Some(v4.ip()));
        assert_eq!(pick(&[v6]), Some(v6.ip()));
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn localhost_resolves_to_loopback_and_failed_lookups_name_the_name() {
        // localhost comes from /etc/hosts: no DNS traffic.
        assert!(resolve("localhost", 8000).unwrap().is_loopback());
        assert_eq!(
            resolve("127.0.0.1", 8000).unwrap(),
            IpAddr::from([127, 0, 0, 1])
        );
        let fail = |_: &str, _: u16| Err(std::io::Error::other("failed to lookup address"));
        let e = resolve_with("cam.invalid", 8000, fail).unwrap_err();
        assert!(format!("{e}").contains("cam.invalid"), "{e}");
        assert!(format!("{e}").contains("does not resolve"), "{e}");
        let none = |_: &str, _: u16| Ok(Vec::new());
        assert!(resolve_with("cam.invalid", 8000, none).is_err());
    }
}
