#!/usr/bin/env bash
# Real-SDK tier for the emulator's HTTP face: the real HCNetSDK (HCNETSDK_LIB_DIR, set by
# .ci/run, which runs this inside its loopback-only namespace) logs into the face in ISAPI
# mode through the safe layer: hash, cookie, DeviceInfo, logout, wrong password and lock.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test http_real_sdk -- --nocapture --test-threads=1
