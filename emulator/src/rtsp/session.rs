//! One RTSP connection: parse requests with `rtsp-types`, answer them, and own the RTP
//! task started by PLAY (stopped by PAUSE, TEARDOWN, or the connection closing).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use rtsp_types::{Message, Method, Request, Response, StatusCode, Version, headers};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::media::{Recorded, StreamMedia};
use super::play::{self, PlayPlan, Sink, Track};
use super::rtp::{PT_AAC, PT_PCMA, PT_PCMU, PT_VIDEO, RtpWriter};
use super::{AuthMode, RequestRecord, Shared, auth};

/// The shared write half: responses and interleaved RTP both go through it.
pub(super) type Writer = Arc<Mutex<OwnedWriteHalf>>;

struct Conn {
    shared: Arc<Shared>,
    peer: SocketAddr,
    writer: Writer,
    nonce: String,
    authed: bool,
    stream: Option<u32>,
    /// A playback's recording (a `/ISAPI/Streaming/tracks/` DESCRIBE or SETUP).
    recorded: Option<Recorded>,
    session: String,
    tracks: Vec<(u8, Sink)>,
    play: Option<JoinHandle<()>>,
    close: bool,
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.stop_play();
    }
}

/// Serves one connection until the client closes it, TEARDOWN, or a parse error.
pub(super) async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let Ok(peer) = stream.peer_addr() else { return };
    // Without this, Nagle's algorithm holds the first RTP write back until the client's
    // (delayed) ACK of the PLAY reply, which hides whether the play delay is kept.
    let _ = stream.set_nodelay(true);
    let mut kick = shared.kick.subscribe();
    let (mut reader, writer) = stream.into_split();
    let mut conn = Conn {
        shared,
        peer,
        writer: Arc::new(Mutex::new(writer)),
        nonce: auth::new_nonce(),
        authed: false,
        stream: None,
        recorded: None,
        session: format!(
            "{:08X}",
            u32::from_str_radix(&auth::new_nonce()[..8], 16).unwrap_or(1)
        ),
        tracks: Vec::new(),
        play: None,
        close: false,
    };
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        loop {
            match Message::<Vec<u8>>::parse(&buf) {
                Ok((msg, used)) => {
                    buf.drain(..used);
                    if let Message::Request(req) = msg {
                        let resp = conn.handle(&req).await;
                        let mut out = Vec::new();
                        if resp.write(&mut out).is_err() || conn.send(&out).await.is_err() {
                            return;
                        }
                        if resp.status() == StatusCode::Ok {
                            conn.after(&req).await;
                        }
                    }
                    if conn.close {
                        return;
                    }
                }
                Err(rtsp_types::ParseError::Incomplete(_)) => break,
                Err(rtsp_types::ParseError::Error) => return,
            }
        }
        tokio::select! {
            read = reader.read(&mut chunk) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            },
            _ = kick.changed() => return,
        }
    }
}

fn header(req: &Request<Vec<u8>>, name: &headers::HeaderName) -> Option<String> {
    req.header(name).map(|v| v.as_str().to_owned())
}

