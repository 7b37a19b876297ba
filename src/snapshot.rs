//! [`Snapshot`]: JPEG pictures into memory.

use hcnetsdk_sys as sys;

use crate::error::{Context, Result};
use crate::ffi::{channel_long, resolve};
use crate::session::Session;

/// `NET_DVR_NOENOUGH_BUF`: the buffer passed to the SDK is too small.
const NOT_ENOUGH_BUFFER: u32 = 43;

impl Session {
    /// JPEG snapshots of `channel`.
    ///
    /// # Errors
    /// A channel that is not on the device (before any SDK call).
    pub fn snapshot(&self, channel: u32) -> Result<Snapshot> {
        Snapshot::new(self.clone(), channel)
    }
}

/// Picture size (`wPicSize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PictureSize {
    /// The stream's current resolution (`0xFF`).
    #[default]
    Current,
    /// One of the SDK's size codes (0 = CIF, 1 = QCIF, 2 = D1, 9 = 720p, 19 = 1080p, ...).
    Code(u16),
}

impl PictureSize {
    /// The SDK's `wPicSize` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u16 {
        match self {
            PictureSize::Current => 0xFF,
            PictureSize::Code(c) => c,
        }
    }
}

/// JPEG quality (`wPicQuality`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum JpegQuality {
    /// Best.
    #[default]
    Best,
    /// Better.
    Better,
    /// Normal.
    Normal,
}

impl JpegQuality {
    /// The SDK's `wPicQuality` value (for use with [`crate::sys`]).
    pub fn raw(self) -> u16 {
        match self {
            JpegQuality::Best => 0,
            JpegQuality::Better => 1,
            JpegQuality::Normal => 2,
        }
    }
}

/// JPEG snapshots of one channel into memory (`NET_DVR_CaptureJPEGPicture_NEW`). Made by
/// [`Session::snapshot`]; holds a clone of the session (`'static`: it can move to another
/// thread or task). After the session's [`logout`](Session::logout), captures fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut).
///
/// On a session that logged in with [`LoginMode::Isapi`](crate::LoginMode::Isapi), where
/// the SDK refuses the capture call with 189, the picture comes from ISAPI instead
/// (`GET /ISAPI/Streaming/channels/N01/picture`, see [`Isapi`](crate::isapi::Isapi)), at the
/// device's own size and quality.
///
/// The buffer starts at [`Snapshot::DEFAULT_BUFFER`] bytes and grows when the SDK reports
/// error 43 (buffer too small), up to a maximum; the size that worked is remembered for the
/// next capture.
///
/// ```no_run
/// # fn f(session: &hcnetsdk::Session) -> hcnetsdk::Result<()> {
/// use hcnetsdk::JpegQuality;
/// let mut snap = session.snapshot(1)?.quality(JpegQuality::Best);
/// let jpeg = snap.capture()?;
/// std::fs::write("snapshot.jpg", &jpeg).unwrap();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Snapshot {
    session: Session,
    channel: u32,
    size: PictureSize,
    quality: JpegQuality,
    buffer_hint: usize,
    max: usize,
}

impl Snapshot {
    /// Default first buffer size: 512 KiB holds a typical 4 MP JPEG.
    pub const DEFAULT_BUFFER: usize = 512 * 1024;
    /// Default largest buffer a snapshot may grow to: 32 MiB.
    pub const DEFAULT_MAX_BUFFER: usize = 32 * 1024 * 1024;

    fn new(session: Session, channel: u32) -> Result<Self> {
        let channel = session.check_channel(channel)?;
        Ok(Self {
            session,
            channel,
            size: PictureSize::Current,
            quality: JpegQuality::Best,
            buffer_hint: Self::DEFAULT_BUFFER,
            max: Self::DEFAULT_MAX_BUFFER,
        })
    }

    /// Picture size (default [`PictureSize::Current`]).
    #[must_use]
    pub fn picture_size(mut self, size: PictureSize) -> Self {
        self.size = size;
        self
    }

    /// JPEG quality (default [`JpegQuality::Best`]).
    #[must_use]
    pub fn quality(mut self, quality: JpegQuality) -> Self {
        self.quality = quality;
        self
    }

    /// First buffer size in bytes (default [`Snapshot::DEFAULT_BUFFER`]; at least 1).
    #[must_use]
    pub fn initial_buffer(mut self, bytes: usize) -> Self {
        self.buffer_hint = bytes.max(1);
        self
    }

