//! The faults a served device can show, as the mock SDK has them (`MOCK_SetDeviceOnline`,
//! `MOCK_DisconnectPreview`, `MOCK_SetLatency`, wrong passwords and the lock), driven
//! through [`crate::EmulatedDevice`]:
//!
//! | fault | call | what a client sees |
//! | --- | --- | --- |
//! | offline | [`set_online(false)`](crate::EmulatedDevice::set_online), or the model's own flag ([`hcnetsdk_device::Device::set_online`]) | its HTTP, HTTPS and RTSP ports refuse connections; open connections (a preview) close; back online, the same port numbers listen again |
//! | connection drop mid-stream | [`drop_connections`](crate::EmulatedDevice::drop_connections) | every RTSP connection closes at once; new ones are accepted |
//! | slow answers | [`set_delay`](crate::EmulatedDevice::set_delay) | every HTTP(S) answer comes that much later |
//! | wrong password | a login with another password | the model counts it towards the lock (`retryLoginTime`) |
//! | locked account | [`lock_for`](crate::EmulatedDevice::lock_for), or enough wrong passwords | every login gets the lock answer with the time left |
//!
//! `Faces` keeps the listeners in step with the model's `online` flag: the emulator's
//! watcher thread calls `Faces::follow` every [`WATCH_PERIOD`], and
//! [`set_online`](crate::EmulatedDevice::set_online) calls it at once. Sessions stay
//! across an offline spell (a pulled cable, not a reboot); the RTSP request log starts
//! again (a new server on the same port).

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use hcnetsdk_device::Device;
use tokio::runtime::Handle;

use crate::http::HttpFace;
use crate::rtsp::{RtspConfig, RtspServer};

/// How often the watcher compares the listeners with the model's `online` flag.
pub const WATCH_PERIOD: Duration = Duration::from_millis(20);

/// One device's faces, opened and closed with its `online` flag.
#[derive(Debug)]
pub(crate) struct Faces {
    pub device: Arc<Device>,
    pub http: HttpFace,
    rtsp: Mutex<Option<RtspServer>>,
    /// The RTSP server's configuration, with the port it first got.
    rtsp_config: RtspConfig,
    runtime: Handle,
}

impl Faces {
    pub fn new(
        device: Arc<Device>,
        http: HttpFace,
        rtsp: RtspServer,
        mut rtsp_config: RtspConfig,
        runtime: Handle,
    ) -> Self {
        rtsp_config.port = rtsp.port();
        Self {
            device,
            http,
            rtsp: Mutex::new(Some(rtsp)),
            rtsp_config,
            runtime,
        }
    }

    pub fn rtsp_port(&self) -> u16 {
        self.rtsp_config.port
    }

    /// The running RTSP server (none while offline).
    pub fn rtsp(&self) -> MutexGuard<'_, Option<RtspServer>> {
        hcnetsdk_device::lock(&self.rtsp)
    }

    /// Open or close every listener to match the model's `online` flag now.
    ///
    /// # Errors
    /// Binding a port again (taken by something else meanwhile).
    pub fn follow(&self) -> io::Result<()> {
        // One follow at a time (the watcher and `set_online` may race): the RTSP lock is
        // held until the HTTP face follows too.
        let mut rtsp = self.rtsp();
        let online = self.device.online();
        match (online, rtsp.is_some()) {
            (false, true) => {
                if let Some(server) = rtsp.take() {
                    server.drop_connections();
                    self.on_runtime(server.stop())?;
                }
            }
            (true, false) => {
                *rtsp = Some(self.on_runtime(RtspServer::start(self.rtsp_config.clone()))??);
            }
            _ => {}
        }
        let http = self.http.set_listening(online);
        drop(rtsp);
        http
    }

    /// Run `fut` on the emulator's runtime and wait for it (from any thread, also from
    /// inside another runtime).
    fn on_runtime<T: Send + 'static>(
        &self,
        fut: impl std::future::Future<Output = T> + Send + 'static,
    ) -> io::Result<T> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.runtime.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv()
            .map_err(|_| io::Error::other("the emulator's runtime stopped"))
    }

    /// Whether the listeners are open.
    pub fn listening(&self) -> bool {
        self.http.is_listening()
    }
}

/// The thread that keeps every device's listeners in step with its `online` flag.
#[derive(Debug)]
pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    pub fn start(faces: Vec<Weak<Faces>>) -> io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("emulator-watch".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    for f in faces.iter().filter_map(Weak::upgrade) {
                        if f.device.online() != f.listening() {
                            if let Err(e) = f.follow() {
                                tracing::warn!("emulator: following the online flag: {e}");
                            }
                        }
                    }
                    std::thread::sleep(WATCH_PERIOD);
                }
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
