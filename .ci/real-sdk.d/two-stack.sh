#!/usr/bin/env bash
# Real-SDK tier, the two-stack comparison: the built-in scenario through the safe layer on
# the mock (ISAPI login mode) and on the real HCNetSDK (HCNETSDK_LIB_DIR, set by .ci/run,
# which runs this inside its loopback-only namespace) logged into the emulator. Login and
# DeviceInfo, wrong password and lock, preview (IMKH, PS shape, frames), PTZ and presets,
# snapshot, ISAPI pass-through and its errors, and the reconnect after a drop (once, ~13 s)
# must agree, except the differences the test names with their reasons. Then recordings
# (two_stack_recordings, ~20 s): the same search and a 10 s playback on both stacks. Then
# alarms and config (two_stack_alarms, ~15 s): arming, a motion and a line-crossing alarm,
# disarming, NTP set and read back.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test two_stack -- --nocapture --test-threads=1
cargo test -p hcnetsdk-emulator --test two_stack_recordings -- --nocapture --test-threads=1
cargo test -p hcnetsdk-emulator --test two_stack_alarms -- --nocapture --test-threads=1
