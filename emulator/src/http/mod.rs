//! The ISAPI face over HTTP: the session-login handshake the HCNetSDK sends in its ISAPI
//! login mode (`byLoginMode = 1`), the `WebSession` cookie, and every other request passed
//! to the device model ([`IsapiModel`]).
//!
//! ```text
//! GET  /ISAPI/Security/sessionLogin/capabilities?username=U&random=N  -> SessionLoginCap
//! POST /ISAPI/Security/sessionLogin   (SessionLogin, hashed password) -> SessionLogin 200
//!                                      + Set-Cookie: WebSession=<sessionID>
//!                                      or userCheck 401 (retryLoginTime / lockStatus)
//! any request without a valid cookie                                  -> userCheck 401
//! PUT  /ISAPI/Security/sessionLogout                                  -> ResponseStatus OK
//! GET  /ISAPI/Event/notification/alertStream                          -> multipart/mixed
//!                                      EventNotificationAlert parts ([`alert`]), long-lived
//! anything else                                                       -> the model, or a
//!                                      device's 404 (ResponseStatus 4 notSupport), logged
//! ```
//!
//! The hash is in [`hash`]. The face binds 127.0.0.1 only, on an ephemeral port, and runs
//! on its own thread (tokio, hyper http1) until it is shut down or dropped. With
//! [`HttpFace::bind_https`] it also speaks TLS on a second port ([`tls`]: the certificate
//! made at start, rustls).

pub mod alert;
pub mod hash;
pub mod model;
mod route;
mod server;
mod session;
pub mod tls;
pub mod xml;

pub use model::{IsapiAnswer, IsapiModel, LoginOutcome};
pub use route::COOKIE;
pub use server::HttpFace;
pub use tls::{TlsCert, TlsRecord, TlsVersions};

/// How the face runs the session login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpConfig {
    /// `iterations` in the `SessionLoginCap` (devices send 100).
    pub iterations: u32,
    /// `isIrreversible` in the `SessionLoginCap` (devices send `true`).
    pub irreversible: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            iterations: 100,
            irreversible: true,
        }
    }
}

/// Who answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The face itself: capabilities, login, logout.
    Handshake,
    /// No valid session cookie: a 401.
    Unauthorized,
    /// The device model.
    Model,
    /// Nobody: a device's 404 (the face's, or the model's own).
    NotFound,
}

/// One request the face answered, in the order they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// Path and query as sent.
    pub path: String,
    /// The HTTP status answered.
    pub status: u16,
    /// Who answered.
    pub route: Route,
}
