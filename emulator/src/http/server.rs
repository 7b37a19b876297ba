//! The hyper server behind [`HttpFace`]: a thread with its own tokio runtime, one task
//! per connection (HTTP/1.1 keep-alive, as the SDK uses it).

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, COOKIE, HeaderValue, SET_COOKIE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use super::alert::{self, AlertBody};
use super::model::IsapiModel;
use super::route::{self, Req, State};
use super::session::Sessions;
use super::{HttpConfig, RequestRecord};

/// A device's ISAPI face on `127.0.0.1:<ephemeral port>`, served from a background thread
/// until [`shutdown`](Self::shutdown) or drop.
pub struct HttpFace {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for HttpFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpFace")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl HttpFace {
    /// Serve `model` with the default login settings (100 iterations, irreversible).
    ///
    /// # Errors
    /// Binding the loopback port, or starting the thread or runtime.
    pub fn bind(model: Arc<dyn IsapiModel>) -> io::Result<Self> {
        Self::bind_with(model, HttpConfig::default())
    }

    /// Serve `model` with `config`.
    ///
    /// # Errors
    /// Binding the loopback port, or starting the thread or runtime.
    pub fn bind_with(model: Arc<dyn IsapiModel>, config: HttpConfig) -> io::Result<Self> {
        let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            model,
            config,
            sessions: Sessions::new(),
            log: Mutex::new(Vec::new()),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let (stop, stopped) = oneshot::channel();
        let served = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("emulator-http-{}", addr.port()))
            .spawn(move || runtime.block_on(serve(listener, served, stopped)))?;
        Ok(Self {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The port it listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.state
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many sessions are logged in.
    pub fn open_sessions(&self) -> usize {
        self.state.sessions.open_count()
    }

    /// Stop serving: close the listener and every connection, and join the thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for HttpFace {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Accept until `stopped`; dropping the runtime afterwards ends the connection tasks.
async fn serve(listener: StdListener, state: Arc<State>, mut stopped: oneshot::Receiver<()>) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("emulator HTTP face: cannot use its listener: {e}");
            return;
        }
    };
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        let service = service_fn(move |req| handle(Arc::clone(&state), req));
                        // Devices send `Content-Length`, `Content-Type`; the SDK's
                        // parser reads the headers in that case.
                        let _ = http1::Builder::new()
                            .title_case_headers(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Err(e) => tracing::warn!("emulator HTTP face: accept failed: {e}"),
            },
        }
    }
}

async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Either<Full<Bytes>, AlertBody>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let cookie = parts.headers.get(COOKIE).and_then(|v| v.to_str().ok());
    let reply = route::answer(
        &state,
        &Req {
            method: parts.method.as_str(),
            target: &target,
            cookie,
            body: &body,
        },
    );
    let streaming = reply.stream.is_some();
    let body = match reply.stream {
        Some(stream) => Either::Right(alert::body(stream)),
        None => Either::Left(Full::new(Bytes::from(reply.body))),
    };
    let mut response = Response::new(body);
    if streaming {
        // Close-delimited, not chunked: the SDK does not de-chunk the alert stream.
        *response.version_mut() = hyper::Version::HTTP_10;
    }
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&reply.content_type) {
        headers.insert(CONTENT_TYPE, v);
    }
    if let Some(v) = reply
        .set_cookie
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        headers.insert(SET_COOKIE, v);
    }
    Ok(response)
}
