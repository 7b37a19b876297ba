//! PTZ, presets, cruise, PTZPOS encoding, rights, and snapshots.

#[macro_use]
mod support;

use std::time::Duration;

use hcnetsdk_sys::*;
use support::*;

fn ptz_device() -> (TestDevice, i32) {
    let dev = env().ctl.add_test_device("ptz = true\nmax_zoom = 20.0");
    let id = admin(&dev);
    (dev, id)
}

fn get_pos(id: i32) -> Result<NET_DVR_PTZPOS, u32> {
    let mut pos = NET_DVR_PTZPOS::default();
    let mut ret = 0u32;
    // SAFETY: valid buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_PTZPOS,
            1,
            (&mut pos as *mut NET_DVR_PTZPOS).cast(),
            8,
            &mut ret,
        )
    };
    ok(r).map(|()| {
        assert_eq!(ret, 8);
        pos
    })
}

fn set_pos(id: i32, action: u16, pan: u16, tilt: u16, zoom: u16) -> Result<(), u32> {
    let mut pos = NET_DVR_PTZPOS {
        wAction: action,
        wPanPos: pan,
        wTiltPos: tilt,
        wZoomPos: zoom,
    };
    // SAFETY: valid buffer of the stated size.
    ok(unsafe {
        f!(NET_DVR_SetDVRConfig)(
            id,
            NET_DVR_SET_PTZPOS,
            1,
            (&mut pos as *mut NET_DVR_PTZPOS).cast(),
            8,
        )
    })
}

fn ctl_speed(id: i32, cmd: u32, stop: u32, speed: u32) -> Result<(), u32> {
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(id, 1, cmd, stop, speed) })
}

fn preset(id: i32, cmd: u32, index: u32) -> Result<(), u32> {
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_PTZPreset_Other)(id, 1, cmd, index) })
}

/// Hex-digit tenths to a number (0x1234 -> 123.4).
fn dec(w: u16) -> f64 {
    let s = format!("{w:04x}");
    s.parse::<f64>().unwrap() / 10.0
}

#[test]
fn ptzpos_uses_hex_digit_tenths_and_validates() {
    let (_dev, id) = ptz_device();
    set_pos(id, 1, 0x1234, 0x0450, 0x0025).unwrap();
    let p = get_pos(id).unwrap();
    assert_eq!(
        (p.wPanPos, p.wTiltPos, p.wZoomPos),
        (0x1234, 0x0450, 0x0025)
    );
    assert_eq!(
        set_pos(id, 1, 0x12A4, 0, 0x10),
        Err(17),
        "A is not a decimal digit"
    );
    assert_eq!(
        set_pos(id, 1, 0x3600, 0, 0x10),
        Err(17),
        "pan 360.0 is out of range"
    );
    assert_eq!(set_pos(id, 1, 0, 0x0901, 0x10), Err(17), "tilt 90.1");
    assert_eq!(
        set_pos(id, 1, 0, 0, 0x0201),
        Err(17),
        "zoom 20.1x > max 20x"
    );
    assert_eq!(set_pos(id, 9, 0, 0, 0x10), Err(17), "wAction 9");
    set_pos(id, 4, 0x0100, 0, 0).unwrap(); // pan only
    let p = get_pos(id).unwrap();
    assert_eq!(
        (p.wPanPos, p.wTiltPos, p.wZoomPos),
        (0x0100, 0x0450, 0x0025)
    );
    assert!(logout(id));
}

#[test]
fn position_moves_while_a_command_runs_and_stops_on_stop() {
    let (_dev, id) = ptz_device();
    set_pos(id, 1, 0, 0, 0x10).unwrap();
    ctl_speed(id, PAN_RIGHT, 0, 7).unwrap();
    assert!(wait_for(Duration::from_secs(3), || dec(get_pos(id)
        .unwrap()
        .wPanPos)
        >= 5.0));
    ctl_speed(id, PAN_RIGHT, 1, 7).unwrap();
    let a = get_pos(id).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(get_pos(id).unwrap().wPanPos, a.wPanPos, "stopped");
    // SAFETY: plain values (default speed form).
    ok(unsafe { f!(NET_DVR_PTZControl_Other)(id, 1, ZOOM_IN, 0) }).unwrap();
    assert!(wait_for(Duration::from_secs(3), || dec(get_pos(id)
        .unwrap()
        .wZoomPos)
        > 1.0));
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_PTZControl_Other)(id, 1, ZOOM_IN, 1) }).unwrap();
    assert!(logout(id));
}

