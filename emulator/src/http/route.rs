//! Which answer each request gets: the session-login handshake, the session check, then
//! the model; a device's 404 for what nobody answers.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::alert::{self, ALERT_STREAM, AlertStream};
use super::hash::{HashParams, verify};
use super::model::{IsapiModel, LoginOutcome};
use super::session::Sessions;
use super::xml::{self, Cap, Lock, XML_CONTENT_TYPE};
use super::{HttpConfig, RequestRecord, Route};

const CAPABILITIES: &str = "/ISAPI/Security/sessionLogin/capabilities";
const LOGIN: &str = "/ISAPI/Security/sessionLogin";
const LOGOUT: &str = "/ISAPI/Security/sessionLogout";
/// The session cookie's name.
pub const COOKIE: &str = "WebSession";

/// Everything a request is answered from.
pub struct State {
    pub model: Arc<dyn IsapiModel>,
    pub config: HttpConfig,
    pub sessions: Sessions,
    pub log: Mutex<Vec<RequestRecord>>,
}

/// One request, as far as routing needs it.
pub struct Req<'a> {
    pub method: &'a str,
    /// Path and query as sent.
    pub target: &'a str,
    /// The `Cookie` header.
    pub cookie: Option<&'a str>,
    pub body: &'a [u8],
}

/// One answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub set_cookie: Option<String>,
    pub route: Route,
    /// An alert stream: the body is its parts ([`alert::body`]), not `body`.
    pub stream: Option<AlertStream>,
}

impl Reply {
    fn xml(status: u16, body: String, route: Route) -> Self {
        Self {
            status,
            content_type: XML_CONTENT_TYPE.to_owned(),
            body: body.into_bytes(),
            set_cookie: None,
            route,
            stream: None,
        }
    }
}

/// Answer `req`, and log it.
pub fn answer(state: &State, req: &Req<'_>) -> Reply {
    let reply = route(state, req);
    let record = RequestRecord {
        method: req.method.to_owned(),
        path: req.target.to_owned(),
        status: reply.status,
        route: reply.route,
    };
    if reply.route == Route::NotFound {
        tracing::warn!(
            method = req.method,
            path = req.target,
            "ISAPI request nobody answers: 404"
        );
    } else {
        tracing::info!(method = req.method, path = req.target, status = reply.status, route = ?reply.route, "ISAPI request");
    }
    hcnetsdk_device::lock(&state.log).push(record);
    reply
}

fn route(state: &State, req: &Req<'_>) -> Reply {
    let (path, query) = req.target.split_once('?').unwrap_or((req.target, ""));
    match (req.method, path) {
        ("GET", CAPABILITIES) => capabilities(state, query),
        ("POST", LOGIN) => login(state, req.body),
        _ => {
            let Some((id, user)) = session_cookie(req.cookie)
                .and_then(|id| state.sessions.user(id).map(|user| (id, user)))
            else {
                return Reply::xml(
                    401,
                    xml::user_check_401(Lock::Unlocked(None)),
                    Route::Unauthorized,
                );
            };
            if (req.method, path) == ("PUT", LOGOUT) {
                if state.sessions.close(id) {
                    state.model.session_closed(&user);
                }
                return Reply::xml(
                    200,
                    xml::response_status(req.target, 1, "ok"),
                    Route::Handshake,
                );
            }
            if (req.method, path) == ("GET", ALERT_STREAM)
                && let Some(r) = state.model.alert_stream(&user)
            {
                return alert_reply(r);
            }
            match state
                .model
                .isapi_as(&user, req.method, req.target, req.body)
            {
                // The model's own 404 (its `ResponseStatus`) is logged as one nobody answers.
                Some(a) => Reply {
                    route: if a.http_status == 404 {
                        Route::NotFound
                    } else {
                        Route::Model
                    },
                    status: a.http_status,
                    content_type: a.content_type,
                    body: a.body,
                    set_cookie: None,
                    stream: None,
                },
                None => Reply::xml(
                    404,
                    xml::response_status(req.target, 4, "notSupport"),
                    Route::NotFound,
                ),
            }
        }
    }
}

/// The alert stream's 200 with its parts, or the model's refusal.
fn alert_reply(r: Result<AlertStream, super::IsapiAnswer>) -> Reply {
    match r {
        Ok(stream) => Reply {
            status: 200,
            content_type: alert::content_type(),
            body: Vec::new(),
            set_cookie: None,
            route: Route::Model,
            stream: Some(stream),
        },
        Err(a) => Reply {
            status: a.http_status,
            content_type: a.content_type,
            body: a.body,
            set_cookie: None,
            route: Route::Model,
            stream: None,
        },
    }
}

/// The value of the first `WebSession…` cookie.
fn session_cookie(header: Option<&str>) -> Option<&str> {
    header?.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        k.starts_with(COOKIE).then_some(v.trim())
    })
}

/// The value of `key` in a query string (no percent-decoding beyond what user names need).
fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|kv| {
        kv.split_once('=')
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v)
    })
}

fn capabilities(state: &State, query: &str) -> Reply {
    let user = query_value(query, "username").unwrap_or("");
    let (id, pending) = state.sessions.challenge(user);
    let cap = Cap {
        session_id: &id,
        challenge: &pending.challenge,
        iterations: state.config.iterations,
        irreversible: state.config.irreversible,
        salt: &pending.salt,
    };
    Reply::xml(200, xml::session_login_cap(&cap), Route::Handshake)
}

fn login(state: &State, body: &[u8]) -> Reply {
    let unauthorized = |lock| Reply::xml(401, xml::user_check_401(lock), Route::Handshake);
    let text = String::from_utf8_lossy(body);
    let (Some(id), Some(sent)) = (
        xml::element(&text, "sessionID"),
        xml::element(&text, "password"),
    ) else {
        return Reply::xml(
            400,
            xml::response_status(LOGIN, 5, "badXmlFormat"),
            Route::Handshake,
        );
    };
    let Some(pending) = state.sessions.take_pending(id) else {
        return unauthorized(Lock::Unlocked(None));
    };
    let user = xml::element(&text, "userName").unwrap_or(&pending.user);
    if user != pending.user {
        return unauthorized(Lock::Unlocked(None));
    }
    let params = HashParams {
        user,
        salt: &pending.salt,
        challenge: &pending.challenge,
        iterations: state.config.iterations,
        irreversible: state.config.irreversible,
    };
    let check = |stored: &str| verify(&params, stored, sent);
    match state.model.login_attempt(user, &check, Instant::now()) {
        LoginOutcome::Success => {
            state.sessions.open(id, user);
            let mut reply = Reply::xml(200, xml::session_login_ok(id), Route::Handshake);
            reply.set_cookie = Some(format!("{COOKIE}={id}; path=/; HttpOnly"));
            reply
        }
        LoginOutcome::WrongPassword { attempts_left } => {
            unauthorized(Lock::Unlocked(attempts_left))
        }
        LoginOutcome::Locked { remaining } => unauthorized(Lock::Locked(remaining)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_and_query() {
        assert_eq!(session_cookie(Some("a=1; WebSession=abc")), Some("abc"));
        assert_eq!(session_cookie(Some("WebSession_8080=xyz")), Some("xyz"));
        assert_eq!(session_cookie(Some("a=1")), None);
        assert_eq!(session_cookie(None), None);
        assert_eq!(
            query_value("username=admin&random=1", "username"),
            Some("admin")
        );
        assert_eq!(query_value("random=1", "username"), None);
    }
}
