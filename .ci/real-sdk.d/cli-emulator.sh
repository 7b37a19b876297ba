#!/usr/bin/env bash
# Real-SDK tier for the hcnet CLI against the emulator: `hcnet emulate --json` serves the
# built-in scenario on loopback; then `hcnet doctor`, `preview`, `ptz` and `snapshot` run
# through the real HCNetSDK (HCNETSDK_LIB_DIR, set by .ci/run, which runs this inside its
# loopback-only namespace) in ISAPI login mode on a device's HTTP port:
# - doctor: every check green (8 ok, none failed or skipped), the RTSP port Digest;
# - preview 5 s to a .ps file, of the dome (H.264) and the h265 camera: ffprobe reads
#   h264/hevc at the scenario's 640x360;
# - ptz move / set-preset / goto / position on the dome, through ISAPI;
# - snapshot: a JPEG;
# - alarms 8 s as JSON lines: the dome's motion on channel 1 (the scenario raises it every
#   3 s; the SDK arms the ISAPI login through the emulator's alertStream).
# The password goes in HCNET_PASSWORD (never on a command line, none is echoed).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
command -v ffprobe >/dev/null || { echo "error: ffprobe is needed (ffmpeg)" >&2; exit 1; }
. .ci/emulator.sh
http_port() { http_ports | awk -v l="$1" '$1 == l {print $2}'; }
dome="$(http_port dome)"
h265="$(http_port h265)"
[ -n "$dome" ] && [ -n "$h265" ] || fail "no dome/h265 in: $(cat "$work/devices.jsonl")"
echo "emulator: dome on HTTP $dome, h265 on HTTP $h265"
export HCNET_PASSWORD=Admin12345 # the built-in scenario's admin
# on PORT COMMAND ARGS...: hcnet COMMAND through the real SDK, ISAPI login on PORT.
on() {
  local port=$1 command=$2
  shift 2
  "$hcnet" "$command" --sdk-dir "$HCNETSDK_LIB_DIR" --isapi --host 127.0.0.1 --port "$port" \
    --user admin "$@"
}

echo "--- hcnet doctor (dome)"
on "$dome" doctor | tee "$work/doctor.txt" || fail "hcnet doctor failed"
grep -q "doctor OK: checks 8 ok, 0 failed, 0 skipped" "$work/doctor.txt" ||
  fail "doctor: not every check green"
# The RTSP port from adminAccesses, asking for Digest: no warning.
grep -q "RTSP port [0-9]* asks for Digest authentication" "$work/doctor.txt" ||
  fail "doctor: no RTSP authentication line for the emulator's Digest port"
! grep -q "warning:" "$work/doctor.txt" || fail "doctor warned"

preview() { # LABEL PORT CODEC
  echo "--- hcnet preview ($1, 5 s)"
  on "$2" preview --seconds 5 --out "$work/$1.ps" || fail "hcnet preview $1 failed"
  local probed
  probed="$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height \
    -of csv=p=0 "$work/$1.ps")"
  echo "ffprobe $1.ps ($(wc -c <"$work/$1.ps") bytes): $probed"
  [ "$probed" = "$3,640,360" ] || fail "$1.ps: ffprobe says '$probed', expected '$3,640,360'"
}
preview dome "$dome" h264
preview h265 "$h265" hevc

echo "--- hcnet ptz (dome, through ISAPI)"
for action in position "move right --ms 700" "set-preset 3" "move right --ms 700" "goto 3" \
  position; do
  # shellcheck disable=SC2086 # the action's words
  on "$dome" ptz $action || fail "hcnet ptz $action failed"
done

echo "--- hcnet snapshot (dome, through ISAPI)"
on "$dome" snapshot --out "$work/dome.jpg" || fail "hcnet snapshot failed"
[ "$(head -c 2 "$work/dome.jpg" | od -An -tx1 | tr -d ' ')" = "ffd8" ] || fail "dome.jpg is not a JPEG"
echo "snapshot: $(wc -c <"$work/dome.jpg") bytes, $(ffprobe -v error -show_entries \
  stream=codec_name,width,height -of csv=p=0 "$work/dome.jpg")"
echo "--- hcnet alarms (dome, through ISAPI, 8 s)"
on "$dome" alarms --seconds 8 --json >"$work/alarms.jsonl" || fail "hcnet alarms failed"
python3 -c 'import json, sys
alarms = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("alarms:", len(alarms), "lines;", [a.get("kind") for a in alarms])
sys.exit(0 if any(a.get("kind") == "motion" and a.get("channels") == [1] for a in alarms) else 1)
' "$work/alarms.jsonl" || fail "no motion alarm on channel 1 in 8 s: $(cat "$work/alarms.jsonl")"
echo "cli-emulator: doctor, preview (h264, hevc), ptz, snapshot and alarms through the real SDK: OK"
