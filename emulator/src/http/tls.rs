//! ISAPI over TLS: the certificate made at start ([`TlsCert`], rcgen), the server
//! configuration (rustls with the `ring` provider) and a record of every handshake
//! ([`TlsRecord`]: what the client offered in its `ClientHello`, what was agreed, or why it
//! failed).
//!
//! The face reads the client's first TLS record before handing the connection to rustls,
//! so it can tell which protocol versions a client offers (rustls shows only the one
//! agreed).

use std::io;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::ServerConfig;
use tokio::net::TcpStream;

/// The host names and addresses the default certificate is made for.
pub const HOSTS: [&str; 2] = ["127.0.0.1", "localhost"];

/// A certificate and its private key (ECDSA P-256), made by rcgen.
#[derive(Clone)]
pub struct TlsCert {
    cert: CertificateDer<'static>,
    key: Vec<u8>,
    pem: String,
}

impl std::fmt::Debug for TlsCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsCert").finish_non_exhaustive()
    }
}

/// Which TLS versions the face accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TlsVersions {
    /// TLS 1.2 and 1.3 (the default).
    #[default]
    Both,
    /// TLS 1.2 only.
    Tls12,
    /// TLS 1.3 only.
    Tls13,
}

impl TlsCert {
    /// Self-signed for [`HOSTS`], valid from a day ago for a year: what the emulator serves.
    ///
    /// # Errors
    /// Key generation or signing failed.
    pub fn self_signed() -> io::Result<Self> {
        Self::make(&HOSTS, Validity::Current)
    }

    /// Self-signed for other names only (`["camera.invalid"]`: a wrong host name for
    /// clients that connect to 127.0.0.1).
    ///
    /// # Errors
    /// Key generation or signing failed.
    pub fn for_names(names: &[&str]) -> io::Result<Self> {
        Self::make(names, Validity::Current)
    }

    /// Self-signed for [`HOSTS`], but expired (valid in 2019 only).
    ///
    /// # Errors
    /// Key generation or signing failed.
    pub fn expired() -> io::Result<Self> {
        Self::make(&HOSTS, Validity::Expired)
    }

    fn make(names: &[&str], validity: Validity) -> io::Result<Self> {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = rcgen::CertificateParams::new(names).map_err(other)?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "hcnetsdk-emulator");
        let now = std::time::SystemTime::now();
        let (from, to) = match validity {
            Validity::Current => (
                now - Duration::from_secs(86_400),
                now + Duration::from_secs(365 * 86_400),
            ),
            Validity::Expired => (
                std::time::UNIX_EPOCH + Duration::from_secs(1_546_300_800), // 2019-01-01
                std::time::UNIX_EPOCH + Duration::from_secs(1_577_750_400), // 2019-12-31
            ),
        };
        params.not_before = from.into();
        params.not_after = to.into();
        let key = rcgen::KeyPair::generate().map_err(other)?;
        let cert = params.self_signed(&key).map_err(other)?;
        Ok(Self {
            cert: cert.der().clone(),
            key: key.serialize_der(),
            pem: cert.pem(),
        })
    }

    /// The certificate in PEM (what a client that checks it would trust).
    #[must_use]
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The certificate in DER.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.cert
    }

    /// A rustls server configuration serving this certificate (no client certificates, no
    /// ALPN: HTTP/1.1 as the SDK speaks it).
    ///
    /// # Errors
    /// rustls refused the key.
    pub fn server_config(&self, versions: TlsVersions) -> io::Result<Arc<ServerConfig>> {
        // `ring` builds with a C compiler only (see Cargo.toml); its provider lacks the
        // post-quantum key exchange, which a loopback test device does not need.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chosen: &[&rustls::SupportedProtocolVersion] = match versions {
            TlsVersions::Both => &[&rustls::version::TLS13, &rustls::version::TLS12],
            TlsVersions::Tls12 => &[&rustls::version::TLS12],
            TlsVersions::Tls13 => &[&rustls::version::TLS13],
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.clone()));
        let config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(chosen)
            .map_err(other)?
            .with_no_client_auth()
            .with_single_cert(vec![self.cert.clone()], key)
            .map_err(other)?;
        Ok(Arc::new(config))
    }
}

#[derive(Clone, Copy)]
enum Validity {
    Current,
    Expired,
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// One TLS handshake on the face's HTTPS port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsRecord {
    /// The `ClientHello`'s record and body version (`0x0301` / `0x0303` ...).
    pub hello_version: Option<u16>,
    /// Versions offered in the `supported_versions` extension (`0x0304` = TLS 1.3); empty
    /// when the client sent none (then it offers up to `hello_version` only).
    pub offered_versions: Vec<u16>,
    /// The server name (SNI) sent, if any.
    pub server_name: Option<String>,
    /// How many cipher suites were offered.
    pub offered_suites: usize,
    /// The version agreed (`"TLSv1_2"`, `"TLSv1_3"`), when the handshake completed.
    pub version: Option<String>,
    /// The cipher suite agreed, when the handshake completed.
    pub suite: Option<String>,
    /// Why the handshake failed (for example the client's alert), when it did.
    pub error: Option<String>,
}

