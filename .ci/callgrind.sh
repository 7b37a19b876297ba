#!/usr/bin/env bash
# Instruction counts per packet and per call, safe layer against raw baselines, under
# `valgrind --tool=callgrind` (noise-free, unlike wall-clock ratios on a shared machine).
#
# The preview bench has an exact-count mode (benches/preview/count.rs): with
# PREVIEW_BENCH_COUNT=N and PREVIEW_BENCH_ONLY=<what> it runs exactly N packets of one path
# (pacing "fast", no timing) or N calls, and prints how many packets it counted. Each <what>
# runs twice, with N and with 0; instructions per packet = (Ir(N) - Ir(0)) / (packets(N) -
# packets(0)), so start-up, login and the preview's start and stop cancel out. For the queue
# the packets are those offered to the callback (received + dropped).
#
# Pairs (safe path: its raw baseline):
#   closure   vs raw    Preview::start(closure)   vs a C callback that only counts
#   queue     vs ring   start_queue + consumer    vs a C callback copying into a fixed ring
#   call-safe vs call-raw  Sdk::version            vs NET_DVR_GetSDKVersion + GetSDKBuildVersion
#
# Fails when a ratio is above its threshold. Usage: .ci/callgrind.sh [N]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- thresholds (ratio of instructions, safe / raw) ----------------------------------------
# GOALS (from the throughput goals, printed beside each row):
#   closure   <= 1.05  (>= 0.95 of raw throughput; plus a small fixed allowance per packet)
#   queue     <= 1.25  (>= 0.80 of the ring-copy throughput: 1 / 0.80)
#   call-safe <= 1.10
# LIMITS: today's measured ratio x 1.2, so that today's code passes and a path that gets 20%
# dearer fails. Measured (N=20000, bench profile, valgrind 3.19, 2026-12-06, after the mock
# stopped reading the clock per packet and the queue's loss counter got its own cache line):
# closure 1.097 (406.6 / 370.6 Ir per packet), queue 0.892 (482.9 / 541.2 per packet
# offered), call 1.137 (1878 / 1652 per call). Earlier (slot queue of issue 10): closure
# 1.105 (379 / 343), queue 0.781 (475 / 609; the ring baseline then paid the mock's clock
# read), call 1.137. The queue's number is per packet *offered*: callgrind runs one thread
# at a time, so the producer drops ~99% of the packets while the consumer waits for its
# turn, and the row mostly prices the SDK thread's full-queue path (one load per dropped
# packet). It moves with the loss under valgrind's scheduling (a few % between runs).
# Per item, the consumer's own code is a few dozen instructions (`Receiver::recv` ~32 Ir
# per packet with --separate-threads=yes); its wall-clock cost is the cache lines it shares
# with the producer, which callgrind does not model. Override per run with
# CALLGRIND_{CLOSURE,QUEUE,CALL}_MAX.
CLOSURE_MAX="${CALLGRIND_CLOSURE_MAX:-1.32}"
QUEUE_MAX="${CALLGRIND_QUEUE_MAX:-1.07}"
CALL_MAX="${CALLGRIND_CALL_MAX:-1.36}"
GOAL_CLOSURE=1.05
GOAL_QUEUE=1.25
GOAL_CALL=1.10

N="${1:-20000}"

if ! command -v valgrind >/dev/null; then
    echo "valgrind not found: install it (apt-get install valgrind)" >&2
    exit 1
fi

