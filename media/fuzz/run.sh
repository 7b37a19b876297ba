#!/usr/bin/env bash
# Runs one cargo-fuzz target for SECONDS over its corpus (media/fuzz/corpus/TARGET) and
# prints libFuzzer's final stats. Usage: media/fuzz/run.sh TARGET SECONDS [extra libFuzzer args]
# Works on the stable toolchain through RUSTC_BOOTSTRAP=1; installs cargo-fuzz if missing.
set -euo pipefail
target="${1:?usage: run.sh TARGET SECONDS}"
secs="${2:?usage: run.sh TARGET SECONDS}"
shift 2
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# New inputs go to a scratch corpus so the checked-in one stays small.
work="target/corpus-work/$target"
mkdir -p "$work" artifacts/"$target"
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir . "$target" "$work" "corpus/$target" -- \
  -max_total_time="$secs" -max_len=65536 -print_final_stats=1 "$@"
