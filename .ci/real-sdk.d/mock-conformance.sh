#!/usr/bin/env bash
# Conformance: the same assertions against the mock and the real SDK (HCNETSDK_LIB_DIR,
# set by .ci/run). The suite is a harness = false binary that prints `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HCNETSDK_LIB_DIR:?HCNETSDK_LIB_DIR must name the lib folder of the real SDK}"
cargo test -p hcnetsdk-mock --test conformance
