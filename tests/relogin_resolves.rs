//! Issue 12: every login resolves the device's host name again, so a device behind DDNS
//! whose address changed is found by the next login (the SDK's own reconnect keeps the old
//! IP). End to end and without any network: each test runs its body in a child process
//! (this test binary again, `--exact NAME`) inside a private mount namespace (`unshare -m`)
//! where a temporary hosts file is bind-mounted over `/etc/hosts` and a minimal
//! `nsswitch.conf` (`hosts: files`) over `/etc/nsswitch.conf`, so glibc answers from that
//! file alone and reads it again on every lookup. The mock answers its simulated devices at
//! 192.0.2.x itself. The body maps `camera.hcnetsdk-test` to the dome, logs in, rewrites the
//! file in place (the bind mount follows the inode) to map the name to the bullet, logs in
//! again with the same builder and checks that the bullet answered; then removes the name
//! and checks that the next login says it does not resolve. A resolver that cached the
//! first answer (or resolved once per builder or process) fails.
//!
//! The real `/etc/hosts` is never written: the child writes only the temporary file, after
//! checking that `/etc/hosts` is that very file. Without the rights for `unshare -m` and
//! `mount` (not root) the tests print a skip line and pass, except under CI (`CI` set and
//! not empty), where they fail.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hcnetsdk::error::ErrorKind;
use hcnetsdk::{LoginBuilder, Session};
use hcnetsdk_test_support::safe as support;
use support::{PASSWORD, mock, mock_lib_path, sdk};

/// The name the tests map in their hosts file (never in real DNS: `.hcnetsdk-test` is no
/// top-level domain, and only the `files` source is consulted anyway).
const NAME: &str = "camera.hcnetsdk-test";

/// The built-in scenario's dome and bullet (`device/scenarios/default.toml`): the same port
/// and admin password, different serials.
const DOME: (&str, &str) = ("192.0.2.10", "DS-2DE4425IW-DE20230615AAWRJ12345678");
const BULLET: (&str, &str) = ("192.0.2.11", "DS-2CD2T47G2-L20230301AAWRK87654321");

/// Set in the child only: the path of the hosts file mounted over `/etc/hosts`.
const CHILD: &str = "HCNETSDK_TEST_HOSTS_FILE";
/// Set in the child only: the path of the minimal nsswitch.conf.
const NSSWITCH: &str = "HCNETSDK_TEST_NSSWITCH";
/// What the wrapper prints once both mounts are in place.
const READY: &str = "hosts-namespace: mounts in place";

/// Mounts the two files in a new mount namespace (private propagation: nothing reaches the
/// host's mounts) and runs the command. The nscd socket folder, if any, is hidden so that a
/// caching daemon outside the namespace cannot answer from the real hosts file.
const WRAPPER: &str = r#"
set -e
mount --bind "$HCNETSDK_TEST_HOSTS_FILE" /etc/hosts
mount --bind "$HCNETSDK_TEST_NSSWITCH" /etc/nsswitch.conf
if [ -d /run/nscd ]; then mount -t tmpfs tmpfs /run/nscd; fi
echo "hosts-namespace: mounts in place" >&2
exec "$@"
"#;

fn hosts(ip: Option<&str>) -> String {
    let mut text = String::from("127.0.0.1 localhost\n");
    if let Some(ip) = ip {
        text.push_str(&format!("{ip} {NAME}\n"));
    }
    text
}

/// The hosts file as the child sees it.
struct HostsFile(PathBuf);

impl HostsFile {
    /// Map [`NAME`] to `ip` (or to nothing), rewriting the file in place: same inode, so
    /// the bind mount shows the new text.
    fn map(&self, ip: Option<&str>) {
        let before = std::fs::metadata(&self.0).unwrap().ino();
        std::fs::write(&self.0, hosts(ip)).unwrap();
        assert_eq!(std::fs::metadata(&self.0).unwrap().ino(), before);
        assert_eq!(
            std::fs::read_to_string("/etc/hosts").unwrap(),
            hosts(ip),
            "/etc/hosts does not show the rewritten file"
        );
    }
}

/// In the child: the hosts file, after checking that `/etc/hosts` is that very file (so
/// nothing below can write the real one). In the parent: runs the child and returns `None`.
fn in_private_hosts(test: &str) -> Option<HostsFile> {
    if let Some(path) = std::env::var_os(CHILD) {
        let path = PathBuf::from(path);
        let (ours, etc) = (
            std::fs::metadata(&path).unwrap(),
            std::fs::metadata("/etc/hosts").unwrap(),
        );
        assert_eq!(
            (ours.dev(), ours.ino()),
            (etc.dev(), etc.ino()),
            "/etc/hosts is not the bind-mounted {}",
            path.display()
        );
        return Some(HostsFile(path));
    }
    run_child(test);
    None
}

