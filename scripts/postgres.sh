#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests and the benchmark: a new cluster in a temporary
# folder, on a free port of 127.0.0.1, run as a non-root user, stopped and removed by pg_stop.
# Source it, then `pg_start` (sets DRIEHOEK_TEST_POSTGRES to the address of its database) and
# `pg_stop`. Debian's postgresql-15 (scripts/setup.sh installs it).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""
PG_AS=()

pg_start() {
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "==> PostgreSQL 15 is missing ($PG_BIN/initdb): run scripts/setup.sh" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/driehoek-pg.XXXXXX)
  PG_AS=()
  if [[ $(id -u) == 0 ]]; then
    # PostgreSQL refuses to run as root: Debian's package made the user `postgres`.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres: "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "==> Starting a throw-away PostgreSQL 15 on 127.0.0.1:$port ($PG_DIR)"
  if ! "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U driehoek -A trust -E UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi
  # Enough connections for two servers (8 writers, 8 readers and one more each) and the tests'
  # own; everything else as Debian ships it (fsync on).
  if ! "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=400" \
      start >/dev/null; then
    cat "$PG_DIR/server.log" >&2
    return 1
  fi
  export DRIEHOEK_TEST_POSTGRES="postgres://driehoek@127.0.0.1:$port/postgres"
}

pg_stop() {
  if [[ -n "$PG_DIR" && -d "$PG_DIR/data" ]]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
  PG_DIR=""
  unset DRIEHOEK_TEST_POSTGRES
}
