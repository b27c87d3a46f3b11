# shellcheck shell=bash
# Helpers shared by scripts/test.sh and scripts/demo.sh (sourced, not run).
#
# Needs: VENV (the .venv path), TREE (the collection copy), WORKDIR (scratch folder).
# Provides: start_standin LOGFILE (sets STANDIN_PID and STANDIN_PORT), stop_standin.

STANDIN_TOKEN="${CIRCLECI_STANDIN_TOKEN:-CCIPAT_standin_S3cr3tT0ken_4f9c2a}"
STANDIN_PID=""
STANDIN_PORT=""

# start_standin LOGFILE: start tests/standin/server.py from the tree on a free loopback port and
# wait until it has written that port into its port file.
start_standin() {
    local log="$1" portfile="$WORKDIR/standin.port"
    rm -f "$portfile"
    if [[ ! -f "$TREE/tests/standin/server.py" ]]; then
        echo "stand-in: tests/standin/server.py is missing" >&2
        return 1
    fi
    mkdir -p "$(dirname "$log")"
    (cd "$TREE" && exec "$VENV/bin/python" tests/standin/server.py \
        --host 127.0.0.1 --port 0 --port-file "$portfile" --token "$STANDIN_TOKEN") >"$log" 2>&1 &
    STANDIN_PID=$!
    STANDIN_PORT=""
    local _
    for _ in $(seq 1 300); do
        if [[ -s "$portfile" ]]; then
            STANDIN_PORT="$(tr -d '[:space:]' <"$portfile")"
            [[ "$STANDIN_PORT" =~ ^[0-9]+$ ]] && break
            STANDIN_PORT=""
        fi
        if ! kill -0 "$STANDIN_PID" 2>/dev/null; then
            echo "stand-in: exited before listening; its log ($log):" >&2
            cat "$log" >&2
            STANDIN_PID=""
            return 1
        fi
        sleep 0.1
    done
    if [[ -z "$STANDIN_PORT" ]]; then
        echo "stand-in: wrote no port within 30 s; its log ($log):" >&2
        cat "$log" >&2
        stop_standin
        return 1
    fi
    echo "stand-in listening on http://127.0.0.1:$STANDIN_PORT (pid $STANDIN_PID, log $log)"
}

# stop_standin: SIGTERM, wait up to 5 s, then SIGKILL.
stop_standin() {
    if [[ -n "$STANDIN_PID" ]]; then
        kill -TERM "$STANDIN_PID" 2>/dev/null || true
        local _
        for _ in $(seq 1 50); do
            kill -0 "$STANDIN_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$STANDIN_PID" 2>/dev/null; then
            echo "stand-in: did not stop on SIGTERM; killing it" >&2
            kill -KILL "$STANDIN_PID" 2>/dev/null || true
        fi
        wait "$STANDIN_PID" 2>/dev/null || true
        STANDIN_PID=""
    fi
}
