//! RTSP authentication: Digest MD5 without qop (what the real SDK answers, with the
//! DESCRIBE URL as `uri` on every request, which we accept), or Basic (where the SDK sends
//! `admin:<password>` in clear text).

use std::fmt;
use std::sync::Arc;

use md5::{Digest as _, Md5};

use super::sdp::unbase64;

/// Which challenge the server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// `WWW-Authenticate: Digest realm=…, nonce=…` (MD5, no qop): what cameras send.
    #[default]
    Digest,
    /// `WWW-Authenticate: Basic realm=…`: credentials in clear.
    Basic,
    /// No authentication at all.
    None,
}

/// Who may log in: a lookup from user name to password.
#[derive(Clone)]
pub struct Credentials(Arc<Lookup>);

/// A user name to password lookup.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(..)")
    }
}

impl Credentials {
    /// One user with one password.
    #[must_use]
    pub fn user(user: &str, password: &str) -> Self {
        Self::from_pairs(&[(user, password)])
    }

    /// A fixed table of users and passwords.
    #[must_use]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let table: Vec<(String, String)> = pairs
            .iter()
            .map(|(u, p)| ((*u).to_owned(), (*p).to_owned()))
            .collect();
        Self::from_fn(move |u| table.iter().find(|(n, _)| n == u).map(|(_, p)| p.clone()))
    }

    /// Any lookup (for example the device model's user table).
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// The password of `user`, if the user exists.
    #[must_use]
    pub fn password(&self, user: &str) -> Option<String> {
        (self.0)(user)
    }
}

/// The realm in challenges (a camera's is `IP Camera(<serial tail>)`).
pub const REALM: &str = "IP Camera(E0000)";

/// The `WWW-Authenticate` value for `mode` with `nonce`.
#[must_use]
pub fn challenge(mode: AuthMode, nonce: &str) -> String {
    match mode {
        AuthMode::Basic => format!("Basic realm=\"{REALM}\""),
        _ => format!("Digest realm=\"{REALM}\", nonce=\"{nonce}\", stale=\"FALSE\""),
    }
}

fn md5_hex(s: &str) -> String {
    hex::encode(Md5::digest(s.as_bytes()))
}

/// Parses `key="value", key=value` pairs of a Digest header (after the scheme).
fn params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            value = r[..end].to_owned();
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        rest = rest.trim_start().trim_start_matches(',').trim_start();
        out.push((key, value));
    }
    out
}

/// Checks an `Authorization` header value for `method`. Digest: the response must be
/// MD5(MD5(user:realm:password):nonce:MD5(method:uri)) with our nonce and the header's
/// own `uri` (qop=auth is accepted too, for clients that add it). Basic: user:password.
/// Returns the user name on success.
#[must_use]
pub fn check(
    mode: AuthMode,
    creds: &Credentials,
    nonce: &str,
    method: &str,
    header: &str,
) -> Option<String> {
    let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    match mode {
        AuthMode::None => Some(String::new()),
        AuthMode::Basic if scheme.eq_ignore_ascii_case("basic") => {
            let plain = String::from_utf8(unbase64(rest.trim())?).ok()?;
            let (user, pass) = plain.split_once(':')?;
            (creds.password(user)? == pass).then(|| user.to_owned())
        }
        AuthMode::Digest if scheme.eq_ignore_ascii_case("digest") => {
            let p = params(rest);
            let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            let (user, uri, response) = (get("username")?, get("uri")?, get("response")?);
            if get("nonce")? != nonce {
                return None;
            }
            let ha1 = md5_hex(&format!(
                "{user}:{}:{}",
                get("realm")?,
                creds.password(user)?
            ));
            let ha2 = md5_hex(&format!("{method}:{uri}"));
            let expected = match get("qop") {
                Some(qop) => {
                    let (nc, cnonce) = (get("nc")?, get("cnonce")?);
                    md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}"))
                }
                None => md5_hex(&format!("{ha1}:{nonce}:{ha2}")),
            };
            expected
                .eq_ignore_ascii_case(response)
                .then(|| user.to_owned())
        }
        _ => None,
    }
}

/// A fresh nonce (32 hex characters) from the time and a counter.
#[must_use]
pub fn new_nonce() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    md5_hex(&format!("{}:{n}", t.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_without_qop_checks_the_header_uri() {
        let creds = Credentials::user("admin", "pw1");
        let ha1 = md5_hex(&format!("admin:{REALM}:pw1"));
        let uri = "rtsp://127.0.0.1:1/ISAPI/Streaming/channels/101";
        let resp = md5_hex(&format!("{ha1}:abc:{}", md5_hex(&format!("SETUP:{uri}"))));
        let h = format!(
            "Digest username=\"admin\", realm=\"{REALM}\", nonce=\"abc\", uri=\"{uri}\", response=\"{resp}\""
        );
        assert_eq!(
            check(AuthMode::Digest, &creds, "abc", "SETUP", &h).as_deref(),
            Some("admin")
        );
        assert!(check(AuthMode::Digest, &creds, "abc", "PLAY", &h).is_none());
        assert!(check(AuthMode::Digest, &creds, "other", "SETUP", &h).is_none());
        assert!(check(AuthMode::Basic, &creds, "abc", "SETUP", &h).is_none());
    }

    #[test]
    fn basic_checks_user_and_password() {
        let creds = Credentials::user("admin", "pw1");
        let ok = format!("Basic {}", super::super::sdp::base64(b"admin:pw1"));
        let bad = format!("Basic {}", super::super::sdp::base64(b"admin:pw2"));
        assert!(check(AuthMode::Basic, &creds, "n", "DESCRIBE", &ok).is_some());
        assert!(check(AuthMode::Basic, &creds, "n", "DESCRIBE", &bad).is_none());
        assert!(check(AuthMode::Basic, &creds, "n", "DESCRIBE", "Basic ").is_none());
    }
}
