//! [`Download`]: a recording saved to a file by the SDK (`NET_DVR_GetFileByTime_V40`,
//! `NET_DVR_GetFileByName`), its progress (`NET_DVR_GetDownloadPos`) and its stop
//! (`NET_DVR_StopGetFile`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use hcnetsdk_sys as sys;
use jiff::tz::TimeZone;

use super::check_order;
use crate::error::{Context, Error, Result};
use crate::ffi::{channel_long, cstr, resolve};
use crate::reaper;
use crate::session::{Session, SessionHandle};
use crate::sync::{read, write};
use crate::time::{DeviceTime, TimeBasis};

/// `NET_DVR_GetDownloadPos`'s "network failure" position.
const POS_NETWORK_FAILURE: i32 = 200;

impl Session {
    /// Download `channel`'s recording from `from` to `to` into a file
    /// ([`DownloadBuilder::start`]). The times are read as in
    /// [`RecordingSearch::range`](super::RecordingSearch::range).
    ///
    /// # Errors
    /// A channel that is not on the device, before any SDK call.
    pub fn download_by_time(
        &self,
        channel: u32,
        from: impl Into<DeviceTime>,
        to: impl Into<DeviceTime>,
    ) -> Result<DownloadBuilder> {
        let channel = self.check_channel(channel)?;
        Ok(DownloadBuilder::new(
            self.clone(),
            Source::Time {
                channel,
                from: from.into(),
                to: to.into(),
            },
        ))
    }

    /// Download the device's file `name` (a [`Recording::name`](super::Recording::name))
    /// into a file ([`DownloadBuilder::start`]).
    pub fn download_by_name(&self, name: impl Into<String>) -> DownloadBuilder {
        DownloadBuilder::new(self.clone(), Source::Name(name.into()))
    }
}

#[derive(Debug, Clone)]
enum Source {
    Time {
        channel: u32,
        from: DeviceTime,
        to: DeviceTime,
    },
    Name(String),
}

/// A download being set up ([`Session::download_by_time`], [`Session::download_by_name`]).
#[derive(Debug, Clone)]
#[must_use]
pub struct DownloadBuilder {
    session: Session,
    source: Source,
    basis: TimeBasis,
    poll_interval: Duration,
}

