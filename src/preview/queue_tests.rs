//! Unit tests of the queue on its own (no SDK): order, loss accounting, pool slots,
//! wake-ups, and the receiver dropped while packets are out.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use super::*;
use crate::preview::{DataType, Packet};

fn pkt(kind: DataType, data: &[u8]) -> Packet<'_> {
    Packet { kind, data }
}

#[test]
fn full_queue_drops_newest_and_reports_the_gap() {
    let (mut tx, mut rx, shared) = packet_queue(2);
    for i in 0..5u8 {
        tx.push(pkt(DataType::Stream, &[i]));
    }
    assert_eq!(rx.lost(), 3);
    let a = rx.try_recv().unwrap();
    assert_eq!((a.data(), a.lost_before()), (&[0u8][..], 0));
    drop(a);
    let b = rx.try_recv().unwrap();
    assert_eq!(b.data(), &[1u8]);
    drop(b);
    tx.push(pkt(DataType::Audio, &[9]));
    let c = rx.try_recv().unwrap();
    assert_eq!(
        (c.data(), c.lost_before(), c.kind()),
        (&[9u8][..], 3, DataType::Audio)
    );
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
        RecvTimeoutError::Timeout
    );
    shared.close();
    drop(c);
    assert!(rx.recv().is_none());
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(5)).unwrap_err(),
        RecvTimeoutError::Stopped
    );
}

/// An empty packet holds a buffer that never allocated; it must still go back to the
/// pool, or after `capacity` of them every later packet counts as lost.
#[test]
fn empty_packets_never_use_up_the_pool() {
    let (mut tx, mut rx, _shared) = packet_queue(2);
    for _ in 0..5 {
        tx.push(pkt(DataType::Stream, &[]));
        let p = rx.try_recv().expect("an empty packet is queued");
        assert!(p.data().is_empty());
        drop(p);
    }
    for i in 0..5u8 {
        tx.push(pkt(DataType::Stream, &[i, 1, 2]));
        let p = rx
            .try_recv()
            .expect("a normal packet after empty ones is queued");
        assert_eq!((p.data(), p.lost_before()), (&[i, 1, 2][..], 0));
    }
    assert_eq!(rx.lost(), 0, "packets were counted as lost");
}

/// `into_vec` takes the bytes out; the pool still has `capacity` buffers afterwards.
#[test]
fn into_vec_keeps_the_pool_size() {
    let (mut tx, mut rx, _shared) = packet_queue(2);
    for i in 0..6u8 {
        tx.push(pkt(DataType::Stream, &[i; 3]));
        let v = rx.try_recv().expect("queued").into_vec();
        assert_eq!(v, [i; 3]);
    }
    tx.push(pkt(DataType::Stream, &[1]));
    tx.push(pkt(DataType::Stream, &[2]));
    tx.push(pkt(DataType::Stream, &[3]));
    assert_eq!(rx.lost(), 1, "two buffers, three packets held");
}

/// A consumer asleep in `recv` is woken by a push from another thread, and by close.
#[test]
fn a_sleeping_consumer_is_woken() {
    let (mut tx, mut rx, shared) = packet_queue(4);
    let consumer = thread::spawn(move || {
        let first = rx.recv().map(|p| p.data().to_vec());
        let end = rx.recv().is_none();
        (first, end)
    });
    thread::sleep(Duration::from_millis(50));
    tx.push(pkt(DataType::Stream, &[7, 7]));
    thread::sleep(Duration::from_millis(50));
    shared.close();
    let (first, end) = consumer.join().unwrap();
    assert_eq!(first.as_deref(), Some(&[7u8, 7][..]));
    assert!(end, "recv returns None after close");
}

/// Many packets across threads: none lost while the pool suffices, order kept.
#[test]
fn packets_cross_threads_in_order() {
    const N: u32 = 20_000;
    let (mut tx, mut rx, shared) = packet_queue(64);
    let consumer = thread::spawn(move || {
        let (mut next, mut received, mut lost) = (0u32, 0u64, 0);
        while let Some(p) = rx.recv() {
            received += 1;
            lost += p.lost_before();
            let v = u32::from_le_bytes(p.data().try_into().unwrap());
            assert_eq!(
                v,
                next + u32::try_from(p.lost_before()).unwrap(),
                "order or gap"
            );
            next = v + 1;
        }
        (received, lost, rx.lost())
    });
    for i in 0..N {
        tx.push(pkt(DataType::Stream, &i.to_le_bytes()));
    }
    shared.close();
    let (received, lost_before_sum, lost) = consumer.join().unwrap();
    assert_eq!(
        received + lost,
        u64::from(N),
        "every packet is received or counted"
    );
    assert!(lost_before_sum <= lost, "no loss is reported twice");
}

