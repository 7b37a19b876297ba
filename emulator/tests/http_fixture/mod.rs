//! A test-only device behind the HTTP face: one camera, users with passwords in clear,
//! a lock after `MAX_ATTEMPTS` wrong passwords, and the endpoints the real SDK reads at
//! login, and `GET /ISAPI/Security/adminAccesses` with the RTSP port when one is set (the
//! real SDK reads it on every preview start and reconnect). Not the device model (that is `hcnetsdk-device`): just enough to drive the face.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hcnetsdk_emulator::http::{IsapiAnswer, IsapiModel, LoginOutcome};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "Emul4tor!pw";
pub const SERIAL: &str = "DS-2CD2T47G2-L20231201AAWRJ12345678";
pub const MODEL: &str = "DS-2CD2T47G2-L";
pub const MAX_ATTEMPTS: u32 = 5;
pub const LOCK: Duration = Duration::from_secs(1800);

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\"";

#[derive(Debug, Default)]
struct Account {
    failures: u32,
    locked_until: Option<Instant>,
}

#[derive(Debug)]
pub struct Fixture {
    users: HashMap<String, String>,
    accounts: Mutex<HashMap<String, Account>>,
    /// Whether wrong passwords lock the account (and the answers say how many are left).
    lock: bool,
    /// The RTSP port `adminAccesses` announces; `None`: no such endpoint (a 404).
    rtsp_port: Option<u16>,
    /// An `adminAccesses` body to send instead of [`admin_accesses`].
    admin_body: Option<String>,
}

impl Default for Fixture {
    fn default() -> Self {
        Self {
            users: HashMap::from([(USER.to_owned(), PASSWORD.to_owned())]),
            accounts: Mutex::new(HashMap::new()),
            lock: true,
            rtsp_port: None,
            admin_body: None,
        }
    }
}

impl Fixture {
    /// A device that never locks and says nothing about attempts.
    pub fn without_lock() -> Self {
        Self {
            lock: false,
            ..Self::default()
        }
    }

    /// The same device, announcing `port` as its RTSP port in `adminAccesses`.
    pub fn with_rtsp_port(mut self, port: u16) -> Self {
        self.rtsp_port = Some(port);
        self
    }

    /// The same device, answering `adminAccesses` with `body` (after the XML declaration).
    pub fn with_admin_accesses(mut self, body: String) -> Self {
        self.admin_body = Some(body);
        self
    }
}

impl IsapiModel for Fixture {
    fn login_attempt(
        &self,
        user: &str,
        check: &dyn Fn(&str) -> bool,
        now: Instant,
    ) -> LoginOutcome {
        let mut accounts = self.accounts.lock().unwrap();
        let account = accounts.entry(user.to_owned()).or_default();
        if let Some(until) = account.locked_until {
            if until > now {
                return LoginOutcome::Locked {
                    remaining: until - now,
                };
            }
            *account = Account::default();
        }
        if self.users.get(user).is_some_and(|p| check(p)) {
            account.failures = 0;
            return LoginOutcome::Success;
        }
        if !self.lock {
            return LoginOutcome::WrongPassword {
                attempts_left: None,
            };
        }
        account.failures += 1;
        if account.failures >= MAX_ATTEMPTS {
            account.locked_until = Some(now + LOCK);
            return LoginOutcome::Locked { remaining: LOCK };
        }
        LoginOutcome::WrongPassword {
            attempts_left: Some(MAX_ATTEMPTS - account.failures),
        }
    }

    fn isapi(&self, method: &str, path: &str, _body: &[u8]) -> Option<IsapiAnswer> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if method != "GET" {
            return None;
        }
        let body = match path {
            "/ISAPI/System/deviceInfo" => device_info(),
            "/ISAPI/System/Video/inputs/channels" => video_inputs(),
            "/ISAPI/Security/adminAccesses" => match &self.admin_body {
                Some(body) => format!("{HEAD}{body}"),
                None => admin_accesses(self.rtsp_port?),
            },
            _ => return None,
        };
        Some(IsapiAnswer::xml(body))
    }
}

fn device_info() -> String {
    format!(
        "{HEAD}<DeviceInfo {NS}>\n<deviceName>Emulated Camera</deviceName>\n<deviceID>emu-1</deviceID>\n\
         <model>{MODEL}</model>\n<serialNumber>{SERIAL}</serialNumber>\n<macAddress>00:00:5e:00:53:01</macAddress>\n\
         <firmwareVersion>V5.7.3</firmwareVersion>\n<firmwareReleasedDate>build 220112</firmwareReleasedDate>\n\
         <deviceType>IPCamera</deviceType>\n<telecontrolID>88</telecontrolID>\n</DeviceInfo>\n"
    )
}

fn video_inputs() -> String {
    format!(
        "{HEAD}<VideoInputChannelList {NS}>\n<VideoInputChannel>\n<id>1</id>\n\
         <inputPort>1</inputPort>\n<name>Camera 01</name>\n<videoFormat>PAL</videoFormat>\n\
         </VideoInputChannel>\n</VideoInputChannelList>\n"
    )
}

/// The shape real cameras answer (public device captures): one `AdminAccessProtocol` per
/// protocol. Only the RTSP port is real here; the others are the factory defaults.
pub fn admin_accesses(rtsp_port: u16) -> String {
    let entry = |id: u32, protocol: &str, port: u16| {
        format!(
            "<AdminAccessProtocol>\n<id>{id}</id>\n<enabled>true</enabled>\n\
             <protocol>{protocol}</protocol>\n<portNo>{port}</portNo>\n</AdminAccessProtocol>\n"
        )
    };
    format!(
        "{HEAD}<AdminAccessProtocolList {NS}>\n{}{}{}{}</AdminAccessProtocolList>\n",
        entry(1, "HTTP", 80),
        entry(2, "HTTPS", 443),
        entry(3, "DEV_MANAGE", 8000),
        entry(4, "RTSP", rtsp_port),
    )
}
