#!/usr/bin/env bash
# Driehoek's benchmark (issue 7): builds the release app and the release server, then measures
# the size of the build, a cold first visit on a slow phone, the offline start, rendering long
# lists (bench/run.mjs) and the sync endpoint under load (scripts/bench-server.sh).
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
# P1-P4 (the app); a figure over its budget fails the whole only with BENCH_STRICT=1.
status=0
node bench/run.mjs || status=$?

# P5 (the sync endpoint under load), in the same run.
bash scripts/bench-server.sh || status=$?
exit "$status"
