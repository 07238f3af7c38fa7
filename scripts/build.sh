#!/usr/bin/env bash
# Configures and builds salesbot.
#   BUILD_DIR            build directory (default: <repo>/build)
#   BUILD_TYPE           CMake build type (default: RelWithDebInfo)
#   CI=true              warnings become errors (-DSALESBOT_WERROR=ON)
#   SALESBOT_CMAKE_ARGS  extra configure arguments, split on whitespace (they win over the ones above)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"

werror=OFF
if [[ "${CI:-}" == true ]]; then
    werror=ON
fi

extra_args=()
if [[ -n "${SALESBOT_CMAKE_ARGS:-}" ]]; then
    read -r -a extra_args <<<"$SALESBOT_CMAKE_ARGS"
fi

# Keep the generator of an existing build directory (CMake refuses to switch it in place).
generator_args=(-G Ninja)
cache="$BUILD_DIR/CMakeCache.txt"
if [[ -f "$cache" ]]; then
    cached_generator="$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$cache")"
    if [[ -n "$cached_generator" && "$cached_generator" != Ninja ]]; then
        echo "salesbot: $BUILD_DIR was configured with '$cached_generator'; keeping it (delete the directory to switch to Ninja)"
        generator_args=()
    fi
fi

echo "salesbot: building $BUILD_TYPE in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" "${generator_args[@]}" \
    -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
    -DSALESBOT_WERROR="$werror" \
    "${extra_args[@]}"
cmake --build "$BUILD_DIR" -j"$(nproc)"