    /// Largest buffer to grow to (default [`Snapshot::DEFAULT_MAX_BUFFER`]).
    #[must_use]
    pub fn max_buffer(mut self, bytes: usize) -> Self {
        self.max = bytes.max(1);
        self
    }

    /// The channel.
    pub fn channel(&self) -> u32 {
        self.channel
    }

    /// Take a JPEG.
    ///
    /// # Errors
    /// As for [`capture_into`](Self::capture_into).
    #[doc(alias = "NET_DVR_CaptureJPEGPicture_NEW")]
    pub fn capture(&mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.capture_into(&mut out)?;
        Ok(out)
    }

    /// Take a JPEG into `out` (replacing its contents; reusing its allocation), growing the
    /// buffer when the SDK reports 43 (too small). Returns the JPEG's size.
    ///
    /// # Errors
    /// * the SDK's code from `NET_DVR_CaptureJPEGPicture_NEW`, e.g. 23 (not supported),
    ///   47 (session gone);
    /// * 43 (`NET_DVR_NOENOUGH_BUF`) if the picture does not fit even in the largest
    ///   buffer allowed (see [`max_buffer`](Self::max_buffer)).
    #[doc(alias = "NET_DVR_CaptureJPEGPicture_NEW")]
    pub fn capture_into(&mut self, out: &mut Vec<u8>) -> Result<usize> {
        if self.session.routes_through_isapi() {
            return self.capture_isapi(out);
        }
        let ctx = context(&self.session, self.channel);
        let capture = resolve!(self.session.sdk().lib(), NET_DVR_CaptureJPEGPicture_NEW);
        let channel = channel_long(self.channel)?;
        let live = self.session.live()?;
        let user_id = live.user_id();
        let mut para = sys::NET_DVR_JPEGPARA {
            wPicSize: self.size.raw(),
            wPicQuality: self.quality.raw(),
        };
        let mut len = self.buffer_hint.min(self.max).max(1);
        loop {
            // The SDK writes into the vector's spare capacity: nothing is zero-filled first
            // (that cost more than a failed call itself), and the length is set from what
            // the SDK reports it wrote.
            out.clear();
            out.reserve(len);
            let cap = u32::try_from(len).unwrap_or(u32::MAX);
            let mut returned: sys::DWORD = 0;
            let buf = out
                .spare_capacity_mut()
                .as_mut_ptr()
                .cast::<std::ffi::c_char>();
            // SAFETY: `buf` points to at least `len` ≥ `cap` writable bytes of `out`'s
            // allocation (reserved above; the SDK only writes bytes, so uninitialised
            // memory is fine to hand it); `para` and `returned` are live locals.
            let result = capture.bool(&ctx, |f| unsafe {
                f(user_id, channel, &raw mut para, buf, cap, &raw mut returned)
            });
            match result {
                Ok(()) => {
                    let n = (returned as usize).min(len);
                    // SAFETY: on success the SDK has written the picture, `returned` bytes,
                    // at the start of the buffer (its documented contract for
                    // `lpSizeReturned`); `n` is at most `len`, within the capacity reserved.
                    unsafe { out.set_len(n) };
                    self.buffer_hint = self.buffer_hint.max(len);
                    return Ok(n);
                }
                Err(e) if e.raw_code() == Some(NOT_ENOUGH_BUFFER) && len < self.max => {
                    let wanted = returned as usize;
                    let next = if wanted > len {
                        wanted
                    } else {
                        len.saturating_mul(2)
                    };
                    let next = next.min(self.max);
                    tracing::debug!(from = len, to = next, "snapshot buffer too small; growing");
                    len = next;
                }
                Err(e) => {
                    out.clear();
                    return Err(e);
                }
            }
        }
    }
}

impl Snapshot {
    /// The ISAPI picture (`GET /ISAPI/Streaming/channels/N01/picture`), for sessions that
    /// logged in with ISAPI: the device's JPEG at its own size and quality.
    fn capture_isapi(&mut self, out: &mut Vec<u8>) -> Result<usize> {
        let isapi = self
            .session
            .isapi()
            .initial_buffer(self.buffer_hint.min(self.max))
            .max_buffer(self.max);
        let body = isapi.picture_response(self.channel)?.into_body();
        self.buffer_hint = self.buffer_hint.max(body.len());
        *out = body;
        Ok(out.len())
    }
}

/// A capture's context, built only if the call fails (see `ffi::CallContext`). Borrows the
/// session field alone, so the capture loop can update the buffer hint meanwhile.
fn context(session: &Session, channel: u32) -> impl Fn() -> Context + '_ {
    move || session.channel_context(channel)
}
