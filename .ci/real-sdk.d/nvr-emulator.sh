#!/usr/bin/env bash
# Real-SDK tier for examples/nvr.rs (feature tokio) against the emulator: `hcnet emulate
# --json` serves the built-in scenario on loopback; the example logs in to every device at
# once through the real HCNetSDK (HCNETSDK_LIB_DIR, set by .ci/run, which runs this inside
# its loopback-only namespace) in ISAPI login mode on each device's HTTP port, previews every
# channel the SDK reports, counts frames for 6 s and logs out. Checks: every device logged in
# and out, every stream counted frames (key frames among them), the real SDK's version, exit 0.
# The password goes in HCNET_PASSWORD (never on a command line).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo build -q -p hcnetsdk --features tokio --example nvr
. .ci/emulator.sh
hosts="$(http_ports | awk '{printf "%s127.0.0.1:%s", (NR > 1 ? "," : ""), $2}')"
devices="$(tr ',' '\n' <<<"$hosts" | wc -l)"
echo "emulator: $devices devices on $hosts"
export HCNET_PASSWORD=Admin12345 # the built-in scenario's admin
target/debug/examples/nvr --sdk-dir "$HCNETSDK_LIB_DIR" --login-mode isapi --host "$hosts" \
  --user admin --seconds 6 >"$work/nvr.txt" 2>"$work/nvr.err" ||
  { cat "$work/nvr.txt" "$work/nvr.err" >&2; fail "examples/nvr failed"; }
cat "$work/nvr.txt"
python3 - "$work/nvr.txt" "$devices" <<'PY' || fail "examples/nvr: table or summary not as expected"
import re, sys
text = open(sys.argv[1]).read()
devices = int(sys.argv[2])
head = re.search(r"^(\d+) devices, (\d+) streams", text, re.M)
assert head and int(head.group(1)) == devices, f"not all {devices} devices logged in"
streams = int(head.group(2))
assert len(re.findall(r"^\S+: logged out \(\d+ streams stopped", text, re.M)) == devices
rows = re.findall(r"^(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", text, re.M)
assert len(rows) == streams, f"{len(rows)} table rows for {streams} streams"
for host, channel, frames, key, size, lost in rows:
    assert int(frames) > 0 and int(key) > 0 and int(size) > 0, f"{host} channel {channel}: nothing counted"
sdk = re.search(r"^done \(SDK (.*)\)$", text, re.M)
assert sdk and "mock" not in sdk.group(1), f"not the real SDK: {sdk and sdk.group(1)}"
print(f"nvr-emulator: {devices} devices, {streams} streams, every stream counted frames; SDK {sdk.group(1)}")
PY
