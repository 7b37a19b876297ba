//! The RTSP face and RTP packetisers (being built).
