#!/usr/bin/env bash
# The Python tools of the contract test (scripts/contract.sh), pinned, in a virtual environment
# under $DRIEHOEK_CACHE/venv: installed only when missing or of another version. Sourced by
# scripts/setup.sh and scripts/contract.sh; sets VENV.
DRIEHOEK_CACHE="${DRIEHOEK_CACHE:-$HOME/.cache/driehoek}"
VENV="$DRIEHOEK_CACHE/venv"
VALIDATOR_VERSION="0.9.0"
SCHEMATHESIS_VERSION="4.32.5"

venv_has_tools() {
  "$VENV/bin/python" - "$@" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
pairs = zip(sys.argv[1::2], sys.argv[2::2])
sys.exit(0 if all(version(name) == wanted for name, wanted in pairs) else 1)
PY
}

if ! venv_has_tools openapi-spec-validator "$VALIDATOR_VERSION" schemathesis "$SCHEMATHESIS_VERSION"; then
  printf '\033[1m==> %s\033[0m\n' "Installing openapi-spec-validator $VALIDATOR_VERSION and schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$VALIDATOR_VERSION" "schemathesis==$SCHEMATHESIS_VERSION"
fi
