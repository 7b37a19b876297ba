#!/usr/bin/env bash
# Memcheck over the preview start/stop tests (tests/preview.rs, `start_stop_*`), the failed
# stop whose callback state is kept (tests/global_faults.rs,
# `stop_failure_is_reported_and_the_callback_state_is_kept`) and the owned-handle lifecycle
# (tests/owned.rs, `owned_*`: session dropped first, logout with streams running, teardown
# from inside the SDK's callback on the reaper thread, a logout racing 16 starting threads,
# a logout with a playback, a download or an arming alive; fast pacing and bounded loops) and the ISAPI pass-through (tests/isapi.rs and
# mock-sdk/tests/isapi.rs: every request kind, buffer growth, ResponseStatus errors, ISAPI
# logins; a few hundred calls) and a bounded playback start/stop loop (tests/playback.rs,
# `valgrind_`: 20 playbacks by queue, frames, to the end, and stopped from inside their own
# callback; fast pacing) and the alarms' arming (tests/alarms.rs, `mock_arming_`: arm,
# receive a few alarms, disarm, logout while armed, the watchdog; private devices) against the mock SDK. Fails on any memcheck error: invalid reads/writes, uninitialised values, and
# definite leaks. `.ci/valgrind.supp` holds suppressions for known glibc/Rust-runtime noise
# only (each entry says why); our code and the mock get none.
#
# --fair-sched=yes: valgrind runs one thread at a time, and by default a thread that spins
# (the mock's fast-paced stream threads) keeps the lock while the test's own thread waits.
# Measured on this 2-core kind: owned_logout_races_sixteen_threads_starting_previews took
# 102 s without it and 5 s with it; the whole owned_ group took 1854 s in one CI run.
#
# Usage: .ci/valgrind.sh [test-name filter for tests/preview.rs]   (default: start_stop)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
    echo "valgrind not found: install it (apt-get install valgrind)" >&2
    exit 1
fi

filter="${1-start_stop}"

# The mock SDK, built once; the test helper then skips its own cargo build.
mock_json=$(cargo build -p hcnetsdk-mock --message-format=json-render-diagnostics)
mock=$(printf '%s\n' "$mock_json" | grep '"reason":"compiler-artifact"' | grep -o '"[^"]*libhcnetsdk\.so"' | tr -d '"' | tail -1)
[ -f "$mock" ] || { echo "could not find the built mock libhcnetsdk.so" >&2; exit 1; }

# A test binary of the hcnetsdk crate (tests/<name>.rs), or of package $2, built without
# running it.
test_bin() {
    local json bin
    json=$(cargo test -p "${2:-hcnetsdk}" --test "$1" --no-run --message-format=json-render-diagnostics)
    bin=$(printf '%s\n' "$json" | grep '"reason":"compiler-artifact"' | grep "\"name\":\"$1\"" | grep -o '"executable":"[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | tail -1)
    [ -x "$bin" ] || { echo "could not find the $1 test binary" >&2; exit 1; }
    printf '%s\n' "$bin"
}

# memcheck BINARY TEST-ARGS...
memcheck() {
    local bin=$1
    shift
    # A filter that selects no test (a renamed test) would pass memcheck having run nothing.
    [ "$("$bin" --list "$@" 2>/dev/null | grep -c ': test$')" -gt 0 ] ||
        { echo "valgrind: '$*' selects no test in $bin" >&2; exit 1; }
    echo "valgrind memcheck: $bin ($*) with mock $mock"
    HCNETSDK_MOCK_LIB="$mock" RUST_BACKTRACE=0 valgrind \
        --tool=memcheck \
        --fair-sched=yes \
        --error-exitcode=99 \
        --leak-check=full \
        --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite \
        --track-origins=yes \
        --num-callers=30 \
        --suppressions=.ci/valgrind.supp \
        --trace-children=no \
        "$bin" "$@" --test-threads=1
}

preview_bin=$(test_bin preview)
faults_bin=$(test_bin global_faults)
owned_bin=$(test_bin owned)
isapi_bin=$(test_bin isapi)
mock_isapi_bin=$(test_bin isapi hcnetsdk-mock)
playback_bin=$(test_bin playback)
alarms_bin=$(test_bin alarms)
memcheck "$preview_bin" "$filter"
memcheck "$faults_bin" --exact stop_failure_is_reported_and_the_callback_state_is_kept
memcheck "$owned_bin" owned_
memcheck "$isapi_bin"
memcheck "$mock_isapi_bin"
memcheck "$playback_bin" valgrind_
memcheck "$alarms_bin" mock_arming_ # arm, alarms, shared arming, disarm, logout while armed
echo "valgrind: 0 errors"