/// A packet kept while later ones are received and dropped: the producer skips its slot
/// (no loss while other slots are free) and the order is kept.
#[test]
fn a_packet_held_long_does_not_block_the_others() {
    let (mut tx, mut rx, _shared) = packet_queue(3);
    tx.push(pkt(DataType::SysHead, &[0]));
    let header = rx.try_recv().unwrap();
    for i in 1..20u8 {
        tx.push(pkt(DataType::Stream, &[i]));
        tx.push(pkt(DataType::Stream, &[i, i]));
        let a = rx.try_recv().unwrap();
        let b = rx.try_recv().unwrap();
        assert_eq!((a.data(), b.data()), (&[i][..], &[i, i][..]), "order");
        assert!(rx.try_recv().is_none());
    }
    assert_eq!(rx.lost(), 0, "two free slots suffice");
    assert_eq!(
        (header.kind(), header.data()),
        (DataType::SysHead, &[0u8][..])
    );
}

/// The receiver dropped while packets are out: each packet keeps the queue alive and gives
/// its reference back when dropped, on any thread; the producer drops packets from then on.
#[test]
fn packets_outlive_the_receiver() {
    let (mut tx, mut rx, shared) = packet_queue(4);
    for i in 0..4u8 {
        tx.push(pkt(DataType::Stream, &[i; 8]));
    }
    let a = rx.try_recv().unwrap();
    let b = rx.try_recv().unwrap();
    assert_eq!(
        Arc::strong_count(&shared),
        3,
        "producer, receiver, this test"
    );
    drop(rx);
    assert_eq!(
        Arc::strong_count(&shared),
        4,
        "producer, this test, one per packet out"
    );
    tx.push(pkt(DataType::Stream, &[9]));
    assert_eq!(
        shared.lost(),
        0,
        "after the receiver is gone nothing is queued or lost"
    );
    let t = thread::spawn(move || {
        assert_eq!(a.data(), &[0u8; 8]);
        drop(a);
    });
    t.join().unwrap();
    assert_eq!(Arc::strong_count(&shared), 3);
    assert_eq!(b.into_vec(), vec![1u8; 8]);
    assert_eq!(Arc::strong_count(&shared), 2);
    drop(tx);
    assert_eq!(Arc::strong_count(&shared), 1, "nothing leaks a reference");
}

/// `poll_recv`: `Pending` with the waker registered, woken by the next push and by close,
/// `Ready(None)` at the end.
#[test]
fn poll_recv_registers_and_is_woken() {
    struct Flag(std::sync::atomic::AtomicU32);
    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let (mut tx, mut rx, shared) = packet_queue(2);
    let flag = Arc::new(Flag(std::sync::atomic::AtomicU32::new(0)));
    let waker = Waker::from(Arc::clone(&flag));
    let mut cx = Context::from_waker(&waker);
    assert!(rx.poll_recv(&mut cx).is_pending());
    tx.push(pkt(DataType::Stream, &[1]));
    assert_eq!(
        flag.0.load(Ordering::SeqCst),
        1,
        "the push woke the consumer"
    );
    tx.push(pkt(DataType::Stream, &[2]));
    assert_eq!(flag.0.load(Ordering::SeqCst), 1, "one wake-up per sleep");
    match rx.poll_recv(&mut cx) {
        Poll::Ready(Some(p)) => assert_eq!(p.data(), &[1u8]),
        other => panic!("expected a packet, got {other:?}"),
    }
    assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(Some(_))));
    assert!(rx.poll_recv(&mut cx).is_pending());
    shared.close();
    assert_eq!(flag.0.load(Ordering::SeqCst), 2, "close woke the consumer");
    assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(None)));
    assert!(rx.is_stopped());
}
