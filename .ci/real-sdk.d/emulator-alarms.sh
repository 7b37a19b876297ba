#!/usr/bin/env bash
# Real-SDK tier for the emulator's alert stream: the real HCNetSDK (HCNETSDK_LIB_DIR, set by
# .ci/run, which runs this inside its loopback-only namespace) logs into the emulator in
# ISAPI mode, sets a message callback, arms with SetupAlarmChan_V41 (GET
# /ISAPI/Event/notification/alertStream) and must hand the callback the motion alert as
# COMM_ISAPI_ALARM with NET_DVR_ALARM_ISAPI_INFO; CloseAlarmChan_V30 closes the stream.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-emulator --test alarms_real_sdk -- --nocapture --test-threads=1
