#!/usr/bin/env bash
# Builds salesbot and runs every test suite, the PostgreSQL variants against a throwaway server
# that is stopped and deleted afterwards (also on failure and Ctrl-C).
# Extra arguments go to ctest, e.g. scripts/test.sh -R tst_catalog
#   BUILD_DIR, BUILD_TYPE, CI, SALESBOT_CMAKE_ARGS   see scripts/build.sh
#   SALESBOT_SKIP_TZ_RUN=1                           skip the second run under TZ=Pacific/Kiritimati
set -euo pipefail

started_at=$SECONDS
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

# shellcheck source=scripts/pg-sandbox.sh
source "$ROOT/scripts/pg-sandbox.sh"

child=0
finish() {
    local rc=$?
    trap '' INT TERM
    pg_sandbox_stop
    if ((rc == 0)); then
        echo "salesbot: all tests passed in $((SECONDS - started_at)) s"
    elif ((rc == 130 || rc == 143)); then
        echo "salesbot: interrupted after $((SECONDS - started_at)) s" >&2
    else
        echo "salesbot: FAILED (exit $rc) after $((SECONDS - started_at)) s" >&2
    fi
    exit "$rc"
}
on_signal() {
    trap '' INT TERM
    echo "salesbot: interrupted, stopping" >&2
    if ((child > 0)); then
        kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$1"
}
trap finish EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# Runs a command in its own session and waits for it, so that a signal to this script (Ctrl-C, or a
# CI cancel that only reaches this process) can stop the whole command tree, then clean up.
run_step() {
    setsid "$@" &
    child=$!
    local rc=0
    wait "$child" || rc=$?
    child=0
    return "$rc"
}

bash "$ROOT/scripts/install-deps.sh"
run_step bash "$ROOT/scripts/build.sh"

if ! pg_sandbox_start; then
    echo "salesbot: the PostgreSQL tests cannot run without a server; not skipping them, failing" >&2
    exit 1
fi

echo "salesbot: running tests"
run_step ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"

if [[ "${SALESBOT_SKIP_TZ_RUN:-}" != 1 ]]; then
    echo "salesbot: running tests again with TZ=Pacific/Kiritimati (UTC+14)"
    run_step env TZ=Pacific/Kiritimati ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 -LE bench "$@"
fi
