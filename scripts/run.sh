#!/usr/bin/env bash
# The one command that builds Driehoek and serves it at http://127.0.0.1:8080, with the sync
# endpoint and the demo school on an embedded SQLite file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/build.sh
source scripts/setup.sh
say "Building the server (release)"
cargo build --release --quiet -p driehoek-server
say "Starting the server with the demo school on $DRIEHOEK_CACHE/demo.sqlite3; stop it with Ctrl-C"
# The second line it prints is the join link a school puts in its letter to parents.
exec "$CARGO_TARGET_DIR/release/driehoek-server" serve --addr "${DRIEHOEK_ADDR:-127.0.0.1:8080}" \
  --dist dist --db "$DRIEHOEK_CACHE/demo.sqlite3" --demo
