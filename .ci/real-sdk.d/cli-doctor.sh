#!/usr/bin/env bash
# Real-SDK tier for the hcnet CLI: `hcnet doctor` against the real HCNetSDK named by
# HCNETSDK_LIB_DIR (set by .ci/run), with a closed loopback port as the device:
# the SDK's version and a network diagnosis (TCP refused, login code 7).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnet --test real_sdk -- --nocapture --test-threads=1
