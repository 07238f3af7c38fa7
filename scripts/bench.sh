#!/usr/bin/env bash
# Runs the benchmarks against a throwaway PostgreSQL (stopped and removed afterwards).
#   cmake --build build --target bench          all scenarios with the defaults
#   BENCH_ARGS="--scenario funnel --users 2000" cmake --build build --target bench
#   BENCH_ONLY=engine|console                    one of the two benchmarks
#   BENCH_CONSOLE_ARGS="--applications 100000 --events 500000 --runs 5"   a smaller console data set
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
: "${SALESBOT_ENGINE_BIN:=$BUILD_DIR/engine/salesbot-engine}"
: "${BENCH_BIN:=$BUILD_DIR/tests/bench_engine}"
export SALESBOT_ENGINE_BIN
# shellcheck source=scripts/pg-sandbox.sh
source "$ROOT/scripts/pg-sandbox.sh"
trap pg_sandbox_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_sandbox_start
if [[ "${BENCH_ONLY:-}" != console ]]; then
    # shellcheck disable=SC2086
    "$BENCH_BIN" ${BENCH_ARGS:-}
fi
if [[ -n "${BENCH_CONSOLE_BIN:-}" && "${BENCH_ONLY:-}" != engine ]]; then
    # shellcheck disable=SC2086
    "$BENCH_CONSOLE_BIN" ${BENCH_CONSOLE_ARGS:-}
fi
