#!/usr/bin/env bash
# Run the collection's checks and test suites: lint (documentation, changelog, ansible-lint),
# docs (the documentation site), sanity, units, integration (against the local CircleCI
# stand-in), the end-to-end pytest suite when tests/e2e/ exists, build (the collection built,
# installed from its tarball, and a smoke playbook run from the installed copy) and awx (an
# execution environment's build context from ansible-builder, and the demo run twice by
# ansible-runner as an AWX job).
#
# Usage:
#   scripts/test.sh                         all stages
#   scripts/test.sh sanity units            only these stages (any of lint docs sanity units
#                                           integration e2e build awx)
#   scripts/test.sh integration circleci_envvar   extra arguments go to the one selected stage
#   scripts/test.sh sanity -- --test pep8   ("--" also separates them)
#
# Extra arguments can also come from the environment (split on spaces):
#   SANITY_ARGS, UNITS_ARGS, INTEGRATION_ARGS, E2E_ARGS
# Other environment:
#   CIRCLECI_WORK          where to build the ansible_collections tree (default: a new temp dir,
#                          removed at the end unless KEEP_TREE=1)
#   CIRCLECI_STANDIN_TOKEN API token for the stand-in (default: its built-in default token)
#   CIRCLECI_TEST_HOME     the HOME every stage runs with (default: a new folder in the work
#                          dir); give a folder you keep to reuse ansible-test's sanity virtual
#                          environments from one run to the next
#   INTEGRATION_JOBS       integration groups run side by side (default 2)
#
# Nothing comes from your HOME: the stages run with a HOME of their own, where ansible-test's
# SSH key and pip bootstrap script are made before the first stage (your pip configuration and
# pip's download cache still apply). Every stage runs even when an earlier one failed; the exit
# status is non-zero when any failed, and the summary names, for each failed stage, its first
# fatal line and (integration) the targets that failed or never ran. Each stage's output is kept
# in tests/output/logs/<stage>.log; ansible-test reports (tests/output/) are copied back into the
# repository's tests/output/.

# Stages are called indirectly ("stage_$name") and cleanup from a trap.
# shellcheck disable=SC2317
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
ALL_STAGES=(lint docs sanity units integration e2e build awx)

