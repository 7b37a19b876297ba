#!/usr/bin/env bash
# The vendor's player judges the mock's streams: every stream the mock sends (H.264 and
# H.265, main and sub, without audio and with G.711µ/G.711A/AAC) is fed into libPlayCtrl.so
# from the real SDK's wheel (beside HCNETSDK_LIB_DIR's libhcnetsdk.so, set by .ci/run),
# which must decode video frames of the right size and, where there is audio, audio frames.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-mock --test real_sdk_playctrl -- --nocapture
