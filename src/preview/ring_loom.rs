//! Model tests of the ring's protocol under loom (every interleaving of its atomics, within a
//! preemption bound, with loom's weak-memory model of their orderings):
//!
//! ```sh
//! RUSTFLAGS="--cfg hcnetsdk_loom" cargo test -p hcnetsdk --lib ring_loom --release
//! ```
//!
//! Only these tests may run in that build: the ring then uses loom's atomics, which work
//! only inside `loom::model`. What loom checks here: the publish / `WAITING` / wake protocol
//! never loses a wake-up (a consumer parked for good is a deadlock loom reports), items
//! arrive in order, every item is delivered or counted lost, and a slot given back while
//! the producer looks for one is reused or counted, never both. What it does not check: the
//! slots' buffers are std `UnsafeCell`s and the queue a std `Arc`, which loom does not track.

use std::sync::Arc;

use loom::thread;

use super::{Grow, Held, ring};

/// Push item `n` (its number as the meta, one byte of data).
fn push(p: &mut super::Producer<u32>, n: u32) {
    p.push(1, Grow::WhenShort, |buf| {
        buf.push(n as u8);
        n
    });
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(3);
    b.check(f);
}

/// A consumer that parks with nothing queued is woken by the next push (no stop follows
/// to wake it otherwise: a lost wake-up is a deadlock).
#[test]
fn ring_loom_push_wakes_a_parked_consumer() {
    model(|| {
        let (mut producer, mut rx, shared) = ring(1, &0u32);
        let t = thread::spawn(move || push(&mut producer, 7));
        let item = rx.recv().expect("the pushed item");
        assert_eq!(item.get().meta, 7);
        drop(item);
        t.join().unwrap();
        assert_eq!(rx.lost(), 0);
        drop(shared);
    });
}

/// Producer pushes 3 items into 1 slot and stops; the consumer blocks in `recv` (parks) and
/// drops each item at once, so the give-back races the producer's next push.
#[test]
fn ring_loom_every_item_delivered_or_counted_and_no_lost_wakeup() {
    model(|| {
        let (mut producer, mut rx, shared) = ring(1, &0u32);
        let t = thread::spawn(move || {
            for n in 1..=3 {
                push(&mut producer, n);
            }
            shared.close();
        });
        let mut got = Vec::new();
        let mut reported = 0;
        while let Some(item) = rx.recv() {
            let d = item.get();
            assert_eq!(d.buf, [d.meta as u8]);
            reported += d.lost_before;
            got.push(d.meta);
        }
        t.join().unwrap();
        assert!(got.windows(2).all(|w| w[0] < w[1]), "out of order: {got:?}");
        let lost = rx.lost();
        assert_eq!(got.len() as u64 + lost, 3, "delivered {got:?}, lost {lost}");
        // Loss is reported on the next item delivered: all of it, but for drops after the last.
        let last = got.last().copied().unwrap_or(0);
        assert_eq!(reported, u64::from(last) - got.len() as u64);
    });
}

/// An item held on another thread while the receiver is dropped: the item's drop and the
/// receiver's drop race on the slot's state; the queue's references come out even.
#[test]
fn ring_loom_item_outlives_its_receiver() {
    model(|| {
        let (mut producer, mut rx, shared) = ring(2, &0u32);
        push(&mut producer, 1);
        let item: Held<u32> = rx.try_recv().expect("queued before");
        let t = thread::spawn(move || {
            assert_eq!(item.get().meta, 1);
            drop(item);
        });
        let p = thread::spawn(move || {
            push(&mut producer, 2);
            producer
        });
        drop(rx);
        t.join().unwrap();
        let producer = p.join().unwrap();
        // The producer and `shared` are the queue's only owners left.
        assert_eq!(Arc::strong_count(&shared), 2);
        drop(producer);
    });
}
