#!/usr/bin/env bash
# The one command that builds Driehoek and serves it at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/build.sh
source scripts/setup.sh
say "Building the server (release)"
cargo build --release --quiet -p driehoek-server
say "Starting the server; stop it with Ctrl-C"
exec "$CARGO_TARGET_DIR/release/driehoek-server" serve --addr "${DRIEHOEK_ADDR:-127.0.0.1:8080}" --dist dist
