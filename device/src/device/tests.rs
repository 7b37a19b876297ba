//! The shared rules on a device: login lock-out, sessions, links, PTZ checks.

use std::time::{Duration, Instant};

use super::*;
use crate::Scenario;

fn device(label: &str) -> Device {
    let devices = Scenario::default().into_devices();
    devices
        .into_iter()
        .find(|d| d.spec().label == label)
        .unwrap()
}

#[test]
fn wrong_passwords_count_down_then_lock_then_expire() {
    let d = device("dome");
    let t0 = Instant::now();
    for left in (1..7).rev() {
        let o = d.login_attempt("admin", |p| p == "nope", t0);
        assert_eq!(
            o,
            LoginOutcome::WrongPassword {
                attempts_left: left
            }
        );
    }
    assert_eq!(d.retries_left(), 1);
    let o = d.login_attempt("nobody", |_| true, t0);
    assert_eq!(o, LoginOutcome::Locked { seconds_left: 1800 });
    let right = |p: &str| p == "Admin12345";
    let o = d.login_attempt("admin", right, t0 + Duration::from_millis(1500));
    assert_eq!(o, LoginOutcome::Locked { seconds_left: 1799 });
    let later = t0 + Duration::from_secs(1800);
    let o = d.login_attempt("admin", right, later);
    assert_eq!(
        o,
        LoginOutcome::Ok {
            role: Role::Admin,
            attempts_left: 7
        }
    );
    assert_eq!(d.state().sessions, 1);
    assert_eq!(d.state().failed_logins, 0);
    d.end_session();
    assert_eq!(d.state().sessions, 0);
}

#[test]
fn offline_sessions_and_links() {
    let d = device("bullet");
    d.set_online(false);
    assert_eq!(
        d.login_attempt("admin", |_| true, Instant::now()),
        LoginOutcome::Offline
    );
    d.reset();
    assert!(d.online());
    d.state().sessions = d.spec().max_sessions;
    assert_eq!(
        d.login_attempt("viewer", |p| p == "View12345", Instant::now()),
        LoginOutcome::TooManySessions
    );
    for _ in 0..d.spec().max_links {
        d.open_link().unwrap();
    }
    assert_eq!(d.open_link(), Err(DeviceError::TooManyLinks));
    d.close_link();
    assert_eq!(d.open_link(), Ok(()));
}

#[test]
fn ptz_checks_channel_support_and_right() {
    let dome = device("dome");
    let ok = |_: &mut PtzState| Ok::<_, DeviceError>(());
    assert_eq!(dome.ptz(2, Role::Admin, ok), Err(DeviceError::NoChannel));
    assert_eq!(dome.ptz(1, Role::Viewer, ok), Err(DeviceError::NoRight));
    assert_eq!(dome.ptz(1, Role::Operator, ok), Ok(()));
    let bullet = device("bullet");
    assert_eq!(
        bullet.ptz(1, Role::Admin, ok),
        Err(DeviceError::NotSupported)
    );
    assert_eq!(bullet.picture(2), Err(DeviceError::NoChannel));
    assert!(bullet.picture(1).unwrap().starts_with(&[0xff, 0xd8]));
}
