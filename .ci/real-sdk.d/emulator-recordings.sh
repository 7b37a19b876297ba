#!/usr/bin/env bash
# Real-SDK tier for recordings through raw SDK calls: the real HCNetSDK (HCNETSDK_LIB_DIR,
# set by .ci/run, which runs this inside its loopback-only namespace) logs into the
# emulator in ISAPI mode, searches its recordings with FindFile_V40/FindNextFile_V40 (NVR
# and dome) and plays a few seconds back with PlayBackByTime_V40: the searches must succeed
# and the playback must start and deliver data. About 15 s. Prints its MEASURED lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test recordings_real_sdk -- --nocapture --test-threads=1
