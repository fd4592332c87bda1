#!/usr/bin/env bash
# P5, the sync endpoint under load: builds the release server and its load generator
# (server/src/bin/driehoek-load.rs) and measures three setups one after the other, each on a
# fresh database with the demo school:
#   1. SQLite: one server on a new SQLite file (the default store);
#   2. PostgreSQL, 1 server: one server on a new database of a throw-away PostgreSQL 15
#      (scripts/postgres.sh, started and stopped by this script);
#   3. PostgreSQL, 2 servers: two server processes on different ports against one new database;
#      the load generator spreads its connections over both, round-robin.
# For each: GET /healthz (the baseline), the content GET answered 304 (a phone checking for news)
# and RSVP PUTs (real, durable writes: a new family each); then "the opening minute of a round":
# it publishes a round of 200 slots and 400 families race for them over the same connections (a
# family told "vol" takes the first slot proposed), and checks that exactly 200 slots are taken,
# as seen by every server. Each run prints its table and writes out/bench/server-<setup>.json;
# at the end one table puts the three side by side (req/s, p50/p99, ratio to that setup's
# healthz) with the budgets (>= 20,000 conditional GETs/s, >= 5,000 RSVP PUTs/s and booking
# PUTs/s, p99 <= 20 ms), written to out/bench/server.json. Not part of scripts/test.sh.
#   BENCH_CONNECTIONS=64       concurrent keep-alive connections (per setup, over all servers)
#   BENCH_GET_REQUESTS=50000   requests per GET target
#   BENCH_PUT_REQUESTS=20000   RSVP PUTs
#   BENCH_BOOKING_FAMILIES=400 families racing for the bench round's 200 slots
#   BENCH_LOAD_THREADS=1       threads of the load generator (it shares the machine)
#   BENCH_DB_DIR=…             where the SQLite database goes (default: a new folder in $TMPDIR);
#                              put it on the disk the server will really use: fsync decides.
#                              PostgreSQL's cluster is in /tmp (scripts/postgres.sh)
#   BENCH_STRICT=1             exit with 1 when a figure of any setup is over its budget (all
#                              three setups are measured first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DRIEHOEK_NEEDS_POSTGRES=1
source scripts/setup.sh
source scripts/postgres.sh

say "Building the server and the load generator (release)"
cargo build --release --quiet -p driehoek-server --bins --features load
BIN="$CARGO_TARGET_DIR/release"

WORK="$(mktemp -d "${BENCH_DB_DIR:-${TMPDIR:-/tmp}}/driehoek-bench.XXXXXX")"
SERVER_PIDS=()
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}
cleanup() {
  stop_servers
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

# The API does not need the built app; an index.html is enough for the server to start.
mkdir -p "$WORK/dist"
echo '<!doctype html><title>Driehoek</title>' > "$WORK/dist/index.html"

# start_server NAME DB [--demo]: starts a server on a free port (write limit raised for the
# benchmark) and waits for its first line; sets ADDR, its output is in $WORK/NAME.out.
start_server() {
  local name=$1 db=$2
  shift 2
  # Made here, not by the server's redirection: the loop below may read them first.
  : >"$WORK/$name.out"
  : >"$WORK/$name.err"
  RUST_LOG=warn "$BIN/driehoek-server" serve --addr 127.0.0.1:0 "$@" \
    --db "$db" --dist "$WORK/dist" \
    --write-rate 1000000 --write-burst 1000000 >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local pid=$!
  SERVER_PIDS+=("$pid")
  ADDR=""
  for _ in $(seq 1 300); do
    ADDR="$(sed -n 's|^Driehoek draait op http://\(.*\)/$|\1|p' "$WORK/$name.out" | head -n1)"
    # With --demo, the codes follow the address.
    if [ -n "$ADDR" ] && { [ "${1:-}" != "--demo" ] \
        || grep -q '^Demoschool beheercode ' "$WORK/$name.out"; }; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ADDR" ]; then
    cat "$WORK/$name.err" >&2
    die "the server $name did not start"
  fi
}

# The demo school's id, access code and admin token, from the first server's output (with
# PostgreSQL the demo keeps no files beside the database).
read_demo_codes() {
  local out="$WORK/$1.out"
  SCHOOL="$(sed -n 's|^Demoschool: .*[?&]school=\([a-z0-9-]*\).*$|\1|p' "$out" | head -n1)"
  CODE="$(sed -n 's|^Demoschool: .*[?&]code=\([A-Za-z0-9]*\).*$|\1|p' "$out" | head -n1)"
  ADMIN="$(sed -n 's|^Demoschool beheercode (school): \([A-Za-z0-9]*\)$|\1|p' "$out" | head -n1)"
  if [ -z "$SCHOOL" ] || [ -z "$CODE" ] || [ -z "$ADMIN" ]; then
    cat "$out" >&2
    die "no demo school in the output of $1"
  fi
}

REPORTS=()
# measure SLUG LABEL ADDR...: loads the servers with the demo school and writes
# out/bench/server-SLUG.json.
measure() {
  local slug=$1 label=$2
  shift 2
  local addrs=() addr
  for addr in "$@"; do addrs+=(--addr "$addr"); done
  say "Measuring $label on $(nproc) CPUs against $* (school $SCHOOL)"
  "$BIN/driehoek-load" "${addrs[@]}" --label "$label" --school "$SCHOOL" --code "$CODE" \
    --connections "${BENCH_CONNECTIONS:-64}" \
    --get-requests "${BENCH_GET_REQUESTS:-50000}" \
    --put-requests "${BENCH_PUT_REQUESTS:-20000}" \
    --admin "$ADMIN" --booking-families "${BENCH_BOOKING_FAMILIES:-400}" \
    --threads "${BENCH_LOAD_THREADS:-1}" \
    --out "out/bench/server-$slug.json"
  REPORTS+=("out/bench/server-$slug.json")
}

say "SQLite: one server, demo school on a new file in $WORK"
start_server sqlite "$WORK/bench.sqlite3" --demo
read_demo_codes sqlite
measure sqlite "SQLite" "$ADDR"
stop_servers

pg_start
# A fresh database per setup, on the same cluster.
PG_BASE="${DRIEHOEK_TEST_POSTGRES%/*}"
psql -q "$DRIEHOEK_TEST_POSTGRES" -c 'CREATE DATABASE bench1' -c 'CREATE DATABASE bench2'

say "PostgreSQL, 1 server: demo school on a new database ($PG_BASE/bench1)"
start_server pg1 "$PG_BASE/bench1" --demo
read_demo_codes pg1
measure postgres-1 "PostgreSQL, 1 server" "$ADDR"
stop_servers

say "PostgreSQL, 2 servers: both on one new database ($PG_BASE/bench2)"
start_server pg2a "$PG_BASE/bench2" --demo
read_demo_codes pg2a
FIRST="$ADDR"
# Without --demo: the demo would give the school new codes.
start_server pg2b "$PG_BASE/bench2"
measure postgres-2 "PostgreSQL, 2 servers" "$FIRST" "$ADDR"
stop_servers

STRICT=()
[ "${BENCH_STRICT:-0}" = "1" ] && STRICT=(--strict)
"$BIN/driehoek-load" --combine "${REPORTS[@]}" --out out/bench/server.json "${STRICT[@]}"
