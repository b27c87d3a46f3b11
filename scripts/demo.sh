#!/usr/bin/env bash
# Show the collection at work against the local CircleCI stand-in: runs examples/demo.yml (or
# another playbook) twice and checks that the second run changes nothing (changed=0 on every
# host).
#
# Usage: scripts/demo.sh [PLAYBOOK] [--once] [extra ansible-playbook arguments, e.g. -v or --diff]
#   PLAYBOOK   a playbook of the checkout (default examples/demo.yml), e.g.
#              examples/provision_project.yml; examples/deploy_gate.yml runs once, with the
#              stand-in given the project's deploy workflow (build -> approval -> deploy, which
#              releases api-server 1.3.0) and quick polling; add -e gate_check_url=<an address
#              that fails> to see the rollback path
#   --once     run it once, without the idempotence check (for a playbook that is not
#              idempotent)
#
# Environment: CIRCLECI_WORK (where to build the ansible_collections tree; default a temp dir,
# removed at the end unless KEEP_TREE=1), CIRCLECI_STANDIN_TOKEN (token for the stand-in).
# Outside the checkout it writes only that temp dir (Ansible's own files go there too) and what
# scripts/bootstrap.sh writes.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PLAYBOOK="examples/demo.yml"
RUNS=2
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
fi
if [[ $# -gt 0 && "$1" != -* && "$1" =~ \.ya?ml$ ]]; then
    PLAYBOOK="$1"
    shift
fi
if [[ $# -gt 0 && "$1" == --once ]]; then
    RUNS=1
    shift
fi

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

# A playbook of the checkout runs from the tree's copy, so give its path from the repository root.
case "$PLAYBOOK" in
    "$ROOT"/*) PLAYBOOK="${PLAYBOOK#"$ROOT"/}" ;;
    ./*) PLAYBOOK="${PLAYBOOK#./}" ;;
esac
if [[ ! -f "$ROOT/$PLAYBOOK" ]]; then
    echo "demo.sh: $PLAYBOOK is not a playbook of this checkout (give its path from the repository root)" >&2
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
# Ansible's own files (~/.ansible/tmp and the like) go into the work dir, not into HOME.
export ANSIBLE_HOME="$WORKDIR/ansible"

extra_vars=()
if [[ "$(basename "$PLAYBOOK")" == deploy_gate.yml ]]; then
    # The project's CircleCI configuration that the playbook's header describes: a workflow
    # "deploy" whose build job passes, then an approval job, then the deploy. A deploy is not
    # idempotent (each run triggers a pipeline): one run.
    RUNS=1
    printf 'circleci_api_url: %s\ncircleci_api_token: %s\n' "$CIRCLECI_API_URL" "$STANDIN_TOKEN" >"$WORKDIR/standin.yml"
    "$VENV/bin/python" "$TREE/tests/integration/targets/examples/standin.py" "$WORKDIR/standin.yml" seed \
        '{"pipeline_plans": [{"project_slug": "gh/acme/api", "branch": "main", "workflows": [{"name": "deploy", "jobs": [
          {"name": "build"}, {"name": "hold-for-approval", "type": "approval", "requires": ["build"]},
          {"name": "deploy", "requires": ["hold-for-approval"],
           "release": {"component": "api-server", "environment": "production", "version": "1.3.0"}}]}]}]}' || exit 1
    echo "stand-in: gh/acme/api's main branch runs the workflow deploy: build -> hold-for-approval -> deploy (releases api-server 1.3.0 to production)"
    extra_vars=(-e gate_poll_interval=0.2 -e gate_wait_timeout=60)
fi

status=0
rcs=()
for ((run = 1; run <= RUNS; run++)); do
    header "run $run: ansible-playbook $PLAYBOOK${extra_vars[*]:+ ${extra_vars[*]}}${*:+ $*}"
    (cd "$TREE" && ansible-playbook "$PLAYBOOK" "${extra_vars[@]}" "$@") 2>&1 | tee "$WORKDIR/run$run.log"
    rc="${PIPESTATUS[0]}"
    if [[ "$rc" != 0 ]]; then
        echo "demo.sh: run $run failed (ansible-playbook exit $rc)" >&2
        status=1
    fi
    rcs[run]="$rc"
done

header "recap"
for ((run = 1; run <= RUNS; run++)); do
    echo "run $run:"
    recap "$WORKDIR/run$run.log" | sed 's/^/    /'
done

if [[ "$RUNS" == 1 ]]; then
    if [[ "$status" != 0 ]]; then
        echo "demo.sh: FAILED (ansible-playbook exit code ${rcs[1]})" >&2
        exit 1
    fi
    echo "demo.sh: OK: $PLAYBOOK succeeded"
    exit 0
fi
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
echo "demo.sh: OK: both runs of $PLAYBOOK succeeded and the second run changed nothing"