impl DownloadBuilder {
    /// How often [`Download::progress`] asks for the position, by default.
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);

    fn new(session: Session, source: Source) -> Self {
        Self {
            session,
            source,
            basis: TimeBasis::default(),
            poll_interval: Self::DEFAULT_POLL_INTERVAL,
        }
    }

    /// The zone the device's clock is in, so that the range may be given as instants.
    pub fn device_zone(mut self, zone: TimeZone) -> Self {
        self.basis = self.basis.with_device_zone(zone);
        self
    }

    /// How the SDK's times are written (default: device-local, zone unknown).
    pub fn time_basis(mut self, basis: TimeBasis) -> Self {
        self.basis = basis;
        self
    }

    /// How often [`Download::progress`] polls (default [`Self::DEFAULT_POLL_INTERVAL`]).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Start: the SDK creates `path` and writes the recording into it (PS, as the device
    /// stores it), after `NET_DVR_PlayBackControl_V40(NET_DVR_PLAYSTART)`.
    ///
    /// # Errors
    /// Before any SDK call: a range that ends before it starts or needs a zone nobody
    /// stated, a name or path the SDK cannot take. Then the SDK's code from
    /// `NET_DVR_GetFileByTime_V40` / `NET_DVR_GetFileByName` (4 or 10 for a channel the
    /// device does not record, 34 when the file cannot be created, 47 when the session is
    /// gone) or from `NET_DVR_PlayBackControl_V40`.
    #[doc(alias = "NET_DVR_GetFileByTime_V40")]
    #[doc(alias = "NET_DVR_GetFileByName")]
    pub fn start(self, path: impl AsRef<Path>) -> Result<Download> {
        let path = path.as_ref().to_path_buf();
        let c_path = cstr::path_cstring("path", &path, sys::NET_SDK_MAX_FILE_PATH as usize)?;
        // The login is held from the SDK call until the handle is registered, so that a
        // logout either stops it or finds nothing to stop (see ARCHITECTURE.md).
        let session = self.session.clone();
        let live = session.live()?;
        let (handle, ctx) = match &self.source {
            Source::Time { channel, from, to } => {
                self.by_time(live.user_id(), *channel, from, to, &c_path)?
            }
            Source::Name(name) => self.by_name(live.user_id(), name, &c_path)?,
        };
        let download = Download::register(self.session, handle, path, ctx, self.poll_interval);
        drop(live);
        let download = download?;
        download.inner.play_start()?; // a failure drops `download`, which stops it
        Ok(download)
    }

    /// Resume a download by time into `path`, which holds what an earlier download of the
    /// same range saved (or nothing): the file is cut back to its last keyframe, the device
    /// is asked from that keyframe's time to the range's end, and what it sends is appended
    /// (without its IMKH header), so the result is one continuous PS. The new data goes to
    /// `path` + `.resume` first and is appended when the download stops ([`Download::wait`],
    /// [`Download::stop`] or drop, also after a failure, so a failed resume keeps what it
    /// saved and can be resumed again). A missing or empty file, or one without a keyframe
    /// after its first frame, is downloaded from the start ([`start`](Self::start)).
    ///
    /// The keyframe's time is the range's start plus its PTS distance from the file's
    /// first video frame, so `from` must be the original range's start.
    ///
    /// # Errors
    /// A download by name (only a download by time can resume); reading or cutting the
    /// file; then as for [`start`](Self::start).
    pub fn resume(self, path: impl AsRef<Path>) -> Result<Download> {
        let path = path.as_ref().to_path_buf();
        let Source::Time { channel, from, to } = self.source.clone() else {
            return Err(Error::invalid_input(
                "resume",
                "a download by name",
                "only a download by time can resume",
            ));
        };
        let saved = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io("resume", &path, e)),
        };
        let Some(point) = super::resume::resume_point(&saved) else {
            return self.start(path);
        };
        drop(saved);
        let from = super::resume::plus_seconds(&from, point.elapsed_secs)?;
        let cut = || -> std::io::Result<()> {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)?
                .set_len(point.cut)
        };
        cut().map_err(|e| Error::io("resume", &path, e))?;
        let mut part = path.clone().into_os_string();
        part.push(".resume");
        let builder = Self {
            source: Source::Time { channel, from, to },
            ..self
        };
        let download = builder.start(PathBuf::from(part))?;
        download.inner.set_append(path, point.cut);
        Ok(download)
    }

    fn by_time(
        &self,
        user: i32,
        channel: u32,
        from: &DeviceTime,
        to: &DeviceTime,
        c_path: &std::ffi::CStr,
    ) -> Result<(i32, Context)> {
        let ctx = self.session.channel_context(channel);
        let with = |e: Error| e.with_context(ctx.clone());
        let start = self.basis.to_sdk(from).map_err(with)?;
        let stop = self.basis.to_sdk(to).map_err(with)?;
        check_order(&start, &stop, from, to).map_err(with)?;
        let ctx = super::range_context(ctx, &start, &stop);
        let mut cond = sys::NET_DVR_PLAYCOND {
            dwChannel: channel_long(channel)?.unsigned_abs(),
            struStartTime: start,
            struStopTime: stop,
            ..Default::default()
        };
        let f = resolve!(self.session.sdk().lib(), NET_DVR_GetFileByTime_V40);
        let name = c_path.as_ptr().cast_mut();
        // SAFETY: `name` is a NUL-terminated path and `cond` a live NET_DVR_PLAYCOND; the
        // SDK reads both during the call only.
        let h = f.handle(&ctx, |f| unsafe { f(user, name, &raw mut cond) })?;
        Ok((h, ctx))
    }

    fn by_name(&self, user: i32, name: &str, c_path: &std::ffi::CStr) -> Result<(i32, Context)> {
        let ctx = self.session.context();
        let c_name = cstr::c_string("file name", name).map_err(|e| e.with_context(ctx.clone()))?;
        let f = resolve!(self.session.sdk().lib(), NET_DVR_GetFileByName);
        let (n, p) = (c_name.as_ptr().cast_mut(), c_path.as_ptr().cast_mut());
        // SAFETY: both are NUL-terminated strings the SDK reads during the call only.
        let h = f.handle(&ctx, |f| unsafe { f(user, n, p) })?;
        Ok((h, ctx))
    }
}

/// How far a download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadProgress {
    /// The SDK's position, 0 to 100.
    pub percent: u8,
    /// The file's size now.
    pub bytes_written: u64,
}

impl DownloadProgress {
    /// Whether the SDK reported 100 (the whole range or file was written).
    pub fn is_done(&self) -> bool {
        self.percent >= 100
    }
}

