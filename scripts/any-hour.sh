#!/usr/bin/env bash
# The native tests of the core and the server, run again under other wall clocks with Debian's
# faketime: just before and after noon, a Friday evening, a Sunday, New Year's Eve and New Year's
# night, both daylight-saving changes in Europe/Amsterdam, and a day in the summer holiday. Every
# test states the moment it plays at, so each clock must give the same result; a test that reads
# the real clock for a decision fails here at one of them. The monotonic clock is left alone, so
# timeouts and rate limits still see real time pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# Wall clocks in UTC (faketime reads them in the TZ below); Amsterdam time in the comments.
CLOCKS=(
  "2026-12-04 21:30:00" # Friday 22:30, when the test command once failed
  "2026-12-04 10:58:00" # Friday 11:58, two minutes before a noon deadline
  "2026-12-04 11:01:00" # Friday 12:01, just after it
  "2026-12-06 12:00:00" # Sunday 13:00
  "2026-12-31 22:30:00" # 31 December 23:30
  "2026-12-31 23:30:00" # 1 January 00:30
  "2027-03-28 01:30:00" # the spring change: 03:30 summer time, an hour skipped
  "2026-10-25 00:30:00" # the autumn change: 02:30 summer time, the hour that comes twice
  "2027-07-28 09:00:00" # a Wednesday in the summer holiday, 11:00
)

# faketime must really move the wall clock here, or every run below proves nothing.
[ "$(TZ=UTC faketime -f "@2001-02-03 04:05:06" date +%Y)" = 2001 ] || die "faketime does not change the clock"

say "Building the native test binaries of the core and the server"
mapfile -t BINARIES < <(
  cargo test -p driehoek-core -p driehoek-server --no-run --message-format=json --quiet |
    node -e '
      let text = "";
      process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
        for (const line of text.split("\n")) {
          if (!line.startsWith("{")) continue;
          const message = JSON.parse(line);
          if (message.reason === "compiler-artifact" && message.profile.test && message.executable) {
            // The package folder too: tests run from there, as under cargo test.
            console.log(`${require("path").dirname(message.manifest_path)}\t${message.executable}`);
          }
        }
      });'
)
[ ${#BINARIES[@]} -gt 0 ] || die "no test binaries found"
LIBFAKETIME="$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n1)"
[ -n "$LIBFAKETIME" ] || LIBFAKETIME=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -f "$LIBFAKETIME" ] || die "libfaketime.so.1 not found (Debian's package libfaketime)"
[ "$(TZ=UTC FAKETIME="@2001-02-03 04:05:06" LD_PRELOAD="$LIBFAKETIME" date +%Y)" = 2001 ] \
  || die "libfaketime does not change the clock"

failed=0
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
for clock in "${CLOCKS[@]}"; do
  say "Native tests at $clock UTC (faketime)"
  for entry in "${BINARIES[@]}"; do
    package_dir="${entry%%$'\t'*}"
    binary="${entry#*$'\t'}"
    # libfaketime preloaded directly: the `faketime` wrapper opens a named semaphore per process
    # id in /dev/shm, and one left behind by a killed run makes a later process with the same id
    # fail before any test runs ("sem_open: File exists").
    if ! (cd "$package_dir" && TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME="@$clock" \
      LD_PRELOAD="$LIBFAKETIME" "$binary" --quiet >"$LOG" 2>&1); then
      cat "$LOG"
      echo "FAILED at $clock UTC: $binary" >&2
      failed=1
    fi
  done
done
[ "$failed" -eq 0 ] || die "a native test depends on the wall clock (see above)"
say "The native tests pass at all ${#CLOCKS[@]} clocks"