#[test]
fn the_speed_sets_how_fast_the_head_moves() {
    let (_dev, id) = ptz_device();
    // Degrees per second of a PAN_RIGHT at `speed`, from two readings while it runs.
    let rate = |speed: u32| {
        set_pos(id, 1, 0, 0, 0x10).unwrap();
        ctl_speed(id, PAN_RIGHT, 0, speed).unwrap();
        let t = std::time::Instant::now();
        let a = dec(get_pos(id).unwrap().wPanPos);
        std::thread::sleep(Duration::from_millis(300));
        let b = dec(get_pos(id).unwrap().wPanPos);
        let secs = t.elapsed().as_secs_f64();
        ctl_speed(id, PAN_RIGHT, 1, speed).unwrap();
        (b - a) / secs
    };
    let (slow, fast) = (rate(1), rate(7));
    // README: pan 10 deg/s per speed step.
    assert!((5.0..=15.0).contains(&slow), "speed 1: {slow} deg/s");
    assert!((50.0..=85.0).contains(&fast), "speed 7: {fast} deg/s");
    assert!(logout(id));
}

#[test]
fn speeds_commands_and_channels_are_checked() {
    let (_dev, id) = ptz_device();
    assert_eq!(ctl_speed(id, PAN_LEFT, 0, 0), Err(17));
    assert_eq!(ctl_speed(id, PAN_LEFT, 0, 8), Err(17));
    assert_eq!(ctl_speed(id, 999, 0, 4), Err(17));
    assert_eq!(ctl_speed(id, PAN_LEFT, 2, 4), Err(17));
    for s in 1..=7 {
        ctl_speed(id, PAN_LEFT, 0, s).unwrap();
    }
    ctl_speed(id, PAN_LEFT, 1, 1).unwrap();
    // SAFETY: plain values.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe { f!(NET_DVR_PTZControlWithSpeed_Other)(id, 2, PAN_LEFT, 0, 4) }),
        Err(4)
    );
    assert!(logout(id));
}

#[test]
fn presets_set_goto_clear_and_range() {
    let (_dev, id) = ptz_device();
    set_pos(id, 1, 0x0900, 0x0300, 0x0040).unwrap();
    preset(id, SET_PRESET, 255).unwrap();
    set_pos(id, 1, 0x0100, 0x0100, 0x0010).unwrap();
    preset(id, GOTO_PRESET, 255).unwrap();
    let p = get_pos(id).unwrap();
    assert_eq!(
        (p.wPanPos, p.wTiltPos, p.wZoomPos),
        (0x0900, 0x0300, 0x0040)
    );
    preset(id, CLE_PRESET, 255).unwrap();
    assert_eq!(preset(id, GOTO_PRESET, 255), Err(29), "unset preset");
    assert_eq!(preset(id, SET_PRESET, 0), Err(17));
    assert_eq!(preset(id, SET_PRESET, 256), Err(17));
    assert_eq!(preset(id, 1234, 1), Err(17));
    assert!(logout(id));
}

#[test]
fn cruise_visits_its_presets() {
    let (_dev, id) = ptz_device();
    let cruise = |cmd: u32, route: u8, point: u8, input: u16| {
        // SAFETY: plain values.
        ok(unsafe { f!(NET_DVR_PTZCruise_Other)(id, 1, cmd, route, point, input) })
    };
    set_pos(id, 1, 0x0100, 0, 0x10).unwrap();
    preset(id, SET_PRESET, 1).unwrap();
    set_pos(id, 1, 0x0200, 0, 0x10).unwrap();
    preset(id, SET_PRESET, 2).unwrap();
    assert_eq!(cruise(RUN_SEQ, 1, 0, 0), Err(29), "empty route");
    cruise(FILL_PRE_SEQ, 1, 1, 1).unwrap();
    cruise(SET_SEQ_DWELL, 1, 1, 1).unwrap();
    cruise(FILL_PRE_SEQ, 1, 2, 2).unwrap();
    cruise(SET_SEQ_DWELL, 1, 2, 1).unwrap();
    cruise(SET_SEQ_SPEED, 1, 2, 20).unwrap();
    assert_eq!(cruise(FILL_PRE_SEQ, 0, 1, 1), Err(17), "route 0");
    assert_eq!(cruise(FILL_PRE_SEQ, 1, 33, 1), Err(17), "point 33");
    assert_eq!(cruise(SET_SEQ_SPEED, 1, 1, 41), Err(17), "speed 41");
    cruise(RUN_SEQ, 1, 0, 0).unwrap();
    assert_eq!(get_pos(id).unwrap().wPanPos, 0x0100);
    assert!(wait_for(Duration::from_secs(3), || get_pos(id)
        .unwrap()
        .wPanPos
        == 0x0200));
    cruise(STOP_SEQ, 1, 0, 0).unwrap();
    // SAFETY: plain values.
    ok(unsafe { f!(NET_DVR_PTZTrack_Other)(id, 1, RUN_CRUISE) }).unwrap();
    // SAFETY: plain values.
    assert_eq!(ok(unsafe { f!(NET_DVR_PTZTrack_Other)(id, 1, 1) }), Err(17));
    assert!(logout(id));
}