/// The stream id in a URL such as `…/ISAPI/Streaming/channels/101/trackID=1`.
fn stream_id(uri: &str) -> Option<u32> {
    let lower = uri.to_ascii_lowercase();
    let at = lower.find("/streaming/channels/")? + "/streaming/channels/".len();
    let digits: String = lower[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A playback URL's track and times:
/// `…/ISAPI/Streaming/tracks/101/?starttime=20261201T080000Z&endtime=…`, also the glued
/// SETUP form `…/tracks/101//trackID=1?starttime=…`.
fn playback_of(uri: &str) -> Option<(u32, String, String)> {
    let lower = uri.to_ascii_lowercase();
    let at = lower.find("/streaming/tracks/")? + "/streaming/tracks/".len();
    let digits: String = lower[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (_, query) = uri.split_once('?')?;
    let value = |key: &str| {
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            k.eq_ignore_ascii_case(key).then(|| v.to_owned())
        })
    };
    Some((digits.parse().ok()?, value("starttime")?, value("endtime")?))
}

/// The track a SETUP URL names (`trackID=N`, last occurrence: the glued form has two
/// URLs); 1 when none.
fn track_id(uri: &str) -> u8 {
    uri.rfind("trackID=")
        .map(|at| {
            uri[at + 8..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|d| d.parse().ok())
        .unwrap_or(1)
}

/// `a-b` of `key=a-b` in a Transport header.
fn transport_pair(transport: &str, key: &str) -> Option<(u16, u16)> {
    let value = transport
        .split(';')
        .find_map(|p| p.trim().strip_prefix(key)?.strip_prefix('='))?;
    let (a, b) = value.split_once('-').unwrap_or((value, ""));
    let a: u16 = a.trim().parse().ok()?;
    Some((a, b.trim().parse().unwrap_or(a.wrapping_add(1))))
}

impl Conn {
    fn respond(&self, req: &Request<Vec<u8>>, status: StatusCode) -> rtsp_types::ResponseBuilder {
        let mut b = Response::builder(Version::V1_0, status)
            .header(headers::SERVER, "hcnetsdk-emulator")
            .header(
                headers::CSEQ,
                header(req, &headers::CSEQ).unwrap_or_else(|| "0".into()),
            );
        if !self.tracks.is_empty() && *req.method() != Method::Describe {
            let timeout = self.shared.config.session_timeout;
            b = b.header(
                headers::SESSION,
                format!("{};timeout={timeout}", self.session),
            );
        }
        b
    }

    fn log(&self, req: &Request<Vec<u8>>, status: &Response<Vec<u8>>) {
        let record = RequestRecord {
            method: <&str>::from(req.method()).to_owned(),
            uri: req
                .request_uri()
                .map(|u| u.as_str().to_owned())
                .unwrap_or_default(),
            authorization: header(req, &headers::AUTHORIZATION),
            user_agent: header(req, &headers::USER_AGENT),
            transport: header(req, &headers::TRANSPORT),
            range: header(req, &headers::RANGE),
            scale: header(req, &headers::SCALE),
            status: status.status().into(),
        };
        if let Ok(mut log) = self.shared.log.lock() {
            if log.len() >= super::LOG_CAP {
                log.drain(..super::LOG_CAP / 2);
            }
            log.push(record);
        }
    }

    async fn send(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.lock().await.write_all(bytes).await
    }

    /// Whether the request may proceed: OPTIONS always; otherwise valid credentials in
    /// this request, or none (or an empty `Basic `) on a connection that already
    /// authenticated.
    fn authorised(&mut self, req: &Request<Vec<u8>>) -> bool {
        let cfg = &self.shared.config;
        if cfg.auth == AuthMode::None || *req.method() == Method::Options {
            return true;
        }
        // An empty `Basic ` (the SDK's first guess) counts as no credentials.
        let given = header(req, &headers::AUTHORIZATION)
            .filter(|h| !h.trim().eq_ignore_ascii_case("basic"));
        match given {
            Some(h) => {
                let method = <&str>::from(req.method()).to_owned();
                let ok =
                    auth::check(cfg.auth, &cfg.credentials, &self.nonce, &method, &h).is_some();
                self.authed |= ok;
                ok
            }
            None => self.authed,
        }
    }

    async fn handle(&mut self, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        let resp = if self.authorised(req) {
            self.dispatch(req).await
        } else {
            let value = auth::challenge(self.shared.config.auth, &self.nonce);
            self.respond(req, StatusCode::Unauthorized)
                .header(headers::WWW_AUTHENTICATE, value)
                .build(Vec::new())
        };
        self.log(req, &resp);
        resp
    }

    async fn dispatch(&mut self, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        let ok = |c: &Self| c.respond(req, StatusCode::Ok);
        match req.method() {
            Method::Options => ok(self)
                .header(
                    headers::PUBLIC,
                    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, HEARTBEAT",
                )
                .build(Vec::new()),
            Method::Describe => self.describe(req),
            Method::Setup => self.setup(req).await,
            Method::Play => self.play_reply(req),
            Method::Pause => {
                self.stop_play();
                ok(self).build(Vec::new())
            }
            Method::Teardown => {
                self.stop_play();
                self.close = true;
                ok(self).build(Vec::new())
            }
            Method::GetParameter | Method::SetParameter => ok(self).build(Vec::new()),
            Method::Extension(m) if m.eq_ignore_ascii_case("HEARTBEAT") => ok(self).build(Vec::new()),
            _ => self.respond(req, StatusCode::NotImplemented).build(Vec::new()),
        }
    }

    /// The stream a request names: a live stream, or a playback's recording (kept for the
    /// SETUPs and the PLAY that follow).
    fn media_for(&mut self, req: &Request<Vec<u8>>) -> Option<(u32, Arc<StreamMedia>)> {
        let uri = req
            .request_uri()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default();
        if let Some((id, start, end)) = playback_of(&uri) {
            let recorded = self.shared.config.media.recording(id, &start, &end)?;
            tracing::info!(uri, frames = recorded.frame_count(), "RTSP playback");
            let media = Arc::clone(&recorded.media);
            self.recorded = Some(recorded);
            return Some((id, media));
        }
        if let Some(r) = self.recorded.as_ref().filter(|_| stream_id(&uri).is_none()) {
            return Some((self.stream?, Arc::clone(&r.media)));
        }
        let id = stream_id(&uri).or(self.stream)?;
        Some((id, Arc::clone(self.shared.config.media.get(id)?)))
    }

    fn describe(&mut self, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        let Some((id, media)) = self.media_for(req) else {
            return self.respond(req, StatusCode::NotFound).build(Vec::new());
        };
        self.stream = Some(id);
        let addr = self.shared.addr;
        let base = if self.recorded.is_some() {
            req.request_uri()
                .map(|u| u.as_str().to_owned())
                .unwrap_or_default()
        } else {
            format!("rtsp://{addr}/ISAPI/Streaming/channels/{id}/")
        };
        let mut sdp = super::sdp::describe(&media, &addr.ip().to_string());
        if !self.shared.config.media_header {
            sdp = super::sdp::without_media_header(&sdp);
        }
        self.respond(req, StatusCode::Ok)
            .header(headers::CONTENT_TYPE, "application/sdp")
            .header(headers::CONTENT_BASE, base)
            .build(sdp.into_bytes())
    }

    async fn setup(&mut self, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        let uri = req
            .request_uri()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default();
        let track = track_id(&uri);
        let media = self.media_for(req);
        let Some((id, _)) = media.filter(|(_, m)| track == 1 || (track == 2 && m.audio.is_some()))
        else {
            return self.respond(req, StatusCode::NotFound).build(Vec::new());
        };
        self.stream = Some(id);
        let transport = header(req, &headers::TRANSPORT).unwrap_or_default();
        let (sink, reply) = if transport.contains("/TCP") || transport.contains("interleaved") {
            let (a, b) = transport_pair(&transport, "interleaved")
                .unwrap_or((2 * u16::from(track) - 2, 2 * u16::from(track) - 1));
            (
                Sink::Tcp { channel: a as u8 },
                format!("RTP/AVP/TCP;unicast;interleaved={a}-{b}"),
            )
        } else if let Some((a, b)) = transport_pair(&transport, "client_port") {
            let Ok((socket, rtcp, port)) = bind_pair().await else {
                return self
                    .respond(req, StatusCode::InternalServerError)
                    .build(Vec::new());
            };
            let dest = SocketAddr::new(self.peer.ip(), a);
            let reply = format!(
                "RTP/AVP;unicast;client_port={a}-{b};server_port={port}-{}",
                port + 1
            );
            (
                Sink::Udp {
                    socket: Arc::new(socket),
                    _rtcp: rtcp.map(Arc::new),
                    dest,
                },
                reply,
            )
        } else {
            return self
                .respond(req, StatusCode::UnsupportedTransport)
                .build(Vec::new());
        };
        self.tracks.retain(|(t, _)| *t != track);
        self.tracks.push((track, sink));
        let ssrc = format!("{:08X}", ssrc_of(&self.session, track));
        self.respond(req, StatusCode::Ok)
            .header(
                headers::TRANSPORT,
                format!("{reply};ssrc={ssrc};mode=\"play\""),
            )
            .header(
                headers::SESSION,
                format!(
                    "{};timeout={}",
                    self.session, self.shared.config.session_timeout
                ),
            )
            .build(Vec::new())
    }

    fn play_reply(&mut self, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        if self.tracks.is_empty() {
            return self
                .respond(req, StatusCode::MethodNotValidInThisState)
                .build(Vec::new());
        }
        let kind = if self.recorded.is_some() {
            "tracks"
        } else {
            "channels"
        };
        let base = format!(
            "rtsp://{}/ISAPI/Streaming/{kind}/{}/",
            self.shared.addr,
            self.stream.unwrap_or(101)
        );
        let range = match &self.recorded {
            Some(r) => format!("npt=0.000-{:.3}", r.frame_count() as f64 * 0.04),
            None => "npt=0.000-".to_owned(),
        };
        let info: Vec<String> = self
            .tracks
            .iter()
            .map(|(t, _)| format!("url={base}trackID={t};seq={};rtptime={}", seq0(*t), ts0(*t)))
            .collect();
        self.respond(req, StatusCode::Ok)
            .header(headers::RANGE, range)
            .header(headers::RTP_INFO, info.join(","))
            .build(Vec::new())
    }

    /// After a reply went out: a successful PLAY starts the RTP task.
    async fn after(&mut self, req: &Request<Vec<u8>>) {
        if *req.method() != Method::Play || self.tracks.is_empty() {
            return;
        }
        let recorded = self.recorded.clone();
        let Some(media) = recorded.as_ref().map(|r| Arc::clone(&r.media)).or_else(|| {
            self.stream
                .and_then(|id| self.shared.config.media.get(id).cloned())
        }) else {
            return;
        };
        self.stop_play();
        let mut plan = PlayPlan {
            media: Arc::clone(&media),
            writer: Arc::clone(&self.writer),
            video: None,
            audio: None,
            delay: self.shared.config.play_delay,
            max_payload: self.shared.config.max_payload,
        };
        for (t, sink) in &self.tracks {
            let pt = match (t, media.audio.as_ref().map(|a| &a.codec)) {
                (1, _) => PT_VIDEO,
                (_, Some(super::AudioCodec::Pcma)) => PT_PCMA,
                (_, Some(super::AudioCodec::Pcmu)) => PT_PCMU,
                _ => PT_AAC,
            };
            let track = Track {
                sink: sink.clone(),
                rtp: RtpWriter::new(pt, ssrc_of(&self.session, *t), seq0(*t)),
                ts0: ts0(*t),
            };
            if *t == 1 {
                plan.video = Some(track)
            } else {
                plan.audio = Some(track)
            }
        }
        self.play = Some(match recorded {
            Some(r) => tokio::spawn(play::run_recording(plan, r.spans)),
            None => tokio::spawn(play::run(plan)),
        });
    }

    fn stop_play(&mut self) {
        if let Some(task) = self.play.take() {
            task.abort();
        }
    }
}

fn ssrc_of(session: &str, track: u8) -> u32 {
    u32::from_str_radix(session, 16).unwrap_or(0x1234_5678) ^ u32::from(track)
}

/// The first sequence number of a track (fixed: tests can predict it).
fn seq0(track: u8) -> u16 {
    1000 * u16::from(track)
}

/// The first RTP timestamp of a track.
fn ts0(track: u8) -> u32 {
    0x1000_0000 * u32::from(track)
}

/// Two UDP sockets on 127.0.0.1, RTP on an even port and RTCP on the next, as RFC 3550
/// asks; returns both sockets (RTCP is bound only to hold the port) and the RTP port.
async fn bind_pair() -> std::io::Result<(UdpSocket, Option<UdpSocket>, u16)> {
    for _ in 0..20 {
        let rtp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = rtp.local_addr()?.port();
        if port % 2 == 0 && port < u16::MAX {
            if let Ok(rtcp) = UdpSocket::bind((Ipv4Addr::LOCALHOST, port + 1)).await {
                return Ok((rtp, Some(rtcp), port));
            }
        }
    }
    let rtp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let port = rtp.local_addr()?.port();
    Ok((rtp, None, port))
}
