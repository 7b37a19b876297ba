//! Simulated broken setups for `hcnet doctor --simulate ...`.
//!
//! Each one is either a scenario file for the mock SDK (embedded here, written to a temp
//! file, and named by `HCNETSDK_MOCK_SCENARIO` before the SDK loads), a device of the mock's
//! default scenario that lacks something, or a loopback listener started here that behaves
//! like a broken device. They fail the way a real setup fails, with the SDK's real codes.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::net::{self, FakePeer, PeerBehaviour};

/// A setup to simulate: a broken one, or a device without PTZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Broken {
    /// No SDK library where it is looked for (check 1 fails).
    NoSdk,
    /// The default device, with a wrong password (login fails with 1 and the attempts left).
    WrongPassword,
    /// The account is locked after too many failed logins (login fails with 153 and the lock time).
    Locked,
    /// The device is switched off or unplugged (login fails with 7).
    Offline,
    /// Nothing listens on the port: a closed loopback port (TCP refused, login fails with 7).
    ClosedPort,
    /// Something accepts the connection but never answers (login times out with 10).
    SilentPort,
    /// The port accepts and at once closes the connection (an IP filter, or a device out of links): login fails with 9.
    DropsConnection,
    /// Another service (HTTP) on the SDK port: answers, but not the SDK protocol (login fails with 11 or 9).
    WrongService,
    /// The device's RTSP port (554) given as the SDK port.
    RtspPort,
    /// An HTTPS (TLS) port given as the SDK port.
    TlsPort,
    /// A fixed bullet camera: no PTZ (it answers PTZ with 23), so the PTZ check is skipped
    /// and doctor passes.
    NoPtz,
    /// A user without the PTZ right (PTZ fails with 2).
    NoPtzRight,
    /// Channel 1 on an NVR whose IP channels start at 33 (fails with 4).
    BadChannel,
}

impl Broken {
    /// The name as typed on the command line.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }
}

/// Scenario: the dome, switched off.
const OFFLINE_SCENARIO: &str = r#"# hcnet doctor --simulate offline: the dome is switched off.
[[device]]
label = "dome (offline)"
address = "192.0.2.10"
port = 8000
kind = "ipc"
model = "DS-2DE4425IW-DE"
firmware = "V5.7.3 build 230615"
name = "大门球机"
ptz = true
online = false

  [[device.user]]
  name = "admin"
  password = "Admin12345"
  role = "admin"
"#;

/// Scenario: the dome, with a short retry limit, so the simulation can lock the account.
const LOCKED_SCENARIO: &str = r#"# hcnet doctor --simulate locked: someone kept trying wrong passwords.
[[device]]
label = "dome (account locked)"
address = "192.0.2.10"
port = 8000
kind = "ipc"
model = "DS-2DE4425IW-DE"
firmware = "V5.7.3 build 230615"
name = "大门球机"
ptz = true
login_retry_limit = 3
lock_seconds = 1800

  [[device.user]]
  name = "admin"
  password = "Admin12345"
  role = "admin"
"#;

/// How many wrong logins the locked simulation may spend to lock the account (the
/// scenario's limit is 3; one more for safety).
pub const LOCK_ATTEMPTS: usize = 4;

/// A wrong password that the simulations use.
pub const WRONG_PASSWORD: &str = "not-the-password";

/// What a simulation changes in the doctor's run. Dropping it stops the listeners and
/// deletes the temp files.
#[derive(Debug, Default)]
pub struct Setup {
    /// Describes the setup, one line.
    pub description: String,
    /// Use this SDK location instead of the usual one.
    pub sdk_dir: Option<PathBuf>,
    /// Device address.
    pub host: Option<String>,
    /// Device port.
    pub port: Option<u16>,
    /// User.
    pub user: Option<String>,
    /// Password to use instead of the usual one.
    pub password: Option<String>,
    /// Channel.
    pub channel: Option<u32>,
    /// Before the doctor's own login, log in this many times with a wrong password (to lock
    /// the account).
    pub lock_first: bool,
    /// Shorter SDK timeouts (the silent port would otherwise take the default 5 s).
    pub short_timeouts: bool,
    /// The setup uses the mock's simulated devices: refuse to run it on a real SDK.
    pub needs_mock: bool,
    peer: Option<FakePeer>,
    temp: Option<TempDir>,
}

