#!/usr/bin/env bash
# Real-SDK tier for the emulator's devices: the real HCNetSDK (HCNETSDK_LIB_DIR, set by
# .ci/run, which runs this inside its loopback-only namespace) logs into
# Emulator::start(default scenario) in ISAPI mode through the safe layer, and its DeviceInfo
# is compared field by field with the mock's for the same devices (named differences only).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test emulator_real_sdk -- --nocapture --test-threads=1
