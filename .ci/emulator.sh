# Sourced by the real-SDK tier scripts that drive `hcnet emulate` (.ci/real-sdk.d/cli-emulator.sh,
# nvr-emulator.sh); not a tier script itself. Starts the emulator on the built-in scenario
# in a fresh $work folder, waits until its four devices are printed (before it serves),
# and stops it and removes $work on exit. Defines fail() (prints the emulator's log tail)
# and http_ports (every device's "label port" line).
cargo build -q --bin hcnet
hcnet=target/debug/hcnet
work="$(mktemp -d)"
"$hcnet" emulate --json >"$work/devices.jsonl" 2>"$work/emulate.log" &
emulator=$!
cleanup() {
  kill -TERM "$emulator" 2>/dev/null || true
  wait "$emulator" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "error: $*" >&2
  echo "--- emulator log (last 40 lines)" >&2
  tail -n 40 "$work/emulate.log" >&2 || true
  exit 1
}
for _ in $(seq 1 200); do
  [ "$(wc -l <"$work/devices.jsonl")" -ge 4 ] && break
  kill -0 "$emulator" 2>/dev/null || fail "hcnet emulate exited"
  sleep 0.1
done
http_ports() {
  python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if line.strip():
        d = json.loads(line)
        print(d["label"], d["http_port"])' "$work/devices.jsonl"
}
