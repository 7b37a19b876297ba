//! [`Isapi`]: ISAPI requests passed through the SDK's login (`NET_DVR_STDXMLConfig`), with
//! the device's `ResponseStatus` turned into a typed [`Error`], and typed helpers for device
//! information, PTZ and the picture ([`Isapi::device_info`], [`Isapi::ptz_status`],
//! [`Isapi::picture`], ...).
//!
//! Many features exist only in ISAPI, and ISAPI is the usual fallback when a classic
//! command returns 23. Sessions that logged in with [`LoginMode::Isapi`] cannot use the
//! classic PTZ and capture calls at all (the SDK fails them with 189): [`Ptz`](crate::Ptz)
//! and [`Snapshot`](crate::Snapshot) go through this module for such sessions by
//! themselves.

pub(crate) mod status;
pub(crate) mod typed;

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use hcnetsdk_sys as sys;

use crate::error::{Error, Result};
use crate::ffi::resolve;
use crate::session::{LoginMode, Session};

pub use status::ResponseStatus;
pub(crate) use status::xml_text;
pub use typed::{IsapiDeviceInfo, PtzStatus};

/// The SDK function every ISAPI request goes through.
pub(crate) const CALL: &str = "NET_DVR_STDXMLConfig";

/// `NET_DVR_NOENOUGH_BUF`: the output buffer is too small.
const NOT_ENOUGH_BUFFER: u32 = 43;

impl Session {
    /// ISAPI requests on this login (`NET_DVR_STDXMLConfig`). Works with every login mode;
    /// sessions with [`LoginMode::Isapi`] have nothing else for many features.
    pub fn isapi(&self) -> Isapi {
        Isapi::new(self.clone())
    }

    /// Whether the classic PTZ and capture calls are unavailable on this login (it used
    /// [`LoginMode::Isapi`]), so that [`Ptz`](crate::Ptz) and
    /// [`Snapshot`](crate::Snapshot) go through ISAPI instead.
    pub(crate) fn routes_through_isapi(&self) -> bool {
        self.device_info().login_mode == LoginMode::Isapi
    }
}

/// An HTTP method of an ISAPI request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: read a resource.
    Get,
    /// `PUT`: change a resource.
    Put,
    /// `POST`: create, or run a search.
    Post,
    /// `DELETE`: remove a resource.
    Delete,
}

impl Method {
    /// The method's name as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    /// `GET`, `PUT`, `POST` or `DELETE`, in any case.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "PUT" => Ok(Method::Put),
            "POST" => Ok(Method::Post),
            "DELETE" => Ok(Method::Delete),
            _ => Err(Error::invalid_input(
                "method",
                s,
                "use GET, PUT, POST or DELETE",
            )),
        }
    }
}

/// What the device answered an ISAPI request: the body (XML, JSON or binary, such as a
/// JPEG) and the `ResponseStatus` when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    body: Vec<u8>,
    status: Option<ResponseStatus>,
}

impl Response {
    /// The body's bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The device's `ResponseStatus` (always OK here: a failing one is an [`Error`]), from
    /// the SDK's status buffer or the body, if the device sent one.
    pub fn status(&self) -> Option<&ResponseStatus> {
        self.status.as_ref()
    }
}

/// ISAPI requests on one login, through `NET_DVR_STDXMLConfig`. Made by
/// [`Session::isapi`]; holds a clone of the session (`'static`; after the session's
/// [`logout`](Session::logout) requests fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut)).
///
/// A request is a method and a path (`/ISAPI/System/deviceInfo`, with a query if needed);
/// bodies are XML, or JSON with `?format=json` in the path. The answer's buffer starts at
/// [`Isapi::DEFAULT_BUFFER`] bytes and grows when it does not fit (up to
/// [`max_buffer`](Self::max_buffer)); a request is then sent again, so give a `POST` that
/// must not run twice a large enough [`initial_buffer`](Self::initial_buffer).
///
/// A `ResponseStatus` that is not OK, in the status buffer or as the body, is an
/// [`ErrorKind::Isapi`](crate::error::ErrorKind::Isapi) error with the ISAPI catalogue's
/// remediation, whether the SDK call returned TRUE or FALSE.
///
/// ```no_run
/// # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
/// let isapi = session.isapi();
/// let info = isapi.get("/ISAPI/System/deviceInfo")?;
/// println!("{}", info.text());
/// isapi.put(
///     "/ISAPI/PTZCtrl/channels/1/continuous",
///     "<PTZData><pan>50</pan><tilt>0</tilt></PTZData>",
/// )?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Isapi {
    session: Session,
    initial: usize,
    max: usize,
    timeout: Option<Duration>,
}

