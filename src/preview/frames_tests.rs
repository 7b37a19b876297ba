//! Loss before the demuxer: packets dropped by overlapping SDK calls (the trampoline's
//! `busy` flag) make the frames path resynchronise, so that no frame is built from the two
//! ends of a gap, and the next frame says [`Frame::discontinuity`].

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use hcnetsdk_media::mux::{MuxConfig, Muxer};
use hcnetsdk_media::{Codec, Demuxer, Frame};
use hcnetsdk_sys as sys;

use super::super::{HandlerState, Shared};
use super::{FrameDemux, FramesHandler};
use crate::ffi::real_data::{ErasedBox, real_data_trampoline};

/// A frame's bytes and its discontinuity flag.
type Delivered = (Vec<u8>, bool);

type Trampoline =
    unsafe extern "system" fn(sys::LONG, sys::DWORD, *mut sys::BYTE, sys::DWORD, *mut c_void);

fn erased<H: FnMut(&Frame<'_>) + Send + 'static>(on_frame: H) -> (ErasedBox, Trampoline) {
    let handler = FramesHandler {
        demux: FrameDemux::new(),
        on_frame,
    };
    let b = ErasedBox::new(HandlerState::new(handler, Arc::new(Shared::default())));
    (b, real_data_trampoline::<HandlerState<FramesHandler<H>>>)
}

/// Call the trampoline as the SDK would.
fn deliver(t: Trampoline, state: &ErasedBox, kind: u32, data: &[u8]) {
    let mut data = data.to_vec();
    // SAFETY: `t` was instantiated for the HandlerState type behind `state`; the buffer is
    // live for the call.
    unsafe {
        t(
            5,
            kind,
            data.as_mut_ptr(),
            data.len() as u32,
            state.user_ptr(),
        )
    }
}

/// Ten synthetic H.264 access units of about 12 KB (three PES each), every one unique:
/// a keyframe (SPS, PPS, IDR slice) every fifth.
fn access_units() -> Vec<Vec<u8>> {
    (0..10u8)
        .map(|i| {
            let mut au = Vec::new();
            if i % 5 == 0 {
                au.extend_from_slice(&[0, 0, 0, 1, 0x67, 0x42, 0, 0x1e, 0x95, 0xa8]);
                au.extend_from_slice(&[0, 0, 0, 1, 0x68, 0xce, 0x38, 0x80]);
                au.extend_from_slice(&[0, 0, 0, 1, 0x65, 0x88]);
            } else {
                au.extend_from_slice(&[0, 0, 0, 1, 0x41, 0x9a]);
            }
            au.extend(
                (0..12_000u32)
                    .map(|j| (j.wrapping_mul(7).wrapping_add(u32::from(i)) % 250) as u8 + 1),
            );
            au
        })
        .collect()
}

/// The SDK's packets for those units: the IMKH header (type 1), then one per PES (type 2).
fn packets(aus: &[Vec<u8>]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut m = Muxer::new(MuxConfig::new(Codec::H264, 640, 360));
    let head = m.media_info().to_bytes().to_vec();
    let mut out = Vec::new();
    for (i, au) in aus.iter().enumerate() {
        m.write_video(au, 3600 * i as u64, |p| out.push(p.to_vec()));
    }
    (head, out)
}

/// The index of the first packet of unit 1 (the packet whose arrival completes unit 0).
fn first_packet_of_unit_1(packets: &[Vec<u8>]) -> usize {
    packets
        .iter()
        .enumerate()
        .filter(|(_, p)| p.starts_with(&[0, 0, 1, 0xba]))
        .nth(1)
        .unwrap()
        .0
}

#[test]
fn packets_lost_to_overlapping_calls_resync_the_demuxer() {
    let aus = access_units();
    let (head, pkts) = packets(&aus);
    let at = first_packet_of_unit_1(&pkts);
    let got: Arc<Mutex<Vec<Delivered>>> = Arc::default();
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let calls = Arc::new(AtomicU64::new(0));
    let (g, c) = (Arc::clone(&got), Arc::clone(&calls));
    let (state, tramp) = erased(move |f: &Frame<'_>| {
        g.lock().unwrap().push((f.data.to_vec(), f.discontinuity));
        if c.fetch_add(1, Ordering::Relaxed) == 0 {
            // Unit 0 is out: hold the SDK's thread here while it sends the next packet.
            entered_tx.send(()).unwrap();
            release_rx.recv().unwrap();
        }
    });
    deliver(tramp, &state, 1, &head);
    for p in &pkts[..at] {
        deliver(tramp, &state, 2, p);
    }
    std::thread::scope(|s| {
        let first = s.spawn(|| deliver(tramp, &state, 2, &pkts[at]));
        entered_rx.recv().unwrap();
        // Unit 1's second PES arrives on another thread while the first call is busy.
        deliver(tramp, &state, 2, &pkts[at + 1]);
        assert_eq!(state.header().overlapping(), 1, "the packet was dropped");
        release_tx.send(()).unwrap();
        first.join().unwrap();
    });
    for p in &pkts[at + 2..] {
        deliver(tramp, &state, 2, p);
    }
    // SAFETY: nothing calls back with this state any more.
    unsafe { state.free() };

    let got = got.lock().unwrap();
    let datas: Vec<&[u8]> = got.iter().map(|(d, _)| d.as_slice()).collect();
    for (i, d) in datas.iter().enumerate() {
        assert!(
            aus.iter().any(|au| au == d),
            "frame {i} ({} bytes) is not one of the units sent: built across the gap",
            d.len()
        );
    }
    // Unit 1 (cut) is not delivered; unit 2 is, flagged; the last unit stays in progress.
    assert_eq!(
        got.len(),
        aus.len() - 2,
        "{:?}",
        got.iter().map(|g| g.0.len()).collect::<Vec<_>>()
    );
    assert_eq!(datas[1], aus[2].as_slice());
    let flags: Vec<bool> = got.iter().map(|(_, disc)| *disc).collect();
    assert_eq!(
        flags,
        [false, true, false, false, false, false, false, false]
    );
}

/// The check above can fail: the same packets without telling the demuxer of the gap give
/// a frame glued from the two ends of unit 1.
#[test]
fn without_the_loss_signal_a_frame_is_glued_across_the_gap() {
    let aus = access_units();
    let (head, pkts) = packets(&aus);
    let at = first_packet_of_unit_1(&pkts);
    let mut d = Demuxer::new();
    let mut glued = 0;
    let mut check = |f: &Frame<'_>| glued += usize::from(!aus.iter().any(|au| au == f.data));
    d.push(&head, &mut check);
    for (i, p) in pkts.iter().enumerate() {
        if i != at + 1 {
            d.push(p, &mut check);
        }
    }
    assert_eq!(glued, 1);
}
