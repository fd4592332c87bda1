#!/usr/bin/env bash
# Builds the release app into dist/ (installing the tools first when they are missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# Trunk refuses a tool of another version, but with a terse message; say what to do instead.
WB_WANT="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
WB_HAVE="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
[ "$WB_HAVE" = "$WB_WANT" ] || die "wasm-bindgen-cli is '${WB_HAVE:-missing}', Cargo.lock wants $WB_WANT: run scripts/setup.sh."
grep -q "wasm_bindgen = \"$WB_WANT\"" Trunk.toml || die "Trunk.toml's [tools] wasm_bindgen is not $WB_WANT (the version in Cargo.lock): change it."
wasm-opt --version 2>/dev/null | grep -q "version_132" || die "wasm-opt version_132 (npm binaryen 132) is not on PATH: run scripts/setup.sh."

# Two builds in one checkout (a test run and a benchmark) would share Trunk's staging folder:
# the second waits for the first.
exec 9>"$DRIEHOEK_CACHE/build.lock"
if ! flock -n 9; then
  say "Another build of Driehoek is running; waiting for it"
  flock 9
fi

# The school's Beheer app is a wasm of its own (beheer.html), built first; the app's build joins
# its files to dist/ (scripts/precache.mjs), without putting them in the parents' precache.
export DRIEHOEK_BEHEER_DIST="$DRIEHOEK_CACHE/beheer-dist"
say "Building the school's Beheer app (release)"
trunk build --release --offline --dist "$DRIEHOEK_BEHEER_DIST" beheer.html
say "Building the app (release) into dist/"
trunk build --release --offline
