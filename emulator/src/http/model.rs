//! What the HTTP face needs from a device model: the account check behind the session
//! login, and the answers to every other ISAPI request.
//!
//! The face owns the protocol (the handshake, its hash, the session cookie, the
//! `ResponseStatus` for paths nobody answers); the model owns the device (users and their
//! passwords, the lock-out counters, the endpoints). `hcnetsdk-device` implements this
//! trait for its device; tests implement it with a fixture.

use std::time::{Duration, Instant};

/// How one login attempt ended, as the device's lock-out rules decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The password was right: the face opens a session.
    Success,
    /// Wrong user name or password. `attempts_left`: attempts before the account locks
    /// (`retryLoginTime`), `None` for a device without a lock.
    WrongPassword {
        /// Attempts left before the lock.
        attempts_left: Option<u32>,
    },
    /// The account is locked (whatever the password was): for how much longer.
    Locked {
        /// Time until the lock ends (`unlockTime`).
        remaining: Duration,
    },
}

/// The device's answer to one ISAPI request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsapiAnswer {
    /// The HTTP status (200, or the status a device sends with a failing
    /// `ResponseStatus`).
    pub http_status: u16,
    /// The body, sent as it is.
    pub body: Vec<u8>,
    /// Its `Content-Type`, e.g. `application/xml; charset="UTF-8"` or `image/jpeg`.
    pub content_type: String,
}

impl IsapiAnswer {
    /// A 200 answer with an XML body.
    pub fn xml(body: impl Into<String>) -> Self {
        Self {
            http_status: 200,
            body: body.into().into_bytes(),
            content_type: super::xml::XML_CONTENT_TYPE.to_owned(),
        }
    }
}

/// A device behind the HTTP face.
pub trait IsapiModel: Send + Sync {
    /// One login attempt by `user`. `check` is handed the user's stored password (in
    /// clear, as the device model keeps it) and says whether the hash the client sent
    /// matches it; the model counts a failure towards the lock and says what the device
    /// answers. An unknown user is a [`LoginOutcome::WrongPassword`].
    fn login_attempt(&self, user: &str, check: &dyn Fn(&str) -> bool, now: Instant)
    -> LoginOutcome;

    /// One ISAPI request of a logged-in session: `method` (`GET`, `PUT`, ...), `path` as
    /// sent, with its query (`/ISAPI/System/deviceInfo?format=json`), and the body.
    /// `None` when the device has no such endpoint: the face then answers a device's 404
    /// (`ResponseStatus` statusCode 4, `notSupport`) and logs the request.
    fn isapi(&self, method: &str, path: &str, body: &[u8]) -> Option<IsapiAnswer>;

    /// The same request with the logged-in `user` named (a model with roles answers by
    /// the user's rights). By default [`isapi`](Self::isapi), for models without roles.
    fn isapi_as(&self, user: &str, method: &str, path: &str, body: &[u8]) -> Option<IsapiAnswer> {
        let _ = user;
        self.isapi(method, path, body)
    }

    /// `GET /ISAPI/Event/notification/alertStream` by `user`: arm the device and hand the
    /// stream's source (`Ok`), or the answer that refuses it (`Err`, e.g. too many
    /// armings). `None` (the default) for a device without alarms: the face answers 404.
    fn alert_stream(&self, user: &str) -> Option<Result<super::alert::AlertStream, IsapiAnswer>> {
        let _ = user;
        None
    }

    /// `user`'s session ended (`sessionLogout`): a model that counts sessions gives one
    /// back. By default nothing.
    fn session_closed(&self, user: &str) {
        let _ = user;
    }
}
