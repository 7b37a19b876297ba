//! [`Emulator`]: every device of a scenario on 127.0.0.1, each with its own HTTP (ISAPI)
//! port and RTSP port, served from the shared device model until dropped.
//!
//! ```no_run
//! use hcnetsdk_device::Scenario;
//! use hcnetsdk_emulator::Emulator;
//!
//! let emulator = Emulator::start(&Scenario::default())?;
//! for d in emulator.devices() {
//!     println!(
//!         "{} {} http {} https {} rtsp {}",
//!         d.label(), d.address(), d.http_port(), d.https_port(), d.rtsp_port()
//!     );
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Ports are ephemeral (the scenario's `port` is the mock's SDK port, not used here). Each
//! device has three: HTTP (ISAPI), HTTPS (the same ISAPI over TLS, with a self-signed
//! certificate for 127.0.0.1 and localhost made at start, [`crate::http::TlsCert`]) and
//! RTSP. The device's `Security/adminAccesses` names the RTSP port it really listens on.
//!
//! A device that is offline, in the scenario (`online = false`) or later, has its ports
//! closed: they refuse connections, as an unplugged device does, and listen again on the
//! same numbers when it comes back. The faults API ([`EmulatedDevice::set_online`],
//! [`EmulatedDevice::drop_connections`], [`EmulatedDevice::set_delay`],
//! [`EmulatedDevice::lock_for`]) is described in [`crate::faults`].

use std::io;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

use hcnetsdk_device::{Device, Scenario};
use tokio::runtime::Runtime;

use crate::device::{DeviceModel, credentials, media_source, playback_source};
use crate::faults::{Faces, Watcher};
use crate::http::{HttpConfig, HttpFace, TlsCert, TlsVersions};
use crate::rtsp::{RtspConfig, RtspServer};

/// The devices of one scenario, served on loopback until dropped.
#[derive(Debug)]
pub struct Emulator {
    devices: Vec<EmulatedDevice>,
    /// The HTTPS ports' certificate.
    cert: TlsCert,
    /// Keeps the listeners in step with each device's `online` flag.
    watcher: Option<Watcher>,
    /// Runs the RTSP servers (the HTTP faces have their own threads).
    runtime: Option<Runtime>,
}

/// One served device: the model and its faces (HTTP, HTTPS, RTSP).
#[derive(Debug)]
pub struct EmulatedDevice {
    faces: Option<Arc<Faces>>,
    device: Arc<Device>,
    http_port: u16,
    https_port: u16,
    rtsp_port: u16,
}

/// The running RTSP server of a device, borrowed from [`EmulatedDevice::rtsp`] (the faults
/// API waits while it is held).
#[derive(Debug)]
pub struct RtspRef<'a>(MutexGuard<'a, Option<RtspServer>>);

impl std::ops::Deref for RtspRef<'_> {
    type Target = RtspServer;
    fn deref(&self) -> &RtspServer {
        self.0.as_ref().expect("made only while the server runs")
    }
}

impl Emulator {
    /// Serve every device of `scenario`, in file order. Call it outside any tokio runtime
    /// (it runs its own).
    ///
    /// # Errors
    /// Binding a loopback port, or starting a thread or the runtime.
    pub fn start(scenario: &Scenario) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("emulator-rtsp")
            .enable_all()
            .build()?;
        let cert = TlsCert::self_signed()?;
        let tls = cert.server_config(TlsVersions::Both)?;
        let mut devices = Vec::new();
        for device in scenario.clone().into_devices() {
            devices.push(EmulatedDevice::start(Arc::new(device), &runtime, &tls)?);
        }
        let watched = devices
            .iter()
            .filter_map(|d| d.faces.as_ref().map(Arc::downgrade))
            .collect();
        Ok(Self {
            devices,
            cert,
            watcher: Some(Watcher::start(watched)?),
            runtime: Some(runtime),
        })
    }

    /// The devices, in scenario order.
    #[must_use]
    pub fn devices(&self) -> &[EmulatedDevice] {
        &self.devices
    }

    /// The certificate every HTTPS port serves (self-signed, for 127.0.0.1 and
    /// localhost, made at start): what a client that checks certificates would trust.
    #[must_use]
    pub fn certificate(&self) -> &TlsCert {
        &self.cert
    }

    /// The device with this label (or, for a device without one, this address).
    #[must_use]
    pub fn device(&self, label: &str) -> Option<&EmulatedDevice> {
        self.devices.iter().find(|d| d.label() == label)
    }

    /// Stop every device now (also done on drop).
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.watcher.take();
        for d in &mut self.devices {
            d.faces.take();
        }
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(1));
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_now();
    }
}

