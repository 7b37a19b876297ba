//! The emulator's RTSP session as the real SDK drives it (shared/reference/real-sdk-isapi.md,
//! "Live preview over RTSP"), with a hand-written client on a raw TCP socket.

mod rtsp_common;

use std::time::Duration;

use hcnetsdk_emulator::rtsp::{AuthMode, Credentials, RtspConfig, RtspServer, sdp};
use md5::{Digest as _, Md5};
use rtsp_common::{Audio, PASSWORD, USER, source};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};

const WAIT: Duration = Duration::from_secs(5);

#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| l[prefix.len()..].trim().to_owned())
        })
    }
}

/// A minimal client that parses responses and `$` frames itself.
struct Client {
    tcp: TcpStream,
    buf: Vec<u8>,
    cseq: u32,
    rtp: Vec<(u8, Vec<u8>, Instant)>,
}

impl Client {
    async fn connect(srv: &RtspServer) -> Self {
        let tcp = TcpStream::connect(srv.addr()).await.unwrap();
        Self {
            tcp,
            buf: Vec::new(),
            cseq: 0,
            rtp: Vec::new(),
        }
    }

    async fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 65536];
        let n = timeout(WAIT, self.tcp.read(&mut chunk))
            .await
            .expect("read timed out")
            .unwrap();
        self.buf.extend_from_slice(&chunk[..n]);
        n
    }

    /// Takes interleaved frames off the front of the buffer; true if a reply is next.
    fn drain_frames(&mut self) -> bool {
        while self.buf.first() == Some(&b'$') && self.buf.len() >= 4 {
            let len = usize::from(u16::from_be_bytes([self.buf[2], self.buf[3]]));
            if self.buf.len() < 4 + len {
                return false;
            }
            let frame: Vec<u8> = self.buf.drain(..4 + len).collect();
            self.rtp
                .push((frame[1], frame[4..].to_vec(), Instant::now()));
        }
        self.buf.starts_with(b"RTSP/")
    }

    async fn reply(&mut self) -> Reply {
        loop {
            if self.drain_frames() {
                if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8(self.buf[..end].to_vec()).unwrap();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if self.buf.len() >= end + 4 + len {
                        let body =
                            String::from_utf8(self.buf[end + 4..end + 4 + len].to_vec()).unwrap();
                        self.buf.drain(..end + 4 + len);
                        let status = head[9..12].parse().unwrap();
                        return Reply { status, head, body };
                    }
                }
            }
            assert!(self.fill().await > 0, "server closed before replying");
        }
    }

    async fn request(&mut self, method: &str, uri: &str, headers: &[(&str, String)]) -> Reply {
        self.cseq += 1;
        let mut text = format!(
            "{method} {uri} RTSP/1.0\r\nCSeq: {}\r\nUser-Agent: NKPlayer-1.00.00.081112\r\n",
            self.cseq
        );
        for (k, v) in headers {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str("\r\n");
        self.tcp.write_all(text.as_bytes()).await.unwrap();
        self.reply().await
    }

    /// Reads until `n` RTP packets have arrived.
    async fn packets(&mut self, n: usize) {
        while self.rtp.len() < n {
            self.drain_frames();
            if self.rtp.len() < n {
                assert!(self.fill().await > 0, "closed mid-stream");
            }
        }
    }
}

fn md5_hex(s: &str) -> String {
    hex::encode(Md5::digest(s.as_bytes()))
}

fn param(header: &str, key: &str) -> String {
    let at = header.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
    header[at..].split('"').next().unwrap().to_owned()
}

/// The SDK's Digest: MD5, no qop, `uri` = the DESCRIBE URL whatever the request.
fn digest(challenge: &str, method: &str, uri: &str, password: &str) -> String {
    let (realm, nonce) = (param(challenge, "realm"), param(challenge, "nonce"));
    let ha1 = md5_hex(&format!("{USER}:{realm}:{password}"));
    let resp = md5_hex(&format!(
        "{ha1}:{nonce}:{}",
        md5_hex(&format!("{method}:{uri}"))
    ));
    format!(
        "Digest username=\"{USER}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{resp}\""
    )
}

