//! The only code of the benches that touches the queue's consumer API
//! ([`PacketReceiver`], [`OwnedPacket`]): used by `benches/preview` and `benches/soak`. When that API changes (e.g. `recv` taking `&mut self`), adapt it
//! here and nowhere else.

use hcnetsdk::{OwnedPacket, PacketReceiver};

/// Receive until the preview has stopped and the queue is drained, calling `on_packet` with
/// each packet's length; the consumer that only counts.
pub fn drain_blocking(rx: &mut PacketReceiver, mut on_packet: impl FnMut(usize)) {
    for packet in rx {
        on_packet(packet.len());
    }
}

/// Take every packet queued now without waiting, calling `on_packet` with each length;
/// returns how many were taken.
pub fn drain_ready(rx: &mut PacketReceiver, mut on_packet: impl FnMut(usize)) -> usize {
    let mut n = 0;
    while let Some(packet) = rx.try_recv() {
        on_packet(packet.len());
        n += 1;
    }
    n
}

/// Packets the queue has dropped so far.
pub fn lost(rx: &PacketReceiver) -> u64 {
    rx.lost()
}

/// Receive up to `n` packets (waiting up to 1 s for each) and keep them: their buffers stay
/// out of the pool until the returned packets are dropped.
pub fn hold(rx: &mut PacketReceiver, n: usize) -> Vec<OwnedPacket> {
    let mut held = Vec::with_capacity(n);
    while held.len() < n {
        match rx.recv_timeout(std::time::Duration::from_secs(1)) {
            Ok(p) => held.push(p),
            Err(_) => break,
        }
    }
    held
}