/// What one `NET_DVR_STDXMLConfig` call left in its buffers.
struct Attempt {
    ok: std::result::Result<(), Error>,
    returned: usize,
    status: Option<ResponseStatus>,
}

impl Isapi {
    /// Default first size of the answer's buffer: 64 KiB.
    pub const DEFAULT_BUFFER: usize = 64 * 1024;
    /// Default largest size the answer's buffer may grow to: 32 MiB.
    pub const DEFAULT_MAX_BUFFER: usize = 32 * 1024 * 1024;
    /// Size of the buffer for the `ResponseStatus`.
    pub const STATUS_BUFFER: usize = 4096;
    /// Longest path accepted.
    pub const MAX_PATH: usize = 4096;

    fn new(session: Session) -> Self {
        Self {
            session,
            initial: Self::DEFAULT_BUFFER,
            max: Self::DEFAULT_MAX_BUFFER,
            timeout: None,
        }
    }

    /// First size of the answer's buffer (default [`Isapi::DEFAULT_BUFFER`]; at least 1).
    #[must_use]
    pub fn initial_buffer(mut self, bytes: usize) -> Self {
        self.initial = bytes.max(1);
        self
    }

    /// Largest size the answer's buffer may grow to (default
    /// [`Isapi::DEFAULT_MAX_BUFFER`]).
    #[must_use]
    pub fn max_buffer(mut self, bytes: usize) -> Self {
        self.max = bytes.max(1);
        self
    }

