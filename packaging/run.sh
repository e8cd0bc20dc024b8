#!/usr/bin/env bash
# Installs what is needed, builds, and starts the Docpipe window on its embedded defaults
# (SQLite in the app-data folder, local parser, local embedder: no key, no network).
# Extra arguments go to docpipe (e.g. files to ingest, --db URL).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${DOCPIPE_BUILD_DIR:-$ROOT/build}

bash "$ROOT/packaging/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCPIPE_BUILD_TESTS=OFF
cmake --build "$BUILD" --parallel "$(nproc)" --target docpipe docpipe-cli
exec "$BUILD/app/gui/docpipe" "$@"
