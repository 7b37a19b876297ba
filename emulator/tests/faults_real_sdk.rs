//! The emulator's faults ([`hcnetsdk_emulator::faults`]) as the real HCNetSDK sees them,
//! in ISAPI login mode through the safe layer: a device taken offline (its ports refuse)
//! fails the login with 7, back online it logs in again; an answer slower than the SDK's
//! ISAPI receive timeout (5 s, which `Sdk::set_recv_timeout` does not change) fails with
//! 10; a lock set through the model fails with 153 and
//! the time left. Each slow path runs once.
//!
//! Runs only when `HCNETSDK_LIB_DIR` names the real SDK's lib folder, otherwise prints a
//! skip line and passes. Run it inside a loopback-only network namespace, as `.ci/run`
//! does with `.ci/real-sdk.d/emulator-https.sh`:
//!
//! ```sh
//! cargo test -p hcnetsdk-emulator --test faults_real_sdk --no-run
//! unshare -n sh -c 'ip link set lo up && exec cargo test --offline -p hcnetsdk-emulator \
//!     --test faults_real_sdk -- --nocapture --test-threads=1'
//! ```

use hcnetsdk_test_support::real_sdk::real_sdk_dir;
use std::time::{Duration, Instant};

use hcnetsdk::{LoginMode, Sdk, Session};
use hcnetsdk_device::Scenario;
use hcnetsdk_emulator::{EmulatedDevice, Emulator};

const USER: &str = "admin";
const PASSWORD: &str = "Admin12345";

fn login(sdk: &Sdk, port: u16, https: bool) -> hcnetsdk::Result<Session> {
    Session::builder(sdk)
        .address("127.0.0.1")
        .port(port)
        .user(USER)
        .password(PASSWORD)
        .mode(LoginMode::Isapi)
        .https(https)
        .login()
}

/// The code of a login that must fail, and how long it took.
fn failed(sdk: &Sdk, port: u16, https: bool, what: &str) -> (u32, Duration) {
    let t = Instant::now();
    let e = login(sdk, port, https)
        .map(drop)
        .expect_err(&format!("{what}: the login must fail"));
    let took = t.elapsed();
    println!("{what}: {e:#} after {took:?} ({:?})", e.login_state());
    (e.raw_code().unwrap_or(u32::MAX), took)
}

fn offline_then_back(sdk: &Sdk, d: &EmulatedDevice) {
    d.set_online(false).unwrap();
    for (port, https) in [(d.http_port(), false), (d.https_port(), true)] {
        let (code, took) = failed(sdk, port, https, "offline");
        assert_eq!(code, 7, "offline: NET_DVR_NETWORK_FAIL_CONNECT");
        assert!(
            took < Duration::from_secs(3),
            "a refused port fails at once: {took:?}"
        );
    }
    d.set_online(true).unwrap();
    for (port, https) in [(d.http_port(), false), (d.https_port(), true)] {
        let s = login(sdk, port, https).unwrap_or_else(|e| panic!("back online: {e:#}"));
        drop(s);
    }
}

#[test]
fn real_sdk_sees_the_faults() {
    let Some(dir) = real_sdk_dir("faults_real_sdk") else {
        return;
    };
    let sdk = Sdk::load_from(&dir).expect("load the real SDK");
    assert!(!sdk.is_mock(), "HCNETSDK_LIB_DIR points at the mock");
    sdk.init().expect("init the real SDK");
    let emulator = Emulator::start(&Scenario::default()).unwrap();
    let d = emulator.device("dome").unwrap();

    offline_then_back(&sdk, d);

    // A lock set through the model shows on HTTP: 153 with the time left.
    d.lock_for(Duration::from_secs(60));
    let t = Instant::now();
    let e = login(&sdk, d.http_port(), false)
        .map(drop)
        .expect_err("locked");
    println!(
        "locked: {e:#} ({:?}) after {:?}",
        e.login_state(),
        t.elapsed()
    );
    assert_eq!(e.raw_code(), Some(153), "{e:#}");
    let left = e
        .login_state()
        .and_then(|s| s.lock_remaining)
        .expect("time left");
    assert!(
        left <= Duration::from_secs(60) && left >= Duration::from_secs(55),
        "{left:?}"
    );
    d.reset().unwrap();

    // Slow answers: below the SDK's ISAPI receive timeout (5 s) it waits; beyond it the
    // login fails with 10 (NET_DVR_NETWORK_RECV_TIMEOUT) after about 5 s.
    d.set_delay(Duration::from_millis(300));
    let t = Instant::now();
    drop(login(&sdk, d.http_port(), false).unwrap_or_else(|e| panic!("slow: {e:#}")));
    println!("300 ms per answer: logged in after {:?}", t.elapsed());
    d.set_delay(Duration::from_secs(7));
    let (code, took) = failed(&sdk, d.http_port(), false, "7 s per answer");
    assert_eq!(code, 10, "an answer beyond the receive timeout");
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(12),
        "{took:?}"
    );
    // Sdk::set_recv_timeout (NET_DVR_SetRecvTimeOut) does not shorten it: with 2 s set
    // and 3 s per answer, the first answer is still waited for. After 4.5 s the delay goes
    // (the login then finishes at once).
    sdk.set_recv_timeout(Duration::from_secs(2)).unwrap();
    d.set_delay(Duration::from_secs(3));
    let before = d.http().unwrap().requests().len();
    let r = std::thread::scope(|s| {
        let login = s.spawn(|| login(&sdk, d.http_port(), false).map(drop));
        std::thread::sleep(Duration::from_millis(4500));
        d.set_delay(Duration::ZERO);
        login.join().unwrap()
    });
    let log = d.http().unwrap().requests();
    println!(
        "recv timeout 2 s, 3 s per answer: {:?}",
        r.as_ref().map_err(|e| e.raw_code())
    );
    assert!(r.is_ok(), "{r:?}");
    // The first answer (the capabilities) came 3 s late, and the login still succeeded.
    assert!(log.len() > before, "{log:?}");
    d.set_delay(Duration::ZERO);
}
