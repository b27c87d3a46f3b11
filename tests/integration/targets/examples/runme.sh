#!/usr/bin/env bash
# Runs the playbooks in examples/ against the stand-in, as a user runs them: from the
# collection's examples/ folder, with the connection in CIRCLECI_API_URL and CIRCLECI_TOKEN.
# Idempotence is checked from the stand-in's own request record (the role's check mode is
# tested by the role_project target).
set -eux

config=../../integration_config.yml
standin() { python standin.py "$config" "$@"; }

# The collection as ansible-test installed it for this run.
collection="$(ansible-galaxy collection list community.circleci --format json \
    | python -c 'import json, sys; d = json.load(sys.stdin); print([p + "/community/circleci" for p in d][0])')"
examples="$collection/examples"
test -f "$examples/demo.yml"

CIRCLECI_API_URL="$(standin url)"
set +x
CIRCLECI_TOKEN="$(standin token)"
set -x
export CIRCLECI_API_URL CIRCLECI_TOKEN
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
log="${OUTPUT_DIR:-.}/examples"

# run NAME PLAYBOOK [ARGS...]: run a playbook, keep its output in $log-NAME.log.
run() {
    local name="$1"; shift
    ansible-playbook "$@" 2>&1 | tee "$log-$name.log"
    return "${PIPESTATUS[0]}"
}
recap_changed() { sed -n 's/^localhost *: .* changed=\([0-9]*\) .*/\1/p' "$log-$1.log"; }
no_writes_since() {
    local writes
    writes="$(standin writes "$1")"
    if [[ -n "$writes" ]]; then
        echo "expected no write, got:" >&2
        echo "$writes" >&2
        return 1
    fi
}

# ---------------------------------------------------------------- demo.yml: twice
standin reset
run demo1 "$examples/demo.yml"
[[ "$(recap_changed demo1)" -gt 0 ]]
mark="$(standin mark)"
run demo2 "$examples/demo.yml"
[[ "$(recap_changed demo2)" == 0 ]]
no_writes_since "$mark"

# ---------------------------------------------------------------- provision_project.yml
standin reset
mark="$(standin mark)"
run provision1 "$examples/provision_project.yml"
writes="$(standin writes "$mark")"
# two contexts, one variable each, two project variables, a key, a webhook, a schedule
[[ "$(grep -c . <<<"$writes")" == 9 ]]
grep -q '^POST /project/gh/acme/web/checkout-key$' <<<"$writes"
mark="$(standin mark)"
run provision2 "$examples/provision_project.yml"
[[ "$(recap_changed provision2)" == 0 ]]
no_writes_since "$mark"

# ---------------------------------------------------------------- deploy_gate.yml
plan() {
    # A workflow "deploy": build -> hold-for-approval -> deploy, on branch $1, build outcome $2;
    # the deploy job releases api-server 1.3.0 to production (the seed runs 1.1.0 there).
    standin seed "{\"pipeline_plans\": [{\"project_slug\": \"gh/acme/api\", \"branch\": \"$1\", \"workflows\": [
        {\"name\": \"deploy\", \"jobs\": [{\"name\": \"build\", \"outcome\": \"$2\"},
         {\"name\": \"hold-for-approval\", \"type\": \"approval\", \"requires\": [\"build\"]},
         {\"name\": \"deploy\", \"requires\": [\"hold-for-approval\"],
          \"release\": {\"component\": \"api-server\", \"environment\": \"production\", \"version\": \"1.3.0\"}}]}]}]}"
}
gate_fast=(-e gate_poll_interval=0.1 -e gate_wait_timeout=60)
standin reset
plan main success
plan broken failed
mark="$(standin mark)"
run gate "$examples/deploy_gate.yml" "${gate_fast[@]}"
writes="$(standin writes "$mark")"
[[ "$(grep -c . <<<"$writes")" == 2 ]]
grep -q '^POST /project/gh/acme/api/pipeline$' <<<"$writes"
grep -qE '^POST /workflow/[0-9a-f-]+/approve/[0-9a-f-]+$' <<<"$writes"
grep -q 'Pipeline gh/acme/api #[0-9]*: deploy success, api-server 1.3.0 live in production' "$log-gate.log"

# A failed build stops the play before the gate: nothing is approved.
mark="$(standin mark)"
if run gate-broken "$examples/deploy_gate.yml" -e gate_branch=broken "${gate_fast[@]}"; then
    echo "deploy_gate.yml succeeded although the build failed" >&2
    exit 1
fi
grep -q 'job build failed' "$log-gate-broken.log"
writes="$(standin writes "$mark")"
[[ "$writes" == "POST /project/gh/acme/api/pipeline" ]]

# The deploy succeeds but its health check fails: the play rolls api-server back to the version
# that ran before (1.1.0), waits for the rollback pipeline, and fails saying so.
standin reset
plan main success
mark="$(standin mark)"
if run gate-rollback "$examples/deploy_gate.yml" "${gate_fast[@]}" -e "gate_check_url=$CIRCLECI_API_URL/health"; then
    echo "deploy_gate.yml succeeded although its health check failed" >&2
    exit 1
fi
writes="$(standin writes "$mark")"
[[ "$(grep -c . <<<"$writes")" == 3 ]]
grep -qE '^POST /projects/[0-9a-f-]+/rollback$' <<<"$writes"
grep -q 'rolled api-server in production back from 1.3.0 to 1.1.0' "$log-gate-rollback.log"
grep -q 'Roll back to the version that ran before, and wait for the rollback' "$log-gate-rollback.log"
[[ "$(standin live gh/acme/api api-server production)" == 1.1.0 ]]
