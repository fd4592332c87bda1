#!/usr/bin/env bash
# Installs everything Driehoek needs to build and test, idempotently.
# Tools are cached under $DRIEHOEK_CACHE (default ~/.cache/driehoek) and only installed when the
# cached copy is missing or has the wrong version. Source this file to get the PATH and the shared
# target directory; run it to install only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DRIEHOEK_CACHE="${DRIEHOEK_CACHE:-$HOME/.cache/driehoek}"
TOOLS="$DRIEHOEK_CACHE/tools"
# One target directory for every build of the project (app, server, tests), kept between runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DRIEHOEK_CACHE/target}"
TRUNK_VERSION="0.21.14"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

mkdir -p "$TOOLS/bin"
export PATH="$TOOLS/bin:$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first (https://rustup.rs)."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  say "Adding rustfmt and clippy"
  rustup component add rustfmt clippy
fi

# Debian packages: Chromium and its driver for the browser tests, Node.js for Playwright, and
# faketime.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# faketime: the native tests are also run under other wall clocks (scripts/any-hour.sh).
command -v faketime >/dev/null || need_apt+=(faketime)
# Python's venv, for the contract test's tools (scripts/venv.sh).
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
# PostgreSQL 15's server programs, for the tests and the benchmark on PostgreSQL (they start a
# throw-away cluster of their own: scripts/postgres.sh); the run command does not need it.
if [ "${DRIEHOEK_NEEDS_POSTGRES:-0}" = "1" ] && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  need_apt+=(postgresql-15)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "Installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "Installing trunk $TRUNK_VERSION into $TOOLS (a few minutes, once)"
  cargo install --locked --quiet trunk --version "$TRUNK_VERSION" --root "$TOOLS"
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
cd "$ROOT"
cargo fetch --quiet
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WB_VERSION into $TOOLS (a few minutes, once)"
  # Not --locked: the registry here lacks a crate that the CLI's own lockfile names.
  cargo install --quiet --force wasm-bindgen-cli --version "=$WB_VERSION" --root "$TOOLS"
fi

# The shared target directory keeps the dependencies compiled across checkouts (a CI clone, a
# worktree). But cargo names our own packages' artifacts relative to the workspace root, so after
# another checkout built, it would take that checkout's artifacts as fresh for this one. When the
# checkout changes, rebuild our own packages (the dependencies stay).
# The mark is kept per target folder, so that two checkouts with target folders of their own (a
# second work tree with its own CARGO_TARGET_DIR) never clean each other's builds.
LAST_CHECKOUT="$CARGO_TARGET_DIR/.driehoek-last-checkout"
if [ "$(cat "$LAST_CHECKOUT" 2>/dev/null)" != "$ROOT" ]; then
  if [ -n "$(ls -A "$CARGO_TARGET_DIR" 2>/dev/null)" ]; then
    say "Another checkout built last: rebuilding Driehoek's own packages for this one"
    ours=(-p driehoek -p driehoek-core -p driehoek-web -p driehoek-beheer)
    cargo clean --quiet "${ours[@]}" -p driehoek-server
    cargo clean --quiet --release "${ours[@]}" -p driehoek-server
    cargo clean --quiet --target wasm32-unknown-unknown "${ours[@]}"
    cargo clean --quiet --release --target wasm32-unknown-unknown "${ours[@]}"
  fi
  mkdir -p "$CARGO_TARGET_DIR"
  echo "$ROOT" > "$LAST_CHECKOUT"
fi

# The contract test's tools from PyPI, pinned, in a virtual environment (scripts/contract.sh).
source "$ROOT/scripts/venv.sh"

# npm packages: wasm-opt (binaryen), Playwright's library (no browser download), axe-core.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi
