//! [`Password`]: a secret that zeroes its memory and never prints.

use std::fmt;

use zeroize::Zeroizing;

/// A device password.
///
/// * Its bytes are overwritten with zeros when it is dropped. The one copy this crate makes,
///   into the SDK's login structure, is made only once `NET_DVR_Init` has succeeded, and is
///   zeroed whenever that structure is freed: right after a synchronous login call, after
///   an asynchronous login's result arrived, and on every error path.
/// * `Debug` and `Display` print `***`, so it never reaches a log line, a panic message or
///   an error, even at trace level.
/// * There is no public accessor: the only thing this crate does with it is hand it to
///   `NET_DVR_Login_V40`.
///
/// ```
/// use hcnetsdk::Password;
/// let p = Password::new("12345abc");
/// assert_eq!(format!("{p} {p:?}"), "*** ***");
/// assert_eq!(p.len(), 8);
/// ```
#[doc(alias = "Secret")]
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wrap a password. Passing a `String` moves it in, so no second copy stays behind.
    pub fn new(password: impl Into<String>) -> Self {
        Self(Zeroizing::new(password.into()))
    }

    /// Read the password from an environment variable (e.g. `HCNET_PASSWORD`).
    ///
    /// Returns `None` when the variable is unset or not valid UTF-8.
    pub fn from_env(var: &str) -> Option<Self> {
        std::env::var(var).ok().map(Self::new)
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the password is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret itself; crate-internal on purpose.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Password {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints() {
        let p = Password::new("hunter2-secret");
        assert_eq!(format!("{p}"), "***");
        assert_eq!(format!("{p:?}"), "***");
        assert_eq!(format!("{p:#?}"), "***");
        assert_eq!(p.expose(), "hunter2-secret");
    }
}
