#!/usr/bin/env bash
# Set up the development environment; safe to run again (fast when nothing changed):
# .venv (Python 3.11) with requirements-dev.txt installed; a stamp file holding the hash of the
# requirement files skips "pip install" when they have not changed.
#
# It writes nothing outside the checkout but pip's download cache and an empty lock file in
# ${TMPDIR:-/tmp}. (scripts/test.sh prepares what ansible-test needs in a HOME of its own.)
#
# Environment: PYTHON (interpreter used to create .venv; default python3.11, else python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.requirements.sha256"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# Two runs at once (e.g. test.sh and demo.sh) must not install into .venv together.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/community.circleci-bootstrap-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
    flock 9
fi

if [[ -z "${PYTHON:-}" ]]; then
    if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating $VENV with $PYTHON ($("$PYTHON" --version 2>&1))"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

# Hash of everything that decides what gets installed.
want="$(cat "$ROOT/requirements-dev.txt" "$ROOT/requirements.txt" 2>/dev/null | sha256sum | cut -d' ' -f1)"
want="$want $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')"
have="$(cat "$STAMP" 2>/dev/null || true)"

if [[ "$want" != "$have" ]]; then
    log "installing requirements-dev.txt into .venv"
    rm -f "$STAMP"
    # This machine's pip config names local package indexes that may be absent; pip then warns
    # once per package. Hide those lines, keep everything else.
    set +o pipefail
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r requirements-dev.txt 2>&1) | { grep -v "^WARNING: Location 'file:" >&2 || true; }
    rc="${PIPESTATUS[0]}"
    set -o pipefail
    if [[ "$rc" != 0 ]]; then
        log "pip install failed (exit $rc)"
        exit "$rc"
    fi
    printf '%s\n' "$want" > "$STAMP"
else
    log ".venv is up to date"
fi
