#!/usr/bin/env bash
# The one command that runs every test of Driehoek: formatting, lints, the native tests (the
# server's twice: on SQLite, then on a throw-away PostgreSQL 15), and the browser tests in
# Debian's Chromium against the release build served on 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DRIEHOEK_NEEDS_POSTGRES=1
source scripts/setup.sh
source scripts/postgres.sh

say "Checking formatting (cargo fmt --check)"
cargo fmt --all --check

say "Linting (clippy, native and wasm, warnings are errors)"
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
cargo clippy -p driehoek -p driehoek-web -p driehoek-beheer --target wasm32-unknown-unknown \
  --all-targets --quiet -- -D warnings

say "The parents' app never depends on Beheer (cargo tree)"
if cargo tree -p driehoek --target wasm32-unknown-unknown --prefix none | grep -q '^driehoek-beheer'; then
  die "the parents' app depends on driehoek-beheer: a parent's phone would carry the school's editor"
fi

say "Native tests (cargo test)"
cargo test --workspace --quiet

# The same native tests at nine other wall clocks: none may depend on the hour or the date.
bash scripts/any-hour.sh

say "The server's tests again on PostgreSQL 15, with the two-server race, kill and move tests"
pg_start
trap pg_stop EXIT
cargo test -p driehoek-server --quiet -- --include-ignored
pg_stop
trap - EXIT

say "Storage tests in the browser (wasm-bindgen-test in Debian's Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/webdriver.json" \
  cargo test -p driehoek --target wasm32-unknown-unknown --test storage_browser

bash scripts/build.sh

say "Building the server for the browser tests"
cargo build --quiet -p driehoek-server
bash scripts/contract.sh

say "Browser tests (Playwright with $(chromium --version 2>/dev/null | head -n1))"
export DRIEHOEK_DIST="$PWD/dist"
export DRIEHOEK_SERVER="$CARGO_TARGET_DIR/debug/driehoek-server"
node --test --test-concurrency=1 tests/e2e/*.test.mjs
