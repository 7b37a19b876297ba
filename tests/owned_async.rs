//! Feature `tokio` against the mock: the asynchronous login as a future (completed by the
//! SDK's callback, cancellable), events as streams, and blocking SDK calls on tokio's
//! blocking pool with the same typed errors.
#![cfg(feature = "tokio")]

use hcnetsdk_test_support::safe as support;

use std::future::{IntoFuture, poll_fn};
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_core::Stream;
use hcnetsdk::error::ErrorKind;
use hcnetsdk::{ChannelRange, Event, EventKind, EventStream, PtzPosition, Session};
use support::{Device, Kind, PASSWORD, assert_sdk_error, mock, sdk};

const WAIT: Duration = Duration::from_secs(30);

async fn next(stream: &mut EventStream) -> Option<Event> {
    let item = poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx));
    tokio::time::timeout(WAIT, item)
        .await
        .expect("the stream neither yielded nor ended")
}

fn builder(dev: &Device, password: &str) -> hcnetsdk::LoginBuilder {
    Session::builder(sdk())
        .address(dev.address.clone())
        .port(dev.port)
        .user("admin")
        .password(password)
}

async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[track_caller]
fn assert_logged_out<T: std::fmt::Debug>(result: hcnetsdk::Result<T>) {
    let err = result.expect_err("a call after logout must fail");
    assert!(
        matches!(err.kind(), ErrorKind::LoggedOut { .. }),
        "expected LoggedOut, got {err:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_login_is_completed_by_the_sdk_callback() {
    let dev = Device::new(Kind::Nvr);
    let session = builder(&dev, PASSWORD)
        .login_async()
        .unwrap()
        .await
        .unwrap();
    assert_eq!(
        session.device_info().ip_channels,
        ChannelRange {
            start: 33,
            count: 16
        }
    );
    assert_eq!(dev.value("sessions"), 1);
    assert_eq!(
        session.device_config_async().await.unwrap().name,
        "机房录像机"
    );
    session.logout_async().await.unwrap();
    assert_eq!(dev.value("sessions"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_login_failure_is_typed() {
    let dev = Device::new(Kind::Dome);
    let err = builder(&dev, "wrong")
        .login_async()
        .unwrap()
        .await
        .unwrap_err();
    assert_sdk_error(&err, 1, "NET_DVR_Login_V40");
    assert_eq!(err.context().address.as_deref(), Some(dev.address.as_str()));
    assert_eq!(dev.value("sessions"), 0);
}

/// Dropped before the result: the login finishes later and is logged out then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_future_dropped_before_the_result_logs_the_late_result_out() {
    let dev = Device::new(Kind::Dome);
    let logouts = dev.calls("NET_DVR_Logout");
    mock().set_latency("NET_DVR_Login_V40", 300, Some(&dev.address));
    let login = builder(&dev, PASSWORD).login_async().unwrap().into_future();
    let timed_out = tokio::time::timeout(Duration::from_millis(20), login).await;
    assert!(timed_out.is_err(), "the login answered before the latency");
    assert_eq!(
        dev.calls("NET_DVR_Logout"),
        logouts,
        "not logged out while pending"
    );
    eventually("the late result to be logged out", || {
        dev.calls("NET_DVR_Logout") == logouts + 1
    })
    .await;
    assert_eq!(dev.value("sessions"), 0);
    mock().set_latency("NET_DVR_Login_V40", 0, Some(&dev.address));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_as_streams_and_end_with_the_logout() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let preview = session.preview(1).start(|_| {}).unwrap();
    let mut session_events = session.events();
    let mut preview_events = preview.events();
    assert!(mock().disconnect_session(session.user_id()));
    let e = next(&mut session_events).await.unwrap();
    assert_eq!(e.kind, EventKind::ConnectionLost);
    let e = next(&mut preview_events).await.unwrap();
    assert_eq!(e.kind, EventKind::PreviewException);

    session.clone().logout_async().await.unwrap();
    let mut last = None;
    while let Some(e) = next(&mut preview_events).await {
        last = Some(e.kind);
    }
    assert_eq!(last, Some(EventKind::StoppedByLogout));
    while next(&mut session_events).await.is_some() {}
    assert_eq!(session_events.dropped(), 0);
    assert!(preview.is_stopped_by_logout());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_calls_run_on_the_pool_with_typed_errors() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let ptz = session.ptz(1).unwrap();
    let mut snapshot = session.snapshot(1).unwrap();
    let target = PtzPosition {
        pan: 12.3,
        tilt: 4.5,
        zoom: 1.0,
    };
    ptz.set_position_async(target).await.unwrap();
    assert_eq!(ptz.position_async().await.unwrap(), target);
    ptz.call_async(|p| p.set_preset(3)).await.unwrap();
    ptz.goto_preset_async(3).await.unwrap();
    let err = ptz.goto_preset_async(0).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:#}"
    );
    let moving = ptz
        .call_async(|p| p.start(hcnetsdk::Motion::Left, 2))
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || moving.stop().unwrap())
        .await
        .unwrap();
    let jpeg = snapshot.capture_async().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");

    // Handles move into tasks: they are 'static.
    let task = tokio::spawn(async move { snapshot.capture_async().await.map(|j| j.len()) });
    assert!(task.await.unwrap().unwrap() > 0);

    session.logout_async().await.unwrap();
    assert_logged_out(ptz.position_async().await);
}
