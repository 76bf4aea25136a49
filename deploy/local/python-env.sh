#!/usr/bin/env bash
# A Python virtual environment with the real clients the compatibility tests drive
# (deploy/local/python/requirements.txt), made once under .infra/ and remade when that file changes.
# Prints the environment's python on stdout. Needs python3 (3.9+) with its venv module.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
INFRA_DIR="${BORDERLINE_INFRA_DIR:-$ROOT/.infra}"
VENV="$INFRA_DIR/python-venv"
REQUIREMENTS="$HERE/python/requirements.txt"

log() { printf '[python-env] %s\n' "$*" >&2; }
die() { printf '[python-env] error: %s\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null 2>&1 || die "python3 (3.9 or newer, with venv) is required: Debian: apt-get install python3 python3-venv"
want="$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$want" ]; then
  log "creating $VENV from $REQUIREMENTS (first run only) ..."
  started=$SECONDS
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS" >&2 \
    || die "pip could not install $REQUIREMENTS (see above)"
  echo "$want" >"$VENV/.installed"
  log "ready in $((SECONDS - started)) s"
fi
echo "$VENV/bin/python"