#[test]
fn handle_based_ptz_uses_the_previews_channel() {
    let (_dev, id) = ptz_device();
    let h = realplay(id, 1, 0, None, std::ptr::null_mut()).unwrap();
    // SAFETY: plain values.
    unsafe {
        ok(f!(NET_DVR_PTZControl)(h, TILT_UP, 0)).unwrap();
        ok(f!(NET_DVR_PTZControlWithSpeed)(h, TILT_UP, 1, 3)).unwrap();
        ok(f!(NET_DVR_PTZPreset)(h, SET_PRESET, 5)).unwrap();
        ok(f!(NET_DVR_PTZCruise)(h, FILL_PRE_SEQ, 2, 1, 5)).unwrap();
        ok(f!(NET_DVR_PTZTrack)(h, STA_MEM_CRUISE)).unwrap();
    }
    assert!(stop(h));
    // SAFETY: plain values.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe { f!(NET_DVR_PTZControl)(h, TILT_UP, 0) }),
        Err(12)
    );
    assert!(logout(id));
}

#[test]
fn viewer_has_no_ptz_right_and_the_bullet_has_no_ptz() {
    let (dev, admin_id) = ptz_device();
    let viewer = login(&dev.address, 8000, "viewer", "View12345").unwrap().0;
    assert_eq!(ctl_speed(viewer, PAN_LEFT, 0, 4), Err(2));
    assert_eq!(get_pos(viewer).err(), Some(2));
    let operator = login(&dev.address, 8000, "operator", "Oper12345")
        .unwrap()
        .0;
    ctl_speed(operator, PAN_LEFT, 0, 4).unwrap();
    ctl_speed(operator, PAN_LEFT, 1, 4).unwrap();
    let bullet = login("192.0.2.11", 8000, "admin", "Admin12345").unwrap().0;
    assert_eq!(ctl_speed(bullet, PAN_LEFT, 0, 4), Err(23));
    assert_eq!(preset(bullet, SET_PRESET, 1), Err(23));
    assert_eq!(get_pos(bullet).err(), Some(23));
    for id in [viewer, operator, bullet, admin_id] {
        assert!(logout(id));
    }
}

#[test]
fn snapshot_new_returns_a_jpeg_and_reports_a_small_buffer() {
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    let mut para = NET_DVR_JPEGPARA {
        wPicSize: 0xFF,
        wPicQuality: 0,
    };
    let mut buf = vec![0u8; 1 << 20];
    let mut ret = 0u32;
    // SAFETY: buffer of the stated size.
    ok(unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(
            id,
            1,
            &mut para,
            buf.as_mut_ptr().cast(),
            buf.len() as u32,
            &mut ret,
        )
    })
    .unwrap();
    let jpeg = buf[..ret as usize].to_vec();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
    let mut small = vec![0u8; 100];
    let mut ret2 = 0xDEAD_BEEFu32;
    // SAFETY: buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(
            id,
            1,
            &mut para,
            small.as_mut_ptr().cast(),
            100,
            &mut ret2,
        )
    };
    assert_eq!(ok(r), Err(43));
    assert_eq!(ret2, 0xDEAD_BEEF, "lpSizeReturned is left alone on 43");
    // SAFETY: NULL buffer.
    let r = unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(id, 1, &mut para, std::ptr::null_mut(), 100, &mut ret2)
    };
    assert_eq!(ok(r), Err(17));
    // SAFETY: buffer of the stated size.
    let r = unsafe {
        f!(NET_DVR_CaptureJPEGPicture_NEW)(
            id,
            7,
            &mut para,
            buf.as_mut_ptr().cast(),
            buf.len() as u32,
            &mut ret,
        )
    };
    assert_eq!(ok(r), Err(4));
    let path = std::env::temp_dir().join(format!("hcnetsdk-mock-snap-{}.jpg", std::process::id()));
    let p = cstring(&path.display().to_string());
    // SAFETY: valid struct and C string.
    ok(unsafe { f!(NET_DVR_CaptureJPEGPicture)(id, 1, &mut para, p.as_ptr().cast_mut()) }).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), jpeg);
    let _ = std::fs::remove_file(path);
    let bad = cstring("/nonexistent-dir-hcnetsdk/x.jpg");
    // SAFETY: valid struct and C string.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe { f!(NET_DVR_CaptureJPEGPicture)(id, 1, &mut para, bad.as_ptr().cast_mut()) }),
        Err(34)
    );
    assert!(logout(id));
}

