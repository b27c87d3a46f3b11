#!/usr/bin/env bash
# Run the collection's test suites: sanity, units, integration (against the local CircleCI
# stand-in) and, when tests/e2e/ exists, the end-to-end pytest suite.
#
# Usage:
#   scripts/test.sh                         all stages
#   scripts/test.sh sanity units            only these stages (any of sanity units integration e2e)
#   scripts/test.sh integration circleci_envvar   extra arguments go to the one selected stage
#   scripts/test.sh sanity -- --test pep8   ("--" also separates them)
#
# Extra arguments can also come from the environment (split on spaces):
#   SANITY_ARGS, UNITS_ARGS, INTEGRATION_ARGS, E2E_ARGS
# Other environment:
#   CIRCLECI_WORK          where to build the ansible_collections tree (default: a new temp dir,
#                          removed at the end unless KEEP_TREE=1)
#   CIRCLECI_STANDIN_TOKEN API token for the stand-in (default: its built-in default token)
#
# Every stage runs even when an earlier one failed; the exit status is non-zero when any failed.
# ansible-test reports (tests/output/) are copied back into the repository's tests/output/.

# Stages are called indirectly ("stage_$name") and cleanup from a trap.
# shellcheck disable=SC2317
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
ALL_STAGES=(sanity units integration e2e)

# ---------------------------------------------------------------- arguments
stages=()
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        sanity|units|integration|e2e) stages+=("$1"); shift ;;
        all) stages+=("${ALL_STAGES[@]}"); shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) extra=("$@"); break ;;
    esac
done
if [[ ${#stages[@]} -eq 0 ]]; then
    stages=("${ALL_STAGES[@]}")
fi
# Keep the canonical order and drop repeats.
selected=()
for s in "${ALL_STAGES[@]}"; do
    for t in "${stages[@]}"; do
        if [[ "$s" == "$t" ]]; then selected+=("$s"); break; fi
    done
done
stages=("${selected[@]}")
if [[ ${#extra[@]} -gt 0 && ${#stages[@]} -ne 1 ]]; then
    echo "test.sh: extra arguments (${extra[*]}) need exactly one stage, e.g. 'test.sh integration ${extra[*]}'" >&2
    exit 2
fi

# ---------------------------------------------------------------- helpers
header() {
    printf '\n==================== %s ====================\n' "$*"
}

WORKDIR=""
TREE=""
REMOVE_WORKDIR=0
# shellcheck source=scripts/_standin.sh
source "$ROOT/scripts/_standin.sh"

copy_reports() {
    if [[ -n "$TREE" && -d "$TREE/tests/output" ]]; then
        mkdir -p "$ROOT/tests/output"
        cp -a "$TREE/tests/output/." "$ROOT/tests/output/"
    fi
}

cleanup() {
    stop_standin
    copy_reports
    if [[ "$REMOVE_WORKDIR" == 1 && -n "$WORKDIR" ]]; then
        rm -rf "$WORKDIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- stages
# Each stage runs in the tree with the venv first on PATH, and returns its exit status.

stage_sanity() {
    # shellcheck disable=SC2086
    (cd "$TREE" && ansible-test sanity --python 3.11 ${SANITY_ARGS:-} "${extra[@]}")
}

stage_units() {
    if [[ ! -d "$TREE/tests/unit" ]]; then
        echo "test.sh: no tests/unit/ directory: no unit tests to run" >&2
        return 1
    fi
    # shellcheck disable=SC2086
    (cd "$TREE" && ansible-test units --python 3.11 ${UNITS_ARGS:-} "${extra[@]}")
}

stage_integration() {
    local rc
    mkdir -p "$TREE/tests/output"
    start_standin "$TREE/tests/output/standin-integration.log" || return 1
    mkdir -p "$TREE/tests/integration"
    cat >"$TREE/tests/integration/integration_config.yml" <<EOF
---
circleci_api_url: http://127.0.0.1:$STANDIN_PORT
circleci_api_token: $STANDIN_TOKEN
EOF
    # --continue-on-error: run every target and list all failing ones, not just the first.
    # shellcheck disable=SC2086
    (cd "$TREE" && ansible-test integration --local --python 3.11 --continue-on-error \
        ${INTEGRATION_ARGS:-} "${extra[@]}")
    rc=$?
    stop_standin
    return "$rc"
}

stage_e2e() {
    local rc
    # shellcheck disable=SC2086
    (cd "$TREE" && CIRCLECI_COLLECTIONS_ROOT="$WORKDIR" ANSIBLE_COLLECTIONS_PATH="$WORKDIR" \
        python -m pytest -p no:cacheprovider tests/e2e ${E2E_ARGS:-} "${extra[@]}")
    rc=$?
    if [[ "$rc" == 5 ]]; then
        echo "test.sh: pytest collected no tests under tests/e2e/ (exit 5): counted as skipped, not failed"
    fi
    return "$rc"
}

# ---------------------------------------------------------------- main
header "bootstrap"
if ! bash "$ROOT/scripts/bootstrap.sh"; then
    echo "test.sh: bootstrap failed" >&2
    exit 1
fi
export PATH="$VENV/bin:$PATH"
export VIRTUAL_ENV="$VENV"
# ansible-test sets up its own collection search path; a stray one from the caller only confuses.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS

if [[ -n "${CIRCLECI_WORK:-}" ]]; then
    WORKDIR="$CIRCLECI_WORK"
else
    WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/community.circleci-test.XXXXXX")"
    [[ "${KEEP_TREE:-0}" == 1 ]] || REMOVE_WORKDIR=1
fi
if ! TREE="$(bash "$ROOT/scripts/collection_tree.sh" "$WORKDIR")"; then
    echo "test.sh: could not build the collection tree" >&2
    exit 1
fi
WORKDIR="$(cd "$WORKDIR" && pwd -P)"
echo "collection tree: $TREE"

declare -A result seconds
failed=0
for stage in "${stages[@]}"; do
    if [[ "$stage" == e2e && ! -d "$TREE/tests/e2e" ]]; then
        header "e2e: skipped (no tests/e2e/)"
        result[$stage]="SKIPPED (no tests/e2e/)"
        seconds[$stage]=0
        continue
    fi
    header "$stage"
    start=$SECONDS
    "stage_$stage"
    rc=$?
    seconds[$stage]=$((SECONDS - start))
    if [[ "$rc" == 0 ]]; then
        result[$stage]="PASSED"
    elif [[ "$stage" == e2e && "$rc" == 5 ]]; then
        result[$stage]="SKIPPED (no tests collected)"
    else
        result[$stage]="FAILED (exit $rc)"
        failed=1
    fi
done

header "summary"
n_passed=0 n_failed=0 n_skipped=0
for stage in "${stages[@]}"; do
    printf '%-12s %-30s %5ss\n' "$stage" "${result[$stage]}" "${seconds[$stage]}"
    case "${result[$stage]}" in
        PASSED) n_passed=$((n_passed + 1)) ;;
        SKIPPED*) n_skipped=$((n_skipped + 1)) ;;
        *) n_failed=$((n_failed + 1)) ;;
    esac
done
if [[ "$failed" != 0 ]]; then
    echo "test.sh: FAILED"
else
    echo "test.sh: all selected stages passed"
fi
echo "stages: $n_passed passed, $n_failed failed, $n_skipped skipped"
exit "$failed"
