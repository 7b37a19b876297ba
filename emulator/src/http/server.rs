//! The hyper server behind [`HttpFace`]: a thread with its own tokio runtime, one task
//! per connection (HTTP/1.1 keep-alive, as the SDK uses it), on a plain port and, with
//! [`HttpFace::bind_https`], a TLS port answering from the same state (routes, sessions,
//! log). [`HttpFace::set_listening`] closes and reopens both ports (a device going offline
//! and back); [`HttpFace::set_delay`] holds every answer back.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, COOKIE, HeaderValue, SET_COOKIE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use super::alert::{self, AlertBody};
use super::model::IsapiModel;
use super::route::{self, Req, State};
use super::session::Sessions;
use super::tls::{self, TlsRecord};
use super::{HttpConfig, RequestRecord};

/// A device's ISAPI face on `127.0.0.1:<ephemeral port>` (and, with
/// [`bind_https`](Self::bind_https), a second port speaking TLS), served from a background
/// thread until [`shutdown`](Self::shutdown) or drop.
pub struct HttpFace {
    addr: SocketAddr,
    https: Option<(SocketAddr, Arc<ServerConfig>)>,
    state: Arc<State>,
    extra: Arc<Extra>,
    running: Mutex<Option<Running>>,
}

/// What the connections share beyond the routing state.
#[derive(Default)]
struct Extra {
    /// Added before every answer, in milliseconds.
    delay_ms: AtomicU64,
    tls_log: Mutex<Vec<TlsRecord>>,
}

/// The serving thread while the ports are open.
struct Running {
    stop: oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

impl std::fmt::Debug for HttpFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpFace")
            .field("addr", &self.addr)
            .field("https", &self.https.as_ref().map(|h| h.0))
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
        Self::start(model, config, None)
    }

    /// Serve `model` with `config` on a plain port and on a TLS port with `tls` (see
    /// [`super::TlsCert::server_config`]): the same routes, sessions and request log on
    /// both.
    ///
    /// # Errors
    /// Binding a loopback port, or starting the thread or runtime.
    pub fn bind_https(
        model: Arc<dyn IsapiModel>,
        config: HttpConfig,
        tls: Arc<ServerConfig>,
    ) -> io::Result<Self> {
        Self::start(model, config, Some(tls))
    }

    fn start(
        model: Arc<dyn IsapiModel>,
        config: HttpConfig,
        tls: Option<Arc<ServerConfig>>,
    ) -> io::Result<Self> {
        let plain = listen(0)?;
        let addr = plain.local_addr()?;
        let mut listeners = vec![(plain, None)];
        let mut https = None;
        if let Some(tls) = tls {
            let l = listen(0)?;
            https = Some((l.local_addr()?, Arc::clone(&tls)));
            listeners.push((l, Some(TlsAcceptor::from(tls))));
        }
        let state = Arc::new(State {
            model,
            config,
            sessions: Sessions::new(),
            log: Mutex::new(Vec::new()),
        });
        let face = Self {
            addr,
            https,
            state,
            extra: Arc::default(),
            running: Mutex::new(None),
        };
        let running = face.run(listeners)?;
        *face.running() = Some(running);
        Ok(face)
    }

    /// Start the serving thread on `listeners`.
    fn run(&self, listeners: Vec<(StdListener, Option<TlsAcceptor>)>) -> io::Result<Running> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let (stop, stopped) = oneshot::channel();
        let state = Arc::clone(&self.state);
        let extra = Arc::clone(&self.extra);
        let thread = std::thread::Builder::new()
            .name(format!("emulator-http-{}", self.addr.port()))
            .spawn(move || runtime.block_on(serve(listeners, state, extra, stopped)))?;
        Ok(Running { stop, thread })
    }

    fn running(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        hcnetsdk_device::lock(&self.running)
    }

    /// Close both ports and every connection (`false`: connections are then refused, as by
    /// a device that is offline), or open them again on the same port numbers (`true`).
    /// Sessions and the request log stay. Nothing happens when already so.
    ///
    /// # Errors
    /// Binding a port again (something else took it meanwhile), or starting the thread.
    pub fn set_listening(&self, on: bool) -> io::Result<()> {
        let mut running = self.running();
        match (on, running.is_some()) {
            (false, true) => {
                if let Some(r) = running.take() {
                    r.finish();
                }
            }
            (true, false) => {
                let mut listeners = vec![(listen(self.addr.port())?, None)];
                if let Some((addr, tls)) = &self.https {
                    let acceptor = TlsAcceptor::from(Arc::clone(tls));
                    listeners.push((listen(addr.port())?, Some(acceptor)));
                }
                *running = Some(self.run(listeners)?);
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether its ports accept connections.
    pub fn is_listening(&self) -> bool {
        self.running().is_some()
    }

    /// Hold every answer back by `delay` from now on (a slow device; zero: none).
    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.extra.delay_ms.store(ms, Ordering::Relaxed);
    }

    /// The delay added before every answer.
    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.extra.delay_ms.load(Ordering::Relaxed))
    }

    /// The TLS port on 127.0.0.1, for a face made with [`bind_https`](Self::bind_https).
    pub fn https_port(&self) -> Option<u16> {
        self.https.as_ref().map(|h| h.0.port())
    }

    /// Every TLS handshake on the TLS port so far, in order.
    pub fn tls_handshakes(&self) -> Vec<TlsRecord> {
        hcnetsdk_device::lock(&self.extra.tls_log).clone()
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
        hcnetsdk_device::lock(&self.state.log).clone()
    }

    /// How many sessions are logged in.
    pub fn open_sessions(&self) -> usize {
        self.state.sessions.open_count()
    }

    /// Stop serving: close the listeners and every connection, and join the thread.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Running {
    fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