impl EmulatedDevice {
    fn start(
        device: Arc<Device>,
        runtime: &Runtime,
        tls: &Arc<rustls::ServerConfig>,
    ) -> io::Result<Self> {
        let media = media_source(&device).with_playback(playback_source(&device));
        let config = RtspConfig::new(media, credentials(&device));
        let rtsp = runtime.block_on(RtspServer::start(config.clone()))?;
        device.set_rtsp_port(rtsp.port());
        let model = Arc::new(DeviceModel::new(Arc::clone(&device)));
        let http = HttpFace::bind_https(model, HttpConfig::default(), Arc::clone(tls))?;
        let (http_port, https_port) = (http.port(), http.https_port().unwrap_or(0));
        device.set_http_port(http_port);
        let faces = Faces::new(
            Arc::clone(&device),
            http,
            rtsp,
            config,
            runtime.handle().clone(),
        );
        // Offline in the scenario: the ports close before anyone learns them.
        faces.follow()?;
        Ok(Self {
            http_port,
            https_port,
            rtsp_port: faces.rtsp_port(),
            faces: Some(Arc::new(faces)),
            device,
        })
    }

    /// The scenario's label, or its address when it has none.
    #[must_use]
    pub fn label(&self) -> &str {
        let spec = self.device.spec();
        if spec.label.is_empty() {
            &spec.address
        } else {
            &spec.label
        }
    }

    /// The device's address in the scenario (what the mock answers at; the emulator
    /// serves it on 127.0.0.1).
    #[must_use]
    pub fn address(&self) -> &str {
        &self.device.spec().address
    }

    /// Its HTTP (ISAPI) port on 127.0.0.1: the port for an ISAPI-mode login.
    #[must_use]
    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    /// Its RTSP port on 127.0.0.1 (also in its `Security/adminAccesses`).
    #[must_use]
    pub fn rtsp_port(&self) -> u16 {
        self.rtsp_port
    }

    /// Its HTTPS port on 127.0.0.1: the same ISAPI over TLS, for a login with HTTPS
    /// (`byHttps = 1`).
    #[must_use]
    pub fn https_port(&self) -> u16 {
        self.https_port
    }

    /// Whether its ports accept connections now (false while it is offline).
    #[must_use]
    pub fn is_served(&self) -> bool {
        self.faces.as_ref().is_some_and(|f| f.listening())
    }

    /// The device model behind the faces.
    #[must_use]
    pub fn model(&self) -> &Arc<Device> {
        &self.device
    }

    /// The HTTP face (HTTP and HTTPS ports; `None` once the emulator stopped). It stays
    /// while the device is offline, with its ports closed.
    #[must_use]
    pub fn http(&self) -> Option<&HttpFace> {
        self.faces.as_ref().map(|f| &f.http)
    }

    /// The RTSP face (`None` while the device is offline: the server is started again, on
    /// the same port, when it comes back). Do not hold it across the faults calls.
    #[must_use]
    pub fn rtsp(&self) -> Option<RtspRef<'_>> {
        let guard = self.faces.as_ref()?.rtsp();
        guard.is_some().then(|| RtspRef(guard))
    }

    /// Take the device offline (`false`: its HTTP, HTTPS and RTSP ports refuse connections,
    /// open ones close) or back online (`true`: the same port numbers listen again), through
    /// the model's `online` flag, so the mock's rules and both faces agree. Setting the
    /// model's flag directly ([`Device::set_online`]) is followed too, within
    /// [`crate::faults::WATCH_PERIOD`]; this call waits until the ports follow.
    ///
    /// # Errors
    /// A port could not be bound again (something else took it meanwhile).
    pub fn set_online(&self, online: bool) -> io::Result<()> {
        self.device.set_online(online);
        match &self.faces {
            Some(f) => f.follow(),
            None => Ok(()),
        }
    }

    /// Whether the device is online (the model's flag).
    #[must_use]
    pub fn is_online(&self) -> bool {
        self.device.online()
    }

    /// Close every RTSP connection at once (a drop mid-stream, as
    /// `MOCK_DisconnectPreview`); new connections are accepted, so a client's reconnect
    /// can be watched. Nothing happens while the device is offline.
    pub fn drop_connections(&self) {
        if let Some(rtsp) = self.rtsp() {
            rtsp.drop_connections();
        }
    }

    /// Hold every HTTP and HTTPS answer back by `delay` from now on (slow answers, as
    /// `MOCK_SetLatency`); `Duration::ZERO` ends it. RTSP is not delayed.
    pub fn set_delay(&self, delay: Duration) {
        if let Some(http) = self.http() {
            http.set_delay(delay);
        }
    }

    /// The delay added to every HTTP and HTTPS answer.
    #[must_use]
    pub fn delay(&self) -> Duration {
        self.http().map_or(Duration::ZERO, HttpFace::delay)
    }

    /// Lock the device's logins for `duration` from now, as the wrong password that
    /// reaches the scenario's `login_retry_limit` does: every login, right or wrong, gets
    /// the lock answer with the time left until then ([`Device::login_attempt`]).
    pub fn lock_for(&self, duration: Duration) {
        let mut st = self.device.state();
        st.locked_until = Some(Instant::now() + duration);
    }

    /// Back to the scenario's state: its `online` flag (the ports follow), no failed
    /// logins or lock, PTZ at home ([`Device::reset`]); no delay.
    ///
    /// # Errors
    /// As [`set_online`](Self::set_online).
    pub fn reset(&self) -> io::Result<()> {
        self.device.reset();
        self.set_delay(Duration::ZERO);
        match &self.faces {
            Some(f) => f.follow(),
            None => Ok(()),
        }
    }
}
