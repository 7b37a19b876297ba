//! [`Emulator`]: every device of a scenario on 127.0.0.1, each with its own HTTP (ISAPI)
//! port and RTSP port, served from the shared device model until dropped.
//!
//! ```no_run
//! use hcnetsdk_device::Scenario;
//! use hcnetsdk_emulator::Emulator;
//!
//! let emulator = Emulator::start(&Scenario::default())?;
//! for d in emulator.devices() {
//!     println!("{} {} http {} rtsp {}", d.label(), d.address(), d.http_port(), d.rtsp_port());
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Ports are ephemeral (the scenario's `port` is the mock's SDK port, not used here). The
//! device's `Security/adminAccesses` names the RTSP port it really listens on. A device
//! that is offline in the scenario (`online = false`) gets no listeners: its two ports are
//! ones that were free at start and refuse connections, as an unplugged device does.
//! Turning a device offline while it is served is not followed yet (see [`crate::device`]).

use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use hcnetsdk_device::{Device, Scenario};
use tokio::runtime::Runtime;

use crate::device::{DeviceModel, credentials, media_source};
use crate::http::HttpFace;
use crate::rtsp::{RtspConfig, RtspServer};

/// The devices of one scenario, served on loopback until dropped.
#[derive(Debug)]
pub struct Emulator {
    devices: Vec<EmulatedDevice>,
    /// Runs the RTSP servers (the HTTP faces have their own threads).
    runtime: Option<Runtime>,
}

/// One served device: the model and its two faces.
#[derive(Debug)]
pub struct EmulatedDevice {
    device: Arc<Device>,
    http: Option<HttpFace>,
    rtsp: Option<RtspServer>,
    http_port: u16,
    rtsp_port: u16,
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
        let mut devices = Vec::new();
        for device in scenario.clone().into_devices() {
            devices.push(EmulatedDevice::start(Arc::new(device), &runtime)?);
        }
        Ok(Self {
            devices,
            runtime: Some(runtime),
        })
    }

    /// The devices, in scenario order.
    #[must_use]
    pub fn devices(&self) -> &[EmulatedDevice] {
        &self.devices
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
        for d in &mut self.devices {
            d.http.take();
            d.rtsp.take();
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
    fn start(device: Arc<Device>, runtime: &Runtime) -> io::Result<Self> {
        if !device.online() {
            return Ok(Self {
                http_port: free_port()?,
                rtsp_port: free_port()?,
                device,
                http: None,
                rtsp: None,
            });
        }
        let config = RtspConfig::new(media_source(&device), credentials(&device));
        let rtsp = runtime.block_on(RtspServer::start(config))?;
        device.set_rtsp_port(rtsp.port());
        let http = HttpFace::bind(Arc::new(DeviceModel::new(Arc::clone(&device))))?;
        device.set_http_port(http.port());
        Ok(Self {
            http_port: http.port(),
            rtsp_port: rtsp.port(),
            device,
            http: Some(http),
            rtsp: Some(rtsp),
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

    /// Whether it is served (false: offline in the scenario, its ports refuse).
    #[must_use]
    pub fn is_served(&self) -> bool {
        self.http.is_some()
    }

    /// The device model behind both faces.
    #[must_use]
    pub fn model(&self) -> &Arc<Device> {
        &self.device
    }

    /// The HTTP face (`None` for a device offline at start).
    #[must_use]
    pub fn http(&self) -> Option<&HttpFace> {
        self.http.as_ref()
    }

    /// The RTSP face (`None` for a device offline at start).
    #[must_use]
    pub fn rtsp(&self) -> Option<&RtspServer> {
        self.rtsp.as_ref()
    }
}

/// A loopback port that was free just now (nothing listens on it afterwards).
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}