    /// How long the SDK waits for the answer (`dwRecvTimeOut`; default: the SDK's own).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// `GET path`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn get(&self, path: &str) -> Result<Response> {
        self.request(Method::Get, path, None)
    }

    /// `PUT path` with `body` (XML, or JSON with `?format=json` in the path).
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn put(&self, path: &str, body: impl AsRef<[u8]>) -> Result<Response> {
        self.request(Method::Put, path, Some(body.as_ref()))
    }

    /// `POST path` with `body`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn post(&self, path: &str, body: impl AsRef<[u8]>) -> Result<Response> {
        self.request(Method::Post, path, Some(body.as_ref()))
    }

    /// `DELETE path`.
    ///
    /// # Errors
    /// As for [`request`](Self::request).
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn delete(&self, path: &str) -> Result<Response> {
        self.request(Method::Delete, path, None)
    }

    /// Send one request and read the answer, growing the buffer when it does not fit.
    ///
    /// # Errors
    /// * a path that does not start with `/`, holds spaces or control characters, or is
    ///   longer than [`Isapi::MAX_PATH`] (before any SDK call);
    /// * [`ErrorKind::Isapi`](crate::error::ErrorKind::Isapi) when the device answered a
    ///   `ResponseStatus` that is not OK (e.g. statusCode 4, `notSupport`, for a path it
    ///   does not have);
    /// * the SDK's code from `NET_DVR_STDXMLConfig` (e.g. 47 when the session is gone, 43
    ///   when the answer does not fit even in [`max_buffer`](Self::max_buffer) bytes);
    /// * [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut) after a logout.
    #[doc(alias = "NET_DVR_STDXMLConfig")]
    pub fn request(&self, method: Method, path: &str, body: Option<&[u8]>) -> Result<Response> {
        check_path(path)?;
        let mut url = format!("{method} {path}").into_bytes();
        let url_len = url.len() as u32;
        url.push(0);
        let mut input = body.map(|b| {
            let mut v = Vec::with_capacity(b.len() + 1);
            v.extend_from_slice(b);
            v.push(0);
            v
        });
        let in_len = body.map_or(0, |b| b.len());
        let in_len = u32::try_from(in_len)
            .map_err(|_| Error::invalid_input("body", in_len, "send less than 4 GiB"))?;
        let mut len = self.initial.min(self.max).max(1);
        loop {
            let mut out = vec![0u8; len];
            let a = self.attempt(&mut url, url_len, input.as_deref_mut(), in_len, &mut out)?;
            let failed_status = a.status.clone().filter(|s| !s.is_ok());
            match a.ok {
                Ok(()) if a.returned > len && len < self.max => {}
                Ok(()) => {
                    if let Some(s) = failed_status {
                        return Err(self.status_error(method, path, s, None));
                    }
                    out.truncate(a.returned.min(len));
                    return Ok(Response {
                        body: out,
                        status: a.status,
                    });
                }
                Err(e) => {
                    if let Some(s) = failed_status {
                        return Err(self.status_error(method, path, s, e.raw_code()));
                    }
                    if e.raw_code() != Some(NOT_ENOUGH_BUFFER) || len >= self.max {
                        return Err(e.with_finding(format!("request: {method} {path}")));
                    }
                }
            }
            let next = if a.returned > len {
                a.returned
            } else {
                len.saturating_mul(2)
            };
            tracing::debug!(
                from = len,
                to = next.min(self.max),
                "ISAPI answer too large; growing"
            );
            len = next.min(self.max);
        }
    }

    /// One `NET_DVR_STDXMLConfig` call into `out`; only a logout fails it outright (a
    /// missing export is the attempt's error).
    fn attempt(
        &self,
        url: &mut [u8],
        url_len: u32,
        body: Option<&mut [u8]>,
        in_len: u32,
        out: &mut [u8],
    ) -> Result<Attempt> {
        let live = self.session.live()?;
        let user_id = live.user_id();
        let mut status_buf = vec![0u8; Self::STATUS_BUFFER];
        let mut input = sys::NET_DVR_XML_CONFIG_INPUT {
            dwSize: size_of::<sys::NET_DVR_XML_CONFIG_INPUT>() as u32,
            lpRequestUrl: url.as_mut_ptr().cast(),
            dwRequestUrlLen: url_len,
            lpInBuffer: body.map_or(std::ptr::null_mut(), |b| b.as_mut_ptr().cast()),
            dwInBufferSize: in_len,
            dwRecvTimeOut: self
                .timeout
                .map_or(0, |t| u32::try_from(t.as_millis()).unwrap_or(u32::MAX)),
            ..Default::default()
        };
        let mut output = sys::NET_DVR_XML_CONFIG_OUTPUT {
            dwSize: size_of::<sys::NET_DVR_XML_CONFIG_OUTPUT>() as u32,
            lpOutBuffer: out.as_mut_ptr().cast(),
            dwOutBufferSize: u32::try_from(out.len()).unwrap_or(u32::MAX),
            lpStatusBuffer: status_buf.as_mut_ptr().cast(),
            dwStatusSize: Self::STATUS_BUFFER as u32,
            ..Default::default()
        };
        let ctx = || self.session.context();
        let func = resolve!(self.session.sdk().lib(), NET_DVR_STDXMLConfig);
        // SAFETY: `input` and `output` are live structs with their sizes set; every buffer
        // they point to (`url`, `body`, `out`, `status_buf`) is live, writable and at least
        // as long as the size passed beside it, for the whole call.
        let ok = func.bool(&ctx, |f| unsafe {
            f(user_id, &raw mut input, &raw mut output)
        });
        drop(live);
        let returned = output.dwReturnedXMLSize as usize;
        let shown = &out[..returned.min(out.len())];
        let status = ResponseStatus::parse(&status_buf).or_else(|| ResponseStatus::parse(shown));
        Ok(Attempt {
            ok,
            returned,
            status,
        })
    }

    fn status_error(
        &self,
        method: Method,
        path: &str,
        status: ResponseStatus,
        sdk_code: Option<u32>,
    ) -> Error {
        Error::isapi(status, sdk_code, CALL, self.session.context())
            .with_finding(format!("request: {method} {path}"))
    }
}

/// A path the SDK can put after the method: `/...`, printable, no spaces.
fn check_path(path: &str) -> Result<()> {
    let fix = "give an ISAPI path such as /ISAPI/System/deviceInfo: it starts with /, has \
               no spaces or control characters (percent-encode them) and is at most 4096 bytes";
    if !path.starts_with('/')
        || path.len() > Isapi::MAX_PATH
        || path.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid_input("path", format!("{path:?}"), fix));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        assert!(check_path("/ISAPI/System/deviceInfo").is_ok());
        assert!(check_path("/ISAPI/x?format=json").is_ok());
        for bad in ["", "ISAPI/x", "/a b", "/a\r\nHost: x", "/a\0"] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_path(&format!("/{}", "a".repeat(5000))).is_err());
    }

    #[test]
    fn methods_parse() {
        assert_eq!("get".parse::<Method>().unwrap(), Method::Get);
        assert_eq!("DELETE".parse::<Method>().unwrap(), Method::Delete);
        assert!("PATCH".parse::<Method>().is_err());
        assert_eq!(Method::Post.to_string(), "POST");
    }
}