impl Drop for HttpFace {
    fn drop(&mut self) {
        if let Some(r) = self.running().take() {
            r.finish();
        }
    }
}

/// A non-blocking listener on 127.0.0.1:`port` (0: any).
fn listen(port: u16) -> io::Result<StdListener> {
    let listener = StdListener::bind((Ipv4Addr::LOCALHOST, port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Accept on every listener until `stopped`; dropping the runtime afterwards ends the
/// accept loops and the connection tasks.
async fn serve(
    listeners: Vec<(StdListener, Option<TlsAcceptor>)>,
    state: Arc<State>,
    extra: Arc<Extra>,
    stopped: oneshot::Receiver<()>,
) {
    for (listener, tls) in listeners {
        match tokio::net::TcpListener::from_std(listener) {
            Ok(l) => {
                tokio::spawn(accept(l, tls, Arc::clone(&state), Arc::clone(&extra)));
            }
            Err(e) => tracing::error!("emulator HTTP face: cannot use its listener: {e}"),
        }
    }
    let _ = stopped.await;
}

async fn accept(
    listener: tokio::net::TcpListener,
    tls: Option<TlsAcceptor>,
    state: Arc<State>,
    extra: Arc<Extra>,
) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let (state, extra) = (Arc::clone(&state), Arc::clone(&extra));
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        None => connection(stream, state, extra).await,
                        Some(acceptor) => {
                            let record = tls::peek_hello(&stream).await;
                            match acceptor.accept(stream).await {
                                Ok(s) => {
                                    log_tls(&extra, record, Ok(s.get_ref().1));
                                    connection(s, state, extra).await;
                                }
                                Err(e) => log_tls(&extra, record, Err(e)),
                            }
                        }
                    }
                });
            }
            Err(e) => {
                tracing::warn!("emulator HTTP face: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Note one handshake: what was agreed, or why it failed.
fn log_tls(
    extra: &Extra,
    mut record: TlsRecord,
    done: Result<&rustls::ServerConnection, io::Error>,
) {
    match done {
        Ok(c) => {
            record.version = c.protocol_version().map(|v| format!("{v:?}"));
            record.suite = c
                .negotiated_cipher_suite()
                .map(|s| format!("{:?}", s.suite()));
        }
        Err(e) => {
            tracing::info!("emulator HTTPS face: handshake failed: {e}");
            record.error = Some(e.to_string());
        }
    }
    let mut log = hcnetsdk_device::lock(&extra.tls_log);
    log.push(record);
}

/// Serve one connection (plain or TLS) until the client closes it.
async fn connection<S>(stream: S, state: Arc<State>, extra: Arc<Extra>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| handle(Arc::clone(&state), Arc::clone(&extra), req));
    // Devices send `Content-Length`, `Content-Type`; the SDK's parser reads the headers in
    // that case.
    let _ = http1::Builder::new()
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn handle(
    state: Arc<State>,
    extra: Arc<Extra>,
    req: Request<Incoming>,
) -> Result<Response<Either<Full<Bytes>, AlertBody>>, Infallible> {
    let delay = extra.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
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
