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

# Where the parents' wasm goes, by function: twiggy on the wasm as cargo left it (names kept,
# before wasm-opt removes them), through the same wasm-bindgen as the build. twiggy is installed
# once into the tools cache, here only (the benchmark is its only user).
TWIGGY_VERSION="0.8.0"
if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "$TWIGGY_VERSION" ]; then
  say "Installing twiggy $TWIGGY_VERSION into $DRIEHOEK_CACHE/tools (a few minutes, once)"
  cargo install --locked --quiet twiggy --version "$TWIGGY_VERSION" --root "$DRIEHOEK_CACHE/tools"
fi
mkdir -p out/bench/names
wasm-bindgen --target web --no-typescript --out-dir out/bench/names \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/driehoek.wasm"
twiggy top -n 20 out/bench/names/driehoek_bg.wasm > out/bench/twiggy-top20.txt
twiggy top -n 100000 --format csv out/bench/names/driehoek_bg.wasm > out/bench/twiggy-all.csv
node bench/crates.mjs > out/bench/twiggy-crates.txt
export BENCH_TWIGGY="$PWD/out/bench/twiggy-top20.txt"

say "Measuring ($(chromium --version 2>/dev/null | head -n1), ${BENCH_RUNS:-5} runs per figure)"
export DRIEHOEK_DIST="$PWD/dist"
export DRIEHOEK_SERVER="$CARGO_TARGET_DIR/release/driehoek-server"
# P1-P4 (the app); a figure over its budget fails the whole only with BENCH_STRICT=1.
status=0
node bench/run.mjs || status=$?

# P5 (the sync endpoint under load), in the same run.
bash scripts/bench-server.sh || status=$?
exit "$status"