# The release mock and the bench binary (bench profile), built, not run.
cargo build -q --release -p hcnetsdk-mock
mock="$PWD/target/release/libhcnetsdk.so"
[ -f "$mock" ] || { echo "could not find the release mock at $mock" >&2; exit 1; }
bench_json=$(cargo bench --bench preview --no-run --message-format=json-render-diagnostics)
bench=$(printf '%s\n' "$bench_json" | grep '"reason":"compiler-artifact"' | grep '"name":"preview"' | grep -o '"executable":"[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | tail -1)
[ -x "$bench" ] || { echo "could not find the preview bench binary" >&2; exit 1; }
echo "callgrind: $bench, mock $mock, N=$N"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# count WHAT N -> prints "IR PACKETS" (instructions of the whole process, packets offered)
count() {
    local what=$1 n=$2 file="$out/$1.$2" line delivered lost ir
    line=$(HCNETSDK_MOCK_LIB="$mock" PREVIEW_BENCH_ONLY="$what" PREVIEW_BENCH_COUNT="$n" RUST_BACKTRACE=0 \
        valgrind --tool=callgrind --fair-sched=yes --callgrind-out-file="$file" "$bench" 2>"$file.log" | grep '^count ') \
        || { echo "the $what run (N=$n) failed:" >&2; cat "$file.log" >&2; exit 1; }
    delivered=$(sed -n 's/.* delivered=\([0-9]*\).*/\1/p' <<<"$line")
    lost=$(sed -n 's/.* lost=\([0-9]*\).*/\1/p' <<<"$line")
    ir=$(grep -E '^(summary|totals):' "$file" | head -1 | awk '{print $2}')
    [ -n "$ir" ] || { echo "no instruction total in $file" >&2; exit 1; }
    echo "$ir $((delivered + lost)) $delivered"
}

# per_unit WHAT -> prints "IR_PER_OFFERED IR_PER_RECEIVED LOSS_PCT" (the N run less the 0 run)
per_unit() {
    local ir0 o0 r0 ir1 o1 r1
    read -r ir0 o0 r0 <<<"$(count "$1" 0)"
    read -r ir1 o1 r1 <<<"$(count "$1" "$N")"
    awk -v a="$ir0" -v b="$ir1" -v o0="$o0" -v o1="$o1" -v r0="$r0" -v r1="$r1" 'BEGIN {
        if (o1 <= o0 || r1 <= r0) { print "nan nan nan"; exit }
        printf "%.1f %.1f %.1f\n", (b - a) / (o1 - o0), (b - a) / (r1 - r0), 100 * (1 - (r1 - r0) / (o1 - o0)) }'
}

declare -A ipu ipr loss
for what in raw ring closure queue call-raw call-safe; do
    read -r "ipu[$what]" "ipr[$what]" "loss[$what]" <<<"$(per_unit "$what")"
    case "${ipu[$what]}" in
        "" | nan) echo "callgrind: no instruction count for $what (see the error above)" >&2; exit 1 ;;
    esac
    echo "  $what: ${ipu[$what]} instructions per packet offered (or call), ${ipr[$what]} per packet received, ${loss[$what]}% lost"
done

printf '\n%-36s %12s %12s %8s %10s %6s %s\n' "path" "Ir/unit" "raw Ir/unit" "ratio" "threshold" "goal" "verdict"
fail=0
row() {
    local name=$1 safe=$2 raw=$3 max=$4 goal=$5 ratio verdict
    ratio=$(awk -v s="${ipu[$safe]}" -v r="${ipu[$raw]}" 'BEGIN { printf "%.3f", s / r }')
    if awk -v x="$ratio" -v m="$max" 'BEGIN { exit !(x <= m) }'; then verdict=ok; else verdict=FAIL; fail=1; fi
    printf '%-36s %12s %12s %8s %10s %6s %s\n' "$name" "${ipu[$safe]}" "${ipu[$raw]}" "$ratio" "$max" "$goal" "$verdict"
}
row "closure / raw callback (per packet)" closure raw "$CLOSURE_MAX" "$GOAL_CLOSURE"
row "queue / ring copy (per packet)" queue ring "$QUEUE_MAX" "$GOAL_QUEUE"
row "Sdk::version / raw (per call)" call-safe call-raw "$CALL_MAX" "$GOAL_CALL"
echo "  Ir/unit: instructions of the whole process (all threads, the mock included) per packet"
echo "  the SDK offered to the callback, or per call; start-up subtracted. Callgrind runs one thread"
echo "  at a time, so the queue's producer fills it and drops packets while the consumer waits for"
echo "  its turn: the queue lost ${loss[queue]}% here (${ipr[queue]} Ir per packet received), which"
echo "  says nothing about loss on a real machine (the wall-clock bench reports that)."
if [ "$fail" -ne 0 ]; then
    echo "callgrind: FAIL (a ratio is above its threshold)" >&2
    exit 1
fi
echo "callgrind: ok"
