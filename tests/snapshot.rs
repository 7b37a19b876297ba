//! `Snapshot` against the mock SDK: JPEG into memory, buffer growth on error 43, failures.

use hcnetsdk_test_support::safe as support;

use hcnetsdk::{JpegQuality, PictureSize};
use support::{Device, Kind, assert_invalid_input, assert_sdk_error};

fn is_jpeg(b: &[u8]) -> bool {
    b.len() > 4 && b.starts_with(&[0xFF, 0xD8]) && b.ends_with(&[0xFF, 0xD9])
}

#[test]
fn capture_returns_a_jpeg() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let mut snap = session
        .snapshot(1)
        .unwrap()
        .quality(JpegQuality::Normal)
        .picture_size(PictureSize::Current);
    assert_eq!(snap.channel(), 1);
    let jpeg = snap.capture().unwrap();
    assert!(
        is_jpeg(&jpeg),
        "{} bytes, starts {:02x?}",
        jpeg.len(),
        &jpeg[..4.min(jpeg.len())]
    );
    assert_eq!(
        dev.calls("NET_DVR_CaptureJPEGPicture_NEW"),
        1,
        "the default buffer fits at once"
    );
    // The NET_DVR_JPEGPARA the mock received: (wPicQuality, wPicSize), exactly as sent.
    let sent = || (dev.value("last_jpeg_quality"), dev.value("last_jpeg_size"));
    assert_eq!(sent(), (2, 0xFF), "Normal, Current");
    for (quality, size, raw) in [
        (JpegQuality::Best, PictureSize::Current, (0, 0xFF)),
        (JpegQuality::Better, PictureSize::Code(9), (1, 9)),
        (JpegQuality::Normal, PictureSize::Code(19), (2, 19)),
        (JpegQuality::Best, PictureSize::Code(0), (0, 0)),
    ] {
        let mut snap = session
            .snapshot(1)
            .unwrap()
            .quality(quality)
            .picture_size(size);
        assert!(is_jpeg(&snap.capture().unwrap()));
        assert_eq!(sent(), raw, "{quality:?}, {size:?}");
    }
    // Defaults: best quality at the stream's size.
    assert!(is_jpeg(&session.snapshot(1).unwrap().capture().unwrap()));
    assert_eq!(sent(), (0, 0xFF), "defaults");
}

#[test]
fn a_small_buffer_grows_on_43_and_is_remembered() {
    let dev = Device::new(Kind::Nvr);
    let session = dev.login();
    let mut snap = session.snapshot(33).unwrap().initial_buffer(64);
    let mut out = Vec::new();
    let n = snap.capture_into(&mut out).unwrap();
    assert_eq!(n, out.len());
    assert!(is_jpeg(&out));
    let first = dev.calls("NET_DVR_CaptureJPEGPicture_NEW");
    assert!(first > 1, "the buffer had to grow");
    // The size that worked is used next time: one call.
    let again = snap.capture().unwrap();
    assert_eq!(again, out);
    assert_eq!(dev.calls("NET_DVR_CaptureJPEGPicture_NEW"), first + 1);
}

#[test]
fn a_picture_larger_than_the_maximum_gives_43() {
    let dev = Device::new(Kind::Dome);
    let session = dev.login();
    let mut snap = session
        .snapshot(1)
        .unwrap()
        .initial_buffer(16)
        .max_buffer(100);
    let mut out = vec![1, 2, 3];
    let err = snap.capture_into(&mut out).unwrap_err();
    assert_sdk_error(&err, 43, "NET_DVR_CaptureJPEGPicture_NEW");
    assert_eq!(err.context().channel, Some(1));
    assert!(out.is_empty(), "no stale bytes are left in the output");
}

#[test]
fn injected_failures_and_bad_channels() {
    let dev = Device::new(Kind::Bullet);
    let session = dev.login();
    let mut snap = session.snapshot(1).unwrap();
    for code in [7, 23, 47] {
        dev.fail_next("NET_DVR_CaptureJPEGPicture_NEW", code, 1);
        let err = snap.capture().unwrap_err();
        assert_sdk_error(&err, code, "NET_DVR_CaptureJPEGPicture_NEW");
        assert_eq!(err.context().user_id, Some(session.user_id()));
    }
    assert!(is_jpeg(&snap.capture().unwrap()));
    for ch in [0, 2, 33] {
        assert_invalid_input(&session.snapshot(ch).unwrap_err(), "channel");
    }
}
