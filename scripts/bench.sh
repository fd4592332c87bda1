#!/usr/bin/env bash
# Driehoek's benchmark (issue 7): builds the release app and the release server, then measures
# the size of the build, a cold first visit on a slow phone, and the offline start (bench/run.mjs).
# Prints a table and writes out/bench/results.json. Not part of scripts/test.sh.
#   BENCH_RUNS=5      runs per timed figure (median, min, max)
#   BENCH_STRICT=1    exit with 1 when a figure is over its budget
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

bash scripts/build.sh

say "Building the server (release)"
cargo build --release --quiet -p driehoek-server

say "Measuring ($(chromium --version 2>/dev/null | head -n1), ${BENCH_RUNS:-5} runs per figure)"
export DRIEHOEK_DIST="$PWD/dist"
export DRIEHOEK_SERVER="$CARGO_TARGET_DIR/release/driehoek-server"
node bench/run.mjs