# ---------------------------------------------------------------- arguments
stages=()
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        lint|docs|sanity|units|integration|e2e|build|awx) stages+=("$1"); shift ;;
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
if [[ ${#extra[@]} -gt 0 && "${stages[0]}" =~ ^(lint|docs|build|awx)$ ]]; then
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

# integration_planned ARGS...: the targets "ansible-test integration ARGS" would run, one a line.
integration_planned() {
    (cd "$TREE" && ansible-test integration --list-targets --local --python 3.11 "$@" 2>/dev/null) \
        | while read -r name; do
              [[ -d "$TREE/tests/integration/targets/$name" ]] && printf '%s\n' "$name"
          done
}

# The targets the integration stage meant to run (the summary names those that never started).
INTEGRATION_PLANNED=()

stage_integration() {
    local jobs="${INTEGRATION_JOBS:-2}" rc=0 i
    if [[ ${#extra[@]} -gt 0 || "$jobs" -le 1 ]]; then
        mapfile -t INTEGRATION_PLANNED < <(integration_planned "${extra[@]}")
        integration_run "$TREE" "$WORKDIR/integration.log" "${extra[@]}"
        rc=$?
        cat "$WORKDIR/integration.log"
        return "$rc"
    fi
    # Ansible's cost is mostly CPU per task and the targets are independent, so they run in
    # $jobs groups side by side, each in its own copy of the tree with its own stand-in. They
    # share HOME, where the SSH key that ansible-test would otherwise create in each of them at
    # once already exists (setup_home).
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
        INTEGRATION_PLANNED+=("$target")
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

# awx: the collection as AWX / Automation Platform runs it.
# (a) The execution environment: "ansible-builder create" on execution-environment.yml, with the
#     collection taken from this tree's tarball instead of Galaxy. The build context must install
#     it, and the context's own introspect script (what the build runs once the collections are
#     in) must find the collection's Python requirements (requirements.txt) in it.
# (b) A job: examples/demo.yml run twice by ansible-runner, each time from a private data folder
#     laid out as AWX lays one out for a job (awx_job_folder), against the stand-in. The job
#     events must show changes in the first job and none in the second, the stand-in must have
#     received no write during the second, and no secret may appear in any event or artifact but
#     ansible-runner's "command" (its record of the job's environment).
stage_awx() {
    local awx="$WORKDIR/awx" tarball rc=0 job mark tool expect writes
    rm -rf "$awx"
    mkdir -p "$awx/dist"
    for tool in ansible-builder ansible-runner; do
        command -v "$tool" >/dev/null || { echo "awx: $tool not found (requirements-dev.txt installs it)"; return 1; }
    done
    (cd "$TREE" && ansible-galaxy collection build --output-path "$awx/dist" .) || return 1
    tarball="$(ls "$awx/dist"/community-circleci-*.tar.gz)"

    echo "--- ansible-builder create: execution-environment.yml, the collection from $(basename "$tarball")"
    python "$ROOT/scripts/_awx.py" ee-definition "$TREE/execution-environment.yml" "$tarball" "$awx/ee" || return 1
    (cd "$awx/ee" && ansible-builder create --file execution-environment.yml --context context \
        --output-filename Containerfile --verbosity 1) || return 1
    ANSIBLE_COLLECTIONS_PATH="$awx/introspect" ansible-galaxy collection install --offline -p "$awx/introspect" "$tarball" >/dev/null || return 1
    python "$ROOT/scripts/_awx.py" check-context "$awx/ee/context" "$awx/introspect" "$TREE/requirements.txt" || rc=1

    start_standin "$WORKDIR/standin-awx.log" || return 1
    local standin_cli="$TREE/tests/integration/targets/examples/standin.py"
    printf 'circleci_api_url: http://127.0.0.1:%s\ncircleci_api_token: %s\n' "$STANDIN_PORT" "$STANDIN_TOKEN" >"$awx/standin.yml"
    for job in 1 2; do
        echo "--- AWX job $job: ansible-runner run job-$job -p demo.yml"
        awx_job_folder "$awx/job-$job" "$job" "$tarball" || { rc=1; break; }
        mark="$(python "$standin_cli" "$awx/standin.yml" mark)" || { rc=1; break; }
        # Nothing of the connection comes from this shell, only from env/envvars, as in AWX.
        (cd "$awx" && env -u CIRCLECI_TOKEN -u CIRCLE_TOKEN -u CIRCLECI_API_URL ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
            ansible-runner run "$awx/job-$job" -p demo.yml --ident "$job") || rc=1
        if [[ "$job" == 1 ]]; then expect=--changed; else expect=--unchanged; fi
        # The secrets to look for: the values the credentials injected (env/envvars).
        python "$ROOT/scripts/_awx.py" job-events "$awx/job-$job/artifacts/$job" "$expect" \
            --envvars "$awx/job-$job/env/envvars" --secrets CIRCLECI_TOKEN DEMO_STAGING_AWS_SECRET \
            DEMO_PRODUCTION_AWS_SECRET DEMO_NPM_TOKEN DEMO_WEBHOOK_SECRET || rc=1
        if [[ "$job" == 2 ]]; then
            writes="$(python "$standin_cli" "$awx/standin.yml" writes "$mark")" || rc=1
            if [[ -n "$writes" ]]; then
                printf 'awx: FAILED: job 2 sent writes to the stand-in:\n%s\n' "$writes"
                rc=1
            else
                echo "job 2 sent no write to the stand-in"
            fi
        fi
    done
    stop_standin
    return "$rc"
}

# awx_job_folder DIR ID TARBALL: the private data folder AWX writes for job ID, holding:
#   project/                  the playbook, and the collections/requirements.yml it needs
#   requirements_collections/ those collections, installed as AWX's project sync installs them
#   inventory/hosts           the inventory, as a script that prints it
#   env/extravars             AWX's job variables (no secret)
#   env/envvars               the job's environment: what the credentials inject (the
#                             CircleCI credential type: CIRCLECI_TOKEN and CIRCLECI_API_URL;
#                             a custom one for the demo's own secrets) and the collection path
awx_job_folder() {
    local dir="$1" id="$2" tarball="$3"
    rm -rf "$dir"
    mkdir -p "$dir/project/collections" "$dir/inventory" "$dir/env"
    cp "$TREE/examples/demo.yml" "$dir/project/demo.yml"
    printf -- '---\ncollections:\n  - name: %s\n    type: file\n' "$tarball" >"$dir/project/collections/requirements.yml"
    ANSIBLE_COLLECTIONS_PATH="$dir/requirements_collections" ansible-galaxy collection install --offline \
        -r "$dir/project/collections/requirements.yml" -p "$dir/requirements_collections" >/dev/null || return 1
    # AWX's localhost runs modules with the job's own Python.
    cat >"$dir/inventory/hosts" <<'EOF'
#! /usr/bin/env python3
# -*- coding: utf-8 -*-
print('{"all": {"hosts": ["localhost"]}, "_meta": {"hostvars": {"localhost": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}')
EOF
    chmod 0700 "$dir/inventory/hosts"
    cat >"$dir/env/extravars" <<EOF
---
awx_job_id: $id
awx_job_template_name: CircleCI as code
tower_job_id: $id
EOF
    # ansible-core 2.19 reads ANSIBLE_COLLECTIONS_PATH (AWX before 2.19 set the plural).
    cat >"$dir/env/envvars" <<EOF
---
CIRCLECI_TOKEN: "$STANDIN_TOKEN"
CIRCLECI_API_URL: "http://127.0.0.1:$STANDIN_PORT"
DEMO_STAGING_AWS_SECRET: awx-staging-secret-5d1e9c
DEMO_PRODUCTION_AWS_SECRET: awx-production-secret-8f2a7b
DEMO_NPM_TOKEN: npm_awx000000000000000000000000003b7e
DEMO_WEBHOOK_SECRET: awx-webhook-signing-secret-6c4d
ANSIBLE_COLLECTIONS_PATH: "$dir/requirements_collections"
EOF
    chmod 0600 "$dir/env/envvars" "$dir/env/extravars"
}

# ---------------------------------------------------------------- a HOME of its own
# setup_home: every stage runs with HOME set to a folder of this run (or CIRCLECI_TEST_HOME), so
# that nothing comes from an earlier run in the user's HOME and nothing is left there. Made here,
# once, before any stage: ansible-test's pip bootstrap script (scripts/get_pip_shim.py, since
# ansible-test would download get-pip.py from a host that may be unreachable) and its SSH key
# (ansible-test creates ~/.ansible/test/id_rsa when it is missing; two integration groups side
# by side would both create it, and the second stops at ssh-keygen's "Overwrite (y/n)?").
# The user's pip configuration and pip's download cache still apply.
REAL_HOME="$HOME"
setup_home() {
    local home="${CIRCLECI_TEST_HOME:-}"
    if [[ -z "$home" ]]; then
        home="$WORKDIR/home"
        rm -rf "$home"
    fi
    mkdir -p "$home" || return 1
    home="$(cd "$home" && pwd -P)"
    # ansible-test's sanity virtual environments live in HOME/.ansible/test/venv/<test>/<python>/
    # <hash>, and Linux reads at most 127 characters of their scripts' "#!" lines.
    if [[ ${#home} -gt 56 ]]; then
        echo "test.sh: the HOME for the stages, $home, is longer than 56 characters: ansible-test's virtual environments would break" >&2
        echo "test.sh: use a shorter CIRCLECI_WORK or CIRCLECI_TEST_HOME" >&2
        return 1
    fi
    if [[ -z "${PIP_CONFIG_FILE:-}" ]]; then
        local conf
        for conf in "${XDG_CONFIG_HOME:-$REAL_HOME/.config}/pip/pip.conf" "$REAL_HOME/.pip/pip.conf"; do
            if [[ -f "$conf" ]]; then
                export PIP_CONFIG_FILE="$conf"
                break
            fi
        done
    fi
    export PIP_CACHE_DIR="${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$REAL_HOME/.cache}/pip}"
    unset XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_STATE_HOME

    local test_dir="$home/.ansible/test" pip_version
    mkdir -p "$test_dir/cache"
    # The pip version ansible-test bootstraps decides the file name (get_pip_24_2.py for 2.19).
    pip_version="$(python - <<'PY'
import pathlib, re
import ansible_test
src = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
match = re.search(r"default_packages\s*=\s*dict\(\s*pip\s*=\s*'([^']+)'", src.read_text())
print(match.group(1) if match else '24.2')
PY
)" || return 1
    cp "$ROOT/scripts/get_pip_shim.py" "$test_dir/cache/get_pip_${pip_version//./_}.py" || return 1
    if [[ ! -s "$test_dir/id_rsa" || ! -s "$test_dir/id_rsa.pub" ]]; then
        if command -v ssh-keygen >/dev/null; then
            rm -f "$test_dir/id_rsa" "$test_dir/id_rsa.pub"
            ssh-keygen -m PEM -q -t rsa -N '' -f "$test_dir/id_rsa" </dev/null || return 1
            # As ansible-test writes it: paramiko reads only the "RSA PRIVATE KEY" form.
            sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$test_dir/id_rsa"
        else
            echo "test.sh: ssh-keygen not found (package openssh-client): the integration stage needs it" >&2
        fi
    fi
    export HOME="$home"
    echo "HOME for the stages: $HOME (ansible-test's key, cache and virtual environments)"
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
if ! setup_home; then
    echo "test.sh: could not set up the HOME for the stages" >&2
    exit 1
fi
# Temporary files (pytest's among them) go into the work dir too, and go with it.
rm -rf "$WORKDIR/tmp"
mkdir -p "$WORKDIR/tmp"
export TMPDIR="$WORKDIR/tmp"
LOGDIR="$ROOT/tests/output/logs"
mkdir -p "$LOGDIR"

declare -A result seconds report
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
    log="$LOGDIR/$stage.log"
    # The stage runs in this shell (it may start a stand-in that cleanup must stop); its output
    # goes to the terminal and to its log.
    "stage_$stage" > >(tee "$log") 2>&1
    rc=$?
    wait "$!" 2>/dev/null || true
    seconds[$stage]=$((SECONDS - start))
    if [[ "$rc" == 0 ]]; then
        result[$stage]="PASSED"
    elif [[ "$stage" == e2e && "$rc" == 5 ]]; then
        result[$stage]="SKIPPED (no tests collected)"
    else
        result[$stage]="FAILED (exit $rc)"
        failed=1
        planned=()
        [[ "$stage" == integration ]] && planned=(--planned "${INTEGRATION_PLANNED[@]}")
        report[$stage]="$(python "$ROOT/scripts/_stage_report.py" "$log" --label "${log#"$ROOT"/}" "${planned[@]}")"
    fi
done

header "summary"
n_passed=0 n_failed=0 n_skipped=0
for stage in "${stages[@]}"; do
    printf '%-12s %-30s %5ss\n' "$stage" "${result[$stage]}" "${seconds[$stage]}"
    if [[ -n "${report[$stage]:-}" ]]; then
        printf '%s\n' "${report[$stage]}" | sed 's/^/             /'
    fi
    case "${result[$stage]}" in
        PASSED) n_passed=$((n_passed + 1)) ;;
        SKIPPED*) n_skipped=$((n_skipped + 1)) ;;
        *) n_failed=$((n_failed + 1)) ;;
    esac
done
echo "time: ${SECONDS}s in all; each stage's output is in tests/output/logs/"
if [[ "$failed" != 0 ]]; then
    echo "test.sh: FAILED"
else
    echo "test.sh: all selected stages passed"
fi
echo "stages: $n_passed passed, $n_failed failed, $n_skipped skipped"
exit "$failed"
