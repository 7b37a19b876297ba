//! The RTSP face of one simulated device: DESCRIBE/SETUP/PLAY/HEARTBEAT/TEARDOWN with
//! camera-shaped SDP and auth, and RTP at real-time pace, on 127.0.0.1 only.
//!
//! # What the real SDK sends (`shared/reference/real-sdk-isapi.md`, "Live preview over RTSP")
//! In ISAPI login mode `RealPlay_V40` connects to the device's RTSP port and sends, on one
//! TCP connection, with User-Agent `NKPlayer-…`:
//! `DESCRIBE rtsp://HOST:PORT/ISAPI/Streaming/channels/101` (102 for the sub stream),
//! `SETUP <content base>/trackID=1` with `RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=0` (or
//! UDP with `client_port=20000-20001`), `PLAY <base>` with `Range: npt=0.000000-0.000000`,
//! `HEARTBEAT <base>` every 5 s, `TEARDOWN <base>`. No OPTIONS, no GET_PARAMETER, no RTCP.
//! The reference says its first request carries an empty `Authorization: Basic `; against
//! this server (`tests/preview_real_sdk.rs`) it carries no `Authorization` at all. Either
//! counts as no credentials. To a Digest challenge it
//! answers MD5 Digest without qop and always puts the DESCRIBE URL in `uri`, even on
//! SETUP; to a Basic challenge it sends `admin:<password>` in clear.
//!
//! # What we answer
//! - 401 with a challenge ([`AuthMode::Digest`] by default, [`AuthMode::Basic`] for the
//!   "credentials in clear" tests) until a request carries valid credentials; after that
//!   the connection is trusted, but any `Authorization` sent is still checked. OPTIONS
//!   needs no credentials (ffmpeg starts with it).
//! - DESCRIBE: the SDP of [`sdp::describe`], with the `a=Media_header:MEDIAINFO=` IMKH line
//!   (system_format 4) that the SDK needs (without it: error 414;
//!   [`RtspConfig::without_media_header`] leaves it out), relative
//!   `a=control:trackID=1` (video) and `trackID=2` (audio), and a `Content-Base` ending in
//!   `/`. Stream ids are N01/N02 for channel N, as the [`MediaSource`] has them; others 404.
//! - SETUP: any URL naming `trackID=N`, including the "glued" form the SDK builds from an
//!   absolute control URL (`<base><absolute url>`); TCP interleaved or UDP (a pair of
//!   loopback sockets). `Session: <id>;timeout=60`.
//! - PLAY: 200 with `Range` and `RTP-Info`, then RTP starts [`RtspConfig::play_delay`]
//!   (50 ms) later, because over TCP the SDK discards RTP bytes that arrive in the same
//!   read as the PLAY reply. The stream starts at a keyframe, is paced in real time and
//!   loops the clip with continuous timestamps and sequence numbers ([`rtp`]).
//! - Playback: `/ISAPI/Streaming/tracks/<id>/?starttime=…&endtime=…` (DESCRIBE, the glued
//!   SETUP `…/tracks/<id>//trackID=1?…`, PLAY) asks the [`MediaSource`]'s
//!   [`PlaybackSource`] for the recording (404 without one), sends its frames once at
//!   real-time pace (`play::run_recording`), then closes the connection (README:
//!   "Recordings through the real SDK").
//! - HEARTBEAT, GET_PARAMETER, SET_PARAMETER: 200. PAUSE stops RTP. TEARDOWN stops RTP,
//!   answers 200 and closes; so does the client closing the connection.
//!   [`RtspServer::drop_connections`] closes every connection at once (a device dropping
//!   off mid-stream, for the SDK's reconnect).
//!
//! Not done: the session timeout is announced but not enforced (the connection's end is
//! what stops a stream); a PLAY after PAUSE restarts the clip with the first sequence
//! numbers again (its `RTP-Info` says so); no RTCP sender reports (the SDK sends no RTCP
//! and needs none). Connections set `TCP_NODELAY`: with Nagle, the first RTP write would
//! wait for the client's delayed ACK of the PLAY reply, which hides the play delay.
//!
//! # Why `rtsp-types` plus our own session logic
//! `rtsp-types` parses and writes RTSP messages (requests, responses and `$` interleaved
//! frames on one byte stream) and nothing more: no transport, no policy. The behaviour
//! the SDK depends on is all policy (the empty Basic first, the Digest `uri` quirk, the
//! glued control URL, the 50 ms gap, HEARTBEAT, the IMKH SDP line), which full servers
//! (gstreamer's rtsp-server, for instance) would fight or need system libraries for.
//! The Transport header is parsed by hand because the SDK's `ssrc=0` is not what a strict
//! parser expects.

