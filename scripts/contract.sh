#!/usr/bin/env bash
# The contract, tried from the outside: checks server/openapi.yaml with an independent validator,
# then runs schemathesis against the real server with the demo school, once with a parent's
# access code and once with the school's admin token, with every check on. Fails on any 5xx, any
# answer the spec does not describe, and any request valid by the spec that the server refuses.
#
# Needs the debug server: `cargo build -p driehoek-server` (scripts/test.sh builds it first).
# The tools are installed by scripts/venv.sh, only when missing or of another version.
# CONTRACT_EXAMPLES sets the examples per operation and run (default 40: both runs together take
# about 75 seconds on two busy cores).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DRIEHOEK_CACHE="${DRIEHOEK_CACHE:-$HOME/.cache/driehoek}"
SERVER="${CARGO_TARGET_DIR:-$DRIEHOEK_CACHE/target}/debug/driehoek-server"
EXAMPLES="${CONTRACT_EXAMPLES:-40}"
# The moment the server's clock starts at, as in the browser tests: the demo school's dates and
# deadlines are then the same on every run.
MOMENT="2026-11-23T10:00"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'contract: %s\n' "$*" >&2; exit 1; }

[ -x "$SERVER" ] || die "$SERVER is missing: run cargo build -p driehoek-server first."

source scripts/venv.sh

say "Validating server/openapi.yaml (openapi-spec-validator $VALIDATOR_VERSION)"
"$VENV/bin/openapi-spec-validator" server/openapi.yaml

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir "$WORK/dist"
echo '<!doctype html><title>Driehoek</title>' > "$WORK/dist/index.html"
# Writes and failed logins are not limited here: schemathesis sends them as fast as the server
# answers, and its checks send wrong credentials on purpose (the limits are tested natively).
RUST_LOG=warn "$SERVER" serve --addr 127.0.0.1:0 --demo --db "$WORK/school.sqlite3" \
  --dist "$WORK/dist" --clock "$MOMENT" --write-rate 100000 --write-burst 100000 \
  --login-rate 100000 --login-burst 100000 \
  > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  grep -q 'beheercode' "$WORK/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; die "the server did not start"; }
  sleep 0.1
done
URL="$(sed -n 's|^Driehoek draait op \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$WORK/server.out")"
SCHOOL="$(sed -n 's|^Demoschool: .*[?&]school=\([a-z0-9-]*\).*|\1|p' "$WORK/server.out")"
CODE="$(sed -n 's|^Demoschool: .*[?&]code=\([0-9a-f]*\).*|\1|p' "$WORK/server.out")"
ADMIN="$(sed -n 's|^Demoschool beheercode[^:]*: *\([0-9a-f]*\)$|\1|p' "$WORK/server.out")"
[ -n "$URL" ] && [ -n "$SCHOOL" ] && [ -n "$CODE" ] && [ -n "$ADMIN" ] \
  || die "could not read the address and codes from: $(cat "$WORK/server.out")"

# The stateful phase is left out: the spec declares no links, and the links schemathesis infers
# send RSVPs to activities read from the content, closed ones too (a rule of time, not of shape).
# One worker: two threads parsing at once trip a bug of Python 3.11's ast module in hypothesis.
#
# One run of schemathesis with one credential: $1 names the run, $2 the security scheme, $3 the
# token. The parents' run goes first: the school's run publishes fuzzed content over the demo.
run() {
  local name="$1" scheme="$2" token="$3"
  cat > "$WORK/$name.toml" <<EOF
[parameters]
"path.school" = "$SCHOOL"

[generation]
# No example database: every run starts from the seed alone.
database = "none"

# Values are not taken from earlier answers: an activity id read from the content may be one
# whose deadline has passed, and the spec's examples go together (the ids in path and body).
[phases.examples.extra-data-sources]
responses = false
[phases.coverage.extra-data-sources]
responses = false
[phases.fuzzing.extra-data-sources]
responses = false

[auth.openapi.$scheme]
bearer = "$token"

[checks.missing_required_header]
# 428: a write that must say which version it replaces (If-Match) and does not.
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]

# The coverage phase enumerates every boundary of a body's schema; for the content (some forty
# schemas deep) that takes minutes and gigabytes. Fuzzing still sends it valid and invalid
# content, with every check.
[[operations]]
include-operation-id = "content_put"
phases.coverage.enabled = false
EOF
  say "Schemathesis as $name ($EXAMPLES examples per operation)"
  # Run from the temporary folder: hypothesis keeps its caches beside the cache, not in the tree.
  (cd "$WORK" && CONTRACT_URL="$URL" CONTRACT_SCHOOL="$SCHOOL" CONTRACT_TOKEN="$token" \
    CONTRACT_NOW="$MOMENT:00" CONTRACT_SPEC="$ROOT/server/openapi.yaml" \
    SCHEMATHESIS_HOOKS=contract_hooks PYTHONPATH="$ROOT/scripts" \
    HYPOTHESIS_STORAGE_DIRECTORY="$DRIEHOEK_CACHE/hypothesis" \
    "$VENV/bin/schemathesis" --no-color --config-file "$WORK/$name.toml" run "$ROOT/server/openapi.yaml" \
    --url "$URL" --checks all --max-examples "$EXAMPLES" --seed 19 --workers 1 \
    --phases examples,coverage,fuzzing \
    --report-dir "$WORK/report-$name")
}

run parent accessCode "$CODE"
run school adminToken "$ADMIN"