/// The temporary folder of one test's files, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_child(test: &str) {
    let dir = TempDir(std::env::temp_dir().join(format!("hcnetsdk-{test}-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let (hosts_file, nsswitch) = (dir.0.join("hosts"), dir.0.join("nsswitch.conf"));
    std::fs::write(&hosts_file, hosts(Some(DOME.0))).unwrap();
    std::fs::write(&nsswitch, "hosts: files\n").unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            WRAPPER,
            "sh",
        ])
        .arg(&exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, &hosts_file)
        .env(NSSWITCH, &nsswitch)
        // Built by this process already: the child must not run cargo.
        .env("HCNETSDK_MOCK_LIB", mock_lib_path())
        .output();
    judge(test, out, &exe);
}

/// Passes when the child ran `test` and it passed; skips (fails under CI) when the
/// namespace or the mounts could not be set up.
fn judge(test: &str, out: std::io::Result<Output>, exe: &Path) {
    let out = match out {
        Ok(out) => out,
        Err(e) => return setup_failed(test, &format!("cannot run unshare: {e}")),
    };
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    if !stderr.contains(READY) {
        return setup_failed(test, &format!("{}: {}", out.status, stderr.trim()));
    }
    println!("{stdout}{stderr}");
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the child run of {test} ({}) failed: {}\n{stdout}\n{stderr}",
        exe.display(),
        out.status
    );
}

fn setup_failed(test: &str, why: &str) {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        !ci,
        "{test}: a private mount namespace with a bind-mounted /etc/hosts is needed \
         (unshare -m, mount --bind; CI runs as root): {why}"
    );
    println!(
        "SKIP {test}: cannot bind-mount a hosts file in a private mount namespace \
         (needs root for unshare -m and mount): {why}"
    );
}

fn builder() -> LoginBuilder {
    Session::builder(sdk())
        .address(NAME)
        .user("admin")
        .password(PASSWORD)
}

/// Assert that `session` is a login to `device` (its serial), and how many logins the
/// mock recorded at the dome's and the bullet's IP.
#[track_caller]
fn assert_answered(session: &Session, device: (&str, &str), logins: (u64, u64)) {
    assert_eq!(session.address(), NAME, "the session keeps the name given");
    assert_eq!(
        session.device_info().serial,
        device.1,
        "the wrong device answered: {NAME} maps to {}",
        device.0
    );
    let at = |ip| mock().call_count("NET_DVR_Login_V40", Some(ip));
    assert_eq!(
        (at(DOME.0), at(BULLET.0)),
        logins,
        "logins at (dome, bullet)"
    );
}

#[track_caller]
fn assert_unresolved(err: &hcnetsdk::Error) {
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "expected an input error, got {err:#}"
    );
    let text = format!("{err:#}");
    assert!(
        text.contains(NAME) && text.contains("does not resolve"),
        "{text}"
    );
}

#[test]
fn every_blocking_login_resolves_the_name_again() {
    let Some(hosts) = in_private_hosts("every_blocking_login_resolves_the_name_again") else {
        return;
    };
    let builder = builder();
    let session = builder.clone().login().unwrap();
    assert_answered(&session, DOME, (1, 0));
    session.logout().unwrap();

    hosts.map(Some(BULLET.0));
    let session = builder.clone().login().unwrap();
    assert_answered(&session, BULLET, (1, 1));
    session.logout().unwrap();

    hosts.map(None);
    assert_unresolved(&builder.login().unwrap_err());
    assert_eq!(mock().call_count("NET_DVR_Login_V40", None), 2);
}

#[cfg(feature = "tokio")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_nonblocking_login_resolves_the_name_again() {
    let Some(hosts) = in_private_hosts("every_nonblocking_login_resolves_the_name_again") else {
        return;
    };
    let builder = builder();
    let session = builder.clone().login_nonblocking().await.unwrap();
    assert_answered(&session, DOME, (1, 0));
    session.logout().unwrap();

    hosts.map(Some(BULLET.0));
    let session = builder.clone().login_nonblocking().await.unwrap();
    assert_answered(&session, BULLET, (1, 1));
    session.logout().unwrap();

    hosts.map(None);
    assert_unresolved(&builder.login_nonblocking().await.unwrap_err());
    assert_eq!(mock().call_count("NET_DVR_Login_V40", None), 2);
}