/// A recording being written to a file. Stops (`NET_DVR_StopGetFile`) when dropped; what
/// was written stays in the file.
///
/// Like a [`Preview`](crate::Preview) it holds a clone of its session and registers with
/// it: an explicit [`Session::logout`] stops it first, and its calls then fail with
/// [`ErrorKind::LoggedOut`](crate::error::ErrorKind::LoggedOut).
pub struct Download {
    inner: Arc<DownloadInner>,
    poll_interval: Duration,
}

struct DownloadInner {
    session: Session,
    handle: i32,
    path: PathBuf,
    ctx: Context,
    /// Write-held while stopping; read-held across calls that use the handle.
    state: RwLock<RunState>,
    /// A resumed download: the file the SDK's file is appended to when it stops.
    append: std::sync::OnceLock<Append>,
}

/// Where a resumed download's data goes ([`DownloadBuilder::resume`]).
struct Append {
    target: PathBuf,
    /// The target's length before the resumed data.
    base: u64,
}

struct RunState {
    stopped: bool,
    registration: Option<u64>,
    /// The last position below 100, for the interrupted error.
    last_percent: u8,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("handle", &self.inner.handle)
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// Register `handle` with the session (the caller holds the login); a logout that
    /// began meanwhile stops it and fails.
    fn register(
        session: Session,
        handle: i32,
        path: PathBuf,
        ctx: Context,
        poll_interval: Duration,
    ) -> Result<Self> {
        let inner = Arc::new(DownloadInner {
            session,
            handle,
            path,
            ctx: ctx.with_handle(handle),
            state: RwLock::new(RunState {
                stopped: false,
                registration: None,
                last_percent: 0,
            }),
            append: std::sync::OnceLock::new(),
        });
        let weak: Weak<dyn SessionHandle> = Arc::downgrade(&inner) as Weak<DownloadInner>;
        match inner.session.register(weak) {
            Some(id) => write(&inner.state).registration = Some(id),
            None => {
                let _ = inner.stop();
                return Err(Error::logged_out("the download", inner.ctx.clone()));
            }
        }
        Ok(Self {
            inner,
            poll_interval,
        })
    }

    /// The SDK's download handle.
    pub fn handle(&self) -> i32 {
        self.inner.handle
    }

    /// The file being written (for a resumed download, the file it is appended to).
    pub fn path(&self) -> &Path {
        self.inner
            .append
            .get()
            .map_or(&self.inner.path, |a| &a.target)
    }

    /// Ask for the position once (`NET_DVR_GetDownloadPos`).
    ///
    /// # Errors
    /// [`ErrorKind::DownloadInterrupted`](crate::error::ErrorKind::DownloadInterrupted)
    /// for position 200 (network failure) or any other value above 100, with the bytes
    /// saved; the SDK's code when the call fails; `LoggedOut` after the session's logout.
    #[doc(alias = "NET_DVR_GetDownloadPos")]
    pub fn position(&self) -> Result<DownloadProgress> {
        self.inner.position()
    }

    /// The progress as an iterator: the position now, then every poll interval until 100
    /// (the last item), or an error (then `None`).
    pub fn progress(&mut self) -> Progress<'_> {
        Progress {
            download: self,
            first: true,
            finished: false,
        }
    }

    /// Wait until the download is complete; returns the file's size.
    ///
    /// # Errors
    /// As for [`position`](Self::position).
    pub fn wait(mut self) -> Result<u64> {
        let mut last = Ok(0);
        for p in self.progress() {
            last = p.map(|p| p.bytes_written);
        }
        // Stopped here, not by drop, so that the file is final (and a resumed download
        // appended) when this returns, also after an error.
        let stopped = self.stop();
        let last = last?;
        stopped?;
        Ok(last)
    }

    /// Stop the download (`NET_DVR_StopGetFile`) and report the result; dropping it stops
    /// too. `Ok` if its session's logout already stopped it.
    ///
    /// # Errors
    /// The SDK's code from `NET_DVR_StopGetFile`.
    #[doc(alias = "NET_DVR_StopGetFile")]
    pub fn stop(self) -> Result<()> {
        self.inner.stop()
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        let inner = Arc::clone(&self.inner);
        reaper::teardown(move || {
            // Failures are logged by the call layer.
            let _ = inner.stop();
        });
    }
}

/// A download's progress ([`Download::progress`]): an iterator of
/// `Result<DownloadProgress>`, one item per poll.
#[derive(Debug)]
pub struct Progress<'a> {
    download: &'a mut Download,
    first: bool,
    finished: bool,
}

