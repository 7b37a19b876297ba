#!/usr/bin/env bash
# Real-SDK tier for configuration: the real HCNetSDK (HCNETSDK_LIB_DIR, set by .ci/run,
# which runs this inside its loopback-only namespace) logs into the emulator in ISAPI mode
# and sets NTP through the safe layer, then reads it back.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test config_real_sdk -- --nocapture --test-threads=1
