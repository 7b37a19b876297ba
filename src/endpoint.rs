//! [`Endpoint`]: how this crate writes a device's address and port.

use std::fmt;

/// A device's address and port, displayed as `address:port`, with an IPv6 address in
/// brackets (`[2001:db8::1]:8000`) so that the port cannot be read as part of it.
///
/// ```
/// use hcnetsdk::Endpoint;
/// assert_eq!(Endpoint::new("192.0.2.10", 8000).to_string(), "192.0.2.10:8000");
/// assert_eq!(Endpoint::new("2001:db8::1", 8000).to_string(), "[2001:db8::1]:8000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint<'a> {
    /// The address (IPv4, IPv6 or whatever the caller gave).
    pub address: &'a str,
    /// The port.
    pub port: u16,
}

impl<'a> Endpoint<'a> {
    /// An endpoint.
    pub fn new(address: &'a str, port: u16) -> Self {
        Self { address, port }
    }
}

impl fmt::Display for Endpoint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.address.contains(':') {
            write!(f, "[{}]:{}", self.address, self.port)
        } else {
            write!(f, "{}:{}", self.address, self.port)
        }
    }
}