#[test]
fn device_name_round_trips_through_set_devicecfg_and_needs_admin() {
    let dev = env().ctl.add_test_device("name = \"测试\"");
    let id = admin(&dev);
    let mut cfg = NET_DVR_DEVICECFG_V40::default();
    // SAFETY: valid buffer.
    ok(unsafe {
        f!(NET_DVR_GetDVRConfig)(
            id,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
            std::ptr::null_mut(),
        )
    })
    .unwrap();
    let gbk = encoding_rs::GBK.encode("新名字").0;
    cfg.sDVRName = [0; 32];
    cfg.sDVRName[..gbk.len()].copy_from_slice(&gbk);
    // SAFETY: valid buffer.
    ok(unsafe {
        f!(NET_DVR_SetDVRConfig)(
            id,
            NET_DVR_SET_DEVICECFG_V40,
            0,
            (&mut cfg as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&cfg) as u32,
        )
    })
    .unwrap();
    let viewer = login(&dev.address, 8000, "viewer", "View12345").unwrap().0;
    let mut back = NET_DVR_DEVICECFG_V40::default();
    // SAFETY: valid buffer.
    ok(unsafe {
        f!(NET_DVR_GetDVRConfig)(
            viewer,
            NET_DVR_GET_DEVICECFG_V40,
            0,
            (&mut back as *mut NET_DVR_DEVICECFG_V40).cast(),
            size_of_val(&back) as u32,
            std::ptr::null_mut(),
        )
    })
    .unwrap();
    assert_eq!(&back.sDVRName[..gbk.len()], &gbk[..]);
    // SAFETY: valid buffer.
    assert_eq!(
        // SAFETY: plain values or pointers to live test data.
        ok(unsafe {
            f!(NET_DVR_SetDVRConfig)(
                viewer,
                NET_DVR_SET_DEVICECFG_V40,
                0,
                (&mut back as *mut NET_DVR_DEVICECFG_V40).cast(),
                size_of_val(&back) as u32,
            )
        }),
        Err(2)
    );
    assert!(logout(id) && logout(viewer));
}

#[test]
fn unsimulated_functions_fail_cleanly_with_23() {
    let dev = env().ctl.add_test_device("");
    let id = admin(&dev);
    // (Recording searches are simulated now: tests/recordings.rs; RebootDVR: tests/config.rs.)
    // Arming is simulated now (tests/alarms.rs); remote control is not.
    // SAFETY: no input buffer.
    let r = unsafe { f!(NET_DVR_RemoteControl)(id, 0, std::ptr::null_mut(), 0) };
    assert_eq!(ok(r), Err(23));
    assert!(logout(id));
}

#[test]
fn snapshots_record_the_jpegpara_they_sent() {
    let e = env();
    let dev = e.ctl.add_test_device("");
    let other = e.ctl.add_test_device("");
    let id = admin(&dev);
    let sent = |d: &TestDevice| {
        (
            e.ctl.device_value(&d.address, d.port, "last_jpeg_quality"),
            e.ctl.device_value(&d.address, d.port, "last_jpeg_size"),
        )
    };
    assert_eq!(sent(&dev), (None, None), "nothing sent yet");
    let mut buf = vec![0u8; 1 << 20];
    let mut ret = 0u32;
    for (quality, size) in [(0u16, 0xFFu16), (1, 9), (2, 19), (0x1234, 0xBEEF)] {
        let mut para = NET_DVR_JPEGPARA {
            wPicSize: size,
            wPicQuality: quality,
        };
        // SAFETY: buffer of the stated size.
        let _ = unsafe {
            f!(NET_DVR_CaptureJPEGPicture_NEW)(
                id,
                1,
                &mut para,
                buf.as_mut_ptr().cast(),
                buf.len() as u32,
                &mut ret,
            )
        };
        assert_eq!(sent(&dev), (Some(quality.into()), Some(size.into())));
    }
    // The file variant records too, even when the channel is then refused (4).
    let mut para = NET_DVR_JPEGPARA {
        wPicSize: 2,
        wPicQuality: 1,
    };
    let path = cstring(&format!(
        "{}/hcnetsdk-mock-jpegpara-{}.jpg",
        std::env::temp_dir().display(),
        std::process::id()
    ));
    // SAFETY: valid struct and C string.
    let r = unsafe { f!(NET_DVR_CaptureJPEGPicture)(id, 9, &mut para, path.as_ptr().cast_mut()) };
    assert_eq!(ok(r), Err(4));
    assert_eq!(sent(&dev), (Some(1), Some(2)));
    assert_eq!(sent(&other), (None, None), "another device saw nothing");
    assert!(logout(id));
}
