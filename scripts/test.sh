#!/usr/bin/env bash
# Run the collection's checks and test suites: lint (documentation, changelog, ansible-lint),
# docs (the documentation site), sanity, units, integration (against the local CircleCI
# stand-in), the end-to-end pytest suite when tests/e2e/ exists, and build (the collection built,
# installed from its tarball, and a smoke playbook run from the installed copy).
#
# Usage:
#   scripts/test.sh                         all stages
#   scripts/test.sh sanity units            only these stages (any of lint docs sanity units
#                                           integration e2e build)
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
ALL_STAGES=(lint docs sanity units integration e2e build)

# ---------------------------------------------------------------- arguments
stages=()
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        lint|docs|sanity|units|integration|e2e|build) stages+=("$1"); shift ;;
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
if [[ ${#extra[@]} -gt 0 && "${stages[0]}" =~ ^(lint|docs|build)$ ]]; then
    echo "test.sh: the ${stages[0]} stage takes no extra arguments (${extra[*]})" >&2
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

# integration_run TREE LOG TARGETS...: one ansible-test integration run in TREE against a stand-in
# of its own (started and stopped here), in a subshell so that runs can go side by side.
integration_run() (
    tree="$1"
    log="$2"
    shift 2
    trap stop_standin EXIT
    mkdir -p "$tree/tests/output" "$tree/tests/integration"
    # start_standin reads TREE and WORKDIR: give it this run's, for this call only.
    TREE="$tree" WORKDIR="$(dirname "$(dirname "$(dirname "$tree")")")" \
        start_standin "$tree/tests/output/standin-integration.log" >"$log" 2>&1 || exit 1
    cat >"$tree/tests/integration/integration_config.yml" <<EOF
---
circleci_api_url: http://127.0.0.1:$STANDIN_PORT
circleci_api_token: $STANDIN_TOKEN
EOF
    # --continue-on-error: run every target and list all failing ones, not just the first.
    # shellcheck disable=SC2086
    cd "$tree" && ansible-test integration --local --python 3.11 --continue-on-error \
        ${INTEGRATION_ARGS:-} "$@" >>"$log" 2>&1
)

stage_integration() {
    local jobs="${INTEGRATION_JOBS:-2}" rc=0 i
    if [[ ${#extra[@]} -gt 0 || "$jobs" -le 1 ]]; then
        integration_run "$TREE" "$WORKDIR/integration.log" "${extra[@]}"
        rc=$?
        cat "$WORKDIR/integration.log"
        return "$rc"
    fi
    # Ansible's cost is mostly CPU per task and the targets are independent, so they run in
    # $jobs groups side by side, each in its own copy of the tree with its own stand-in.
    # Largest targets first, each to the group with the least work so far (bytes of tasks).
    local -a groups weights pids
    for ((i = 0; i < jobs; i++)); do groups[i]=""; weights[i]=0; done
    local target size lightest
    while read -r size target; do
        lightest=0
        for ((i = 1; i < jobs; i++)); do
            if [[ ${weights[i]} -lt ${weights[lightest]} ]]; then lightest=$i; fi
        done
        groups[lightest]="${groups[lightest]} $target"
        weights[lightest]=$((weights[lightest] + size))
    done < <(cd "$TREE/tests/integration/targets" && for t in *; do
                 [[ -d "$t" && "$t" != setup_* && "$t" != prepare_* ]] || continue
                 printf '%s %s\n' "$(cat "$t"/tasks/*.yml "$t"/*.yml "$t"/*.sh 2>/dev/null | wc -c)" "$t"
             done | sort -rn)
    for ((i = 0; i < jobs; i++)); do
        [[ -n "${groups[i]}" ]] || continue
        local gtree="$WORKDIR/integration-$i/ansible_collections/community/circleci"
        mkdir -p "$(dirname "$gtree")"
        cp -a "$TREE" "$gtree"
        echo "integration group $i:${groups[i]}"
        # shellcheck disable=SC2086
        integration_run "$gtree" "$WORKDIR/integration-$i.log" ${groups[i]} &
        pids[i]=$!
    done
    for ((i = 0; i < jobs; i++)); do
        [[ -n "${pids[i]:-}" ]] || continue
        wait "${pids[i]}" || rc=1
        header "integration group $i:${groups[i]}"
        cat "$WORKDIR/integration-$i.log"
        cp -a "$WORKDIR/integration-$i/ansible_collections/community/circleci/tests/output/." "$TREE/tests/output/" 2>/dev/null || true
    done
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

# lint: the documentation (plugins, role and guides) as docs.ansible.com would render it, the
# changelog fragments, and ansible-lint over the playbooks and roles users copy from.
stage_lint() {
    local rc=0 had_ansible_dir=0
    [[ -e "$TREE/.ansible" ]] && had_ansible_dir=1
    echo "--- antsibull-docs lint-collection-docs"
    (cd "$TREE" && antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .) || rc=1
    echo "--- antsibull-changelog lint"
    (cd "$TREE" && antsibull-changelog lint) || rc=1
    echo "--- ansible-lint --offline examples/ roles/"
    (cd "$TREE" && ANSIBLE_COLLECTIONS_PATH="$WORKDIR" ansible-lint --offline examples/ roles/) || rc=1
    # ansible-lint leaves a cache in the tree, where later stages would take it for content.
    [[ "$had_ansible_dir" == 1 ]] || rm -rf "$TREE/.ansible"
    return "$rc"
}

# docs: the documentation site, offline, warnings as errors (what scripts/build-docs.sh does).
stage_docs() {
    bash "$ROOT/scripts/build-docs.sh" --collections "$WORKDIR" --dest "$WORKDIR/docsite"
}

# build: "ansible-galaxy collection build", the tarball's contents checked, installed into an
# empty folder, and scripts/smoke.yml plus the installed examples/demo.yml run from there against
# the stand-in, with nothing but the installed copy on the collection path.
stage_build() {
    local dist="$WORKDIR/dist" installed="$WORKDIR/installed" cwd="$WORKDIR/smoke" tarball rc=0 listing
    rm -rf "$dist" "$installed" "$cwd"
    mkdir -p "$dist" "$installed" "$cwd"
    (cd "$TREE" && ansible-galaxy collection build --output-path "$dist" .) || return 1
    tarball="$(ls "$dist"/community-circleci-*.tar.gz)"
    listing="$(tar -tzf "$tarball")" || return 1
    echo "--- $tarball: $(grep -c . <<<"$listing") entries"
    local path
    for path in MANIFEST.json FILES.json README.md meta/runtime.yml plugins/modules/circleci_context.py \
        plugins/action/circleci_pipeline_trigger.py plugins/lookup/pipelines.py plugins/doc_fragments/connection.py \
        plugins/module_utils/_client.py plugins/plugin_utils/_lookup_base.py roles/project/meta/argument_specs.yml \
        roles/project/tasks/main.yml docs/docsite/extra-docs.yml docs/docsite/links.yml \
        docs/docsite/rst/guide_getting_started.rst examples/demo.yml changelogs/config.yaml; do
        if ! grep -qx -- "$path" <<<"$listing"; then
            echo "build: the tarball lacks $path" >&2
            rc=1
        fi
    done
    # What galaxy.yml's build_ignore keeps out, and what must never ship.
    if grep -E '^(tests|scripts|dist|\.venv|\.ci|\.git|\.ansible|docs/docsite/build|docs/docsite/temp-rst)(/|$)|(^|/)__pycache__/|\.pyc$|^\.ansible-lint$|^requirements-dev\.txt$|\.tar\.gz$' <<<"$listing"; then
        echo "build: the tarball holds the files above, which build_ignore should keep out" >&2
        rc=1
    fi
    ansible-galaxy collection install --offline -p "$installed" "$tarball" || return 1
    local collection="$installed/ansible_collections/community/circleci"
    if ! ANSIBLE_COLLECTIONS_PATH="$installed" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
        ansible-doc community.circleci.circleci_context 2>&1 | grep -qF "($collection/plugins/modules/circleci_context.py)"; then
        echo "build: ansible-doc did not find circleci_context in the installed copy" >&2
        rc=1
    fi
    start_standin "$WORKDIR/standin-build.log" || return 1
    # From an empty folder, with the installed copy as the only collection: nothing may reach back
    # into the source tree. The examples run from inside the installed copy, as a user would.
    (
        cd "$cwd" || exit 1
        export ANSIBLE_COLLECTIONS_PATH="$installed" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
        export CIRCLECI_API_URL="http://127.0.0.1:$STANDIN_PORT" CIRCLECI_TOKEN="$STANDIN_TOKEN"
        export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
        cp "$ROOT/scripts/smoke.yml" "$cwd/smoke.yml"
        echo "--- smoke.yml"
        ansible-playbook smoke.yml || exit 1
        # Its idempotence is checked by the examples integration target.
        echo "--- examples/demo.yml from the installed copy"
        ansible-playbook "$collection/examples/demo.yml" || exit 1
    ) || rc=1
    stop_standin
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