pub mod auth;
pub mod media;
mod play;
pub mod rtp;
pub mod sdp;
mod session;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

pub use auth::{AuthMode, Credentials};
pub use media::{
    AudioCodec, AudioFrame, AudioTrack, MediaSource, PlaybackSource, Recorded, StreamMedia,
    VideoCodec, VideoFrame,
};

/// How one device's RTSP server behaves.
#[derive(Debug, Clone)]
pub struct RtspConfig {
    /// The streams served.
    pub media: MediaSource,
    /// The challenge sent.
    pub auth: AuthMode,
    /// Who may log in.
    pub credentials: Credentials,
    /// Port on 127.0.0.1; 0 (the default) picks a free one.
    pub port: u16,
    /// Seconds announced in `Session: …;timeout=`.
    pub session_timeout: u32,
    /// Gap between the PLAY reply and the first RTP packet.
    pub play_delay: Duration,
    /// Largest RTP payload; bigger NAL units are fragmented.
    pub max_payload: usize,
    /// Whether the SDP carries the `a=Media_header:MEDIAINFO=` IMKH line (default true).
    /// Without it the real SDK describes again with Basic credentials, then fails with 414.
    pub media_header: bool,
}

impl RtspConfig {
    /// Digest auth, an ephemeral port, 60 s session timeout, 50 ms play delay, 1400-byte
    /// payloads.
    #[must_use]
    pub fn new(media: MediaSource, credentials: Credentials) -> Self {
        Self {
            media,
            auth: AuthMode::Digest,
            credentials,
            port: 0,
            session_timeout: 60,
            play_delay: Duration::from_millis(50),
            max_payload: rtp::MAX_PAYLOAD,
            media_header: true,
        }
    }

    /// The same configuration with another auth mode.
    #[must_use]
    pub fn with_auth(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// The same configuration with SDPs that lack the IMKH `Media_header` line.
    #[must_use]
    pub fn without_media_header(mut self) -> Self {
        self.media_header = false;
        self
    }
}

/// One request as the server saw it (for tests that check what a client sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// The method (`DESCRIBE`, `HEARTBEAT`, …).
    pub method: String,
    /// The request URI as sent.
    pub uri: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// The `Transport` header (SETUP), if any.
    pub transport: Option<String>,
    /// The `Range` header (PLAY), if any.
    pub range: Option<String>,
    /// The `Scale` header (PLAY), if any.
    pub scale: Option<String>,
    /// The status code answered.
    pub status: u16,
}

/// State shared by the server's connections.
#[derive(Debug)]
struct Shared {
    config: RtspConfig,
    addr: SocketAddr,
    log: Mutex<Vec<RequestRecord>>,
    /// Bumped by [`RtspServer::drop_connections`]; every connection watches it.
    kick: tokio::sync::watch::Sender<u64>,
}

/// At most this many requests are kept in the log (the oldest half goes when it is full:
/// a client's HEARTBEAT every 5 s must not grow it for ever).
const LOG_CAP: usize = 4096;

/// A running RTSP server; it stops on [`RtspServer::stop`] or when dropped.
#[derive(Debug)]
pub struct RtspServer {
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl RtspServer {
    /// Binds 127.0.0.1 (port [`RtspConfig::port`], 0 for any) and serves in the current
    /// tokio runtime.
    ///
    /// # Errors
    /// The bind error.
    pub async fn start(config: RtspConfig) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let (kick, _) = tokio::sync::watch::channel(0);
        let log = Mutex::new(Vec::new());
        let shared = Arc::new(Shared {
            config,
            addr,
            log,
            kick,
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self {
            shared,
            task: Some(task),
        })
    }

    /// The bound address (always 127.0.0.1).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The bound port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.shared.addr.port()
    }

    /// `rtsp://127.0.0.1:PORT/ISAPI/Streaming/channels/<id>`, the URL the SDK describes.
    #[must_use]
    pub fn url(&self, stream_id: u32) -> String {
        format!(
            "rtsp://{}/ISAPI/Streaming/channels/{stream_id}",
            self.shared.addr
        )
    }

    /// The requests received so far, in order.
    #[must_use]
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared
            .log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Closes every open connection (and its stream) at once, as a device that drops off
    /// the network mid-stream; the server keeps accepting new ones.
    pub fn drop_connections(&self) {
        self.shared.kick.send_modify(|n| *n += 1);
    }

    /// Stops accepting, closes every connection and stops every stream.
    pub async fn stop(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for RtspServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    conns.spawn(session::serve(stream, Arc::clone(&shared)));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}
