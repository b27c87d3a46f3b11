#!/usr/bin/env bash
# The role community.circleci.project against the stand-in: check mode, apply, idempotent re-run,
# a change, bad input (tests.yml), contexts restricted to the project (restrict.yml), then its -vvv
# output searched for every secret (secrecy.yml).
set -eux

# ansible-test passes the integration config only to targets with a cloud environment.
if [[ " $* " != *" -e "* && -f ../../integration_config.yml ]]; then
    set -- "$@" -e @../../integration_config.yml
fi

ansible-playbook tests.yml "$@"
ansible-playbook restrict.yml "$@"

# A new project from nothing, then the same again: the second run's recap must say changed=0.
ansible-playbook from_nothing.yml "$@"
again="${OUTPUT_DIR:-.}/role_project-from-nothing-again.log"
ansible-playbook from_nothing.yml -e from_nothing_again=true "$@" | tee "$again"
grep -Eq '^localhost +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$again"

log="${OUTPUT_DIR:-.}/role_project-secrecy.log"
if ! ansible-playbook secrecy.yml --diff -vvv "$@" >"$log" 2>&1; then
    cat "$log"
    exit 1
fi
# The secrets come from vars/secrets.yml; grep for each whole value (their last four characters
# are meant to show, as CircleCI's own masking does).
set +x
found=0
while IFS= read -r secret; do
    if grep -qF -- "$secret" "$log"; then
        echo "secret ${secret:0:6}... appears in the -vvv output of the role:" >&2
        grep -nF -- "$secret" "$log" | cut -c1-300 >&2
        found=1
    fi
done < <(sed -n 's/^ *[a-z_]*: *"\{0,1\}\(S3CRET-[^"]*\)"\{0,1\}$/\1/p' vars/secrets.yml)
count="$(grep -c '^ *[a-z_]*: *"\{0,1\}S3CRET-' vars/secrets.yml)"
if [[ "$count" -lt 4 ]]; then
    echo "expected at least 4 secrets in vars/secrets.yml, found $count" >&2
    exit 1
fi
if ! grep -q 'PLAY RECAP' "$log"; then
    echo "the secrecy run printed no recap" >&2
    exit 1
fi
exit "$found"
