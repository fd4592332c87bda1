#!/usr/bin/env bash
# P5, the sync endpoint under load: builds the release server and its load generator
# (server/src/bin/driehoek-load.rs), starts the server with the demo school on a fresh SQLite file,
# and measures GET /healthz (the baseline), the content GET answered 304 (a phone checking for
# news) and RSVP PUTs (real, durable writes: a new family each); then "the opening minute of a
# round": it publishes a round of 200 slots and 400 families race for them over the same
# connections (a family told "vol" takes the first slot proposed), and checks that exactly 200
# slots are taken. Prints a table with the budgets (>= 20,000 conditional GETs/s, >= 5,000 RSVP
# PUTs/s and booking PUTs/s, p99 <= 20 ms) and writes out/bench/server.json. Not part of
# scripts/test.sh.
#   BENCH_CONNECTIONS=64       concurrent keep-alive connections
#   BENCH_GET_REQUESTS=50000   requests per GET target
#   BENCH_PUT_REQUESTS=20000   RSVP PUTs
#   BENCH_BOOKING_FAMILIES=400 families racing for the bench round's 200 slots
#   BENCH_LOAD_THREADS=1       threads of the load generator (it shares the machine)
#   BENCH_DB_DIR=…             where the database goes (default: a new folder in $TMPDIR);
#                              put it on the disk the server will really use: fsync decides
#   BENCH_STRICT=1             exit with 1 when a figure is over its budget
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

say "Building the server and the load generator (release)"
cargo build --release --quiet -p driehoek-server --bins --features load
BIN="$CARGO_TARGET_DIR/release"

WORK="$(mktemp -d "${BENCH_DB_DIR:-${TMPDIR:-/tmp}}/driehoek-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The API does not need the built app; an index.html is enough for the server to start.
mkdir -p "$WORK/dist"
echo '<!doctype html><title>Driehoek</title>' > "$WORK/dist/index.html"

say "Starting the server (demo school, SQLite in $WORK, write limit raised for the benchmark)"
RUST_LOG=warn "$BIN/driehoek-server" serve --addr 127.0.0.1:0 --demo \
  --db "$WORK/bench.sqlite3" --dist "$WORK/dist" \
  --write-rate 1000000 --write-burst 1000000 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
ADDR=""
for _ in $(seq 1 100); do
  ADDR="$(sed -n 's|^Driehoek draait op http://\(.*\)/$|\1|p' "$WORK/server.out" | head -n1)"
  [ -n "$ADDR" ] && grep -q '^Demoschool: ' "$WORK/server.out" && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ADDR" ]; then
  cat "$WORK/server.err" >&2
  die "the server did not start"
fi
SCHOOL="$(sed -n 's|^Demoschool: .*[?&]school=\([a-z0-9-]*\).*$|\1|p' "$WORK/server.out" | head -n1)"
# The demo mode keeps the access code beside the database (main.rs, demo_school).
CODE="$(cat "$WORK/bench.demo-code")"
ADMIN="$(cat "$WORK/bench.demo-admin")"

say "Measuring on $(nproc) CPUs against http://$ADDR/ (school $SCHOOL)"
STRICT=()
[ "${BENCH_STRICT:-0}" = "1" ] && STRICT=(--strict)
"$BIN/driehoek-load" --addr "$ADDR" --school "$SCHOOL" --code "$CODE" \
  --connections "${BENCH_CONNECTIONS:-64}" \
  --get-requests "${BENCH_GET_REQUESTS:-50000}" \
  --put-requests "${BENCH_PUT_REQUESTS:-20000}" \
  --admin "$ADMIN" --booking-families "${BENCH_BOOKING_FAMILIES:-400}" \
  --threads "${BENCH_LOAD_THREADS:-1}" \
  --out out/bench/server.json "${STRICT[@]}"
