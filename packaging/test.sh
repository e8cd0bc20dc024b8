#!/usr/bin/env bash
# Installs what is needed, builds with warnings as errors, starts a throwaway PostgreSQL on
# loopback, and runs the whole test suite. Usage: bash packaging/test.sh [extra ctest args]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${DOCPIPE_BUILD_DIR:-$ROOT/build}

bash "$ROOT/packaging/install-deps.sh"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCPIPE_WERROR=ON
cmake --build "$BUILD" --parallel "$(nproc)"

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen

# shellcheck source=packaging/pg-throwaway.sh
source "$ROOT/packaging/pg-throwaway.sh"
pg_throwaway_start
trap pg_throwaway_stop EXIT
export DOCPIPE_REQUIRE_PG=1

cd "$BUILD"
ctest --output-on-failure --timeout 900 "$@"
