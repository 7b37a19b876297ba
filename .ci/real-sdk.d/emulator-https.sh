#!/usr/bin/env bash
# Real-SDK tier for the emulator's HTTPS face and faults: the real HCNetSDK (HCNETSDK_LIB_DIR,
# set by .ci/run, which runs this inside its loopback-only namespace) logs in with
# byHttps = 1 (TLS versions offered, no certificate check, RTSP stays plain), and sees the
# emulator's faults (offline: 7, a lock set through the model: 153, an answer slower than
# its ISAPI receive timeout: 10 after 5 s). The tests print a skip line without
# HCNETSDK_LIB_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test https_real_sdk -- --nocapture --test-threads=1
cargo test -p hcnetsdk-emulator --test faults_real_sdk -- --nocapture --test-threads=1
