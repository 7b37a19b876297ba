//! `GET /ISAPI/Event/notification/alertStream`: the long-lived `multipart/mixed` response a
//! device keeps open while a client is armed (the real SDK's `SetupAlarmChan_V41` in ISAPI
//! login mode reads it; see `shared/reference/real-sdk-isapi.md`).
//!
//! ```text
//! HTTP/1.0 200 OK
//! Content-Type: multipart/mixed; boundary=boundary
//!
//! --boundary
//! Content-Type: application/xml; charset="UTF-8"
//! Content-Length: 478
//!
//! <EventNotificationAlert ...>...<eventType>VMD</eventType><eventState>active</eventState>...
//! --boundary
//! ... the next part: an alarm, or a heartbeat while nothing happens (videoloss, inactive)
//! ```
//!
//! Each part is sent together with the boundary line that ends it: the real SDK hands a
//! part to the callback only when it has read the next boundary (measured: with the
//! boundary sent at the start of the next part instead, each alarm waited for the next).
//!
//! The body is close-delimited (no `Content-Length`, no chunking; hyper writes that framing
//! with an HTTP/1.0 status line): the real SDK splits the raw body at the boundary and,
//! with chunked framing, handed the chunk sizes to the callback as part of the XML
//! (measured, emulator/README.md).
//!
//! The model opens an arming ([`IsapiModel::alert_stream`](super::IsapiModel::alert_stream))
//! and hands an [`AlertSource`]; a thread per stream waits on it (the model's waits block)
//! and feeds the parts to the response body. The stream ends, and the arming is dropped
//! (disarmed), within [`POLL`] of the client closing the connection or the face shutting
//! down.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;

/// The path.
pub const ALERT_STREAM: &str = "/ISAPI/Event/notification/alertStream";
/// The multipart boundary devices use.
pub const BOUNDARY: &str = "boundary";
/// How often the pump thread looks for a closed connection.
pub const POLL: Duration = Duration::from_millis(100);

/// What an alert stream sends: the documents of one arming of the device.
pub trait AlertSource: Send {
    /// Wait up to `timeout` for the next `EventNotificationAlert`; `None` when none came.
    fn next(&mut self, timeout: Duration) -> Option<String>;
    /// The heartbeat document (sent when nothing else was sent for
    /// [`heartbeat_every`](Self::heartbeat_every)).
    fn heartbeat(&mut self) -> String;
    /// How often a quiet stream sends a heartbeat.
    fn heartbeat_every(&self) -> Duration;
}

/// An open alert stream, as a route hands it to the server.
pub struct AlertStream(pub Box<dyn AlertSource>);

impl std::fmt::Debug for AlertStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AlertStream")
    }
}

/// The `Content-Type` of the response.
pub fn content_type() -> String {
    format!("multipart/mixed; boundary={BOUNDARY}")
}

/// What the stream starts with: the first boundary line.
pub fn opening() -> Bytes {
    Bytes::from(format!("--{BOUNDARY}\r\n"))
}

/// One part: its headers, the document, and the boundary line that ends it (sent with the
/// part, so a reader that waits for the next boundary gets the part at once).
pub fn part(xml: &str) -> Bytes {
    Bytes::from(format!(
        "Content-Type: application/xml; charset=\"UTF-8\"\r\n\
         Content-Length: {}\r\n\r\n{xml}\r\n--{BOUNDARY}\r\n",
        xml.len()
    ))
}

/// The response body: the parts, as the pump thread produces them; it never ends by itself.
#[derive(Debug)]
pub struct AlertBody {
    rx: mpsc::Receiver<Bytes>,
}

impl Body for AlertBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|part| part.map(|b| Ok(Frame::data(b))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

/// Start pumping `stream` into a response body, on a thread of its own.
pub fn body(stream: AlertStream) -> AlertBody {
    let (tx, rx) = mpsc::channel(16);
    let mut source = stream.0;
    let spawned = std::thread::Builder::new()
        .name("emulator-alert-stream".into())
        .spawn(move || pump(source.as_mut(), &tx));
    if let Err(e) = spawned {
        tracing::error!("alert stream: cannot start its thread: {e}");
    }
    AlertBody { rx }
}

/// Send the source's documents, and heartbeats while it is quiet, until the body is gone.
fn pump(source: &mut dyn AlertSource, tx: &mpsc::Sender<Bytes>) {
    if tx.blocking_send(opening()).is_err() {
        return;
    }
    let mut last = Instant::now();
    while !tx.is_closed() {
        let doc = match source.next(POLL) {
            Some(doc) => doc,
            None if last.elapsed() >= source.heartbeat_every() => source.heartbeat(),
            None => continue,
        };
        if tx.blocking_send(part(&doc)).is_err() {
            break;
        }
        last = Instant::now();
    }
    tracing::info!("alert stream closed: disarmed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_shape() {
        let p = part("<a/>");
        assert_eq!(&opening()[..], b"--boundary\r\n");
        assert_eq!(
            &p[..],
            b"Content-Type: application/xml; charset=\"UTF-8\"\r\n\
              Content-Length: 4\r\n\r\n<a/>\r\n--boundary\r\n"
        );
        assert_eq!(content_type(), "multipart/mixed; boundary=boundary");
    }
}
