#!/usr/bin/env bash
# Show the collection at work against the local CircleCI stand-in: runs examples/demo.yml twice
# and checks that the second run changes nothing (changed=0 on every host).
#
# Usage: scripts/demo.sh [extra ansible-playbook arguments, e.g. -v or --diff]
#
# Environment: CIRCLECI_WORK (where to build the ansible_collections tree; default a temp dir,
# removed at the end unless KEEP_TREE=1), CIRCLECI_STANDIN_TOKEN (token for the stand-in).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PLAYBOOK="examples/demo.yml"

WORKDIR=""
TREE=""
REMOVE_WORKDIR=0
# shellcheck source=scripts/_standin.sh
source "$ROOT/scripts/_standin.sh"

cleanup() {
    stop_standin
    if [[ "$REMOVE_WORKDIR" == 1 && -n "$WORKDIR" ]]; then
        rm -rf "$WORKDIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

header() {
    printf '\n==================== %s ====================\n' "$*"
}

# recap FILE: the PLAY RECAP lines of an ansible-playbook log (without the header line).
recap() {
    sed -n '/^PLAY RECAP/,/^$/p' "$1" | grep -E '^[^ ].* : ok=' || true
}

header "bootstrap"
bash "$ROOT/scripts/bootstrap.sh" || { echo "demo.sh: bootstrap failed" >&2; exit 1; }
export PATH="$VENV/bin:$PATH"
export VIRTUAL_ENV="$VENV"

if [[ ! -f "$ROOT/$PLAYBOOK" ]]; then
    echo "demo.sh: $PLAYBOOK is missing" >&2
    exit 1
fi

if [[ -n "${CIRCLECI_WORK:-}" ]]; then
    WORKDIR="$CIRCLECI_WORK"
else
    WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/community.circleci-demo.XXXXXX")"
    [[ "${KEEP_TREE:-0}" == 1 ]] || REMOVE_WORKDIR=1
fi
TREE="$(bash "$ROOT/scripts/collection_tree.sh" "$WORKDIR")" || { echo "demo.sh: could not build the collection tree" >&2; exit 1; }
WORKDIR="$(cd "$WORKDIR" && pwd -P)"
echo "collection tree: $TREE"

header "stand-in"
start_standin "$WORKDIR/standin-demo.log" || exit 1

# ansible-core 2.19 reads ANSIBLE_COLLECTIONS_PATH (singular); the plural is ignored.
unset ANSIBLE_COLLECTIONS_PATHS
export ANSIBLE_COLLECTIONS_PATH="$WORKDIR"
export CIRCLECI_API_URL="http://127.0.0.1:$STANDIN_PORT"
export CIRCLECI_TOKEN="$STANDIN_TOKEN"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-1}"

status=0
rcs=()
for run in 1 2; do
    header "run $run: ansible-playbook $PLAYBOOK${*:+ $*}"
    (cd "$TREE" && ansible-playbook "$PLAYBOOK" "$@") 2>&1 | tee "$WORKDIR/run$run.log"
    rc="${PIPESTATUS[0]}"
    if [[ "$rc" != 0 ]]; then
        echo "demo.sh: run $run failed (ansible-playbook exit $rc)" >&2
        status=1
    fi
    rcs[run]="$rc"
done

header "recap"
for run in 1 2; do
    echo "run $run:"
    recap "$WORKDIR/run$run.log" | sed 's/^/    /'
done

second="$(recap "$WORKDIR/run2.log")"
if [[ -z "$second" ]]; then
    echo "demo.sh: FAILED: the second run printed no PLAY RECAP" >&2
    exit 1
fi
if grep -qvE ' changed=0 ' <<<"$second"; then
    echo "demo.sh: FAILED: the second run changed something (it must be idempotent)" >&2
    exit 1
fi
if [[ "$status" != 0 ]]; then
    echo "demo.sh: FAILED (ansible-playbook exit codes: run 1 ${rcs[1]}, run 2 ${rcs[2]})" >&2
    exit 1
fi
echo "demo.sh: OK: both runs succeeded and the second run changed nothing"
