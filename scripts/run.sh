#!/usr/bin/env bash
# Builds salesbot (same build dir as scripts/test.sh) and runs the engine; arguments go to `salesbot-engine run`.
# The engine itself reports a missing BOT_TOKEN.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"

engine="$BUILD_DIR/engine/salesbot-engine"
if [[ ! -x "$engine" ]]; then
    echo "salesbot: the build did not produce $engine" >&2
    exit 1
fi
exec "$engine" run "$@"