/// A temp folder removed on drop.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> std::io::Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("hcnet-{what}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Prepare a simulated setup. Must run before any other thread starts and before the SDK is
/// loaded: it may set `HCNETSDK_MOCK_SCENARIO` in this process's environment.
pub fn prepare(broken: Broken) -> Result<Setup, String> {
    let mut s = Setup {
        needs_mock: needs_mock(broken),
        ..Setup::default()
    };
    match broken {
        Broken::NoSdk => {
            let t = TempDir::new("no-sdk").map_err(|e| e.to_string())?;
            s.description = format!(
                "the SDK folder {} holds no libhcnetsdk.so",
                t.path().display()
            );
            s.sdk_dir = Some(t.path().to_path_buf());
            s.temp = Some(t);
        }
        Broken::WrongPassword => {
            s.description = "the default device, logged in to with a wrong password".into();
            s.password = Some(WRONG_PASSWORD.into());
        }
        Broken::Locked => {
            let t = write_scenario("locked", LOCKED_SCENARIO)?;
            s.description = "the dome's admin account, locked by earlier wrong passwords (scenario: retry limit 3, lock 30 min)".into();
            s.lock_first = true;
            s.temp = Some(t);
        }
        Broken::Offline => {
            let t = write_scenario("offline", OFFLINE_SCENARIO)?;
            s.description = "the dome is switched off (scenario: online = false)".into();
            s.temp = Some(t);
        }
        Broken::ClosedPort => {
            let port = net::closed_loopback_port().map_err(|e| e.to_string())?;
            s.description = format!("nothing listens on 127.0.0.1:{port}");
            s.host = Some("127.0.0.1".into());
            s.port = Some(port);
            s.password = Some(WRONG_PASSWORD.into());
        }
        Broken::SilentPort => loopback_peer(
            &mut s,
            PeerBehaviour::Silent,
            "accepts connections but never answers (a hung service or a proxy)",
        )?,
        Broken::DropsConnection => loopback_peer(
            &mut s,
            PeerBehaviour::AcceptClose,
            "accepts each connection and closes it at once (an IP filter, or a device out of links)",
        )?,
        Broken::WrongService => loopback_peer(
            &mut s,
            PeerBehaviour::Garbage,
            "is an HTTP server, not a device's SDK port",
        )?,
        Broken::RtspPort => loopback_peer(
            &mut s,
            PeerBehaviour::Rtsp,
            "is an RTSP server (a device's streaming port), not its SDK port",
        )?,
        Broken::TlsPort => loopback_peer(
            &mut s,
            PeerBehaviour::Tls,
            "speaks TLS (an HTTPS port), not the SDK protocol",
        )?,
        Broken::NoPtz => {
            s.description = "the fixed bullet camera 192.0.2.11 (no PTZ head)".into();
            s.host = Some("192.0.2.11".into());
        }
        Broken::NoPtzRight => {
            s.description = "the dome, logged in as `viewer`, a user without the PTZ right".into();
            s.user = Some("viewer".into());
        }
        Broken::BadChannel => {
            s.description =
                "channel 1 on the 16-channel NVR 192.0.2.20, whose IP channels start at 33".into();
            s.host = Some("192.0.2.20".into());
            s.channel = Some(1);
        }
    }
    Ok(s)
}

/// Whether the setup uses the mock's simulated devices. `wrong-password` is one of them:
/// against a real device every wrong login counts toward its account lock.
pub fn needs_mock(broken: Broken) -> bool {
    !matches!(
        broken,
        Broken::NoSdk
            | Broken::ClosedPort
            | Broken::SilentPort
            | Broken::DropsConnection
            | Broken::WrongService
            | Broken::RtspPort
            | Broken::TlsPort
    )
}

/// The message when a mock-only setup meets a real SDK.
pub fn needs_mock_text(broken: Broken) -> String {
    format!(
        "--simulate {} uses the mock SDK's simulated devices, but the SDK loaded is not the mock; run it without \
         --sdk-dir/HCNETSDK_LIB_DIR/HCNETSDK_LIB (no-sdk, closed-port, silent-port, drops-connection, wrong-service, \
         rtsp-port and tls-port also work with a real SDK)",
        broken.name()
    )
}

/// Point the setup at a loopback listener with `behaviour` (it stops with the setup), using
/// short SDK timeouts and a password that could never log in anywhere.
fn loopback_peer(s: &mut Setup, behaviour: PeerBehaviour, what: &str) -> Result<(), String> {
    let peer = FakePeer::start(behaviour).map_err(|e| e.to_string())?;
    s.description = format!("127.0.0.1:{} {what}", peer.port());
    s.host = Some("127.0.0.1".into());
    s.port = Some(peer.port());
    s.password = Some(WRONG_PASSWORD.into());
    s.short_timeouts = true;
    s.peer = Some(peer);
    Ok(())
}

fn write_scenario(name: &str, text: &str) -> Result<TempDir, String> {
    let t = TempDir::new(name).map_err(|e| e.to_string())?;
    let file = t.path().join(format!("{name}.toml"));
    std::fs::write(&file, text).map_err(|e| format!("could not write {}: {e}", file.display()))?;
    // SAFETY: `prepare` runs before any other thread of this
    // process exists and before the SDK is loaded (documented contract of this function),
    // so nothing reads the environment concurrently.
    unsafe { std::env::set_var("HCNETSDK_MOCK_SCENARIO", &file) };
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case() {
        assert_eq!(Broken::WrongPassword.name(), "wrong-password");
        assert_eq!(Broken::NoPtz.name(), "no-ptz");
    }

    #[test]
    fn mock_only_setups_are_marked() {
        assert!(
            needs_mock(Broken::NoPtz)
                && needs_mock(Broken::WrongPassword)
                && needs_mock(Broken::Locked)
        );
        assert!(!needs_mock(Broken::ClosedPort) && !needs_mock(Broken::NoSdk));
        assert!(needs_mock_text(Broken::NoPtz).contains("--simulate no-ptz"));
    }

    #[test]
    fn closed_port_is_loopback() {
        let s = prepare(Broken::ClosedPort).unwrap();
        assert!(!s.needs_mock);
        assert_eq!(s.host.as_deref(), Some("127.0.0.1"));
        // Nothing listens there: a connect is refused (what the doctor's TCP check and the
        // SDK's login, 7, then report).
        let port = s.port.unwrap();
        let err = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(
            err.kind(),
            std::io::ErrorKind::ConnectionRefused,
            "127.0.0.1:{port}: {err}"
        );
        assert!(
            s.description.contains(&format!("127.0.0.1:{port}")),
            "{}",
            s.description
        );
    }
}