/// Read the client's first TLS record without consuming it (at most 2 s, 16 KiB) and
/// describe its `ClientHello`.
pub(crate) async fn peek_hello(stream: &TcpStream) -> TlsRecord {
    let mut buf = vec![0u8; 16 * 1024 + 5];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    let mut seen = 0;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.peek(&mut buf)).await {
        seen = n;
        if n > 0 && buf[0] != 22 {
            break; // not TLS: rustls refuses it at once
        }
        let whole = n >= 5 && n >= 5 + usize::from(u16::from_be_bytes([buf[3], buf[4]]));
        if whole || n == 0 || n == buf.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    parse_hello(&buf[..seen]).unwrap_or_default()
}

/// The fields of [`TlsRecord`] a `ClientHello` record gives (`None`: not one).
fn parse_hello(rec: &[u8]) -> Option<TlsRecord> {
    let mut r = Reader(rec);
    if r.u8()? != 22 {
        return None; // not a handshake record
    }
    let _record_version = r.u16()?;
    let _len = r.u16()?;
    if r.u8()? != 1 {
        return None; // not a ClientHello
    }
    r.take(3)?;
    let mut out = TlsRecord {
        hello_version: Some(r.u16()?),
        ..TlsRecord::default()
    };
    r.take(32)?;
    let sid = r.u8()?;
    r.take(usize::from(sid))?;
    let suites = r.u16()?;
    out.offered_suites = usize::from(suites / 2);
    r.take(usize::from(suites))?;
    let comp = r.u8()?;
    r.take(usize::from(comp))?;
    let ext_len = r.u16()?;
    let mut exts = Reader(r.take(usize::from(ext_len)).unwrap_or(r.0));
    while let (Some(kind), Some(len)) = (exts.u16(), exts.u16()) {
        let Some(body) = exts.take(usize::from(len)) else {
            break;
        };
        match kind {
            0 => out.server_name = sni(body),
            43 => {
                let mut v = Reader(body.get(1..)?);
                while let Some(ver) = v.u16() {
                    out.offered_versions.push(ver);
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// The first host name of a `server_name` extension.
fn sni(body: &[u8]) -> Option<String> {
    let mut r = Reader(body);
    let _list = r.u16()?;
    let _kind = r.u8()?;
    let len = r.u16()?;
    Some(String::from_utf8_lossy(r.take(usize::from(len))?).into_owned())
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_client_hello() {
        // Record, ClientHello with TLS 1.2 body, empty session, 2 suites, null compression,
        // SNI "a.b" and supported_versions [1.3, 1.2].
        let mut body = vec![0x03, 0x03];
        body.extend([0u8; 32]);
        body.extend([0, 0, 4, 0x13, 0x01, 0xc0, 0x2b, 1, 0]);
        let sni_ext = [0u8, 0, 0, 8, 0, 6, 0, 0, 3, b'a', b'.', b'b'];
        let ver_ext = [0u8, 43, 0, 5, 4, 3, 4, 3, 3];
        let exts: Vec<u8> = sni_ext.iter().chain(&ver_ext).copied().collect();
        body.extend((exts.len() as u16).to_be_bytes());
        body.extend(exts);
        let mut hs = vec![1, 0, 0, body.len() as u8];
        hs.extend(body);
        let mut rec = vec![22, 3, 1];
        rec.extend((hs.len() as u16).to_be_bytes());
        rec.extend(hs);
        let r = parse_hello(&rec).unwrap();
        assert_eq!(r.hello_version, Some(0x0303));
        assert_eq!(r.offered_suites, 2);
        assert_eq!(r.server_name.as_deref(), Some("a.b"));
        assert_eq!(r.offered_versions, vec![0x0304, 0x0303]);
        assert!(parse_hello(b"GET / HTTP/1.1\r\n").is_none());
    }

    #[test]
    fn makes_the_three_certificates() {
        for cert in [
            TlsCert::self_signed(),
            TlsCert::for_names(&["camera.invalid"]),
            TlsCert::expired(),
        ] {
            let cert = cert.unwrap();
            assert!(cert.pem().starts_with("-----BEGIN CERTIFICATE-----"));
            for v in [TlsVersions::Both, TlsVersions::Tls12, TlsVersions::Tls13] {
                cert.server_config(v).unwrap();
            }
        }
    }
}
