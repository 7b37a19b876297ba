//! The password hash of the ISAPI session login, as Hikvision's web client and the
//! HCNetSDK derive it from the `SessionLoginCap` (user name, salt, challenge, iterations,
//! `isIrreversible`). Lower-case hex SHA-256 throughout; each step hashes the hex text of
//! the step before.
//!
//! * irreversible: `h = sha256(user + salt + password)`, `h = sha256(h + challenge)`,
//!   then `h = sha256(h)` until `iterations` hashes in all (at least two);
//! * reversible: `h = sha256(password) + challenge`, then `h = sha256(h)`
//!   `iterations - 1` times.

use sha2::{Digest, Sha256};

/// What the client needs from the `SessionLoginCap` to hash its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashParams<'a> {
    /// The user name.
    pub user: &'a str,
    /// `salt` (used when irreversible).
    pub salt: &'a str,
    /// `challenge`.
    pub challenge: &'a str,
    /// `iterations`.
    pub iterations: u32,
    /// `isIrreversible`.
    pub irreversible: bool,
}

/// Lower-case hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The `password` element of a `SessionLogin` for `password` under `params`.
pub fn session_login_hash(params: &HashParams<'_>, password: &str) -> String {
    if params.irreversible {
        let mut h = sha256_hex(&format!("{}{}{password}", params.user, params.salt));
        h = sha256_hex(&format!("{h}{}", params.challenge));
        for _ in 2..params.iterations {
            h = sha256_hex(&h);
        }
        h
    } else {
        let mut h = format!("{}{}", sha256_hex(password), params.challenge);
        for _ in 1..params.iterations {
            h = sha256_hex(&h);
        }
        h
    }
}

/// Whether `sent` is the hash of `stored` under `params` (case-insensitive hex, compared
/// without an early exit).
pub fn verify(params: &HashParams<'_>, stored: &str, sent: &str) -> bool {
    let want = session_login_hash(params, stored);
    want.len() == sent.len()
        && want
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b.to_ascii_lowercase()))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(irreversible: bool, iterations: u32) -> HashParams<'static> {
        HashParams {
            user: "admin",
            salt: "s4lt",
            challenge: "ch4llenge",
            iterations,
            irreversible,
        }
    }

    #[test]
    fn irreversible_chain() {
        let p = params(true, 4);
        let mut h = sha256_hex("admins4ltpw");
        h = sha256_hex(&format!("{h}ch4llenge"));
        h = sha256_hex(&sha256_hex(&h));
        assert_eq!(session_login_hash(&p, "pw"), h);
        assert_eq!(h.len(), 64);
        assert!(verify(&p, "pw", &h));
        assert!(verify(&p, "pw", &h.to_ascii_uppercase()));
        assert!(!verify(&p, "pW", &h));
        // Fewer than two iterations still hashes twice.
        assert_eq!(
            session_login_hash(&params(true, 1), "pw"),
            session_login_hash(&params(true, 2), "pw")
        );
    }

    #[test]
    fn reversible_chain() {
        let p = params(false, 3);
        let h0 = format!("{}ch4llenge", sha256_hex("pw"));
        assert_eq!(session_login_hash(&p, "pw"), sha256_hex(&sha256_hex(&h0)));
        assert_eq!(session_login_hash(&params(false, 1), "pw"), h0);
    }

    #[test]
    fn known_vector() {
        // sha256("abc"), the FIPS 180-2 example.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
