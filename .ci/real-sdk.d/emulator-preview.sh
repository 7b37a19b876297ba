#!/usr/bin/env bash
# Real-SDK tier for the emulator's RTSP face: the real HCNetSDK (HCNETSDK_LIB_DIR, set by
# .ci/run, which runs this inside its loopback-only namespace) logs into the HTTP face in
# ISAPI mode through the safe layer and previews from the RTSP face: IMKH header, PS shape,
# frames and size (H.264, H.265 with G.711u), TCP and UDP, credentials in clear, reconnect.
# About 40 s (the reconnect alone about 17 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test preview_real_sdk -- --nocapture --test-threads=1