fn rtp_fields(p: &[u8]) -> (bool, u16, u32) {
    (
        p[1] & 0x80 != 0,
        u16::from_be_bytes([p[2], p[3]]),
        u32::from_be_bytes([p[4], p[5], p[6], p[7]]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_sequence_over_tcp_with_digest() {
    let srv = rtsp_common::server(source(false, Audio::Alaw)).await;
    let url = srv.url(101);
    let mut c = Client::connect(&srv).await;
    // The SDK's first DESCRIBE carries an empty Basic header.
    let r = c
        .request("DESCRIBE", &url, &[("Authorization", "Basic ".into())])
        .await;
    assert_eq!(r.status, 401);
    let challenge = r.header("WWW-Authenticate").unwrap();
    assert!(
        challenge.starts_with("Digest ") && !challenge.contains("qop"),
        "{challenge}"
    );
    let bad = c
        .request(
            "DESCRIBE",
            &url,
            &[(
                "Authorization",
                digest(&challenge, "DESCRIBE", &url, "nope"),
            )],
        )
        .await;
    assert_eq!(bad.status, 401);
    let d = c
        .request(
            "DESCRIBE",
            &url,
            &[(
                "Authorization",
                digest(&challenge, "DESCRIBE", &url, PASSWORD),
            )],
        )
        .await;
    assert_eq!(d.status, 200, "{d:?}");
    assert_eq!(d.header("Content-Type").as_deref(), Some("application/sdp"));
    let base = d.header("Content-Base").unwrap();
    assert_eq!(base, format!("{url}/"));
    assert!(
        d.body.contains("a=Media_header:MEDIAINFO=494D4B48"),
        "{}",
        d.body
    );
    // SETUP on the glued URL (content base + an absolute control URL), uri = DESCRIBE URL.
    let glued = format!("{base}{url}/trackID=1");
    let s = c
        .request(
            "SETUP",
            &glued,
            &[
                ("Authorization", digest(&challenge, "SETUP", &url, PASSWORD)),
                (
                    "Transport",
                    "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=0".into(),
                ),
            ],
        )
        .await;
    assert_eq!(s.status, 200, "{s:?}");
    assert!(
        s.header("Transport")
            .unwrap()
            .starts_with("RTP/AVP/TCP;unicast;interleaved=0-1")
    );
    let session = s.header("Session").unwrap();
    assert!(session.contains(";timeout=60"), "{session}");
    let id = session.split(';').next().unwrap().to_owned();
    let p = c
        .request(
            "PLAY",
            &base,
            &[
                ("Authorization", digest(&challenge, "PLAY", &url, PASSWORD)),
                ("Session", id.clone()),
                ("Range", "npt=0.000000-0.000000".into()),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    let replied = Instant::now();
    assert!(
        c.buf.is_empty(),
        "no RTP in the read that carried the PLAY reply"
    );
    c.packets(1).await;
    let gap = c.rtp[0].2 - replied;
    assert!(
        gap >= Duration::from_millis(40),
        "first RTP {gap:?} after the reply"
    );
    // The stream starts at a keyframe: SPS first.
    assert_eq!(c.rtp[0].0, 0);
    assert_eq!(c.rtp[0].1[12] & 0x1f, 7, "SPS first");
    let h = c
        .request("HEARTBEAT", &base, &[("Session", id.clone())])
        .await;
    assert_eq!(h.status, 200);
    let empty = [("Session", id.clone()), ("Authorization", "Basic ".into())];
    let h = c.request("HEARTBEAT", &base, &empty).await;
    assert_eq!(
        h.status, 200,
        "an empty Basic on a trusted connection is no credential"
    );
    c.packets(60).await;
    let video: Vec<_> = c
        .rtp
        .iter()
        .filter(|(ch, ..)| *ch == 0)
        .map(|(_, p, _)| rtp_fields(p))
        .collect();
    for w in video.windows(2) {
        assert_eq!(
            w[1].1,
            w[0].1.wrapping_add(1),
            "continuous sequence numbers"
        );
        let step = w[1].2.wrapping_sub(w[0].2);
        assert_eq!(
            step,
            if w[0].0 { 3600 } else { 0 },
            "a new timestamp only after a marker"
        );
    }
    assert!(
        c.rtp.iter().any(|(ch, p, _)| *ch == 0 && p.len() > 1000),
        "some FU-A packets"
    );
    let t = c.request("TEARDOWN", &base, &[("Session", id)]).await;
    assert_eq!(t.status, 200);
    let mut rest = [0u8; 65536];
    let closed = timeout(WAIT, async {
        loop {
            if c.tcp.read(&mut rest).await.map_or(true, |n| n == 0) {
                break;
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "TEARDOWN closes the connection");
    let log = srv.requests();
    let methods: Vec<&str> = log.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(
        methods,
        [
            "DESCRIBE",
            "DESCRIBE",
            "DESCRIBE",
            "SETUP",
            "PLAY",
            "HEARTBEAT",
            "HEARTBEAT",
            "TEARDOWN"
        ]
    );
    assert!(
        log.iter()
            .all(|r| r.user_agent.as_deref() == Some("NKPlayer-1.00.00.081112"))
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clip_loops_with_continuous_timestamps() {
    let mut media = source(false, Audio::None);
    let mut main = (**media.get(101).unwrap()).clone();
    main.frames.truncate(3);
    media = media.with_stream(101, main);
    let srv = rtsp_common::server(media).await;
    let url = srv.url(101);
    let mut c = Client::connect(&srv).await;
    let challenge = c
        .request("DESCRIBE", &url, &[])
        .await
        .header("WWW-Authenticate")
        .unwrap();
    let auth = |m: &str| ("Authorization", digest(&challenge, m, &url, PASSWORD));
    assert_eq!(
        c.request("DESCRIBE", &url, &[auth("DESCRIBE")])
            .await
            .status,
        200
    );
    let tr = (
        "Transport",
        "RTP/AVP/TCP;unicast;interleaved=0-1".to_owned(),
    );
    assert_eq!(
        c.request("SETUP", &format!("{url}/trackID=1"), &[auth("SETUP"), tr])
            .await
            .status,
        200
    );
    let start = Instant::now();
    assert_eq!(
        c.request("PLAY", &url, &[("Range", "npt=0.000000-".into())])
            .await
            .status,
        200
    );
    // Three frames per loop: nine frames span three loops (8 frame times = 320 ms).
    let mut frames = Vec::new();
    while frames.len() < 9 {
        c.packets(c.rtp.len() + 1).await;
        let (marker, _, ts) = rtp_fields(&c.rtp.last().unwrap().1);
        if marker {
            frames.push((ts, c.rtp.last().unwrap().2));
        }
    }
    for w in frames.windows(2) {
        assert_eq!(w[1].0.wrapping_sub(w[0].0), 3600, "{frames:?}");
    }
    let span = frames[8].1 - frames[0].1;
    assert!(
        span >= Duration::from_millis(280),
        "real-time pace: 8 frames in {span:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(3));
    let keys = c.rtp.iter().filter(|(_, p, _)| p[12] & 0x1f == 7).count();
    assert_eq!(keys, 3, "an SPS at the start of every loop");
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_mode_receives_the_password_in_clear() {
    let cfg = RtspConfig::new(
        source(false, Audio::None),
        Credentials::user(USER, PASSWORD),
    )
    .with_auth(AuthMode::Basic);
    let srv = RtspServer::start(cfg).await.unwrap();
    let url = srv.url(102);
    let mut c = Client::connect(&srv).await;
    let r = c
        .request("DESCRIBE", &url, &[("Authorization", "Basic ".into())])
        .await;
    assert_eq!(r.status, 401);
    assert!(
        r.header("WWW-Authenticate")
            .unwrap()
            .starts_with("Basic realm=")
    );
    let wrong = format!("Basic {}", sdp::base64(format!("{USER}:x").as_bytes()));
    assert_eq!(
        c.request("DESCRIBE", &url, &[("Authorization", wrong)])
            .await
            .status,
        401
    );
    let clear = format!(
        "Basic {}",
        sdp::base64(format!("{USER}:{PASSWORD}").as_bytes())
    );
    let d = c
        .request("DESCRIBE", &url, &[("Authorization", clear.clone())])
        .await;
    assert_eq!(d.status, 200);
    assert!(d.body.contains("a=x-dimensions:320,180"));
    let seen = srv.requests();
    assert_eq!(
        seen.last().unwrap().authorization.as_deref(),
        Some(clear.as_str())
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_get_parameter_and_errors() {
    let srv = rtsp_common::server(source(true, Audio::Aac)).await;
    let url = srv.url(101);
    let mut c = Client::connect(&srv).await;
    let o = c.request("OPTIONS", &url, &[]).await;
    assert_eq!(o.status, 200, "OPTIONS needs no credentials");
    assert!(o.header("Public").unwrap().contains("DESCRIBE"));
    let challenge = c
        .request("DESCRIBE", &url, &[])
        .await
        .header("WWW-Authenticate")
        .unwrap();
    let auth = |m: &str, u: &str| ("Authorization", digest(&challenge, m, u, PASSWORD));
    let nope = srv.url(401);
    assert_eq!(
        c.request("DESCRIBE", &nope, &[auth("DESCRIBE", &nope)])
            .await
            .status,
        404
    );
    assert_eq!(
        c.request("PLAY", &url, &[auth("PLAY", &url)]).await.status,
        455,
        "PLAY before SETUP"
    );
    let d = c.request("DESCRIBE", &url, &[auth("DESCRIBE", &url)]).await;
    assert!(d.body.contains("sprop-vps="));
    assert_eq!(
        c.request(
            "SETUP",
            &format!("{url}/trackID=3"),
            &[("Transport", "RTP/AVP/TCP;unicast;interleaved=4-5".into())]
        )
        .await
        .status,
        404
    );
    let udp = c
        .request(
            "SETUP",
            &format!("{url}/trackID=2"),
            &[(
                "Transport",
                "RTP/AVP;unicast;client_port=40000-40001".into(),
            )],
        )
        .await;
    assert_eq!(udp.status, 200);
    let t = udp.header("Transport").unwrap();
    assert!(t.contains("client_port=40000-40001;server_port="), "{t}");
    assert_eq!(c.request("GET_PARAMETER", &url, &[]).await.status, 200);
    assert!(
        c.request(
            "GET_PARAMETER",
            &url,
            &[("Authorization", "Basic YTpi".into())]
        )
        .await
        .status
            == 401
    );
    drop(c);
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_connections_ends_streams_and_keeps_serving() {
    let srv = rtsp_common::server(source(false, Audio::None)).await;
    let url = srv.url(101);
    let mut c = Client::connect(&srv).await;
    let challenge = c
        .request("DESCRIBE", &url, &[])
        .await
        .header("WWW-Authenticate")
        .unwrap();
    let auth = |m: &str| ("Authorization", digest(&challenge, m, &url, PASSWORD));
    assert_eq!(
        c.request("DESCRIBE", &url, &[auth("DESCRIBE")])
            .await
            .status,
        200
    );
    let tr = (
        "Transport",
        "RTP/AVP/TCP;unicast;interleaved=0-1".to_owned(),
    );
    assert_eq!(
        c.request("SETUP", &format!("{url}/trackID=1"), &[auth("SETUP"), tr])
            .await
            .status,
        200
    );
    assert_eq!(c.request("PLAY", &url, &[auth("PLAY")]).await.status, 200);
    c.packets(5).await;
    srv.drop_connections();
    let mut rest = [0u8; 65536];
    let eof = timeout(WAIT, async {
        while c.tcp.read(&mut rest).await.is_ok_and(|n| n > 0) {}
    })
    .await;
    assert!(eof.is_ok(), "the connection is closed");
    let mut again = Client::connect(&srv).await;
    assert_eq!(again.request("DESCRIBE", &url, &[]).await.status, 401);
    let addr = srv.addr();
    srv.stop().await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "stopped: nothing listens"
    );
}

/// A recording of frames 0..3 then 10..12 of the clip (a gap between), for any track and
/// times but track 999.
#[derive(Debug)]
struct TwoPieces(std::sync::Arc<hcnetsdk_emulator::rtsp::StreamMedia>);

impl hcnetsdk_emulator::rtsp::PlaybackSource for TwoPieces {
    fn recording(
        &self,
        track: u32,
        _start: &str,
        _end: &str,
    ) -> Option<hcnetsdk_emulator::rtsp::Recorded> {
        (track != 999).then(|| hcnetsdk_emulator::rtsp::Recorded {
            media: std::sync::Arc::clone(&self.0),
            spans: vec![(0, 3), (10, 12)],
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playback_plays_the_recording_once_then_closes() {
    let media = source(false, Audio::None);
    let main = std::sync::Arc::clone(media.get(101).unwrap());
    let media = media.with_playback(std::sync::Arc::new(TwoPieces(main)));
    let srv = rtsp_common::server(media).await;
    let q = "?starttime=20261130T080000Z&endtime=20261130T080004Z";
    let url = format!("rtsp://{}/ISAPI/Streaming/tracks/101/{q}", srv.addr());
    let mut c = Client::connect(&srv).await;
    let challenge = c
        .request("DESCRIBE", &url, &[])
        .await
        .header("WWW-Authenticate")
        .unwrap();
    let auth = |m: &str| ("Authorization", digest(&challenge, m, &url, PASSWORD));
    let sdp = c.request("DESCRIBE", &url, &[auth("DESCRIBE")]).await;
    assert_eq!(sdp.status, 200);
    assert!(sdp.body.contains("Media_header:MEDIAINFO="), "{}", sdp.body);
    let none = url.replace("/101/", "/999/");
    assert_eq!(
        c.request("DESCRIBE", &none, &[auth("DESCRIBE")])
            .await
            .status,
        404
    );
    // The SDK's glued SETUP form.
    let glued = format!(
        "rtsp://{}/ISAPI/Streaming/tracks/101//trackID=1{q}",
        srv.addr()
    );
    let tr = (
        "Transport",
        "RTP/AVP/TCP;unicast;interleaved=0-1".to_owned(),
    );
    assert_eq!(
        c.request("SETUP", &glued, &[auth("SETUP"), tr])
            .await
            .status,
        200
    );
    let play = c
        .request("PLAY", &url, &[("Range", "npt=0.000000-0.000000".into())])
        .await;
    assert_eq!(play.status, 200);
    assert_eq!(play.header("Range").as_deref(), Some("npt=0.000-0.200"));
    // Five frames, then the server closes its side.
    loop {
        c.drain_frames();
        let mut chunk = [0u8; 65536];
        let n = timeout(WAIT, c.tcp.read(&mut chunk))
            .await
            .unwrap()
            .unwrap();
        if n == 0 {
            break;
        }
        c.buf.extend_from_slice(&chunk[..n]);
    }
    c.drain_frames();
    let frames: Vec<u32> = c
        .rtp
        .iter()
        .map(|(_, p, _)| rtp_fields(p))
        .filter(|f| f.0)
        .map(|f| f.2)
        .collect();
    assert_eq!(frames.len(), 5, "{frames:?}");
    for w in frames.windows(2) {
        assert_eq!(w[1].wrapping_sub(w[0]), 3600, "gaps skipped: {frames:?}");
    }
    let log = srv.requests();
    let play = log.iter().find(|r| r.method == "PLAY").unwrap();
    assert_eq!(play.range.as_deref(), Some("npt=0.000000-0.000000"));
    srv.stop().await;
}