impl Iterator for Progress<'_> {
    type Item = Result<DownloadProgress>;

    fn next(&mut self) -> Option<Result<DownloadProgress>> {
        if self.finished {
            return None;
        }
        if !self.first {
            std::thread::sleep(self.download.poll_interval);
        }
        self.first = false;
        let item = self.download.position();
        self.finished = item.as_ref().map_or(true, DownloadProgress::is_done);
        Some(item)
    }
}

impl DownloadInner {
    /// The file's size now (a resumed download's: the target's kept part and the new data
    /// without its IMKH header).
    fn bytes_written(&self) -> u64 {
        let len = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        match self.append.get() {
            Some(a) => a.base + len.saturating_sub(hcnetsdk_media::IMKH_LEN as u64),
            None => len,
        }
    }

    fn set_append(&self, target: PathBuf, base: u64) {
        let _ = self.append.set(Append { target, base });
    }

    /// Append a resumed download's file to its target (once, after the SDK closed it).
    fn finish_append(&self) -> Result<()> {
        let Some(a) = self.append.get() else {
            return Ok(());
        };
        let run = || -> std::io::Result<()> {
            let data = match std::fs::read(&self.path) {
                Ok(d) => d,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e),
            };
            let body = if hcnetsdk_media::MediaInfo::is_imkh(&data) {
                &data[hcnetsdk_media::IMKH_LEN.min(data.len())..]
            } else {
                &data[..]
            };
            let mut f = std::fs::OpenOptions::new().append(true).open(&a.target)?;
            std::io::Write::write_all(&mut f, body)?;
            std::fs::remove_file(&self.path)
        };
        run().map_err(|e| Error::io("resume", &a.target, e).with_context(self.ctx.clone()))
    }

    fn ensure_running(&self, st: &RunState) -> Result<()> {
        if st.stopped {
            return Err(Error::logged_out("the download", self.ctx.clone()));
        }
        Ok(())
    }

    /// `NET_DVR_PlayBackControl_V40(NET_DVR_PLAYSTART)`: the transfer begins.
    fn play_start(&self) -> Result<()> {
        let st = read(&self.state);
        self.ensure_running(&st)?;
        let h = self.handle;
        let null = std::ptr::null_mut();
        // SAFETY: no buffers: NULL in and out with zero lengths, as PLAYSTART takes.
        resolve!(self.session.sdk().lib(), NET_DVR_PlayBackControl_V40).bool(
            &self.ctx,
            |f| unsafe {
                f(
                    h,
                    sys::NET_DVR_PLAYSTART,
                    null,
                    0,
                    null,
                    std::ptr::null_mut(),
                )
            },
        )
    }

    fn position(&self) -> Result<DownloadProgress> {
        let mut st = write(&self.state);
        self.ensure_running(&st)?;
        let h = self.handle;
        // SAFETY: a LONG by value.
        let pos = resolve!(self.session.sdk().lib(), NET_DVR_GetDownloadPos).call(
            &self.ctx,
            |r| *r < 0,
            |f| unsafe { f(h) },
        )?;
        let bytes_written = self.bytes_written();
        match u8::try_from(pos) {
            Ok(percent) if percent <= 100 => {
                if percent < 100 {
                    st.last_percent = percent;
                }
                Ok(DownloadProgress {
                    percent,
                    bytes_written,
                })
            }
            _ => {
                if pos != POS_NETWORK_FAILURE {
                    tracing::warn!(handle = h, pos, "undocumented download position");
                }
                let path = self.append.get().map_or(&self.path, |a| &a.target);
                Err(Error::download_interrupted(
                    path,
                    bytes_written,
                    st.last_percent,
                    self.ctx.clone(),
                ))
            }
        }
    }

    /// `NET_DVR_StopGetFile`, once; then leave the session's registry.
    fn stop(&self) -> Result<()> {
        let mut st = write(&self.state);
        if st.stopped {
            return Ok(());
        }
        st.stopped = true;
        let h = self.handle;
        // SAFETY: a LONG by value; stopped once (guarded by `stopped` under the lock).
        let result = resolve!(self.session.sdk().lib(), NET_DVR_StopGetFile)
            .bool(&self.ctx, |f| unsafe { f(h) });
        if let Some(id) = st.registration.take() {
            self.session.unregister(id);
        }
        let appended = self.finish_append();
        result.and(appended)
    }
}

impl SessionHandle for DownloadInner {
    fn session_closing(&self) {
        // Failures are logged by the call layer.
        let _ = self.stop();
    }
}
