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
# The keychain tests need a D-Bus session with a secret service (TOOLCHAIN.md, gotcha 6): a
# private session bus and a gnome-keyring whose keyrings live in a throwaway folder.
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    export DOCPIPE_TEST_KEYCHAIN=required
    KEYRING_HOME=$(mktemp -d)
    trap 'pg_throwaway_stop; rm -rf "$KEYRING_HOME"' EXIT
    dbus-run-session -- sh -c 'echo -n docpipe-test | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null
        exec ctest --output-on-failure --timeout 900 "$@"' "$KEYRING_HOME" "$@"
else
    ctest --output-on-failure --timeout 900 "$@"
fi

# Fuzzing (tests/fuzz): a short run of every libFuzzer target where clang's libFuzzer is installed,
# in a build of its own (clang, ASan/UBSan, coverage). DOCPIPE_FUZZ_SECONDS=0 skips it.
FUZZ_SECONDS=${DOCPIPE_FUZZ_SECONDS:-20}
if [ "$FUZZ_SECONDS" -gt 0 ] && command -v clang++ >/dev/null \
    && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    FUZZ_BUILD=${DOCPIPE_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
    cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DDOCPIPE_FUZZ=ON -DDOCPIPE_BUILD_TESTS=OFF -DDOCPIPE_BUILD_UI=OFF
    cmake --build "$FUZZ_BUILD" --parallel "$(nproc)" --target fuzz_all
    FUZZ_ARTIFACTS="$FUZZ_BUILD/artifacts" sh "$ROOT/tests/fuzz/run.sh" "$FUZZ_BUILD" "$FUZZ_SECONDS"
else
    echo "fuzz: skipped (clang with libFuzzer, packages clang and libclang-rt-14-dev, not installed)"
fi
